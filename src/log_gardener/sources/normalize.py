"""Turn one LogEntry-shaped dict (camelCase or snake_case) into an ``Entry``.

``to_entry`` never raises on bad data: wrong types are ignored field by field,
and only an entry with nothing usable (or an unparseable timestamp) is refused,
by returning the reason as a string.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

import msgspec
from msgspec import UNSET

from log_gardener.limits import LIMITS
from log_gardener.model import LOG, Entry, Glimpse, Origin, Severity
from log_gardener.parse.classify import classify, level_of_fields, strip_ansi
from log_gardener.parse.record import (
    as_str,
    audit_kind,
    audit_payload,
    error_of,
    json_text,
    logger_of,
    message_of,
    render,
    stack_of,
    unescape_traceback,
)

__all__ = ["glimpse_of_line", "looks_like_entry", "parse_timestamp", "to_entry", "unescape_traceback"]

_UTC = UTC
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)
_fromisoformat = datetime.fromisoformat

_PAYLOAD_KEYS = (
    "textPayload",
    "jsonPayload",
    "protoPayload",
    "text_payload",
    "json_payload",
    "proto_payload",
)
_ENTRY_HINT_KEYS = ("severity", "insertId", "insert_id", "logName", "log_name", "resource")


def looks_like_entry(obj: dict) -> bool:
    """A payload key, or a timestamp with severity / insertId / logName / resource."""
    for key in _PAYLOAD_KEYS:
        if key in obj:
            return True
    if "timestamp" in obj:
        for key in _ENTRY_HINT_KEYS:
            if key in obj:
                return True
    return False


# ---------------------------------------------------------------- timestamps

_RFC3339_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?"
)
_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d*)?")


def _from_epoch(value: float | int) -> datetime | None:
    if isinstance(value, int):
        if not -(10**20) < value < 10**20:  # no date: and float() of a 310-digit integer overflows
            return None
        value = float(value)
    if value != value or value < 0:  # NaN, negative
        return None
    if value > 1e17:  # nanoseconds
        value /= 1e9
    elif value > 1e14:  # microseconds
        value /= 1e6
    elif value > 1e11:  # milliseconds
        value /= 1e3
    try:
        return _EPOCH + timedelta(seconds=value)
    except (OverflowError, ValueError):
        return None


def _parse_rfc3339(text: str) -> datetime | None:
    m = _RFC3339_RE.fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, sec, frac, tz = m.groups()
    second = int(sec) if sec else 0
    micro = int((frac or "")[:6].ljust(6, "0"))
    if second == 60:  # leap second
        second, micro = 59, 999_999
    try:
        dt = datetime(int(year), int(month), int(day), int(hour), int(minute), second, micro, tzinfo=_UTC)
    except ValueError:
        return None
    if tz and tz[0] in "+-":
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        dt = dt - offset if tz[0] == "+" else dt + offset
    return dt


# An entry dated outside these is a clock or a writer gone wrong: as the newest entry it would move the
# watermark to year 9999 (every later --since last empty), as the oldest stretch windows over centuries.
_EARLIEST = datetime(LIMITS.earliest_year, 1, 1, tzinfo=_UTC)
_LATEST = datetime(LIMITS.latest_year + 1, 1, 1, tzinfo=_UTC)


def _sane(dt: datetime | None) -> datetime | None:
    return dt if dt is not None and _EARLIEST <= dt < _LATEST else None


def parse_timestamp(value: object) -> datetime | None:
    """RFC 3339 (any fraction length, any offset), {seconds, nanos}, or epoch numbers -> aware UTC."""
    if isinstance(value, str):
        text = value.strip()
        try:
            dt = _fromisoformat(text)
        except ValueError:
            dt = _parse_rfc3339(text)
            if dt is None:
                if _NUMBER_RE.fullmatch(text):
                    try:
                        return _from_epoch(float(text))
                    except OverflowError:
                        return None
                return None
            return dt
        tz = dt.tzinfo
        if tz is _UTC:
            return dt
        if tz is None:
            return dt.replace(tzinfo=_UTC)
        try:
            return dt.astimezone(_UTC)
        except (OverflowError, ValueError):
            return None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _from_epoch(value)
    if isinstance(value, dict):
        seconds = value.get("seconds")
        nanos = value.get("nanos", 0)
        if isinstance(seconds, str) and _NUMBER_RE.fullmatch(seconds.strip()):
            try:
                seconds = float(seconds)
            except OverflowError:
                return None
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            return None
        if isinstance(nanos, bool) or not isinstance(nanos, (int, float)):
            nanos = 0
        try:  # protobuf's Timestamp: seconds are seconds, whatever their size (no unit guessing)
            return _EPOCH + timedelta(seconds=seconds, microseconds=nanos // 1000)
        except (OverflowError, ValueError):
            return None
    return None


# ------------------------------------------------------------------ helpers


def _get(obj: dict, camel: str, snake: str) -> object:
    value = obj.get(camel)
    if value is None:
        value = obj.get(snake)
    return value


def _text(value: object) -> str | None:
    """A non-empty string; None for anything else."""
    return value if isinstance(value, str) and value else None


def _int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    # beyond 64 bits a number is no status, size or count: JSON writers refuse it downstream
    if isinstance(value, int):
        return value if -(2**63) <= value < 2**63 else None
    if isinstance(value, float) and value == value and abs(value) < 1e15:
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        if value.isdigit() and len(value) < 19:
            return int(value)
    return None


_LEVELS = sorted(Severity, reverse=True)


_SEVERITY_OF: dict[str, Severity | None] = {}  # the few spellings a source uses, each parsed once


def _severity(value: object) -> Severity | None:
    """The declared severity; None when absent, DEFAULT or unusable."""
    if value is None:
        return None
    if type(value) is str:
        try:
            return _SEVERITY_OF[value]
        except KeyError:
            sev = _parse_severity(value)
            if len(_SEVERITY_OF) < 1024:
                _SEVERITY_OF[value] = sev
            return sev
    return _parse_severity(value)


def _parse_severity(value: object) -> Severity | None:
    sev = Severity.parse(value)
    if sev is None:
        number: float | None = None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _NUMBER_RE.fullmatch(value.strip()):
            number = float(value)
        if number is None or number != number or number <= 0:
            return None
        sev = next((level for level in _LEVELS if level <= number), Severity.DEFAULT)
    if sev is Severity.DEFAULT:
        return None
    return sev


@lru_cache(maxsize=1024)
def _short_log_name(value: str) -> str:
    _, sep, rest = value.partition("/logs/")
    name = rest if sep else value
    return unquote(name) if "%" in name else name


def _http_text(http: dict) -> str | None:
    parts = [
        as_str(_get(http, "requestMethod", "request_method") or http.get("method")),
        as_str(_get(http, "requestUrl", "request_url") or http.get("url")),
        as_str(http.get("status")),
    ]
    text = " ".join(p for p in parts if p)
    return text or None


# --------------------------------------------------------------------- entry


_SNAKE_TO_CAMEL = {
    "insert_id": "insertId",
    "text_payload": "textPayload",
    "json_payload": "jsonPayload",
    "proto_payload": "protoPayload",
    "log_name": "logName",
    "http_request": "httpRequest",
    "receive_timestamp": "receiveTimestamp",
    "source_location": "sourceLocation",
    "error_groups": "errorGroups",
    "span_id": "spanId",
}
_SNAKE_KEYS = frozenset(_SNAKE_TO_CAMEL)


def _camel(obj: dict) -> dict:
    """A copy of a snake_case entry with camelCase keys (a camelCase value, when set, wins)."""
    out = dict(obj)
    for snake, camel in _SNAKE_TO_CAMEL.items():
        if snake in obj and obj.get(camel) is None:
            out[camel] = obj[snake]
    return out


def _entry_time(raw_ts: object, receive: object) -> datetime | str | None:
    """The entry's time: its timestamp, else when Logging received it; the reject reason (a string)
    for a timestamp that is there but unusable."""
    if raw_ts == "":
        raw_ts = None  # an empty timestamp is a missing one
    timestamp = _sane(parse_timestamp(raw_ts)) if raw_ts is not None else None
    if timestamp is None:
        if receive is not None:
            timestamp = _sane(parse_timestamp(receive))
        if timestamp is None and raw_ts is not None:
            if parse_timestamp(raw_ts) is not None:
                return f"timestamp out of range {str(raw_ts)[:40]!r} (kept: {_EARLIEST.year} to {_LATEST.year - 1})"
            return f"unparseable timestamp {str(raw_ts)[:40]!r}"
    return timestamp


def to_entry(obj: dict, origin: Origin, light_below: Severity | None = None) -> Entry | Glimpse | str:
    """An Entry, or the reason (a string) why this object cannot be one.

    With ``light_below``, an entry declared below that severity (it will not be selected) is a
    ``Glimpse``: time, insertId, service and revision (an audit entry stays an Entry: a marker).
    """
    if not _SNAKE_KEYS.isdisjoint(obj):
        obj = _camel(obj)
    timestamp = _entry_time(obj.get("timestamp"), obj.get("receiveTimestamp"))
    if isinstance(timestamp, str):
        return timestamp

    declared = _severity(obj.get("severity"))
    if light_below is not None and declared is not None and Severity.DEFAULT < declared < light_below:
        return _light(obj, timestamp, declared, origin)

    # --- payloads and text
    text_payload = obj.get("textPayload")
    json_payload = obj.get("jsonPayload")
    proto_payload = obj.get("protoPayload")
    jp = json_payload if isinstance(json_payload, dict) else None
    pp = proto_payload if isinstance(proto_payload, dict) else None
    http = obj.get("httpRequest")
    if not isinstance(http, dict):
        http = None

    text = as_str(text_payload)
    structured = jp  # the record's own fields: a jsonPayload, or a text line that is a JSON document
    plain = False
    kind = LOG
    if text is not None:
        text, doc = _line_of(text)
        if doc is not None:
            structured = doc
        else:
            plain = True
    if text is None and isinstance(json_payload, str) and json_payload:
        text = json_payload
    if text is None and jp:
        text = message_of(jp)
    if text is None and pp:
        text = message_of(pp)
    audit = audit_payload(obj)
    if audit is not None:
        kind = audit_kind(audit)
    if text is None:
        if jp is not None:
            text = render(jp)
        elif pp is not None:
            text = render(pp)
        elif isinstance(text_payload, str):
            text = ""  # an empty line is still an entry
            plain = True
        elif http is not None:
            text = _http_text(http)  # a request log without payload: "GET https://... 503"
    if text is None:
        return "no text and no payload"
    text = _final_text(text)

    # --- severity: declared, else the record's level field, else what the text says
    reason = None
    if declared is not None:
        severity = declared
    else:
        found = level_of_fields(structured) if structured else None
        severity, reason = found if found is not None else _classified(text)

    # --- resource
    resource_type = project = service = revision = location = None
    resource = obj.get("resource")
    if isinstance(resource, dict):
        resource_type = as_str(resource.get("type"))
        rlabels = resource.get("labels")
        if isinstance(rlabels, dict):
            project = as_str(rlabels.get("project_id"))
            service = as_str(
                rlabels.get("service_name")
                or rlabels.get("job_name")
                or rlabels.get("function_name")
                or rlabels.get("module_id")
            )
            revision = as_str(rlabels.get("revision_name"))
            location = as_str(rlabels.get("location") or rlabels.get("region") or rlabels.get("zone"))

    instance = None
    labels = obj.get("labels")
    if isinstance(labels, dict):
        instance = as_str(labels.get("instanceId") or labels.get("instance_id"))

    log_name = None
    raw_log_name = obj.get("logName")
    if isinstance(raw_log_name, str) and raw_log_name:
        log_name = _short_log_name(raw_log_name)

    # --- http
    http_status = http_method = http_url = None
    if http is not None:
        http_status = _int(http.get("status"))
        http_method = _text(_get(http, "requestMethod", "request_method") or http.get("method"))
        http_url = _text(_get(http, "requestUrl", "request_url") or http.get("url"))

    # --- structured payload fields
    error_type = error_value = stack = logger = None
    source_location = None
    if structured:
        error_type, error_value = error_of(structured)
        stack = stack_of(structured)
        logger = logger_of(structured)
    loc = obj.get("sourceLocation")
    if isinstance(loc, dict):
        file = as_str(loc.get("file"))
        if file is not None:
            line = as_str(loc.get("line"))
            source_location = f"{file}:{line}" if line else file
    if source_location is None and jp:
        plabels = jp.get("labels")
        if isinstance(plabels, dict):
            module = as_str(plabels.get("module"))
            line = as_str(plabels.get("line"))
            if module and line and module != "logging":
                source_location = f"{module}:{line}"

    error_groups: tuple[str, ...] = ()
    groups = obj.get("errorGroups")
    if isinstance(groups, list) and groups:
        error_groups = tuple(g["id"] for g in groups if isinstance(g, dict) and isinstance(g.get("id"), str))

    return Entry(
        timestamp=timestamp,
        severity=severity,
        text=text,
        insert_id=as_str(obj.get("insertId")),
        log_name=_shared(log_name),
        resource_type=_shared(resource_type),
        project=_shared(project),
        service=_shared(service),
        revision=_shared(revision),
        location=_shared(location),
        instance=_shared(instance),
        error_type=error_type,
        error_value=error_value,
        stack=stack,
        http_status=http_status,
        http_method=http_method,
        http_url=http_url,
        trace=as_str(obj.get("trace")),
        error_groups=error_groups,
        logger=logger,
        source_location=source_location,
        origin=origin,
        declared_severity=declared,
        severity_reason=reason or None,
        plain=plain,
        kind=kind,
    )


# Text-derived facts, memoised per distinct text: logs repeat their lines (a traceback per crash, the same
# warning per request), so most entries cost a lookup. Pure functions of the text, bounded caches.
_TEXT_MEMO = LIMITS.text_memo


@lru_cache(maxsize=_TEXT_MEMO)
def _line_of(text: str) -> tuple[str, dict | None]:
    """A text line's message, and the JSON document it is when it is one (never changed by its readers)."""
    if "\x1b" in text:
        text = strip_ansi(text)
    doc = json_text(text) if "{" in text[:8] else None
    if doc is not None:
        return message_of(doc) or text, doc
    return text, None


@lru_cache(maxsize=_TEXT_MEMO)
def _final_text(text: str) -> str:
    # logs repeat the same text: one copy in memory, however many entries
    return sys.intern(unescape_traceback(text))


_classified = lru_cache(maxsize=_TEXT_MEMO)(classify)


def _shared(value: str | None) -> str | None:
    """Labels repeat on every entry of an instance (a 140-character instance id): keep one copy."""
    return sys.intern(value) if value is not None else None


def _light(obj: dict, timestamp, declared: Severity, origin: Origin) -> Entry | Glimpse:
    service = revision = None
    resource = obj.get("resource")
    if isinstance(resource, dict):
        rlabels = resource.get("labels")
        if isinstance(rlabels, dict):
            service = as_str(rlabels.get("service_name") or rlabels.get("job_name") or rlabels.get("function_name"))
            revision = as_str(rlabels.get("revision_name"))
    audit = audit_payload(obj)
    if audit is None:
        return Glimpse(timestamp, as_str(obj.get("insertId")), _shared(service), _shared(revision))
    return Entry(timestamp=timestamp, severity=declared, text="", insert_id=as_str(obj.get("insertId")),
                 service=_shared(service), revision=_shared(revision), origin=origin, declared_severity=declared,
                 kind=audit_kind(audit))


# ------------------------------------------------------------ the typed head


class _Labels(msgspec.Struct):
    service_name: Any = None
    job_name: Any = None
    function_name: Any = None
    revision_name: Any = None


class _Resource(msgspec.Struct):
    labels: _Labels | None = None


class _Head(msgspec.Struct):
    """The top-level fields a Glimpse needs; the payloads are only seen to be there, never decoded."""

    timestamp: Any = UNSET
    receiveTimestamp: Any = None  # the LogEntry fields are camelCase
    severity: Any = None
    insertId: Any = None
    resource: _Resource | None = None
    textPayload: msgspec.Raw = UNSET
    jsonPayload: msgspec.Raw = UNSET
    protoPayload: msgspec.Raw = UNSET
    # snake_case spellings of what a Glimpse reads: such an entry is read whole (``_camel``)
    insert_id: msgspec.Raw = UNSET
    receive_timestamp: msgspec.Raw = UNSET
    text_payload: msgspec.Raw = UNSET
    json_payload: msgspec.Raw = UNSET
    proto_payload: msgspec.Raw = UNSET
    log_name: msgspec.Raw = UNSET


_HEAD = msgspec.json.Decoder(_Head)


def glimpse_of_line(line: bytes, below: Severity) -> Glimpse | None:
    """The Glimpse of a JSON line that is an entry declared below ``below``, from a typed decode of its
    top-level fields (the payload is skipped, not built); None when the line must be read whole: another
    severity, another shape, a snake_case entry, a possible audit entry (a marker), or anything odd.

    The same entry read whole by ``to_entry(obj, origin, below)`` gives an equal Glimpse: the severity is
    the entry's own top-level one, never a ``"severity"`` nested in its payload.
    """
    try:
        head = _HEAD.decode(line)
    except (msgspec.DecodeError, RecursionError):  # not an object, another type, malformed, deep: read whole
        return None
    declared = _severity(head.severity)
    if declared is None or not declared < below or head.protoPayload is not UNSET:
        return None
    if (head.insert_id is not UNSET or head.receive_timestamp is not UNSET or head.text_payload is not UNSET
            or head.json_payload is not UNSET or head.proto_payload is not UNSET or head.log_name is not UNSET):
        return None
    raw_ts = head.timestamp
    if raw_ts is UNSET:
        if head.textPayload is UNSET and head.jsonPayload is UNSET:
            return None  # whether it is an entry at all is for the whole read to say
        raw_ts = None
    if b'"methodName"' in line:  # perhaps an audit entry in a jsonPayload: a marker, read whole
        return None
    timestamp = _entry_time(raw_ts, head.receiveTimestamp)
    if isinstance(timestamp, str):
        return None  # rejected by the whole read, with its reason
    service = revision = None
    labels = head.resource.labels if head.resource is not None else None
    if labels is not None:
        service = as_str(labels.service_name or labels.job_name or labels.function_name)
        revision = as_str(labels.revision_name)
    return Glimpse(timestamp, as_str(head.insertId), _shared(service), _shared(revision))
