"""Severity of an entry written without one (DEFAULT), guessed from its text.

Cloud Run turns every stdout/stderr line into an entry with no ``severity`` key,
so gunicorn's ``[ERROR] Worker failed to boot.``, uvicorn's ``ERROR:    Exception
in ASGI application`` and the pieces of a Python traceback chain all arrive as
DEFAULT and a ``severity>=WARNING`` filter never sees them. ``classify_text``
recovers ERROR/WARNING for those; anything else stays DEFAULT.

It runs once per DEFAULT entry, so it is cheap: precompiled patterns over the
first ``HEAD`` characters plus a few substring searches (C speed) on the whole
text for stack-trace markers that can sit anywhere.
"""

from __future__ import annotations

import re

from log_gardener.model import Severity

HEAD = 300

# gunicorn "[2025-09-16 00:42:53 +0000] [11] [ERROR] ...", nginx "[error]".
_TAG_RE = re.compile(
    r"\[(DEBUG|TRACE|INFO|NOTICE|WARNING|WARN|ERROR|ERR|CRITICAL|CRIT|FATAL|ALERT|EMERG|EMERGENCY)\]",
    re.IGNORECASE,
)
_TAG_ERROR = frozenset({"ERROR", "ERR", "CRITICAL", "CRIT", "FATAL", "ALERT", "EMERG", "EMERGENCY"})
_TAG_WARNING = frozenset({"WARNING", "WARN"})

_ERROR_HEAD_RE = re.compile(
    r"^\s*(?:ERROR|CRITICAL|FATAL)\s*:"  # uvicorn / logging.basicConfig prefixes
    r"|^\s*(?:ERROR|CRITICAL|FATAL)\s+-\s"  # "ERROR - message"
    r"|\blevel=\"?(?:error|fatal|critical|panic)\b"  # logfmt
    r"|\bFatal error\b|\bfatal error:"  # PHP Fatal error, Go runtime
    r"|^Exception in thread "  # Java uncaught exception
    r"|^panic: |\npanic: "  # Go panic
    r"|^During handling of the above exception, another exception occurred"
    r"|^The above exception was the direct cause of the following exception"
    r"|^[A-Za-z_][\w.]*(?:Error|Exception): "  # last line of a traceback, printed alone
)
_WARNING_HEAD_RE = re.compile(
    r"^\s*(?:WARNING|WARN)\s*:"
    r"|^\s*(?:WARNING|WARN)\s+-\s"
    r"|\blevel=\"?(?:warn|warning)\b"
    r"|\b[A-Z]\w*Warning: "  # Python warnings: "DeprecationWarning: ..."
)
_GOROUTINE_RE = re.compile(r"goroutine \d+ \[running\]")


def classify_text(text: str) -> Severity:
    """ERROR, WARNING or DEFAULT, from the text of an entry that declared no severity."""
    if not text:
        return Severity.DEFAULT
    head = text[:HEAD]
    tag = _TAG_RE.search(head)
    if tag is not None:
        level = tag.group(1).upper()
        if level in _TAG_ERROR:
            return Severity.ERROR
        if level in _TAG_WARNING:
            return Severity.WARNING
        return Severity.DEFAULT  # [INFO], [DEBUG]: an explicit low level wins
    if "Traceback (most recent call last)" in text:
        return Severity.ERROR
    if _ERROR_HEAD_RE.search(head):
        return Severity.ERROR
    if "During handling of the above exception" in text or "The above exception was the direct cause" in text:
        return Severity.ERROR
    if "\n\tat " in text or ("\n    at " in text and "Error" in head):  # Java / V8 stacks
        return Severity.ERROR
    if "goroutine " in text and _GOROUTINE_RE.search(text):
        return Severity.ERROR
    if _WARNING_HEAD_RE.search(head):
        return Severity.WARNING
    return Severity.DEFAULT
