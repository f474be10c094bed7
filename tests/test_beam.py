"""The Beam pipeline (DirectRunner) gives exactly what `log-gardener run` gives on the same files."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.model import Severity

from conftest import NETRA
from factory import crash_loop, entry, sink_instance, to_log_entry, write_gcloud, write_sink

pytest.importorskip("apache_beam")  # an optional extra; the test extra installs it, so CI runs these


def _doc(path: Path) -> dict:
    doc = orjson.loads(path.read_bytes())
    doc.pop("generated_at")
    doc.pop("tracker")  # the state file's name
    return doc


def _both(tmp_path: Path, inputs: list[str], *extra: str) -> tuple[dict, dict]:
    docs = []
    for command in ("run", "beam"):
        out = tmp_path / f"{command}.json"
        args = [command, "-q", "--dry-run", "--state", str(tmp_path / f"{command}.db"), "--json", str(out),
                "--worklog", str(tmp_path / f"{command}.md"), *extra]
        for path in inputs:
            args += ["-i", path]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (command, result.output, result.exception)
        docs.append(_doc(out))
    return docs[0], docs[1]


def test_beam_equals_run_on_the_real_exports(tmp_path: Path) -> None:
    if not NETRA.is_dir():
        pytest.skip("the shared real exports are not here")
    run, beam = _both(tmp_path, [str(NETRA)])
    assert run["totals"]["read"] > 1000 and len(run["problems"]) >= 5
    assert beam == run


def test_beam_equals_run_on_a_sinks_files_per_log(tmp_path: Path) -> None:
    """stderr's files before stdout's, as a sink's folders sort: the headers on stdout still join the
    tracebacks on stderr, in both."""
    stderr, stdout = sink_instance()
    run, beam = _both(tmp_path, [str(write_sink(tmp_path / "sink", stderr + stdout))])
    assert run["problems"][0]["count"] == 40  # 20 tracebacks with their 20 headers
    assert beam == run


def _mixed_inputs(root: Path) -> list[str]:
    """Many files of every kind one service's sink and exports leave: the crash loop spread over them,
    entries written twice (the same file and across files), INFO noise with and without insertId, a
    deploy, lines without time, rejects."""
    rng = random.Random(7)
    crashes = crash_loop(24, revision="shop-api-00010-aaa") + crash_loop(8, start=2000.0,
                                                                          revision="shop-api-00011-bbb",
                                                                          first_instance=40)
    noise = [entry(f"GET /item/{i} 200 in {rng.randint(1, 90)} ms", i * 3.7, Severity.INFO, inst=1 + i % 30,
                   insert_id=f"info-{i}" if i % 5 else None) for i in range(1500)]
    warn = [entry(f"cache miss ratio {rng.random():.2f} above 0.5", i * 41.0, Severity.WARNING, inst=2 + i % 3,
                  insert_id=f"w-{i}") for i in range(40)]
    for i, e in enumerate(crashes):
        e.insert_id = f"crash-{i}"
    docs = [to_log_entry(e) for e in crashes + noise + warn]
    rng.shuffle(docs)
    docs += docs[:60]  # sinks write some entries twice
    docs.append({"timestamp": "2026-03-01T12:30:00Z", "severity": "NOTICE", "insertId": "deploy-1",
                 "logName": "projects/p/logs/cloudaudit.googleapis.com%2Factivity",
                 "resource": {"type": "cloud_run_revision", "labels": {"service_name": "shop-api"}},
                 "protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                                  "methodName": "google.cloud.run.v1.Services.ReplaceService",
                                  "resourceName": "namespaces/p/services/shop-api"}})
    root.mkdir()
    n = len(docs)
    cuts = sorted(rng.sample(range(1, n), 9))
    chunks = [docs[a:b] for a, b in zip([0, *cuts], [*cuts, n], strict=True)]
    for i, chunk in enumerate(chunks):
        body = b"".join(orjson.dumps(d) + b"\n" for d in chunk)
        if i in (3, 7):
            body += b'{"severity": "ERROR", "timestamp": "soon", "textPayload": "x"}\n{not json\n'
        name = root / f"stderr-{i:02d}.jsonl"
        if i % 3 == 0:
            (root / f"{name.name}.gz").write_bytes(gzip.compress(body))
        else:
            name.write_bytes(body)
    write_gcloud(root / "export-gcloud.json", crash_loop(3, start=4000.0, first_instance=70))
    (root / "worker.log").write_text(
        "ERROR payment capture failed: card_declined\nTraceback (most recent call last):\n"
        '  File "/app/pay.py", line 9, in capture\n    charge()\nValueError: card_declined\n'
        "INFO retrying\nERROR payment capture failed: card_declined\n")
    return [str(root)]


def test_beam_equals_run_on_many_files_of_every_kind(tmp_path: Path) -> None:
    run, beam = _both(tmp_path, _mixed_inputs(tmp_path / "logs"))
    totals = run["totals"]
    assert totals["duplicates"] >= 60 and totals["rejected"] == 4 and totals["markers"] == 1
    assert totals["below_severity"] > 1000 and len(run["problems"]) >= 4
    assert any(p.get("caused_by") or p.get("consequences") for p in run["problems"])
    assert beam == run


def test_beam_writes_the_assignments_run_writes(tmp_path: Path) -> None:
    inputs = _mixed_inputs(tmp_path / "in")
    files = {}
    for command in ("run", "beam"):
        out = tmp_path / f"{command}.jsonl"
        args = [command, "-q", "--dry-run", "--state", str(tmp_path / f"{command}.db"), "--assignments", str(out),
                "--json", str(tmp_path / f"{command}.json"), "--worklog", str(tmp_path / f"{command}.md")]
        for path in inputs:
            args += ["-i", path]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, (command, result.output, result.exception)
        files[command] = out.read_bytes()
    selected = _doc(tmp_path / "run.json")["totals"]["selected"]
    rows = [orjson.loads(line) for line in files["run"].splitlines()]
    assert len(rows) == selected > 100  # one per selected entry, lines of joined records included
    assert {"line", "source"} <= rows[-1].keys()  # the text log's lines, after the insertIds
    assert files["beam"] == files["run"]


def test_beam_says_in_one_line_when_nothing_matches(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["beam", "-q", "--dry-run", "--state", str(tmp_path / "s.db"),
                                       "-i", str(tmp_path / "nothing-*.json")])
    assert result.exit_code == 2
    assert "no file matches" in result.output and "Traceback" not in result.output


def test_beam_reads_sink_files_in_cloud_storage_as_run_reads_them_on_disk(gcs_fake, tmp_path: Path) -> None:
    """gs:// globs through Beam's own Cloud Storage file system, against the local emulator: plain and
    gzip sink files give what `run` gives on the same files on disk."""
    from google.cloud import storage

    local = tmp_path / "sink"
    local.mkdir()
    for i in range(4):
        docs = [to_log_entry(e) for e in crash_loop(4, start=300.0 * i, first_instance=10 * i + 1)]
        docs += [to_log_entry(entry(f"GET /p/{k} 200", 300.0 * i + k, Severity.INFO, insert_id=f"i{i}-{k}"))
                 for k in range(50)]
        body = b"".join(orjson.dumps(d) + b"\n" for d in docs)
        name = f"12:00:00_12:59:59_S{i}.json"
        (local / name).write_bytes(gzip.compress(body) if i % 2 else body)
    bucket = storage.Client().create_bucket("sink")
    for path in sorted(local.iterdir()):
        bucket.blob(f"run.googleapis.com/stderr/2026/03/01/{path.name}").upload_from_filename(str(path))
    docs = []
    for command, source in (("run", str(local)), ("beam", "gs://sink/run.googleapis.com/stderr/2026/03/01/*.json")):
        out = tmp_path / f"{command}.json"
        result = CliRunner().invoke(main, [command, "-q", "--dry-run", "--state", str(tmp_path / f"{command}.db"),
                                           "--json", str(out), "-i", source])
        assert result.exit_code == 0, (command, result.output, result.exception)
        docs.append(_doc(out))
    run, beam = docs
    assert sorted(beam.pop("formats").values()) == sorted(run.pop("formats").values()) == ["jsonl"] * 4
    assert run["totals"]["read"] == 4 * (52 + 50) and run["totals"]["below_severity"] == 200
    assert beam == run
    assert any(r.path.startswith("/storage/v1/b/sink/o") for r in gcs_fake.requests)
