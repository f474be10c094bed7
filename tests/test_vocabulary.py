"""Window-stable template ids: what one run learns, the next one reuses (kept in the state file)."""

import sqlite3

import orjson
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.garden.local import LocalTracker
from log_gardener.group.templates import earlier_templates, learn, mine, resolve, template_id
from log_gardener.model import Vocabulary

USERS = ["root", "admin", "git", "oracle", "test", "ubuntu", "deploy"]
GENERAL = "Failed password for <*> from <*> port <*> ssh2"


def failed(user: str, n: int) -> str:
    return f"Failed password for {user} from 10.0.{n % 7}.{n % 250} port {4000 + n} ssh2"


def test_a_window_with_one_value_reuses_what_a_window_with_many_learned():
    alone = mine([failed("root", i) for i in range(3)])
    assert {t for _, t in alone} == {"Failed password for root from <*> port <*> ssh2"}  # nothing says root varies
    wide = mine([failed(u, i) for i, u in enumerate(USERS)])
    assert {t for _, t in wide} == {GENERAL}
    known = learn(None, {t for _, t in wide})
    again = mine([failed("root", i) for i in range(3)], known)
    assert {t for _, t in again} == {GENERAL}
    assert {sid for sid, _ in again} == {template_id(GENERAL)}


def test_a_learned_template_does_not_swallow_other_wording():
    known = learn(None, {GENERAL, "VM Started"})
    out = dict(mine(["Failed password for invalid user a from 1.2.3.4 port 22 ssh2", "VM Paused", "VM Started"],
                    known))
    assert set(out.values()) == {"Failed password for invalid user a from <*> port <*> ssh2", "VM Paused",
                                 "VM Started"}


def test_two_windows_with_one_value_each_decide_as_their_union_would():
    first = [f"cannot open config /etc/app/a.conf: retry {i}" for i in range(3)]
    second = [f"cannot open config /etc/app/b.conf: retry {i}" for i in range(3)]
    union = {t for _, t in mine(first + second)}
    assert union == {"cannot open config <*>: retry <*>"}  # paths vary: data
    alone = [{t for _, t in mine(w)} for w in (first, second)]
    assert alone[0] != alone[1]  # each window alone cannot tell
    known = learn(None, alone[0])
    second_run = {t for _, t in mine(second, known)}
    assert second_run == union  # the earlier run's template is an observation of the slot
    known = learn(known, second_run)
    assert {resolve(known, t) for t in alone[0] | second_run} == union
    # and a difference the union would keep apart stays apart across runs
    known = learn(None, {"VM Started"})
    assert {t for _, t in mine(["VM Paused"], known)} == {"VM Paused"}


def test_a_template_generalised_later_supersedes_the_narrow_one():
    narrow = "Failed password for root from <*> port <*> ssh2"
    first = learn(None, {narrow, "VM Started"})
    second = learn(first, {GENERAL})
    assert second.superseded == {narrow: GENERAL}
    assert narrow not in second.templates and "VM Started" in second.templates  # unrelated ones stay
    assert resolve(second, narrow) == GENERAL and resolve(second, "VM Started") == "VM Started"
    assert earlier_templates(second, [GENERAL]) == {GENERAL: [narrow]}
    assert first.superseded == {} and narrow in first.templates  # learning returns a new value


def test_a_narrow_template_still_produced_is_not_superseded():
    # both forms in the same run are two events; neither replaces the other
    both = learn(None, {"Disk <*> full", "Disk sda1 full"})
    assert both.superseded == {}


def test_the_vocabulary_is_bounded_and_keeps_the_recent_templates():
    v = Vocabulary(limit=3)
    for run in range(5):
        v = learn(v, {f"event {run} happened"})
    assert len(v.templates) == 3 and v.runs == 5
    assert set(v.templates) == {"event 2 happened", "event 3 happened", "event 4 happened"}


def _log(path, lines, hour):
    path.write_bytes(b"".join(orjson.dumps({"timestamp": f"2026-03-01T{hour:02d}:00:{i % 60:02d}Z", "severity": "ERROR",
                                            "textPayload": line, "insertId": f"{hour}-{i}"}) + b"\n"
                              for i, line in enumerate(lines)))
    return path


def template(problem):
    return problem["signatures"][0]["key"].removeprefix("template|")


def _run(tmp_path, log, *extra):
    out = tmp_path / "out.json"
    result = CliRunner().invoke(main, ["run", "-i", str(log), "--state", str(tmp_path / "g.db"),
                                       "--worklog", str(tmp_path / "w.md"), "--json", str(out), *extra],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return orjson.loads(out.read_bytes())


def test_runs_over_windows_keep_one_issue_for_one_event(tmp_path):
    # run 1 sees one user name: the narrow template is filed
    doc1 = _run(tmp_path, _log(tmp_path / "w1.jsonl", [failed("root", i) for i in range(4)], 1))
    assert [template(p) for p in doc1["problems"]] == ["Failed password for root from <*> port <*> ssh2"]
    # run 2 sees many: the template is generalised, and the issue of run 1 gets the evidence
    doc2 = _run(tmp_path, _log(tmp_path / "w2.jsonl", [failed(u, i) for i, u in enumerate(USERS)], 2))
    (p2,) = doc2["problems"]
    assert template(p2) == GENERAL and p2["status"] == "ongoing"
    assert p2["issue"]["action"] == "comment" and p2["issue"]["ref"] == doc1["problems"][0]["issue"]["ref"]
    # run 3 sees one other user name: the learned template, the same problem id, the same issue
    doc3 = _run(tmp_path, _log(tmp_path / "w3.jsonl", [failed("deploy", i + 50) for i in range(3)], 3))
    (p3,) = doc3["problems"]
    assert p3["id"] == p2["id"] and p3["issue"]["action"] == "comment"
    assert p3["issue"]["ref"] == p2["issue"]["ref"]
    tracker = LocalTracker(tmp_path / "g.db")
    try:
        assert len(tracker.list()) == 1
        assert GENERAL in tracker.vocabulary().templates
    finally:
        tracker.shutdown()


def test_a_dry_run_learns_nothing(tmp_path):
    _run(tmp_path, _log(tmp_path / "w1.jsonl", [failed("root", i) for i in range(4)], 1))
    _run(tmp_path, _log(tmp_path / "w2.jsonl", [failed(u, i) for i, u in enumerate(USERS)], 2), "--dry-run")
    db = sqlite3.connect(tmp_path / "g.db")
    templates = {t for (t,) in db.execute("SELECT template FROM vocabulary")}
    db.close()
    assert templates == {"Failed password for root from <*> port <*> ssh2"}
