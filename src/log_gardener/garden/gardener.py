"""Gardening: decide, per problem, what the tracker needs (plan), then do it (apply).

The plan is computed from the findings and what the tracker already holds; applying it
is the only step that writes. ``--dry-run`` prints the plan and applies nothing.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..analyse.analysis import Finding, root_of
from ..group.grouping import GroupState
from ..report.redact import safe_text
from .tracker import Issue, ProblemHistory, Tracker

TOOL_LABEL = "log-gardener"
CREATE, COMMENT, REOPEN, UNCHANGED, OVER_CAP, CONSEQUENCE = (
    "create", "comment", "reopen", "unchanged", "not-filed-over-cap", "comment-on-cause")


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

    @property
    def ref(self) -> str | None:
        if self.cause_action is not None:
            return self.cause_action.ref
        return f"#{self.issue.number}" if self.issue is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.kind, "ref": self.ref, "reason": self.reason, "new_entries": self.new_entries}


def labels_for(finding: Finding) -> list[str]:
    return sorted({TOOL_LABEL, finding.priority, f"category:{finding.category}"})


def issue_title(finding: Finding, status: str) -> str:
    prefix = {"new": "GCP-new", "regression": "GCP-regression"}.get(status, "GCP-active-dev")
    return safe_text(f"{prefix} | {finding.priority} | {finding.title}")[:256]


def _ours(title: str) -> bool:
    """A title this tool wrote (a person's retitling is left alone)."""
    return title.startswith(("GCP-new | ", "GCP-regression | ", "GCP-active-dev | "))


MAX_ALIAS_KEYS = 50


def keys_of(finding: Finding) -> list[str]:
    """Every id that identifies the problem: a later window may mine a template more or less
    general than this one, so the provisional (premasked) ids count too."""
    p = finding.problem
    return [finding.id, *p.signature_ids, *p.all_ids[len(p.signature_ids):][:MAX_ALIAS_KEYS]]


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


def plan(findings: list[Finding], state: GroupState, tracker: Tracker, max_new_issues: int) -> list[Action]:
    by_id = {f.id: f for f in findings}
    times = problem_times(findings, state)
    actions: dict[str, Action] = {}
    created = 0
    # roots first, so that consequences know what happens to their cause
    ordered = sorted(findings, key=lambda f: (f.caused_by is not None, findings.index(f)))
    for f in ordered:
        history: ProblemHistory | None = tracker.history(f.id)
        watermark = history.last_seen if history else None
        fresh = new_entries_since(f, times, watermark)
        issue = tracker.find(keys_of(f))
        if f.caused_by is not None and f.caused_by in by_id:
            # a consequence is reported on its root's issue, even if it had an issue of its own before
            root = root_of(f, by_id)
            cause = actions[root.id]
            status = "ongoing" if history else "new"
            if cause.kind == OVER_CAP:
                kind, why = OVER_CAP, "its cause is not filed (over the cap)"
            elif fresh == 0:
                kind, why = UNCHANGED, "no new evidence"
            else:
                kind, why = CONSEQUENCE, f"consequence of {root.id}: reported on its issue"
            actions[f.id] = Action(f, kind, status, why, fresh, None, cause)
            continue
        if issue is None:
            status = "regression" if history and history.issue_number else "new"
            if created >= max_new_issues:
                actions[f.id] = Action(f, OVER_CAP, status,
                                       f"not filed: over the cap of {max_new_issues} new issues per run", fresh)
                continue
            created += 1
            actions[f.id] = Action(f, CREATE, status, "no issue carries this problem's id", fresh,
                                   title=issue_title(f, status), labels=labels_for(f))
        elif issue.state == "closed":
            if fresh:
                actions[f.id] = Action(f, REOPEN, "regression",
                                       f"issue #{issue.number} was closed and the problem is back "
                                       f"({fresh} new entries)", fresh, issue, labels=labels_for(f))
            else:
                actions[f.id] = Action(f, UNCHANGED, "resolved", "issue closed, no new evidence", 0, issue)
        elif fresh:
            actions[f.id] = Action(f, COMMENT, "ongoing", f"{fresh} new entries since the last report", fresh,
                                   issue, labels=sorted(set(issue.labels) | set(labels_for(f))))
        else:
            since = watermark.astimezone(UTC).isoformat() if watermark else "?"
            actions[f.id] = Action(f, UNCHANGED, "ongoing", f"no new evidence since {since}", 0, issue)
    return [actions[f.id] for f in findings]


def apply(actions: list[Action], tracker: Tracker, render: Any) -> None:
    """Carry out the plan. ``render`` builds the texts (issue body, comment)."""
    consequences: dict[int, list[Action]] = defaultdict(list)
    for a in actions:
        if a.kind == CONSEQUENCE and a.cause_action is not None:
            consequences[id(a.cause_action)].append(a)
    for a in actions:
        f = a.finding
        if a.kind == CREATE:
            cons = consequences.get(id(a), [])
            a.issue = tracker.create(a.title or f.title, render.issue_body(a, cons), a.labels, keys_of(f))
        elif a.kind == REOPEN and a.issue is not None:
            tracker.reopen(a.issue)
            tracker.set_title(a.issue, issue_title(f, "regression"))
            tracker.comment(a.issue, render.comment(a, consequences.get(id(a), []), reopened=True))
            tracker.set_labels(a.issue, a.labels)
        elif a.kind == COMMENT and a.issue is not None:
            tracker.comment(a.issue, render.comment(a, consequences.get(id(a), [])))
            if _ours(a.issue.title) and a.issue.title != issue_title(f, "ongoing"):
                # seen again: "GCP-new" becomes "GCP-active-dev", and the priority follows the rules
                tracker.set_title(a.issue, issue_title(f, "ongoing"))
            if sorted(a.labels) != sorted(a.issue.labels):
                tracker.set_labels(a.issue, a.labels)
        elif a.kind == UNCHANGED and a.cause_action is None and a.issue is not None:
            cons = [c for c in consequences.get(id(a), []) if c.new_entries]
            if cons:  # the root is quiet but its consequences have news: still one comment
                tracker.comment(a.issue, render.comment(a, cons))
    for a in actions:
        if a.kind == CONSEQUENCE and a.cause_action is not None and a.cause_action.issue is not None:
            tracker.link_keys(a.cause_action.issue, keys_of(a.finding))
        target = a.cause_action if a.cause_action is not None else a
        issue_number = target.issue.number if target.issue is not None else None
        if a.kind != OVER_CAP:
            tracker.record(a.finding.id, a.finding.problem.first, a.finding.problem.last, a.kind, issue_number)
