"""Multi-line records split over several entries are joined back, per stream, in either input order."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from log_gardener.model import Origin, ReadStats, Severity
from log_gardener.parse.assemble import assemble
from log_gardener.sources import iter_entries
from log_gardener.sources.normalize import to_entry

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
INSTANCE = "00ab" + "c" * 60


def line(text: str, us: float, inst: str = INSTANCE, log: str = "stderr", severity: str | None = None, n=[0]):  # noqa: B006
    n[0] += 1
    doc = {"textPayload": text, "timestamp": (T0 + timedelta(microseconds=us)).isoformat().replace("+00:00", "Z"),
           "insertId": f"id-{n[0]:06d}", "logName": f"projects/p/logs/run.googleapis.com%2F{log}",
           "labels": {"instanceId": inst},
           "resource": {"type": "cloud_run_revision", "labels": {"service_name": "api", "revision_name": "api-1"}}}
    if severity:
        doc["severity"] = severity
    e = to_entry(doc, Origin("t"))
    assert not isinstance(e, str)
    return e


NODE_STACK = ["TypeError: Cannot read properties of undefined (reading 'id')",
              "    at getUser (/app/dist/users.js:41:18)",
              "    at async Router.handle (/app/node_modules/express/lib/router/index.js:284:7)"]


def texts(records):
    return [r.text for r in records]


def test_a_stack_printed_one_entry_per_line_is_one_record_in_either_order():
    lines = [line(t, 10 + 4 * i) for i, t in enumerate(NODE_STACK)]
    for order in (lines, list(reversed(lines))):  # gcloud prints newest first
        records = list(assemble(order))
        assert texts(records) == ["\n".join(NODE_STACK)]
        assert records[0].entries == 3 and records[0].severity is Severity.ERROR
        assert records[0].insert_id == lines[0].insert_id  # the record is its first line, the others its parts


def test_other_streams_and_distant_lines_stay_apart():
    a = [line(t, 10 + 4 * i) for i, t in enumerate(NODE_STACK)]
    other_instance = line("    at elsewhere (/app/x.js:1:1)", 14, inst="00ff" + "d" * 60)
    stdout = line("    at elsewhere (/app/x.js:1:1)", 15, log="stdout")
    later = line("    at late (/app/x.js:2:2)", 1_000_000)
    records = list(assemble([*a, other_instance, stdout, later]))
    assert sorted(r.entries for r in records) == [1, 1, 1, 3]


def test_lines_with_a_level_or_time_of_their_own_are_records_of_their_own():
    lines = [line("[2026-03-01 12:00:00 +0000] [7] [INFO] Booting worker with pid: 7", 0),
             line("[2026-03-01 12:00:00 +0000] [8] [INFO] Booting worker with pid: 8", 3),
             line("ERROR: disk quota exceeded", 6),
             line("2026-03-01 12:00:00,500 WARNING [cache] cold start", 9)]
    assert [r.entries for r in assemble(lines)] == [1, 1, 1, 1]


def test_a_tagged_message_takes_the_exception_printed_right_after_it():
    lines = [line("2026-03-01 12:00:00.001 ERROR [main] c.e.Pay - charge failed", 0),
             line("java.lang.IllegalStateException: gateway closed", 20),
             line("\tat com.example.Gateway.charge(Gateway.java:88)", 25),
             line("Caused by: java.net.SocketTimeoutException: connect timed out", 30),
             line("\t... 12 more", 35)]
    (record,) = assemble(lines)
    assert record.entries == 5 and record.text.startswith("2026-03-01 12:00:00.001 ERROR")


def test_an_untagged_head_does_not_swallow_an_error_that_follows():
    lines = [line("processing item 1", 0), line("processing item 2", 5), line("Error: item 3 failed", 10),
             line("    at run (/app/job.js:3:9)", 14)]
    records = list(assemble(lines))
    assert [r.entries for r in records] == [2, 2]
    assert records[1].severity is Severity.ERROR and records[0].severity is Severity.DEFAULT


def test_a_json_document_over_several_lines_is_read_as_one_record():
    parts = ['{"level": "error", "logger": "db", "msg": "query failed:', "SELECT id FROM events WHERE t = $1",
             'ERROR: relation \\"events\\" does not exist", "tenant": "t-1"}']
    (record,) = assemble([line(t, 3 * i) for i, t in enumerate(parts)])
    assert record.severity is Severity.ERROR and record.logger == "db"
    assert record.text == 'query failed:\nSELECT id FROM events WHERE t = $1\nERROR: relation "events" does not exist'


def test_a_traceback_cut_before_its_exception_line_takes_it_a_second_later():
    head = line('Traceback (most recent call last):\n  File "/app/job.py", line 52, in run\n    parse(row)',
                0, severity="ERROR")
    tail = line("ValueError: could not convert string to float: 'N/A'", 900_000)
    for order in ([head, tail], [tail, head]):
        (record,) = assemble(order)
        assert record.entries == 2 and record.text.endswith("ValueError: could not convert string to float: 'N/A'")


def test_entries_with_a_declared_severity_or_a_structure_are_never_joined():
    tagged = line("    at declared (/app/x.js:1:1)", 3, severity="ERROR")
    structured = to_entry({"jsonPayload": {"message": "    at json"}, "timestamp": "2026-03-01T12:00:00.000006Z",
                           "labels": {"instanceId": INSTANCE},
                           "logName": "projects/p/logs/run.googleapis.com%2Fstderr"}, Origin("t"))
    records = list(assemble([line(NODE_STACK[0], 0), tagged, structured]))
    assert sorted(r.entries for r in records) == [1, 1, 1]


def test_text_files_join_by_adjacent_lines_and_continuation_shape(tmp_path):
    log = tmp_path / "app.log"
    log.write_text("2026-03-01 12:00:00 ERROR [main] App - boom\njava.lang.RuntimeException: boom\n"
                   "\tat App.main(App.java:3)\nnext statement\nanother statement\n")
    records = list(assemble(iter_entries([str(log)], ReadStats())))
    assert [r.entries for r in records] == [3, 1, 1]  # no time: never joined by closeness alone
    assert records[0].severity is Severity.ERROR


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["    at f (/a.js:1:2)", "Error: x", "plain", "[ERROR] y", "}", "",
                                           "Traceback (most recent call last):", '  File "/a.py", line 1, in f',
                                           "KeyError: 'k'", '{"level":"error","msg":"a']),
                          st.integers(0, 3_000_000), st.booleans()), max_size=60))
def test_no_entry_is_lost_or_counted_twice(rows):
    entries = [line(text, us, inst=INSTANCE if flip else "00ff" + "d" * 60) for text, us, flip in rows]
    records = list(assemble(entries))
    ids = [p.insert_id for r in records for p in (r, *r.parts)]
    assert sorted(ids) == sorted(e.insert_id for e in entries)
