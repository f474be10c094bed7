"""Reading at scale gives what reading entry by entry gives: the typed head decode of entries below the
severity (Glimpses), their compact duplicate count, and reading by byte range in several processes."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import pickle
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from log_gardener.analyse.rules import Config
from log_gardener.cli import main
from log_gardener.garden.local import LocalTracker
from log_gardener.group.grouping import GroupBuilder, finalize, group
from log_gardener.limits import LIMITS
from log_gardener.model import Glimpse, KeyCount, Origin, ReadStats, Severity
from log_gardener.pipeline import RunOptions, run
from log_gardener.sources import iter_entries, parallel
from log_gardener.sources.normalize import glimpse_of_line, to_entry

from factory import crash_loop, entry, sink_instance, to_log_entry, write_jsonl, write_sink

ORIGIN = Origin("x.jsonl", line=1, offset=0)
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

_severities = st.one_of(
    st.sampled_from(["DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "info", " Info ", "WARN", "DEFAULT", "", "bogus"]),
    st.sampled_from([0, 100, 200, 250, 300, 399, 400, 500, -5, 1e9]),
    st.none(), st.booleans(), st.just({"a": 1}), st.just([200]),
)
_times = st.one_of(
    st.sampled_from(["2026-03-01T12:00:00Z", "2026-03-01T12:00:00.123456789Z", "2026-03-01 12:00:00+02:00",
                     "", "yesterday", "1772366400", "9999-12-31T23:59:59Z", "1900-01-01T00:00:00Z"]),
    st.integers(min_value=0, max_value=5_000_000_000), st.none(),
    st.fixed_dictionaries({"seconds": st.integers(0, 4_000_000_000), "nanos": st.integers(0, 999_999_999)}),
)
_labels = st.dictionaries(
    st.sampled_from(["service_name", "revision_name", "job_name", "function_name", "project_id", "location"]),
    st.one_of(st.sampled_from(["shop", "shop-00012-abc", "cart", ""]), st.integers(0, 99), st.none(),
              st.just({"x": 1})), max_size=4)
_payload = st.one_of(
    st.fixed_dictionaries({"message": st.text(max_size=20)},
                          optional={"severity": st.sampled_from(["ERROR", "CRITICAL"]),  # nested: never the entry's
                                    "methodName": st.just("google.cloud.run.v1.Services.ReplaceService"),
                                    "@type": st.just("type.googleapis.com/google.cloud.audit.AuditLog")}),
    st.text(max_size=30), st.none(), st.integers())


@st.composite
def log_entries(draw) -> dict:
    obj: dict = {}
    usual = st.sampled_from([True, True, True, True, False])  # most entries have the usual fields
    keys = {k for k in ("timestamp", "severity", "insertId", "resource", "textPayload") if draw(usual)}
    keys |= draw(st.sets(st.sampled_from(
        ["receiveTimestamp", "labels", "logName", "jsonPayload", "protoPayload", "insert_id", "text_payload",
         "json_payload", "log_name", "receive_timestamp", "httpRequest"]), max_size=3))
    for key in sorted(keys):
        if key in ("timestamp", "receiveTimestamp", "receive_timestamp"):
            obj[key] = draw(_times)
        elif key == "severity":
            obj[key] = draw(_severities)
        elif key in ("insertId", "insert_id"):
            obj[key] = draw(st.one_of(st.text(max_size=10), st.integers(), st.none()))
        elif key == "resource":
            obj[key] = draw(st.one_of(st.fixed_dictionaries({"type": st.just("cloud_run_revision"),
                                                               "labels": st.one_of(_labels, st.just([1]))}),
                                      st.just("cloud_run_revision"), st.none()))
        elif key in ("logName", "log_name"):
            obj[key] = draw(st.sampled_from(["projects/p/logs/run.googleapis.com%2Fstderr",
                                             "projects/p/logs/cloudaudit.googleapis.com%2Factivity"]))
        elif key == "labels":
            obj[key] = {"instanceId": draw(st.text(max_size=8))}
        else:
            obj[key] = draw(_payload)
    return obj


@settings(max_examples=400, deadline=None)
@given(log_entries())
def test_a_glimpse_from_the_head_equals_the_whole_read(obj: dict) -> None:
    """Whenever the typed head decode takes an entry, reading the whole entry gives the same Glimpse."""
    line = json.dumps(obj).encode() + b"\n"  # the stdlib writes integers of any size
    glimpse = glimpse_of_line(line, Severity.WARNING)
    whole = to_entry(obj, ORIGIN, Severity.WARNING)
    if glimpse is not None:
        assert isinstance(whole, Glimpse)
        assert glimpse == whole


@pytest.mark.parametrize("present", list(itertools.product([None, "", "x", 7], repeat=4)))
def test_a_glimpse_reads_the_resource_labels_as_the_whole_read(present: tuple) -> None:
    labels = {k: v for k, v in zip(("service_name", "job_name", "function_name", "revision_name"), present,
                                   strict=True) if v is not None}
    obj = {"timestamp": "2026-03-01T12:00:00Z", "severity": "INFO", "insertId": "a", "textPayload": "ok",
           "resource": {"type": "cloud_run_revision", "labels": labels}}
    glimpse = glimpse_of_line(orjson.dumps(obj), Severity.WARNING)
    assert glimpse is not None and glimpse == to_entry(obj, ORIGIN, Severity.WARNING)


def test_plain_cloud_run_entries_below_the_severity_are_glimpsed() -> None:
    info = to_log_entry(entry("GET /health 200 OK", 1.0, Severity.INFO, insert_id="i1"))
    g = glimpse_of_line(orjson.dumps(info), Severity.WARNING)
    assert isinstance(g, Glimpse) and g.insert_id == "i1" and g.revision and g.service
    assert g.timestamp == T0 + timedelta(seconds=1)
    # a nested "severity": "ERROR" in the payload is the record's own business, not the entry's
    nested = {**info, "jsonPayload": {"message": "done", "severity": "ERROR", "level": "error"}}
    nested.pop("textPayload", None)
    assert isinstance(glimpse_of_line(orjson.dumps(nested), Severity.WARNING), Glimpse)
    # and the other way round: an ERROR entry whose payload says INFO is read whole
    error = {**nested, "severity": "ERROR", "jsonPayload": {"message": "boom", "severity": "INFO"}}
    assert glimpse_of_line(orjson.dumps(error), Severity.WARNING) is None
    # entries that must be read whole: no severity (classified from the text), audit entries (markers)
    assert glimpse_of_line(orjson.dumps({**info, "severity": None}), Severity.WARNING) is None
    audit = {**nested, "protoPayload": {"methodName": "x", "@type": "type.googleapis.com/google.cloud.audit.AuditLog"}}
    assert glimpse_of_line(orjson.dumps(audit), Severity.WARNING) is None


def test_key_count_counts_distinct_keys_and_travels() -> None:
    keys = KeyCount()
    values = [hash(("id", i % 700)) for i in range(2000)] + [-1, -1, 2**63 - 1]
    for v in values:
        keys.add(v)
    assert len(keys) == len(values)
    assert keys.distinct() == len(set(values))
    other = pickle.loads(pickle.dumps(keys))
    assert other.distinct() == keys.distinct()
    other.update(keys)
    assert len(other) == 2 * len(values) and other.distinct() == len(set(values))


def _lines(n_info: int, dup_info: int, n_error: int, dup_error: int) -> list[bytes]:
    """INFO and ERROR entries, some written twice (as sinks can), interleaved."""
    info = [to_log_entry(entry(f"GET /item/{i} 200", i * 0.5, Severity.INFO, inst=i % 3, insert_id=f"info-{i}"))
            for i in range(n_info)]
    errors = [to_log_entry(e) for e in crash_loop(n_error)]
    for i, e in enumerate(errors):
        e["insertId"] = f"err-{i}"
    lines = [orjson.dumps(o) for o in info]
    lines += [orjson.dumps(o) for o in info[:dup_info]]
    lines += [orjson.dumps(o) for o in errors]
    lines += [orjson.dumps(o) for o in errors[:dup_error]]
    return lines


def _run(tmp_path: Path, name: str, inputs: list[str], jobs: int) -> tuple[dict, bytes]:
    work = tmp_path / name
    work.mkdir()
    opts = RunOptions(inputs=inputs, dry_run=True, json_path=str(work / "r.json"),
                      assignments_path=str(work / "a.jsonl"), jobs=jobs, config=Config(),
                      now=datetime(2026, 3, 2, tzinfo=UTC))
    run(opts, LocalTracker(work / "state.db"), "local")
    doc = orjson.loads((work / "r.json").read_bytes())
    doc.pop("tracker")
    return doc, (work / "a.jsonl").read_bytes()


def test_duplicates_below_the_severity_are_counted_once(tmp_path: Path) -> None:
    lines = _lines(n_info=300, dup_info=40, n_error=4, dup_error=0)
    errors_only = _lines(n_info=0, dup_info=0, n_error=4, dup_error=0)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    doc, _ = _run(tmp_path, "one", [str(path)], jobs=1)
    totals = doc["totals"]
    assert totals["read"] == len(lines)
    assert totals["below_severity"] == 300
    assert totals["duplicates"] == 40
    assert totals["selected"] + totals["below_severity"] + totals["duplicates"] + totals["markers"] == len(lines)
    assert totals["selected"] == len(errors_only)


def test_reading_by_byte_range_in_several_processes_gives_the_same_run(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Pieces of a few KB: every range boundary falls inside some line; files of every kind beside it."""
    monkeypatch.setattr(parallel, "PIECE", 4096)
    data = tmp_path / "logs"
    data.mkdir()
    lines = _lines(n_info=400, dup_info=50, n_error=12, dup_error=5)
    bad = [b'{"severity": "ERROR", "timestamp": "not a time", "textPayload": "x"}', b"{broken json", b"[1, 2]"]
    body = []
    for i, line in enumerate(lines):
        body.append(line)
        if i % 97 == 5:
            body.append(bad[i % 3])  # rejects in many pieces, each with its line number
    (data / "a-sink.jsonl").write_bytes(b"\n".join(body) + b"\n")
    (data / "b-sink.jsonl.gz").write_bytes(gzip.compress(b"\n".join(lines[::7]) + b"\n"))  # read whole
    (data / "c-export.json").write_bytes(orjson.dumps([orjson.loads(x) for x in lines[::11]]))
    write_jsonl(data / "d-more.jsonl", crash_loop(3, start=900.0))
    one, one_assigned = _run(tmp_path, "one", [str(data)], jobs=1)
    pieces, _ = parallel._plan([str(data)], ReadStats(), None)
    assert sum(p.end is not None for p in pieces) > 10  # the big file was cut
    many, many_assigned = _run(tmp_path, "many", [str(data)], jobs=3)
    one.pop("generated_at")
    many.pop("generated_at")
    assert one["totals"]["rejected"] >= 6 and one["totals"]["duplicates"] > 50
    assert many == one
    assert many_assigned == one_assigned  # every entry's line number and problem


def test_reading_in_parallel_yields_what_one_process_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PIECE", 2048)
    lines = _lines(n_info=50, dup_info=0, n_error=6, dup_error=0)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n\n")
    plain = [(type(e).__name__, e.origin.line, e.origin.offset, getattr(e, "text", None))
             for e in iter_entries([str(path)], ReadStats())]
    got = [(type(e).__name__, e.origin.line, e.origin.offset, getattr(e, "text", None))
           for e in parallel.read_parallel([str(path)], ReadStats(), None, jobs=2)]
    assert got == plain


_READ_PIECE = parallel._read_piece


def _dies_on_the_third(piece, below, fmt):
    if 2 * 4096 <= piece.start < 3 * 4096:
        os._exit(9)  # as a SIGKILL would: no exception, no clean-up
    return _READ_PIECE(piece, below, fmt)


def test_a_reading_process_that_dies_ends_the_run_with_one_line(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The out-of-memory killer takes a worker: the run stops with a clear error instead of waiting forever."""
    monkeypatch.setattr(parallel, "PIECE", 4096)
    lines = _lines(n_info=300, dup_info=0, n_error=8, dup_error=0)
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    monkeypatch.setattr(parallel, "_read_piece", _dies_on_the_third)
    result = CliRunner().invoke(main, ["run", "-q", "--dry-run", "--jobs", "2", "--state", str(tmp_path / "s.db"),
                                       "-i", str(path)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "a reading process died" in result.output and "--jobs 1" in result.output


def _problems(state) -> list[tuple[str, int]]:
    return [(p.id, p.count) for p in finalize(state)]


def test_a_sinks_files_per_log_group_as_the_same_entries_in_time_order() -> None:
    """Read as a sink's directory sorts (stderr's files, then stdout's), an instance's stdout headers still
    join the tracebacks it printed on stderr: below the budget, streams are held whole."""
    stderr, stdout = sink_instance()
    by_time = _problems(group(sorted(stderr + stdout, key=lambda e: e.timestamp)))
    assert tuple(count for _, count in by_time) == (40, 5000)  # each header with its traceback
    assert _problems(group(stderr + stdout)) == by_time
    # past the budget, what was settled before stdout came cannot take its headers any more: the trade
    # the budget makes, and why it is large
    small = GroupBuilder(limits=replace(LIMITS, max_held=1000))
    for e in stderr + stdout:
        small.add(e)
    assert _problems(small.finish()) != by_time


def test_run_reads_a_sinks_directory_as_it_reads_the_same_entries_in_one_file(tmp_path: Path) -> None:
    stderr, stdout = sink_instance()
    sink = write_sink(tmp_path / "sink", stderr + stdout)
    merged = write_jsonl(tmp_path / "merged.jsonl", sorted(stderr + stdout, key=lambda e: e.timestamp))
    from_sink, _ = _run(tmp_path, "run-sink", [str(sink)], jobs=1)
    from_file, _ = _run(tmp_path, "run-file", [str(merged)], jobs=1)
    assert [(p["id"], p["count"]) for p in from_sink["problems"]] == [
        (p["id"], p["count"]) for p in from_file["problems"]]
    assert from_sink["problems"][0]["count"] == 40
