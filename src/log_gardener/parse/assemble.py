"""Multi-line records split over several entries, joined back before anything else looks at them.

Cloud Run turns every line a container writes into an entry of its own (Python tracebacks
excepted, most of the time). A Node or Java stack, a NestJS error with its explanation, a
Go panic, a JSON document pretty-printed over several lines: each arrives as one entry per
line, microseconds apart, without severity. Read alone, the frames are noise and the error
is a one-line message without its stack. ``assemble`` joins them back, per stream (an
instance's log, e.g. its stderr), into one record: an ``Entry`` whose text is the whole
record and whose ``parts`` are the entries joined to its first line.

A line joins the record before it when nothing says it starts a record of its own, and:

- it looks like the continuation of one (indented, a stack frame, ``Caused by:``, ``... 12
  more``, a closing bracket, a Python traceback's exception line or chained traceback) and
  comes within ``LINE_GAP_S``; or
- it comes within ``TIGHT_GAP_S`` (the same write), has no level, no timestamp of its own and
  is not the start of an error report (an untagged head and its untagged lines).

An error report (``TypeError: ...``, ``Traceback ...``) starts a record of its own, except
right after a tagged line that has no stack yet: ``logger.exception()`` and logback print the
message line and then the exception, one event. A Python traceback cut before its exception
line takes the rest of it when that comes later (up to ``TAIL_GAP_S``, in either input order).
Entries with a declared severity, structured entries and request logs are never joined to
anything; they pass through as they are. Input order is kept per stream only.

Pure and streaming: per stream, only the current run of close entries is held.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from log_gardener.limits import LIMITS
from log_gardener.model import Entry, Severity
from log_gardener.parse.classify import classify, error_head, first_line, is_tagged, level_of_fields, voice
from log_gardener.parse.record import error_of, json_text, logger_of, message_of, stack_of
from log_gardener.parse.stacktrace import PY_CONNECTORS, PY_TRACEBACK_HEAD

TIGHT_GAP_S = 0.001  # lines of one write: Cloud Run stamps them microseconds apart
LINE_GAP_S = 0.05  # a frame or indented line this close to the line before continues its record
TAIL_GAP_S = 5.0  # a traceback cut before its exception line takes the rest this much later
MAX_RECORD_LINES = LIMITS.max_record_lines
MAX_RUN = LIMITS.max_run
MAX_JSON_LINES = 200  # a JSON document printed over more lines than this is not one log record

_CONTINUATION = re.compile(
    r"(?:Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames omitted)|\[cause\]: |#\d+ |Stack trace:|"
    r"thrown in |from \S+:\d+:in |Node\.js v\d|--- End of |goroutine \d+ \[|created by |note: run with |"
    r"stack backtrace:|[}\])])"
)
_TIMESTAMP = re.compile(r"\[?(?:\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d|\d\d:\d\d:\d\d[.,]\d)")
_PY_EXCEPTION = re.compile(r"[A-Za-z_][\w.]{0,200}(?::(?: .*)?)?$")
_FRAME = re.compile(r"\s+(?:at \S|File \")")

Stream = tuple[str, str, str]


def stream_of(entry: Entry) -> Stream:
    """An instance's log (stdout, stderr...), else a revision's; a text file's lines are one stream."""
    if entry.instance:
        return (entry.service or "", entry.instance, entry.log_name or "")
    if entry.timestamp is None and entry.origin is not None:
        return ("", "file:" + entry.origin.source, "")
    return (entry.service or "", entry.revision or "", entry.log_name or "")


def _t(entry: Entry) -> float | None:
    return entry.timestamp.timestamp() if entry.timestamp is not None else None


class _Run:
    """Entries of one stream, each close to another: they may belong to common records."""

    __slots__ = ("down", "hi", "items", "last_line", "lo", "up")

    def __init__(self, entry: Entry, t: float | None, seq: int) -> None:
        self.items: list[tuple[float, int, Entry]] = [(t if t is not None else float(seq), seq, entry)]
        self.lo = self.hi = t
        self.last_line = entry.origin.line if entry.origin else None
        self.up = self.down = 0  # time order of arrival, for ties

    def takes(self, entry: Entry, t: float | None) -> bool:
        if len(self.items) >= MAX_RUN:
            return False
        if t is None or self.lo is None or self.hi is None:
            line = entry.origin.line if entry.origin else None
            return t is None and self.lo is None and line is not None and self.last_line is not None and (
                line == self.last_line + 1)
        return self.lo - LINE_GAP_S <= t <= self.hi + LINE_GAP_S

    def add(self, entry: Entry, t: float | None, seq: int) -> None:
        if t is not None and self.hi is not None and self.lo is not None:
            if t > self.hi:
                self.up += 1
                self.hi = t
            elif t < self.lo:
                self.down += 1
                self.lo = t
        if entry.origin is not None and entry.origin.line is not None:
            self.last_line = entry.origin.line
        self.items.append((t if t is not None else float(seq), seq, entry))

    def ordered(self) -> list[Entry]:
        sign = -1 if self.down > self.up else 1  # newest-first input: equal times came newest first too
        self.items.sort(key=lambda item: (item[0], sign * item[1]))
        return [entry for _, _, entry in self.items]


class _Record:
    """A record being built from its first line and the lines that continue it."""

    __slots__ = ("after_connector", "has_stack", "head", "last", "lines", "open_python", "parts", "pointer",
                 "scanned", "tagged")

    def __init__(self, head: Entry) -> None:
        self.head = head
        self.lines = [head.text]
        self.parts: list[Entry] = []
        self.tagged = head.declared_severity is not None or is_tagged(head.severity_reason)
        self.has_stack = False
        self.open_python = False
        self.after_connector = False
        self.pointer = False  # a source excerpt with a caret under it: the error it points at follows
        self.last = head
        self.scanned = False  # most records get no second line: the head is read only when one comes

    def _scan(self, text: str) -> None:
        self.has_stack, self.open_python, self.after_connector, self.pointer = _scanned(
            text, self.has_stack, self.open_python, self.after_connector, self.pointer)

    def continues(self, entry: Entry) -> bool:
        if entry.declared_severity is not None or not entry.plain or len(self.lines) >= MAX_RECORD_LINES:
            return False
        if not self.scanned:
            self._scan(self.head.text)
            self.scanned = True
        t0, t1 = _t(self.last), _t(entry)
        if t0 is None or t1 is None:
            near = tight = t0 is None and t1 is None  # lines of a text file, one after the other
            timed = False
        else:
            gap = t1 - t0
            near, tight, timed = gap <= LINE_GAP_S, gap <= TIGHT_GAP_S, True
        if not near:
            return False
        body, blank, continuation, py_exception, traceback_head, exception_head, stamped = _line_facts(entry.text)
        if blank:
            return True  # a blank line inside a record
        if continuation:
            return True
        if self.open_python and py_exception:
            return True  # the exception line that ends a traceback printed line by line
        if self.after_connector and traceback_head:
            return True
        if exception_head or traceback_head:
            # the exception of a tagged message, or of the source line Node printed above it
            return tight and (self.tagged or self.pointer) and not self.has_stack
        if tight and self._open_json():
            return True  # a JSON document printed over several lines: whatever its lines say, until it closes
        if is_tagged(entry.severity_reason):
            # one report printed with a marker on every line ("npm ERR! ..."): the same prefix, no time in it
            if not (tight and self.tagged) or body[:1].isdigit() or body[1:2].isdigit():
                return False
            mine = _marker(body)
            return mine is not None and mine == _marker(self.lines[0])
        if stamped:
            return False
        return tight and timed

    def _open_json(self) -> bool:
        """The record is the beginning of a JSON document that has not closed yet."""
        if self.lines[0][:1] != "{" or self.head.plain is False or len(self.lines) > MAX_JSON_LINES:
            return False
        text = "\n".join(self.lines)
        try:
            json.loads(text, strict=False)
        except RecursionError:
            return False
        except ValueError as exc:
            return exc.args[0].startswith(("Unterminated string", "Expecting")) and text.rstrip()[-1:] != "}"
        return False

    def add(self, entry: Entry) -> None:
        self.lines.append(entry.text)
        self.parts.append(entry)
        self.parts.extend(entry.parts)
        self.last = entry
        self._scan(entry.text)

    def build(self) -> Entry:
        if not self.parts:
            return self.head
        return joined(self.head, "\n".join(_untagged(self.lines)), tuple(self.parts))


# What a line's text says for joining, memoised per distinct text: logs repeat their lines (every crash
# prints the same traceback). Pure functions of their arguments.


@lru_cache(maxsize=LIMITS.text_memo)
def _scanned(text: str, has_stack: bool, open_python: bool, after_connector: bool, pointer: bool
             ) -> tuple[bool, bool, bool, bool]:
    """A record's (has_stack, open_python, after_connector, pointer) once ``text`` is added to it."""
    for line in text.split("\n"):
        body = line.strip()
        if body.startswith(PY_TRACEBACK_HEAD):
            has_stack = open_python = True
            after_connector = False
        elif body in PY_CONNECTORS:
            after_connector = True
        elif _FRAME.match(line) or body.startswith(("goroutine ", "Stack trace:")):
            has_stack = True
        elif body and body.strip("^~") == "":
            pointer = not has_stack
        elif open_python and body and not line[:1].isspace() and not body.startswith("^"):
            open_python = False  # the exception line ends the traceback
    return has_stack, open_python, after_connector, pointer


@lru_cache(maxsize=LIMITS.text_memo)
def _line_facts(text: str) -> tuple[str, bool, bool, bool, bool, bool, bool]:
    """(first line, blank, a continuation, a Python exception line, a traceback head, an exception head,
    starts with a time) of a line that may continue a record."""
    body = first_line(text)
    if not body:
        return body, True, False, False, False, False, False
    return (body, False, bool(text[:1].isspace() or _CONTINUATION.match(body)), bool(_PY_EXCEPTION.match(body)),
            body.startswith(PY_TRACEBACK_HEAD), bool(error_head(body)), bool(_TIMESTAMP.match(body)))


_TAGS = re.compile(r"(?:\[[^\]\n]{1,100}\] ?)+")


def _untagged(lines: list[str]) -> list[str]:
    """The lines after the first without the tags a logger put on every one of them (Rails'
    ``[request-id]``): a backtrace reads as a backtrace again."""
    m = _TAGS.match(lines[1]) if len(lines) > 1 else None
    if m is None:
        return lines
    tags = m.group()
    if not all(line.startswith(tags) for line in lines[1:]):
        return lines
    return [lines[0], *(line[len(tags):] for line in lines[1:])]


def _marker(line: str) -> str | None:
    """A tool's marker on every line of its report ("npm ERR!"): a prefix with a name in it, beside the
    level, and no time or number (a timestamped prefix belongs to one log call)."""
    said = voice(line)
    return said if any(c.isalpha() for c in said) and "#" not in said else None


def joined(head: Entry, text: str, parts: tuple[Entry, ...]) -> Entry:
    """The record made of ``head`` and ``parts``: its text, and its level read again from all of it."""
    fields: dict = {"text": text, "parts": parts}
    if head.declared_severity is None:
        doc = json_text(text) if text[:1] == "{" else None
        found = level_of_fields(doc) if doc is not None else None
        if doc is not None:
            fields["text"] = message_of(doc) or text
            fields["error_type"], fields["error_value"] = error_of(doc)
            fields["stack"] = stack_of(doc)
            fields["logger"] = logger_of(doc) or head.logger
            fields["plain"] = False
        severity, reason = found if found is not None else classify(fields["text"])
        fields["severity"], fields["severity_reason"] = severity, reason or None
    return dataclasses.replace(head, **fields)


def _open_python(record: Entry) -> bool:
    """A Python traceback cut before its exception line (its last line is a frame or code)."""
    if record.declared_severity is not None and not record.plain:
        return False
    text = record.text.rstrip()
    if PY_TRACEBACK_HEAD not in text:
        return False
    last = text.rsplit("\n", 1)[-1]
    return last[:1].isspace()


def _tail(record: Entry) -> bool:
    """The rest of a cut traceback: frames and/or its exception line, and no head of its own."""
    if not record.plain or record.declared_severity not in (None, Severity.DEFAULT, Severity.ERROR):
        return False
    text = record.text
    body = first_line(text)
    if text[:1].isspace():
        return _FRAME.match(text) is not None
    return _PY_EXCEPTION.match(body) is not None and error_head(body) and PY_TRACEBACK_HEAD not in text


def _pair(early: Entry, late: Entry) -> Entry | None:
    """``early`` and ``late`` as one record when ``late`` is the rest of the traceback ``early`` cut."""
    t0 = _t(early.parts[-1] if early.parts else early)
    t1 = _t(late)
    if t0 is None or t1 is None or not 0 <= t1 - t0 <= TAIL_GAP_S:
        return None
    if not (_open_python(early) and _tail(late)):
        return None
    return joined(early, early.text.rstrip("\n") + "\n" + late.text, (*early.parts, late, *late.parts))


def _records(run: _Run) -> list[Entry]:
    if len(run.items) == 1:
        return [run.items[0][2]]
    records: list[Entry] = []
    current: _Record | None = None
    for entry in run.ordered():
        if current is not None and current.continues(entry):
            current.add(entry)
            continue
        if current is not None:
            records.append(current.build())
        current = _Record(entry)
    if current is not None:
        records.append(current.build())
    return records


def assemble(entries: Iterable[Entry]) -> Iterator[Entry]:
    """The records of ``entries``: multi-line records joined, everything else as it came."""
    runs: dict[Stream, _Run] = {}
    held: dict[Stream, list[Entry]] = {}  # a run's records, kept until the next run of the stream

    def finish(key: Stream, run: _Run) -> Iterator[Entry]:
        records = _records(run)
        before = held.pop(key, None)
        if before:
            if records and _t(records[0]) is not None and _t(before[-1]) is not None and (
                    _t(records[0]) >= _t(before[-1])):  # type: ignore[operator]
                both = _pair(before[-1], records[0])
                if both is not None:
                    before[-1] = both
                    records = records[1:]
            elif records:  # newest-first input: this run is the older one
                both = _pair(records[-1], before[0])
                if both is not None:
                    records[-1] = both
                    before = before[1:]
            yield from before
        if records:
            held[key] = records

    for seq, entry in enumerate(entries):
        if not entry.plain or (entry.timestamp is None and entry.origin is None):
            yield entry
            continue
        key = stream_of(entry)
        run = runs.get(key)
        t = _t(entry)
        if run is not None and run.takes(entry, t):
            run.add(entry, t, seq)
            continue
        if run is not None:
            yield from finish(key, run)
        runs[key] = _Run(entry, t, seq)
    for key, run in runs.items():
        yield from finish(key, run)
    for records in held.values():
        yield from records
