"""Neutral output: log content cannot act on a terminal, a Markdown renderer or the tool's markers.

Entries carry attack strings in every place a log controls (message, exception value, frame path,
logger name, service and revision labels) and go through the whole pipeline: the CLI with the local
tracker (issues, worklog, JSON, every terminal command) and with the GitHub tracker against the fake
(what GitHub received). Bodies are parsed with a CommonMark parser (markdown-it, tables on) to see
what a renderer would make of them; GitHub's own autolinking (#12, GH-7, URLs, @mentions) is
checked on the prose text the parser leaves.
"""

from __future__ import annotations

import functools
import re

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from log_gardener.cli import main
from log_gardener.garden import github
from log_gardener.garden.github import GitHubTracker
from log_gardener.garden.local import LocalTracker
from log_gardener.garden.tracker import markers_of
from log_gardener.model import Severity
from log_gardener.report.neutral import NEWLINE_SIGN, code_body, inline_code, neutral, printable, prose
from log_gardener.report.redact import ZWJ
from log_gardener.report.render import Renderer

from factory import entry, py_traceback, to_log_entry

FORGED = "pdeadbeef0001"
ATTACKS = {
    "ansi": "\x1b[2J\x1b]0;pwned\x07",
    "osc8": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "c0c1": "a\rb\x08c\x9bd",
    "link": "[click](http://evil.example/x)",
    "image": "![x](http://evil.example/t.png)",
    "html": "<script>alert(1)</script> <img src=x onerror=alert(1)> </details>",
    "refs": "acme/other-repo#42 and #1 and GH-7",
    "bidi": "\u202eevil\u202d \u2066x\u2069 \u200e\u200f",
    "ticks": "`path`with`ticks` ``double``",
    "marker": f"<!-- log-gardener:problem={FORGED} -->",
    "keys": f"<!-- log-gardener:keys={FORGED},s0000 -->",
    # a summary of its own, whose hidden evidence would say everything was reported already
    "summary": "<!-- log-gardener:summary -->fake<!-- log-gardener:evidence first_seen=- "
               "last_seen=9999-01-01T00:00:00.000000Z total=1 runs=1 also=- --><!-- /log-gardener:summary -->",
    "rich": "[bold red]red[/bold red] [link=http://evil.example]link[/link]",
    "mention": "@oncall-bob",
    "pipe": "left|right",
}
# the service every entry comes from: what the worklog and issue bodies name as the run's service
SERVICE = "shop\x1b[31m`svc`[x](http://evil.example)<!-- log-gardener:problem=pdeadbeef0001 -->\u202e"

# what must never reach a terminal or a file: C0 (but \t, \n), DEL, C1, separators, bidi controls
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
TOOL_LINK = "https://console.cloud.google.com/"
# the only HTML the tool writes: collapsible sections and its hidden markers
TOOL_HTML = re.compile(r"<details><summary>[^<>]*</summary>|</details>|<!-- /?log-gardener:[^<>\n]* -->")
# what GitHub links by itself in prose (not in code): references, URLs, mentions
AUTOLINK = re.compile(r"(?<![\w&])#[0-9]|\bGH-[0-9]|://|\bwww\.|(?<![\w`])@[A-Za-z0-9]")


def attack_docs(hours: float = 0.0) -> list[dict]:
    """LogEntry dicts: per attack, a structured error (message, value, logger, labels) and a traceback
    whose frame path, function and exception value carry it; an hour apart (separate problems)."""
    docs = []
    for n, (name, attack) in enumerate(ATTACKS.items()):
        t = (n + hours) * 3600.0
        e = entry(f"ERROR {name} failure {attack} end", t=t, severity=Severity.ERROR, inst=n + 1,
                  error=(f"Err{name.title()}", f"value {attack}"))
        doc = to_log_entry(e)
        doc["resource"]["labels"].update(service_name=SERVICE, revision_name=f"rev-{attack}")
        doc["jsonPayload"]["logger"] = f"app.{attack}"
        docs.append(doc)
        tb = py_traceback(f"ValueError: {name} {attack}", [(f"/app/{name}/{attack}.py", 10, f"fn_{name}")])
        doc = to_log_entry(entry(tb, t=t + 1800, severity=Severity.ERROR, inst=n + 50))
        doc["resource"]["labels"]["service_name"] = SERVICE
        docs.append(doc)
    return docs


def write(path, docs) -> str:
    path.write_bytes(b"".join(orjson.dumps(d) + b"\n" for d in docs))
    return str(path)


def tokens(text: str):
    def walk(ts):
        for t in ts:
            yield t
            if t.children:
                yield from walk(t.children)

    return list(walk(MD.parse(text)))


def prose_text(text: str) -> str:
    """What a renderer shows as prose (code, links' targets and HTML left out)."""
    return "\n".join(t.content for t in tokens(text) if t.type == "text")


def assert_inert(text: str, where: str) -> None:
    """Markdown in which nothing but the tool's own markup is markup."""
    assert not CONTROL.search(text), (where, CONTROL.findall(text))
    ts = tokens(text)
    for t in ts:
        if t.type in ("html_block", "html_inline"):
            for line in filter(None, (x.strip() for x in t.content.splitlines())):
                assert TOOL_HTML.fullmatch(line), (where, line)
        assert t.type != "image", (where, t.attrGet("src"))
        if t.type == "link_open":
            assert str(t.attrGet("href")).startswith(TOOL_LINK), (where, t.attrGet("href"))
    assert "<!--" not in prose_text(text), where  # a marker's opener is never text that could become one


def assert_no_autolinks(text: str, where: str) -> None:
    text = re.sub(r"(?m)^- #[0-9]+ ", "- ", text)  # the tool's own references ("possibly related issues")
    found = AUTOLINK.findall(prose_text(text))
    assert not found, (where, found)


def assert_one_marker(body: str, problem: str, where: str) -> None:
    # every hidden marker is the tool's: one of each kind, each on a line of its own
    kinds = re.findall(r"<!-- (/?log-gardener:[a-z]+)", body)
    assert len(kinds) == len(set(kinds)) and "log-gardener:problem" in kinds, (where, kinds)
    assert len(kinds) == len(re.findall(r"(?m)^<!-- /?log-gardener:[^\n]* -->$", body)), where
    assert body.startswith(f"<!-- log-gardener:problem={problem} -->\n"), where
    assert FORGED not in " ".join(markers_of(body)[1]) and markers_of(body)[0] == problem, where


def assert_title(title: str) -> None:
    assert "\n" not in title and not CONTROL.search(title) and "<!--" not in title, repr(title)
    assert len(title) <= 256


def assert_terminal(output: str, where: str) -> None:
    assert not CONTROL.search(output), (where, CONTROL.findall(output)[:5])


def problem_of(doc: dict) -> dict[str, str]:
    """Issue ref (#N) -> the problem it was filed for, from the run's JSON."""
    return {p["issue"]["ref"]: p["id"] for p in doc["problems"] if p["issue"]["action"] == "create"}


# --- the helpers ---------------------------------------------------------------------------------

@settings(max_examples=400, deadline=None)
@given(st.text() | st.text(alphabet=st.sampled_from("<!-\x1b\r\n\u202e\u200d ab")))
@example(f"x {ATTACKS['marker']} {ATTACKS['osc8']} {ATTACKS['bidi']} \r\n")
def test_neutral_is_idempotent_and_leaves_nothing_that_acts(text):
    once = neutral(text)
    assert neutral(once) == once and printable(once) == once
    assert not CONTROL.search(once) and "<!--" not in once and "\r" not in once
    # nothing silently dropped but bidi controls: every control character is shown
    assert once.count("\n") == text.replace("\r\n", "\n").count("\n")


def test_controls_are_shown_escaped_bidi_removed():
    assert neutral("a\x1b[2Jb\x07\x9b\r\x7f\u2028") == "a\\x1b[2Jb\\x07\\x9b\\x0d\\x7f\\u2028"
    assert neutral("line\r\nnext\ttab") == "line\nnext\ttab"
    assert neutral("\u202eevil\u202c \u2066x\u2069\u200e") == "evil x"
    assert neutral(ATTACKS["marker"]) == f"<!{ZWJ}-- log-gardener:problem={FORGED} -->"


def _code_spans(markdown: str) -> list[str]:
    return [t.content for t in tokens(markdown) if t.type == "code_inline"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("`` ab\n\t\\*[]<>|#")) | st.text())
def test_inline_code_cannot_close_early(text):
    code = inline_code(text)
    ticks = len(code) - len(code.lstrip("`"))
    inner = code[ticks:-ticks]
    # no run of exactly the delimiter's length inside: the span cannot close before its end
    assert ticks not in {len(run) for run in re.findall("`+", inner)}
    assert "\n" not in code
    # a CommonMark parser sees one code span holding the (neutral) text, in a line and in a table cell
    expected = neutral(text).replace("\n", NEWLINE_SIGN) or " "
    assert _code_spans(f"x {code} y") == [expected]
    children = [t.type for t in tokens(f"x {code} y") if t.type not in ("paragraph_open", "paragraph_close",
                                                                         "inline")]
    assert children == ["text", "code_inline", "text"]
    # other code writes the single backticks around code_body
    assert f"`{code_body(text)}`" == code


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab #1GH-:/w.@`*_[]()!<>&|~$\\\n")) | st.text())
def test_prose_renders_as_the_text_and_nothing_else(text):
    md = prose(text)
    ts = [t for t in tokens(f"x {md} y") if t.type not in ("paragraph_open", "paragraph_close", "inline")]
    assert {t.type for t in ts} <= {"text"}, [(t.type, t.content) for t in ts]
    shown = "".join(t.content for t in ts)
    assert shown.replace(ZWJ, "") == f"x {neutral(text).replace(chr(10), NEWLINE_SIGN)} y".replace(ZWJ, "")
    assert not AUTOLINK.search(shown)


def test_prose_in_a_table_cell_keeps_the_table():
    cell = prose("a|b \\| c")  # a pipe, and a backslash before one
    row = f"| {cell} | 2 |"
    ts = tokens(f"| x | y |\n|---|---|\n{row}\n")
    assert [t.type for t in ts].count("td_open") == 2
    assert [t.content for t in ts if t.type == "text"][-2:] == ["a|b \\| c", "2"]


def test_the_renderer_masks_before_it_escapes():
    # an escape in the middle of a secret's shape would hide it from the last pass over the whole text
    token = "ghp_" + "R4nd0mT0k3nV4lu3F0rT3st1ngOnly0001"
    shown = Renderer({}).md(f"sync failed with {token}")
    assert token not in shown.replace("\\", "") and "REDACTED github token" in shown


def test_a_forged_marker_in_a_body_is_not_read():
    body = f"<!-- log-gardener:problem=p1 -->\n## {prose(ATTACKS['marker'])}\n```\n{neutral(ATTACKS['keys'])}\n```\n"
    assert markers_of(body) == ("p1", ["p1"])


# --- end to end: local tracker, terminal commands ------------------------------------------------

@pytest.fixture
def local_run(tmp_path):
    path = write(tmp_path / "export.jsonl", attack_docs())
    state, worklog, out = tmp_path / "g.db", tmp_path / "w.md", tmp_path / "run.json"
    result = CliRunner().invoke(main, ["run", "-i", path, "--state", str(state), "--worklog", str(worklog),
                                       "--json", str(out), "--max-new-issues", "100"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return path, state, worklog, out, result


def test_local_issues_titles_and_bodies_are_inert(local_run):
    _, state, _, out, _ = local_run
    doc = orjson.loads(out.read_bytes())
    filed = problem_of(doc)
    tracker = LocalTracker(state)
    try:
        issues = [tracker.get(i.number) for i in tracker.list()]
        assert tracker.find([FORGED]) is None
    finally:
        tracker.shutdown()
    assert len(issues) == len(filed) >= 2 * len(ATTACKS) - 4  # (some attacks are one problem: fine)
    bodies = "\n".join(i.body for i in issues)
    for issue in issues:
        assert_title(issue.title)
        assert_inert(issue.body, f"#{issue.number}")
        assert_no_autolinks(issue.body, f"#{issue.number}")
        assert_one_marker(issue.body, filed[f"#{issue.number}"], f"#{issue.number}")
    # the content is still there, shown: escaped controls, text that would have been markup
    assert "\\x1b[2J" in bodies and "\\x9b" in bodies
    shown = prose_text(bodies)
    assert "[click](http:" in shown and "<script>alert(1)</script>" in shown and "other-repo#" + ZWJ + "42" in shown
    assert "@" + ZWJ + "oncall-bob" in shown
    assert any("`path`with`ticks`" in c for c in _code_spans(bodies))
    assert any(SERVICE.replace("\x1b", "\\x1b").replace("\u202e", "").replace("<!--", "<!" + ZWJ + "--") == c
               for c in _code_spans(bodies))  # the run's service: one code span


def test_the_worklog_and_the_json_are_inert(local_run):
    _, _, worklog, out, _ = local_run
    text = worklog.read_text()
    assert_inert(text, "worklog")
    shown = prose_text(text)
    for live in ("other-repo#42", "and #1 and", "GH-7", "http://evil", "@oncall-bob"):
        assert live not in shown, live
    doc = orjson.loads(out.read_bytes())
    rows = [t for t in tokens(text) if t.type == "tr_open"]
    cells = [t for t in tokens(text) if t.type == "td_open"]
    assert len(rows) == len(doc["problems"]) + 1 and len(cells) == 6 * len(doc["problems"])  # "|" split no row
    # the summary sentences quote titles as prose, components as one code span each
    actions = text.split("## Immediate Actions Required", 1)[1].split("## Technical Details", 1)[0]
    assert "`path`with`ticks`" in " ".join(_code_spans(actions))
    raw = out.read_bytes()
    assert not re.search(rb"[\x00-\x08\x0b-\x1f\x7f]", raw)

    def strings(value):
        if isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
        elif isinstance(value, str):
            yield value

    # every string is neutral: the problems' facts and the run's own fields (service, rejects) alike
    assert not [s for s in strings(doc) if CONTROL.search(s) or "<!--" in s]
    assert "\\u001b" not in raw.decode() and any("\\x1b[2J" in s for s in strings(doc["problems"]))


def test_every_terminal_output_is_printable(local_run, tmp_path):
    path, state, _, out, result = local_run
    runner = CliRunner()
    outputs = {"run": result.output}
    dry = runner.invoke(main, ["run", "-i", path, "--dry-run", "--state", str(tmp_path / "none.db"),
                               "--max-new-issues", "100"], env={"COLUMNS": "400"})
    assert dry.exit_code == 0 and "would create issue" in dry.output
    outputs["run --dry-run"] = dry.output
    listed = runner.invoke(main, ["issues", "list", "--state", str(state)])
    assert listed.exit_code == 0
    outputs["issues list"] = listed.output
    doc = orjson.loads(out.read_bytes())
    for ref in problem_of(doc):
        shown = runner.invoke(main, ["issues", "show", ref[1:], "--state", str(state)])
        assert shown.exit_code == 0
        outputs[f"issues show {ref}"] = shown.output
    ids = [p["id"] for p in doc["problems"]]
    for pid in ids:
        explained = runner.invoke(main, ["explain", pid, "-i", path, "--state", str(state)])
        assert explained.exit_code == 0, explained.output
        outputs[f"explain {pid}"] = explained.output
    from_state = runner.invoke(main, ["explain", "#1", "--state", str(state)])
    assert from_state.exit_code == 0
    outputs["explain #1"] = from_state.output
    for where, text in outputs.items():
        assert_terminal(text, where)
    everything = "\n".join(outputs.values())
    assert "\\x1b" in everything and "\\x9b" in everything  # shown, not dropped
    # rich markup in a title is shown as written: never a style or an OSC 8 hyperlink
    assert "[bold red]red[/bold red]" in outputs["run"] and "[link=http://evil.example]" in outputs["run"]
    assert "[bold red]red[/bold red]" in outputs["run --dry-run"]


def test_what_the_tracker_held_before_is_printable_too(tmp_path):
    # filed before titles were neutral, or edited by a person: the terminal commands still show it escaped
    tracker = LocalTracker(tmp_path / "g.db")
    try:
        tracker.create(f"old {ATTACKS['ansi']} {ATTACKS['bidi']}",
                       f"<!-- log-gardener:problem=p1 -->\n{ATTACKS['osc8']}", ["log-gardener"], ["p1"])
    finally:
        tracker.shutdown()
    runner = CliRunner()
    for args in (["issues", "list"], ["issues", "show", "1"], ["explain", "#1"]):
        result = runner.invoke(main, [*args, "--state", str(tmp_path / "g.db")])
        assert result.exit_code == 0, result.output
        assert_terminal(result.output, args[1])
        assert "\\x1b" in result.output


# --- end to end: GitHub ---------------------------------------------------------------------------

def test_github_receives_inert_titles_bodies_and_comments(github_fake, monkeypatch, tmp_path):
    monkeypatch.setenv("GITHUB_TOKEN", github_fake.token)
    monkeypatch.setattr(github, "from_env", functools.partial(github.from_env, sleep=lambda _s: None,
                                                              seconds_between_requests=0, seconds_between_writes=0))
    # a person's issue that the search finds: its title is listed in a body ("possibly related")
    github_fake.add_issue(f"pipe left|right again {ATTACKS['html']} {ATTACKS['link']} {ATTACKS['refs']} "
                          f"{ATTACKS['mention']} {ATTACKS['marker']} {ATTACKS['ansi']}{ATTACKS['bidi']}",
                          "seen after the deploy")
    docs = attack_docs()
    runs = []
    for n, batch in enumerate((docs, docs + attack_docs(hours=0.25))):  # the second run comments
        out = tmp_path / f"out{n}.json"
        result = CliRunner().invoke(main, [
            "run", "-i", write(tmp_path / f"in{n}.jsonl", batch), "--tracker", "github", "--repo", github_fake.repo,
            "--github-url", github_fake.base_url, "--state", str(tmp_path / "gh.db"), "--worklog",
            str(tmp_path / f"w{n}.md"), "--json", str(out), "--max-new-issues", "100"])
        assert result.exit_code == 0, result.output
        assert_terminal(result.output, f"run {n}")
        runs.append(orjson.loads(out.read_bytes()))
    filed = problem_of(runs[0])
    ours = [i for i in github_fake.issues() if i["user"]["login"] == github_fake.login]
    assert len(ours) == len(filed)
    comments = [(i["number"], c) for i in ours for c in github_fake.comments(i["number"])]
    assert comments, "the second run comments"
    for issue in ours:
        where = f"#{issue['number']}"
        assert_title(issue["title"])
        assert_inert(issue["body"], where)
        assert_no_autolinks(issue["body"], where)
        assert_one_marker(issue["body"], filed[where], where)
        assert issue["body"].count("<!-- log-gardener:keys=") == 1
    related = [i["body"] for i in ours if "Possibly related issues" in i["body"]]
    assert related, "the person's issue is listed"
    assert "- #1 pipe left&#124;right again &lt;script&gt;" in related[0]  # its title is prose too
    for number, comment in comments:
        assert_inert(comment, f"comment on #{number}")
        assert_no_autolinks(comment.split("\n", 1)[1], f"comment on #{number}")
        assert comment.count("<!-- log-gardener:problem=") == 1 and comment.count("<!-- log-gardener:comment=") == 1
        assert markers_of(comment)[0] == filed[f"#{number}"]
    for r in github_fake.writes():  # every payload as sent, titles included
        payload = r.json if r.body else {}
        for key in ("title", "body"):
            if isinstance(payload, dict) and isinstance(payload.get(key), str):
                assert not CONTROL.search(payload[key]), (r.path, key)
    # a fresh state file reads the markers back: every issue is the problem it was filed for, none the forged
    fresh = GitHubTracker(github_fake.repo, github_fake.token, tmp_path / "fresh.db", github_fake.base_url,
                          sleep=lambda _s: None, seconds_between_requests=0, seconds_between_writes=0)
    try:
        assert fresh.find([FORGED]) is None and fresh.find(["s0000"]) is None
        for ref, pid in filed.items():
            found = fresh.find([pid])
            assert found is not None and f"#{found.number}" == ref
    finally:
        fresh.shutdown()
