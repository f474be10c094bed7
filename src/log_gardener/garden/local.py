"""The embedded tracker: issues, comments and run history in one SQLite file.

Every run's writes happen in one transaction (``with tracker.transaction():``), so a
crash or a kill leaves the database as it was before the run, never half-written.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import orjson

from ..limits import LIMITS
from ..model import Vocabulary
from .tracker import Issue, ProblemHistory, TrackerError

SCHEMA = """
CREATE TABLE IF NOT EXISTS issues (
    number INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'open',
    labels TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    state_reason TEXT
);
CREATE TABLE IF NOT EXISTS issue_keys (
    key TEXT PRIMARY KEY,
    issue_number INTEGER NOT NULL REFERENCES issues(number)
);
CREATE TABLE IF NOT EXISTS comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    issue_number INTEGER NOT NULL REFERENCES issues(number),
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS problems (
    problem_id TEXT PRIMARY KEY,
    first_seen TEXT,
    last_seen TEXT,
    runs_seen INTEGER NOT NULL DEFAULT 0,
    last_action TEXT,
    issue_number INTEGER,
    service TEXT NOT NULL DEFAULT '',
    absent_runs INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS vocabulary (
    template TEXT PRIMARY KEY,
    last_run INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS superseded (
    template TEXT PRIMARY KEY,
    by_template TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    summary TEXT NOT NULL,
    document BLOB
);
-- where the previous live read of each query ended (sources/cloud_logging.py: Watermarks)
CREATE TABLE IF NOT EXISTS watermarks (
    key TEXT PRIMARY KEY,
    "end" TEXT,
    seen TEXT
);
-- the GitHub tracker's own records (in every state, so that any state opens with any tracker)
CREATE TABLE IF NOT EXISTS github_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS github_intents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    repo TEXT NOT NULL,
    kind TEXT NOT NULL,
    problem_id TEXT NOT NULL DEFAULT '',
    issue_number INTEGER,
    token TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS github_intents_open ON github_intents (repo, kind, status);
"""


APPLICATION_ID = 0x4C474172  # "LGAr": marks the file as a log-gardener state (sqlite's header field)
SCHEMA_VERSION = 3  # 1: states written before it was recorded; raised with every change to SCHEMA
KEPT_DOCUMENTS = 10  # result documents of the latest runs kept (for `log-gardener report`)


# columns added since the first schema (in SCHEMA too): a state without them gets them on opening
ADDED_COLUMNS = (("problems", "service", "TEXT NOT NULL DEFAULT ''"),
                 ("problems", "absent_runs", "INTEGER NOT NULL DEFAULT 0"),
                 ("problems", "total", "INTEGER NOT NULL DEFAULT 0"),
                 ("issues", "state_reason", "TEXT"),
                 ("runs", "document", "BLOB"))


def _tables(db: sqlite3.Connection) -> dict[str, set[str]]:
    return {r[0]: {c[1] for c in db.execute(f"PRAGMA table_info('{r[0]}')")} for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchall()}


def _expected_tables() -> dict[str, set[str]]:
    """Every table of this version's schema and its columns, as SQLite reads them."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        return _tables(db)
    finally:
        db.close()


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")  # RFC 3339, as everywhere in the output


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class StateError(Exception):
    """The state file cannot be opened or is not a log-gardener database."""


class LocalTracker:
    name = "local"

    def __init__(self, path: str | Path, read_only: bool = False, wait: float = LIMITS.lock_wait_s) -> None:
        """``read_only``: for what only reads (a dry run, listing issues): works on a state this user
        cannot write, and never changes the file. ``wait``: seconds to wait for another run's writes."""
        self.path = Path(path)
        self.wait = wait
        try:
            if read_only:
                self.db = self._connect_read_only()
                self._check_identity()
                tables = _tables(self.db)
                if any(not cols <= tables.get(t, set()) for t, cols in _expected_tables().items()):
                    # an empty file, or one an older version wrote: read a copy brought up to this schema, in
                    # memory (the file stays as it is)
                    copy = sqlite3.connect(":memory:", isolation_level=None)
                    self.db.backup(copy)
                    self.db.close()
                    self.db = copy
                    self.db.executescript(SCHEMA)
                    self._migrate()
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open_writable()
        except (sqlite3.DatabaseError, OSError) as exc:
            if _locked(exc):
                raise StateError(self.busy()) from exc
            raise StateError(f"{self.path}: cannot use as state database ({exc})") from exc

    def _open_writable(self) -> None:
        # a second run on the same state waits for the first one's transaction instead of failing; SQLite can
        # also answer "busy" at once (a journal mode change or recovery under way in another process), so the
        # whole opening is tried again until the wait is over
        deadline = time.monotonic() + self.wait
        while True:
            self.db = sqlite3.connect(self.path, isolation_level=None, timeout=self.wait)
            try:
                self.db.execute("PRAGMA foreign_keys = ON")
                self._check_identity()
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.executescript(SCHEMA)
                self._migrate()
                return
            except sqlite3.OperationalError as exc:
                self.db.close()
                if not _locked(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def busy(self) -> str:
        return (f"{self.path}: another run is using this state; waited {self.wait:g} s for it (--wait): try again "
                "later")

    def _connect_read_only(self) -> sqlite3.Connection:
        uri = self.path.resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=LIMITS.lock_wait_s)
        try:
            db.execute("PRAGMA application_id").fetchone()
            return db
        except sqlite3.OperationalError:
            # a WAL state in a directory this user cannot write: its shared-memory file cannot be made,
            # so the file is read as it is on disk (nobody who can write there is running, or we would wait)
            db.close()
            return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None)

    def _check_identity(self) -> None:
        """Refuse a database that is not a log-gardener state (another tool's file, passed by mistake, would
        get our tables added to it) or one written by a newer version (its schema is not known here)."""
        app, version = (self.db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version"))
        if app == APPLICATION_ID:
            if version > SCHEMA_VERSION:
                raise StateError(f"{self.path}: written by a newer log-gardener (state schema {version}; this "
                                 f"version knows up to {SCHEMA_VERSION}): upgrade log-gardener")
            return
        tables = _tables(self.db)
        expected = _expected_tables()
        foreign = sorted(t for t, cols in tables.items() if t not in expected or not cols <= expected[t])
        if app != 0 or foreign:  # an older state (no id yet) has only our tables, each a subset of ours
            what = f"it holds {', '.join(foreign[:5])}" if foreign else f"application id {app:#x}"
            raise StateError(f"{self.path}: not a log-gardener state ({what}); pass another --state")

    def _migrate(self) -> None:
        """Bring a state file written by an older version up to this schema. Runs that open a new state
        at the same moment take turns (one transaction), so a column is added once."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for table, column, kind in ADDED_COLUMNS:
                if column not in {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            # also a write probe: a state that cannot be written fails here, before any work is done
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def shutdown(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The writes of one run, all or none; a run beside this one waits for them (``wait``)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _locked(exc):
                raise TrackerError(self.busy()) from None
            raise
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    # --- issues ---------------------------------------------------------------
    def _issue(self, row: tuple) -> Issue:
        number, title, body, state, labels, created, updated, reason = row
        return Issue(number, title, state, json.loads(labels), body, None, created, updated, state_reason=reason)

    def get(self, number: int) -> Issue | None:
        row = self.db.execute(
            "SELECT number, title, body, state, labels, created_at, updated_at, state_reason FROM issues "
            "WHERE number = ?",
            (number,),
        ).fetchone()
        if row is None:
            return None
        issue = self._issue(row)
        issue.comments = [r[0] for r in self.db.execute(
            "SELECT body FROM comments WHERE issue_number = ? ORDER BY id", (number,))]
        issue.comment_count = len(issue.comments)
        return issue

    def list(self, state: str | None = None) -> list[Issue]:
        sql = "SELECT number, title, body, state, labels, created_at, updated_at, state_reason FROM issues"
        rows = self.db.execute(sql + (" WHERE state = ?" if state else "") + " ORDER BY number",
                               (state,) if state else ())
        issues = [self._issue(r) for r in rows]
        counts = dict(self.db.execute("SELECT issue_number, count(*) FROM comments GROUP BY issue_number"))
        for issue in issues:
            issue.comment_count = counts.get(issue.number, 0)
        return issues

    def keys_of_issue(self, number: int) -> list[str]:
        """The ids an issue carries (its problem, signatures, aliases), problem ids first."""
        rows = self.db.execute("SELECT key FROM issue_keys WHERE issue_number = ?", (number,)).fetchall()
        return sorted((r[0] for r in rows), key=lambda k: (not k.startswith("p"), k))

    def issues_with_key_prefix(self, prefix: str) -> list[int]:
        """Issues carrying an id that starts with ``prefix`` (at least 4 characters)."""
        if len(prefix) < 4:
            return []
        rows = self.db.execute("SELECT DISTINCT issue_number FROM issue_keys WHERE key >= ? AND key < ? "
                               "ORDER BY issue_number", (prefix, prefix + "\uffff")).fetchall()
        return [r[0] for r in rows]

    def find(self, keys: list[str]) -> Issue | None:
        if not keys:
            return None
        marks = ",".join("?" * len(keys))
        row = self.db.execute(
            f"SELECT min(issue_number) FROM issue_keys WHERE key IN ({marks})", keys
        ).fetchone()
        return self.get(row[0]) if row and row[0] is not None else None

    def create(self, title: str, body: str, labels: list[str], keys: list[str]) -> Issue:
        now = _now()
        cur = self.db.execute(
            "INSERT INTO issues (title, body, state, labels, created_at, updated_at) VALUES (?, ?, 'open', ?, ?, ?)",
            (title, body, json.dumps(sorted(set(labels))), now, now),
        )
        number = int(cur.lastrowid or 0)
        issue = Issue(number, title, "open", sorted(set(labels)), body, None, now, now)
        self.link_keys(issue, keys)
        return issue

    def link_keys(self, issue: Issue, keys: list[str]) -> None:
        self.db.executemany(
            "INSERT OR IGNORE INTO issue_keys (key, issue_number) VALUES (?, ?)", [(k, issue.number) for k in keys]
        )

    def comment(self, issue: Issue, body: str) -> None:
        now = _now()
        self.db.execute("INSERT INTO comments (issue_number, body, created_at) VALUES (?, ?, ?)",
                        (issue.number, body, now))
        self.db.execute("UPDATE issues SET updated_at = ? WHERE number = ?", (now, issue.number))

    def set_labels(self, issue: Issue, labels: list[str]) -> None:
        issue.labels = sorted(set(labels))
        self.db.execute("UPDATE issues SET labels = ?, updated_at = ? WHERE number = ?",
                        (json.dumps(issue.labels), _now(), issue.number))

    def set_body(self, issue: Issue, body: str) -> None:
        issue.body = body
        self.db.execute("UPDATE issues SET body = ?, updated_at = ? WHERE number = ?", (body, _now(), issue.number))

    def set_title(self, issue: Issue, title: str) -> None:
        issue.title = title
        self.db.execute("UPDATE issues SET title = ?, updated_at = ? WHERE number = ?", (title, _now(), issue.number))

    def reopen(self, issue: Issue) -> None:
        issue.state, issue.state_reason = "open", "reopened"
        self.db.execute("UPDATE issues SET state = 'open', state_reason = 'reopened', updated_at = ? WHERE number = ?",
                        (_now(), issue.number))

    def close(self, issue: Issue, reason: str = "completed") -> None:
        issue.state, issue.state_reason = "closed", reason
        self.db.execute("UPDATE issues SET state = 'closed', state_reason = ?, updated_at = ? WHERE number = ?",
                        (reason, _now(), issue.number))

    # --- history --------------------------------------------------------------
    def history(self, problem_id: str) -> ProblemHistory | None:
        row = self.db.execute(
            "SELECT problem_id, first_seen, last_seen, runs_seen, last_action, issue_number, absent_runs, total "
            "FROM problems WHERE problem_id = ?", (problem_id,)).fetchone()
        if row is None:
            return None
        return ProblemHistory(row[0], _dt(row[1]), _dt(row[2]), row[3], row[4], row[5], row[6], row[7])

    def record(self, problem_id: str, first_seen: datetime | None, last_seen: datetime | None,
               action: str, issue_number: int | None, service: str = "", count: int = 0) -> None:
        old = self.history(problem_id)
        if old is not None:
            if old.first_seen and (first_seen is None or old.first_seen < first_seen):
                first_seen = old.first_seen
            if old.last_seen and (last_seen is None or old.last_seen > last_seen):
                last_seen = old.last_seen
            issue_number = issue_number or old.issue_number
        self.db.execute(
            "INSERT INTO problems (problem_id, first_seen, last_seen, runs_seen, last_action, issue_number, service,"
            " absent_runs, total) VALUES (?, ?, ?, 1, ?, ?, ?, 0, ?) ON CONFLICT(problem_id) DO UPDATE SET "
            "first_seen = excluded.first_seen, last_seen = excluded.last_seen, runs_seen = problems.runs_seen + 1, "
            "last_action = excluded.last_action, issue_number = excluded.issue_number, service = excluded.service, "
            "absent_runs = 0, total = problems.total + excluded.total",
            (problem_id, first_seen.isoformat() if first_seen else None,
             last_seen.isoformat() if last_seen else None, action, issue_number, service, count),
        )

    def mark_absent(self, services: list[str], present: list[str], after_runs: int) -> list[ProblemHistory]:
        marks_s = ",".join("?" * len(services))
        marks_p = ",".join("?" * len(present)) or "''"
        self.db.execute(
            f"UPDATE problems SET absent_runs = absent_runs + 1 WHERE service IN ({marks_s}) "
            f"AND problem_id NOT IN ({marks_p})", [*services, *present])
        rows = self.db.execute(
            "SELECT p.problem_id, p.first_seen, p.last_seen, p.runs_seen, p.last_action, p.issue_number, "
            f"p.absent_runs FROM problems p JOIN issues i ON i.number = p.issue_number WHERE p.service IN ({marks_s})"
            " AND p.absent_runs >= ? AND i.state = 'open' AND p.issue_number NOT IN (SELECT issue_number FROM "
            f"problems WHERE issue_number IS NOT NULL AND problem_id IN ({marks_p})) ORDER BY p.problem_id",
            [*services, after_runs, *present])
        seen_issues: set[int] = set()
        out = []
        for r in rows:
            if r[5] in seen_issues:
                continue
            seen_issues.add(r[5])
            out.append(ProblemHistory(r[0], _dt(r[1]), _dt(r[2]), r[3], r[4], r[5], r[6]))
        return out

    def last_window_end(self) -> datetime | None:
        """Where the newest recorded run's window ended (for ``--since last``), never later than that run
        itself: an entry from the future (a skewed clock) must not make every later window empty."""
        ends = []
        for started, summary in self.db.execute("SELECT started_at, summary FROM runs"):
            window = json.loads(summary).get("window") or [None, None]
            end = _dt(window[1]) if window[1] and window[1] != "—" else None
            if end is not None and end.year >= LIMITS.earliest_year:
                ends.append(min(end, _dt(started) or end))
        return max(ends, default=None)

    def vocabulary(self) -> Vocabulary:
        runs = self.db.execute("SELECT max(last_run) FROM vocabulary").fetchone()[0] or 0
        return Vocabulary(dict(self.db.execute("SELECT template, last_run FROM vocabulary")),
                          dict(self.db.execute("SELECT template, by_template FROM superseded ORDER BY rowid")), runs)

    def keep_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.db.execute("DELETE FROM vocabulary")
        self.db.executemany("INSERT INTO vocabulary (template, last_run) VALUES (?, ?)",
                            sorted(vocabulary.templates.items()))
        self.db.execute("DELETE FROM superseded")
        self.db.executemany("INSERT INTO superseded (template, by_template) VALUES (?, ?)",
                            list(vocabulary.superseded.items()))  # oldest first

    def record_run(self, summary: dict, document: dict | None = None) -> None:
        """A run's summary, and its result document (what --json writes: for `log-gardener report`),
        compressed; the documents of all but the latest KEPT_DOCUMENTS runs are dropped."""
        blob = zlib.compress(orjson.dumps(document), 6) if document is not None else None
        self.db.execute("INSERT INTO runs (started_at, summary, document) VALUES (?, ?, ?)",
                        (_now(), json.dumps(summary), blob))
        self.db.execute("UPDATE runs SET document = NULL WHERE document IS NOT NULL AND id NOT IN "
                        "(SELECT id FROM runs ORDER BY id DESC LIMIT ?)", (KEPT_DOCUMENTS,))

    def last_document(self) -> dict | None:
        """The result document of the latest run that kept one."""
        row = self.db.execute("SELECT document FROM runs WHERE document IS NOT NULL ORDER BY id DESC LIMIT 1"
                              ).fetchone()
        return orjson.loads(zlib.decompress(row[0])) if row else None
