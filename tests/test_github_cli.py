"""`log-gardener run --tracker github` end to end: the real PyGithub client against the local fake."""

from __future__ import annotations

import functools

import orjson
import pytest
from click.testing import CliRunner

from log_gardener.cli import main
from log_gardener.garden import github

from factory import crash_loop, write_jsonl

IN_ORDER = ["gcp_backend_logs_1hour_20250915_130325.json", "gcp_backend_logs_last_1hour_20250915_143747.json",
            "gcp_logs_last_hour_20250915_175001.json"]


@pytest.fixture
def gh(github_fake, monkeypatch, tmp_path):
    """The CLI's GitHub tracker, against the fake, without the pacing between writes."""
    monkeypatch.setenv("GITHUB_TOKEN", github_fake.token)
    real = github.from_env
    monkeypatch.setattr(github, "from_env", functools.partial(real, sleep=lambda _s: None,
                                                              seconds_between_requests=0, seconds_between_writes=0))

    def run(path, *extra, name="out"):
        out = tmp_path / f"{name}.json"
        result = CliRunner().invoke(main, ["run", "-i", str(path), "--tracker", "github", "--repo", github_fake.repo,
                                           "--github-url", github_fake.base_url, "--state", str(tmp_path / "gh.db"),
                                           "--worklog", str(tmp_path / f"{name}.md"), "--json", str(out), *extra])
        assert result.exit_code == 0, result.output
        return orjson.loads(out.read_bytes()), result.output

    return github_fake, run


def test_three_netra_files_in_order_then_a_rerun_that_writes_nothing(gh, netra):
    fake, run = gh
    created = []
    for n, name in enumerate(IN_ORDER):
        doc, _ = run(netra / name, name=f"r{n}")
        created.append([p["issue"]["ref"] for p in doc["problems"] if p["issue"]["action"] == "create"])
    issues = fake.issues()
    titles = [i["title"] for i in issues]
    assert len(titles) == len(set(titles)) == sum(len(c) for c in created)  # one issue per problem, no duplicate
    assert any(t.startswith("GCP-new | P0 | ModuleNotFoundError") for t in titles)
    assert all("<!-- log-gardener:problem=" in i["body"] for i in issues)
    assert all("log-gardener" in [lb["name"] for lb in i["labels"]] for i in issues)
    db = next(i for i in issues if "Database initialization timeout" in i["title"])
    assert len(fake.comments(db["number"])) == 1  # the 14:37 window's evidence, one comment
    writes_before = len(fake.writes())
    doc, output = run(netra / IN_ORDER[-1], name="again")
    assert {p["issue"]["action"] for p in doc["problems"]} == {"unchanged"}
    assert len(fake.writes()) == writes_before, [w.path for w in fake.writes()[writes_before:]]
    assert "nothing new" in output


def test_dry_run_prints_every_call_and_writes_nothing(gh, tmp_path):
    fake, run = gh
    path = write_jsonl(tmp_path / "a.jsonl", crash_loop(3))
    doc, output = run(path, "--dry-run")
    assert "would POST" in output and "/issues" in output
    assert fake.writes() == [] and fake.issues() == []
    assert "#-" not in output and {p["issue"]["ref"] for p in doc["problems"] if p["issue"]["action"] == "create"} \
        == {"new"}  # an issue it would create is "new", not a made-up number
    assert not (tmp_path / "gh.db").exists()


def test_back_to_back_runs_with_a_lagging_search_index_file_once(gh, tmp_path):
    fake, run = gh
    fake.search_lag_seconds = 3600.0  # nothing written becomes searchable during the test
    path = write_jsonl(tmp_path / "a.jsonl", crash_loop(3))
    run(path, name="one")
    run(write_jsonl(tmp_path / "b.jsonl", crash_loop(3, start=600, first_instance=10)), name="two")
    titles = [i["title"] for i in fake.issues()]
    assert len(titles) == len(set(titles)) == 2  # the crash loop and the SDK warning


def test_github_errors_are_one_line(github_fake, tmp_path, monkeypatch):
    path = write_jsonl(tmp_path / "a.jsonl", crash_loop(1))
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["run", "-i", str(path), "--tracker", "github", "--repo", github_fake.repo,
                                       "--github-url", github_fake.base_url, "--state", str(tmp_path / "g.db")])
    assert result.exit_code == 2 and "GITHUB_TOKEN" in result.output
    assert len(result.output.strip().splitlines()) == 1
    no_repo = CliRunner().invoke(main, ["run", "-i", str(path), "--tracker", "github"])
    assert no_repo.exit_code == 2 and "--repo OWNER/NAME" in no_repo.output


def _close_as_not_planned(fake, number: int) -> None:
    """What a maintainer does in GitHub's UI: "Close as not planned"."""
    import urllib.request

    req = urllib.request.Request(f"{fake.base_url}/repos/{fake.repo}/issues/{number}", method="PATCH",
                                 data=orjson.dumps({"state": "closed", "state_reason": "not_planned"}),
                                 headers={"Authorization": f"token {fake.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as resp:
        assert resp.status == 200


def _filed_crash_loop(run, tmp_path):
    """A first run on a crash loop: its P0 problem and that problem's issue number."""
    doc, _ = run(write_jsonl(tmp_path / "a.jsonl", crash_loop(3)), name="a")
    root = next(p for p in doc["problems"] if p["priority"] == "P0")
    return root, int(root["issue"]["ref"].lstrip("#"))


def test_an_issue_closed_as_not_planned_is_muted_not_reopened(gh, tmp_path):
    fake, run = gh
    root, number = _filed_crash_loop(run, tmp_path)
    _close_as_not_planned(fake, number)
    comments_before = len(fake.comments(number))
    later = write_jsonl(tmp_path / "b.jsonl", crash_loop(3) + crash_loop(3, start=3600, first_instance=10))
    doc, _ = run(later, name="b")
    again = next(p for p in doc["problems"] if p["id"] == root["id"])
    assert again["issue"]["action"] == "muted"
    issue = next(i for i in fake.issues() if i["number"] == number)
    assert issue["state"] == "closed" and issue["state_reason"] == "not_planned"  # not reopened
    assert len(fake.comments(number)) == comments_before  # no evidence posted
    assert "muted: " in (tmp_path / "b.md").read_text()


def test_the_living_summary_is_edited_once_per_run_with_news_and_never_without(gh, tmp_path):
    fake, run = gh
    root, number = _filed_crash_loop(run, tmp_path)
    body = next(i for i in fake.issues() if i["number"] == number)["body"]
    assert f"**{root['count']} entries** reported over 1 run" in body
    grown = write_jsonl(tmp_path / "b.jsonl", crash_loop(3) + crash_loop(3, start=3600, first_instance=10))
    writes = len(fake.writes())
    run(grown, name="b")
    edits = [w for w in fake.writes()[writes:] if w.method == "PATCH" and w.path.endswith(f"/issues/{number}")
             and "body" in (w.json or {})]
    assert len(edits) == 1  # one edit of the body in this run
    body = next(i for i in fake.issues() if i["number"] == number)["body"]
    assert f"**{2 * root['count']} entries** reported over 2 runs" in body
    assert body.count("<!-- log-gardener:summary -->") == 1
    writes = len(fake.writes())
    run(grown, name="c")  # nothing new
    assert fake.writes()[writes:] == []
