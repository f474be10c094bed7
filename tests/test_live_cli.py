"""`log-gardener run --project …` end to end: the real client against the local Cloud Logging fake."""

from __future__ import annotations

from collections import Counter

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from logging_fake import FakeLogging, load_gcloud, load_netra

from factory import crash_loop, to_log_entry

NETRA_PROJECT = "netra-staging"
NETRA_SERVICE = "netra-backend-staging"
NETRA_1750 = "gcp_logs_last_hour_20250915_175001.json"


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_json(tmp_path, name, *args):
    out = tmp_path / f"{name}.json"
    assign = tmp_path / f"{name}.jsonl"
    result = invoke("run", *args, "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / f"{name}.md"),
                    "--json", str(out), "--assignments", str(assign))
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(line) for line in assign.read_bytes().splitlines()]
    return orjson.loads(out.read_bytes()), rows, result.output


@pytest.fixture
def netra_fake(netra):
    with FakeLogging(load_netra(netra)) as server:
        yield server


def test_live_gives_the_same_problems_as_the_file(netra_fake, netra, tmp_path):
    from_file, _, _ = run_json(tmp_path, "file", "-i", str(netra / NETRA_1750), "--dry-run")
    live, _, output = run_json(tmp_path, "live", "--project", NETRA_PROJECT, "--service", NETRA_SERVICE,
                               "--start", "2025-09-16T00:41:00Z", "--end", "2025-09-16T00:43:00Z",
                               "--logging-endpoint", netra_fake.endpoint, "--dry-run")
    assert "query: resource.type=\"cloud_run_revision\"" in output
    assert output.count("┏") == 1  # the results table, once
    shape = [(p["id"], p["priority"], p["count"], p["caused_by"]) for p in from_file["problems"]]
    assert [(p["id"], p["priority"], p["count"], p["caused_by"]) for p in live["problems"]] == shape
    assert "Query** (paste into Logs Explorer" in (tmp_path / "live.md").read_text()


def test_two_live_runs_cut_mid_incident_lose_nothing_and_count_nothing_twice(netra_fake, netra, tmp_path):
    raw = load_gcloud(netra / NETRA_1750)
    wanted = {d["insertId"] for d in raw if d.get("severity") in ("WARNING", "ERROR", "CRITICAL")}
    common = ["--project", NETRA_PROJECT, "--service", NETRA_SERVICE, "--logging-endpoint", netra_fake.endpoint]
    _, rows1, _ = run_json(tmp_path, "one", *common, "--start", "2025-09-16T00:41:00Z",
                               "--end", "2025-09-16T00:42:00Z")
    second, rows2, output = run_json(tmp_path, "two", *common, "--end", "2025-09-16T00:43:00Z")
    assert "resum" in output.lower()  # the second run says where it resumed from
    ids1 = Counter(r["insertId"] for r in rows1)
    ids2 = Counter(r["insertId"] for r in rows2)
    assert not set(ids1) & set(ids2), "an entry of the overlap was counted twice"
    assert wanted <= set(ids1) | set(ids2), "an entry was lost at the edge"
    assert second["totals"]["duplicates"] > 0  # the overlap was read again and skipped
    p0 = next(p for p in second["problems"] if "services.monitoring" in p["title"])
    assert p0["issue"]["action"] == "comment"  # the incident continues on the issue the first run filed
    assert p0["issue"]["new_entries"] == p0["count"]


def test_synthetic_live_run_files_issues_without_shared(tmp_path):
    docs = [to_log_entry(e) for e in crash_loop(4)]
    for d in docs:
        d["resource"]["labels"]["project_id"] = "shop-staging"
    with FakeLogging(docs) as fake:
        doc, rows, _ = run_json(tmp_path, "s", "--project", "shop-staging", "--service", "shop-api",
                                "--since", "12h", "--end", "2026-03-01T13:00:00Z",
                                "--logging-endpoint", fake.endpoint, "--save", str(tmp_path / "saved.jsonl"))
    assert any("No module named" in p["title"] and p["priority"] == "P0" for p in doc["problems"])
    replay, rows_replay, _ = run_json(tmp_path, "r", "-i", str(tmp_path / "saved.jsonl"), "--dry-run")
    assert [p["id"] for p in replay["problems"]] == [p["id"] for p in doc["problems"]]
    assert Counter(r["insertId"] for r in rows_replay) == Counter(r["insertId"] for r in rows)


@pytest.mark.parametrize("fault, message", [
    (403, "roles/logging.viewer"),
    ("project", "project"),
])
def test_live_errors_are_one_line_and_exit_2(tmp_path, fault, message):
    docs = [to_log_entry(e) for e in crash_loop(1)]
    with FakeLogging(docs, projects=["shop-staging"]) as fake:
        if fault == 403:
            fake.fail_next(1, code=403)
        project = "no-such-project" if fault == "project" else "shop-staging"
        result = CliRunner().invoke(main, ["run", "--project", project, "--since", "1h", "--logging-endpoint",
                                           fake.endpoint, "--state", str(tmp_path / "g.db")])
    assert result.exit_code == 2, result.output
    line = result.output.strip().splitlines()[-1]
    assert line.startswith("log-gardener: error:") and message in line
    assert "Traceback (most recent call last)" not in result.output


def test_missing_credentials_is_one_line_and_exit_2(tmp_path, monkeypatch):
    from google.auth.compute_engine import _metadata

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", "LOG_GARDENER_LOGGING_ENDPOINT", "GOOGLE_CLOUD_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_metadata, "is_on_gce", lambda *a, **k: False)
    result = CliRunner().invoke(main, ["run", "--project", "p", "--since", "1h", "--state", str(tmp_path / "g.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "gcloud auth application-default login" in result.output


def test_input_and_project_are_exclusive(tmp_path):
    result = CliRunner().invoke(main, ["run", "--state", str(tmp_path / "g.db")])
    assert result.exit_code == 2 and "either --input" in result.output


def test_a_first_live_run_without_a_window_reads_the_first_window_and_says_so(netra_fake, tmp_path):
    common = ["--project", NETRA_PROJECT, "--service", NETRA_SERVICE, "--logging-endpoint", netra_fake.endpoint,
              "--end", "2025-09-16T00:43:00Z", "--dry-run"]
    doc, _, output = run_json(tmp_path, "first", *common, "--first-window", "2m")
    assert "first read of this query: the last 0:02:00" in output
    assert doc["window"]["start"].startswith("2025-09-16T00:41:00")
    assert doc["totals"]["selected"] > 0
