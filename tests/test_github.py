"""The GitHub tracker, through the real PyGithub client, against a local fake of GitHub."""

import contextlib
import json
import re
import sqlite3

import pytest

from log_gardener.garden import gardener
from log_gardener.garden.github import (
    BODY_LIMIT,
    TITLE_LIMIT,
    GitHubTracker,
    RetryPolicy,
    TrackerError,
    fit_body,
    from_env,
    markers_of,
    normalise_base_url,
)
from log_gardener.garden.local import LocalTracker
from log_gardener.garden.tracker import Issue
from test_garden import garden, kinds

from factory import crash_loop, entry


class Kill(BaseException):
    """A kill -9 stand-in: nothing catches it."""


@pytest.fixture
def make(github_fake, tmp_path):
    """make(state="garden.db", **kwargs) -> a GitHubTracker on the fake; sleeps are recorded, not slept."""
    made = []

    def _make(state="garden.db", **kw):
        kw.setdefault("sleep", lambda s: None)
        kw.setdefault("timeout", 1)
        t = GitHubTracker(github_fake.repo, github_fake.token, tmp_path / state, github_fake.base_url,
                          seconds_between_requests=0, seconds_between_writes=0, **kw)
        made.append(t)
        return t

    yield _make
    for t in made:
        with contextlib.suppress(sqlite3.ProgrammingError):  # already shut down
            t.shutdown()


def body_for(pid, text="something broke"):
    return f"<!-- log-gardener:problem={pid} -->\n## {text}\n\nDetails.\n"


def waits(t):
    return [s for _, s in t.waits]


# --- the basic cycle ------------------------------------------------------------------------------

def test_create_find_comment_reopen_close(make, github_fake):
    t = make()
    issue = t.create("GCP-new | P1 | Checkout fails", body_for("p1"), ["P1", "log-gardener", "category:error"],
                     ["p1", "s1", "s2"])
    assert issue.number == 1 and issue.state == "open"
    remote = github_fake.issue(1)
    assert remote["title"] == "GCP-new | P1 | Checkout fails"
    assert {lb["name"] for lb in remote["labels"]} == {"P1", "log-gardener", "category:error"}
    assert markers_of(remote["body"]) == ("p1", ["p1", "s1", "s2"])
    assert remote["body"].startswith("<!-- log-gardener:problem=p1 -->\n<!-- log-gardener:keys=s1,s2 -->\n")

    assert t.find(["nope", "s2"]).number == 1
    assert t.find(["nope"]) is None

    t.comment(issue, body_for("p1", "more evidence"))
    assert len(github_fake.comments(1)) == 1
    assert re.search(r"<!-- log-gardener:comment=[0-9a-f]{16} problem=p1 -->$", github_fake.comments(1)[0])

    t.close(issue)
    assert (github_fake.issue(1)["state"], github_fake.issue(1)["state_reason"]) == ("closed", "completed")
    t.reopen(issue)
    assert (github_fake.issue(1)["state"], github_fake.issue(1)["state_reason"]) == ("open", "reopened")
    patches = [r.json for r in github_fake.requests if r.method == "PATCH"]
    assert {"state": "closed", "state_reason": "completed"} in patches
    assert {"state": "open", "state_reason": "reopened"} in patches

    t.set_title(issue, "GCP-regression | P1 | Checkout fails")
    assert github_fake.issue(1)["title"] == "GCP-regression | P1 | Checkout fails"
    got = t.get(1)
    assert got.state == "open" and len(got.comments) == 1 and got.url.endswith("/acme/shop/issues/1")
    assert t.get(99) is None


def test_labels_are_created_with_colours_before_use_and_listed_once_per_run(make, github_fake):
    t = make()
    t.create("GCP-new | P0 | Down", body_for("pa"), ["P0", "log-gardener", "category:startup-failure"], ["pa"])
    t.create("GCP-new | P3 | Noise", body_for("pb"), ["P3", "log-gardener", "category:warning"], ["pb"])
    calls = [(r.method, r.path) for r in github_fake.requests]
    first_issue = calls.index(("POST", "/repos/acme/shop/issues"))
    created = [r.json["name"] for r in github_fake.requests[:first_issue] if r.method == "POST"]
    assert sorted(created) == ["P0", "category:startup-failure", "log-gardener"]
    colours = {name: lb["color"] for name, lb in ((lb["name"], lb) for lb in github_fake.labels.values())}
    assert colours["P0"] == "b60205" and colours["P3"] == "cfd3d7"
    assert "ededed" not in colours.values()  # nothing was left for GitHub to create grey
    assert github_fake.count("GET", r"/labels$") == 1


def test_a_label_that_exists_already_is_fine(make, github_fake):
    t = make()
    t._labels_known = set()  # as if another run created it between our listing and our POST
    github_fake._label("P2", "fbca04")
    t.create("GCP-new | P2 | Slow", body_for("pc"), ["P2"], ["pc"])
    assert any(r.status == 422 for r in github_fake.requests if r.path.endswith("/labels"))
    assert [lb["name"] for lb in github_fake.issue(1)["labels"]] == ["P2", "log-gardener"]


def test_a_persons_labels_stay_when_ours_change(make, github_fake):
    t = make()
    issue = t.create("GCP-new | P2 | Slow", body_for("pd"), ["P2", "log-gardener"], ["pd"])
    github_fake._issues[1]["labels"].append(github_fake._label("team:payments"))
    issue = make("other.db").find(["pd"])
    t.set_labels(issue, ["P1", "log-gardener", "category:error"])
    assert {lb["name"] for lb in github_fake.issue(1)["labels"]} == {"P1", "log-gardener", "category:error",
                                                                     "team:payments"}


# --- finding issues: markers, not search --------------------------------------------------------

def test_a_fresh_state_file_finds_issues_by_marker_through_every_page(make, github_fake):
    t = make()
    t.create("GCP-new | P1 | Old one", body_for("pold"), ["log-gardener"], ["pold", "sold"])
    for n in range(230):  # people's issues with our label but no marker, and pull requests
        github_fake.add_issue(f"filed by hand {n}", "no marker here", labels=("log-gardener",),
                              pull_request=n % 10 == 0)
    github_fake.add_issue("a PR that quotes our marker", body_for("pold"), labels=("log-gardener",),
                          pull_request=True)
    fresh = make("fresh.db")
    before = len(github_fake.requests)
    assert fresh.find(["sold"]).number == 1
    listing = [r for r in github_fake.requests[before:] if r.path == "/repos/acme/shop/issues"]
    assert [r.query.get("page", "1") for r in listing] == ["1", "2", "3"]
    assert all(r.query["per_page"] == "100" and r.query["state"] == "all" and r.query["labels"] == "log-gardener"
               for r in listing)
    assert github_fake.count("GET", "/search/") == 0
    assert [i.number for i in fresh.list()] == [1]


def test_the_cached_number_is_checked_against_github(make, github_fake, tmp_path):
    t = make()
    t.create("GCP-new | P1 | Gone soon", body_for("pg"), ["log-gardener"], ["pg"])
    t.shutdown()
    issue = github_fake._issues[1]
    issue["labels"] = []  # a person took our label off: the listing misses it, the cache still knows #1
    assert make().find(["pg"]).number == 1
    issue["body"] = "rewritten by a person"  # the marker is gone: it is not ours any more
    assert make().find(["pg"]) is None
    with sqlite3.connect(tmp_path / "garden.db") as db:
        assert db.execute("SELECT count(*) FROM issue_keys WHERE key = 'pg'").fetchone()[0] == 0


def test_index_lag_two_back_to_back_runs_give_one_issue_per_problem(make, github_fake):
    github_fake.search_lag_seconds = 600  # search sees nothing written in the last ten minutes
    entries = crash_loop(4)
    first = garden(entries, make())
    assert kinds(first).count("create") == 2
    second = garden(entries, make())  # a new process, same state file
    assert set(kinds(second)) == {"unchanged"}
    third = garden(crash_loop(3, start=600, first_instance=20), make("fresh.db"))  # no state at all
    assert kinds(third).count("create") == 0
    same = make("same.db")
    garden(entries, same)
    garden(entries, same)  # the same object twice: the second run lists again
    assert len(github_fake.issues()) == 2
    search = [r for r in github_fake.requests if r.path == "/search/issues"]
    assert search and all(r.status == 200 for r in search)  # search was asked (related issues) and found none


def test_a_hand_filed_issue_is_listed_as_possibly_related_never_reused(make, github_fake):
    github_fake.add_issue("Prod: No module named 'shop.services.metrics' again", "seen after the deploy")
    garden(crash_loop(2), make())
    ours = [i for i in github_fake.issues() if i["user"]["login"] == "gardener-bot"]
    assert len(ours) == 2
    p0 = next(i for i in ours if "P0" in i["title"])
    assert "**Possibly related issues**" in p0["body"] and "- #1 Prod: No module named" in p0["body"]
    assert github_fake.comments(1) == [] and github_fake.issue(1)["title"].startswith("Prod:")
    query = next(r.query["q"] for r in github_fake.requests if r.path == "/search/issues")
    assert query.startswith("repo:acme/shop is:issue -label:log-gardener") and len(query) <= 256


def test_search_lags_and_never_decides_what_is_ours(make, github_fake):
    github_fake.search_lag_seconds, github_fake.search_lag_requests = None, 3
    t = make()
    t.create("GCP-new | P1 | Checkout fails on tax rounding", body_for("px"), ["P1"], ["px"])
    q = {"q": 'repo:acme/shop is:issue "tax rounding"'}
    assert github_fake._search(q["q"], q)["total_count"] == 0  # just written: not indexed yet
    for _ in range(3):
        t._get("/repos/acme/shop")
    assert github_fake._search(q["q"], q)["total_count"] == 1
    # indexed now, and still never taken for a hand-filed issue
    garden([entry("ERROR Checkout fails on tax rounding", t=1)], make("fresh.db"))
    assert all("Possibly related" not in i["body"] for i in github_fake.issues())


def test_texts_are_masked_again_at_the_http_boundary(make, github_fake):
    # views mask log content; this last pass masks what identifies itself as a secret, whatever text carries it
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    t = make()
    issue = t.create("GCP-new | P1 | login with postgres://app:hunter2hunter2@db/prod @alice",
                     body_for("pm", "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 for @org/team"), [], ["pm"])
    t.comment(issue, f"session {jwt}\nkey AKIAIOSFODNN7EXAMPLE\ncc @alice")
    sent = "\n".join(github_fake.sent_texts())
    for secret in ("hunter2hunter2", "ghp_abcdefghijklmnopqrstuvwxyz", jwt[:40], "AKIAIOSFODNN7EXAMPLE"):
        assert secret not in sent
    remote = github_fake.issue(1)
    assert "@\u200dalice" in remote["title"] and "@\u200dorg/team" in remote["body"]
    assert "@\u200dalice" in github_fake.comments(1)[0]


def test_the_tools_own_words_reach_github_as_written(make, github_fake):
    t = make()
    body = body_for("pm", "why these entries are together: a single signature: message template \"x\"")
    t.create("GCP-new | P3 | cache warm-up slow", body, [], ["pm"])
    assert "a single signature: message template" in github_fake.issue(1)["body"]


# --- rate limits, errors, timeouts ---------------------------------------------------------------

def test_a_server_error_is_retried_with_backoff(make, github_fake):
    t = make()
    github_fake.fail("GET", r"/issues$", "500")
    assert t.find(["x"]) is None
    assert waits(t) == [2.0]


def test_a_secondary_limit_waits_exactly_retry_after(make, github_fake):
    t = make()
    issue = t.create("GCP-new | P1 | A", body_for("pa"), [], ["pa"])
    github_fake.fail("POST", r"/comments$", "secondary", retry_after=7)
    t.comment(issue, body_for("pa", "news"))
    assert t.waits == [("POST /repos/acme/shop/issues/1/comments: retry-after", 7.0)]
    assert len(github_fake.comments(1)) == 1


def test_a_secondary_limit_without_retry_after_waits_a_minute_then_longer(make, github_fake):
    t = make()
    github_fake.fail("GET", r"/issues$", "secondary", times=2, retry_after=None)
    t.find(["x"])
    assert waits(t) == [60.0, 120.0]


def test_a_primary_limit_waits_until_reset(make, github_fake):
    t = make()
    github_fake.fail("GET", r"/issues$", "primary", reset_in=30)
    t.find(["x"])
    [(reason, wait)] = t.waits
    assert "rate limit reset" in reason and 29 <= wait <= 32


def test_429_with_retry_after(make, github_fake):
    t = make()
    github_fake.fail("GET", r"/issues$", "429", retry_after=3)
    t.find(["x"])
    assert waits(t) == [3.0]


def test_a_timeout_is_retried(make, github_fake):
    t = make()
    github_fake.fail("GET", r"/issues$", "timeout", delay=2.5)
    assert t.find(["x"]) is None
    assert [r for r, _ in t.waits] == ["GET /repos/acme/shop/issues: timeout"]


def test_bounded_tries_then_a_clear_error(make, github_fake):
    t = make()
    github_fake.fail("GET", r"/issues$", "500", times=10)
    with pytest.raises(TrackerError, match=r"gave up after 5 tries \(last: 500 Server Error\); re-run later"):
        t.find(["x"])
    assert waits(t) == [2.0, 4.0, 8.0, 16.0]


def test_a_limit_that_resets_too_late_is_an_error_at_once(make, github_fake):
    t = make(retry=RetryPolicy(max_wait=600))
    github_fake.fail("GET", r"/issues$", "primary", reset_in=3000)
    with pytest.raises(TrackerError, match="rate limited for 50 more minutes; re-run later"):
        t.find(["x"])
    assert t.waits == []


def test_a_create_that_failed_but_landed_is_not_repeated(make, github_fake):
    t = make()
    t.find([])  # settle the run's listing first
    github_fake.fail("POST", r"/issues$", "500-after-write")
    issue = t.create("GCP-new | P1 | A", body_for("pa"), ["P1"], ["pa"])
    assert issue.number == 1 and len(github_fake.issues()) == 1
    assert github_fake.count("POST", r"/issues$") == 1


def test_a_create_that_failed_and_did_not_land_is_retried(make, github_fake):
    t = make()
    github_fake.fail("POST", r"/issues$", "500")
    t.create("GCP-new | P1 | A", body_for("pa"), ["P1"], ["pa"])
    assert len(github_fake.issues()) == 1 and github_fake.count("POST", r"/issues$") == 2


def test_a_comment_that_timed_out_but_landed_is_not_posted_twice(make, github_fake):
    t = make()
    issue = t.create("GCP-new | P1 | A", body_for("pa"), [], ["pa"])
    github_fake.fail("POST", r"/comments$", "timeout", delay=2.5, apply=True)
    t.comment(issue, body_for("pa", "news"))
    assert len(github_fake.comments(1)) == 1


def test_errors_that_retrying_cannot_fix_are_clear(make, github_fake, tmp_path):
    with pytest.raises(TrackerError, match="no GitHub token: set GITHUB_TOKEN"):
        from_env("acme/shop", tmp_path / "a.db", github_fake.base_url, env={})
    with pytest.raises(TrackerError, match=r"401 Bad credentials.*GITHUB_TOKEN or GH_TOKEN"):
        from_env("acme/shop", tmp_path / "b.db", github_fake.base_url, env={"GH_TOKEN": "wrong"})
    with pytest.raises(TrackerError, match=r"repository acme/nope not found .* check --repo"):
        from_env("acme/nope", tmp_path / "c.db", github_fake.base_url, env={"GITHUB_TOKEN": "test-token"})
    with pytest.raises(TrackerError, match="is not OWNER/NAME"):
        from_env("just-a-name", tmp_path / "d.db", env={"GITHUB_TOKEN": "x"})
    github_fake.forbidden = True
    with pytest.raises(TrackerError, match=r"may not access acme/shop .*Issues read and write"):
        from_env("acme/shop", tmp_path / "e.db", github_fake.base_url, env={"GITHUB_TOKEN": "test-token"})
    github_fake.forbidden = False
    github_fake.has_issues = False
    with pytest.raises(TrackerError, match="issues are disabled on acme/shop"):
        from_env("acme/shop", tmp_path / "f.db", github_fake.base_url, env={"GITHUB_TOKEN": "test-token"})
    with pytest.raises(TrackerError, match=r"cannot reach GitHub at http://127\.0\.0\.1:1/api/v3"):
        GitHubTracker("acme/shop", "t", tmp_path / "g.db", "http://127.0.0.1:1/api/v3", sleep=lambda s: None)
    github_fake.has_issues = True
    t = from_env("acme/shop", tmp_path / "h.db", env={"GH_TOKEN": "test-token", "GITHUB_API_URL": github_fake.base_url},
                 seconds_between_requests=0, seconds_between_writes=0)
    assert t.base_url == github_fake.base_url
    t.shutdown()


def test_base_urls():
    assert normalise_base_url(None) == "https://api.github.com"
    assert normalise_base_url("https://github.com/") == "https://api.github.com"
    assert normalise_base_url("https://ghe.example.com") == "https://ghe.example.com/api/v3"
    assert normalise_base_url("https://ghe.example.com/api/v3/") == "https://ghe.example.com/api/v3"


def test_a_state_file_serves_one_tracker(make, tmp_path):
    local = LocalTracker(tmp_path / "local.db")
    local.create("t", "b", [], ["k"])
    local.shutdown()
    with pytest.raises(TrackerError, match="holds the local tracker's issues; use another --state"):
        make("local.db")
    make("gh.db").shutdown()
    with sqlite3.connect(tmp_path / "gh.db") as db:
        db.execute("UPDATE github_meta SET value = 'github.com/other/repo' WHERE key = 'repo'")
    with pytest.raises(TrackerError, match=r"belongs to github\.com/other/repo"):
        make("gh.db")


# --- kills and re-runs ------------------------------------------------------------------------

def kill_on(t, kind, calls=1):
    """Make the tracker die right after GitHub accepted a write of this kind, before it is recorded."""
    real = t._complete_intent
    state = {"left": calls}

    def complete(intent_id, issue_number=None, status="done"):
        (k,) = t.local.db.execute("SELECT kind FROM github_intents WHERE id = ?", (intent_id,)).fetchone()
        if k == kind and status == "done":
            state["left"] -= 1
            if state["left"] == 0:
                raise Kill()
        return real(intent_id, issue_number, status)

    t._complete_intent = complete


def test_a_kill_between_creating_an_issue_and_recording_it_files_no_duplicate(make, github_fake):
    t = make()
    kill_on(t, "create")
    with pytest.raises(Kill):
        garden(crash_loop(3), t)
    assert len(github_fake.issues()) == 1
    pending = t.local.db.execute("SELECT count(*) FROM github_intents WHERE status = 'pending'").fetchone()[0]
    assert pending == 1
    t.shutdown()
    actions = garden(crash_loop(3), make())  # the re-run
    assert kinds(actions).count("create") == 1  # the problem the killed run did not reach
    assert len(github_fake.issues()) == 2
    assert len({markers_of(i["body"])[0] for i in github_fake.issues()}) == 2
    # the issue the killed run filed shows this evidence already: no comment repeats it
    assert kinds(actions).count("comment") == 0
    assert [c[:300] for i in github_fake.issues() for c in github_fake.comments(i["number"])] == []


def test_evidence_an_issue_shows_is_read_back_when_the_state_lost_it(make, github_fake, tmp_path):
    garden(crash_loop(3), make("first.db"))
    actions = garden(crash_loop(3), make("fresh.db"))  # another machine, no state: the same logs
    assert set(kinds(actions)) == {"unchanged"} or kinds(actions).count("comment") == 0
    assert all(github_fake.comments(i["number"]) == [] for i in github_fake.issues())
    later = crash_loop(3, start=600, first_instance=20)
    actions = garden(later, make("fresh.db"))
    assert kinds(actions).count("comment") >= 1  # new evidence still reported


def test_a_kill_between_creating_an_unlabelled_issue_and_recording_it_files_no_duplicate(make, github_fake):
    github_fake.push_access = False  # the labels are dropped: the label listing cannot see the issue
    t = make()
    kill_on(t, "create")
    with pytest.raises(Kill):
        garden(crash_loop(3), t)
    t.shutdown()
    garden(crash_loop(3), make())
    assert len(github_fake.issues()) == 2


def test_a_kill_after_a_comment_was_posted_but_not_recorded_posts_no_duplicate(make, github_fake):
    garden(crash_loop(3), make())
    later = crash_loop(3, start=600, first_instance=20)
    t = make()
    kill_on(t, "comment")
    with pytest.raises(Kill):
        garden(later, t)
    counts = {i["number"]: len(github_fake.comments(i["number"])) for i in github_fake.issues()}
    assert sorted(counts.values()) == [0, 1]
    t.shutdown()
    actions = garden(later, make())  # the re-run
    assert kinds(actions).count("comment") == 2
    after = {i["number"]: len(github_fake.comments(i["number"])) for i in github_fake.issues()}
    assert sorted(after.values()) == [1, 1]  # the posted one not again, the missing one posted


def test_a_comment_that_never_left_is_posted_by_the_rerun(make, github_fake):
    garden(crash_loop(3), make())
    later = crash_loop(3, start=600, first_instance=20)
    github_fake.fail("POST", r"/comments$", "500", times=5)
    with pytest.raises(TrackerError, match="gave up after 5 tries"):
        garden(later, make())
    assert sum(len(github_fake.comments(i["number"])) for i in github_fake.issues()) == 0
    garden(later, make())
    assert sorted(len(github_fake.comments(i["number"])) for i in github_fake.issues()) == [1, 1]


# --- labels without push access ---------------------------------------------------------------

def test_labels_dropped_on_create_are_put_back(make, github_fake):
    github_fake.drop_labels_on_create = True
    t = make()
    t.create("GCP-new | P1 | A", body_for("pa"), ["P1", "log-gardener"], ["pa"])
    assert {lb["name"] for lb in github_fake.issue(1)["labels"]} == {"P1", "log-gardener"}
    assert github_fake.count("PUT", r"/issues/1/labels$") == 1 and t.warnings == []


def test_labels_dropped_without_push_access_are_reported_and_issues_still_found(make, github_fake):
    github_fake.push_access = False
    t = make()
    garden(crash_loop(2), t)
    assert all(i["labels"] == [] for i in github_fake.issues())
    assert any("dropped the labels" in w and "push (write) access" in w for w in t.warnings)
    assert any("cannot create labels" in w for w in t.warnings)
    again = garden(crash_loop(2), make("fresh.db"))  # no cache: found through the creator listing
    assert kinds(again).count("create") == 0 and len(github_fake.issues()) == 2
    assert any(r.query.get("creator") == "gardener-bot" for r in github_fake.requests)


# --- sizes ------------------------------------------------------------------------------------

def test_bodies_and_titles_stay_under_githubs_limits(make, github_fake):
    t = make()
    huge = body_for("pbig") + "```\n" + ("x" * 120 + "\n") * 1200 + "```\n"
    keys = ["pbig", *(f"s{n:012x}" for n in range(500))]
    issue = t.create("GCP-new | P1 | " + "very long title " * 40, huge, [], keys)
    remote = github_fake.issue(issue.number)
    assert len(remote["title"]) <= TITLE_LIMIT and len(remote["body"]) <= BODY_LIMIT
    assert "…(trimmed to fit GitHub's size limit)" in remote["body"]
    assert remote["body"].count("```") % 2 == 0  # the cut code block is closed
    assert markers_of(remote["body"])[0] == "pbig"
    t.comment(issue, huge)
    [comment] = github_fake.comments(issue.number)
    assert len(comment) <= BODY_LIMIT and "log-gardener:comment=" in comment.splitlines()[-1]
    assert all(r.status != 422 for r in github_fake.requests)


def test_fit_body_keeps_the_suffix_and_closes_a_long_fence():
    text = "head\n`````json\n" + "y" * 70_000
    out = fit_body(text, "\n<!-- marker -->")
    assert len(out) <= BODY_LIMIT and out.endswith("\n<!-- marker -->") and "\n`````\n" in out


# --- dry run ----------------------------------------------------------------------------------

def test_dry_run_makes_only_get_requests_and_records_the_plan(make, github_fake, tmp_path):
    t = make(dry_run=True)
    actions = garden(crash_loop(3), t)
    assert kinds(actions).count("create") == 2
    assert github_fake.writes() == [] and github_fake.issues() == []
    planned = [(c["method"], c["path"]) for c in t.planned_calls]
    assert planned.count(("POST", "/repos/acme/shop/issues")) == 2
    assert ("POST", "/repos/acme/shop/labels") in planned
    assert any("create issue 'GCP-new | P0 | ModuleNotFoundError" in c["summary"] for c in t.planned_calls)
    t.shutdown()
    with sqlite3.connect(tmp_path / "garden.db") as db:
        assert db.execute("SELECT count(*) FROM issues").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM github_intents").fetchone()[0] == 0


# --- consequences, resolution -----------------------------------------------------------------

def test_a_consequence_with_an_issue_of_its_own_is_linked_to_its_cause(make, github_fake):
    t = make()
    effect = t.create("GCP-new | P2 | Container exits", body_for("peffect"), [], ["peffect"])
    cause = t.create("GCP-new | P0 | Module missing", body_for("pcause"), [], ["pcause"])
    t.link_keys(cause, ["peffect", "snew"])
    assert github_fake.blocked_by(effect.number) == [cause.number]
    [note] = github_fake.comments(effect.number)
    assert f"consequence of #{cause.number}" in note
    assert "snew" in markers_of(github_fake.issue(cause.number)["body"])[1]
    assert t.find(["snew"]).number == cause.number and t.find(["peffect"]).number == effect.number
    fresh = make("fresh.db")
    assert fresh.find(["snew"]).number == cause.number
    fresh.link_keys(fresh.find(["pcause"]), ["peffect"])  # next run: no second note, the link exists
    assert len(github_fake.comments(effect.number)) == 1


def test_without_the_dependencies_feature_links_still_work(make, github_fake):
    github_fake.dependencies_enabled = False
    t = make()
    effect = t.create("GCP-new | P2 | Container exits", body_for("peffect"), [], ["peffect"])
    cause = t.create("GCP-new | P0 | Module missing", body_for("pcause"), [], ["pcause"])
    t.link_keys(cause, ["peffect"])
    assert github_fake.blocked_by(effect.number) == []
    assert len(github_fake.comments(effect.number)) == 1


def test_resolved_problems_are_closed_on_github(make, github_fake):
    garden([entry("ERROR disk quota exceeded on /data", t=1)], make())
    t = make()
    candidates = []
    for _ in range(3):  # three runs of the service in which it is absent
        with t.transaction():
            candidates = t.mark_absent(["shop-api"], [], 3)
    assert [h.issue_number for h in candidates] == [1]
    with t.transaction():
        gardener.close_resolved(t, candidates, 3)
    assert github_fake.issue(1)["state"] == "closed"
    assert "Not seen for 3 runs in a row" in github_fake.comments(1)[0]


def test_run_summary_and_history_stay_local(make, tmp_path):
    t = make()
    t.record_run({"window": ["2026-03-01T00:00:00Z", "2026-03-01T12:00:00Z"]})
    assert t.last_window_end().isoformat() == "2026-03-01T12:00:00+00:00"
    with sqlite3.connect(tmp_path / "garden.db") as db:
        assert json.loads(db.execute("SELECT summary FROM runs").fetchone()[0])["tracker"] == "github:acme/shop"


def test_an_issue_object_from_elsewhere_is_handled(make, github_fake):
    t = make()
    github_fake.add_issue("by hand", "plain")
    t.comment(Issue(1, "by hand", "open"), "hello @alice")
    assert "@\u200dalice" in github_fake.comments(1)[0]
