import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

# the local stand-ins' fixtures (github_fake, gcs_fake), registered once for every test module
pytest_plugins = ["github_fake", "gcs_fake"]

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
NETRA = SHARED / "data" / "gcp-real" / "netra-systems_zen"
OTHER = SHARED / "data" / "gcp-real" / "other-services"


@pytest.fixture
def netra() -> Path:
    if not NETRA.is_dir():
        pytest.skip("../shared is absent (a user's clone): real-data checks skipped")
    return NETRA


@pytest.fixture
def other_services() -> Path:
    if not OTHER.is_dir():
        pytest.skip("../shared is absent (a user's clone): real-data checks skipped")
    return OTHER
