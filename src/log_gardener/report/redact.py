"""Make log text safe to publish: secrets and personal data masked, mentions neutralised.

Applied to everything that leaves the machine (tracker bodies, comments) and to the worklog.
"""

from __future__ import annotations

import re

_SECRET_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    ("private-key", re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.S),
     "[REDACTED private key]"),
    ("jwt", re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"), "[REDACTED jwt]"),
    ("bearer", re.compile(r"(?i)\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{12,}"), r"\1 [REDACTED]"),
    ("url-password", re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s:/@]+):[^\s@/]+@"), r"\1:[REDACTED]@"),
    ("github-token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})\b"),
     "[REDACTED github token]"),
    ("aws-key", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), "[REDACTED aws key]"),
    ("google-api-key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"), "[REDACTED google api key]"),
    ("slack-token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), "[REDACTED slack token]"),
    ("stripe-key", re.compile(r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b"), "[REDACTED stripe key]"),
    ("openai-key", re.compile(r"\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}\b"), "[REDACTED api key]"),
    ("assignment", re.compile(
        r"(?i)\b((?:[a-z0-9_]*?)(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?key|auth[_-]?token|"
        r"session[_-]?id|sessionid|cookie|client[_-]?secret|private[_-]?key|token)s?)(\s*[=:]\s*|\"\s*:\s*\")"
        r"(?!\[REDACTED|REDACTED|\*+|true\b|false\b|none\b|null\b|set\b)([^\s\"',;&]{4,})"),
     r"\1\2[REDACTED]"),
    ("email", re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"), "[REDACTED email]"),
]

_MENTION = re.compile(r"(?<![\w`])@(?=[A-Za-z0-9][A-Za-z0-9-]*)")
ZWJ = "\u200d"


def redact(text: str, extra: list[re.Pattern[str]] | None = None) -> str:
    """Mask secrets and personal data in ``text``."""
    for _, pattern, repl in _SECRET_PATTERNS:
        text = pattern.sub(repl, text)
    for pattern in extra or ():
        text = pattern.sub("[REDACTED]", text)
    return text


def neutralise_mentions(text: str) -> str:
    """``@name`` would notify people on GitHub: break it with a zero-width joiner."""
    return _MENTION.sub("@" + ZWJ, text)


def fence(text: str, lang: str = "") -> str:
    """A fenced code block that the text cannot close: longer than any backtick run in it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text}\n{ticks}"


def safe_text(text: str, extra: list[re.Pattern[str]] | None = None) -> str:
    """For prose outside code blocks: secrets masked and mentions neutralised."""
    return neutralise_mentions(redact(text, extra))
