#!/usr/bin/env python3
"""Regenerate the HELD-OUT causal scenarios in ``bench/causal/heldout/``.

    python bench/causal/make_heldout.py

rewrites the folder from scratch (fixed seeds, fixed times: byte-for-byte the same output on every run). Each
scenario is one Cloud Run export (a service, a job, or two services) with a known causal truth: which problems are
roots (filed as their own issue) and which are consequences (``caused_by`` their DIRECT cause). Format: see
``/work/notes/corpus-spec.md`` and ``/work/notes/causal-spec.md``; every ``expect.json`` has ``"causal": true``.

These scenarios are held out: the causal analysis was not designed on them. Use them only to measure it; do not
tune rules to them. The services, ids and messages are invented; the line formats follow the frameworks' and Cloud
Run's documented output (listed in each scenario's ``sources``).
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "heldout"
ESC = "\x1b"

RUN_LOGGING = "https://cloud.google.com/run/docs/logging"
STRUCTURED = "https://cloud.google.com/logging/docs/structured-logging"
TROUBLESHOOT = "https://cloud.google.com/run/docs/troubleshooting"
AUDIT = "https://cloud.google.com/run/docs/audit-logging"
HEALTHCHECKS = "https://cloud.google.com/run/docs/configuring/healthchecks"
MEMORY = "https://cloud.google.com/run/docs/configuring/memory-limits"
CLOUD_RUN_SOURCES = [RUN_LOGGING, STRUCTURED, TROUBLESHOOT]

# Cloud Run's own messages (run.googleapis.com/varlog/system and run.googleapis.com/requests)
START_AUTOSCALING = (
    "Starting new instance. Reason: AUTOSCALING - Instance started due to configured scaling factors "
    "(e.g. CPU utilization, request throughput, etc.) or no existing capacity for current traffic."
)
START_ROLLOUT = (
    "Starting new instance. Reason: DEPLOYMENT_ROLLOUT - Instance started because of a new revision rollout."
)
START_MIN = (
    "Starting new instance. Reason: MANUAL_OR_CUSTOMER_MIN_INSTANCE - Instance started because of "
    "customer-configured min-instances or manual scaling."
)
NO_INSTANCE = (
    "The request was aborted because there was no available instance. Additional troubleshooting documentation "
    "can be found at: https://cloud.google.com/run/docs/troubleshooting#abort-request"
)
MALFORMED = (
    "The request failed because either the HTTP response was malformed or connection to the instance had an "
    "error. Additional troubleshooting documentation can be found at: "
    "https://cloud.google.com/run/docs/troubleshooting#malformed-response-or-connection-error"
)


def probe_ok(container: str, port: int = 8080) -> str:
    return f'Default STARTUP TCP probe succeeded after 1 attempt for container "{container}" on port {port}.'


def probe_failed(container: str, port: int = 8080, status: str = "CANCELLED") -> str:
    return (
        f'Default STARTUP TCP probe failed 1 time consecutively for container "{container}" on port {port}. '
        f"The instance was not started. Connection failed with status {status}."
    )


def memory_exceeded(limit: int, used: int) -> str:
    return (
        f"Memory limit of {limit} MiB exceeded with {used} MiB used. Consider increasing the memory limit, see "
        "https://cloud.google.com/run/docs/configuring/memory-limits"
    )


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ms(n: float) -> timedelta:
    return timedelta(milliseconds=n)


def sec(n: float) -> timedelta:
    return timedelta(seconds=n)


LOGS = {
    "stdout": "run.googleapis.com%2Fstdout",
    "stderr": "run.googleapis.com%2Fstderr",
    "requests": "run.googleapis.com%2Frequests",
    "system": "run.googleapis.com%2Fvarlog%2Fsystem",
    "activity": "cloudaudit.googleapis.com%2Factivity",
    "system_event": "cloudaudit.googleapis.com%2Fsystem_event",
}
REGION_CODES = {"europe-west1": "ew", "us-central1": "uc", "europe-west4": "ez", "us-east1": "ue",
                "asia-northeast1": "an", "europe-north1": "lz"}


class Case:
    """One scenario: entries are added in any order and written in the export's order."""

    def __init__(
        self,
        name: str,
        *,
        fmt: str,
        project: str,
        service: str,
        date: str,
        seed: int,
        about: str,
        sources: list[str],
        region: str = "europe-west1",
        job: bool = False,
        limit: int | None = None,
    ) -> None:
        self.name = name
        self.fmt = fmt  # gcloud | jsonl | copy | entries-list
        self.project = project
        self.service = service
        self.region = region
        self.job = job
        self.date = date
        self.limit = limit  # gcloud logging read --limit N: keep only the newest N entries
        self.rng = random.Random(seed)
        self.about = about
        self.sources = sources
        self.rows: list[tuple[datetime, int, dict, dict]] = []
        self.problems: dict[str, dict] = {}
        self.seen_together: list[list[str]] = []
        self._instances: dict[str, str] = {}
        self._used_ids: set[str] = set()
        self._url_hash = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))

    # ----- building blocks
    def t(self, hms: str, day: str | None = None) -> datetime:
        """'08:02:11.118' on the case's date (or `day`), UTC."""
        return datetime.fromisoformat(f"{day or self.date}T{hms}").replace(tzinfo=UTC)

    def hexid(self, n: int) -> str:
        return "".join(self.rng.choice("0123456789abcdef") for _ in range(n))

    def inst(self, key: str) -> str:
        if key not in self._instances:
            self._instances[key] = "00" + self.hexid(142)
        return self._instances[key]

    def url(self, svc: str | None = None) -> str:
        return f"https://{svc or self.service}-{self._url_hash}-{REGION_CODES[self.region]}.a.run.app"

    def _insert_id(self) -> str:
        while True:
            value = f"{self.rng.getrandbits(96):024x}"
            if value not in self._used_ids:
                self._used_ids.add(value)
                return value

    def problem(self, label: str, *, caused_by: str | None = None, title_has=None, priority=None) -> None:
        assert label not in self.problems, label
        spec: dict = {}
        if title_has:
            spec["title_has"] = title_has
        if priority:
            spec["priority"] = priority
        if caused_by:
            spec["caused_by"] = caused_by
        self.problems[label] = spec

    def add(
        self,
        dt: datetime,
        *,
        want: str,
        problem: str | None = None,
        note: str | None = None,
        text: str | None = None,
        payload: dict | None = None,
        proto: dict | None = None,
        log: str = "stdout",
        severity: str | None = None,
        inst: str | None = None,
        rev: str | None = None,
        svc: str | None = None,
        task: tuple[str, int, int] | None = None,
        http: dict | None = None,
        trace: str | None = None,
        span: str | None = None,
        resource: dict | None = None,
    ) -> None:
        assert want in ("select", "skip"), want
        assert (want == "select") == (problem is not None), (self.name, want, problem, text, payload)
        label: dict = {"want": want, "problem": problem}
        if note:
            label["note"] = note
        entry: dict = {"insertId": self._insert_id()}
        if text is not None:
            entry["textPayload"] = text
        if payload is not None:
            payload = dict(payload)
            if "severity" in payload:  # Cloud Run lifts `severity` (and the trace fields) out of a JSON line
                severity = payload.pop("severity")
            if "logging.googleapis.com/trace" in payload:
                trace = payload.pop("logging.googleapis.com/trace")
            if "logging.googleapis.com/spanId" in payload:
                span = payload.pop("logging.googleapis.com/spanId")
            entry["jsonPayload"] = payload
        if proto is not None:
            entry["protoPayload"] = proto
        assert sum(k in entry for k in ("textPayload", "jsonPayload", "protoPayload")) <= 1
        assert http is not None or sum(k in entry for k in ("textPayload", "jsonPayload", "protoPayload")) == 1
        if http is not None:
            entry["httpRequest"] = http
        svc = svc or self.service
        if resource is not None:
            entry["resource"] = resource
        elif self.job:
            entry["resource"] = {
                "type": "cloud_run_job",
                "labels": {"job_name": svc, "location": self.region, "project_id": self.project},
            }
        else:
            assert rev is not None, (self.name, text, payload)
            entry["resource"] = {
                "type": "cloud_run_revision",
                "labels": {
                    "configuration_name": svc,
                    "location": self.region,
                    "project_id": self.project,
                    "revision_name": rev,
                    "service_name": svc,
                },
            }
        entry["timestamp"] = iso(dt)
        if severity is not None:
            entry["severity"] = severity
        labels: dict = {}
        if inst is not None:
            labels["instanceId"] = self.inst(inst)
        if task is not None:
            execution, index, attempt = task
            labels["run.googleapis.com/execution_name"] = execution
            labels["run.googleapis.com/task_attempt"] = str(attempt)
            labels["run.googleapis.com/task_index"] = str(index)
        if labels:
            entry["labels"] = labels
        entry["logName"] = f"projects/{self.project}/logs/{LOGS[log]}"
        if trace is not None:
            entry["trace"] = trace if trace.startswith("projects/") else f"projects/{self.project}/traces/{trace}"
        if span is not None:
            entry["spanId"] = span
        receive = dt + timedelta(microseconds=self.rng.randint(4_000, 90_000))
        if http is not None:  # a request entry is written when the response is done
            receive += timedelta(seconds=float(http["latency"].rstrip("s")))
        entry["receiveTimestamp"] = iso(receive)
        self.rows.append((dt, len(self.rows), entry, label))

    def lines(self, dt: datetime, block: str, *, want: str, problem: str | None = None, note=None, **kw) -> datetime:
        """A multi-line write to stdout/stderr: one entry per non-empty line, a few microseconds apart."""
        for line in block.split("\n"):
            if not line.strip():
                continue  # an empty line makes no entry
            self.add(dt, want=want, problem=problem, note=note, text=line, **kw)
            dt += timedelta(microseconds=self.rng.randint(2, 35))
        return dt

    def system(self, dt: datetime, text: str, severity: str, *, problem=None, note=None, **kw) -> None:
        want = "select" if severity in ("WARNING", "ERROR", "CRITICAL") else "skip"
        self.add(dt, want=want, problem=problem, note=note, text=text, log="system", severity=severity, **kw)

    def req(
        self,
        dt: datetime,
        method: str,
        path: str,
        status: int,
        *,
        rev: str | None = None,
        inst: str | None = None,
        trace: str | None = None,
        problem: str | None = None,
        note: str | None = None,
        latency: float | None = None,
        text: str | None = None,
        ua: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/124.0.0.0 Safari/537.36",
        svc: str | None = None,
        size: int | None = None,
        remote_ip: str | None = None,
        host: str | None = None,
    ) -> str:
        """A request log entry (timestamp = when the request arrived; receiveTimestamp after its latency)."""
        if latency is None:
            latency = self.rng.uniform(0.008, 0.240)
        severity = "ERROR" if status >= 500 else "WARNING" if status >= 400 else "INFO"
        want = "select" if status >= 400 else "skip"
        if trace is None:
            trace = self.hexid(32)
        if remote_ip is None:
            remote_ip = f"{self.rng.choice((34, 35, 66, 81, 92, 104, 176, 185))}.{self.rng.randint(1, 254)}." \
                        f"{self.rng.randint(1, 254)}.{self.rng.randint(1, 254)}"
        http = {
            "latency": f"{latency:.9f}s",
            "protocol": "HTTP/1.1",
            "remoteIp": remote_ip,
            "requestMethod": method,
            "requestSize": str(self.rng.randint(280, 1900) if method in ("POST", "PUT", "PATCH")
                               else self.rng.randint(90, 700)),
            "requestUrl": (host or self.url(svc)) + path,
            "responseSize": str(size if size is not None else (self.rng.randint(120, 18000) if status < 500
                                                                 else self.rng.randint(0, 420))),
            "serverIp": "216.239.36.53",
            "status": status,
            "userAgent": ua,
        }
        self.add(dt, want=want, problem=problem, note=note, text=text, log="requests", severity=severity,
                 inst=inst, rev=rev, svc=svc, http=http, trace=trace, span=self.hexid(16))
        return trace

    def deploy(self, dt: datetime, *, principal: str, what: str = "service", svc: str | None = None,
               method: str = "google.cloud.run.v1.Services.ReplaceService", agent: str = "command/gcloud.run.deploy",
               note: str | None = None) -> None:
        """An admin-activity audit entry (NOTICE): a deploy / traffic change, not a problem."""
        svc = svc or self.service
        if self.job:
            resource = {"type": "cloud_run_job",
                        "labels": {"job_name": svc, "location": self.region, "project_id": self.project}}
            name = f"namespaces/{self.project}/jobs/{svc}"
        else:
            resource = {"type": "cloud_run_revision",
                        "labels": {"configuration_name": "", "location": self.region, "project_id": self.project,
                                   "revision_name": "", "service_name": svc}}
            name = f"namespaces/{self.project}/services/{svc}"
        proto = {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "authenticationInfo": {"principalEmail": principal},
            "methodName": method,
            "requestMetadata": {
                "callerIp": f"35.{self.rng.randint(180, 240)}.{self.rng.randint(1, 254)}.{self.rng.randint(1, 254)}",
                "callerSuppliedUserAgent": f"google-cloud-sdk gcloud/478.0.0 {agent} invocation-id/"
                                           f"{self.hexid(32)} environment/None environment-version/None "
                                           "client-os/LINUX client-os-ver/6.1.0 client-pltf-arch/x86_64 "
                                           "interactive/False from-script/True python/3.11.8 term/ (Linux 6.1.0),"
                                           "gzip(gfe)",
            },
            "resourceLocation": {"currentLocations": [self.region]},
            "resourceName": name,
            "serviceName": "run.googleapis.com",
        }
        self.add(dt, want="skip", note=note or f"audit: {what} deploy marker (NOTICE)", proto=proto,
                 log="activity", severity="NOTICE", resource=resource)

    def ready_false(self, dt: datetime, rev: str, port: int, *, problem: str, note: str | None = None) -> None:
        """The system-event audit entry Cloud Run writes when a new revision fails to become ready."""
        logs_url = (
            f"https://console.cloud.google.com/logs/viewer?project={self.project}&resource=cloud_run_revision/"
            f"service_name/{self.service}/revision_name/{rev}&advancedFilter=resource.type%3D%22cloud_run_revision"
            f"%22%0Aresource.labels.service_name%3D%22{self.service}%22%0Aresource.labels.revision_name%3D%22{rev}%22"
        )
        detail = (
            f"The user-provided container failed to start and listen on the port defined provided by the "
            f"PORT={port} environment variable within the allocated timeout. This can happen when the container "
            "port is misconfigured or if the timeout is too short. The health check timeout can be extended. Logs "
            f"for this revision might contain more information.\n\nLogs URL: {logs_url}\nFor more troubleshooting "
            "guidance, see https://cloud.google.com/run/docs/troubleshooting#container-failed-to-start"
        )
        proto = {
            "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
            "methodName": "google.cloud.run.v1.Services.ReplaceService",
            "resourceName": f"namespaces/{self.project}/revisions/{rev}",
            "response": {
                "apiVersion": "serving.knative.dev/v1",
                "kind": "Revision",
                "metadata": {"name": rev, "namespace": self.project},
                "status": {
                    "conditions": [
                        {"message": detail, "reason": "HealthCheckContainerError", "status": "False",
                         "type": "Ready"},
                        {"message": "Container failed to start.", "reason": "HealthCheckContainerError",
                         "severity": "Error", "status": "False", "type": "ContainerHealthy"},
                    ],
                    "observedGeneration": 1,
                },
            },
            "serviceName": "run.googleapis.com",
            "status": {"code": 9, "message": f"Ready condition status changed to False for Revision {rev} with "
                                              f"message: {detail}"},
        }
        resource = {"type": "cloud_run_revision",
                    "labels": {"configuration_name": self.service, "location": self.region,
                               "project_id": self.project, "revision_name": rev, "service_name": self.service}}
        self.add(dt, want="select", problem=problem, note=note, proto=proto, log="system_event", severity="ERROR",
                 resource=resource)

    # ----- output
    def write(self) -> tuple[int, int, int, int, int]:
        folder = OUT / self.name
        folder.mkdir(parents=True)
        rows = sorted(self.rows, key=lambda r: (r[0], r[1]))
        if self.limit is not None:
            rows = rows[-self.limit:]
        if self.fmt == "gcloud":
            rows.reverse()  # gcloud logging read: newest first
        objs = [row[2] for row in rows]
        entries = {row[2]["insertId"]: row[3] for row in rows}
        if self.fmt == "gcloud":
            text = json.dumps(objs, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            (folder / "export.json").write_text(text, encoding="utf-8", newline="\n")
        elif self.fmt == "jsonl":
            text = "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objs)
            (folder / "export.jsonl").write_text(text, encoding="utf-8", newline="\n")
        elif self.fmt == "copy":
            text = "\n".join(json.dumps(_explorer_order(o), indent=2, ensure_ascii=False) for o in objs) + "\n"
            (folder / "export.json").write_text(text, encoding="utf-8", newline="\n")
        elif self.fmt == "entries-list":
            token = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                            for _ in range(120))
            doc = {"entries": objs, "nextPageToken": token}
            text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
            (folder / "export.json").write_text(text, encoding="utf-8", newline="\n")
        else:
            raise ValueError(self.fmt)
        used = {lab["problem"] for lab in entries.values() if lab["problem"]}
        problems = {label: spec for label, spec in self.problems.items() if label in used}
        assert used == set(problems), (self.name, used ^ set(problems))
        unused = set(self.problems) - used
        assert self.limit is not None or not unused, (self.name, unused)
        for label, spec in problems.items():  # causes exist, no cycles
            seen = {label}
            cur = spec.get("caused_by")
            while cur is not None:
                assert cur in problems, (self.name, label, cur)
                assert cur not in seen, (self.name, "cycle", label)
                seen.add(cur)
                cur = problems[cur].get("caused_by")
        for pair in self.seen_together:
            assert all(p in problems and "caused_by" not in problems[p] for p in pair), (self.name, pair)
        expect: dict = {"about": self.about, "causal": True, "sources": self.sources, "entries": entries,
                        "problems": problems}
        if self.seen_together:
            expect["seen_together"] = self.seen_together
        (folder / "expect.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8", newline="\n")
        selected = sum(1 for lab in entries.values() if lab["want"] == "select")
        roots = sum(1 for spec in problems.values() if "caused_by" not in spec)
        return len(entries), selected, len(problems), roots, len(problems) - roots


EXPLORER_KEYS = ("insertId", "jsonPayload", "textPayload", "protoPayload", "httpRequest", "resource", "timestamp",
                 "severity", "labels", "logName", "trace", "spanId", "receiveTimestamp")


def _explorer_order(entry: dict) -> dict:
    """Logs Explorer's 'copy' key order: payload first, then resource, times, severity, labels, names."""
    return {k: entry[k] for k in EXPLORER_KEYS if k in entry} | {k: v for k, v in entry.items()
                                                                 if k not in EXPLORER_KEYS}


# =====================================================================================================================
# 1. Node 22 / Express: a new secret version is malformed JSON; every NEW instance dies on an unhandled rejection
# =====================================================================================================================


def node_shopfront() -> Case:
    c = Case(
        "node-express-shopfront-config-crashloop",
        fmt="gcloud",
        project="brightcart-prod",
        service="shopfront-api",
        date="2025-06-03",
        seed=1101,
        about=(
            "A Node 22 / Express 4 storefront API (a small JSON logger on stdout: severity, message and "
            "logging.googleapis.com/trace) on ONE revision that has served since the day before. At start every "
            "instance reads its configuration from Secret Manager ('latest') inside an async main() that nobody "
            "awaits. Around 10:20 a new secret version with a trailing comma was added. The warm instances h1 and h2 "
            "keep serving (they loaded the old version), but every NEW instance the autoscaler starts during the "
            "late-morning peak rejects in JSON.parse: Node prints the unhandled rejection (one entry per line, no "
            "severity) and exits 1, Cloud Run logs 'Container called exit(1).' and the failed STARTUP TCP probe, and "
            "the requests that were waiting for the extra capacity are aborted with 503 (no instanceId) on two "
            "routes. Seven failed starts in 20 minutes, then the secret is fixed and c8 starts cleanly. Links to "
            "find: exit <- rejection, probe <- exit, each 503 route <- probe (the scorer accepts any ancestor on "
            "that chain). Traps: the punycode DeprecationWarning is printed by EVERY start - the healthy starts at "
            "09:00 and 10:54 too - a few ms before the crash on the failing ones: an independent root (P3), never "
            "the cause. The Stripe webhook signature warning and the 400 of the same request (same trace) are a "
            "true link of their own, unrelated to the crash loop even when one lands in the middle of it on a warm "
            "instance (10:41). No Ready=False event: the revision was already serving and stays Ready, Cloud Run "
            "writes none. gcloud JSON export, newest first."
        ),
        sources=[
            "https://nodejs.org/api/cli.html#--unhandled-rejectionsmode (default 'throw': an unhandled rejection "
            "is raised as an uncaught exception, the process exits 1)",
            "https://nodejs.org/api/deprecations.html#DEP0040 (punycode runtime deprecation warning text)",
            "https://nodejs.org/api/process.html#event-warning (warnings printed to stderr as '(node:PID) ...')",
            "https://docs.stripe.com/webhooks#verify-events (signature verification failure)",
            "https://cloud.google.com/run/docs/configuring/services/secrets (secrets read at instance start)",
            *CLOUD_RUN_SOURCES,
            HEALTHCHECKS,
        ],
    )
    rev = "shopfront-api-00042-kav"
    container = "shopfront-api-1"
    c.problem("config-json-rejection", title_has=["SyntaxError"], priority=["P0", "P1"])
    c.problem("crash-exit", caused_by="config-json-rejection")
    c.problem("startup-probe", caused_by="crash-exit")
    c.problem("503-products", caused_by="startup-probe")
    c.problem("503-cart-items", caused_by="startup-probe")
    c.problem("punycode-deprecation", title_has=["punycode"], priority=["P2", "P3"])
    c.problem("stripe-signature", title_has=["signature"], priority=["P2", "P3"])
    c.problem("webhook-400", caused_by="stripe-signature")

    def jl(dt: datetime, key: str, sev: str, msg: str, *, problem=None, trace=None, note=None, **fields) -> None:
        payload = {"severity": sev, "message": msg, **fields}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
        want = "select" if sev in ("WARNING", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    deprecation = (
        "(node:1) [DEP0040] DeprecationWarning: The `punycode` module is deprecated. Please use a userland "
        "alternative instead.\n"
        "(Use `node --trace-deprecation ...` to show where the warning was created)"
    )
    crash = (
        "node:internal/process/promises:391\n"
        "    triggerUncaughtException(err, true /* fromPromise */);\n"
        "    ^\n"
        "\n"
        "SyntaxError: Expected double-quoted property name in JSON at position 1184 (line 41 column 5)\n"
        "    at JSON.parse (<anonymous>)\n"
        "    at parseConfig (/app/src/config/load.js:37:22)\n"
        "    at loadConfig (/app/src/config/load.js:58:10)\n"
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
        "    at async main (/app/src/server.js:14:18)\n"
        "\n"
        "Node.js v22.3.0"
    )

    def start(dt: datetime, key: str, *, crash_now: bool, version: int = 0, reason: str = START_AUTOSCALING) -> None:
        c.system(dt, reason, "INFO", inst=key, rev=rev)
        dt += ms(c.rng.randint(900, 1600))
        dt = c.lines(dt, deprecation, want="select", problem="punycode-deprecation", log="stderr", inst=key, rev=rev,
                     note="printed by every start, healthy or not: independent of the crash")
        dt += ms(c.rng.randint(20, 60))
        jl(dt, key, "INFO", "loading configuration", source="secretmanager", secret="shopfront-config",
           version="latest")
        dt += ms(c.rng.randint(150, 320))
        if crash_now:
            c.lines(dt, crash, want="select", problem="config-json-rejection", log="stderr", inst=key, rev=rev)
            dt += ms(c.rng.randint(80, 250))
            c.system(dt, "Container called exit(1).", "WARNING", problem="crash-exit", inst=key, rev=rev)
            dt += ms(c.rng.randint(95, 160))
            c.system(dt, probe_failed(container), "ERROR", problem="startup-probe", inst=key, rev=rev)
            return
        jl(dt, key, "INFO", "configuration loaded", secretVersion=version, keys=37)
        jl(dt + ms(41), key, "INFO", "redis connected", host="10.14.0.5:6379", db=0)
        jl(dt + ms(97), key, "INFO", "shopfront-api listening on :8080", pid=1, node="v22.3.0", env="production")
        c.system(dt + ms(c.rng.randint(250, 500)), probe_ok(container), "INFO", inst=key, rev=rev)

    routes = [
        ("GET", "/api/products?category={cat}", 5),
        ("GET", "/api/products/{sku}", 5),
        ("GET", "/api/cart", 3),
        ("POST", "/api/cart/items", 2),
        ("GET", "/api/categories", 1),
    ]
    cats = ["shoes", "outdoor", "kitchen", "garden", "kids", "sale"]

    def traffic(begin: datetime, end: datetime, keys: list[str], gap: float) -> None:
        dt = begin
        while True:
            dt += sec(c.rng.expovariate(1 / gap))
            if dt >= end:
                return
            method, path, _ = c.rng.choices(routes, weights=[r[2] for r in routes])[0]
            path = path.format(cat=c.rng.choice(cats), sku=f"sku-{c.rng.randint(10000, 99999)}")
            key = c.rng.choice(keys)
            trace = c.req(dt, method, path, 201 if method == "POST" else 200, rev=rev, inst=key,
                          latency=c.rng.uniform(0.012, 0.35))
            if method == "POST":
                jl(dt + ms(c.rng.randint(8, 60)), key, "INFO", "cart item added", trace=trace,
                   cartId=f"c_{c.hexid(10)}", qty=c.rng.randint(1, 3))
            elif c.rng.random() < 0.15:
                jl(dt + ms(c.rng.randint(3, 30)), key, "INFO", "product list served from cache", trace=trace,
                   hit=True, ageMs=c.rng.randint(200, 50000))

    # healthy morning: two instances (min-instances 2)
    start(c.t("09:00:04.118204"), "h1", crash_now=False, version=14, reason=START_MIN)
    start(c.t("09:00:04.530921"), "h2", crash_now=False, version=14, reason=START_MIN)
    traffic(c.t("09:00:09"), c.t("11:30:00"), ["h1", "h2"], 60.0)

    # the crash loop: every new instance fails; requests waiting for it are aborted (no instanceId)
    failed = ["10:31:12.402117", "10:32:05.880412", "10:33:40.120554", "10:35:58.714401", "10:39:21.330872",
              "10:44:02.951230", "10:50:37.402998"]
    for n, hms in enumerate(failed, 1):
        t0 = c.t(hms)
        start(t0, f"c{n}", crash_now=True)
        for _ in range(c.rng.randint(1, 4)):
            arrive = t0 + sec(c.rng.uniform(-6, 18))
            if c.rng.random() < 0.6:
                path, label = f"/api/products?category={c.rng.choice(cats)}", "503-products"
                method = "GET"
            else:
                path, label, method = "/api/cart/items", "503-cart-items", "POST"
            c.req(arrive, method, path, 503, rev=rev, text=NO_INSTANCE, problem=label,
                  latency=c.rng.uniform(2.5, 11.0), size=0,
                  note="aborted while the new instance failed to start: no instanceId")
    # fixed secret (version 16): a healthy start, the deprecation warning again
    start(c.t("10:54:31.227310"), "c8", crash_now=False, version=16)
    traffic(c.t("10:54:34"), c.t("11:30:00"), ["c8"], 140.0)

    # Stripe webhook signature failures: a true link (same trace), unrelated to the crash loop
    for hms, key in (("09:22:47.330114", "h1"), ("10:41:05.017732", "h2"), ("11:14:52.660481", "c8")):
        dt = c.t(hms)
        trace = c.req(dt, "POST", "/webhooks/stripe", 400, rev=rev, inst=key, problem="webhook-400",
                      ua="Stripe/1.0 (+https://stripe.com/docs/webhooks)", latency=c.rng.uniform(0.004, 0.02))
        jl(dt + ms(c.rng.randint(2, 6)), key, "WARNING", "Stripe webhook signature verification failed",
           problem="stripe-signature", trace=trace, eventId=f"evt_{c.hexid(24)}",
           reason="No signatures found matching the expected signature for payload")
    c.seen_together.append(["punycode-deprecation", "config-json-rejection"])
    return c


# =====================================================================================================================
# 2. Spring Boot 3 / HikariCP: the pool is exhausted by long exports; handlers throw, requests answer 500
# =====================================================================================================================

SPRING_TAIL = (
    "\tat org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle("
    "ServletInvocableHandlerMethod.java:118)\n"
    "\tat org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod("
    "RequestMappingHandlerAdapter.java:926)\n"
    "\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)\n"
    "\tat org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)\n"
    "\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)\n"
    "\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)\n"
    "\tat org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:195)\n"
    "\tat org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)\n"
    "\tat org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391)\n"
    "\tat org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1736)\n"
    "\tat org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191)\n"
    "\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)\n"
    "\tat java.base/java.lang.Thread.run(Thread.java:1583)"
)


def spring_orders() -> Case:
    c = Case(
        "spring-boot-orders-hikari-exhausted",
        fmt="jsonl",
        project="tallyhub-prod",
        service="orders-service",
        date="2025-04-14",
        seed=2202,
        about=(
            "A Java 21 / Spring Boot 3.3 order service (Tomcat, Hibernate 6, HikariCP pool of 10) logging JSON "
            "through Spring Cloud GCP's StackdriverJsonLayout (severity, logger, thread, the stack trace inside "
            "message, logging.googleapis.com/trace lifted to the entry's trace), two instances, JSON Lines from a "
            "Cloud Storage sink. At 09:10 a BI tool starts 20 CSV exports that each hold a connection for about 5 "
            "minutes (they succeed: 200 after ~5 min, INFO). For those 5 minutes every request that needs the "
            "database waits 30 s for a connection and fails: per request, on the same trace, Hibernate's "
            "SqlExceptionHelper logs 'SQL Error: 0, SQLState: null' (WARN) and the Hikari timeout message (ERROR), "
            "then Tomcat/Spring logs the handler's CannotCreateTransactionException with the Hikari exception as "
            "root cause, and the request answers 500 (request entry timestamped at arrival, 30 s BEFORE the app "
            "errors, latency 30 s). The root among the logged problems is the Hikari timeout (the exports log no "
            "error). Links to find: the SQLState WARN and the handler exception <- Hikari timeout; the 500s of POST "
            "/api/orders and of GET /api/orders/{id} <- the handler exception. Traps: the FX scheduler warning every "
            "10 minutes on both instances all day (root, P3; it fires inside the incident too); an NPE on the "
            "invoice endpoint with its own 500s (same trace: 500 <- NPE), one of them 3 minutes after the pool "
            "recovered: not part of the pool incident; Hibernate's dialect warning at each start (root, P3)."
        ),
        sources=[
            "https://googlecloudplatform.github.io/spring-cloud-gcp/reference/html/logging.html "
            "(StackdriverJsonLayout fields)",
            "https://github.com/brettwooldridge/HikariCP (pool timeout message 'Connection is not available, "
            "request timed out after ...ms (total=, active=, idle=, waiting=)')",
            "https://docs.jboss.org/hibernate/orm/6.4/logging/logging.html (HHH90000025 dialect warning; "
            "SqlExceptionHelper 'SQL Error: ..., SQLState: ...')",
            "https://docs.spring.io/spring-framework/reference/data-access/transaction.html "
            "(CannotCreateTransactionException 'Could not open JPA EntityManager for transaction')",
            "https://docs.spring.io/spring-boot/reference/features/logging.html",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "orders-service-00087-jib"
    c.problem("hikari-timeout", title_has=["Connection is not available"], priority=["P0", "P1"])
    c.problem("sqlstate-warn", caused_by="hikari-timeout")
    c.problem("cannot-create-tx", caused_by="hikari-timeout", title_has=["CannotCreateTransactionException"])
    c.problem("500-post-orders", caused_by="cannot-create-tx")
    c.problem("500-get-order", caused_by="cannot-create-tx")
    c.problem("invoice-npe", title_has=["NullPointerException"], priority=["P1", "P2"])
    c.problem("500-invoice", caused_by="invoice-npe")
    c.problem("fx-stale", title_has=["stale"], priority=["P2", "P3"])
    c.problem("dialect-warning", title_has=["HHH90000025"], priority=["P3"])
    c.seen_together.append(["fx-stale", "hikari-timeout"])
    threads: dict[str, int] = {}

    def jl(dt: datetime, key: str, sev: str, logger: str, msg: str, *, problem=None, trace=None, thread=None,
           note=None) -> None:
        payload = {"context": "default", "logger": logger, "message": msg, "severity": sev,
                   "thread": thread or "main"}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
            payload["logging.googleapis.com/spanId"] = c.hexid(16)
        want = "select" if sev in ("WARN", "WARNING", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    def http_thread(key: str) -> str:
        threads[key] = threads.get(key, 0) % 200 + 1
        return f"http-nio-8080-exec-{threads[key]}"

    def boot(dt: datetime, key: str) -> None:
        c.system(dt, START_ROLLOUT, "INFO", inst=key, rev=rev)
        dt += ms(c.rng.randint(2200, 2900))
        seq = [
            ("INFO", "com.tallyhub.orders.OrdersApplication", "Starting OrdersApplication v2.14.3 using Java "
             "21.0.3 with PID 1 (/app/orders-service.jar started by cnb in /workspace)"),
            ("INFO", "com.tallyhub.orders.OrdersApplication", 'The following 1 profile is active: "prod"'),
            ("INFO", "org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
             "Tomcat initialized with port 8080 (http)"),
            ("INFO", "org.hibernate.jpa.internal.util.LogHelper", "HHH000204: Processing PersistenceUnitInfo "
             "[name: default]"),
            ("INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting..."),
            ("INFO", "com.zaxxer.hikari.pool.HikariPool", "HikariPool-1 - Added connection "
             f"org.postgresql.jdbc.PgConnection@{c.hexid(8)}"),
            ("INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed."),
            ("WARN", "org.hibernate.orm.deprecation", "HHH90000025: PostgreSQLDialect does not need to be "
             "specified explicitly using 'hibernate.dialect' (remove the property setting and it will be selected "
             "by default)"),
            ("INFO", "org.springframework.boot.web.embedded.tomcat.TomcatWebServer",
             "Tomcat started on port 8080 (http) with context path '/'"),
            ("INFO", "com.tallyhub.orders.OrdersApplication",
             f"Started OrdersApplication in {c.rng.uniform(8.5, 10.5):.3f} seconds (process running for "
             f"{c.rng.uniform(10.6, 11.4):.3f})"),
        ]
        for sev, logger, msg in seq:
            dt += ms(c.rng.randint(40, 1400))
            jl(dt, key, sev, logger, msg, problem="dialect-warning" if sev == "WARN" else None,
               note="logged by every start: a configuration warning, independent" if sev == "WARN" else None)
        c.system(dt + ms(180), probe_ok("orders-service-1"), "INFO", inst=key, rev=rev)

    def dispatcher_failure(cause: str, frames: str) -> str:
        return (
            "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
            f"processing failed: {cause}] with root cause\n{frames}\n{SPRING_TAIL}"
        )

    def hikari_frames(waiting: int, ms_: int, controller: str) -> str:
        return (
            f"java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed "
            f"out after {ms_}ms (total=10, active=10, idle=0, waiting={waiting})\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
            "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
            "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:99)\n"
            "\tat org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection("
            "DatasourceConnectionProviderImpl.java:122)\n"
            "\tat org.hibernate.internal.NonContextualJdbcConnectionAccess.obtainConnection("
            "NonContextualJdbcConnectionAccess.java:46)\n"
            "\tat org.hibernate.resource.jdbc.internal.LogicalConnectionManagedImpl.acquireConnectionIfNeeded("
            "LogicalConnectionManagedImpl.java:126)\n"
            "\tat org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:420)\n"
            "\tat org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction("
            "AbstractPlatformTransactionManager.java:532)\n"
            "\tat org.springframework.transaction.interceptor.TransactionAspectSupport.invokeWithinTransaction("
            "TransactionAspectSupport.java:386)\n"
            "\tat org.springframework.transaction.interceptor.TransactionInterceptor.invoke("
            "TransactionInterceptor.java:119)\n"
            f"\tat com.tallyhub.orders.web.OrderController.{controller}"
        )

    incident = (c.t("09:10:31"), c.t("09:15:40"))

    def order_failure(dt: datetime, key: str, method: str, path: str) -> None:
        label = "500-post-orders" if method == "POST" else "500-get-order"
        wait = c.rng.randint(30000, 30006)
        trace = c.req(dt, method, path, 500, rev=rev, inst=key, problem=label, latency=wait / 1000 + 0.02,
                      ua="tallyhub-web/5.2 (+okhttp/4.12.0)")
        thread = http_thread(key)
        t1 = dt + ms(wait + c.rng.randint(1, 4))
        waiting = c.rng.randint(9, 19)
        jl(t1, key, "WARN", "org.hibernate.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: null",
           problem="sqlstate-warn", trace=trace, thread=thread)
        jl(t1 + timedelta(microseconds=180), key, "ERROR", "org.hibernate.engine.jdbc.spi.SqlExceptionHelper",
           f"HikariPool-1 - Connection is not available, request timed out after {wait}ms (total=10, active=10, "
           f"idle=0, waiting={waiting})", problem="hikari-timeout", trace=trace, thread=thread)
        controller = "create(OrderController.java:58)" if method == "POST" else "get(OrderController.java:41)"
        jl(t1 + ms(c.rng.randint(2, 5)), key, "ERROR",
           "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]",
           dispatcher_failure("org.springframework.transaction.CannotCreateTransactionException: Could not open JPA "
                              "EntityManager for transaction", hikari_frames(waiting, wait, controller)),
           problem="cannot-create-tx", trace=trace, thread=thread)

    routes = [("GET", "/api/orders/{oid}", 6), ("POST", "/api/orders", 3), ("GET", "/api/catalog/prices", 3),
              ("GET", "/api/customers/{cid}/orders", 2)]

    def traffic(begin: datetime, end: datetime, gap: float, only_orders: bool = False) -> None:
        dt = begin
        while True:
            dt += sec(c.rng.expovariate(1 / gap))
            if dt >= end:
                return
            pool = routes[:2] if only_orders else routes
            method, path, _ = c.rng.choices(pool, weights=[r[2] for r in pool])[0]
            path = path.format(oid=f"ord_{c.hexid(12)}", cid=f"cus_{c.hexid(8)}")
            key = c.rng.choice(["i1", "i2"])
            if incident[0] <= dt <= incident[1] and "/api/orders" in path and "customers" not in path:
                order_failure(dt, key, method, path)
                continue
            if incident[0] <= dt <= incident[1] and "customers" in path:
                continue  # (also a DB route: nobody asked for it during the incident)
            trace = c.req(dt, method, path, 201 if method == "POST" else 200, rev=rev, inst=key,
                          latency=c.rng.uniform(0.02, 0.4), ua="tallyhub-web/5.2 (+okhttp/4.12.0)")
            if method == "POST":
                jl(dt + ms(c.rng.randint(20, 180)), key, "INFO", "com.tallyhub.orders.service.OrderService",
                   f"Order ord_{c.hexid(12)} placed ({c.rng.randint(1, 9)} lines, total {c.rng.randint(9, 900)}.00 "
                   "EUR)", trace=trace, thread=http_thread(key))

    c.deploy(c.t("07:29:40.118220"), principal="cloudbuild-deployer@tallyhub-prod.iam.gserviceaccount.com")
    boot(c.t("07:30:05.220871"), "i1")
    boot(c.t("07:30:06.004127"), "i2")
    traffic(c.t("07:30:25"), c.t("10:30:00"), 75.0)
    traffic(incident[0], incident[1], 16.0, only_orders=True)

    # the exports that hold the connections (INFO: they succeed, slowly)
    for k in range(20):
        key = "i1" if k % 2 == 0 else "i2"
        dt = c.t("09:10:02.104000") + ms(c.rng.randint(0, 7000))
        took = c.rng.uniform(283.0, 366.0)
        trace = c.req(dt, "GET", f"/api/exports/orders.csv?from=2025-01-01&to=2025-03-31&part={k + 1}", 200,
                      rev=rev, inst=key, latency=took, ua="Metabase/0.49.7 (+https://www.metabase.com)",
                      size=c.rng.randint(9_000_000, 14_000_000))
        thread = http_thread(key)
        jl(dt + ms(c.rng.randint(5, 30)), key, "INFO", "com.tallyhub.orders.export.CsvExportController",
           f"Export started: orders 2025-01-01..2025-03-31 part {k + 1}/20", trace=trace, thread=thread)
        jl(dt + sec(took - 0.05), key, "INFO", "com.tallyhub.orders.export.CsvExportController",
           f"Export finished: part {k + 1}/20, {c.rng.randint(180000, 260000)} rows", trace=trace, thread=thread)

    # the FX scheduler: a warning every 10 minutes on each instance, all day
    dt = c.t("07:34:00.004000")
    while dt < c.t("10:30:00"):
        for key in ("i1", "i2"):
            age = f"PT{c.rng.randint(25, 29)}H{c.rng.randint(0, 59)}M"
            jl(dt + ms(c.rng.randint(1, 900)), key, "WARN", "com.tallyhub.orders.fx.FxRateRefresher",
               f"FX rate feed returned a stale snapshot (age {age}), keeping the previous rates",
               problem="fx-stale", thread="scheduling-1")
        dt += timedelta(minutes=10)

    # the invoice NPE: its own 500s on its own route
    npe = (
        'java.lang.NullPointerException: Cannot invoke "com.tallyhub.orders.domain.Address.getCountryCode()" '
        'because the return value of "com.tallyhub.orders.domain.Customer.getBillingAddress()" is null'
    )
    for hms, key in (("07:52:10.330418", "i1"), ("08:37:44.902113", "i2"), ("09:19:03.551207", "i1"),
                     ("10:05:30.018846", "i2")):
        dt = c.t(hms)
        oid = f"ord_{c.hexid(12)}"
        trace = c.req(dt, "GET", f"/api/orders/{oid}/invoice", 500, rev=rev, inst=key, problem="500-invoice",
                      latency=c.rng.uniform(0.05, 0.2), ua="tallyhub-web/5.2 (+okhttp/4.12.0)")
        frames = (
            f"{npe}\n"
            "\tat com.tallyhub.orders.invoice.InvoiceRenderer.taxRegion(InvoiceRenderer.java:112)\n"
            "\tat com.tallyhub.orders.invoice.InvoiceRenderer.render(InvoiceRenderer.java:64)\n"
            "\tat com.tallyhub.orders.web.InvoiceController.invoice(InvoiceController.java:33)"
        )
        jl(dt + ms(c.rng.randint(30, 120)), key, "ERROR",
           "org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]",
           dispatcher_failure(npe, frames), problem="invoice-npe", trace=trace, thread=http_thread(key))
    return c


# =====================================================================================================================
# 3. Go: a thumbnail service OOM-killed under a backfill; a constant 'cache miss' ERROR has nothing to do with it
# =====================================================================================================================


def go_thumbd() -> Case:
    c = Case(
        "go-thumbd-oom-under-backfill",
        fmt="entries-list",
        project="pixelpost-prod",
        service="thumbd",
        region="us-central1",
        date="2025-02-20",
        seed=3303,
        about=(
            "A Go 1.22 thumbnail service (log/slog JSON handler with ReplaceAttr renaming level->severity and "
            "msg->message, the trace in logging.googleapis.com/trace), 512 MiB, concurrency 40, Logging API "
            "entries.list response. From 14:02 a backfill client posts very large PNGs; three times an instance "
            "goes over its memory limit: Cloud Run logs 'Memory limit of 512 MiB exceeded ...' (ERROR, varlog/system) "
            "and 'Container terminated on signal 9.', and the requests in flight on that instance answer 503 "
            "(request entries timestamped when they ARRIVED, seconds before the kill, with that instanceId); a new "
            "instance starts. Links to find: termination <- memory limit; the 503s (POST /v1/thumbs and GET "
            "/v1/thumb/{id}) <- termination. Traps: the flag client logs 'flagd: cache miss' at ERROR every few "
            "minutes on every instance all the time, including seconds before each kill: an independent root, not "
            "the cause (it is about feature-flag lookups, not image memory). The 'slow decode' WARNING shares a "
            "common cause with the OOMs (the backfill's huge images) and is logged just before them on the same "
            "instances, but a slow decode does not make the memory limit happen: a root of its own, seen together "
            "with the OOM, not linked. A true small link elsewhere: 'decode failed: image: unknown format' (ERROR) "
            "makes the same request answer 422 (same trace)."
        ),
        sources=[
            "https://pkg.go.dev/log/slog#HandlerOptions (ReplaceAttr; JSONHandler output keys)",
            "https://cloud.google.com/logging/docs/structured-logging (severity, message and trace fields)",
            "https://pkg.go.dev/image#pkg-variables (ErrFormat 'image: unknown format')",
            "https://flagd.dev/ (flag evaluation client and cache)",
            MEMORY,
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "thumbd-00019-mov"
    c.problem("memory-limit", title_has=["Memory limit"], priority=["P0", "P1"])
    c.problem("sigkill", caused_by="memory-limit")
    c.problem("503-post-thumbs", caused_by="sigkill")
    c.problem("503-get-thumb", caused_by="sigkill")
    c.problem("flag-cache-miss", title_has=["cache miss"], priority=["P2", "P3"])
    c.problem("slow-decode", title_has=["slow decode"], priority=["P2", "P3"])
    c.problem("decode-unknown-format", title_has=["decode failed"], priority=["P2", "P3"])
    c.problem("422-post-thumbs", caused_by="decode-unknown-format")
    c.seen_together += [["slow-decode", "memory-limit"], ["flag-cache-miss", "memory-limit"]]

    def jl(dt: datetime, key: str, sev: str, msg: str, *, problem=None, trace=None, note=None, **fields) -> None:
        payload = {"severity": sev, "message": msg, **fields}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
        want = "select" if sev in ("WARNING", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    # instance lifetimes: (key, born, killed)
    kills = [("t2", "14:06:41.208114", 537), ("t3", "14:12:09.660305", 529), ("t5", "14:19:55.031772", 544)]
    life = {"t1": (c.t("12:00:00"), c.t("23:00:00")), "t2": (c.t("12:00:00"), c.t(kills[0][1])),
            "t3": (c.t("12:00:00"), c.t(kills[1][1])), "t4": (c.t("14:06:44.9"), c.t("23:00:00")),
            "t5": (c.t("14:12:13.3"), c.t(kills[2][1])), "t6": (c.t("14:19:58.7"), c.t("23:00:00"))}

    def alive(dt: datetime, margin: float = 0.0) -> list[str]:
        return [k for k, (b, d) in life.items() if b < dt and dt + sec(margin) < d]

    def thumb_path() -> str:
        return f"/v1/thumb/{c.hexid(12)}?w={c.rng.choice((160, 320, 640))}"

    # ordinary reads all afternoon
    dt = c.t("13:00:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 45.0))
        if dt >= c.t("15:00:00"):
            break
        key = c.rng.choice(alive(dt, 1.0))
        trace = c.req(dt, "GET", thumb_path(), 200, rev=rev, inst=key, latency=c.rng.uniform(0.006, 0.09),
                      ua="pixelpost-web/3.8")
        if c.rng.random() < 0.1:
            jl(dt + ms(c.rng.randint(1, 9)), key, "INFO", "thumbnail served", trace=trace, cache="hit",
               bytes=c.rng.randint(4000, 60000))

    # the flag client's cache miss ERROR, constantly, on every live instance
    for key, (born, died) in life.items():
        dt = max(born, c.t("13:00:00")) + sec(c.rng.uniform(5, 120))
        while dt < min(died, c.t("15:00:00")):
            jl(dt, key, "ERROR", "flagd: cache miss, resolving remotely", problem="flag-cache-miss",
               flag=c.rng.choice(("thumb.webp-quality", "thumb.avif-enabled", "thumb.max-width")),
               reason="ttl-expired", note="logged constantly, unrelated to memory")
            dt += sec(c.rng.uniform(170, 330))

    # the backfill: large PNGs, slow decodes
    dt = c.t("14:02:03")
    while True:
        dt += sec(c.rng.expovariate(1 / 21.0))
        if dt >= c.t("14:25:30"):
            break
        key = c.rng.choice(alive(dt, 6.0))
        took = c.rng.uniform(0.9, 4.8)
        trace = c.req(dt, "POST", "/v1/thumbs", 201, rev=rev, inst=key, latency=took,
                      ua="pixelpost-backfill/1.0 (go-http-client)")
        if took > 2.2:
            jl(dt + sec(took - 0.3), key, "WARNING", "slow decode", problem="slow-decode", trace=trace, format="png",
               px=f"{c.rng.randint(70, 99) * 100}x{c.rng.randint(50, 75) * 100}", ms=int((took - 0.3) * 1000),
               upload=f"up_{c.hexid(10)}")

    # the three OOM kills
    replacement = {"t2": ("t4", "14:06:43.302117"), "t3": ("t5", "14:12:11.870442"), "t5": ("t6", "14:19:57.118090")}
    for key, hms, used in kills:
        kill = c.t(hms)
        for _ in range(c.rng.randint(2, 4)):  # a slow decode just before, on the same instance
            dt = kill - sec(c.rng.uniform(0.4, 9.0))
            took = c.rng.uniform(2.4, 5.2)
            trace = c.req(dt - sec(took), "POST", "/v1/thumbs", 201, rev=rev, inst=key, latency=took + 0.01,
                          ua="pixelpost-backfill/1.0 (go-http-client)")
            jl(dt, key, "WARNING", "slow decode", problem="slow-decode", trace=trace, format="png",
               px=f"{c.rng.randint(85, 99) * 100}x{c.rng.randint(60, 75) * 100}", ms=int(took * 1000) - 40,
               upload=f"up_{c.hexid(10)}")
        c.system(kill, memory_exceeded(512, used), "ERROR", problem="memory-limit", inst=key, rev=rev)
        c.system(kill + ms(c.rng.randint(30, 90)), "Container terminated on signal 9.", "WARNING", problem="sigkill",
                 inst=key, rev=rev)
        for n in range(c.rng.randint(3, 5)):  # in flight when the instance died
            arrive = kill - sec(c.rng.uniform(0.3, 12.0))
            latency = (kill - arrive).total_seconds() + c.rng.uniform(0.05, 0.2)
            if n == 0 and key != "t3":
                c.req(arrive, "GET", thumb_path(), 503, rev=rev, inst=key, problem="503-get-thumb", text=MALFORMED,
                      latency=latency, ua="pixelpost-web/3.8", size=0)
            else:
                c.req(arrive, "POST", "/v1/thumbs", 503, rev=rev, inst=key, problem="503-post-thumbs",
                      text=MALFORMED, latency=latency, ua="pixelpost-backfill/1.0 (go-http-client)", size=0)
        new, hms2 = replacement[key]
        t2 = c.t(hms2)
        c.system(t2, START_AUTOSCALING, "INFO", inst=new, rev=rev)
        jl(t2 + ms(c.rng.randint(300, 700)), new, "INFO", "thumbd starting", version="1.19.2", go="go1.22.5",
           gomaxprocs=1)
        jl(t2 + ms(c.rng.randint(720, 900)), new, "INFO", "listening", addr=":8080")
        c.system(t2 + ms(c.rng.randint(1000, 1300)), probe_ok("thumbd-1"), "INFO", inst=new, rev=rev)

    # unknown formats: ERROR then 422 on the same request
    for hms in ("13:22:18.402771", "14:15:40.881123", "14:48:02.115093"):
        dt = c.t(hms)
        key = c.rng.choice(alive(dt, 1.0))
        trace = c.req(dt, "POST", "/v1/thumbs", 422, rev=rev, inst=key, problem="422-post-thumbs",
                      latency=c.rng.uniform(0.02, 0.06), ua="pixelpost-web/3.8")
        jl(dt + ms(c.rng.randint(8, 20)), key, "ERROR", "decode failed", problem="decode-unknown-format",
           trace=trace, error="image: unknown format", upload=f"up_{c.hexid(10)}", contentType="image/heic")
    return c


# =====================================================================================================================
# 4. Python / FastAPI Pub/Sub push worker: a vendor's 429s -> retries -> failed jobs -> 500 (redelivery)
# =====================================================================================================================

TB_429 = (
    "Traceback (most recent call last):\n"
    '  File "/app/geocode/worker.py", line 88, in handle_push\n'
    "    result = await geocode_batch(job)\n"
    "             ^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/site-packages/tenacity/asyncio/__init__.py", line 189, in async_wrapped\n'
    "    return await copy(fn, *args, **kwargs)\n"
    "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/site-packages/tenacity/asyncio/__init__.py", line 111, in __call__\n'
    "    do = await self.iter(retry_state=retry_state)\n"
    "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/site-packages/tenacity/asyncio/__init__.py", line 153, in iter\n'
    "    result = await action(retry_state)\n"
    "             ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/site-packages/tenacity/__init__.py", line 418, in exc_check\n'
    "    raise retry_exc.reraise()\n"
    "          ^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/site-packages/tenacity/__init__.py", line 185, in reraise\n'
    "    raise self.last_attempt.result()\n"
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/concurrent/futures/_base.py", line 449, in result\n'
    "    return self.__get_result()\n"
    "           ^^^^^^^^^^^^^^^^^^^\n"
    '  File "/usr/local/lib/python3.12/concurrent/futures/_base.py", line 401, in __get_result\n'
    "    raise self._exception\n"
    '  File "/usr/local/lib/python3.12/site-packages/tenacity/asyncio/__init__.py", line 114, in __call__\n'
    "    result = await fn(*args, **kwargs)\n"
    "             ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/app/geocode/vendor.py", line 41, in geocode_batch\n'
    "    resp.raise_for_status()\n"
    '  File "/usr/local/lib/python3.12/site-packages/httpx/_models.py", line 763, in raise_for_status\n'
    "    raise HTTPStatusError(message, request=request, response=self)\n"
    "httpx.HTTPStatusError: Client error '429 Too Many Requests' for url 'https://api.geoloom.example/v3/batch'\n"
    "For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/429"
)
TB_KEYERROR = (
    "Traceback (most recent call last):\n"
    '  File "/app/geocode/worker.py", line 71, in handle_push\n'
    '    job = Job.from_message(envelope["message"])\n'
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  File "/app/geocode/models.py", line 33, in from_message\n'
    '    postcode=attrs["postcode"],\n'
    "             ~~~~~^^^^^^^^^^^^\n"
    "KeyError: 'postcode'"
)


def fastapi_geocode() -> Case:
    c = Case(
        "fastapi-geocode-worker-vendor-429",
        fmt="copy",
        project="routewise-prod",
        service="geocode-worker",
        region="europe-west4",
        date="2025-09-09",
        seed=4404,
        about=(
            "A Python 3.12 / FastAPI worker behind a Pub/Sub push subscription (POST /pubsub/push), uvicorn access "
            "lines on stdout (plain INFO text, even for a 500), app logs through google-cloud-logging's "
            "StructuredLogHandler (JSON with severity and the request's trace; a traceback stays inside the one "
            "message). Logs Explorer 'copy' format, oldest first. From 11:40 to 12:12 the geocoding vendor answers "
            "429: tenacity retries (a WARNING 'vendor rate limited ... retrying in Ns (attempt k/4)' before each "
            "wait); most jobs get through on a retry (200), the others fail after 4 attempts: the handler logs "
            "'geocode job ... failed after 4 attempts' with the httpx HTTPStatusError traceback (ERROR) and answers "
            "500, so Pub/Sub redelivers the job a minute or two later (the same job ids come back). Links to find: "
            "job failure <- vendor 429 (the same trace carries the retries, then the failure); 500 on POST "
            "/pubsub/push <- job failure. The 429 warnings are the root (an external quota: it must still be filed, "
            "P2/P3 by itself, its consequences P1). Traps: a KeyError on a malformed message happens twice in the "
            "window, each time less than a second after a 429 warning on the same instance, but in another request "
            "(its own trace), from a message missing 'postcode': a rare independent root, not linked; it is acked "
            "with 204, so it has no failed request. A scale-up start at 11:52 logs only INFO."
        ),
        sources=[
            "https://cloud.google.com/python/docs/reference/logging/latest/handlers-structured (StructuredLogHandler "
            "JSON lines)",
            "https://tenacity.readthedocs.io/en/latest/ (retry with before_sleep logging, reraise=True)",
            "https://www.python-httpx.org/exceptions/ (HTTPStatusError from raise_for_status())",
            "https://cloud.google.com/pubsub/docs/push (success codes 102, 200, 201, 202, 204; other codes are "
            "redelivered)",
            "https://www.uvicorn.org/settings/#logging (access log format)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "geocode-worker-00033-diq"
    c.problem("vendor-429", title_has=["rate limited"], priority=["P1", "P2", "P3"])
    c.problem("job-failed", caused_by="vendor-429", title_has=["HTTPStatusError"])
    c.problem("500-pubsub-push", caused_by="job-failed")
    c.problem("malformed-keyerror", title_has=["KeyError"], priority=["P2", "P3"])
    pubsub_ua = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"

    def jl(dt: datetime, key: str, sev: str, msg: str, *, problem=None, trace=None, note=None) -> None:
        payload = {"message": msg, "severity": sev}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
        want = "select" if sev in ("WARNING", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    def access(dt: datetime, key: str, status: int) -> None:
        phrase = {200: "OK", 204: "No Content", 500: "Internal Server Error"}[status]
        c.add(dt, want="skip", text=f'INFO:     169.254.1.1:{c.rng.randint(30000, 60000)} - "POST /pubsub/push '
                                    f'HTTP/1.1" {status} {phrase}', inst=key, rev=rev,
              note="uvicorn access line: INFO, even for a 500" if status == 500 else None)

    rl_window = (c.t("11:40:00"), c.t("12:12:00"))
    redeliver: list[tuple[datetime, str]] = []

    def job(dt: datetime, key: str, job_id: str | None = None, *, force_429: bool = False) -> datetime:
        """One push delivery; returns the time of its first 429 warning (or dt)."""
        job_id = job_id or f"gj_{c.hexid(8)}"
        n = c.rng.randint(5, 60)
        trace = c.hexid(32)
        t = dt + ms(c.rng.randint(2, 9))
        jl(t, key, "INFO", f"geocoding job {job_id}: {n} addresses", trace=trace)
        first_warn = dt
        limited = force_429 or rl_window[0] <= dt <= rl_window[1]
        outcome = 200
        if limited:
            ok_at = c.rng.choice((2, 3, 4, None, None)) if not force_429 else c.rng.choice((2, 3))
            for attempt in range(1, 5):
                t += ms(c.rng.randint(90, 260))
                if ok_at == attempt:
                    break
                if attempt == 4:
                    outcome = 500
                    break
                wait = 2 ** attempt
                jl(t, key, "WARNING", f"vendor rate limited (HTTP 429 from api.geoloom.example), retrying in "
                                      f"{wait:.1f}s (attempt {attempt}/4)", problem="vendor-429", trace=trace)
                if attempt == 1:
                    first_warn = t
                t += sec(wait)
        t += ms(c.rng.randint(400, 1400))
        if outcome == 200:
            jl(t, key, "INFO", f"job {job_id} done: {n}/{n} resolved in {(t - dt).total_seconds():.1f}s",
               trace=trace)
        else:
            jl(t, key, "ERROR", f"geocode job {job_id} failed after 4 attempts\n{TB_429}", problem="job-failed",
               trace=trace)
            redeliver.append((t + sec(c.rng.uniform(60, 170)), job_id))
        t += ms(c.rng.randint(2, 8))
        c.req(dt, "POST", "/pubsub/push", outcome, rev=rev, inst=key, trace=trace, ua=pubsub_ua,
              latency=(t - dt).total_seconds(), problem="500-pubsub-push" if outcome == 500 else None,
              remote_ip="66.102.8.35")
        access(t + timedelta(microseconds=300), key, outcome)
        return first_warn

    def keys_at(dt: datetime) -> list[str]:
        return ["w1", "w2", "w3"] if dt > c.t("11:52:13") else ["w1", "w2"]

    dt = c.t("11:12:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 100.0))
        redeliver.sort()
        while redeliver and redeliver[0][0] <= dt:
            when, job_id = redeliver.pop(0)
            job(when, c.rng.choice(keys_at(when)), job_id)
        if dt >= c.t("12:45:00"):
            break
        job(dt, c.rng.choice(keys_at(dt)))

    # the scale-up start
    t0 = c.t("11:52:10.402281")
    c.system(t0, START_AUTOSCALING, "INFO", inst="w3", rev=rev)
    for i, line in enumerate(("INFO:     Started server process [1]", "INFO:     Waiting for application startup.",
                              "INFO:     Application startup complete.",
                              "INFO:     Uvicorn running on http://0.0.0.0:8080 (Press CTRL+C to quit)")):
        c.add(t0 + ms(1900 + 40 * i), want="skip", text=line, log="stderr", inst="w3", rev=rev)
    c.system(t0 + ms(2300), probe_ok("geocode-worker-1"), "INFO", inst="w3", rev=rev)

    # the rare KeyError, each time right after a 429 warning on the same instance (other request)
    for hms, key in (("11:47:01.904410", "w1"), ("11:58:39.210934", "w2")):
        warned = job(c.t(hms), key, force_429=True)
        dt = warned + ms(c.rng.randint(650, 900))
        trace = c.hexid(32)
        msg_id = c.rng.randint(11_000_000_000, 12_000_000_000)
        jl(dt + ms(3), key, "ERROR", f"dropping malformed message {msg_id} from subscription "
                                     f"geocode-requests-push\n{TB_KEYERROR}", problem="malformed-keyerror",
           trace=trace, note="rare, lands right after a 429 warning: independent")
        c.req(dt, "POST", "/pubsub/push", 204, rev=rev, inst=key, trace=trace, ua=pubsub_ua, latency=0.006,
              remote_ip="66.102.8.35", size=0)
        access(dt + ms(7), key, 204)
    return c


# =====================================================================================================================
# 5. Rails 7.1 / Puma: a canary rollout (90/10); one incident on the canary, another on a stable instance
# =====================================================================================================================


def rails_canary() -> Case:
    c = Case(
        "rails-puma-canary-two-incidents",
        fmt="gcloud",
        project="bookly-prod",
        service="storefront",
        date="2025-10-07",
        seed=5505,
        about=(
            "A Ruby 3.3 / Rails 7.1 bookshop under Puma 6 (cluster mode, 2 workers, worker_timeout 60), Rails "
            "logging JSON to stdout (severity, message, the request's trace; FATAL written as CRITICAL; lograge's "
            "one INFO summary per request, 'status=500 error=...' included), Puma's own lines as plain stdout text. "
            "At 15:02 revision 00018 is deployed as a canary with 10% of the traffic; 00017 keeps 90% on three "
            "instances; at 15:41 traffic goes back to 100% 00017. Two independent incidents overlap in time on "
            "different revisions and instances. (A) canary only: POST /checkout with gift wrap raises NoMethodError "
            "(undefined method `fetch' for nil) in the new gift-wrap pricing, logged by Rails (CRITICAL, one "
            "record) and the request answers 500 (same trace). (B) stable only: a pathological search pins a Puma "
            "worker; after 60 s the master prints '! Terminating timed out worker ...' and the requests in flight "
            "on that worker (the search, sometimes a book page) answer 503 from Cloud Run with that instance's id. "
            "Links to find: canary 500 <- NoMethodError; the 503s (GET /search, GET /books/{id}) <- the worker "
            "timeout. Must NOT be linked: A with B (same minutes, different revisions/instances); the canary's boot "
            "DEPRECATION WARNING (it names the gift-option model, printed at each canary start) with the "
            "NoMethodError: a root of its own. Scanner 404s: Rails logs the RoutingError (CRITICAL) and the request "
            "answers 404 (same trace): 404 <- RoutingError, both P3. lograge's INFO summaries of failed requests "
            "are skipped. gcloud JSON export, newest first."
        ),
        sources=[
            "https://guides.rubyonrails.org/debugging_rails_applications.html#the-logger (log levels; "
            "ActionDispatch::DebugExceptions logs the exception and backtrace as one FATAL record)",
            "https://github.com/roidrage/lograge (one key=value summary per request at INFO)",
            "https://github.com/puma/puma/blob/master/docs/deployment.md and lib/puma/cluster.rb (cluster mode, "
            "'! Terminating timed out worker', '- Worker N (PID: n) booted in ...')",
            "https://guides.rubyonrails.org/configuring.html#config-active-support-deprecation (DEPRECATION "
            "WARNING lines)",
            "https://cloud.google.com/run/docs/rollouts-rollbacks-traffic-migration (tags, gradual rollout)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    stable, canary = "storefront-00017-ruq", "storefront-00018-bex"
    c.problem("canary-nomethod", title_has=["NoMethodError"], priority=["P1", "P2"])
    c.problem("canary-500-checkout", caused_by="canary-nomethod")
    c.problem("puma-timeout", title_has=["Terminating timed out worker"], priority=["P1", "P2"])
    c.problem("503-search", caused_by="puma-timeout")
    c.problem("503-book", caused_by="puma-timeout")
    c.problem("canary-deprecation", title_has=["DEPRECATION WARNING"], priority=["P3"])
    c.problem("routing-error", title_has=["RoutingError"], priority=["P2", "P3"])
    c.problem("404-wp-login", caused_by="routing-error")
    c.seen_together += [["canary-nomethod", "puma-timeout"], ["canary-deprecation", "canary-nomethod"]]
    rev_of = {"s1": stable, "s2": stable, "s3": stable, "k1": canary, "k2": canary}

    def jl(dt: datetime, key: str, sev: str, msg: str, *, problem=None, trace=None, note=None) -> None:
        payload = {"message": msg, "severity": sev, "request_id": c.hexid(8) + "-" + c.hexid(4) + "-" + c.hexid(4)}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
        else:
            payload.pop("request_id")
        want = "select" if sev in ("WARNING", "ERROR", "CRITICAL") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev_of[key])

    def puma(dt: datetime, key: str, line: str, *, problem=None, note=None) -> None:
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, text=f"[1] {line}", inst=key,
              rev=rev_of[key])

    def lograge(dt: datetime, key: str, trace: str, method: str, path: str, controller: str, status: int,
                took: float, error: str | None = None) -> None:
        line = (f"method={method} path={path.split('?')[0]} format=html controller={controller} "
                f"action={'create' if method == 'POST' else 'show' if '/books/' in path else 'index'} "
                f"status={status} allocations={c.rng.randint(2000, 90000)} duration={took * 1000:.2f} "
                f"view={took * 400:.2f} db={took * 300:.2f}")
        if error:
            line += f" error='{error}'"
        jl(dt + sec(took), key, "INFO", line, trace=trace,
           note="lograge summary at INFO: mentions the error, is not one" if error else None)

    def boot(dt: datetime, key: str) -> None:
        c.system(dt, START_ROLLOUT if key == "k1" else START_AUTOSCALING, "INFO", inst=key, rev=rev_of[key])
        dt += ms(c.rng.randint(700, 1100))
        for line in ("Puma starting in cluster mode...", '* Puma version: 6.4.2 (ruby 3.3.4-p94) ("The Eagle of '
                     'Durango")', "*  Min threads: 5", "*  Max threads: 5", "*  Environment: production",
                     "*   Master PID: 1", "*      Workers: 2", "*     Restarts: (\u2714) hot (\u2716) phased",
                     "* Preloading application"):
            puma(dt, key, line)
            dt += timedelta(microseconds=c.rng.randint(40, 400))
        dt += ms(c.rng.randint(1800, 2600))
        jl(dt, key, "WARNING", "DEPRECATION WARNING: Passing the class as `coder` is deprecated - use `coder: "
                               "JSON` instead. (called from <class:GiftOption> at /app/app/models/gift_option.rb:6)",
           problem="canary-deprecation", note="printed at every canary boot: independent of the NoMethodError")
        dt += ms(c.rng.randint(300, 600))
        for line in ("* Listening on http://0.0.0.0:8080", "Use Ctrl-C to stop"):
            puma(dt, key, line)
            dt += timedelta(microseconds=c.rng.randint(40, 200))
        c.system(dt + ms(30), probe_ok("storefront-1"), "INFO", inst=key, rev=rev_of[key])
        for w, pid in ((0, 12), (1, 15)):
            puma(dt + ms(c.rng.randint(80, 400)), key, f"- Worker {w} (PID: {pid}) booted in 0.01s, phase: 0")

    c.deploy(c.t("15:02:10.330127"), principal="release-bot@bookly-prod.iam.gserviceaccount.com",
             note="audit: canary deploy with --no-traffic --tag canary (NOTICE)")
    boot(c.t("15:02:38.118004"), "k1")
    c.deploy(c.t("15:02:52.907301"), principal="release-bot@bookly-prod.iam.gserviceaccount.com",
             agent="command/gcloud.run.services.update-traffic", note="audit: traffic split 90/10 (NOTICE)")
    boot(c.t("15:21:04.662810"), "k2")
    c.deploy(c.t("15:41:30.220419"), principal="oncall-sre@bookly.example", agent="command/gcloud.run.services."
             "update-traffic", note="audit: rollback to 100% 00017 (NOTICE)")

    titles = ["the-silent-orchard", "north-of-nowhere", "ink-and-iron", "paper-moons", "salt-roads", "a-quiet-engine"]

    def keys_at(dt: datetime) -> tuple[list[str], list[str]]:
        can = []
        if c.t("15:02:53") < dt < c.t("15:41:30"):
            can = ["k1", "k2"] if dt > c.t("15:21:08") else ["k1"]
        return ["s1", "s2", "s3"], can

    dt = c.t("15:00:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 24.0))
        if dt >= c.t("16:00:00"):
            break
        st, can = keys_at(dt)
        key = c.rng.choice(can) if can and c.rng.random() < 0.1 else c.rng.choice(st)
        kind = c.rng.choices(("book", "search", "cart", "checkout"), weights=(6, 3, 2, 1))[0]
        if kind == "book":
            method, path, ctrl = "GET", f"/books/{c.rng.choice(titles)}-{c.rng.randint(100, 999)}", "BooksController"
        elif kind == "search":
            method, path, ctrl = "GET", f"/search?q={c.rng.choice(('orchard', 'iron', 'moon', 'salt'))}", \
                "SearchController"
        elif kind == "cart":
            method, path, ctrl = "POST", "/cart/items", "CartItemsController"
        else:
            method, path, ctrl = "POST", "/checkout", "CheckoutsController"
        took = c.rng.uniform(0.03, 0.4)
        status = 302 if method == "POST" else 200
        trace = c.req(dt, method, path, status, rev=rev_of[key], inst=key, latency=took + 0.004)
        lograge(dt, key, trace, method, path, ctrl, status, took)

    # (A) canary: NoMethodError on checkouts with gift wrap
    for hms in ("15:10:22.104877", "15:14:48.551092", "15:19:05.330761", "15:23:40.918044", "15:31:12.202553",
                "15:36:57.774410"):
        dt = c.t(hms)
        key = "k2" if dt > c.t("15:21:08") and c.rng.random() < 0.5 else "k1"
        took = c.rng.uniform(0.06, 0.15)
        trace = c.req(dt, "POST", "/checkout", 500, rev=canary, inst=key, latency=took + 0.004,
                      problem="canary-500-checkout")
        jl(dt + sec(took - 0.002), key, "CRITICAL",
           "  \nNoMethodError (undefined method `fetch' for nil):\n  \n"
           "app/services/gift_wrap_pricing.rb:14:in `price_for'\n"
           "app/services/checkout_totals.rb:42:in `block in line_items'\n"
           "app/services/checkout_totals.rb:38:in `map'\n"
           "app/services/checkout_totals.rb:38:in `line_items'\n"
           "app/controllers/checkouts_controller.rb:31:in `create'", problem="canary-nomethod", trace=trace)
        lograge(dt, key, trace, "POST", "/checkout", "CheckoutsController", 500, took,
                error="NoMethodError: undefined method `fetch' for nil")

    # (B) stable: a worker pinned by a pathological search, killed after 60 s
    for hms, key, worker, pid, new_pid in (("15:18:02.440913", "s2", 1, 15, 71), ("15:22:40.006128", "s2", 0, 12, 88),
                                           ("15:25:31.771305", "s3", 1, 15, 64)):
        kill = c.t(hms)
        q = "%28a%2B%29%2B%24" + c.hexid(6)
        c.req(kill - sec(60.0 + c.rng.uniform(0.01, 0.4)), "GET", f"/search?q={q}", 503, rev=stable, inst=key,
              problem="503-search", text=MALFORMED, latency=60.0 + c.rng.uniform(0.5, 0.9), size=0)
        if worker == 1:
            arrive = kill - sec(c.rng.uniform(2, 20))
            c.req(arrive, "GET", f"/books/{c.rng.choice(titles)}-{c.rng.randint(100, 999)}", 503, rev=stable,
                  inst=key, problem="503-book", text=MALFORMED,
                  latency=(kill - arrive).total_seconds() + c.rng.uniform(0.3, 0.6), size=0,
                  note="waiting on the same pinned worker")
        puma(kill, key, f"! Terminating timed out worker (Worker {worker} failed to check in within 60 seconds): "
                        f"{pid}", problem="puma-timeout")
        puma(kill + ms(c.rng.randint(1700, 2300)), key,
             f"- Worker {worker} (PID: {new_pid}) booted in {c.rng.uniform(1.6, 2.2):.2f}s, phase: 0")

    # scanners
    for hms in ("15:07:13.202881", "15:33:51.600412", "15:52:08.918330"):
        dt = c.t(hms)
        key = c.rng.choice(["s1", "s2", "s3"])
        trace = c.req(dt, "GET", "/wp-login.php", 404, rev=stable, inst=key, problem="404-wp-login",
                      ua="Mozilla/5.0 (compatible; scan/2.1)", latency=0.009)
        jl(dt + ms(5), key, "CRITICAL", '  \nActionController::RoutingError (No route matches [GET] "/wp-login.php"):'
                                         "\n  ", problem="routing-error", trace=trace)
    return c


# =====================================================================================================================
# 6. ASP.NET Core 8: a new revision never becomes ready (DI validation); the old one keeps serving its own errors
# =====================================================================================================================

DOTNET_DI_CRASH = (
    "Unhandled exception. System.AggregateException: Some services are not able to be constructed (Error while "
    "validating the service descriptor 'ServiceType: MediBill.Claims.Eligibility.IClearinghouseClient Lifetime: "
    "Scoped ImplementationType: MediBill.Claims.Eligibility.ClearinghouseClient': Unable to resolve service for type "
    "'MediBill.Claims.Eligibility.IPayerDirectory' while attempting to activate "
    "'MediBill.Claims.Eligibility.ClearinghouseClient'.)\n"
    " ---> System.InvalidOperationException: Error while validating the service descriptor 'ServiceType: "
    "MediBill.Claims.Eligibility.IClearinghouseClient Lifetime: Scoped ImplementationType: "
    "MediBill.Claims.Eligibility.ClearinghouseClient': Unable to resolve service for type "
    "'MediBill.Claims.Eligibility.IPayerDirectory' while attempting to activate "
    "'MediBill.Claims.Eligibility.ClearinghouseClient'.\n"
    " ---> System.InvalidOperationException: Unable to resolve service for type "
    "'MediBill.Claims.Eligibility.IPayerDirectory' while attempting to activate "
    "'MediBill.Claims.Eligibility.ClearinghouseClient'.\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteFactory.CreateArgumentCallSites("
    "ServiceIdentifier serviceIdentifier, Type implementationType, CallSiteChain callSiteChain, ParameterInfo[] "
    "parameters, Boolean throwIfCallSiteNotFound)\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteFactory.CreateConstructorCallSite("
    "ResultCache lifetime, ServiceIdentifier serviceIdentifier, Type implementationType, CallSiteChain "
    "callSiteChain)\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteFactory.TryCreateExact(ServiceDescriptor "
    "descriptor, ServiceIdentifier serviceIdentifier, CallSiteChain callSiteChain, Int32 slot)\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceLookup.CallSiteFactory.GetCallSite(ServiceDescriptor "
    "serviceDescriptor, CallSiteChain callSiteChain)\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceProvider.ValidateService(ServiceDescriptor descriptor)\n"
    "   --- End of inner exception stack trace ---\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceProvider.ValidateService(ServiceDescriptor descriptor)\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceProvider..ctor(ICollection`1 serviceDescriptors, "
    "ServiceProviderOptions options)\n"
    "   --- End of inner exception stack trace ---\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceProvider..ctor(ICollection`1 serviceDescriptors, "
    "ServiceProviderOptions options)\n"
    "   at Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider("
    "IServiceCollection services, ServiceProviderOptions options)\n"
    "   at Microsoft.Extensions.Hosting.HostApplicationBuilder.Build()\n"
    "   at Microsoft.AspNetCore.Builder.WebApplicationBuilder.Build()\n"
    "   at Program.<Main>$(String[] args) in /src/Claims/Program.cs:line 47"
)


def dotnet_claims() -> Case:
    c = Case(
        "aspnet-claims-deploy-never-ready",
        fmt="jsonl",
        project="medibill-prod",
        service="claims-api",
        date="2025-03-26",
        seed=6606,
        about=(
            "An ASP.NET Core 8 claims API logging JSON with Google.Cloud.Logging.Console's formatter (severity, "
            "message, category, exception, the request's trace). Revision 00007 serves all morning on o1/o2. At "
            "10:20 revision 00008 is deployed: it registers a new ClearinghouseClient without its IPayerDirectory "
            "dependency, and DI validation at WebApplicationBuilder.Build() throws: the runtime prints 'Unhandled "
            "exception. System.AggregateException ...' on stderr (one entry per line, no severity) and aborts "
            "('Container terminated on signal 6.'), the STARTUP probe fails; Cloud Run tries three instances, then "
            "writes the system-event 'Ready condition status changed to False for Revision ...' (ERROR). Traffic "
            "never moves: 00007 keeps serving. At 10:41 a fixed revision 00009 deploys and takes the traffic. Links "
            "to find: abort <- DI crash, probe <- abort, Ready=False <- probe. No request fails because of 00008 "
            "(Cloud Run never routes to a revision that was never ready). Must NOT be linked: the old revision's "
            "own 'Eligibility check failed' HttpRequestException (the clearinghouse answers 502) and the 502 of the "
            "same request (502 <- that error, same trace) - two of them land inside the failed deploy, and the "
            "crash text names ClearinghouseClient too, but it is another revision and another failure; the error "
            "continues on 00009. The two DataProtection warnings logged by every healthy start (keys directory not "
            "persisted; no XML encryptor) are independent roots that always come together (seen_together)."
        ),
        sources=[
            "https://learn.microsoft.com/en-us/dotnet/core/extensions/dependency-injection#service-provider-options "
            "(ValidateOnBuild: 'Some services are not able to be constructed')",
            "https://learn.microsoft.com/en-us/dotnet/standard/exceptions/ (unhandled exception output, inner "
            "exception markers ' ---> ' and '--- End of inner exception stack trace ---')",
            "https://learn.microsoft.com/en-us/aspnet/core/security/data-protection/configuration/overview "
            "(key storage warnings in containers)",
            "https://cloud.google.com/dotnet/docs/reference/Google.Cloud.Logging.Console/latest (JSON console "
            "formatter for Cloud Run)",
            AUDIT,
            *CLOUD_RUN_SOURCES,
            HEALTHCHECKS,
        ],
    )
    old, bad, fixed = "claims-api-00007-mez", "claims-api-00008-tic", "claims-api-00009-raw"
    rev_of = {"o1": old, "o2": old, "d1": bad, "d2": bad, "d3": bad, "p1": fixed, "p2": fixed}
    c.problem("di-crash", title_has=["Unable to resolve service"], priority=["P0", "P1"])
    c.problem("di-abort", caused_by="di-crash")
    c.problem("startup-probe", caused_by="di-abort")
    c.problem("ready-false", caused_by="startup-probe")
    c.problem("clearinghouse-502", title_has=["Eligibility check failed"], priority=["P1", "P2"])
    c.problem("502-eligibility", caused_by="clearinghouse-502")
    c.problem("dp-keys-dir", title_has=["DataProtection-Keys"], priority=["P2", "P3"])
    c.problem("dp-no-encryptor", title_has=["No XML encryptor configured"], priority=["P2", "P3"])
    c.seen_together += [["dp-keys-dir", "dp-no-encryptor"], ["clearinghouse-502", "di-crash"]]

    def jl(dt: datetime, key: str, sev: str, category: str, msg: str, *, problem=None, trace=None, exc=None,
           params=None, note=None) -> None:
        payload: dict = {"category": category, "message": msg, "severity": sev}
        if exc:
            payload["exception"] = exc
        if params:
            payload["format_parameters"] = params
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
            payload["logging.googleapis.com/spanId"] = c.hexid(16)
        want = "select" if sev in ("WARNING", "ERROR", "CRITICAL") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev_of[key])

    def healthy_start(dt: datetime, key: str, reason: str) -> None:
        c.system(dt, reason, "INFO", inst=key, rev=rev_of[key])
        dt += ms(c.rng.randint(1100, 1700))
        jl(dt, key, "WARNING", "Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository",
           "Storing keys in a directory '/root/.aspnet/DataProtection-Keys' that may not be persisted outside of the "
           "container. Protected data will be unavailable when container is destroyed. For more information go to "
           "https://aka.ms/aspnet/dataprotectionwarning", problem="dp-keys-dir",
           params={"FullName": "/root/.aspnet/DataProtection-Keys"})
        key_id = f"{c.hexid(8)}-{c.hexid(4)}-{c.hexid(4)}-{c.hexid(4)}-{c.hexid(12)}"
        jl(dt + ms(c.rng.randint(20, 60)), key, "WARNING",
           "Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager",
           f"No XML encryptor configured. Key {{{key_id}}} may be persisted to storage in unencrypted form.",
           problem="dp-no-encryptor", params={"KeyId": key_id})
        dt += ms(c.rng.randint(90, 160))
        for msg in ("Now listening on: http://[::]:8080", "Application started. Press Ctrl+C to shut down.",
                    "Hosting environment: Production", "Content root path: /app"):
            jl(dt, key, "INFO", "Microsoft.Hosting.Lifetime", msg)
            dt += timedelta(microseconds=c.rng.randint(100, 900))
        c.system(dt + ms(c.rng.randint(100, 300)), probe_ok("claims-api-1"), "INFO", inst=key, rev=rev_of[key])

    def serving(dt: datetime) -> list[str]:
        if dt < c.t("10:41:41"):
            return ["o1", "o2"] if dt > c.t("09:47:06") else ["o1"]
        return ["p1", "p2"] if dt > c.t("11:05:15") else ["p1"]

    # traffic
    dt = c.t("09:30:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 38.0))
        if dt >= c.t("11:30:00"):
            break
        key = c.rng.choice(serving(dt))
        kind = c.rng.choices(("elig", "get", "post"), weights=(4, 5, 2))[0]
        if kind == "elig":
            took = c.rng.uniform(0.3, 1.4)
            trace = c.req(dt, "POST", "/v1/eligibility", 200, rev=rev_of[key], inst=key, latency=took,
                          ua="medibill-portal/7.3")
            jl(dt + sec(took - 0.01), key, "INFO", "MediBill.Claims.Eligibility.EligibilityEndpoints",
               f"Eligibility confirmed for payer {c.rng.choice(('AETNA-01', 'BCBS-TX', 'UHC-07', 'CIGNA-02'))}",
               trace=trace)
        elif kind == "get":
            c.req(dt, "GET", f"/v1/claims/CLM-{c.rng.randint(100000, 999999)}", 200, rev=rev_of[key], inst=key,
                  latency=c.rng.uniform(0.01, 0.09), ua="medibill-portal/7.3")
        else:
            took = c.rng.uniform(0.05, 0.3)
            trace = c.req(dt, "POST", "/v1/claims", 201, rev=rev_of[key], inst=key, latency=took,
                          ua="medibill-portal/7.3")
            jl(dt + sec(took - 0.005), key, "INFO", "MediBill.Claims.Submission.ClaimsEndpoints",
               f"Claim CLM-{c.rng.randint(100000, 999999)} submitted ({c.rng.randint(1, 12)} lines)", trace=trace)

    healthy_start(c.t("09:47:03.220418"), "o2", START_AUTOSCALING)

    # the failed deploy
    c.deploy(c.t("10:20:03.117342"), principal="github-actions@medibill-prod.iam.gserviceaccount.com")
    for key, hms in (("d1", "10:20:31.402178"), ("d2", "10:20:58.770913"), ("d3", "10:21:40.118224")):
        dt = c.t(hms)
        c.system(dt, START_ROLLOUT, "INFO", inst=key, rev=bad)
        dt = c.lines(dt + ms(c.rng.randint(800, 1200)), DOTNET_DI_CRASH, want="select", problem="di-crash",
                     log="stderr", inst=key, rev=bad)
        dt += ms(c.rng.randint(60, 140))
        c.system(dt, "Container terminated on signal 6.", "WARNING", problem="di-abort", inst=key, rev=bad)
        dt += ms(c.rng.randint(100, 140))
        c.system(dt, probe_failed("claims-api-1"), "ERROR", problem="startup-probe", inst=key, rev=bad)
    c.ready_false(dt + ms(12), bad, 8080, problem="ready-false")

    # the fix
    c.deploy(c.t("10:41:02.551208"), principal="github-actions@medibill-prod.iam.gserviceaccount.com")
    healthy_start(c.t("10:41:20.330917"), "p1", START_ROLLOUT)
    healthy_start(c.t("11:05:12.004118"), "p2", START_AUTOSCALING)

    # the clearinghouse answering 502, on whichever revision serves
    for hms in ("09:41:17.330861", "10:03:52.118027", "10:21:12.660480", "10:22:30.204417", "11:17:45.880129"):
        dt = c.t(hms)
        key = c.rng.choice(serving(dt))
        took = c.rng.uniform(0.4, 1.1)
        trace = c.req(dt, "POST", "/v1/eligibility", 502, rev=rev_of[key], inst=key, latency=took,
                      problem="502-eligibility", ua="medibill-portal/7.3")
        payer = c.rng.choice(("AETNA-01", "BCBS-TX", "UHC-07"))
        jl(dt + sec(took - 0.008), key, "ERROR", "MediBill.Claims.Eligibility.EligibilityEndpoints",
           f"Eligibility check failed for payer {payer}", problem="clearinghouse-502", trace=trace,
           params={"PayerId": payer},
           exc="System.Net.Http.HttpRequestException: Response status code does not indicate success: 502 (Bad "
               "Gateway).\n"
               "   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()\n"
               "   at MediBill.Claims.Eligibility.ClearinghouseClient.CheckAsync(EligibilityRequest request, "
               "CancellationToken ct) in /src/Claims/Eligibility/ClearinghouseClient.cs:line 58\n"
               "   at MediBill.Claims.Eligibility.EligibilityEndpoints.CheckAsync(EligibilityRequest request, "
               "IClearinghouseClient client, CancellationToken ct) in "
               "/src/Claims/Eligibility/EligibilityEndpoints.cs:line 27")
    return c


# =====================================================================================================================
# 7. Cloud Run job, PHP 8.3 / Laravel 11 artisan: a renamed env var; every task attempt fails and exits 1
# =====================================================================================================================

LARAVEL_FRAMES = [  # (file, line, call) of the PHP trace; backslashes as Monolog's JSON context writes them
    (r"/var/www/html/app/Providers/BillingServiceProvider.php", 27,
     r"App\\Billing\\BillingClient->__construct(NULL, Object(GuzzleHttp\\Client))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php", 939,
     r"App\\Providers\\BillingServiceProvider->App\\Providers\\{closure}(Object(Illuminate\\Foundation\\Application), "
     r"Array)"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php", 810,
     r"Illuminate\\Container\\Container->build(Object(Closure))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Application.php", 1021,
     r"Illuminate\\Container\\Container->resolve('App\\Billing\\Bil...', Array, true)"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php", 741,
     r"Illuminate\\Foundation\\Application->resolve('App\\Billing\\Bil...', Array)"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Application.php", 1003,
     r"Illuminate\\Container\\Container->make('App\\Billing\\Bil...', Array)"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php", 184,
     r"Illuminate\\Foundation\\Application->make('App\\Billing\\Bil...')"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php", 36,
     r"Illuminate\\Container\\BoundMethod::addDependencyForCallParameter(Object(Illuminate\\Foundation\\Application), "
     r"Object(ReflectionParameter), Array, Array)"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Util.php", 43,
     r"Illuminate\\Container\\BoundMethod::Illuminate\\Container\\{closure}()"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php", 95,
     r"Illuminate\\Container\\Util::unwrapIfClosure(Object(Closure))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/BoundMethod.php", 35,
     r"Illuminate\\Container\\BoundMethod::callBoundMethod(Object(Illuminate\\Foundation\\Application), Array, "
     r"Object(Closure))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Container/Container.php", 696,
     r"Illuminate\\Container\\BoundMethod::call(Object(Illuminate\\Foundation\\Application), Array, Array, NULL)"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Console/Command.php", 213,
     r"Illuminate\\Container\\Container->call(Array)"),
    (r"/var/www/html/vendor/symfony/console/Command/Command.php", 279,
     r"Illuminate\\Console\\Command->execute(Object(Symfony\\Component\\Console\\Input\\ArgvInput), "
     r"Object(Illuminate\\Console\\OutputStyle))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Console/Command.php", 182,
     r"Symfony\\Component\\Console\\Command\\Command->run(Object(Symfony\\Component\\Console\\Input\\ArgvInput), "
     r"Object(Illuminate\\Console\\OutputStyle))"),
    (r"/var/www/html/vendor/symfony/console/Application.php", 1047,
     r"Illuminate\\Console\\Command->run(Object(Symfony\\Component\\Console\\Input\\ArgvInput), "
     r"Object(Symfony\\Component\\Console\\Output\\ConsoleOutput))"),
    (r"/var/www/html/vendor/symfony/console/Application.php", 316,
     r"Symfony\\Component\\Console\\Application->doRunCommand(Object(App\\Console\\Commands\\DispatchInvoices), "
     r"Object(Symfony\\Component\\Console\\Input\\ArgvInput), Object(Symfony\\Component\\Console\\Output\\"
     r"ConsoleOutput))"),
    (r"/var/www/html/vendor/symfony/console/Application.php", 167,
     r"Symfony\\Component\\Console\\Application->doRun(Object(Symfony\\Component\\Console\\Input\\ArgvInput), "
     r"Object(Symfony\\Component\\Console\\Output\\ConsoleOutput))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Console/Kernel.php", 197,
     r"Symfony\\Component\\Console\\Application->run(Object(Symfony\\Component\\Console\\Input\\ArgvInput), "
     r"Object(Symfony\\Component\\Console\\Output\\ConsoleOutput))"),
    (r"/var/www/html/vendor/laravel/framework/src/Illuminate/Foundation/Application.php", 1234,
     r"Illuminate\\Foundation\\Console\\Kernel->handle(Object(Symfony\\Component\\Console\\Input\\ArgvInput), "
     r"Object(Symfony\\Component\\Console\\Output\\ConsoleOutput))"),
    (r"/var/www/html/artisan", 13,
     r"Illuminate\\Foundation\\Application->handleCommand(Object(Symfony\\Component\\Console\\Input\\ArgvInput))"),
]
TYPEERROR_MSG = (
    r"App\Billing\BillingClient::__construct(): Argument #1 ($baseUri) must be of type string, null given, called in "
    r"/var/www/html/app/Providers/BillingServiceProvider.php on line 27"
)
LARAVEL_TYPEERROR = (
    f"production.ERROR: {TYPEERROR_MSG} "
    + '{"exception":"[object] (TypeError(code: 0): '
    + TYPEERROR_MSG.replace("\\", "\\\\")
    + " at /var/www/html/app/Billing/BillingClient.php:21)\n[stacktrace]\n"
    + "".join(f"#{n} {file}({line}): {call}\n" for n, (file, line, call) in enumerate(LARAVEL_FRAMES))
    + f"#{len(LARAVEL_FRAMES)} {{main}}\n"
    + '"} '
)

SYMFONY_RENDER = (
    "\n"
    "In BillingClient.php line 21:\n"
    "                                                                                \n"
    "  App\\Billing\\BillingClient::__construct(): Argument #1 ($baseUri) must be of  \n"
    "  type string, null given, called in /var/www/html/app/Providers/BillingServi  \n"
    "  ceProvider.php on line 27                                                     \n"
    "                                                                                \n"
    "\n"
    "invoices:dispatch [--shard SHARD] [--dry-run]\n"
)


def job_laravel_invoices() -> Case:
    c = Case(
        "job-laravel-invoice-dispatch-bad-config",
        fmt="gcloud",
        project="ledgerline-prod",
        service="invoice-dispatch",
        date="2025-05-02",
        seed=7707,
        job=True,
        about=(
            "A Cloud Run JOB (resource.type cloud_run_job; labels execution_name, task_index, task_attempt): PHP "
            "8.3 / Laravel 11 'php artisan invoices:dispatch --shard=$CLOUD_RUN_TASK_INDEX', 3 tasks, max-retries 1, "
            "LOG_CHANNEL=stderr (Monolog line format: the exception's stack trace is written with real line breaks, "
            "one entry per line, no severity), Symfony Console's error block after it. Night of 1 May: a healthy "
            "execution (3 tasks, INFO plus an FX-cache warning). 1 May 16:22: the job is redeployed with "
            "BILLING_API_URL renamed to BILLING_API_BASE in the code but not in the job's env. Night of 2 May: "
            "every task attempt (3 tasks x 2 attempts, each on a new instance) fails at dependency resolution with "
            "a TypeError (BillingClient::__construct(): Argument #1 ($baseUri) must be of type string, null given) "
            "and Cloud Run logs 'Container called exit(1).' for it. 07:09 fix, 07:14 a manual execution succeeds. "
            "Links to find: each exit(1) <- the TypeError (the Symfony block is the same error event, same label). "
            "Traps: 'PHP Deprecated: Creation of dynamic property ...' is printed at the start of EVERY task "
            "attempt, the healthy executions included, a second before the TypeError on the failing ones: an "
            "independent root (P3), not the cause. The FX warning of the healthy night is a root of its own."
        ),
        sources=[
            "https://laravel.com/docs/11.x/logging (stderr channel; Monolog LineFormatter with stack traces)",
            "https://github.com/Seldaek/monolog/blob/main/doc/message-structure.md",
            "https://symfony.com/doc/current/components/console.html (error rendering: 'In FILE line N:' block and "
            "the command synopsis)",
            "https://www.php.net/manual/en/migration82.deprecated.php (dynamic properties deprecated)",
            "https://cloud.google.com/run/docs/create-jobs and https://cloud.google.com/run/docs/container-contract"
            "#jobs (CLOUD_RUN_TASK_INDEX, retries)",
            "https://cloud.google.com/run/docs/logging#job-logs",
            *CLOUD_RUN_SOURCES,
        ],
    )
    c.problem("billing-typeerror", title_has=["must be of type string"], priority=["P0", "P1"])
    c.problem("task-exit", caused_by="billing-typeerror")
    c.problem("php-deprecated", title_has=["Creation of dynamic property"], priority=["P3"])
    c.problem("fx-stale", title_has=["FX rates cache is stale"], priority=["P2", "P3"])
    c.seen_together.append(["php-deprecated", "billing-typeerror"])

    def lv(dt: datetime) -> str:
        return f"[{dt:%Y-%m-%d %H:%M:%S}] "

    def task_run(execution: str, index: int, attempt: int, dt: datetime, *, fail: bool, fx: bool = False) -> None:
        key = f"{execution}-{index}-{attempt}"
        kw = {"inst": key, "task": (execution, index, attempt)}
        dt += ms(c.rng.randint(350, 900))
        c.add(dt, want="select", problem="php-deprecated", log="stderr",
              text="PHP Deprecated:  Creation of dynamic property App\\Support\\LegacyCsv::$delimiter is deprecated "
                   "in /var/www/html/app/Support/LegacyCsv.php on line 31",
              note="printed at the start of every task attempt, healthy or not", **kw)
        dt += ms(c.rng.randint(300, 700))
        if fail:
            dt = c.lines(dt, lv(dt) + LARAVEL_TYPEERROR, want="select", problem="billing-typeerror", log="stderr",
                         **kw)
            dt = c.lines(dt + ms(2), SYMFONY_RENDER, want="select", problem="billing-typeerror", log="stderr",
                         note="Symfony Console's rendering of the same exception", **kw)
            c.add(dt + ms(c.rng.randint(150, 400)), want="select", problem="task-exit", log="system",
                  severity="WARNING", text="Container called exit(1).", **kw)
            return
        due = c.rng.randint(90, 220)
        c.add(dt, want="skip", log="stderr", text=f'{lv(dt)}production.INFO: invoices:dispatch shard {index}/3 '
                                                  f'starting {{"due":{due}}}', **kw)
        if fx:
            dt += ms(c.rng.randint(200, 600))
            c.add(dt, want="select", problem="fx-stale", log="stderr",
                  text=f'{lv(dt)}production.WARNING: FX rates cache is stale, using last known rates '
                       f'{{"age_hours":{c.rng.randint(26, 29)}}}', **kw)
        took = c.rng.randint(30, 70)
        dt += sec(took)
        c.add(dt, want="skip", log="stderr",
              text=f'{lv(dt)}production.INFO: invoices:dispatch shard {index}/3 finished {{"sent":{due},"failed":0,'
                   f'"ms":{took * 1000 + c.rng.randint(0, 999)}}}', **kw)

    # healthy night of 1 May
    for i in range(3):
        task_run("invoice-dispatch-8wq2n", i, 0, c.t("02:00:02.100000", "2025-05-01") + ms(c.rng.randint(0, 3000)),
                 fail=False, fx=True)
    c.deploy(c.t("16:22:41.882011", "2025-05-01"), principal="dev-lena@ledgerline.example",
             method="google.cloud.run.v1.Jobs.ReplaceJob", agent="command/gcloud.run.jobs.deploy", what="job")
    # failing night of 2 May: 3 tasks x 2 attempts
    for i in range(3):
        t0 = c.t("02:00:02.300000") + ms(c.rng.randint(0, 3000))
        task_run("invoice-dispatch-t7x4k", i, 0, t0, fail=True)
        task_run("invoice-dispatch-t7x4k", i, 1, t0 + sec(c.rng.uniform(14, 40)), fail=True)
    c.deploy(c.t("07:09:12.440213"), principal="oncall-marc@ledgerline.example",
             method="google.cloud.run.v1.Jobs.ReplaceJob", agent="command/gcloud.run.jobs.update", what="job")
    for i in range(3):
        task_run("invoice-dispatch-m2p9z", i, 0, c.t("07:14:30.900000") + ms(c.rng.randint(0, 3000)), fail=False)
    return c


# =====================================================================================================================
# 8. Kotlin / Ktor saga: one error always precedes another by 2 s in the same request; a same-trace coincidence
# =====================================================================================================================

KTOR_TIMEOUT = (
    "io.ktor.client.plugins.HttpRequestTimeoutException: Request timeout has expired "
    "[url=https://api.acquirer-gw.example/v2/authorisations, request_timeout=3000 ms]\n"
    "\tat io.ktor.client.plugins.HttpTimeoutKt.HttpRequestTimeoutException(HttpTimeout.kt:253)\n"
    "\tat io.ktor.client.plugins.HttpTimeout$Plugin$install$1$1$killer$1.invokeSuspend(HttpTimeout.kt:165)\n"
    "\tat kotlin.coroutines.jvm.internal.BaseContinuationImpl.resumeWith(ContinuationImpl.kt:33)\n"
    "\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)\n"
    "\tat kotlinx.coroutines.scheduling.CoroutineScheduler.runSafely(CoroutineScheduler.kt:584)\n"
    "\tat kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.executeTask(CoroutineScheduler.kt:793)\n"
    "\tat kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.runWorker(CoroutineScheduler.kt:697)\n"
    "\tat kotlinx.coroutines.scheduling.CoroutineScheduler$Worker.run(CoroutineScheduler.kt:684)"
)
PUBSUB_DEADLINE = (
    "com.google.api.gax.rpc.DeadlineExceededException: io.grpc.StatusRuntimeException: DEADLINE_EXCEEDED: deadline "
    "exceeded after 0.999{n}s. [closed=[], open=[[buffered_nanos=1000{m}, waiting_for_connection]]]\n"
    "\tat com.google.api.gax.rpc.ApiExceptionFactory.createException(ApiExceptionFactory.java:94)\n"
    "\tat com.google.api.gax.grpc.GrpcApiExceptionFactory.create(GrpcApiExceptionFactory.java:98)\n"
    "\tat com.google.api.gax.grpc.GrpcExceptionTranslatingCallable$ExceptionTransformingFuture.onFailure("
    "GrpcExceptionTranslatingCallable.java:84)\n"
    "\tat com.google.api.core.ApiFutures$1.onFailure(ApiFutures.java:84)\n"
    "\tat com.fernpay.checkout.events.CheckoutEvents$publish$2.invokeSuspend(CheckoutEvents.kt:41)"
)


def ktor_checkout() -> Case:
    c = Case(
        "ktor-checkout-saga-same-trace",
        fmt="jsonl",
        project="fernpay-prod",
        service="checkout-orchestrator",
        region="europe-north1",
        date="2025-11-18",
        seed=8808,
        about=(
            "A Kotlin / Ktor 2.3 checkout orchestrator, logback with Google's LoggingAppender redirected to stdout "
            "(JSON: severity, message with the stack trace, the request's trace), Ktor CallLogging at INFO ('502 "
            "Bad Gateway: POST - /v1/checkout' is INFO: skip), two instances, JSON Lines. Nine times in two hours "
            "the acquirer does not answer within 3 s: 'Payment authorisation failed for order ...' "
            "(HttpRequestTimeoutException, ERROR); the saga then spends ~2 s compensating (releasing the stock "
            "hold) and logs 'Checkout ... aborted after payment failure; compensation done ...' (ERROR) exactly 2 s "
            "later on the same trace, and the request answers 502 (request entry at arrival, latency ~5 s). Links "
            "to find: 'aborted' <- payment timeout (it is only logged because the authorisation failed), 502 <- "
            "payment timeout (both are direct consequences; the scorer accepts either ancestor). Trap: the "
            "fire-and-forget Pub/Sub publish of the checkout event fails with DEADLINE_EXCEEDED on about one "
            "checkout in six - successful ones too - and on failed checkouts it lands on the SAME trace between "
            "the two errors: an independent root (its failure changes no response), not a consequence of the "
            "timeout. A true small link: 'card token expired' (WARNING) -> 400 on the same trace."
        ),
        sources=[
            "https://ktor.io/docs/client-timeout.html (HttpRequestTimeoutException 'Request timeout has expired "
            "[url=..., request_timeout=... ms]')",
            "https://ktor.io/docs/server-call-logging.html (CallLogging default line)",
            "https://cloud.google.com/logging/docs/setup/java#logback_appender (LoggingAppender, redirectToStdout)",
            "https://cloud.google.com/java/docs/reference/gax/latest/com.google.api.gax.rpc.DeadlineExceededException",
            "https://microservices.io/patterns/data/saga.html (compensating transactions)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "checkout-orchestrator-00052-wud"
    c.problem("acquirer-timeout", title_has=["Payment authorisation failed"], priority=["P1", "P2"])
    c.problem("checkout-aborted", caused_by="acquirer-timeout", title_has=["aborted after payment failure"])
    c.problem("502-checkout", caused_by="acquirer-timeout")
    c.problem("publish-deadline", title_has=["Failed to publish checkout event"], priority=["P2", "P3"])
    c.problem("token-expired", title_has=["card token expired"], priority=["P3"])
    c.problem("400-checkout", caused_by="token-expired")
    c.seen_together.append(["publish-deadline", "acquirer-timeout"])
    ua = "fernpay-web/12.1 (+ktor-client)"

    def jl(dt: datetime, key: str, sev: str, logger: str, msg: str, *, problem=None, trace=None, note=None) -> None:
        payload = {"logger": logger, "message": msg, "severity": sev,
                   "thread": f"eventLoopGroupProxy-4-{c.rng.randint(1, 4)}"}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
        want = "select" if sev in ("WARNING", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    def calllog(dt: datetime, key: str, trace: str, status: str, method: str, path: str) -> None:
        jl(dt, key, "INFO", "io.ktor.server.plugins.callloging.CallLogging", f"{status}: {method} - {path}",
           trace=trace, note="CallLogging at INFO" if status[0] in "45" else None)

    def publish_fail(dt: datetime, key: str, order: str, trace: str, note: str | None = None) -> None:
        jl(dt, key, "ERROR", "com.fernpay.checkout.events.CheckoutEvents",
           f"Failed to publish checkout event for {order} to checkout-events\n"
           + PUBSUB_DEADLINE.format(n=c.rng.randint(100000, 999999), m=c.rng.randint(1000, 9999)),
           problem="publish-deadline", trace=trace, note=note)

    orch = "com.fernpay.checkout.CheckoutSaga"
    for key, hms in (("g1", "09:58:12.330417"), ("g2", "09:58:12.902118")):
        dt = c.t(hms)
        c.system(dt, START_MIN, "INFO", inst=key, rev=rev)
        jl(dt + ms(2410), key, "INFO", "io.ktor.server.Application", "Autoreload is disabled because the "
                                                                      "development mode is off.")
        jl(dt + ms(3120), key, "INFO", "io.ktor.server.Application", "Application started in 1.874 seconds.")
        jl(dt + ms(3260), key, "INFO", "io.ktor.server.Application", "Responding at http://0.0.0.0:8080")
        c.system(dt + ms(3500), probe_ok("checkout-orchestrator-1"), "INFO", inst=key, rev=rev)

    def checkout_ok(dt: datetime, key: str, publish_fails: bool) -> None:
        order = f"ord_{c.hexid(10)}"
        took = c.rng.uniform(0.4, 1.6)
        trace = c.req(dt, "POST", "/v1/checkout", 201, rev=rev, inst=key, latency=took + 0.01, ua=ua)
        jl(dt + ms(3), key, "INFO", orch, f"Checkout {order} started ({c.rng.randint(1, 6)} items)", trace=trace)
        jl(dt + sec(took - 0.05), key, "INFO", orch, f"Payment authorised for {order} (auth {c.hexid(8).upper()})",
           trace=trace)
        if publish_fails:
            publish_fail(dt + sec(took + c.rng.uniform(0.9, 1.1)), key, order, trace,
                         note="fire-and-forget publish after a SUCCESSFUL checkout")
        calllog(dt + sec(took), key, trace, "201 Created", "POST", "/v1/checkout")

    dt = c.t("10:00:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 105.0))
        if dt >= c.t("12:00:00"):
            break
        key = c.rng.choice(["g1", "g2"])
        if c.rng.random() < 0.7:
            checkout_ok(dt, key, c.rng.random() < 1 / 6)
        else:
            oid = f"ord_{c.hexid(10)}"
            trace = c.req(dt, "GET", f"/v1/orders/{oid}", 200, rev=rev, inst=key, latency=c.rng.uniform(0.01, 0.05),
                          ua=ua)
            calllog(dt + ms(c.rng.randint(8, 40)), key, trace, "200 OK", "GET", f"/v1/orders/{oid}")

    # acquirer timeouts: X, then exactly ~2 s later Y, then the 502; sometimes the publish failure in between
    for n, hms in enumerate(("10:07:41.220183", "10:19:02.881046", "10:26:55.402917", "10:44:13.600228",
                             "11:02:37.118804", "11:15:20.950113", "11:28:44.330926", "11:41:06.772015",
                             "11:53:30.208831")):
        dt = c.t(hms)
        key = "g1" if n % 3 else "g2"
        order = f"ord_{c.hexid(10)}"
        hold = f"h_{c.hexid(8)}"
        trace = c.req(dt, "POST", "/v1/checkout", 502, rev=rev, inst=key, latency=5.08 + c.rng.uniform(0, 0.06),
                      problem="502-checkout", ua=ua)
        jl(dt + ms(3), key, "INFO", orch, f"Checkout {order} started ({c.rng.randint(1, 6)} items)", trace=trace)
        x = dt + ms(3010 + c.rng.randint(0, 12))
        jl(x, key, "ERROR", orch, f"Payment authorisation failed for order {order}\n{KTOR_TIMEOUT}",
           problem="acquirer-timeout", trace=trace)
        if n % 2 == 0:
            publish_fail(x + ms(c.rng.randint(950, 1050)), key, order, trace,
                         note="same trace, between the two errors: a coincidence (fails on successful checkouts too)")
        y = x + ms(2000 + c.rng.randint(0, 25))
        jl(y, key, "ERROR", orch, f"Checkout {order} aborted after payment failure; compensation done (stock hold "
                                  f"{hold} released, order marked FAILED)", problem="checkout-aborted", trace=trace)
        calllog(y + ms(c.rng.randint(8, 30)), key, trace, "502 Bad Gateway", "POST", "/v1/checkout")

    for hms in ("10:33:08.402215", "11:09:51.604118", "11:37:19.220417", "11:58:02.010339"):
        dt = c.t(hms)
        key = c.rng.choice(["g1", "g2"])
        order = f"ord_{c.hexid(10)}"
        trace = c.req(dt, "POST", "/v1/checkout", 400, rev=rev, inst=key, latency=c.rng.uniform(0.02, 0.08),
                      problem="400-checkout", ua=ua)
        jl(dt + ms(3), key, "INFO", orch, f"Checkout {order} started ({c.rng.randint(1, 6)} items)", trace=trace)
        jl(dt + ms(c.rng.randint(15, 60)), key, "WARNING", orch, f"Rejected checkout {order}: card token expired",
           problem="token-expired", trace=trace)
        calllog(dt + ms(70), key, trace, "400 Bad Request", "POST", "/v1/checkout")
    return c


# =====================================================================================================================
# 9. NestJS 10: two warnings that come together at every start (independent), and a real upstream failure
# =====================================================================================================================

AXIOS_STACK = (
    "AxiosError: connect ETIMEDOUT 10.8.0.12:443\n"
    "    at Function.AxiosError.from (/app/node_modules/axios/dist/node/axios.cjs:837:14)\n"
    "    at RedirectableRequest.handleRequestError (/app/node_modules/axios/dist/node/axios.cjs:3086:25)\n"
    "    at RedirectableRequest.emit (node:events:519:28)\n"
    "    at eventHandlers.<computed> (/app/node_modules/follow-redirects/index.js:49:24)\n"
    "    at ClientRequest.emit (node:events:519:28)\n"
    "    at TLSSocket.socketErrorListener (node:_http_client:500:9)\n"
    "    at TLSSocket.emit (node:events:519:28)\n"
    "    at emitErrorNT (node:internal/streams/destroy:169:8)\n"
    "    at emitErrorCloseNT (node:internal/streams/destroy:128:3)\n"
    "    at process.processTicksAndRejections (node:internal/process/task_queues:82:21)\n"
    "    at Axios.request (/app/node_modules/axios/dist/node/axios.cjs:4224:41)\n"
    "    at async SmsService.send (/app/dist/sms/sms.service.js:38:26)\n"
    "    at async SmsController.send (/app/dist/sms/sms.controller.js:29:24)"
)


def nestjs_notify() -> Case:
    c = Case(
        "nestjs-notify-gateway-startup-pair",
        fmt="copy",
        project="hearthly-prod",
        service="notify-gateway",
        region="europe-west1",
        date="2025-06-11",
        seed=9909,
        about=(
            "A NestJS 10 notification gateway (Node 20) logging with Nest's ConsoleLogger: plain text with ANSI "
            "colours (Nest colours unless NO_COLOR is set, TTY or not), LOG/WARN on stdout, ERROR and its stack on "
            "stderr, one entry per line, no severity, no trace. Logs Explorer 'copy' format, oldest first. Every "
            "start (four: min instance at 08:00, a scale-up, the 11:30 rollout of revision 00024, another "
            "scale-up) prints two WARN lines 1-3 ms apart, always in the same order: SENTRY_DSN is not set, then "
            "OTEL_EXPORTER_OTLP_ENDPOINT is not set. They are two independent missing optional settings: two roots "
            "(P3), seen together, never linked to each other (same order at every start is not causation) nor to "
            "anything else. The real incident: 10:02-10:09 the SMS provider is unreachable; Nest's ExceptionsHandler "
            "logs 'connect ETIMEDOUT 10.8.0.12:443' with the AxiosError stack and the request answers 500 "
            "(POST /v1/sms); once more at 12:20 on revision 00024. Link to find: 500 on POST /v1/sms <- the "
            "ETIMEDOUT error (same instance, the request's latency ends at the error; plain text has no trace). "
            "Three 400s on the same route come from the ValidationPipe, which logs nothing: a root of their own, "
            "not linked to the timeouts."
        ),
        sources=[
            "https://docs.nestjs.com/techniques/logger (ConsoleLogger format, colours, NO_COLOR)",
            "https://github.com/nestjs/nest/blob/master/packages/common/services/console-logger.service.ts "
            "(level padding, colours, stack printed on its own)",
            "https://docs.nestjs.com/exception-filters (built-in filter logs unknown errors under "
            "'ExceptionsHandler', answers 500)",
            "https://axios-http.com/docs/handling_errors (AxiosError)",
            "https://docs.sentry.io/platforms/javascript/guides/nestjs/ (SENTRY_DSN)",
            "https://opentelemetry.io/docs/specs/otel/protocol/exporter/ (OTEL_EXPORTER_OTLP_ENDPOINT)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    r23, r24 = "notify-gateway-00023-qaf", "notify-gateway-00024-lon"
    rev_of = {"n1": r23, "n2": r23, "n3": r24, "n4": r24}
    c.problem("sentry-dsn-missing", title_has=["SENTRY_DSN"], priority=["P3"])
    c.problem("otel-endpoint-missing", title_has=["OTEL_EXPORTER_OTLP_ENDPOINT"], priority=["P3"])
    c.problem("sms-etimedout", title_has=["ETIMEDOUT"], priority=["P1", "P2"])
    c.problem("500-sms", caused_by="sms-etimedout")
    c.problem("400-sms", priority=["P2", "P3"])
    c.seen_together.append(["sentry-dsn-missing", "otel-endpoint-missing"])
    colours = {"LOG": 32, "WARN": 33, "ERROR": 31}

    def nest(dt: datetime, key: str, level: str, ctx: str, msg: str, *, problem=None, note=None) -> None:
        col = f"{ESC}[{colours[level]}m"
        local = dt + timedelta(hours=2)  # the container's TZ=Europe/Berlin; Nest prints local time
        stamp = f"{local:%m/%d/%Y}, {local.hour % 12 or 12}:{local:%M:%S} {'AM' if local.hour < 12 else 'PM'}"
        line = (f"{col}[Nest] 1  - {ESC}[39m{stamp} {col}{level:>7}{ESC}[39m {ESC}[33m[{ctx}] {ESC}[39m"
                f"{col}{msg}{ESC}[39m")
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, text=line,
              log="stderr" if level == "ERROR" else "stdout", inst=key, rev=rev_of[key])

    def boot(dt: datetime, key: str, reason: str) -> None:
        c.system(dt, reason, "INFO", inst=key, rev=rev_of[key])
        dt += ms(c.rng.randint(1200, 1900))
        nest(dt, key, "LOG", "NestFactory", "Starting Nest application...")
        dt += ms(c.rng.randint(4, 12))
        nest(dt, key, "WARN", "Bootstrap", "SENTRY_DSN is not set; error reporting is disabled",
             problem="sentry-dsn-missing", note="every start, always just before the OTEL warning: independent")
        dt += ms(c.rng.randint(1, 3))
        nest(dt, key, "WARN", "TelemetryService", "OTEL_EXPORTER_OTLP_ENDPOINT is not set; traces will not be "
                                                  "exported", problem="otel-endpoint-missing")
        for ctx, msg in (("InstanceLoader", "AppModule dependencies initialized"),
                         ("InstanceLoader", "ConfigModule dependencies initialized"),
                         ("InstanceLoader", "HttpModule dependencies initialized"),
                         ("InstanceLoader", "SmsModule dependencies initialized"),
                         ("InstanceLoader", "PushModule dependencies initialized"),
                         ("RoutesResolver", "SmsController {/v1/sms}:"),
                         ("RouterExplorer", "Mapped {/v1/sms, POST} route"),
                         ("RoutesResolver", "PushController {/v1/push}:"),
                         ("RouterExplorer", "Mapped {/v1/push, POST} route"),
                         ("NestApplication", "Nest application successfully started")):
            dt += ms(c.rng.randint(1, 9))
            nest(dt, key, "LOG", ctx, msg)
        c.system(dt + ms(c.rng.randint(150, 300)), probe_ok("notify-gateway-1"), "INFO", inst=key, rev=rev_of[key])

    boot(c.t("08:00:03.118226"), "n1", START_MIN)
    boot(c.t("09:12:40.502913"), "n2", START_AUTOSCALING)
    c.deploy(c.t("11:29:48.700412"), principal="ci-deployer@hearthly-prod.iam.gserviceaccount.com")
    boot(c.t("11:30:12.330118"), "n3", START_ROLLOUT)
    boot(c.t("12:05:50.084417"), "n4", START_AUTOSCALING)

    def serving(dt: datetime) -> list[str]:
        if dt < c.t("11:30:16"):
            return ["n1", "n2"] if dt > c.t("09:12:43") else ["n1"]
        return ["n3", "n4"] if dt > c.t("12:05:53") else ["n3"]

    outage = (c.t("10:02:00"), c.t("10:09:30"))
    dt = c.t("08:00:08")
    while True:
        dt += sec(c.rng.expovariate(1 / 100.0))
        if dt >= c.t("12:40:00"):
            break
        if outage[0] <= dt <= outage[1]:
            continue
        key = c.rng.choice(serving(dt))
        if c.rng.random() < 0.6:
            took = c.rng.uniform(0.15, 0.9)
            c.req(dt, "POST", "/v1/sms", 201, rev=rev_of[key], inst=key, latency=took, ua="hearthly-core/4.2")
            if c.rng.random() < 0.6:
                nest(dt + sec(took - 0.01), key, "LOG", "SmsService", f"SMS queued id=sm_{c.hexid(12)} "
                                                                      f"provider=textwave segments=1")
        else:
            took = c.rng.uniform(0.05, 0.3)
            c.req(dt, "POST", "/v1/push", 201, rev=rev_of[key], inst=key, latency=took, ua="hearthly-core/4.2")
            if c.rng.random() < 0.4:
                nest(dt + sec(took - 0.01), key, "LOG", "PushService", f"push sent id=pu_{c.hexid(12)} "
                                                                       "platform=fcm")

    for hms in ("10:02:14.330481", "10:03:40.118227", "10:05:02.776014", "10:06:51.402280", "10:08:33.900127",
                "12:20:07.551820"):
        dt = c.t(hms)
        key = c.rng.choice(serving(dt))
        took = c.rng.uniform(10.0, 21.0)
        c.req(dt, "POST", "/v1/sms", 500, rev=rev_of[key], inst=key, latency=took + 0.004, problem="500-sms",
              ua="hearthly-core/4.2")
        end = dt + sec(took)
        nest(end, key, "ERROR", "ExceptionsHandler", "connect ETIMEDOUT 10.8.0.12:443", problem="sms-etimedout")
        c.lines(end + timedelta(microseconds=120), AXIOS_STACK, want="select", problem="sms-etimedout",
                log="stderr", inst=key, rev=rev_of[key])
    for hms in ("09:31:22.104418", "10:47:09.330127", "12:31:40.882015"):
        dt = c.t(hms)
        key = c.rng.choice(serving(dt))
        c.req(dt, "POST", "/v1/sms", 400, rev=rev_of[key], inst=key, latency=0.006, problem="400-sms",
              ua="hearthly-core/4.2", note="ValidationPipe: no application log")
    return c


# =====================================================================================================================
# 10. Django / gunicorn: a crash loop on a rotated DB password, exported with --limit (only the newest entries)
# =====================================================================================================================

SITE = "/usr/local/lib/python3.12/site-packages"
DJANGO_DB_AUTH = (
    "Traceback (most recent call last):\n"
    f'  File "{SITE}/django/db/backends/base/base.py", line 279, in ensure_connection\n'
    "    self.connect()\n"
    f'  File "{SITE}/django/utils/asyncio.py", line 26, in inner\n'
    "    return func(*args, **kwargs)\n"
    "           ^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/db/backends/base/base.py", line 256, in connect\n'
    "    self.connection = self.get_new_connection(conn_params)\n"
    "                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/utils/asyncio.py", line 26, in inner\n'
    "    return func(*args, **kwargs)\n"
    "           ^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/db/backends/postgresql/base.py", line 332, in get_new_connection\n'
    "    connection = self.Database.connect(**conn_params)\n"
    "                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/psycopg/connection.py", line 119, in connect\n'
    "    raise last_ex.with_traceback(None)\n"
    'psycopg.OperationalError: connection failed: connection to server at "10.41.0.3", port 5432 failed: FATAL:  '
    'password authentication failed for user "ledger_app"\n'
    "\n"
    "The above exception was the direct cause of the following exception:\n"
    "\n"
    "Traceback (most recent call last):\n"
    '  File "/app/manage.py", line 22, in <module>\n'
    "    main()\n"
    '  File "/app/manage.py", line 18, in main\n'
    "    execute_from_command_line(sys.argv)\n"
    f'  File "{SITE}/django/core/management/__init__.py", line 442, in execute_from_command_line\n'
    "    utility.execute()\n"
    f'  File "{SITE}/django/core/management/__init__.py", line 436, in execute\n'
    "    self.fetch_command(subcommand).run_from_argv(self.argv)\n"
    f'  File "{SITE}/django/core/management/base.py", line 413, in run_from_argv\n'
    "    self.execute(*args, **cmd_options)\n"
    f'  File "{SITE}/django/core/management/base.py", line 459, in execute\n'
    "    output = self.handle(*args, **options)\n"
    "             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/core/management/base.py", line 107, in wrapper\n'
    "    res = handle_func(*args, **kwargs)\n"
    "          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/core/management/commands/migrate.py", line 114, in handle\n'
    "    executor = MigrationExecutor(connection, self.migration_progress_callback)\n"
    "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/db/migrations/executor.py", line 18, in __init__\n'
    "    self.loader = MigrationLoader(self.connection)\n"
    "                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/db/migrations/loader.py", line 58, in __init__\n'
    "    self.build_graph()\n"
    f'  File "{SITE}/django/db/migrations/loader.py", line 235, in build_graph\n'
    "    self.applied_migrations = recorder.applied_migrations()\n"
    "                              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/db/migrations/recorder.py", line 89, in applied_migrations\n'
    "    if self.has_table():\n"
    "       ^^^^^^^^^^^^^^^^\n"
    f'  File "{SITE}/django/db/backends/base/base.py", line 278, in ensure_connection\n'
    "    with self.wrap_database_errors:\n"
    f'  File "{SITE}/django/db/utils.py", line 91, in __exit__\n'
    "    raise dj_exc_value.with_traceback(traceback) from exc_value\n"
    f'  File "{SITE}/django/db/backends/base/base.py", line 279, in ensure_connection\n'
    "    self.connect()\n"
    f'  File "{SITE}/psycopg/connection.py", line 119, in connect\n'
    "    raise last_ex.with_traceback(None)\n"
    'django.db.utils.OperationalError: connection failed: connection to server at "10.41.0.3", port 5432 failed: '
    'FATAL:  password authentication failed for user "ledger_app"'
)


def django_truncated() -> Case:
    c = Case(
        "django-ledger-truncated-crashloop",
        fmt="gcloud",
        project="quillbooks-prod",
        service="ledger-web",
        region="us-east1",
        date="2025-08-02",
        seed=10010,
        about=(
            "A Django 5 / gunicorn ledger app whose container runs 'python manage.py migrate --noinput && gunicorn "
            "...'. At night a DBA script rotated the database password; the app's secret still has the old one. "
            "With min-instances 0, every instance Cloud Run starts for an incoming request runs migrate, which "
            "fails: the chained psycopg/django OperationalError traceback ('password authentication failed for "
            "user \"ledger_app\"') arrives as ONE stderr entry with severity ERROR, then 'Container called "
            "exit(1).' and the failed STARTUP probe; the waiting requests (the SPA's GET and POST /api/v1/entries, "
            "Cloud Scheduler's POST /internal/cron/reconcile) are aborted with 503 and no instanceId. The export is "
            "'gcloud logging read ... --limit=N' (newest first), so it holds only the last ~35 minutes of the loop "
            "and begins in the MIDDLE of a failed start: its two oldest entries are an exit(1) and a probe "
            "failure whose traceback was cut off, a minute before the first traceback the export contains. Links "
            "to find: exit <- the OperationalError (also for the first, orphaned exit: same revision, same "
            "recurring crash), probe <- exit, the three 503 routes <- probe. Trap: django-environ's UserWarning "
            "'/app/ledger/.env doesn't exist' (two stderr lines, no severity) is printed by every start, a fraction "
            "of a second before every traceback - and this export shows no healthy start to prove it harmless - yet "
            "it is independent (the environment comes from Cloud Run's env vars, not a .env file): a root (P3)."
        ),
        sources=[
            "https://docs.djangoproject.com/en/5.0/ref/django-admin/#migrate",
            "https://www.psycopg.org/psycopg3/docs/api/errors.html (OperationalError)",
            "https://django-environ.readthedocs.io/en/latest/quickstart.html (read_env warning when .env is "
            "missing)",
            "https://docs.python.org/3/library/warnings.html#warnings.showwarning (file:line: Category: message, "
            "then the source line)",
            "https://cloud.google.com/logging/docs/reference/gcloud-logging#reading_log_entries (--limit, newest "
            "first)",
            *CLOUD_RUN_SOURCES,
            HEALTHCHECKS,
        ],
    )
    rev = "ledger-web-00061-vag"
    c.problem("db-auth-failed", title_has=["password authentication failed"], priority=["P0", "P1"])
    c.problem("crash-exit", caused_by="db-auth-failed")
    c.problem("startup-probe", caused_by="crash-exit")
    c.problem("503-get-entries", caused_by="startup-probe")
    c.problem("503-post-entries", caused_by="startup-probe")
    c.problem("503-cron-reconcile", caused_by="startup-probe")
    c.problem("env-file-warning", title_has=[".env doesn't exist"], priority=["P3"])
    c.seen_together.append(["env-file-warning", "db-auth-failed"])
    exits: list[datetime] = []

    def failed_start(t0: datetime, key: str) -> None:
        c.system(t0, START_AUTOSCALING, "INFO", inst=key, rev=rev)
        dt = t0 + ms(c.rng.randint(900, 1300))
        c.add(dt, want="skip", text="Applying database migrations...", inst=key, rev=rev)
        dt += ms(c.rng.randint(700, 1000))
        c.lines(dt, f"{SITE}/environ/environ.py:639: UserWarning: /app/ledger/.env doesn't exist - if you're not "
                    "configuring your environment separately, create one.\n  warnings.warn(",
                want="select", problem="env-file-warning", log="stderr", inst=key, rev=rev,
                note="printed by every start, before the traceback: independent")
        dt += ms(c.rng.randint(350, 700))
        c.add(dt, want="select", problem="db-auth-failed", text=DJANGO_DB_AUTH, log="stderr", severity="ERROR",
              inst=key, rev=rev)
        dt += ms(c.rng.randint(300, 520))
        c.system(dt, "Container called exit(1).", "WARNING", problem="crash-exit", inst=key, rev=rev)
        exits.append(dt)
        c.system(dt + ms(c.rng.randint(100, 140)), probe_failed("ledger-web-1"), "ERROR", problem="startup-probe",
                 inst=key, rev=rev)

    dt = c.t("03:02:10.330418")
    n = 0
    while dt < c.t("04:06:00"):
        n += 1
        failed_start(dt, f"x{n}")
        dt += sec(c.rng.uniform(38, 95))

    def aborted(arrive: datetime, method: str, path: str, label: str, ua: str) -> None:
        c.req(arrive, method, path, 503, rev=rev, problem=label, text=NO_INSTANCE, latency=c.rng.uniform(3.0, 10.0),
              ua=ua, size=0)

    dt = c.t("03:02:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 55.0))
        if dt >= c.t("04:06:20"):
            break
        if c.rng.random() < 0.65:
            aborted(dt, "GET", f"/api/v1/entries?account={c.rng.randint(1000, 1999)}&page=1", "503-get-entries",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    "Version/17.5 Safari/605.1.15")
        else:
            aborted(dt, "POST", "/api/v1/entries", "503-post-entries",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                    "Version/17.5 Safari/605.1.15")
    dt = c.t("03:05:00.041228")
    while dt < c.t("04:06:00"):
        aborted(dt, "POST", "/internal/cron/reconcile", "503-cron-reconcile", "Google-Cloud-Scheduler")
        dt += timedelta(minutes=5)

    # --limit: cut so that the export's oldest entry is the exit(1) of a start whose traceback is left out
    rows = sorted(c.rows, key=lambda r: (r[0], r[1]))
    cut_exit = min(e for e in exits if e >= c.t("03:31:00"))
    first = next(i for i, r in enumerate(rows) if r[0] == cut_exit)
    c.limit = len(rows) - first
    return c


# =====================================================================================================================
# 11. Two services in one export: a Go BFF whose 502s come from a Rust pricing engine that panics and aborts
# =====================================================================================================================


def two_services() -> Case:
    c = Case(
        "two-services-bff-502-pricing-panic",
        fmt="jsonl",
        project="parcelly-prod",
        service="web-bff",
        region="europe-west1",
        date="2025-08-19",
        seed=11011,
        about=(
            "ONE export (a sink on the project) holding TWO Cloud Run services. web-bff: Go, zerolog JSON with the "
            "level field named severity (upper-case values) and the request's trace. pricing-engine: Rust/axum with "
            "tracing-subscriber's JSON formatter (level inside the payload, no severity) built with panic=abort. "
            "The BFF's GET /api/quote calls the engine's POST /v1/quote and propagates the trace, so both services' "
            "request entries of one call share a trace id. Four times a quote for a zone missing from the rules "
            "hits an unwrap() on None: the engine prints the panic on stderr (three lines, no severity) and aborts "
            "('Container terminated on signal 6.'), its in-flight requests answer 503 (with that instanceId), a new "
            "instance starts. The BFF then logs 'pricing upstream failed' (ERROR, status 503) and answers 502, on "
            "the same traces. Truth: physically the BFF's errors are caused by the engine's crash. Judgment for a "
            "single-service issue tracker (the tool files per service and never links across services): NO "
            "cross-service caused_by. Within pricing-engine: abort <- panic, 503 on POST /v1/quote <- abort. Within "
            "web-bff: 'pricing upstream failed' is the BFF's ROOT - it must be filed in the BFF's tracker (that "
            "team sees its users' 502s; hiding it under an issue of another service's tracker would lose it) - "
            "and the BFF's 502 on GET /api/quote <- that error (same trace). A link from a BFF problem to a "
            "pricing-engine problem, tempting because of the shared trace ids, is a false link here. Other roots: "
            "the BFF's 'slow upstream' warning about address-lookup (a third service, not in the export); the "
            "engine's WARN 'rule cache refresh took longer than expected' (payload level only)."
        ),
        sources=[
            "https://github.com/rs/zerolog#customization (LevelFieldName, LevelFieldMarshalFunc)",
            "https://docs.rs/tracing-subscriber/latest/tracing_subscriber/fmt/format/struct.Json.html (JSON "
            "format: level, fields.message, target; without_time())",
            "https://doc.rust-lang.org/cargo/reference/profiles.html#panic (panic = 'abort')",
            "https://doc.rust-lang.org/std/panic/fn.set_hook.html (default hook output: thread '...' panicked at "
            "file:line:col, message, RUST_BACKTRACE note)",
            "https://cloud.google.com/trace/docs/trace-context (trace propagation between services)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    bff, eng = "web-bff", "pricing-engine"
    rb, re_ = "web-bff-00112-dac", "pricing-engine-00045-hup"
    c.problem("pricing-panic", priority=["P0", "P1"])
    c.problem("pricing-abort", caused_by="pricing-panic")
    c.problem("pricing-503-quote", caused_by="pricing-abort")
    c.problem("pricing-cache-slow", title_has=["rule cache refresh"], priority=["P3"])
    c.problem("bff-pricing-upstream", title_has=["pricing upstream failed"], priority=["P1", "P2"])
    c.problem("bff-502-quote", caused_by="bff-pricing-upstream")
    c.problem("bff-slow-address", title_has=["slow upstream"], priority=["P3"])
    c.seen_together.append(["pricing-panic", "bff-pricing-upstream"])

    def zl(dt: datetime, key: str, sev: str, msg: str, *, problem=None, trace=None, note=None, **fields) -> None:
        payload = {"message": msg, "service": "web-bff", "severity": sev, **fields}
        if trace:
            payload["logging.googleapis.com/trace"] = f"projects/{c.project}/traces/{trace}"
        want = "select" if sev in ("WARNING", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rb, svc=bff)

    def rs(dt: datetime, key: str, level: str, target: str, msg: str, *, problem=None, note=None, **fields) -> None:
        payload = {"fields": {"message": msg, **fields}, "level": level, "target": target}
        want = "select" if level in ("WARN", "ERROR") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=re_, svc=eng)

    eng_host = c.url(eng)
    crashes = ["10:14:22.408113", "10:31:05.772904", "10:52:40.118420", "11:07:18.940233"]
    chain = ["p1", "p2", "p3", "p4", "p5"]
    born = [c.t("09:00:00")] + [c.t(h) + ms(3100) for h in crashes]
    died = [c.t(h) for h in crashes] + [c.t("23:00:00")]

    def engine_at(dt: datetime) -> str:
        for key, b, d in zip(chain, born, died, strict=True):
            if b < dt < d - sec(1):
                return key if c.rng.random() < 0.6 else "q1"
        return "q1"

    def boot_engine(dt: datetime, key: str) -> None:
        c.system(dt, START_AUTOSCALING, "INFO", inst=key, rev=re_, svc=eng)
        rs(dt + ms(c.rng.randint(250, 400)), key, "INFO", "pricing_engine::rules", "loaded price rules", rules=412,
           version="2025-08-19.1")
        rs(dt + ms(c.rng.randint(420, 520)), key, "INFO", "pricing_engine", "listening", addr="0.0.0.0:8080")
        c.system(dt + ms(c.rng.randint(600, 800)), probe_ok("pricing-engine-1"), "INFO", inst=key, rev=re_, svc=eng)

    zones = ["DE-1", "DE-3", "FR-2", "NL-1", "BE-1", "AT-2", "PL-4"]

    def quote_ok(dt: datetime) -> None:
        key = c.rng.choice(["b1", "b2"])
        trace = c.hexid(32)
        e_key = engine_at(dt)
        took = c.rng.uniform(0.004, 0.03)
        c.req(dt, "GET", f"/api/quote?from={c.rng.choice(zones)}&to={c.rng.choice(zones)}&kg="
                         f"{c.rng.randint(1, 30)}", 200, rev=rb, inst=key, trace=trace, svc=bff,
              latency=took + 0.02, ua="parcelly-web/9.1")
        c.req(dt + ms(6), "POST", "/v1/quote", 200, rev=re_, inst=e_key, trace=trace, svc=eng, latency=took,
              ua="Go-http-client/1.1", host=eng_host)
        if c.rng.random() < 0.25:
            rs(dt + ms(8), e_key, "INFO", "pricing_engine::api", "quote computed", zone=c.rng.choice(zones),
               ms=c.rng.randint(1, 12))

    dt = c.t("10:00:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 52.0))
        if dt >= c.t("11:30:00"):
            break
        if any(abs((dt - c.t(h)).total_seconds()) < 4 for h in crashes):
            continue
        quote_ok(dt)
    dt = c.t("10:00:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 110.0))
        if dt >= c.t("11:30:00"):
            break
        key = c.rng.choice(["b1", "b2"])
        if c.rng.random() < 0.5:
            took = c.rng.uniform(0.2, 2.4)
            trace = c.req(dt, "GET", f"/api/address/lookup?q={c.hexid(5)}", 200, rev=rb, inst=key, svc=bff,
                          latency=took, ua="parcelly-web/9.1")
            if took > 1.5:
                zl(dt + sec(took - 0.01), key, "WARNING", "slow upstream", problem="bff-slow-address", trace=trace,
                   upstream="address-lookup", ms=int(took * 1000))
        else:
            c.req(dt, "GET", f"/api/shipments/PCL{c.rng.randint(10**8, 10**9)}", 200, rev=rb, inst=key, svc=bff,
                  latency=c.rng.uniform(0.01, 0.08), ua="parcelly-web/9.1")

    # the engine's own slow cache refresh warnings, on its long-lived instance
    dt = c.t("10:03:12.220104")
    while dt < c.t("11:30:00"):
        rs(dt, "q1", "WARN", "pricing_engine::rules::cache", "rule cache refresh took longer than expected",
           problem="pricing-cache-slow", ms=c.rng.randint(2100, 3400))
        dt += timedelta(minutes=15, seconds=c.rng.randint(-20, 20))

    panic = (
        "thread 'tokio-runtime-worker' panicked at src/rules/zone.rs:112:38:\n"
        "called `Option::unwrap()` on a `None` value\n"
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace"
    )
    for n, hms in enumerate(crashes):
        t0 = c.t(hms)
        key = chain[n]
        # the call that panics, plus other calls in flight on the same engine instance
        for k in range(c.rng.randint(1, 3)):
            arrive = t0 - ms(c.rng.randint(2, 9)) if k == 0 else t0 - ms(c.rng.randint(15, 400))
            trace = c.hexid(32)
            b_key = c.rng.choice(["b1", "b2"])
            dest = "IE-9" if k == 0 else c.rng.choice(zones)
            lat = (t0 - arrive).total_seconds() + c.rng.uniform(0.02, 0.05)
            c.req(arrive - ms(5), "GET", f"/api/quote?from={c.rng.choice(zones)}&to={dest}&kg={c.rng.randint(1, 30)}",
                  502, rev=rb, inst=b_key, trace=trace, svc=bff, latency=lat + 0.01, problem="bff-502-quote",
                  ua="parcelly-web/9.1")
            c.req(arrive, "POST", "/v1/quote", 503, rev=re_, inst=key, trace=trace, svc=eng, latency=lat,
                  problem="pricing-503-quote", text=MALFORMED, ua="Go-http-client/1.1", host=eng_host, size=0)
            zl(arrive + sec(lat) + ms(c.rng.randint(1, 4)), b_key, "ERROR", "pricing upstream failed",
               problem="bff-pricing-upstream", trace=trace, upstream="pricing-engine", status=503,
               path="/v1/quote", error="unexpected status 503 Service Unavailable",
               note="caused by pricing-engine's crash, but another service: the BFF's own root")
        dt = c.lines(t0, panic, want="select", problem="pricing-panic", log="stderr", inst=key, rev=re_, svc=eng)
        c.system(dt + ms(c.rng.randint(15, 40)), "Container terminated on signal 6.", "WARNING",
                 problem="pricing-abort", inst=key, rev=re_, svc=eng)
        boot_engine(t0 + ms(c.rng.randint(2300, 2900)), chain[n + 1])
    return c


# =====================================================================================================================
# 12. Flask / gunicorn sync workers: huge reports hit the worker timeout; the kill message suggests memory
# =====================================================================================================================


def flask_reports() -> Case:
    c = Case(
        "flask-gunicorn-report-worker-timeout",
        fmt="entries-list",
        project="atlasdocs-prod",
        service="report-renderer",
        region="us-central1",
        date="2025-07-08",
        seed=12012,
        about=(
            "A Flask 3 report renderer (WeasyPrint) under gunicorn 22 with 2 sync workers and --timeout 30, "
            "logging.basicConfig's default format on stderr ('LEVEL:logger:message', no severity), gunicorn's error "
            "log on stderr and its access log on stdout, two instances, Logging API entries.list response. Four "
            "times a very large report takes longer than 30 s: gunicorn's master logs '[CRITICAL] WORKER TIMEOUT "
            "(pid:N)' and aborts the worker; three times the worker exits ('Worker exiting', then '[ERROR] Worker "
            "(pid:N) exited with code 1.'), once it is stuck in native code and gets SIGKILL ('[ERROR] Worker "
            "(pid:N) was sent SIGKILL! Perhaps out of memory?'); the request in flight answers 503 from Cloud Run "
            "(request entry at arrival, latency ~30 s, same instance, no trace in the text logs). Links to find: "
            "'exited with code 1' <- worker timeout; the SIGKILL line <- worker timeout (its 'Perhaps out of "
            "memory?' is gunicorn's generic hint: no memory limit was hit, nothing here is about memory); the 503 "
            "on GET /reports/{id}.pdf <- the worker timeout (the aborted worker drops the connection; its "
            "direct cause is whichever exit line follows, so the label names their common cause). Traps: "
            "WeasyPrint's 'Ignored `text-wrap: pretty` ... unknown "
            "property' WARNING is printed by EVERY render, including each timed-out one 30 s before the timeout: an "
            "independent root (P3). The cache upload 403 (ERROR, permission) happens on successful renders and "
            "changes no response: a root of its own. 404s for unknown report ids: a root (logged at INFO by the app)."
        ),
        sources=[
            "https://docs.gunicorn.org/en/stable/settings.html#timeout (workers silent for more than this many "
            "seconds are killed and restarted)",
            "benoitc/gunicorn gunicorn/arbiter.py (murder_workers: 'WORKER TIMEOUT (pid:%s)', SIGABRT then SIGKILL; "
            "reap_workers: 'Worker (pid:%s) exited with code %s.', 'was sent %s!', 'Perhaps out of memory?'), "
            "gunicorn/glogging.py (error log format)",
            "https://docs.python.org/3/library/logging.html#logging.basicConfig (default format "
            "'%(levelname)s:%(name)s:%(message)s')",
            "https://doc.courtbouillon.org/weasyprint/stable/api_reference.html#logging (weasyprint logger, "
            "ignored CSS warnings)",
            "https://cloud.google.com/storage/docs/access-control/iam-permissions (storage.objects.create)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "report-renderer-00027-fey"
    c.problem("worker-timeout", title_has=["WORKER TIMEOUT"], priority=["P1", "P2"])
    c.problem("worker-exit-code", caused_by="worker-timeout")
    c.problem("worker-sigkill", caused_by="worker-timeout")
    c.problem("503-report-pdf", caused_by="worker-timeout")
    c.problem("css-ignored", title_has=["text-wrap"], priority=["P3"])
    c.problem("cache-upload-403", title_has=["storage.objects.create"], priority=["P1", "P2", "P3"])
    c.problem("404-report-pdf", priority=["P3"])
    c.seen_together.append(["css-ignored", "worker-timeout"])
    pids = {"r1": [7, 8], "r2": [7, 9]}
    next_pid = {"r1": 19, "r2": 23}

    def gun(dt: datetime, key: str, pid: int, level: str, msg: str, *, problem=None, note=None) -> None:
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, log="stderr", inst=key, rev=rev,
              text=f"[{dt:%Y-%m-%d %H:%M:%S} +0000] [{pid}] [{level}] {msg}")

    def pylog(dt: datetime, key: str, level: str, name: str, msg: str, *, problem=None, note=None) -> None:
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, log="stderr", inst=key, rev=rev,
              text=f"{level}:{name}:{msg}")

    def access(dt: datetime, key: str, path: str, status: int, size: int) -> None:
        c.add(dt, want="skip", inst=key, rev=rev, text=f'169.254.169.126 - - [{dt:%d/%b/%Y:%H:%M:%S} +0000] "GET '
                                                       f'{path} HTTP/1.1" {status} {size} "-" "atlasdocs-web/2.0"')

    ua = "atlasdocs-web/2.0"

    def render(dt: datetime, key: str, *, upload_fails: bool = False) -> None:
        rid = f"rp_{c.rng.randint(1000, 9999)}"
        pages = c.rng.randint(2, 240)
        took = 0.4 + pages * c.rng.uniform(0.02, 0.05)
        size = pages * c.rng.randint(1800, 2600)
        path = f"/reports/{rid}.pdf"
        c.req(dt, "GET", path, 200, rev=rev, inst=key, latency=took + 0.01, ua=ua, size=size)
        pylog(dt + ms(4), key, "INFO", "reports", f"rendering report {rid} (pages={pages})")
        pylog(dt + ms(c.rng.randint(150, 260)), key, "WARNING", "weasyprint",
              "Ignored `text-wrap: pretty` at 14:3, unknown property.", problem="css-ignored")
        if upload_fails:
            pylog(dt + sec(took - 0.02), key, "ERROR", "reports",
                  f"caching {rid}.pdf failed: 403 POST https://storage.googleapis.com/upload/storage/v1/b/"
                  "atlasdocs-pdf-cache/o?uploadType=multipart: atlasdocs-renderer@atlasdocs-prod.iam."
                  "gserviceaccount.com does not have storage.objects.create access to the Google Cloud Storage "
                  f"object. Permission 'storage.objects.create' denied on resource (or it may not exist).",
                  problem="cache-upload-403", note="the PDF is still served: no request fails")
        access(dt + sec(took), key, path, 200, size)

    dt = c.t("15:00:00")
    while True:
        dt += sec(c.rng.expovariate(1 / 95.0))
        if dt >= c.t("17:00:00"):
            break
        render(dt, c.rng.choice(["r1", "r2"]))
    for hms in ("15:41:07.220318", "16:14:52.018833", "16:58:20.604127"):
        render(c.t(hms), c.rng.choice(["r1", "r2"]), upload_fails=True)

    for n, (hms, key) in enumerate((("15:24:10.330217", "r1"), ("15:58:44.118022", "r2"), ("16:31:02.702914", "r1"),
                                    ("16:47:55.440181", "r2"))):
        kill = c.t(hms)
        rid = f"rp_{c.rng.randint(1000, 9999)}"
        arrive = kill - sec(30.0 + c.rng.uniform(0.2, 0.9))
        pid = pids[key][n % 2]
        c.req(arrive, "GET", f"/reports/{rid}.pdf", 503, rev=rev, inst=key, problem="503-report-pdf", text=MALFORMED,
              latency=(kill - arrive).total_seconds() + c.rng.uniform(0.05, 0.2), ua=ua, size=0)
        pylog(arrive + ms(4), key, "INFO", "reports", f"rendering report {rid} (pages={c.rng.randint(1300, 1900)})")
        pylog(arrive + ms(c.rng.randint(150, 260)), key, "WARNING", "weasyprint",
              "Ignored `text-wrap: pretty` at 14:3, unknown property.", problem="css-ignored",
              note="printed by every render; this one later times out")
        gun(kill, key, 1, "CRITICAL", f"WORKER TIMEOUT (pid:{pid})", problem="worker-timeout")
        if n == 2:  # stuck in native code: SIGABRT is not handled, the next check sends SIGKILL
            gun(kill + ms(c.rng.randint(1000, 1100)), key, 1, "ERROR",
                f"Worker (pid:{pid}) was sent SIGKILL! Perhaps out of memory?", problem="worker-sigkill",
                note="gunicorn's generic hint: no memory limit was exceeded")
            back = kill + ms(1120)
        else:
            gun(kill + ms(c.rng.randint(5, 30)), key, pid, "INFO", f"Worker exiting (pid: {pid})")
            gun(kill + ms(c.rng.randint(40, 90)), key, 1, "ERROR", f"Worker (pid:{pid}) exited with code 1.",
                problem="worker-exit-code")
            back = kill + ms(100)
        new = next_pid[key]
        next_pid[key] += 1
        pids[key][n % 2] = new
        gun(back + ms(c.rng.randint(5, 20)), key, 1, "INFO", f"Booting worker with pid: {new}")

    for hms in ("15:12:40.118204", "16:05:09.330871", "16:52:31.902277"):
        dt = c.t(hms)
        key = c.rng.choice(["r1", "r2"])
        rid = f"rp_{c.rng.randint(1000, 9999)}"
        c.req(dt, "GET", f"/reports/{rid}.pdf", 404, rev=rev, inst=key, problem="404-report-pdf", latency=0.012,
              ua=ua)
        pylog(dt + ms(5), key, "INFO", "reports", f"report {rid} not found")
        access(dt + ms(8), key, f"/reports/{rid}.pdf", 404, 207)
    return c


# =====================================================================================================================


SCENARIOS = [
    node_shopfront,
    spring_orders,
    go_thumbd,
    fastapi_geocode,
    rails_canary,
    dotnet_claims,
    job_laravel_invoices,
    ktor_checkout,
    nestjs_notify,
    django_truncated,
    two_services,
    flask_reports,
]


def main() -> None:
    if OUT.exists():
        for child in OUT.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    OUT.mkdir(parents=True, exist_ok=True)
    total = [0, 0, 0, 0, 0]
    for make in SCENARIOS:
        case = make()
        counts = case.write()
        total = [a + b for a, b in zip(total, counts, strict=True)]
        print(f"{case.name:48s} entries {counts[0]:4d}  select {counts[1]:4d}  problems {counts[2]:2d}  "
              f"roots {counts[3]:2d}  consequences {counts[4]:2d}")
    print(f"{'total':48s} entries {total[0]:4d}  select {total[1]:4d}  problems {total[2]:2d}  roots {total[3]:2d}  "
          f"consequences {total[4]:2d}")


if __name__ == "__main__":
    main()
