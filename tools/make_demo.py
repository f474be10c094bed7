#!/usr/bin/env python3
"""Generate ``src/log_gardener/demo/cloudrun-sample.jsonl.gz``, the shipped demo export.

The file is a synthetic, 12-hour Cloud Logging export of a Cloud Run service
(``acme-api-staging``: gunicorn + uvicorn workers running a FastAPI app, package
``acme_api``), written the way a Cloud Storage sink writes it: gzip, JSON Lines,
one camelCase LogEntry per line, sorted by timestamp.  Every name, id, address and
message is invented; only the *shape* follows real Cloud Run exports.

What it contains:

* revision ``acme-api-staging-00041-abc`` serving all day, and at about hour 7 a
  deploy (a NOTICE audit entry) of ``acme-api-staging-00042-xyz`` as a 10 % canary
  with ``minScale: 3``.  Every 00042 container dies on start-up (P0): a missing
  module ``acme_api.services.monitoring``, logged as two ERROR jsonPayload lines,
  a chained traceback split into three ERROR textPayload entries (with
  ``errorGroups``) and DEFAULT-severity "During handling ..." lines, gunicorn's
  DEFAULT-severity failure lines and a WARNING ``Container called exit(3).`` (P1).
  After hour 9 the ``middleware_setup.py`` line numbers move by a few lines.
  Requests routed to the canary fail with 503 on the crashing instances.
* on every container start, in both revisions: the SERVICE_ID whitespace warning
  (P2) and the Sentry SDK warning (P3).
* background: request logs, app logs with variable values, slow-query and
  rate-limit warnings, a few 4xx, a handful of 500s (KeyError tracebacks in
  ``jsonPayload.error.traceback``), and a few secret-shaped strings (a DSN with a
  password, a bearer JWT, e-mail addresses) for masking demos.

Deterministic: a fixed seed, no clock, no network; gzip with mtime 0, so the
output is byte-identical on every run.  Regenerate with::

    python tools/make_demo.py            # writes the default path
    python tools/make_demo.py OUT.jsonl.gz
"""

from __future__ import annotations

import base64
import gzip
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from random import Random

import orjson

SEED = 20251014
OUT = Path(__file__).resolve().parents[1] / "src" / "log_gardener" / "demo" / "cloudrun-sample.jsonl.gz"

PROJECT = "acme-staging"
PROJECT_NUMBER = "418205736194"
SERVICE = "acme-api-staging"
REGION = "us-central1"
REV_OLD = "acme-api-staging-00041-abc"
REV_NEW = "acme-api-staging-00042-xyz"
HOST = "https://acme-api-staging-x7k2m9qfza-uc.a.run.app"

SEC = 1_000_000  # timestamps are integer microseconds since the epoch
MIN = 60 * SEC
HOUR = 60 * MIN
START = int(datetime(2025, 10, 14, 5, 30, tzinfo=UTC).timestamp()) * SEC
END = START + 12 * HOUR
DEPLOY = START + 7 * HOUR + 4 * MIN + 13 * SEC + 482_913
LINE_SHIFT_AT = START + 9 * HOUR  # middleware_setup.py edited: its line numbers move
CANARY_SHARE = 0.10

LOG_STDOUT = "run.googleapis.com%2Fstdout"
LOG_STDERR = "run.googleapis.com%2Fstderr"
LOG_REQUESTS = "run.googleapis.com%2Frequests"
LOG_SYSTEM = "run.googleapis.com%2Fvarlog%2Fsystem"
LOG_AUDIT = "cloudaudit.googleapis.com%2Factivity"

INSTANCE_PREFIX = "00f3a1d7c4"  # real instance ids share a leading prefix; this one is invented
MISSING_MODULE = "acme_api.services.monitoring"
MISSING = f"No module named '{MISSING_MODULE}'"
SITE = "/usr/local/lib/python3.11/site-packages"
SETUP_PY = "/app/acme_api/core/middleware_setup.py"
AUTH_CTX_PY = "/app/acme_api/middleware/auth_context.py"
ORDERS_PY = "/app/acme_api/handlers/orders.py"

WARNING_OR_ABOVE = ("WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY")
UPTIME_UA = "GoogleStackdriverMonitoring-UptimeChecks(https://cloud.google.com/monitoring)"
USER_AGENTS = [
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/129.0.0.0 Safari/537.36", 30),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0", 10),
    ("acme-mobile/3.14.2 (iPhone; iOS 17.6.1; Scale/3.00)", 20),
    ("acme-mobile/3.14.0 (Android 14; Pixel 8)", 14),
    ("python-httpx/0.27.2", 12),
    ("okhttp/4.12.0", 6),
    ("curl/8.5.0", 3),
    ("acme-billing-worker/1.8.3", 5),
]
RETRY_UA = "acme-mobile/3.9.1 (Android 12; SM-A525F)"  # an old client still calling v0


# --------------------------------------------------------------------------- formatting


def fmt_ts(us: int) -> str:
    """RFC 3339 the way protobuf JSON prints a Timestamp: 0, 3 or 6 fractional digits."""
    sec, frac = divmod(us, SEC)
    base = datetime.fromtimestamp(sec, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if frac == 0:
        return base + "Z"
    if frac % 1000 == 0:
        return f"{base}.{frac // 1000:03d}Z"
    return f"{base}.{frac:06d}Z"


def fmt_ts_ns(ns: int) -> str:
    """Like fmt_ts, nanosecond precision (receiveTimestamp): 0, 3, 6 or 9 digits."""
    sec, frac = divmod(ns, 1_000_000_000)
    base = datetime.fromtimestamp(sec, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if frac == 0:
        return base + "Z"
    if frac % 1_000_000 == 0:
        return f"{base}.{frac // 1_000_000:03d}Z"
    if frac % 1000 == 0:
        return f"{base}.{frac // 1000:06d}Z"
    return f"{base}.{frac:09d}Z"


def fmt_payload_ts(us: int, zulu: bool = False) -> str:
    """The app's own timestamp inside jsonPayload (Python isoformat, +00:00 offset)."""
    sec, frac = divmod(us, SEC)
    dt = datetime.fromtimestamp(sec, UTC).replace(microsecond=frac)
    text = dt.isoformat(timespec="microseconds")
    return text.replace("+00:00", "Z") if zulu else text


def gunicorn_ts(us: int) -> str:
    return datetime.fromtimestamp(us // SEC, UTC).strftime("%Y-%m-%d %H:%M:%S")


def fmt_latency(ns: int) -> str:
    """protobuf Duration JSON: seconds with 0, 3, 6 or 9 fractional digits."""
    sec, frac = divmod(ns, 1_000_000_000)
    if frac == 0:
        return f"{sec}s"
    if frac % 1_000_000 == 0:
        return f"{sec}.{frac // 1_000_000:03d}s"
    if frac % 1000 == 0:
        return f"{sec}.{frac // 1000:06d}s"
    return f"{sec}.{frac:09d}s"


def caret(code: str, expr: str, tilde: str = "") -> str:
    """Python 3.11's marker line under ``expr`` in ``code`` (indented 4 like the code).

    With ``tilde`` (a prefix of ``expr``) the prefix is drawn with ``~`` and the rest
    with ``^``, as 3.11 does for subscripts and binary operations.
    """
    col = code.index(expr)
    return " " * (4 + col) + "~" * len(tilde) + "^" * (len(expr) - len(tilde))


def frame(path: str, line: int, func: str, code: str | None = None, marker: str | None = None) -> str:
    out = f'  File "{path}", line {line}, in {func}'
    if code is not None:
        out += f"\n    {code}"
    if marker is not None:
        out += f"\n{marker}"
    return out


def call_frame(path: str, line: int, func: str, code: str, expr: str) -> str:
    return frame(path, line, func, code, caret(code, expr))


# --------------------------------------------------------------------------- tracebacks


def setup_lines(ts: int) -> dict[str, int]:
    """Line numbers in middleware_setup.py; the file grew by 4 lines after hour 9."""
    lines = {"configure_call": 61, "log_critical": 66, "log_details": 67, "raise": 68,
             "install_try": 118, "install_fallback": 124, "fallback_import": 139}
    if ts >= LINE_SHIFT_AT:
        lines = {key: value + 4 for key, value in lines.items()}
    return lines


AUTH_IMPORT = "from acme_api.services.monitoring.request_tracker import bind_request, release_request"


def _auth_context_frames() -> list[str]:
    return [
        frame("/app/acme_api/middleware/__init__.py", 5, "<module>",
              "from .auth_context import AuthContextMiddleware, current_principal"),
        frame(AUTH_CTX_PY, 14, "<module>", AUTH_IMPORT),
    ]


def traceback_inner(lines: dict[str, int]) -> str:
    """1st of the chain: the import inside _install_auth_context fails."""
    parts = ["Traceback (most recent call last):",
             frame(SETUP_PY, lines["install_try"], "_install_auth_context",
                   "from acme_api.middleware.auth_context import AuthContextMiddleware"),
             *_auth_context_frames(),
             f"ModuleNotFoundError: {MISSING}"]
    return "\n".join(parts)


def traceback_fallback(lines: dict[str, int]) -> str:
    """2nd: the fallback path imports the same module again, inside the except block."""
    parts = ["Traceback (most recent call last):",
             frame(SETUP_PY, lines["configure_call"], "configure_middleware",
                   "_install_auth_context(app, settings)"),
             frame(SETUP_PY, lines["install_fallback"], "_install_auth_context",
                   "_install_auth_context_fallback(app, settings)"),
             frame(SETUP_PY, lines["fallback_import"], "_install_auth_context_fallback",
                   "from acme_api.middleware.auth_context import AuthContextMiddleware"),
             *_auth_context_frames(),
             f"ModuleNotFoundError: {MISSING}"]
    return "\n".join(parts)


def traceback_outer(lines: dict[str, int]) -> str:
    """3rd: configure_middleware wraps it in a RuntimeError, raised up through gunicorn."""
    parts = [
        "Traceback (most recent call last):",
        frame(f"{SITE}/gunicorn/arbiter.py", 609, "spawn_worker", "worker.init_process()"),
        frame(f"{SITE}/uvicorn/workers.py", 66, "init_process", "super().init_process()"),
        frame(f"{SITE}/gunicorn/workers/base.py", 134, "init_process", "self.load_wsgi()"),
        call_frame(f"{SITE}/gunicorn/workers/base.py", 146, "load_wsgi",
                   "self.wsgi = self.app.wsgi()", "self.app.wsgi()"),
        call_frame(f"{SITE}/gunicorn/app/base.py", 67, "wsgi",
                   "self.callable = self.load()", "self.load()"),
        call_frame(f"{SITE}/gunicorn/app/wsgiapp.py", 58, "load",
                   "return self.load_wsgiapp()", "self.load_wsgiapp()"),
        call_frame(f"{SITE}/gunicorn/app/wsgiapp.py", 48, "load_wsgiapp",
                   "return util.import_app(self.app_uri)", "util.import_app(self.app_uri)"),
        call_frame(f"{SITE}/gunicorn/util.py", 371, "import_app",
                   "mod = importlib.import_module(module)", "importlib.import_module(module)"),
        call_frame("/usr/local/lib/python3.11/importlib/__init__.py", 126, "import_module",
                   "return _bootstrap._gcd_import(name[level:], package, level)",
                   "_bootstrap._gcd_import(name[level:], package, level)"),
        frame("<frozen importlib._bootstrap>", 1206, "_gcd_import"),
        frame("<frozen importlib._bootstrap>", 1178, "_find_and_load"),
        frame("<frozen importlib._bootstrap>", 1149, "_find_and_load_unlocked"),
        frame("<frozen importlib._bootstrap>", 690, "_load_unlocked"),
        frame("<frozen importlib._bootstrap_external>", 940, "exec_module"),
        frame("<frozen importlib._bootstrap>", 241, "_call_with_frames_removed"),
        call_frame("/app/acme_api/main.py", 27, "<module>", "app = create_application()",
                   "create_application()"),
        frame("/app/acme_api/app_factory.py", 74, "create_application", "_wire_middleware(app, settings)"),
        frame("/app/acme_api/app_factory.py", 103, "_wire_middleware", "configure_middleware(app, settings)"),
        frame(SETUP_PY, lines["raise"], "configure_middleware",
              'raise RuntimeError(f"Failed to setup middleware: {exc}")'),
        f"RuntimeError: Failed to setup middleware: {MISSING}",
    ]
    return "\n".join(parts)


ORDER_SITES = {
    # function -> (line in orders.py, error group)
    "create_order": 87,
    "replace_order": 131,
}


def traceback_keyerror(func: str) -> str:
    code = 'customer_id = payload["customer_id"]'
    parts = [
        "Traceback (most recent call last):",
        call_frame("/app/acme_api/middleware/errors.py", 38, "dispatch",
                   "return await call_next(request)", "await call_next(request)"),
        frame(f"{SITE}/starlette/middleware/base.py", 163, "call_next", "raise app_exc"),
        frame(f"{SITE}/starlette/middleware/base.py", 149, "coro",
              "await self.app(scope, receive_or_disconnect, send_no_error)"),
        call_frame(f"{SITE}/starlette/routing.py", 76, "app",
                   "response = await func(request)", "await func(request)"),
        call_frame(f"{SITE}/fastapi/routing.py", 297, "app",
                   "raw_response = await run_endpoint_function(dependant=dependant, values=values)",
                   "await run_endpoint_function(dependant=dependant, values=values)"),
        call_frame(f"{SITE}/fastapi/routing.py", 210, "run_endpoint_function",
                   "return await dependant.call(**values)", "await dependant.call(**values)"),
        frame(ORDERS_PY, ORDER_SITES[func], func, code,
              caret(code, 'payload["customer_id"]', tilde="payload")),
        "KeyError: 'customer_id'",
    ]
    return "\n".join(parts)


# --------------------------------------------------------------------------- generator


class Demo:
    def __init__(self, seed: int = SEED) -> None:
        self.rng = Random(seed)
        self.records: list[dict] = []
        self.insert_ids: set[str] = set()
        self.groups = {name: self.error_group_id() for name in
                       ("mw_inner", "mw_fallback", "mw_outer", "create_order", "replace_order")}
        self.order_ids: list[str] = []
        self.users = [f"u_{self.rng.randint(10000, 99999)}" for _ in range(420)]
        self.tenants = [f"t-{self.rng.randint(1000, 9999)}" for _ in range(28)]
        ips = [f"203.0.113.{i}" for i in range(2, 255)] + [f"198.51.100.{i}" for i in range(2, 255)]
        self.ips = self.rng.sample(ips, 90)
        self.stats = {"rev_old_starts": 0, "rev_new_starts": 0}
        self.pids: dict[str, tuple[int, int]] = {}

    # ---- ids

    def hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def instance_id(self) -> str:
        return INSTANCE_PREFIX + self.hex(146)

    def error_group_id(self) -> str:
        """Error Reporting group ids look like base64url(protobuf varint field 1)."""
        value = self.rng.getrandbits(63) | (1 << 55)
        raw = bytearray([0x08])
        while True:
            byte = value & 0x7F
            value >>= 7
            if value:
                raw.append(byte | 0x80)
            else:
                raw.append(byte)
                break
        return base64.urlsafe_b64encode(bytes(raw)).decode().rstrip("=")

    def insert_id(self, ts: int) -> str:
        """Cloud Run's agent ids: seconds (8 hex), microseconds (8 hex), 8 random hex."""
        while True:
            sec, micro = divmod(ts + 1000 + self.rng.randint(0, 60), SEC)
            candidate = f"{sec:08x}{micro:08x}{self.hex(8)}"
            if candidate not in self.insert_ids:
                self.insert_ids.add(candidate)
                return candidate

    def audit_insert_id(self) -> str:
        alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
        return "".join(self.rng.choice(alphabet) for _ in range(12))

    def order_id(self, new: bool = False) -> str:
        if new or not self.order_ids or self.rng.random() < 0.35:
            oid = "ord_" + "".join(self.rng.choice("ABCDEFGHJKMNPQRSTVWXYZ23456789") for _ in range(8))
            self.order_ids.append(oid)
            if len(self.order_ids) > 600:
                del self.order_ids[:100]
            return oid
        return self.rng.choice(self.order_ids[-300:])

    # ---- emitting

    def emit(self, ts: int, log: str, revision: str, instance: str | None, *, severity: str | None = None,
             text: str | None = None, payload: dict | None = None, proto: dict | None = None,
             http: dict | None = None, trace: str | None = None, span: str | None = None,
             sampled: bool | None = None, group: str | None = None, receive_ns: int | None = None,
             insert_id: str | None = None) -> None:
        """Record one entry; receiveTimestamp is filled in by finish() unless given."""
        self.records.append({
            "ts": ts, "seq": len(self.records), "log": log, "revision": revision, "instance": instance,
            "severity": severity, "text": text, "payload": payload, "proto": proto, "http": http,
            "trace": trace, "span": span, "sampled": sampled, "group": group,
            "receive_ns": receive_ns, "insert_id": insert_id or self.insert_id(ts),
        })

    def app_log(self, ts: int, log: str, revision: str, instance: str, severity: str, message: str,
                logger: str, function: str, line: int, *, error: dict | None = None,
                group: str | None = None, trace: str | None = None, span: str | None = None,
                verbose: bool = False) -> None:
        """A structured line from the app's JSON log formatter (jsonPayload)."""
        written = ts - self.rng.randint(150, 2800)
        payload: dict = {
            "message": message,
            "logger": logger,
            "timestamp": fmt_payload_ts(written, zulu=verbose),
            "labels": {"function": function, "line": str(line), "module": logger.rsplit(".", 1)[-1]},
        }
        if verbose:  # the stdout formatter also repeats the text and names the service
            payload["service"] = "acme-api"
            payload["textPayload"] = message
        if error is not None:
            payload["error"] = error
        self.emit(ts, log, revision, instance, severity=severity, payload=payload, group=group,
                  trace=trace, span=span)

    def plain(self, ts: int, log: str, revision: str, instance: str, text: str,
              severity: str | None = None, group: str | None = None) -> None:
        self.emit(ts, log, revision, instance, severity=severity, text=text, group=group)

    def gunicorn(self, ts: int, revision: str, instance: str, pid: int, level: str, message: str) -> None:
        line = f"[{gunicorn_ts(ts)} +0000] [{pid}] [{level}] {message}"
        self.plain(ts, LOG_STDERR, revision, instance, line)

    def system(self, ts: int, revision: str, instance: str, severity: str, text: str) -> None:
        self.emit(ts, LOG_SYSTEM, revision, instance, severity=severity, text=text,
                  receive_ns=ts * 1000 + self.rng.randint(40_000_000, 320_000_000) + self.rng.randint(0, 999))

    # ---- container lifecycle

    def container_start(self, t0: int, revision: str, reason: str) -> tuple[str, int, int, int]:
        """Boot sequence shared by both revisions, up to the middleware setup.

        Returns (instance id, master pid, worker pid, time of the middleware-setup line).
        """
        rng = self.rng
        inst = self.instance_id()
        master = rng.choice([1, 1, 1, 7, 8, 9])
        worker = master + rng.choice([1, 1, 1, 2])
        reasons = {
            "AUTOSCALING": "AUTOSCALING - Instance started to add capacity for incoming requests.",
            "MIN_INSTANCE": "MANUAL_OR_CUSTOMER_MIN_INSTANCE - Instance started to keep the configured "
                            "minimum number of instances.",
            "DEPLOYMENT": "DEPLOYMENT_ROLLOUT - Instance started for a new revision.",
        }
        self.system(t0, revision, inst, "INFO", f"Starting new instance. Reason: {reasons[reason]}")
        t = t0 + rng.randint(1_500_000, 2_700_000)
        self.gunicorn(t, revision, inst, master, "INFO", "Starting gunicorn 23.0.0")
        t += rng.randint(8, 20)
        self.gunicorn(t, revision, inst, master, "INFO", f"Listening at: http://0.0.0.0:8080 ({master})")
        t += rng.randint(2, 6)
        self.gunicorn(t, revision, inst, master, "INFO", "Using worker: uvicorn.workers.UvicornWorker")
        t += rng.randint(2, 8)
        self.gunicorn(t, revision, inst, worker, "INFO", f"Booting worker with pid: {worker}")
        self.system(t + rng.randint(150, 400), revision, inst, "INFO",
                    f'Default STARTUP TCP probe succeeded after 1 attempt for container "{SERVICE}-1" '
                    "on port 8080.")
        t += rng.randint(30_000, 60_000)
        self.plain(t, LOG_STDOUT, revision, inst,
                   "acme-api: APP_ENV=staging, settings come from Secret Manager (.env file ignored)")
        t += rng.randint(850_000, 1_250_000)
        self.app_log(t, LOG_STDOUT, revision, inst, "INFO",
                     "Loading settings for environment=staging (source: secret-manager, 23 keys)",
                     "acme_api.core.config", "load_settings", 52, verbose=True)
        t += rng.randint(15_000, 30_000)
        self.app_log(t, LOG_STDOUT, revision, inst, "INFO",
                     f"Database pool configured: size=10 max_overflow=5 host=10.0.0.5 db=acme "
                     f"(connect in {rng.randint(18, 95)} ms)",
                     "acme_api.core.db", "init_pool", 40, verbose=True)
        t += rng.randint(500, 3_000)
        # P2: on every start, both revisions
        self.app_log(t, LOG_STDOUT, revision, inst, "WARNING",
                     "SERVICE_ID contained whitespace - sanitized from 'acme-api\\n' to 'acme-api'",
                     "acme_api.core.config", "_clean_service_id", 118, verbose=True)
        t += rng.randint(100_000, 450_000)
        self.app_log(t, LOG_STDERR, revision, inst, "INFO",
                     f"OpenTelemetry instrumentation enabled for {SERVICE} (exporter: none, sampler: 0.1)",
                     "acme_api.core.telemetry", "init_tracing", 33)
        t += rng.randint(25, 70)
        # P3: on every start, both revisions
        self.app_log(t, LOG_STDERR, revision, inst, "WARNING",
                     "Sentry SDK not available - install sentry-sdk[fastapi] to enable error tracking",
                     "acme_api.core.telemetry", "init_error_tracking", 71)
        t += rng.randint(30, 80)
        self.app_log(t, LOG_STDERR, revision, inst, "INFO",
                     "Setting up middleware: cors, gzip, request-id, auth-context, rate-limit",
                     "acme_api.core.middleware_setup", "configure_middleware", 49)
        self.pids[inst] = (master, worker)
        return inst, master, worker, t

    def healthy_start(self, t0: int, reason: str = "AUTOSCALING") -> str:
        rng = self.rng
        self.stats["rev_old_starts"] += 1
        inst, _, worker, t = self.container_start(t0, REV_OLD, reason)
        t += rng.randint(20_000, 60_000)
        self.app_log(t, LOG_STDERR, REV_OLD, inst, "INFO",
                     "Middleware ready: 6 installed (auth-context enabled)",
                     "acme_api.core.middleware_setup", "configure_middleware", 57)
        t += rng.randint(2_000, 9_000)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", f"Started server process [{worker}]")
        t += rng.randint(5, 30)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", "Waiting for application startup.")
        t += rng.randint(150_000, 450_000)
        self.app_log(t, LOG_STDOUT, REV_OLD, inst, "INFO",
                     f"Application startup complete in {(t - t0) / SEC:.2f}s "
                     f"(revision={REV_OLD}, build=3f9c2ab)",
                     "acme_api.main", "on_startup", 44, verbose=True)
        t += rng.randint(100, 900)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", "Application startup complete.")
        return inst

    def graceful_stop(self, t0: int, inst: str) -> None:
        """Scale-in: SIGTERM, gunicorn's DEFAULT shutdown lines (incl. a harmless 'Worker exiting')."""
        rng = self.rng
        master, worker = self.pids.get(inst, (1, 2))
        self.gunicorn(t0, REV_OLD, inst, master, "INFO", "Handling signal: term")
        t = t0 + rng.randint(200, 900)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", "Shutting down")
        t += rng.randint(5_000, 40_000)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", "Waiting for application shutdown.")
        t += rng.randint(1_000, 20_000)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", "Application shutdown complete.")
        t += rng.randint(20, 200)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", f"Finished server process [{worker}]")
        t += rng.randint(50, 400)
        self.gunicorn(t, REV_OLD, inst, worker, "INFO", f"Worker exiting (pid: {worker})")
        t += rng.randint(100_000, 300_000)
        self.gunicorn(t, REV_OLD, inst, master, "INFO", "Shutting down: Master")

    def crashing_start(self, t0: int, reason: str) -> tuple[str, int]:
        """P0 + P1: a 00042 container that dies importing the missing module."""
        rng = self.rng
        self.stats["rev_new_starts"] += 1
        inst, master, worker, t = self.container_start(t0, REV_NEW, reason)
        lines = setup_lines(t0)
        logger, func = "acme_api.core.middleware_setup", "configure_middleware"
        t += rng.randint(35_000, 65_000)
        self.app_log(t, LOG_STDERR, REV_NEW, inst, "ERROR",
                     f"CRITICAL: Enhanced middleware setup failed: {MISSING}",
                     logger, func, lines["log_critical"])
        t += rng.randint(250, 550)
        self.app_log(t, LOG_STDERR, REV_NEW, inst, "ERROR",
                     f"Middleware setup failure details: ModuleNotFoundError: {MISSING}",
                     logger, func, lines["log_details"],
                     error={"type": "ModuleNotFoundError", "value": MISSING, "traceback": None})
        t += rng.randint(3_500, 6_500)
        self.gunicorn(t, REV_NEW, inst, worker, "ERROR", "Exception in worker process")
        during = "During handling of the above exception, another exception occurred:"
        t += rng.randint(15, 40)
        self.plain(t, LOG_STDERR, REV_NEW, inst, traceback_inner(lines), "ERROR", self.groups["mw_inner"])
        t += rng.randint(3, 6)
        self.plain(t, LOG_STDERR, REV_NEW, inst, during)
        t += rng.randint(8, 16)
        self.plain(t, LOG_STDERR, REV_NEW, inst, traceback_fallback(lines), "ERROR",
                   self.groups["mw_fallback"])
        t += rng.randint(3, 6)
        self.plain(t, LOG_STDERR, REV_NEW, inst, during)
        t += rng.randint(35, 60)
        outer = traceback_outer(lines)
        cut = rng.random()
        if cut < 0.18:  # the process exits while the last line is being written
            outer = outer[: outer.rindex("\nRuntimeError:") + 2]
        elif cut < 0.23:
            outer = outer[: rng.randint(len(outer) // 2, len(outer) - 200)]
        self.plain(t, LOG_STDERR, REV_NEW, inst, outer, "ERROR", self.groups["mw_outer"])
        t += rng.randint(3, 8)
        self.gunicorn(t, REV_NEW, inst, worker, "INFO", f"Worker exiting (pid: {worker})")
        t += rng.randint(330_000, 460_000)
        self.gunicorn(t, REV_NEW, inst, master, "ERROR", f"Worker (pid:{worker}) exited with code 3")
        t += rng.randint(90, 200)
        self.gunicorn(t, REV_NEW, inst, master, "ERROR", "Shutting down: Master")
        t += rng.randint(4, 9)
        self.gunicorn(t, REV_NEW, inst, master, "ERROR", "Reason: Worker failed to boot.")
        t += rng.randint(45_000, 90_000)
        self.system(t, REV_NEW, inst, "WARNING", "Container called exit(3).")
        return inst, t

    # ---- requests

    def trace_ids(self) -> tuple[str, str]:
        return f"projects/{PROJECT}/traces/{self.hex(32)}", self.hex(16)

    def request(self, ts: int, revision: str, inst: str, method: str, path: str, status: int,
                latency_ns: int, ua: str, ip: str, *, text: str | None = None,
                trace: tuple[str, str] | None = None, response_size: int | None = None) -> None:
        severity = "ERROR" if status >= 500 else "WARNING" if status >= 400 else "INFO"
        http = {"requestMethod": method, "requestUrl": HOST + path}
        if method in ("POST", "PUT", "PATCH"):
            http["requestSize"] = str(self.rng.randint(420, 2400))
        else:
            http["requestSize"] = str(self.rng.randint(180, 900))
        http["status"] = status
        if status != 503:
            if response_size is None:
                response_size = 0 if status == 204 else self.rng.randint(240, 18_000)
            http["responseSize"] = str(response_size)
        http["userAgent"] = ua
        http["remoteIp"] = ip
        http["serverIp"] = f"192.0.2.{self.rng.choice([53, 53, 117, 181])}"
        http["latency"] = fmt_latency(latency_ns)
        http["protocol"] = "HTTP/1.1"
        trace_name, span = trace or self.trace_ids()
        self.emit(ts, LOG_REQUESTS, revision, inst, severity=severity, text=text, http=http,
                  trace=trace_name, span=span, sampled=self.rng.random() < 0.1 or None,
                  receive_ns=ts * 1000 + latency_ns + self.rng.randint(30_000_000, 250_000_000))


# --------------------------------------------------------------------------- the day


ROUTES: list[tuple[str, str, int]] = [
    # (name, method, weight)
    ("orders_list", "GET", 18),
    ("order_get", "GET", 22),
    ("order_create", "POST", 6),
    ("order_patch", "PATCH", 4),
    ("order_replace", "PUT", 2),
    ("cart_item_delete", "DELETE", 4),
    ("user_get", "GET", 10),
    ("user_prefs", "GET", 4),
    ("products", "GET", 14),
    ("token", "POST", 8),
    ("webhook", "POST", 3),
    ("invoices", "GET", 5),
]
CATEGORIES = ["garden-tools", "seeds", "planters", "irrigation", "compost", "lighting"]
SEARCH_TERMS = ["hose", "trowel", "tomato", "raised bed", "drip kit", "grow light", "pruner"]
TABLES = ["orders", "order_items", "invoices", "users", "products"]
FIRST_NAMES = ["maria.lopez", "j.okafor", "chen.wei", "a.novak", "sam.rivera", "priya.n"]


def diurnal(ts: int) -> float:
    """Traffic factor over the day (05:30-17:30 UTC): low in the morning, peak mid-day."""
    hour = (ts - START) / HOUR
    return 0.55 + 0.9 * max(0.0, 1 - abs(hour - 6.5) / 6.5)


class Day:
    def __init__(self, demo: Demo) -> None:
        self.d = demo
        self.rng = demo.rng
        self.crash_instances: list[tuple[int, int, str]] = []  # (start, end, instance) of 00042

    def pick_ua(self) -> str:
        names = [ua for ua, _ in USER_AGENTS]
        weights = [w for _, w in USER_AGENTS]
        return self.rng.choices(names, weights)[0]

    def crash_instance_at(self, ts: int) -> str | None:
        best = None
        for start, _end, inst in self.crash_instances:
            if start <= ts:
                best = inst
            else:
                break
        return best

    # ---- lifecycle of the instances

    def run_instances(self) -> list[tuple[int, int, str]]:
        """Returns (start, end, instance) spans of 00041 instances, for routing requests."""
        rng, d = self.rng, self.d
        spans: list[list] = []
        for _ in range(2):  # running since before the window: no boot lines
            spans.append([START - rng.randint(1, 5) * HOUR, None, d.instance_id()])
        # scale-out / replacement events every ~45-80 minutes
        t = START + rng.randint(25, 45) * MIN + rng.randint(0, MIN - 1)
        while t < END - 10 * MIN:
            inst = d.healthy_start(t)
            spans.append([t + 3 * SEC, None, inst])
            live = [s for s in spans if s[1] is None]
            if len(live) > 3 or rng.random() < 0.6:  # retire the oldest a little later
                oldest = min(live, key=lambda s: s[0])
                stop = t + rng.randint(4, 14) * MIN + rng.randint(0, MIN - 1)
                if stop < END:
                    oldest[1] = stop
                    d.graceful_stop(stop, oldest[2])
            t += rng.randint(45, 80) * MIN + rng.randint(0, MIN - 1)
        return [(s[0], s[1] if s[1] is not None else END + HOUR, s[2]) for s in spans]

    def run_crash_loop(self) -> None:
        rng, d = self.rng, self.d
        t = DEPLOY + rng.randint(20, 40) * SEC
        first = True
        while t < END - 5 * SEC:
            reason = "DEPLOYMENT" if first else ("MIN_INSTANCE" if rng.random() < 0.8 else "AUTOSCALING")
            first = False
            inst, end = d.crashing_start(t, reason)
            self.crash_instances.append((t, end, inst))
            step = rng.randint(30, 60) * SEC + rng.randint(0, 999_999)
            if rng.random() < 0.15:  # Cloud Run backs off restarting now and then
                step += rng.randint(60, 180) * SEC
            t += step

    def audit_deploy(self) -> None:
        d, rng = self.d, self.rng
        ts = DEPLOY
        op_time = fmt_ts(ts + rng.randint(100_000, 200_000))
        service_name = f"namespaces/{PROJECT}/services/{SERVICE}"
        image = f"{REGION}-docker.pkg.dev/{PROJECT}/acme/acme-api:2025.10.14-7c1e9d2"
        proto = {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "status": {},
            "authenticationInfo": {
                "principalEmail": f"ci-deployer@{PROJECT}.iam.gserviceaccount.com",
                "principalSubject": f"serviceAccount:ci-deployer@{PROJECT}.iam.gserviceaccount.com",
            },
            "requestMetadata": {
                "callerIp": "198.51.100.201",
                "callerSuppliedUserAgent": (
                    f"google-cloud-sdk gcloud/495.0.0 command/gcloud.run.deploy invocation-id/{d.hex(32)} "
                    "environment/github-actions environment-version/None client-os/LINUX "
                    "client-os-ver/6.5.0 client-pltf-arch/x86_64 interactive/False from-script/False "
                    "python/3.12.3 term/,gzip(gfe)"),
                "requestAttributes": {"time": op_time, "auth": {}},
                "destinationAttributes": {},
            },
            "serviceName": "run.googleapis.com",
            "methodName": "google.cloud.run.v1.Services.ReplaceService",
            "authorizationInfo": [{
                "resource": service_name, "permission": "run.services.update", "granted": True,
                "resourceAttributes": {}, "permissionType": "ADMIN_WRITE",
            }],
            "resourceName": service_name,
            "request": {
                "@type": "type.googleapis.com/google.cloud.run.v1.ReplaceServiceRequest",
                "name": service_name,
                "service": {
                    "apiVersion": "serving.knative.dev/v1",
                    "kind": "Service",
                    "metadata": {
                        "name": SERVICE,
                        "namespace": PROJECT_NUMBER,
                        "annotations": {"run.googleapis.com/client-name": "gcloud",
                                        "run.googleapis.com/client-version": "495.0.0"},
                    },
                    "spec": {
                        "template": {
                            "metadata": {
                                "name": REV_NEW,
                                "annotations": {"autoscaling.knative.dev/minScale": "3",
                                                "autoscaling.knative.dev/maxScale": "10"},
                            },
                            "spec": {
                                "containerConcurrency": 80,
                                "timeoutSeconds": 300,
                                "serviceAccountName": f"acme-api@{PROJECT}.iam.gserviceaccount.com",
                                "containers": [{
                                    "image": image,
                                    "ports": [{"name": "http1", "containerPort": 8080}],
                                    "resources": {"limits": {"cpu": "1000m", "memory": "1Gi"}},
                                }],
                            },
                        },
                        "traffic": [
                            {"revisionName": REV_OLD, "percent": 90},
                            {"revisionName": REV_NEW, "percent": 10, "tag": "canary"},
                        ],
                    },
                },
            },
            "response": {
                "@type": "type.googleapis.com/google.cloud.run.v1.Service",
                "apiVersion": "serving.knative.dev/v1",
                "kind": "Service",
                "metadata": {"name": SERVICE, "namespace": PROJECT_NUMBER, "generation": 42,
                             "uid": "5b7e0c2a-93d1-4f6e-8a24-c1f0d9e3b6a7"},
                "status": {"observedGeneration": 42, "latestCreatedRevisionName": REV_NEW,
                           "latestReadyRevisionName": REV_OLD},
            },
        }
        d.emit(ts, LOG_AUDIT, "", None, severity="NOTICE", proto=proto, insert_id=d.audit_insert_id(),
               receive_ns=ts * 1000 + rng.randint(400_000_000, 900_000_000) + rng.randint(0, 999))

    # ---- traffic

    def route_path(self, name: str, user: str) -> tuple[str, int]:
        rng = self.rng
        if name == "orders_list":
            return f"/v1/orders?page={rng.randint(1, 9)}&limit=25", 200
        if name == "order_get":
            return f"/v1/orders/{self.d.order_id()}", 200
        if name == "order_create":
            return "/v1/orders", 201
        if name == "order_patch":
            return f"/v1/orders/{self.d.order_id()}", 200
        if name == "order_replace":
            return f"/v1/orders/{self.d.order_id()}", 200
        if name == "cart_item_delete":
            return f"/v1/carts/crt_{d_hex(rng, 10)}/items/sku-{rng.randint(10000, 99999)}", 204
        if name == "user_get":
            return f"/v1/users/{user}", 200
        if name == "user_prefs":
            return f"/v1/users/{user}/preferences", 200
        if name == "products":
            return (f"/v1/products?category={rng.choice(CATEGORIES)}&cursor={d_hex(rng, 12)}"
                    f"&limit={rng.choice([20, 50])}", 200)
        if name == "token":
            return "/v1/auth/token", 200
        if name == "webhook":
            return "/v1/webhooks/payments", 204
        return f"/v1/invoices?tenant={rng.choice(self.d.tenants)}&status=open", 200

    def request_app_log(self, ts: int, inst: str, name: str, path: str, user: str, latency_ms: int,
                        trace: tuple[str, str]) -> None:
        rng, d = self.rng, self.d
        tr = trace if rng.random() < 0.5 else (None, None)
        log = LOG_STDOUT

        def info(message: str, logger: str, function: str, line: int) -> None:
            d.app_log(ts, log, REV_OLD, inst, "INFO", message, logger, function, line,
                      trace=tr[0], span=tr[1])

        oid = path.rsplit("/", 1)[-1].split("?")[0]
        if name == "orders_list":
            info(f"Listed {rng.randint(0, 25)} orders for user {user} (page {path.split('page=')[1][0]}) "
                 f"in {latency_ms} ms", "acme_api.handlers.orders", "list_orders", 52)
        elif name == "order_get":
            if rng.random() < 0.7:
                info(f"Order {oid} served from cache for user {user}", "acme_api.handlers.orders",
                     "get_order", 66)
            else:
                info(f"Order {oid} loaded from database for user {user} in {latency_ms} ms",
                     "acme_api.handlers.orders", "get_order", 70)
        elif name == "order_create":
            oid = d.order_id(new=True)
            cents = rng.randint(599, 48_900)
            info(f"Order {oid} created for user {user}: {rng.randint(1, 7)} items, "
                 f"total EUR {cents / 100:.2f}, {latency_ms} ms",
                 "acme_api.handlers.orders", "create_order", 101)
        elif name in ("order_patch", "order_replace"):
            status = rng.choice(["confirmed", "packed", "shipped", "cancelled"])
            info(f"Order {oid} moved to status {status} by user {user}", "acme_api.handlers.orders",
                 *(("update_order", 119) if name == "order_patch" else ("replace_order", 140)))
        elif name == "cart_item_delete":
            info(f"Removed {oid} from cart of user {user}; {rng.randint(0, 9)} items left",
                 "acme_api.handlers.carts", "remove_item", 88)
        elif name == "user_get":
            info(f"Profile loaded for user {user} in {rng.randint(3, 40)} ms", "acme_api.handlers.users",
                 "get_user", 31)
        elif name == "user_prefs":
            info(f"Preferences for user {user}: locale={rng.choice(['en-GB', 'de-DE', 'fr-FR', 'es-ES'])}, "
                 f"{rng.randint(2, 14)} flags", "acme_api.handlers.users", "get_preferences", 58)
        elif name == "products":
            if rng.random() < 0.5:
                info(f"Product search '{rng.choice(SEARCH_TERMS)}' returned {rng.randint(0, 180)} results in "
                     f"{latency_ms} ms", "acme_api.handlers.products", "search_products", 47)
            else:
                info(f"Listed products in category {path.split('category=')[1].split('&')[0]}: "
                     f"{rng.randint(8, 50)} items", "acme_api.handlers.products", "list_products", 29)
        elif name == "token":
            info(f"Issued access token for user {user} (scope=orders:read orders:write, ttl=3600s)",
                 "acme_api.handlers.auth", "issue_token", 76)
        elif name == "webhook":
            kind = rng.choice(["charge.succeeded", "charge.refunded"])
            info(f"Payment event evt_{d_hex(rng, 14)} ({kind}) "
                 f"processed for order {d.order_id()}", "acme_api.handlers.webhooks", "payment_event", 64)
        else:
            tenant = path.split("tenant=")[1].split("&")[0]
            info(f"Fetched {rng.randint(0, 60)} open invoices for tenant {tenant} "
                 f"in {latency_ms} ms", "acme_api.handlers.invoices", "list_invoices", 35)

    def run_traffic(self, spans: list[tuple[int, int, str]]) -> None:
        rng, d = self.rng, self.d
        names = [r[0] for r in ROUTES]
        methods = {r[0]: r[1] for r in ROUTES}
        weights = [r[2] for r in ROUTES]
        base_rate = 310 / HOUR  # requests per microsecond at factor 1
        t = START + rng.randint(0, 5 * SEC)
        while t < END:
            t += int(rng.expovariate(base_rate * diurnal(t)))
            if t >= END:
                break
            name = rng.choices(names, weights)[0]
            method = methods[name]
            user = rng.choice(d.users)
            ip = d.ips[d.users.index(user) % len(d.ips)] if rng.random() < 0.85 else rng.choice(d.ips)
            ua = self.pick_ua()
            path, status = self.route_path(name, user)
            trace = d.trace_ids()
            crash = self.crash_instance_at(t) if t >= DEPLOY else None
            if crash is not None and rng.random() < CANARY_SHARE:
                latency = rng.randint(800_000_000, 14_000_000_000)
                d.request(t, REV_NEW, crash, method, path, 503, latency, ua, ip, trace=trace,
                          text="The request failed because either the HTTP response was malformed or "
                               "connection to the instance had an error. Additional troubleshooting "
                               "documentation can be found at: https://cloud.google.com/run/docs/"
                               "troubleshooting#malformed-response-or-connection-error")
                continue
            live = [inst for s, e, inst in spans if s <= t < e]
            inst = rng.choice(live)
            roll = rng.random()
            if roll < 0.012 and method == "GET" and name != "products":
                status = 404
            elif roll < 0.02 and name == "token":
                status = 401
            elif roll < 0.035 and method in ("POST", "PATCH", "PUT") and name != "webhook":
                status = 422
            elif roll < 0.038:
                status = 429
            latency_ms = max(2, int(rng.lognormvariate(3.4, 0.7)))
            if name in ("order_create", "invoices") or "search" in path:
                latency_ms += rng.randint(20, 140)
            latency_ns = latency_ms * 1_000_000 + rng.randint(0, 999_999)
            d.request(t, REV_OLD, inst, method, path, status, latency_ns, ua, ip, trace=trace)
            if status < 400 and rng.random() < 0.93:
                self.request_app_log(t + rng.randint(1_000, max(2_000, latency_ms * 900)), inst, name, path,
                                     user, latency_ms, trace)
            elif status == 422:
                d.app_log(t + rng.randint(1_000, 5_000), LOG_STDOUT, REV_OLD, inst, "INFO",
                          f"Validation failed for {method} {path.split('?')[0]}: "
                          f"{rng.choice(['quantity must be >= 1', 'unknown sku', 'currency not supported'])}",
                          "acme_api.handlers.errors", "validation_handler", 22)

    def run_uptime_checks(self, spans: list[tuple[int, int, str]]) -> None:
        rng, d = self.rng, self.d
        t = START + rng.randint(10 * SEC, 50 * SEC)
        while t < END:
            live = [inst for s, e, inst in spans if s <= t < e]
            crash = self.crash_instance_at(t) if t >= DEPLOY else None
            ip = rng.choice(["198.51.100.161", "198.51.100.162", "203.0.113.240"])
            if crash is not None and rng.random() < CANARY_SHARE:
                d.request(t, REV_NEW, crash, "GET", "/healthz", 503, rng.randint(900_000_000, 9_000_000_000),
                          UPTIME_UA, ip,
                          text="The request failed because either the HTTP response was malformed or "
                               "connection to the instance had an error. Additional troubleshooting "
                               "documentation can be found at: https://cloud.google.com/run/docs/"
                               "troubleshooting#malformed-response-or-connection-error")
            else:
                d.request(t, REV_OLD, rng.choice(live), "GET", "/healthz", 200,
                          rng.randint(1_200_000, 9_000_000), UPTIME_UA, ip, response_size=27)
            t += 5 * MIN + rng.randint(-3 * SEC, 3 * SEC)

    # ---- background app activity

    def run_background(self, spans: list[tuple[int, int, str]]) -> None:
        rng, d = self.rng, self.d

        def live(t: int) -> str:
            return rng.choice([inst for s, e, inst in spans if s <= t < e])

        def every(period: int, jitter: int, fn: Callable[[int], None]) -> None:
            t = START + rng.randint(0, period)
            while t < END:
                fn(t)
                t += period + rng.randint(-jitter, jitter)

        every(5 * MIN, 20 * SEC, lambda t: d.app_log(
            t, LOG_STDOUT, REV_OLD, live(t), "INFO",
            f"Outbox flush: {rng.randint(0, 60)} events published in {rng.randint(8, 400)} ms",
            "acme_api.jobs.outbox", "flush", 58))
        every(10 * MIN, 30 * SEC, lambda t: d.app_log(
            t, LOG_STDOUT, REV_OLD, live(t), "INFO",
            f"Cache stats: {rng.randint(9_000, 16_000)} keys, hit ratio {rng.uniform(0.78, 0.96):.2f}, "
            f"{rng.randint(0, 300)} evictions", "acme_api.core.cache", "report_stats", 91))
        every(30 * MIN, 2 * MIN, lambda t: d.app_log(
            t, LOG_STDOUT, REV_OLD, live(t), "INFO",
            f"Session cleanup removed {rng.randint(20, 900)} expired sessions "
            f"in {rng.uniform(0.1, 3.5):.2f}s",
            "acme_api.jobs.sessions", "purge_expired", 27))

        # warnings with variable parts (~30/h, more at peak)
        t = START + rng.randint(0, 3 * MIN)
        while t < END:
            t += int(rng.expovariate(30 / HOUR * diurnal(t)))
            if t >= END:
                break
            inst = live(t)
            kind = rng.choices(["slow", "rate", "retry", "pool", "deprecated"], [40, 30, 14, 10, 6])[0]
            if kind == "slow":
                d.app_log(t, LOG_STDOUT, REV_OLD, inst, "WARNING",
                          f"Slow query took {int(rng.uniform(1000, 6500))} ms on table {rng.choice(TABLES)}",
                          "acme_api.core.db", "_log_slow_query", 133)
            elif kind == "rate":
                d.app_log(t, LOG_STDOUT, REV_OLD, inst, "WARNING",
                          f"Rate limit approaching for tenant {rng.choice(d.tenants)}: "
                          f"{rng.randint(80, 99)}% of quota",
                          "acme_api.middleware.rate_limit", "check_quota", 74)
            elif kind == "retry":
                d.app_log(t, LOG_STDOUT, REV_OLD, inst, "WARNING",
                          f"Payment provider timeout after {rng.choice([3000, 5000])} ms for order "
                          f"{d.order_id()}, retrying (attempt {rng.randint(2, 3)}/3)",
                          "acme_api.services.payments", "charge", 112)
            elif kind == "pool":
                size = 15
                d.app_log(t, LOG_STDOUT, REV_OLD, inst, "WARNING",
                          f"Connection pool near capacity: {rng.randint(13, 15)}/{size} connections in use",
                          "acme_api.core.db", "_pool_checkout", 160)
            else:
                d.app_log(t, LOG_STDOUT, REV_OLD, inst, "WARNING",
                          f"Deprecated API version v0 called by client {RETRY_UA} "
                          f"({rng.randint(1, 40)} calls "
                          f"in the last 10 min)", "acme_api.middleware.versioning", "dispatch", 29)

        # secret-shaped content, for masking demos
        for _ in range(4):
            t = rng.randint(START + 20 * MIN, END - 20 * MIN)
            d.app_log(t, LOG_STDOUT, REV_OLD, live(t), "WARNING",
                      f"Database connection lost, reconnecting to postgresql://app:S3cr3t-pass@10.0.0.5/db "
                      f"(attempt {rng.randint(1, 3)}/5)", "acme_api.core.db", "_reconnect", 187)
        for _ in range(3):
            t = rng.randint(START + 20 * MIN, END - 20 * MIN)
            user = rng.choice(d.users)
            d.app_log(t, LOG_STDOUT, REV_OLD, live(t), "INFO",
                      "Calling billing service with headers "
                      f"{{'Authorization': 'Bearer {fake_jwt(rng, user)}', "
                      f"'X-Request-Id': '{d.hex(32)}'}}", "acme_api.services.billing", "_post", 66)
        for name in FIRST_NAMES:
            t = rng.randint(START + 20 * MIN, END - 20 * MIN)
            domain = rng.choice(["example.com", "example.org", "example.net"])
            d.app_log(t, LOG_STDOUT, REV_OLD, live(t), "INFO",
                      f"Password reset e-mail sent to {name}@{domain} for user {rng.choice(d.users)}",
                      "acme_api.handlers.auth", "request_password_reset", 142)

    def run_500s(self, spans: list[tuple[int, int, str]]) -> None:
        """A handful of 500s: KeyError in orders.py, two different functions/lines."""
        rng, d = self.rng, self.d
        plan = ["create_order"] * 5 + ["replace_order"] * 3
        rng.shuffle(plan)
        for func in plan:
            t = rng.randint(START + 30 * MIN, END - 30 * MIN)
            inst = rng.choice([inst for s, e, inst in spans if s <= t < e])
            method, path = ("POST", "/v1/orders") if func == "create_order" else \
                ("PUT", f"/v1/orders/{d.order_id()}")
            trace = d.trace_ids()
            latency_ns = rng.randint(40_000_000, 260_000_000)
            d.request(t, REV_OLD, inst, method, path, 500, latency_ns, self.pick_ua(), rng.choice(d.ips),
                      trace=trace, response_size=21)
            d.app_log(t + latency_ns // 1000 - rng.randint(500, 3_000), LOG_STDERR, REV_OLD, inst, "ERROR",
                      f"Unhandled exception on {method} {path}: KeyError: 'customer_id'",
                      "acme_api.middleware.errors", "dispatch", 44,
                      error={"type": "KeyError", "value": "'customer_id'",
                             "traceback": traceback_keyerror(func)},
                      group=d.groups[func], trace=trace[0], span=trace[1])


def d_hex(rng: Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


def fake_jwt(rng: Random, user: str) -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = b64(b'{"alg":"HS256","typ":"JWT"}')
    claims = b64(orjson.dumps({"sub": user, "iss": "acme-api", "exp": 1760460000 + rng.randint(0, 40_000)}))
    signature = b64(rng.getrandbits(256).to_bytes(32, "big"))
    return f"{header}.{claims}.{signature}"


# --------------------------------------------------------------------------- output


def finish(demo: Demo) -> list[dict]:
    """Fill in receiveTimestamps (agent batches per instance and stream), build the entries."""
    rng = demo.rng
    streams: dict[tuple[str, str], list[dict]] = {}
    for rec in demo.records:
        if rec["receive_ns"] is None:
            streams.setdefault((rec["instance"] or "", rec["log"]), []).append(rec)
    for recs in streams.values():
        recs.sort(key=lambda r: (r["ts"], r["seq"]))
        flush = -1
        received = 0
        for rec in recs:
            if rec["ts"] > flush:
                flush = rec["ts"] + rng.randint(20_000, 320_000)
                received = flush * 1000 + rng.randint(15_000_000, 110_000_000) + rng.randint(0, 999)
            rec["receive_ns"] = received
    demo.records.sort(key=lambda r: (r["ts"], r["seq"]))
    return [build_entry(rec) for rec in demo.records]


def build_entry(rec: dict) -> dict:
    """One LogEntry, keys in the order a Cloud Storage sink writes them."""
    entry: dict = {"insertId": rec["insert_id"]}
    if rec["payload"] is not None:
        entry["jsonPayload"] = rec["payload"]
    elif rec["proto"] is not None:
        entry["protoPayload"] = rec["proto"]
    if rec["text"] is not None:
        entry["textPayload"] = rec["text"]
    if rec["http"] is not None:
        entry["httpRequest"] = rec["http"]
    audit = rec["log"] == LOG_AUDIT
    entry["resource"] = {
        "type": "cloud_run_revision",
        "labels": {
            "project_id": PROJECT,
            "service_name": SERVICE,
            "revision_name": rec["revision"],
            "configuration_name": "" if audit else SERVICE,
            "location": REGION,
        },
    }
    entry["timestamp"] = fmt_ts(rec["ts"])
    if rec["severity"] is not None:
        entry["severity"] = rec["severity"]
    if rec["instance"] is not None:
        entry["labels"] = {"instanceId": rec["instance"]}
    entry["logName"] = f"projects/{PROJECT}/logs/{rec['log']}"
    if rec["trace"] is not None:
        entry["trace"] = rec["trace"]
    if rec["span"] is not None:
        entry["spanId"] = rec["span"]
    if rec["sampled"]:
        entry["traceSampled"] = True
    entry["receiveTimestamp"] = fmt_ts_ns(rec["receive_ns"])
    if rec["group"] is not None:
        entry["errorGroups"] = [{"id": rec["group"]}]
    return entry


def generate(seed: int = SEED) -> tuple[list[dict], dict[str, int]]:
    demo = Demo(seed)
    day = Day(demo)
    spans = day.run_instances()
    day.audit_deploy()
    day.run_crash_loop()
    day.run_traffic(spans)
    day.run_uptime_checks(spans)
    day.run_background(spans)
    day.run_500s(spans)
    return finish(demo), demo.stats


def write(entries: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                compresslevel=9) as gz:
        for entry in entries:
            gz.write(orjson.dumps(entry) + b"\n")


def summary(entries: list[dict], stats: dict[str, int]) -> str:
    severities: dict[str, int] = {}
    for entry in entries:
        key = entry.get("severity", "DEFAULT")
        severities[key] = severities.get(key, 0) + 1

    def count(pred: Callable[[dict], bool]) -> int:
        return sum(1 for entry in entries if pred(entry))

    def text(entry: dict) -> str:
        return entry.get("textPayload") or (entry.get("jsonPayload") or {}).get("message") or ""

    order = ["DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"]
    lines = [f"entries: {len(entries)}",
             "by severity: " + ", ".join(f"{k}={severities[k]}" for k in order if k in severities),
             f"WARNING or above: {sum(v for k, v in severities.items() if k in WARNING_OR_ABOVE)}",
             f"container starts: 00041={stats['rev_old_starts']}, 00042={stats['rev_new_starts']}",
             f"P0 missing module (entries naming it): {count(lambda e: MISSING in text(e))}",
             f"P1 'Container called exit(3).': {count(lambda e: text(e) == 'Container called exit(3).')}",
             f"P2 SERVICE_ID whitespace: {count(lambda e: text(e).startswith('SERVICE_ID contained'))}",
             f"P3 Sentry SDK missing: {count(lambda e: text(e).startswith('Sentry SDK not available'))}",
             f"503 requests: {count(lambda e: (e.get('httpRequest') or {}).get('status') == 503)}",
             f"500 requests: {count(lambda e: (e.get('httpRequest') or {}).get('status') == 500)}"]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    entries, stats = generate()
    write(entries, out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    print(summary(entries, stats))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
