"""Read entries straight from Cloud Logging: ``entries.list`` through the official client, in HTTP mode.

Why the raw ``entries.list`` and not ``Client.list_entries``: the client's entry objects
(``google.cloud.logging_v2.entries.LogEntry``) keep only the fields they know, so
``errorGroups`` (Error Reporting's group ids) and ``receiveTimestamp`` are lost, and
``to_api_repr()`` rewrites timestamps. The REST surface returns them, so this module
calls ``entries.list`` through the client's own connection
(``client._connection.api_request``): the same transport, authentication and endpoint
handling as ``list_entries``, with the raw LogEntry dicts kept whole. Paging, retries
and errors are handled here (the connection retries nothing).

Public API:

- ``build_filter``: the query text (pasteable into Logs Explorer / ``gcloud logging read``).
- ``fetch_entries``: the entries of one query as ``Entry`` objects, page by page; returns a
  ``Fetch`` (an iterator with ``notes``, ``waits`` and counters).
- ``Watermarks``: where the previous run of a query ended, in the state database.
- ``CloudQuery`` + ``CloudSource``: a whole live read (window from the arguments or the
  watermark, the fetch, then ``commit()`` to move the watermark after a successful run).
- ``CloudLoggingError``: every failure the user can fix, as one line saying what to do.
"""

from __future__ import annotations

import hashlib
import heapq
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from log_gardener.model import Item, Origin, ReadStats, Severity
from log_gardener.sources.normalize import to_entry

__all__ = [
    "DEFAULT_OVERLAP",
    "ENDPOINT_ENV",
    "MAX_FILTER_CHARS",
    "CloudLoggingError",
    "CloudQuery",
    "CloudSource",
    "Fetch",
    "Watermarks",
    "Window",
    "build_filter",
    "fetch_entries",
    "make_client",
    "plan_window",
    "resolve_endpoint",
    "watermark_key",
]

ENDPOINT_ENV = "LOG_GARDENER_LOGGING_ENDPOINT"
MAX_FILTER_CHARS = 20_000
MAX_PAGE_SIZE = 1000
DEFAULT_OVERLAP = timedelta(minutes=10)
READ_SCOPES = ("https://www.googleapis.com/auth/logging.read",)
ADC_HINT = (
    "no Google credentials: run `gcloud auth application-default login` or set GOOGLE_APPLICATION_CREDENTIALS"
)

# resource type -> the resource label that names the service
NAME_LABELS = {
    "cloud_run_revision": "service_name",
    "cloud_run_job": "job_name",
    "cloud_function": "function_name",
    "gae_app": "module_id",
    "k8s_container": "container_name",
}

# backoff: 2, 4, 8, 16, 32 s (each with jitter down to half): six tries span about a quota minute
BACKOFF_BASE = 2.0
BACKOFF_CAP = 60.0


class CloudLoggingError(Exception):
    """A live read that cannot go on; the message is one line saying what to do."""


# ---------------------------------------------------------------- the filter


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rfc3339(value: datetime) -> str:
    """UTC with a Z; microseconds only when there are some. A naive time is taken as UTC."""
    dt = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if dt.microsecond:
        text += f".{dt.microsecond:06d}"
    return text + "Z"


def _severity_of(value: Severity | str | int) -> Severity:
    sev = value if isinstance(value, Severity) else Severity.parse(value)
    if sev is None:
        names = ", ".join(s.name for s in Severity)
        raise CloudLoggingError(f"minimum severity {value!r} is not one of {names}")
    return sev


def _services(services: Iterable[str] | str | None) -> list[str]:
    if services is None:
        return []
    if isinstance(services, str):
        services = [services]
    out: list[str] = []
    for s in services:
        s = s.strip()
        if s and s not in out:
            out.append(s)
    return out


def _check_project(project: str) -> str:
    project = (project or "").strip()
    if not project or "/" in project or any(c.isspace() for c in project):
        raise CloudLoggingError(f"--project {project!r} is not a Google Cloud project id (like my-project-123)")
    return project


def _selection_terms(services: Sequence[str], resource_type: str, min_severity: Severity | str | int,
                     extra: str | None) -> tuple[list[str], list[str]]:
    """(terms before the time range, terms after it): everything but the time range."""
    head = [f"resource.type={_quote(resource_type)}"]
    if services:
        label = NAME_LABELS.get(resource_type)
        if label is None:
            known = ", ".join(NAME_LABELS)
            raise CloudLoggingError(f"resource type {resource_type!r} has no service name label; "
                                    f"--service works with {known} (or use --filter)")
        values = [_quote(s) for s in services]
        rhs = values[0] if len(values) == 1 else "(" + " OR ".join(values) + ")"
        head.append(f"resource.labels.{label}={rhs}")
    tail = []
    sev = _severity_of(min_severity)
    if sev > Severity.DEFAULT:
        # every line without a severity too: where the app put its level (a tag, a JSON field) no query
        # can enumerate, and the frames of a stack split one entry per line carry no marker at all
        tail.append(f"(severity>={sev.name} OR severity=DEFAULT)")
    if extra and extra.strip():
        tail.append(f"({extra.strip()})")
    return head, tail


def build_filter(
    project: str,
    services: Iterable[str] | str | None,
    resource_type: str = "cloud_run_revision",
    *,
    start: datetime,
    end: datetime | None = None,
    min_severity: Severity | str | int = "WARNING",
    extra: str | None = None,
) -> str:
    """The Logging query for a service's problems in ``[start, end)``.

    ``resource.type=... AND resource.labels.service_name=("a" OR "b") AND timestamp>=... AND
    timestamp<... AND (severity>=WARNING OR severity=DEFAULT)`` and ``AND (extra)``. DEFAULT-severity
    lines are included because ``severity>=WARNING`` alone drops every untagged stdout/stderr line
    (gunicorn's ``[ERROR] Worker failed to boot.``, a JSON line's ``"level": "error"``, the frames of a
    stack printed one entry per line); the gardener classifies them from their text. The time range is
    always there: without the word "timestamp" the client would silently add a 24 h one. ``project`` is
    not part of the text (it is the request's resourceNames); it is checked. Raises CloudLoggingError
    past 20,000 characters.
    """
    _check_project(project)
    if start is None:
        raise CloudLoggingError("a Cloud Logging query needs a window start (--since or --start)")
    head, tail = _selection_terms(_services(services), resource_type, min_severity, extra)
    times = [f'timestamp>="{_rfc3339(start)}"']
    if end is not None:
        if end <= start:
            raise CloudLoggingError(f"the window is empty: it ends ({_rfc3339(end)}) before it starts "
                                    f"({_rfc3339(start)})")
        times.append(f'timestamp<"{_rfc3339(end)}"')
    text = " AND ".join(head + times + tail)
    if len(text) > MAX_FILTER_CHARS:
        raise CloudLoggingError(f"the Cloud Logging filter is {len(text):,} characters, over the 20,000 allowed: "
                                "pass fewer --service values or a shorter --filter")
    return text


def watermark_key(project: str, services: Iterable[str] | str | None, resource_type: str = "cloud_run_revision",
                  min_severity: Severity | str | int = "WARNING", extra: str | None = None) -> str:
    """project | sorted services | resource type | hash of the filter without its time range."""
    svc = sorted(_services(services))
    head, tail = _selection_terms(svc, resource_type, min_severity, extra)
    digest = hashlib.sha256(" AND ".join(head + tail).encode()).hexdigest()[:16]
    return f"{_check_project(project)}|{','.join(svc)}|{resource_type}|{digest}"


# ---------------------------------------------------------------- the client


def resolve_endpoint(endpoint: str | None = None) -> str | None:
    """``endpoint``, else $LOG_GARDENER_LOGGING_ENDPOINT, else None (logging.googleapis.com)."""
    value = (endpoint or os.environ.get(ENDPOINT_ENV) or "").strip()
    if not value:
        return None
    value = value.rstrip("/")
    if value.endswith("/v2"):  # the connection adds the API version itself
        value = value[:-3]
    if not value.startswith(("http://", "https://")):
        raise CloudLoggingError(f"logging endpoint {value!r} must start with http:// or https://")
    return value


def make_client(project: str, endpoint: str | None = None, credentials: Any = None):
    """``google.cloud.logging.Client`` in HTTP mode. An ``http://`` endpoint (a local server) gets
    anonymous credentials; anything else Application Default Credentials."""
    import google.auth
    import google.auth.credentials
    import google.auth.exceptions
    from google.cloud import logging as gcl

    project = _check_project(project)
    if credentials is None:
        if endpoint and endpoint.startswith("http://"):
            credentials = google.auth.credentials.AnonymousCredentials()
        else:
            try:
                credentials, _ = google.auth.default(scopes=READ_SCOPES)
            except google.auth.exceptions.DefaultCredentialsError as exc:
                path = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
                if path:
                    raise CloudLoggingError(f"GOOGLE_APPLICATION_CREDENTIALS={path} is not usable credentials "
                                            f"({_one_line(str(exc))}): fix it, or unset it and run "
                                            "`gcloud auth application-default login`") from None
                raise CloudLoggingError(ADC_HINT) from None
    options = {"api_endpoint": endpoint} if endpoint else None
    return gcl.Client(project=project, credentials=credentials, _use_grpc=False, client_options=options)


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _server_message(exc: Exception) -> str:
    """The server's own error message (api_core prefixes it with the method and URL)."""
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            message = response.json()["error"]["message"]
            if isinstance(message, str) and message:
                return _one_line(message)
        except Exception:  # not JSON, or another shape: fall back to the exception text
            pass
    return _one_line(getattr(exc, "message", None) or str(exc))


def _ts_key(ts: datetime) -> str:
    return ts.astimezone(UTC).isoformat(timespec="microseconds")


# ---------------------------------------------------------------- the fetch


class Fetch(Iterator[Item]):
    """The entries of one query, fetched page by page while iterated.

    An iterator of ``Entry``. Alongside, while and after iterating:
    ``notes`` (warnings to print: the --max-entries cut, retries), ``waits`` (every backoff
    sleep, seconds), ``requests``, ``pages``, ``fetched`` (LogEntry dicts received),
    ``duplicates`` (skipped as already seen), ``truncated`` (stopped at max_entries while
    the server had more), ``complete`` (read to the end, or to the cap), ``first_timestamp``
    / ``last_timestamp`` (in fetch order), ``newest`` and ``edge()``: the (insertId, timestamp)
    of the entries within ``edge_span`` of the newest one, skipped ones included (what the
    next run must skip; memory stays bounded by the span).
    """

    def __init__(self, client, project: str, filter_: str, stats: ReadStats, *, page_size: int,
                 max_entries: int | None, order: str, save_path: str | os.PathLike | None,
                 progress: Callable[[int], None] | None, sleep: Callable[[float], None], max_tries: int,
                 timeout: float, seen: Collection[tuple[str, str]] | None, edge_span: timedelta | None) -> None:
        if order not in ("asc", "desc"):
            raise ValueError(f"order must be 'asc' or 'desc', not {order!r}")
        if max_entries is not None and max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.client = client
        self.project = project
        self.filter = filter_
        self.stats = stats
        self.page_size = max(1, min(MAX_PAGE_SIZE, int(page_size)))
        self.max_entries = max_entries
        self.order = order
        self.save_path = Path(save_path) if save_path is not None else None
        self.progress = progress
        self.sleep = sleep
        self.max_tries = max(1, max_tries)
        self.timeout = timeout
        self.seen = seen or ()
        self.edge_span = edge_span
        self.source = f"cloud-logging:{project}"
        self.notes: list[str] = []
        self.waits: list[float] = []
        self.retries: Counter[str] = Counter()
        self.requests = 0
        self.pages = 0
        self.fetched = 0
        self.duplicates = 0
        self.truncated = False
        self.complete = False
        self.first_timestamp: datetime | None = None
        self.last_timestamp: datetime | None = None
        self.newest: datetime | None = None
        self._edge: list[tuple[datetime, str]] = []  # a heap of (timestamp, insertId)
        self._save = self._open_save()
        self._gen = self._run()

    def __iter__(self) -> Fetch:
        return self

    def __next__(self) -> Item:
        return next(self._gen)

    def close(self) -> None:
        self._gen.close()
        if self._save is not None:
            self._save.close()

    # -- pages

    def _open_save(self):
        if self.save_path is None:
            return None
        part = self.save_path.with_name(self.save_path.name + ".part")
        try:
            part.parent.mkdir(parents=True, exist_ok=True)
            return open(part, "wb")  # closed when the fetch ends
        except OSError as exc:
            raise CloudLoggingError(f"--save {self.save_path}: {exc.strerror or exc}") from None

    def _run(self) -> Iterator[Item]:
        self.stats.formats[self.source] = "cloud-logging"
        light = getattr(self.stats, "light_below", None)
        body: dict[str, Any] = {
            "resourceNames": [f"projects/{self.project}"],
            "filter": self.filter,
            "orderBy": f"timestamp {self.order}",
        }
        token: str | None = None
        try:
            while True:
                want = self.page_size
                if self.max_entries is not None:
                    want = min(want, self.max_entries - self.fetched)
                body["pageSize"] = want
                if token:
                    body["pageToken"] = token
                else:
                    body.pop("pageToken", None)
                page = self._call(body)
                self.pages += 1
                raw = page.get("entries") or []
                if not isinstance(raw, list):
                    raw = []
                token = page.get("nextPageToken") or None
                if self.max_entries is not None and len(raw) > self.max_entries - self.fetched:
                    raw = raw[: self.max_entries - self.fetched]
                    token = token or "cut"  # the server had more than we took
                for obj in raw:
                    entry = self._take(obj, light)
                    if entry is not None:
                        yield entry
                if self._save is not None:
                    self._save.flush()
                if self.progress is not None:
                    self.progress(self.fetched)
                if token is None:
                    break
                if self.max_entries is not None and self.fetched >= self.max_entries:
                    self.truncated = True
                    self.notes.append(self._cut_note())
                    break
            self.complete = True
        finally:
            self._finish()

    def _take(self, obj: object, light: Severity | None) -> Item | None:
        index = self.fetched
        self.fetched += 1
        origin = Origin(self.source, offset=index)
        self.stats.read += 1
        if not isinstance(obj, dict):
            self.stats.reject(origin, f"not a JSON object ({type(obj).__name__})")
            return None
        result = to_entry(obj, origin, light) if light is not None else to_entry(obj, origin)
        if isinstance(result, str):
            self._write(obj)
            self.stats.reject(origin, result)
            return None
        ts = result.timestamp
        if ts is not None:
            if self.first_timestamp is None:
                self.first_timestamp = ts
            self.last_timestamp = ts
        key = (result.insert_id, _ts_key(ts)) if result.insert_id and ts is not None else None
        if key is not None and self.edge_span is not None:
            self._keep_edge(ts, result.insert_id)
        if key is not None and key in self.seen:
            self.duplicates += 1
            self.stats.duplicates += 1
            return None
        self._write(obj)
        return result

    def _keep_edge(self, ts: datetime, insert_id: str) -> None:
        if self.newest is None or ts > self.newest:
            self.newest = ts
        low = self.newest - self.edge_span
        if ts >= low:
            heapq.heappush(self._edge, (ts, insert_id))
        while self._edge and self._edge[0][0] < low:
            heapq.heappop(self._edge)

    def edge(self, since: datetime | None = None) -> set[tuple[str, str]]:
        """(insertId, timestamp) of the entries read at or after ``since`` (within the span kept)."""
        return {(i, _ts_key(t)) for t, i in self._edge if since is None or t >= since}

    def _write(self, obj: dict) -> None:
        if self._save is not None:
            self._save.write(orjson.dumps(obj) + b"\n")

    def _finish(self) -> None:
        if self.retries:
            what = ", ".join(f"{n} after {reason}" for reason, n in self.retries.items())
            self.notes.append(f"entries.list retried {sum(self.retries.values())} time(s) ({what}); "
                              f"waited {sum(self.waits):.1f} s in all")
        if self._save is not None:
            self._save.close()
            part = self._save.name
            self._save = None
            if self.complete and self.save_path is not None:
                os.replace(part, self.save_path)

    def _cut_note(self) -> str:
        where = ""
        if self.last_timestamp is not None:
            side = "after" if self.order == "asc" else "before"
            where = f"; entries {side} {_rfc3339(self.last_timestamp)} were not fetched"
        return (f"stopped at --max-entries {self.max_entries}: the query matches more entries{where} "
                "(raise --max-entries or shorten the window)")

    # -- one request, with retries

    def _call(self, body: dict[str, Any]) -> dict[str, Any]:
        import google.auth.exceptions
        import requests
        from google.api_core import exceptions as api

        last = ""
        for attempt in range(1, self.max_tries + 1):
            self.requests += 1
            try:
                page = self.client._connection.api_request(
                    method="POST", path="/entries:list", data=body, timeout=self.timeout)
                return page if isinstance(page, dict) else {}
            except api.TooManyRequests:
                reason = "HTTP 429 RESOURCE_EXHAUSTED"
            except (api.InternalServerError, api.BadGateway, api.ServiceUnavailable, api.GatewayTimeout) as exc:
                reason = f"HTTP {exc.code}"
                last = _server_message(exc)
            except requests.exceptions.Timeout:
                reason = "a timeout"
                last = f"no answer within {self.timeout:g} s"
            except (requests.exceptions.ConnectionError, google.auth.exceptions.TransportError) as exc:
                reason = "a connection error"
                last = _one_line(str(exc), 160)
            except google.auth.exceptions.RefreshError as exc:
                raise CloudLoggingError(f"Google credentials were refused ({_one_line(str(exc), 160)}): run "
                                        "`gcloud auth application-default login` again") from None
            except api.Unauthorized:
                raise CloudLoggingError("Cloud Logging refused the credentials (401 UNAUTHENTICATED): run "
                                        "`gcloud auth application-default login` again") from None
            except api.Forbidden as exc:
                raise CloudLoggingError(f"permission denied reading the logs of project {self.project} "
                                        f"({_server_message(exc)}): the account needs roles/logging.viewer on "
                                        f"{self.project}") from None
            except api.NotFound:
                raise CloudLoggingError(self._wrong_project()) from None
            except api.BadRequest as exc:
                message = _server_message(exc)
                lower = message.lower()
                if "filter" not in lower and ("resource" in lower or "project" in lower):
                    raise CloudLoggingError(self._wrong_project(message)) from None
                raise CloudLoggingError(f"Cloud Logging rejected the query: {message} "
                                        "(check --filter; the query is in the worklog)") from None
            except api.GoogleAPICallError as exc:
                raise CloudLoggingError(f"Cloud Logging answered HTTP {exc.code}: {_server_message(exc)}") from None
            self.retries[reason] += 1
            if attempt == self.max_tries:
                break
            delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempt - 1))
            wait = delay / 2 + random.uniform(0, delay / 2)
            self.waits.append(wait)
            self.sleep(wait)
        waited = f"{sum(self.waits):.0f} s"
        if reason.startswith("HTTP 429"):
            raise CloudLoggingError(
                f"quota exhausted: entries.list allows 60 requests per minute per project, and {self.project} "
                f"still answered 429 RESOURCE_EXHAUSTED after {self.max_tries} tries over {waited}: wait a "
                "minute and run again (other readers of the project's logs share the quota)")
        raise CloudLoggingError(f"Cloud Logging kept failing ({reason}: {last}) after {self.max_tries} tries "
                                f"over {waited}: try again later, or check the network / --logging-endpoint")

    def _wrong_project(self, message: str = "") -> str:
        said = f" ({message})" if message else ""
        return (f"project {self.project!r} was not found{said}: check --project (the project id, "
                "like my-project-123)")


def fetch_entries(
    project: str,
    filter_: str,
    stats: ReadStats,
    *,
    endpoint: str | None = None,
    credentials: Any = None,
    page_size: int = MAX_PAGE_SIZE,
    max_entries: int | None = None,
    order: str = "asc",
    save_path: str | os.PathLike | None = None,
    progress: Callable[[int], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    max_tries: int = 6,
    timeout: float = 60.0,
    seen: Collection[tuple[str, str]] | None = None,
    edge_span: timedelta | None = None,
    client: Any = None,
) -> Fetch:
    """The entries ``filter_`` selects in ``project``, as ``Entry`` objects, oldest first (``order``).

    Counts go to ``stats`` as for files (``read``, ``reject``; ``duplicates`` for entries in
    ``seen``, a collection of (insertId, timestamp-isoformat) already read by the previous run,
    which are skipped; ``edge_span`` keeps those of the last span for ``Fetch.edge()``). Every page
    (``page_size``, at most 1000) calls ``progress(fetched)``.
    ``max_entries`` stops the fetch with a warning in ``Fetch.notes``. HTTP 429, 5xx, timeouts and
    connection errors are retried ``max_tries`` times in all, with exponential backoff and jitter
    through ``sleep`` (recorded in ``Fetch.waits``). ``save_path``: every entry used (not the skipped
    duplicates) is also written there as JSON Lines, exactly as received, so ``run -i FILE`` replays
    the run offline; it is written as FILE.part and renamed when the fetch completes.

    The client is made now (so missing credentials fail here); requests start on iteration.
    Raises CloudLoggingError (one line) for what the user must fix.
    """
    project = _check_project(project)
    if client is None:
        client = make_client(project, resolve_endpoint(endpoint), credentials)
    return Fetch(client, project, filter_, stats, page_size=page_size, max_entries=max_entries, order=order,
                 save_path=save_path, progress=progress, sleep=sleep, max_tries=max_tries, timeout=timeout,
                 seen=seen, edge_span=edge_span)


# ---------------------------------------------------------------- watermarks

class Watermarks:
    """Where the previous live read of each query ended, in the state database (``--state``).

    ``seen`` holds the (insertId, timestamp) of the entries read in the last ``overlap`` before
    ``end``: the next run starts ``overlap`` earlier to catch entries that arrived late, and
    skips these.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        from log_gardener.garden.local import LocalTracker

        self.path = Path(path)
        # the state's own opening: a file that is no log-gardener state is refused, its tables made
        self.db = LocalTracker(self.path).db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Watermarks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def last_end(self, key: str) -> datetime | None:
        row = self.db.execute('SELECT "end" FROM watermarks WHERE key = ?', (key,)).fetchone()
        if row is None or not row[0]:
            return None
        return datetime.fromisoformat(row[0])

    def seen(self, key: str) -> frozenset[tuple[str, str]]:
        row = self.db.execute("SELECT seen FROM watermarks WHERE key = ?", (key,)).fetchone()
        if row is None or not row[0]:
            return frozenset()
        return frozenset((str(i), str(t)) for i, t in orjson.loads(row[0]))

    def save(self, key: str, end: datetime, insert_ids_at_the_edge: Iterable[tuple[str, datetime | str]]) -> bool:
        """Record ``end`` and the entries read just before it. Never moves a watermark back
        (a backfill of an older window leaves it); False when it did not move."""
        end = end.replace(tzinfo=UTC) if end.tzinfo is None else end.astimezone(UTC)
        old = self.last_end(key)
        if old is not None and end < old:
            return False
        seen = sorted({(i, t if isinstance(t, str) else _ts_key(t)) for i, t in insert_ids_at_the_edge})
        self.db.execute('INSERT INTO watermarks (key, "end", seen) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE '
                        'SET "end" = excluded."end", seen = excluded.seen',
                        (key, end.isoformat(), orjson.dumps(seen).decode()))
        return True


# ---------------------------------------------------------------- a whole live read


@dataclass(slots=True, frozen=True)
class CloudQuery:
    """What to read: a project, its services (empty: all), the resource type, the filter's extras."""

    project: str
    services: tuple[str, ...] = ()
    resource_type: str = "cloud_run_revision"
    min_severity: Severity | str = "WARNING"
    extra: str | None = None

    @property
    def key(self) -> str:
        return watermark_key(self.project, self.services, self.resource_type, self.min_severity, self.extra)

    def filter(self, start: datetime, end: datetime | None) -> str:
        return build_filter(self.project, self.services, self.resource_type, start=start, end=end,
                            min_severity=self.min_severity, extra=self.extra)


@dataclass(slots=True)
class Window:
    start: datetime
    end: datetime
    resumed: bool  # the start came from the watermark
    seen: frozenset[tuple[str, str]]  # entries the previous run read in the overlap: skipped
    note: str | None = None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def plan_window(query: CloudQuery, watermarks: Watermarks | None, *, start: datetime | None = None,
                end: datetime | None = None, since: timedelta | None = None, now: datetime | None = None,
                overlap: timedelta = DEFAULT_OVERLAP, first_since: timedelta | None = None) -> Window:
    """The window to read: ``--start``/``--since`` when given, else from the watermark minus ``overlap``.

    With neither and no watermark: ``first_since`` before the end when given, else CloudLoggingError.
    """
    end = _utc(end) or _utc(now) or datetime.now(UTC)
    start = _utc(start)
    if start is not None and since is not None:
        raise CloudLoggingError("use either --since or --start, not both")
    if since is not None:
        start = end - since
    if start is not None:
        if start >= end:
            raise CloudLoggingError(f"the window is empty: --start {_rfc3339(start)} is not before "
                                    f"the end {_rfc3339(end)}")
        return Window(start, end, False, frozenset())
    last = watermarks.last_end(query.key) if watermarks is not None else None
    if last is None:
        if first_since is None:
            where = f" in {watermarks.path}" if watermarks is not None else ""
            raise CloudLoggingError(f"no earlier live read of this query{where} to resume from: "
                                    "give --since (e.g. --since 12h) for the first run")
        return Window(end - first_since, end, False, frozenset(),
                      f"first read of this query: the last {first_since} (no watermark yet)")
    start = last - overlap
    if start >= end:
        raise CloudLoggingError(f"the watermark ({_rfc3339(last)}) is after the window end {_rfc3339(end)}: "
                                "give --since or --start")
    assert watermarks is not None
    return Window(start, end, True, watermarks.seen(query.key),
                  f"resuming where the previous run ended ({_rfc3339(last)}), {overlap} earlier to catch late "
                  "entries; entries already read are skipped")


class CloudSource:
    """One live read: the window (arguments or watermark), the query, the fetch, the watermark update.

    Use::

        source = CloudSource(query, state_path=state, since=..., overlap=config.overlap, ...)
        entries = source.entries(stats)     # iterate (the pipeline does)
        ...run the pipeline...
        source.commit()                     # after success, not on --dry-run
        source.close()

    ``notes`` has the lines to print (resume, --max-entries cut, retries). Credentials are
    checked in the constructor.
    """

    def __init__(self, query: CloudQuery, *, state_path: str | os.PathLike | None = None,
                 start: datetime | None = None, end: datetime | None = None, since: timedelta | None = None,
                 now: datetime | None = None, overlap: timedelta = DEFAULT_OVERLAP,
                 first_since: timedelta | None = None, endpoint: str | None = None, credentials: Any = None,
                 max_entries: int | None = None, save_path: str | os.PathLike | None = None,
                 progress: Callable[[int], None] | None = None, page_size: int = MAX_PAGE_SIZE,
                 sleep: Callable[[float], None] = time.sleep, max_tries: int = 6, timeout: float = 60.0) -> None:
        self.query = query
        self.overlap = overlap
        self.endpoint = resolve_endpoint(endpoint)
        self.watermarks = Watermarks(state_path) if state_path is not None else None
        try:
            self.window = plan_window(query, self.watermarks, start=start, end=end, since=since, now=now,
                                      overlap=overlap, first_since=first_since)
            self.filter = query.filter(self.window.start, self.window.end)
            self.client = make_client(query.project, self.endpoint, credentials)
        except BaseException:
            self.close()
            raise
        self._fetch_args = {"max_entries": max_entries, "save_path": save_path, "progress": progress,
                            "page_size": page_size, "sleep": sleep, "max_tries": max_tries, "timeout": timeout}
        self.fetch: Fetch | None = None

    @property
    def notes(self) -> list[str]:
        out = [self.window.note] if self.window.note else []
        if self.fetch is not None:
            out += self.fetch.notes
        return out

    def entries(self, stats: ReadStats) -> Fetch:
        self.fetch = fetch_entries(self.query.project, self.filter, stats, seen=self.window.seen,
                                   edge_span=self.overlap, client=self.client,
                                   order="asc", **self._fetch_args)
        return self.fetch

    def covered_until(self) -> datetime | None:
        """Where the read entries end: the window end, or just after the last entry when cut short."""
        f = self.fetch
        if f is None or not f.complete:
            return None
        if f.truncated and f.last_timestamp is not None:
            return min(self.window.end, f.last_timestamp + timedelta(microseconds=1))
        return self.window.end

    def commit(self) -> datetime | None:
        """Move the watermark to where this read ended; the new end, or None when nothing was saved
        (no state, the fetch did not complete, or the watermark is already later)."""
        end = self.covered_until()
        if end is None or self.watermarks is None or self.fetch is None:
            return None
        if not self.watermarks.save(self.query.key, end, self.fetch.edge(end - self.overlap)):
            return None
        return end

    def close(self) -> None:
        if getattr(self, "fetch", None) is not None:
            self.fetch.close()
        if getattr(self, "watermarks", None) is not None:
            self.watermarks.close()
            self.watermarks = None
