"""Neutral output: log text that cannot act on a terminal, a Markdown renderer or the tool's own markers.

Anyone who can make a service log a string writes part of what this tool prints and files. Three
layers, each for one kind of reader:

- ``printable``: for every text shown in a terminal or written to a file, whole texts included.
  C0/C1 controls (but newline and tab), DEL, the Unicode line separators and lone surrogates are
  shown escaped (``\\x1b``, ``\\x9b``, ``\\u2028``): a reader sees that something was there, and no
  ANSI/OSC sequence reaches a terminal. Bidi controls are removed: they reorder what is shown
  around them ("Trojan Source") and carry no content. ``\\r\\n`` is a line end.
- ``neutral``: for each piece of log content, once, where views mask it: ``printable``, and no HTML
  comment opener ``<!--`` (a zero-width joiner goes in): the tracker finds its issues by hidden
  ``<!-- log-gardener:... -->`` markers, and a log line must never carry one.
- Markdown, where bodies are assembled (the renderer's filters): log text appears only in a fence
  (``redact.fence``), as inline code (``inline_code``) or as inert prose (``prose``: Markdown
  escaped, HTML as entities, what GitHub links by itself broken with a zero-width joiner).

``printable`` and ``neutral`` are idempotent, and the Markdown helpers apply ``neutral`` themselves,
so text neutralised in a view passes again unchanged. ``prose`` and ``inline_code`` are not
idempotent (an escape escaped again shows its backslash): they are applied once, where the Markdown
is written.
"""

from __future__ import annotations

import re

from .redact import ZWJ, neutralise_mentions

# C0 but \t and \n, DEL, C1, the line and paragraph separators, lone surrogates (not printable in UTF-8)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# embeddings, overrides, isolates and the direction marks (Arabic letter mark included)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

NEWLINE_SIGN = "⏎"  # a line break inside one line of Markdown (inline code, prose)


def _escaped(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Shown as written: controls escaped visibly, bidi controls removed. Idempotent."""
    return _CONTROL.sub(_escaped, _BIDI.sub("", text.replace("\r\n", "\n")))


def neutral(text: str) -> str:
    """A piece of log content, for any output (terminal, JSON, Markdown): printable, and no ``<!--``
    that could open a marker like the tool's. Idempotent."""
    return printable(text).replace("<!--", "<!" + ZWJ + "--")


def one_line(text: str) -> str:
    """An issue title: neutral, its whitespace (newlines included) collapsed to single spaces."""
    return " ".join(neutral(text).split())


# Markdown syntax that acts inside a line: emphasis, code, links and images, strikethrough, math, escapes
_PUNCTUATION = re.compile(r"[\\`*_\[\]~$]")
# HTML and entities; "|" as an entity: it splits a table cell even after a backslash in some renderers
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_HTML = re.compile("[&<>|]")
# what GitHub links by itself: #12, owner/repo#12, GH-12, http://..., www.... (a joiner breaks each)
_AUTOLINK = re.compile(r"(?<=#)(?=[0-9])|(?<=\bGH-)(?=[0-9])|(?<=:)(?=//)|(?<=\bwww)(?=\.)", re.IGNORECASE)


def prose(text: str) -> str:
    """Log text (or a sentence quoting it) as inert Markdown prose, for one place inside a line:
    nothing in it can emphasise, link, embed an image, open HTML, reference an issue, mention a
    person or start a block (no line break survives). It renders as the text it was."""
    text = _AUTOLINK.sub(ZWJ, neutral(text).replace("\n", NEWLINE_SIGN))  # before the entities: "&#124;"
    text = _PUNCTUATION.sub(lambda m: "\\" + m.group(), text)
    return neutralise_mentions(_HTML.sub(lambda m: _ENTITIES[m.group()], text))


def inline_code(text: str) -> str:
    """Log text as one inline code span that the text cannot close: delimited by a backtick run
    longer than any in it, padded with a space where the text starts or ends with a backtick (or
    with a space at both ends: Markdown strips one from each side), one line. In code, GitHub links,
    references and mentions nothing."""
    text = neutral(text).replace("\n", NEWLINE_SIGN)
    if not text:
        return "` `"
    ticks = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if "`" in (text[0], text[-1]) or (text[0] == text[-1] == " " and text.strip(" ")) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def code_body(text: str) -> str:
    """What goes between single backticks written by other code (``f"`{x}`"``) so that the whole
    is ``inline_code(text)``: the outer backtick of each delimiter is theirs."""
    return inline_code(text)[1:-1]
