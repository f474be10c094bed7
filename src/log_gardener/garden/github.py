"""The GitHub tracker: issues live in a GitHub repository, history in the local state file.

``--tracker github --repo OWNER/NAME`` with a token in ``GITHUB_TOKEN`` (or ``GH_TOKEN``);
GitHub Enterprise Server through a base URL (``https://HOST/api/v3``).

What lives where
    Issues, comments and labels live on GitHub. The history of problems (first/last seen, runs,
    absences, the evidence watermark), the runs, a mirror of the tool's issues (number, title,
    state, labels: so that ``mark_absent`` and ``issues list`` work) and the map problem id ->
    issue number live in the local SQLite state file, through a composed :class:`LocalTracker`.
    The local map is a cache: it is verified against GitHub on every run.

Finding a problem's issue
    Every body the tool writes starts with ``<!-- log-gardener:problem=ID -->`` and carries a
    second hidden marker with the problem's other ids, ``<!-- log-gardener:keys=a,b,... -->``.
    Once per run the tool lists the repository's issues labelled ``log-gardener`` (all states,
    100 a page, pull requests skipped) and reads the markers. Search is never used to find the
    tool's own issues (its index lags writes by up to minutes); it is used only to list issues
    people filed by hand as "possibly related" in a new issue's body, never reused silently.

Crashes and kills
    GitHub writes cannot be rolled back, so ``transaction()`` does not roll back: an *intent* is
    committed to the state file before every issue creation and every comment, and completed
    after. A re-run reconciles: a pending creation is looked for (by its marker, in the issues
    updated since the intent) before anything is created again; a comment carries a marker
    ``<!-- log-gardener:comment=DIGEST problem=ID -->`` (DIGEST: of the issue number and the
    text) and is not posted when the issue already has a comment with that marker.

Rate limits and failures
    403/429 with ``retry-after``: wait that long; with ``x-ratelimit-remaining: 0``: wait until
    ``x-ratelimit-reset``; other rate limits (secondary): wait a minute, then twice as long each
    time. 5xx and timeouts: exponential backoff. At most ``RetryPolicy.tries`` tries, then a
    :class:`TrackerError`. A write that may have landed (5xx, timeout) is looked for on GitHub
    before it is retried. The sleep function and the clock are injectable.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import requests
from github import Auth, Github, GithubException
from github.PaginatedList import PaginatedList

from .. import __version__
from ..limits import LIMITS
from ..model import Vocabulary
from ..report.neutral import one_line, prose
from ..report.redact import Redactor, safe_text
from .gardener import TOOL_LABEL
from .local import LocalTracker, StateError
from .tracker import _KEYS_RE, _PROBLEM_RE, Issue, ProblemHistory, TrackerError, markers_of

T = TypeVar("T")

DEFAULT_API_URL = "https://api.github.com"
BODY_LIMIT = 65_536
TITLE_LIMIT = 256
SEARCH_QUERY_LIMIT = 256
MAX_MARKER_KEYS = 200
MAX_MARKER_CHARS = 4_000
MAX_RELATED = 5

PROBLEM_MARKER = "<!-- log-gardener:problem={id} -->"
KEYS_MARKER = "<!-- log-gardener:keys={keys} -->"
COMMENT_MARKER = "<!-- log-gardener:comment={digest} problem={id} -->"
_COMMENT_RE = re.compile(r"<!-- log-gardener:comment=([0-9a-f]+) problem=([A-Za-z0-9_.:-]+) -->")
_REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_PRIORITY_RE = re.compile(r"^P[0-9]$")

# name -> (colour, description); category:* and others below
LABEL_STYLE: dict[str, tuple[str, str]] = {
    TOOL_LABEL: ("5319e7", "Filed and updated by log-gardener from the service's logs"),
    "P0": ("b60205", "Critical: service down or failing for users"),
    "P1": ("d93f0b", "High: failing requests or jobs"),
    "P2": ("fbca04", "Medium: degraded or at risk"),
    "P3": ("cfd3d7", "Low: noise, warnings"),
}
CATEGORY_STYLE = ("1d76db", "Kind of problem, as log-gardener classifies it")
OTHER_STYLE = ("c5def5", "Set by a log-gardener rule")

@dataclass(slots=True)
class RetryPolicy:
    tries: int = 5  # attempts per request, waits included
    backoff: float = 2.0  # first wait after a 5xx or a timeout; doubles each time
    max_backoff: float = 120.0
    secondary_wait: float = 60.0  # secondary limit without retry-after: at least a minute, then doubling
    max_wait: float = 3_700.0  # a single wait longer than this gives up at once (re-run later)


@contextlib.contextmanager
def _run_lock(state: Path, wait: float) -> Iterator[None]:
    """An exclusive lock on ``STATE.lock`` for the writes of one run (POSIX; none for an in-memory state),
    waited for up to ``wait`` seconds."""
    if str(state) == ":memory:":
        yield
        return
    import fcntl

    with open(f"{state}.lock", "a") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TrackerError(f"{state}: another run is using this state; waited {wait:g} s for it "
                                       "(--wait): try again later") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass(slots=True)
class _GhIssue:
    number: int
    id: int | None
    title: str
    state: str
    labels: list[str]
    body: str
    comments: int = 0
    url: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    login: str | None = None
    planned: bool = False
    state_reason: str | None = None

    @classmethod
    def from_raw(cls, raw: Mapping[str, Any]) -> _GhIssue:
        return cls(
            number=int(raw["number"]), id=raw.get("id"), title=raw.get("title") or "", state=raw.get("state") or "open",
            labels=sorted((lb["name"] if isinstance(lb, dict) else str(lb)) for lb in raw.get("labels") or []),
            body=raw.get("body") or "", comments=int(raw.get("comments") or 0), url=raw.get("html_url"),
            created_at=raw.get("created_at"), updated_at=raw.get("updated_at"),
            login=(raw.get("user") or {}).get("login"), state_reason=raw.get("state_reason"))

    def to_issue(self) -> Issue:
        return Issue(self.number, self.title, self.state, list(self.labels), self.body, self.url, self.created_at,
                     self.updated_at, [], self.comments, self.state_reason)


@dataclass(slots=True)
class _Index:
    """The tool's issues on GitHub, read once per run, and which ids each carries."""

    issues: dict[int, _GhIssue] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)

    def add(self, gi: _GhIssue, keys: list[str]) -> dict[str, int]:
        """Index an issue and its ids (the oldest issue keeps an id two issues carry); returns the ids that
        another issue carries too, with that issue's number."""
        self.issues[gi.number] = gi
        clashes = {}
        for k in keys:
            held = self.keys.get(k)
            if held is not None and held != gi.number:
                clashes[k] = held
            if held is None or held > gi.number:
                self.keys[k] = gi.number
        return clashes


class _Raw:
    """PaginatedList content class that keeps the JSON as it came (no lazy completion requests)."""

    def __init__(self, requester: Any, headers: Any, attributes: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        self.data = attributes


def normalise_base_url(url: str | None) -> str:
    """``https://github.com`` -> the public API; an Enterprise host without a path -> ``/api/v3``."""
    if not url:
        return DEFAULT_API_URL
    url = url.strip().rstrip("/")
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise TrackerError(f"--github-url '{url}' is not an http(s) URL like https://github.example.com/api/v3")
    if parsed.netloc in ("github.com", "www.github.com"):
        return DEFAULT_API_URL
    if parsed.path in ("", "/") and parsed.netloc != "api.github.com":
        return url + "/api/v3"
    return url


def _open_fence(text: str) -> str | None:
    """The fence still open at the end of ``text`` (to close it after a cut), if any."""
    opener: str | None = None
    for line in text.split("\n"):
        m = re.match(r"^ {0,3}(`{3,}|~{3,})", line)
        if not m:
            continue
        run = m.group(1)
        if opener is None:
            opener = run
        elif run[0] == opener[0] and len(run) >= len(opener) and line.strip() == run:
            opener = None
    return opener


def fit_body(text: str, suffix: str = "", limit: int = BODY_LIMIT) -> str:
    """``text`` + ``suffix`` in at most ``limit`` characters: the text is cut at a line (an open code fence
    closed) and says so; the suffix (a hidden marker) is always kept whole."""
    if len(text) + len(suffix) <= limit:
        return text + suffix
    note = "\n\n…(trimmed to fit GitHub's size limit)\n"
    room = limit - len(suffix) - len(note)
    cut = text[:room]
    for _ in range(3):
        nl = cut.rfind("\n", max(0, len(cut) - 2_000))
        if nl > 0:
            cut = cut[:nl]
        fence_ = _open_fence(cut)
        closing = f"\n{fence_}" if fence_ else ""
        if len(cut) + len(closing) <= room:
            return cut + closing + note + suffix
        cut = cut[: room - len(closing)]
    return (cut + note)[: limit - len(suffix)] + suffix


def _digest(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _managed_label(name: str) -> bool:
    """Labels this tool sets and may take off again; every other label on an issue is a person's and stays."""
    return name == TOOL_LABEL or bool(_PRIORITY_RE.match(name)) or name.startswith("category:")


def label_style(name: str) -> tuple[str, str]:
    if name in LABEL_STYLE:
        return LABEL_STYLE[name]
    return CATEGORY_STYLE if name.startswith("category:") else OTHER_STYLE


def _iso(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class GitHubTracker:
    """The :class:`~log_gardener.garden.tracker.Tracker` for a GitHub repository.

    ``dry_run=True``: only GET requests are made; every write it would make is appended to
    ``planned_calls`` as ``{"method", "path", "summary"}``, issues it would create get negative
    numbers, and nothing is kept in the state file (one transaction, rolled back on ``shutdown``).

    ``warnings``: things a person should know (labels GitHub dropped, duplicate issues found,
    dependencies not available); ``waits``: every wait, as ``(reason, seconds)``.
    """

    name = "github"

    def __init__(self, repo: str, token: str | None, state_path: str | Path, base_url: str | None = None, *,
                 dry_run: bool = False, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, retry: RetryPolicy | None = None, timeout: int = 30,
                 search_related: bool = True, use_dependencies: bool = True,
                 redactor: Redactor | None = None, wait: float = LIMITS.lock_wait_s,
                 seconds_between_requests: float | None = 0.25, seconds_between_writes: float | None = 1.0) -> None:
        repo = (repo or "").strip()
        if not _REPO_RE.match(repo):
            raise TrackerError(f"--repo '{repo}' is not OWNER/NAME (for example acme/shop-api)")
        if not token:
            raise TrackerError(f"no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read and write "
                               f"issues on {repo}")
        self.repo = repo
        self.base_url = normalise_base_url(base_url)
        self.dry_run = dry_run
        self.sleep = sleep
        self.clock = clock
        self.retry = retry or RetryPolicy()
        self.search_related = search_related
        self.use_dependencies = use_dependencies
        self.redactor = redactor or Redactor()
        self.planned_calls: list[dict[str, str]] = []
        self.warnings: list[str] = []
        self.waits: list[tuple[str, float]] = []
        self._path = f"/repos/{repo}"
        self._index: _Index | None = None
        self._labels_known: set[str] | None = None
        self._labels_creatable = True
        self._dependencies_available = True
        self._commented: set[int] = set()
        self._planned_number = 0
        try:
            self.local = LocalTracker(state_path, wait=wait)
        except StateError as exc:
            raise TrackerError(str(exc)) from None
        try:
            if dry_run:  # nothing it does is kept: rolled back on shutdown
                self.local.db.execute("BEGIN")
            self._claim_state_file(Path(state_path))
            self.gh = Github(auth=Auth.Token(token), base_url=self.base_url, timeout=timeout, per_page=100, retry=0,
                             user_agent=f"log-gardener/{__version__}",
                             seconds_between_requests=seconds_between_requests,
                             seconds_between_writes=seconds_between_writes)
            self._req = self.gh.requester
            self._check_repo()
        except BaseException:
            self.local.shutdown()
            raise

    # --- setup ------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        row = self.local.db.execute("SELECT value FROM github_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.local.db.execute("INSERT INTO github_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                              "value = excluded.value", (key, value))

    def _claim_state_file(self, path: Path) -> None:
        """A state file serves one repository: its issue numbers and history mean nothing elsewhere."""
        ident = f"{urllib.parse.urlparse(self.base_url).netloc}/{self.repo}"
        owner = self._meta("repo")
        if owner is None:
            (count,) = self.local.db.execute("SELECT count(*) FROM issues").fetchone()
            if count:
                raise TrackerError(f"{path}: this state file holds the local tracker's issues; use another --state "
                                   f"file for --tracker github (e.g. .log-gardener/github-{self.repo.replace('/', '-')}"
                                   ".db)")
            self._set_meta("repo", ident)
        elif owner != ident:
            raise TrackerError(f"{path}: this state file belongs to {owner}, not {ident}; use another --state file")

    def _check_repo(self) -> None:
        try:
            _, data = self._call(f"GET {self._path}", lambda: self._req.requestJsonAndCheck("GET", self._path),
                                 fail_fast=True)
        except TrackerError as exc:
            if exc.status == 401:
                raise TrackerError("GitHub rejected the token (401 Bad credentials): set GITHUB_TOKEN or GH_TOKEN to "
                                   "a valid, unexpired token", 401) from None
            if exc.status == 404:
                raise TrackerError(f"repository {self.repo} not found at {self.base_url}, or the token cannot see it: "
                                   "check --repo and give the token access to it (fine-grained: Metadata read, "
                                   "Issues read and write)", 404) from None
            if exc.status == 403:
                raise TrackerError(f"the token may not access {self.repo} ({exc}): grant it Issues read and write "
                                   "and Metadata read (classic tokens: repo or public_repo)", 403) from None
            raise
        if data.get("has_issues") is False:
            raise TrackerError(f"issues are disabled on {self.repo}: enable them in the repository's Settings "
                               "(General, Features)")
        perms = data.get("permissions")
        self.can_label = True if not isinstance(perms, dict) else bool(
            perms.get("push") or perms.get("maintain") or perms.get("admin") or perms.get("triage"))
        self._labels_creatable = True if not isinstance(perms, dict) else bool(
            perms.get("push") or perms.get("maintain") or perms.get("admin"))

    # --- HTTP -------------------------------------------------------------------
    def _limit_wait(self, exc: GithubException, secondary: int) -> tuple[float, str] | None:
        """How long GitHub asks us to wait, or None when this is not a rate limit."""
        if exc.status not in (403, 429):
            return None
        headers = {str(k).lower(): str(v) for k, v in (exc.headers or {}).items()}
        if "retry-after" in headers:
            with contextlib.suppress(ValueError):
                return max(0.0, float(headers["retry-after"])), "retry-after"
        if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
            with contextlib.suppress(ValueError):
                return max(0.0, float(headers["x-ratelimit-reset"]) - self.clock()) + 1.0, "rate limit reset"
        message = str((exc.data or {}).get("message", "") if isinstance(exc.data, dict) else "").lower()
        if exc.status == 429 or "rate limit" in message or "abuse" in message:
            return self.retry.secondary_wait * 2 ** secondary, "secondary rate limit"
        return None

    def _call(self, what: str, fn: Callable[[], T], *, recover: Callable[[], T | None] | None = None,
              tries: int | None = None, fail_fast: bool = False) -> T:
        """``fn`` with GitHub's rate-limit rules and retries. ``recover`` looks for the effect of a write that
        may have landed although it failed (5xx, timeout); what it finds is returned instead of retrying."""
        tries = tries or self.retry.tries
        secondary = 0
        last = ""
        for attempt in range(1, tries + 1):
            try:
                return fn()
            except GithubException as exc:
                limit = self._limit_wait(exc, secondary)
                message = exc.data.get("message", "") if isinstance(exc.data, dict) else ""
                if limit is not None:
                    wait, reason = limit
                    secondary += reason == "secondary rate limit"
                    last = f"{exc.status} {reason}"
                elif exc.status >= 500:
                    wait, reason = min(self.retry.max_backoff, self.retry.backoff * 2 ** (attempt - 1)), "server error"
                    last = f"{exc.status} {message}".strip()
                else:
                    hint = (f" (the token needs Issues: read and write on {self.repo})"
                            if exc.status in (401, 403) and not what.startswith("GET") else "")
                    raise TrackerError(f"GitHub {what}: {exc.status} {message}{hint}".strip(), exc.status) from None
            except (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
                wait = min(self.retry.max_backoff, self.retry.backoff * 2 ** (attempt - 1))
                reason = "timeout" if isinstance(exc, requests.Timeout) else "connection error"
                last = reason
                if fail_fast and reason != "timeout":
                    raise TrackerError(f"cannot reach GitHub at {self.base_url} ({type(exc).__name__}): check "
                                       "--github-url and the network") from None
            if attempt == tries:
                break
            if wait > self.retry.max_wait:
                raise TrackerError(f"GitHub {what}: rate limited for {wait / 60:.0f} more minutes; re-run later (the "
                                   "state file records what was done)", 403)
            self.waits.append((f"{what}: {reason}", wait))
            self.sleep(wait)
            if recover is not None:
                found = recover()
                if found is not None:
                    return found
        raise TrackerError(f"GitHub {what}: gave up after {tries} tries (last: {last}); re-run later (the state "
                           "file records what was done, nothing is filed twice)", 503)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._call(f"GET {path}", lambda: self._req.requestJsonAndCheck("GET", path, parameters=params))[1]

    def _list(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Every page (``Link`` headers followed by PyGithub); a failure restarts the listing."""
        def fetch() -> list[dict[str, Any]]:
            return [r.data for r in PaginatedList(_Raw, self._req, path, dict(params or {}))]

        return self._call(f"GET {path}", fetch)

    def _write(self, method: str, path: str, payload: dict[str, Any], summary: str, *,
               recover: Callable[[], Any] | None = None) -> Any:
        """Every write goes through here: texts masked again (idempotent), sizes capped, dry-run recorded."""
        payload = dict(payload)
        if "title" in payload:
            payload["title"] = self._title(payload["title"])
        if "body" in payload:
            payload["body"] = fit_body(self.redactor.publish(payload["body"]))
        if self.dry_run:
            self.planned_calls.append({"method": method, "path": path, "summary": self.redactor.publish(summary)})
            return None
        return self._call(f"{method} {path}",
                          lambda: self._req.requestJsonAndCheck(method, path, input=payload)[1], recover=recover)

    def _title(self, title: str) -> str:
        # one line, no control or bidi character, whoever built it
        return one_line(self.redactor.publish(title))[:TITLE_LIMIT]

    # --- intents (committed at once: the state file is in autocommit mode) ---------------------
    def _now(self) -> str:
        return datetime.now(UTC).isoformat(timespec="seconds")

    def _intent(self, kind: str, problem_id: str, issue_number: int | None = None, token: str = "") -> int:
        cur = self.local.db.execute(
            "INSERT INTO github_intents (repo, kind, problem_id, issue_number, token, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
            (self.repo, kind, problem_id, issue_number, token, self._now(), self._now()))
        return int(cur.lastrowid or 0)

    def _complete_intent(self, intent_id: int, issue_number: int | None = None, status: str = "done") -> None:
        self.local.db.execute(
            "UPDATE github_intents SET status = ?, issue_number = coalesce(?, issue_number), updated_at = ? "
            "WHERE id = ?", (status, issue_number, self._now(), intent_id))

    def _pending(self, kind: str) -> list[tuple[int, str, int | None, str, str]]:
        return list(self.local.db.execute(
            "SELECT id, problem_id, issue_number, token, created_at FROM github_intents WHERE repo = ? AND kind = ? "
            "AND status = 'pending' ORDER BY id", (self.repo, kind)))

    # --- reconciliation -----------------------------------------------------------
    def _labels_unreliable(self) -> bool:
        return not self.can_label or self._meta("labels_dropped") == "1"

    def _login(self) -> str | None:
        login = self._meta("login")
        if login is None:
            try:
                login = (self._get("/user") or {}).get("login")
            except TrackerError:
                return None
            if login:
                self._set_meta("login", login)
        return login

    def _absorb(self, index: _Index, raw: Mapping[str, Any]) -> _GhIssue | None:
        if raw.get("pull_request") is not None:
            return None
        problem, keys = markers_of(raw.get("body") or "")
        if problem is None:
            return None
        gi = _GhIssue.from_raw(raw)
        clashes = index.add(gi, keys)
        if problem in clashes:
            first, other = sorted((gi.number, clashes[problem]))
            self.warnings.append(f"problem {problem} has more than one issue (#{first} and #{other}): log-gardener "
                                 f"updates #{first}, the oldest; close #{other} as a duplicate")
        return gi

    def _reconcile(self) -> _Index:
        """Read the tool's issues from GitHub (once per run) and settle what a killed run left pending."""
        if self._index is not None:
            return self._index
        index = _Index()
        for raw in self._list(f"{self._path}/issues", {"state": "all", "labels": TOOL_LABEL}):
            self._absorb(index, raw)
        if self._labels_unreliable():  # the tool's label may be missing from its own issues
            login = self._login()
            params: dict[str, Any] = {"state": "all"}
            if login:
                params["creator"] = login
            for raw in self._list(f"{self._path}/issues", params):
                if int(raw.get("number", 0)) not in index.issues:
                    self._absorb(index, raw)
        for intent_id, problem, _, _, created in self._pending("create"):
            if problem not in index.keys:
                self._look_since(index, datetime.fromisoformat(created))
            number = index.keys.get(problem)
            self._complete_intent(intent_id, number, "done" if number is not None else "abandoned")
        cached: dict[int, list[str]] = {}
        for key, number in self.local.db.execute("SELECT key, issue_number FROM issue_keys"):
            cached.setdefault(number, []).append(key)
        stale = []
        for number, keys in sorted(cached.items()):
            if number not in index.issues:
                raw = self._get_issue_raw(number)
                if raw is None or self._absorb(index, raw) is None:
                    stale.append(number)
                    continue
            for k in keys:
                index.keys.setdefault(k, number)
        self._index = index
        self._mirror(list(index.issues.values()), stale=stale)
        return index

    def _look_since(self, index: _Index, since: datetime) -> None:
        """Issues updated since a moment (the tool's unlabelled ones too): where a pending creation may be."""
        params = {"state": "all", "since": _iso(since - timedelta(minutes=2)), "sort": "created", "direction": "desc"}
        for raw in self._list(f"{self._path}/issues", params):
            if int(raw.get("number", 0)) not in index.issues:
                self._absorb(index, raw)

    def _get_issue_raw(self, number: int) -> dict[str, Any] | None:
        try:
            raw = self._get(f"{self._path}/issues/{number}")
        except TrackerError as exc:
            if exc.status in (404, 410):
                return None
            raise
        return None if not isinstance(raw, dict) or raw.get("pull_request") is not None else raw

    def _mirror(self, issues: list[_GhIssue], stale: Iterable[int] = ()) -> None:
        """Keep the state file's copy of the tool's issues (numbers, states, ids) in step with GitHub."""
        db = self.local.db
        index = self._index
        db.execute("SAVEPOINT mirror")
        try:
            for number in stale:
                db.execute("DELETE FROM issue_keys WHERE issue_number = ?", (number,))
                db.execute("DELETE FROM comments WHERE issue_number = ?", (number,))
                db.execute("DELETE FROM issues WHERE number = ?", (number,))
            now = self._now()
            for gi in issues:
                db.execute(
                    "INSERT INTO issues (number, title, body, state, labels, created_at, updated_at) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(number) DO UPDATE SET title = excluded.title, body = "
                    "excluded.body, state = excluded.state, labels = excluded.labels, updated_at = excluded.updated_at",
                    (gi.number, gi.title, gi.body, gi.state, json.dumps(gi.labels), gi.created_at or now,
                     gi.updated_at or now))
            if index is not None:
                numbers = {gi.number for gi in issues}
                db.executemany(
                    "INSERT INTO issue_keys (key, issue_number) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                    "issue_number = excluded.issue_number",
                    [(k, n) for k, n in index.keys.items() if n in numbers])
            db.execute("RELEASE mirror")
        except BaseException:
            db.execute("ROLLBACK TO mirror")
            db.execute("RELEASE mirror")
            raise

    # --- Tracker: reading ---------------------------------------------------------
    def find(self, keys: list[str]) -> Issue | None:
        index = self._reconcile()
        numbers = [index.keys[k] for k in keys if k in index.keys]
        return index.issues[min(numbers)].to_issue() if numbers else None

    def list(self, state: str | None = None) -> list[Issue]:
        index = self._reconcile()
        return [gi.to_issue() for n, gi in sorted(index.issues.items()) if state is None or gi.state == state]

    def get(self, number: int) -> Issue | None:
        index = self._reconcile()
        if number <= 0:  # planned in a dry run
            gi = index.issues.get(number)
            return gi.to_issue() if gi else None
        raw = self._get_issue_raw(number)
        if raw is None:
            return None
        gi = _GhIssue.from_raw(raw)
        if number in index.issues:
            index.issues[number] = gi
            self._mirror([gi])
        issue = gi.to_issue()
        issue.comments = [c.get("body") or "" for c in self._comments(number)] if gi.comments else []
        return issue

    def _comments(self, number: int) -> list[dict[str, Any]]:
        return self._list(f"{self._path}/issues/{number}/comments")

    # --- Tracker: writing -----------------------------------------------------------
    def _ensure_labels(self, labels: list[str]) -> None:
        """Create the labels an issue needs, with their colours, before use (else GitHub makes them grey)."""
        if self._labels_known is None:
            self._labels_known = {lb["name"].lower() for lb in self._list(f"{self._path}/labels")}
        for name in labels:
            if name.lower() in self._labels_known:
                continue
            if not self._labels_creatable:
                self.warnings.append(f"label '{name}' does not exist on {self.repo} and the token cannot create "
                                     "labels (no push access)")
                self._labels_known.add(name.lower())
                continue
            colour, description = label_style(name)
            try:
                self._write("POST", f"{self._path}/labels",
                            {"name": name, "color": colour, "description": description[:100]},
                            f"create label '{name}' #{colour}")
            except TrackerError as exc:
                if exc.status == 422:  # created meanwhile: fine
                    pass
                elif exc.status in (403, 404):
                    self._labels_creatable = False
                    self.warnings.append(f"cannot create labels on {self.repo} ({exc.status}); GitHub creates "
                                         "unknown labels grey, or drops them without push access")
                else:
                    raise
            self._labels_known.add(name.lower())

    def _related(self, title: str, problem: str) -> list[tuple[int, str]]:
        """Issues people filed that look like this problem (search; never reused, only listed)."""
        if not self.search_related or self.dry_run:
            return []
        text = title.split(" | ", 2)[-1].replace("\u200d", "")
        text = re.sub(r"^[\w.]*(?:Error|Exception|Warning|Failure)\s*:\s*", "", text)  # people rarely quote the type
        text = " ".join(re.sub(r"[\"\\]", " ", text).split()[:12])
        prefix = f"repo:{self.repo} is:issue -label:{TOOL_LABEL} in:title,body "
        text = text[: SEARCH_QUERY_LIMIT - len(prefix) - 2].strip()
        if len(text) < 8:
            return []
        query = prefix + safe_text(f'"{text}"', self.redactor.extra)  # the title's words: log content
        try:
            data = self._call("search", lambda: self._req.requestJsonAndCheck(
                "GET", "/search/issues", parameters={"q": query, "per_page": 10})[1], tries=1)
        except TrackerError:
            return []
        out = []
        for item in (data or {}).get("items", []):
            if item.get("pull_request") is not None or markers_of(item.get("body") or "")[0] is not None:
                continue
            out.append((int(item["number"]), item.get("title") or ""))
        return out[:MAX_RELATED]

    def _issue_body(self, body: str, keys: list[str], related: list[tuple[int, str]]) -> str:
        problem = keys[0]
        text = self.redactor.publish(body)
        if related:
            text = text.rstrip("\n") + "\n\n**Possibly related issues** (found by search; filed by people, not " \
                   "updated by log-gardener):\n" + "".join(f"- #{n} {prose(safe_text(t, self.redactor.extra))}\n"
                                                           for n, t in related)
        head = PROBLEM_MARKER.format(id=problem)
        if _PROBLEM_RE.match(text) is None:
            text = f"{head}\n{text}"
        first, _, rest = text.partition("\n")
        text = f"{first}\n{self._keys_marker(keys)}\n{_KEYS_RE.sub('', rest).lstrip(chr(10))}"
        return fit_body(text)

    @staticmethod
    def _keys_marker(keys: list[str]) -> str:
        out: list[str] = []
        size = 0
        for k in dict.fromkeys(keys[1:]):
            if k == keys[0] or not re.fullmatch(r"[A-Za-z0-9_.:-]+", k) or len(out) >= MAX_MARKER_KEYS:
                continue
            if size + len(k) + 1 > MAX_MARKER_CHARS:
                break
            out.append(k)
            size += len(k) + 1
        return KEYS_MARKER.format(keys=",".join(out))

    def create(self, title: str, body: str, labels: list[str], keys: list[str]) -> Issue:
        index = self._reconcile()
        keys = list(dict.fromkeys(keys)) or [f"t{_digest(title)}"]
        existing = self.find(keys)
        if existing is not None:  # never file a problem twice, whatever the caller thinks
            return existing
        problem = keys[0]
        title = self._title(title)
        labels = sorted(set(labels) | {TOOL_LABEL})  # the label the reconciliation lists by
        self._ensure_labels(labels)
        text = self._issue_body(body, keys, self._related(title, problem))
        payload = {"title": title, "body": text, "labels": labels}
        path = f"{self._path}/issues"
        if self.dry_run:
            self._write("POST", path, payload, f"create issue '{title}' labels {labels}")
            self._planned_number -= 1
            gi = _GhIssue(self._planned_number, None, title, "open", labels, text, planned=True)
            index.add(gi, keys)
            return gi.to_issue()
        intent = self._intent("create", problem)
        started = datetime.now(UTC)

        def recover() -> dict[str, Any] | None:
            probe = _Index()
            self._look_since(probe, started)
            number = probe.keys.get(problem)
            return None if number is None else {"__found__": probe.issues[number]}

        data = self._write("POST", path, payload, f"create issue '{title}'", recover=recover)
        gi = data["__found__"] if "__found__" in data else _GhIssue.from_raw(data)
        self._complete_intent(intent, gi.number)
        if gi.login and self._meta("login") is None:
            self._set_meta("login", gi.login)
        index.add(gi, keys)
        self._mirror([gi])
        missing = sorted(set(labels) - set(gi.labels))
        if missing:
            self._labels_dropped(gi, labels, missing)
        return gi.to_issue()

    def _labels_dropped(self, gi: _GhIssue, labels: list[str], missing: list[str]) -> None:
        """GitHub silently drops labels on creation without push access: put them back, or say so."""
        self._set_meta("labels_dropped", "1")
        try:
            data = self._write("PUT", f"{self._path}/issues/{gi.number}/labels", {"labels": labels},
                               f"re-apply labels to #{gi.number}")
        except TrackerError as exc:
            if exc.status not in (403, 404, 410, 422):
                raise
            self.warnings.append(f"#{gi.number}: GitHub dropped the labels {', '.join(missing)} and they cannot be "
                                 f"added ({exc.status}): the token needs push (write) access to {self.repo}; "
                                 "log-gardener still finds its issues by their hidden marker")
            return
        gi.labels = sorted(lb["name"] for lb in data or [])
        self._mirror([gi])

    def comment(self, issue: Issue, body: str) -> None:
        text = self.redactor.publish(body)
        problem = (_PROBLEM_RE.search(text) or _PROBLEM_RE.search(issue.body or ""))
        pid = problem.group(1) if problem else "-"
        digest = _digest(str(issue.number), text)
        out = fit_body(text.rstrip("\n") + "\n", "\n" + COMMENT_MARKER.format(digest=digest, id=pid))
        path = f"{self._path}/issues/{issue.number}/comments"
        done = self.local.db.execute(
            "SELECT 1 FROM github_intents WHERE repo = ? AND kind = 'comment' AND issue_number = ? AND token = ? "
            "AND status = 'done'", (self.repo, issue.number, digest)).fetchone()
        if done:
            return
        if self.dry_run or issue.number <= 0:
            self._write("POST", path, {"body": out}, f"comment on #{issue.number} ({len(out)} characters)")
            self._commented.add(issue.number)
            return
        gi = self._index.issues.get(issue.number) if self._index else None
        if (gi is None or gi.comments > 0) and self._has_comment(issue.number, digest):
            self._settle_comments(issue.number, digest)
            return
        intent = self._intent("comment", pid, issue.number, digest)
        try:
            self._write("POST", path, {"body": out}, f"comment on #{issue.number}",
                        recover=lambda: {} if self._has_comment(issue.number, digest) else None)
        except TrackerError as exc:
            if exc.status in (404, 410):  # deleted or transferred meanwhile
                self._complete_intent(intent, status="failed")
                self.warnings.append(f"#{issue.number} is gone ({exc.status}): comment not posted")
                return
            raise
        self._complete_intent(intent)
        self._settle_comments(issue.number, digest)
        self._commented.add(issue.number)
        if gi is not None:
            gi.comments += 1

    def _has_comment(self, number: int, digest: str) -> bool:
        return any(f"log-gardener:comment={digest} " in (c.get("body") or "") for c in self._comments(number))

    def _settle_comments(self, number: int, digest: str) -> None:
        """The comment with this digest is on the issue: its intents are done, older pending ones superseded."""
        self.local.db.execute(
            "UPDATE github_intents SET status = CASE WHEN token = ? THEN 'done' ELSE 'superseded' END, updated_at = ? "
            "WHERE repo = ? AND kind = 'comment' AND issue_number = ? AND status = 'pending'",
            (digest, self._now(), self.repo, number))
        if not self.local.db.execute(
                "SELECT 1 FROM github_intents WHERE repo = ? AND kind = 'comment' AND issue_number = ? AND token = ? "
                "AND status = 'done'", (self.repo, number, digest)).fetchone():
            self._complete_intent(self._intent("comment", "", number, digest))

    def _patch(self, issue: Issue, payload: dict[str, Any], summary: str) -> dict[str, Any] | None:
        path = f"{self._path}/issues/{issue.number}"
        if issue.number <= 0:
            self.planned_calls.append({"method": "PATCH", "path": path, "summary": summary})
            return None
        try:
            return self._write("PATCH", path, payload, summary)
        except TrackerError as exc:
            if exc.status in (404, 410):
                self.warnings.append(f"#{issue.number} is gone ({exc.status}): {summary} not done")
                return None
            raise

    def _update(self, issue: Issue, **changes: Any) -> None:
        for k, v in changes.items():
            setattr(issue, k, v)
        gi = self._index.issues.get(issue.number) if self._index else None
        if gi is not None:
            for k, v in changes.items():
                setattr(gi, k, v)
            if not gi.planned:
                self._mirror([gi])

    def set_labels(self, issue: Issue, labels: list[str]) -> None:
        current = list(issue.labels)
        keep = [lb for lb in current if not _managed_label(lb)]  # a person's labels stay
        wanted = sorted(set(labels) | set(keep))
        if sorted(lb.lower() for lb in wanted) == sorted(lb.lower() for lb in current):
            return
        self._ensure_labels([lb for lb in wanted if lb.lower() not in {c.lower() for c in current}])
        path = f"{self._path}/issues/{issue.number}/labels"
        if issue.number <= 0:
            self.planned_calls.append({"method": "PUT", "path": path, "summary": f"labels {wanted}"})
            return
        try:
            data = self._write("PUT", path, {"labels": wanted}, f"labels of #{issue.number}: {wanted}")
        except TrackerError as exc:
            if exc.status not in (403, 404, 410):
                raise
            self.warnings.append(f"#{issue.number}: labels {wanted} not set ({exc.status})")
            return
        self._update(issue, labels=sorted(lb["name"] for lb in data) if data else wanted)

    def set_body(self, issue: Issue, body: str) -> None:
        body = fit_body(self.redactor.publish(body))
        if body == issue.body:
            return
        if self._patch(issue, {"body": body}, f"body of #{issue.number} (its summary)") is not None or self.dry_run:
            self._update(issue, body=body)

    def set_title(self, issue: Issue, title: str) -> None:
        title = self._title(title)
        if title == issue.title:
            return
        if self._patch(issue, {"title": title}, f"title of #{issue.number}: '{title}'") is not None or self.dry_run:
            self._update(issue, title=title)

    def reopen(self, issue: Issue) -> None:
        if self._patch(issue, {"state": "open", "state_reason": "reopened"}, f"reopen #{issue.number}") is not None \
                or self.dry_run:
            self._update(issue, state="open")

    def close(self, issue: Issue, reason: str = "completed") -> None:
        if self._patch(issue, {"state": "closed", "state_reason": reason}, f"close #{issue.number} ({reason})") \
                is not None or self.dry_run:
            self._update(issue, state="closed")

    def link_keys(self, issue: Issue, keys: list[str]) -> None:
        """These ids belong to ``issue`` too (a consequence). Ids another issue holds stay with it (as in the local
        tracker); that issue is marked as blocked by this one and told so once."""
        index = self._reconcile()
        new = [k for k in dict.fromkeys(keys) if k not in index.keys]
        others = sorted({index.keys[k] for k in keys if k in index.keys and index.keys[k] != issue.number})
        for k in new:
            index.keys[k] = issue.number
        gi = index.issues.get(issue.number)
        if gi is None:
            return
        if not gi.planned:
            self._mirror([gi])
        if new and not gi.planned:
            self._add_keys_to_body(gi, new)
        for other in others:
            self._link(other, gi)

    def _add_keys_to_body(self, gi: _GhIssue, new: list[str]) -> None:
        """So that a fresh state file finds the issue by these ids too; only in the tool's own bodies."""
        problem, held = markers_of(gi.body)
        if problem is None or not gi.body.startswith(PROBLEM_MARKER.format(id=problem)):
            return
        marker = self._keys_marker([problem, *held, *new])
        if marker == self._keys_marker([problem, *held]):
            return  # over the cap: the state file remembers them
        first, _, rest = gi.body.partition("\n")
        body = f"{first}\n{marker}\n{_KEYS_RE.sub('', rest).lstrip(chr(10))}"
        if self._patch(gi.to_issue(), {"body": body}, f"record {len(new)} more ids in #{gi.number}'s marker"):
            gi.body = fit_body(self.redactor.publish(body))
            self._mirror([gi])

    def _link(self, number: int, cause: _GhIssue) -> None:
        if self.use_dependencies and self._dependencies_available and cause.id is not None:
            try:
                self._write("POST", f"{self._path}/issues/{number}/dependencies/blocked_by", {"issue_id": cause.id},
                            f"#{number} blocked by #{cause.number}")
            except TrackerError as exc:
                if exc.status in (404, 410, 403):
                    self._dependencies_available = False
                elif exc.status != 422:  # 422: already linked
                    raise
        other = self._index.issues.get(number) if self._index else None
        if other is None or number in self._commented:
            return  # one comment per issue per run: the link note waits for the next run
        self.comment(other.to_issue(), f"log-gardener: this problem now shows up as a consequence of #{cause.number}"
                                       "; new evidence is reported there.")

    # --- history: in the local state file ------------------------------------------
    def history(self, problem_id: str) -> ProblemHistory | None:
        return self.local.history(problem_id)

    def record(self, problem_id: str, first_seen: datetime | None, last_seen: datetime | None,
               action: str, issue_number: int | None, service: str = "", count: int = 0) -> None:
        self.local.record(problem_id, first_seen, last_seen, action, issue_number, service, count)

    def mark_absent(self, services: list[str], present: list[str], after_runs: int) -> list[ProblemHistory]:
        self._reconcile()  # the mirror's states are GitHub's
        return self.local.mark_absent(services, present, after_runs)

    def record_run(self, summary: dict, document: dict | None = None) -> None:
        self.local.record_run({**summary, "tracker": f"github:{self.repo}"}, document)

    def last_window_end(self) -> datetime | None:
        return self.local.last_window_end()

    def vocabulary(self) -> Vocabulary:
        return self.local.vocabulary()

    def keep_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.local.keep_vocabulary(vocabulary)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """The writes of one run. GitHub writes cannot be rolled back: intents are committed before each
        creation and comment and the history as the gardener records it, so a re-run after a crash reconciles
        instead of writing twice. At the end, the per-run caches are dropped (the next run reads GitHub again).
        Two runs on one state file take turns (a lock file beside it), so the second plans after the first filed."""
        with _run_lock(self.local.path, self.local.wait):
            # what was read before the lock (the analysis looks issues up) may predate another run's filing:
            # the plan is made on GitHub's state as it is now
            self._drop_caches()
            try:
                yield
            finally:
                self._drop_caches()

    def _drop_caches(self) -> None:
        self._index = None
        self._labels_known = None
        self._commented = set()

    def shutdown(self) -> None:
        if self.dry_run:
            with contextlib.suppress(Exception):
                self.local.db.execute("ROLLBACK")
        with contextlib.suppress(Exception):
            self.gh.close()
        self.local.shutdown()


def from_env(repo: str, state_path: str | Path, base_url: str | None = None,
             env: Mapping[str, str] = os.environ, **kwargs: Any) -> GitHubTracker:
    """The tracker for ``--tracker github``: the token from ``GITHUB_TOKEN`` or ``GH_TOKEN``, the API URL from
    ``base_url`` (``--github-url``), else ``GITHUB_API_URL`` (set by GitHub Actions, Enterprise included)."""
    token = (env.get("GITHUB_TOKEN") or env.get("GH_TOKEN") or "").strip()
    if not token:
        raise TrackerError(f"no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that can read and write "
                           f"issues on {repo}")
    return GitHubTracker(repo, token, state_path, base_url or env.get("GITHUB_API_URL") or None, **kwargs)
