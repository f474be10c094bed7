"""The tracker interface every backend implements, and the records it exchanges."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ..model import Vocabulary

# the hidden markers an issue body carries: its problem's id, and every other id it answers to
_PROBLEM_RE = re.compile(r"<!-- log-gardener:problem=([A-Za-z0-9_.:-]+) -->")
_KEYS_RE = re.compile(r"<!-- log-gardener:keys=([A-Za-z0-9_.:,-]*) -->")


def markers_of(body: str) -> tuple[str | None, list[str]]:
    """The problem id and every id a body's hidden markers carry (problem id first)."""
    m = _PROBLEM_RE.search(body or "")
    if m is None:
        return None, []
    keys = [m.group(1)]
    k = _KEYS_RE.search(body)
    if k:
        keys += [x for x in k.group(1).split(",") if x and x != m.group(1)]
    return m.group(1), keys


class TrackerError(Exception):
    """A tracker problem, worded as one line that says what to do."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(slots=True)
class Issue:
    number: int
    title: str
    state: str  # "open" | "closed"
    labels: list[str] = field(default_factory=list)
    body: str = ""
    url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    comments: list[str] = field(default_factory=list)  # bodies, when the issue was read in full
    comment_count: int = 0
    state_reason: str | None = None  # GitHub's: "completed", "not_planned", "reopened"


@dataclass(slots=True)
class ProblemHistory:
    """What the tracker's state remembers of one problem across runs."""

    problem_id: str
    first_seen: datetime | None
    last_seen: datetime | None  # newest entry already reported (the evidence watermark)
    runs_seen: int
    last_action: str | None
    issue_number: int | None
    absent_runs: int = 0
    total: int = 0  # entries reported over all runs (the issue's running total)


class Tracker(Protocol):
    """What the gardener needs from an issue tracker.

    Issues live in the tracker (SQLite for the local one, GitHub for the other); the
    history of problems (first/last seen, runs, absences, the evidence watermark) lives
    in the local state database for both.
    """

    name: str

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """The writes of one run. Local: all or nothing. Remote: intents recorded before each
        write, so that a re-run after a crash reconciles instead of writing twice."""

    def shutdown(self) -> None: ...

    def list(self, state: str | None = None) -> list[Issue]: ...

    def record_run(self, summary: dict, document: dict | None = None) -> None: ...

    def vocabulary(self) -> Vocabulary:
        """The message templates earlier runs learned (kept in the state database)."""

    def keep_vocabulary(self, vocabulary: Vocabulary) -> None: ...

    def last_window_end(self) -> datetime | None: ...

    def find(self, keys: list[str]) -> Issue | None:
        """The issue that carries any of these problem/signature ids, in any state."""

    def create(self, title: str, body: str, labels: list[str], keys: list[str]) -> Issue: ...

    def comment(self, issue: Issue, body: str) -> None: ...

    def set_labels(self, issue: Issue, labels: list[str]) -> None: ...

    def set_title(self, issue: Issue, title: str) -> None: ...

    def set_body(self, issue: Issue, body: str) -> None: ...

    def reopen(self, issue: Issue) -> None: ...

    def link_keys(self, issue: Issue, keys: list[str]) -> None:
        """Remember that these ids belong to the issue too (a consequence, a new signature)."""

    def history(self, problem_id: str) -> ProblemHistory | None: ...

    def record(self, problem_id: str, first_seen: datetime | None, last_seen: datetime | None,
               action: str, issue_number: int | None, service: str = "", count: int = 0) -> None: ...

    def mark_absent(self, services: list[str], present: list[str], after_runs: int) -> list[ProblemHistory]:
        """Count one more absence for the known problems of these services not present in this run;
        return those absent ``after_runs`` times in a row whose issue is open."""

    def get(self, number: int) -> Issue | None: ...

    def close(self, issue: Issue, reason: str = "completed") -> None: ...
