"""The live source: the real google-cloud-logging client (HTTP mode, anonymous credentials)
against a local fake of ``POST /v2/entries:list`` (tests/logging_fake.py).

Synthetic entries (tests/factory.py) test every path without ../shared; the netra exports
are read from ../shared at run time and those tests skip when it is absent.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from log_gardener.garden.local import LocalTracker
from log_gardener.model import ReadStats, Severity
from log_gardener.sources import iter_entries, parse_timestamp
from log_gardener.sources.cloud_logging import (
    ADC_HINT,
    ENDPOINT_ENV,
    CloudLoggingError,
    CloudQuery,
    CloudSource,
    Watermarks,
    build_filter,
    fetch_entries,
    make_client,
    watermark_key,
)
from logging_fake import (
    NETRA_COLLECTORS,
    FakeLogging,
    FilterError,
    load_collector,
    load_gcloud,
    load_netra,
    matches,
    parse_filter,
)

from factory import T0, at, crash_loop, entry, to_log_entry

PROJECT = "shop-staging"
SERVICE = "shop-api"
NETRA_PROJECT = "netra-staging"
NETRA_SERVICE = "netra-backend-staging"
NETRA_1750 = "gcp_logs_last_hour_20250915_175001.json"


class Sleeps(list):
    """An injectable ``sleep`` that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# ------------------------------------------------------------ data and the reference selection


def reference(entries: list[dict], services: set[str], start: datetime, end: datetime,
              min_severity: Severity = Severity.WARNING) -> list[dict]:
    """What the default query must select, computed in Python, independently of the fake's evaluator."""
    out = []
    for e in entries:
        res = e.get("resource") or {}
        if res.get("type") != "cloud_run_revision" or res.get("labels", {}).get("service_name") not in services:
            continue
        ts = parse_timestamp(e.get("timestamp"))
        if ts is None or not start <= ts < end:
            continue
        sev = Severity[e.get("severity", "DEFAULT")]
        if sev >= min_severity or sev == Severity.DEFAULT:
            out.append(e)
    return out


def synthetic() -> list[dict]:
    """A crash loop of shop-api, plus what the query must leave out: INFO lines, DEFAULT lines that
    are no error, another service, entries before the window."""
    es = crash_loop(8)
    es += [entry(f"GET /orders/{k} 200", 5.0 * k + 1, Severity.INFO, insert_id=f"info-{k}") for k in range(40)]
    es += [entry(f"[INFO] Booting worker with pid: {k}", 7.0 * k + 2, None, insert_id=f"boot-{k}") for k in range(10)]
    es += [entry("Listening at: http://0.0.0.0:8080", 3.0 * k + 0.5, None, insert_id=f"listen-{k}")
           for k in range(10)]
    docs = [to_log_entry(e) for e in es]
    other = [to_log_entry(entry("RuntimeError: other service down", 10.0 * k, Severity.ERROR,
                                insert_id=f"other-{k}")) for k in range(12)]
    for d in other:
        d["resource"]["labels"]["service_name"] = "other-api"
    early = [to_log_entry(entry("TimeoutError: old news", -7200 + k, Severity.ERROR, insert_id=f"early-{k}"))
             for k in range(5)]
    docs += other + early
    for n, d in enumerate(d for d in docs if d.get("textPayload", "").startswith("Traceback")):
        d["errorGroups"] = [{"id": f"CSynthGroup{n % 3}"}]
    ids = [d["insertId"] for d in docs]
    assert len(ids) == len(set(ids))
    return docs


W_START = T0 - timedelta(minutes=1)
W_END = T0 + timedelta(hours=1)


@pytest.fixture
def docs() -> list[dict]:
    return synthetic()


@pytest.fixture
def fake(docs):
    with FakeLogging(docs) as server:
        yield server


def shop_filter(**kw) -> str:
    return build_filter(PROJECT, [SERVICE], start=kw.pop("start", W_START), end=kw.pop("end", W_END), **kw)


def ids(items) -> list[str]:
    return [getattr(x, "insert_id", None) or x["insertId"] for x in items]


def one_line_error(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message and message.strip() == message and message
    return message


# ------------------------------------------------------------ the filter text


def test_build_filter_default_text():
    text = build_filter("p-1", ["a", "b"], start=datetime(2025, 9, 16, 0, 41, tzinfo=UTC),
                        end=datetime(2025, 9, 16, 0, 42, 0, 500, tzinfo=UTC))
    assert text == (
        'resource.type="cloud_run_revision" AND resource.labels.service_name=("a" OR "b") AND '
        'timestamp>="2025-09-16T00:41:00Z" AND timestamp<"2025-09-16T00:42:00.000500Z" AND '
        '(severity>=WARNING OR severity=DEFAULT)'
    )


def test_build_filter_jobs_extra_severity_and_quoting():
    naive = datetime(2026, 3, 1, 12, 0)  # taken as UTC
    text = build_filter("p-1", ["nightly"], "cloud_run_job", start=naive, min_severity="error",
                        extra='jsonPayload.message:"a \\"quoted\\" word"')
    assert text.startswith('resource.type="cloud_run_job" AND resource.labels.job_name="nightly" AND '
                           'timestamp>="2026-03-01T12:00:00Z" AND (severity>=ERROR OR severity=DEFAULT)')
    assert text.endswith(' AND (jsonPayload.message:"a \\"quoted\\" word")')
    parse_filter(text)  # the fake accepts what we build
    assert 'service_name="x\\"y"' in build_filter("p-1", ['x"y'], start=naive)
    everything = build_filter("p-1", [], start=naive, min_severity="DEFAULT")
    assert everything == 'resource.type="cloud_run_revision" AND timestamp>="2026-03-01T12:00:00Z"'


def test_build_filter_errors_are_one_line():
    start = datetime(2026, 3, 1, tzinfo=UTC)
    with pytest.raises(CloudLoggingError) as exc:
        build_filter("p-1", [f"service-{n:05d}" for n in range(2000)], start=start)
    assert "20,000" in one_line_error(exc)
    with pytest.raises(CloudLoggingError) as exc:
        build_filter("p-1", ["a"], start=start, end=start)
    assert "empty" in one_line_error(exc)
    with pytest.raises(CloudLoggingError) as exc:
        build_filter("p-1", ["a"], "gce_instance", start=start)
    assert "--service" in one_line_error(exc)
    with pytest.raises(CloudLoggingError):
        build_filter("projects/p-1", ["a"], start=start)
    with pytest.raises(CloudLoggingError):
        build_filter("p-1", ["a"], start=start, min_severity="LOUD")


# ------------------------------------------------------------ the fake's filter evaluator


def test_fake_filter_evaluator():
    e_err = {"severity": "ERROR", "timestamp": "2025-09-16T00:42:00.5+00:00", "textPayload": "Traceback (most...",
             "resource": {"type": "cloud_run_revision", "labels": {"service_name": "a"}},
             "labels": {"instanceId": "i-1"}, "logName": "projects/p/logs/run.googleapis.com%2Fstderr"}
    e_info = {"severity": "INFO", "timestamp": "2025-09-16T00:41:59.999Z", "jsonPayload": {"message": "ok"},
              "resource": {"type": "cloud_run_revision", "labels": {"service_name": "b"}}}
    e_plain = {"timestamp": "2025-09-16T00:42:01.123Z", "textPayload": "[2025] [ERROR] Worker failed to boot.",
               "resource": {"type": "cloud_run_revision", "labels": {"service_name": "c"}}}

    def sel(text: str) -> list[str]:
        tree = parse_filter(text)
        return [n for n, e in (("err", e_err), ("info", e_info), ("plain", e_plain)) if matches(tree, e)]

    assert sel("severity>=WARNING") == ["err"]
    assert sel("severity=DEFAULT") == ["plain"]  # no severity key is DEFAULT
    assert sel("severity<NOTICE") == ["info", "plain"]
    assert sel('textPayload:"traceback"') == ["err"]  # has: case-insensitive substring
    assert sel('textPayload:"[error]" AND NOT severity>=WARNING') == ["plain"]
    assert sel('resource.labels.service_name=("a" OR "c")') == ["err", "plain"]
    # times are parsed, not compared as strings ("...00.5+00:00" < "...00Z" as text)
    assert sel('timestamp>="2025-09-16T00:42:00Z"') == ["err", "plain"]
    assert sel('timestamp>="2025-09-16T00:42:00Z" timestamp<"2025-09-16T00:42:01Z"') == ["err"]  # implicit AND
    assert sel('labels.instanceId="i-1"') == ["err"]
    assert sel('logName=~"stderr$"') == ["err"]
    assert sel('jsonPayload.message:*') == ["info"]
    assert sel('"worker failed"') == ["plain"]  # a global restriction
    # Logging's precedence: NOT, then OR, then AND
    assert sel('severity=ERROR OR severity=INFO AND resource.labels.service_name="b"') == ["info"]
    assert sel('NOT severity=ERROR OR severity=INFO') == ["info", "plain"]
    for bad in ('severity>=', 'textPayload:"x" AND (', 'timestamp>="yesterday"', 'severity=LOUD', 'a=~"("'):
        with pytest.raises(FilterError):
            parse_filter(bad)


# ------------------------------------------------------------ fetching (synthetic)


def test_fetch_all_pages_selects_exactly_the_reference(fake, docs):
    stats, progress = ReadStats(), []
    fetch = fetch_entries(PROJECT, shop_filter(), stats, endpoint=fake.endpoint, page_size=50,
                          progress=progress.append)
    got = list(fetch)
    want = reference(docs, {SERVICE}, W_START, W_END)
    assert ids(got) == [d["insertId"] for d in sorted(want, key=lambda d: parse_timestamp(d["timestamp"]))]
    assert fetch.complete and not fetch.truncated and fetch.notes == [] and fetch.waits == []
    assert stats.read == len(want) and stats.rejected == 0
    assert stats.formats == {f"cloud-logging:{PROJECT}": "cloud-logging"}
    # pages of 50, the last one without a token; a progress call per page
    pages = -(-len(want) // 50)
    assert fetch.pages == pages == len(fake.requests) and len(progress) == pages
    assert progress == [min(len(want), 50 * (k + 1)) for k in range(pages)]
    first = fake.requests[0]["body"]
    assert first["resourceNames"] == [f"projects/{PROJECT}"] and first["orderBy"] == "timestamp asc"
    assert first["pageSize"] == 50 and "pageToken" not in first and fake.requests[1]["body"]["pageToken"]
    assert all(r["authorization"] is None for r in fake.requests)  # anonymous on http://
    # untagged gunicorn [ERROR] lines and traceback continuations come back, classified ERROR
    boot = [e for e in got if "Worker failed to boot" in e.text]
    assert len(boot) == 8 and all(e.declared_severity is None and e.severity == Severity.ERROR for e in boot)
    assert any(e.text.startswith("During handling") for e in got)
    assert not any(e.text.startswith("GET /orders") for e in got)  # declared INFO: left out by the query
    # lines without a severity all come back (the gardener reads their level from the text)
    plain = [e for e in got if e.text.startswith(("[INFO] Booting", "Listening"))]
    assert len(plain) == 20 and all(e.severity < Severity.WARNING for e in plain)
    # errorGroups survive the REST surface into Entry.error_groups
    grouped = {d["insertId"]: tuple(g["id"] for g in d["errorGroups"]) for d in want if "errorGroups" in d}
    assert grouped and {e.insert_id: e.error_groups for e in got if e.error_groups} == grouped


def test_client_entry_objects_drop_error_groups(fake):
    """Why fetch_entries calls entries.list through the client's connection: Client.list_entries's
    entry objects lose errorGroups (and receiveTimestamp). It also shows the client sends our
    filter unchanged (it has a timestamp term, so no 24 h one is added)."""
    text = shop_filter()
    client = make_client(PROJECT, fake.endpoint)
    objs = list(client.list_entries(resource_names=[f"projects/{PROJECT}"], filter_=text, page_size=50))
    assert fake.requests[0]["body"]["filter"] == text
    assert objs and not any("errorGroups" in o.to_api_repr() or hasattr(o, "error_groups") for o in objs)
    got = list(fetch_entries(PROJECT, text, ReadStats(), client=client, page_size=50))
    assert any(e.error_groups for e in got)


def test_order_desc_and_empty_pages_with_a_token(fake, docs):
    fake.empty_pages = 2  # a slow search answers empty pages that still carry a token
    fetch = fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, page_size=1000,
                          order="desc")
    got = list(fetch)
    times = [e.timestamp for e in got]
    assert times == sorted(times, reverse=True)
    assert len(got) == len(reference(docs, {SERVICE}, W_START, W_END)) and fetch.pages == 3
    assert fake.requests[0]["body"]["orderBy"] == "timestamp desc"


def test_max_entries_cut_with_a_warning(fake, docs):
    stats = ReadStats()
    fetch = fetch_entries(PROJECT, shop_filter(), stats, endpoint=fake.endpoint, page_size=40, max_entries=90)
    got = list(fetch)
    assert len(got) == 90 == stats.read and fetch.truncated and fetch.complete
    assert [r["body"]["pageSize"] for r in fake.requests] == [40, 40, 10]
    (note,) = fetch.notes
    assert "--max-entries 90" in note and "not fetched" in note and "\n" not in note
    assert f"after {got[-1].timestamp:%Y-%m-%dT%H:%M:%S}" in note
    # exactly as many as there are: no warning
    total = len(reference(docs, {SERVICE}, W_START, W_END))
    exact = fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, page_size=1000,
                          max_entries=total)
    assert len(list(exact)) == total and not exact.truncated and exact.notes == []


def test_429_then_success_backs_off_with_jitter(fake, docs):
    fake.fail_next(3, 429)
    sleeps = Sleeps()
    fetch = fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, page_size=1000,
                          sleep=sleeps)
    got = list(fetch)
    assert len(got) == len(reference(docs, {SERVICE}, W_START, W_END))
    assert [r["status"] for r in fake.requests] == [429, 429, 429, 200]
    assert sleeps == fetch.waits and len(sleeps) == 3
    for k, wait in enumerate(sleeps):  # exponential: 2, 4, 8 s, jittered down to half
        assert 2 * 2**k / 2 <= wait <= 2 * 2**k
    assert len(fetch.notes) == 1 and "429" in fetch.notes[0] and "retried 3" in fetch.notes[0]


def test_429_retries_exhausted_is_one_line(fake):
    fake.fail_next(10, 429)
    sleeps = Sleeps()
    with pytest.raises(CloudLoggingError) as exc:
        list(fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, sleep=sleeps, max_tries=3))
    message = one_line_error(exc)
    assert message.startswith("quota exhausted: entries.list allows 60 requests per minute")
    assert len(fake.requests) == 3 and len(sleeps) == 2


def test_transient_errors_and_timeouts_are_retried(fake, docs):
    fake.fail_next(1, 500)
    fake.fail_next(1, 503)
    fake.delay_next(1, 1.5)  # longer than the client's timeout
    sleeps = Sleeps()
    fetch = fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, page_size=1000,
                          sleep=sleeps, timeout=0.5)
    assert len(list(fetch)) == len(reference(docs, {SERVICE}, W_START, W_END))
    assert len(sleeps) == 3 and len(fake.requests) == 4
    assert "HTTP 500" in fetch.notes[0] and "HTTP 503" in fetch.notes[0] and "timeout" in fetch.notes[0]
    fake.fail_next(5, 503)
    with pytest.raises(CloudLoggingError) as exc:
        list(fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, sleep=Sleeps(), max_tries=5))
    assert "kept failing (HTTP 503" in one_line_error(exc)


def test_unreachable_endpoint_is_retried_then_one_line():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps = Sleeps()
    with pytest.raises(CloudLoggingError) as exc:
        list(fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=f"http://127.0.0.1:{port}", sleep=sleeps,
                           max_tries=2))
    assert "kept failing (a connection error" in one_line_error(exc) and len(sleeps) == 1


def test_permission_denied_names_the_role(fake):
    fake.deny = True
    with pytest.raises(CloudLoggingError) as exc:
        list(fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, sleep=Sleeps()))
    message = one_line_error(exc)
    assert f"needs roles/logging.viewer on {PROJECT}" in message
    assert len(fake.requests) == 1  # not retried


def test_unknown_project_and_bad_filter(fake):
    with pytest.raises(CloudLoggingError) as exc:
        list(fetch_entries("no-such-project", shop_filter(), ReadStats(), endpoint=fake.endpoint, sleep=Sleeps()))
    message = one_line_error(exc)
    assert "'no-such-project' was not found" in message and "--project" in message
    bad = shop_filter(extra='textPayload:"x" AND (')
    with pytest.raises(CloudLoggingError) as exc:
        list(fetch_entries(PROJECT, bad, ReadStats(), endpoint=fake.endpoint, sleep=Sleeps()))
    message = one_line_error(exc)
    assert message.startswith("Cloud Logging rejected the query: Unparseable filter: syntax error")
    assert len(fake.requests) == 2  # neither retried


def test_missing_credentials_is_the_adc_one_liner(tmp_path, monkeypatch):
    from google.auth.compute_engine import _metadata

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))
    for name in ("GOOGLE_APPLICATION_CREDENTIALS", ENDPOINT_ENV, "GOOGLE_CLOUD_PROJECT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(_metadata, "is_on_gce", lambda *a, **k: False)  # also on a GCE test runner
    with pytest.raises(CloudLoggingError) as exc:
        fetch_entries(PROJECT, shop_filter(), ReadStats())
    assert one_line_error(exc) == ADC_HINT
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
    with pytest.raises(CloudLoggingError) as exc:
        fetch_entries(PROJECT, shop_filter(), ReadStats())
    assert "GOOGLE_APPLICATION_CREDENTIALS=" in one_line_error(exc)


def test_endpoint_from_the_environment(fake, docs, monkeypatch):
    monkeypatch.setenv(ENDPOINT_ENV, fake.endpoint + "/v2/")
    got = list(fetch_entries(PROJECT, shop_filter(), ReadStats(), page_size=1000))
    assert len(got) == len(reference(docs, {SERVICE}, W_START, W_END)) and len(fake.requests) == 1


def test_save_round_trips_through_iter_entries(fake, tmp_path):
    saved = tmp_path / "out" / "live.jsonl"
    fetch = fetch_entries(PROJECT, shop_filter(), ReadStats(), endpoint=fake.endpoint, page_size=50,
                          save_path=saved)
    got = list(fetch)
    assert saved.exists() and not saved.with_name("live.jsonl.part").exists()
    stats = ReadStats()
    again = list(iter_entries([str(saved)], stats))
    assert stats.formats[str(saved)] == "jsonl" and stats.rejected == 0
    assert [(e.insert_id, e.text, e.severity, e.error_groups) for e in again] == \
           [(e.insert_id, e.text, e.severity, e.error_groups) for e in got]
    assert json.loads(saved.read_text().splitlines()[0])["insertId"] == got[0].insert_id


# ------------------------------------------------------------ watermarks (synthetic)


def test_watermarks_table_in_the_state_file(tmp_path):
    path = tmp_path / "garden.db"
    LocalTracker(path).shutdown()
    key = watermark_key(PROJECT, ["b", "a"], "cloud_run_revision")
    assert key == watermark_key(PROJECT, ("a", "b"))  # services sorted
    assert key != watermark_key(PROJECT, ["a", "b"], min_severity="ERROR")
    assert key != watermark_key(PROJECT, ["a", "b"], extra='labels.x="y"')
    assert key.startswith(f"{PROJECT}|a,b|cloud_run_revision|")
    end = datetime(2026, 3, 1, 13, tzinfo=UTC)
    with Watermarks(path) as marks:
        assert marks.last_end(key) is None and marks.seen(key) == frozenset()
        assert marks.save(key, end, [("id-1", end - timedelta(seconds=5)), ("id-2", "2026-03-01T12:59:59+00:00")])
        assert not marks.save(key, end - timedelta(hours=1), [])  # never moves back
    with Watermarks(path) as marks:
        assert marks.last_end(key) == end
        assert marks.seen(key) == {("id-1", "2026-03-01T12:59:55.000000+00:00"), ("id-2", "2026-03-01T12:59:59+00:00")}
    tracker = LocalTracker(path)  # the tracker still opens the file
    tracker.shutdown()


def live_read(fake, state, query, **kw) -> tuple[CloudSource, list, ReadStats]:
    stats = ReadStats()
    source = CloudSource(query, state_path=state, endpoint=fake.endpoint, page_size=kw.pop("page_size", 50),
                         sleep=Sleeps(), **kw)
    try:
        got = list(source.entries(stats))
        source.commit()
    finally:
        source.close()
    return source, got, stats


def test_resume_needs_since_the_first_time(fake, tmp_path):
    query = CloudQuery(PROJECT, (SERVICE,))
    with pytest.raises(CloudLoggingError) as exc:
        CloudSource(query, state_path=tmp_path / "g.db", endpoint=fake.endpoint, now=W_END)
    assert "--since" in one_line_error(exc)
    source, _, _ = live_read(fake, tmp_path / "g.db", query, now=W_END, first_since=timedelta(hours=2))
    assert source.window.start == W_END - timedelta(hours=2) and "first read" in source.notes[0]


def test_three_short_windows_with_a_long_overlap(fake, docs, tmp_path):
    """Runs closer together than the overlap: the second run's edge must include the entries it skipped."""
    state, query = tmp_path / "g.db", CloudQuery(PROJECT, (SERVICE,))
    overlap = timedelta(seconds=60)
    _, first, _ = live_read(fake, state, query, start=W_START, end=at(60), overlap=overlap)
    seen = ids(first)
    skipped = 0
    previous = at(60)
    for end in (at(90), at(120), at(200), W_END):
        source, got, stats = live_read(fake, state, query, now=end, overlap=overlap)
        assert source.window.resumed and source.window.start == previous - overlap
        assert source.notes[0].startswith("resuming where the previous run ended")
        previous = end
        seen += ids(got)
        skipped += stats.duplicates
    want = reference(docs, {SERVICE}, W_START, W_END)
    assert Counter(seen) == Counter(d["insertId"] for d in want)  # none lost, none twice
    assert skipped > 0


def test_max_entries_then_resume_continues_after_the_cut(fake, docs, tmp_path):
    state, query = tmp_path / "g.db", CloudQuery(PROJECT, (SERVICE,))
    source, first, _ = live_read(fake, state, query, start=W_START, end=W_END, max_entries=30)
    assert source.fetch.truncated and len(first) == 30
    assert source.covered_until() == first[-1].timestamp + timedelta(microseconds=1)
    _, second, stats = live_read(fake, state, query, now=W_END + timedelta(minutes=5))
    want = reference(docs, {SERVICE}, W_START, W_END)
    assert Counter(ids(first) + ids(second)) == Counter(d["insertId"] for d in want)
    assert stats.duplicates > 0


def test_dry_run_style_no_commit_leaves_the_watermark(fake, tmp_path):
    state, query = tmp_path / "g.db", CloudQuery(PROJECT, (SERVICE,))
    source = CloudSource(query, state_path=state, endpoint=fake.endpoint, start=W_START, end=W_END)
    list(source.entries(ReadStats()))
    source.close()  # no commit
    with Watermarks(state) as marks:
        assert marks.last_end(query.key) is None


# ------------------------------------------------------------ the netra exports (../shared)


@pytest.fixture
def netra_fake(netra):
    entries = load_netra(netra)
    with FakeLogging(entries) as server:
        yield server, entries


def test_netra_all_files_selects_exactly_the_reference(netra_fake, netra):
    fake, entries = netra_fake
    start, end = datetime(2025, 9, 15, 19, tzinfo=UTC), datetime(2025, 9, 16, 1, tzinfo=UTC)
    text = build_filter(NETRA_PROJECT, [NETRA_SERVICE], start=start, end=end)
    stats = ReadStats()
    got = list(fetch_entries(NETRA_PROJECT, text, stats, endpoint=fake.endpoint, page_size=50))
    want = reference(entries, {NETRA_SERVICE}, start, end)
    assert len(want) > 400
    assert Counter(ids(got)) == Counter(d["insertId"] for d in want)
    assert stats.rejected == 0 and len(fake.requests) == -(-len(want) // 50)
    # the three file shapes all came through: gcloud, camelCase collector, snake_case collector
    got_ids = set(ids(got))
    assert got_ids & {d["insertId"] for d in load_gcloud(netra / NETRA_1750)}
    for name in NETRA_COLLECTORS:
        assert got_ids & {d["insertId"] for d in load_collector(netra / name)}


def test_netra_1750_default_error_lines_and_error_groups(netra_fake, netra):
    fake, _ = netra_fake
    raw = load_gcloud(netra / NETRA_1750)
    start, end = datetime(2025, 9, 16, 0, 40, tzinfo=UTC), datetime(2025, 9, 16, 0, 45, tzinfo=UTC)
    text = build_filter(NETRA_PROJECT, [NETRA_SERVICE], start=start, end=end)
    got = list(fetch_entries(NETRA_PROJECT, text, ReadStats(), endpoint=fake.endpoint, page_size=50))
    want = reference(raw, {NETRA_SERVICE}, start, end)
    assert Counter(ids(got)) == Counter(d["insertId"] for d in want)
    boot = [d["insertId"] for d in raw if "Worker failed to boot" in d.get("textPayload", "") and "severity" not in d]
    assert len(boot) >= 10
    by_id = {e.insert_id: e for e in got}
    assert all(i in by_id and by_id[i].severity >= Severity.ERROR for i in boot)
    handling = [d["insertId"] for d in raw if "severity" not in d
                and d.get("textPayload", "").startswith("During handling of the above exception")]
    assert handling and all(i in by_id for i in handling)
    grouped = {d["insertId"]: tuple(g["id"] for g in d["errorGroups"]) for d in raw if "errorGroups" in d}
    assert {i: by_id[i].error_groups for i in grouped} == grouped


@pytest.mark.parametrize("overlap", [timedelta(minutes=10), timedelta(seconds=20)])
def test_netra_1750_two_windows_cut_mid_incident(netra_fake, netra, tmp_path, overlap):
    """Split at 00:42:00, inside the crash loop; resume with the overlap; a late entry in the overlap."""
    fake, _ = netra_fake
    raw = load_gcloud(netra / NETRA_1750)
    state, query = tmp_path / "g.db", CloudQuery(NETRA_PROJECT, (NETRA_SERVICE,))
    start, split, now = (datetime(2025, 9, 16, 0, 41, tzinfo=UTC), datetime(2025, 9, 16, 0, 42, tzinfo=UTC),
                         datetime(2025, 9, 16, 0, 43, 30, tzinfo=UTC))
    _, first, _ = live_read(fake, state, query, start=start, end=split, overlap=overlap)
    # an entry that arrived after the first run, stamped inside the overlap
    late = copy.deepcopy(next(d for d in raw if d.get("severity") == "ERROR"))
    late["insertId"], late["timestamp"] = "late-arrival-1", "2025-09-16T00:41:59.5Z"
    fake.add([late])
    source, second, stats = live_read(fake, state, query, now=now, overlap=overlap)
    assert source.window.resumed and source.window.start == split - overlap
    union = ids(first) + ids(second)
    want = [d["insertId"] for d in reference([*raw, late], {NETRA_SERVICE}, start, now)]
    assert Counter(union) == Counter(want)  # none lost (the late one included), none twice
    in_overlap = [e for e in first if e.timestamp >= split - overlap]
    assert stats.duplicates == len(in_overlap) > 0
    assert "late-arrival-1" in ids(second)
