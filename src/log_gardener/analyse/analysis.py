"""Analysis: titles, categories, causes and consequences, priorities with their reasons.

Pure functions over the grouping's problems and timeline; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..group.grouping import KIND_TAIL, GroupState, Problem
from ..group.signature import KIND_TEMPLATE, KIND_TRACE
from ..model import Severity
from ..parse.classify import message_part
from . import causality
from .causality import is_symptom
from .deploys import DeployFacts, RevisionActivity, deploy_facts
from .platform import platform_title
from .rules import DEFAULT_RULES, Config, Facts, Rule

PRIORITY_ORDER = {"P0": 0, "P1": 1, "P2": 2, "P3": 3}


@dataclass(slots=True)
class History:
    """What the tracker remembers of a problem (read by the pipeline, passed in as plain facts)."""

    first_seen: datetime | None = None
    last_seen: datetime | None = None
    runs_seen: int = 0
    issue_state: str | None = None  # "open" | "closed" | None (no issue)
    issue_ref: str | None = None


@dataclass(slots=True)
class Finding:
    """What the analysis says about one problem."""

    problem: Problem
    title: str
    category: str
    priority: str
    priority_reasons: list[str]
    rules: list[str]
    caused_by: str | None = None
    cause_reason: str | None = None
    consequences: list[str] = field(default_factory=list)
    # problems that co-occur with this one without a causal role: (problem id, the evidence), each filed alone
    seen_with: list[tuple[str, str]] = field(default_factory=list)
    startup_blocking: bool = False
    status: str = "new"  # new | ongoing | regression
    status_reason: str = "never seen before"
    labels: list[str] = field(default_factory=list)  # added by rules
    ignored: str | None = None  # why it is not filed, when it is not
    unmute: str | None = None  # the rule that reopens its issue even when muted from the tracker
    deploy: DeployFacts = field(default_factory=DeployFacts)
    history: History | None = None

    @property
    def id(self) -> str:
        return self.problem.id


def display_message(text: str) -> str:
    """A message without its log-line prefix (timestamps, pids, thread, level, logger)."""
    return message_part(text)


def title_of(problem: Problem) -> str:
    st = problem.stats
    assert st is not None
    if problem.anchor.kind == KIND_TAIL:
        return (f"Long tail: {len(st.aliases):,} rarer {problem.severity.name} messages, folded "
                "(more distinct messages than one run keeps apart)")
    if st.exc_type and st.exc_value:
        # the value's first line: later lines are notes and details ("During task with name ...")
        value = " ".join(st.exc_value.strip().split("\n", 1)[0].split())
        return _clip(f"{st.exc_type}: {value}", 110)
    sig = problem.anchor
    if sig.key.startswith("request|"):
        title = sig.key.split("|", 1)[1]
        said = _platform_said(problem)
        return _clip(f"{title} — {said}", 110) if said else title  # not ": ": "…/token: the…" reads as a secret
    anchor = next((m for m in problem.members if m.sig.id == sig.id), None)
    if anchor is not None and anchor.samples and is_symptom(problem):
        said = platform_title(display_message(anchor.samples[0][2].text))
        if said is not None:
            return _clip(said, 110)
    if sig.kind == KIND_TEMPLATE and "|" in sig.key:
        if anchor is not None and anchor.samples and len(anchor.aliases) <= 1:
            # one message form: its own words read better than a template
            return _clip(display_message(anchor.samples[0][2].text), 110)
        # several forms mined into one template: say what they have in common
        return _clip(display_message(sig.key.split("|", 1)[1]), 110)
    return _clip(sig.key.split("|")[1] if "|" in sig.key else sig.key, 110)


def _platform_said(problem: Problem) -> str | None:
    """What Cloud Run wrote about the failed requests, when it wrote something."""
    st = problem.stats
    if st is None or not st.samples:
        return None
    entry = st.samples[0][2]
    own = f"{entry.http_method or ''} {entry.http_url or ''}".strip()
    if not entry.text or entry.text.startswith(own):
        return None
    said = platform_title(display_message(entry.text))
    return said.split(": ", 1)[-1] if said and said.startswith("Requests failed") else said or display_message(
        entry.text)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def facts_of(problem: Problem) -> Facts:
    st = problem.stats
    assert st is not None
    texts: list[str] = []
    frames: list[str] = []
    for m in problem.members:
        texts.append(m.sig.key)
        for _, _, entry in m.samples:
            texts.append(entry.text[:2000])
            if m.sig.kind == KIND_TRACE:
                frames.append(entry.stack or entry.text)
    hours = ((problem.last - problem.first).total_seconds() / 3600) if problem.first and problem.last else 0.0
    return Facts(
        severity=problem.severity,
        exception_types={t for t in ({m.sig.exc_type for m in problem.members} | {st.exc_type}) if t},
        texts=texts,
        components=st.top_components(len(st.components)),
        services=sorted(st.services),
        frames_text=frames,
        count=problem.count,
        rate_per_hour=problem.count / max(hours, 1.0),
        instances=st.instances.distinct,
        has_trace=any(m.sig.kind == KIND_TRACE for m in problem.members),
        http_5xx=any(s >= 500 for s in st.http_statuses),
    )


def builtin_priority(facts: Facts, rules: tuple[Rule, ...] = DEFAULT_RULES) -> Rule:
    for rule in rules:
        if rule.matches(facts):
            return rule
    return rules[-1]


def status_of(problem: Problem, history: History | None, config: Config) -> tuple[str, str]:
    if history is None or history.last_seen is None:
        return "new", "never seen before"
    if history.issue_state == "closed":
        return "regression", f"its issue {history.issue_ref or ''} was closed and it is back".replace("  ", " ")
    if problem.first is not None and problem.first - history.last_seen > config.quiet_period:
        gap = problem.first - history.last_seen
        return "regression", f"back after {gap.days} days without it (quiet period {config.quiet_period.days} days)"
    return "ongoing", f"seen in {history.runs_seen} earlier run(s), last at {history.last_seen.isoformat()}"


def analyse(
    problems: list[Problem],
    state: GroupState,
    config: Config | None = None,
    activity: RevisionActivity | None = None,
    history: Callable[[Problem], History | None] | None = None,
    cut: dict[str, float] | None = None,
) -> list[Finding]:
    """Priorities, causes, statuses and deploy facts for every problem, each with its reasons.

    ``cut``: severity name -> the time from which the input holds that severity, when it was cut.
    """
    config = config or Config()
    facts = {p.id: facts_of(p) for p in problems}
    builtin = {p.id: builtin_priority(facts[p.id]) for p in problems}
    urgency = {pid: PRIORITY_ORDER[r.priority or "P3"] for pid, r in builtin.items()}
    startup = {pid for pid, r in builtin.items() if r.category == "startup-failure"}
    # what stops the process: a failed start, a crash, an error the app calls critical
    disruptive = startup | {pid for pid, r in builtin.items() if r.category == "container-crash"} | {
        p.id for p in problems if p.severity >= Severity.CRITICAL and not causality.is_symptom(p)}
    spans = {key: (lo, hi) for key, (lo, hi) in activity.instances.items()} if activity is not None else {}
    found = causality.link(problems, state, urgency, startup, disruptive, spans, cut)
    links = {b: (link.cause, link.reason()) for b, link in found.links.items()}

    findings: dict[str, Finding] = {}
    for p in problems:
        f = facts[p.id]
        f.startup_failure = p.id in startup
        f.consequence = p.id in links
        known = history(p) if history is not None else None
        f.status, status_reason = status_of(p, known, config)
        finding = _decide(p, f, builtin[p.id], config)
        finding.status, finding.status_reason, finding.history = f.status, status_reason, known
        if p.id in links:
            finding.caused_by, finding.cause_reason = links[p.id]
            finding.priority_reasons.append(f"consequence of {finding.caused_by}: {finding.cause_reason}")
        if activity is not None:
            finding.deploy = deploy_facts(p, activity)
        if finding.ignored is None and p.count < config.min_count:
            finding.ignored = f"below the minimum count ({p.count} < {config.min_count})"
        findings[p.id] = finding
    for pid, (cause, _) in links.items():
        if pid in findings and cause in findings:
            findings[cause].consequences.append(pid)
    for b, pairs in found.together.items():
        for a, link in pairs:
            if root_of(findings[a], findings) is root_of(findings[b], findings):
                continue  # one incident: both are reported on its issue already
            evidence = (f"{link.explained} of {link.total} episodes within {link.lag:.2f} s (median) of it, "
                        f"expected by chance {link.expected:.1f}; neither reports the other: each is filed alone")
            for x, y in ((b, a), (a, b)):
                if all(other != y for other, _ in findings[x].seen_with):
                    findings[x].seen_with.append((y, evidence))
    _escalate(findings)
    return sorted(findings.values(),
                  key=lambda f: (PRIORITY_ORDER[f.priority], f.caused_by is not None, -f.problem.count, f.id))


def _escalate(findings: dict[str, Finding]) -> None:
    """A cause is at least as urgent as what it causes: a crash that makes the revision fail to start
    is as urgent as the failed start (a consequence more urgent than its cause is always a symptom)."""
    for f in findings.values():
        if f.caused_by is not None:
            continue
        worst: Finding | None = None
        stack, seen = list(f.consequences), set()
        while stack:
            c = findings.get(stack.pop())
            if c is None or c.id in seen:
                continue
            seen.add(c.id)
            stack.extend(c.consequences)
            if worst is None or PRIORITY_ORDER[c.priority] < PRIORITY_ORDER[worst.priority]:
                worst = c
        if worst is not None and PRIORITY_ORDER[worst.priority] < PRIORITY_ORDER[f.priority]:
            f.priority_reasons.append(f"escalated from {f.priority} to {worst.priority}: it causes {worst.id} "
                                      f"({worst.title}), which is {worst.priority}")
            f.priority = worst.priority
            f.startup_blocking = f.startup_blocking or worst.startup_blocking


def _decide(p: Problem, facts: Facts, builtin: Rule, config: Config) -> Finding:
    priority = category = None
    reasons: list[str] = []
    fired: list[str] = []
    labels: list[str] = []
    ignored = unmute = None
    for rule in config.rules:
        if not rule.matches(facts):
            continue
        fired.append(rule.name)
        reasons.append(rule.describe())
        if rule.priority and priority is None:
            priority = rule.priority
        if rule.category and category is None:
            category = rule.category
        labels += [x for x in rule.labels if x not in labels]
        if rule.ignore and ignored is None:
            ignored = f"ignored by rule {rule.name}"
        if rule.unmute and unmute is None:
            unmute = rule.name
    if priority is None:
        fired.append(builtin.name)
        reasons.append(builtin.describe())
    return Finding(p, title_of(p), category or builtin.category or "other", priority or builtin.priority or "P3",
                   reasons, fired, startup_blocking=builtin.category == "startup-failure", labels=labels,
                   ignored=ignored, unmute=unmute)


def root_of(finding: Finding, by_id: dict[str, Finding]) -> Finding:
    seen = set()
    while finding.caused_by and finding.caused_by in by_id and finding.id not in seen:
        seen.add(finding.id)
        finding = by_id[finding.caused_by]
    return finding
