"""Causes with evidence: scenarios with a known causal truth (tests/causal), the statistics behind a link,
and the netra chains."""

import importlib.util
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.analyse.causality import _coverage, _tail
from log_gardener.cli import main

REPO = Path(__file__).resolve().parents[1]
CAUSAL = Path(__file__).parent / "causal"
SCENARIOS = sorted(p.name for p in CAUSAL.iterdir() if (p / "expect.json").is_file())


def _scorer():
    """bench/causality.py's scoring: the same definitions as the benchmark, not a second copy of them."""
    spec = importlib.util.spec_from_file_location("bench_causality", REPO / "bench" / "causality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.score


score = _scorer()


def run(export: Path, tmp_path: Path) -> tuple[list[dict], dict]:
    out, assign = tmp_path / "r.json", tmp_path / "a.jsonl"
    result = CliRunner().invoke(main, ["run", "-q", "-i", str(export), "--dry-run", "--state", str(tmp_path / "g.db"),
                                       "--worklog", str(tmp_path / "w.md"), "--json", str(out),
                                       "--assignments", str(assign)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [orjson.loads(line) for line in assign.read_bytes().splitlines()], orjson.loads(out.read_bytes())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_true_link_is_found_and_no_root_is_hidden(scenario, tmp_path):
    case = CAUSAL / scenario
    export = next(p for p in case.iterdir() if p.name.startswith("export."))
    rows, result = run(export, tmp_path)
    r = score(case, orjson.loads((case / "expect.json").read_bytes()), rows, result)
    wrong = [x for x in r["links"] if x["kind"] == "wrong"]
    assert r["hidden_roots"] == 0 and not wrong, wrong
    assert r["missed"] == 0, [x for x in r["links"] if x["true_cause"] and not x.get("recall_hit")]


def test_the_scenarios_cover_the_cases_the_issue_names():
    assert {"twelve-once", "bad-deploy-startup-errors", "periodic-error-and-oom", "rare-after-frequent",
            "precursor-not-specific", "revision-without-instance", "upstream-timeout-502", "truncated-collector",
            "crash-loop-chain", "db-timeout-start", "handler-500-same-trace", "two-incidents-overlap",
            "two-services"} <= set(SCENARIOS)


def test_chance_is_the_poisson_binomial_tail():
    assert _tail([0.5, 0.5], 2) == pytest.approx(0.25)
    assert _tail([0.5, 0.5], 1) == pytest.approx(0.75)
    assert _tail([0.1] * 10, 0) == 1.0 and _tail([0.1] * 3, 4) == 0.0
    # a large n takes the normal approximation; it stays a probability and orders as the exact one
    big = _tail([0.01] * 1000, 30)
    assert 0.0 <= big < _tail([0.01] * 1000, 15) <= 1.0


def test_windows_cover_a_share_of_a_stream_s_life():
    assert _coverage([(0, 10), (5, 20)], (0, 100)) == pytest.approx(0.2)  # merged, not added twice
    assert _coverage([(90, 200)], (0, 100)) == pytest.approx(0.1)  # clipped to the life
    assert _coverage([(0, 1)], (5, 5)) == 1.0  # no life to compare with: no evidence


def test_database_timeout_chain_and_independent_boot_warnings(netra, tmp_path):
    _, doc = run(netra / "gcp_backend_logs_last_1hour_20250915_143747.json", tmp_path)
    by_title = {p["title"][:40]: p for p in doc["problems"]}
    db = next(p for t, p in by_title.items() if t.startswith("DeterministicStartupError"))
    assert db["caused_by"] is None and db["priority"] == "P0"
    for start in ("asyncio.exceptions.CancelledError", "Failed to run migrations", "Requests failed"):
        p = next(p for t, p in by_title.items() if t.startswith(start))
        assert p["caused_by"] == db["id"], (start, p["cause_reason"])
        assert "of" in p["cause_reason"]  # the evidence is counted in the reason
    for start in ("SERVICE_ID contained", "Sentry SDK not available", "OAuth=", "Found other WebSocket"):
        p = next(p for t, p in by_title.items() if t.startswith(start))
        assert p["caused_by"] is None, (start, p["cause_reason"])


def test_explain_shows_each_link_s_evidence(netra, tmp_path):
    path = netra / "gcp_logs_last_hour_20250915_175001.json"
    _, doc = run(path, tmp_path)
    boot = next(p for p in doc["problems"] if "Worker failed to boot" in p["title"])
    out = CliRunner().invoke(main, ["explain", boot["id"], "-i", str(path)]).output
    assert f"caused by {boot['caused_by']}" in out and "episodes" in out and "instance(s)" in out
