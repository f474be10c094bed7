"""`--state gs://BUCKET/OBJECT`: the real google-cloud-storage client against a local Cloud Storage.

The server is gcp-storage-emulator with a front (``gcs_fake.FakeGCS``) that answers a stale
``ifGenerationMatch`` with 412 as GCS does: the emulator alone ignores it (shown below), so without the
front the overlap tests would pass whatever the code did. Overlapping runs are separate processes
running the real CLI; run A is stopped between its download and its upload by holding its upload
request in the server (as a slow network would), or by feeding its logs on stdin only later.
"""

from __future__ import annotations

import gc
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner
from google.api_core.exceptions import PreconditionFailed
from google.cloud import storage

from log_gardener.cli import main
from log_gardener.garden import remote_state
from log_gardener.garden.remote_state import RemoteState, RemoteStateError
from log_gardener.model import Severity

from factory import crash_loop, entry, to_log_entry, write_jsonl

BUCKET = "states"
NAME = "ops/shop-api.db"
URL = f"gs://{BUCKET}/{NAME}"
UPLOAD = r"^/upload/storage/v1/b/states/o$"

# a child process running the CLI as installed; GitHub's pacing between writes is off, as in test_github_cli.py
CHILD = """
import functools, sys
from log_gardener.garden import github
github.from_env = functools.partial(github.from_env, sleep=lambda _s: None, seconds_between_requests=0,
                                    seconds_between_writes=0)
from log_gardener.cli import entry
sys.argv[0] = "log-gardener"
entry()
"""


def failing(text: str, start: float, n: int = 4) -> list:
    """A problem of its own: the same error ``n`` times, 40 s apart."""
    return [entry(f"{text} (order {1000 + k})", start + 40 * k, Severity.ERROR, inst=k + 1) for k in range(n)]


def client() -> storage.Client:
    return storage.Client()  # STORAGE_EMULATOR_HOST: the fake, anonymously


def bucket_state(tmp_path: Path, name: str = NAME) -> dict:
    """What the object in the bucket holds: runs recorded, issues (title, comments), intents."""
    path = tmp_path / f"read-{time.monotonic_ns()}.db"
    client().bucket(BUCKET).blob(name).download_to_filename(str(path))
    db = sqlite3.connect(path)
    try:
        issues = db.execute("SELECT number, title FROM issues ORDER BY number").fetchall()
        return {"runs": db.execute("SELECT count(*) FROM runs").fetchone()[0],
                "issues": issues,
                "comments": db.execute("SELECT count(*) FROM comments").fetchone()[0],
                "keys": dict(db.execute("SELECT key, issue_number FROM issue_keys")),
                "intents": db.execute("SELECT kind, status FROM github_intents").fetchall()}
    finally:
        db.close()


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1 and lines[0].startswith("log-gardener: error: "), \
        (result.exit_code, result.output)
    return lines[0]


# ------------------------------------------------------------------ the fake itself


def test_the_bare_emulator_ignores_the_precondition(monkeypatch):
    """Why gcs_fake exists: gcp-storage-emulator accepts an upload on a stale generation."""
    from gcp_storage_emulator.server import create_server

    server = create_server("127.0.0.1", 0, in_memory=True, default_bucket=BUCKET)
    server.start()
    try:
        monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{server._api._httpd.server_address[1]}")
        blob = client().bucket(BUCKET).blob("x.db")
        blob.upload_from_string(b"one", if_generation_match=0)
        blob.upload_from_string(b"two", if_generation_match=0)  # GCS: 412 (the object exists)
        assert client().bucket(BUCKET).blob("x.db").download_as_bytes() == b"two"
    finally:
        server.stop()


def test_the_fake_refuses_a_stale_generation_like_gcs(gcs_fake):
    blob = client().bucket(BUCKET).blob("x.db")
    blob.upload_from_string(b"one", if_generation_match=0)  # created: no live object before
    first = blob.generation
    with pytest.raises(PreconditionFailed):
        client().bucket(BUCKET).blob("x.db").upload_from_string(b"two", if_generation_match=0)
    blob.upload_from_string(b"two", if_generation_match=first)
    with pytest.raises(PreconditionFailed):  # the generation read before the last write: stale
        client().bucket(BUCKET).blob("x.db").upload_from_string(b"three", if_generation_match=first)
    big = os.urandom(600 * 1024)
    resumable = client().bucket(BUCKET).blob("x.db")
    resumable.chunk_size = 256 * 1024  # a resumable upload, as for a state over 8 MiB
    with pytest.raises(PreconditionFailed):
        resumable.upload_from_string(big, if_generation_match=first)
    with pytest.raises(PreconditionFailed):
        client().bucket(BUCKET).blob("x.db").download_as_bytes(if_generation_match=first)
    assert client().bucket(BUCKET).blob("x.db").download_as_bytes() == b"two"
    assert [r.status for r in gcs_fake.uploads()].count(412) >= 3


def test_generations_change_on_every_upload(gcs_fake):
    blob = client().bucket(BUCKET).blob("x.db")
    seen = [0]
    for n in range(5):
        blob.upload_from_string(b"v%d" % n, if_generation_match=seen[-1])
        seen.append(blob.generation)
    assert seen == sorted(set(seen)), seen  # strictly increasing, never reused


# ------------------------------------------------------------------ one run at a time, in process


def run_args(tmp_path: Path, name: str, path: Path, *extra: str) -> list[str]:
    return ["run", "-i", str(path), "--state", URL, "--worklog", str(tmp_path / f"{name}.md"),
            "--json", str(tmp_path / f"{name}.json"), *extra]


def test_a_run_creates_the_object_and_the_next_saves_on_the_generation_it_read(gcs_fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    one = invoke(*run_args(tmp_path, "one", write_jsonl(tmp_path / "a.jsonl", crash_loop(3))))
    assert one.exit_code == 0, one.output
    first = gcs_fake.generation(BUCKET, NAME)
    assert first > 0 and [r.query["ifGenerationMatch"] for r in gcs_fake.uploads()] == ["0"]  # only if absent
    two = invoke(*run_args(tmp_path, "two", write_jsonl(tmp_path / "b.jsonl", crash_loop(3, start=600))))
    assert two.exit_code == 0, two.output
    assert [r.query["ifGenerationMatch"] for r in gcs_fake.uploads()] == ["0", str(first)]
    assert gcs_fake.generation(BUCKET, NAME) > first
    state = bucket_state(tmp_path)
    assert state["runs"] == 2 and len(state["issues"]) == 2 and state["comments"] == 2  # run two commented
    assert orjson.loads((tmp_path / "one.json").read_bytes())["tracker"] == f"local ({URL})"
    gc.collect()
    assert list((tmp_path / "tmp").iterdir()) == []  # the downloaded copies are gone
    assert not list(tmp_path.glob("gs*")) and not Path(".log-gardener").exists()  # nothing local but outputs


def test_reading_commands_download_and_never_upload(gcs_fake, tmp_path):
    assert invoke(*run_args(tmp_path, "one", write_jsonl(tmp_path / "a.jsonl", crash_loop(3)))).exit_code == 0
    generation, uploads = gcs_fake.generation(BUCKET, NAME), len(gcs_fake.uploads())
    listed = invoke("issues", "list", "--state", URL, "--json")
    assert listed.exit_code == 0 and len(orjson.loads(listed.stdout)) == 2
    shown = invoke("issues", "show", "1", "--state", URL)
    assert shown.exit_code == 0 and "ModuleNotFoundError" in shown.stdout
    explained = invoke("explain", "#1", "--state", URL)
    assert explained.exit_code == 0 and "issue #1" in explained.stdout
    report = invoke("report", "--state", URL, "--json", str(tmp_path / "doc.json"))
    assert report.exit_code == 0 and orjson.loads((tmp_path / "doc.json").read_bytes())["problems"]
    assert len(gcs_fake.uploads()) == uploads and gcs_fake.generation(BUCKET, NAME) == generation
    missing = invoke("issues", "list", "--state", f"gs://{BUCKET}/nothing-here.db")
    assert "gs://states/nothing-here.db: no state database here" in one_error_line(missing)


def test_a_dry_run_uploads_nothing_and_creates_no_object(gcs_fake, tmp_path):
    dry = invoke(*run_args(tmp_path, "dry", write_jsonl(tmp_path / "a.jsonl", crash_loop(3)), "--dry-run"))
    assert dry.exit_code == 0, dry.output
    assert gcs_fake.uploads() == [] and gcs_fake.generation(BUCKET, NAME) == 0


def test_closing_an_issue_saves_the_state_back(gcs_fake, tmp_path):
    assert invoke(*run_args(tmp_path, "one", write_jsonl(tmp_path / "a.jsonl", crash_loop(3)))).exit_code == 0
    before = gcs_fake.generation(BUCKET, NAME)
    closed = invoke("issues", "close", "2", "--not-planned", "--state", URL)
    assert closed.exit_code == 0, closed.output
    assert gcs_fake.uploads()[-1].query["ifGenerationMatch"] == str(before)
    listed = invoke("issues", "list", "--state", URL, "--all", "--json")
    assert [(i["number"], i["state"], i["state_reason"]) for i in orjson.loads(listed.stdout)] == [
        (1, "open", None), (2, "closed", "not_planned")]


def test_a_live_run_keeps_its_watermark_in_the_object(gcs_fake, tmp_path):
    from logging_fake import FakeLogging

    common = ["--project", "shop-staging", "--state", URL, "--worklog", str(tmp_path / "w.md")]
    with FakeLogging([to_log_entry(e) for e in crash_loop(3)]) as logging:
        common += ["--logging-endpoint", logging.endpoint]
        first = invoke("run", *common, "--start", "2026-03-01T11:00:00Z", "--end", "2026-03-01T12:01:00Z")
        assert first.exit_code == 0, first.output
        second = invoke("run", *common, "--end", "2026-03-01T12:30:00Z")
        assert second.exit_code == 0, second.output
    assert "resum" in second.output.lower()  # from the watermark the first run saved in the bucket
    assert bucket_state(tmp_path)["runs"] == 2


def test_the_demo_keeps_its_state_in_the_bucket_too(gcs_fake, tmp_path):
    demo = invoke("demo", "--state", URL, "--worklog-dir", str(tmp_path / "w"))
    assert demo.exit_code == 0, demo.output
    assert bucket_state(tmp_path)["runs"] == 1 and f"--state {URL}" in demo.stdout


def test_a_retried_upload_that_had_landed_is_not_taken_for_another_run(gcs_fake, tmp_path):
    """The first try of a conditional upload lands, its answer is lost, the retry gets 412 from that very
    write: the object is this file, so the save is done (and another run's object would not be)."""
    assert invoke(*run_args(tmp_path, "one", write_jsonl(tmp_path / "a.jsonl", crash_loop(3)))).exit_code == 0
    state = RemoteState.fetch(URL)
    read = state.generation
    state._fold_journal()
    client().bucket(BUCKET).blob(NAME).upload_from_filename(str(state.path), if_generation_match=read)  # "lost"
    assert state.save() == gcs_fake.generation(BUCKET, NAME) != read
    other = RemoteState.fetch(URL)
    client().bucket(BUCKET).blob(NAME).upload_from_string(b"another run's state", if_generation_match=state.generation)
    with pytest.raises(remote_state.StateConflict):
        other.save()
    state.discard()
    other.discard()


# ------------------------------------------------------------------ one-line errors


def test_a_missing_bucket_no_permission_and_a_bad_url_are_one_line(gcs_fake, tmp_path):
    logs = write_jsonl(tmp_path / "a.jsonl", crash_loop(1))
    line = one_error_line(invoke("run", "-i", str(logs), "--state", "gs://no-such-bucket/s.db"))
    assert line == "log-gardener: error: gs://no-such-bucket/s.db: no bucket gs://no-such-bucket (404): create it " \
                   "or fix the name"
    gcs_fake.deny("locked")
    line = one_error_line(invoke("run", "-i", str(logs), "--state", "gs://locked/s.db"))
    assert "gs://locked/s.db: permission denied to read it (403: " in line and "roles/storage.objectUser" in line
    line = one_error_line(invoke("issues", "list", "--state", "gs://states"))
    assert "not gs://BUCKET/OBJECT" in line
    assert gcs_fake.uploads() == []


@pytest.mark.parametrize("content", ["foreign", "text"])
def test_an_object_that_is_no_state_is_refused_and_left_alone(gcs_fake, tmp_path, content):
    if content == "foreign":
        other = tmp_path / "other.db"
        db = sqlite3.connect(other)
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
        db.commit()
        db.close()
        data = other.read_bytes()
    else:
        data = b"this is not a database\n" * 100
    client().bucket(BUCKET).blob(NAME).upload_from_string(data)
    generation = gcs_fake.generation(BUCKET, NAME)
    for args in (run_args(tmp_path, "r", write_jsonl(tmp_path / "a.jsonl", crash_loop(1))),
                 ["issues", "list", "--state", URL]):
        line = one_error_line(invoke(*args))
        assert line.startswith(f"log-gardener: error: {URL}: ") and "/tmp" not in line
        assert ("not a log-gardener state (it holds invoices)" if content == "foreign" else "cannot use") in line
    assert gcs_fake.generation(BUCKET, NAME) == generation and len(gcs_fake.uploads()) == 1  # ours, above


def test_an_unreachable_storage_is_one_line(monkeypatch, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", f"http://127.0.0.1:{port}")
    monkeypatch.setattr(remote_state, "RETRY_S", 1.0)
    started = time.monotonic()
    with pytest.raises(RemoteStateError, match=r"gs://states/x\.db: Cloud Storage unreachable to read the state "
                                               r"\(retried for 1 s: "):
        RemoteState.fetch("gs://states/x.db")
    line = one_error_line(invoke(*run_args(tmp_path, "r", write_jsonl(tmp_path / "a.jsonl", crash_loop(1)))))
    assert "Cloud Storage unreachable to read the state" in line
    assert time.monotonic() - started < 30


def test_no_credentials_is_one_line(monkeypatch, tmp_path):
    monkeypatch.delenv("STORAGE_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "absent.json"))
    line = one_error_line(invoke("issues", "list", "--state", URL))
    assert "gs://states/ops/shop-api.db: " in line and "credentials" in line.lower()


# ------------------------------------------------------------------ two runs at once, in two processes


def start(tmp_path: Path, args: list[str], stdin: bool = False) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, *args], cwd=tmp_path, text=True,
                            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = proc.communicate(stdin, timeout=180)
    return proc.returncode, out, err


def cli(tmp_path: Path, args: list[str]) -> tuple[int, str, str]:
    return finish(start(tmp_path, args))


def wait_for(condition, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"run A ended before {what}: {proc.communicate()}")
        assert time.monotonic() < deadline, f"run A never reached {what}"
        time.sleep(0.05)


def last_line(err: str) -> str:
    return err.strip().splitlines()[-1]


@pytest.fixture
def logs(tmp_path):
    """Three windows of one service: before (run 0), A's (with a payment timeout), B's (with an inventory
    failure); the crash loop is in all three."""
    return {
        "zero": write_jsonl(tmp_path / "zero.jsonl", crash_loop(3, start=-7200)),
        "A": write_jsonl(tmp_path / "a.jsonl", crash_loop(3) + failing(
            "PaymentGatewayTimeout: charge request to the provider timed out after 30s", 5)),
        "B": write_jsonl(tmp_path / "b.jsonl", crash_loop(3, start=600, first_instance=10) + failing(
            "InventorySyncError: warehouse feed rejected the batch", 605)),
    }


def local_args(tmp_path: Path, name: str, path: Path | str) -> list[str]:
    return ["run", "-i", str(path), "--state", URL, "--worklog", str(tmp_path / f"{name}.md"),
            "--json", str(tmp_path / f"{name}.json")]


def actions(tmp_path: Path, name: str) -> list[str]:
    doc = orjson.loads((tmp_path / f"{name}.json").read_bytes())
    return sorted(p["issue"]["action"] for p in doc["problems"])


def test_two_overlapping_runs_on_the_local_tracker_lose_no_history(gcs_fake, tmp_path, logs):
    assert cli(tmp_path, local_args(tmp_path, "zero", logs["zero"]))[0] == 0
    before = gcs_fake.generation(BUCKET, NAME)
    held = gcs_fake.hold("POST", UPLOAD)
    a = start(tmp_path, local_args(tmp_path, "A", logs["A"]))
    wait_for(held.arrived.is_set, a, "its upload")  # A has read, filed into its copy, and is saving it
    b_code, _, b_err = cli(tmp_path, local_args(tmp_path, "B", logs["B"]))
    after_b = gcs_fake.generation(BUCKET, NAME)
    held.release()
    a_code, _, a_err = finish(a)
    state = bucket_state(tmp_path)
    print(f"\nlocal tracker: run 0 saved generation {before}; B exit {b_code} (saved {after_b}); A exit {a_code}: "
          f"{last_line(a_err)}\n  bucket after: {state['runs']} runs, issues {state['issues']}")
    assert b_code == 0 and after_b > before, b_err
    assert a_code == 2
    assert last_line(a_err) == (
        f"log-gardener: error: {URL}: another run saved this state while this run worked (it was generation "
        f"{before} when read): this run's changes to the state were not saved, the bucket keeps the other run's; "
        "run again: it starts from that state and files only what is still missing")
    assert [r.status for r in gcs_fake.uploads()][-2:] == [200, 412]  # B's, then A's
    assert gcs_fake.generation(BUCKET, NAME) == after_b  # A changed nothing in the bucket
    assert state["runs"] == 2  # run 0 and B: nothing overwritten
    titles = [t for _, t in state["issues"]]
    assert len(titles) == len(set(titles)) == 3 and any("InventorySyncError" in t for t in titles)
    assert not any("PaymentGatewayTimeout" in t for t in titles)  # A's issue went with A's copy...
    again_code, _, again_err = cli(tmp_path, local_args(tmp_path, "A-again", logs["A"]))
    state = bucket_state(tmp_path)
    print(f"  A again: exit {again_code}, {last_line(again_err)}; bucket: {state['runs']} runs, "
          f"issues {state['issues']}")
    assert again_code == 0, again_err
    titles = [t for _, t in state["issues"]]
    assert state["runs"] == 3 and len(titles) == len(set(titles)) == 4  # ...and the re-run filed it, once
    assert sum("PaymentGatewayTimeout" in t for t in titles) == 1


@pytest.fixture
def gh(github_fake, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", github_fake.token)
    return github_fake


def gh_args(tmp_path: Path, fake, name: str, path: Path | str) -> list[str]:
    return [*local_args(tmp_path, name, path), "--tracker", "github", "--repo", fake.repo,
            "--github-url", fake.base_url]


def problems_on(fake) -> list[str]:
    """The problem marker of every issue on the fake: one issue per problem means no repeats here."""
    from log_gardener.garden.tracker import markers_of

    return [markers_of(i["body"])[0] for i in fake.issues()]


def test_two_overlapping_runs_on_github_file_each_issue_once(gcs_fake, gh, tmp_path, logs):
    assert cli(tmp_path, gh_args(tmp_path, gh, "zero", logs["zero"]))[0] == 0
    held = gcs_fake.hold("POST", UPLOAD)
    a = start(tmp_path, gh_args(tmp_path, gh, "A", logs["A"]))
    wait_for(held.arrived.is_set, a, "its upload")  # A's issues and comments are on GitHub now
    issues_by_a = len(gh.issues())
    b_code, _, b_err = cli(tmp_path, gh_args(tmp_path, gh, "B", logs["B"]))
    held.release()
    a_code, _, a_err = finish(a)
    print(f"\ngithub: B exit {b_code}, actions {actions(tmp_path, 'B')}; A exit {a_code}: {last_line(a_err)}; "
          f"issues on GitHub {len(gh.issues())}")
    assert b_code == 0, b_err
    assert a_code == 2 and "another run saved this state while this run worked" in last_line(a_err)
    assert issues_by_a == 3  # run 0's two and A's payment timeout
    markers = problems_on(gh)
    assert len(markers) == len(set(markers)) == 4  # B found A's issue by its marker and filed only its own
    writes = len(gh.writes())
    again_code, _, again_err = cli(tmp_path, gh_args(tmp_path, gh, "A-again", logs["A"]))
    print(f"  A again: exit {again_code}, actions {actions(tmp_path, 'A-again')}, "
          f"GitHub writes {len(gh.writes()) - writes}, issues {len(gh.issues())}")
    assert again_code == 0, again_err
    assert "create" not in actions(tmp_path, "A-again") and problems_on(gh) == markers  # nothing filed twice
    assert len(gh.writes()) == writes  # not even a comment: what A posted is recognised
    assert bucket_state(tmp_path)["runs"] == 3


def test_a_run_that_reads_a_state_saved_since_stops_before_any_tracker_write(gcs_fake, gh, tmp_path, logs):
    assert cli(tmp_path, gh_args(tmp_path, gh, "zero", logs["zero"]))[0] == 0
    before = gcs_fake.generation(BUCKET, NAME)

    def downloaded() -> bool:
        return any(r.path.startswith("/download/") and r.status == 200 for r in gcs_fake.requests[downloads:])

    downloads = len(gcs_fake.requests)
    a = start(tmp_path, gh_args(tmp_path, gh, "A", "-"), stdin=True)  # its logs come later, on stdin
    wait_for(downloaded, a, "its download")
    b_code, _, b_err = cli(tmp_path, gh_args(tmp_path, gh, "B", logs["B"]))
    assert b_code == 0, b_err
    writes = len(gh.writes())
    a_code, _, a_err = finish(a, logs["A"].read_text())
    print(f"\nearly check: A exit {a_code}: {last_line(a_err)}; GitHub writes by A: {len(gh.writes()) - writes}")
    assert a_code == 2
    assert last_line(a_err) == (
        f"log-gardener: error: {URL}: another run saved this state after this run read it (generation {before}, "
        f"now {gcs_fake.generation(BUCKET, NAME)}): nothing was written to the tracker; run again, from the state "
        "it saved")
    assert len(gh.writes()) == writes  # not one issue, comment or label
    assert [r.status for r in gcs_fake.uploads()][-1] == 200  # B's: A never tried


@pytest.mark.parametrize("tracker", ["github", "local"])
def test_a_run_killed_before_its_upload_loses_no_tracker_write(gcs_fake, gh, tmp_path, logs, tracker):
    def args(name: str, path: Path) -> list[str]:
        return gh_args(tmp_path, gh, name, path) if tracker == "github" else local_args(tmp_path, name, path)

    assert cli(tmp_path, args("zero", logs["zero"]))[0] == 0
    before = gcs_fake.generation(BUCKET, NAME)
    held = gcs_fake.hold("POST", UPLOAD)
    a = start(tmp_path, args("A", logs["A"]))
    wait_for(held.arrived.is_set, a, "its upload")
    a.send_signal(signal.SIGKILL)  # killed after filing, before its state is saved:
    a.communicate(timeout=60)
    held.drop()  # its upload never lands
    assert gcs_fake.generation(BUCKET, NAME) == before  # the bucket holds run 0's state
    on_github, writes = problems_on(gh), len(gh.writes())
    comments = {i["number"]: len(gh.comments(i["number"])) for i in gh.issues()}
    code, _, err = cli(tmp_path, args("A-again", logs["A"]))
    assert code == 0, err
    state = bucket_state(tmp_path)
    titles = [t for _, t in state["issues"]]
    print(f"\nkilled before upload ({tracker}): re-run exit {code}, actions {actions(tmp_path, 'A-again')}, "
          f"issues in state {len(titles)}, on GitHub {len(gh.issues())}")
    assert state["runs"] == 2 and len(titles) == len(set(titles)) == 3
    if tracker == "github":
        # what landed before the kill (the payment timeout's issue, comments on run 0's issues) is found by its
        # marker: not one write repeated
        assert len(on_github) == 3 and problems_on(gh) == on_github and sum(comments.values()) == 2
        assert "create" not in actions(tmp_path, "A-again") and len(gh.writes()) == writes
        assert {i["number"]: len(gh.comments(i["number"])) for i in gh.issues()} == comments
    else:
        # the killed run's issue lived only in its copy: filed now, once
        assert actions(tmp_path, "A-again").count("create") == 1 and gh.issues() == []
