#!/usr/bin/env python3
"""Generate ``tests/causal/``, the causal scenarios with known truth (development set).

Each scenario is a folder with ``export.<ext>`` (the input exactly as a user feeds it to
``log-gardener run -i``) and ``expect.json`` in the labelled-corpus format (see
``tests/corpus/README.md``) with the causal additions: ``"causal": true``, every problem label
listed under ``problems``, ``caused_by`` naming the DIRECT cause of each consequence, no
``caused_by`` on roots, and optional ``seen_together`` pairs (independent problems that co-occur).

The scenarios are written from how Cloud Run and the frameworks behave (the ``sources`` of every
scenario say where the line formats come from), not from log-gardener's code; every service name,
id, address and message is invented.  Deterministic: fixed seeds, fixed times, no clock, no
network, so the output is byte-identical on every run.  This script is the source of truth::

    python tools/make_causal.py            # rewrites tests/causal/ from scratch
    python tools/make_causal.py OUT_DIR    # writes the scenarios somewhere else

Conventions used for the truth (the same in every scenario):

* a crash or failed start makes the worker / container exit: ``container-exit`` is caused by the
  error that killed the process (or by the server's own "worker failed to boot" / "startup failed"
  lines when the server logs them, which are caused by the error);
* when the process dies before it listens, the start-up probe fails because the container exited:
  ``startup-probe`` is caused by ``container-exit``; the revision's Ready=False audit entry and the
  503s of requests that waited for an instance that was never started are caused by the probe
  failure ("The instance was not started");
* when the instance had started (the probe passed) and then died, the 503s of its in-flight requests
  are caused by the exit (or the kill);
* an exception in a request handler causes that request's 5xx (same ``trace``);
* errors that merely co-occur (same moment, same order at every start, one frequent and one rare)
  are roots.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from random import Random

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "causal"

SEC = 1_000_000  # times are integer microseconds since the epoch
MS = 1_000
HEX = "0123456789abcdef"

# Sources shared by several scenarios.
SRC_CLOUD_RUN_LOGGING = "https://cloud.google.com/run/docs/logging"
SRC_REQUEST_LOGS = ("https://cloud.google.com/run/docs/logging#request-logs (request log: httpRequest, severity from "
                    "the status, trace and spanId)")
SRC_STRUCTURED = ("https://cloud.google.com/logging/docs/structured-logging (severity, message, "
                  "logging.googleapis.com/trace, spanId, trace_sampled, sourceLocation and labels lifted out of "
                  "jsonPayload)")
SRC_LOGENTRY = "https://cloud.google.com/logging/docs/reference/v2/rest/v2/LogEntry"
SRC_TROUBLESHOOT = ("https://cloud.google.com/run/docs/troubleshooting (container failed to start, "
                    "malformed-response-or-connection-error)")
SRC_PROBES = ("https://cloud.google.com/run/docs/configuring/healthchecks#default-tcp-startup-probe ('Default "
              "STARTUP TCP probe failed 1 time consecutively for container ... on port 8080. The instance was not "
              "started.' / 'Default STARTUP TCP probe succeeded after 1 attempt ...')")
SRC_CONTAINER_CONTRACT = ("https://cloud.google.com/run/docs/container-contract (instance start-up, the container "
                          "must listen on PORT; 'Container called exit(N).' in run.googleapis.com/varlog/system)")
SRC_AUDIT = ("https://cloud.google.com/run/docs/audit-logging (system_event 'Ready condition status changed to "
             "False for Revision ... with message: ...', activity ReplaceService at NOTICE)")
SRC_STARTING = ("public issue threads quoting Cloud Run system lines: 'Starting new instance. Reason: AUTOSCALING - "
                "Instance started due to configured scaling factors ...' and 'Reason: DEPLOYMENT_ROLLOUT - Instance "
                "started due to traffic shifting between revisions ...'")
SRC_MEMORY = ("https://cloud.google.com/run/docs/configuring/memory-limits ('Memory limit of 512 MiB exceeded with "
              "... MiB used. Consider increasing the memory limit, see ...'); public issue threads quoting the "
              "varlog/system WARNING 'Container terminated on signal 9.' after an out-of-memory kill")
SRC_PY_TRACEBACK = "https://docs.python.org/3/library/traceback.html"
SRC_GUNICORN = ("https://github.com/benoitc/gunicorn/blob/master/gunicorn/arbiter.py ('Worker (pid:%s) exited with "
                "code %s', halt(): 'Shutting down: %s' / 'Reason: %s', WORKER_BOOT_ERROR = 3, 'Reason: Worker "
                "failed to boot.'); gunicorn/workers/base.py ('Exception in worker process'); glogging.py "
                "('[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s')")
SRC_UVICORN = ("https://github.com/encode/uvicorn/blob/master/uvicorn/lifespan/on.py (startup failure: the "
               "traceback logged by uvicorn.error, then 'Application startup failed. Exiting.', exit code 3); "
               "uvicorn/logging.py ('ERROR:    ' level prefix)")
SRC_GCL_PY = ("https://github.com/googleapis/python-logging/blob/main/google/cloud/logging_v2/handlers/structured_log.py"
              " (StructuredLogHandler: message with the formatted exception, severity, logging.googleapis.com/trace, "
              "spanId, trace_sampled, sourceLocation, labels python_logger, httpRequest)")
SRC_FLASK = "https://flask.palletsprojects.com/en/stable/errorhandling/ (log_exception: 'Exception on PATH [METHOD]')"
SRC_NODE_ERRORS = ("https://nodejs.org/api/cli.html#--unhandled-rejectionsmode (an unhandled rejection is raised as "
                   "an uncaught exception: 'node:internal/process/promises:NNN', the caret, the error and its stack, "
                   "'Node.js v20.11.1', exit code 1)")
SRC_NODE_CLUSTER = "https://nodejs.org/api/cluster.html#event-exit (worker exit code reported to the primary)"
SRC_SLOG = ("https://pkg.go.dev/log/slog#HandlerOptions (JSONHandler with ReplaceAttr renaming level to severity "
            "and msg to message, as Cloud Run's structured-logging guide suggests)")
SRC_SQLA = ("https://docs.sqlalchemy.org/en/20/errors.html#error-e3q8 (OperationalError, '(Background on this error "
            "at: https://sqlalche.me/e/20/e3q8)'); https://www.psycopg.org/psycopg3/docs/api/errors.html "
            "(ConnectionTimeout: 'connection timeout expired')")
SRC_PUBSUB = ("https://cloud.google.com/python/docs/reference/pubsub/latest (streaming pull future.result() "
              "raising google.api_core.exceptions.NotFound for a deleted subscription)")
SRC_OTEL = ("https://github.com/open-telemetry/opentelemetry-python/blob/main/exporter/"
            "opentelemetry-exporter-otlp-proto-grpc (exporter log 'Failed to export ... to ..., error code: "
            "StatusCode.UNAVAILABLE')")

MALFORMED = ("The request failed because either the HTTP response was malformed or connection to the instance had an "
             "error. Additional troubleshooting documentation can be found at: "
             "https://cloud.google.com/run/docs/troubleshooting#malformed-response-or-connection-error")
READY_FALSE = (
    "Ready condition status changed to False for Revision {rev} with message: The user-provided container failed to "
    "start and listen on the port defined provided by the PORT=8080 environment variable within the allocated "
    "timeout. This can happen when the container port is misconfigured or if the timeout is too short. The health "
    "check timeout can be extended. Logs for this revision might contain more information.\n\nLogs URL: "
    "https://console.cloud.google.com/logs/viewer?project={project}&resource=cloud_run_revision/service_name/{svc}/"
    "revision_name/{rev}&advancedFilter=resource.type%3D%22cloud_run_revision%22%0Aresource.labels.service_name%3D%22"
    "{svc}%22%0Aresource.labels.revision_name%3D%22{rev}%22 \nFor more troubleshooting guidance, see "
    "https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start")
STARTING_AUTOSCALING = ("Starting new instance. Reason: AUTOSCALING - Instance started due to configured scaling "
                        "factors (e.g. CPU utilization, request throughput, etc.) or no existing capacity for current "
                        "traffic.")
STARTING_ROLLOUT = ("Starting new instance. Reason: DEPLOYMENT_ROLLOUT - Instance started due to traffic shifting "
                    "between revisions due to deployment, traffic split adjustment, or deployment health check.")
OOM = ("Memory limit of 512 MiB exceeded with {used} MiB used. Consider increasing the memory limit, see "
       "https://cloud.google.com/run/docs/configuring/memory-limits")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0"
MOBILE = "AcmeShop/5.12.0 (iPhone; iOS 17.6; Scale/3.00)"
SCHEDULER = "Google-Cloud-Scheduler"
NODE_VERSION = "Node.js v20.11.1"


# --------------------------------------------------------------------------- helpers (after tools/make_corpus.py)


def iso(us: int) -> str:
    """A LogEntry timestamp: 6 fractional digits and ``Z``."""
    return f"{datetime.fromtimestamp(us // SEC, UTC):%Y-%m-%dT%H:%M:%S}.{us % SEC:06d}Z"


def dt(us: int) -> datetime:
    return datetime.fromtimestamp(us / SEC, UTC)


def gunicorn_time(us: int) -> str:
    return f"[{dt(us):%Y-%m-%d %H:%M:%S} +0000]"


def us_of(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * SEC)


def py_tb(frames: list[tuple[str, int, str, str]], exc: str) -> str:
    out = ["Traceback (most recent call last):"]
    for path, line, func, code in frames:
        out.append(f'  File "{path}", line {line}, in {func}')
        out.extend(f"    {x}" for x in code.split("\n") if code)
    out.append(exc)
    return "\n".join(out)


@dataclass(frozen=True)
class Svc:
    name: str
    revision: str
    host: str = "7x3kq2mfpa-uc.a.run.app"


class Scenario:
    """One scenario folder: its entries with their labels, the causal truth, and how to write it."""

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
        self.problems: dict[str, dict] = {}
        self.seen_together: list[list[str]] = []
        self._ids: set[str] = set()
        self._seq = 0

    # -- time and ids

    def at(self, seconds: float) -> int:
        """A moment ``seconds`` after the scenario's start, plus a few ms of jitter."""
        return self.t0 + round(seconds * SEC) + self.rng.randint(0, 9_999)

    def jitter(self, lo: float, hi: float) -> int:
        """A random duration between ``lo`` and ``hi`` seconds, in microseconds."""
        return round(self.rng.uniform(lo, hi) * SEC)

    def gap(self, lo: int = 4, hi: int = 15) -> int:
        """A few microseconds: the lines of one write."""
        return self.rng.randint(lo, hi)

    def hexstr(self, n: int) -> str:
        return "".join(self.rng.choice(HEX) for _ in range(n))

    def instance(self) -> str:
        return "00" + self.hexstr(160)

    def new_trace(self) -> str:
        return f"projects/{self.project}/traces/{self.hexstr(32)}"

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

    def resource(self, svc: Svc) -> dict:
        return {"type": "cloud_run_revision", "labels": {
            "configuration_name": svc.name, "location": self.region,
            "project_id": self.project, "revision_name": svc.revision, "service_name": svc.name}}

    # -- truth

    def problem(self, label: str, *, caused_by: str | None = None, title_has: list[str] | None = None,
                priority: list[str] | None = None) -> None:
        check: dict = {}
        if title_has:
            check["title_has"] = title_has
        if priority:
            check["priority"] = priority
        if caused_by:
            check["caused_by"] = caused_by
        self.problems[label] = check

    def together(self, *pairs: tuple[str, str]) -> None:
        self.seen_together.extend([a, b] for a, b in pairs)

    # -- entries

    def add(self, t: int, svc: Svc, *, text: str | None = None, jpay: dict | None = None, proto: dict | None = None,
            log: str = "stderr", sev: str | None = None, inst: str | None = None, p: str | None = None,
            note: str | None = None, http: dict | None = None, labels: dict | None = None,
            trace: str | None = None, source: dict | None = None) -> int:
        doc: dict = {"insertId": self._insert_id(t, proto is not None)}
        if text is not None:
            doc["textPayload"] = text
        elif jpay is not None:
            doc["jsonPayload"] = jpay
        elif proto is not None:
            doc["protoPayload"] = proto
        if http is not None:
            doc["httpRequest"] = http
        doc["resource"] = self.resource(svc)
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
            doc["trace"] = trace
            doc["spanId"] = self.hexstr(16)
            doc["traceSampled"] = True
        if source:
            doc["sourceLocation"] = source
        doc["receiveTimestamp"] = self._receive(t)
        self._seq += 1
        lab_out: dict = {"want": "select" if p else "skip", "problem": p}
        if note:
            lab_out["note"] = note
        self.rows.append((t, self._seq, doc, lab_out))
        return t

    def lines(self, t: int, svc: Svc, block: str, **kw) -> int:
        """A multi-line write: one entry per non-empty line, a few microseconds apart."""
        for line in block.split("\n"):
            if line.strip():
                self.add(t, svc, text=line, **kw)
                t += self.gap()
        return t

    def jlog(self, t: int, svc: Svc, inst: str | None, sev: str, message: str, *, extra: dict | None = None,
             trace: str | None = None, p: str | None = None, note: str | None = None, log: str = "stdout",
             labels: dict | None = None, http: dict | None = None, source: dict | None = None) -> int:
        """A structured (JSON) log line: Cloud Run lifts ``severity`` (and the trace fields) out of jsonPayload."""
        return self.add(t, svc, jpay={"message": message, **(extra or {})}, log=log, sev=sev, inst=inst, p=p,
                        note=note, trace=trace, labels=labels, http=http, source=source)

    def request(self, t: int, svc: Svc, *, inst: str | None, method: str, path: str, status: int, latency: float,
                ua: str = BROWSER, text: str | None = None, p: str | None = None, note: str | None = None,
                trace: str | None = None) -> int:
        """A request log entry (timestamp: when the request arrived); a failed one may carry a textPayload."""
        sev = "INFO" if status < 400 else "WARNING" if status < 500 else "ERROR"
        http = {"latency": f"{latency:.9f}s", "protocol": "HTTP/1.1",
                "remoteIp": f"203.0.113.{self.rng.randint(2, 250)}",
                "requestMethod": method, "requestSize": str(self.rng.randint(280, 900)),
                "requestUrl": f"https://{svc.name}-{svc.host}{path}",
                "responseSize": str(self.rng.randint(120, 9000) if status < 500 else self.rng.randint(0, 400)),
                "serverIp": "34.143.72.2", "status": status, "userAgent": ua}
        return self.add(t, svc, text=text, log="requests", sev=sev, inst=inst, p=p, note=note, http=http,
                        trace=trace or self.new_trace())

    # -- Cloud Run's own entries

    def starting(self, t: int, svc: Svc, inst: str, *, rollout: bool = False) -> int:
        return self.add(t, svc, text=STARTING_ROLLOUT if rollout else STARTING_AUTOSCALING, log="varlog/system",
                        sev="INFO", inst=inst)

    def probe_ok(self, t: int, svc: Svc, inst: str, container: str) -> int:
        return self.add(t, svc, text=f'Default STARTUP TCP probe succeeded after 1 attempt for container "{container}" '
                        "on port 8080.", log="varlog/system", sev="INFO", inst=inst)

    def probe_failed(self, t: int, svc: Svc, inst: str, container: str, p: str, status: str = "CANCELLED",
                     note: str | None = None) -> int:
        return self.add(t, svc, text=f'Default STARTUP TCP probe failed 1 time consecutively for container '
                        f'"{container}" on port 8080. The instance was not started. Connection failed with status '
                        f"{status}.", log="varlog/system", sev="ERROR", inst=inst, p=p, note=note)

    def exit_called(self, t: int, svc: Svc, inst: str, code: int, container: str, p: str,
                    note: str | None = None) -> int:
        return self.add(t, svc, text=f"Container called exit({code}).", log="varlog/system", sev="WARNING", inst=inst,
                        labels={"container_name": container}, p=p, note=note)

    def ready_false(self, t: int, svc: Svc, p: str, note: str | None = None) -> int:
        proto = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                 "methodName": "/Services.ReplaceService",
                 "resourceName": f"namespaces/{self.project}/revisions/{svc.revision}",
                 "response": {"@type": "type.googleapis.com/google.cloud.run.v1.Revision",
                              "apiVersion": "serving.knative.dev/v1", "kind": "Revision",
                              "metadata": {"name": svc.revision, "namespace": str(self.rng.randint(10**11, 10**12))},
                              "status": {"conditions": [{
                                  "lastTransitionTime": iso(t - 20_000),
                                  "message": "The user-provided container failed to start and listen on the port "
                                             "defined provided by the PORT=8080 environment variable within the "
                                             "allocated timeout.",
                                  "reason": "HealthCheckContainerError", "status": "False", "type": "Ready"}]}},
                 "serviceName": "run.googleapis.com",
                 "status": {"code": 9, "message": READY_FALSE.format(rev=svc.revision, project=self.project,
                                                                      svc=svc.name)}}
        return self.add(t, svc, proto=proto, log="system_event", sev="ERROR", p=p, note=note)

    def deploy(self, t: int, svc: Svc, what: str = "deploy") -> int:
        """A ReplaceService call (a deploy or a traffic change): audit activity at NOTICE, never a problem."""
        proto = {"@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                 "authenticationInfo": {"principalEmail": f"deployer@{self.project}.iam.gserviceaccount.com"},
                 "authorizationInfo": [{"granted": True, "permission": "run.services.update",
                                        "resource": f"namespaces/{self.project}/services/{svc.name}",
                                        "resourceAttributes": {}}],
                 "methodName": "google.cloud.run.v1.Services.ReplaceService",
                 "request": {"@type": "type.googleapis.com/google.cloud.run.v1.ReplaceServiceRequest",
                             "name": f"namespaces/{self.project}/services/{svc.name}"},
                 "requestMetadata": {"callerIp": "198.51.100.23",
                                     "callerSuppliedUserAgent": "google-cloud-sdk gcloud/540.0.0 command/gcloud.run."
                                                                f"{what} invocation-id/{self.hexstr(20)} "
                                                                "environment/GCE"},
                 "resourceLocation": {"currentLocations": [self.region]},
                 "resourceName": f"namespaces/{self.project}/services/{svc.name}",
                 "serviceName": "run.googleapis.com"}
        return self.add(t, svc, proto=proto, log="activity", sev="NOTICE",
                        note="a deploy or traffic change: audit activity, never a problem")

    # -- output

    def keep(self, predicate: Callable[[dict], bool]) -> None:
        self.rows = [r for r in self.rows if predicate(r[2])]

    def sorted_rows(self, desc: bool) -> list[tuple[dict, dict]]:
        rows = sorted(self.rows, key=lambda r: (r[0], r[1]), reverse=desc)
        return [(doc, lab) for _, _, doc, lab in rows]

    def check(self, entries: dict[str, dict]) -> set[str]:
        used = {lab["problem"] for lab in entries.values() if lab["problem"]}
        assert used == set(self.problems), (self.name, sorted(used ^ set(self.problems)))
        for label, chk in self.problems.items():
            seen = [label]
            cur = chk.get("caused_by")
            while cur:
                assert cur in self.problems, (self.name, label, cur)
                assert cur not in seen, (self.name, "cycle", seen)
                seen.append(cur)
                cur = self.problems[cur].get("caused_by")
        for a, b in self.seen_together:
            assert a in used and b in used, (self.name, a, b)
        assert 40 <= len(entries) <= 400, (self.name, len(entries))
        return used

    def write(self, root: Path) -> dict:
        folder = root / self.name
        folder.mkdir(parents=True)
        desc = self.fmt in ("gcloud", "explorer")
        rows = self.sorted_rows(desc)
        entries = {doc["insertId"]: lab for doc, lab in rows}
        used = self.check(entries)
        name, data = render(self.fmt, [doc for doc, _ in rows], self.rng)
        (folder / name).write_bytes(data)
        expect: dict = {"about": self.about, "sources": self.sources, "causal": True, "entries": entries,
                        "problems": {k: self.problems[k] for k in sorted(self.problems)}}
        if self.seen_together:
            expect["seen_together"] = self.seen_together
        (folder / "expect.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        selected = sum(1 for lab in entries.values() if lab["want"] == "select")
        links = sorted((k, v["caused_by"]) for k, v in self.problems.items() if "caused_by" in v)
        return {"scenario": self.name, "export": name, "entries": len(entries), "select": selected,
                "labels": len(used), "links": links,
                "roots": sorted(k for k, v in self.problems.items() if "caused_by" not in v)}


def render(fmt: str, docs: list[dict], rng: Random) -> tuple[str, bytes]:
    if fmt == "gcloud":
        return "export.json", (json.dumps(docs, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
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


# --------------------------------------------------------------------------- shared text


def sqla_timeout_tb(app: str) -> str:
    first = py_tb([
        ("/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", 145, "__init__",
         "self._dbapi_connection = engine.raw_connection()"),
        ("/usr/local/lib/python3.12/site-packages/sqlalchemy/pool/base.py", 896, "__connect",
         "self.dbapi_connection = connection = pool._invoke_creator(self)"),
        ("/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py", 625, "connect",
         "return self.loaded_dbapi.connect(*cargs, **cparams)"),
        ("/usr/local/lib/python3.12/site-packages/psycopg/connection.py", 119, "connect",
         "raise last_ex.with_traceback(None)"),
    ], "psycopg.errors.ConnectionTimeout: connection timeout expired")
    second = py_tb([
        ("/usr/local/lib/python3.12/site-packages/starlette/routing.py", 693, "lifespan",
         "async with self.lifespan_context(app) as maybe_state:"),
        ("/usr/local/lib/python3.12/contextlib.py", 210, "__aenter__", "return await anext(self.gen)"),
        (f"/app/{app}/main.py", 31, "lifespan", "await db.verify_connection()"),
        (f"/app/{app}/db.py", 48, "verify_connection", 'await conn.execute(text("SELECT 1"))'),
        ("/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", 147, "__init__",
         "Connection._handle_dbapi_exception_noconnection("),
    ], "sqlalchemy.exc.OperationalError: (psycopg.errors.ConnectionTimeout) connection timeout expired\n"
       "(Background on this error at: https://sqlalche.me/e/20/e3q8)")
    return f"{first}\n\nThe above exception was the direct cause of the following exception:\n\n{second}"


def noise_200(c: Scenario, svc: Svc, insts: list[str], start: float, end: float, every: tuple[float, float],
              paths: list[tuple[str, str]], info: Callable[[int, str, str, str], None] | None = None,
              ua: str = BROWSER) -> None:
    """Healthy traffic: 2xx request logs (and, through ``info``, the app's INFO line for some of them)."""
    s = start
    while s < end:
        t = c.at(s)
        inst = c.rng.choice(insts)
        method, path = c.rng.choice(paths)
        path = path.replace("{n}", str(c.rng.randint(1000, 9999)))
        trace = c.new_trace()
        c.request(t, svc, inst=inst, method=method, path=path, status=201 if method == "POST" else 200,
                  latency=c.rng.uniform(0.008, 0.35), ua=ua, trace=trace)
        if info is not None and c.rng.random() < 0.4:
            info(t + c.jitter(0.002, 0.05), inst, trace, path)
        s += c.rng.uniform(*every)


# --------------------------------------------------------------------------- 1. crash-loop-chain

IMPORT_FRAMES = [
    ("/usr/local/lib/python3.12/site-packages/gunicorn/arbiter.py", 608, "spawn_worker", "worker.init_process()"),
    ("/usr/local/lib/python3.12/site-packages/gunicorn/workers/gthread.py", 95, "init_process",
     "super().init_process()"),
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
    ("/app/orders/wsgi.py", 3, "<module>", "from orders.app import create_app"),
    ("/app/orders/app.py", 19, "<module>", "from orders.pricing.tax import TaxCalculator"),
    ("/app/orders/pricing/tax.py", 4, "<module>", "import taxjar"),
]


def sc_crash_loop_chain() -> Scenario:
    c = Scenario(
        "crash-loop-chain", seed=9101, project="acme-orders", start="2025-10-06T07:40:00",
        about=("orders-api runs gunicorn (gthread worker, one worker). Revision orders-api-00041-kex is healthy and "
               "keeps 80% of the traffic. A canary, orders-api-00042-miv, gets 20%: gunicorn's master binds port "
               "8080 before it forks the worker, so the start-up probe passes and requests are routed to the new "
               "instance; then the worker imports the app, which logs two boot-time warnings (SERVICE_ID sanitized; "
               "optional sentry_sdk missing) and then dies on `import taxjar` (ModuleNotFoundError: header line "
               "'[ERROR] Exception in worker process' and the traceback in one ERROR entry). The master logs 'Worker "
               "(pid:7) exited with code 3', 'Shutting down: Master', 'Reason: Worker failed to boot.', the container "
               "exits ('Container called exit(3).', WARNING), and the requests that were waiting on that instance "
               "answer 503 (the malformed-or-connection text). Six failed starts on six new instances, then the "
               "canary is rolled back. TRUE CHAIN: module-not-found -> worker-boot-failed -> container-exit -> "
               "request-503. The two warnings are logged at every failed start, always 1-2 s BEFORE the crash, on "
               "the same instance, but they do not make anything happen (a sanitized id and a missing optional SDK "
               "do not stop an import): they are independent roots (seen_together with the crash). In particular "
               "the crash must NOT be filed as a consequence of a warning that merely precedes it."),
        sources=[SRC_GUNICORN, SRC_PY_TRACEBACK, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_REQUEST_LOGS,
                 SRC_TROUBLESHOOT, SRC_STARTING, SRC_AUDIT,
                 "https://docs.python.org/3/library/logging.html#logging.basicConfig (format "
                 "'%(levelname)s [%(name)s] %(message)s')"])
    old = Svc("orders-api", "orders-api-00041-kex")
    new = Svc("orders-api", "orders-api-00042-miv")
    o1, o2 = c.instance(), c.instance()
    paths = [("GET", "/v1/orders?customer=c_{n}"), ("GET", "/v1/orders/ord_{n}"), ("POST", "/v1/orders"),
             ("GET", "/v1/orders/ord_{n}/items"), ("GET", "/healthz")]

    def info(t: int, inst: str, trace: str, path: str) -> None:
        msg = (f"INFO [orders.api] order ord_{c.rng.randint(10000, 99999)} created ({c.rng.randint(1, 6)} items)"
               if "POST" in path or c.rng.random() < 0.3 else
               f"INFO [orders.api] served {path.split('?')[0]} from cache")
        c.add(t, old, text=msg, inst=inst)

    def g(t: int, inst: str, pid: int, level: str, msg: str, p: str | None = None, note: str | None = None) -> int:
        return c.add(t, new, text=f"{gunicorn_time(t)} [{pid}] [{level}] {msg}", inst=inst, p=p, note=note)

    tb = py_tb(IMPORT_FRAMES, "ModuleNotFoundError: No module named 'taxjar'")

    def failed_start(t: int, inst: str, rollout: bool, waiting: int) -> int:
        c.starting(t, new, inst, rollout=rollout)
        t += c.jitter(1.4, 2.4)
        for msg in ("Starting gunicorn 23.0.0", "Listening at: http://0.0.0.0:8080 (1)", "Using worker: gthread"):
            g(t, inst, 1, "INFO", msg)
            t += c.gap(3, 40)
        pid = c.rng.choice([7, 8, 9])
        t += 4_000
        g(t, inst, pid, "INFO", f"Booting worker with pid: {pid}")
        c.probe_ok(t + c.jitter(0.15, 0.4), new, inst, "orders-api-1")
        ready = t + 400_000
        t += c.jitter(0.9, 1.4)
        c.add(t, new, text="WARNING [orders.settings] SERVICE_ID 'Orders API (prod)' contains characters outside "
              "[a-z0-9-]; sanitized to 'orders-api-prod'", inst=inst, p="service-id-sanitized",
              note="boot-time warning, logged before the crash at every start: independent")
        t += c.jitter(0.2, 0.5)
        c.add(t, new, text="WARNING [orders.telemetry] optional dependency 'sentry_sdk' is not installed; error "
              "reporting is disabled", inst=inst, p="sentry-sdk-missing",
              note="boot-time warning, logged before the crash at every start: independent")
        t += c.jitter(0.3, 0.7)
        g(t, inst, pid, "ERROR", "Exception in worker process", p="module-not-found",
          note="header line of the traceback that follows")
        c.add(t + 95, new, text=tb, sev="ERROR", inst=inst, p="module-not-found")
        g(t + 140, inst, pid, "INFO", f"Worker exiting (pid: {pid})")
        t += c.jitter(0.25, 0.45)
        g(t, inst, 1, "ERROR", f"Worker (pid:{pid}) exited with code 3", p="worker-boot-failed")
        g(t + 800, inst, 1, "ERROR", "Shutting down: Master", p="worker-boot-failed")
        g(t + 809, inst, 1, "ERROR", "Reason: Worker failed to boot.", p="worker-boot-failed")
        t += c.jitter(0.4, 0.7)
        c.exit_called(t, new, inst, 3, "orders-api-1", "container-exit")
        for _ in range(waiting):
            arrive = ready + c.rng.randint(0, t - ready - 50_000)
            c.request(arrive, new, inst=inst, method=c.rng.choice(["GET", "POST"]),
                      path=c.rng.choice(["/v1/orders", "/v1/orders/ord_4411", "/v1/orders?customer=c_2231"]),
                      status=503, latency=(t - arrive + c.rng.randint(2_000, 30_000)) / SEC, text=MALFORMED,
                      p="request-503", note="routed to the canary instance, failed when its container exited")
        return t

    noise_200(c, old, [o1, o2], 0, 780, (4.0, 9.0), paths, info)
    c.deploy(c.at(240), new, "deploy")
    t = c.at(246)
    for n in range(6):
        t = failed_start(t, c.instance(), rollout=n == 0, waiting=[2, 1, 3, 2, 1, 2][n])
        t += c.jitter(14, 40)
    c.deploy(t + c.jitter(20, 30), old, "services.update-traffic")

    c.problem("module-not-found", title_has=["ModuleNotFoundError"], priority=["P0"])
    c.problem("worker-boot-failed", caused_by="module-not-found")
    c.problem("container-exit", caused_by="worker-boot-failed")
    c.problem("request-503", caused_by="container-exit")
    c.problem("service-id-sanitized", title_has=["SERVICE_ID"])
    c.problem("sentry-sdk-missing", title_has=["sentry_sdk"])
    c.together(("service-id-sanitized", "module-not-found"), ("sentry-sdk-missing", "module-not-found"))
    return c


# --------------------------------------------------------------------------- 2. db-timeout-start


def sc_db_timeout_start() -> Scenario:
    c = Scenario(
        "db-timeout-start", seed=9102, project="acme-inventory", start="2025-10-07T13:05:00",
        about=("inventory-api (FastAPI under uvicorn). Revision inventory-api-00018-vut is deployed with a database "
               "host only reachable through a VPC connector it does not use, so every connection attempt times out. "
               "Each of its 4 starts: the entrypoint runs `alembic upgrade head`, which cannot connect within 10 s "
               "and logs 'Failed to run migrations: could not connect ... within 10s; continuing start-up' (ERROR); "
               "uvicorn then starts, its lifespan connects to the same database, times out after another 10 s "
               "(psycopg ConnectionTimeout wrapped in sqlalchemy OperationalError, one ERROR traceback entry), "
               "uvicorn logs 'Application startup failed. Exiting.', the container exits with code 3 and the "
               "start-up TCP probe fails (nothing ever listened). After the 4th start the revision's Ready "
               "condition turns False. Revision 00017 keeps all the traffic and serves normally. TRUE CHAIN: "
               "db-timeout -> startup-failed -> container-exit -> startup-probe -> revision-not-ready. JUDGMENT on "
               "the migration error: it is caused_by db-timeout. The problem 'db-timeout' is the database not "
               "answering at start-up; the migration step is the first thing that hits it (its message says it "
               "could not connect within 10s), so it is a consequence of that same condition and is fixed by the "
               "same fix, even though at every start it is logged ~10 s BEFORE the app's own timeout traceback "
               "(the app's traceback is just the second, more detailed report of it). The converse link "
               "(db-timeout caused_by migrations-failed) is false: a failed migration does not make a connection "
               "time out. So an analyzer that only accepts causes logged before their effects misses this link; "
               "one that files the app's timeout under the migration error hides the root."),
        sources=[SRC_UVICORN, SRC_SQLA, SRC_PY_TRACEBACK, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_AUDIT,
                 SRC_STARTING, SRC_STRUCTURED,
                 "https://alembic.sqlalchemy.org/en/latest/tutorial.html#running-our-first-migration "
                 "(alembic upgrade head)"])
    old = Svc("inventory-api", "inventory-api-00017-bod")
    new = Svc("inventory-api", "inventory-api-00018-vut")
    o1, o2 = c.instance(), c.instance()
    paths = [("GET", "/v2/stock/sku-{n}"), ("GET", "/v2/stock?warehouse=w{n}"), ("POST", "/v2/reservations"),
             ("GET", "/healthz")]

    def info(t: int, inst: str, trace: str, path: str) -> None:
        c.jlog(t, old, inst, "INFO", f"stock lookup {path.split('?')[0]} answered from replica in "
               f"{c.rng.randint(3, 40)} ms", extra={"logger": "inventory.stock"}, trace=trace)

    tb = "ERROR:    " + sqla_timeout_tb("inventory")

    def failed_start(t: int, inst: str, rollout: bool) -> int:
        c.starting(t, new, inst, rollout=rollout)
        t += c.jitter(0.7, 1.2)
        c.jlog(t, new, inst, "INFO", "running database migrations (alembic upgrade head)",
               extra={"logger": "inventory.entrypoint"})
        t += c.jitter(10.0, 10.2)
        c.jlog(t, new, inst, "ERROR", "Failed to run migrations: could not connect to the database at 10.61.0.3:5432 "
               "within 10s; continuing start-up", extra={"logger": "inventory.entrypoint", "exit_status": 1},
               p="migrations-failed", note="same unreachable database, 10 s before the app's own timeout: "
               "a consequence of db-timeout (see about)")
        t += c.jitter(0.2, 0.4)
        c.add(t, new, text="INFO:     Started server process [1]", inst=inst)
        c.add(t + 1_800, new, text="INFO:     Waiting for application startup.", inst=inst)
        t += c.jitter(10.0, 10.1)
        c.add(t, new, text=tb, sev="ERROR", inst=inst, p="db-timeout")
        c.add(t + 310, new, text="ERROR:    Application startup failed. Exiting.", inst=inst, p="startup-failed")
        t += c.jitter(0.3, 0.5)
        c.exit_called(t, new, inst, 3, "inventory-api-1", "container-exit")
        t += c.jitter(0.05, 0.2)
        c.probe_failed(t, new, inst, "inventory-api-1", "startup-probe")
        return t

    noise_200(c, old, [o1, o2], 0, 560, (3.0, 7.0), paths, info)
    c.deploy(c.at(95), new)
    t = c.at(98)
    for n in range(4):
        t = failed_start(t, c.instance(), rollout=n == 0)
        t += c.jitter(8, 30)
    c.ready_false(t, new, "revision-not-ready", note="the revision never became ready because no instance started")

    c.problem("db-timeout", title_has=["connection timeout expired"], priority=["P0"])
    c.problem("migrations-failed", caused_by="db-timeout", title_has=["Failed to run migrations"])
    c.problem("startup-failed", caused_by="db-timeout")
    c.problem("container-exit", caused_by="startup-failed")
    c.problem("startup-probe", caused_by="container-exit")
    c.problem("revision-not-ready", caused_by="startup-probe")
    return c


# --------------------------------------------------------------------------- 3. handler-500-same-trace


def sc_handler_500_same_trace() -> Scenario:
    c = Scenario(
        "handler-500-same-trace", seed=9103, project="acme-bank", start="2025-10-08T10:20:00",
        about=("accounts-api (Flask under gunicorn, google-cloud-logging's StructuredLogHandler, so every app line is "
               "a jsonPayload whose logging.googleapis.com/trace, spanId, sourceLocation, labels and httpRequest "
               "Cloud Run lifts to the entry). GET /v1/accounts/<id>/statement raises KeyError: 'currency' for "
               "legacy accounts: Flask logs 'Exception on /v1/accounts/.../statement [GET]' with the traceback "
               "(ERROR, the request's trace) and the request log of THE SAME TRACE answers 500. TRUE LINK: "
               "statement-500 caused_by statement-keyerror (same trace, every time). Independently, POST "
               "/v1/reports/monthly answers 500 six times because the report renderer it proxies to answers 500; "
               "those traces hold no exception (only the INFO 'monthly report requested' line), they are often "
               "within a second of a KeyError on the same instance, and they must NOT be linked to the KeyError: "
               "report-500 is a root of its own. Three instances, 15 minutes of traffic."),
        sources=[SRC_GCL_PY, SRC_FLASK, SRC_STRUCTURED, SRC_REQUEST_LOGS, SRC_PY_TRACEBACK])
    s = Svc("accounts-api", "accounts-api-00063-dam")
    insts = [c.instance() for _ in range(3)]

    def app_line(t: int, inst: str, sev: str, msg: str, trace: str, path: str, method: str,
                 func: str, line: int, file: str, p: str | None = None) -> None:
        c.jlog(t, s, inst, sev, msg, trace=trace, p=p, labels={"python_logger": "accounts.app"},
               http={"protocol": "HTTP/1.1", "requestMethod": method, "requestUrl": f"https://accounts-api-"
                     f"{s.host}{path}", "userAgent": MOBILE},
               source={"file": file, "function": func, "line": str(line)})

    def statement_ok(t: int, inst: str) -> None:
        acc = f"acc_{c.hexstr(6)}"
        path = f"/v1/accounts/{acc}/statement?month=2025-09"
        trace = c.new_trace()
        c.request(t, s, inst=inst, method="GET", path=path, status=200, latency=c.rng.uniform(0.05, 0.3), ua=MOBILE,
                  trace=trace)
        app_line(t + c.jitter(0.03, 0.2), inst, "INFO", f"statement rendered for {acc} "
                 f"({c.rng.randint(3, 60)} lines)", trace, path, "GET", "statement", 88,
                 "/app/accounts/routes/statements.py")

    def statement_fail(t: int, inst: str) -> None:
        acc = f"acc_{c.hexstr(6)}"
        path = f"/v1/accounts/{acc}/statement?month=2025-09"
        trace = c.new_trace()
        latency = c.rng.uniform(0.04, 0.12)
        c.request(t, s, inst=inst, method="GET", path=path, status=500, latency=latency, ua=MOBILE, trace=trace,
                  p="statement-500", note="same trace as the KeyError logged by this request")
        tb = py_tb([
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 1511, "wsgi_app",
             "response = self.full_dispatch_request()"),
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 919, "full_dispatch_request",
             "rv = self.handle_user_exception(e)"),
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 917, "full_dispatch_request",
             "rv = self.dispatch_request()"),
            ("/usr/local/lib/python3.12/site-packages/flask/app.py", 902, "dispatch_request",
             "return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)"),
            ("/app/accounts/routes/statements.py", 74, "statement",
             "lines = [format_line(tx, account) for tx in txs]"),
            ("/app/accounts/format.py", 31, "format_line",
             'return f"{tx.amount:.2f} {account.meta[\'currency\']}"\n'
             "                             ~~~~~~~~~~~~^^^^^^^^^^^^"),
        ], "KeyError: 'currency'")
        app_line(t + round(latency * SEC) - c.rng.randint(500, 3_000), inst, "ERROR",
                 f"Exception on /v1/accounts/{acc}/statement [GET]\n{tb}", trace, path, "GET", "log_exception", 875,
                 "/usr/local/lib/python3.12/site-packages/flask/app.py", p="statement-keyerror")

    def report_500(t: int, inst: str) -> None:
        trace = c.new_trace()
        path = "/v1/reports/monthly"
        app_line(t + c.jitter(0.001, 0.01), inst, "INFO", f"monthly report requested for org_{c.hexstr(4)}", trace,
                 path, "POST", "monthly", 41, "/app/accounts/routes/reports.py")
        c.request(t, s, inst=inst, method="POST", path=path, status=500, latency=c.rng.uniform(1.2, 2.9), ua=BROWSER,
                  trace=trace, p="report-500",
                  note="no exception in this trace: the renderer it proxies answered 500; not a consequence of the "
                       "KeyError")

    def other_ok(t: int, inst: str) -> None:
        trace = c.new_trace()
        method, path = c.rng.choice([("GET", f"/v1/accounts/acc_{c.hexstr(6)}"), ("GET", "/v1/accounts?page=2"),
                                     ("POST", "/v1/transfers"), ("GET", "/healthz")])
        c.request(t, s, inst=inst, method=method, path=path, status=201 if method == "POST" else 200,
                  latency=c.rng.uniform(0.01, 0.2), ua=MOBILE, trace=trace)
        if method == "POST":
            app_line(t + c.jitter(0.01, 0.08), inst, "INFO", f"transfer tr_{c.hexstr(8)} accepted", trace, path,
                     method, "create_transfer", 52, "/app/accounts/routes/transfers.py")

    fails = {60.2: 0, 131.5: 1, 240.9: 2, 333.3: 0, 470.1: 1, 555.0: 2, 702.4: 0, 811.8: 1}
    reports = {61.0: 0, 240.4: 2, 300.7: 1, 471.05: 1, 640.2: 0, 812.3: 1}
    s_ = 0.0
    while s_ < 900:
        inst = c.rng.choice(insts)
        (statement_ok if c.rng.random() < 0.35 else other_ok)(c.at(s_), inst)
        s_ += c.rng.uniform(4.0, 9.5)
    for sec, i in fails.items():
        statement_fail(c.at(sec), insts[i])
    for sec, i in reports.items():
        report_500(c.at(sec), insts[i])

    c.problem("statement-keyerror", title_has=["KeyError"], priority=["P1", "P2"])
    c.problem("statement-500", caused_by="statement-keyerror")
    c.problem("report-500")
    c.together(("statement-keyerror", "report-500"))
    return c


# --------------------------------------------------------------------------- 4. upstream-timeout-502


def sc_upstream_timeout_502() -> Scenario:
    c = Scenario(
        "upstream-timeout-502", seed=9104, project="acme-shop", start="2025-10-09T18:00:00", fmt="jsonl",
        about=("checkout-bff (Express on Node 20, a JSON logger writing severity and logging.googleapis.com/trace, "
               "exported as JSON Lines). Between ~3 and ~9 minutes payments-api is slow: each call that takes more "
               "than 5 s is aborted and logged 'payments-api request timed out after 5000 ms (POST /v1/charges, "
               "attempt N/3)' (ERROR), followed, for attempts 1 and 2, by 'retrying request to payments-api (attempt "
               "N+1/3)' (WARNING). Eight checkouts time out three times and answer 502 (request log, same trace; "
               "its timestamp is the request's arrival, so it precedes the timeouts that caused it); five recover on "
               "the 2nd attempt and answer 201. TRUE LINKS: payments-retry caused_by payments-timeout (a retry only "
               "happens after a timeout), checkout-502 caused_by payments-timeout (same trace). The timeout is an "
               "ERROR with limited impact (P2-ish: some checkouts recover) while the 502s are user-facing (P1): the "
               "less urgent problem is still the cause. The retries do not cause the 502s. Three instances; healthy "
               "checkouts before and after."),
        sources=[SRC_STRUCTURED, SRC_REQUEST_LOGS, "https://expressjs.com/en/guide/error-handling.html",
                 "https://cloud.google.com/run/docs/logging#correlate-logs (logging.googleapis.com/trace built from "
                 "the X-Cloud-Trace-Context / traceparent header)"])
    s = Svc("checkout-bff", "checkout-bff-00112-lak")
    insts = [c.instance() for _ in range(3)]

    def j(t: int, inst: str, sev: str, msg: str, trace: str | None, extra: dict | None = None,
          p: str | None = None, note: str | None = None) -> None:
        c.jlog(t, s, inst, sev, msg, extra={"component": "payments-client", **(extra or {})}, trace=trace, p=p,
               note=note)

    def checkout(t: int, inst: str, failures: int) -> None:
        """``failures`` timeouts (0..3); 3 means the checkout answers 502."""
        trace = c.new_trace()
        order = f"ord_{c.hexstr(10)}"
        c.jlog(t + c.jitter(0.002, 0.01), s, inst, "INFO", f"checkout started for {order}",
               extra={"component": "checkout"}, trace=trace)
        u = t + c.jitter(0.02, 0.06)
        for attempt in range(1, failures + 1):
            u += 5_000_000 + c.rng.randint(100, 4_000)
            j(u, inst, "ERROR", f"payments-api request timed out after 5000 ms (POST /v1/charges, attempt {attempt}/3)",
              trace, {"attempt": attempt, "upstream": "payments-api"}, p="payments-timeout")
            if attempt < 3:
                u += c.jitter(0.2, 0.25)
                j(u, inst, "WARNING", f"retrying request to payments-api (attempt {attempt + 1}/3)", trace,
                  {"attempt": attempt + 1, "backoff_ms": 200}, p="payments-retry",
                  note="a retry happens because the previous attempt timed out")
        if failures < 3:
            u += c.jitter(0.15, 0.9)
            j(u, inst, "INFO", f"charge ch_{c.hexstr(12)} created for {order}", trace, {"status": 201})
            status = 201
        else:
            status = 502
            j(u + 400, inst, "INFO", f"checkout {order} aborted: payment provider unavailable", trace,
              {"component": "checkout"})
        latency = (u - t) / SEC + c.rng.uniform(0.002, 0.02)
        c.request(t, s, inst=inst, method="POST", path="/api/checkout", status=status, latency=latency, ua=MOBILE,
                  trace=trace, p="checkout-502" if status == 502 else None,
                  note="same trace as the three timeouts; logged with the request's arrival time" if status == 502
                  else None)

    def browse(t: int, inst: str) -> None:
        path = c.rng.choice(["/api/cart", "/api/products?page={n}", "/api/products/p_{n}", "/api/shipping/quote",
                             "/healthz"]).replace("{n}", str(c.rng.randint(1, 400)))
        c.request(t, s, inst=inst, method="GET", path=path, status=200, latency=c.rng.uniform(0.01, 0.25), ua=MOBILE)

    s_ = 0.0
    while s_ < 720:
        browse(c.at(s_), c.rng.choice(insts))
        s_ += c.rng.uniform(3.0, 7.0)
    for sec in (20, 75, 130, 610, 655, 700):
        checkout(c.at(sec), c.rng.choice(insts), 0)
    plan = [(185, 3), (203, 1), (236, 3), (262, 3), (298, 1), (341, 3), (377, 1), (402, 3), (446, 3), (471, 1),
            (505, 3), (532, 1), (548, 3)]
    for sec, failures in plan:
        checkout(c.at(sec), c.rng.choice(insts), failures)

    c.problem("payments-timeout", title_has=["payments-api request timed out"])
    c.problem("payments-retry", caused_by="payments-timeout", title_has=["retrying request to payments-api"])
    c.problem("checkout-502", caused_by="payments-timeout")
    return c


# --------------------------------------------------------------------------- 5. twelve-once


def sc_twelve_once() -> Scenario:
    c = Scenario(
        "twelve-once", seed=9105, project="acme-ledger", start="2025-10-10T02:00:00", fmt="entries-list",
        about=("ledger-export (Go, log/slog JSON with severity and message) runs the nightly export when Cloud "
               "Scheduler calls POST /tasks/export. On one instance, in 12 seconds, it logs twelve DIFFERENT "
               "errors, once each, one second apart, each from a different step of the job (webhook decode, GCS "
               "upload permission, duplicate key, SMTP reject, FX-rates deadline, Pub/Sub topic missing, BigQuery "
               "schema, disk full, amount parsing, Secret Manager permission, Redis pool timeout, partner TLS "
               "certificate expired); the job carries on after each and the task answers 200. TRUTH: twelve roots, "
               "no links. Being adjacent in time, on the same instance, in the same request, does not make one "
               "error the cause of the next. A second instance serves the health checks."),
        sources=[SRC_SLOG, SRC_STRUCTURED, SRC_REQUEST_LOGS,
                 "https://cloud.google.com/scheduler/docs/creating#http (User-Agent Google-Cloud-Scheduler)",
                 SRC_LOGENTRY])
    s = Svc("ledger-export", "ledger-export-00009-wub")
    a, b = c.instance(), c.instance()
    errors = [
        ("ERROR", "failed to decode webhook payload", "invalid character '}' looking for beginning of object key "
         "string", "webhook-decode"),
        ("ERROR", "upload of export shard failed", "googleapi: Error 403: ledger-export@acme-ledger.iam.gserviceaccount"
         ".com does not have storage.objects.create access to the Google Cloud Storage object., forbidden",
         "gcs-403"),
        ("ERROR", "insert export row failed", "ERROR: duplicate key value violates unique constraint \"exports_pkey\" "
         "(SQLSTATE 23505)", "duplicate-key"),
        ("WARNING", "summary e-mail rejected", "550 5.1.1 <finance-old@acme-ledger.example>: Recipient address "
         "rejected: User unknown", "smtp-550"),
        ("ERROR", "fetch FX rates failed", "Get \"https://fx-rates.internal/v2/latest\": context deadline exceeded",
         "fx-deadline"),
        ("ERROR", "publish export event failed", "rpc error: code = NotFound desc = Resource not found "
         "(resource=ledger-events).", "pubsub-notfound"),
        ("ERROR", "bigquery insertAll failed", "3 rows rejected: no such field: memo_v2.", "bq-schema"),
        ("ERROR", "write export file failed", "write /tmp/exports/2025-10-09.csv: no space left on device",
         "disk-full"),
        ("WARNING", "skipping row with unparsable amount", "strconv.ParseFloat: parsing \"12,50\": invalid syntax",
         "amount-parse"),
        ("ERROR", "read partner API key failed", "rpc error: code = PermissionDenied desc = Permission "
         "'secretmanager.versions.access' denied on resource 'projects/acme-ledger/secrets/partner-key/versions/"
         "latest' (or it may not exist).", "secret-denied"),
        ("ERROR", "lock export window failed", "redis: connection pool timeout", "redis-pool"),
        ("ERROR", "upload to partner SFTP failed", "x509: certificate has expired or is not yet valid: current time "
         "2025-10-10T02:03:31Z is after 2025-10-09T23:59:59Z", "partner-tls"),
    ]

    def health(t: int, inst: str) -> None:
        c.request(t, s, inst=inst, method="GET", path="/healthz", status=200, latency=c.rng.uniform(0.001, 0.004),
                  ua="GoogleStackdriverMonitoring-UptimeChecks(https://cloud.google.com/monitoring)")

    def info(t: int, inst: str, msg: str, extra: dict | None = None) -> None:
        c.jlog(t, s, inst, "INFO", msg, extra={"job": "nightly-export", **(extra or {})})

    for sec in range(0, 360, 15):
        health(c.at(sec + c.rng.uniform(0, 4)), c.rng.choice([a, b]))
    trace = c.new_trace()
    t = c.at(180)
    info(t + 2_000, a, "export started", {"window": "2025-10-09"})
    info(t + 450_000, a, "loaded 18342 ledger rows", {"rows": 18342})
    t += 1_000_000
    for n, (sev, msg, err, label) in enumerate(errors):
        u = t + n * SEC + c.rng.randint(0, 40_000)
        c.jlog(u, s, a, sev, msg, extra={"job": "nightly-export", "error": err}, trace=trace, p=label,
               note="logged once, independent of its neighbours")
        if n in (2, 6, 9):
            info(u + c.jitter(0.2, 0.6), a, f"step {n + 1}/12 finished with errors, continuing")
    end = t + 12 * SEC + 600_000
    info(end, a, "export finished: 18342 rows, 12 steps with errors", {"errors": 12})
    c.request(c.at(180) - 30_000, s, inst=a, method="POST", path="/tasks/export", status=200,
              latency=(end - c.at(180)) / SEC + 0.05, ua=SCHEDULER, trace=trace)
    for sec in (40, 95, 250, 300):
        info(c.at(sec), b, "cache of account names refreshed", {"job": "cache", "accounts": 2210})

    for sev, _msg, _err, label in errors:
        c.problem(label, priority=["P2", "P3"] if sev == "WARNING" else None)
    return c


# --------------------------------------------------------------------------- 6. bad-deploy-startup-errors


def sc_bad_deploy_startup_errors() -> Scenario:
    c = Scenario(
        "bad-deploy-startup-errors", seed=9106, project="acme-notify", start="2025-10-11T09:30:00",
        about=("notifications-api (Node 20, JSON logs with severity). Revision 00028-hoz is deployed without the "
               "TWILIO_AUTH_TOKEN variable. Cloud Run tries 5 starts. At EVERY start, in the same order and at "
               "nearly the same offsets, the app logs a cache warm-up WARNING and four unrelated start-up ERRORs "
               "(feature-flag service unreachable -> bundled defaults; trace exporter permission denied; pt-BR "
               "catalogue not valid JSON -> locale disabled; invalid Sentry DSN -> reporting disabled): each is "
               "handled and the start-up goes on. Then bootstrap() rejects with 'Error: Missing required "
               "environment variable TWILIO_AUTH_TOKEN' (printed by Node as an uncaught exception, one entry per "
               "line, no severity), the container exits with code 1 and the start-up probe fails; after the 5th "
               "start the revision's Ready condition turns False. Revision 00027 keeps serving. TRUE CHAIN: "
               "missing-env -> container-exit -> startup-probe -> revision-not-ready. The five earlier problems "
               "are independent roots: they are perfectly correlated with the failing starts (they appear only on "
               "the new revision, always first, always in the same order) but none makes the next one or the crash "
               "happen, and none of them is linked to another."),
        sources=[SRC_NODE_ERRORS, SRC_STRUCTURED, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_AUDIT, SRC_STARTING,
                 "https://nodejs.org/api/errors.html#errorstack"])
    old = Svc("notifications-api", "notifications-api-00027-fer")
    new = Svc("notifications-api", "notifications-api-00028-hoz")
    o1, o2 = c.instance(), c.instance()
    crash = ("node:internal/process/promises:289\n"
             "            triggerUncaughtException(err, true /* fromPromise */);\n"
             "            ^\n\n"
             "Error: Missing required environment variable TWILIO_AUTH_TOKEN\n"
             "    at requireEnv (/app/dist/config/env.js:11:15)\n"
             "    at loadSmsConfig (/app/dist/sms/config.js:8:21)\n"
             "    at bootstrap (/app/dist/main.js:44:23)\n"
             "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n\n"
             f"{NODE_VERSION}")
    boot = [
        ("WARNING", "cache warm-up incomplete: 37 of 120 templates have no 'es' variant; they will be rendered on "
         "first use", {"component": "templates"}, "cache-warmup"),
        ("ERROR", "feature flags: cannot reach flags.internal:8013 (getaddrinfo ENOTFOUND flags.internal); using "
         "bundled defaults", {"component": "flags"}, "flags-unreachable"),
        ("ERROR", "tracing: exporter initialisation failed: 7 PERMISSION_DENIED: The caller does not have permission "
         "(cloudtrace.traces.patch)", {"component": "otel"}, "trace-exporter-denied"),
        ("ERROR", "i18n: /app/locales/pt-BR.json is not valid JSON (Unexpected token } in JSON at position 4410); "
         "locale pt-BR disabled", {"component": "i18n"}, "i18n-catalog"),
        ("ERROR", "sentry: invalid DSN 'https://@o450021.ingest.sentry.io/5522' - error reporting disabled",
         {"component": "sentry"}, "sentry-dsn"),
    ]

    def failed_start(t: int, inst: str, rollout: bool) -> int:
        c.starting(t, new, inst, rollout=rollout)
        t += c.jitter(0.8, 1.3)
        c.jlog(t, new, inst, "INFO", "notifications-api 4.0.0 starting (node v20.11.1, NODE_ENV=production)")
        for sev, msg, extra, label in boot:
            t += c.jitter(0.05, 0.6)
            c.jlog(t, new, inst, sev, msg, extra=extra, p=label,
                   note="handled at start-up; same order at every start; not a cause of the crash")
        t += c.jitter(0.1, 0.3)
        t = c.lines(t, new, crash, inst=inst, p="missing-env", note="uncaught rejection: every line is the crash")
        t += c.jitter(0.25, 0.5)
        c.exit_called(t, new, inst, 1, "notifications-api-1", "container-exit")
        t += c.jitter(0.05, 0.2)
        c.probe_failed(t, new, inst, "notifications-api-1", "startup-probe")
        return t

    def info(t: int, inst: str, trace: str, path: str) -> None:
        c.jlog(t, old, inst, "INFO", f"queued {c.rng.randint(1, 40)} notifications for {path.split('?')[0]}",
               trace=trace)

    noise_200(c, old, [o1, o2], 0, 600, (3.5, 8.0), [("POST", "/v1/notifications"), ("GET", "/v1/notifications/n_{n}"),
                                                       ("GET", "/v1/templates"), ("GET", "/healthz")], info)
    c.deploy(c.at(120), new)
    t = c.at(124)
    for n in range(5):
        t = failed_start(t, c.instance(), rollout=n == 0)
        t += c.jitter(6, 25)
    c.ready_false(t, new, "revision-not-ready")

    c.problem("missing-env", title_has=["TWILIO_AUTH_TOKEN"], priority=["P0"])
    c.problem("container-exit", caused_by="missing-env")
    c.problem("startup-probe", caused_by="container-exit")
    c.problem("revision-not-ready", caused_by="startup-probe")
    for _sev, _msg, _extra, label in boot:
        c.problem(label)
        c.together((label, "missing-env"))
    return c


# --------------------------------------------------------------------------- 7. periodic-error-and-oom


def sc_periodic_error_and_oom() -> Scenario:
    c = Scenario(
        "periodic-error-and-oom", seed=9107, project="acme-pricing", start="2025-10-12T11:00:00", fmt="jsonl",
        about=("pricing-api (Go, zap-style JSON with severity). Every instance runs a dependency checker that calls "
               "legacy-fx every 60 s; legacy-fx was decommissioned, so every instance logs 'dependency health check "
               "failed' (ERROR, connection refused) once a minute, all day (this export is a 100-minute slice). "
               "Separately, twice, a bulk quote request makes an instance exceed its memory: 'Memory limit of 512 MiB "
               "exceeded with ... MiB used' (varlog/system ERROR), 'Container terminated on signal 9.' (WARNING), "
               "and the requests in flight on that instance answer 503 (malformed-or-connection text); Cloud Run "
               "starts a replacement. TRUE CHAIN: oom -> container-killed -> request-503. The periodic error is a "
               "root and must NOT be linked to the OOM chain, though one of its occurrences always precedes each "
               "OOM on the same instance by less than a minute (it precedes everything by less than a minute)."),
        sources=[SRC_MEMORY, SRC_REQUEST_LOGS, SRC_TROUBLESHOOT, SRC_STRUCTURED, SRC_STARTING,
                 "https://github.com/blendle/zapdriver (zap fields severity / message / caller for Cloud Logging)"])
    s = Svc("pricing-api", "pricing-api-00071-sed")
    a, b = c.instance(), c.instance()
    cc, d = c.instance(), c.instance()
    end = 6000.0

    def periodic(inst: str, start: float, stop: float) -> None:
        sec = start
        while sec < stop:
            c.jlog(c.at(sec), s, inst, "ERROR", "dependency health check failed",
                   extra={"caller": "health/checker.go:61", "dependency": "legacy-fx",
                          "error": "dial tcp 10.52.0.9:443: connect: connection refused"},
                   p="dependency-check", note="every 60 s on every instance: independent of the OOM")
            sec += 60 + c.rng.uniform(-0.05, 0.05)

    def oom(sec: float, inst: str, used: int, inflight: int) -> float:
        t = c.at(sec)
        c.jlog(t - c.jitter(6, 9), s, inst, "INFO", "bulk quote request accepted",
               extra={"caller": "quotes/bulk.go:40", "skus": c.rng.randint(180000, 260000)})
        c.add(t, s, text=OOM.format(used=used), log="varlog/system", sev="ERROR", inst=inst, p="oom")
        k = t + c.jitter(0.1, 0.3)
        c.add(k, s, text="Container terminated on signal 9.", log="varlog/system", sev="WARNING", inst=inst,
              p="container-killed", note="the out-of-memory kill")
        for _ in range(inflight):
            arrive = t - c.jitter(0.3, 9.0)
            c.request(arrive, s, inst=inst, method=c.rng.choice(["GET", "POST"]),
                      path=c.rng.choice(["/v1/quotes/bulk", "/v1/prices/sku-8812", "/v1/prices?list=retail"]),
                      status=503, latency=(k - arrive) / SEC + c.rng.uniform(0.001, 0.05), text=MALFORMED,
                      p="request-503", note="in flight on the killed instance")
        return (k - c.t0) / SEC

    def traffic(start: float, stop: float, insts: list[str]) -> None:
        sec = start
        while sec < stop:
            inst = c.rng.choice(insts)
            path = c.rng.choice(["/v1/prices/sku-{n}", "/v1/prices?list=retail", "/v1/quotes", "/healthz"]).replace(
                "{n}", str(c.rng.randint(1000, 9999)))
            c.request(c.at(sec), s, inst=inst, method="POST" if path == "/v1/quotes" else "GET", path=path,
                      status=200, latency=c.rng.uniform(0.005, 0.4))
            sec += c.rng.uniform(35, 80)

    kill_b = oom(2980.4, b, 547, 3)
    kill_a = oom(5100.7, a, 539, 2)
    periodic(a, 12.3, kill_a)
    periodic(b, 31.8, kill_b)
    c.starting(c.at(kill_b + 1.5), s, cc)
    c.jlog(c.at(kill_b + 2.4), s, cc, "INFO", "pricing-api listening on :8080", extra={"caller": "main.go:88"})
    periodic(cc, kill_b + 2.6, end)
    c.starting(c.at(kill_a + 1.1), s, d)
    c.jlog(c.at(kill_a + 2.0), s, d, "INFO", "pricing-api listening on :8080", extra={"caller": "main.go:88"})
    periodic(d, kill_a + 2.2, end)
    traffic(0, kill_b - 10, [a, b])
    traffic(kill_b + 5, kill_a - 10, [a, cc])
    traffic(kill_a + 5, end, [cc, d])

    c.problem("dependency-check", title_has=["dependency health check failed"])
    c.problem("oom", title_has=["Memory limit of 512 MiB exceeded"])
    c.problem("container-killed", caused_by="oom")
    c.problem("request-503", caused_by="container-killed")
    c.together(("dependency-check", "oom"))
    return c


# --------------------------------------------------------------------------- 8. rare-after-frequent


def sc_rare_after_frequent() -> Scenario:
    c = Scenario(
        "rare-after-frequent", seed=9108, project="acme-search", start="2025-10-13T15:10:00",
        about=("search-api (Python, JSON logs with severity, trace on request lines). The OpenTelemetry collector "
               "sidecar is missing, so every instance logs 'Failed to export metrics to otel-collector:4317, error "
               "code: StatusCode.UNAVAILABLE' (ERROR) every ~6 s. Three times in 7 minutes a request with "
               "sort=relevance_v2 raises ValueError: unsupported sort key (ERROR with the request's trace), and that "
               "request answers 500 (same trace). Each ValueError happens to land 0.1-0.4 s after an exporter error "
               "on the same instance. TRUTH: search-500 caused_by sort-valueerror (same trace); the exporter error "
               "and the ValueError are independent roots: a frequent error that precedes everything does not cause "
               "the rare one."),
        sources=[SRC_OTEL, SRC_STRUCTURED, SRC_REQUEST_LOGS, SRC_PY_TRACEBACK,
                 "https://github.com/madzak/python-json-logger (JSON formatter; the app renames levelname to "
                 "severity)"])
    s = Svc("search-api", "search-api-00204-qim")
    insts = [c.instance() for _ in range(3)]
    end = 420.0
    exporter: dict[str, list[float]] = {}
    for n, inst in enumerate(insts):
        sec = 1.0 + 2.1 * n
        times = []
        while sec < end:
            times.append(sec)
            c.jlog(c.at(sec), s, inst, "ERROR", "Failed to export metrics to otel-collector:4317, error code: "
                   "StatusCode.UNAVAILABLE", extra={"logger": "opentelemetry.exporter.otlp.proto.grpc.exporter"},
                   p="otel-export", note="every ~6 s on every instance")
            sec += c.rng.uniform(5.5, 6.5)
        exporter[inst] = times

    def search_ok(t: int, inst: str) -> None:
        trace = c.new_trace()
        q = c.rng.choice(["running shoes", "usb-c hub", "espresso", "tent 2p", "desk lamp"])
        c.request(t, s, inst=inst, method="GET", path=f"/v1/search?q={q.replace(' ', '+')}&sort=popular", status=200,
                  latency=c.rng.uniform(0.02, 0.3), trace=trace)
        if c.rng.random() < 0.5:
            c.jlog(t + c.jitter(0.01, 0.1), s, inst, "INFO", f"search '{q}' returned {c.rng.randint(0, 800)} hits",
                   extra={"logger": "search.api"}, trace=trace)

    sec = 0.5
    while sec < end:
        search_ok(c.at(sec), c.rng.choice(insts))
        sec += c.rng.uniform(3.0, 6.5)

    tb = py_tb([
        ("/usr/local/lib/python3.12/site-packages/starlette/routing.py", 73, "app", "response = await f(request)"),
        ("/usr/local/lib/python3.12/site-packages/fastapi/routing.py", 301, "app",
         "raw_response = await run_endpoint_function("),
        ("/app/search/routes.py", 58, "search", "order = parse_sort(sort)"),
        ("/app/search/sorting.py", 17, "parse_sort", 'raise ValueError(f"unsupported sort key {key!r}")'),
    ], "ValueError: unsupported sort key 'relevance_v2'")
    for inst, k in ((insts[0], 12), (insts[2], 31), (insts[1], 55)):
        base = exporter[inst][k]
        t = c.at(base + c.rng.uniform(0.1, 0.4))
        trace = c.new_trace()
        latency = c.rng.uniform(0.01, 0.03)
        c.request(t - round(latency * SEC), s, inst=inst, method="GET", path="/v1/search?q=boots&sort=relevance_v2",
                  status=500, latency=latency, trace=trace, p="search-500",
                  note="same trace as the ValueError")
        c.jlog(t, s, inst, "ERROR", f"Unhandled error on GET /v1/search\n{tb}", extra={"logger": "search.api"},
               trace=trace, p="sort-valueerror", note="lands just after an exporter error: coincidence")

    c.problem("otel-export", title_has=["Failed to export metrics"])
    c.problem("sort-valueerror", title_has=["ValueError"])
    c.problem("search-500", caused_by="sort-valueerror")
    c.together(("otel-export", "sort-valueerror"))
    return c


# --------------------------------------------------------------------------- 9. precursor-not-specific


def sc_precursor_not_specific() -> Scenario:
    c = Scenario(
        "precursor-not-specific", seed=9109, project="acme-profiles", start="2025-10-14T08:00:00",
        about=("profile-api (FastAPI under uvicorn, JSON app logs with severity). At EVERY start, healthy or not, the "
               "app logs 'Could not load remote feature flags from flagd.internal:8013 ... using bundled defaults' "
               "(ERROR) about a second after the process starts: revision 00031 starts 4 healthy instances in the "
               "window (autoscaling) and logs it each time. Revision 00032, deployed with a new service account, "
               "fails its 4 starts: after the flags error it logs 'Failed to access secret .../profile-db-password/"
               "versions/latest: 403 Permission secretmanager.versions.access denied' (ERROR) -- only ever before "
               "failed starts -- then the lifespan raises RuntimeError: DB_PASSWORD is empty (traceback, ERROR), "
               "uvicorn logs 'Application startup failed. Exiting.', the container exits (3), the start-up probe "
               "fails; the revision's Ready condition turns False. TRUE CHAIN: secret-denied -> db-password-empty "
               "-> startup-failed -> container-exit -> startup-probe -> revision-not-ready (the secret error IS the "
               "root: it is the precursor that is part of the failure, and the crash's own message points to it). "
               "The flags error precedes failed and healthy starts alike: it is part of no failure, an independent "
               "root (seen_together with the crash)."),
        sources=[SRC_UVICORN, SRC_PY_TRACEBACK, SRC_STRUCTURED, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_AUDIT,
                 SRC_STARTING, "https://cloud.google.com/secret-manager/docs/access-secret-version (403 "
                 "secretmanager.versions.access)"])
    old = Svc("profile-api", "profile-api-00031-tas")
    new = Svc("profile-api", "profile-api-00032-wib")
    o1 = c.instance()
    healthy: list[str] = [o1]

    def uv(t: int, svc: Svc, inst: str, msg: str) -> int:
        return c.add(t, svc, text=f"INFO:     {msg}", inst=inst)

    def flags(t: int, svc: Svc, inst: str) -> None:
        c.jlog(t, svc, inst, "ERROR", "Could not load remote feature flags from flagd.internal:8013 (deadline "
               "exceeded after 2.0s); using bundled defaults", extra={"logger": "profile.flags"},
               p="flags-unreachable", note="logged at every start, healthy or failed: part of no failure")

    def healthy_start(sec: float) -> None:
        inst = c.instance()
        t = c.at(sec)
        c.starting(t, old, inst)
        t += c.jitter(1.0, 1.6)
        uv(t, old, inst, "Started server process [1]")
        uv(t + 1_500, old, inst, "Waiting for application startup.")
        t += c.jitter(2.0, 2.1)
        flags(t, old, inst)
        t += c.jitter(0.3, 0.8)
        c.jlog(t, old, inst, "INFO", "database pool ready (min 2, max 10)", extra={"logger": "profile.db"})
        uv(t + 900, old, inst, "Application startup complete.")
        uv(t + 1_300, old, inst, "Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)")
        c.probe_ok(t + c.jitter(0.1, 0.3), old, inst, "profile-api-1")
        healthy.append(inst)

    tb = "ERROR:    " + py_tb([
        ("/usr/local/lib/python3.12/site-packages/starlette/routing.py", 693, "lifespan",
         "async with self.lifespan_context(app) as maybe_state:"),
        ("/usr/local/lib/python3.12/contextlib.py", 210, "__aenter__", "return await anext(self.gen)"),
        ("/app/profile/main.py", 27, "lifespan", "engine = create_engine(settings.database_url())"),
        ("/app/profile/settings.py", 58, "database_url",
         'raise RuntimeError(f"DB_PASSWORD is empty (secret {secret} could not be read): cannot build the "'),
    ], "RuntimeError: DB_PASSWORD is empty (secret profile-db-password could not be read): cannot build the "
       "database URL")

    def failed_start(t: int, rollout: bool) -> int:
        inst = c.instance()
        c.starting(t, new, inst, rollout=rollout)
        t += c.jitter(1.0, 1.6)
        uv(t, new, inst, "Started server process [1]")
        uv(t + 1_500, new, inst, "Waiting for application startup.")
        t += c.jitter(2.0, 2.1)
        flags(t, new, inst)
        t += c.jitter(0.2, 0.5)
        c.jlog(t, new, inst, "ERROR", "Failed to access secret projects/acme-profiles/secrets/profile-db-password/"
               "versions/latest: 403 Permission 'secretmanager.versions.access' denied for resource 'projects/"
               "acme-profiles/secrets/profile-db-password/versions/latest' (or it may not exist).",
               extra={"logger": "profile.secrets"}, p="secret-denied",
               note="only before failed starts: the root of the failure")
        t += c.jitter(0.01, 0.05)
        c.add(t, new, text=tb, sev="ERROR", inst=inst, p="db-password-empty")
        c.add(t + 280, new, text="ERROR:    Application startup failed. Exiting.", inst=inst, p="startup-failed")
        t += c.jitter(0.3, 0.5)
        c.exit_called(t, new, inst, 3, "profile-api-1", "container-exit")
        t += c.jitter(0.05, 0.2)
        c.probe_failed(t, new, inst, "profile-api-1", "startup-probe")
        return t

    def traffic(start: float, stop: float) -> None:
        sec = start
        while sec < stop:
            trace = c.new_trace()
            inst = c.rng.choice(healthy)
            t = c.at(sec)
            path = c.rng.choice(["/v1/profiles/u_{n}", "/v1/profiles/u_{n}/avatar", "/v1/profiles?team=t{n}"]).replace(
                "{n}", str(c.rng.randint(100, 9999)))
            c.request(t, old, inst=inst, method="GET", path=path, status=200, latency=c.rng.uniform(0.01, 0.2),
                      trace=trace)
            if c.rng.random() < 0.3:
                c.jlog(t + c.jitter(0.005, 0.05), old, inst, "INFO", f"profile served from cache ({path})",
                       extra={"logger": "profile.api"}, trace=trace)
            sec += c.rng.uniform(4.0, 9.0)

    healthy_start(40.0)
    traffic(0, 150)
    healthy_start(150.0)
    traffic(150, 300)
    c.deploy(c.at(236), new)
    t = c.at(240)
    for n in range(4):
        t = failed_start(t, rollout=n == 0)
        t += c.jitter(10, 30)
    c.ready_false(t, new, "revision-not-ready")
    healthy_start(430.0)
    traffic(300, 700)
    healthy_start(610.0)

    c.problem("secret-denied", title_has=["Failed to access secret"])
    c.problem("db-password-empty", caused_by="secret-denied", title_has=["DB_PASSWORD is empty"])
    c.problem("startup-failed", caused_by="db-password-empty")
    c.problem("container-exit", caused_by="startup-failed")
    c.problem("startup-probe", caused_by="container-exit")
    c.problem("revision-not-ready", caused_by="startup-probe")
    c.problem("flags-unreachable", title_has=["feature flags"])
    c.together(("flags-unreachable", "secret-denied"))
    return c


# --------------------------------------------------------------------------- 10. revision-without-instance


def sc_revision_without_instance() -> Scenario:
    c = Scenario(
        "revision-without-instance", seed=9110, project="acme-geo", start="2025-10-15T06:30:00",
        about=("geo-api (Go, log/slog JSON with severity). Traffic is split 80/20 between geo-api-00008-lur "
               "(healthy, two instances) and geo-api-00009-puw (scaled to zero). When requests are routed to 00009, "
               "Cloud Run tries to start an instance five times; each start logs 'geo-api 2.3.0 starting' and then "
               "'cannot load TLS client certificate' (CRITICAL: open /etc/geo/tls/client.crt: no such file or "
               "directory), the container exits (1), and the start-up probe fails ('The instance was not started'). "
               "The requests routed to 00009 meanwhile fail with 503 WITHOUT labels.instanceId (no instance ever "
               "started to serve them), and the revision's Ready condition turns False (cloudaudit system_event, "
               "protoPayload AuditLog, ERROR, no instanceId). Later the traffic is moved back to 00008 (audit "
               "activity). TRUE CHAIN: tls-cert-missing -> container-exit -> startup-probe -> {revision-not-ready, "
               "request-503}. Neither the 503s nor the audit entry share an instance with their cause: the link "
               "must come from the revision. 00008 keeps serving 200s throughout."),
        sources=[SRC_SLOG, SRC_STRUCTURED, SRC_AUDIT, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_REQUEST_LOGS,
                 SRC_TROUBLESHOOT, SRC_STARTING,
                 "https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration (traffic split between "
                 "revisions)"])
    old = Svc("geo-api", "geo-api-00008-lur")
    new = Svc("geo-api", "geo-api-00009-puw")
    g1, g2 = c.instance(), c.instance()

    def info(t: int, inst: str, trace: str, path: str) -> None:
        c.jlog(t, old, inst, "INFO", "geocode cache hit", extra={"path": path.split("?")[0]}, trace=trace)

    noise_200(c, old, [g1, g2], 0, 720, (3.0, 7.5), [("GET", "/v1/geocode?q=addr{n}"),
                                                      ("GET", "/v1/reverse?lat=48.{n}&lng=2.{n}"),
                                                      ("GET", "/healthz")], info, ua=MOBILE)
    t = c.at(180)
    starts = []
    for _ in range(5):
        inst = c.instance()
        c.starting(t, new, inst)
        u = t + c.jitter(0.6, 1.1)
        c.jlog(u, new, inst, "INFO", "geo-api 2.3.0 starting", extra={"go": "go1.23.2"})
        u += c.jitter(0.01, 0.04)
        c.jlog(u, new, inst, "CRITICAL", "cannot load TLS client certificate",
               extra={"error": "open /etc/geo/tls/client.crt: no such file or directory",
                      "source": {"file": "/src/cmd/geo-api/main.go", "function": "main.main", "line": 57}},
               p="tls-cert-missing")
        u += c.jitter(0.05, 0.2)
        c.exit_called(u, new, inst, 1, "geo-api-1", "container-exit")
        u += c.jitter(0.05, 0.2)
        c.probe_failed(u, new, inst, "geo-api-1", "startup-probe")
        starts.append((t, u))
        t = u + c.jitter(18, 50)
    first, last = starts[0][0], starts[-1][1]
    c.ready_false(starts[1][1] + c.jitter(1, 3), new, "revision-not-ready",
                  note="no instanceId: an audit entry about the revision")
    for n in range(11):
        arrive = first + (last - first) * n // 11 + c.rng.randint(0, 4_000_000)
        c.request(arrive, new, inst=None, method="GET", path=f"/v1/geocode?q=addr{c.rng.randint(100, 999)}",
                  status=503, latency=c.rng.uniform(8.0, 14.0), ua=MOBILE, text=MALFORMED, p="request-503",
                  note="no labels.instanceId: no instance of 00009 ever started")
    c.deploy(last + c.jitter(40, 60), old, "services.update-traffic")

    c.problem("tls-cert-missing", title_has=["cannot load TLS client certificate"], priority=["P0", "P1"])
    c.problem("container-exit", caused_by="tls-cert-missing")
    c.problem("startup-probe", caused_by="container-exit")
    c.problem("revision-not-ready", caused_by="startup-probe")
    c.problem("request-503", caused_by="startup-probe")
    return c


# --------------------------------------------------------------------------- 11. truncated-collector


def sc_truncated_collector() -> Scenario:
    c = Scenario(
        "truncated-collector", seed=9111, project="acme-billing", start="2025-10-16T03:00:00", fmt="jsonl",
        about=("billing-worker (Python, Pub/Sub streaming pull; it opens its health port only once the subscriber "
               "runs). Its subscription was deleted, so for one hour every start fails: a boot WARNING "
               "('PUBSUB_MAX_MESSAGES not set, using 100'), the traceback of google.api_core.exceptions.NotFound: "
               "404 Resource not found (resource=invoices-to-bill) in one ERROR entry, 'Container called exit(1).' "
               "(WARNING), and the start-up probe failure (ERROR). The file is what a log collector kept: only the "
               "NEWEST 50 ERROR entries, plus the WARNING entries (no INFO at all), as JSON Lines; the export was "
               "taken before the last probe failure was written. So the first ~10 failed starts have only their "
               "WARNING entries in the file: their 'Container called exit(1).' lines predate the first ERROR, "
               "and the first ERROR in the file is a probe failure whose crash was cut. TRUE CHAIN: "
               "subscription-not-found -> container-exit -> startup-probe; every container exit, early or late, is "
               "a consequence of the crash. The boot warning is an independent root."),
        sources=[SRC_PUBSUB, SRC_PY_TRACEBACK, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_STRUCTURED,
                 "https://cloud.google.com/logging/docs/export/storage (JSON Lines, oldest first)"])
    s = Svc("billing-worker", "billing-worker-00023-kif")
    tb = py_tb([
        ("/app/billing/worker.py", 93, "<module>", "main()"),
        ("/app/billing/worker.py", 77, "main", "streaming_pull.result()"),
        ("/usr/local/lib/python3.12/concurrent/futures/_base.py", 456, "result",
         "return self.__get_result()\n           ^^^^^^^^^^^^^^^^^^^"),
        ("/usr/local/lib/python3.12/concurrent/futures/_base.py", 401, "__get_result", "raise self._exception"),
    ], "google.api_core.exceptions.NotFound: 404 Resource not found (resource=invoices-to-bill).")
    starts = 36
    t = c.at(5)
    for n in range(starts):
        inst = c.instance()
        c.starting(t, s, inst)
        t += c.jitter(1.5, 2.5)
        c.jlog(t, s, inst, "WARNING", "PUBSUB_MAX_MESSAGES not set, using 100", extra={"logger": "billing.settings"},
               p="max-messages-default", note="boot warning: independent of the crash")
        t += c.jitter(0.8, 1.6)
        c.add(t, s, text=tb, sev="ERROR", inst=inst, p="subscription-not-found")
        t += c.jitter(0.3, 0.6)
        c.exit_called(t, s, inst, 1, "billing-worker-1", "container-exit",
                      note="a consequence of the crash even when the crash's ERROR was cut from the file")
        if n < starts - 1:  # the export was taken before the last probe failure was written
            c.probe_failed(t + c.jitter(0.05, 0.2), s, inst, "billing-worker-1", "startup-probe")
        t += c.jitter(85, 110)
    # The collector: every WARNING, and only the newest 50 ERROR entries; no INFO.
    errors = sorted((r[0], r[1], r[2]["insertId"]) for r in c.rows if r[2].get("severity") == "ERROR")
    kept = {iid for _, _, iid in errors[-50:]}
    c.keep(lambda d: d.get("severity") == "WARNING" or d["insertId"] in kept)

    c.problem("subscription-not-found", title_has=["NotFound"], priority=["P0", "P1"])
    c.problem("container-exit", caused_by="subscription-not-found")
    c.problem("startup-probe", caused_by="container-exit")
    c.problem("max-messages-default", title_has=["PUBSUB_MAX_MESSAGES"])
    c.together(("max-messages-default", "subscription-not-found"))
    return c


# --------------------------------------------------------------------------- 12. two-incidents-overlap


def sc_two_incidents_overlap() -> Scenario:
    c = Scenario(
        "two-incidents-overlap", seed=9112, project="acme-cart", start="2025-10-17T19:45:00", fmt="explorer",
        about=("cart-api (Express on Node 20, JSON logs with severity and trace; Logs Explorer 'copy' export). A "
               "50/50 rollout: revision 00052-tak starts, listens (probe OK), serves a few requests, and 6-12 s "
               "later its promotions refresher rejects unhandled (Node prints 'PromotionsFeedError: promotions feed "
               "returned 404' as an uncaught exception, one entry per line, no severity); the container exits (1) "
               "and the requests in flight on it answer 503 (malformed-or-connection text). Five new instances do "
               "this. AT THE SAME TIME, revision 00051-gop's two instances hit a handler bug: POST /api/cart/items "
               "throws TypeError: Cannot read properties of undefined (reading 'sku') (ERROR with the request's "
               "trace) and the request answers 500 (same trace). TRUE CHAINS: promo-crash -> container-exit -> "
               "cart-503 (revision 00052, the crashing instances) and cart-typeerror -> cart-500 (revision 00051, "
               "same traces). No link across the two: different revisions, different instances, no shared trace, "
               "although they interleave within seconds."),
        sources=[SRC_NODE_ERRORS, SRC_STRUCTURED, SRC_REQUEST_LOGS, SRC_CONTAINER_CONTRACT, SRC_PROBES,
                 SRC_TROUBLESHOOT, SRC_STARTING, "https://expressjs.com/en/guide/error-handling.html"])
    r1 = Svc("cart-api", "cart-api-00051-gop")
    r2 = Svc("cart-api", "cart-api-00052-tak")
    a, b = c.instance(), c.instance()
    crash = ("node:internal/process/promises:289\n"
             "            triggerUncaughtException(err, true /* fromPromise */);\n"
             "            ^\n\n"
             "PromotionsFeedError: promotions feed returned 404\n"
             "    at refreshPromotions (/app/dist/jobs/promotions.js:41:19)\n"
             "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
             "    at async Timeout._onTimeout (/app/dist/jobs/scheduler.js:18:7) {\n"
             "  status: 404,\n  feed: 'https://promos.internal/v3/active'\n}\n\n"
             f"{NODE_VERSION}")
    typeerror = ("TypeError: Cannot read properties of undefined (reading 'sku')\n"
                 "    at addItem (/app/dist/cart/items.js:37:29)\n"
                 "    at /app/dist/routes/cart.js:22:18\n"
                 "    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)\n"
                 "    at next (/app/node_modules/express/lib/router/route.js:149:13)")

    def ok(t: int, svc: Svc, inst: str) -> None:
        trace = c.new_trace()
        method, path = c.rng.choice([("GET", "/api/cart"), ("GET", "/api/cart/summary"), ("POST", "/api/cart/items"),
                                     ("DELETE", "/api/cart/items/li_{n}")])
        path = path.replace("{n}", str(c.rng.randint(100, 999)))
        c.request(t, svc, inst=inst, method=method, path=path, status=200, latency=c.rng.uniform(0.01, 0.2),
                  trace=trace)
        if c.rng.random() < 0.35:
            c.jlog(t + c.jitter(0.003, 0.05), svc, inst, "INFO", f"cart {c.hexstr(8)} updated ({method} {path})",
                   trace=trace)

    def handler_bug(t: int, inst: str) -> None:
        trace = c.new_trace()
        latency = c.rng.uniform(0.005, 0.02)
        c.request(t, r1, inst=inst, method="POST", path="/api/cart/items", status=500, latency=latency, trace=trace,
                  p="cart-500", note="same trace as the TypeError")
        c.jlog(t + round(latency * SEC) - 900, r1, inst, "ERROR", f"POST /api/cart/items failed: {typeerror}",
               extra={"route": "/api/cart/items"}, trace=trace, p="cart-typeerror")

    def crashing_instance(t: int, rollout: bool) -> int:
        inst = c.instance()
        c.starting(t, r2, inst, rollout=rollout)
        t += c.jitter(0.8, 1.4)
        c.jlog(t, r2, inst, "INFO", "cart-api 7.4.0 listening on :8080")
        c.probe_ok(t + c.jitter(0.05, 0.2), r2, inst, "cart-api-1")
        up = t + 300_000
        die = t + c.jitter(6, 12)
        for _ in range(c.rng.randint(1, 3)):
            ok(c.rng.randint(up, die - 1_500_000), r2, inst)
        u = c.lines(die, r2, crash, inst=inst, p="promo-crash", note="uncaught rejection: every line is the crash")
        u += c.jitter(0.2, 0.4)
        c.exit_called(u, r2, inst, 1, "cart-api-1", "container-exit")
        for _ in range(c.rng.randint(1, 2)):
            arrive = die - c.jitter(0.05, 1.2)
            c.request(arrive, r2, inst=inst, method=c.rng.choice(["GET", "POST"]),
                      path=c.rng.choice(["/api/cart", "/api/cart/items", "/api/cart/summary"]), status=503,
                      latency=(u - arrive) / SEC + 0.003, text=MALFORMED, p="cart-503",
                      note="in flight on the crashing 00052 instance")
        return u

    sec = 0.0
    while sec < 600:
        ok(c.at(sec), r1, c.rng.choice([a, b]))
        sec += c.rng.uniform(3.0, 8.0)
    c.deploy(c.at(100), r2, "deploy")
    t = c.at(104)
    bug_times = []
    for n in range(5):
        t = crashing_instance(t, rollout=n == 0)
        bug_times.append(t)
        t += c.jitter(15, 45)
    for n, when in enumerate(bug_times):
        handler_bug(when + c.jitter(0.3, 2.5), (a, b)[n % 2])
    for sec in (60.4, 470.2):
        handler_bug(c.at(sec), a)

    c.problem("promo-crash", title_has=["PromotionsFeedError"], priority=["P0", "P1"])
    c.problem("container-exit", caused_by="promo-crash")
    c.problem("cart-503", caused_by="container-exit")
    c.problem("cart-typeerror", title_has=["TypeError"], priority=["P1", "P2"])
    c.problem("cart-500", caused_by="cart-typeerror")
    c.together(("promo-crash", "cart-typeerror"))
    return c


# --------------------------------------------------------------------------- 13. two-services


def sc_two_services() -> Scenario:
    c = Scenario(
        "two-services", seed=9113, project="acme-market", start="2025-10-18T05:00:00",
        about=("One export holding two services of one project. Cloud Scheduler calls both every 5 minutes at the "
               "same second: catalog-api (Python, JSON logs) POST /tasks/reindex fails with 'Reindex failed: index "
               "[products_v7] blocked by: [FORBIDDEN/12/index read-only / allow delete (api)]' (ERROR, the task's "
               "trace) and the task answers 500 (same trace); mailer (Node, JSON logs) POST /tasks/send-digest logs "
               "'SMTP error 421 4.7.0 ... too many concurrent connections' (ERROR, its trace) and answers 500 (same "
               "trace) in 5 of the 6 rounds. The failures land within a second or two of each other every time. "
               "TRUE CHAINS: catalog-reindex-error -> catalog-reindex-500 and mailer-smtp-421 -> mailer-digest-500; "
               "never a link across services (different services, no shared trace, the same schedule is a "
               "coincidence)."),
        sources=[SRC_STRUCTURED, SRC_REQUEST_LOGS,
                 "https://cloud.google.com/scheduler/docs/creating#http (User-Agent Google-Cloud-Scheduler)",
                 "https://www.elastic.co/guide/en/elasticsearch/reference/current/index-modules-blocks.html "
                 "(index.blocks.read_only_allow_delete, FORBIDDEN/12)",
                 "https://www.rfc-editor.org/rfc/rfc5321#section-4.2.3 (421 service not available)"])
    cat = Svc("catalog-api", "catalog-api-00088-jiv", host="2w9xkq7tzq-ew.a.run.app")
    mail = Svc("mailer", "mailer-00014-ros", host="2w9xkq7tzq-ew.a.run.app")
    c.region = "europe-west1"
    ca, cb = c.instance(), c.instance()
    ma = c.instance()

    def cat_info(t: int, inst: str, trace: str, path: str) -> None:
        c.jlog(t, cat, inst, "INFO", f"catalog query {path.split('?')[0]} served", extra={"logger": "catalog.api"},
               trace=trace)

    def mail_info(t: int, inst: str, trace: str, path: str) -> None:
        c.jlog(t, mail, inst, "INFO", "message queued", extra={"template": c.rng.choice(["welcome", "reset", "order"])},
               trace=trace)

    noise_200(c, cat, [ca, cb], 0, 1650, (9.0, 20.0), [("GET", "/v1/products/p_{n}"), ("GET", "/v1/categories"),
                                                        ("GET", "/v1/products?page={n}")], cat_info)
    noise_200(c, mail, [ma], 0, 1650, (15.0, 35.0), [("POST", "/v1/messages"), ("GET", "/healthz")], mail_info)
    for rnd in range(6):
        base = 60 + 300 * rnd
        t = c.at(base)
        trace = c.new_trace()
        inst = (ca, cb)[rnd % 2]
        c.jlog(t + c.jitter(0.002, 0.01), cat, inst, "INFO", "reindex started (products_v7)",
               extra={"logger": "catalog.tasks"}, trace=trace)
        fail = t + c.jitter(0.9, 1.6)
        c.jlog(fail, cat, inst, "ERROR", "Reindex failed: index [products_v7] blocked by: [FORBIDDEN/12/index "
               "read-only / allow delete (api)]", extra={"logger": "catalog.tasks", "batch": c.rng.randint(1, 40)},
               trace=trace, p="catalog-reindex-error")
        c.request(t, cat, inst=inst, method="POST", path="/tasks/reindex", status=500,
                  latency=(fail - t) / SEC + 0.004, ua=SCHEDULER, trace=trace, p="catalog-reindex-500",
                  note="same trace as the reindex error")
        t2 = c.at(base + c.rng.uniform(0.0, 0.3))
        trace2 = c.new_trace()
        c.jlog(t2 + c.jitter(0.002, 0.01), mail, ma, "INFO", f"sending digest batch ({c.rng.randint(150, 260)} "
               "recipients)", trace=trace2)
        if rnd == 3:
            done = t2 + c.jitter(2.0, 3.0)
            c.jlog(done, mail, ma, "INFO", "digest batch sent", trace=trace2)
            c.request(t2, mail, inst=ma, method="POST", path="/tasks/send-digest", status=200,
                      latency=(done - t2) / SEC + 0.01, ua=SCHEDULER, trace=trace2)
            continue
        err = t2 + c.jitter(0.8, 1.8)
        c.jlog(err, mail, ma, "ERROR", "SMTP error 421 4.7.0 smtp-relay.acme-market.example: too many concurrent "
               "connections, try again later", extra={"component": "smtp"}, trace=trace2, p="mailer-smtp-421")
        c.request(t2, mail, inst=ma, method="POST", path="/tasks/send-digest", status=500,
                  latency=(err - t2) / SEC + 0.006, ua=SCHEDULER, trace=trace2, p="mailer-digest-500",
                  note="same trace as the SMTP error")

    c.problem("catalog-reindex-error", title_has=["Reindex failed"])
    c.problem("catalog-reindex-500", caused_by="catalog-reindex-error")
    c.problem("mailer-smtp-421", title_has=["421"])
    c.problem("mailer-digest-500", caused_by="mailer-smtp-421")
    c.together(("catalog-reindex-error", "mailer-smtp-421"))
    return c


# --------------------------------------------------------------------------- 14. chain-three-levels


def sc_chain_three_levels() -> Scenario:
    c = Scenario(
        "chain-three-levels", seed=9114, project="acme-auth", start="2025-10-19T06:55:00",
        about=("session-api (Node 20 cluster: a primary forks 2 workers; JSON logs with severity). Overnight it "
               "scaled to zero; at 07:00 its Memorystore Redis is in a maintenance failover and refuses "
               "connections for ~6 minutes. Each of 6 starts in that time: both workers log 'Redis connection "
               "error: connect ECONNREFUSED 10.40.0.12:6379' three times (ERROR), then 'cache init failed: Redis "
               "10.40.0.12:6379 unreachable after 3 attempts' (ERROR) and exit; the primary logs 'worker N exited "
               "with code 1 during start-up' (ERROR) for each and exits when none is left ('Container called "
               "exit(1).'); nothing listened, so the start-up probe fails, and the requests that waited for that "
               "instance answer 503 with its instanceId. When Redis is back the next start succeeds and serves. "
               "TRUE CHAIN (5 links deep): redis-refused -> cache-init-failed -> worker-exit -> container-exit -> "
               "startup-probe -> request-503. A healthy instance served before the failover."),
        sources=[SRC_NODE_CLUSTER, SRC_STRUCTURED, SRC_CONTAINER_CONTRACT, SRC_PROBES, SRC_REQUEST_LOGS,
                 SRC_TROUBLESHOOT, SRC_STARTING,
                 "https://cloud.google.com/memorystore/docs/redis/about-maintenance (failover during maintenance)",
                 "https://github.com/redis/ioredis#auto-reconnect (connect ECONNREFUSED errors)"])
    s = Svc("session-api", "session-api-00019-zen")
    early = c.instance()

    def ok(t: int, inst: str) -> None:
        trace = c.new_trace()
        method, path = c.rng.choice([("POST", "/v1/sessions"), ("GET", "/v1/sessions/s_{n}"),
                                     ("DELETE", "/v1/sessions/s_{n}"), ("GET", "/healthz")])
        path = path.replace("{n}", c.hexstr(8))
        c.request(t, s, inst=inst, method=method, path=path, status=201 if method == "POST" else 200,
                  latency=c.rng.uniform(0.003, 0.06), trace=trace, ua=MOBILE)
        if method == "POST" and c.rng.random() < 0.6:
            c.jlog(t + c.jitter(0.002, 0.02), s, inst, "INFO", "session created", extra={"pid": 23, "ttl_s": 3600},
                   trace=trace)

    def boot_ok(t: int, inst: str) -> int:
        c.starting(t, s, inst)
        t += c.jitter(0.8, 1.2)
        c.jlog(t, s, inst, "INFO", "primary 1 is running, forking 2 workers", extra={"pid": 1})
        for pid in (23, 24):
            t += c.jitter(0.3, 0.6)
            c.jlog(t, s, inst, "INFO", "cache ready (redis 10.40.0.12:6379)", extra={"pid": pid})
            c.jlog(t + 2_000, s, inst, "INFO", "worker listening on :8080", extra={"pid": pid})
        c.probe_ok(t + c.jitter(0.05, 0.2), s, inst, "session-api-1")
        return t

    def failed_start(t: int) -> int:
        inst = c.instance()
        start = t
        c.starting(t, s, inst)
        t += c.jitter(0.8, 1.2)
        c.jlog(t, s, inst, "INFO", "primary 1 is running, forking 2 workers", extra={"pid": 1})
        pids = [c.rng.randint(20, 40)]
        pids.append(pids[0] + 1)
        w = t + c.jitter(0.3, 0.5)
        ends = []
        for k, pid in enumerate(pids):
            u = w + k * c.rng.randint(5_000, 60_000)
            for attempt in (1, 2, 3):
                c.jlog(u, s, inst, "ERROR", "Redis connection error: connect ECONNREFUSED 10.40.0.12:6379",
                       extra={"pid": pid, "attempt": attempt, "code": "ECONNREFUSED"}, p="redis-refused")
                u += c.jitter(0.5, 0.55)
            c.jlog(u, s, inst, "ERROR", "cache init failed: Redis 10.40.0.12:6379 unreachable after 3 attempts",
                   extra={"pid": pid}, p="cache-init-failed")
            ends.append(u)
        for pid, u in zip(pids, ends, strict=True):
            c.jlog(u + c.jitter(0.02, 0.06), s, inst, "ERROR", f"worker {pid} exited with code 1 during start-up",
                   extra={"pid": 1, "worker": pid, "code": 1}, p="worker-exit")
        t = max(ends) + c.jitter(0.3, 0.5)
        c.exit_called(t, s, inst, 1, "session-api-1", "container-exit")
        t += c.jitter(0.05, 0.2)
        c.probe_failed(t, s, inst, "session-api-1", "startup-probe")
        for _ in range(c.rng.randint(1, 3)):
            arrive = start - c.rng.randint(0, 300_000) + c.rng.randint(0, t - start - 200_000)
            c.request(arrive, s, inst=inst, method=c.rng.choice(["POST", "GET"]), path="/v1/sessions", status=503,
                      latency=(t - arrive) / SEC + 0.004, ua=MOBILE, text=MALFORMED, p="request-503",
                      note="waited for this instance, which was never started")
        return t

    t = c.at(0)
    boot_ok(t, early)
    sec = 5.0
    while sec < 220:
        ok(c.at(sec), early)
        sec += c.rng.uniform(3.0, 8.0)
    t = c.at(300)
    for _ in range(6):
        t = failed_start(t) + c.jitter(20, 45)
    late = c.instance()
    u = boot_ok(t, late)
    sec = (u - c.t0) / SEC + 1
    while sec < (u - c.t0) / SEC + 200:
        ok(c.at(sec), late)
        sec += c.rng.uniform(3.0, 8.0)

    c.problem("redis-refused", title_has=["ECONNREFUSED"])
    c.problem("cache-init-failed", caused_by="redis-refused")
    c.problem("worker-exit", caused_by="cache-init-failed")
    c.problem("container-exit", caused_by="worker-exit")
    c.problem("startup-probe", caused_by="container-exit")
    c.problem("request-503", caused_by="startup-probe")
    return c


SCENARIOS: list[Callable[[], Scenario]] = [
    sc_crash_loop_chain, sc_db_timeout_start, sc_handler_500_same_trace, sc_upstream_timeout_502, sc_twelve_once,
    sc_bad_deploy_startup_errors, sc_periodic_error_and_oom, sc_rare_after_frequent, sc_precursor_not_specific,
    sc_revision_without_instance, sc_truncated_collector, sc_two_incidents_overlap, sc_two_services,
    sc_chain_three_levels,
]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    if out.exists():
        for child in sorted(out.iterdir()):
            if child.is_dir():
                shutil.rmtree(child)
    out.mkdir(parents=True, exist_ok=True)
    total = {"entries": 0, "select": 0, "labels": 0, "links": 0}
    for make in SCENARIOS:
        st = make().write(out)
        for k in ("entries", "select", "labels"):
            total[k] += st[k]
        total["links"] += len(st["links"])
        print(f"{st['scenario']:<27} {st['export']:<13} {st['entries']:>4} entries {st['select']:>4} select "
              f"{st['labels']:>3} labels {len(st['links']):>2} links")
    print(f"{'total':<41} {total['entries']:>4} entries {total['select']:>4} select {total['labels']:>3} labels "
          f"{total['links']:>2} links")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
