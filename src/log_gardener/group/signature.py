"""Per-entry signatures: what kind of problem one entry states, as a content-derived id.

A signature is either an exception fingerprint (from a parsed stack trace, or a
structured ``error`` field) or a message template. Both are pure functions of
the entry's content, so ids are identical across runs, restarts and machines,
and a redeploy that moves line numbers does not change them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Entry
from ..parse.classify import message_part
from ..parse.stacktrace import (
    PY_CONNECTORS,
    QUALIFIED_LANGUAGES,
    StackTrace,
    identity_frame,
    looks_like_stack,
    normalize_function,
    normalize_path,
    normalize_value,
    parse_stack,
)
from .masking import WILDCARD, mask_value, premask

KIND_TRACE = "trace"  # a parsed stack trace
KIND_ERROR = "error"  # a structured error type/value without frames
KIND_TEMPLATE = "template"  # a plain message
KIND_TAIL = "tail"  # messages too many and too rare to tell apart, folded (see grouping.fold_tail)
PREMASKED = "pre|"  # key prefix of a provisional template signature


@dataclass(slots=True, frozen=True)
class Signature:
    id: str
    kind: str
    key: str  # the canonical content the id is derived from
    exc_type: str | None = None
    exc_value: str | None = None  # masked value
    frame: str | None = None  # identity frame: "path:function", or the qualified function (Java, .NET, Go)
    truncated: bool = False

    @property
    def rank(self) -> int:
        """Preference as a problem's anchor: traces, then structured errors, then templates."""
        return {KIND_TRACE: 0, KIND_ERROR: 1}.get(self.kind, 2)


def content_id(prefix: str, key: str) -> str:
    return prefix + hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()


def _short_path(path: str) -> str:
    """Drop deployment roots so the same code has the same path on every machine."""
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    return "/".join(parts[-2:])


def trace_signature(trace: StackTrace) -> Signature:
    """An exception fingerprint: language, type, masked value and the identity frame.

    No line numbers, addresses, lambda/closure numbers or generated-proxy names enter
    it, so a redeploy that moves code keeps the id.
    """
    root = trace.root
    language = trace.language
    frame = identity_frame(trace)
    if frame is None:
        frame_key = "?"
    elif language == "python":
        frame_key = f"{_short_path(frame.file)}:{frame.function}"
    elif language in QUALIFIED_LANGUAGES:  # "com.shop.OrderService.get" says where; the file adds nothing
        frame_key = normalize_function(frame.function, language)
    else:
        function = normalize_function(frame.function, language)
        frame_key = f"{_short_path(normalize_path(frame.file, language))}:{function}"
    value = mask_value(normalize_value(root.value, language)) if root.value else ""
    exc_type = root.type or "?"
    key = f"{trace.language}|{exc_type}|{value}|{frame_key}"
    return Signature(
        id=content_id("s", key),
        kind=KIND_TRACE,
        key=key,
        exc_type=root.type,
        exc_value=value if root.type else None,
        frame=frame_key,
        truncated=trace.truncated,
    )


def error_signature(exc_type: str, value: str) -> Signature:
    masked = mask_value(value)
    key = f"error|{exc_type}|{masked}"
    return Signature(id=content_id("s", key), kind=KIND_ERROR, key=key, exc_type=exc_type, exc_value=masked)


def template_signature(text: str) -> Signature:
    """A provisional signature: the premasked message. ``grouping.finalize`` mines the
    templates over all messages and replaces it by the template's signature.

    The message without its log-line prefix (time, pid, thread, level, logger): the same
    statement written by two formatters, or by two workers, is one template.
    """
    key = f"{PREMASKED}{premask(message_part(text))}"
    return Signature(id=content_id("s", key), kind=KIND_TEMPLATE, key=key)


def mined_signature(template: str) -> Signature:
    key = f"template|{template}"
    return Signature(id=content_id("s", key), kind=KIND_TEMPLATE, key=key)


# an id in a path: digits, "ord_2MZW7RMB", a long token, or a bundler's content hash ("index.BGshUrTX.js")
_ID_SEGMENT = re.compile(r"^(?!v\d{1,2}$).*\d|^[A-Za-z]{1,6}[_-][A-Za-z0-9]{6,}$|^[A-Za-z0-9_-]{21,}$"
                         r"|[.-](?=[A-Za-z0-9_-]{0,15}[A-Z])(?=[A-Za-z0-9_-]{0,15}[a-z])[A-Za-z0-9_-]{8,16}\.\w{1,5}$")


def route_of(url: str) -> str:
    """A request path with its ids masked: /v1/orders/ord_2MZW7RMB -> /v1/orders/<*>."""
    path = urlsplit(url).path or "/"
    return "/".join(WILDCARD if _ID_SEGMENT.search(seg) else seg for seg in path.split("/"))


def request_signature(method: str | None, url: str, status: int) -> Signature:
    """Server errors are a problem per route; client errors (4xx) one per status code."""
    if 400 <= status < 500:
        key = f"request|HTTP {status} answers"
    else:
        key = f"request|HTTP {status} on {method or '?'} {route_of(url)}"
    return Signature(id=content_id("s", key), kind=KIND_TEMPLATE, key=key)


REQUEST_LOGS = ("run.googleapis.com/requests", "requests")


def is_request_log(entry: Entry) -> bool:
    """A platform request log (Cloud Run's ``requests`` log, or a request entry with no message of its own)."""
    if entry.http_status is None or not entry.http_url:
        return False
    if entry.log_name is not None and entry.log_name.endswith(REQUEST_LOGS):
        return True
    return entry.text.startswith(f"{entry.http_method or ''} {entry.http_url}".strip())


def is_connector(text: str) -> bool:
    """A line that only joins two parts of one chained traceback."""
    return text.strip() in PY_CONNECTORS


def ends_with_connector(text: str) -> bool:
    """A traceback whose last line says another one follows (the connector was joined to it)."""
    return text.rstrip().rsplit("\n", 1)[-1].strip() in PY_CONNECTORS


class Signer:
    """Computes signatures, caching by text: real logs repeat the same text a lot."""

    def __init__(self, cache_size: int = 50_000) -> None:
        self._cache: dict[tuple[str, str | None, str | None, str | None], Signature] = {}
        self._traces: dict[str, StackTrace] = {}
        self._plain: set[str] = set()  # texts without a trace (checked first: most are)
        self._cache_size = cache_size

    def trace_of(self, entry: Entry) -> StackTrace | None:
        text = entry.stack or entry.text
        if text in self._plain:
            return None
        trace = self._traces.get(text)
        if trace is not None:
            return trace
        if not looks_like_stack(text) or (trace := parse_stack(text)) is None:
            if len(self._plain) >= self._cache_size:
                self._plain.clear()  # bounded, and it follows the input
            self._plain.add(text)
            return None
        if len(self._traces) < self._cache_size:
            self._traces[text] = trace
        return trace

    def sign(self, entry: Entry) -> Signature:
        if is_request_log(entry):
            # the request log: its route and status are the statement (Cloud Run's text, when it wrote one,
            # says how it failed, not what failed)
            return request_signature(entry.http_method, entry.http_url or "", entry.http_status or 0)
        cache_key = (entry.text, entry.stack, entry.error_type, entry.error_value)
        sig = self._cache.get(cache_key)
        if sig is not None:
            return sig
        trace = self.trace_of(entry)
        if trace is not None:
            sig = trace_signature(trace)
        elif entry.error_type and entry.error_value:
            sig = error_signature(entry.error_type, entry.error_value)
        else:
            sig = template_signature(entry.text)
        if len(self._cache) < self._cache_size:
            self._cache[cache_key] = sig
        return sig
