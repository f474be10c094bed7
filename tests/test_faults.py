"""Faults in what a run is given: a state that is not one, cannot be written or comes from a newer
version; dates at the calendar's edges. Each is one line and a non-zero exit, or a counted reject —
never an internal error, never a watermark that empties every later run."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.garden.local import LocalTracker


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def entry(ts: str, i: int, text: str = "payment failed: card declined") -> dict:
    return {"timestamp": ts, "severity": "ERROR", "textPayload": text, "insertId": f"id{i}",
            "resource": {"type": "cloud_run_revision", "labels": {"service_name": "shop"}}}


def jsonl(path: Path, entries: list[dict]) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in entries))
    return path


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("log-gardener: error: "), result.output
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def logs(tmp_path):
    return jsonl(tmp_path / "in.jsonl", [entry("2026-11-29T10:00:00Z", 1), entry("2026-11-29T10:05:00Z", 2)])


# --- the state -----------------------------------------------------------------------------------

def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path, logs):
    other = tmp_path / "app.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO customers (name) VALUES ('ada')")
    before = other.read_bytes()
    for args in (("run", "-i", logs, "--state", other), ("issues", "list", "--state", other)):
        one_line_error(invoke(*args), "not a log-gardener state", "customers")
    assert other.read_bytes() == before  # no table of ours added to it


def test_a_database_with_our_table_names_but_not_our_columns_is_refused(tmp_path, logs):
    other = tmp_path / "tracker.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE issues (id INTEGER PRIMARY KEY, name TEXT)")
    one_line_error(invoke("run", "-i", logs, "--state", other), "not a log-gardener state", "issues")


def test_a_file_that_is_no_database_is_refused(tmp_path, logs):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all " * 100)
    one_line_error(invoke("run", "-i", logs, "--state", junk), "junk.db")


def test_a_state_from_a_newer_version_is_refused_not_damaged(tmp_path, logs):
    state = tmp_path / "g.db"
    assert invoke("run", "-i", logs, "--state", state, "-q").exit_code == 0
    with sqlite3.connect(state) as db:
        db.execute("PRAGMA user_version = 99")
    one_line_error(invoke("run", "-i", logs, "--state", state), "newer log-gardener", "99")
    one_line_error(invoke("issues", "list", "--state", state), "newer log-gardener")


def test_a_state_written_before_states_were_marked_is_still_ours(tmp_path, logs):
    state = tmp_path / "g.db"
    assert invoke("run", "-i", logs, "--state", state, "-q").exit_code == 0
    with sqlite3.connect(state) as db:  # as an older version left it: no mark, no column state_reason yet
        db.execute("PRAGMA application_id = 0")
        db.execute("PRAGMA user_version = 0")
    result = invoke("issues", "list", "--state", state)
    assert result.exit_code == 0 and "#1" in result.output
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0  # listing only reads
    assert invoke("run", "-i", logs, "--state", state, "-q").exit_code == 0
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] > 0  # a run marks it


def test_a_state_an_older_version_wrote_is_listed_without_being_changed(tmp_path, logs):
    state = tmp_path / "g.db"
    assert invoke("run", "-i", logs, "--state", state, "-q").exit_code == 0
    with sqlite3.connect(state) as db:  # as before these columns were added
        db.execute("ALTER TABLE runs DROP COLUMN document")
        db.execute("ALTER TABLE issues DROP COLUMN state_reason")
        db.execute("PRAGMA user_version = 2")
    before = state.read_bytes()
    for args in (("issues", "list", "--state", state), ("issues", "show", "1", "--state", state),
                 ("run", "-i", logs, "--state", state, "--dry-run")):
        result = invoke(*args)
        assert result.exit_code == 0 and "#1" in result.output, result.output
    assert state.read_bytes() == before
    assert invoke("run", "-i", logs, "--state", state, "-q").exit_code == 0  # a run upgrades it
    with sqlite3.connect(state) as db:
        assert "document" in {r[1] for r in db.execute("PRAGMA table_info(runs)")}


def _as_unprivileged(fn):
    """Run ``fn`` where file permissions apply: in a forked child without root's rights when the tests
    run as root (root writes read-only files), else here. Returns what ``fn`` returns."""
    if os.geteuid() != 0:
        return fn()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root, run, send the result back, leave without cleanup
        code = 0
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            data = pickle.dumps(("ok", fn()))
        except BaseException as exc:  # reported to the parent, which asserts
            data = pickle.dumps(("error", repr(exc)))
            code = 1
        with os.fdopen(write, "wb") as out:
            out.write(data)
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as inp:
        status, value = pickle.loads(inp.read())
    os.waitpid(pid, 0)
    assert status == "ok", value
    return value


def test_a_read_only_state_is_one_line_before_any_work(logs):
    # outside pytest's private temporary directory, so that an unprivileged child can reach it
    home = Path(tempfile.mkdtemp(prefix="lg-ro-"))
    try:
        home.chmod(0o755)
        state, src = home / "g.db", home / "in.jsonl"
        src.write_bytes(Path(logs).read_bytes())
        assert invoke("run", "-i", src, "--state", state, "-q").exit_code == 0
        for path in home.iterdir():
            path.chmod(0o444)
        home.chmod(0o555)  # nor can a journal be made beside it

        def attempt():
            result = invoke("run", "-i", src, "--state", state)
            return result.exit_code, result.output

        def look():
            results = [invoke("run", "-i", src, "--state", state, "--dry-run"), invoke("issues", "list", "--state",
                                                                                       state)]
            return [(r.exit_code, r.output) for r in results]

        code, output = _as_unprivileged(attempt)
        lines = [line for line in output.splitlines() if line.strip()]
        assert code == 2 and len(lines) == 1 and lines[0].startswith("log-gardener: error: "), output
        assert "g.db" in lines[0]
        before = state.read_bytes()
        (dry, dry_out), (listing, listed) = _as_unprivileged(look)  # what only reads works
        assert dry == 0 and "unchanged" in dry_out and "#1" in dry_out, dry_out
        assert listing == 0 and "#1" in listed, listed
        assert state.read_bytes() == before
    finally:
        home.chmod(0o755)
        for path in home.iterdir():
            path.unlink()
        home.rmdir()


# --- the calendar's edges --------------------------------------------------------------------------

@pytest.mark.parametrize("stamp", ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59Z",
                                   "2200-01-01T00:00:00Z", 10**19, {"seconds": 10**12}])  # 10**19 ns: 2286
def test_an_entry_dated_outside_1970_2199_is_rejected_and_never_the_watermark(tmp_path, stamp):
    state = tmp_path / "g.db"
    now = datetime.now(UTC).replace(microsecond=0)
    recent = (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    src = jsonl(tmp_path / "in.jsonl", [entry(stamp, 1), entry(recent, 2)])  # type: ignore[arg-type]
    out = tmp_path / "out.json"
    result = invoke("run", "-i", src, "--since", "last", "--state", state, "--json", out, "-q")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["totals"]["rejected"] == 1 and doc["totals"]["selected"] == 1
    (reject,) = doc["rejects"]
    assert reject["origin"].endswith("in.jsonl:1") and "timestamp" in reject["reason"]  # out of range, or beyond
    # the next run resumes where this one ended: its window holds the entries written since
    later = (now + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    src2 = jsonl(tmp_path / "in2.jsonl", [entry(stamp, 3), entry(later, 4, "inventory sync failed: timeout")])
    result = invoke("run", "-i", src2, "--since", "last", "--state", state, "--json", out, "-q")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["totals"]["selected"] == 1 and doc["totals"]["rejected"] == 1


def test_a_watermark_is_never_later_than_the_run_that_set_it(tmp_path):
    # an entry from the future (a skewed clock, inside 1970-2199) must not empty every later window
    state = tmp_path / "g.db"
    future = (datetime.now(UTC) + timedelta(days=400)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert invoke("run", "-i", jsonl(tmp_path / "a.jsonl", [entry(future, 1)]), "--state", state,
                  "-q").exit_code == 0
    tracker = LocalTracker(state)
    try:
        mark = tracker.last_window_end()
    finally:
        tracker.shutdown()
    assert mark is not None and mark <= datetime.now(UTC)


# --- exactly once, whatever the timing ---------------------------------------------------------------

# a run of the CLI in its own process, without GitHub's pacing between writes (politeness, not correctness)
UNPACED = ("import functools, sys; from log_gardener.garden import github; "
           "github.from_env = functools.partial(github.from_env, sleep=lambda s: None, "
           "seconds_between_requests=0, seconds_between_writes=0); "
           "from log_gardener.cli import main; main(sys.argv[1:], prog_name='log-gardener')")


def _many_problems(tmp_path: Path, extra: int) -> Path:
    """A crash loop and ``3 + extra`` unrelated problems: several issues to file at once."""
    from factory import Severity, crash_loop, entry, write_jsonl

    words = ["payment", "inventory", "shipping", "invoice", "refund", "catalog", "search", "cart"]
    others = [entry(f"{w} service call failed: upstream timeout", 30.0 * k + i, Severity.ERROR, inst=2)
              for k, w in enumerate(words[: 3 + extra]) for i in range(3)]
    return write_jsonl(tmp_path / "in.jsonl", crash_loop(2) + others)


def _at_once(n: int, args: list[str], tmp_path: Path, env: dict[str, str] | None = None) -> None:
    import subprocess
    import sys

    procs = [subprocess.Popen([sys.executable, "-c", UNPACED, "run", "-q", *args, "--worklog",
                               str(tmp_path / f"w{k}.md")], stderr=subprocess.PIPE,
                              env={**os.environ, **(env or {})}) for k in range(n)]
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0] * n, [p.stderr.read().decode()[-500:] for p in procs]


def _problems(tmp_path: Path, src: Path) -> int:
    """How many issues one run alone files for ``src`` (on a state of its own)."""
    out = tmp_path / "alone.json"
    result = invoke("run", "-i", src, "--state", tmp_path / "alone.db", "--json", out, "--dry-run", "-q")
    assert result.exit_code == 0, result.output
    return sum(p["issue"]["action"] == "create" for p in json.loads(out.read_text())["problems"])


@pytest.mark.parametrize("round_", range(3))
def test_eight_runs_at_once_on_one_local_state_file_each_problem_once(tmp_path, round_):
    src = _many_problems(tmp_path, round_)
    expected = _problems(tmp_path, src)
    state = tmp_path / "g.db"
    _at_once(8, ["-i", str(src), "--state", str(state)], tmp_path)
    issues = json.loads(invoke("issues", "list", "--state", state, "--all", "--json").output)
    assert expected >= 3 and len(issues) == expected  # as many issues as problems: none twice
    runs = sqlite3.connect(state).execute("SELECT count(*) FROM runs").fetchone()[0]
    assert runs == 8  # every run finished and was recorded


@pytest.mark.parametrize("round_", range(2))
def test_eight_runs_at_once_on_github_each_problem_once(tmp_path, round_):
    from github_fake import FakeGitHub

    fake = FakeGitHub().start()
    try:
        src = _many_problems(tmp_path, round_)
        expected = _problems(tmp_path, src)
        args = ["-i", str(src), "--tracker", "github", "--repo", fake.repo, "--github-url", fake.base_url,
                "--state", str(tmp_path / "gh.db")]
        _at_once(8, args, tmp_path, {"GITHUB_TOKEN": fake.token})
        issues = fake.issues()
        markers = [i["body"].split("-->", 1)[0] for i in issues]
        assert expected >= 3 and len(issues) == expected and len(set(markers)) == expected
    finally:
        fake.stop()


def test_a_run_beside_a_run_that_does_not_end_waits_then_says_so_in_one_line(tmp_path, logs, monkeypatch):
    import fcntl

    state = tmp_path / "g.db"
    assert invoke("run", "-i", logs, "--state", state, "-q").exit_code == 0
    holder = sqlite3.connect(state, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another run, in the middle of its writes
    try:
        result = invoke("run", "-i", logs, "--state", state, "--wait", "0.5")
        one_line_error(result, "another run is using this state", "waited 0.5 s")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert invoke("run", "-i", logs, "--state", state, "-q", "--wait", "0").exit_code == 0  # free again

    from github_fake import FakeGitHub

    fake = FakeGitHub().start()
    try:
        gh_state = tmp_path / "gh.db"
        args = ("run", "-i", logs, "--tracker", "github", "--repo", fake.repo, "--github-url", fake.base_url,
                "--state", gh_state, "--wait", "0.3")
        monkeypatch.setenv("GITHUB_TOKEN", fake.token)
        with open(f"{gh_state}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the lock of a GitHub run in progress
            one_line_error(CliRunner().invoke(main, [str(a) for a in args]), "another run is using this state")
        assert fake.writes() == []  # nothing was filed while waiting
    finally:
        fake.stop()
