"""Plain typed records that flow between the stages.

Everything here is free of I/O so that each stage (sources -> parse -> group ->
analyse -> garden -> report) can be tested alone and run inside another engine.
"""

from __future__ import annotations

import enum
import operator
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .limits import LIMITS

if TYPE_CHECKING:  # annotations only: the records below refer to later stages' records
    from .analyse.analysis import Finding
    from .garden.tracker import Issue, ProblemHistory


class Severity(enum.IntEnum):
    """Cloud Logging's LogSeverity, with its numeric values."""

    DEFAULT = 0
    DEBUG = 100
    INFO = 200
    NOTICE = 300
    WARNING = 400
    ERROR = 500
    CRITICAL = 600
    ALERT = 700
    EMERGENCY = 800

    @classmethod
    def parse(cls, value: object) -> Severity | None:
        """Accept names (any case, common aliases) and numbers; None when unknown."""
        if value is None:
            return cls.DEFAULT
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            try:
                return cls(value)
            except ValueError:
                return None
        if isinstance(value, str):
            name = value.strip().upper()
            name = _SEVERITY_ALIASES.get(name, name)
            try:
                return cls[name]
            except KeyError:
                return None
        return None


_SEVERITY_ALIASES = {
    "WARN": "WARNING",
    "ERR": "ERROR",
    "FATAL": "CRITICAL",
    "CRIT": "CRITICAL",
    "TRACE": "DEBUG",
    "": "DEFAULT",
}


_DECLARED = {s: f"declared severity {s.name}" for s in Severity}

LOG = "log"
DEPLOY = "deploy"  # an audit entry that creates or changes a service or revision
AUDIT = "audit"  # any other audit entry that reports no error


@dataclass(slots=True)
class Origin:
    """Where an entry (or a rejected piece of input) was read."""

    source: str  # file path, or "<stdin>"
    line: int | None = None  # 1-based line number where known
    offset: int | None = None  # byte offset where known

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        elif self.offset is not None:
            where += f"@{self.offset}"
        return where

    def __reduce__(self) -> tuple:
        return Origin, (self.source, self.line, self.offset)


@dataclass(slots=True)
class Entry:
    """One log entry, normalised from any input format.

    Only what grouping, analysis and reporting need is kept; the raw payload is
    not, so millions of entries fit in memory.
    """

    timestamp: datetime | None  # timezone-aware UTC
    severity: Severity
    text: str  # the human message: textPayload, jsonPayload.message, or a rendering
    insert_id: str | None = None
    log_name: str | None = None  # short name, e.g. "run.googleapis.com/stderr"
    resource_type: str | None = None
    project: str | None = None
    service: str | None = None
    revision: str | None = None
    location: str | None = None
    instance: str | None = None
    # structured error fields (jsonPayload.error.{type,value} or similar)
    error_type: str | None = None
    error_value: str | None = None
    # a stack trace found in a payload field other than the text itself
    stack: str | None = None
    http_status: int | None = None
    http_method: str | None = None
    http_url: str | None = None
    trace: str | None = None
    error_groups: tuple[str, ...] = ()
    logger: str | None = None
    source_location: str | None = None  # "file:line" from sourceLocation or payload labels
    origin: Origin | None = None
    # severity as written, before classification from text (None = DEFAULT/absent)
    declared_severity: Severity | None = None
    # why ``severity`` is what it is, when it was not declared: "level tag ERROR in the line prefix"
    severity_reason: str | None = None
    # a line of plain text (textPayload or a text file): it may be one line of a multi-line record
    plain: bool = False
    # what else this entry is: "deploy" / "audit" entries are markers, never problems
    kind: str = LOG
    # the entries joined to this one to make one record (the lines after the first), oldest first
    parts: tuple[Entry, ...] = ()

    def __reduce__(self) -> tuple:
        # a reading worker hands its entries over pickled: a tuple of the fields is 4x faster than the
        # state dataclass(slots=True) pickles by default
        return Entry, _ENTRY_FIELDS(self)

    @property
    def key(self) -> str:
        """Identity used for assignments: insertId, else where it was read."""
        if self.insert_id:
            return self.insert_id
        return str(self.origin) if self.origin else ""

    @property
    def entries(self) -> int:
        """How many log entries this record is made of."""
        return 1 + len(self.parts)

    @property
    def why_severity(self) -> str:
        """The reason for the severity, declared or classified."""
        if self.declared_severity not in (None, Severity.DEFAULT):
            return _DECLARED[self.declared_severity]
        return self.severity_reason or "no severity and nothing in the text says one"


@dataclass(slots=True)
class Glimpse:
    """An entry declared below the severity a run selects, known by its top-level fields alone.

    It is counted, deduplicated and shows when its revision was logging; it never becomes a
    record, so its payload is never decoded (most entries of a busy service are such).
    """

    timestamp: datetime | None
    insert_id: str | None
    service: str | None
    revision: str | None


class KeyCount:
    """Distinct 64-bit keys counted in 8 bytes each (a set of Python ints costs about 70): the duplicate
    keys of entries that are only counted. Kept in arrays split by the low bits, so that counting needs
    one part's set at a time, and parts read elsewhere join by part."""

    PARTS = 64

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts = [array("q") for _ in range(self.PARTS)]

    def add(self, key: int) -> None:
        self.parts[key & (self.PARTS - 1)].append(key)

    def update(self, other: KeyCount) -> None:
        for mine, theirs in zip(self.parts, other.parts, strict=True):
            mine.extend(theirs)

    def __len__(self) -> int:
        return sum(len(p) for p in self.parts)

    def distinct(self) -> int:
        return sum(len(set(p)) for p in self.parts)


# what a source yields: an Entry, or the Glimpse of one below the selected severity
Item = Entry | Glimpse


_ENTRY_FIELDS = operator.attrgetter(*(f.name for f in fields(Entry)))


@dataclass(slots=True)
class Reject:
    """A piece of input that could not be turned into an Entry."""

    origin: Origin
    reason: str


@dataclass(slots=True)
class ReadStats:
    """What a source read: counts and the rejects, for the processing summary."""

    read: int = 0
    rejected: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)  # source -> detected format
    # a read option: entries declared below this severity are read lightly (they won't be selected)
    light_below: Severity | None = None

    MAX_KEPT_REJECTS = LIMITS.max_kept_rejects

    def reject(self, origin: Origin, reason: str) -> None:
        self.rejected += 1
        if len(self.rejects) < self.MAX_KEPT_REJECTS:
            self.rejects.append(Reject(origin, reason))

    def update(self, other: ReadStats) -> None:
        """Add what ``other`` read after what this read (the rejects kept are the first ones read)."""
        self.read += other.read
        self.duplicates += other.duplicates
        self.formats.update(other.formats)
        for r in other.rejects:
            self.reject(r.origin, r.reason)
        self.rejected += other.rejected - len(other.rejects)  # counted there, not kept


@dataclass(frozen=True, slots=True)
class Reason:
    """A sentence of the tool's own that may quote log content ("the message quotes \"{0}\"").

    Shown with a mask, the quoted content is masked (secrets in it) and the tool's words are
    not: masking applies to what came from the logs, never to the report's own text.
    """

    words: str  # str.format template; {0}, {1}... mark the quotes
    quotes: tuple[str, ...] = ()

    def show(self, mask: Callable[[str], str] | None = None) -> str:
        if not self.quotes:
            return self.words
        return self.words.format(*(mask(q) if mask else q for q in self.quotes))

    def __str__(self) -> str:
        return self.show()

    def __contains__(self, text: str) -> bool:
        return text in self.show()


def said(words: str, *quotes: str) -> Reason:
    """A Reason: ``words`` with ``{}``-free text, quoting ``quotes`` in order ({0}, {1}...)."""
    return Reason(words, tuple(quotes))


MAX_VOCABULARY = LIMITS.max_vocabulary


@dataclass(slots=True)
class Vocabulary:
    """What earlier runs learned about message templates, carried from run to run in the state.

    ``templates``: every template a run produced -> the number of the last run that produced it.
    ``superseded``: a template -> the more general template a later run learned that covers it
    (``Failed password for root ...`` -> ``Failed password for <*> ...``), so that the tracker
    still finds the issue filed under the older template's ids.
    """

    templates: dict[str, int] = field(default_factory=dict)
    superseded: dict[str, str] = field(default_factory=dict)
    runs: int = 0
    limit: int = MAX_VOCABULARY


# --- what the gardener does with a problem (crosses garden -> report) ----------------------

CREATE, COMMENT, REOPEN, UNCHANGED, OVER_CAP, CONSEQUENCE, IGNORED, MUTED = (
    "create", "comment", "reopen", "unchanged", "not-filed-over-cap", "comment-on-cause", "ignored", "muted")


@dataclass(slots=True)
class Action:
    finding: Finding
    kind: str  # one of the constants above
    status: str  # new | ongoing | regression
    reason: str
    new_entries: int
    issue: Issue | None = None  # the issue acted on (None until created)
    cause_action: Action | None = None  # for consequences: the action of their root
    title: str | None = None
    labels: list[str] = field(default_factory=list)
    history: ProblemHistory | None = None  # what the state knew of the problem before this run
    spark: str = ""  # this run's entries per hour, as text

    @property
    def ref(self) -> str | None:
        if self.cause_action is not None:
            return self.cause_action.ref
        if self.issue is None:
            return None
        return f"#{self.issue.number}" if self.issue.number > 0 else "new"  # a dry run's planned issue

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.kind, "ref": self.ref, "reason": self.reason, "new_entries": self.new_entries}
