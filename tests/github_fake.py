"""A local stand-in for the GitHub REST API, for driving the real PyGithub client in tests.

Serves on 127.0.0.1 (a free port, a thread) the endpoints the GitHub tracker uses, with the
behaviour that bites (see ../shared/reference/github-rest.md):

- issues and pull requests share numbers and the issues list (PRs carry ``pull_request``);
  ``state``/``labels``/``creator``/``since`` filters, ``per_page``/``page`` and ``Link`` headers;
- labels: 422 when a label exists; unknown labels on an issue are created grey; without push
  access (``push_access = False``) labels are silently dropped on issue creation and label
  writes answer 403;
- search with an index lag: a new or edited issue is searchable only after ``search_lag_seconds``
  or after ``search_lag_requests`` further requests (whichever comes first);
- rate-limit headers on every response; bodies over 65,536 and titles over 256 characters: 422;
- faults: ``fail(method, path_regex, kind, times=1, ...)`` queues answers for the next matching
  requests: ``"500"``, ``"500-after-write"`` (does the write, then answers 500), ``"secondary"``
  (403, ``retry-after`` unless ``retry_after=None``), ``"primary"`` (403, remaining 0, reset in
  ``reset_in`` s), ``"429"``, ``"timeout"`` (answers after ``delay`` s; ``apply=True`` does the write
  first);
- inspection: ``requests`` (every request: method, path, query, body), ``issues()``,
  ``comments(n)``, ``labels``, ``sent_texts()``.

The ``github_fake`` fixture (load with ``pytest_plugins = ["github_fake"]``) yields a started server.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

BODY_LIMIT = 65_536
TITLE_LIMIT = 256


@dataclass
class Request:
    method: str
    path: str  # without the API prefix and the query
    query: dict[str, str]
    body: str
    status: int = 0

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Fault:
    method: str | None
    path: re.Pattern[str]
    kind: str
    times: int = 1
    retry_after: int | None = 7
    reset_in: int = 30
    delay: float = 2.0
    apply: bool = False


@dataclass
class _Pending:
    snapshot: dict[str, Any]
    due_time: float
    due_count: int | None


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class FakeGitHub:
    owner: str = "acme"
    name: str = "shop"
    token: str = "test-token"
    prefix: str = "/api/v3"
    login: str = "gardener-bot"
    push_access: bool = True  # False: labels dropped on create, label writes 403
    drop_labels_on_create: bool = False  # labels dropped on create even with push access
    forbidden: bool = False  # every repository request answers 403 (token without access)
    has_issues: bool = True
    dependencies_enabled: bool = True
    search_lag_seconds: float | None = 600.0
    search_lag_requests: int | None = None
    rate_limit: int = 5000

    requests: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower-case name -> label
    _issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    _comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    _blocked_by: dict[int, list[int]] = field(default_factory=dict)
    _index: dict[int, dict[str, Any]] = field(default_factory=dict)  # what search sees
    _pending: dict[int, _Pending] = field(default_factory=dict)  # written, not yet searchable
    _next_id: int = 1000
    _used: dict[str, int] = field(default_factory=dict)
    _reset: int = 0

    def __post_init__(self) -> None:
        self.lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None
        self._reset = int(time.time()) + 3600

    # --- lifecycle -----------------------------------------------------------------
    def start(self) -> FakeGitHub:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                fake._serve(self)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def port(self) -> int:
        assert self.server is not None
        return self.server.server_address[1]

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root + self.prefix

    @property
    def repo(self) -> str:
        return f"{self.owner}/{self.name}"

    # --- test controls -------------------------------------------------------------
    def fail(self, method: str | None, path: str, kind: str, times: int = 1, **opts: Any) -> None:
        with self.lock:
            self.faults.append(Fault(method, re.compile(path), kind, times, **opts))

    def add_issue(self, title: str, body: str = "", labels: tuple[str, ...] = (), user: str = "alice",
                  state: str = "open", pull_request: bool = False, indexed: bool = True) -> dict[str, Any]:
        """An issue (or pull request) filed by a person."""
        with self.lock:
            issue = self._new_issue(title, body, list(labels), user, pull_request)
            issue["state"] = state
            if indexed:
                self._index[issue["number"]] = dict(issue)
            return issue

    def issues(self, include_prs: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(i) for n, i in sorted(self._issues.items()) if include_prs or "pull_request" not in i]

    def issue(self, number: int) -> dict[str, Any]:
        with self.lock:
            return dict(self._issues[number])

    def comments(self, number: int) -> list[str]:
        with self.lock:
            return [c["body"] for c in self._comments.get(number, [])]

    def blocked_by(self, number: int) -> list[int]:
        return list(self._blocked_by.get(number, []))

    def sent_texts(self) -> list[str]:
        """Everything the client sent: request bodies and query strings."""
        with self.lock:
            return [r.body for r in self.requests] + [json.dumps(r.query) for r in self.requests]

    def count(self, method: str, path: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if r.method == method and re.search(path, r.path))

    def writes(self) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.method != "GET"]

    # --- model ---------------------------------------------------------------------
    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _repo_json(self) -> dict[str, Any]:
        return {
            "id": 1, "name": self.name, "full_name": self.repo, "private": False, "has_issues": self.has_issues,
            "url": f"{self.base_url}/repos/{self.repo}", "html_url": f"{self.root}/{self.repo}",
            "owner": {"login": self.owner, "id": 2, "type": "Organization"},
            "permissions": {"admin": False, "maintain": False, "push": self.push_access, "triage": self.push_access,
                            "pull": True},
        }

    def _label(self, name: str, color: str = "ededed", description: str = "") -> dict[str, Any]:
        key = name.lower()
        if key not in self.labels:
            self.labels[key] = {"id": self._id(), "node_id": f"L{self._next_id}", "name": name, "color": color,
                                "description": description, "default": False,
                                "url": f"{self.base_url}/repos/{self.repo}/labels/{urllib.parse.quote(name)}"}
        return self.labels[key]

    def _new_issue(self, title: str, body: str, labels: list[str], user: str, pr: bool = False) -> dict[str, Any]:
        number = max(self._issues, default=0) + 1
        now = _now_iso()
        issue: dict[str, Any] = {
            "id": self._id(), "node_id": f"I{self._next_id}", "number": number, "title": title, "body": body,
            "state": "open", "state_reason": None, "locked": False, "comments": 0,
            "labels": [self._label(lb) for lb in labels],
            "user": {"login": user, "id": 7 if user == self.login else 8, "type": "User"},
            "assignees": [], "created_at": now, "updated_at": now, "closed_at": None,
            "url": f"{self.base_url}/repos/{self.repo}/issues/{number}",
            "html_url": f"{self.root}/{self.repo}/{'pull' if pr else 'issues'}/{number}",
            "repository_url": f"{self.base_url}/repos/{self.repo}",
            "comments_url": f"{self.base_url}/repos/{self.repo}/issues/{number}/comments",
        }
        if pr:
            issue["pull_request"] = {"url": f"{self.base_url}/repos/{self.repo}/pulls/{number}"}
        self._issues[number] = issue
        self._comments[number] = []
        return issue

    def _touch(self, issue: dict[str, Any]) -> None:
        """A write: the issue changes now; search sees the change only after the index lag."""
        issue["updated_at"] = _now_iso()
        lag_s, lag_n = self.search_lag_seconds, self.search_lag_requests
        due_time = 0.0 if lag_s is None and lag_n is None else (time.time() + lag_s if lag_s is not None else math.inf)
        due_count = None if lag_n is None else len(self.requests) + lag_n
        self._pending[issue["number"]] = _Pending(dict(issue), due_time, due_count)

    def _searchable(self) -> list[dict[str, Any]]:
        for number, p in list(self._pending.items()):
            if time.time() >= p.due_time or (p.due_count is not None and len(self.requests) >= p.due_count):
                self._index[number] = p.snapshot
                del self._pending[number]
        return list(self._index.values())

    # --- HTTP ----------------------------------------------------------------------
    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        parsed = urllib.parse.urlsplit(h.path)
        path = parsed.path
        if path.startswith(self.prefix):
            path = path[len(self.prefix):] or "/"
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length).decode("utf-8") if length else ""
        req = Request(h.command, path, query, body)
        with self.lock:
            self.requests.append(req)
            fault = self._take_fault(h.command, path)
        resource = "search" if path.startswith("/search/") else "core"
        if fault is not None and fault.kind == "timeout":
            if fault.apply:
                with self.lock:
                    self._route(h.command, path, query, body, parsed.query)
            time.sleep(fault.delay)
            self._send(h, req, 500, {"message": "late"}, resource)
            return
        if fault is not None:
            status, payload, extra = self._fault_answer(fault, h.command, path, query, body, parsed.query)
            self._send(h, req, status, payload, resource, extra)
            return
        if not self._authorised(h):
            self._send(h, req, 401, {"message": "Bad credentials",
                                     "documentation_url": "https://docs.github.com/rest"}, resource)
            return
        with self.lock:
            status, payload, extra = self._route(h.command, path, query, body, parsed.query)
        self._send(h, req, status, payload, resource, extra)

    def _authorised(self, h: BaseHTTPRequestHandler) -> bool:
        auth = h.headers.get("Authorization") or ""
        return auth in (f"token {self.token}", f"Bearer {self.token}")

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for f in self.faults:
            if (f.method is None or f.method == method) and f.path.search(path):
                f.times -= 1
                if f.times <= 0:
                    self.faults.remove(f)
                return f
        return None

    def _fault_answer(self, f: Fault, method: str, path: str, query: dict[str, str], body: str,
                      raw_query: str) -> tuple[int, Any, dict[str, str]]:
        if f.kind == "500":
            return 500, {"message": "Server Error"}, {}
        if f.kind == "500-after-write":
            with self.lock:
                self._route(method, path, query, body, raw_query)
            return 500, {"message": "Server Error"}, {}
        if f.kind == "secondary":
            extra = {"retry-after": str(f.retry_after)} if f.retry_after is not None else {}
            return 403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
                                    "try again."}, extra
        if f.kind == "primary":
            return 403, {"message": "API rate limit exceeded for user ID 7."}, {
                "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(time.time()) + f.reset_in)}
        if f.kind == "429":
            extra = {"retry-after": str(f.retry_after)} if f.retry_after is not None else {}
            return 429, {"message": "Too many requests"}, extra
        raise ValueError(f"unknown fault kind {f.kind}")

    def _send(self, h: BaseHTTPRequestHandler, req: Request, status: int, payload: Any, resource: str,
              extra: dict[str, str] | None = None) -> None:
        req.status = status
        data = b"" if payload is None else json.dumps(payload).encode()
        with self.lock:
            self._used[resource] = self._used.get(resource, 0) + 1
            used = self._used[resource]
        limit = 30 if resource == "search" else self.rate_limit
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(0, limit - used)),
            "x-ratelimit-used": str(used),
            "x-ratelimit-reset": str(self._reset),
            "x-ratelimit-resource": resource,
        }
        headers.update(extra or {})
        try:
            h.send_response(status)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _page(self, items: list[Any], path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        """One page of a list, with GitHub's Link header."""
        per_page = min(100, int(query.get("per_page", 30)))
        page = int(query.get("page", 1))
        last = max(1, -(-len(items) // per_page))
        links = []

        def url(n: int) -> str:
            q = dict(query, page=str(n), per_page=str(per_page))
            return f"{self.base_url}{path}?{urllib.parse.urlencode(q)}"

        if page < last:
            links += [f'<{url(page + 1)}>; rel="next"', f'<{url(last)}>; rel="last"']
        if page > 1:
            links += [f'<{url(1)}>; rel="first"', f'<{url(page - 1)}>; rel="prev"']
        return 200, items[(page - 1) * per_page: page * per_page], {"Link": ", ".join(links)} if links else {}

    def _route(self, method: str, path: str, query: dict[str, str], body: str,
               raw_query: str) -> tuple[int, Any, dict[str, str]]:
        data = json.loads(body) if body else {}
        repo_prefix = f"/repos/{self.owner}/{self.name}"
        if path == "/user" and method == "GET":
            return 200, {"login": self.login, "id": 7, "type": "User"}, {}
        if path == "/search/issues" and method == "GET":
            return 200, self._search(query.get("q", ""), query), {}
        m = re.match(r"^/repos/([^/]+)/([^/]+)(/.*)?$", path)
        if not m or f"{m.group(1)}/{m.group(2)}".lower() != self.repo.lower():
            return 404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}, {}
        rest = m.group(3) or ""
        if self.forbidden:
            return 403, {"message": "Resource not accessible by personal access token"}, {}
        if rest == "" and method == "GET":
            return 200, self._repo_json(), {}
        if rest == "/issues" and method == "GET":
            return self._page(self._list(query), repo_prefix + rest, query)
        if rest == "/issues" and method == "POST":
            problem = self._validate(data, need_title=True)
            if problem:
                return 422, problem, {}
            labels = data.get("labels") or [] if self.push_access and not self.drop_labels_on_create else []
            issue = self._new_issue(data["title"], data.get("body") or "", labels, self.login)
            self._touch(issue)
            return 201, issue, {}
        if rest == "/labels" and method == "GET":
            return self._page(sorted(self.labels.values(), key=lambda lb: lb["name"].lower()), repo_prefix + rest,
                              query)
        if rest == "/labels" and method == "POST":
            if not self.push_access:
                return 403, {"message": "Must have admin rights to Repository."}, {}
            if data.get("name", "").lower() in self.labels:
                return 422, {"message": "Validation Failed", "errors": [
                    {"resource": "Label", "code": "already_exists", "field": "name"}]}, {}
            return 201, self._label(data["name"], data.get("color", "ededed"), data.get("description", "")), {}
        m = re.match(r"^/labels/(.+)$", rest)
        if m and method == "GET":
            label = self.labels.get(urllib.parse.unquote(m.group(1)).lower())
            return (200, label, {}) if label else (404, {"message": "Not Found"}, {})
        m = re.match(r"^/issues/(\d+)(/.*)?$", rest)
        if not m:
            return 404, {"message": "Not Found"}, {}
        number, sub = int(m.group(1)), m.group(2) or ""
        issue = self._issues.get(number)
        if issue is None:
            return 404, {"message": "Not Found"}, {}
        if sub == "" and method == "GET":
            return 200, issue, {}
        if sub == "" and method == "PATCH":
            problem = self._validate(data, need_title=False)
            if problem:
                return 422, problem, {}
            for k in ("title", "body", "state_reason"):
                if k in data:
                    issue[k] = data[k]
            if "state" in data:
                issue["state"] = data["state"]
                issue["closed_at"] = _now_iso() if data["state"] == "closed" else None
                if data["state"] == "open" and "state_reason" not in data:
                    issue["state_reason"] = "reopened"
            if "labels" in data:
                if not self.push_access:
                    return 403, {"message": "Resource not accessible by integration"}, {}
                issue["labels"] = [self._label(lb) for lb in data["labels"]]
            self._touch(issue)
            return 200, issue, {}
        if sub == "/comments" and method == "GET":
            items = self._comments[number]
            if "since" in query:
                items = [c for c in items if c["updated_at"] >= query["since"]]
            return self._page(items, f"{repo_prefix}/issues/{number}/comments", query)
        if sub == "/comments" and method == "POST":
            text = data.get("body") or ""
            if not text or len(text) > BODY_LIMIT:
                return 422, {"message": "Validation Failed", "errors": [
                    {"resource": "IssueComment", "code": "custom", "field": "body",
                     "message": f"body is too long (maximum is {BODY_LIMIT} characters)"}]}, {}
            now = _now_iso()
            comment = {"id": self._id(), "body": text, "user": {"login": self.login, "id": 7, "type": "User"},
                       "created_at": now, "updated_at": now,
                       "url": f"{self.base_url}{repo_prefix}/issues/comments/{self._next_id}",
                       "html_url": f"{issue['html_url']}#issuecomment-{self._next_id}",
                       "issue_url": issue["url"]}
            self._comments[number].append(comment)
            issue["comments"] += 1
            self._touch(issue)
            return 201, comment, {}
        if sub == "/labels":
            if method == "GET":
                return 200, issue["labels"], {}
            if not self.push_access:
                return 403, {"message": "Resource not accessible by integration"}, {}
            names = data.get("labels", []) if isinstance(data, dict) else data
            if method == "PUT":
                issue["labels"] = [self._label(lb) for lb in names]
            elif method == "POST":
                have = {lb["name"].lower() for lb in issue["labels"]}
                issue["labels"] += [self._label(lb) for lb in names if lb.lower() not in have]
            elif method == "DELETE":
                issue["labels"] = []
            self._touch(issue)
            return 200, issue["labels"], {}
        m = re.match(r"^/labels/(.+)$", sub)
        if m and method == "DELETE":
            if not self.push_access:
                return 403, {"message": "Resource not accessible by integration"}, {}
            name = urllib.parse.unquote(m.group(1)).lower()
            issue["labels"] = [lb for lb in issue["labels"] if lb["name"].lower() != name]
            return 200, issue["labels"], {}
        if sub == "/dependencies/blocked_by":
            if not self.dependencies_enabled:
                return 404, {"message": "Not Found"}, {}
            if method == "GET":
                return 200, [self._by_id(i) for i in self._blocked_by.get(number, [])], {}
            if method == "POST":
                blocker = self._by_id(int(data.get("issue_id", 0)))
                if blocker is None:
                    return 422, {"message": "Validation Failed"}, {}
                if blocker["number"] in self._blocked_by.setdefault(number, []):
                    return 422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]}, {}
                self._blocked_by[number].append(blocker["number"])
                return 201, blocker, {}
        return 404, {"message": "Not Found"}, {}

    def _by_id(self, issue_id: int) -> dict[str, Any] | None:
        return next((i for i in self._issues.values() if i["id"] == issue_id), None)

    @staticmethod
    def _validate(data: dict[str, Any], need_title: bool) -> dict[str, Any] | None:
        errors = []
        if need_title and not data.get("title"):
            errors.append({"resource": "Issue", "code": "missing_field", "field": "title"})
        if len(data.get("title") or "") > TITLE_LIMIT:
            errors.append({"resource": "Issue", "code": "custom", "field": "title",
                           "message": f"title is too long (maximum is {TITLE_LIMIT} characters)"})
        if len(data.get("body") or "") > BODY_LIMIT:
            errors.append({"resource": "Issue", "code": "custom", "field": "body",
                           "message": f"body is too long (maximum is {BODY_LIMIT} characters)"})
        return {"message": "Validation Failed", "errors": errors} if errors else None

    def _list(self, query: dict[str, str]) -> list[dict[str, Any]]:
        state = query.get("state", "open")
        items = list(self._issues.values())
        if state != "all":
            items = [i for i in items if i["state"] == state]
        if query.get("labels"):
            wanted = {x.strip().lower() for x in query["labels"].split(",") if x.strip()}
            items = [i for i in items if wanted <= {lb["name"].lower() for lb in i["labels"]}]
        if query.get("creator"):
            items = [i for i in items if i["user"]["login"] == query["creator"]]
        if query.get("since"):
            items = [i for i in items if i["updated_at"] >= query["since"]]
        key = "updated_at" if query.get("sort") == "updated" else "number"
        items.sort(key=lambda i: (i[key], i["number"]), reverse=query.get("direction", "desc") == "desc")
        return items

    def _search(self, q: str, query: dict[str, str]) -> dict[str, Any]:
        phrases = [p.lower() for p in re.findall(r'"([^"]*)"', q)]
        rest = re.sub(r'"[^"]*"', " ", q).split()
        items = self._searchable()
        for term in rest:
            if term.startswith("repo:"):
                items = items if term[5:].lower() == self.repo.lower() else []
            elif term == "is:issue":
                items = [i for i in items if "pull_request" not in i]
            elif term == "is:pr":
                items = [i for i in items if "pull_request" in i]
            elif term.startswith("-label:"):
                items = [i for i in items if term[7:].lower() not in {lb["name"].lower() for lb in i["labels"]}]
            elif term.startswith("label:"):
                items = [i for i in items if term[6:].lower() in {lb["name"].lower() for lb in i["labels"]}]
            elif term.startswith("in:"):
                continue
            else:
                phrases.append(term.lower())
        items = [i for i in items if all(p in (i["title"] + "\n" + (i["body"] or "")).lower() for p in phrases)]
        per_page = min(100, int(query.get("per_page", 30)))
        return {"total_count": len(items), "incomplete_results": False, "items": items[:per_page]}


@pytest.fixture
def github_fake():
    fake = FakeGitHub().start()
    yield fake
    fake.stop()
