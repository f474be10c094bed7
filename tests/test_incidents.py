"""Incident analysis on synthetic Cloud Run logs: chains, deploys, history, rules."""

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.model import Severity

from factory import REV1, REV2, crash, crash_loop, entry, write_jsonl


def run(tmp_path, path, *args, name="out"):
    out = tmp_path / f"{name}.json"
    result = CliRunner().invoke(main, ["run", "-q", "-i", str(path), "--state", str(tmp_path / "g.db"),
                                       "--worklog", str(tmp_path / f"{name}.md"), "--json", str(out), *args])
    assert result.exit_code == 0, result.output
    return orjson.loads(out.read_bytes())


def by_title(doc, needle):
    hits = [p for p in doc["problems"] if needle in p["title"]]
    assert len(hits) == 1, (needle, [p["title"] for p in doc["problems"]])
    return hits[0]


def requests_failing(inst, t, n=3, revision=REV1, service=None):
    out = []
    for k in range(n):
        e = entry("The request failed because the HTTP response was malformed.", t + 5 * k, Severity.ERROR,
                  inst=inst, revision=revision, http_status=503, log_name="run.googleapis.com/requests")
        if service:
            e.service = service
        out.append(e)
    return out


def db_timeout_start(inst, t, revision=REV2):
    """A start that fails on a database timeout: a migration error 10 s before, then the failure."""
    return [
        entry("Failed to run migrations: connection to server on socket /cloudsql/db failed", t - 10,
              Severity.ERROR, inst, revision),
        entry("Continuing without migrations", t - 10 + 0.0001, Severity.WARNING, inst, revision),
        entry("Database initialization timeout after 25.0s. Check the Cloud SQL instance.", t, Severity.ERROR,
              inst, revision),
        entry("PHASE FAILED: DATABASE - Database initialization timeout after 25.0s. Check the Cloud SQL instance.",
              t + 0.002, Severity.ERROR, inst, revision),
        entry("session middleware error: CRITICAL STARTUP FAILURE: Database initialization timeout after 25.0s. "
              "Check the Cloud SQL instance.", t + 0.1499, Severity.ERROR, inst, revision,
              error=("DeterministicStartupError", "CRITICAL STARTUP FAILURE: Database initialization timeout after "
                                                  "25.0s. Check the Cloud SQL instance.")),
        entry("Application startup failed. Exiting.", t + 0.15, Severity.ERROR, inst, revision),
        entry("Container called exit(3).", t + 1.5, Severity.WARNING, inst, revision,
              log_name="run.googleapis.com/varlog/system"),
    ]


def test_crash_loop_is_one_incident_with_its_chain_and_independent_warnings(tmp_path):
    es = crash_loop(6)
    for k in range(6):
        es += requests_failing(k + 1, 30 * k - 20)  # requests wait while the instance fails to start
    doc = run(tmp_path, write_jsonl(tmp_path / "a.jsonl", es))
    root = by_title(doc, "No module named")
    boot = by_title(doc, "Worker failed to boot")
    exit_ = by_title(doc, "Container called exit")
    req = by_title(doc, "request failed")
    sdk = by_title(doc, "Payments SDK")
    assert root["priority"] == "P0" and root["caused_by"] is None
    assert boot["caused_by"] == root["id"] and exit_["caused_by"] == boot["id"]
    assert req["caused_by"] in (root["id"], boot["id"], exit_["id"]) and "answered by instances" in req["cause_reason"]
    assert sdk["caused_by"] is None and sdk["priority"] == "P3"
    assert root["first_revision"] == REV1
    worklog = (tmp_path / "out.md").read_text()
    assert "## Cause Chains" in worklog and "Container called exit(3)" in worklog.split("## Cause Chains")[1]


def test_database_timeout_is_its_own_chain_and_not_merged_with_a_simultaneous_crash(tmp_path):
    es = []
    for k in range(4):
        es += db_timeout_start(10 + k, 60 * k)
        es += requests_failing(10 + k, 60 * k - 50, revision=REV2)
        es += crash(30 + k, 60 * k + 7)  # another incident, other instances, same minutes
    doc = run(tmp_path, write_jsonl(tmp_path / "b.jsonl", es))
    db = by_title(doc, "Database initialization timeout")
    module = by_title(doc, "No module named")
    assert db["priority"] == "P0" and db["caused_by"] is None
    assert db["id"] != module["id"]
    migrations = by_title(doc, "Failed to run migrations")
    assert migrations["caused_by"] == db["id"] and "part of the same failed start" in migrations["cause_reason"]
    assert any("Application startup failed" in s["example"] for s in db["signatures"])
    consequences = {p["title"]: p["caused_by"] for p in doc["problems"] if p["caused_by"]}
    assert any("request failed" in t for t in consequences)
    assert consequences[next(t for t in consequences if "request failed" in t)] == db["id"]


def test_consequences_never_cross_services(tmp_path):
    es = crash_loop(4)
    other = [e for e in requests_failing(1, 1, n=4, service="billing-api")]
    doc = run(tmp_path, write_jsonl(tmp_path / "c.jsonl", es + other))
    req = by_title(doc, "request failed")
    assert req["caused_by"] is None  # same instance name, another service: unrelated


def test_new_since_a_revision_and_stopped_by_a_newer_one(tmp_path):
    quiet = [entry(f"Cache warmup done in {k} ms, 3 shards skipped", 100 * k, Severity.WARNING, inst=50,
                   revision=REV1) for k in range(5)]
    broken = crash_loop(3, start=600, revision=REV2, first_instance=60)
    later = [entry(f"Cache warmup done in {k} ms, 3 shards skipped", 3000 + 100 * k, Severity.WARNING, inst=70,
                   revision="shop-api-00012-ccc") for k in range(3)]
    doc = run(tmp_path, write_jsonl(tmp_path / "d.jsonl", quiet + broken + later))
    root = by_title(doc, "No module named")
    assert root["new_since_revision"] == REV2 and root["not_in_revisions"] == [REV1]
    assert root["stopped_after_revision"] == "shop-api-00012-ccc"
    assert any("fixed by shop-api-00012-ccc?" in n for n in root["deploy_notes"])
    summary = (tmp_path / "out.md").read_text().split("## Log Clusters")[0]
    assert f"new since revision {REV2}" in summary


def test_statuses_across_runs_and_no_close_on_a_single_absence(tmp_path):
    warn = "Slow query took 912 ms on table orders"
    w1 = [*crash_loop(2), entry(warn, 5, inst=9)]
    w2 = [*crash_loop(2, start=3600, first_instance=20), entry(warn, 3605, inst=9)]
    w3 = [entry(warn, 7200 + k, inst=9) for k in range(3)]  # the crash is gone
    docs = [run(tmp_path, write_jsonl(tmp_path / f"w{n}.jsonl", w), name=f"r{n}") for n, w in enumerate((w1, w2, w3))]
    assert by_title(docs[0], "No module named")["status"] == "new"
    assert by_title(docs[1], "No module named")["status"] == "ongoing"
    assert by_title(docs[1], "Slow query")["status"] == "ongoing"
    assert docs[2]["resolved_candidates"] == []  # one absence closes nothing
    for n in (3, 4):
        docs.append(run(tmp_path, write_jsonl(tmp_path / f"w{n}.jsonl", [entry(warn, 3600 * n, inst=9)]),
                        name=f"r{n}"))
    assert len(docs[3]["resolved_candidates"]) == 0
    # the crash and the SDK warning of its starts: absent three runs in a row
    assert sorted(c["issue"] for c in docs[4]["resolved_candidates"]) == ["#1", "#2"]
    assert "Resolved Candidates" in (tmp_path / "r4.md").read_text()
    closed = run(tmp_path, write_jsonl(tmp_path / "w5.jsonl", [entry(warn, 3600 * 5, inst=9)]), "--close-resolved",
                 name="r5")
    assert closed["resolved_candidates"][0]["closed"] is True
    shown = CliRunner().invoke(main, ["issues", "show", "1", "--state", str(tmp_path / "g.db")]).output
    assert "[closed]" in shown and "closing as resolved" in shown
    back = run(tmp_path, write_jsonl(tmp_path / "w6.jsonl", crash_loop(2, start=3600 * 6, first_instance=40)),
               name="r6")
    root = by_title(back, "No module named")
    assert root["status"] == "regression" and root["issue"]["action"] == "reopen"


def test_back_after_the_quiet_period_is_a_regression(tmp_path):
    run(tmp_path, write_jsonl(tmp_path / "a.jsonl", crash_loop(2)), name="a")
    cfg = tmp_path / "lg.toml"
    cfg.write_text('quiet_period = "2h"\n')
    doc = run(tmp_path, write_jsonl(tmp_path / "b.jsonl", crash_loop(2, start=4 * 3600, first_instance=9)),
              "--config", str(cfg), name="b")
    root = by_title(doc, "No module named")
    assert root["status"] == "regression" and "quiet period" in root["status_reason"]
    assert root["issue"]["action"] == "comment"


CONFIG = """
[settings]
min_count = 2

[[rules]]
name = "payments-sdk-matters"
priority = "P1"
labels = ["payments"]
why = "refunds depend on it"
[rules.match]
message = "Payments SDK"

[[rules]]
name = "slow-queries-are-noise"
ignore = true
why = "tracked elsewhere"
[rules.match]
message = "^Slow query"
severity = "WARNING"
"""


def test_a_config_file_changes_priorities_and_the_worklog_says_which_rule(tmp_path, monkeypatch):
    (tmp_path / "log-gardener.toml").write_text(CONFIG)
    es = crash_loop(3) + [entry(f"Slow query took {n} ms on table orders", n, inst=8) for n in range(4)]
    es.append(entry("A one-off warning nobody needs filed", 99, inst=77))
    cfg = str(tmp_path / "log-gardener.toml")
    doc = run(tmp_path, write_jsonl(tmp_path / "e.jsonl", es), "--config", cfg)
    sdk = by_title(doc, "Payments SDK")
    assert sdk["priority"] == "P1" and "payments-sdk-matters" in sdk["rules"]
    assert "payments" in sdk["labels"]
    assert any("refunds depend on it" in r for r in sdk["priority_reasons"])
    slow = by_title(doc, "Slow query")
    assert slow["issue"]["action"] == "ignored" and "slow-queries-are-noise" in slow["ignored"]
    once = by_title(doc, "one-off warning")
    assert once["issue"]["action"] == "ignored" and "minimum count" in once["ignored"]
    worklog = (tmp_path / "out.md").read_text()
    assert "rule payments-sdk-matters" in worklog and "refunds depend on it" in worklog
    issue = CliRunner().invoke(main, ["issues", "list", "--state", str(tmp_path / "g.db")]).output
    assert "GCP-new | P1 | Payments SDK" in issue and "payments" in issue
    # the same rules from pyproject.toml, found by themselves in the working directory
    (tmp_path / "log-gardener.toml").unlink()
    (tmp_path / "pyproject.toml").write_text(CONFIG.replace("[settings]", "[tool.log-gardener.settings]")
                                             .replace("[[rules]]", "[[tool.log-gardener.rules]]")
                                             .replace("[rules.match]", "[tool.log-gardener.rules.match]"))
    monkeypatch.chdir(tmp_path)
    explained = CliRunner().invoke(main, ["explain", sdk["id"], "-i", str(tmp_path / "e.jsonl")])
    assert explained.exit_code == 0 and "rule payments-sdk-matters" in explained.output


@pytest.mark.parametrize("text, message", [
    ("[[rules]]\nname = 'x'\npriority = 'P9'\n[rules.match]\nmessage = 'a'\n",
     "rule 1 (x) key 'priority': Input should be 'P0', 'P1', 'P2' or 'P3'"),
    ("[[rules]]\nname = 'x'\n[rules.match]\nmessage = 'a'\n", "rule 1 (x): a rule must set priority"),
    ("[[rules]]\nname = 'x'\npriority = 'P1'\n[rules.match]\ncolour = 'red'\n",
     "rule 1 (x) key 'match.colour': unknown key"),
    ("rules = [\n", "not valid TOML"),
    # a wrong type is an error naming the key, never coerced
    ("[[rules]]\nname = 'pay'\nlabels = 'payments'\n[rules.match]\nmessage = 'a'\n",
     "rule 1 (pay) key 'labels': a list of labels"),
    ("[[rules]]\nname = 'pay'\nignore = 'false'\n[rules.match]\nmessage = 'a'\n",
     "rule 1 (pay) key 'ignore': Input should be a valid boolean"),
    ("[[rules]]\nname = 'pay'\npriority = 'P1'\n[rules.match]\nmin_count = 'two'\n",
     "rule 1 (pay) key 'match.min_count': Input should be a valid integer"),
    # a rule without a match would match every problem and demote the built-in P0s
    ("[[rules]]\nname = 'all'\npriority = 'P3'\n", "rule 1 (all) key 'match': a rule needs a [rules.match] table"),
    ("[[rules]]\nname = 'all'\npriority = 'P3'\n[rules.match]\n", "an empty match would match every problem"),
    ("[settings]\nmin_count = 'two'\n", "settings key 'min_count': Input should be a valid integer"),
    ("[settings]\noverlap = 10\n", "settings key 'overlap': a duration like 30m"),
])
def test_a_bad_config_is_a_one_line_error(tmp_path, text, message):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(text)
    path = write_jsonl(tmp_path / "x.jsonl", crash_loop(1))
    result = CliRunner().invoke(main, ["run", "-i", str(path), "--config", str(cfg), "--state", str(tmp_path / "g")])
    assert result.exit_code == 2 and message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_since_last_starts_where_the_last_run_ended_with_an_overlap(tmp_path):
    first = crash_loop(3)  # 12:00:00 .. 12:01:00
    run(tmp_path, write_jsonl(tmp_path / "a.jsonl", first), name="a")
    both = first + crash_loop(3, start=900, first_instance=20)  # the same file, grown by 15 minutes
    doc = run(tmp_path, write_jsonl(tmp_path / "b.jsonl", both), "--since", "last", name="b")
    # the window starts 10 minutes before the last run's end: the old crashes are inside it,
    # but their evidence was reported already and is not counted again
    root = by_title(doc, "No module named")
    assert root["issue"]["action"] == "comment" and root["issue"]["new_entries"] == 3 * 8
    assert doc["window"]["start"] == "2026-03-01T11:51:00.480000Z"


def test_since_last_without_history_reads_the_first_window_and_says_so(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", crash_loop(1))  # 2026-03-01: long before the last 12 hours
    (tmp_path / "g.db").touch()  # a state with no run in it
    result = CliRunner().invoke(main, ["run", "-i", str(path), "--since", "last", "--state", str(tmp_path / "g.db"),
                                       "--worklog-dir", str(tmp_path / "wl")])
    assert result.exit_code == 0, result.output
    assert "first run on" in result.output and "--first-window" in result.output
    assert "selected 0" in result.output


def test_extra_secret_patterns_from_the_config_are_masked_everywhere(tmp_path):
    cfg = tmp_path / "lg.toml"
    cfg.write_text('secret_patterns = ["ACME-CUST-[0-9]{6}"]\n')
    es = [entry("Refund rejected for customer ACME-CUST-123456 at gateway", t, Severity.ERROR, inst=t)
          for t in range(3)]
    doc = run(tmp_path, write_jsonl(tmp_path / "s.jsonl", es), "--config", str(cfg))
    shown = CliRunner().invoke(main, ["issues", "show", "1", "--state", str(tmp_path / "g.db")]).output
    for text in ((tmp_path / "out.md").read_text(), shown):
        assert "ACME-CUST-123456" not in text and "[REDACTED]" in text
    assert doc["problems"]


def test_a_problem_that_goes_quiet_while_its_revision_runs_on_is_not_called_fixed(tmp_path):
    from factory import REV1, REV2

    es = [entry("Rate limit approaching for tenant t-1: 91% of quota", 60 * k, Severity.WARNING, inst=1,
                revision=REV1) for k in range(3)]
    es += [entry(f"Cache refresh took {k} ms longer than planned", 60 * k, Severity.WARNING, inst=2,
                 revision=REV1) for k in range(60)]  # REV1 keeps logging for an hour
    es += [entry(f"Cache refresh took {k} ms longer than planned", 1800 + 60 * k, Severity.WARNING, inst=3,
                 revision=REV2) for k in range(40)]  # and a newer revision runs too
    doc = run(tmp_path, write_jsonl(tmp_path / "q.jsonl", es))
    quota = by_title(doc, "Rate limit approaching")
    assert quota["stopped_after_revision"] is None
