import sqlite3

import pytest

from log_gardener.analyse.analysis import analyse
from log_gardener.garden import gardener
from log_gardener.garden.local import LocalTracker, StateError
from log_gardener.group.grouping import finalize, group
from log_gardener.model import Severity
from log_gardener.report.render import Renderer

from factory import crash_loop, entry


def garden(entries, tracker, cap=10, dry=False):
    entries = [e for e in entries if e.severity >= Severity.WARNING]
    state = group(entries)
    findings = analyse(finalize(state), state, history=gardener.history_of(tracker))
    ctx = {"service": "shop-api", "window_start": "a", "window_end": "b",
           "totals": {"selected": len(entries)}}
    actions = gardener.plan(findings, state, tracker, cap)
    if not dry:
        with tracker.transaction():
            gardener.apply(actions, tracker, Renderer(ctx))
    return {a.finding.title: a for a in actions}


def kinds(actions):
    return sorted(a.kind for a in actions.values())


@pytest.fixture
def tracker(tmp_path):
    t = LocalTracker(tmp_path / "state" / "garden.db")
    yield t
    t.shutdown()


def test_first_run_files_roots_and_reports_consequences_on_the_cause(tracker):
    actions = garden(crash_loop(4), tracker)
    assert kinds(actions).count("create") == 2  # the crash, the SDK warning
    assert kinds(actions).count("comment-on-cause") == 2  # worker boot failure, container exit
    issues = tracker.list()
    assert len(issues) == 2
    p0 = next(i for i in issues if "P0" in i.labels)
    assert p0.title.startswith("GCP-new | P0 | ModuleNotFoundError")
    body = tracker.get(p0.number).body
    assert "<!-- log-gardener:problem=" in body
    assert "Consequences (same incident)" in body and "Container called exit" in body
    assert {"log-gardener", "category:startup-failure"} <= set(p0.labels)


def test_rerun_on_same_input_changes_nothing(tracker):
    entries = crash_loop(4)
    garden(entries, tracker)
    before = (tracker.list(), [tracker.get(i.number).comments for i in tracker.list()])
    actions = garden(entries, tracker)
    assert set(kinds(actions)) == {"unchanged"}
    after = (tracker.list(), [tracker.get(i.number).comments for i in tracker.list()])
    assert [(i.number, i.title, i.labels) for i in before[0]] == [(i.number, i.title, i.labels) for i in after[0]]
    assert before[1] == after[1]


def test_later_window_comments_once_per_issue(tracker):
    garden(crash_loop(3), tracker)
    actions = garden(crash_loop(3, start=600, first_instance=20), tracker)
    assert kinds(actions).count("create") == 0
    assert kinds(actions).count("comment") == 2
    p0 = next(i for i in tracker.list() if "P0" in i.labels)
    comments = tracker.get(p0.number).comments
    assert len(comments) == 1  # one comment for the root and its consequences together
    assert "new entries" in comments[0] and "Container called exit" in comments[0]
    assert tracker.get(p0.number).title.startswith("GCP-active-dev | P0 | ")


def test_a_title_a_person_changed_is_left_alone(tracker):
    garden(crash_loop(2), tracker)
    p0 = next(i for i in tracker.list() if "P0" in i.labels)
    with tracker.transaction():
        tracker.set_title(p0, "Startup broken: metrics module missing")
    garden(crash_loop(2, start=600, first_instance=20), tracker)
    assert tracker.get(p0.number).title == "Startup broken: metrics module missing"


def test_closed_issue_is_reopened_on_regression(tracker):
    garden(crash_loop(2), tracker)
    p0 = next(i for i in tracker.list() if "P0" in i.labels)
    with tracker.transaction():
        tracker.close(p0)
    actions = garden(crash_loop(2, start=900, first_instance=40), tracker)
    root = next(a for a in actions.values() if a.issue is not None and a.issue.number == p0.number
                and a.kind == "reopen")
    assert root.status == "regression"
    issue = tracker.get(p0.number)
    assert issue.state == "open" and issue.title.startswith("GCP-regression")
    assert "Reopened: regression" in issue.comments[-1]


def test_cap_on_new_issues(tracker):
    words = ["disk quota exceeded", "cache warmup aborted", "queue consumer stalled", "token refresh rejected",
             "index rebuild skipped"]
    es = [entry(w, t=n, inst=n) for n, w in enumerate(words)]
    actions = garden(es, tracker, cap=2)
    assert kinds(actions).count("create") == 2
    assert kinds(actions).count("not-filed-over-cap") == 3
    assert len(tracker.list()) == 2


def test_dry_run_writes_nothing(tracker):
    actions = garden(crash_loop(2), tracker, dry=True)
    assert "create" in kinds(actions)
    assert tracker.list() == []


def test_failed_run_leaves_the_database_untouched(tracker):
    garden(crash_loop(2), tracker)
    count = len(tracker.list())
    with pytest.raises(RuntimeError), tracker.transaction():
        tracker.create("half", "written", ["x"], ["k1"])
        raise RuntimeError("killed mid-run")
    assert len(tracker.list()) == count
    assert tracker.find(["k1"]) is None


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path):
    bad = tmp_path / "garden.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StateError, match="cannot use as state database"):
        LocalTracker(bad)
    assert sqlite3.sqlite_version


def test_a_changed_priority_replaces_the_label_and_keeps_peoples_labels(tracker):
    garden(crash_loop(2), tracker)
    sdk = next(i for i in tracker.list() if "P3" in i.labels)
    with tracker.transaction():
        tracker.set_labels(sdk, [*sdk.labels, "team:payments"])
    from log_gardener.analyse.rules import Config, Rule

    config = Config(rules=(Rule("sdk-p1", priority="P1", message=__import__("re").compile("Payments SDK")),))
    entries = [e for e in crash_loop(2, start=600, first_instance=20) if e.severity >= Severity.WARNING]
    state = group(entries)
    findings = analyse(finalize(state), state, config, history=gardener.history_of(tracker))
    actions = gardener.plan(findings, state, tracker, 10)
    with tracker.transaction():
        gardener.apply(actions, tracker, Renderer({"service": "s", "window_start": "a", "window_end": "b",
                                                   "totals": {"selected": len(entries)}}))
    labels = tracker.get(sdk.number).labels
    assert "P1" in labels and "P3" not in labels and "team:payments" in labels
