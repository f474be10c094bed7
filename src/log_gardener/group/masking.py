"""Variable masking: turn one message into a template with ``<*>`` for variables.

A pure, per-message function: the same text gives the same template on any
machine, in any order, which is what makes grouping state mergeable.
"""

from __future__ import annotations

import re

WILDCARD = "<*>"
MAX_TEMPLATE_TOKENS = 120

# Structured variables first (their pieces would otherwise survive token rules).
_STRUCTURED = re.compile(
    r"""
    (?P<ts>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|\s?[+-]\d{2}:?\d{2})?)
  | (?P<uuid>\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b)
  | (?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)
  | (?P<ip>\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b)
  | (?P<hex>\b0[xX][0-9a-fA-F]+\b)
    """,
    re.VERBOSE,
)
_HAS_DIGIT = re.compile(r"\d")
_SPLIT = re.compile(r"(\s+)")
_PUNCT_EDGE = re.compile(r"^([(\[{'\"<]*)(.*?)([)\]}'\",.;:!?>]*)$", re.S)


def _mask_token(token: str) -> str:
    if token == WILDCARD or not _HAS_DIGIT.search(token):
        return token
    # keep surrounding punctuation so "exit(3)." stays recognisable as "exit(<*>)."
    m = _PUNCT_EDGE.match(token)
    if m is None:
        return WILDCARD
    head, core, tail = m.groups()
    if not core:
        return token
    if "=" in core and not core.startswith("="):
        key = core.partition("=")[0]
        if not _HAS_DIGIT.search(key):
            return f"{head}{key}={WILDCARD}{tail}"
    if ":" in core and not core.startswith(":"):
        key, _, value = core.partition(":")
        if not _HAS_DIGIT.search(key) and value:
            return f"{head}{key}:{WILDCARD}{tail}"
    if "(" in core:
        name = core.partition("(")[0]
        if name and not _HAS_DIGIT.search(name):
            return f"{head}{name}({WILDCARD}{tail}"
    return f"{head}{WILDCARD}{tail}"


def mask(text: str) -> str:
    """The template of one message (first line only for multi-line text)."""
    first = text.split("\n", 1)[0].strip()
    first = _STRUCTURED.sub(WILDCARD, first)
    parts = _SPLIT.split(first)
    out: list[str] = []
    tokens = 0
    for part in parts:
        if not part:
            continue
        if part.isspace():
            out.append(" ")
            continue
        tokens += 1
        if tokens > MAX_TEMPLATE_TOKENS:
            out.append(f"{WILDCARD} [template capped at {MAX_TEMPLATE_TOKENS} tokens]")
            break
        masked = _mask_token(part)
        # collapse runs of wildcards: "<*> <*>" -> "<*>"
        if masked == WILDCARD and len(out) >= 2 and out[-1] == " " and out[-2] == WILDCARD:
            out.pop()
            continue
        out.append(masked)
    return "".join(out).strip()
