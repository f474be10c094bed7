"""A structured log record's own fields: its message, error, stack and logger.

Structured loggers put these under different keys (``message``/``msg``/``event``/``@m``,
``error``/``err``/``exception``, ``stack_trace``/``stacktrace``/``@x``); a jsonPayload, a
text line that is itself a JSON document, and a JSON document split over several lines and
joined back are all read here, the same way.
"""

from __future__ import annotations

import json
import re

import orjson

from log_gardener.model import AUDIT, DEPLOY, LOG
from log_gardener.parse.classify import LEVEL_KEYS

RENDER_LIMIT = 2000
_PLACEHOLDER_TYPES = frozenset(
    {"str", "dict", "list", "int", "float", "bool", "NoneType", "object", "None", ""}
)


def as_str(value: object) -> str | None:
    """A non-empty string, or a number rendered as one; None for anything else."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def unescape_traceback(text: str) -> str:
    """Undo a collector's double escaping of a traceback (literal ``\\n`` instead of newlines)."""
    if "\\n" in text and "\n" not in text and (text.startswith("Traceback") or "\\n  File " in text):
        return text.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')
    return text


def render(payload: object) -> str:
    try:
        text = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS).decode()
    except (TypeError, orjson.JSONEncodeError):
        try:
            text = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"), ensure_ascii=False)
        except RecursionError:
            return "(a payload nested too deeply to show)"
    return text[:RENDER_LIMIT]


def status_message(payload: dict) -> str | None:
    status = payload.get("status")
    if isinstance(status, dict):
        return as_str(status.get("message"))
    return None


# where structured loggers put the message: most, structlog ("event"), Serilog compact ("@m", "@mt")
_MESSAGE_KEYS = ("message", "msg", "textPayload", "text_payload")
_STRING_MESSAGE_KEYS = ("@m", "event", "@mt")


def message_of(payload: dict) -> str | None:
    """The human message inside a jsonPayload / protoPayload, without rendering."""
    for key in _MESSAGE_KEYS:
        value = payload.get(key)
        if value is not None:
            text = as_str(value)
            if text is not None:
                return text
            if isinstance(value, (dict, list)) and value:
                return render(value)
    for key in _STRING_MESSAGE_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and value:
            return value
    method = as_str(payload.get("methodName"))
    if method is not None:  # audit log
        status = status_message(payload)
        if status is not None:
            return status  # what happened ("Ready condition status changed to False ..."), not the API call
        return f"{last_part(method)} {last_part(as_str(payload.get('resourceName')) or '')}".strip()
    return status_message(payload)


def last_part(name: str) -> str:
    """"google.cloud.run.v1.Services.ReplaceService" -> "ReplaceService"; "namespaces/p/services/api" -> "api"."""
    name = name.rstrip("/")
    return name.rsplit("/", 1)[-1] if "/" in name else name.rsplit(".", 1)[-1]


_DEPLOY_METHOD = re.compile(r"(?:Create|Replace|Update|Patch|Delete)(?:Service|Revision|Job|Configuration|Route)$")


def audit_kind(payload: dict) -> str:
    """An audit entry that reports no error is a marker: a deploy when it changes a service or revision."""
    if status_message(payload):
        return LOG
    method = as_str(payload.get("methodName")) or ""
    return DEPLOY if _DEPLOY_METHOD.search(method) else AUDIT


def audit_payload(obj: dict) -> dict | None:
    """The AuditLog payload of an audit entry (Cloud Audit Logs), else None."""
    for key in ("protoPayload", "jsonPayload"):
        payload = obj.get(key)
        if isinstance(payload, dict) and "methodName" in payload:
            kind = payload.get("@type")
            log_name = obj.get("logName")
            if (isinstance(kind, str) and kind.endswith("AuditLog")) or (
                    isinstance(log_name, str) and "cloudaudit.googleapis.com" in log_name):
                return payload
    return None


MAX_JSON_TEXT = 1 << 20  # a longer text line is not parsed as a JSON document


def _clean(value: object) -> object:
    """Strings without lone surrogates (valid JSON can escape them, no output can encode them)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return value
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def loads_lenient(text: str) -> object:
    """The standard library's reading of what orjson refused (raw control characters in strings,
    integers past 64 bits), made safe: lone surrogate escapes become U+FFFD, and nesting too deep
    for it is a ValueError like any other malformed document."""
    try:
        obj = json.loads(text, strict=False)
        return _clean(obj) if "\\u" in text else obj
    except RecursionError:
        raise ValueError("nested too deeply") from None


def json_text(text: str) -> dict | None:
    """A text line that is itself one JSON log record (a level or a message field in it), parsed.

    Hand-made JSON formatters often leave quotes inside the message unescaped; such a document
    is read loosely (``_loose_record``) rather than not at all.
    """
    body = text.strip()
    if len(body) < 2 or body[0] != "{" or body[-1] != "}" or len(body) > MAX_JSON_TEXT:
        return None
    try:
        obj = orjson.loads(body)
    except orjson.JSONDecodeError:
        try:  # raw newlines inside strings: a document whose lines were joined back
            obj = loads_lenient(body)
        except ValueError:
            obj = _loose_record(body)
    if not isinstance(obj, dict):
        return None
    if any(k in obj for k in LEVEL_KEYS) or any(k in obj for k in _MESSAGE_KEYS + _STRING_MESSAGE_KEYS):
        return obj
    return None


_LOOSE_KEY = re.compile(r'[{,]\s{0,8}"(message|msg|level|levelname|severity|lvl|logger|name)"\s{0,8}:\s{0,8}"')
_MAX_CANDIDATES = 64


def _loose_record(body: str) -> dict | None:
    """The message, level and logger of a JSON-looking record that is not valid JSON.

    A level or a logger name holds no quote: it ends at the next one. A message may: it ends
    at the first quote after which the rest of the text reads as the rest of an object
    (``, "key": value ... }``); the quotes before it were the message's own.
    """
    out: dict[str, str] = {}
    for m in _LOOSE_KEY.finditer(body):
        key, start = m.group(1), m.end()
        if key in out:
            continue
        if key not in ("message", "msg"):
            end = body.find('"', start)
            if end > start:
                out[key] = body[start:end]
            continue
        q = start
        for _ in range(_MAX_CANDIDATES):
            q = body.find('"', q)
            if q < 0:
                break
            if _object_rest(body[q + 1:]):
                out[key] = body[start:q]
                break
            q += 1
    return out or None


def _object_rest(rest: str) -> bool:
    """``rest`` ends an object: nothing but "}", or "," and members that parse."""
    rest = rest.strip()
    if rest == "}":
        return True
    if not rest.startswith(","):
        return False
    try:
        return isinstance(orjson.loads("{" + rest[1:]), dict)
    except orjson.JSONDecodeError:
        return False


_ERROR_KEYS = ("error", "exception", "err")  # pino/bunyan serialise errors as "err"


def error_of(payload: dict) -> tuple[str | None, str | None]:
    for key in _ERROR_KEYS:
        err = payload.get(key)
        if not isinstance(err, dict):
            continue
        etype = as_str(err.get("type"))
        if etype is None or etype in _PLACEHOLDER_TYPES:
            continue
        value = as_str(err.get("value"))
        if value is None:
            value = as_str(err.get("message"))
        return etype, value
    etype = as_str(payload.get("error.type"))  # ECS, flattened
    if etype is not None and etype not in _PLACEHOLDER_TYPES:
        return etype, as_str(payload.get("error.message"))
    return None, None


_ERROR_STACK_KEYS = ("traceback", "stack", "stack_trace", "stackTrace")


def stack_of(payload: dict) -> str | None:
    for key in ("stack_trace", "stackTrace", "exception", "stacktrace", "error.stack_trace", "@x"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return unescape_traceback(value)
    for key in _ERROR_KEYS:
        err = payload.get(key)
        if isinstance(err, dict):
            for sub in _ERROR_STACK_KEYS:
                value = err.get(sub)
                if isinstance(value, str) and value.strip():
                    return unescape_traceback(value)
    for key in ("traceback", "stack"):
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return unescape_traceback(value)
    return None




def logger_of(payload: dict) -> str | None:
    return as_str(payload.get("logger") or payload.get("name"))
