"""Synthetic Cloud Run entries for tests: the shape of real exports, invented content."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from log_gardener.model import Entry, Severity

T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
SERVICE = "shop-api"
REV1 = "shop-api-00010-aaa"
REV2 = "shop-api-00011-bbb"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def instance(n: int) -> str:
    return f"00ab{n:04d}" + "f" * 60


def entry(
    text: str,
    t: float,
    severity: Severity | None = Severity.WARNING,
    inst: int = 1,
    revision: str = REV1,
    insert_id: str | None = None,
    error: tuple[str, str] | None = None,
    http_status: int | None = None,
    log_name: str = "run.googleapis.com/stderr",
) -> Entry:
    declared = severity
    effective = severity if severity not in (None, Severity.DEFAULT) else _classify(text)
    return Entry(
        timestamp=at(t),
        severity=effective,
        text=text,
        insert_id=insert_id or f"id-{inst}-{t:.6f}-{abs(hash(text)) % 10**8}",
        log_name=log_name,
        resource_type="cloud_run_revision",
        project="shop-staging",
        service=SERVICE,
        revision=revision,
        instance=instance(inst),
        error_type=error[0] if error else None,
        error_value=error[1] if error else None,
        http_status=http_status,
        declared_severity=declared,
    )


def _classify(text: str) -> Severity:
    if "[ERROR]" in text or text.startswith(("Traceback", "During handling")):
        return Severity.ERROR
    return Severity.DEFAULT


def py_traceback(exc: str, frames: list[tuple[str, int, str]], code: str = "do_it()") -> str:
    lines = ["Traceback (most recent call last):"]
    for path, line, func in frames:
        lines.append(f'  File "{path}", line {line}, in {func}')
        lines.append(f"    {code}")
    lines.append(exc)
    return "\n".join(lines)


GUNICORN = [
    ("/usr/local/lib/python3.11/site-packages/gunicorn/arbiter.py", 608, "spawn_worker"),
    ("/usr/local/lib/python3.11/site-packages/gunicorn/workers/base.py", 147, "load_wsgi"),
]
MISSING = "ModuleNotFoundError: No module named 'shop.services.metrics'"


def crash(inst: int, t: float, revision: str = REV1, line_shift: int = 0) -> list[Entry]:
    """One container start that dies on a missing module, as gunicorn + Cloud Run log it."""
    inner = py_traceback(MISSING, [("/app/shop/core/setup.py", 40 + line_shift, "setup"),
                                   ("/app/shop/middleware/ctx.py", 12 + line_shift, "<module>")])
    middle = py_traceback(MISSING, [("/app/shop/core/setup.py", 88 + line_shift, "install"),
                                    ("/app/shop/middleware/ctx.py", 12 + line_shift, "<module>")])
    outer = py_traceback("R", [*GUNICORN, ("/app/shop/core/setup.py", 99 + line_shift, "install")],
                         code="raise RuntimeError(f'setup failed: {e}')")
    outer = outer.rsplit("\n", 1)[0] + "\nR"
    ts = f"[2026-03-01 12:00:00 +0000] [{inst + 10}]"
    return [
        entry("Payments SDK not available - install payments-sdk to enable refunds", t - 1.5, inst=inst,
              revision=revision),
        entry("CRITICAL: setup failed: No module named 'shop.services.metrics'", t, Severity.ERROR, inst, revision,
              log_name="run.googleapis.com/stderr"),
        entry("Setup failure details: ModuleNotFoundError: No module named 'shop.services.metrics'", t + 0.0015,
              Severity.ERROR, inst, revision, error=("ModuleNotFoundError", "No module named 'shop.services.metrics'")),
        entry(f"{ts} [ERROR] Exception in worker process", t + 0.0020, None, inst, revision),
        entry(inner, t + 0.00203, Severity.ERROR, inst, revision),
        entry("During handling of the above exception, another exception occurred:", t + 0.00204, None, inst,
              revision),
        entry(middle, t + 0.00206, Severity.ERROR, inst, revision),
        entry("During handling of the above exception, another exception occurred:", t + 0.00207, None, inst,
              revision),
        entry(outer, t + 0.00210, Severity.ERROR, inst, revision),
        entry(f"{ts} [ERROR] Worker (pid:{inst + 11}) exited with code 3", t + 0.4, None, inst, revision),
        entry(f"{ts} [ERROR] Shutting down: Master", t + 0.4008, None, inst, revision),
        entry(f"{ts} [ERROR] Reason: Worker failed to boot.", t + 0.4009, None, inst, revision),
        entry("Container called exit(3).", t + 0.48, Severity.WARNING, inst, revision,
              log_name="run.googleapis.com/varlog/system"),
    ]


def crash_loop(n: int, start: float = 0.0, revision: str = REV1, first_instance: int = 1) -> list[Entry]:
    out: list[Entry] = []
    for k in range(n):
        out += crash(first_instance + k, start + 30 * k, revision)
    return out


def to_log_entry(e: Entry) -> dict[str, Any]:
    """An Entry back as a Cloud Logging LogEntry dict (camelCase, as gcloud prints it)."""
    d: dict[str, Any] = {
        "insertId": e.insert_id,
        "logName": f"projects/{e.project}/logs/" + (e.log_name or "").replace("/", "%2F"),
        "resource": {"type": "cloud_run_revision", "labels": {
            "project_id": e.project, "service_name": e.service, "revision_name": e.revision,
            "configuration_name": e.service, "location": "us-central1"}},
        "labels": {"instanceId": e.instance},
        "timestamp": e.timestamp.isoformat().replace("+00:00", "Z") if e.timestamp else None,
        "receiveTimestamp": e.timestamp.isoformat().replace("+00:00", "Z") if e.timestamp else None,
    }
    if e.declared_severity not in (None, Severity.DEFAULT):
        d["severity"] = e.declared_severity.name
    if e.error_type:
        d["jsonPayload"] = {"message": e.text, "error": {"type": e.error_type, "value": e.error_value,
                                                          "traceback": None}}
    else:
        d["textPayload"] = e.text
    if e.http_status is not None:
        d["httpRequest"] = {"status": e.http_status, "requestMethod": "GET", "requestUrl": "https://x/health"}
    return d


def write_jsonl(path: Path, entries: list[Entry], gz: bool = False) -> Path:
    data = b"".join(orjson.dumps(to_log_entry(e)) + b"\n" for e in entries)
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_gcloud(path: Path, entries: list[Entry]) -> Path:
    """gcloud logging read --format=json: an array, newest first, keys sorted."""
    docs = sorted((to_log_entry(e) for e in entries), key=lambda d: d["timestamp"], reverse=True)
    path.write_bytes(orjson.dumps(docs, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
    return path


def sink_instance() -> tuple[list, list]:
    """One busy instance over two hours as a sink writes it, a file per log: on stderr 5,000 warnings and 20
    worker crashes' tracebacks; on stdout the header gunicorn printed a millisecond before each traceback."""
    stderr = [entry(f"[WARNING] slow call to the ledger, attempt {j % 7}", 0.5 + 1.44 * j) for j in range(5000)]
    stdout = []
    for k in range(20):
        t = 60.0 + 360 * k
        stdout.append(entry("[2026-03-01 12:00:00 +0000] [7] [ERROR] Exception in worker process", t, None,
                            log_name="run.googleapis.com/stdout"))
        stderr.append(entry(py_traceback(MISSING, GUNICORN), t + 0.001, Severity.ERROR))
    stderr.sort(key=lambda e: e.timestamp)
    return stderr, stdout


def write_sink(root: Path, entries: list[Entry]) -> Path:
    """``entries`` as a Cloud Storage sink lays them out: a folder per log, a file per hour."""
    files: dict[tuple[str, str, int], list[Entry]] = {}
    for e in entries:
        assert e.timestamp is not None and e.log_name
        files.setdefault((e.log_name, e.timestamp.strftime("%Y/%m/%d"), e.timestamp.hour), []).append(e)
    for (log, day, hour), part in files.items():
        folder = root / log / day
        folder.mkdir(parents=True, exist_ok=True)
        write_jsonl(folder / f"{hour:02d}:00:00_{hour:02d}:59:59_S0.json", sorted(part, key=lambda e: e.timestamp))
    return root
