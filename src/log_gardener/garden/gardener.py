"""Gardening: decide, per problem, what the tracker needs (plan), then do it (apply).

The plan is computed from the findings and what the tracker already holds; applying it
is the only step that writes. ``--dry-run`` prints the plan and applies nothing.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from ..analyse.analysis import Finding, History, root_of
from ..group.grouping import GroupState, Problem
from ..limits import LIMITS
from ..model import (
    COMMENT,
    CONSEQUENCE,
    CREATE,
    IGNORED,
    MUTED,
    OVER_CAP,
    REOPEN,
    UNCHANGED,
    Action,
)
from ..report.neutral import one_line
from ..report.redact import Redactor
from .tracker import Issue, ProblemHistory, Tracker

TOOL_LABEL = "log-gardener"
MUTE_LABEL = "log-gardener:ignore"


def muted_by(issue: Issue | None, mute_label: str = MUTE_LABEL) -> str | None:
    """Why the tracker says to leave this problem alone: its issue was closed as not planned, or
    carries the mute label. None when it does not."""
    if issue is None:
        return None
    if issue.state == "closed" and issue.state_reason == "not_planned":
        return f"issue #{issue.number} was closed as not planned"
    if mute_label in issue.labels:
        return f"issue #{issue.number} carries the label {mute_label}"
    return None


def labels_for(finding: Finding) -> list[str]:
    return sorted({TOOL_LABEL, finding.priority, f"category:{finding.category}", *finding.labels})


def _tool_owned(label: str) -> bool:
    return label in ("P0", "P1", "P2", "P3", TOOL_LABEL) or label.startswith("category:")


def refreshed_labels(issue: Issue, finding: Finding) -> list[str]:
    """This run's labels for the problem, plus the labels people added (a changed priority replaces the old one)."""
    return sorted({*labels_for(finding), *(x for x in issue.labels if not _tool_owned(x))})


def issue_title(finding: Finding, status: str, mask: Redactor | None = None) -> str:
    prefix = {"new": "GCP-new", "regression": "GCP-regression"}.get(status, "GCP-active-dev")
    title = (mask or Redactor()).content(finding.title)  # the title quotes the logs
    # plain text on GitHub (no Markdown to escape), but one line, no control or bidi character
    return one_line((mask or Redactor()).publish(f"{prefix} | {finding.priority} | {title}"))[:256]


def _ours(title: str) -> bool:
    """A title this tool wrote (a person's retitling is left alone)."""
    return title.startswith(("GCP-new | ", "GCP-regression | ", "GCP-active-dev | "))


MAX_ALIAS_KEYS = LIMITS.max_alias_keys


def keys_of(finding: Finding | Problem) -> list[str]:
    """Every id that identifies the problem: a later window may mine a template more or less
    general than this one, so the provisional (premasked) ids count too."""
    p = finding.problem if isinstance(finding, Finding) else finding
    return [p.id, *p.signature_ids, *p.all_ids[len(p.signature_ids):][:MAX_ALIAS_KEYS]]


SUMMARY_START, SUMMARY_END = "<!-- log-gardener:summary -->", "<!-- /log-gardener:summary -->"
EVIDENCE = "<!-- log-gardener:evidence first_seen={first} last_seen={last} total={total} runs={runs} also={also} -->"
_EVIDENCE_RE = re.compile(r"<!-- log-gardener:evidence first_seen=(\S+) last_seen=(\S+) total=(\d+) runs=(\d+)"
                          r"(?: also=(\S*))? -->")


def _at(t: datetime | None) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ") if t is not None else "-"


def _parse_at(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text != "-" else None
    except ValueError:
        return None


def evidence_line(first: datetime | None, last: datetime | None, total: int, runs: int,
                  also: dict[str, datetime]) -> str:
    """The evidence an issue shows, hidden in its summary: its problem's, and the newest entry shown of each
    consequence reported on it (``also``). What a state that lost it reads back."""
    shown = ",".join(f"{pid}@{_at(t)}" for pid, t in sorted(also.items()))
    return EVIDENCE.format(first=_at(first), last=_at(last), total=total, runs=runs, also=shown or "-")


def _evidence(body: str | None) -> re.Match[str] | None:
    if not body:
        return None
    start, end = body.find(SUMMARY_START), body.find(SUMMARY_END)
    return _EVIDENCE_RE.search(body, start, end) if 0 <= start < end else None


def _also(m: re.Match[str] | None) -> dict[str, datetime]:
    shown: dict[str, datetime] = {}
    for item in ((m.group(5) or "-") if m else "-").split(","):
        pid, _, at = item.partition("@")
        t = _parse_at(at) if at else None
        if t is not None:
            shown[pid] = t
    return shown


def history_in_body(problem_id: str, issue: Issue | None, consequence: bool = False) -> ProblemHistory | None:
    """The evidence an issue's summary says it shows, when the state does not know it (the run that filed it
    was killed before its state was kept, or the state was lost): so evidence is never posted twice.
    ``consequence``: ``problem_id`` is reported on ``issue`` as a consequence of its problem."""
    m = _evidence(issue.body if issue is not None else None)
    if m is None or issue is None:
        return None
    if consequence:
        last = _also(m).get(problem_id)
        return None if last is None else ProblemHistory(problem_id, None, last, 1, None, None)
    return ProblemHistory(problem_id, _parse_at(m.group(1)), _parse_at(m.group(2)), int(m.group(4)), None,
                          issue.number, total=int(m.group(3)))


def recorded_history(tracker: Tracker, problem_id: str, issue: Issue | None,
                     consequence: bool = False) -> ProblemHistory | None:
    return tracker.history(problem_id) or history_in_body(problem_id, issue, consequence)


def history_of(tracker: Tracker) -> Callable[[Problem], History | None]:
    """What the tracker remembers of a problem, as plain facts for the analysis."""

    def look(problem: Problem) -> History | None:
        h = tracker.history(problem.id)
        for earlier in problem.earlier_ids if h is None else ():  # known by a narrower template before
            h = tracker.history(earlier)
            if h is not None:
                break
        issue = tracker.find(keys_of(problem))
        h = h or history_in_body(problem.id, issue)
        if h is None and issue is None:
            return None
        return History(
            first_seen=h.first_seen if h else None,
            last_seen=h.last_seen if h else None,
            runs_seen=h.runs_seen if h else 0,
            issue_state=issue.state if issue else None,
            issue_ref=f"#{issue.number}" if issue else None,
        )

    return look


def new_entries_since(finding: Finding, times: dict[str, list[float]], watermark: datetime | None) -> int:
    ts = times.get(finding.id, [])
    if watermark is None:
        return finding.problem.count
    return len(ts) - bisect.bisect_right(ts, watermark.timestamp())


def problem_times(findings: list[Finding], state: GroupState) -> dict[str, list[float]]:
    sig_to_problem = {sid: f.id for f in findings for sid in f.problem.all_ids}
    times: dict[str, list[float]] = defaultdict(list)
    for _, ts, sid in state.timeline:
        pid = sig_to_problem.get(sid)
        if pid is not None:
            times[pid].append(ts)
    for lst in times.values():
        lst.sort()
    return times


def plan(findings: list[Finding], state: GroupState, tracker: Tracker, max_new_issues: int,
         mask: Redactor | None = None, mute_label: str = MUTE_LABEL,
         times: dict[str, list[float]] | None = None) -> list[Action]:
    """``times``: ``problem_times(findings, state)``, when the caller has it already."""
    by_id = {f.id: f for f in findings}
    times = problem_times(findings, state) if times is None else times
    actions: dict[str, Action] = {}
    created = 0
    # roots first, so that consequences know what happens to their cause
    ordered = [f for _, f in sorted(enumerate(findings), key=lambda pf: (pf[1].caused_by is not None, pf[0]))]
    for f in ordered:
        issue = tracker.find(keys_of(f))
        if f.caused_by is not None and f.caused_by in by_id:
            # a consequence is reported on its root's issue, even if it had an issue of its own before
            root = root_of(f, by_id)
            cause = actions[root.id]
            history = recorded_history(tracker, f.id, cause.issue, consequence=True)
            fresh = new_entries_since(f, times, history.last_seen if history else None)
            if cause.kind in (OVER_CAP, IGNORED, MUTED):
                kind, why = cause.kind, f"its cause is not filed ({cause.reason})"
            elif fresh == 0:
                kind, why = UNCHANGED, "no new evidence"
            else:
                kind, why = CONSEQUENCE, f"consequence of {root.id}: reported on its issue"
            actions[f.id] = Action(f, kind, f.status, why, fresh, None, cause)
            continue
        history = recorded_history(tracker, f.id, issue)
        watermark = history.last_seen if history else None
        fresh = new_entries_since(f, times, watermark)
        muted = muted_by(issue, mute_label) if not f.unmute else None  # a rule may say it is worse than that
        if f.ignored:
            actions[f.id] = Action(f, IGNORED, f.status, f.ignored, fresh, issue)
        elif muted:  # the tracker's people said so: no reopening, no evidence posted
            actions[f.id] = Action(f, MUTED, f.status, f"muted: {muted}", fresh, issue)
        elif issue is None:
            if created >= max_new_issues:
                actions[f.id] = Action(f, OVER_CAP, f.status,
                                       f"not filed: over the cap of {max_new_issues} new issues per run", fresh)
                continue
            created += 1
            actions[f.id] = Action(f, CREATE, f.status, "no issue carries this problem's id", fresh,
                                   title=issue_title(f, f.status, mask), labels=labels_for(f))
        elif issue.state == "closed":
            if fresh:
                unmuted = f"; it was muted, and rule {f.unmute} reopens it" if muted_by(issue, mute_label) else ""
                actions[f.id] = Action(f, REOPEN, "regression",
                                       f"issue #{issue.number} was closed and the problem is back "
                                       f"({fresh} new entries){unmuted}", fresh, issue, labels=labels_for(f))
            else:
                actions[f.id] = Action(f, UNCHANGED, "resolved", "issue closed, no new evidence", 0, issue)
        elif fresh:
            why = f"{fresh} new entries since the last report"
            if f.status == "regression":
                why = f"regression: {f.status_reason}; {why}"
            actions[f.id] = Action(f, COMMENT, f.status, why, fresh, issue, labels=refreshed_labels(issue, f))
        else:
            since = watermark.astimezone(UTC).isoformat() if watermark else "?"
            actions[f.id] = Action(f, UNCHANGED, f.status, f"no new evidence since {since}", 0, issue)
    for f in findings:
        a = actions[f.id]
        a.history = recorded_history(tracker, f.id, a.issue)
        a.spark = sparkline(times.get(f.id, []))
    return [actions[f.id] for f in findings]


SPARKS = "▁▂▃▄▅▆▇█"
MAX_BUCKETS = 48


def sparkline(times: list[float]) -> str:
    """Entries per hour (or per a few hours, at most 48 columns) from the first to the last, as text."""
    if not times:
        return ""
    first, last = times[0], times[-1]
    hours = max(1, int((last - first) // 3600) + 1)
    width = -(-hours // MAX_BUCKETS)  # hours a column stands for
    counts = [0] * (-(-hours // width))
    for t in times:
        counts[min(len(counts) - 1, int((t - first) // (3600 * width)))] += 1
    top = max(counts)
    bars = "".join(SPARKS[0] if c == 0 else SPARKS[min(7, 1 + (c * 7 - 1) // top)] for c in counts)
    return bars if width == 1 else f"{bars} (per {width} h)"


def summary_block(render: Any, a: Action, total: int, runs: int, consequences: list[Action]) -> str:
    """The living summary of an issue after this run, with the evidence it shows in a hidden line."""
    p, h = a.finding.problem, a.history
    first = min((t for t in (p.first, h.first_seen if h else None) if t is not None), default=None)
    last = max((t for t in (p.last, h.last_seen if h else None) if t is not None), default=None)
    also = _also(_evidence(a.issue.body if a.issue is not None else None))
    for c in consequences:
        if c.finding.problem.last is not None:
            also[c.finding.id] = max(c.finding.problem.last, also.get(c.finding.id, c.finding.problem.last))
    return f"{render.summary(a, total, runs, first, last)}\n{evidence_line(first, last, total, runs, also)}"


def with_summary(body: str, block: str) -> str:
    """The body with its summary block replaced (or put before the first heading)."""
    block = f"{SUMMARY_START}\n{block.strip()}\n{SUMMARY_END}"
    start, end = body.find(SUMMARY_START), body.find(SUMMARY_END)
    if start >= 0 and end > start:
        return body[:start] + block + body[end + len(SUMMARY_END):]
    at = body.find("\n## ")
    return f"{body}\n{block}\n" if at < 0 else f"{body[:at + 1]}{block}\n\n{body[at + 1:]}"


def apply(actions: list[Action], tracker: Tracker, render: Any) -> None:
    """Carry out the plan. ``render`` builds the texts (issue body, comment)."""
    consequences: dict[int, list[Action]] = defaultdict(list)
    for a in actions:
        if a.kind == CONSEQUENCE and a.cause_action is not None:
            consequences[id(a.cause_action)].append(a)
    for a in actions:
        f = a.finding
        cons = consequences.get(id(a), [])
        if a.kind == CREATE:
            body = with_summary(render.issue_body(a, cons), summary_block(render, a, f.problem.count, 1, cons))
            a.issue = tracker.create(a.title or f.title, body, a.labels, keys_of(f))
        news = a.kind in (COMMENT, REOPEN) or (a.kind == UNCHANGED and any(c.new_entries for c in cons))
        if news and a.cause_action is None and a.issue is not None:
            # the living summary at the top of the body: one edit per run, none when nothing changed
            h = a.history
            total = (h.total if h is not None else 0) + a.new_entries
            runs = (h.runs_seen if h is not None else 0) + 1
            body = with_summary(a.issue.body, summary_block(render, a, total, runs, cons))
            if body != a.issue.body:
                tracker.set_body(a.issue, body)
        if a.kind == REOPEN and a.issue is not None:
            tracker.reopen(a.issue)
            tracker.set_title(a.issue, issue_title(f, "regression", render.redactor))
            tracker.comment(a.issue, render.comment(a, consequences.get(id(a), []), reopened=True))
            tracker.set_labels(a.issue, a.labels)
        elif a.kind == COMMENT and a.issue is not None:
            tracker.comment(a.issue, render.comment(a, consequences.get(id(a), [])))
            wanted = issue_title(f, a.status, render.redactor)
            if _ours(a.issue.title) and a.issue.title != wanted:
                # seen again: "GCP-new" becomes "GCP-active-dev" (or "GCP-regression"); the priority follows
                tracker.set_title(a.issue, wanted)
            if sorted(a.labels) != sorted(a.issue.labels):
                tracker.set_labels(a.issue, a.labels)
        elif a.kind == UNCHANGED and a.cause_action is None and a.issue is not None:
            cons = [c for c in consequences.get(id(a), []) if c.new_entries]
            if cons:  # the root is quiet but its consequences have news: still one comment
                tracker.comment(a.issue, render.comment(a, cons))
    for a in actions:
        if a.kind == CONSEQUENCE and a.cause_action is not None and a.cause_action.issue is not None:
            tracker.link_keys(a.cause_action.issue, keys_of(a.finding))
        elif a.kind in (COMMENT, REOPEN) and a.issue is not None:
            # found by an older id (a template generalised since): the issue answers to the new ones too
            tracker.link_keys(a.issue, [a.finding.id, *a.finding.problem.signature_ids])
        target = a.cause_action if a.cause_action is not None else a
        issue_number = target.issue.number if target.issue is not None else None
        if a.kind not in (OVER_CAP, IGNORED):
            tracker.record(a.finding.id, a.finding.problem.first, a.finding.problem.last, a.kind, issue_number,
                           service_of(a.finding), a.new_entries)


def service_of(finding: Finding) -> str:
    st = finding.problem.stats
    return max(st.services, key=lambda s: (st.services[s], s)) if st is not None and st.services else ""


def resolved_candidates(tracker: Tracker, findings: list[Finding], after_runs: int) -> list[ProblemHistory]:
    """Problems of these services with an open issue, absent from this many runs in a row (this one
    included). A single absence never closes anything."""
    services = sorted({service_of(f) for f in findings}) or [""]
    return tracker.mark_absent(services, [f.id for f in findings], after_runs)


def close_resolved(tracker: Tracker, candidates: list[ProblemHistory], after_runs: int) -> None:
    for h in candidates:
        issue = tracker.get(h.issue_number) if h.issue_number else None
        if issue is None or issue.state != "open":
            continue
        tracker.comment(issue, f"Not seen for {after_runs} runs in a row (last entry {h.last_seen}): closing as "
                               "resolved. log-gardener reopens it if the problem comes back.")
        tracker.close(issue)
