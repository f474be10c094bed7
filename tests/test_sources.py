"""Sources: every input format, format detection, and bad input that must not crash or lose data.

All fixtures are synthetic (written here into tmp_path, the shape of real exports
with invented content). The real exports are read from ../shared at run time
only, and those tests skip when it is absent.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from log_gardener.model import DEPLOY, Origin, ReadStats, Severity
from log_gardener.parse.classify import classify_text
from log_gardener.sources import SourceError, detect_format, iter_entries, parse_timestamp, to_entry

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "gcp-real"
NETRA = REAL / "netra-systems_zen"
CERBERUS = REAL / "MackLatimer_Cerberus-Data-Cloud" / "error.md@b3c140d.txt"

INSTANCE = "00ab" + "c" * 60


# ------------------------------------------------------------ synthetic data


def gcloud_entry(i: int, **extra) -> dict:
    """A Cloud Run LogEntry as gcloud prints it (invented content)."""
    e = {
        "insertId": f"6500aa{i:06d}",
        "labels": {"instanceId": INSTANCE},
        "logName": "projects/demo-proj/logs/run.googleapis.com%2Fstderr",
        "receiveTimestamp": f"2026-03-01T12:00:{i % 60:02d}.500000123Z",
        "resource": {
            "labels": {
                "configuration_name": "shop-api",
                "location": "europe-west1",
                "project_id": "demo-proj",
                "revision_name": "shop-api-00010-aaa",
                "service_name": "shop-api",
            },
            "type": "cloud_run_revision",
        },
        "severity": "ERROR",
        "textPayload": f"payment step {i} failed",
        "timestamp": f"2026-03-01T12:00:{i % 60:02d}.123456Z",
    }
    e.update(extra)
    return {k: e[k] for k in sorted(e) if e[k] is not None}


def pretty_array(entries: list[dict]) -> bytes:
    return json.dumps(entries, indent=2, sort_keys=True).encode()


def jsonl(entries: list[dict]) -> bytes:
    return b"".join(json.dumps(e).encode() + b"\n" for e in entries)


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return str(path)


def read(paths: list[str] | str, fmt: str | None = None):
    stats = ReadStats()
    entries = list(iter_entries([paths] if isinstance(paths, str) else paths, stats, fmt))
    return entries, stats


def ids(entries) -> list[str | None]:
    return [e.insert_id for e in entries]


# ----------------------------------------------------------------- formats


def test_json_array_gcloud_pretty(tmp_path):
    entries = [gcloud_entry(i) for i in range(5)]
    entries[1] = gcloud_entry(
        1,
        errorGroups=[{"id": "CKXq1Ob8"}],
        httpRequest={"requestMethod": "GET", "requestUrl": "https://x.test/pay", "status": 503},
        trace="projects/demo-proj/traces/abc",
        spanId="00ff",
        sourceLocation={"file": "app/pay.py", "line": "42", "function": "pay"},
    )
    data = pretty_array(entries)
    path = write(tmp_path, "gcloud.json", data)
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries]
    assert stats.formats[path] == "json-array"
    assert (stats.read, stats.rejected) == (5, 0)
    # each origin offset points at the item's opening brace
    assert all(data[e.origin.offset : e.origin.offset + 1] == b"{" for e in got)
    assert len({e.origin.offset for e in got}) == 5
    e = got[1]
    assert e.timestamp == datetime(2026, 3, 1, 12, 0, 1, 123456, tzinfo=UTC)
    assert e.severity is Severity.ERROR and e.declared_severity is Severity.ERROR
    assert e.log_name == "run.googleapis.com/stderr"
    assert (e.resource_type, e.project, e.service, e.revision, e.location) == (
        "cloud_run_revision",
        "demo-proj",
        "shop-api",
        "shop-api-00010-aaa",
        "europe-west1",
    )
    assert e.instance == INSTANCE
    assert (e.http_status, e.http_method, e.http_url) == (503, "GET", "https://x.test/pay")
    assert e.trace == "projects/demo-proj/traces/abc"
    assert e.error_groups == ("CKXq1Ob8",)
    assert e.source_location == "app/pay.py:42"
    assert e.text == "payment step 1 failed"


def test_json_array_compact_one_line(tmp_path):
    entries = [gcloud_entry(i, errorGroups=[{"id": "g1"}, {"id": "g2"}]) for i in range(4)]
    data = json.dumps(entries).encode()
    assert b"\n" not in data
    path = write(tmp_path, "compact.json", data)
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries]
    assert stats.formats[path] == "json-array" and stats.rejected == 0
    assert all(data[e.origin.offset : e.origin.offset + 12] == b'{"errorGroup' for e in got)


def test_jsonl(tmp_path):
    entries = [gcloud_entry(i) for i in range(3)]
    path = write(tmp_path, "sink.json", jsonl(entries) + b"\n")  # a trailing blank line
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries]
    assert [e.origin.line for e in got] == [1, 2, 3]
    assert stats.formats[path] == "jsonl" and (stats.read, stats.rejected) == (3, 0)


def test_jsonl_gz_detected_by_magic_not_name(tmp_path):
    entries = [gcloud_entry(i) for i in range(20)]
    path = write(tmp_path, "12:00:00_12:59:59_S0.json", gzip.compress(jsonl(entries)))
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries]
    assert stats.formats[path] == "jsonl" and stats.rejected == 0


def test_truncated_gzip_keeps_what_was_decompressed(tmp_path):
    entries = [gcloud_entry(i, textPayload=f"line {i} " + "x" * 200) for i in range(2000)]
    blob = gzip.compress(jsonl(entries))
    path = write(tmp_path, "cut.json.gz", blob[: len(blob) // 2])
    got, stats = read(path)
    assert 0 < len(got) < 2000
    assert ids(got) == [e["insertId"] for e in entries[: len(got)]]
    assert any("truncated gzip" in r.reason for r in stats.rejects)


def test_concatenated_logs_explorer_copy(tmp_path):
    # Logs Explorer key order: payload first, not sorted
    objs = []
    for i in range(3):
        e = gcloud_entry(i)
        objs.append({"textPayload": e.pop("textPayload"), **e})
    data = b"\n\n".join(json.dumps(o, indent=2).encode() for o in objs)
    path = write(tmp_path, "copied.txt", data)
    got, stats = read(path)
    assert ids(got) == [o["insertId"] for o in objs]
    assert stats.formats[path] == "concatenated" and stats.rejected == 0
    assert got[0].origin.offset == 0


def test_document_with_camel_case_list(tmp_path):
    entries = [gcloud_entry(i) for i in range(3)]
    entries[2] = gcloud_entry(
        2,
        textPayload=None,
        severity="NOTICE",
        jsonPayload={
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "methodName": "google.cloud.run.v1.Services.ReplaceService",
            "resourceName": "namespaces/demo-proj/services/shop-api",
            "authorizationInfo": [{"permission": "run.services.update", "granted": True}],
        },
    )
    doc = {
        "fetch_time": "2026-03-01T12:05:00",
        "timezone_analysis": {"status": "detected", "is_utc": True},
        "total_logs": 3,
        "logs_by_severity": {"ERROR": 2, "NOTICE": 1},  # counts, not lists: ignored
        "raw_logs": entries,
    }
    path = write(tmp_path, "collector.json", json.dumps(doc, indent=2).encode())
    got, stats = read(path)
    assert stats.formats[path] == "document"
    assert ids(got) == [e["insertId"] for e in entries]
    assert (stats.read, stats.rejected) == (3, 0)
    # an audit entry that reports no error is a deploy marker, shown by what it did
    assert got[2].text == "ReplaceService shop-api"
    assert got[2].severity is Severity.NOTICE and got[2].kind == DEPLOY


def snake_entry(i: int, severity: str, **payload) -> dict:
    return {
        "timestamp": f"2026-03-01T12:00:{i:02d}.250000+00:00",
        "severity": severity,
        "insert_id": f"snake{i:04d}",
        "resource": {
            "type": "cloud_run_revision",
            "labels": {"service_name": "shop-api", "revision_name": ""},
        },
        "labels": {"instanceId": INSTANCE},
        "trace": None,
        "span_id": None,
        **payload,
    }


def test_document_with_snake_case_dict_of_lists(tmp_path):
    err = snake_entry(
        1,
        "ERROR",
        json_payload={
            "message": "startup failed: database timeout",
            "error": {"type": "StartupError", "value": "database timeout after 25s", "traceback": None},
            "labels": {"module": "shop.startup", "line": "118", "function": "boot"},
        },
        raw_payload="{'message': '...'}",
    )
    warn = snake_entry(2, "WARNING", text_payload="cache disabled")
    req = snake_entry(
        3,
        "ERROR",
        text_payload="The request failed because the instance could not start.",
        http_request={"method": "GET", "url": "https://x.test/health", "status": 503},
        span_id="0a1b",
        trace="projects/demo-proj/traces/t1",
    )
    doc = {
        "collection_time": "2026-03-01T12:05:00",
        "logs_by_severity": {"ERROR": [err, req], "WARNING": [warn]},
        "summary": {"total_logs": 3, "counts_by_severity": {"ERROR": 2, "WARNING": 1}},
    }
    path = write(tmp_path, "collector2.json", json.dumps(doc, indent=2).encode())
    got, stats = read(path)
    assert stats.formats[path] == "document"
    assert ids(got) == ["snake0001", "snake0003", "snake0002"]
    assert stats.rejected == 0
    e = got[0]
    assert e.text == "startup failed: database timeout"
    assert (e.error_type, e.error_value) == ("StartupError", "database timeout after 25s")
    assert e.source_location == "shop.startup:118"
    assert e.revision is None  # empty revision_name
    assert e.timestamp == datetime(2026, 3, 1, 12, 0, 1, 250000, tzinfo=UTC)
    r = got[1]
    assert (r.http_status, r.http_method, r.http_url) == (503, "GET", "https://x.test/health")
    assert r.trace == "projects/demo-proj/traces/t1"
    assert got[2].text == "cache disabled" and got[2].severity is Severity.WARNING


def test_document_entries_nested_deep_inside_containers(tmp_path):
    doc = {
        "groups": [
            {"name": "a", "sample": [gcloud_entry(0), gcloud_entry(1)], "counts": [{"n": 1}]},
            {"name": "b", "more": {"sample": [gcloud_entry(2)]}},
        ],
        "stats": [{"k": "v"}],
    }
    path = write(tmp_path, "nested.json", json.dumps(doc).encode())
    got, stats = read(path)
    assert stats.formats[path] == "document"
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in range(3)]
    assert stats.rejected == 0


def test_text_lines(tmp_path):
    data = (
        b"[2026-03-01 12:00:00 +0000] [7] [INFO] Booting worker with pid: 7\n"
        b"\n"
        b"[2026-03-01 12:00:01 +0000] [7] [ERROR] Exception in worker process\r\n"
        b"WARNING:  connection pool is full\n"
        b"plain message\n"
    )
    path = write(tmp_path, "app.log", data)
    got, stats = read(path)
    assert stats.formats[path] == "text"
    assert [e.text for e in got] == [
        "[2026-03-01 12:00:00 +0000] [7] [INFO] Booting worker with pid: 7",
        "[2026-03-01 12:00:01 +0000] [7] [ERROR] Exception in worker process",
        "WARNING:  connection pool is full",
        "plain message",
    ]
    assert [e.severity for e in got] == [Severity.INFO, Severity.ERROR, Severity.WARNING, Severity.DEFAULT]
    assert [e.origin.line for e in got] == [1, 3, 4, 5]
    assert all(e.timestamp is None and e.insert_id is None and e.declared_severity is None for e in got)
    assert stats.read == 4


class _FakeStdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_stdin_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", _FakeStdin(jsonl([gcloud_entry(i) for i in range(3)])))
    got, stats = read("-")
    assert len(got) == 3 and all(e.origin.source == "<stdin>" for e in got)
    assert stats.formats["<stdin>"] == "jsonl"


def test_stdin_pretty_array_larger_than_detection_window(monkeypatch):
    entries = [gcloud_entry(i, textPayload="y" * 500) for i in range(400)]  # ~400 KB
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pretty_array(entries))))
    got, stats = read("-")
    assert ids(got) == [e["insertId"] for e in entries]
    assert stats.formats["<stdin>"] == "json-array" and stats.rejected == 0


def test_directory_recursive_sorted_skipping_hidden(tmp_path):
    root = tmp_path / "logs"
    write(root, "b/2.jsonl", jsonl([gcloud_entry(2)]))
    write(root, "a.json", pretty_array([gcloud_entry(1)]))
    write(root, "b/10.jsonl", jsonl([gcloud_entry(10)]))
    write(root, ".hidden.json", jsonl([gcloud_entry(99)]))
    write(root, ".git/objects.json", jsonl([gcloud_entry(98)]))
    got, stats = read(str(root))
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in (1, 10, 2)]  # sorted by path
    assert sorted(Path(p).name for p in stats.formats) == ["10.jsonl", "2.jsonl", "a.json"]


def test_format_override(tmp_path):
    path = write(tmp_path, "x.jsonl", jsonl([gcloud_entry(0), gcloud_entry(1)]))
    got, stats = read(path, fmt="text")
    assert stats.formats[path] == "text"
    assert len(got) == 2 and got[0].text.startswith('{"insertId"') and got[0].insert_id is None
    # a log line that starts with "[" is text, unless forced
    log = write(tmp_path, "g.log", b"[2026-03-01 12:00:00 +0000] [1] [INFO] Starting gunicorn\n")
    assert read(log)[1].formats[log] == "text"
    got, forced = read(log, fmt="json-array")
    assert got == [] and forced.formats[log] == "json-array"
    assert forced.rejects and forced.read == forced.rejected  # counted, never taken for entries
    assert all(r.reason.startswith(("not a JSON object (int)", "malformed JSON")) for r in forced.rejects)
    with pytest.raises(SourceError, match="unknown format"):
        read(path, fmt="yaml")


def test_detect_format_shapes():
    assert detect_format(b"  [\n  {", False) == "json-array"
    assert detect_format(b"[]", True) == "json-array"
    assert detect_format(b"[2026-03-01 12:00:00] [1] [INFO] x\n", True) == "text"
    assert detect_format(b'{"textPayload": "a", "timestamp": "t"}\n{"textPayload": "b"}\n', True) == "jsonl"
    assert detect_format(b'{\n  "textPayload": "a",\n  "insertId": "x"\n}\n\n{\n', True) == "concatenated"
    assert detect_format(b'{\n  "raw_logs": [\n    {\n      "textPayload": "a"\n', False) == "document"
    assert detect_format(b'{"logs": [{"textPayload": "a"}]}', True) == "document"
    assert detect_format(b"{curly} text\n", True) == "text"
    assert detect_format(b"  \n\t ", True) is None


# ------------------------------------------------------------------ bad input


def test_jsonl_bad_lines_are_rejected_with_line_numbers(tmp_path):
    lines = [
        json.dumps(gcloud_entry(0)).encode(),
        b'{"insertId": "broken", "textPayload": "x',  # truncated
        b"[1, 2, 3]",  # not an object
        b'{"foo": "bar"}',  # not LogEntry-like
        b"not json at all",
        json.dumps(gcloud_entry(5)).encode(),
    ]
    path = write(tmp_path, "bad.jsonl", b"\n".join(lines) + b"\n")
    got, stats = read(path)
    assert ids(got) == [gcloud_entry(0)["insertId"], gcloud_entry(5)["insertId"]]
    assert [(r.origin.line, r.origin.source) for r in stats.rejects] == [(n, path) for n in (2, 3, 4, 5)]
    assert stats.rejects[0].reason == "malformed JSON (truncated)"
    assert "not a JSON object" in stats.rejects[1].reason
    assert "not a log entry" in stats.rejects[2].reason
    assert (stats.read, stats.rejected) == (6, 4)


def test_truncated_array_keeps_entries_before(tmp_path):
    entries = [gcloud_entry(i) for i in range(6)]
    data = pretty_array(entries)
    cut = data.index(b'"6500aa000003"')
    start3 = data.rfind(b"\n  {", 0, cut) + 3
    path = write(tmp_path, "cut.json", data[:cut])
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries[:3]]
    assert len(stats.rejects) == 1
    assert stats.rejects[0].origin.offset == start3
    assert stats.rejects[0].reason == "malformed JSON (truncated)"


def test_truncated_compact_array_keeps_entries_before(tmp_path):
    entries = [gcloud_entry(i) for i in range(6)]
    data = json.dumps(entries).encode()
    cut = data.index(b'"6500aa000004"')
    path = write(tmp_path, "cut.json", data[:cut])
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries[:4]]
    assert len(stats.rejects) == 1 and stats.rejects[0].reason == "malformed JSON (truncated)"
    assert data[stats.rejects[0].origin.offset :].startswith(b'{"insertId": "6500aa000004"')


@pytest.mark.parametrize(
    "damage",
    ["garbage", "cut_after_colon", "cut_in_nested_list", "missing_brace"],
)
def test_malformed_object_in_pretty_array_recovers_entries_after(tmp_path, damage):
    entries = [gcloud_entry(i, errorGroups=[{"id": "g"}]) for i in range(6)]
    data = pretty_array(entries)
    start = data.rfind(b"\n  {", 0, data.index(b'"6500aa000002"')) + 3
    end = data.index(b"\n  {", start)
    item = data[start:end]
    if damage == "garbage":
        bad = item.replace(b'"severity": "ERROR"', b'"severity": ERROR oops')
    elif damage == "cut_after_colon":
        bad = item[: item.index(b'"insertId":') + 11]
    elif damage == "cut_in_nested_list":
        bad = item[: item.index(b'"errorGroups": [') + 16]
    else:
        bad = item[: item.rindex(b"}")] + b","
    path = write(tmp_path, "damaged.json", data[:start] + bad + data[end:])
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for i, e in enumerate(entries) if i != 2]
    assert len(stats.rejects) == 1
    assert stats.rejects[0].origin.offset == start
    assert stats.rejects[0].reason.startswith("malformed JSON")
    assert (stats.read, stats.rejected) == (6, 1)


def test_pretty_array_salvages_invalid_utf8_and_missing_comma(tmp_path):
    entries = [gcloud_entry(i) for i in range(4)]
    data = pretty_array(entries)
    data = data.replace(b"payment step 1 failed", b"payment step 1 \xff failed")
    end0 = data.index(b"},\n  {")
    data = data[: end0 + 1] + data[end0 + 2 :]  # no comma after the first item
    path = write(tmp_path, "salvage.json", data)
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries]
    assert got[1].text == "payment step 1 \ufffd failed"
    assert stats.rejected == 0


def test_concatenated_with_broken_object_recovers(tmp_path):
    objs = [gcloud_entry(i) for i in range(4)]
    parts = [json.dumps(o, indent=2).encode() for o in objs]
    parts[1] = parts[1][: len(parts[1]) // 2]  # cut in the middle
    path = write(tmp_path, "copy.txt", b"\n\n".join(parts))
    got, stats = read(path)
    assert ids(got) == [objs[i]["insertId"] for i in (0, 2, 3)]
    assert len(stats.rejects) == 1 and stats.rejects[0].origin.offset == len(parts[0]) + 2


def _collector_doc() -> bytes:
    errs = [snake_entry(i, "ERROR", text_payload=f"e{i}", http_request={"status": 503}) for i in range(4)]
    warns = [
        snake_entry(10 + i, "WARNING", json_payload={"message": f"w{i}", "labels": {"a": [{"x": 1}]}})
        for i in range(3)
    ]
    doc = {
        "collection_time": "2026-03-01T12:05:00",
        "logs_by_severity": {"ERROR": errs, "WARNING": warns},
        "summary": {"total": 7, "top": [{"k": 1}]},
    }
    return json.dumps(doc, indent=2).encode()


ALL_SNAKE = [f"snake{i:04d}" for i in (0, 1, 2, 3, 10, 11, 12)]


@pytest.mark.parametrize("broken", ["snake0001", "snake0003", "snake0010", "snake0012"])
def test_document_with_broken_entry_resumes_at_next_entry(tmp_path, broken):
    data = _collector_doc()
    i = data.index(f'"{broken}"'.encode())
    start = data.rfind(b"\n      {", 0, i) + 7
    path = write(tmp_path, "doc.json", data[:i] + f'"{broken}" oops'.encode() + data[i + 11 :])
    got, stats = read(path)
    assert ids(got) == [x for x in ALL_SNAKE if x != broken]
    assert [r.origin.offset for r in stats.rejects] == [start]  # no reject for the summary list
    assert stats.rejects[0].reason.startswith("malformed JSON")
    assert (stats.read, stats.rejected) == (7, 1)


def test_document_truncated_and_invalid_utf8(tmp_path):
    data = _collector_doc()
    path = write(tmp_path, "cut.json", data[: data.index(b'"snake0011"')])
    got, stats = read(path)
    assert ids(got) == ALL_SNAKE[:5]
    assert [r.reason for r in stats.rejects] == ["malformed JSON (truncated)"]
    i = data.index(b'"w1"')
    path = write(tmp_path, "utf8.json", data[:i] + b'"w1\xff"' + data[i + 4 :])
    got, stats = read(path)
    assert ids(got) == ALL_SNAKE and stats.rejected == 0
    assert got[5].text == "w1\ufffd"


def test_small_documents_back_to_back_or_one_per_line(tmp_path):
    data = _collector_doc()
    got, stats = read(write(tmp_path, "two.json", data + b"\n" + data))
    assert ids(got) == ALL_SNAKE * 2 and stats.rejected == 0
    compact = json.dumps(json.loads(data)).encode()
    got, stats = read(write(tmp_path, "two.jsonl", compact + b"\n" + compact + b"\n"))
    assert ids(got) == ALL_SNAKE * 2 and stats.rejected == 0


def test_document_with_broken_container_resumes_at_entry_indentation(tmp_path):
    doc = {
        "groups": [
            {"name": "a", "sample": [gcloud_entry(i) for i in range(3)]},
            {"name": "b", "sample": [gcloud_entry(i) for i in range(3, 6)]},
        ],
        "tail": {"x": [{"y": 1}]},
    }
    data = json.dumps(doc, indent=2).encode()
    i = data.index(b'"name": "b"')
    path = write(tmp_path, "groups.json", data[:i] + b"oops" + data[i:])
    got, stats = read(path)
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in range(6)]
    assert len(stats.rejects) == 1 and stats.rejects[0].origin.offset == data.rfind(b"{", 0, i)


def test_first_entry_of_document_broken(tmp_path):
    data = _collector_doc()
    i = data.index(b'"snake0000"')
    path = write(tmp_path, "first.json", data[:i] + b"}" + data[i:])
    got, stats = read(path)
    assert ids(got) == ALL_SNAKE[1:]
    assert len(stats.rejects) == 1


def test_byte_order_mark_and_interleaved_warning_lines(tmp_path):
    entries = [gcloud_entry(i) for i in range(4)]
    data = pretty_array(entries)
    second = data.index(b"\n  {", data.index(b'"6500aa000001"'))
    noisy = b"\xef\xbb\xbf" + data[:second] + b"\nWARNING: gcloud printed this to stdout" + data[second:]
    got, stats = read(write(tmp_path, "noisy.json", noisy))
    assert ids(got) == [e["insertId"] for e in entries] and stats.rejected == 0
    got, stats = read(write(tmp_path, "bom.jsonl", b"\xef\xbb\xbf" + jsonl(entries)))
    assert ids(got) == [e["insertId"] for e in entries] and stats.rejected == 0


def test_damaged_opening_line_rejects_the_stray_text_only(tmp_path):
    entries = [gcloud_entry(i) for i in range(4)]
    data = pretty_array(entries)
    start2 = data.rindex(b"\n  {", 0, data.index(b'"6500aa000002"'))
    path = write(tmp_path, "line.json", data[: start2 + 1] + b"x" + data[start2 + 1 :])  # "x  {"
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in entries]
    assert [(r.origin.offset, r.reason) for r in stats.rejects] == [
        (start2 + 1, "malformed JSON (unexpected text between items)")
    ]


def test_gzip_magic_on_plain_data_is_read_as_is(tmp_path):
    got, stats = read(write(tmp_path, "odd.log", b"\x1f\x8b not really gzip\nsecond line\n"))
    assert [e.text for e in got] == ["\x1f\ufffd not really gzip", "second line"]
    assert stats.rejected == 0


def test_entries_with_missing_fields_and_wrong_types_are_kept(tmp_path):
    odd = [
        {"timestamp": "2026-03-01T12:00:00Z", "severity": 42.5, "textPayload": "odd severity"},
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "insertId": "a2",
            "textPayload": ["not", "a", "string"],
            "jsonPayload": {"message": "from jsonPayload"},
            "resource": "cloud_run_revision",
            "labels": ["x"],
            "httpRequest": {"status": "404", "requestMethod": 7},
            "errorGroups": "nope",
            "sourceLocation": "file.py",
        },
        {"insertId": "a3", "textPayload": "no timestamp, no receiveTimestamp"},
        {"timestamp": "2026-03-01T12:00:00Z", "severity": "WARN", "jsonPayload": {"count": 3, "ok": False}},
        {"insertId": "a5", "timestamp": "2026-03-01T12:00:00Z", "severity": "INFO"},  # nothing usable
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "severity": 450,
            "protoPayload": {"status": {"message": "denied"}},
        },
    ]
    path = write(tmp_path, "odd.jsonl", jsonl(odd))
    got, stats = read(path)
    assert [e.text for e in got] == [
        "odd severity",
        "from jsonPayload",
        "no timestamp, no receiveTimestamp",
        '{"count":3,"ok":false}',
        "denied",
    ]
    assert got[0].severity is Severity.DEFAULT and got[0].declared_severity is None
    assert got[1].http_status == 404 and got[1].http_method is None and got[1].resource_type is None
    assert got[1].error_groups == () and got[1].instance is None
    assert got[2].timestamp is None
    assert got[3].severity is Severity.WARNING
    assert got[4].severity is Severity.WARNING  # numeric 450 rounds down to WARNING
    assert [(r.origin.line, r.reason) for r in stats.rejects] == [(5, "no text and no payload")]


def test_unparseable_timestamp_rejected_unless_receive_timestamp_parses(tmp_path):
    long_bad = "yesterday at noon, more or less, give or take a few minutes"
    rows = [
        gcloud_entry(0, timestamp=long_bad, receiveTimestamp=None),
        gcloud_entry(1, timestamp="2026-13-45T99:00:00Z", receiveTimestamp="2026-03-01T12:00:09.5Z"),
        gcloud_entry(2, timestamp=None, receiveTimestamp="2026-03-01T12:00:07Z"),
        gcloud_entry(3, timestamp=None, receiveTimestamp=None),
    ]
    path = write(tmp_path, "ts.jsonl", jsonl(rows))
    got, stats = read(path)
    assert [r.reason for r in stats.rejects] == [f"unparseable timestamp {long_bad[:40]!r}"]
    assert stats.rejects[0].origin.line == 1
    assert ids(got) == [rows[i]["insertId"] for i in (1, 2, 3)]
    assert got[0].timestamp == datetime(2026, 3, 1, 12, 0, 9, 500000, tzinfo=UTC)
    assert got[1].timestamp == datetime(2026, 3, 1, 12, 0, 7, tzinfo=UTC)
    assert got[2].timestamp is None


def test_binary_garbage_file_is_one_reject(tmp_path):
    import random

    rnd = random.Random(7)
    path = write(tmp_path, "core.dump", bytes(rnd.randrange(256) for _ in range(20000)))
    got, stats = read(path)
    assert got == []
    assert [(r.origin.source, r.reason) for r in stats.rejects] == [(path, "binary file, not log data")]
    assert stats.formats[path] == "binary"
    nul = write(tmp_path, "nul.log", b"hello\x00world\n" * 10)
    assert read(nul)[1].rejects[0].reason == "binary file, not log data"
    # one stray NUL in a log file does not make it binary
    stray = write(
        tmp_path, "stray.jsonl", jsonl([gcloud_entry(i) for i in range(5)]).replace(b"step 2", b"step\x002")
    )
    assert len(read(stray)[0]) == 5
    # forced: read anyway, decoded with replacement
    forced, fstats = read(path, fmt="text")
    assert forced and fstats.rejected == 0


def test_invalid_utf8_in_text_is_replaced(tmp_path):
    path = write(tmp_path, "latin1.log", "café crashed\n".encode("latin-1") + b"ok line\n")
    got, stats = read(path)
    assert stats.formats[path] == "text"
    assert [e.text for e in got] == ["caf\ufffd crashed", "ok line"]


def test_fifty_megabyte_lines(tmp_path):
    big = 50 * 1024 * 1024
    entry = gcloud_entry(0, textPayload="A" * big)
    data = (
        json.dumps(entry).encode() + b"\n" + b"{" + b"x" * big + b"\n" + json.dumps(gcloud_entry(2)).encode()
    )
    path = write(tmp_path, "big.jsonl", data)
    got, stats = read(path)
    assert len(got) == 2 and len(got[0].text) == big
    assert [r.origin.line for r in stats.rejects] == [2]
    # the same entry inside a one-line JSON array and a one-line document
    for name, blob in (("big.json", [entry, gcloud_entry(1)]), ("bigdoc.json", {"raw_logs": [entry]})):
        got, stats = read(write(tmp_path, name, json.dumps(blob).encode()))
        assert len(got[0].text) == big and stats.rejected == 0
    del got, data, entry

    text_path = write(tmp_path, "big.log", b"start\n" + "é".encode() * (big // 2) + b"\nend\n")
    got, stats = read(text_path)
    assert [e.origin.line for e in got] == [1, 2, 3]
    long = got[1].text
    kept, _, note = long.partition(" …[truncated ")
    assert len(kept.encode()) <= 64 * 1024 and set(kept) == {"é"}
    assert note == f"{big - len(kept.encode())} bytes]"
    assert got[2].text == "end"


def test_empty_and_blank_files(tmp_path):
    for name, data in (("empty.json", b""), ("blank.log", b"\n \n\t\n")):
        path = write(tmp_path, name, data)
        got, stats = read(path)
        assert got == [] and stats.rejected == 0 and stats.read == 0


def test_missing_path_raises_source_error(tmp_path):
    ok = write(tmp_path, "ok.jsonl", jsonl([gcloud_entry(0)]))
    missing = str(tmp_path / "nope.json")
    with pytest.raises(SourceError) as err:
        read([ok, missing])
    assert str(err.value) == f"{missing}: no such file or directory"


def test_duplicates_are_kept(tmp_path):
    e = gcloud_entry(0)
    path = write(tmp_path, "dup.jsonl", jsonl([e, e]))
    got, stats = read(path)
    assert ids(got) == [e["insertId"], e["insertId"]] and stats.duplicates == 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(min_value=0, max_value=4000),
    noise=st.binary(max_size=40),
    fmt=st.sampled_from([None, "json-array", "concatenated", "document", "jsonl"]),
)
def test_damaged_input_never_crashes_and_never_loses_earlier_entries(tmp_path, cut, noise, fmt):
    entries = [gcloud_entry(i) for i in range(6)]
    data = pretty_array(entries)
    damaged = data[:cut] + noise + data[cut:]
    path = write(tmp_path, "fuzz.json", damaged)
    got, stats = read(path, fmt)
    file_level = sum(r.reason.startswith(("binary file", "read error")) for r in stats.rejects)
    assert stats.read == len(got) + stats.rejected - file_level
    if fmt is None and stats.formats[path] == "json-array":
        # every entry that ends before the damage is read, and so is every one starting after it
        ends = [data.index(b"\n  }", data.index(e["insertId"].encode())) + 4 for e in entries]
        starts = [data.rindex(b"\n  {", 0, data.index(e["insertId"].encode())) for e in entries]
        before = [e["insertId"] for e, end in zip(entries, ends, strict=True) if end < cut]
        after = [e["insertId"] for e, start in zip(entries, starts, strict=True) if start > cut]
        assert ids(got)[: len(before)] == before
        assert set(after) <= set(ids(got))


# ------------------------------------------------------ normalisation details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T12:00:00.123Z", datetime(2026, 3, 1, 12, 0, 0, 123000, tzinfo=UTC)),
        ("2026-03-01T12:00:00.123456Z", datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-03-01T12:00:00.123456789Z", datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-03-01T12:00:00.1234567Z", datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-03-01T12:00:00Z", datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)),
        ("2026-03-01T12:00:00.5+00:00", datetime(2026, 3, 1, 12, 0, 0, 500000, tzinfo=UTC)),
        ("2026-03-01T14:00:00.123456789+02:00", datetime(2026, 3, 1, 12, 0, 0, 123456, tzinfo=UTC)),
        ("2026-03-01T07:30:00-04:30", datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)),
        ("2026-03-01t12:00:00.25z", datetime(2026, 3, 1, 12, 0, 0, 250000, tzinfo=UTC)),
        ("2026-03-01 12:00:00,5 UTC", datetime(2026, 3, 1, 12, 0, 0, 500000, tzinfo=UTC)),
        (1772366400, datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)),
        (1772366400500, datetime(2026, 3, 1, 12, 0, 0, 500000, tzinfo=UTC)),
        ({"seconds": 1772366400, "nanos": 250000000}, datetime(2026, 3, 1, 12, 0, 0, 250000, tzinfo=UTC)),
        ({"seconds": "1772366400"}, datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)),
        ("not a time", None),
        ("2026-02-30T12:00:00Z", None),
        ([2026], None),
        (True, None),
    ],
)
def test_parse_timestamp(text, expected):
    got = parse_timestamp(text)
    assert got == expected
    if got is not None:
        assert got.tzinfo is UTC or got.utcoffset() == timedelta(0)


def test_timestamps_compare_as_instants_not_strings():
    a = parse_timestamp("2026-03-01T12:00:00.9Z")
    b = parse_timestamp("2026-03-01T13:00:00.1+01:00")  # 12:00:00.1 UTC, string-greater
    assert b < a
    assert parse_timestamp("2026-03-01T12:00:00+00:00").tzinfo is UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[2026-03-01 12:00:00 +0000] [11] [ERROR] Reason: Worker failed to boot.", Severity.ERROR),
        ("[2026-03-01 12:00:00 +0000] [11] [CRITICAL] WORKER TIMEOUT (pid:12)", Severity.CRITICAL),
        ("[2026-03-01 12:00:00 +0000] [11] [WARNING] Worker graceful timeout", Severity.WARNING),
        ("[2026-03-01 12:00:00 +0000] [11] [INFO] Booting worker with pid: 12", Severity.INFO),
        ("ERROR:    Exception in ASGI application", Severity.ERROR),
        ("CRITICAL: out of memory", Severity.CRITICAL),
        ("WARNING:  Invalid HTTP request received.", Severity.WARNING),
        ('Traceback (most recent call last):\n  File "app.py", line 1, in <module>', Severity.ERROR),
        ("During handling of the above exception, another exception occurred:", Severity.ERROR),
        ("The above exception was the direct cause of the following exception:", Severity.ERROR),
        ("java.lang.IllegalStateException: boom\n\tat com.shop.Pay.run(Pay.java:10)", Severity.ERROR),
        ('Exception in thread "main" java.lang.NullPointerException', Severity.ERROR),
        ("panic: runtime error: index out of range\n\ngoroutine 1 [running]:", Severity.CRITICAL),
        ("PHP Fatal error:  Uncaught Error: Call to undefined function", Severity.CRITICAL),
        ("ModuleNotFoundError: No module named 'shop.monitoring'", Severity.ERROR),
        ("Backend Service: Running in staging - skipping .env file loading", Severity.DEFAULT),
        ("listening on port 8080", Severity.DEFAULT),
        ("", Severity.DEFAULT),
    ],
)
def test_classify_text(text, expected):
    assert classify_text(text) is expected


def test_default_severity_entries_are_classified_but_declared_stays_none():
    origin = Origin("x")
    boot = to_entry(
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "textPayload": "[2026-03-01 12:00:00 +0000] [11] [ERROR] Worker failed",
        },
        origin,
    )
    info = to_entry(
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "textPayload": "[2026-03-01 12:00:00 +0000] [11] [INFO] Booting",
        },
        origin,
    )
    declared_info = to_entry(
        {"timestamp": "2026-03-01T12:00:00Z", "severity": "INFO", "textPayload": "[ERROR] in an INFO entry"},
        origin,
    )
    assert (boot.severity, boot.declared_severity) == (Severity.ERROR, None)
    assert (info.severity, info.declared_severity) == (Severity.INFO, None)
    assert boot.severity_reason == "level tag ERROR in the line prefix"
    assert declared_info.severity is Severity.INFO  # a declared severity is never overridden


def test_double_escaped_traceback_is_unescaped():
    escaped = (
        "Traceback (most recent call last):\\n"
        '  File \\"/app/shop/db.py\\", line 12, in connect\\n'
        "    await pool.open()\\n"
        "TimeoutError"
    )
    e = to_entry(
        {
            "timestamp": "2026-03-01T12:00:00+00:00",
            "severity": "ERROR",
            "jsonPayload": {"message": escaped, "error": {"type": "TimeoutError", "traceback": escaped}},
        },
        Origin("x"),
    )
    assert e.text.splitlines() == [
        "Traceback (most recent call last):",
        '  File "/app/shop/db.py", line 12, in connect',
        "    await pool.open()",
        "TimeoutError",
    ]
    assert e.stack == e.text
    assert e.error_type == "TimeoutError" and e.error_value is None
    # a literal \n that is not a traceback is left alone
    plain = to_entry({"timestamp": "2026-03-01T12:00:00Z", "textPayload": "path C:\\new\\table"}, Origin("x"))
    assert plain.text == "path C:\\new\\table"


def test_json_payload_fields():
    e = to_entry(
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "severity": "ERROR",
            "logName": "projects/p/logs/run.googleapis.com%2Fvarlog%2Fsystem",
            "labels": {"instance_id": "i-1"},
            "jsonPayload": {
                "message": "import failed",
                "logger": "shop.boot",
                "error": {"type": "ModuleNotFoundError", "value": "No module named 'x'", "traceback": None},
                "stack_trace": "Traceback (most recent call last):\n  File ...",
                "labels": {"module": "logging", "line": "978"},
            },
        },
        Origin("x"),
    )
    assert e.log_name == "run.googleapis.com/varlog/system"
    assert e.instance == "i-1"
    assert e.logger == "shop.boot"
    assert (e.error_type, e.error_value) == ("ModuleNotFoundError", "No module named 'x'")
    assert e.stack.startswith("Traceback")
    assert e.source_location is None  # module "logging" is the logging library, not a place


def test_placeholder_error_shape_is_ignored():
    e = to_entry(
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "severity": "INFO",
            "jsonPayload": {
                "message": "loaded",
                "name": "shop.ws",
                "error": {"type": "str", "message": "Missing field", "traceback": "", "severity": "ERROR"},
            },
        },
        Origin("x"),
    )
    assert (e.error_type, e.error_value, e.stack) == (None, None, None)
    assert e.logger == "shop.ws"


def test_request_log_without_payload_gets_a_text():
    e = to_entry(
        {
            "timestamp": "2026-03-01T12:00:00Z",
            "severity": "ERROR",
            "insertId": "r1",
            "httpRequest": {"requestMethod": "POST", "requestUrl": "https://x.test/pay", "status": 500},
        },
        Origin("x"),
    )
    assert e.text == "POST https://x.test/pay 500" and e.http_status == 500


# -------------------------------------------------------------- real exports


def _real(path: Path) -> Path:
    if not path.exists():
        pytest.skip("../shared is absent: real-export checks skipped")
    return path


def test_real_gcloud_array():
    path = str(_real(NETRA / "gcp_logs_last_hour_20250915_175001.json"))
    got, stats = read(path)
    assert len(got) == 1000 and stats.rejected == 0 and stats.formats[path] == "json-array"
    assert sum(e.declared_severity is Severity.ERROR for e in got) == 75
    boot = [e for e in got if "Worker failed to boot" in e.text]
    assert boot and all(e.declared_severity is None and e.severity is Severity.ERROR for e in boot)
    during = [e for e in got if e.text.startswith("During handling of the above exception")]
    assert during and all(e.severity is Severity.ERROR for e in during)
    info = [e for e in got if e.declared_severity is None and "] [INFO] " in e.text]
    assert info and all(e.severity is Severity.INFO for e in info)
    assert all(e.timestamp is not None and e.timestamp.tzinfo is not None for e in got)
    assert {e.log_name for e in got} >= {"run.googleapis.com/stderr", "run.googleapis.com/varlog/system"}


def test_real_collector_document_camel_case():
    path = str(_real(NETRA / "gcp_backend_logs_1hour_20250915_130325.json"))
    got, stats = read(path)
    assert len(got) == 106 and stats.rejected == 0 and stats.formats[path] == "document"
    assert any(e.http_status == 503 for e in got)


def test_real_collector_document_snake_case():
    path = str(_real(NETRA / "gcp_backend_logs_last_1hour_20250915_143747.json"))
    got, stats = read(path)
    assert len(got) == 163 and stats.rejected == 0 and stats.formats[path] == "document"
    tracebacks = [e for e in got if e.text.startswith("Traceback (most recent call last):")]
    assert tracebacks and all("\n  File " in e.text and "\\n" not in e.text for e in tracebacks)


def test_real_logs_explorer_copy():
    path = str(_real(CERBERUS))
    got, stats = read(path)
    assert len(got) == 31 and stats.rejected == 0 and stats.formats[path] == "concatenated"
    assert all(e.declared_severity is None for e in got)


# ------------------------------------------- nothing readable lost, nothing lost silently


@pytest.mark.parametrize(
    ("items", "rejected"),
    [
        ([1, "E0", "E1"], 1),  # a scalar before the entries
        (["export v1", "E0", "E1"], 1),
        ([["E0", "E1"], ["E2"]], 0),  # pages of entries
        ([[["E0"]], "E1", [], [2, "E2"]], 2),  # an empty page is an item that is no entry
    ],
)
@pytest.mark.parametrize("indent", [None, 2])
def test_arrays_whose_first_item_is_not_an_object_are_read(tmp_path, items, rejected, indent):
    def fill(value):
        if isinstance(value, list):
            return [fill(v) for v in value]
        return gcloud_entry(int(value[1:])) if isinstance(value, str) and value.startswith("E") else value

    data = json.dumps(fill(items), indent=indent).encode()
    path = write(tmp_path, "export.json", data)
    got, stats = read(path)
    want = sorted(int(v[1:]) for v in json.dumps(items).replace('"', " ").split() if v.startswith("E"))
    assert stats.formats[path] == "json-array"
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in want]
    assert stats.rejected == rejected and stats.read == len(want) + rejected
    assert all("not a JSON object" in r.reason for r in stats.rejects)


@pytest.mark.parametrize("line", [b"[2026-11-29 12:00:01] ERROR db down", b"[INFO] started", b'["a", "b"] listed',
                                  b"[1] retry"])
def test_text_lines_that_start_with_a_bracket_stay_text(line):
    assert detect_format(line + b"\n" + line + b"\n", True) == "text"


def test_entries_before_a_corrupt_gzip_member_are_kept(tmp_path):
    good = [gcloud_entry(i) for i in range(100)]
    member = gzip.compress(jsonl(good))
    broken = bytearray(gzip.compress(jsonl([gcloud_entry(i) for i in range(100, 200)])))
    broken[12:40] = b"\xff" * 28  # the second member's data is garbage from its start
    path = write(tmp_path, "sink.json.gz", member + bytes(broken))
    got, stats = read(path)
    assert ids(got)[:100] == [e["insertId"] for e in good]
    assert any("corrupt gzip" in r.reason for r in stats.rejects)
    assert stats.read == len(got) + stats.rejected


def test_entries_just_before_a_fault_in_one_member_are_kept(tmp_path):
    # GzipFile.read drops what one read decompressed when it then fails: all the last 64 KiB
    entries = [gcloud_entry(i) for i in range(60)]
    data = jsonl(entries)
    blob = gzip.compress(data)
    got, stats = read(write(tmp_path, "cut.json.gz", blob[:-12]))  # deflate data cut, trailer gone
    assert ids(got) == [e["insertId"] for e in entries[: len(got)]]
    assert len(got) >= 55
    assert stats.read == len(got) + stats.rejected


def test_members_back_to_back_and_zero_padding(tmp_path):
    a, b = [gcloud_entry(i) for i in range(3)], [gcloud_entry(i) for i in range(3, 6)]
    path = write(tmp_path, "cat.gz", gzip.compress(jsonl(a)) + gzip.compress(jsonl(b)) + b"\0" * 512)
    got, stats = read(path)
    assert ids(got) == [e["insertId"] for e in a + b] and stats.rejected == 0


def test_a_gzip_that_decompresses_to_nothing_is_one_reject_saying_so(tmp_path):
    blob = bytearray(gzip.compress(jsonl([gcloud_entry(0)])))
    blob[10:] = bytes(range(256))[: len(blob) - 10]
    path = write(tmp_path, "bad.gz", bytes(blob))
    got, stats = read(path)
    assert got == [] and (stats.read, stats.rejected) == (1, 1)
    assert "corrupt gzip" in stats.rejects[0].reason


def test_what_cannot_be_read_below_a_directory_is_rejected_and_the_rest_read(tmp_path):
    root = tmp_path / "logs"
    write(root, "a.jsonl", jsonl([gcloud_entry(1)]))
    write(root, "z.jsonl", jsonl([gcloud_entry(2)]))
    (root / "gone.jsonl").symlink_to(root / "rotated-away.jsonl")
    # a directory no one can open, whoever runs the test: its path is longer than the system allows
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(40):
            name = "d" * 200
            os.mkdir(name, dir_fd=fd)
            inner = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    got, stats = read(str(root))
    assert ids(got) == [gcloud_entry(1)["insertId"], gcloud_entry(2)["insertId"]]
    reasons = sorted(r.reason for r in stats.rejects)
    assert reasons[0] == "broken symbolic link"
    assert any(r.startswith("unreadable: ") for r in reasons)
    assert stats.read == 2 + stats.rejected


def test_compact_array_goes_on_after_an_object_the_parser_refuses(tmp_path):
    e = [json.dumps(gcloud_entry(i)).encode() for i in range(5)]
    huge = json.dumps(gcloud_entry(1, httpRequest={"status": 10**310})).encode()  # yajl: integer overflow
    broken = b'{"insertId": "x", "textPayload": "a }, { b", "severity": ERROR}'  # bare word: a syntax error
    data = b"[" + b", ".join([e[0], huge, broken, e[3], b"\xff" + e[4][1:]]) + b"]"
    path = write(tmp_path, "one-line.json", data)
    got, stats = read(path)
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in (0, 1, 3)]
    # the syntax error is one reject; the item that lost its "{" reads as several bad values, each counted
    assert stats.rejected >= 2 and stats.read == 3 + stats.rejected
    assert stats.rejects[0].origin.offset == data.index(broken)


def test_a_refused_object_inside_a_page_is_cut_out_with_its_page(tmp_path):
    e = [json.dumps(gcloud_entry(i)).encode() for i in range(6)]
    huge = json.dumps(gcloud_entry(2, httpRequest={"status": 10**310})).encode()
    data = b"[1, [" + b", ".join([e[0], e[1], huge]) + b"], [[" + e[3] + b"]], [" + e[4] + b", " + e[5] + b"]]"
    got, stats = read(write(tmp_path, "pages.json", data))
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in range(6)]
    assert stats.read == 7 and stats.rejected == 1  # the 1 in front


@pytest.mark.parametrize("bad", [b"9223372036854775808", b"[9223372036854775808]", b'"\\ud800 x"', b"Infinity"])
def test_a_value_the_parser_refuses_between_entries_costs_one_reject(tmp_path, bad):
    e = [json.dumps(gcloud_entry(i)).encode() for i in range(3)]
    got, stats = read(write(tmp_path, "a.json", b"[" + b", ".join([e[0], e[1], bad, e[2]]) + b"]"))
    assert ids(got) == [gcloud_entry(i)["insertId"] for i in range(3)]
    assert (stats.read, stats.rejected) == (4, 1)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12)


@given(st.lists(json_values, max_size=8), st.lists(st.integers(0, 400), max_size=6))
@settings(max_examples=300, deadline=None)
def test_following_an_array_finds_every_item_wherever_the_pieces_are_cut(items, cuts):
    from log_gardener.sources.files import _ArrayFollower, _list_items

    texts = [json.dumps(v, ensure_ascii=False) for v in items]  # offsets in bytes, not characters
    data = ("[" + ", ".join(texts) + "]").encode()
    starts, at = [], 1
    for t in texts:
        starts.append(at)
        at += len(t.encode()) + 2
    follower = _ArrayFollower()
    previous = 0
    for cut in [*sorted({min(c, len(data)) for c in cuts}), len(data)]:
        follower.feed(data[previous:cut])
        previous = cut
    assert follower.starts == starts and follower.ended
    assert [json.loads(b) for _, b in _list_items(data)] == items
