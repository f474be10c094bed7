"""log-gardener: keep an issue tracker in step with what a service's logs say.

The stable Python surface is what ``__all__`` names: ``run`` (what ``log-gardener run`` does, as a
function), its ``Result`` and ``Error``, and ``__version__``. Everything else is internal and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Error", "Result", "__version__", "run"]

if TYPE_CHECKING:
    from .api import Error, Result, run


def __getattr__(name: str) -> Any:
    # imported on first use: `import log_gardener` stays instant for the CLI
    if name in ("Error", "Result", "run"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'log_gardener' has no attribute {name!r}")
