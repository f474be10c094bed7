"""The command line end to end, on synthetic exports written by the tests."""

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main

from factory import crash_loop, write_gcloud, write_jsonl


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def export(tmp_path):
    return write_gcloud(tmp_path / "export.json", crash_loop(5))


def run_json(tmp_path, *args):
    out = tmp_path / "out.json"
    result = invoke("run", "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md"),
                    "--json", str(out), *args)
    assert result.exit_code == 0, result.output
    return orjson.loads(out.read_bytes()), result


def test_run_writes_worklog_json_and_issues(tmp_path, export):
    doc, _result = run_json(tmp_path, "-i", str(export))
    assert doc["totals"]["read"] == 65 and doc["totals"]["rejected"] == 0
    assert {p["priority"] for p in doc["problems"]} == {"P0", "P1", "P3"}
    worklog = (tmp_path / "w.md").read_text()
    for heading in ("## Executive Summary", "## Log Clusters Identified", "## Key Findings",
                    "## Immediate Actions Required", "## Technical Details", "## Problems",
                    "## Processing Summary", "## Cause Chains"):
        assert heading in worklog
    listing = invoke("issues", "list", "--state", str(tmp_path / "g.db"))
    assert "GCP-new | P0 | ModuleNotFoundError" in listing.output
    shown = invoke("issues", "show", "1", "--state", str(tmp_path / "g.db"))
    assert shown.exit_code == 0 and "log-gardener:problem=" in shown.output


def test_dry_run_prints_the_plan_and_writes_nothing(tmp_path, export):
    doc, result = run_json(tmp_path, "-i", str(export), "--dry-run")
    assert "would create issue 'GCP-new | P0 |" in result.output
    assert doc["dry_run"] is True
    assert not (tmp_path / "g.db").exists()  # no state file is created
    assert (tmp_path / "w.md").exists()  # what was asked for (--worklog, --json) is written
    # without --worklog, no worklog either
    bare = invoke("run", "-i", str(export), "--dry-run", "--state", str(tmp_path / "g.db"), "--worklog-dir",
                  str(tmp_path / "wl"))
    assert bare.exit_code == 0 and "worklog: not written" in bare.output
    assert not (tmp_path / "wl").exists() and not (tmp_path / "g.db").exists()
    # an existing state is read, and left as it was
    run_json(tmp_path, "-i", str(export))
    before = (tmp_path / "g.db").read_bytes()
    again = invoke("run", "-i", str(export), "--dry-run", "--state", str(tmp_path / "g.db"))
    assert again.exit_code == 0 and "nothing new" not in again.output
    assert (tmp_path / "g.db").read_bytes() == before


def test_stdin_and_jsonl_gz_and_directory_give_the_same_problems(tmp_path, export):
    a, _ = run_json(tmp_path, "-i", str(export), "--dry-run")
    gz_dir = tmp_path / "sink"
    gz_dir.mkdir()
    write_jsonl(gz_dir / "12:00:00_12:59:59_S0.json.gz", crash_loop(5), gz=True)
    b, _ = run_json(tmp_path, "-i", str(gz_dir), "--dry-run")
    out = tmp_path / "stdin.json"
    res = invoke("run", "-i", "-", "--dry-run", "--state", str(tmp_path / "g.db"), "--worklog",
                 str(tmp_path / "w2.md"), "--json", str(out), input=export.read_bytes())
    assert res.exit_code == 0
    c = orjson.loads(out.read_bytes())
    ids = [sorted((p["id"], p["count"]) for p in d["problems"]) for d in (a, b, c)]
    assert ids[0] == ids[1] == ids[2]


def test_duplicates_are_counted_once(tmp_path):
    entries = crash_loop(2)
    path = write_jsonl(tmp_path / "dup.jsonl", entries + entries)
    doc, _ = run_json(tmp_path, "-i", str(path), "--dry-run")
    assert doc["totals"]["duplicates"] == len(entries)
    single, _ = run_json(tmp_path, "-i", str(write_jsonl(tmp_path / "one.jsonl", entries)), "--dry-run")
    assert doc["totals"]["selected"] == single["totals"]["selected"]


def test_partly_bad_input_is_processed_and_rejects_are_reported(tmp_path):
    path = write_jsonl(tmp_path / "mixed.jsonl", crash_loop(2))
    with path.open("ab") as f:
        f.write(b'{"timestamp": "yesterday-ish", "severity": "ERROR", "textPayload": "x"}\n')
        f.write(b"{not json at all\n")
        f.write(b"\xff\xfe\x00garbage\n")
    doc, result = run_json(tmp_path, "-i", str(path))
    assert doc["totals"]["rejected"] == 3
    assert doc["totals"]["selected"] > 0
    assert "mixed.jsonl:" in result.output and "unparseable timestamp" in result.output
    worklog = (tmp_path / "w.md").read_text()
    assert "Entries rejected: 3" in worklog and "mixed.jsonl:" in worklog


def test_nothing_readable_is_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.bin"
    bad.write_bytes(bytes(range(256)) * 64)
    result = invoke("run", "-i", str(bad), "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md"))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("log-gardener: error:")


@pytest.mark.parametrize("content", [b"", b"\n\n", b"not json at all\x00\x01\x02" * 100],
                         ids=["empty", "blank", "garbage"])
def test_empty_or_garbage_input_is_exit_2_with_one_line(tmp_path, content):
    # as from `gcloud ... | log-gardener run -i -` when gcloud fails
    result = invoke("run", "-i", "-", "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md"),
                    input=content)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("log-gardener: error:")


def test_jsonl_forced_on_an_array_is_exit_2(tmp_path, export):
    result = invoke("run", "-i", str(export), "--format", "jsonl", "--state", str(tmp_path / "g.db"),
                    "--worklog", str(tmp_path / "w.md"))
    assert result.exit_code == 2 and "nothing could be read" in result.output


def test_fail_on_exits_3_when_such_a_problem_is_present(tmp_path, export):
    base = ("run", "-i", str(export), "--state", str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md"), "-q")
    first = invoke(*base, "--fail-on", "P0")
    assert first.exit_code == 3 and "P0" in first.output
    assert (tmp_path / "w.md").exists()  # everything is written before the exit
    assert invoke(*base, "--fail-on", "new").exit_code == 0  # the second run: nothing is new any more
    assert invoke(*base, "--fail-on", "regression,P3").exit_code == 3  # P3 or more urgent: present
    bad = invoke(*base, "--fail-on", "P7")
    assert bad.exit_code == 2 and "--fail-on P7" in bad.output


def test_since_last_on_a_first_run_reads_the_first_window_and_says_so(tmp_path):
    recent = tmp_path / "recent.jsonl"
    from datetime import UTC, datetime, timedelta

    from log_gardener.model import Severity

    from factory import entry

    now = datetime.now(UTC)
    rows = [entry("[ERROR] payment provider timed out", 0, Severity.ERROR)]
    rows[0].timestamp = now - timedelta(hours=1)
    old = entry("[ERROR] payment provider timed out", 1, Severity.ERROR)
    old.timestamp = now - timedelta(days=2)
    write_jsonl(recent, [rows[0], old])
    args = ("run", "-i", str(recent), "--since", "last", "--state", str(tmp_path / "g.db"), "--worklog",
            str(tmp_path / "w.md"), "--json", str(tmp_path / "o.json"))
    first = invoke(*args)
    assert first.exit_code == 0, first.output
    assert "first run on" in first.output and "12h" in first.output
    totals = orjson.loads((tmp_path / "o.json").read_bytes())["totals"]
    assert totals["selected"] == 1 and totals["outside_window"] == 1  # the last 12 hours only
    again = invoke(*args)
    assert again.exit_code == 0 and "first run on" not in again.output


@pytest.mark.parametrize("args, message", [
    (["-i", "-", "--since", "999999999d"], "longer than the calendar allows"),
    (["-i", "-", "--since", "99999999999999999999999h"], "longer than the calendar allows"),
    (["-i", "-", "--start", "0001-01-01T00:00:00+01:00"], "out of the range of dates"),
    (["-i", "-", "--end", "9999-12-31T23:59:59-01:00"], "out of the range of dates"),
    (["-i", "/no/such/file.json"], "no such file or directory"),
    (["-i", "-", "--since", "12 parsecs"], "--since"),
    (["-i", "-", "--start", "not-a-time"], "--start"),
    (["-i", "-", "--min-severity", "LOUD"], "--min-severity"),
])
def test_bad_arguments_are_one_line_errors(tmp_path, args, message):
    result = invoke("run", *args, "--state", str(tmp_path / "g.db"), input=b"")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_window_selects_by_parsed_time(tmp_path):
    entries = crash_loop(4)  # crashes at 12:00:00, :30, 12:01:00, :30 (UTC)
    path = write_jsonl(tmp_path / "w.jsonl", entries)
    doc, _ = run_json(tmp_path, "-i", str(path), "--dry-run", "--start", "2026-03-01T12:00:20Z",
                      "--end", "2026-03-01T13:00:40+01:00")
    # 13:00:40+01:00 is 12:00:40Z: only the crash at 12:00:30 is inside
    p0 = next(p for p in doc["problems"] if p["priority"] == "P0" and not p["caused_by"])
    assert p0["count"] == 8
    assert doc["totals"]["outside_window"] > 0


def test_text_input_assignments_carry_line_numbers(tmp_path):
    path = tmp_path / "app.log"
    path.write_text("ERROR: payment failed for order 17\nINFO: fine\nERROR: payment failed for order 18\n")
    assign = tmp_path / "a.jsonl"
    doc, _ = run_json(tmp_path, "-i", str(path), "--dry-run", "--assignments", str(assign))
    rows = [orjson.loads(line) for line in assign.read_bytes().splitlines()]
    assert [r["line"] for r in rows] == [1, 3]
    assert rows[0]["problem"] == rows[1]["problem"] == doc["problems"][0]["id"]


def test_cap_lists_what_was_not_filed(tmp_path):
    path = tmp_path / "many.log"
    words = ["disk quota exceeded", "cache warmup aborted", "queue consumer stalled", "token refresh rejected",
             "index rebuild skipped", "mailer backend unreachable"]
    path.write_text("".join(f"ERROR: {w}\n" for w in words))
    doc, _ = run_json(tmp_path, "-i", str(path), "--max-new-issues", "2")
    actions = [p["issue"]["action"] for p in doc["problems"]]
    assert actions.count("create") == 2 and actions.count("not-filed-over-cap") == 4
    assert "not filed (over the cap)" in (tmp_path / "w.md").read_text()


def test_secrets_never_reach_the_worklog_or_the_tracker(tmp_path):
    path = tmp_path / "leak.log"
    path.write_text("ERROR: cannot connect to postgresql://app:Hunter2secret@db.internal/main for @alice\n"
                    "ERROR: auth failed with header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0."
                    "c2lnbmF0dXJlLWhlcmU and mail bob@example.com\n")
    doc, _ = run_json(tmp_path, "-i", str(path))
    shown = "".join(invoke("issues", "show", str(n), "--state", str(tmp_path / "g.db")).output for n in (1, 2))
    for text in ((tmp_path / "w.md").read_text(), shown, orjson.dumps(doc).decode()):
        assert "Hunter2secret" not in text
        assert "eyJzdWIiOiIxMjM0In0" not in text
        assert "bob@example.com" not in text
    assert "@alice" not in shown  # the mention is neutralised


def test_demo_runs_on_the_shipped_sample(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "demo.json"
    result = invoke("demo", "--worklog-dir", str(tmp_path / "wl"), "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "worklog written to" in result.output
    assert "log-gardener issues list --state .log-gardener/demo.db" in result.output
    listing = invoke("issues", "list", "--state", ".log-gardener/demo.db")  # the command it printed works
    assert listing.exit_code == 0 and "GCP-new | P0 | ModuleNotFoundError" in listing.output
    doc = orjson.loads(out.read_bytes())
    titles = {p["title"]: p for p in doc["problems"]}
    p0 = next(p for t, p in titles.items() if "No module named" in t)
    assert p0["priority"] == "P0" and p0["revisions"] == ["acme-api-staging-00042-xyz"]
    exit_ = next(p for t, p in titles.items() if "Container called exit(3)" in t)
    assert exit_["priority"] == "P1" and exit_["caused_by"] is not None
    assert next(p for t, p in titles.items() if t.startswith("SERVICE_ID"))["priority"] == "P2"
    assert next(p for t, p in titles.items() if t.startswith("Sentry SDK"))["priority"] == "P3"
    worklog = next((tmp_path / "wl").glob("GCP-LOG-GARDENER-WORKLOG-12h-acme-api-staging-*.md")).read_text()
    assert "S3cr3t-pass" not in worklog


def test_console_script_never_shows_a_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "log_gardener", "run", "-i", str(tmp_path / "missing.json")],
                          capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")})
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"log-gardener: error: {tmp_path / 'missing.json'}: no such file or directory"


def test_explain_says_why(tmp_path, export):
    doc, _ = run_json(tmp_path, "-i", str(export), "--dry-run")
    boot = next(p for p in doc["problems"] if "Worker failed to boot" in p["title"])
    result = invoke("explain", boot["id"], "-i", str(export))
    assert result.exit_code == 0
    assert "why this priority:" in result.output and "worker-boot-failure" in result.output
    assert "logged together within 5 ms" in result.output
    assert f"caused by {boot['caused_by']}" in result.output
    # a signature id finds its problem too
    sig = boot["signatures"][0]["id"]
    assert invoke("explain", sig, "-i", str(export)).output.startswith(f"problem {boot['id']}")
    missing = invoke("explain", "pdeadbeef0000", "-i", str(export))
    assert missing.exit_code == 2 and "no problem or signature pdeadbeef0000" in missing.output
    # a unique prefix finds it too
    assert invoke("explain", boot["id"][:8], "-i", str(export)).output.startswith(f"problem {boot['id']}")


def test_explain_by_issue_number_or_prefix_from_the_state_alone(tmp_path, export):
    doc, _ = run_json(tmp_path, "-i", str(export))
    root = next(p for p in doc["problems"] if p["priority"] == "P0")
    state = str(tmp_path / "g.db")
    by_number = invoke("explain", root["issue"]["ref"], "--state", state)
    assert by_number.exit_code == 0, by_number.output
    assert by_number.output.startswith(f"problem {root['id']}: issue {root['issue']['ref']} [open]")
    assert "seen in 1 run(s)" in by_number.output and "log-gardener:problem=" in by_number.output
    assert invoke("explain", root["id"][:7], "--state", state).output == by_number.output
    with_logs = invoke("explain", root["issue"]["ref"], "-i", str(export), "--state", state)
    assert with_logs.output.startswith(f"problem {root['id']}") and "status: ongoing" in with_logs.output
    assert invoke("explain", "#999", "--state", state).exit_code == 2


def test_json_to_stdout_is_pure_json(tmp_path, export):
    result = CliRunner().invoke(main, ["run", "-i", str(export), "--dry-run", "--json", "-", "--state",
                                       str(tmp_path / "g.db"), "--worklog", str(tmp_path / "w.md")])
    assert result.exit_code == 0
    doc = orjson.loads(result.stdout)
    assert doc["problems"] and doc["totals"]["read"] == 65


def test_closing_as_not_planned_mutes_the_problem_in_the_local_tracker(tmp_path):
    state = str(tmp_path / "g.db")
    first = write_jsonl(tmp_path / "a.jsonl", crash_loop(3))
    doc, _ = run_json(tmp_path, "-i", str(first))
    root = next(p for p in doc["problems"] if p["priority"] == "P0")
    number = root["issue"]["ref"].lstrip("#")
    closed = invoke("issues", "close", number, "--not-planned", "--state", state)
    assert closed.exit_code == 0 and "not planned" in closed.output
    later = write_jsonl(tmp_path / "b.jsonl", crash_loop(3) + crash_loop(3, start=3600, first_instance=10))
    doc, _ = run_json(tmp_path, "-i", str(later))
    assert next(p for p in doc["problems"] if p["id"] == root["id"])["issue"]["action"] == "muted"
    shown = invoke("issues", "show", number, "--state", state)
    assert f"#{number} [closed]" in shown.output and "--- comment" not in shown.output
    # muted means nobody is paged for it either: --fail-on counts it no more (it did before the close)
    args = ["run", "-i", str(later), "--state", state, "--worklog", str(tmp_path / "m.md"), "--fail-on", "P0", "-q"]
    assert CliRunner().invoke(main, args).exit_code == 0
    fresh = ["run", "-i", str(later), "--state", str(tmp_path / "other.db"), "--worklog", str(tmp_path / "o.md"),
             "--fail-on", "P0", "-q"]
    assert CliRunner().invoke(main, fresh).exit_code == 3


def test_issues_list_and_show_as_json(tmp_path, export):
    run_json(tmp_path, "-i", str(export))
    state = str(tmp_path / "g.db")
    listed = orjson.loads(invoke("issues", "list", "--state", state, "--json").output)
    assert listed and all({"number", "title", "state", "labels"} <= set(i) for i in listed)
    p0 = next(i for i in listed if "| P0 |" in i["title"])
    shown = orjson.loads(invoke("issues", "show", str(p0["number"]), "--state", state, "--json").output)
    assert shown["title"] == p0["title"] and "log-gardener:problem=" in shown["body"]
    assert shown["comments"] == [] and shown["state_reason"] is None


def test_the_table_fits_80_columns_and_nests_consequences_under_their_cause(tmp_path, export):
    result = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["run", "-i", str(export), "--dry-run", "--state",
                                                            str(tmp_path / "g.db")])
    assert result.exit_code == 0, result.output
    table = [ln for ln in result.output.splitlines() if ln.startswith(("┃", "│", "┏", "┡", "└"))]
    assert table and max(len(ln) for ln in table) <= 80
    rows = [ln for ln in table if ln.startswith("│")]
    first_consequence = next(i for i, ln in enumerate(rows) if "↳" in ln)
    assert first_consequence > 0 and "P0" in rows[first_consequence - 1]  # right under its cause


def test_rows_say_what_tells_two_problems_with_one_title_apart():
    from log_gardener.report.terminal import ordered_rows

    def view(pid, title, caused_by=None, consequences=(), components=()):
        return {"id": pid, "title": title, "caused_by": caused_by, "consequences": list(consequences),
                "components": list(components)}

    views = [view("p1", "KeyError: 'customer_id'", consequences=["p3"], components=["orders/api.py:42"]),
             view("p2", "KeyError: 'customer_id'", components=["billing/tasks.py:7"]),
             view("p3", "Container called exit(3).", caused_by="p1")]
    rows = ordered_rows(views, ["a1", "a2", "a3"])
    assert [(d, v["id"]) for d, v, _, _ in rows] == [(0, "p1"), (1, "p3"), (0, "p2")]
    assert rows[0][3] == "KeyError: 'customer_id' (orders/api.py:42)"
    assert rows[2][3] == "KeyError: 'customer_id' (billing/tasks.py:7)"
    assert rows[1][2] == "a3"


def test_an_issue_shows_its_trace_as_printed_and_links_to_its_entries(tmp_path, export):
    doc, _ = run_json(tmp_path, "-i", str(export))
    root = next(p for p in doc["problems"] if p["priority"] == "P0")
    trace = root["trace"]
    assert trace["language"] == "python" and trace["exceptions"][0]["type"] == "ModuleNotFoundError"
    frames = trace["exceptions"][0]["frames"]
    assert any(f["in_app"] for f in frames)
    app = trace["text"]["app"]
    assert app.splitlines()[-1].startswith("ModuleNotFoundError")  # Python prints the exception last
    assert "▶ /app/shop/" in app and "setup" in app
    query = root["links"]["logs_query"]
    assert 'resource.labels.service_name="shop-api"' in query and '"ModuleNotFoundError"' in query
    assert root["links"]["logs_explorer"].startswith("https://console.cloud.google.com/logs/query;query=")
    assert "project=shop-staging" in root["links"]["logs_explorer"]
    body = invoke("issues", "show", root["issue"]["ref"].lstrip("#"), "--state", str(tmp_path / "g.db")).output
    assert "**Stack trace** (python" in body and "[Logs Explorer](https://console.cloud.google.com" in body
    assert str(tmp_path) not in body  # no local path in an issue


def test_a_rule_can_reopen_a_muted_issue_when_it_gets_worse(tmp_path):
    state = str(tmp_path / "g.db")
    first = write_jsonl(tmp_path / "a.jsonl", crash_loop(3))
    doc, _ = run_json(tmp_path, "-i", str(first))
    root = next(p for p in doc["problems"] if p["priority"] == "P0")
    per_crash = root["count"] // 3
    cfg = tmp_path / "lg.toml"  # "reopen it when the crash loop is three times what it was"
    cfg.write_text('[[rules]]\nname = "boot-loop-worse"\nunmute = true\n[rules.match]\n'
                   f'exception = "ModuleNotFoundError"\nmin_count = {per_crash * 9}\n')
    number = root["issue"]["ref"].lstrip("#")
    invoke("issues", "close", number, "--not-planned", "--state", state)
    same = write_jsonl(tmp_path / "b.jsonl", crash_loop(3) + crash_loop(1, start=3600, first_instance=10))
    doc, _ = run_json(tmp_path, "-i", str(same), "--config", str(cfg))
    assert next(p for p in doc["problems"] if p["id"] == root["id"])["issue"]["action"] == "muted"
    worse = write_jsonl(tmp_path / "c.jsonl", crash_loop(3) + crash_loop(1, start=3600, first_instance=10)
                        + crash_loop(12, start=7200, first_instance=20))
    doc, _ = run_json(tmp_path, "-i", str(worse), "--config", str(cfg))
    again = next(p for p in doc["problems"] if p["id"] == root["id"])
    assert again["issue"]["action"] == "reopen" and "rule boot-loop-worse reopens it" in again["issue"]["reason"]


def test_the_progress_line_follows_the_phases_of_a_run(tmp_path, export):
    from log_gardener.garden.local import LocalTracker
    from log_gardener.pipeline import RunOptions, run

    said: list[str] = []
    opts = RunOptions(inputs=[str(export)], worklog=str(tmp_path / "w.md"), phase=said.append)
    run(opts, LocalTracker(tmp_path / "g.db"), "local")
    assert [s.split(":")[0].split(" ")[0] for s in said] == ["grouping", "analysing", "tracker", "tracker", "writing"]
    assert said[0] == "grouping 65 selected of 65 entries read"


def test_two_runs_at_once_on_one_state_file_each_problem_once(tmp_path, export):
    # a cron job that overran beside the next one: separate processes, the same state file
    state = tmp_path / "g.db"
    cmd = [sys.executable, "-m", "log_gardener", "run", "-q", "-i", str(export), "--state", str(state)]
    procs = [subprocess.Popen([*cmd, "--worklog", str(tmp_path / f"w{n}.md")], stderr=subprocess.PIPE)
             for n in range(4)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 4, [p.stderr.read() for p in procs]
    issues = orjson.loads(invoke("issues", "list", "--state", str(state), "--all", "--json").output)
    (tmp_path / "one").mkdir()
    single, _ = run_json(tmp_path / "one", "-i", str(export))  # what one run alone files
    filed = [p for p in single["problems"] if p["issue"]["action"] == "create"]
    assert len(issues) == len(filed) == len({i["title"] for i in issues})  # no duplicate


def test_an_output_that_cannot_be_written_fails_the_run_before_anything_is_filed(tmp_path, export):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a folder should be")
    state = str(tmp_path / "g.db")
    failed = invoke("run", "-i", str(export), "--state", state, "--worklog", str(tmp_path / "w.md"),
                    "--json", str(blocker / "out.json"))
    assert failed.exit_code == 2 and failed.output.startswith("log-gardener: error:")
    listing = orjson.loads(invoke("issues", "list", "--state", state, "--all", "--json").output)
    assert listing == []  # nothing was filed, so the next run files it all and records it
    assert not list(tmp_path.glob(".*.tmp"))  # and nothing half-written is left behind
    again = invoke("run", "-i", str(export), "--state", state, "--worklog", str(tmp_path / "w.md"))
    assert again.exit_code == 0 and "issues created" in again.output and "nothing new" not in again.output


@pytest.mark.parametrize("lead", [b"\n" * (100 << 10), b" \t\r\n" * (40 << 10)], ids=["newlines", "mixed-blank"])
def test_a_long_blank_start_does_not_hide_the_entries(tmp_path, lead):
    entries = write_jsonl(tmp_path / "plain.jsonl", crash_loop(2))
    padded = tmp_path / "padded.jsonl"
    padded.write_bytes(lead + entries.read_bytes())
    doc, _ = run_json(tmp_path, "-i", str(padded))
    (tmp_path / "again").mkdir()
    plain, _ = run_json(tmp_path / "again", "-i", str(entries))
    assert doc["totals"]["read"] == plain["totals"]["read"] > 0 and doc["totals"]["rejected"] == 0
