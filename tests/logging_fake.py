"""A local stand-in for Cloud Logging's ``POST /v2/entries:list`` (no emulator exists).

``FakeLogging`` serves LogEntry dicts on 127.0.0.1 (a random free port) with the subset of
the Logging query language the gardener builds, paging, ordering, errors shaped as the real
API's, injectable faults, and a request log for assertions::

    with FakeLogging(entries) as fake:
        fetch_entries(project, filter_, stats, endpoint=fake.endpoint)
        fake.requests  # [{"body": {...}, "status": 200, "authorization": None}, ...]

The filter evaluator (``parse_filter`` / ``matches``) implements: comparisons ``= != < <= > >=
: =~ !~`` on dotted field paths (``resource.labels.service_name``, ``labels.instanceId``,
``jsonPayload.message``...), ``severity`` by LogSeverity order (absent = DEFAULT),
``timestamp``/``receiveTimestamp`` as parsed times (never strings), ``:`` as a
case-insensitive substring (nested values of a map included; ``:*`` = present),
``field=("a" OR "b")``, bare values as global restrictions, ``NOT``, ``OR``, ``AND`` (also
implicit), parentheses, with the Logging precedence NOT > OR > AND. String equality is
case-insensitive, as in Logging; regular expressions are not.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from log_gardener.model import Severity
from log_gardener.sources import parse_timestamp

STATUS_NAMES = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
                429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
FAULT_MESSAGES = {
    429: "Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service "
         "'logging.googleapis.com'.",
    500: "Internal error encountered.",
    503: "The service is currently unavailable.",
    403: "The caller does not have permission",
}


class FilterError(ValueError):
    """The filter text is not in the supported language."""


# ------------------------------------------------------------------ tokens

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<lp>\() | (?P<rp>\)) |
        (?P<op>=~|!~|!=|<=|>=|=|<|>|:) |
        (?P<str>"(?:[^"\\]|\\.)*") |
        (?P<word>[^\s()"=!<>:~]+)
    )""",
    re.VERBOSE,
)


@dataclass(slots=True)
class Tok:
    kind: str  # lp rp op str word kw end
    text: str
    pos: int


def tokenize(text: str) -> list[Tok]:
    out: list[Tok] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.end() == pos:
            raise FilterError(f"syntax error at column {pos + 1}, unexpected {text[pos:pos + 10]!r}")
        kind = m.lastgroup
        value = m.group(kind)
        start = m.start(kind)
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "word" and value in ("AND", "OR", "NOT"):
            kind = "kw"
        out.append(Tok(kind, value, start))
        pos = m.end()
    out.append(Tok("end", "", len(text)))
    return out


# ------------------------------------------------------------------ nodes

_SEVERITY_RANK = {s.name: int(s) for s in Severity}
_TIME_FIELDS = ("timestamp", "receiveTimestamp")


@dataclass(slots=True)
class Cmp:
    path: tuple[str, ...]
    op: str
    values: tuple[Any, ...]  # a comparison against any of them (field=("a" OR "b"))
    any_of: bool = True  # False for field=("a" AND "b")


@dataclass(slots=True)
class Global:
    value: str


@dataclass(slots=True)
class Not:
    child: Any


@dataclass(slots=True)
class BoolOp:
    op: str  # AND | OR
    children: list[Any]


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = tokenize(text)
        self.i = 0

    def peek(self) -> Tok:
        return self.toks[self.i]

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, tok: Tok, what: str) -> FilterError:
        shown = repr(tok.text) if tok.kind != "end" else "end of filter"
        return FilterError(f"syntax error at column {tok.pos + 1}: expected {what}, found {shown}")

    def parse(self) -> Any:
        if self.peek().kind == "end":
            return BoolOp("AND", [])
        node = self.conjunction()
        if self.peek().kind != "end":
            raise self.fail(self.peek(), "AND, OR or the end")
        return node

    def conjunction(self) -> Any:  # lowest precedence: AND (explicit or by juxtaposition)
        parts = [self.disjunction()]
        while True:
            tok = self.peek()
            if tok.kind == "kw" and tok.text == "AND":
                self.take()
            elif tok.kind in ("end", "rp") or (tok.kind == "kw" and tok.text == "OR"):
                break
            parts.append(self.disjunction())
        return parts[0] if len(parts) == 1 else BoolOp("AND", parts)

    def disjunction(self) -> Any:  # OR binds tighter than AND in Logging
        parts = [self.unary()]
        while self.peek().kind == "kw" and self.peek().text == "OR":
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else BoolOp("OR", parts)

    def unary(self) -> Any:
        tok = self.peek()
        if tok.kind == "kw" and tok.text == "NOT":
            self.take()
            return Not(self.unary())
        if tok.kind == "lp":
            self.take()
            node = self.conjunction()
            if self.take().kind != "rp":
                raise self.fail(self.toks[self.i - 1], "')'")
            return node
        return self.comparison()

    def comparison(self) -> Any:
        tok = self.take()
        if tok.kind == "str":
            return Global(tok.text)
        if tok.kind != "word":
            raise self.fail(tok, "a field or a value")
        if self.peek().kind != "op":
            return Global(tok.text)
        op = self.take().text
        path = tuple(tok.text.split("."))
        if self.peek().kind == "lp":  # field=("a" OR "b")
            self.take()
            values = [self.value()]
            joins = set()
            while self.peek().kind == "kw" and self.peek().text in ("OR", "AND"):
                joins.add(self.take().text)
                values.append(self.value())
            if self.take().kind != "rp":
                raise self.fail(self.toks[self.i - 1], "')'")
            if len(joins) > 1:
                raise FilterError("mixing AND and OR inside a value list is not supported")
            return self.build(path, op, values, "AND" not in joins)
        return self.build(path, op, [self.value()], True)

    def value(self) -> str:
        tok = self.take()
        if tok.kind not in ("str", "word"):
            raise self.fail(tok, "a value")
        return tok.text

    def build(self, path: tuple[str, ...], op: str, raw: list[str], any_of: bool) -> Cmp:
        values: list[Any] = []
        for v in raw:
            if path == ("severity",):
                name = v.upper()
                if name not in _SEVERITY_RANK and not name.isdigit():
                    raise FilterError(f"invalid severity {v!r}")
                values.append(_SEVERITY_RANK.get(name, int(name) if name.isdigit() else 0))
            elif path[-1] in _TIME_FIELDS and op not in (":", "=~", "!~"):
                ts = parse_timestamp(v)
                if ts is None:
                    raise FilterError(f"invalid timestamp {v!r}")
                values.append(ts)
            elif op in ("=~", "!~"):
                try:
                    values.append(re.compile(v))
                except re.error as exc:
                    raise FilterError(f"invalid regular expression {v!r}: {exc}") from None
            else:
                values.append(v)
        return Cmp(path, op, tuple(values), any_of)


def parse_filter(text: str) -> Any:
    """The filter's syntax tree; FilterError for what the subset does not accept."""
    return _Parser(text).parse()


# ------------------------------------------------------------------ evaluation

_MISSING = object()


def _resolve(entry: dict, path: tuple[str, ...]) -> list[Any]:
    """The values at ``path`` (lists flattened); [] when absent."""
    current: list[Any] = [entry]
    for part in path:
        nxt: list[Any] = []
        for obj in current:
            if isinstance(obj, dict) and part in obj and obj[part] is not None:
                value = obj[part]
                nxt.extend(value if isinstance(value, list) else [value])
        current = nxt
    return current


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield value if isinstance(value, str) else json.dumps(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _order(a: Any, b: Any, op: str) -> bool:
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _compare_one(field: Any, op: str, value: Any, path: tuple[str, ...]) -> bool:
    if path == ("severity",):
        rank = _SEVERITY_RANK.get(str(field).upper(), 0) if not isinstance(field, int) else field
        if op == "=":
            return rank == value
        if op == "!=":
            return rank != value
        if op == ":":
            return rank == value
        return _order(rank, value, op)
    if isinstance(value, datetime):
        ts = parse_timestamp(field)
        if ts is None:
            return False
        if op == "=":
            return ts == value
        if op == "!=":
            return ts != value
        return _order(ts, value, op)
    if op in ("=~", "!~"):
        hit = any(value.search(s) for s in _strings(field))
        return hit if op == "=~" else not hit
    if op == ":":
        if value == "*":
            return True
        needle = str(value).lower()
        return any(needle in s.lower() for s in _strings(field))
    if isinstance(field, (dict, list)):
        return False
    if op in ("=", "!="):
        a, b = _number(field), _number(value)
        same = a == b if a is not None and b is not None else str(field).lower() == str(value).lower()
        return same if op == "=" else not same
    a, b = _number(field), _number(value)
    if a is not None and b is not None:
        return _order(a, b, op)
    return _order(str(field), str(value), op)


def _eval_cmp(node: Cmp, entry: dict) -> bool:
    fields = _resolve(entry, node.path)
    if not fields and node.path == ("severity",):
        fields = ["DEFAULT"]  # DEFAULT severity = no severity key
    if node.op in ("!=", "!~"):  # true when no value of the field equals / matches
        positive = "=" if node.op == "!=" else "=~"
        hits = [any(_compare_one(f, positive, v, node.path) for f in fields) for v in node.values]
        return not (any(hits) if node.any_of else all(hits))
    if not fields:
        return False
    hits = [any(_compare_one(f, node.op, v, node.path) for f in fields) for v in node.values]
    return any(hits) if node.any_of else all(hits)


def matches(node: Any, entry: dict) -> bool:
    if isinstance(node, Cmp):
        return _eval_cmp(node, entry)
    if isinstance(node, Global):
        needle = node.value.lower()
        return any(needle in s.lower() for s in _strings(entry))
    if isinstance(node, Not):
        return not matches(node.child, entry)
    if node.op == "AND":
        return all(matches(c, entry) for c in node.children)
    return any(matches(c, entry) for c in node.children)


# ------------------------------------------------------------------ data

_SNAKE = {
    "insert_id": "insertId", "text_payload": "textPayload", "json_payload": "jsonPayload",
    "proto_payload": "protoPayload", "log_name": "logName", "http_request": "httpRequest",
    "receive_timestamp": "receiveTimestamp", "source_location": "sourceLocation", "error_groups": "errorGroups",
    "span_id": "spanId", "trace_sampled": "traceSampled",
}
_HTTP_KEYS = {"method": "requestMethod", "url": "requestUrl", "user_agent": "userAgent", "userAgent": "userAgent",
              "request_method": "requestMethod", "request_url": "requestUrl", "remote_ip": "remoteIp",
              "response_size": "responseSize", "request_size": "requestSize"}
_NOT_LOGENTRY = ("raw_payload", "raw_payload_type")


def _zulu(value: Any) -> Any:
    ts = parse_timestamp(value) if isinstance(value, str) else None
    if ts is None:
        return value
    return ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def as_log_entry(obj: dict) -> dict:
    """A collector's entry (snake_case keys, +00:00 offsets, nulls) as the API returns a LogEntry."""
    out: dict[str, Any] = {}
    for key, value in obj.items():
        if value is None or key in _NOT_LOGENTRY:
            continue
        key = _SNAKE.get(key, key)
        if key in ("timestamp", "receiveTimestamp"):
            value = _zulu(value)
        elif key == "httpRequest" and isinstance(value, dict):
            value = {_HTTP_KEYS.get(k, k): v for k, v in value.items() if v is not None}
        out[key] = value
    return out


def load_gcloud(path: Path) -> list[dict]:
    """``gcloud logging read --format=json`` output: already LogEntry dicts (with errorGroups)."""
    return json.loads(path.read_text(encoding="utf-8"))


def load_collector(path: Path) -> list[dict]:
    """The netra collector files: ``raw_logs`` or ``logs_by_severity`` lists, as LogEntry dicts."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    items = doc.get("raw_logs")
    if not isinstance(items, list):
        items = [e for group in doc.get("logs_by_severity", {}).values() if isinstance(group, list) for e in group]
    return [as_log_entry(e) for e in items if isinstance(e, dict)]


NETRA_GCLOUD = "gcp_logs_last_hour_20250915_175001.json"
NETRA_COLLECTORS = ("gcp_backend_logs_1hour_20250915_130325.json", "gcp_backend_logs_last_1hour_20250915_143747.json")


def load_netra(directory: Path) -> list[dict]:
    """All three netra files' entries as LogEntry dicts."""
    entries = load_gcloud(directory / NETRA_GCLOUD)
    for name in NETRA_COLLECTORS:
        entries += load_collector(directory / name)
    return entries


def project_of(entry: dict) -> str | None:
    log_name = entry.get("logName")
    if isinstance(log_name, str) and log_name.startswith("projects/"):
        return log_name.split("/")[1]
    labels = (entry.get("resource") or {}).get("labels") or {}
    return labels.get("project_id")


_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def _sort_time(entry: dict) -> datetime:
    return parse_timestamp(entry.get("timestamp")) or _EARLIEST


# ------------------------------------------------------------------ server


@dataclass(slots=True)
class Fault:
    code: int
    message: str
    delay: float = 0.0


class FakeLogging:
    """The server. ``entries``: LogEntry dicts; their projects (logName, else resource.labels.project_id)
    are the known ones, plus ``projects``."""

    def __init__(self, entries: Iterable[dict] = (), projects: Iterable[str] = ()) -> None:
        self.entries: list[dict] = []
        self.projects: set[str] = set(projects)
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []  # consumed one per call, first first
        self.deny = False  # every call: 403 PERMISSION_DENIED
        self.empty_pages = 0  # the first N pages of a query come back empty, with a token (as a slow search does)
        self.lock = threading.Lock()
        self.add(entries)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def add(self, entries: Iterable[dict]) -> None:
        with self.lock:
            for e in entries:
                self.entries.append(e)
                project = project_of(e)
                if project:
                    self.projects.add(project)

    # -- faults

    def fail_next(self, n: int, code: int = 429, message: str | None = None) -> None:
        with self.lock:
            self.faults += [Fault(code, message or FAULT_MESSAGES.get(code, "error"))] * n

    def delay_next(self, n: int, seconds: float) -> None:
        """The next n calls answer normally, after ``seconds``."""
        with self.lock:
            self.faults += [Fault(200, "", seconds)] * n

    # -- lifecycle

    @property
    def endpoint(self) -> str:
        assert self._server is not None, "not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeLogging:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, doc = fake.handle(self.path, raw, self.headers.get("Authorization"))
                data = json.dumps(doc).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def do_GET(self) -> None:
                self.do_POST()

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="fake-logging", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLogging:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- requests

    @staticmethod
    def error(code: int, message: str) -> tuple[int, dict]:
        return code, {"error": {"code": code, "message": message, "status": STATUS_NAMES.get(code, "UNKNOWN")}}

    def handle(self, path: str, raw: bytes, authorization: str | None) -> tuple[int, dict]:
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        record: dict[str, Any] = {"path": path, "body": body, "authorization": authorization}
        with self.lock:
            self.requests.append(record)
            fault = self.faults.pop(0) if self.faults else None
            deny = self.deny
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        status, doc = self._answer(path, body, fault, deny)
        record["status"] = status
        return status, doc

    def _answer(self, path: str, body: Any, fault: Fault | None, deny: bool) -> tuple[int, dict]:
        if path.split("?")[0] != "/v2/entries:list":
            return self.error(404, f"The requested URL {path} was not found on this server.")
        if fault is not None and fault.code != 200:
            return self.error(fault.code, fault.message)
        if deny:
            return self.error(403, FAULT_MESSAGES[403])
        if not isinstance(body, dict):
            return self.error(400, "Invalid JSON payload received.")
        names = body.get("resourceNames")
        if not isinstance(names, list) or not names:
            return self.error(400, "resourceNames: at least one resource name is required")
        wanted: set[str] = set()
        for name in names:
            m = re.fullmatch(r"projects/([^/]+)", str(name))
            if m is None:
                return self.error(400, f"Invalid resource name: {name!r}")
            if m.group(1) not in self.projects:
                return self.error(404, f"Project '{name}' not found or deleted.")
            wanted.add(m.group(1))
        text = body.get("filter") or ""
        try:
            tree = parse_filter(text)
        except FilterError as exc:
            return self.error(400, f"Unparseable filter: {exc}")
        order = (body.get("orderBy") or "timestamp asc").strip()
        if order not in ("timestamp asc", "timestamp desc"):
            return self.error(400, f"Invalid orderBy: {order!r}")
        size = body.get("pageSize") or 50
        if not isinstance(size, int) or size < 0:
            return self.error(400, f"Invalid pageSize: {size!r}")
        size = min(size, 1000)
        query = hashlib.sha256(json.dumps([sorted(wanted), text, order]).encode()).hexdigest()[:12]
        offset, empties = 0, 0
        token = body.get("pageToken")
        if token:
            try:
                offset_s, empties_s, q = base64.urlsafe_b64decode(token.encode()).decode().split(":")
                offset, empties = int(offset_s), int(empties_s)
            except (ValueError, UnicodeDecodeError):
                return self.error(400, "Invalid page token.")
            if q != query:
                return self.error(400, "The page token does not belong to this query.")
        if empties < self.empty_pages:
            return 200, {"nextPageToken": self._token(offset, empties + 1, query)}
        with self.lock:
            pool = list(enumerate(self.entries))
        selected = [(i, e) for i, e in pool if project_of(e) in wanted and matches(tree, e)]
        selected.sort(key=lambda ie: (_sort_time(ie[1]), ie[0]), reverse=order.endswith("desc"))
        page = [e for _, e in selected[offset:offset + size]]
        doc: dict[str, Any] = {"entries": page} if page else {}
        if offset + size < len(selected):
            doc["nextPageToken"] = self._token(offset + size, empties, query)
        return 200, doc

    @staticmethod
    def _token(offset: int, empties: int, query: str) -> str:
        return base64.urlsafe_b64encode(f"{offset}:{empties}:{query}".encode()).decode()
