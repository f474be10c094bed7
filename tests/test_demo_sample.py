"""Shape of the shipped demo export, src/log_gardener/demo/cloudrun-sample.jsonl.gz.

The file is made by tools/make_demo.py; these checks keep it looking like a real
Cloud Run export (a Cloud Storage sink: gzip JSON Lines, camelCase LogEntries) and
keep the four problems of the reference worklog in it.
"""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "log_gardener" / "demo" / "cloudrun-sample.jsonl.gz"

PROJECT = "acme-staging"
REV_OLD = "acme-api-staging-00041-abc"
REV_NEW = "acme-api-staging-00042-xyz"
MISSING = "No module named 'acme_api.services.monitoring'"
SERVICE_ID_WARNING = "SERVICE_ID contained whitespace - sanitized from 'acme-api\\n' to 'acme-api'"
SENTRY_WARNING = "Sentry SDK not available - install sentry-sdk[fastapi] to enable error tracking"
CRITICAL = f"CRITICAL: Enhanced middleware setup failed: {MISSING}"
EXIT_3 = "Container called exit(3)."
DURING = "During handling of the above exception, another exception occurred:"
MALFORMED = "The request failed because either the HTTP response was malformed"
LOG_NAMES = {
    f"projects/{PROJECT}/logs/run.googleapis.com%2F{name}"
    for name in ("stdout", "stderr", "requests", "varlog%2Fsystem")
} | {f"projects/{PROJECT}/logs/cloudaudit.googleapis.com%2Factivity"}
SEVERITIES = {"DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"}
WARNING_OR_ABOVE = {"WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"}
TS_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{3}|\d{6}|\d{9}))?Z$")
GUNICORN_RE = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000\] \[\d+\] \[(INFO|ERROR)\] ")


def parse_ts(text: str) -> datetime:
    match = TS_RE.match(text)
    assert match, f"not an RFC 3339 UTC timestamp: {text!r}"
    base, frac = match.groups()
    micros = int((frac or "0").ljust(9, "0")[:6])
    return datetime.fromisoformat(base).replace(microsecond=micros, tzinfo=UTC)


def text_of(entry: dict) -> str:
    if "textPayload" in entry:
        return entry["textPayload"]
    return (entry.get("jsonPayload") or {}).get("message", "")


def revision(entry: dict) -> str:
    return entry["resource"]["labels"]["revision_name"]


@pytest.fixture(scope="module")
def entries() -> list[dict]:
    assert SAMPLE.is_file(), "run: python tools/make_demo.py"
    with gzip.open(SAMPLE, "rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


def matching(entries: list[dict], predicate) -> list[dict]:
    return [entry for entry in entries if predicate(entry)]


def new_revision_starts(entries: list[dict]) -> list[dict]:
    return [e for e in entries if revision(e) == REV_NEW and text_of(e).startswith("Starting new instance")]


def tracebacks(entries: list[dict]) -> list[dict]:
    return [e for e in entries if e.get("textPayload", "").startswith("Traceback (most recent call last):")]


def test_size_and_count(entries: list[dict]) -> None:
    assert SAMPLE.stat().st_size < 1_500_000
    assert 14_000 <= len(entries) <= 16_000


def test_insert_ids_unique(entries: list[dict]) -> None:
    ids = [entry["insertId"] for entry in entries]
    assert len(set(ids)) == len(ids)
    agent_ids = [i for i in ids if len(i) == 24]
    assert len(agent_ids) > 0.99 * len(ids)
    assert all(re.fullmatch(r"[0-9a-f]{24}", i) for i in agent_ids)


def test_timestamps(entries: list[dict]) -> None:
    stamps = [parse_ts(entry["timestamp"]) for entry in entries]
    assert stamps == sorted(stamps), "the file is sorted by timestamp, ascending"
    assert stamps[-1] - stamps[0] >= timedelta(hours=11.5)
    assert stamps[-1] - stamps[0] <= timedelta(hours=12)
    for entry, stamp in zip(entries, stamps, strict=True):
        received = parse_ts(entry["receiveTimestamp"])
        assert stamp <= received <= stamp + timedelta(seconds=60), entry["insertId"]
    six = sum(1 for entry in entries if re.search(r"\.\d{6}Z$", entry["timestamp"]))
    assert six > 0.99 * len(entries)
    nine = sum(1 for entry in entries if re.search(r"\.\d{9}Z$", entry["receiveTimestamp"]))
    assert nine > 0.99 * len(entries)


def test_entry_shape(entries: list[dict]) -> None:
    for entry in entries:
        assert entry["logName"] in LOG_NAMES
        resource = entry["resource"]
        assert resource["type"] == "cloud_run_revision"
        assert set(resource["labels"]) == {
            "project_id", "service_name", "revision_name", "configuration_name", "location"}
        assert resource["labels"]["project_id"] == PROJECT
        assert resource["labels"]["service_name"] == "acme-api-staging"
        assert resource["labels"]["location"] == "us-central1"
        payloads = [key for key in ("textPayload", "jsonPayload", "protoPayload") if key in entry]
        assert len(payloads) == 1 or (payloads == ["textPayload"] and "httpRequest" in entry) or (
            not payloads and "httpRequest" in entry), entry["insertId"]
        if "severity" in entry:
            assert entry["severity"] in SEVERITIES, "DEFAULT is written by leaving severity out"
        if entry["logName"].endswith("cloudaudit.googleapis.com%2Factivity"):
            continue
        instance = entry["labels"]["instanceId"]
        assert re.fullmatch(r"[0-9a-f]{100,200}", instance)
    for entry in matching(entries, lambda e: "jsonPayload" in e):
        payload = entry["jsonPayload"]
        assert {"message", "logger", "timestamp", "labels"} <= set(payload)
        assert set(payload["labels"]) == {"function", "line", "module"}
        assert isinstance(payload["labels"]["line"], str)


def test_two_revisions(entries: list[dict]) -> None:
    revisions = {revision(entry) for entry in entries} - {""}
    assert revisions == {REV_OLD, REV_NEW}
    start = parse_ts(entries[0]["timestamp"])
    first_new = min(parse_ts(e["timestamp"]) for e in entries if revision(e) == REV_NEW)
    assert first_new - start >= timedelta(hours=6.5)
    deploys = matching(entries, lambda e: "protoPayload" in e)
    assert len(deploys) == 1
    assert deploys[0]["severity"] == "NOTICE"
    assert deploys[0]["protoPayload"]["@type"] == "type.googleapis.com/google.cloud.audit.AuditLog"
    assert parse_ts(deploys[0]["timestamp"]) <= first_new


def test_problem_1_missing_module(entries: list[dict]) -> None:
    p0 = matching(entries, lambda e: MISSING in text_of(e))
    assert len(p0) >= 800
    assert {revision(e) for e in p0} == {REV_NEW}
    critical = matching(entries, lambda e: text_of(e) == CRITICAL)
    details = matching(entries, lambda e: text_of(e).startswith("Middleware setup failure details: "))
    starts = new_revision_starts(entries)
    assert len(critical) == len(details) == len(starts) >= 200
    assert len({e["labels"]["instanceId"] for e in critical}) == len(critical), "a new instance each time"
    for entry in critical + details:
        assert entry["severity"] == "ERROR"
        assert "jsonPayload" in entry
    for entry in details:
        assert entry["jsonPayload"]["error"] == {
            "type": "ModuleNotFoundError", "value": MISSING, "traceback": None}
    chains = [e for e in tracebacks(entries) if revision(e) == REV_NEW]
    assert len(chains) == 3 * len(critical)
    outer = [e for e in chains if "spawn_worker" in e["textPayload"]]
    assert len(outer) == len(critical)
    assert all("    self.wsgi = self.app.wsgi()\n                ^^^^^^^^^^^^^^^\n" in e["textPayload"]
               for e in outer)
    complete = f"RuntimeError: Failed to setup middleware: {MISSING}"
    cut = [e for e in outer if not e["textPayload"].endswith(complete)]
    assert 0 < len(cut) < len(outer) / 2
    assert any(e["textPayload"].endswith("\nR") for e in cut)
    # line numbers in middleware_setup.py move mid-window; a fingerprint must not depend on them
    frame_re = re.compile(r'middleware_setup\.py", line (\d+), in configure_middleware\n')
    setup_lines = {m.group(1) for e in chains for m in frame_re.finditer(e["textPayload"])}
    assert len(setup_lines) >= 2
    assert len({e["jsonPayload"]["labels"]["line"] for e in critical}) == 2


def test_problem_2_container_exit(entries: list[dict]) -> None:
    exits = matching(entries, lambda e: text_of(e) == EXIT_3)
    assert len(exits) == len(new_revision_starts(entries))
    for entry in exits:
        assert entry["severity"] == "WARNING"
        assert entry["logName"].endswith("run.googleapis.com%2Fvarlog%2Fsystem")
        assert revision(entry) == REV_NEW


@pytest.mark.parametrize("message", [SERVICE_ID_WARNING, SENTRY_WARNING])
def test_problems_3_and_4_on_every_start(entries: list[dict], message: str) -> None:
    found = matching(entries, lambda e: text_of(e) == message)
    starts = matching(entries, lambda e: text_of(e).startswith("Starting new instance"))
    assert len(found) == len(starts) >= 200
    assert all(e["severity"] == "WARNING" and "jsonPayload" in e for e in found)
    by_revision = {rev: sum(1 for e in found if revision(e) == rev) for rev in (REV_OLD, REV_NEW)}
    assert by_revision[REV_OLD] >= 5, "present before (and independent of) the bad deploy"
    assert by_revision[REV_NEW] >= 200


def test_default_severity_lines(entries: list[dict]) -> None:
    during = matching(entries, lambda e: text_of(e) == DURING)
    gunicorn = matching(entries, lambda e: GUNICORN_RE.match(text_of(e)) is not None)
    failed = matching(entries, lambda e: text_of(e).endswith("[ERROR] Reason: Worker failed to boot."))
    critical = matching(entries, lambda e: text_of(e) == CRITICAL)
    assert len(during) == 2 * len(critical)
    assert len(failed) == len(critical)
    assert len(gunicorn) >= 9 * len(critical)
    for entry in during + gunicorn:
        assert "severity" not in entry, entry["insertId"]
    for suffix in ("[INFO] Starting gunicorn 23.0.0", "Exception in worker process", "exited with code 3",
                   "[ERROR] Shutting down: Master", "[INFO] Worker exiting (pid: "):
        assert any(suffix in text_of(e) for e in gunicorn), suffix


def test_tracebacks_carry_error_groups(entries: list[dict]) -> None:
    text_tb = tracebacks(entries)
    json_tb = matching(entries, lambda e: ((e.get("jsonPayload") or {}).get("error") or {}).get("traceback"))
    assert text_tb and 5 <= len(json_tb) <= 20
    for entry in text_tb + json_tb:
        assert entry["severity"] == "ERROR"
        groups = entry["errorGroups"]
        assert isinstance(groups, list) and len(groups) == 1
        assert re.fullmatch(r"C[A-Za-z0-9_-]{10,20}", groups[0]["id"])
    assert len({e["errorGroups"][0]["id"] for e in text_tb}) == 3
    keyerror_lines = {re.search(r'orders\.py", line (\d+)', e["jsonPayload"]["error"]["traceback"]).group(1)
                      for e in json_tb}
    assert len(keyerror_lines) == 2
    assert not matching(entries, lambda e: "errorGroups" in e and e not in text_tb and e not in json_tb)


def test_warning_or_above_volume(entries: list[dict]) -> None:
    loud = matching(entries, lambda e: e.get("severity") in WARNING_OR_ABOVE)
    assert 2_500 <= len(loud) <= 4_000


def test_requests(entries: list[dict]) -> None:
    requests = matching(entries, lambda e: e["logName"].endswith("%2Frequests"))
    assert len(requests) >= 3_000
    for entry in requests:
        http = entry["httpRequest"]
        assert {"requestMethod", "requestUrl", "status", "latency", "userAgent", "remoteIp"} <= set(http)
        assert isinstance(http["status"], int)
        assert re.fullmatch(r"\d+(\.\d{3}|\.\d{6}|\.\d{9})?s", http["latency"])
        assert http["remoteIp"].startswith(("203.0.113.", "198.51.100."))
        assert re.fullmatch(rf"projects/{PROJECT}/traces/[0-9a-f]{{32}}", entry["trace"])
        assert re.fullmatch(r"[0-9a-f]{16}", entry["spanId"])
        expected = "ERROR" if http["status"] >= 500 else "WARNING" if http["status"] >= 400 else "INFO"
        assert entry["severity"] == expected
    failed = [e for e in requests if e["httpRequest"]["status"] == 503]
    assert 50 <= len(failed) <= 400
    assert all(e["textPayload"].startswith(MALFORMED) and revision(e) == REV_NEW for e in failed)
    crashed = {e["labels"]["instanceId"] for e in entries if text_of(e) == EXIT_3}
    assert {e["labels"]["instanceId"] for e in failed} <= crashed
    assert 3 <= sum(1 for e in requests if e["httpRequest"]["status"] == 500) <= 20


def test_secret_shaped_content(entries: list[dict]) -> None:
    texts = [text_of(e) for e in entries]
    assert any("postgresql://app:S3cr3t-pass@10.0.0.5/db" in t for t in texts)
    assert any(re.search(r"Bearer eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+", t) for t in texts)
    assert any(re.search(r"[\w.]+@example\.(com|org|net)", t) for t in texts)
