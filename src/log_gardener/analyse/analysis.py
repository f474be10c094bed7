"""Analysis: titles, categories, causes and consequences, priorities with their reasons.

Pure functions over the grouping's problems and timeline; no I/O.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..group.grouping import GroupState, Problem
from ..group.signature import KIND_TEMPLATE
from ..model import Severity

CONSEQUENCE_WINDOW_S = 60.0
CONSEQUENCE_SHARE = 0.8  # of the consequence's occurrences that must follow the cause

# A log line prefix that says nothing about the problem: "[2025-09-16 00:42:53 +0000] [11] [ERROR] ".
_PREFIX = re.compile(
    r"^(?:\[[^\]]*\]\s*)*(?:(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\s*:\s*)?", re.I
)


@dataclass(slots=True)
class Rule:
    """A default priority rule: the first that matches a problem sets its priority."""

    name: str
    priority: str
    category: str
    why: str
    message: re.Pattern[str] | None = None
    exc_types: tuple[str, ...] = ()
    frame: re.Pattern[str] | None = None
    min_severity: Severity = Severity.DEFAULT
    has_trace: bool | None = None
    http_5xx: bool = False


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(
        "startup-import-error", "P0", "startup-failure",
        "the service cannot start: a module or name cannot be imported",
        exc_types=("ModuleNotFoundError", "ImportError", "SyntaxError"),
        min_severity=Severity.ERROR,
    ),
    Rule(
        "worker-boot-failure", "P0", "startup-failure",
        "the service cannot start: workers fail to boot",
        message=re.compile(
            r"worker failed to boot|application startup failed|startup failure|failed to start|"
            r"exception in worker process", re.I),
        min_severity=Severity.ERROR,
    ),
    Rule(
        "startup-trace", "P0", "startup-failure",
        "the traceback runs through the server's worker start-up (the app fails to load)",
        frame=re.compile(r"spawn_worker|load_wsgi|import_app|load_wsgiapp"),
        min_severity=Severity.ERROR,
    ),
    Rule(
        "container-exit", "P1", "container-crash",
        "containers exit: the service restarts or stays down",
        message=re.compile(r"container called exit\(|memory limit .* exceeded|container .* (crashed|terminated)",
                           re.I),
        min_severity=Severity.WARNING,
    ),
    Rule(
        "request-5xx", "P1", "request-failure",
        "requests fail with 5xx answers: users see errors",
        http_5xx=True,
    ),
    Rule(
        "unhandled-exception", "P1", "exception",
        "an exception with a stack trace at ERROR or above",
        has_trace=True, min_severity=Severity.ERROR,
    ),
    Rule(
        "optional-dependency-missing", "P3", "observability",
        "an optional integration is missing: nothing fails, insight is lost",
        message=re.compile(r"\bnot available\b|\bnot installed\b|install \S+ to enable|optional", re.I),
        min_severity=Severity.WARNING,
    ),
    Rule(
        "config-warning", "P2", "configuration",
        "configuration is wrong or was corrected at run time",
        message=re.compile(
            r"sanitiz|whitespace|misconfigur|mismatch|invalid (config|setting|value)|deprecat|"
            r"not (set|configured)|missing (env|config|setting)", re.I),
        min_severity=Severity.WARNING,
    ),
    Rule("error", "P2", "error", "an error without a stack trace", min_severity=Severity.ERROR),
    Rule("warning", "P3", "warning", "a warning", min_severity=Severity.WARNING),
    Rule("other", "P3", "other", "below WARNING"),
)


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
    startup_blocking: bool = False

    @property
    def id(self) -> str:
        return self.problem.id


def display_message(text: str) -> str:
    """A message without its log-line prefix (timestamps, pids, level tags)."""
    first = text.strip().split("\n", 1)[0]
    stripped = _PREFIX.sub("", first).strip()
    return stripped or first


def title_of(problem: Problem) -> str:
    st = problem.stats
    assert st is not None
    if st.exc_type and st.exc_value:
        value = " ".join(st.exc_value.split())
        return _clip(f"{st.exc_type}: {value}", 110)
    sig = problem.anchor
    if sig.key.startswith("request|"):
        return sig.key.split("|", 1)[1]
    anchor = next((m for m in problem.members if m.sig.id == sig.id), None)
    if sig.kind == KIND_TEMPLATE and "|" in sig.key:
        if anchor is not None and anchor.samples and len(anchor.aliases) <= 1:
            # one message form: its own words read better than a template
            return _clip(display_message(anchor.samples[0][2].text), 110)
        # several forms mined into one template: say what they have in common
        return _clip(display_message(sig.key.split("|", 1)[1]), 110)
    return _clip(sig.key.split("|")[1] if "|" in sig.key else sig.key, 110)


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _texts(problem: Problem) -> list[str]:
    out = []
    for m in problem.members:
        out.append(m.sig.key)
        for _, _, entry in m.samples:
            out.append(entry.text[:2000])
    return out


def _match(rule: Rule, problem: Problem) -> bool:
    st = problem.stats
    assert st is not None
    if problem.severity < rule.min_severity:
        return False
    if rule.exc_types:
        types = {m.sig.exc_type for m in problem.members} | {st.exc_type}
        if not types & set(rule.exc_types):
            return False
    if rule.message is not None and not any(rule.message.search(t) for t in _texts(problem)):
        return False
    if rule.frame is not None:
        traces = [e.text for m in problem.members if m.sig.kind == "trace" for _, _, e in m.samples]
        if not any(rule.frame.search(t) for t in traces):
            return False
    if rule.has_trace is not None and rule.has_trace != any(m.sig.kind == "trace" for m in problem.members):
        return False
    return not (rule.http_5xx and not any(s >= 500 for s in st.http_statuses))


def prioritise(problem: Problem, rules: tuple[Rule, ...] = DEFAULT_RULES) -> tuple[str, str, list[str], list[str]]:
    """(priority, category, reasons, rule names): the first matching rule decides."""
    for rule in rules:
        if _match(rule, problem):
            reasons = [f"rule {rule.name} -> {rule.priority}: {rule.why}"]
            return rule.priority, rule.category, reasons, [rule.name]
    return "P3", "other", ["no rule matched"], []


def link_consequences(
    problems: list[Problem], state: GroupState, window_s: float = CONSEQUENCE_WINDOW_S,
    urgency: dict[str, int] | None = None,
) -> dict[str, tuple[str, str]]:
    """problem id -> (cause problem id, reason), for problems that follow another on the same instance.

    B is a consequence of A when, for most of B's occurrences, the nearest occurrence of A
    on the same stream is before it and within ``window_s``. Problems that only co-occur
    (a warning logged at every container start, before the crash) fail that test: the
    nearest crash is after them. With ``urgency`` (lower = more urgent), a cause is never
    less urgent than its consequence: a P0 is not filed under a P2 that happens to log first.
    """
    sig_to_problem = {sid: p.id for p in problems for sid in p.all_ids}
    times: dict[tuple[str, tuple[str, str]], list[float]] = defaultdict(list)
    per_problem: dict[str, list[tuple[tuple[str, str], float]]] = defaultdict(list)
    for stream, ts, sid in state.timeline:
        pid = sig_to_problem.get(sid)
        if pid is None:
            continue
        times[(pid, stream)].append(ts)
        per_problem[pid].append((stream, ts))
    for lst in times.values():
        lst.sort()
    severity = {p.id: p.severity for p in problems}
    # a failed request is a symptom: it is logged when the request ends, after what broke it
    candidates = [p.id for p in problems if p.severity >= Severity.ERROR
                  and not all(m.http_statuses for m in p.members)]
    result: dict[str, tuple[str, str]] = {}
    for b in sorted(per_problem):
        occ = per_problem[b]
        best: tuple[float, float, str] | None = None  # (-share, median lag, cause)
        for a in candidates:
            if a == b or (urgency is not None and urgency[a] > urgency[b]):
                continue
            follows, lags = 0, []
            for stream, ts in occ:
                at = times.get((a, stream))
                if not at:
                    continue
                i = bisect.bisect_right(at, ts)
                before = ts - at[i - 1] if i > 0 else None
                after = at[i] - ts if i < len(at) else None
                if before is not None and before <= window_s and (after is None or before <= after):
                    follows += 1
                    lags.append(before)
            share = follows / len(occ)
            if share >= CONSEQUENCE_SHARE and severity[a] >= Severity.ERROR:
                lags.sort()
                key = (-share, lags[len(lags) // 2], a)
                if best is None or key < best:
                    best = key
        if best is not None:
            share, lag, a = -best[0], best[1], best[2]
            result[b] = (a, f"follows {a} on the same instance in {share:.0%} of its occurrences "
                            f"(median delay {lag:.2f} s)")
    # keep it a forest: drop links that would close a cycle
    for b in sorted(result):
        seen = {b}
        a = result[b][0]
        while a in result:
            if a in seen:
                del result[b]
                break
            seen.add(a)
            a = result[a][0]
    return result


PRIORITY_ORDER = {"P0": 0, "P1": 1, "P2": 2, "P3": 3}


def analyse(problems: list[Problem], state: GroupState, rules: tuple[Rule, ...] = DEFAULT_RULES) -> list[Finding]:
    findings: dict[str, Finding] = {}
    for p in problems:
        priority, category, reasons, fired = prioritise(p, rules)
        findings[p.id] = Finding(p, title_of(p), category, priority, reasons, fired,
                                 startup_blocking=category == "startup-failure")
    urgency = {pid: PRIORITY_ORDER[f.priority] for pid, f in findings.items()}
    links = link_consequences(problems, state, urgency=urgency)
    for p in problems:
        f = findings[p.id]
        if p.id in links:
            f.caused_by, f.cause_reason = links[p.id]
            f.priority_reasons.append(f"consequence of {f.caused_by}: {f.cause_reason}")
    for pid, (cause, _) in links.items():
        if pid in findings and cause in findings:
            findings[cause].consequences.append(pid)
    return sorted(findings.values(),
                  key=lambda f: (PRIORITY_ORDER[f.priority], f.caused_by is not None, -f.problem.count, f.id))


def root_of(finding: Finding, by_id: dict[str, Finding]) -> Finding:
    seen = set()
    while finding.caused_by and finding.caused_by in by_id and finding.id not in seen:
        seen.add(finding.id)
        finding = by_id[finding.caused_by]
    return finding
