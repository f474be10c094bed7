#!/usr/bin/env python3
"""Regenerate the HELD-OUT classification corpus in ``bench/corpus/heldout/``.

    python bench/corpus/make_heldout.py

rewrites the folder from scratch (fixed seeds, fixed times: the output is byte-for-byte the same on every run).
Each case is a Cloud Run service or job of its own, in its own stack, exported in one of the formats users have
(see ``/work/notes/corpus-spec.md`` for the format of ``export.<ext>`` and ``expect.json``). The line formats are
copied from each framework's documented or source-code format (listed in every case's ``sources``); the services,
ids and messages are invented.

This corpus is held out: the classification and reassembly rules were not designed on it. Do not tune rules to it;
use it only to measure whether they generalise.
"""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "heldout"
E = "\x1b"  # ANSI escape, kept in the text as the frameworks print it
CLOUD_RUN_SOURCES = [
    "https://cloud.google.com/run/docs/logging",
    "https://cloud.google.com/logging/docs/structured-logging",
]


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Case:
    """One case: a service (or job) whose entries are added in any order and written in the export's order."""

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
    ) -> None:
        self.name = name
        self.fmt = fmt  # gcloud | gcloud-utf16 | jsonl | copy | entries-list | text
        self.project = project
        self.service = service
        self.region = region
        self.job = job
        self.date = date
        self.rng = random.Random(seed)
        self.about = about
        self.sources = sources
        self.rows: list[tuple[datetime, int, dict | str, dict]] = []
        self.problems: dict[str, dict] = {}
        self._instances: dict[str, str] = {}
        self._used_ids: set[str] = set()

    # ----- building blocks
    def t(self, hms: str) -> datetime:
        """'08:02:11.118' on the case's date, UTC."""
        return datetime.fromisoformat(f"{self.date}T{hms}").replace(tzinfo=UTC)

    def inst(self, key: str) -> str:
        if key not in self._instances:
            self._instances[key] = "00" + "".join(self.rng.choice("0123456789abcdef") for _ in range(110))
        return self._instances[key]

    def _insert_id(self) -> str:
        while True:
            value = f"{self.rng.getrandbits(96):024x}"
            if value not in self._used_ids:
                self._used_ids.add(value)
                return value

    def problem(self, label: str, *, title_has=None, priority=None, caused_by=None) -> None:
        spec: dict = {}
        if title_has:
            spec["title_has"] = title_has
        if priority:
            spec["priority"] = priority
        if caused_by:
            spec["caused_by"] = caused_by
        self.problems[label] = spec

    def _label(self, want: str, problem: str | None, note: str | None) -> dict:
        assert want in ("select", "skip"), want
        assert (want == "select") == (problem is not None), (want, problem)
        label = {"want": want, "problem": problem}
        if note:
            label["note"] = note
        return label

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
        task: tuple[str, int, int] | None = None,
        http: dict | None = None,
        trace: str | None = None,
    ) -> None:
        label = self._label(want, problem, note)
        if self.fmt == "text":
            assert text is not None
            self.rows.append((dt, len(self.rows), text, label))
            return
        entry: dict = {"insertId": self._insert_id()}
        if text is not None:
            entry["textPayload"] = text
        if payload is not None:
            payload = dict(payload)
            if "severity" in payload:  # Cloud Run lifts `severity` out of a JSON line, nothing else
                severity = payload.pop("severity")
            entry["jsonPayload"] = payload
        if proto is not None:
            entry["protoPayload"] = proto
        assert sum(k in entry for k in ("textPayload", "jsonPayload", "protoPayload")) == 1
        if http is not None:
            entry["httpRequest"] = http
        if self.job:
            entry["resource"] = {
                "type": "cloud_run_job",
                "labels": {"job_name": self.service, "location": self.region, "project_id": self.project},
            }
        else:
            entry["resource"] = {
                "type": "cloud_run_revision",
                "labels": {
                    "configuration_name": self.service,
                    "location": self.region,
                    "project_id": self.project,
                    "revision_name": rev,
                    "service_name": self.service,
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
        logs = {
            "stdout": "run.googleapis.com%2Fstdout",
            "stderr": "run.googleapis.com%2Fstderr",
            "requests": "run.googleapis.com%2Frequests",
            "system": "run.googleapis.com%2Fvarlog%2Fsystem",
            "activity": "cloudaudit.googleapis.com%2Factivity",
            "system_event": "cloudaudit.googleapis.com%2Fsystem_event",
        }
        entry["logName"] = f"projects/{self.project}/logs/{logs[log]}"
        if trace is not None:
            entry["trace"] = f"projects/{self.project}/traces/{trace}"
        receive = dt + timedelta(microseconds=self.rng.randint(4_000, 90_000))
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

    def system(self, dt: datetime, text: str, severity: str, *, want="select", problem=None, note=None, **kw):
        self.add(dt, want=want, problem=problem, note=note, text=text, log="system", severity=severity, **kw)

    # ----- output
    def write(self) -> tuple[int, int, int]:
        folder = OUT / self.name
        folder.mkdir(parents=True)
        rows = sorted(self.rows, key=lambda r: (r[0], r[1]))
        if self.fmt in ("gcloud", "gcloud-utf16"):
            rows.reverse()  # gcloud logging read: newest first
        entries: dict[str, dict] = {}
        if self.fmt == "text":
            out = "".join(str(row[2]) + "\n" for row in rows)
            for n, row in enumerate(rows, 1):
                entries[f"L{n}"] = row[3]
            (folder / "export.txt").write_text(out, encoding="utf-8", newline="\n")
        else:
            objs = [row[2] for row in rows]
            for row in rows:
                entries[row[2]["insertId"]] = row[3]
            if self.fmt == "gcloud":
                text = json.dumps(objs, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
                (folder / "export.json").write_text(text, encoding="utf-8", newline="\n")
            elif self.fmt == "gcloud-utf16":
                # `gcloud logging read ... --format=json > export.json` in Windows PowerShell 5.1:
                # UTF-16LE with a byte-order mark, CRLF line ends.
                text = json.dumps(objs, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
                data = b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")
                (folder / "export.json").write_bytes(data)
            elif self.fmt == "jsonl":
                text = "".join(json.dumps(o, ensure_ascii=False, separators=(",", ":")) + "\n" for o in objs)
                (folder / "export.jsonl").write_text(text, encoding="utf-8", newline="\n")
            elif self.fmt == "copy":
                text = "\n".join(json.dumps(o, indent=2, ensure_ascii=False) for o in objs) + "\n"
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
        assert used == set(self.problems), (self.name, used ^ set(self.problems))
        for label, spec in self.problems.items():
            if "caused_by" in spec:
                assert spec["caused_by"] in self.problems, (self.name, label)
        expect = {"about": self.about, "sources": self.sources, "entries": entries, "problems": self.problems}
        (folder / "expect.json").write_text(json.dumps(expect, indent=2, ensure_ascii=False) + "\n",
                                            encoding="utf-8", newline="\n")
        selected = sum(1 for lab in entries.values() if lab["want"] == "select")
        return len(entries), selected, len(entries) - selected


# =====================================================================================================================
# 1. Flask under gunicorn, then a revision that ran the Werkzeug development server by mistake
# =====================================================================================================================


def flask_gunicorn() -> Case:
    c = Case(
        "flask-gunicorn-parcel-quotes",
        fmt="gcloud",
        project="quoteforge-prod",
        service="parcel-quotes",
        date="2025-09-15",
        seed=101,
        about=(
            "A Flask 3 app (Python 3.12) under gunicorn 22 (gthread, access log on stdout, error log on stderr), "
            "app.logger with Flask's default handler and format ('[time] LEVEL in module: message'). Revision 00031: "
            "a KeyError raised by one carrier's rate table, logged by Flask's log_exception as ONE entry with "
            "severity ERROR (Cloud Run keeps the Python traceback together), the access lines of those 500s "
            "(plain access records: skip), a gunicorn CRITICAL WORKER TIMEOUT, a carrier-latency WARNING, INFO "
            "lines that mention errors and an INFO line quoting a user's text 'ERROR 404 ...'. Revision 00032 was "
            "deployed with `python -m parcel_quotes` and ran the Werkzeug development server: its ANSI-coloured "
            "start-up banner (the dev-server WARNING is a line of an INFO record), coloured access lines, and the "
            "same KeyError again. gcloud JSON export, newest first."
        ),
        sources=[
            "https://flask.palletsprojects.com/en/stable/logging/ (default format "
            "'[%(asctime)s] %(levelname)s in %(module)s: %(message)s')",
            "https://docs.gunicorn.org/en/stable/settings.html#access-log-format (default access_log_format)",
            "benoitc/gunicorn gunicorn/glogging.py (error log '[%(asctime)s] [%(process)d] [%(levelname)s] "
            "%(message)s', datefmt '[%Y-%m-%d %H:%M:%S %z]'), gunicorn/arbiter.py ('WORKER TIMEOUT (pid:%s)')",
            "pallets/werkzeug src/werkzeug/serving.py (log_startup dev-server warning, log_request colours, "
            "_ansi_style)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    r1, r2 = "parcel-quotes-00031-wub", "parcel-quotes-00032-xoz"
    c.problem("ups-zone-keyerror", title_has=["KeyError"], priority=["P1", "P2"])
    c.problem("carrier-slow", priority=["P2", "P3"])
    c.problem("worker-timeout", title_has=["WORKER TIMEOUT"], priority=["P1", "P2"])
    c.problem("dev-server-warning", title_has=["development server"], priority=["P2", "P3"])

    def gun(dt: datetime, pid: int, level: str, msg: str) -> str:
        return f"[{dt:%Y-%m-%d %H:%M:%S} +0000] [{pid}] [{level}] {msg}"

    def access(dt: datetime, req: str, status: int, size: int, ua: str = "quote-widget/2.3.1") -> str:
        return f'169.254.169.126 - - [{dt:%d/%b/%Y:%H:%M:%S} +0000] "{req}" {status} {size} "-" "{ua}"'

    def flog(dt: datetime, level: str, module: str, msg: str) -> str:
        return f"[{dt:%Y-%m-%d %H:%M:%S},{dt.microsecond // 1000:03d}] {level} in {module}: {msg}"

    def keyerror(country: str) -> str:
        return (
            "Traceback (most recent call last):\n"
            '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 1473, in wsgi_app\n'
            "    response = self.full_dispatch_request()\n"
            "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 882, in full_dispatch_request\n'
            "    rv = self.handle_user_exception(e)\n"
            "         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 880, in full_dispatch_request\n'
            "    rv = self.dispatch_request()\n"
            "         ^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/usr/local/lib/python3.12/site-packages/flask/app.py", line 865, in dispatch_request\n'
            "    return self.ensure_sync(self.view_functions[rule.endpoint])(**view_args)\n"
            "           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/srv/parcel_quotes/views.py", line 57, in create_quote\n'
            "    rates = [carrier.rate(parcel) for carrier in carriers_for(parcel)]\n"
            "             ^^^^^^^^^^^^^^^^^^^^\n"
            '  File "/srv/parcel_quotes/carriers/ups.py", line 88, in rate\n'
            "    zone = ZONE_TABLE[parcel.dest_country][parcel.weight_band]\n"
            "           ~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^\n"
            f"KeyError: '{country}'"
        )

    # --- revision 00031, two instances
    for key, t0, pids in (("a1", "08:02:11.204113", (7, 8)), ("a2", "08:09:02.551870", (7, 9))):
        dt = c.t(t0)
        for msg in ("Starting gunicorn 22.0.0", "Listening at: http://0.0.0.0:8080 (1)", "Using worker: gthread"):
            c.add(dt, want="skip", text=gun(dt, 1, "INFO", msg), log="stderr", inst=key, rev=r1)
            dt += timedelta(microseconds=c.rng.randint(300, 900))
        for pid in pids:
            dt += timedelta(milliseconds=c.rng.randint(8, 30))
            c.add(dt, want="skip", text=gun(dt, pid, "INFO", f"Booting worker with pid: {pid}"), log="stderr",
                  inst=key, rev=r1)

    good = [
        ("08:02:15.611920", "a1", "GET /v1/carriers HTTP/1.1", 200, 1893),
        ("08:03:40.522310", "a1", "POST /v1/quotes HTTP/1.1", 200, 611),
        ("08:05:04.402715", "a1", "POST /v1/quotes HTTP/1.1", 200, 598),
        ("08:09:31.018455", "a2", "GET /v1/quotes/q_7HkP2 HTTP/1.1", 200, 611),
        ("08:13:12.750111", "a2", "POST /v1/quotes HTTP/1.1", 200, 640),
    ]
    for hms, key, req, status, size in good:
        dt = c.t(hms)
        c.add(dt, want="skip", text=access(dt, req, status, size), inst=key, rev=r1)
    dt = c.t("08:03:40.518004")
    c.add(dt, want="skip", inst="a1", rev=r1, log="stderr",
          text=flog(dt, "INFO", "quotes", "quote q_7HkP2 priced by 3 carriers in 412 ms (errors=0, retries=0)"))
    dt = c.t("08:05:02.114290")
    c.add(dt, want="select", problem="carrier-slow", inst="a1", rev=r1, log="stderr",
          text=flog(dt, "WARNING", "carriers", "carrier dhl-express slow: 2871 ms (budget 2000 ms)"))
    dt = c.t("08:12:40.300561")
    c.add(dt, want="select", problem="carrier-slow", inst="a2", rev=r1, log="stderr",
          text=flog(dt, "WARNING", "carriers", "carrier fedex-intl slow: 3340 ms (budget 2000 ms)"))
    dt = c.t("08:06:10.090233")
    c.add(dt, want="skip", inst="a1", rev=r1, log="stderr",
          text=flog(dt, "INFO", "carriers", "handled error from fedex: HTTP 503, served cached rate for q_9LmQ0"),
          note="INFO about an error that was handled")
    dt = c.t("08:09:30.004418")
    c.add(dt, want="skip", inst="a2", rev=r1, log="stderr",
          text=flog(dt, "INFO", "quotes", 'delivery note saved for q_7HkP2: "ERROR 404 DOOR NOT FOUND, LEAVE AT DESK"'),
          note="INFO line quoting a user's text that contains ERROR: not an error")

    for hms, key, country in (("08:07:19.882051", "a1", "XK"), ("08:14:02.117620", "a2", "XK"),
                              ("08:15:47.660392", "a1", "IC")):
        dt = c.t(hms)
        text = flog(dt, "ERROR", "app", "Exception on /v1/quotes [POST]") + "\n" + keyerror(country)
        c.add(dt, want="select", problem="ups-zone-keyerror", text=text, log="stderr", severity="ERROR",
              inst=key, rev=r1)
        dt2 = dt + timedelta(milliseconds=3)
        c.add(dt2, want="skip", text=access(dt2, "POST /v1/quotes HTTP/1.1", 500, 265), inst=key, rev=r1,
              note="access record of the failed request; no level, the error itself is the traceback")

    dt = c.t("08:11:45.020117")
    c.add(dt, want="select", problem="worker-timeout", text=gun(dt, 1, "CRITICAL", "WORKER TIMEOUT (pid:8)"),
          log="stderr", inst="a1", rev=r1)
    dt += timedelta(milliseconds=611)
    c.add(dt, want="skip", text=gun(dt, 23, "INFO", "Booting worker with pid: 23"), log="stderr", inst="a1", rev=r1)

    # --- revision 00032: the Werkzeug development server
    dt = c.t("08:20:01.440178")
    c.add(dt, want="skip", text=" * Serving Flask app 'parcel_quotes'", inst="b1", rev=r2)
    dt += timedelta(microseconds=210)
    c.add(dt, want="skip", text=" * Debug mode: off", inst="b1", rev=r2)
    dt += timedelta(milliseconds=7)
    dev_warning = (f"{E}[31m{E}[1mWARNING: This is a development server. Do not use it in a production deployment. "
                   f"Use a production WSGI server instead.{E}[0m")
    c.add(dt, want="select", problem="dev-server-warning", text=dev_warning, log="stderr", inst="b1", rev=r2,
          note="first line of werkzeug's INFO start-up record, but a real warning: production runs the dev server")
    dt += timedelta(microseconds=9)
    dt = c.lines(dt, " * Running on all addresses (0.0.0.0)\n * Running on http://127.0.0.1:8080\n"
                     " * Running on http://169.254.8.1:8080", want="skip", log="stderr", inst="b1", rev=r2,
                 note="continuation of the start-up record: informational")
    c.add(dt + timedelta(microseconds=80), want="skip", text=f"{E}[33mPress CTRL+C to quit{E}[0m", log="stderr",
          inst="b1", rev=r2)

    def wz(dt: datetime, req: str, status: int) -> str:
        return f'169.254.169.126 - - [{dt:%d/%b/%Y %H:%M:%S}] "{req}" {status} -'

    for hms, req, status in (
        ("08:20:09.118402", "GET /v1/carriers HTTP/1.1", 200),
        ("08:20:31.902555", f"{E}[33mGET /favicon.ico HTTP/1.1{E}[0m", 404),
        ("08:21:02.313377", "POST /v1/quotes HTTP/1.1", 200),
        ("08:22:40.870091", f"{E}[31m{E}[1mPOST /v1/quotes HTTP/1.1{E}[0m", 400),
    ):
        dt = c.t(hms)
        c.add(dt, want="skip", text=wz(dt, req, status), log="stderr", inst="b1", rev=r2)
    dt = c.t("08:23:15.551204")
    text = flog(dt, "ERROR", "app", "Exception on /v1/quotes [POST]") + "\n" + keyerror("XK")
    c.add(dt, want="select", problem="ups-zone-keyerror", text=text, log="stderr", severity="ERROR", inst="b1",
          rev=r2)
    dt += timedelta(milliseconds=2)
    c.add(dt, want="skip", text=wz(dt, f"{E}[35m{E}[1mPOST /v1/quotes HTTP/1.1{E}[0m", 500), log="stderr",
          inst="b1", rev=r2, note="werkzeug access record of the 500 (INFO level): the error is the traceback")
    return c


def uuid4(rng: random.Random) -> str:
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[rng.randrange(4)]}{h[17:20]}-{h[20:]}"


# =====================================================================================================================
# 2. Django under gunicorn, LOGGING with the documentation's "verbose" formatter; tracebacks split per line
# =====================================================================================================================

DJ = "/usr/local/lib/python3.10/site-packages/django"


def django_clinic() -> Case:
    c = Case(
        "django-clinic-booking",
        fmt="jsonl",
        project="medislot-prod",
        service="clinic-booking",
        date="2025-09-16",
        region="us-central1",
        seed=202,
        about=(
            "Django 4.2 (Python 3.10) under gunicorn, LOGGING sends the 'django' loggers to a console "
            "StreamHandler (stderr) with "
            "the documentation's 'verbose' formatter ('{levelname} {asctime} {module} {process:d} {thread:d} "
            "{message}'). Here the Python tracebacks are NOT kept together: every line of 'Internal Server Error: "
            "/path' + traceback is its own entry without severity (the other shape the spec allows), including a "
            "chained psycopg -> django.db.utils.OperationalError whose message contains 'FATAL:'. Also: "
            "django.request 'Not Found:' warnings from scanners, a CSRF 'Forbidden' warning, a DisallowedHost "
            "ERROR (django.security logs it with its traceback, then django.request logs 'Bad Request: /' for the "
            "same request), INFO lines that mention failures, gunicorn start/stop lines. Cloud Storage sink, "
            "JSON Lines, oldest first."
        ),
        sources=[
            "https://docs.djangoproject.com/en/4.2/topics/logging/ (the 'verbose' formatter example; "
            "django.request and django.security loggers)",
            "django/django django/utils/log.py (log_response: 'Internal Server Error: %s', 'Not Found: %s', "
            "'Bad Request: %s', 'Forbidden (%s): %s')",
            "django/django django/core/handlers/exception.py (SuspiciousOperation logged by "
            "django.security.<class> with exc_info)",
            "benoitc/gunicorn gunicorn/glogging.py (error log format)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "clinic-booking-00118-fen"
    c.problem("reschedule-day-range", title_has=["ValueError"], priority=["P1", "P2"])
    c.problem("db-connection-slots", title_has=["OperationalError"], priority=["P0", "P1"])
    c.problem("not-found", title_has=["Not Found"], priority=["P3"])
    c.problem("csrf-forbidden", priority=["P2", "P3"])
    c.problem("disallowed-host", title_has=["DisallowedHost"], priority=["P2", "P3"])
    threads = {"d1": 139871023511232, "d2": 140116448036544}

    def dj(dt: datetime, level: str, module: str, key: str, msg: str) -> str:
        return f"{level} {dt:%Y-%m-%d %H:%M:%S},{dt.microsecond // 1000:03d} {module} 9 {threads[key]} {msg}"

    def gun(dt: datetime, pid: int, level: str, msg: str) -> str:
        return f"[{dt:%Y-%m-%d %H:%M:%S} +0000] [{pid}] [{level}] {msg}"

    for key, t0 in (("d1", "10:02:07.330912"), ("d2", "10:16:40.118220")):
        dt = c.t(t0)
        for pid, msg in ((1, "Starting gunicorn 23.0.0"), (1, "Listening at: http://0.0.0.0:8080 (1)"),
                         (1, "Using worker: sync"), (9, "Booting worker with pid: 9")):
            c.add(dt, want="skip", text=gun(dt, pid, "INFO", msg), log="stderr", inst=key, rev=rev)
            dt += timedelta(milliseconds=c.rng.randint(1, 40))

    outer = (
        "Traceback (most recent call last):\n"
        f'  File "{DJ}/core/handlers/exception.py", line 55, in inner\n'
        "    response = get_response(request)\n"
        f'  File "{DJ}/core/handlers/base.py", line 197, in _get_response\n'
        "    response = wrapped_callback(request, *callback_args, **callback_kwargs)\n"
        f'  File "{DJ}/views/generic/base.py", line 104, in view\n'
        "    return self.dispatch(request, *args, **kwargs)\n"
    )
    reschedule = outer + (
        '  File "/app/booking/views/appointments.py", line 142, in post\n'
        '    new_start = shift_months(appt.starts_at, months=form.cleaned_data["months"])\n'
        '  File "/app/booking/scheduling.py", line 61, in shift_months\n'
        "    return start.replace(month=start.month + months)\n"
        "ValueError: day is out of range for month"
    )
    fatal = ('connection is bad: connection to server at "10.91.0.3", port 5432 failed: FATAL:  remaining '
             "connection slots are reserved for roles with the SUPERUSER attribute")
    dbchain = (
        "Traceback (most recent call last):\n"
        f'  File "{DJ}/db/backends/base/base.py", line 279, in ensure_connection\n'
        "    self.connect()\n"
        f'  File "{DJ}/utils/asyncio.py", line 26, in inner\n'
        "    return func(*args, **kwargs)\n"
        f'  File "{DJ}/db/backends/base/base.py", line 256, in connect\n'
        "    self.connection = self.get_new_connection(conn_params)\n"
        f'  File "{DJ}/db/backends/postgresql/base.py", line 332, in get_new_connection\n'
        "    connection = self.Database.connect(**conn_params)\n"
        '  File "/usr/local/lib/python3.10/site-packages/psycopg/connection.py", line 119, in connect\n'
        "    raise last_ex.with_traceback(None)\n"
        f"psycopg.OperationalError: {fatal}\n"
        "\n"
        "The above exception was the direct cause of the following exception:\n"
        "\n"
        + outer
        + '  File "/app/booking/views/slots.py", line 38, in get\n'
        "    free = list(Slot.objects.free_between(start, end))\n"
        f'  File "{DJ}/db/backends/base/base.py", line 278, in ensure_connection\n'
        "    with self.wrap_database_errors:\n"
        f'  File "{DJ}/db/utils.py", line 91, in __exit__\n'
        "    raise dj_exc_value.with_traceback(traceback) from exc_value\n"
        f"django.db.utils.OperationalError: {fatal}"
    )
    disallowed = (
        "Traceback (most recent call last):\n"
        f'  File "{DJ}/core/handlers/exception.py", line 55, in inner\n'
        "    response = get_response(request)\n"
        f'  File "{DJ}/utils/deprecation.py", line 128, in __call__\n'
        "    response = self.process_request(request)\n"
        f'  File "{DJ}/middleware/common.py", line 48, in process_request\n'
        "    host = request.get_host()\n"
        f'  File "{DJ}/http/request.py", line 151, in get_host\n'
        "    raise DisallowedHost(msg)\n"
        "django.core.exceptions.DisallowedHost: Invalid HTTP_HOST header: '34.117.52.10'. You may need to add "
        "'34.117.52.10' to ALLOWED_HOSTS."
    )

    def error_event(hms: str, key: str, path: str, trace: str, label: str) -> None:
        dt = c.t(hms)
        c.add(dt, want="select", problem=label, text=dj(dt, "ERROR", "log", key, f"Internal Server Error: {path}"),
              log="stderr", inst=key, rev=rev)
        c.lines(dt + timedelta(microseconds=14), trace, want="select", problem=label, log="stderr", inst=key,
                rev=rev)

    error_event("10:21:44.907313", "d1", "/api/appointments/5521/reschedule", reschedule, "reschedule-day-range")
    error_event("10:29:03.551820", "d2", "/api/appointments/6034/reschedule", reschedule, "reschedule-day-range")
    error_event("10:33:12.040117", "d1", "/api/slots", dbchain, "db-connection-slots")

    for hms, key, path in (("10:05:31.228104", "d1", "/favicon.ico"), ("10:11:02.993410", "d1", "/wp-login.php"),
                           ("10:18:45.117032", "d2", "/.env"), ("10:37:20.602511", "d2", "/favicon.ico")):
        dt = c.t(hms)
        c.add(dt, want="select", problem="not-found", text=dj(dt, "WARNING", "log", key, f"Not Found: {path}"),
              log="stderr", inst=key, rev=rev, note="django.request WARNING for a 404")
    dt = c.t("10:24:10.331678")
    c.add(dt, want="select", problem="csrf-forbidden", log="stderr", inst="d1", rev=rev,
          text=dj(dt, "WARNING", "log", "d1", "Forbidden (CSRF cookie not set.): /accounts/login/"))
    dt = c.t("10:26:58.004511")
    c.add(dt, want="select", problem="disallowed-host", log="stderr", inst="d2", rev=rev,
          text=dj(dt, "ERROR", "exception", "d2", "Invalid HTTP_HOST header: '34.117.52.10'. You may need to add "
                                                  "'34.117.52.10' to ALLOWED_HOSTS."))
    dt = c.lines(dt + timedelta(microseconds=12), disallowed, want="select", problem="disallowed-host",
                 log="stderr", inst="d2", rev=rev)
    dt += timedelta(microseconds=640)
    c.add(dt, want="select", problem="disallowed-host", text=dj(dt, "WARNING", "log", "d2", "Bad Request: /"),
          log="stderr", inst="d2", rev=rev, note="django.request's line for the same request as the DisallowedHost")

    for hms, key, module, msg in (
        ("10:04:00.012201", "d1", "reminders", "reminder batch 10:00 sent=42 failed=0"),
        ("10:19:33.781202", "d2", "appointments", 'appointment 6022 cancelled by patient: "error on my side, will '
                                                  'rebook"'),
        ("10:34:05.220019", "d1", "health", "db reconnect ok after 1 failed attempt; pool size 8"),
    ):
        dt = c.t(hms)
        c.add(dt, want="skip", text=dj(dt, "INFO", module, key, msg), log="stderr", inst=key, rev=rev)

    dt = c.t("10:40:12.300415")
    for pid, msg in ((1, "Handling signal: term"), (9, "Worker exiting (pid: 9)"), (1, "Shutting down: Master")):
        c.add(dt, want="skip", text=gun(dt, pid, "INFO", msg), log="stderr", inst="d1", rev=rev)
        dt += timedelta(milliseconds=c.rng.randint(5, 120))
    return c


# =====================================================================================================================
# 3. A Celery worker, plain text (what `docker logs` / a copy of the container output gives)
# =====================================================================================================================


def celery_worker() -> Case:
    c = Case(
        "celery-report-worker",
        fmt="text",
        project="ledgerly-prod",
        service="report-worker",
        date="2025-09-16",
        seed=303,
        about=(
            "A Celery 5.4 worker (prefork, -l INFO) as plain text, one line per log line as the container printed "
            "it. Default worker formats '[%(asctime)s: %(levelname)s/%(processName)s] %(message)s' and task "
            "format with 'task_name[task_id]'. Exercises: 'Task ...[id] raised unexpected: OSError(...)' with its "
            "traceback on the following lines; a broker connection lost (WARNING + traceback) and the following "
            "'Cannot connect to redis://...' ERRORs whose message continues on a second line ('Trying again in "
            "...'); a hard time limit and the pool process killed for it (one event); print() output that Celery "
            "redirects to the log at WARNING level (judgement call, see notes); task retries logged at INFO; the "
            "start-up banner; 'succeeded' lines whose result mentions errors."
        ),
        sources=[
            "https://docs.celeryq.dev/en/stable/userguide/configuration.html#worker-log-format and "
            "#worker-task-log-format (default formats), #worker-redirect-stdouts-level (WARNING)",
            "celery/celery celery/app/trace.py ('Task %(name)s[%(id)s] raised unexpected: %(exc)s', "
            "'Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s', "
            "'Task %(name)s[%(id)s] retry: %(exc)s')",
            "celery/celery celery/worker/consumer/consumer.py ('consumer: Connection to broker lost. Trying to "
            "re-establish the connection...', 'consumer: Cannot connect to %s: %s.\\n%s')",
            "celery/billiard billiard/pool.py ('Hard time limit (%ss) exceeded for %s[%s]', "
            "\"Process %r pid:%r exited with %r\")",
        ],
    )
    c.problem("statement-disk-full", title_has=["No space left on device"], priority=["P1", "P2"])
    c.problem("broker-connection-lost", title_has=["Connection to broker lost"], priority=["P1", "P2", "P3"])
    c.problem("broker-cannot-connect", title_has=["Cannot connect to redis"], priority=["P1", "P2"])
    c.problem("hard-time-limit", title_has=["Hard time limit"], priority=["P1", "P2"])
    c.problem("redirected-print", priority=["P3"])

    def ln(dt: datetime, level: str, proc: str, msg: str) -> str:
        return f"[{dt:%Y-%m-%d %H:%M:%S},{dt.microsecond // 1000:03d}: {level}/{proc}] {msg}"

    def add(hms: str, level: str, proc: str, msg: str, want: str = "skip", problem=None, note=None) -> datetime:
        dt = c.t(hms)
        c.add(dt, want=want, problem=problem, note=note, text=ln(dt, level, proc, msg))
        return dt

    def follow(dt: datetime, block: str, want: str, problem=None, note=None) -> None:
        for line in block.split("\n"):
            dt += timedelta(microseconds=5)
            c.add(dt, want=want, problem=problem, note=note, text=line)

    banner = (
        " -------------- celery@report-worker-7f9c v5.4.0 (opalescent)\n"
        "--- ***** ----- \n"
        "-- ******* ---- Linux-6.1.100+-x86_64-with-glibc2.36 2025-09-16 12:00:00\n"
        "- *** --- * --- \n"
        "- ** ---------- [config]\n"
        "- ** ---------- .> app:         reports:0x7f2b3c1d9e50\n"
        "- ** ---------- .> transport:   redis://10.8.0.3:6379/0\n"
        "- ** ---------- .> results:     redis://10.8.0.3:6379/1\n"
        "- *** --- * --- .> concurrency: 4 (prefork)\n"
        "-- ******* ---- .> task events: OFF (enable -E to monitor tasks in this worker)\n"
        "--- ***** ----- \n"
        " -------------- [queues]\n"
        "                .> statements       exchange=statements(direct) key=statements"
    )
    follow(c.t("12:00:00.000000"), banner, "skip")
    add("12:00:01.204118", "INFO", "MainProcess", "Connected to redis://10.8.0.3:6379/0")
    add("12:00:01.233906", "INFO", "MainProcess", "mingle: searching for neighbors")
    add("12:00:02.270551", "INFO", "MainProcess", "mingle: all alone")
    add("12:00:02.301447", "INFO", "MainProcess", "celery@report-worker-7f9c ready.")

    ids = [uuid4(c.rng) for _ in range(9)]
    add("12:00:05.118030", "INFO", "MainProcess", f"Task reports.tasks.render_statement[{ids[0]}] received")
    add("12:00:06.001542", "WARNING", "ForkPoolWorker-1", "rendering page 3 of 4 for account 20931",
        want="select", problem="redirected-print",
        note="a print() that Celery redirects to the log at WARNING (worker_redirect_stdouts_level); tagged WARNING "
             "so selected, though a person could call it plain output")
    add("12:00:07.442873", "INFO", "ForkPoolWorker-1",
        f"Task reports.tasks.render_statement[{ids[0]}] succeeded in 2.3241s: {{'pages': 4, 'errors': 0}}")
    add("12:01:10.550127", "INFO", "MainProcess", f"Task reports.tasks.fetch_ledger[{ids[1]}] received")
    add("12:01:40.581990", "INFO", "ForkPoolWorker-2",
        f"Task reports.tasks.fetch_ledger[{ids[1]}] retry: Retry in 30s: ReadTimeout(\"HTTPSConnectionPool(host="
        "'ledger.internal', port=443): Read timed out. (read timeout=30)\")",
        note="a retry scheduled by the task, logged at INFO")
    add("12:02:12.004410", "INFO", "ForkPoolWorker-3",
        f"Task reports.tasks.fetch_ledger[{ids[1]}] succeeded in 1.0102s: {{'rows': 1882, 'retries': 1}}")

    trace = (
        "Traceback (most recent call last):\n"
        '  File "/usr/local/lib/python3.12/site-packages/celery/app/trace.py", line 453, in trace_task\n'
        "    R = retval = fun(*args, **kwargs)\n"
        "                 ^^^^^^^^^^^^^^^^^^^^\n"
        '  File "/usr/local/lib/python3.12/site-packages/celery/app/trace.py", line 736, in __protected_call__\n'
        "    return self.run(*args, **kwargs)\n"
        "           ^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        '  File "/app/reports/tasks.py", line 58, in render_statement\n'
        "    pdf.write(out_path)\n"
        '  File "/app/reports/pdf.py", line 112, in write\n'
        "    fh.write(self._buffer.getvalue())\n"
        "OSError: [Errno 28] No space left on device"
    )
    for hms, i, proc in (("12:03:12.775402", 2, "ForkPoolWorker-3"), ("12:03:58.120093", 3, "ForkPoolWorker-1")):
        dt = c.t(hms) - timedelta(seconds=2)
        c.add(dt, want="skip", text=ln(dt, "INFO", "MainProcess",
                                       f"Task reports.tasks.render_statement[{ids[i]}] received"))
        dt = add(hms, "ERROR", proc, f"Task reports.tasks.render_statement[{ids[i]}] raised unexpected: "
                                     "OSError(28, 'No space left on device')",
                 want="select", problem="statement-disk-full")
        follow(dt, trace, "select", "statement-disk-full")

    lost = (
        "Traceback (most recent call last):\n"
        '  File "/usr/local/lib/python3.12/site-packages/celery/worker/consumer/consumer.py", line 340, in start\n'
        "    blueprint.start(self)\n"
        '  File "/usr/local/lib/python3.12/site-packages/celery/worker/consumer/consumer.py", line 746, in start\n'
        "    c.loop(*c.loop_args())\n"
        '  File "/usr/local/lib/python3.12/site-packages/celery/worker/loops.py", line 97, in asynloop\n'
        "    next(loop)\n"
        '  File "/usr/local/lib/python3.12/site-packages/kombu/transport/redis.py", line 1352, in on_readable\n'
        "    self.cycle.on_readable(fileno)\n"
        '  File "/usr/local/lib/python3.12/site-packages/redis/connection.py", line 512, in read_response\n'
        "    response = self._parser.read_response(disable_decoding=disable_decoding)\n"
        "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "redis.exceptions.ConnectionError: Error while reading from 10.8.0.3:6379 : (104, 'Connection reset by "
        "peer')"
    )
    dt = add("12:10:31.402201", "WARNING", "MainProcess",
             "consumer: Connection to broker lost. Trying to re-establish the connection...",
             want="select", problem="broker-connection-lost")
    follow(dt, lost, "select", "broker-connection-lost")
    for hms, n, wait in (("12:10:31.420551", 1, "2.00"), ("12:10:33.431870", 2, "4.00"),
                         ):
        dt = add(hms, "ERROR", "MainProcess", "consumer: Cannot connect to redis://10.8.0.3:6379/0: Error 111 "
                                              "connecting to 10.8.0.3:6379. Connection refused..",
                 want="select", problem="broker-cannot-connect")
        follow(dt, f"Trying again in {wait} seconds... ({n}/100)", "select", "broker-cannot-connect")
    add("12:10:43.470006", "INFO", "MainProcess", "Connected to redis://10.8.0.3:6379/0")
    add("12:10:43.501229", "INFO", "MainProcess", "mingle: searching for neighbors")
    add("12:10:44.533590", "INFO", "MainProcess", "mingle: all alone")

    add("12:14:00.110023", "INFO", "MainProcess", f"Task reports.tasks.build_archive[{ids[4]}] received")
    add("12:14:01.903315", "WARNING", "ForkPoolWorker-4", "zipping 18211 files into archive-2025-08.zip",
        want="select", problem="redirected-print", note="print() redirected at WARNING, as above")
    add("12:19:00.131207", "ERROR", "MainProcess",
        f"Hard time limit (300s) exceeded for reports.tasks.build_archive[{ids[4]}]",
        want="select", problem="hard-time-limit")
    add("12:19:00.244810", "ERROR", "MainProcess", "Process 'ForkPoolWorker-4' pid:88 exited with 'signal 9 "
                                                   "(SIGKILL)'",
        want="select", problem="hard-time-limit",
        note="the pool killing the process for the time limit: same event as the line before")
    add("12:20:05.551720", "INFO", "MainProcess", f"Task reports.tasks.render_statement[{ids[5]}] received")
    add("12:20:07.701194", "INFO", "ForkPoolWorker-5",
        f"Task reports.tasks.render_statement[{ids[5]}] succeeded in 2.1408s: {{'pages': 2, 'errors': 0}}")
    return c


# =====================================================================================================================
# 4. Express + winston (JSON and colourised `simple`) + morgan, an unhandled rejection that kills the process
# =====================================================================================================================


def express_storefront() -> Case:
    c = Case(
        "express-winston-storefront",
        fmt="copy",
        project="shopline-prod",
        service="storefront-bff",
        date="2025-09-17",
        region="us-east1",
        seed=404,
        about=(
            "An Express 4 backend-for-frontend on Node 20. winston logs JSON to stdout (`level` stays inside "
            "jsonPayload, so entries have no severity; debug on in this revision), a legacy payments module uses "
            "winston's colorize()+simple() format ('\\x1b[31merror\\x1b[39m: message {meta}'), morgan writes "
            "'combined' access lines. Express's default error handler prints err.stack for two 500s, one entry per "
            "line; the morgan lines of those 500s are skipped (access records without a level; the stack is the "
            "error). An async timer job rejects unhandled and Node prints the source line, the caret, the Error and "
            "its frames and 'Node.js v20.17.0' (one entry per line) and exits; Cloud Run then logs 'Container "
            "called exit(1).' and starts a new instance. Logs Explorer 'copy' format (objects back to back)."
        ),
        sources=[
            "https://github.com/winstonjs/winston#formats (json, simple, colorize) and "
            "https://github.com/winstonjs/logform#simple ('${level}: ${message} ${JSON.stringify(rest)}')",
            "https://github.com/expressjs/morgan#combined (':remote-addr - :remote-user [:date[clf]] \":method :url "
            "HTTP/:http-version\" :status :res[content-length] \":referrer\" \":user-agent\"')",
            "pillarjs/finalhandler index.js (default error handler: console.error(err.stack) unless env is test)",
            "https://nodejs.org/api/process.html#event-unhandledrejection and "
            "https://nodejs.org/api/cli.html#--unhandled-rejectionsmode (default 'throw': printed like an uncaught "
            "exception, exit code 1)",
            "https://cloud.google.com/run/docs/logging (varlog/system: 'Container called exit(1).', 'Starting new "
            "instance. Reason: ...')",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "storefront-bff-00207-lep"
    c.problem("cart-sku-typeerror", title_has=["TypeError"], priority=["P1", "P2"])
    c.problem("inventory-timeout", title_has=["inventory lookup failed"], priority=["P1", "P2"])
    c.problem("flags-unreachable", priority=["P2", "P3"])
    c.problem("refund-signature", title_has=["signature mismatch"], priority=["P1", "P2"])
    c.problem("price-feed-crash", title_has=["price feed returned"], priority=["P0", "P1"])
    c.problem("container-exit", priority=["P0", "P1"], caused_by="price-feed-crash")

    def wj(dt: datetime, level: str, message: str, key: str, **meta) -> None:
        want = "select" if level in ("warn", "error") else "skip"
        problem = meta.pop("problem", None)
        note = meta.pop("note", None)
        payload = {"level": level, "message": message, **meta, "service": "storefront-bff",
                   "timestamp": f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z"}
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    def morgan(hms: str, key: str, req: str, status: int, size: int, ua: str = "Mozilla/5.0 (iPhone; CPU iPhone "
               "OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 "
               "Safari/604.1", note: str | None = None) -> None:
        dt = c.t(hms)
        text = (f'::ffff:169.254.169.126 - - [{dt:%d/%b/%Y:%H:%M:%S} +0000] "{req}" {status} {size} '
                f'"https://shop.example.com/" "{ua}"')
        c.add(dt, want="skip", note=note, text=text, inst=key, rev=rev)

    wj(c.t("14:00:02.118000"), "info", "storefront-bff listening on :8080", "e1", node="v20.17.0")
    wj(c.t("14:00:02.120000"), "debug", "config loaded", "e1", inventoryUrl="https://10.20.0.7/v2",
       retries=0, errorBudget=0.01)
    wj(c.t("14:03:40.002000"), "info", "storefront-bff listening on :8080", "e2", node="v20.17.0")
    wj(c.t("14:00:05.331000"), "warn", "feature flag service unreachable, using defaults", "e1",
       error="getaddrinfo ENOTFOUND flags.internal", problem="flags-unreachable")
    wj(c.t("14:03:41.870000"), "warn", "feature flag service unreachable, using defaults", "e2",
       error="getaddrinfo ENOTFOUND flags.internal", problem="flags-unreachable")
    for hms, key, req, status, size in (
        ("14:01:10.220410", "e1", "GET /api/cart HTTP/1.1", 200, 512),
        ("14:01:12.902331", "e1", "GET /api/products?category=shoes&page=2 HTTP/1.1", 200, 18233),
        ("14:02:44.118760", "e1", "GET /favicon.ico HTTP/1.1", 404, 150),
        ("14:04:02.662091", "e2", "POST /api/checkout HTTP/1.1", 201, 311),
        ("14:06:30.017522", "e2", "GET /api/cart HTTP/1.1", 200, 498),
        ("14:07:12.880125", "e1", "GET /api/orders/88213 HTTP/1.1", 200, 1022),
    ):
        morgan(hms, key, req, status, size)
    wj(c.t("14:01:10.214000"), "debug", "cart snapshot", "e1", cart={"id": "c_81xQ", "items": 3, "lastError": None})
    wj(c.t("14:04:02.655000"), "info", "order 88213 placed (payment errors: none)", "e2", orderId=88213)

    for hms, key, sku in (("14:02:01.404000", "e1", "HX-2231"), ("14:05:18.118000", "e2", "HX-2231"),
                          ("14:08:51.772000", "e1", "RN-0078")):
        wj(c.t(hms), "error", "inventory lookup failed: connect ETIMEDOUT 10.20.0.7:443", key, sku=sku,
           problem="inventory-timeout")

    stack = (
        "TypeError: Cannot read properties of undefined (reading 'sku')\n"
        "    at /app/src/routes/cart.js:57:38\n"
        "    at Array.map (<anonymous>)\n"
        "    at addToCart (/app/src/routes/cart.js:55:27)\n"
        "    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)\n"
        "    at next (/app/node_modules/express/lib/router/route.js:149:13)\n"
        "    at Route.dispatch (/app/node_modules/express/lib/router/route.js:119:3)\n"
        "    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)\n"
        "    at /app/node_modules/express/lib/router/index.js:284:15\n"
        "    at Function.process_params (/app/node_modules/express/lib/router/index.js:346:12)\n"
        "    at next (/app/node_modules/express/lib/router/index.js:280:10)"
    )
    for hms, key in (("14:03:05.551204", "e1"), ("14:06:58.090663", "e2")):
        dt = c.t(hms)
        dt = c.lines(dt, stack, want="select", problem="cart-sku-typeerror", log="stderr", inst=key, rev=rev)
        morgan(f"{dt + timedelta(milliseconds=2):%H:%M:%S.%f}", key, "POST /api/cart/items HTTP/1.1", 500, 1212,
               note="morgan access record of the 500: no level; the error is the stack above")

    for hms, key, ev in (("14:02:30.441000", "e1", "evt_1Q2w3ExR"), ("14:05:59.009000", "e2", "evt_1Q2w8KpL")):
        dt = c.t(hms)
        c.add(dt, want="select", problem="refund-signature", inst=key, rev=rev,
              text=f'{E}[31merror{E}[39m: refund webhook signature mismatch {{"provider":"stripe","event":"{ev}"}}')
    dt = c.t("14:04:44.720000")
    c.add(dt, want="skip", inst="e2", rev=rev,
          text=f'{E}[32minfo{E}[39m: refund webhook accepted {{"provider":"stripe","event":"evt_1Q2w5TzM",'
               '"errors":[]}')

    crash = (
        "/app/src/jobs/priceSync.js:31\n"
        "      throw new Error(`price feed returned ${res.status}`);\n"
        "            ^\n"
        "\n"
        "Error: price feed returned 502\n"
        "    at syncPrices (/app/src/jobs/priceSync.js:31:13)\n"
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n"
        "    at async Timeout._onTimeout (/app/src/jobs/priceSync.js:44:5)\n"
        "\n"
        "Node.js v20.17.0"
    )
    dt = c.lines(c.t("14:09:30.004118"), crash, want="select", problem="price-feed-crash", log="stderr",
                 inst="e2", rev=rev,
                 note="the crash report Node prints for an unhandled rejection: every line is part of it")
    c.system(dt + timedelta(milliseconds=188), "Container called exit(1).", "WARNING", problem="container-exit",
             inst="e2", rev=rev)
    c.system(c.t("14:09:31.602044"), "Starting new instance. Reason: AUTOSCALING - Instance started due to "
                                     "configured scaling factors (e.g. CPU utilization, request throughput, etc.) "
                                     "or no existing capacity for current traffic.", "INFO", want="skip", rev=rev)
    wj(c.t("14:09:33.318000"), "info", "storefront-bff listening on :8080", "e3", node="v20.17.0")
    wj(c.t("14:09:34.940000"), "warn", "feature flag service unreachable, using defaults", "e3",
       error="getaddrinfo ENOTFOUND flags.internal", problem="flags-unreachable")
    morgan("14:09:40.114507", "e3", "GET /api/cart HTTP/1.1", 200, 505)
    return c


# =====================================================================================================================
# 5. Fastify with pino: JSON (numeric levels) in one revision, pino-pretty with colours in the next
# =====================================================================================================================

PRISMA_MSG = (
    "\nInvalid `tx.pointsLedger.create()` invocation in\n"
    "/app/dist/routes/redeem.js:41:31\n"
    "\n"
    "  38   const member = await tx.member.findUniqueOrThrow({ where: { id: memberId } })\n"
    "  39   if (member.points < cost) throw new InsufficientPointsError(memberId)\n"
    "  40   await tx.member.update({ where: { id: memberId }, data: { points: { decrement: cost } } })\n"
    "→ 41   await tx.pointsLedger.create(\n"
    "Transaction failed due to a write conflict or a deadlock. Please retry your transaction"
)
PRISMA_FRAMES = [
    "at Kn.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:121:7753)",
    "at Kn.handleAndLogRequestError (/app/node_modules/@prisma/client/runtime/library.js:121:7061)",
    "at Kn.request (/app/node_modules/@prisma/client/runtime/library.js:121:6745)",
    "at async l (/app/node_modules/@prisma/client/runtime/library.js:130:9633)",
    "at async /app/dist/routes/redeem.js:41:9",
    "at async Proxy._transactionWithCallback (/app/node_modules/@prisma/client/runtime/library.js:130:8002)",
]


def fastify_loyalty() -> Case:
    c = Case(
        "fastify-pino-loyalty",
        fmt="entries-list",
        project="perkbase-prod",
        service="loyalty-points-api",
        date="2025-09-18",
        region="europe-west4",
        seed=505,
        about=(
            "Fastify 4 with its pino logger. Revision 00019 writes pino JSON (numeric `level`, `msg`, epoch-ms "
            "`time`): no severity on any entry; a level-50 Prisma P2034 write conflict (a 500, message spanning "
            "several lines inside the JSON string), a level-40 warning, and a 400 validation error that Fastify "
            "logs at level 30 WITH an `err` and its stack (skip: info). Revision 00020 shipped with the "
            "pino-pretty transport on and FORCE_COLOR=1: every record is printed over several lines (the message, "
            "then `key: value` lines and indented JSON objects, err.stack indented), each line its own entry: the "
            "lines of the ERROR record are selected, the lines of INFO records skipped, even the INFO record that "
            "carries an Error stack. Logging API entries.list response."
        ),
        sources=[
            "https://fastify.dev/docs/latest/Reference/Logging/ (request/response logging, 'incoming request', "
            "'request completed')",
            "fastify/fastify lib/error-handler.js (v4: status >= 500 logged with reply.log.error({req, res, err}), "
            "4xx with reply.log.info({res, err}))",
            "https://getpino.io/#/docs/api?id=levels (trace 10 ... fatal 60) and https://github.com/pinojs/pino-pretty "
            "(default output '[HH:MM:ss.l] LEVEL (pid): msg', objects on following lines, translateTime default "
            "since v9)",
            "https://www.prisma.io/docs/orm/reference/error-reference#p2034",
            *CLOUD_RUN_SOURCES,
        ],
    )
    r1, r2 = "loyalty-points-api-00019-gaz", "loyalty-points-api-00020-huv"
    c.problem("prisma-write-conflict", title_has=["write conflict"], priority=["P1", "P2"])
    c.problem("cache-miss-storm", priority=["P2", "P3"])

    def pino(dt: datetime, level: int, msg: str, key: str, *, want="skip", problem=None, note=None, **extra) -> None:
        payload = {"level": level, "time": int(dt.timestamp() * 1000), "pid": 1, "hostname": "localhost", **extra,
                   "msg": msg}
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=r1)

    def req(n: int, method: str, url: str, port: int) -> dict:
        return {"method": method, "url": url, "hostname": "points.perkbase.example",
                "remoteAddress": "169.254.169.126", "remotePort": port}

    pino(c.t("13:00:01.404000"), 30, "Server listening at http://0.0.0.0:8080", "f1")
    for n, (hms, method, url, status, ms) in enumerate((
        ("13:01:12.118000", "GET", "/v1/members/m_5521/points", 200, 11.8),
        ("13:02:40.551000", "POST", "/v1/points/earn", 201, 24.3),
    ), 1):
        dt = c.t(hms)
        pino(dt, 30, "incoming request", "f1", reqId=f"req-{n}", req=req(n, method, url, 40550 + n))
        pino(dt + timedelta(milliseconds=ms), 30, "request completed", "f1", reqId=f"req-{n}",
             res={"statusCode": status}, responseTime=ms)
    dt = c.t("13:03:02.220000")
    pino(dt, 30, "incoming request", "f1", reqId="req-3", req=req(3, "POST", "/v1/points/redeem", 40561))
    pino(dt + timedelta(milliseconds=3), 30, "body must have required property 'memberId'", "f1", reqId="req-3",
         res={"statusCode": 400},
         err={"type": "Error", "message": "body must have required property 'memberId'",
              "stack": "Error: body must have required property 'memberId'\n    at defaultSchemaErrorFormatter "
                       "(/app/node_modules/fastify/lib/context.js:112:10)\n    at wrapValidationError "
                       "(/app/node_modules/fastify/lib/validation.js:231:17)",
              "code": "FST_ERR_VALIDATION", "validationContext": "body", "statusCode": 400},
         note="a client error Fastify logs at level 30 (info), stack included: not an error of the service")
    dt = c.t("13:04:15.830000")
    pino(dt, 30, "incoming request", "f1", reqId="req-4", req=req(4, "POST", "/v1/points/redeem", 40577))
    err = {"type": "PrismaClientKnownRequestError", "message": PRISMA_MSG,
           "stack": "PrismaClientKnownRequestError: " + PRISMA_MSG + "".join("\n    " + f for f in PRISMA_FRAMES),
           "code": "P2034", "clientVersion": "5.19.1", "meta": {"modelName": "PointsLedger"}}
    pino(dt + timedelta(milliseconds=38), 50, PRISMA_MSG, "f1", want="select", problem="prisma-write-conflict",
         reqId="req-4", req=req(4, "POST", "/v1/points/redeem", 40577), res={"statusCode": 500}, err=err)
    pino(dt + timedelta(milliseconds=39), 30, "request completed", "f1", reqId="req-4",
         res={"statusCode": 500}, responseTime=39.2,
         note="Fastify's completion record (info) of the failed request")
    pino(c.t("13:05:44.002000"), 40, "redis cache miss storm: 812 misses/min, falling back to db", "f1",
         want="select", problem="cache-miss-storm")

    # --- revision 00020: pino-pretty, colours forced
    def pretty(dt: datetime, level: str, msg: str, fields: list[str], key: str, *, want="skip", problem=None,
               note=None) -> None:
        colour = {"INFO": 32, "WARN": 33, "ERROR": 31}[level]
        head = (f"[{dt:%H:%M:%S}.{dt.microsecond // 1000:03d}] {E}[{colour}m{level}{E}[39m (1): "
                f"{E}[36m{msg}{E}[39m")
        c.lines(dt, head + "\n" + "\n".join(fields), want=want, problem=problem, note=note, inst=key, rev=r2)

    def req_fields(n: int, method: str, url: str, port: int) -> list[str]:
        return [f'    reqId: "req-{n}"', "    req: {", f'      "method": "{method}",', f'      "url": "{url}",',
                '      "hostname": "points.perkbase.example",', '      "remoteAddress": "169.254.169.126",',
                f'      "remotePort": {port}', "    }"]

    pretty(c.t("13:20:02.771000"), "INFO", "Server listening at http://0.0.0.0:8080", [], "f2")
    dt = c.t("13:21:30.118000")
    pretty(dt, "INFO", "incoming request", req_fields(1, "POST", "/v1/points/redeem", 41022), "f2")
    stack_lines = ["PrismaClientKnownRequestError: " + PRISMA_MSG.split("\n")[0]]
    stack_lines += PRISMA_MSG.split("\n")[1:]
    stack_lines += ["    " + f for f in PRISMA_FRAMES]
    error_fields = [*req_fields(1, "POST", "/v1/points/redeem", 41022)[:1], "    res: {",
                    '      "statusCode": 500', "    }", "    err: {",
                    '      "type": "PrismaClientKnownRequestError",',
                    '      "message": ' + json.dumps(PRISMA_MSG, ensure_ascii=False) + ",",
                    '      "stack":']
    error_fields += ["          " + s for s in stack_lines]
    error_fields += ['      "code": "P2034",', '      "clientVersion": "5.19.1",', '      "meta": {',
                     '        "modelName": "PointsLedger"', "      }", "    }"]
    pretty(dt + timedelta(milliseconds=41), "ERROR", PRISMA_MSG, error_fields, "f2", want="select",
           problem="prisma-write-conflict",
           note="every printed line of the ERROR record (message lines, fields, the stack) is part of it")
    pretty(dt + timedelta(milliseconds=42), "INFO", "request completed",
           ['    reqId: "req-1"', "    res: {", '      "statusCode": 500', "    }", "    responseTime: "
            "41.77300000190735"], "f2")
    dt = c.t("13:22:05.402000")
    pretty(dt, "INFO", "body must have required property 'memberId'",
           ['    reqId: "req-2"', "    res: {", '      "statusCode": 400', "    }", "    err: {",
            '      "type": "Error",', '      "message": "body must have required property \'memberId\'",',
            '      "stack":', "          Error: body must have required property 'memberId'",
            "              at defaultSchemaErrorFormatter (/app/node_modules/fastify/lib/context.js:112:10)",
            "              at wrapValidationError (/app/node_modules/fastify/lib/validation.js:231:17)",
            '      "code": "FST_ERR_VALIDATION",', '      "validationContext": "body",',
            '      "statusCode": 400', "    }"], "f2",
           note="lines of an INFO record (a client's 400), even the Error stack inside it")
    pretty(c.t("13:24:40.019000"), "WARN", "redis cache miss storm: 1204 misses/min, falling back to db", [],
           "f2", want="select", problem="cache-miss-storm")
    return c


# =====================================================================================================================
# 6. Spring Boot 3.3: default console pattern, HikariCP pool exhaustion, a scheduled task with a 3-level cause chain
# =====================================================================================================================


def spring_claims() -> Case:
    c = Case(
        "spring-boot-claims",
        fmt="gcloud",
        project="claimwise-prod",
        service="claims-service",
        date="2025-09-19",
        region="europe-west2",
        seed=606,
        about=(
            "Spring Boot 3.3 (Java 21, Tomcat, Hibernate 6, HikariCP 5) with the default Logback console pattern "
            "('2025-...Z  INFO 1 --- [claims-service] [thread] logger : message'), no colours (not a terminal), "
            "every line of a multi-line record its own entry. Exercises: start-up INFO lines and the "
            "spring.jpa.open-in-view WARN (once per instance start), a HikariCP housekeeper 'Thread starvation or "
            "clock leap detected' WARN (CPU throttled between requests), pool exhaustion on a request (Hibernate's "
            "WARN 'SQL Error: 0, SQLState: null', its ERROR with Hikari's message, then the dispatcherServlet ERROR "
            "'... with root cause' and the root cause's stack: one event), and a @Scheduled task failing with "
            "ResourceAccessException caused by three nested 'Caused by:' blocks with '... N common frames "
            "omitted'. gcloud JSON export, newest first."
        ),
        sources=[
            "https://docs.spring.io/spring-boot/reference/features/logging.html (Log Format; default pattern with "
            "the application name in brackets since 3.2)",
            "spring-projects/spring-boot .../logging/logback/defaults.xml (CONSOLE_LOG_PATTERN: %5p, "
            "[%15.15t], %-40.40logger{39}, %wEx)",
            "brettwooldridge/HikariCP src/main/java/com/zaxxer/hikari/pool/HikariPool.java ('Connection is not "
            "available, request timed out after ...', 'Thread starvation or clock leap detected (housekeeper "
            "delta=...)')",
            "hibernate/hibernate-orm SqlExceptionHelper ('SQL Error: %s, SQLState: %s')",
            "spring-projects/spring-framework TaskUtils.LoggingErrorHandler ('Unexpected error occurred in "
            "scheduled task')",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "claims-service-00057-dov"
    c.problem("open-in-view", title_has=["open-in-view"], priority=["P2", "P3"])
    c.problem("hikari-starvation", title_has=["Thread starvation"], priority=["P2", "P3"])
    c.problem("hikari-pool-timeout", title_has=["Connection is not available"], priority=["P1", "P2"])
    c.problem("fraud-rescore-pkix", title_has=["PKIX path building failed"], priority=["P1", "P2"])

    def sb(dt: datetime, level: str, thread: str, logger: str, msg: str) -> str:
        thread = thread[-15:].rjust(15)
        logger = logger[-40:].ljust(40)
        return (f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z {level:>5} 1 --- [claims-service] "
                f"[{thread}] {logger} : {msg}")

    app = "c.e.claims.ClaimsServiceApplication"
    for key, t0 in (("s1", "06:00:03.118402"), ("s2", "06:31:50.604118")):
        dt = c.t(t0)
        for level, logger, msg, ms in (
            ("INFO", app, "Starting ClaimsServiceApplication v2.14.0 using Java 21.0.4 with PID 1 (/workspace/"
                          "BOOT-INF/classes started by cnb in /workspace)", 0),
            ("INFO", app, 'The following 1 profile is active: "prod"', 4),
            ("INFO", "o.s.b.w.embedded.tomcat.TomcatWebServer", "Tomcat initialized with port 8080 (http)", 2210),
            ("INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Starting...", 1630),
            ("INFO", "com.zaxxer.hikari.HikariDataSource", "HikariPool-1 - Start completed.", 412),
            ("WARN", "o.s.b.a.o.j.JpaBaseConfiguration$JpaWebConfiguration", "spring.jpa.open-in-view is enabled by "
             "default. Therefore, database queries may be performed during view rendering. Explicitly configure "
             "spring.jpa.open-in-view to disable this warning", 1904),
            ("INFO", app, "Started ClaimsServiceApplication in 9.812 seconds (process running for 11.04)", 1150),
        ):
            dt += timedelta(milliseconds=ms, microseconds=c.rng.randint(0, 900))
            want, problem = ("select", "open-in-view") if level == "WARN" else ("skip", None)
            c.add(dt, want=want, problem=problem, text=sb(dt, level, "main", logger, msg), inst=key, rev=rev)

    dt = c.t("06:14:22.901553")
    c.add(dt, want="select", problem="hikari-starvation", inst="s1", rev=rev,
          text=sb(dt, "WARN", "HikariPool-1 housekeeper", "com.zaxxer.hikari.pool.HikariPool",
                  "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=1m12s345ms)."))
    for hms, key, claim in (("06:20:41.330118", "s1", "CL-2025-118207"), ("06:35:02.004412", "s2", "CL-2025-118215")):
        dt = c.t(hms)
        c.add(dt, want="skip", inst=key, rev=rev,
              text=sb(dt, "INFO", "nio-8080-exec-4", "c.e.claims.web.ClaimController",
                      f"claim {claim} submitted: 1 document, validation errors: 0"))
    dt = c.t("06:08:10.004771")
    c.add(dt, want="skip", inst="s1", rev=rev,
          text=sb(dt, "INFO", "nio-8080-exec-2", "c.e.claims.web.ClaimController",
                  "claim CL-2025-118203 submitted: 3 documents, validation errors: 0"))

    hikari = "HikariPool-1 - Connection is not available, request timed out after {ms}ms (total=10, active=10, " \
             "idle=0, waiting={w})"
    root = (
        "java.sql.SQLTransientConnectionException: {msg}\n"
        "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)\n"
        "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)\n"
        "\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)\n"
        "\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)\n"
        "\tat org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl.getConnection("
        "DatasourceConnectionProviderImpl.java:122)\n"
        "\tat org.springframework.orm.jpa.JpaTransactionManager.doBegin(JpaTransactionManager.java:420)\n"
        "\tat org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction("
        "AbstractPlatformTransactionManager.java:532)\n"
        "\tat com.example.claims.service.ClaimService$$SpringCGLIB$$0.submit(<generated>)\n"
        "\tat com.example.claims.web.ClaimController.submit(ClaimController.java:52)\n"
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)"
    )
    for hms, thread, ms, w in (("06:40:31.220907", "http-nio-8080-exec-7", 30004, 3),
                               ("06:40:33.871240", "http-nio-8080-exec-9", 30001, 5)):
        dt = c.t(hms)
        msg = hikari.format(ms=ms, w=w) + "."
        for level, logger, text in (
            ("WARN", "o.h.engine.jdbc.spi.SqlExceptionHelper", "SQL Error: 0, SQLState: null"),
            ("ERROR", "o.h.engine.jdbc.spi.SqlExceptionHelper", msg),
            ("ERROR", "o.a.c.c.C.[.[.[/].[dispatcherServlet]",
             "Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request "
             "processing failed: org.springframework.orm.jpa.JpaSystemException: Unable to acquire JDBC Connection "
             f"[{msg}] [n/a]] with root cause"),
        ):
            c.add(dt, want="select", problem="hikari-pool-timeout", text=sb(dt, level, thread, logger, text),
                  inst="s2", rev=rev)
            dt += timedelta(microseconds=c.rng.randint(150, 700))
        c.lines(dt, root.format(msg=msg), want="select", problem="hikari-pool-timeout", inst="s2", rev=rev)

    pkix = ("PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find "
            "valid certification path to requested target")
    chain = (
        "org.springframework.web.client.ResourceAccessException: I/O error on POST request for "
        f'"https://fraud-scoring.internal/v2/score": {pkix}\n'
        "\tat org.springframework.web.client.RestTemplate.createResourceAccessException(RestTemplate.java:915)\n"
        "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:895)\n"
        "\tat org.springframework.web.client.RestTemplate.postForEntity(RestTemplate.java:542)\n"
        "\tat com.example.claims.fraud.FraudScoringClient.score(FraudScoringClient.java:64)\n"
        "\tat com.example.claims.fraud.RescoreJob.rescorePending(RescoreJob.java:41)\n"
        "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)\n"
        "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)\n"
        "\tat org.springframework.scheduling.support.ScheduledMethodRunnable.runInternal("
        "ScheduledMethodRunnable.java:130)\n"
        "\tat org.springframework.scheduling.support.DelegatingErrorHandlingRunnable.run("
        "DelegatingErrorHandlingRunnable.java:54)\n"
        "\tat java.base/java.util.concurrent.FutureTask.runAndReset(FutureTask.java:358)\n"
        "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)\n"
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)\n"
        f"Caused by: javax.net.ssl.SSLHandshakeException: {pkix}\n"
        "\tat java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)\n"
        "\tat java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:383)\n"
        "\tat java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts("
        "CertificateMessage.java:1357)\n"
        "\tat java.base/sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:449)\n"
        "\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:889)\n"
        "\t... 11 common frames omitted\n"
        f"Caused by: sun.security.validator.ValidatorException: {pkix}\n"
        "\tat java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:388)\n"
        "\tat java.base/sun.security.validator.Validator.validate(Validator.java:256)\n"
        "\tat java.base/sun.security.ssl.X509TrustManagerImpl.checkTrusted(X509TrustManagerImpl.java:242)\n"
        "\t... 19 common frames omitted\n"
        "Caused by: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        "certification path to requested target\n"
        "\tat java.base/sun.security.provider.certpath.SunCertPathBuilder.build(SunCertPathBuilder.java:148)\n"
        "\tat java.base/java.security.cert.CertPathBuilder.build(CertPathBuilder.java:297)\n"
        "\tat java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:383)\n"
        "\t... 24 common frames omitted"
    )
    dt = c.t("06:45:00.012844")
    c.add(dt, want="select", problem="fraud-rescore-pkix", inst="s1", rev=rev,
          text=sb(dt, "ERROR", "scheduling-1", "o.s.s.s.TaskUtils$LoggingErrorHandler",
                  "Unexpected error occurred in scheduled task"))
    c.lines(dt + timedelta(microseconds=40), chain, want="select", problem="fraud-rescore-pkix", inst="s1",
            rev=rev)
    dt = c.t("06:45:00.004102")
    c.add(dt, want="skip", inst="s1", rev=rev,
          text=sb(dt, "INFO", "scheduling-1", "c.e.claims.fraud.RescoreJob", "rescoring 14 pending claims"))
    return c


# =====================================================================================================================
# 7. Micronaut 4 in Kotlin: the default logback pattern with %highlight colours (ANSI in the text)
# =====================================================================================================================


def micronaut_fleet() -> Case:
    c = Case(
        "micronaut-kotlin-fleet",
        fmt="jsonl",
        project="fleetpulse-prod",
        service="fleet-telemetry",
        date="2025-09-19",
        region="us-west1",
        seed=707,
        about=(
            "A Micronaut 4 service in Kotlin with the logback.xml Micronaut generates: '%cyan(%d{HH:mm:ss.SSS}) "
            "%gray([%thread]) %highlight(%-5level) %magenta(%logger{36}) - %msg%n', so every line carries ANSI "
            "colour codes (logback always emits them) and only a time of day. Stack traces follow the record, one "
            "entry per line, tab-indented 'at' frames. Exercises: RouteExecutor 'Unexpected error occurred: "
            "lateinit property ... has not been initialized' (kotlin.UninitializedPropertyAccessException), a WARN "
            "with an HttpTimeoutException stack (geofence refresh), checksum WARNs with varying ids, a Netty "
            "'exceptionCaught() ... reached at the tail of the pipeline' WARN with an IOException, DEBUG dumps "
            "containing 'ERROR_FREE' and '\"errors\":[]'. Cloud Storage sink, JSON Lines."
        ),
        sources=[
            "https://docs.micronaut.io/latest/guide/#logging (generated logback.xml pattern)",
            "https://logback.qos.ch/manual/layouts.html#coloring (%highlight: ERROR bold red, WARN red, INFO blue; "
            "%gray, %cyan, %magenta) and https://logback.qos.ch/manual/layouts.html#conversionWord (%logger{36} "
            "abbreviation)",
            "micronaut-projects/micronaut-core http-server/src/main/java/io/micronaut/http/server/RouteExecutor.java "
            "('Unexpected error occurred: ')",
            "netty/netty transport/src/main/java/io/netty/channel/DefaultChannelPipeline.java (onUnhandledInbound"
            "Exception message)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "fleet-telemetry-00012-sip"
    c.problem("geofence-uninitialized", title_has=["lateinit property geofenceIndex"], priority=["P1", "P2"])
    c.problem("geofence-refresh-timeout", priority=["P2", "P3"])
    c.problem("checksum-drop", title_has=["checksum mismatch"], priority=["P2", "P3"])
    c.problem("netty-reset", priority=["P2", "P3"])

    def mn(dt: datetime, thread: str, level: str, logger: str, msg: str) -> str:
        colour = {"ERROR": "1;31", "WARN": "31", "INFO": "34"}.get(level, "39")
        return (f"{E}[36m{dt:%H:%M:%S}.{dt.microsecond // 1000:03d}{E}[0;39m {E}[1;30m[{thread}]{E}[0;39m "
                f"{E}[{colour}m{level:<5}{E}[0;39m {E}[35m{logger}{E}[0;39m - {msg}")

    def rec(hms: str, key: str, thread: str, level: str, logger: str, msg: str, stack: str | None = None,
            problem: str | None = None, note: str | None = None) -> None:
        dt = c.t(hms)
        want = "select" if problem else "skip"
        c.add(dt, want=want, problem=problem, note=note, text=mn(dt, thread, level, logger, msg), inst=key, rev=rev)
        if stack:
            c.lines(dt + timedelta(microseconds=30), stack, want=want, problem=problem, inst=key, rev=rev)

    for key, hms in (("m1", "06:12:00.412330"), ("m2", "06:47:21.030512")):
        rec(hms, key, "main", "INFO", "io.micronaut.runtime.Micronaut",
            "Startup completed in 1432ms. Server Running: http://localhost:8080")
    rec("06:12:30.118201", "m1", "default-nioEventLoopGroup-1-3", "DEBUG", "c.e.fleet.ingest.TelemetryController",
        'frame accepted {"vin":"1FTBW3XM5KKA10452","status":"ERROR_FREE","errors":[],"speedKph":61}')
    rec("06:12:31.004419", "m1", "default-nioEventLoopGroup-1-4", "DEBUG", "c.e.fleet.ingest.TelemetryController",
        'frame accepted {"vin":"3C6UR5DL1GG280117","status":"ERROR_FREE","errors":[],"speedKph":0}')
    rec("06:13:00.551200", "m1", "scheduled-executor-thread-1", "INFO", "c.e.fleet.geo.GeofenceService",
        "geofence index refreshed: 1204 polygons in 212ms")
    for hms, key, vin, exp, got in (("06:15:02.330118", "m1", "VH-2231", "0x3A", "0x1F"),
                                    ("06:22:47.901773", "m1", "VH-0988", "0x07", "0x70"),
                                    ("06:49:10.114520", "m2", "VH-2231", "0x5C", "0x5D")):
        rec(hms, key, "default-nioEventLoopGroup-1-2", "WARN", "c.e.fleet.ingest.TelemetryDecoder",
            f"Dropping frame from vehicle {vin}: checksum mismatch (expected {exp}, got {got})",
            problem="checksum-drop")

    refresh = (
        "java.net.http.HttpTimeoutException: request timed out\n"
        "\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:950)\n"
        "\tat java.net.http/jdk.internal.net.http.HttpClientFacade.send(HttpClientFacade.java:133)\n"
        "\tat com.example.fleet.geo.GeofenceLoader.fetch(GeofenceLoader.kt:29)\n"
        "\tat com.example.fleet.geo.GeofenceService.refresh(GeofenceService.kt:31)\n"
        "\tat com.example.fleet.geo.$GeofenceService$Definition$Exec.dispatch(Unknown Source)\n"
        "\tat io.micronaut.context.AbstractExecutableMethodsDefinition$DispatchedExecutableMethod.invoke("
        "AbstractExecutableMethodsDefinition.java:456)\n"
        "\tat io.micronaut.scheduling.processor.ScheduledMethodProcessor.lambda$process$5("
        "ScheduledMethodProcessor.java:127)\n"
        "\tat java.base/java.util.concurrent.FutureTask.runAndReset(FutureTask.java:358)\n"
        "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)\n"
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)"
    )
    rec("06:47:26.700318", "m2", "scheduled-executor-thread-1", "WARN", "c.e.fleet.geo.GeofenceService",
        "Geofence index refresh failed, will retry in 60s", refresh, problem="geofence-refresh-timeout")
    lateinit = (
        "kotlin.UninitializedPropertyAccessException: lateinit property geofenceIndex has not been initialized\n"
        "\tat com.example.fleet.geo.GeofenceService.check(GeofenceService.kt:47)\n"
        "\tat com.example.fleet.ingest.TelemetryController.ingest(TelemetryController.kt:33)\n"
        "\tat com.example.fleet.ingest.$TelemetryController$Definition$Exec.dispatch(Unknown Source)\n"
        "\tat io.micronaut.context.AbstractExecutableMethodsDefinition$DispatchedExecutableMethod.invoke("
        "AbstractExecutableMethodsDefinition.java:456)\n"
        "\tat io.micronaut.web.router.AbstractRouteMatch.execute(AbstractRouteMatch.java:271)\n"
        "\tat io.micronaut.http.server.RouteExecutor.executeRouteAndConvertBody(RouteExecutor.java:488)\n"
        "\tat io.micronaut.http.server.RouteExecutor.lambda$callRoute$6(RouteExecutor.java:465)\n"
        "\tat io.micronaut.core.execution.ExecutionFlow.lambda$async$1(ExecutionFlow.java:87)\n"
        "\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)\n"
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)"
    )
    for hms in ("06:47:40.208815", "06:48:02.917431"):
        rec(hms, "m2", "io-executor-thread-2", "ERROR", "i.m.http.server.RouteExecutor",
            "Unexpected error occurred: lateinit property geofenceIndex has not been initialized", lateinit,
            problem="geofence-uninitialized")
    rec("06:48:26.804110", "m2", "scheduled-executor-thread-1", "INFO", "c.e.fleet.geo.GeofenceService",
        "geofence index refreshed: 1204 polygons in 388ms (after 1 failed attempt)")
    reset = (
        "java.io.IOException: Connection reset by peer\n"
        "\tat java.base/sun.nio.ch.SocketDispatcher.read0(Native Method)\n"
        "\tat java.base/sun.nio.ch.SocketDispatcher.read(SocketDispatcher.java:47)\n"
        "\tat io.netty.buffer.PooledByteBuf.setBytes(PooledByteBuf.java:255)\n"
        "\tat io.netty.channel.socket.nio.NioSocketChannel.doReadBytes(NioSocketChannel.java:357)\n"
        "\tat io.netty.channel.nio.AbstractNioByteChannel$NioByteUnsafe.read(AbstractNioByteChannel.java:151)\n"
        "\tat io.netty.channel.nio.NioEventLoop.run(NioEventLoop.java:566)\n"
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)"
    )
    rec("06:30:12.440917", "m1", "default-nioEventLoopGroup-1-1", "WARN", "i.n.channel.DefaultChannelPipeline",
        "An exceptionCaught() event was fired, and it reached at the tail of the pipeline. It usually means the "
        "last handler in the pipeline did not handle the exception.", reset, problem="netty-reset")
    rec("06:50:00.002211", "m2", "default-nioEventLoopGroup-1-3", "INFO", "c.e.fleet.ingest.TelemetryController",
        "ingest stats: frames=18220 dropped=2 errors=0")
    rec("06:20:00.001907", "m1", "default-nioEventLoopGroup-1-3", "INFO", "c.e.fleet.ingest.TelemetryController",
        "ingest stats: frames=20411 dropped=2 errors=0")
    rec("06:25:14.330912", "m1", "io-executor-thread-1", "DEBUG", "c.e.fleet.alerts.AlertRules",
        'rule "harsh-braking" evaluated: 0 alerts, lastError=null')
    rec("06:47:21.998310", "m2", "main", "INFO", "c.e.fleet.geo.GeofenceService",
        "geofence index load scheduled every 60s (initial delay 5s)")
    rec("06:49:44.712055", "m2", "default-nioEventLoopGroup-1-4", "DEBUG", "c.e.fleet.ingest.TelemetryController",
        'frame accepted {"vin":"5YJ3E1EA7KF317208","status":"ERROR_FREE","errors":[],"speedKph":88}')
    return c


# =====================================================================================================================
# 8. Go: zerolog JSON, the standard `log` package's "http: panic serving", a `fatal error: concurrent map writes`
# =====================================================================================================================


def go_payout() -> Case:
    c = Case(
        "go-zerolog-payout-router",
        fmt="gcloud",
        project="paystream-prod",
        service="payout-router",
        date="2025-09-20",
        region="us-central1",
        seed=808,
        about=(
            "A Go 1.23 service: zerolog JSON on stdout with zerolog.TimeFormatUnix (`level`, integer `time`, "
            "`error` and `message` stay in jsonPayload; no severity), the standard library's log package on stderr "
            "for net/http's 'http: panic serving ADDR: runtime error: index out of range [3] with length 3' + the "
            "goroutine stack (one entry per line, tab-indented file lines), and a runtime 'fatal error: concurrent "
            "map writes' dump (the running goroutine and the others) that kills the process: Cloud Run logs "
            "'Container called exit(2).' and a 503 request entry ('The request failed because either the HTTP "
            "response was malformed ...'), both consequences of the crash. Negatives: info lines with "
            "errors=0/retries=0, a config line, a debug line. gcloud JSON export, newest first."
        ),
        sources=[
            "https://github.com/rs/zerolog (README: field names level/time/message/error, TimeFormatUnix)",
            "https://pkg.go.dev/log (LstdFlags 'YYYY/MM/DD hh:mm:ss ' prefix)",
            "golang/go src/net/http/server.go (conn.serve: 'http: panic serving %v: %v\\n%s' with runtime.Stack)",
            "golang/go src/runtime/map.go (fatal(\"concurrent map writes\")) and src/runtime/traceback.go "
            "(goroutine header 'goroutine N [running]:', 'created by ... in goroutine N')",
            "https://cloud.google.com/run/docs/troubleshooting#malformed-response-or-connection-error",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "payout-router-00088-kim"
    c.problem("dispatch-refused", title_has=["dispatch failed"], priority=["P1", "P2"])
    c.problem("ledger-retry", priority=["P2", "P3"])
    c.problem("fee-index-panic", title_has=["index out of range"], priority=["P1", "P2"])
    c.problem("concurrent-map-writes", title_has=["concurrent map writes"], priority=["P0", "P1"])
    c.problem("crash-exit", priority=["P0", "P1"], caused_by="concurrent-map-writes")
    c.problem("crash-503", priority=["P1", "P2"], caused_by="concurrent-map-writes")

    def zl(hms: str, key: str, level: str, message: str, *, problem=None, note=None, **fields) -> None:
        dt = c.t(hms)
        payload = {"level": level, "time": int(dt.timestamp()), "service": "payout-router", **fields,
                   "message": message}
        want = "select" if level in ("warn", "error", "fatal", "panic") else "skip"
        c.add(dt, want=want, problem=problem, note=note, payload=payload, inst=key, rev=rev)

    for key, hms in (("g1", "06:00:01.120431"), ("g2", "06:20:44.800112")):
        dt = c.t(hms)
        c.add(dt, want="skip", text=f"{dt:%Y/%m/%d %H:%M:%S} using config /etc/payout/router.yaml (partners=7, "
                                    "dry_run=false)", log="stderr", inst=key, rev=rev)
        zl(f"{dt + timedelta(milliseconds=14):%H:%M:%S.%f}", key, "info", "listening", addr=":8080")
    refused = ('rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: '
               'dial tcp 10.12.0.9:7443: connect: connection refused"')
    for hms, key, pid in (("06:05:12.301554", "g1", "po_8fK2xQ"), ("06:05:12.944021", "g1", "po_8fK31a"),
                          ("06:22:03.118807", "g2", "po_8fN0cT")):
        zl(hms, key, "error", "dispatch failed", problem="dispatch-refused", error=refused, partner="bank-sepa",
           payout_id=pid)
    zl("06:07:40.550210", "g1", "warn", "retrying ledger write", problem="ledger-retry", attempt=2,
       error="context deadline exceeded", payout_id="po_8fK2xQ")
    zl("06:10:00.000914", "g1", "info", "batch settled", batch="b-0920-06", payouts=118, errors=0, retries=0)
    zl("06:10:00.001330", "g1", "debug", "partner health", partners={"bank-sepa": "degraded", "ach-us": "ok"},
       last_error="")

    panic = (
        "goroutine {g} [running]:\n"
        "net/http.(*conn).serve.func1()\n"
        "\t/usr/local/go/src/net/http/server.go:1947 +0xbe\n"
        "panic({{0x8a1e20?, 0xc0004a6030?}})\n"
        "\t/usr/local/go/src/runtime/panic.go:785 +0x132\n"
        "github.com/paystream/payout-router/internal/fees.(*Table).Lookup(...)\n"
        "\t/src/internal/fees/table.go:58\n"
        "github.com/paystream/payout-router/internal/api.(*Server).quote(0xc0001c8000, {{0xa3b0c8, 0xc0003f40e0}}, "
        "0xc000412a00)\n"
        "\t/src/internal/api/quote.go:91 +0x2f4\n"
        "net/http.HandlerFunc.ServeHTTP(0xc000190d20?, {{0xa3b0c8?, 0xc0003f40e0?}}, 0xc000412a00?)\n"
        "\t/usr/local/go/src/net/http/server.go:2220 +0x29\n"
        "net/http.serverHandler.ServeHTTP({{0xc000196e10?}}, {{0xa3b0c8?, 0xc0003f40e0?}}, 0x6?)\n"
        "\t/usr/local/go/src/net/http/server.go:3210 +0x8e\n"
        "net/http.(*conn).serve(0xc0002a6000, {{0xa3c8f8, 0xc000196d20}})\n"
        "\t/usr/local/go/src/net/http/server.go:2092 +0x5d0\n"
        "created by net/http.(*Server).Serve in goroutine 1\n"
        "\t/usr/local/go/src/net/http/server.go:3360 +0x485"
    )
    for hms, key, port, g in (("06:12:31.402288", "g1", 51544, 1187), ("06:24:09.770615", "g2", 40022, 96)):
        dt = c.t(hms)
        head = (f"{dt:%Y/%m/%d %H:%M:%S} http: panic serving 169.254.169.126:{port}: runtime error: index out of "
                "range [3] with length 3")
        c.lines(dt, head + "\n" + panic.format(g=g), want="select", problem="fee-index-panic", log="stderr",
                inst=key, rev=rev)

    fatal = (
        "fatal error: concurrent map writes\n"
        "\n"
        "goroutine 2211 [running]:\n"
        "github.com/paystream/payout-router/internal/ratecache.(*Cache).Put(...)\n"
        "\t/src/internal/ratecache/cache.go:44\n"
        "github.com/paystream/payout-router/internal/ratecache.(*Cache).Refresh(0xc0001a4300, {0xa3c8f8, "
        "0xc00041e0f0})\n"
        "\t/src/internal/ratecache/cache.go:71 +0x1a5\n"
        "created by github.com/paystream/payout-router/internal/api.(*Server).quote in goroutine 2209\n"
        "\t/src/internal/api/quote.go:77 +0x1e9\n"
        "\n"
        "goroutine 1 [IO wait]:\n"
        "internal/poll.runtime_pollWait(0x7f3a5c1e8e28, 0x72)\n"
        "\t/usr/local/go/src/runtime/netpoll.go:351 +0x85\n"
        "internal/poll.(*FD).Accept(0xc000196000)\n"
        "\t/usr/local/go/src/internal/poll/fd_unix.go:620 +0x295\n"
        "net/http.(*Server).Serve(0xc0001ae0f0, {0xa3b4a0, 0xc0001b2040})\n"
        "\t/usr/local/go/src/net/http/server.go:3330 +0x30c\n"
        "main.main()\n"
        "\t/src/cmd/router/main.go:64 +0x5b1\n"
        "\n"
        "goroutine 2210 [runnable]:\n"
        "github.com/paystream/payout-router/internal/ratecache.(*Cache).Refresh(0xc0001a4300, {0xa3c8f8, "
        "0xc00041e1a0})\n"
        "\t/src/internal/ratecache/cache.go:68 +0x12c\n"
        "created by github.com/paystream/payout-router/internal/api.(*Server).quote in goroutine 2208\n"
        "\t/src/internal/api/quote.go:77 +0x1e9"
    )
    dt = c.lines(c.t("06:31:17.605330"), fatal, want="select", problem="concurrent-map-writes", log="stderr",
                 inst="g2", rev=rev,
                 note="the whole runtime crash dump, other goroutines included, is one event")
    c.add(dt + timedelta(milliseconds=3), want="select", problem="crash-503", log="requests", severity="ERROR",
          inst="g2", rev=rev, trace="5e3c0b1f8d2a4c6e9b7a1d3f5c7e9a0b",
          text="The request failed because either the HTTP response was malformed or connection to the instance "
               "had an error. Additional troubleshooting documentation can be found at: "
               "https://cloud.google.com/run/docs/troubleshooting#malformed-response-or-connection-error",
          http={"latency": "0.041203s", "protocol": "HTTP/1.1", "remoteIp": "34.96.44.12",
                "requestMethod": "POST", "requestSize": "412", "requestUrl":
                "https://payout-router-7xk2q4vdla-uc.a.run.app/v1/quotes", "responseSize": "0",
                "serverIp": "216.239.32.53", "status": 503, "userAgent": "payout-client/1.8 (go)"})
    c.system(dt + timedelta(milliseconds=96), "Container called exit(2).", "WARNING", problem="crash-exit",
             inst="g2", rev=rev)
    zl("06:31:19.804552", "g3", "info", "listening", addr=":8080")
    zl("06:35:00.000611", "g1", "info", "batch settled", batch="b-0920-07", payouts=97, errors=0, retries=0)
    zl("06:15:30.220914", "g2", "info", "partner reconnected", partner="bank-sepa", downtime="9m18s",
       note="recovery notice: informational")
    zl("06:26:41.004118", "g2", "info", "quote served", route="/v1/quotes", status=200, error_budget_left=0.93)
    zl("06:31:19.806020", "g3", "info", "rate cache warm", entries=4120, took_ms=231)
    return c


# =====================================================================================================================
# 9. Rust: tracing's default fmt output with ANSI colours, tower-http failures, panics, a revision that cannot start
# =====================================================================================================================


def rust_tiles() -> Case:
    c = Case(
        "rust-tracing-tile-renderer",
        fmt="copy",
        project="mapcraft-prod",
        service="tile-renderer",
        date="2025-09-20",
        seed=909,
        about=(
            "An axum/tokio service with tracing_subscriber::fmt() defaults: RFC 3339 microsecond timestamps, level "
            "right-aligned in 5 columns, span context 'request{method=GET uri=... version=HTTP/1.1}:', target, "
            "message and key=value fields, all with ANSI colours (fmt enables them by default, the container is "
            "not a terminal). Exercises: an ERROR render timeout and tower_http's 'response failed "
            "classification=Status code: 500' for the same request (one event), a cache WARN, INFO lines with "
            "errors=0; a panic in a tokio worker ('thread 'tokio-runtime-worker' panicked at src/style.rs:88:41:' "
            "+ message + the RUST_BACKTRACE note, which Rust prints only for the first panic of the process); "
            "revision 00042 panics in main at start-up (missing env var), Cloud Run logs 'Container called "
            "exit(101).' and the failed STARTUP TCP probe, twice. Logs Explorer 'copy' format."
        ),
        sources=[
            "https://docs.rs/tracing-subscriber/latest/tracing_subscriber/fmt/format/struct.Full.html (example "
            "output of the default format)",
            "tokio-rs/tracing tracing-subscriber/src/fmt/format/mod.rs (FmtLevel ' INFO'/' WARN' padding, ANSI "
            "colours: dimmed timestamp, level colours, bold span names, italic field names)",
            "https://docs.rs/tower-http/latest/tower_http/trace/struct.DefaultOnFailure.html ('response failed', "
            "classification, latency)",
            "https://doc.rust-lang.org/std/panic/fn.set_hook.html and rust-lang/rust library/std/src/panicking.rs "
            "(Rust >= 1.73 message 'thread '{name}' panicked at {location}:\\n{msg}', the one-time backtrace note)",
            "https://cloud.google.com/run/docs/configuring/healthchecks (default STARTUP TCP probe)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    r1, r2 = "tile-renderer-00041-jom", "tile-renderer-00042-wap"
    c.problem("render-timeout", title_has=["render failed"], priority=["P1", "P2"])
    c.problem("cache-capacity", priority=["P2", "P3"])
    c.problem("style-unwrap-panic", title_has=["Option::unwrap()"], priority=["P1", "P2"])
    c.problem("startup-env-panic", title_has=["TILE_SOURCE_BUCKET"], priority=["P0"])
    c.problem("startup-exit", priority=["P0", "P1"], caused_by="startup-env-panic")
    c.problem("startup-probe", priority=["P0", "P1"], caused_by="startup-env-panic")

    colours = {"ERROR": ("31", "ERROR"), "WARN": ("33", " WARN"), "INFO": ("32", " INFO"), "DEBUG": ("34", "DEBUG")}

    def field(k: str, v: str) -> str:
        return f"{E}[3m{k}{E}[0m{E}[2m={E}[0m{v}"

    def tr(dt: datetime, level: str, target: str, msg: str, fields: dict | None = None, span: dict | None = None):
        code, text = colours[level]
        out = f"{E}[2m{dt:%Y-%m-%dT%H:%M:%S.%f}Z{E}[0m {E}[{code}m{text}{E}[0m "
        if span:
            inner = " ".join(field(k, v) for k, v in span.items())
            out += f"{E}[1mrequest{E}[0m{E}[1m{{{E}[0m{inner}{E}[1m}}{E}[0m{E}[2m:{E}[0m "
        out += f"{E}[2m{target}{E}[0m{E}[2m:{E}[0m {msg}"
        for k, v in (fields or {}).items():
            out += " " + field(k, v)
        return out

    def log(hms: str, key: str, rev: str, level: str, target: str, msg: str, fields=None, span=None,
            problem=None, note=None) -> datetime:
        dt = c.t(hms)
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note,
              text=tr(dt, level, target, msg, fields, span), inst=key, rev=rev)
        return dt

    for key, hms in (("t1", "09:00:01.481203"), ("t2", "09:14:40.007721")):
        log(hms, key, r1, "INFO", "tile_renderer", "listening", {"addr": "0.0.0.0:8080"})
    for hms, key, uri, ms in (("09:03:12.330418", "t1", "/tiles/12/2148/1432.png", "5004"),
                              ("09:11:58.772001", "t1", "/tiles/13/4297/2866.png", "5002"),
                              ("09:16:30.118355", "t2", "/tiles/12/2150/1433.png", "5003")):
        span = {"method": "GET", "uri": uri, "version": "HTTP/1.1"}
        dt = log(hms, key, r1, "ERROR", "tile_renderer::render", "render failed",
                 {"error": "gcs read timed out after 5s", "source": "raster/12/srtm.tif"}, span,
                 problem="render-timeout")
        dt += timedelta(microseconds=412)
        c.add(dt, want="select", problem="render-timeout", inst=key, rev=r1,
              note="tower_http's failure line for the same request as the ERROR above",
              text=tr(dt, "ERROR", "tower_http::trace::on_failure", "response failed",
                      {"classification": "Status code: 500 Internal Server Error", "latency": f"{ms} ms"}, span))
    log("09:07:45.900210", "t1", r1, "WARN", "tile_renderer::cache", "cache near capacity, evicting",
        {"used_mb": "1890", "limit_mb": "2048"}, problem="cache-capacity")
    log("09:30:12.101442", "t3", r2, "INFO", "tile_renderer", "starting", {"version": "0.42.0"})
    log("09:30:25.790031", "t4", r2, "INFO", "tile_renderer", "starting", {"version": "0.42.0"})
    log("09:02:40.118331", "t1", r1, "INFO", "tile_renderer::cache", "warmed cache", {"tiles": "18220"})
    log("09:12:05.551020", "t1", r1, "INFO", "tile_renderer::style", "style reloaded",
        {"name": "outdoor-v3", "warnings": "0"})
    log("09:10:00.000413", "t1", r1, "INFO", "tile_renderer::metrics", "flushed stats",
        {"renders": "1284", "errors": "0", "retries": "0"})
    log("09:20:00.000552", "t2", r1, "INFO", "tile_renderer::metrics", "flushed stats",
        {"renders": "311", "errors": "1", "retries": "0"}, note="a counter that mentions errors: INFO")

    first = ("thread 'tokio-runtime-worker' panicked at src/style.rs:88:41:\n"
             "called `Option::unwrap()` on a `None` value\n"
             "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace")
    c.lines(c.t("09:05:02.661907"), first, want="select", problem="style-unwrap-panic", log="stderr", inst="t1",
            rev=r1)
    c.lines(c.t("09:09:48.003115"), "\n".join(first.split("\n")[:2]), want="select", problem="style-unwrap-panic",
            log="stderr", inst="t1", rev=r1, note="second panic of the process: no backtrace note")

    for key, hms in (("t3", "09:30:12.220118"), ("t4", "09:30:25.901442")):
        dt = c.t(hms)
        dt = c.lines(dt, "thread 'main' panicked at src/main.rs:27:10:\n"
                         "TILE_SOURCE_BUCKET must be set: NotPresent\n"
                         "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
                     want="select", problem="startup-env-panic", log="stderr", inst=key, rev=r2)
        c.system(dt + timedelta(milliseconds=25), "Container called exit(101).", "WARNING", problem="startup-exit",
                 inst=key, rev=r2)
        c.system(dt + timedelta(milliseconds=410), 'Default STARTUP TCP probe failed 1 time consecutively for '
                 'container "tile-renderer-1" on port 8080. The instance was not started.', "ERROR",
                 problem="startup-probe", inst=key, rev=r2)
    return c


# =====================================================================================================================
# 10. ASP.NET Core with Serilog's default console template; EF Core with multi-line SQL in an error record
# =====================================================================================================================


def aspnet_pharmacy() -> Case:
    c = Case(
        "aspnet-serilog-pharmacy-stock",
        fmt="entries-list",
        project="rxstock-prod",
        service="pharmacy-stock-api",
        date="2025-09-21",
        region="us-east4",
        seed=1010,
        about=(
            "ASP.NET Core 8 with Serilog.Sinks.Console's default output template '[{Timestamp:HH:mm:ss} {Level:u3}] "
            "{Message:lj}{NewLine}{Exception}' (no theme: output redirected), UseSerilogRequestLogging ('HTTP GET "
            "/path responded 500 in 31.0877 ms', level Error for 5xx, Information otherwise). Exercises: the "
            "ExceptionHandlerMiddleware 'An unhandled exception has occurred while executing the request.' with an "
            "HttpRequestException whose inner SocketException is printed with ' ---> ' and '--- End of inner "
            "exception stack trace ---' (one entry per line) and the request's 'responded 500' ERR line (same "
            "event); EF Core 'Failed executing DbCommand' whose SQL continues over several lines, and the query "
            "exception that follows (one event); the data-protection WRN lines logged at every start; INFO lines "
            "about 409s, health checks and a user's reason text containing 'ERROR'. Logging API entries.list "
            "response."
        ),
        sources=[
            "https://github.com/serilog/serilog/wiki/Formatting-Output (the default console outputTemplate) and "
            "https://github.com/serilog/serilog-sinks-console",
            "https://github.com/serilog/serilog-aspnetcore#request-logging ('HTTP {RequestMethod} {RequestPath} "
            "responded {StatusCode} in {Elapsed:0.0000} ms', Error level for 5xx)",
            "dotnet/aspnetcore src/Middleware/Diagnostics/src/ExceptionHandler (UnhandledException: 'An unhandled "
            "exception has occurred while executing the request.') and DataProtection ('Storing keys in a "
            "directory ... that may not be persisted outside of the container', 'No XML encryptor configured')",
            "dotnet/efcore RelationalEventId.CommandError ('Failed executing DbCommand ({elapsed}ms) [Parameters=...]"
            "' + command text) and CoreEventId.QueryIterationFailed",
            "https://learn.microsoft.com/en-us/dotnet/api/system.exception.tostring (inner exception ' ---> ', "
            "'--- End of inner exception stack trace ---')",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "pharmacy-stock-api-00031-vog"
    c.problem("wholesaler-refused", title_has=["Connection refused"], priority=["P1", "P2"])
    c.problem("stock-query-timeout", priority=["P1", "P2"])
    c.problem("dataprotection-keys", title_has=["may not be persisted"], priority=["P2", "P3"])
    c.problem("xml-encryptor", title_has=["No XML encryptor configured"], priority=["P2", "P3"])

    def sl(dt: datetime, lvl: str, msg: str) -> str:
        return f"[{dt:%H:%M:%S} {lvl}] {msg}"

    def add(dt: datetime, key: str, lvl: str, msg: str, problem=None, note=None) -> datetime:
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, text=sl(dt, lvl, msg),
              inst=key, rev=rev)
        return dt + timedelta(microseconds=c.rng.randint(200, 3000))

    for key, hms in (("n1", "07:30:01.004118"), ("n2", "07:52:33.610442")):
        dt = c.t(hms)
        dt = add(dt, key, "WRN", "Storing keys in a directory '/root/.aspnet/DataProtection-Keys' that may not be "
                                 "persisted outside of the container. Protected data will be unavailable when "
                                 "container is destroyed. For more information go to "
                                 "https://aka.ms/aspnet/dataprotectionwarning", problem="dataprotection-keys")
        dt = add(dt, key, "WRN", "No XML encryptor configured. Key {"
                 + uuid4(c.rng) + "} may be persisted to storage in unencrypted form.", problem="xml-encryptor")
        for msg in ("Now listening on: http://[::]:8080", "Application started. Press Ctrl+C to shut down.",
                    "Hosting environment: Production", "Content root path: /app"):
            dt = add(dt, key, "INF", msg)
    for hms, key, msg in (
        ("07:31:12.220001", "n1", "HTTP GET /healthz responded 200 in 0.4211 ms"),
        ("07:40:02.118330", "n1", "HTTP GET /api/stock/00093-7146-56 responded 200 in 48.1120 ms"),
        ("07:50:03.551207", "n1", "HTTP POST /api/reservations responded 409 in 12.3021 ms"),
        ("07:58:44.006712", "n2", 'Reservation R-20931 cancelled by pharmacist; reason: "ERROR IN ORDER - WRONG '
                                  'STRENGTH"'),
    ):
        add(c.t(hms), key, "INF", msg)

    refused = (
        "System.Net.Http.HttpRequestException: Connection refused (wholesaler-gateway:443)\n"
        " ---> System.Net.Sockets.SocketException (111): Connection refused\n"
        "   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, "
        "CancellationToken cancellationToken)\n"
        "   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.System.Threading.Tasks.Sources."
        "IValueTaskSource.GetResult(Int16 token)\n"
        "   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, "
        "HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)\n"
        "   --- End of inner exception stack trace ---\n"
        "   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, "
        "HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)\n"
        "   at System.Net.Http.HttpConnectionPool.ConnectAsync(HttpRequestMessage request, Boolean async, "
        "CancellationToken cancellationToken)\n"
        "   at System.Net.Http.HttpConnectionPool.AddHttp11ConnectionAsync(QueueItem queueItem)\n"
        "   at System.Net.Http.HttpClient.<SendAsync>g__Core|83_0(HttpRequestMessage request, HttpCompletionOption "
        "completionOption, CancellationTokenSource cts, Boolean disposeCts, CancellationTokenSource "
        "pendingRequestsCts, CancellationToken originalCancellationToken)\n"
        "   at Pharmacy.Stock.Wholesale.WholesalerClient.GetAvailabilityAsync(String ndc, CancellationToken ct) in "
        "/src/Pharmacy.Stock/Wholesale/WholesalerClient.cs:line 58\n"
        "   at Pharmacy.Stock.Endpoints.StockEndpoints.<>c.<<Map>b__0_1>d.MoveNext() in "
        "/src/Pharmacy.Stock/Endpoints/StockEndpoints.cs:line 41\n"
        "--- End of stack trace from previous location ---\n"
        "   at Microsoft.AspNetCore.Http.RequestDelegateFactory.ExecuteTaskResult[T](Task`1 task, HttpContext "
        "httpContext)\n"
        "   at Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddlewareImpl.<Invoke>g__Awaited|10_0("
        "ExceptionHandlerMiddlewareImpl middleware, HttpContext context, Task task)"
    )
    for hms, key, ndc, ms in (("07:42:19.330981", "n1", "00093-7146-56", "31.0877"),
                              ("07:55:02.118420", "n2", "00378-1805-01", "28.4410")):
        dt = c.t(hms)
        dt = add(dt, key, "ERR", "An unhandled exception has occurred while executing the request.",
                 problem="wholesaler-refused")
        dt = c.lines(dt, refused, want="select", problem="wholesaler-refused", inst=key, rev=rev)
        add(dt + timedelta(microseconds=700), key, "ERR", f"HTTP GET /api/stock/{ndc} responded 500 in {ms} ms",
            problem="wholesaler-refused", note="Serilog's request line for the same failed request (ERR for 5xx)")

    dt = c.t("07:47:40.912004")
    dt = add(dt, "n1", "ERR", "Failed executing DbCommand (30,012ms) [Parameters=[@__ndc_0='?' (Size = 13)], "
                              "CommandType='Text', CommandTimeout='30']", problem="stock-query-timeout")
    dt = c.lines(dt, 'SELECT s."Id", s."Ndc", s."OnHand", s."Reserved", s."UpdatedAt"\n'
                     'FROM stock_levels AS s\n'
                     'WHERE s."Ndc" = @__ndc_0\n'
                     'LIMIT 1', want="select", problem="stock-query-timeout", inst="n1", rev=rev,
                 note="the SQL text continues the ERR record")
    dt = add(dt + timedelta(microseconds=900), "n1", "ERR",
             "An exception occurred while iterating over the results of a query for context type "
             "'Pharmacy.Stock.Data.StockDbContext'.", problem="stock-query-timeout")
    c.lines(dt, "Npgsql.NpgsqlException (0x80004005): Exception while reading from stream\n"
                " ---> System.TimeoutException: Timeout during reading attempt\n"
                "   at Npgsql.Internal.NpgsqlReadBuffer.<Ensure>g__EnsureLong|55_0(NpgsqlReadBuffer buffer, Int32 "
                "count, Boolean async, Boolean readingNotifications)\n"
                "   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async, DataRowLoadingMode "
                "dataRowLoadingMode, Boolean readingNotifications, Boolean isReadingPrependedMessage)\n"
                "   --- End of inner exception stack trace ---\n"
                "   at Npgsql.NpgsqlDataReader.NextResult(Boolean async, Boolean isConsuming, CancellationToken "
                "cancellationToken)\n"
                "   at Microsoft.EntityFrameworkCore.Storage.RelationalCommand.ExecuteReaderAsync("
                "RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken)\n"
                "   at Microsoft.EntityFrameworkCore.Query.Internal.SingleQueryingEnumerable`1.AsyncEnumerator."
                "MoveNextAsync()", want="select", problem="stock-query-timeout", inst="n1", rev=rev)
    return c


# =====================================================================================================================
# 11. Laravel on php-fpm behind nginx in one container (supervisord), the official php image's FPM settings
# =====================================================================================================================

VENDOR = "/var/www/html/vendor/laravel/framework/src/Illuminate"


def laravel_portal() -> Case:
    c = Case(
        "laravel-nginx-tenant-portal",
        fmt="gcloud",
        project="leasehub-prod",
        service="tenant-portal",
        date="2025-09-22",
        region="europe-west3",
        seed=1111,
        about=(
            "Laravel 11 on php-fpm 8.3 and nginx in one container under supervisord. Laravel logs to the 'stderr' "
            "channel (Monolog LineFormatter: '[2025-... ] production.ERROR: message {context}' with the exception "
            "as '[object] (Class(code: N): ... at file:line)' followed by '[stacktrace]', '#N ...' frames, "
            "'[previous exception]' and the closing '\"}'), passed through FPM with catch_workers_output and "
            "decorate_workers_output = no, so each line is its own entry. Also: nginx's error log ('2025/09/22 "
            "11:00:01 [error] 9#9: *1 connect() failed (111: Connection refused) while connecting to upstream' "
            "during a cold start, 'FastCGI sent in stderr: \"PHP message: PHP Warning:  ...\"' from a legacy script, "
            "[notice] lines), FPM's own NOTICE/WARNING lines (pm.max_children reached; a request killed by "
            "request_terminate_timeout and the nginx 'recv() failed' for it: one event), FPM and nginx access "
            "lines including 500s and 502s (skip), supervisord INFO lines. gcloud JSON export, newest first."
        ),
        sources=[
            "https://laravel.com/docs/11.x/logging (stderr channel) and Seldaek/monolog "
            "src/Monolog/Formatter/LineFormatter.php (SIMPLE_FORMAT '[%datetime%] %channel%.%level_name%: "
            "%message% %context% %extra%', stack traces with allowInlineLineBreaks)",
            "https://nginx.org/en/docs/ngx_core_module.html#error_log (format 'YYYY/MM/DD HH:MM:SS [level] "
            "pid#tid: *cid message')",
            "docker-library/php (php-fpm.d/docker.conf: error_log = /proc/self/fd/2, access.log = /proc/self/fd/2, "
            "catch_workers_output = yes, decorate_workers_output = no)",
            "php/php-src sapi/fpm/fpm/fpm_children.c and fpm_process_ctl.c ('server reached pm.max_children "
            "setting', 'execution timed out', 'exited on signal')",
            "http://supervisord.org/logging.html (activity log format)",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "tenant-portal-00064-bim"
    c.problem("invoice-deadlock", title_has=["Deadlock found"], priority=["P1", "P2"])
    c.problem("fpm-not-ready", title_has=["connect() failed"], priority=["P1", "P2", "P3"])
    c.problem("legacy-undefined-key", title_has=["Undefined array key"], priority=["P2", "P3"])
    c.problem("fpm-max-children", title_has=["pm.max_children"], priority=["P2", "P3"])
    c.problem("fpm-request-timeout", title_has=["execution timed out"], priority=["P1", "P2"])
    c.problem("gateway-slow", priority=["P2", "P3"])

    def ngx(dt: datetime, level: str, msg: str) -> str:
        return f"{dt:%Y/%m/%d %H:%M:%S} [{level}] {msg}"

    def fpm(dt: datetime, level: str, msg: str) -> str:
        return f"[{dt:%d-%b-%Y %H:%M:%S}] {level}: {msg}"

    def sup(dt: datetime, msg: str) -> str:
        return f"{dt:%Y-%m-%d %H:%M:%S},{dt.microsecond // 1000:03d} INFO {msg}"

    def lara(dt: datetime, level: str, msg: str) -> str:
        return f"[{dt:%Y-%m-%d %H:%M:%S}] production.{level}: {msg}"

    def add(dt, key, text, log="stderr", problem=None, note=None):
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, text=text, log=log, inst=key,
              rev=rev)
        return dt + timedelta(microseconds=c.rng.randint(300, 4000))

    host = "portal.leasehub.example"
    for key, hms in (("l1", "11:00:00.118204"), ("l2", "11:20:40.004511")):
        dt = c.t(hms)
        dt = add(dt, key, sup(dt, "supervisord started with pid 1"), log="stdout")
        dt = add(dt + timedelta(milliseconds=900), key, sup(dt, "spawned: 'nginx' with pid 7"), log="stdout")
        dt = add(dt, key, sup(dt, "spawned: 'php-fpm' with pid 8"), log="stdout")
        for msg in ('7#7: using the "epoll" event method', "7#7: nginx/1.27.1", "7#7: start worker processes",
                    "7#7: start worker process 9"):
            dt = add(dt, key, ngx(dt, "notice", msg))
        if key == "l2":
            dt = add(dt + timedelta(milliseconds=80), key, ngx(dt, "error", (
                f'9#9: *1 connect() failed (111: Connection refused) while connecting to upstream, client: '
                f'169.254.169.126, server: _, request: "GET /dashboard HTTP/1.1", '
                f'upstream: "fastcgi://127.0.0.1:9000", '
                f'host: "{host}"')), problem="fpm-not-ready",
                note="a request reached nginx before php-fpm listened (cold start): the user got a 502")
            dt = add(dt, key, f'169.254.169.126 - - [{dt:%d/%b/%Y:%H:%M:%S} +0000] "GET /dashboard HTTP/1.1" 502 157 '
                              '"-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"', log="stdout",
                     note="nginx access record of that 502: no level")
        dt = add(dt + timedelta(milliseconds=120), key, fpm(dt, "NOTICE", "fpm is running, pid 8"))
        dt = add(dt, key, fpm(dt, "NOTICE", "ready to handle connections"))
        add(dt + timedelta(seconds=1), key, sup(dt + timedelta(seconds=1), "success: nginx entered RUNNING state, "
                                                "process has stayed up for > than 1 seconds (startsecs)"),
            log="stdout")

    for hms, key, req, status in (("11:00:05.331027", "l1", "GET /dashboard", 200),
                                  ("11:02:10.908114", "l1", "GET /leases/311", 200),
                                  ("11:21:30.440212", "l2", "GET /dashboard", 200)):
        dt = c.t(hms)
        dt = add(dt, key, f'127.0.0.1 -  {dt:%d/%b/%Y:%H:%M:%S} +0000 "{req.split()[0]} /index.php" {status}')
        add(dt, key, f'169.254.169.126 - - [{dt:%d/%b/%Y:%H:%M:%S} +0000] "{req} HTTP/1.1" {status} 5123 "-" '
                     '"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15"', log="stdout")
    add(c.t("11:02:10.902441"), "l1", lara(c.t("11:02:10.902441"), "INFO", 'Tenant 88 statement emailed '
                                                                      '{"errors":0,"pages":3}'))

    sql = ("update `invoices` set `status` = paid, `invoices`.`updated_at` = 2025-09-22 {t} where `id` = {id}")
    deadlock = "SQLSTATE[40001]: Serialization failure: 1213 Deadlock found when trying to get lock; try restarting " \
               "transaction"
    for hms, key, inv in (("11:04:31.202233", "l1", 88213), ("11:22:58.770140", "l2", 88240)):
        dt = c.t(hms)
        q = sql.format(t=f"{dt:%H:%M:%S}", id=inv)
        head = (f"{deadlock} (Connection: mysql, SQL: {q}) {{\"userId\":412,\"exception\":\"[object] "
                f"(Illuminate\\\\Database\\\\QueryException(code: 40001): {deadlock} (Connection: mysql, SQL: {q}) at "
                f"{VENDOR}/Database/Connection.php:825)")
        block = "\n".join([
            lara(dt, "ERROR", head),
            "[stacktrace]",
            f"#0 {VENDOR}/Database/Connection.php(779): Illuminate\\\\Database\\\\Connection->runQueryCallback("
            "'update `invoice...', Array, Object(Closure))",
            f"#1 {VENDOR}/Database/Connection.php(584): Illuminate\\\\Database\\\\Connection->run('update "
            "`invoice...', Array, Object(Closure))",
            f"#2 {VENDOR}/Database/Query/Builder.php(3845): Illuminate\\\\Database\\\\Connection->update('update "
            "`invoice...', Array)",
            "#3 /var/www/html/app/Services/InvoiceSettler.php(52): Illuminate\\\\Database\\\\Query\\\\Builder->"
            "update(Array)",
            "#4 /var/www/html/app/Http/Controllers/InvoiceController.php(88): App\\\\Services\\\\InvoiceSettler->"
            "markPaid(Object(App\\\\Models\\\\Invoice))",
            f"#5 {VENDOR}/Routing/Controller.php(54): App\\\\Http\\\\Controllers\\\\InvoiceController->pay("
            f"Object(Illuminate\\\\Http\\\\Request), '{inv}')",
            "#6 /var/www/html/public/index.php(17): Illuminate\\\\Foundation\\\\Application->handleRequest("
            "Object(Illuminate\\\\Http\\\\Request))",
            "#7 {main}",
            f"[previous exception] [object] (PDOException(code: 40001): {deadlock} at "
            f"{VENDOR}/Database/Connection.php:587)",
            "[stacktrace]",
            f"#0 {VENDOR}/Database/Connection.php(587): PDOStatement->execute()",
            f"#1 {VENDOR}/Database/Connection.php(812): Illuminate\\\\Database\\\\Connection->"
            "Illuminate\\\\Database\\\\{closure}('update `invoice...', Array)",
            "#2 {main}",
            '"}',
        ])
        dt = c.lines(dt, block, want="select", problem="invoice-deadlock", log="stderr", inst=key, rev=rev,
                     note="one Laravel record: message, context, stack traces, closing brace")
        dt = add(dt + timedelta(milliseconds=4), key,
                 f'127.0.0.1 -  {dt:%d/%b/%Y:%H:%M:%S} +0000 "POST /index.php" 500',
                 note="FPM access record of the 500")
        add(dt, key, f'169.254.169.126 - - [{dt:%d/%b/%Y:%H:%M:%S} +0000] "POST /invoices/{inv}/pay HTTP/1.1" 500 '
                     '6602 "-" "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15"', log="stdout",
            note="nginx access record of the 500")

    for hms, key, cid in (("11:07:12.554019", "l1", 57), ("11:24:03.102233", "l2", 14)):
        dt = c.t(hms)
        add(dt, key, ngx(dt, "error", (
            f'9#9: *{cid} FastCGI sent in stderr: "PHP message: PHP Warning:  Undefined array key "unit" in '
            '/var/www/html/public/legacy/export.php on line 118" while reading response header from upstream, '
            'client: 169.254.169.126, server: _, request: "GET /legacy/export.php?lease=311 HTTP/1.1", upstream: '
            f'"fastcgi://127.0.0.1:9000", host: "{host}"')), problem="legacy-undefined-key",
            note="nginx logs it at [error]; it is a PHP warning of a legacy script (the page still rendered)")

    dt = c.t("11:12:40.000318")
    add(dt, "l1", fpm(dt, "WARNING", "[pool www] server reached pm.max_children setting (5), consider raising it"),
        problem="fpm-max-children")
    dt = c.t("11:13:02.441908")
    dt = add(dt, "l1", fpm(dt, "WARNING", '[pool www] child 64, script \'/var/www/html/public/index.php\' (request: '
                                          '"POST /index.php") execution timed out (60.006271 sec), terminating'),
             problem="fpm-request-timeout")
    dt = add(dt, "l1", fpm(dt, "WARNING", "[pool www] child 64 exited on signal 15 (SIGTERM) after 412.203113 seconds "
                                          "from start"), problem="fpm-request-timeout")
    dt = add(dt, "l1", fpm(dt, "NOTICE", "[pool www] child 71 started"))
    add(dt, "l1", ngx(dt, "error", (
        '9#9: *88 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: '
        '169.254.169.126, server: _, request: "POST /reports/annual HTTP/1.1", upstream: "fastcgi://127.0.0.1:9000", '
        f'host: "{host}"')), problem="fpm-request-timeout",
        note="nginx's side of the request FPM just killed: same event")
    dt = c.t("11:20:44.118220")
    add(dt, "l1", lara(dt, "WARNING", 'Payment gateway slow response {"ms":4212,"gateway":"adyen"}'),
        problem="gateway-slow")
    dt = c.t("11:25:10.330712")
    add(dt, "l2", lara(dt, "INFO", 'Lease 311 renewed; previous error state cleared {"tenant":88}'))
    return c


# =====================================================================================================================
# 12. A Sidekiq 7 worker (Rails), the Pretty formatter, Redis going away
# =====================================================================================================================


def sidekiq_notifications() -> Case:
    c = Case(
        "sidekiq-notifications-worker",
        fmt="copy",
        project="nudgely-prod",
        service="notifications-worker",
        date="2025-09-22",
        region="us-east1",
        seed=1212,
        about=(
            "A Rails 7.1 app's Sidekiq 7 process with the default Pretty formatter ('2025-...Z pid=1 tid=2m4h "
            "class=SmsReminderJob jid=... INFO: start'). A failing job logs 'INFO: fail' (with elapsed=) inside "
            "the job context, then Sidekiq's default error handler logs three WARN records outside it: the context "
            "JSON, 'Class: message', and the backtrace whose first line carries the prefix and whose other lines "
            "are bare (one entry per line). Redis disappears for a few seconds: each processor thread logs 'ERROR: "
            "Error fetching job: ...' followed by the handler's WARN lines, then 'INFO: Redis is online, N sec "
            "downtime'. Rails' own logger lines ('E, [time #1] ERROR -- : ...') are mixed in. Logs Explorer 'copy' "
            "format."
        ),
        sources=[
            "sidekiq/sidekiq lib/sidekiq/logger.rb (Formatters::Pretty: \"#{time.utc.iso8601(3)} pid=#{pid} "
            "tid=#{tid}#{format_context} #{severity}: #{message}\")",
            "sidekiq/sidekiq lib/sidekiq/job_logger.rb ('start', 'done', 'fail' at INFO with elapsed)",
            "sidekiq/sidekiq lib/sidekiq/config.rb (ERROR_HANDLER: warn dump_json(ctx), warn 'Class: message', warn "
            "backtrace.join(\"\\n\"))",
            "sidekiq/sidekiq lib/sidekiq/processor.rb (handle_fetch_exception: 'Error fetching job: ...', 'Redis is "
            "online, ... sec downtime')",
            "ruby/logger lib/logger/formatter.rb (Format \"%.1s, [%s #%d] %5s -- %s: %s\\n\")",
            *CLOUD_RUN_SOURCES,
        ],
    )
    rev = "notifications-worker-00023-taf"
    c.problem("sms-read-timeout", title_has=["Net::ReadTimeout"], priority=["P1", "P2"])
    c.problem("redis-fetch-refused", title_has=["Connection refused"], priority=["P1", "P2"])
    c.problem("sms-gateway-429", priority=["P2", "P3"])

    def sk(dt: datetime, tid: str, level: str, msg: str, ctx: str = "") -> str:
        return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z pid=1 tid={tid}{ctx} {level}: {msg}"

    def add(dt, text, problem=None, note=None):
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, text=text, inst="k1", rev=rev)
        return dt + timedelta(microseconds=c.rng.randint(200, 2500))

    dt = c.t("13:00:00.412118")
    for msg in ("Booted Rails 7.1.4 application in production environment",
                "Running in ruby 3.3.5 (2024-09-03 revision ef084cc8f4) +YJIT [x86_64-linux]",
                "See LICENSE and the LGPL-3.0 for licensing details.",
                "Upgrade to Sidekiq Pro for more features and support: https://sidekiq.org",
                'Sidekiq 7.3.2 connecting to Redis with options {:size=>10, :pool_name=>"internal", '
                ':url=>"redis://10.30.0.4:6379/0"}',
                "Starting processing, hit Ctrl-C to stop"):
        dt = add(dt, sk(dt, "2m4h", "INFO", msg))

    def jid() -> str:
        return f"{c.rng.getrandbits(96):024x}"

    def job(hms: str, tid: str, cls: str, elapsed: str, ok: bool = True) -> tuple[datetime, str]:
        dt = c.t(hms)
        j = jid()
        ctx = f" class={cls} jid={j}"
        add(dt, sk(dt, tid, "INFO", "start", ctx))
        end = dt + timedelta(seconds=float(elapsed))
        add(end, sk(end, tid, "INFO", "done" if ok else "fail", ctx + f" elapsed={elapsed}"),
            note=None if ok else "JobLogger's INFO 'fail': the error itself is in the WARN lines that follow")
        return end, j

    job("13:00:05.118204", "2m9x", "PushNotificationJob", "0.224")
    job("13:00:06.300118", "2mb1", "EmailDigestJob", "1.871")
    backtrace = (
        "/usr/local/lib/ruby/3.3.0/net/protocol.rb:229:in `rbuf_fill'\n"
        "/usr/local/lib/ruby/3.3.0/net/protocol.rb:199:in `readuntil'\n"
        "/usr/local/lib/ruby/3.3.0/net/protocol.rb:209:in `readline'\n"
        "/usr/local/lib/ruby/3.3.0/net/http/response.rb:158:in `read_status_line'\n"
        "/usr/local/lib/ruby/3.3.0/net/http.rb:2357:in `request'\n"
        "/app/app/services/sms_gateway.rb:31:in `deliver'\n"
        "/app/app/jobs/sms_reminder_job.rb:12:in `perform'\n"
        "/usr/local/bundle/gems/sidekiq-7.3.2/lib/sidekiq/processor.rb:220:in `execute_job'\n"
        "/usr/local/bundle/gems/sidekiq-7.3.2/lib/sidekiq/processor.rb:185:in `block (4 levels) in process'\n"
        "/usr/local/bundle/gems/sidekiq-7.3.2/lib/sidekiq/util.rb:56:in `block in create_thread'"
    )
    for hms, tid, appt, retry in (("13:02:10.004511", "2mcq", 88213, 0), ("13:09:41.880207", "2mf4", 88240, 1)):
        end, j = job(hms, tid, "SmsReminderJob", "10.013", ok=False)
        dt = end + timedelta(microseconds=640)
        ctx = {"context": "Job raised exception",
               "job": {"retry": 5, "queue": "default", "args": [appt], "class": "SmsReminderJob", "jid": j,
                       "created_at": round(end.timestamp() - 31.2, 4), "enqueued_at": round(end.timestamp() - 10.1, 4),
                       **({"retry_count": 0, "failed_at": round(end.timestamp() - 400.2, 4),
                           "error_message": "Net::ReadTimeout with #<TCPSocket:(closed)>",
                           "error_class": "Net::ReadTimeout"} if retry else {})}}
        dt = add(dt, sk(dt, tid, "WARN", json.dumps(ctx, separators=(",", ":"))), problem="sms-read-timeout")
        dt = add(dt, sk(dt, tid, "WARN", "Net::ReadTimeout: Net::ReadTimeout with #<TCPSocket:(closed)>"),
                 problem="sms-read-timeout")
        lines = backtrace.split("\n")
        c.lines(dt, sk(dt, tid, "WARN", lines[0]) + "\n" + "\n".join(lines[1:]), want="select",
                problem="sms-read-timeout", inst="k1", rev=rev,
                note="the backtrace record: first line with the prefix, the rest bare")

    dt = c.t("13:05:12.551203")
    add(dt, f"E, [{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d} #1] ERROR -- : [ActiveJob] [BulkSmsJob] "
            "[9c1f2d4e-6b7a-4c8d-9e0f-1a2b3c4d5e6f] SmsGateway error: 429 Too Many Requests retry_after=30",
        problem="sms-gateway-429")
    dt = c.t("13:06:00.118440")
    add(dt, f"I, [{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d} #1]  INFO -- : [ActiveJob] [BulkSmsJob] "
            "[9c1f2d4e-6b7a-4c8d-9e0f-1a2b3c4d5e6f] batch 17 sent: 250 ok, 0 errors")

    fetch_bt = (
        "/usr/local/bundle/gems/redis-client-0.22.2/lib/redis_client/ruby_connection.rb:117:in `rescue in "
        "connect'\n"
        "/usr/local/bundle/gems/redis-client-0.22.2/lib/redis_client/ruby_connection.rb:107:in `connect'\n"
        "/usr/local/bundle/gems/redis-client-0.22.2/lib/redis_client.rb:746:in `ensure_connected'\n"
        "/usr/local/bundle/gems/sidekiq-7.3.2/lib/sidekiq/fetch.rb:47:in `retrieve_work'\n"
        "/usr/local/bundle/gems/sidekiq-7.3.2/lib/sidekiq/processor.rb:87:in `get_one'"
    )
    refused = "Connection refused - connect(2) for 10.30.0.4:6379 (redis://10.30.0.4:6379)"
    for hms, tid in (("13:12:00.220418", "2mgz"), ("13:12:00.231907", "2mh3")):
        dt = c.t(hms)
        dt = add(dt, sk(dt, tid, "ERROR", f"Error fetching job: {refused}"), problem="redis-fetch-refused")
        dt = add(dt, sk(dt, tid, "WARN", f"RedisClient::CannotConnectError: {refused}"), problem="redis-fetch-refused")
        lines = fetch_bt.split("\n")
        c.lines(dt, sk(dt, tid, "WARN", lines[0]) + "\n" + "\n".join(lines[1:]), want="select",
                problem="redis-fetch-refused", inst="k1", rev=rev)
    for hms, tid in (("13:12:09.305112", "2mgz"), ("13:12:09.307006", "2mh3")):
        dt = c.t(hms)
        add(dt, sk(dt, tid, "INFO", "Redis is online, 9.085 sec downtime"))
    job("13:12:15.004118", "2mgz", "PushNotificationJob", "0.198")
    return c


# =====================================================================================================================
# 13. A Cloud Run JOB (Python, structured JSON logs), exported from Windows PowerShell (UTF-16LE + BOM, CRLF)
# =====================================================================================================================


def job_ledger_export() -> Case:
    c = Case(
        "job-python-ledger-export-utf16",
        fmt="gcloud-utf16",
        project="acme-fin-prod",
        service="ledger-export",
        date="2025-09-23",
        seed=1313,
        job=True,
        about=(
            "A Cloud Run job (resource.type cloud_run_job, labels run.googleapis.com/execution_name, task_index, "
            "task_attempt) with 3 parallel tasks and max-retries 1, logging JSON lines with a `severity` field "
            "(python-json-logger renamed), so Cloud Run lifts the severity; the exception is in the JSON "
            "`exc_info` field as one multi-line string. Task 2 fails on both attempts with decimal.InvalidOperation "
            "and exits 1: 'Container called exit(1).' in varlog/system after each attempt (a consequence). Tasks "
            "0 and 1 log WARNINGs about skipped accounts and INFO lines with errors=0/retries=0; DEBUG lines. "
            "Written by `gcloud logging read ... --format=json > export.json` in Windows PowerShell 5.1: UTF-16LE "
            "with a byte-order mark and CRLF line ends; newest first."
        ),
        sources=[
            "https://cloud.google.com/run/docs/logging (jobs: resource type cloud_run_job, execution and task "
            "labels) and https://cloud.google.com/run/docs/container-contract#jobs-env-vars",
            "open-telemetry/semantic-conventions docs/resource/cloud-provider/gcp/cloud-run.md (execution name "
            "and task index)",
            "https://cloud.google.com/logging/docs/structured-logging (severity lifted from a JSON line)",
            "https://github.com/nhairs/python-json-logger (rename_fields, exc_info field)",
            "https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/"
            "about_character_encoding (Windows PowerShell 5.1 redirection writes UTF-16LE with BOM)",
        ],
    )
    ex = "ledger-export-x7k2q"
    c.problem("amount-invalid-operation", title_has=["InvalidOperation"], priority=["P1", "P2"])
    c.problem("task-exit", priority=["P1", "P2"], caused_by="amount-invalid-operation")
    c.problem("account-no-lines", priority=["P3"])

    def log(hms: str, task: int, attempt: int, severity: str, message: str, problem=None, note=None, **extra):
        dt = c.t(hms)
        payload = {"severity": severity, "message": message, "logger": "ledger_export", "task": task, **extra}
        c.add(dt, want="select" if problem else "skip", problem=problem, note=note, payload=payload,
              inst=f"t{task}a{attempt}", task=(ex, task, attempt))
        return dt

    for task, base in ((0, 0), (1, 1000)):
        m = 2 + task
        log(f"02:00:0{m}.118204", task, 0, "INFO", f"task {task}/3 starting: accounts {base}-{base + 999}")
        log(f"02:00:0{m}.120551", task, 0, "DEBUG", "gcs target gs://acme-ledger-exports/2025-08/", retries=0)
        log(f"02:01:4{m}.902211", task, 0, "WARNING", f"account {base + 417} has no ledger lines in 2025-08; "
                                                      "skipped", problem="account-no-lines")
        log(f"02:01:0{m}.551880", task, 0, "INFO", f"task {task}/3 progress: 500/1000 accounts (errors=0)")
        log(f"02:03:3{m}.330019", task, 0, "INFO", f"task {task}/3 done: 999 accounts in 211s, errors=0, retries=0")
        log(f"02:03:3{m}.331402", task, 0, "DEBUG", "uploaded part", object=f"2025-08/part-{task}.csv.gz",
            bytes=1880412 + task)

    trace = (
        "Traceback (most recent call last):\n"
        '  File "/app/ledger_export/main.py", line 88, in run\n'
        "    rows = [to_row(line) for line in ledger.lines(account)]\n"
        "            ^^^^^^^^^^^^\n"
        '  File "/app/ledger_export/rows.py", line 31, in to_row\n'
        '    amount = Decimal(line["amount"])\n'
        "             ^^^^^^^^^^^^^^^^^^^^^^^\n"
        "decimal.InvalidOperation: [<class 'decimal.ConversionSyntax'>]"
    )
    for attempt, t0 in ((0, "02:00:04"), (1, "02:02:31")):
        log(f"{t0}.440118", 2, attempt, "INFO", "task 2/3 starting: accounts 2000-2999")
        log(f"{t0}.441902", 2, attempt, "DEBUG", "gcs target gs://acme-ledger-exports/2025-08/", retries=attempt)
        h, m, s = (int(x) for x in t0.split(":"))
        fail = c.t(f"{h:02d}:{m:02d}:{s:02d}.000000") + timedelta(seconds=41, microseconds=220415)
        log(f"{fail:%H:%M:%S.%f}", 2, attempt, "ERROR", "export failed for account 2417", exc_info=trace,
            problem="amount-invalid-operation")
        c.system(fail + timedelta(milliseconds=310), "Container called exit(1).", "WARNING", problem="task-exit",
                 inst=f"t2a{attempt}", task=(ex, 2, attempt))
    return c


# =====================================================================================================================
# 14. A Cloud Run JOB in Node (database migrations) whose error object Node prints after the stack; JSON Lines sink
# =====================================================================================================================


def job_db_migrate() -> Case:
    c = Case(
        "job-node-db-migrate-jsonl",
        fmt="jsonl",
        project="tenantly-prod",
        service="db-migrate",
        date="2025-09-23",
        region="us-central1",
        seed=1414,
        job=True,
        about=(
            "A Cloud Run job running a Node 20 migration script with node-postgres. The first execution (max "
            "retries 0) fails: a DatabaseError (code 42P07) escapes as an unhandled rejection, Node prints the source "
            "line, the caret, 'error: relation \"tenant_settings\" already exists', the frames, then the error's own "
            "properties as an object literal (one of them is severity: 'ERROR', another file: 'heap.c') and "
            "'Node.js v20.17.0', one entry per line without severity; 'Container called exit(1).' follows. The "
            "script's own console lines are INFO-like plain text, including a Postgres NOTICE ('already exists, "
            "skipping': below WARNING). The second execution succeeds and exits 0. Cloud Storage sink, JSON Lines, "
            "oldest first."
        ),
        sources=[
            "https://nodejs.org/api/cli.html#--unhandled-rejectionsmode (default 'throw') and nodejs/node "
            "lib/internal/process/execution.js (fatal exception output: source line, caret, util.inspect(error) "
            "with own properties, 'Node.js vX')",
            "brianc/node-postgres packages/pg-protocol/src/parser.ts and messages.ts (DatabaseError fields: length, "
            "severity, code, detail, hint, position, ..., file, line, routine)",
            "https://www.postgresql.org/docs/current/errcodes-appendix.html (42P07 duplicate_table)",
            "https://cloud.google.com/run/docs/logging (cloud_run_job resource, execution and task labels)",
        ],
    )
    c.problem("migration-relation-exists", title_has=["already exists"], priority=["P1", "P2"])
    c.problem("migrate-exit", priority=["P1", "P2"], caused_by="migration-relation-exists")

    crash = (
        "/app/node_modules/pg-protocol/dist/parser.js:283\n"
        "        const message = name === 'notice' ? new messages_1.NoticeMessage(length, messageValue) : new "
        "messages_1.DatabaseError(messageValue, length, name);\n"
        "                                                                                                 ^\n"
        "\n"
        'error: relation "tenant_settings" already exists\n'
        "    at Parser.parseErrorMessage (/app/node_modules/pg-protocol/dist/parser.js:283:98)\n"
        "    at Parser.handlePacket (/app/node_modules/pg-protocol/dist/parser.js:122:29)\n"
        "    at Parser.parse (/app/node_modules/pg-protocol/dist/parser.js:35:38)\n"
        "    at Socket.<anonymous> (/app/node_modules/pg-protocol/dist/index.js:11:42)\n"
        "    at Socket.emit (node:events:519:28)\n"
        "    at addChunk (node:internal/streams/readable:559:12)\n"
        "    at readableAddChunkPushByteMode (node:internal/streams/readable:510:3)\n"
        "    at Readable.push (node:internal/streams/readable:390:5)\n"
        "    at TCP.onStreamRead (node:internal/stream_base_commons:191:23) {\n"
        "  length: 110,\n"
        "  severity: 'ERROR',\n"
        "  code: '42P07',\n"
        "  detail: undefined,\n"
        "  hint: undefined,\n"
        "  position: undefined,\n"
        "  internalPosition: undefined,\n"
        "  internalQuery: undefined,\n"
        "  where: undefined,\n"
        "  schema: undefined,\n"
        "  table: undefined,\n"
        "  column: undefined,\n"
        "  dataType: undefined,\n"
        "  constraint: undefined,\n"
        "  file: 'heap.c',\n"
        "  line: '1146',\n"
        "  routine: 'heap_create_with_catalog'\n"
        "}\n"
        "\n"
        "Node.js v20.17.0"
    )

    def console(dt: datetime, text: str, key: str, task, note=None) -> datetime:
        c.add(dt, want="skip", note=note, text=text, inst=key, task=task)
        return dt + timedelta(milliseconds=c.rng.randint(3, 60))

    for ex, attempt, t0, ok in (("db-migrate-4hq9d", 0, "05:00:03.201118", False),
                                ("db-migrate-p2m7s", 0, "05:40:02.118004", True)):
        key, task = f"{ex}-{attempt}", (ex, 0, attempt)
        dt = c.t(t0)
        dt = console(dt, "[migrate] connecting to postgres://migrator@10.40.0.5:5432/tenantly", key, task)
        dt = console(dt, "[migrate] 41 migrations applied, 3 pending" if not ok else
                     "[migrate] 41 migrations applied, 3 pending (0042 rewritten with IF NOT EXISTS)", key, task)
        dt = console(dt, "[migrate] applying 0041b_audit_log.sql", key, task)
        dt = console(dt, '[migrate] NOTICE 42P07: relation "audit_log" already exists, skipping', key, task,
                     note="a Postgres NOTICE relayed by the script: below WARNING")
        dt = console(dt, "[migrate] applying 0042_tenant_settings.sql", key, task)
        if ok:
            dt = console(dt, "[migrate] applying 0043_invoice_index.sql", key, task)
            dt = console(dt + timedelta(seconds=1), "[migrate] applied 3 migrations in 1.9s (0 errors)", key, task)
            c.system(dt + timedelta(milliseconds=120), "Container called exit(0).", "INFO", want="skip", inst=key,
                     task=task)
            continue
        dt = c.lines(dt + timedelta(milliseconds=9), crash, want="select", problem="migration-relation-exists",
                     log="stderr", inst=key, task=task,
                     note="every line of Node's crash report, the error's property dump included")
        c.system(dt + timedelta(milliseconds=140), "Container called exit(1).", "WARNING", problem="migrate-exit",
                 inst=key, task=task)
    return c


# =====================================================================================================================

CASES = [
    flask_gunicorn,
    django_clinic,
    celery_worker,
    express_storefront,
    fastify_loyalty,
    spring_claims,
    micronaut_fleet,
    go_payout,
    rust_tiles,
    aspnet_pharmacy,
    laravel_portal,
    sidekiq_notifications,
    job_ledger_export,
    job_db_migrate,
]


README = """# Held-out classification corpus

Labelled Cloud Run log exports for measuring log-gardener's selection (which entries are warnings/errors,
including untagged stdout/stderr lines that are errors only by their text), the reassembly of multi-line records
and the grouping into problems. The format of every case (`export.<ext>` + `expect.json`) is the one shared by all
corpora of this repository (see the corpus specification: cases are folders, `entries` keyed by insertId or
`L<line>` for text exports, `problems` with optional `title_has` / `priority` / `caused_by` checks).

**This corpus is held out.** The classification and reassembly rules were designed on the development corpus in
`tests/corpus/`, not on this one, and must not be tuned to it: use it only to measure whether the rules generalise.
If a rule is changed because of a case here, the case stops measuring anything; write a new held-out case instead.

What is in it: one service or job per case, each in a different stack, with invented content (services, ids,
messages) whose line formats are copied from the framework's documented format or source code (each case's
`sources`). Exports come in every format users have: `gcloud logging read --format=json` (newest first, one of them
written by Windows PowerShell as UTF-16LE with a BOM and CRLF), Cloud Storage sink JSON Lines, Logs Explorer
"copy", the Logging API `entries.list` response, and plain text. Every case has negatives (INFO/DEBUG lines,
access records, lines that only mention errors); the judgement calls are written in the entries' `note`s.

Regenerate (deterministic: fixed seeds and times, byte-for-byte the same output):

```sh
python bench/corpus/make_heldout.py
```

It deletes and rewrites `bench/corpus/heldout/` (this README included) and prints the cases with their counts:

| case | stack | export | entries | select | skip |
|---|---|---|---|---|---|
{table}
"""

STACKS = {
    "flask-gunicorn-parcel-quotes": "Python: Flask + gunicorn; Werkzeug dev server",
    "django-clinic-booking": "Python: Django 4.2 + gunicorn",
    "celery-report-worker": "Python: Celery 5.4 worker",
    "express-winston-storefront": "Node: Express + winston + morgan",
    "fastify-pino-loyalty": "Node: Fastify 4 + pino / pino-pretty",
    "spring-boot-claims": "Java: Spring Boot 3.3, Hibernate, HikariCP",
    "micronaut-kotlin-fleet": "Kotlin: Micronaut 4, logback colours",
    "go-zerolog-payout-router": "Go: zerolog, net/http, runtime crash",
    "rust-tracing-tile-renderer": "Rust: axum, tracing fmt, panics",
    "aspnet-serilog-pharmacy-stock": ".NET 8: ASP.NET Core + Serilog, EF Core",
    "laravel-nginx-tenant-portal": "PHP: Laravel + php-fpm + nginx",
    "sidekiq-notifications-worker": "Ruby: Sidekiq 7 + Rails logger",
    "job-python-ledger-export-utf16": "Cloud Run job, Python JSON logs",
    "job-node-db-migrate-jsonl": "Cloud Run job, Node + node-postgres",
}
FORMATS = {
    "gcloud": "gcloud JSON",
    "gcloud-utf16": "gcloud JSON, UTF-16LE + BOM, CRLF",
    "jsonl": "JSON Lines (sink)",
    "copy": "Logs Explorer copy",
    "entries-list": "entries.list response",
    "text": "plain text",
}


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    total = [0, 0, 0]
    rows = []
    for build in CASES:
        case = build()
        n, sel, skip = case.write()
        total = [total[0] + n, total[1] + sel, total[2] + skip]
        rows.append(f"| `{case.name}` | {STACKS[case.name]} | {FORMATS[case.fmt]} | {n} | {sel} | {skip} |")
        print(f"{case.name:40} {case.fmt:13} entries={n:3} select={sel:3} skip={skip:3} problems={len(case.problems)}")
    rows.append(f"| total | | | {total[0]} | {total[1]} | {total[2]} |")
    (OUT / "README.md").write_text(README.format(table="\n".join(rows)), encoding="utf-8", newline="\n")
    print(f"{'total':40} {'':13} entries={total[0]:3} select={total[1]:3} skip={total[2]:3}")


if __name__ == "__main__":
    main()
