#!/usr/bin/env python3
"""Generate ``tests/corpus/``, the labelled classification corpus (development set).

Each case is a folder with ``export.<ext>`` (the input exactly as a user feeds it to
``log-gardener run -i``) and ``expect.json`` (what an on-call engineer says about every
entry: select or skip, and which problem it belongs to).  The format is described in
``tests/corpus/README.md``.

The line formats are copied from each framework's documentation or source (the
``sources`` of every case say where from); every service name, id, address, path and
message is invented.  Deterministic: fixed seeds, fixed times, no clock, no network, so
the output is byte-identical on every run.  This script is the source of truth::

    python tools/make_corpus.py            # rewrites tests/corpus/ from scratch
    python tools/make_corpus.py OUT_DIR    # writes the cases somewhere else
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from random import Random

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "corpus"

SEC = 1_000_000  # times are integer microseconds since the epoch
MIN = 60 * SEC
ESC = "\x1b"
HEX = "0123456789abcdef"

# Sources shared by several cases.
SRC_CLOUD_RUN_LOGGING = "https://cloud.google.com/run/docs/logging"
SRC_STRUCTURED = "https://cloud.google.com/logging/docs/structured-logging"
SRC_LOGENTRY = "https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry"
SRC_SHAPES = ("../shared/data/gcp-real/README.md (shape only: multi-line writes, DEFAULT severity, "
              "gunicorn failure lines, Container called exit)")
SRC_PY_LOGGING = "https://docs.python.org/3/library/logging.html#logging.basicConfig"
SRC_PY_BASIC_FORMAT = ("https://github.com/python/cpython/blob/main/Lib/logging/__init__.py "
                       "(BASIC_FORMAT = '%(levelname)s:%(name)s:%(message)s')")
SRC_PY_TRACEBACK = "https://docs.python.org/3/library/traceback.html"
SRC_GUNICORN_LOG = ("https://github.com/benoitc/gunicorn/blob/master/gunicorn/glogging.py "
                    "(error_fmt '%(asctime)s [%(process)d] [%(levelname)s] %(message)s', "
                    "datefmt '[%Y-%m-%d %H:%M:%S %z]')")
SRC_GUNICORN_ARBITER = ("https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py "
                        "('WORKER TIMEOUT (pid:%s)', 'Worker (pid:%s) exited with code %s', "
                        "'Reason: Worker failed to boot.')")
SRC_UVICORN_LOG = ("https://github.com/encode/uvicorn/blob/master/uvicorn/logging.py "
                   "(levelprefix = levelname + ':' + ' ' * (8 - len(levelname)); access "
                   "'%(levelprefix)s %(client_addr)s - \"%(request_line)s\" %(status_code)s' with the HTTP phrase)")
SRC_CLOUD_RUN_TROUBLESHOOT = "https://cloud.google.com/run/docs/troubleshooting"
SRC_CLOUD_RUN_AUDIT = "https://cloud.google.com/run/docs/audit-logging"
JAVA_PRINTSTACKTRACE = ("https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Throwable.html"
                        "#printStackTrace()")


# --------------------------------------------------------------------------- helpers


def iso(us: int) -> str:
    """A LogEntry timestamp: 6 fractional digits and ``Z``."""
    return f"{datetime.fromtimestamp(us // SEC, UTC):%Y-%m-%dT%H:%M:%S}.{us % SEC:06d}Z"


def dt(us: int) -> datetime:
    return datetime.fromtimestamp(us / SEC, UTC)


def py_asctime(us: int) -> str:
    """Python logging's default ``%(asctime)s``: ``2025-09-15 12:00:00,123``."""
    return f"{dt(us):%Y-%m-%d %H:%M:%S},{us % SEC // 1000:03d}"


def gunicorn_time(us: int) -> str:
    return f"[{dt(us):%Y-%m-%d %H:%M:%S} +0000]"


def millis(us: int) -> str:
    return f"{us % SEC // 1000:03d}"


def us_of(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * SEC)


@dataclass(frozen=True)
class Svc:
    name: str
    revision: str


class Case:
    """One case folder: its entries with their labels, the problem checks, and how to write it."""

    def __init__(self, name: str, *, seed: int, project: str, start: str, about: str,
                 sources: list[str], fmt: str = "gcloud", region: str = "us-central1") -> None:
        self.name = name
        self.rng = Random(seed)
        self.project = project
        self.region = region
        self.t0 = us_of(start)
        self.about = about
        self.sources = sources
        self.fmt = fmt
        self.rows: list[tuple[int, int, dict, dict]] = []  # (time, seq, entry, label)
        self.text_rows: list[tuple[str, dict]] = []
        self.problems: dict[str, dict] = {}
        self._ids: set[str] = set()
        self._seq = 0

    # -- time and ids

    def at(self, seconds: float) -> int:
        """A moment ``seconds`` after the case's start, plus a few ms of jitter (never reorders calls 10 ms apart)."""
        return self.t0 + round(seconds * SEC) + self.rng.randint(0, 9_999)

    def gap(self, lo: int = 4, hi: int = 15) -> int:
        """A few microseconds: the lines of one write."""
        return self.rng.randint(lo, hi)

    def hexstr(self, n: int) -> str:
        return "".join(self.rng.choice(HEX) for _ in range(n))

    def instance(self) -> str:
        return "0069c7a988" + self.hexstr(152)

    def _insert_id(self, t: int, audit: bool) -> str:
        while True:
            if audit:
                iid = "-" + "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(11))
            else:
                iid = f"{t // SEC:08x}{t % SEC:08x}{self.rng.getrandbits(32):08x}"
            if iid not in self._ids:
                self._ids.add(iid)
                return iid

    def _receive(self, t: int) -> str:
        r = t + self.rng.randint(30_000, 450_000)
        return f"{datetime.fromtimestamp(r // SEC, UTC):%Y-%m-%dT%H:%M:%S}.{r % SEC:06d}{self.rng.randint(0, 999):03d}Z"

    def log_name(self, log: str) -> str:
        if log in ("activity", "system_event"):
            return f"projects/{self.project}/logs/cloudaudit.googleapis.com%2F{log}"
        return f"projects/{self.project}/logs/run.googleapis.com%2F{log.replace('/', '%2F')}"

    def resource(self, svc: Svc, revision: str | None = None) -> dict:
        rev = svc.revision if revision is None else revision
        return {"type": "cloud_run_revision", "labels": {
            "configuration_name": svc.name if rev else "", "location": self.region,
            "project_id": self.project, "revision_name": rev, "service_name": svc.name}}

    # -- labels

    @staticmethod
    def label(p: str | None, note: str | None) -> dict:
        lab: dict = {"want": "select" if p else "skip", "problem": p}
        if note:
            lab["note"] = note
        return lab

    def problem(self, label: str, *, title_has: list[str] | None = None, priority: list[str] | None = None,
                caused_by: str | None = None) -> None:
        check: dict = {}
        if title_has:
            check["title_has"] = title_has
        if priority:
            check["priority"] = priority
        if caused_by:
            check["caused_by"] = caused_by
        self.problems[label] = check

    # -- entries

    def add(self, t: int, svc: Svc, *, text: str | None = None, jpay: dict | None = None, proto: dict | None = None,
            log: str = "stderr", sev: str | None = None, inst: str | None = None, p: str | None = None,
            note: str | None = None, http: dict | None = None, labels: dict | None = None,
            revision: str | None = None, trace: bool = False) -> int:
        doc: dict = {"insertId": self._insert_id(t, proto is not None)}
        if text is not None:
            doc["textPayload"] = text
        elif jpay is not None:
            doc["jsonPayload"] = jpay
        elif proto is not None:
            doc["protoPayload"] = proto
        if http is not None:
            doc["httpRequest"] = http
        doc["resource"] = self.resource(svc, revision)
        doc["timestamp"] = iso(t)
        if sev:
            doc["severity"] = sev
        lab = dict(labels or {})
        if inst:
            lab["instanceId"] = inst
        if lab:
            doc["labels"] = lab
        doc["logName"] = self.log_name(log)
        if trace:
            doc["trace"] = f"projects/{self.project}/traces/{self.hexstr(32)}"
            doc["spanId"] = self.hexstr(16)
            doc["traceSampled"] = True
        doc["receiveTimestamp"] = self._receive(t)
        self._seq += 1
        self.rows.append((t, self._seq, doc, self.label(p, note)))
        return t

    def lines(self, t: int, svc: Svc, block: str, **kw) -> int:
        """A multi-line write: one entry per non-empty line, a few microseconds apart."""
        for line in block.split("\n"):
            if line.strip():
                self.add(t, svc, text=line, **kw)
                t += self.gap()
        return t

    def request(self, t: int, svc: Svc, *, inst: str | None, method: str, path: str, status: int, latency: float,
                ua: str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0",
                text: str | None = None, p: str | None = None, note: str | None = None,
                revision: str | None = None) -> int:
        """A request log entry: httpRequest only (a failed one also has a textPayload)."""
        sev = "INFO" if status < 400 else "WARNING" if status < 500 else "ERROR"
        http = {"latency": f"{latency:.9f}s", "protocol": "HTTP/1.1",
                "remoteIp": f"203.0.113.{self.rng.randint(2, 250)}",
                "requestMethod": method, "requestSize": str(self.rng.randint(280, 900)),
                "requestUrl": f"https://{svc.name}-7x3kq2mfpa-uc.a.run.app{path}",
                "responseSize": str(self.rng.randint(120, 9000) if status < 500 else self.rng.randint(0, 400)),
                "serverIp": "34.143.72.2", "status": status, "userAgent": ua}
        return self.add(t, svc, text=text, log="requests", sev=sev, inst=inst, p=p, note=note, http=http,
                        revision=revision, trace=True)

    def text_line(self, line: str, p: str | None = None, note: str | None = None) -> None:
        self.text_rows.append((line, self.label(p, note)))

    # -- output

    def sorted_docs(self, desc: bool) -> list[tuple[dict, dict]]:
        rows = sorted(self.rows, key=lambda r: (r[0], r[1]), reverse=desc)
        return [(doc, lab) for _, _, doc, lab in rows]

    def write(self, root: Path) -> dict:
        folder = root / self.name
        folder.mkdir(parents=True)
        entries: dict[str, dict] = {}
        if self.fmt == "text":
            (folder / "export.txt").write_text("".join(line + "\n" for line, _ in self.text_rows), encoding="utf-8")
            for n, (_, lab) in enumerate(self.text_rows, 1):
                entries[f"L{n}"] = lab
        else:
            desc = self.fmt in ("gcloud", "powershell", "explorer")
            rows = self.sorted_docs(desc)
            docs = [doc for doc, _ in rows]
            for doc, lab in rows:
                entries[doc["insertId"]] = lab
            name, data = render(self.fmt, docs, self.rng)
            (folder / name).write_bytes(data)
        unknown = {lab["problem"] for lab in entries.values() if lab["problem"]}
        for label, check in self.problems.items():
            assert label in unknown, (self.name, label)
            assert check.get("caused_by") in (None, *unknown), (self.name, label)
        expect = {"about": self.about, "sources": self.sources, "entries": entries, "problems": self.problems}
        (folder / "expect.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        selected = sum(1 for lab in entries.values() if lab["want"] == "select")
        return {"case": self.name, "entries": len(entries), "select": selected, "skip": len(entries) - selected,
                "problems": len(unknown)}


def render(fmt: str, docs: list[dict], rng: Random) -> tuple[str, bytes]:
    if fmt == "gcloud":
        return "export.json", (json.dumps(docs, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    if fmt == "powershell":
        # `gcloud logging read ... --format=json > export.json` in Windows PowerShell 5.1:
        # the redirection operator writes UTF-16LE with a BOM and CRLF line ends.
        text = json.dumps(docs, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return "export.json", b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
    if fmt == "jsonl":
        return "export.jsonl", "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode()
    if fmt == "entries-list":
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        token = "".join(rng.choice(alphabet) for _ in range(96))
        body = {"entries": docs, "nextPageToken": token}
        return "export.json", (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode()
    if fmt == "explorer":
        # Logs Explorer "Copy": pretty objects back to back, the payload first, a blank line between.
        parts = []
        for d in docs:
            payload = next((k for k in ("textPayload", "jsonPayload", "protoPayload") if k in d), None)
            ordered = {payload: d[payload], **{k: v for k, v in d.items() if k != payload}} if payload else d
            parts.append(json.dumps(ordered, indent=2, ensure_ascii=False))
        return "export.json", ("\n\n".join(parts) + "\n").encode()
    raise ValueError(fmt)


# --------------------------------------------------------------------------- text builders


def py_tb(frames: list[tuple[str, int, str, str]], exc: str) -> str:
    out = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        out.append(f'  File "{path}", line {line}, in {func}')
        out.extend(f"    {x}" for x in code.split("\n") if code)
    out.append(exc)
    return "\n".join(out)


def java_frames(frames: Iterable[str]) -> str:
    return "\n".join(f"\tat {f}" for f in frames)


def node_frames(frames: Iterable[str]) -> str:
    return "\n".join(f"    at {f}" for f in frames)


# --------------------------------------------------------------------------- 1. python-logging


def case_python_logging() -> Case:
    c = Case(
        "python-logging", seed=101, project="acme-ledger-prod", start="2025-09-15T12:00:00",
        about=("A Python worker using the standard logging module: logging.basicConfig() output "
               "(WARNING:root:msg, ERROR:app.db:msg, INFO/DEBUG noise from the app and urllib3), two handlers with "
               "common custom formats ('%(asctime)s %(levelname)s [%(name)s] %(message)s' and "
               "'%(asctime)s - %(name)s - %(levelname)s - %(message)s'), logger.exception() in both shapes Cloud Run "
               "produces (the message line without severity followed by one ERROR entry holding the traceback; or "
               "every line its own entry without severity), and Python warnings output (the 'file:line: Category: "
               "message' line followed by the indented source line as its own entry). Three instances."),
        sources=[SRC_PY_LOGGING, SRC_PY_BASIC_FORMAT,
                 "https://docs.python.org/3/howto/logging.html (format '%(asctime)s - %(name)s - %(levelname)s - "
                 "%(message)s', default asctime '2003-07-08 16:49:45,896')",
                 "https://docs.python.org/3/library/logging.html#logging.Logger.exception",
                 "https://docs.python.org/3/library/warnings.html#warnings.formatwarning (f'{filename}:{lineno}: "
                 "{category}: {message}\\n' then the source line indented)",
                 SRC_PY_TRACEBACK, SRC_SHAPES])
    s = Svc("ledger-sync", "ledger-sync-00017-qaz")
    a, b, cc = c.instance(), c.instance(), c.instance()

    def start(t: int, inst: str) -> int:
        c.add(t, s, text="INFO:ledger.main:Starting ledger-sync 2.4.1 (python 3.12.5, pid 1)", inst=inst)
        t += 180_000
        t = c.lines(t, s, "/app/ledger/__main__.py:41: DeprecationWarning: datetime.datetime.utcnow() is deprecated "
                    "and scheduled for removal in a future version. Use timezone-aware objects to represent datetimes "
                    "in UTC: datetime.datetime.now(datetime.UTC).\n  started_at = datetime.utcnow()",
                    inst=inst, p="utcnow-deprecation", note="warnings output: the source line is part of the warning")
        t += 2_000
        t = c.lines(t, s, "/app/ledger/settings.py:23: UserWarning: LEDGER_PARTNER_TIMEOUT is not set, using 30s\n"
                    "  warnings.warn(\"LEDGER_PARTNER_TIMEOUT is not set, using 30s\")",
                    inst=inst, p="partner-timeout-default")
        t += 400_000
        c.add(t, s, text="DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.partner-bank.example:443",
              inst=inst)
        return t

    def page(t: int, inst: str, n: int) -> None:
        c.add(t, s, text=f'DEBUG:urllib3.connectionpool:https://api.partner-bank.example:443 "GET /v2/ledger?page={n} '
              f'HTTP/1.1" 200 {c.rng.randint(9000, 24000)}', inst=inst)
        c.add(t + 3_100, s, text=f"INFO:ledger.sync:Synced {c.rng.randint(180, 250)} rows from partner feed (page {n})",
              inst=inst)

    def slow(t: int, inst: str, wait: int, attempt: int) -> None:
        c.add(t, s, text=f"WARNING:root:Partner feed slow, retrying in {wait}s (attempt {attempt}/5)", inst=inst,
              p="partner-slow")

    def pool(t: int, inst: str, waited: str, used: int) -> None:
        c.add(t, s, text=f"ERROR:app.db:Could not acquire connection from pool after {waited}s (pool size 10, in use "
              f"{used})", inst=inst, p="db-pool")

    tb = py_tb([
        ("/app/ledger/reconcile.py", 64, "run_batch", "matched = reconcile_rows(batch.rows, accounts)\n"
         "          " + "^" * 36),
        ("/app/ledger/reconcile.py", 88, "reconcile_rows", 'account = accounts[row["account_id"]]\n'
         "                   ~~~^^^^^^^^^^^^^^"),
    ], "KeyError: 'account_id'")

    def exc_one_entry(t: int, inst: str, batch: int) -> None:
        # logger.exception(): message line, then the traceback kept in one ERROR entry.
        c.add(t, s, text=f"ERROR:ledger.reconcile:Failed to reconcile batch {batch}", inst=inst, p="reconcile-keyerror",
              note="logger.exception() message line (no severity)")
        c.add(t + c.gap(), s, text=tb, sev="ERROR", inst=inst, p="reconcile-keyerror")

    def exc_per_line(t: int, inst: str, batch: int) -> None:
        c.lines(t, s, f"ERROR:ledger.reconcile:Failed to reconcile batch {batch}\n{tb}", inst=inst,
                p="reconcile-keyerror", note="logger.exception() written one entry per line")

    def fmt_bracket(t: int, inst: str, level: str, name: str, msg: str, p: str | None = None) -> None:
        c.add(t, s, text=f"{py_asctime(t)} {level} [{name}] {msg}", inst=inst, p=p)

    def fmt_dash(t: int, inst: str, level: str, msg: str, p: str | None = None) -> None:
        c.add(t, s, text=f"{py_asctime(t)} - ledger.export - {level} - {msg}", inst=inst, p=p)

    start(c.at(0), a)
    page(c.at(1.2), a, 1)
    start(c.at(31), b)
    page(c.at(33), b, 2)
    slow(c.at(62), a, 5, 2)
    fmt_bracket(c.at(70.4), a, "INFO", "ledger.sync", "Batch 118 committed (250 rows)")
    pool(c.at(95.2), b, "30.0", 10)
    exc_one_entry(c.at(121.7), a, 118)
    c.add(c.at(125), s, text="INFO:ledger.sync:Batch 120 reconciled, 0 errors", inst=a,
          note="mentions errors, INFO")
    start(c.at(150), cc)
    pool(c.at(181.9), b, "30.0", 10)
    fmt_dash(c.at(200.1), b, "INFO", "Exporting 3 partitions to gs://acme-ledger-exports/2025-09-15/")
    denied = "403 Forbidden (caller lacks storage.objects.create)"
    fmt_dash(c.at(201.6), b, "ERROR", f"Export of part-0007.csv failed: {denied}", p="export-403")
    exc_per_line(c.at(240.3), cc, 131)
    slow(c.at(260), a, 10, 3)
    c.add(c.at(270), s, text="INFO:root:Error budget remaining this week: 99.2%", inst=a, note="mentions errors, INFO")
    fmt_bracket(c.at(300.5), cc, "WARNING", "ledger.cache", "Cache miss ratio 0.62 above threshold 0.50",
                p="cache-miss")
    pool(c.at(331), cc, "31.4", 10)
    fmt_dash(c.at(360.2), a, "ERROR", f"Export of part-0011.csv failed: {denied}", p="export-403")
    exc_one_entry(c.at(401.1), b, 131)
    fmt_bracket(c.at(420.8), b, "WARNING", "ledger.cache", "Cache miss ratio 0.71 above threshold 0.50", p="cache-miss")
    c.add(c.at(430), s, text="DEBUG:ledger.reconcile:retrying after error? no, batch 133 was clean", inst=b,
          note="mentions an error, DEBUG")
    slow(c.at(450), b, 5, 2)
    page(c.at(460), cc, 7)

    c.problem("reconcile-keyerror", priority=["P1", "P2"])
    c.problem("db-pool", title_has=["Could not acquire connection from pool"])
    c.problem("partner-slow", title_has=["Partner feed slow"], priority=["P2", "P3"])
    c.problem("export-403", title_has=["403 Forbidden"])
    c.problem("cache-miss", title_has=["Cache miss ratio"], priority=["P2", "P3"])
    c.problem("utcnow-deprecation", priority=["P2", "P3"])
    c.problem("partner-timeout-default", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 2. uvicorn-gunicorn

ASGI_FRAMES_UVICORN = [
    ("/usr/local/lib/python3.12/site-packages/uvicorn/protocols/http/httptools_impl.py", 409, "run_asgi",
     "result = await app(  # type: ignore[func-returns-value]"),
    ("/usr/local/lib/python3.12/site-packages/uvicorn/middleware/proxy_headers.py", 60, "__call__",
     "return await self.app(scope, receive, send)"),
]
ASGI_FRAMES_APP = [
    ("/usr/local/lib/python3.12/site-packages/fastapi/applications.py", 1054, "__call__",
     "await super().__call__(scope, receive, send)"),
    ("/usr/local/lib/python3.12/site-packages/starlette/routing.py", 73, "app",
     "response = await f(request)"),
    ("/usr/local/lib/python3.12/site-packages/fastapi/routing.py", 301, "app",
     "raw_response = await run_endpoint_function("),
    ("/app/catalog/routes/imports.py", 47, "import_products",
     "rows = [parse_row(r) for r in payload.rows]\n        ^^^^^^^^^^^^"),
    ("/app/catalog/parsing.py", 19, "parse_row",
     "raise ValueError(f\"price must be a non-negative decimal, got {raw['price']!r}\")"),
]
ASGI_FRAMES_GUNICORN = [
    ("/usr/local/lib/python3.12/site-packages/uvicorn/protocols/http/h11_impl.py", 406, "run_asgi",
     "result = await app(  # type: ignore[func-returns-value]"),
    ("/usr/local/lib/python3.12/site-packages/uvicorn/middleware/proxy_headers.py", 60, "__call__",
     "return await self.app(scope, receive, send)"),
]
BOOT_FRAMES = [
    ("/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", 608, "spawn_worker", "worker.init_process()"),
    ("/usr/local/lib/python3.12/site-packages/uvicorn/workers.py", 75, "init_process", "super().init_process()"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/workers/base.py", 135, "init_process", "self.load_wsgi()"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/workers/base.py", 147, "load_wsgi",
     "self.wsgi = self.app.wsgi()\n            ^^^^^^^^^^^^^^^"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/app/base.py", 66, "wsgi",
     "self.callable = self.load()\n                ^^^^^^^^^^^"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/app/wsgiapp.py", 57, "load", "return self.load_wsgiapp()"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/app/wsgiapp.py", 47, "load_wsgiapp",
     "return util.import_app(self.app_uri)"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/util.py", 370, "import_app",
     "mod = importlib.import_module(module)"),
    ("/usr/local/lib/python3.12/importlib/__init__.py", 90, "import_module",
     "return _bootstrap._gcd_import(name[level:], package, level)"),
    ("<frozen importlib._bootstrap>", 1387, "_gcd_import", ""),
    ("<frozen importlib._bootstrap>", 1360, "_find_and_load", ""),
    ("<frozen importlib._bootstrap>", 1331, "_find_and_load_unlocked", ""),
    ("<frozen importlib._bootstrap>", 935, "_load_unlocked", ""),
    ("<frozen importlib._bootstrap_external>", 995, "exec_module", ""),
    ("<frozen importlib._bootstrap>", 488, "_call_with_frames_removed", ""),
    ("/app/catalog/main.py", 14, "<module>", "cache = build_cache(settings.redis_url)"),
    ("/app/catalog/cache.py", 22, "build_cache", "client.ping()"),
    ("/usr/local/lib/python3.12/site-packages/redis/commands/core.py", 1217, "ping",
     'return self.execute_command("PING", **kwargs)'),
    ("/usr/local/lib/python3.12/site-packages/redis/client.py", 559, "execute_command",
     "conn = self.connection or pool.get_connection(command_name, **options)"),
    ("/usr/local/lib/python3.12/site-packages/redis/connection.py", 357, "connect",
     "raise ConnectionError(self._error_message(e))"),
]


def case_uvicorn_gunicorn() -> Case:
    c = Case(
        "uvicorn-gunicorn", seed=202, project="acme-catalog", start="2025-09-16T00:10:00",
        about=("A FastAPI service: revision 00031 runs uvicorn directly ('INFO:     addr - \"GET /path HTTP/1.1\" "
               "200 OK' access lines, including paths that contain 'error' and a 404, 'ERROR:    Exception in ASGI "
               "application' then the traceback in one ERROR entry, 'WARNING:  Invalid HTTP request received.'); "
               "revision 00032 runs "
               "gunicorn with uvicorn workers, so the same events appear in gunicorn's format ('[date] [pid] [LEVEL] "
               "msg'). On 00032 one instance fails twice to boot its worker (Exception in worker process + traceback, "
               "then the master's 'exited with code 3' / 'Shutting down: Master' / 'Reason: Worker failed to boot.' "
               "and "
               "Cloud Run's 'Container called exit(3).'); another instance has [CRITICAL] WORKER TIMEOUT twice "
               "(the 'exited with code 1' line that follows belongs to the timeout, not to the boot failure) and one "
               "worker killed by SIGKILL."),
        sources=[SRC_UVICORN_LOG,
                 "https://github.com/encode/uvicorn/blob/master/uvicorn/protocols/http/h11_impl.py "
                 "('Exception in ASGI application', 'Invalid HTTP request received.')",
                 "https://www.uvicorn.org/settings/ (startup lines 'Uvicorn running on ... (Press CTRL+C to quit)')",
                 SRC_GUNICORN_LOG, SRC_GUNICORN_ARBITER,
                 "https://docs.gunicorn.org/en/stable/settings.html#timeout", SRC_PY_TRACEBACK, SRC_SHAPES])
    old = Svc("catalog-api", "catalog-api-00031-tix")
    new = Svc("catalog-api", "catalog-api-00032-wop")
    a, b, c1, c2, d = (c.instance() for _ in range(5))

    def access(t: int, inst: str, method: str, path: str, status: str, p: str | None = None,
               note: str | None = None) -> None:
        c.add(t, old, text=f'INFO:     169.254.169.126:{c.rng.randint(30000, 60000)} - "{method} {path} HTTP/1.1" '
              f"{status}", log="stdout", inst=inst, p=p, note=note)

    def uvicorn_start(t: int, inst: str, full: bool) -> int:
        lines = ["INFO:     Started server process [1]", "INFO:     Waiting for application startup.",
                 "INFO:     Application startup complete.",
                 "INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)"]
        for line in lines if full else lines[::3]:
            c.add(t, old, text=line, inst=inst)
            t += c.rng.randint(800, 40_000)
        return t

    def asgi_uvicorn(t: int, inst: str, price: str) -> None:
        c.add(t, old, text="ERROR:    Exception in ASGI application", inst=inst, p="import-valueerror",
              note="header line of the traceback that follows (no severity)")
        tb = py_tb(ASGI_FRAMES_UVICORN + ASGI_FRAMES_APP,
                   f"ValueError: price must be a non-negative decimal, got '{price}'")
        c.add(t + c.gap(), old, text=tb, sev="ERROR", inst=inst, p="import-valueerror")
        access(t + 2_000, inst, "POST", "/v1/products/import", "500 Internal Server Error",
               note="access line at INFO level: the failure is reported by the ERROR entries just before")

    def g(t: int, svc: Svc, inst: str, pid: int, level: str, msg: str, p: str | None = None,
          note: str | None = None) -> int:
        return c.add(t, svc, text=f"{gunicorn_time(t)} [{pid}] [{level}] {msg}", inst=inst, p=p, note=note)

    def gunicorn_start(t: int, inst: str, worker: int) -> int:
        for msg in ("Starting gunicorn 23.0.0", "Listening at: http://0.0.0.0:8080 (1)",
                    "Using worker: uvicorn.workers.UvicornWorker"):
            g(t, new, inst, 1, "INFO", msg)
            t += c.gap(3, 40)
        t += 3_000
        g(t, new, inst, worker, "INFO", f"Booting worker with pid: {worker}")
        return t

    def boot_failure(t: int, inst: str, worker: int) -> None:
        t = gunicorn_start(t, inst, worker) + 2_410_000
        g(t, new, inst, worker, "ERROR", "Exception in worker process", p="redis-boot",
          note="header line of the traceback that follows")
        tb = py_tb(BOOT_FRAMES, "redis.exceptions.ConnectionError: Error 110 connecting to 10.20.0.5:6379. "
                   "Connection timed out.")
        t += 95
        c.add(t, new, text=tb, sev="ERROR", inst=inst, p="redis-boot")
        g(t + 4, new, inst, worker, "INFO", f"Worker exiting (pid: {worker})")
        t += 381_000
        g(t, new, inst, 1, "ERROR", f"Worker (pid:{worker}) exited with code 3", p="worker-boot-failed")
        g(t + 800, new, inst, 1, "ERROR", "Shutting down: Master", p="worker-boot-failed")
        g(t + 809, new, inst, 1, "ERROR", "Reason: Worker failed to boot.", p="worker-boot-failed")
        c.add(t + 612_000, new, text="Container called exit(3).", log="varlog/system", sev="WARNING", inst=inst,
              labels={"container_name": "catalog-api-1"}, p="container-exit")

    # revision 00031, uvicorn
    t = uvicorn_start(c.at(0), a, True)
    access(t + 900_000, a, "GET", "/healthz", "200 OK")
    access(c.at(14), a, "GET", "/v1/products?page=2", "200 OK")
    access(c.at(19), a, "GET", "/error", "200 OK", note="a page called /error, served fine")
    access(c.at(25), a, "GET", "/favicon.ico", "404 Not Found", note="404 access line at INFO: noise")
    uvicorn_start(c.at(41), b, False)
    access(c.at(52), b, "GET", "/v1/errors/recent?limit=20", "200 OK", note="path contains 'errors'")
    asgi_uvicorn(c.at(97.31), a, "-4.99")
    c.add(c.at(140.2), old, text="WARNING:  Invalid HTTP request received.", inst=b, p="invalid-http")
    access(c.at(150), b, "GET", "/v1/products/sku-20931", "200 OK")
    asgi_uvicorn(c.at(203.55), b, "-0.01")
    c.add(c.at(260.7), old, text="WARNING:  Invalid HTTP request received.", inst=a, p="invalid-http")

    # revision 00032, gunicorn + uvicorn workers
    boot_failure(c.at(610), c1, 7)
    boot_failure(c.at(641), c2, 8)
    t = gunicorn_start(c.at(700), d, 7)
    for msg in ("Started server process [7]", "Waiting for application startup.", "Application startup complete."):
        t += c.rng.randint(200_000, 900_000)
        g(t, new, d, 7, "INFO", msg)
    t = c.at(801.4)
    g(t, new, d, 7, "ERROR", "Exception in ASGI application", p="import-valueerror",
      note="same failure as on 00031, in gunicorn's format")
    c.add(t + 61, new, text=py_tb(ASGI_FRAMES_GUNICORN + ASGI_FRAMES_APP,
                                   "ValueError: price must be a non-negative decimal, got '-12.00'"),
          sev="ERROR", inst=d, p="import-valueerror")
    g(c.at(845), new, d, 7, "WARNING", "Invalid HTTP request received.", p="invalid-http",
      note="uvicorn's warning through gunicorn's logger")
    t = c.at(901.2)
    g(t, new, d, 1, "CRITICAL", "WORKER TIMEOUT (pid:7)", p="worker-timeout")
    g(t + 302_000, new, d, 1, "ERROR", "Worker (pid:7) exited with code 1", p="worker-timeout",
      note="the aborted worker's exit after the timeout (same template as the boot failure's exit line)")
    g(t + 309_000, new, d, 23, "INFO", "Booting worker with pid: 23")
    t = c.at(1104.9)
    g(t, new, d, 1, "CRITICAL", "WORKER TIMEOUT (pid:23)", p="worker-timeout")
    g(t + 288_000, new, d, 1, "ERROR", "Worker (pid:23) exited with code 1", p="worker-timeout")
    g(t + 295_000, new, d, 31, "INFO", "Booting worker with pid: 31")
    g(c.at(1290.3), new, d, 1, "ERROR", "Worker (pid:31) was sent SIGKILL! Perhaps out of memory?", p="worker-sigkill")
    g(c.at(1290.31), new, d, 40, "INFO", "Booting worker with pid: 40")

    c.problem("import-valueerror", title_has=["ValueError"], priority=["P1", "P2"])
    c.problem("redis-boot", title_has=["ConnectionError"], priority=["P0", "P1"])
    c.problem("worker-boot-failed", caused_by="redis-boot")
    c.problem("container-exit", caused_by="worker-boot-failed")
    c.problem("worker-timeout", title_has=["WORKER TIMEOUT"])
    c.problem("invalid-http", title_has=["Invalid HTTP request received"], priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 3. node-plain

NODE_TYPEERROR = "TypeError: Cannot read properties of undefined (reading 'id')\n" + node_frames([
    "buildPayload (/app/dist/notify/payload.js:27:31)",
    "/app/dist/notify/sender.js:58:25",
    "Array.map (<anonymous>)",
    "sendBatch (/app/dist/notify/sender.js:57:32)",
    "async /app/dist/routes/notifications.js:41:9",
])


def case_node_plain() -> Case:
    c = Case(
        "node-plain", seed=303, project="acme-notify", start="2025-10-02T08:30:00",
        about=("An Express service on Node 20 that logs with console.log / console.error, no logger library. "
               "console.error(err) of a TypeError prints the error line and its '    at ...' frames, one entry per "
               "line without severity (and, once, the whole stack in a single ERROR entry, a shape Cloud Run also "
               "produces); "
               "console.error('Failed to send push:', err) adds the error's own properties ({ errno, code, ... }); an "
               "unhandled promise rejection crashes the process the way Node 18/20 prints it (the "
               "node:internal/process/promises source line, the caret, the error with its stack and properties, then "
               "'Node.js v20.11.1'), followed by Cloud Run's 'Container called exit(1).'. Noise: console.log lines, "
               "request lines in morgan's 'dev' format, and 'errorHandler registered'."),
        sources=["https://nodejs.org/api/console.html#consoleerrordata-args",
                 "https://nodejs.org/api/errors.html#errorstack (first line '<class>: <message>', then '    at ' "
                 "frames)",
                 "https://nodejs.org/api/cli.html#--unhandled-rejectionsmode (default 'throw' since Node 15: the "
                 "rejection is raised as an uncaught exception)",
                 "https://github.com/es-shims/Promise.any/issues/12 (output 'node:internal/process/promises:NNN / "
                 "triggerUncaughtException(err, true /* fromPromise */); / ^')",
                 "https://nodejs.org/api/util.html#utilinspectobject-options (error properties printed as "
                 "'{\\n  code: ...\\n}')",
                 "https://github.com/expressjs/morgan#dev (':method :url :status :response-time ms - "
                 ":res[content-length]')",
                 "../shared/data/gcp-real/other-services (shape only: a Node stack as one ERROR textPayload)",
                 SRC_SHAPES])
    s = Svc("notify-svc", "notify-svc-00044-lek")
    a, b, c1, c2 = (c.instance() for _ in range(4))

    def boot(t: int, inst: str, full: bool = True) -> int:
        lines = (("notify-svc v3.2.0 starting (node v20.11.1, NODE_ENV=production)", None),
                           ("errorHandler registered", "mentions error: a startup line"),
                 ("Server listening on port 8080", None))
        for line, note in lines if full else lines[:1]:
            c.add(t, s, text=line, log="stdout", inst=inst, note=note)
            t += c.rng.randint(300, 30_000)
        return t

    def req(t: int, inst: str, line: str, note: str | None = None) -> None:
        c.add(t, s, text=line, log="stdout", inst=inst, note=note)

    def typeerror(t: int, inst: str) -> None:
        c.lines(t, s, NODE_TYPEERROR, inst=inst, p="typeerror-id", note="console.error(err): one entry per line")

    def push(t: int, inst: str) -> None:
        c.lines(t, s, "Failed to send push: Error: getaddrinfo ENOTFOUND push.notify-relay.example\n"
                "    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:120:26) {\n"
                "  errno: -3008,\n  code: 'ENOTFOUND',\n  syscall: 'getaddrinfo',\n"
                "  hostname: 'push.notify-relay.example'\n}", inst=inst, p="push-enotfound")

    def crash(t: int, inst: str, port_ns: int) -> None:
        t = c.lines(t, s, "node:internal/process/promises:289\n"
                    "            triggerUncaughtException(err, true /* fromPromise */);\n"
                    "            ^\n\n"
                    "Error: connect ECONNREFUSED 10.40.0.3:6379\n"
                    "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16) {\n"
                    "  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '10.40.0.3',\n"
                    "  port: 6379\n}\n\nNode.js v20.11.1", inst=inst, p="unhandled-rejection",
                    note="unhandled promise rejection: every line is part of the crash")
        c.add(t + port_ns, s, text="Container called exit(1).", log="varlog/system", sev="WARNING", inst=inst,
              labels={"container_name": "notify-svc-1"}, p="container-exit")

    boot(c.at(0), a)
    req(c.at(4.2), a, "GET /healthz 200 0.812 ms - 2")
    boot(c.at(9), b)
    req(c.at(21.7), a, "GET /api/notifications?user=u_1841 200 14.211 ms - 512")
    req(c.at(30.1), b, "POST /api/notifications/send 202 33.870 ms - 61")
    typeerror(c.at(44.31), a)
    req(c.at(44.32), a, "POST /api/notifications/send 500 6.102 ms - 21",
        note="request line of the failed call; the error itself is logged just before")
    req(c.at(58), b, "GET /api/errors/summary 200 9.044 ms - 188", note="a route called /api/errors")
    push(c.at(73.9), b)
    c.add(c.at(131.2), s, text="Sent 12 notifications in 340ms (0 failed)", log="stdout", inst=a,
          note="mentions failures, a count of zero")
    t = boot(c.at(170), c1, False)
    crash(t + 2_900_000, c1, 388_000)
    typeerror(c.at(201.4), b)
    c.add(c.at(232.6), s, text=NODE_TYPEERROR, sev="ERROR", inst=a, p="typeerror-id",
          note="the same stack kept in one ERROR entry")
    t = boot(c.at(240), c2, False)
    crash(t + 3_100_000, c2, 402_000)

    c.problem("typeerror-id", title_has=["TypeError"], priority=["P1", "P2"])
    c.problem("push-enotfound", title_has=["ENOTFOUND"])
    c.problem("unhandled-rejection", title_has=["ECONNREFUSED"], priority=["P0", "P1"])
    c.problem("container-exit", caused_by="unhandled-rejection")
    return c


# --------------------------------------------------------------------------- 4. nestjs


def nest_color(level: str) -> Callable[[str], str]:
    code = {"log": "32", "error": "31", "warn": "33"}[level]
    return lambda text: f"{ESC}[{code}m{text}{ESC}[39m"


def nest_time(us: int) -> str:
    d = dt(us)
    hour = d.hour % 12 or 12
    return f"{d:%m/%d/%Y}, {hour}:{d:%M:%S} {'AM' if d.hour < 12 else 'PM'}"


def nest_line(us: int, level: str, context: str, message: str, diff: int | None) -> str:
    """ConsoleLogger.formatMessage with colours on (Nest 9)."""
    col = nest_color(level)
    ctx = f"{ESC}[38;5;3m[{context}] {ESC}[39m"
    suffix = f"{ESC}[38;5;3m +{diff}ms{ESC}[39m" if diff is not None else ""
    return f"{col('[Nest] 1  - ')}{nest_time(us)} {col(level.upper().rjust(7))} {ctx}{col(message)}{suffix}"


NEST_MESSAGE = (
    "Nest can't resolve dependencies of the PaymentsService (ConfigService, ?). Please make sure that the argument "
    "PAYMENTS_CLIENT at index [1] is available in the PaymentsModule context.\n\n"
    "Potential solutions:\n"
    "- If PAYMENTS_CLIENT is a provider, is it part of the current PaymentsModule?\n"
    "- If PAYMENTS_CLIENT is exported from a separate @Module, is that module imported within PaymentsModule?\n"
    "  @Module({\n"
    "    imports: [ /* the Module containing PAYMENTS_CLIENT */ ]\n"
    "  })\n")
NEST_FRAMES = node_frames([
    "Injector.lookupComponentInParentModules (/app/node_modules/@nestjs/core/injector/injector.js:254:19)",
    "Injector.resolveComponentInstance (/app/node_modules/@nestjs/core/injector/injector.js:207:33)",
    "resolveParam (/app/node_modules/@nestjs/core/injector/injector.js:128:38)",
    "async Promise.all (index 1)",
    "Injector.resolveConstructorParams (/app/node_modules/@nestjs/core/injector/injector.js:143:27)",
])


def case_nestjs() -> Case:
    c = Case(
        "nestjs", seed=404, project="acme-orders", start="2025-11-28T15:04:05",
        about=("A NestJS 9 service crash-looping on a dependency-injection failure, with colours forced on (ANSI codes "
               "stay in the text). Every line is its own entry without severity: the coloured LOG/WARN lines on stdout "
               "('[Nest] 1  - 11/28/2025, 3:04:05 PM     LOG [NestFactory] Starting Nest application...'), then on "
               "stderr the coloured 'ERROR [ExceptionHandler] Nest can't resolve dependencies of ...' with its "
               "multi-line explanation (the red colour is closed by a line holding only the reset code), then the "
               "stack (the message again, then the '    at ' frames). Each of three instance starts is followed by "
               "Cloud Run's 'Container called exit(1).' (WARNING) and the startup probe failure (ERROR). The WARN line "
               "printed at every start, before the crash, is its own problem and not a consequence."),
        sources=["https://github.com/nestjs/nest/blob/master/packages/common/services/console-logger.service.ts "
                 "(formatPid '[Nest] ${pid}  - ', level padStart(7), context '[ctx] ' in yellow, ' +Nms', "
                 "printStackTrace writes the stack to stderr)",
                 "https://github.com/nestjs/nest/blob/master/packages/common/utils/cli-colors.util.ts (green 32, "
                 "yellow 33, red 31, context yellow 38;5;3, reset 39)",
                 "https://github.com/nestjs/nest/blob/master/packages/core/errors/messages.ts "
                 "(UNKNOWN_DEPENDENCIES_MESSAGE and its 'Potential solutions')",
                 "https://github.com/nestjs/nest/blob/v9.4.3/packages/core/errors/exception-handler.ts "
                 "(logger.error(exception.message, exception.stack))",
                 "https://docs.nestjs.com/techniques/logger",
                 SRC_CLOUD_RUN_TROUBLESHOOT, SRC_SHAPES])
    s = Svc("orders-gateway", "orders-gateway-00008-vop")

    def start(t: int, inst: str) -> None:
        c.add(t, s, text=nest_line(t, "log", "NestFactory", "Starting Nest application...", None), log="stdout",
              inst=inst)
        t += 4_100
        c.add(t, s, text=nest_line(t, "warn", "FeatureFlags", "FLAGS_SDK_KEY is not set; every flag uses its default",
                                   4), log="stdout", inst=inst, p="flags-sdk-key")
        t += 9_300
        c.add(t, s, text=nest_line(t, "log", "InstanceLoader", "AppModule dependencies initialized", 9), log="stdout",
              inst=inst)
        t += 27_000
        first, *rest = NEST_MESSAGE.split("\n")
        block = nest_line(t, "error", "ExceptionHandler", "\x00", None).replace(
            "\x00" + f"{ESC}[39m", first + "\n" + "\n".join(rest) + f"{ESC}[39m")
        t = c.lines(t, s, block, inst=inst, p="nest-di",
                    note="the coloured error message; its last entry is only the colour reset code")
        t += c.gap(40, 90)
        t = c.lines(t, s, "Error: " + NEST_MESSAGE + "\n" + NEST_FRAMES, inst=inst, p="nest-di",
                    note="the stack of the same error")
        t += c.rng.randint(350_000, 480_000)
        c.add(t, s, text="Container called exit(1).", log="varlog/system", sev="WARNING", inst=inst,
              labels={"container_name": "orders-gateway-1"}, p="container-exit")
        t += c.rng.randint(90_000, 160_000)
        c.add(t, s, text='Default STARTUP TCP probe failed 1 time consecutively for container "orders-gateway-1" on '
              "port 8080. The instance was not started. Connection failed with status CANCELLED.",
              log="varlog/system", sev="ERROR", inst=inst, p="startup-probe")

    start(c.at(0), c.instance())
    start(c.at(13.2), c.instance())
    start(c.at(41.7), c.instance())

    c.problem("nest-di", title_has=["Nest can't resolve dependencies of the PaymentsService"], priority=["P0"])
    c.problem("container-exit", caused_by="nest-di")
    c.problem("startup-probe", caused_by="nest-di")
    c.problem("flags-sdk-key", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 5. java


def spring_line(us: int, level: str, thread: str, logger: str, msg: str) -> str:
    """Spring Boot 3 console pattern: %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %5p PID --- [%15.15t] %-40.40logger{39} : %m."""
    d = dt(us)
    return (f"{d:%Y-%m-%dT%H:%M:%S}.{millis(us)}Z {level:>5} 1 --- [{thread[-15:]:>15}] {logger[:40]:<40} : {msg}")


def case_java() -> Case:
    c = Case(
        "java", seed=505, project="acme-billing", start="2025-09-15T12:00:00",
        about=("Four JVM services of one project. billing-api uses Spring Boot 3's default console format "
               "('2025-09-15T12:00:00.123Z ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet] : "
               "Servlet.service() ...'), whose exception stack follows one entry per line, and Hibernate's paired "
               "WARN 'SQL Error: 0, SQLState: 40001' + ERROR lines; billing-batch uses logback's default pattern "
               "('12:00:03.402 [main] ERROR c.a.b.batch.InvoiceExportJob - ...') with a 'Caused by:' chain and "
               "'... N more'; fx-rates uses a logback pattern with %d{yyyy-MM-dd HH:mm:ss.SSS} and the thread first "
               "('[http-nio-8080-exec-4] WARN  ...'); ledger-importer uses a log4j2 pattern with the level first "
               "('... ERROR [main] com.acme.ledger.ImporterApp - ...') and dies with the JVM's own "
               "'Exception in thread \"main\" ...' print."),
        sources=["https://docs.spring.io/spring-boot/reference/features/logging.html#features.logging.log-format",
                 "https://github.com/spring-projects/spring-boot/blob/3.3.x/spring-boot-project/spring-boot/src/main/"
                 "resources/org/springframework/boot/logging/logback/defaults.xml (CONSOLE_LOG_PATTERN, %wEx)",
                 "https://logback.qos.ch/manual/configuration.html (BasicConfigurator/TTLLLayout pattern "
                 "'%d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n')",
                 "https://logback.qos.ch/manual/layouts.html#conversionWord (logger{36} abbreviation)",
                 "https://logging.apache.org/log4j/2.x/manual/pattern-layout.html",
                 JAVA_PRINTSTACKTRACE + " ('Caused by: ...', '... n more')",
                 "https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/"
                 "Thread.UncaughtExceptionHandler.html (default handler prints 'Exception in thread \"main\" ')",
                 SRC_SHAPES])
    api = Svc("billing-api", "billing-api-00052-rux")
    batch = Svc("billing-batch", "billing-batch-00019-gej")
    fx = Svc("fx-rates", "fx-rates-00007-cal")
    led = Svc("ledger-importer", "ledger-importer-00004-mab")
    a1, a2, b1, b2, f1, l1, l2 = (c.instance() for _ in range(7))

    # billing-api: Spring Boot 3
    for inst, t0 in ((a1, c.at(0)), (a2, c.at(35))):
        c.add(t0, api, text=spring_line(t0, "INFO", "main", "c.a.billing.BillingApplication",
                                        "Started BillingApplication in 7.412 seconds (process running for 8.105)"),
              log="stdout", inst=inst)
        t1 = t0 + 31_000
        if inst == a2:
            continue
        c.add(t1, api, text=spring_line(t1, "INFO", "main", "o.s.b.w.embedded.tomcat.TomcatWebServer",
                                        "Tomcat started on port 8080 (http) with context path '/'"),
              log="stdout", inst=inst)

    def sql_conflict(t: int, inst: str, thread: str) -> None:
        c.add(t, api, text=spring_line(t, "WARN", thread, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                       "SQL Error: 0, SQLState: 40001"), log="stdout", inst=inst, p="serialization")
        t += c.rng.randint(60, 200)
        c.add(t, api, text=spring_line(t, "ERROR", thread, "o.h.engine.jdbc.spi.SqlExceptionHelper",
                                       "ERROR: could not serialize access due to concurrent update"),
              log="stdout", inst=inst, p="serialization", note="logged together with the WARN line before it")

    def servlet_error(t: int, inst: str, thread: str, invoice: str) -> None:
        head = spring_line(t, "ERROR", thread, "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
                           "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception "
                           f"[Request processing failed: java.lang.IllegalStateException: Invoice {invoice} has no "
                           "billing account] with root cause")
        stack = f"java.lang.IllegalStateException: Invoice {invoice} has no billing account\n" + java_frames([
            "com.acme.billing.invoice.InvoiceService.charge(InvoiceService.java:142) ~[!/:0.4.2]",
            "com.acme.billing.invoice.InvoiceController.pay(InvoiceController.java:58) ~[!/:0.4.2]",
            "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103) "
            "~[na:na]",
            "java.base/java.lang.reflect.Method.invoke(Method.java:580) ~[na:na]",
            "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255) "
            "~[spring-web-6.1.12.jar!/:6.1.12]",
            "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089) "
            "~[spring-webmvc-6.1.12.jar!/:6.1.12]",
        ])
        c.lines(t, api, head + "\n\n" + stack, log="stdout", inst=inst, p="invoice-no-account",
                note="Spring Boot ERROR line then its stack, one entry per line")

    sql_conflict(c.at(61.2), a1, "nio-8080-exec-3")
    servlet_error(c.at(120.5), a1, "http-nio-8080-exec-7", "INV-20931")
    sql_conflict(c.at(190.8), a2, "nio-8080-exec-1")
    servlet_error(c.at(240.1), a2, "http-nio-8080-exec-2", "INV-21077")

    # billing-batch: logback default pattern
    def lb(t: int, level: str, logger: str, msg: str) -> str:
        return f"{dt(t):%H:%M:%S}.{millis(t)} [main] {level:<5} {logger} - {msg}"

    def batch_run(t: int, inst: str, day: str) -> None:
        c.add(t, batch, text=lb(t, "INFO", "c.a.billing.batch.BatchApplication",
                                f"Starting nightly invoice export for {day}"), log="stdout", inst=inst)
        t += c.rng.randint(2_000_000, 3_500_000)
        block = (lb(t, "ERROR", "c.a.b.batch.InvoiceExportJob", f"Export of batch {day} failed") + "\n"
                 f"com.acme.billing.batch.ExportException: Could not write invoices-{day}.csv\n"
                 + java_frames(["com.acme.billing.batch.InvoiceExportJob.run(InvoiceExportJob.java:77)",
                                "com.acme.billing.batch.JobRunner.execute(JobRunner.java:40)",
                                "com.acme.billing.batch.BatchApplication.main(BatchApplication.java:31)"]) + "\n"
                 "Caused by: java.io.IOException: No space left on device\n"
                 + java_frames(["java.base/java.io.FileOutputStream.writeBytes(Native Method)",
                                "java.base/java.io.FileOutputStream.write(FileOutputStream.java:367)",
                                "com.acme.billing.batch.CsvWriter.flush(CsvWriter.java:52)",
                                "com.acme.billing.batch.InvoiceExportJob.run(InvoiceExportJob.java:71)"])
                 + "\n\t... 2 more")
        c.lines(t, batch, block, log="stdout", inst=inst, p="export-no-space",
                note="logback ERROR line and its stack with a Caused by chain")

    batch_run(c.at(300), b1, "2025-09-14")
    batch_run(c.at(1500), b2, "2025-09-14")

    # fx-rates: logback with %d{yyyy-MM-dd HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n
    def fxl(t: int, thread: str, level: str, logger: str, msg: str, p: str | None = None) -> None:
        c.add(t, fx, text=f"{dt(t):%Y-%m-%d %H:%M:%S}.{millis(t)} [{thread}] {level:<5} {logger} - {msg}",
              log="stdout", inst=f1, p=p)

    fxl(c.at(400), "main", "INFO", "c.a.fx.FxRatesApplication", "Rates cache warmed: 168 currency pairs")
    fxl(c.at(455.3), "http-nio-8080-exec-4", "WARN", "c.a.fx.web.QuoteController",
        "Quote for EUR/XYZ requested but currency XYZ is unknown", p="unknown-currency")
    fxl(c.at(612.9), "http-nio-8080-exec-1", "WARN", "c.a.fx.web.QuoteController",
        "Quote for USD/ABC requested but currency ABC is unknown", p="unknown-currency")

    # ledger-importer: log4j2 %d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c - %m%n, then the JVM's uncaught print
    def importer(t: int, inst: str, rows: int) -> None:
        c.add(t, led, text=f"{dt(t):%Y-%m-%d %H:%M:%S}.{millis(t)} INFO  [main] com.acme.ledger.ImporterApp - "
              "Importing gs://acme-ledger-drop/2025-09-15/entries.csv", log="stdout", inst=inst)
        t += c.rng.randint(800_000, 1_400_000)
        c.add(t, led, text=f"{dt(t):%Y-%m-%d %H:%M:%S}.{millis(t)} ERROR [main] com.acme.ledger.ImporterApp - "
              f"Import aborted: {rows} malformed rows in entries.csv", log="stdout", inst=inst, p="import-aborted")
        t += c.rng.randint(900, 4000)
        c.lines(t, led, 'Exception in thread "main" java.lang.IllegalStateException: Import aborted: '
                f"{rows} malformed rows in entries.csv\n" + java_frames([
                    "com.acme.ledger.ImporterApp.importFile(ImporterApp.java:88)",
                    "com.acme.ledger.ImporterApp.main(ImporterApp.java:34)"]),
                inst=inst, p="import-aborted", note="the JVM's uncaught-exception print of the same failure")

    importer(c.at(700), l1, 3)
    importer(c.at(2400), l2, 5)

    c.problem("invoice-no-account", title_has=["IllegalStateException"], priority=["P1", "P2"])
    c.problem("serialization", title_has=["could not serialize access"])
    c.problem("export-no-space", priority=["P1", "P2"])
    c.problem("unknown-currency", priority=["P2", "P3"])
    c.problem("import-aborted", title_has=["Import aborted"])
    return c


# --------------------------------------------------------------------------- 6. go


def klog(us: int, level: str, where: str, msg: str) -> str:
    """glog/klog header: Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg (threadid right-aligned in 7)."""
    d = dt(us)
    return f"{level}{d:%m%d %H:%M:%S}.{us % SEC:06d} {1:>7} {where}] {msg}"


def case_go() -> Case:
    c = Case(
        "go", seed=606, project="acme-router", start="2025-09-20T07:00:00", fmt="jsonl",
        about=("Go services exported by a Cloud Storage sink (JSON Lines, oldest first). route-sync logs with klog "
               "('E0920 07:05:42.100233       1 sync.go:201] ...', W and I lines) and logrus' text formatter "
               "('time=\"...\" level=error msg=\"...\"'); quote-api logs zap production JSON (a jsonPayload whose "
               "level "
               "is the field \"level\", with \"stacktrace\") and slog's text and JSON handlers; route-sync panics on "
               "one instance twice (the panic, the signal line, 'goroutine 1 [running]:' and the frames, one entry "
               "per line) each followed by 'Container called exit(2).'. Negatives: 'level=info msg=\"0 errors\"' "
               "and INFO lines that mention errors."),
        sources=["https://github.com/golang/glog/blob/master/glog.go (header 'Lmmdd hh:mm:ss.uuuuuu threadid "
                 "file:line] msg')",
                 "https://github.com/kubernetes/klog#how-to-use-klog",
                 "https://github.com/sirupsen/logrus#formatters (TextFormatter without a TTY: "
                 "time=\"...\" level=warning msg=\"...\" key=value)",
                 "https://pkg.go.dev/go.uber.org/zap#NewProduction (JSON: level, ts epoch seconds, caller, msg, "
                 "stacktrace at error)",
                 "https://pkg.go.dev/log/slog#TextHandler", "https://pkg.go.dev/log/slog#JSONHandler",
                 "https://pkg.go.dev/runtime#hdr-Environment_Variables "
                 "(GOTRACEBACK: 'panic: ...', 'goroutine N [running]:', frames with file:line +0xNN, exit status 2)",
                 SRC_STRUCTURED])
    sync = Svc("route-sync", "route-sync-00023-fiz")
    api = Svc("quote-api", "quote-api-00061-dop")
    r1, r2, p1, p2, q1, q2 = (c.instance() for _ in range(6))

    def kl(t: int, inst: str, level: str, where: str, msg: str, p: str | None = None, note: str | None = None) -> None:
        c.add(t, sync, text=klog(t, level, where, msg), inst=inst, p=p, note=note)

    def lr(t: int, inst: str, level: str, msg: str, fields: str, p: str | None = None, note: str | None = None) -> None:
        c.add(t, sync, text=f'time="{dt(t):%Y-%m-%dT%H:%M:%S}Z" level={level} msg="{msg}" {fields}'.rstrip(),
              inst=inst, p=p, note=note)

    sync_fail = 'sync of upstream "payments-eu" failed: dial tcp 10.8.0.14:443: i/o timeout'
    kl(c.at(0), r1, "I", "main.go:58", "Starting route-sync controller (version 1.19.3)")
    kl(c.at(0.4), r2, "I", "main.go:58", "Starting route-sync controller (version 1.19.3)")
    lr(c.at(12), r1, "info", "processed 200 routes", "took=412ms")
    lr(c.at(13), r1, "info", "0 errors", "batch=7", note="'0 errors' at level=info")
    kl(c.at(190.5), r1, "W", "cache.go:112", "route cache stale for 45s, serving last known table",
       p="route-cache-stale")
    kl(c.at(342.1), r1, "E", "sync.go:201", sync_fail, p="upstream-timeout")
    kl(c.at(343.9), r2, "E", "sync.go:201", sync_fail, p="upstream-timeout")
    lr(c.at(361.2), r2, "error", "failed to publish route update", 'error="nats: timeout" subject=routes.updated',
       p="nats-timeout")
    lr(c.at(380), r2, "warning", "slow subscriber", "pending=1532 subject=routes.updated", p="slow-subscriber")
    kl(c.at(420.3), r2, "I", "sync.go:188", "sync complete: 0 errors, 3 upstreams", note="mentions errors, I line")
    kl(c.at(511.8), r2, "W", "cache.go:112", "route cache stale for 61s, serving last known table",
       p="route-cache-stale")
    kl(c.at(602.4), r1, "E", "sync.go:201", sync_fail, p="upstream-timeout")
    lr(c.at(640.7), r1, "error", "failed to publish route update", 'error="nats: timeout" subject=routes.updated',
       p="nats-timeout")

    def panic(t: int, inst: str, addr: str, pc: str) -> None:
        t = c.lines(t, sync, "panic: runtime error: invalid memory address or nil pointer dereference\n"
                    f"[signal SIGSEGV: segmentation violation code=0x1 addr={addr} pc={pc}]\n\n"
                    "goroutine 1 [running]:\n"
                    "github.com/acme/route-sync/internal/table.(*Table).Lookup(0x0, {0xc0001a2000, 0x9})\n"
                    "\t/src/internal/table/table.go:57 +0x32\n"
                    "main.run(0xc000126000)\n\t/src/cmd/route-sync/main.go:91 +0x1c5\n"
                    "main.main()\n\t/src/cmd/route-sync/main.go:62 +0x2a", inst=inst, p="nil-deref",
                    note="Go panic: every line is part of it")
        c.add(t + c.rng.randint(200_000, 400_000), sync, text="Container called exit(2).", log="varlog/system",
              sev="WARNING", inst=inst, labels={"container_name": "route-sync-1"}, p="container-exit")

    kl(c.at(700), p1, "I", "main.go:58", "Starting route-sync controller (version 1.19.3)")
    panic(c.at(701.3), p1, "0x28", "0x8a3f12")
    kl(c.at(716), p2, "I", "main.go:58", "Starting route-sync controller (version 1.19.3)")
    panic(c.at(717.1), p2, "0x28", "0x8a3f12")

    # quote-api: zap production JSON and slog
    def zap(t: int, inst: str, level: str, caller: str, msg: str, extra: dict, p: str | None = None) -> None:
        pay = {"level": level, "ts": round(t / SEC, 6), "caller": caller, "msg": msg, **extra}
        c.add(t, api, jpay=pay, log="stdout", inst=inst, p=p)

    zap(c.at(30), q1, "info", "cmd/quote-api/main.go:44", "listening", {"addr": ":8080"})
    zap(c.at(151.2), q1, "error", "api/handler.go:88", "quote lookup failed",
        {"route": "/v1/quote", "error": "context deadline exceeded",
         "stacktrace": "github.com/acme/quote-api/api.(*Handler).Quote\n\t/src/api/handler.go:88\n"
                       "net/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2171"},
        p="quote-deadline")
    zap(c.at(160), q1, "warn", "api/upstream.go:61", "retrying upstream", {"upstream": "fx-rates", "attempt": 2},
        p="upstream-retry")
    zap(c.at(302.8), q2, "error", "api/handler.go:88", "quote lookup failed",
        {"route": "/v1/quote", "error": "context deadline exceeded",
         "stacktrace": "github.com/acme/quote-api/api.(*Handler).Quote\n\t/src/api/handler.go:88\n"
                       "net/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2171"},
        p="quote-deadline")
    zap(c.at(310), q2, "info", "api/handler.go:97", "quote served", {"route": "/v1/quote", "errors": 0})

    def slog_text(t: int, inst: str, level: str, msg: str, fields: str, p: str | None = None,
                  note: str | None = None) -> None:
        c.add(t, api, text=f"time={dt(t):%Y-%m-%dT%H:%M:%S}.{millis(t)}Z level={level} msg=\"{msg}\" {fields}",
              inst=inst, p=p, note=note)

    slog_text(c.at(200.2), q1, "ERROR", "cache refresh failed", 'err="redis: connection pool timeout" key=quotes:v2',
              p="cache-refresh")
    slog_text(c.at(260), q1, "INFO", "cache refreshed", "entries=1043 errors=0", note="mentions errors, INFO")
    slog_text(c.at(455.5), q2, "ERROR", "cache refresh failed", 'err="redis: connection pool timeout" key=quotes:v2',
              p="cache-refresh")
    slog_text(c.at(470), q2, "WARN", "quote cache hit ratio low", "ratio=0.41", p="hit-ratio-low")

    def slog_json(t: int, inst: str, level: str, msg: str, extra: dict, p: str | None = None) -> None:
        pay = {"time": f"{dt(t):%Y-%m-%dT%H:%M:%S}.{t % SEC:06d}{c.rng.randint(0, 999):03d}Z", "level": level,
               "msg": msg, **extra}
        c.add(t, api, jpay=pay, log="stdout", inst=inst, p=p)

    slog_json(c.at(520.1), q1, "ERROR", "webhook delivery failed",
              {"url": "https://hooks.partner.example/quotes", "status": 502}, p="webhook-502")
    slog_json(c.at(530), q1, "INFO", "webhook delivered",
              {"url": "https://hooks.partner.example/quotes", "status": 200})
    slog_json(c.at(688.4), q2, "ERROR", "webhook delivery failed",
              {"url": "https://hooks.partner.example/quotes", "status": 502}, p="webhook-502")

    c.problem("nil-deref", title_has=["invalid memory address or nil pointer dereference"], priority=["P0", "P1"])
    c.problem("container-exit", caused_by="nil-deref")
    c.problem("upstream-timeout", title_has=["payments-eu"])
    c.problem("quote-deadline", title_has=["quote lookup failed"])
    c.problem("cache-refresh", title_has=["cache refresh failed"])
    c.problem("webhook-502", title_has=["webhook delivery failed"])
    c.problem("route-cache-stale", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 7. ruby


def ruby_line(us: int, sev: str, prog: str, msg: str) -> str:
    """Logger::Formatter: "%.1s, [%s #%d] %5s -- %s: %s" with datetime %Y-%m-%dT%H:%M:%S.%6N."""
    return f"{sev[0]}, [{dt(us):%Y-%m-%dT%H:%M:%S}.{us % SEC:06d} #1] {sev:>5} -- {prog}: {msg}"


def case_ruby() -> Case:
    c = Case(
        "ruby", seed=707, project="acme-storefront", start="2025-10-07T18:20:00", fmt="entries-list",
        about=("A Rails 7.1 app on Puma, read through the Logging API (entries.list response, oldest first). Rails "
               "logs with Ruby's Logger::Formatter and request-id tags ('I, [2025-10-07T18:20:01.123456 #1]  INFO -- "
               ": [uuid] Started GET ...'); an unhandled exception is logged by ActionDispatch::DebugExceptions as ONE "
               "FATAL call whose lines are joined with the tag, so Cloud Run gets one entry per line and only the "
               "first carries 'F, [...] FATAL -- :' (the rest start with '[uuid]'); 'Completed 500 Internal Server "
               "Error' is an INFO line. A background thread logs with a plain Logger and a progname ('W, [...]  WARN "
               "-- inventory-sync: ...', 'E, [...] ERROR -- inventory-sync: ...'). Puma's startup lines are plain."),
        sources=["https://github.com/ruby/logger/blob/master/lib/logger/formatter.rb (Format "
                 "\"%.1s, [%s #%d] %5s -- %s: %s\\n\", DatetimeFormat \"%Y-%m-%dT%H:%M:%S.%6N\")",
                 "https://ruby-doc.org/3.3/stdlibs/logger/Logger.html",
                 "https://github.com/rails/rails/blob/7-1-stable/actionpack/lib/action_dispatch/middleware/"
                 "debug_exceptions.rb (log_error/log_array: lines joined with \"\\n#{tags_text}\", one logger.add at "
                 "the debug_exception_log_level, :fatal by default)",
                 "https://guides.rubyonrails.org/debugging_rails_applications.html#tagged-logging",
                 "https://guides.rubyonrails.org/configuring.html#config-log-tags (:request_id)",
                 "https://github.com/puma/puma/blob/master/lib/puma/launcher.rb ('Puma starting in single mode...', "
                 "'* Listening on', 'Use Ctrl-C to stop')",
                 SRC_LOGENTRY, SRC_SHAPES])
    s = Svc("storefront", "storefront-00088-hux")
    a, b = c.instance(), c.instance()

    def uuid() -> str:
        h = c.hexstr(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def puma(t: int, inst: str) -> None:
        for line in ("Puma starting in single mode...", "* Listening on http://0.0.0.0:8080", "Use Ctrl-C to stop"):
            c.add(t, s, text=line, log="stdout", inst=inst)
            t += c.rng.randint(500, 9_000)

    def rails(t: int, inst: str, sev: str, rid: str, msg: str, p: str | None = None, note: str | None = None) -> int:
        return c.add(t, s, text=ruby_line(t, sev, "", f"[{rid}] {msg}"), log="stdout", inst=inst, p=p, note=note)

    def ok_request(t: int, inst: str, path: str, action: str) -> None:
        rid = uuid()
        rails(t, inst, "INFO", rid, f'Started GET "{path}" for 169.254.169.126 at {dt(t):%Y-%m-%d %H:%M:%S} +0000')
        rails(t + 1_200, inst, "INFO", rid, f"Processing by {action} as HTML")
        rails(t + 21_000, inst, "INFO", rid, "Completed 200 OK in 19ms (Views: 11.2ms | ActiveRecord: 3.0ms | "
              "Allocations: 6120)")

    def failing_request(t: int, inst: str, order: int) -> None:
        rid = uuid()
        rails(t, inst, "INFO", rid, f'Started POST "/orders/{order}/pay" for 169.254.169.126 at '
              f"{dt(t):%Y-%m-%d %H:%M:%S} +0000")
        rails(t + 900, inst, "INFO", rid, "Processing by PaymentsController#create as HTML")
        rails(t + 1_400, inst, "INFO", rid,
              f'  Parameters: {{"authenticity_token"=>"[FILTERED]", "order_id"=>"{order}"}}')
        t += c.rng.randint(9_000, 16_000)
        rails(t, inst, "INFO", rid, f"Completed 500 Internal Server Error in {(t // 1000) % 40 + 8}ms "
              "(ActiveRecord: 2.4ms | Allocations: 3391)", note="INFO line that reports the failure")
        t += 350
        tag = f"[{rid}] "
        lines = ["  ", "NoMethodError (undefined method `amount_cents' for nil):", "  ",
                 "app/models/order.rb:88:in `total_due'",
                 "app/services/charge_order.rb:21:in `call'",
                 "app/controllers/payments_controller.rb:12:in `create'"]
        block = ruby_line(t, "FATAL", "", tag + ("\n" + tag).join(lines))
        c.lines(t, s, block, log="stdout", inst=inst, p="nomethod-amount",
                note="one FATAL log call written as several lines")

    def inv(t: int, inst: str, sev: str, msg: str, p: str | None = None, note: str | None = None) -> None:
        c.add(t, s, text=ruby_line(t, sev, "inventory-sync", msg), log="stdout", inst=inst, p=p, note=note)

    puma(c.at(0), a)
    ok_request(c.at(5.1), a, "/", "HomeController#index")
    puma(c.at(12), b)
    inv(c.at(30), b, "INFO", "Synced 120 SKUs, 0 errors", note="mentions errors, INFO")
    failing_request(c.at(63.4), a, 991)
    ok_request(c.at(80.9), b, "/products/espresso-beans", "ProductsController#show")
    inv(c.at(122.2), a, "WARN", "Stock feed lagging by 312s", p="stock-feed-lag")
    failing_request(c.at(170.6), b, 1004)
    inv(c.at(240.3), b, "ERROR", "Stock feed request failed: Net::ReadTimeout with #<TCPSocket:(closed)>",
        p="stock-feed-timeout")
    inv(c.at(301.4), b, "WARN", "Stock feed lagging by 377s", p="stock-feed-lag")
    ok_request(c.at(330), a, "/cart", "CartsController#show")
    failing_request(c.at(388.2), a, 1012)
    inv(c.at(421.9), a, "ERROR", "Stock feed request failed: Net::ReadTimeout with #<TCPSocket:(closed)>",
        p="stock-feed-timeout")

    c.problem("nomethod-amount", title_has=["NoMethodError"], priority=["P1", "P2"])
    c.problem("stock-feed-timeout", title_has=["Stock feed request failed"])
    c.problem("stock-feed-lag", title_has=["Stock feed lagging"], priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 8. dotnet


def case_dotnet() -> Case:
    c = Case(
        "dotnet", seed=808, project="acme-orders-net", start="2025-10-14T09:00:00",
        about=("An ASP.NET Core 8 service with the default console logger (simple formatter). Each log record is "
               "'level: Category[EventId]' on one line and the message indented by six spaces on the next, the "
               "exception's ToString() after it ('      System.InvalidOperationException: ...', '         at ...'); "
               "Cloud Run makes every line its own entry without severity. fail: "
               "Microsoft.AspNetCore.Server.Kestrel[13] (unhandled exception, three times on two instances), fail: EF "
               "Core connection errors, crit: from the app's outbox publisher, warn: DataProtection at every start, "
               "info: Microsoft.Hosting.Lifetime[14]/[0]."),
        sources=["https://learn.microsoft.com/dotnet/core/extensions/console-log-formatter#simple",
                 "https://github.com/dotnet/runtime/blob/main/src/libraries/Microsoft.Extensions.Logging.Console/src/"
                 "SimpleConsoleFormatter.cs (LoglevelPadding ': ', message padding of len('info: '), 'fail', 'crit', "
                 "'warn', 'info', 'dbug', 'trce')",
                 "https://learn.microsoft.com/aspnet/core/fundamentals/logging/ (Microsoft.Hosting.Lifetime "
                 "'Now listening on:', 'Application started. Press Ctrl+C to shut down.')",
                 "https://learn.microsoft.com/dotnet/api/system.exception.tostring (type: message, then '   at ' "
                 "frames, ' ---> ' inner exceptions)",
                 SRC_SHAPES])
    s = Svc("orders-api", "orders-api-00027-nex")
    a, b = c.instance(), c.instance()

    def rec(t: int, inst: str, level: str, category: str, body: str, p: str | None = None, note: str | None = None,
            log: str = "stdout") -> int:
        block = f"{level}: {category}\n" + "\n".join("      " + line for line in body.split("\n"))
        return c.lines(t, s, block, inst=inst, p=p, note=note, log=log)

    def start(t: int, inst: str) -> None:
        t = rec(t, inst, "warn", "Microsoft.AspNetCore.DataProtection.Repositories.EphemeralXmlRepository[50]",
                "Using an in-memory repository. Keys will not be persisted to storage.", p="dataprotection-ephemeral")
        t += c.rng.randint(20_000, 60_000)
        t = rec(t, inst, "info", "Microsoft.Hosting.Lifetime[14]", "Now listening on: http://[::]:8080")
        t += c.rng.randint(100, 900)
        t = rec(t, inst, "info", "Microsoft.Hosting.Lifetime[0]", "Application started. Press Ctrl+C to shut down.")

    def unhandled(t: int, inst: str, conn: str, req: int, order: str) -> None:
        body = (f'Connection id "{conn}", Request id "{conn}:{req:08X}": An unhandled exception was thrown by the '
                "application.\n"
                f"System.InvalidOperationException: Order {order} is already settled.\n"
                "   at Acme.Orders.Domain.Order.Settle(Decimal amount) in /src/Acme.Orders.Domain/Order.cs:line 88\n"
                "   at Acme.Orders.Api.Endpoints.SettleEndpoint.HandleAsync(Guid id, SettleRequest body, "
                "OrdersDbContext db) in /src/Acme.Orders.Api/Endpoints/SettleEndpoint.cs:line 31\n"
                "   at Microsoft.AspNetCore.Http.RequestDelegateFactory.ExecuteTaskResult[T](Task`1 task, "
                "HttpContext httpContext)\n"
                "   at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests[TContext]"
                "(IHttpApplication`1 application)")
        rec(t, inst, "fail", "Microsoft.AspNetCore.Server.Kestrel[13]", body, p="order-settled",
            note="one fail: record written as several lines")

    def db_error(t: int, inst: str) -> None:
        rec(t, inst, "fail", "Microsoft.EntityFrameworkCore.Database.Connection[20004]",
            "An error occurred using the connection to database 'orders' on server 'tcp://10.30.0.7:5432'.",
            p="db-connection")

    def settle_info(t: int, inst: str) -> None:
        h = c.hexstr(32)
        rec(t, inst, "info", "Acme.Orders.Api.Endpoints.SettleEndpoint[0]",
            f"Settling order {h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]} for {c.rng.randint(5, 400)}.00 EUR")

    start(c.at(0), a)
    start(c.at(7.5), b)
    settle_info(c.at(40.2), a)
    unhandled(c.at(40.231), a, "0HN6G7K2QJ5AB", 4, "3c1e07a2-5b8f-4f0e-9d7c-2f1b3a4c5d6e")
    settle_info(c.at(95), b)
    db_error(c.at(130.6), b)
    unhandled(c.at(188.42), b, "0HN6G7K2QJ7RT", 2, "8a2d6c11-0e4b-4c77-b1a5-9e3f0c2d1b4a")
    rec(c.at(240.9), b, "crit", "Acme.Orders.Api.Outbox.OutboxPublisher[0]",
        "Outbox publisher stopped after 5 consecutive failures; 218 messages pending", p="outbox-stopped")
    db_error(c.at(302.3), a)
    unhandled(c.at(377.05), a, "0HN6G7K2QJ5AB", 11, "f40b9e3d-7c21-4a58-8e6f-1d2c3b4a5968")
    rec(c.at(401.2), a, "crit", "Acme.Orders.Api.Outbox.OutboxPublisher[0]",
        "Outbox publisher stopped after 5 consecutive failures; 231 messages pending", p="outbox-stopped")

    c.problem("order-settled", title_has=["InvalidOperationException"], priority=["P1", "P2"])
    c.problem("db-connection", title_has=["An error occurred using the connection to database"])
    c.problem("outbox-stopped", title_has=["Outbox publisher stopped"])
    c.problem("dataprotection-ephemeral", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 9. php


def apache_err(us: int, module: str, pid: int, client: str | None, msg: str) -> str:
    d = dt(us)
    head = f"[{d:%a %b %d %H:%M:%S}.{us % SEC:06d} {d:%Y}] [{module}] [pid {pid}]"
    return f"{head} [client {client}] {msg}" if client else f"{head} {msg}"


def case_php() -> Case:
    c = Case(
        "php", seed=909, project="acme-legacy-shop", start="2025-09-22T16:40:00", fmt="explorer",
        about=("PHP 8.2, copied out of Logs Explorer ('Copy': pretty objects back to back, payload first). The web "
               "service runs the official php:apache image: access log on stdout (combined format), Apache's error log "
               "on stderr with PHP's messages inside ('[Mon Sep 22 16:41:02.123456 2025] [php:warn] [pid 17] [client "
               "...] PHP Warning:  Undefined array key ...'); an uncaught exception is one write whose 'Stack trace:', "
               "'#0 ...' and '  thrown in ...' lines become their own entries. A CLI cron service writes PHP's log "
               "lines to stderr without a date ('PHP Fatal error:  Uncaught PDOException: ...', 'PHP Warning:  ...', "
               "'PHP Deprecated:  ...', 'PHP Notice:  ...'). Decision: 'PHP Notice' is noise (E_NOTICE, below a "
               "warning: Apache files it under [php:notice]) and is skipped; 'PHP Deprecated' is selected as a "
               "low-priority warning, like Python's DeprecationWarning."),
        sources=["https://www.php.net/manual/en/errorfunc.configuration.php#ini.error-log (without error_log, "
                 "errors go to the SAPI's log: stderr for the CLI, the web server's error log for Apache)",
                 "https://github.com/php/php-src/blob/master/main/main.c (php_error_cb: \"PHP %s:  %s in %s on line "
                 "%\" PRIu32; uncaught exceptions: \"Uncaught %s\\n  thrown\")",
                 "https://www.php.net/manual/en/language.exceptions.php (Stack trace: #0 ... #1 {main})",
                 "https://www.php.net/manual/en/errorfunc.constants.php (E_WARNING, E_NOTICE, E_DEPRECATED)",
                 "https://httpd.apache.org/docs/2.4/mod/core.html#errorlogformat (default "
                 "'[%{u}t] [%-m:%l] [pid %P] [client %a] %M')",
                 "https://httpd.apache.org/docs/2.4/logs.html#combined",
                 "https://github.com/docker-library/php (apache variant: access log to stdout, error log to stderr)",
                 "https://www.php.net/manual/en/class.sensitiveparameter.php"])
    web = Svc("legacy-shop", "legacy-shop-00112-yod")
    cron = Svc("shop-cron", "shop-cron-00031-kax")
    a, b, k1, k2 = (c.instance() for _ in range(4))

    def access(t: int, inst: str, method: str, path: str, status: int, size: int, note: str | None = None) -> None:
        c.add(t, web, text=f'169.254.169.126 - - [{dt(t):%d/%b/%Y:%H:%M:%S} +0000] "{method} {path} HTTP/1.1" '
              f'{status} {size} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/130.0"', log="stdout",
              inst=inst, note=note)

    def apache_start(t: int, inst: str) -> None:
        c.add(t, web, text=apache_err(t, "mpm_prefork:notice", 1, None, "AH00163: Apache/2.4.62 (Debian) PHP/8.2.24 "
              "configured -- resuming normal operations"), inst=inst)
        c.add(t + 210, web, text=apache_err(t + 210, "core:notice", 1, None,
                                            "AH00094: Command line: 'apache2 -D FOREGROUND'"), inst=inst)

    def warn_coupon(t: int, inst: str, pid: int) -> None:
        client = f"169.254.169.126:{c.rng.randint(30000, 60000)}"
        c.add(t, web, text=apache_err(t, "php:warn", pid, client, 'PHP Warning:  Undefined array key "coupon" in '
              "/var/www/html/cart.php on line 41"), inst=inst, p="undefined-coupon")

    def gateway_fatal(t: int, inst: str, pid: int, status: int) -> None:
        client = f"169.254.169.126:{c.rng.randint(30000, 60000)}"
        first = apache_err(t, "php:error", pid, client, f"PHP Fatal error:  Uncaught RuntimeException: Payment gateway "
                           f"returned {status} in /var/www/html/lib/Gateway.php:57")
        c.lines(t, web, first + "\nStack trace:\n#0 /var/www/html/checkout.php(23): Gateway->charge(Object(Order))\n"
                "#1 {main}\n  thrown in /var/www/html/lib/Gateway.php on line 57", inst=inst, p="gateway-fatal",
                note="one uncaught-exception write, one entry per line")
        access(t + 1_900, inst, "POST", "/checkout.php", 500, 0, note="access line of the failed request")

    apache_start(c.at(0), a)
    access(c.at(3.3), a, "GET", "/index.php", 200, 18233)
    access(c.at(9.1), a, "GET", "/cart.php", 200, 7310)
    warn_coupon(c.at(9.08), a, 17)
    apache_start(c.at(20), b)
    access(c.at(31), b, "GET", "/errors.php?code=404", 200, 2210, note="a page called errors.php, served fine")
    gateway_fatal(c.at(58.2), b, 19, 502)
    warn_coupon(c.at(77.6), b, 21)
    access(c.at(77.61), b, "GET", "/cart.php", 200, 7342)
    gateway_fatal(c.at(141.9), a, 18, 504)
    warn_coupon(c.at(188.7), a, 17)

    def cron_run(t: int, inst: str) -> None:
        c.add(t, cron, text="PHP Deprecated:  Function strftime() is deprecated in /app/cron/report.php on line 19",
              inst=inst, p="strftime-deprecated")
        c.add(t + 2_300, cron, text="PHP Notice:  Only variables should be passed by reference in "
              "/app/cron/report.php on line 33", inst=inst,
              note="decision: a PHP Notice is noise (E_NOTICE is below a warning)")
        c.add(t + 61_000, cron, text="report: 412 orders summarised, 0 errors", log="stdout", inst=inst,
              note="mentions errors, plain output")
        t += 1_200_000
        c.add(t, cron, text="PHP Warning:  file_get_contents(https://feeds.supplier.example/stock.csv): Failed to open "
              "stream: HTTP request failed! HTTP/1.1 503 Service Unavailable in /app/cron/stock.php on line 12",
              inst=inst, p="stock-feed-503")
        t += 5_050_000
        c.lines(t, cron, "PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in "
                "/app/cron/stock.php:30\nStack trace:\n"
                "#0 /app/cron/stock.php(30): PDO->__construct('mysql:host=10.2...', 'cron', "
                "Object(SensitiveParameterValue))\n#1 {main}\n  thrown in /app/cron/stock.php on line 30",
                inst=inst, p="pdo-refused")

    cron_run(c.at(300), k1)
    cron_run(c.at(900), k2)

    c.problem("gateway-fatal", title_has=["RuntimeException"], priority=["P1", "P2"])
    c.problem("pdo-refused", title_has=["PDOException"])
    c.problem("undefined-coupon", title_has=["Undefined array key"])
    c.problem("stock-feed-503", title_has=["file_get_contents"])
    c.problem("strftime-deprecated", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 10. structured-json


def case_structured_json() -> Case:
    c = Case(
        "structured-json", seed=1010, project="acme-events", start="2025-10-20T11:00:00",
        about=("JSON logs whose level is a payload field, so the entries have NO Cloud Logging severity: Cloud Run "
               "lifts only a top-level 'severity' out of a JSON line. pino and bunyan numeric levels (10 trace .. "
               "60 fatal), winston/NLog/logstash-logback 'level' ('error', 'Error', 'WARN'), python-json-logger "
               "'levelname', structlog 'level', log15 'lvl' ('eror', 'crit'), ECS 'log.level' (dotted key) and the "
               "older ecs-logging nested {'log': {'level': ...}}. Also JSON that Cloud Run did not parse and kept as "
               "text: a line with a '[scheduler] ' prefix and a 'severity' inside, a text line that is one JSON "
               "document with \"level\": \"ERROR\", and a hand-built JSON document whose message holds raw newlines, "
               "so it arrived as one entry per line."),
        sources=[SRC_STRUCTURED, SRC_CLOUD_RUN_LOGGING,
                 "https://getpino.io/#/docs/api?id=levels (trace 10, debug 20, info 30, warn 40, error 50, "
                 "fatal 60; {\"level\":30,\"time\":...,\"pid\":...,\"hostname\":...,\"msg\":...}; err serializer)",
                 "https://github.com/trentm/node-bunyan#levels (same numbers; \"name\", \"v\":0)",
                 "https://github.com/winstonjs/winston#formats (json: {\"level\":\"error\",\"message\":...})",
                 "https://github.com/NLog/NLog/wiki/JsonLayout (${level}: 'Error', 'Warn')",
                 "https://github.com/logfellow/logstash-logback-encoder#standard-fields (\"level\":\"WARN\", "
                 "\"level_value\")",
                 "https://github.com/madzak/python-json-logger (levelname, name, message)",
                 "https://www.structlog.org/en/stable/api.html#structlog.processors.JSONRenderer (event, level, "
                 "timestamp)",
                 "https://github.com/inconshreveable/log15/blob/master/logger.go (Lvl.String: 'dbug', 'info', 'warn', "
                 "'eror', 'crit'; JsonFormat keys t, lvl, msg)",
                 "https://www.elastic.co/guide/en/ecs-logging/python/current/installation.html ('log.level' dotted)",
                 "https://pypi.org/project/ecs-logging/0.5.0 (older output: nested \"log\": {\"level\": ...})",
                 "../shared/data/gcp-real/README.md (shape only: text lines that are themselves JSON documents)"])
    ing = Svc("events-ingest", "events-ingest-00140-qub")
    aud = Svc("events-audit", "events-audit-00021-lah")
    sco = Svc("scoring", "scoring-00066-wen")
    gw = Svc("events-gateway", "events-gateway-00015-cor")
    sea = Svc("event-search", "event-search-00033-bim")
    i1, i2, a1, s1, s2, g1, e1 = (c.instance() for _ in range(7))

    def j(t: int, svc: Svc, inst: str, pay: dict, p: str | None = None, note: str | None = None) -> None:
        c.add(t, svc, jpay=pay, log="stdout", inst=inst, p=p, note=note)

    def pino(t: int, inst: str, level: int, msg: str, extra: dict | None = None, p: str | None = None) -> None:
        j(t, ing, inst, {"level": level, "time": t // 1000, "pid": 1, "hostname": "localhost", **(extra or {}),
                         "msg": msg}, p)

    pino(c.at(0), i1, 30, "ingest worker ready", {"queue": "events-raw"})
    pino(c.at(0.5), i1, 10, "poll loop tick", {"inflight": 0})
    pino(c.at(14), i2, 20, "batch decoded", {"count": 250, "errors": 0})
    pino(c.at(40.2), i1, 40, "payload schema version 1 is deprecated", {"source": "partner-a"}, p="schema-v1")
    err = {"type": "Error", "message": "write EPIPE",
           "stack": "Error: write EPIPE\n    at afterWriteDispatched (node:internal/stream_base_commons:161:15)\n"
                    "    at writeGeneric (node:internal/stream_base_commons:152:3)",
           "errno": -32, "code": "EPIPE", "syscall": "write"}
    pino(c.at(91.7), i1, 50, "forwarding to Pub/Sub failed", {"err": err, "topic": "events-clean"}, p="pubsub-epipe")
    pino(c.at(133.1), i2, 40, "payload schema version 1 is deprecated", {"source": "partner-c"}, p="schema-v1")
    pino(c.at(188.6), i2, 50, "forwarding to Pub/Sub failed", {"err": err, "topic": "events-clean"}, p="pubsub-epipe")
    pino(c.at(240.9), i2, 60, "shutting down: unrecoverable queue state", {"queue": "events-raw"},
         p="queue-fatal")
    j(c.at(61.5), ing, i1, {"level": "error", "message": "dead-letter write failed: quota exceeded",
                            "service": "events-ingest"}, p="dead-letter", note="winston json format")
    j(c.at(201.5), ing, i2, {"level": "error", "message": "dead-letter write failed: quota exceeded",
                             "service": "events-ingest"}, p="dead-letter")

    def bunyan(t: int, level: int, msg: str, p: str | None = None) -> None:
        j(t, aud, a1, {"name": "events-audit", "hostname": "localhost", "pid": 1, "level": level, "msg": msg,
                       "time": f"{dt(t):%Y-%m-%dT%H:%M:%S}.{millis(t)}Z", "v": 0}, p)

    bunyan(c.at(5), 30, "audit sink connected")
    bunyan(c.at(77.3), 50, "audit sink rejected record: missing actor", p="audit-rejected")
    bunyan(c.at(150.4), 50, "audit sink rejected record: missing actor", p="audit-rejected")

    def pyjson(t: int, inst: str, level: str, name: str, msg: str, extra: dict | None = None,
               p: str | None = None) -> None:
        pay = {"asctime": py_asctime(t), "levelname": level, "name": name, "message": msg, **(extra or {})}
        j(t, sco, inst, pay, p)

    tb = ('Traceback (most recent call last):\n  File "/app/scoring/model.py", line 71, in score\n'
          "    return weighted / total_weight\n           ~~~~~~~~~^~~~~~~~~~~~~~\nZeroDivisionError: division by zero")
    pyjson(c.at(2), s1, "INFO", "scoring.app", "Scoring service ready")
    pyjson(c.at(18.9), s1, "WARNING", "scoring.model", "Model cache cold, loading weights from gs://acme-models/risk/v7",
           p="model-cold")
    pyjson(c.at(101.3), s1, "ERROR", "scoring.model", "Scoring failed for account acc_8812", {"exc_info": tb},
           p="score-zerodiv")
    pyjson(c.at(155), s2, "WARNING", "scoring.model", "Model cache cold, loading weights from gs://acme-models/risk/v7",
           p="model-cold")
    pyjson(c.at(222.8), s2, "ERROR", "scoring.model", "Scoring failed for account acc_1307", {"exc_info": tb},
           p="score-zerodiv")

    def slog(t: int, inst: str, level: str, event: str, extra: dict, p: str | None = None) -> None:
        j(t, sco, inst, {"event": event, "level": level, "timestamp": f"{dt(t):%Y-%m-%dT%H:%M:%S}.{t % SEC:06d}Z",
                         **extra}, p, None if p else "structlog info")

    slog(c.at(30), s1, "info", "request completed", {"path": "/score", "status": 200, "error": None})
    slog(c.at(64.1), s1, "warning", "feature fetch slow", {"latency_ms": 1830}, p="feature-slow")
    slog(c.at(170.6), s2, "warning", "feature fetch slow", {"latency_ms": 2214}, p="feature-slow")

    def log15(t: int, lvl: str, msg: str, extra: dict, p: str | None = None) -> None:
        j(t, gw, g1, {"t": f"{dt(t):%Y-%m-%dT%H:%M:%S}.{t % SEC:06d}{c.rng.randint(0, 999):03d}Z", "lvl": lvl,
                      "msg": msg, **extra}, p)

    log15(c.at(8), "info", "gateway listening", {"addr": ":8080"})
    log15(c.at(96.6), "eror", "upstream health check failed", {"upstream": "event-search", "err": "EOF"},
          p="health-eof")
    log15(c.at(190.2), "eror", "upstream health check failed", {"upstream": "event-search", "err": "EOF"},
          p="health-eof")
    log15(c.at(250.7), "crit", "all upstreams down, rejecting traffic", {"upstreams": 2}, p="gateway-crit")

    j(c.at(120.4), gw, g1, {"time": f"{dt(c.at(120.4)):%Y-%m-%d %H:%M:%S}", "level": "Error",
                            "logger": "Acme.Events.Gateway.Throttle", "message": "Rate limiter store unavailable"},
      p="ratelimit-store", note="NLog JsonLayout: level 'Error'")
    j(c.at(230.4), gw, g1, {"time": f"{dt(c.at(230.4)):%Y-%m-%d %H:%M:%S}", "level": "Error",
                            "logger": "Acme.Events.Gateway.Throttle", "message": "Rate limiter store unavailable"},
      p="ratelimit-store")

    def ecs_new(t: int, level: str, msg: str, extra: dict, p: str | None = None) -> None:
        j(t, sea, e1, {"@timestamp": f"{dt(t):%Y-%m-%dT%H:%M:%S}.{millis(t)}Z", "log.level": level, "message": msg,
                       "ecs": {"version": "1.6.0"}, "log": {"logger": "search.index"}, **extra}, p)

    def ecs_old(t: int, level: str, msg: str, p: str | None = None) -> None:
        j(t, sea, e1, {"@timestamp": f"{dt(t):%Y-%m-%dT%H:%M:%S}.{millis(t)}Z", "ecs": {"version": "1.5.0"},
                       "log": {"level": level, "logger": "search.sync",
                               "origin": {"file": {"line": 52, "name": "sync.py"}, "function": "check_lag"}},
                       "message": msg}, p)

    ecs_new(c.at(10), "info", "index opened", {"index": "events-2025.10"})
    ecs_new(c.at(110.2), "error", "Index refresh failed",
            {"error": {"type": "TimeoutError", "message": "refresh of events-2025.10 took longer than 30s"}},
            p="index-refresh")
    ecs_new(c.at(211.9), "error", "Index refresh failed",
            {"error": {"type": "TimeoutError", "message": "refresh of events-2025.10 took longer than 30s"}},
            p="index-refresh")
    ecs_old(c.at(80.4), "warn", "Replica lag 14s exceeds 10s", p="replica-lag")
    ecs_old(c.at(180.8), "warn", "Replica lag 19s exceeds 10s", p="replica-lag")
    j(c.at(140.5), sea, e1, {"@timestamp": f"{dt(c.at(140.5)):%Y-%m-%dT%H:%M:%S}.{millis(c.at(140.5))}Z",
                             "@version": "1", "message": "Snapshot repository not configured, skipping backup",
                             "logger_name": "c.a.search.Backup", "thread_name": "scheduling-1", "level": "WARN",
                             "level_value": 30000}, p="snapshot-repo", note="logstash-logback-encoder")

    # JSON that stayed text.
    c.add(c.at(33.3), ing, text='[scheduler] {"severity":"ERROR","message":"job reindex-nightly missed its window by '
          '340s"}', inst=i1, p="job-missed",
          note="a prefix stops Cloud Run from parsing the JSON: severity stays inside the text")
    c.add(c.at(213.3), ing, text='[scheduler] {"severity":"ERROR","message":"job reindex-nightly missed its window by '
          '512s"}', inst=i2, p="job-missed")
    c.add(c.at(145.6), sco, text='{"level": "ERROR", "logger": "scoring.worker", "message": "Failed to load feature '
          'store snapshot 2025-10-20T10", "ts": 1760958145.6}', inst=s1, p="snapshot-load",
          note="a text line that is one JSON document")
    c.add(c.at(245.6), sco, text='{"level": "ERROR", "logger": "scoring.worker", "message": "Failed to load feature '
          'store snapshot 2025-10-20T10", "ts": 1760958245.6}', inst=s2, p="snapshot-load")
    for t, inst in ((c.at(160.1), i1), (c.at(260.3), i2)):
        c.lines(t, ing, '{"level":"error","msg":"query failed:\nSELECT id, payload FROM events_v2 WHERE tenant = $1\n'
                'ERROR: relation \\"events_v2\\" does not exist","tenant":"t-0042"}', inst=inst, p="query-split",
                note="one hand-built JSON document whose message holds raw newlines: one entry per line")

    c.problem("pubsub-epipe", priority=["P1", "P2"])
    c.problem("score-zerodiv", priority=["P1", "P2"])
    c.problem("health-eof", title_has=["upstream health check failed"])
    c.problem("replica-lag", title_has=["Replica lag"], priority=["P2", "P3"])
    c.problem("job-missed", title_has=["missed its window"])
    c.problem("schema-v1", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 11. midline-levels


def case_midline_levels() -> Case:
    c = Case(
        "midline-levels", seed=1111, project="-", start="2025-09-15T12:00:00", fmt="text",
        about=("A plain text log (one message per line, no LogEntry around it), the kind a user copies from a "
               "console. The level word comes after a prefix: a worker tag ('[worker-3] ERROR ...'), a pipe-separated "
               "date ('2025-09-15 12:00:00 | ERROR | ...', and loguru's default 'time | LEVEL    | "
               "module:function:line "
               "- message'), a pid tag ('[pid 12] WARN: ...'), npm's 'npm ERR!' block, and a sentence "
               "('System halted: startup aborted. Error: CRITICAL: Failed to access secret ...'). Negatives mention "
               "errors without being one: '0 errors', 'error_count=0', 'errorHandler registered', 'retrying after "
               "error? no', 'Processed 120 items, 0 failed', 'GET /api/errors 200 12ms', 'INFO: set log level to "
               "WARNING'."),
        sources=["https://loguru.readthedocs.io/en/stable/api/logger.html#loguru._logger.Logger.add (default format "
                 "'{time:YYYY-MM-DD HH:mm:ss.SSS} | {level: <8} | {name}:{function}:{line} - {message}')",
                 "https://docs.npmjs.com/cli/v6/using-npm/config#loglevel (npm 6 'npm ERR!' lines)",
                 "https://cloud.google.com/secret-manager/docs/access-secret-version (resource name "
                 "projects/*/secrets/*/versions/latest)"])
    L = c.text_line
    L("2025-09-15 12:00:00 | INFO | api starting on :8080")
    L("INFO: set log level to WARNING", note="names a level, INFO")
    L("errorHandler registered", note="mentions error")
    L("[worker-1] INFO picked job 88123 (queue=imports)")
    L("[worker-3] INFO picked job 88124 (queue=imports)")
    L("[worker-3] ERROR job 88124 failed: upstream returned 502", "job-502")
    L("[worker-1] INFO job 88123 done in 4.2s, 0 errors", note="mentions errors")
    L("error_count=0 warn_count=0 window=5m", note="counters at zero")
    L("System halted: startup aborted. Error: CRITICAL: Failed to access secret "
      "projects/acme-imports/secrets/db-password/versions/latest", "secret-access")
    L("2025-09-15 12:01:02.345 | WARNING  | app.billing:refresh_rates:88 - Rates API slow (2.4s)", "rates-slow")
    L("2025-09-15 12:01:05 | ERROR | payment webhook signature mismatch for event evt_1PqR7s", "webhook-signature")
    L("GET /api/errors 200 12ms", note="a route called /api/errors, status 200")
    L("retrying after error? no", note="a question about an error, not one")
    L("[pid 12] WARN: disk usage 91% on /tmp", "disk-usage")
    L("Processed 120 items, 0 failed", note="mentions failures, zero")
    L("[worker-2] ERROR job 88131 failed: upstream returned 502", "job-502")
    L("2025-09-15 12:02:40.118 | INFO     | app.billing:refresh_rates:91 - Rates refreshed (168 pairs)")
    L("2025-09-15 12:03:11 | ERROR | payment webhook signature mismatch for event evt_1PqS0x", "webhook-signature")
    L("npm ERR! code ELIFECYCLE", "npm-start-failed")
    L("npm ERR! errno 1", "npm-start-failed")
    L("npm ERR! imports-api@1.4.0 start: `node dist/server.js`", "npm-start-failed")
    L("npm ERR! Exit status 1", "npm-start-failed")
    L("System halted: startup aborted. Error: CRITICAL: Failed to access secret "
      "projects/acme-imports/secrets/db-password/versions/latest", "secret-access")
    L("2025-09-15 12:04:00 | INFO | health check ok (errors last 5m: 0)", note="mentions errors, INFO")
    L("[worker-3] ERROR job 88140 failed: upstream returned 502", "job-502")
    L("2025-09-15 12:04:30.902 | WARNING  | app.billing:refresh_rates:88 - Rates API slow (3.1s)", "rates-slow")
    L("[pid 12] WARN: disk usage 94% on /tmp", "disk-usage")
    L("[worker-1] INFO picked job 88141 (queue=imports)")
    L("2025-09-15 12:05:12 | INFO | warnings suppressed for module urllib3", note="mentions warnings, INFO")
    L("level=info msg=\"error rate 0.0%\"", note="mentions errors, level=info")

    c.problem("job-502", title_has=["upstream returned 502"])
    c.problem("secret-access", title_has=["Failed to access secret"])
    c.problem("webhook-signature", title_has=["webhook signature mismatch"])
    c.problem("rates-slow", title_has=["Rates API slow"], priority=["P2", "P3"])
    c.problem("disk-usage", title_has=["disk usage"])
    return c


# --------------------------------------------------------------------------- 12. split-trace


def case_split_trace() -> Case:
    c = Case(
        "split-trace", seed=1212, project="acme-pricing", start="2025-10-09T03:15:00",
        about=("Records split across entries. pricing-worker (Python): a traceback whose head (the 'Traceback' line "
               "and the frames) is one ERROR entry and whose final 'ValueError: ...' line is a separate entry without "
               "severity about a second later on the same instance (twice, two instances); and two different errors "
               "logged a few milliseconds apart on the same instance, twice (they must stay two problems). "
               "pricing-feed (Java): an uncaught exception in a pool thread printed one entry per line with a "
               "'Caused by:' and '... 4 more'. pricing-web (Node): a RangeError stack, one entry per line."),
        sources=[SRC_PY_TRACEBACK, SRC_PY_BASIC_FORMAT,
                 JAVA_PRINTSTACKTRACE,
                 "https://nodejs.org/api/errors.html#errorstack", SRC_SHAPES])
    py = Svc("pricing-worker", "pricing-worker-00075-tal")
    jv = Svc("pricing-feed", "pricing-feed-00012-hoz")
    js = Svc("pricing-web", "pricing-web-00130-dup")
    w1, w2, f1, f2, n1, n2 = (c.instance() for _ in range(6))

    head = py_tb([("/app/pricing/jobs/import_prices.py", 52, "run", "prices = [parse(r) for r in rows]"),
                  ("/app/pricing/jobs/import_prices.py", 31, "parse", 'amount = float(row["amount"])')], "").rstrip()

    def split_tb(t: int, inst: str, value: str) -> None:
        c.add(t, py, text=head, sev="ERROR", inst=inst, p="price-valueerror",
              note="traceback head; its last line arrives separately")
        c.add(t + c.rng.randint(900_000, 1_200_000), py,
              text=f"ValueError: could not convert string to float: '{value}'", inst=inst, p="price-valueerror",
              note="final line of the traceback, logged about 1 s later")

    def pair(t: int, inst: str, category: str, gap_us: int) -> None:
        c.add(t, py, text=f"ERROR:pricing.rules:Rule set 'eu-vat' failed validation: missing rate for category "
              f"'{category}'", inst=inst, p="ruleset-invalid")
        c.add(t + gap_us, py, text="ERROR:pricing.cache:Cache write failed: redis timeout after 2.0s", inst=inst,
              p="cache-write-timeout", note="a different error logged a few ms after the other one")

    c.add(c.at(0), py, text="INFO:pricing.worker:Worker started, polling queue price-imports", inst=w1)
    c.add(c.at(3), py, text="INFO:pricing.worker:Worker started, polling queue price-imports", inst=w2)
    split_tb(c.at(40.6), w1, "N/A")
    pair(c.at(95.2), w1, "books", 3_100)
    c.add(c.at(130), py, text="INFO:pricing.worker:Imported 5000 prices (0 rejected)", inst=w2,
          note="mentions rejections, zero")
    split_tb(c.at(181.4), w2, "12,50")
    pair(c.at(240.9), w2, "magazines", 2_400)

    def feed(t: int, inst: str, thread: int) -> None:
        block = (f'Exception in thread "pool-2-thread-{thread}" java.util.concurrent.CompletionException: '
                 "java.net.SocketTimeoutException: Read timed out\n"
                 + java_frames([
                     "java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)",
                     "java.base/java.util.concurrent.CompletableFuture.completeThrowable(CompletableFuture.java:320)",
                     "java.base/java.util.concurrent.CompletableFuture$AsyncSupply.run(CompletableFuture.java:1770)",
                     "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
                     "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
                     "java.base/java.lang.Thread.run(Thread.java:1583)"]) + "\n"
                 "Caused by: java.net.SocketTimeoutException: Read timed out\n"
                 + java_frames([
                     "java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)",
                     "java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)",
                     "com.acme.pricing.feed.SupplierClient.fetch(SupplierClient.java:64)",
                     "java.base/java.util.concurrent.CompletableFuture$AsyncSupply.run(CompletableFuture.java:1768)"])
                 + "\n\t... 3 more")
        c.lines(t, jv, block, inst=inst, p="feed-timeout", note="Java stack, one entry per line")

    c.add(c.at(10), jv, text="Supplier feed poller started (interval 60s)", log="stdout", inst=f1)
    feed(c.at(61.3), f1, 1)
    feed(c.at(204.8), f2, 3)

    def web(t: int, inst: str) -> None:
        c.lines(t, js, "RangeError: Invalid time value\n" + node_frames([
            "Date.toISOString (<anonymous>)",
            "formatValidUntil (/app/dist/lib/format.js:14:36)",
            "renderPrice (/app/dist/routes/prices.js:48:22)",
            "Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)"]),
            inst=inst, p="invalid-time", note="Node stack, one entry per line")

    c.add(c.at(20), js, text="pricing-web listening on 8080", log="stdout", inst=n1)
    web(c.at(150.7), n1)
    c.add(c.at(160), js, text="GET /prices/sku-1182 200 4.1 ms", log="stdout", inst=n2)
    web(c.at(270.2), n2)

    c.problem("price-valueerror", title_has=["ValueError"])
    c.problem("ruleset-invalid", title_has=["Rule set 'eu-vat' failed validation"])
    c.problem("cache-write-timeout", title_has=["Cache write failed"])
    c.problem("feed-timeout", title_has=["SocketTimeoutException"])
    c.problem("invalid-time", title_has=["RangeError"])
    return c


# --------------------------------------------------------------------------- 13. powershell-utf16


def case_powershell() -> Case:
    c = Case(
        "powershell-utf16", seed=1313, project="acme-quotes", start="2025-11-03T14:00:00", fmt="powershell",
        about=("A `gcloud logging read ... --format=json` export saved on Windows with PowerShell's '>' operator "
               "(Windows PowerShell 5.1): UTF-16LE with a byte-order mark and CRLF line ends, otherwise the usual "
               "pretty array (indent 2, keys sorted, newest first). A small Python service: one error kind (a "
               "KeyError traceback in an ERROR entry, three times on two instances) and one warning kind (a "
               "structured jsonPayload whose 'severity' Cloud Run lifted to the entry); text with non-ASCII "
               "characters (EUR sign, umlaut)."),
        sources=["https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_redirection "
                 "(in Windows PowerShell 5.1 '>' uses Out-File's default encoding, UTF-16LE with BOM)",
                 "https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_character_encoding",
                 "https://cloud.google.com/sdk/gcloud/reference/logging/read",
                 SRC_STRUCTURED, SRC_PY_TRACEBACK])
    s = Svc("quotes-api", "quotes-api-00009-fem")
    a, b = c.instance(), c.instance()
    tb = py_tb([("/app/quotes/api.py", 77, "get_quote", "rate = RATES[(base, quote)]\n       ~~~~~^^^^^^^^^^^^^^^")],
               "KeyError: ('EUR', 'CHF')")

    def info(t: int, inst: str, msg: str, note: str | None = None) -> None:
        c.add(t, s, jpay={"message": msg, "logger": "quotes.api"}, log="stdout", sev="INFO", inst=inst, note=note)

    info(c.at(0), a, "quotes-api ready (12 currency pairs)")
    info(c.at(4), b, "quotes-api ready (12 currency pairs)")
    info(c.at(31.2), a, "Quote EUR→USD 1.0842 served in 3 ms")
    c.add(c.at(58.9), s, text=tb, sev="ERROR", inst=a, p="quote-keyerror")
    c.add(c.at(92.3), s, jpay={"message": "Rate for EUR→GBP is 26 min old (max 15 min); serving stale value",
                               "logger": "quotes.rates"}, log="stdout", sev="WARNING", inst=b, p="stale-rate")
    info(c.at(120), b, "Angebot für Zürich: 1 234,50 € (0 errors)", note="non-ASCII text, mentions errors, INFO")
    c.add(c.at(166.1), s, text=tb, sev="ERROR", inst=b, p="quote-keyerror")
    c.add(c.at(201.7), s, jpay={"message": "Rate for EUR→JPY is 31 min old (max 15 min); serving stale value",
                                "logger": "quotes.rates"}, log="stdout", sev="WARNING", inst=a, p="stale-rate")
    info(c.at(230), a, "Quote USD→EUR 0.9223 served in 2 ms")
    c.add(c.at(288.4), s, text=tb, sev="ERROR", inst=a, p="quote-keyerror")
    info(c.at(300), b, "Quote GBP→EUR 1.1874 served in 4 ms")
    info(c.at(312.5), a, "Quote EUR→CHF requested: pair not configured, answering 404")
    info(c.at(340), b, "Rates refreshed from ECB feed (12 pairs)")
    info(c.at(351.2), a, "Quote CHF→EUR 1.0689 served in 3 ms")
    info(c.at(398), b, "Quote EUR→USD 1.0851 served in 2 ms")
    info(c.at(420.7), a, "Health check ok")

    c.problem("quote-keyerror", title_has=["KeyError"], priority=["P1", "P2"])
    c.problem("stale-rate", priority=["P2", "P3"])
    return c


# --------------------------------------------------------------------------- 14. cloudrun-platform

READY_FALSE = (
    "Ready condition status changed to False for Revision {rev} with message: The user-provided container failed to "
    "start and listen on the port defined provided by the PORT=8080 environment variable within the allocated "
    "timeout. This can happen when the container port is misconfigured or if the timeout is too short. The health "
    "check timeout can be extended. Logs for this revision might contain more information.\n\nLogs URL: "
    "https://console.cloud.google.com/logs/viewer?project={project}&resource=cloud_run_revision/service_name/{svc}/"
    "revision_name/{rev}&advancedFilter=resource.type%3D%22cloud_run_revision%22%0Aresource.labels.service_name%3D%22"
    "{svc}%22%0Aresource.labels.revision_name%3D%22{rev}%22 \nFor more troubleshooting guidance, see "
    "https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start")
MALFORMED = ("The request failed because either the HTTP response was malformed or connection to the instance had an "
             "error. Additional troubleshooting documentation can be found at: "
             "https://cloud.google.com/run/docs/troubleshooting#malformed-response-or-connection-error")


def case_cloudrun_platform() -> Case:
    c = Case(
        "cloudrun-platform", seed=1414, project="acme-shop", start="2025-09-30T09:00:00",
        about=("Cloud Run's own entries around a start-up failure. A deploy (cloudaudit activity, "
               "google.cloud.run.v1.Services.ReplaceService, NOTICE: never a problem) creates checkout-00012-xyz, "
               "whose containers die on import (a Python ModuleNotFoundError traceback, ERROR) three times; each time "
               "Cloud Run logs 'Container called exit(1).' (varlog/system, WARNING) and 'Default STARTUP TCP probe "
               "failed 1 time consecutively ... The instance was not started.' (ERROR); the revision's Ready "
               "condition turns False (cloudaudit system_event: protoPayload AuditLog, status.code 9 and "
               "status.message 'Ready condition status changed to False for Revision ... with message: ...', "
               "methodName /Services.ReplaceService, ERROR). Requests routed to it fail with 503 and the 'malformed "
               "or connection' text (ERROR), some without labels.instanceId because no instance started. These "
               "platform entries are consequences of the import error. Independently, an instance of the old revision "
               "exceeds its memory limit twice ('Memory limit of 512 MiB exceeded with 530 MiB used...', ERROR). A "
               "CreateService for another service is a deploy too. Noise: 200 requests, app INFO lines, 'Starting new "
               "instance' lines."),
        sources=[SRC_CLOUD_RUN_AUDIT, SRC_CLOUD_RUN_TROUBLESHOOT,
                 "https://cloud.google.com/logging/docs/audit/understanding-audit-logs (AuditLog protoPayload, "
                 "activity entries at NOTICE)",
                 "https://cloud.google.com/run/docs/configuring/memory-limits",
                 "https://cloud.google.com/run/docs/configuring/healthchecks#default-tcp-startup-probe",
                 "https://cloud.google.com/run/docs/logging#request-logs (request log: httpRequest, severity from "
                 "the status)",
                 "public GitHub pastes of Cloud Run entries found with the code search: a system_event entry "
                 "{protoPayload: {@type: type.googleapis.com/google.cloud.audit.AuditLog, status: {code: 9, message: "
                 "'Ready condition status changed to False for Revision ...'}, methodName: '/Services.ReplaceService', "
                 "resourceName: 'namespaces/P/revisions/R', response: {kind: Revision, ...}}, severity ERROR}; "
                 "'Default STARTUP TCP probe failed ... Connection failed with status CANCELLED.' at ERROR; "
                 "activity entries with methodName google.cloud.run.v1.Services.ReplaceService at NOTICE",
                 SRC_SHAPES])
    old = Svc("checkout", "checkout-00011-pum")
    new = Svc("checkout", "checkout-00012-xyz")
    other = Svc("checkout-worker", "")
    o1, o2 = c.instance(), c.instance()
    n1, n2, n3 = c.instance(), c.instance(), c.instance()
    principal = "deployer@acme-shop.iam.gserviceaccount.com"

    def audit_activity(t: int, svc: Svc, method: str) -> None:
        proto = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                 "authenticationInfo": {"principalEmail": principal},
                 "authorizationInfo": [{"granted": True, "permission": "run.services.update" if "Replace" in method
                                        else "run.services.create",
                                        "resource": f"namespaces/{c.project}/services/{svc.name}",
                                        "resourceAttributes": {}}],
                 "methodName": method,
                 "request": {"@type": "type.googleapis.com/google.cloud.run.v1." +
                             method.rsplit(".", 1)[1] + "Request",
                             "parent" if "Create" in method else "name": f"namespaces/{c.project}/services/{svc.name}"},
                 "requestMetadata": {"callerIp": "198.51.100.23",
                                     "callerSuppliedUserAgent": "google-cloud-sdk gcloud/540.0.0 command/gcloud.run."
                                                                "deploy invocation-id/5e2b0c1d8a2f4f0c9d1e environment"
                                                                "/GCE"},
                 "resourceLocation": {"currentLocations": [c.region]},
                 "resourceName": f"namespaces/{c.project}/services/{svc.name}",
                 "serviceName": "run.googleapis.com"}
        c.add(t, svc, proto=proto, log="activity", sev="NOTICE", revision="",
              note="a deploy: audit activity, never a problem")

    def app_info(t: int, inst: str, msg: str) -> None:
        c.add(t, old, jpay={"message": msg, "logger": "checkout.app"}, log="stdout", sev="INFO", inst=inst)

    def ok(t: int, inst: str, path: str) -> None:
        c.request(t, old, inst=inst, method="GET", path=path, status=200, latency=c.rng.uniform(0.01, 0.3))

    app_info(c.at(0), o1, "checkout ready on :8080")
    app_info(c.at(2), o2, "checkout ready on :8080")
    ok(c.at(15), o1, "/api/cart")
    ok(c.at(21), o2, "/api/cart/items")
    c.add(c.at(61.4), old, text="Memory limit of 512 MiB exceeded with 530 MiB used. Consider increasing the memory "
          "limit, see https://cloud.google.com/run/docs/configuring/memory-limits", log="varlog/system", sev="ERROR",
          inst=o2, p="oom")
    audit_activity(c.at(120), old, "google.cloud.run.v1.Services.ReplaceService")

    tb = py_tb([("<frozen runpy>", 198, "_run_module_as_main", ""),
                ("<frozen runpy>", 88, "_run_code", ""),
                ("/app/checkout/__main__.py", 3, "<module>", "from checkout.app import create_app"),
                ("/app/checkout/app.py", 12, "<module>", "from checkout.integrations.tax import TaxClient")],
               "ModuleNotFoundError: No module named 'checkout.integrations.tax'")

    def failing_start(t: int, inst: str) -> int:
        c.add(t, new, text="Starting new instance. Reason: AUTOSCALING - Instance started due to configured scaling "
              "factors (e.g. CPU utilization, request throughput, etc.) or no existing capacity for current traffic.",
              log="varlog/system", sev="INFO", inst=inst)
        t += c.rng.randint(1_800_000, 2_600_000)
        c.add(t, new, text=tb, sev="ERROR", inst=inst, p="module-not-found")
        t += c.rng.randint(300_000, 500_000)
        c.add(t, new, text="Container called exit(1).", log="varlog/system", sev="WARNING", inst=inst,
              labels={"container_name": "checkout-1"}, p="container-exit")
        t += c.rng.randint(80_000, 200_000)
        c.add(t, new, text='Default STARTUP TCP probe failed 1 time consecutively for container "checkout-1" on port '
              "8080. The instance was not started. Connection failed with status CANCELLED.", log="varlog/system",
              sev="ERROR", inst=inst, p="startup-probe")
        return t

    def fail_503(t: int, inst: str | None, path: str) -> None:
        # A request log carries the time the request arrived: it waited for the instance, then failed.
        latency = c.rng.uniform(1.9, 2.4) if inst else c.rng.uniform(9.5, 13.5)
        c.request(t - round(latency * SEC), new, inst=inst, method="POST", path=path, status=503, latency=latency,
                  text=MALFORMED, p="request-503",
                  note=None if inst else "no labels.instanceId: the instance never started")

    t = failing_start(c.at(141.3), n1)
    fail_503(t + 12_000, n1, "/api/checkout")
    t = failing_start(c.at(160.2), n2)
    fail_503(t + 9_000, None, "/api/checkout")
    fail_503(t + 31_000, n2, "/api/cart/items")
    proto = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
             "methodName": "/Services.ReplaceService",
             "resourceName": f"namespaces/{c.project}/revisions/{new.revision}",
             "response": {"@type": "type.googleapis.com/google.cloud.run.v1.Revision",
                          "apiVersion": "serving.knative.dev/v1", "kind": "Revision",
                          "metadata": {"name": new.revision, "namespace": "611402937518"},
                          "status": {"conditions": [{
                              "lastTransitionTime": iso(t + 20_000),
                              "message": "The user-provided container failed to start and listen on the port defined "
                                         "provided by the PORT=8080 environment variable within the allocated timeout.",
                              "reason": "HealthCheckContainerError", "status": "False", "type": "Ready"}]}},
             "serviceName": "run.googleapis.com",
             "status": {"code": 9, "message": READY_FALSE.format(rev=new.revision, project=c.project, svc=new.name)}}
    c.add(t + 40_000, new, proto=proto, log="system_event", sev="ERROR",
          note="the revision failed to become ready because its container crashed", p="revision-not-ready")
    t = failing_start(c.at(190.6), n3)
    fail_503(t + 5_000, None, "/api/checkout")
    fail_503(t + 14_000, n3, "/api/checkout")
    ok(c.at(230), o1, "/api/cart")
    app_info(c.at(231), o1, "cart 7f2a0c total recalculated: 3 items, 0 errors")
    audit_activity(c.at(260), other, "google.cloud.run.v1.Services.CreateService")
    c.add(c.at(301.9), old, text="Memory limit of 512 MiB exceeded with 544 MiB used. Consider increasing the memory "
          "limit, see https://cloud.google.com/run/docs/configuring/memory-limits", log="varlog/system", sev="ERROR",
          inst=o2, p="oom")
    ok(c.at(320), o1, "/api/cart")

    c.problem("module-not-found", title_has=["ModuleNotFoundError"], priority=["P0"])
    c.problem("container-exit", caused_by="module-not-found")
    c.problem("startup-probe", caused_by="module-not-found")
    c.problem("revision-not-ready", caused_by="module-not-found")
    c.problem("request-503", caused_by="module-not-found", priority=["P0", "P1"])
    c.problem("oom", title_has=["Memory limit of 512 MiB exceeded"], priority=["P1", "P2"])
    return c


# --------------------------------------------------------------------------- 15. negatives


def case_negatives() -> Case:
    c = Case(
        "negatives", seed=1515, project="acme-profiles", start="2025-10-28T06:00:00", fmt="jsonl",
        about=("A healthy service's traffic in JSON Lines (a Cloud Storage sink file): INFO and DEBUG lines, 2xx/3xx "
               "request logs, and many lines that only mention errors, warnings, exceptions or panics: counters at "
               "zero, handler registrations, error pages served with 200, fields named 'error' set to null, a "
               "feature flag called 'panic_button'. Every entry is 'skip'."),
        sources=[SRC_STRUCTURED, SRC_LOGENTRY, SRC_CLOUD_RUN_LOGGING, SRC_UVICORN_LOG,
                 "https://cloud.google.com/logging/docs/export/storage (sink files: one LogEntry per line)"])
    s = Svc("profile-api", "profile-api-00203-zug")
    a, b = c.instance(), c.instance()
    n = "a mention, not an error"

    def js(t: int, inst: str, sev: str, msg: str, extra: dict | None = None, note: str | None = n) -> None:
        c.add(t, s, jpay={"message": msg, **(extra or {})}, log="stdout", sev=sev, inst=inst, note=note)

    def tx(t: int, inst: str, line: str, note: str | None = n) -> None:
        c.add(t, s, text=line, inst=inst, note=note)

    def req(t: int, inst: str, method: str, path: str, status: int) -> None:
        c.request(t, s, inst=inst, method=method, path=path, status=status, latency=c.rng.uniform(0.004, 0.2))

    tx(c.at(0), a, "INFO:     Started server process [1]", None)
    tx(c.at(0.01), a, "INFO:     Application startup complete.", None)
    js(c.at(0.2), a, "INFO", "errorHandler registered")
    js(c.at(0.21), a, "INFO", "Exception handling middleware initialised (3 handlers)")
    js(c.at(0.22), a, "DEBUG", "Loaded 14 error page templates")
    tx(c.at(0.3), a, "Retry policy: max 3 attempts on error, backoff 200ms")
    tx(c.at(0.31), a, "warning thresholds: cpu=80 mem=90")
    js(c.at(0.4), a, "INFO", "feature flags loaded", {"panic_button": False, "errors_beta": False})
    req(c.at(5), a, "GET", "/healthz", 200)
    req(c.at(9), a, "GET", "/api/profiles/u_7781", 200)
    tx(c.at(9.01), a, 'INFO:     169.254.169.126:40122 - "GET /api/profiles/u_7781 HTTP/1.1" 200 OK', None)
    js(c.at(12), a, "INFO", "profile updated", {"user": "u_7781", "error": None})
    tx(c.at(14), b, "INFO:     Started server process [1]", None)
    js(c.at(14.2), b, "INFO", "errorHandler registered")
    req(c.at(20), b, "GET", "/error-pages/404.html", 200)
    tx(c.at(20.01), b, 'INFO:     169.254.169.126:51210 - "GET /error-pages/404.html HTTP/1.1" 200 OK')
    req(c.at(25), b, "GET", "/api/errors?since=1h", 200)
    js(c.at(25.01), b, "INFO", "error report generated", {"errors": [], "count": 0})
    tx(c.at(30), b, "level=info msg=\"no errors\" component=cache")
    js(c.at(41), a, "INFO", "0 errors, 0 warnings in last sync", {"synced": 214})
    js(c.at(47), a, "DEBUG", "error_count=0 retry_count=0")
    tx(c.at(52), a, "Processed 120 items, 0 failed")
    req(c.at(60), a, "POST", "/api/profiles", 201)
    req(c.at(61), b, "GET", "/login", 302)
    js(c.at(70), b, "INFO", "circuit breaker closed (0 failures in 60s)")
    js(c.at(75), b, "DEBUG", "stack trace capture disabled in production")
    tx(c.at(80), b, "TRACEBACK_LIMIT=20 PYTHONWARNINGS=ignore", None)
    js(c.at(90), a, "INFO", "exceptions reported to tracker this hour: 0")
    req(c.at(95), a, "GET", "/static/js/error-boundary.js", 200)
    req(c.at(101), b, "GET", "/api/profiles/u_0003/avatar", 304)
    js(c.at(110), b, "INFO", "warning banner dismissed", {"user": "u_0003"})
    js(c.at(120), a, "INFO", "error budget: 99.97% of requests within SLO")
    tx(c.at(130), a, "GET /api/errors 200 12ms")
    js(c.at(140), b, "INFO", "Fatal-error alert policy unchanged (no incidents)")
    req(c.at(150), a, "DELETE", "/api/sessions/s_91c2", 204)
    tx(c.at(160), b, "retrying after error? no")
    js(c.at(170), b, "DEBUG", "validation errors: []")
    js(c.at(180), a, "INFO", "panic_button flag evaluated: off")
    req(c.at(190), b, "GET", "/healthz", 200)
    return c


CASES: list[Callable[[], Case]] = [
    case_python_logging, case_uvicorn_gunicorn, case_node_plain, case_nestjs, case_java, case_go, case_ruby,
    case_dotnet, case_php, case_structured_json, case_midline_levels, case_split_trace, case_powershell,
    case_cloudrun_platform, case_negatives,
]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    if out.exists():
        for child in out.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    out.mkdir(parents=True, exist_ok=True)
    total = {"entries": 0, "select": 0, "skip": 0}
    for make in CASES:
        stats = make().write(out)
        for k in total:
            total[k] += stats[k]
        print(f"{stats['case']:<20} {stats['entries']:>4} entries  {stats['select']:>3} select  {stats['skip']:>3} skip"
              f"  {stats['problems']:>2} problems")
    print(f"{'total':<20} {total['entries']:>4} entries  {total['select']:>3} select  {total['skip']:>3} skip")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
