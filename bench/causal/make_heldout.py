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
START_ROLLOUT = "Starting new instance. Reason: DEPLOYMENT_ROLLOUT - Instance started because of a new revision rollout."
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
