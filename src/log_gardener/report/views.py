"""Plain dict views of findings: one shape for the JSON output, the worklog and issue bodies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from ..analyse.analysis import Finding, display_message
from ..group.grouping import SigStats, describe
from ..model import Entry, Origin, Reason, Severity
from .neutral import neutral
from .redact import Redactor

MAX_SAMPLE_CHARS = 1500


def cleaner(mask: Redactor) -> Callable[[str], str]:
    """How a view shows each piece of log content, once: secrets masked, then neutral (no control
    character, bidi control or marker opener: see ``report.neutral``). Both are idempotent."""
    return lambda text: neutral(mask.content(text))


def _n(text: str | None) -> str | None:
    """Log content that is no secret (names, ids, revisions) and the tool's sentences quoting it."""
    return None if text is None else neutral(text)


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.isoformat(timespec="microseconds").replace("+00:00", "Z")


def short_instance(instance: str | None) -> str | None:
    return f"…{instance[-12:]}" if instance and len(instance) > 16 else instance


def shown(reasons: list[Reason] | list[str] | list[Reason | str], mask: Redactor) -> list[str]:
    """Reasons as text: the log content they quote masked, the tool's own words as written; all neutral."""
    clean = cleaner(mask)
    return [r.show(clean) if isinstance(r, Reason) else neutral(r) for r in reasons]


def sample_view(entry: Entry, mask: Redactor) -> dict[str, Any]:
    redact = cleaner(mask)
    text = entry.text
    if len(text) > MAX_SAMPLE_CHARS:
        text = text[:MAX_SAMPLE_CHARS] + f" …[{len(entry.text) - MAX_SAMPLE_CHARS} more characters]"
    out: dict[str, Any] = {
        "timestamp": iso(entry.timestamp),
        "severity": entry.severity.name if entry.declared_severity else f"{entry.severity.name} (untagged)",
        "insertId": _n(entry.insert_id),
        "logName": _n(entry.log_name),
        "message": redact(text),
    }
    if entry.error_type:
        out["error"] = {"type": neutral(entry.error_type), "value": redact(entry.error_value or "")}
    if entry.http_status is not None:
        out["httpRequest"] = {"status": entry.http_status, "requestMethod": _n(entry.http_method),
                              "requestUrl": redact(entry.http_url or "")}
    if entry.revision:
        out["revision"] = neutral(entry.revision)
    if entry.instance:
        out["instance"] = _n(short_instance(entry.instance))
    if entry.source_location:
        out["sourceLocation"] = neutral(entry.source_location)
    if entry.origin is not None:  # the file's name, not where it sat on this machine
        o = entry.origin
        out["origin"] = neutral(str(Origin(PurePath(o.source).name or o.source, o.line, o.offset)))
    return {k: v for k, v in out.items() if v is not None}


CONSOLE = "https://console.cloud.google.com"


def _phrase(text: str) -> str | None:
    """The longest stretch of a template or message without a variable: what a text search can find."""
    best = max((part.strip(" :,.;'\"()[]{}") for part in text.split("<*>")), key=len, default="")
    if len(best) > 100:  # whole words: a phrase search cut inside a word finds nothing
        best = best[:100].rsplit(" ", 1)[0]
    best = best.replace("\\", "\\\\").replace('"', '\\"')
    return best if len(best) >= 6 else None


def links_view(problem: Any, redact: Any) -> dict[str, Any]:
    """Where to look in Google Cloud: Logs Explorer with a query for this problem's entries (its
    resource, service, severity and the words its messages share) over its span, and its Error
    Reporting groups. Nothing when the entries do not say which project they came from."""
    st = problem.stats
    sample = st.samples[0][2] if st.samples else None
    project = sample.project if sample is not None else None
    if not project:
        return {}
    clauses = []
    if sample.resource_type:
        clauses.append(f'resource.type="{sample.resource_type}"')
    if st.services:
        service = max(st.services, key=lambda s: (st.services[s], s))
        clauses.append(f'resource.labels.service_name="{service}"')
    lowest = min((Severity[name] for name in st.severities if name in Severity.__members__), default=problem.severity)
    clauses.append(f"severity>={lowest.name}")
    anchor = problem.anchor
    text = st.exc_value if st.exc_type and st.exc_value else anchor.key.split("|", 1)[-1]
    phrase = _phrase(redact(text.split("\n", 1)[0]))
    if st.exc_type:
        clauses.append(f'"{st.exc_type}"')
    if phrase and "[REDACTED" not in phrase:
        clauses.append(f'"{phrase}"')
    query = "\n".join(clauses)
    start = (problem.first - timedelta(minutes=1)) if problem.first else None
    end = (problem.last + timedelta(minutes=1)) if problem.last else None
    time_range = f";timeRange={iso(start)}%2F{iso(end)}" if start and end else ""
    logs = f"{CONSOLE}/logs/query;query={quote(query, safe='')}{time_range}?project={quote(project)}"
    groups = [f"{CONSOLE}/errors/detail/{quote(g, safe='')};time=P30D?project={quote(project)}"
              for g in sorted(st.error_groups)[:5]]
    # the query quotes the logs (service, phrase): neutral as shown; the URLs are percent-encoded
    return {"logs_explorer": logs, "logs_query": neutral(query), "error_reporting": groups}


def _top(counter, n: int = 10) -> list[str]:
    # ties by key: the same list whatever order the entries came in
    return [k for k, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def signature_view(st: SigStats, mask: Redactor) -> dict[str, Any]:
    sig = st.sig
    redact = cleaner(mask)
    return {
        "id": sig.id,
        "kind": sig.kind,
        "key": redact(sig.key),
        "count": st.count,
        "example": redact(display_message(st.samples[0][2].text)) if st.samples else None,
        "describe": describe(sig).show(redact),
        "error_groups": [neutral(g) for g in _top(st.error_groups)],
    }


# languages that print the innermost frame first (Python prints the outermost first)
_INNERMOST_FIRST = frozenset({"java", "dotnet", "javascript", "go", "ruby", "php", "rust"})


def trace_view(problem: Any, mask: Redactor) -> dict[str, Any] | None:
    """The problem's representative stack trace (its earliest traced sample), as the language prints
    it: exceptions in their printed order, frames in the printed direction, each frame marked as the
    application's or a library's, with its code line when the log has it."""
    from ..group.signature import KIND_TRACE

    # the trace grouping parsed (the earliest of the problem's traced entries): never parsed again
    member = next((m for m in problem.members if m.sig.kind == KIND_TRACE and m.trace is not None), None)
    if member is None:
        return None
    trace = member.trace
    redact = cleaner(mask)
    exceptions = []
    for exc in trace.exceptions:
        frames = list(reversed(exc.frames)) if trace.language in _INNERMOST_FIRST else exc.frames
        exceptions.append({
            "type": _n(exc.type), "value": redact(exc.value), "truncated": exc.truncated, "omitted": exc.omitted_frames,
            "frames": [{"file": redact(f.file), "function": redact(f.function), "line": f.line, "in_app": f.in_app,
                        "code": redact(f.code) if f.code else None} for f in frames],
        })
    return {"language": trace.language, "exceptions": exceptions,
            "text": _trace_text(exceptions, head_last=trace.language == "python")}


def _trace_text(exceptions: list[dict[str, Any]], head_last: bool) -> dict[str, str]:
    """``app``: the exceptions with the application's frames (▶), runs of library frames as one line;
    ``full``: every frame. The exception line comes where the language prints it (Python: last)."""
    app: list[str] = []
    full: list[str] = []
    for n, exc in enumerate(exceptions):
        head = f"{exc['type'] or '(cut off)'}: {exc['value']}".strip()
        if n:
            app.append("")
            full.append("")
        if not head_last:
            app.append(head)
            full.append(head)
        hidden = 0
        for f in exc["frames"]:
            where = f"{f['file']}:{f['line']}" if f["line"] is not None else f["file"]
            line = f"  {'▶ ' if f['in_app'] else '  '}{where} in {f['function'] or '?'}"
            full.append(line)
            if f["code"]:
                full.append(f"        {f['code']}")
            if not f["in_app"]:
                hidden += 1
                continue
            if hidden:
                app.append(f"    ┆ {hidden} library frame{'s' if hidden > 1 else ''}")
                hidden = 0
            app.append(line)
            if f["code"]:
                app.append(f"        {f['code']}")
        if hidden:
            app.append(f"    ┆ {hidden} library frame{'s' if hidden > 1 else ''}")
        if exc["omitted"]:
            full.append(f"  … {exc['omitted']} more frames not kept")
        if head_last:
            app.append(head)
            full.append(head)
    text = {"app": "\n".join(app), "full": "\n".join(full)}
    if text["full"] == text["app"]:
        del text["full"]  # nothing folded: one block says it all
    return text


def finding_view(finding: Finding, total_selected: int, status: str, issue: dict[str, Any],
                 mask: Redactor, titles: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything about one finding, for the JSON, the worklog and the issues: log content masked.
    ``titles``: problem id -> title, for the problems it refers to."""
    titles = titles or {}
    p = finding.problem
    st = p.stats
    assert st is not None
    redact = cleaner(mask)
    return {
        "id": p.id,
        "title": redact(finding.title),
        "priority": finding.priority,
        "priority_reasons": shown(finding.priority_reasons, mask),
        "rules": finding.rules,
        "category": finding.category,
        "count": p.count,
        "share": round(p.count / total_selected, 4) if total_selected else 0.0,
        "severity": p.severity.name,
        "severities": dict(sorted(st.severities.items())),
        "first_seen": iso(p.first),
        "last_seen": iso(p.last),
        "caused_by": finding.caused_by,
        "cause_reason": _n(finding.cause_reason),
        "consequences": finding.consequences,
        "seen_with": [{"id": pid, "title": redact(titles.get(pid, pid)), "evidence": neutral(evidence)}
                      for pid, evidence in finding.seen_with],
        "startup_blocking": finding.startup_blocking,
        "status": status,
        "status_reason": _n(finding.status_reason if status == finding.status else status),
        "labels": finding.labels,
        "ignored": _n(finding.ignored),
        "first_revision": _n(finding.deploy.first_revision),
        "new_since_revision": _n(finding.deploy.new_since),
        "not_in_revisions": [neutral(r) for r in finding.deploy.not_in],
        "stopped_after_revision": _n(finding.deploy.stopped_after),
        "deploy_notes": [neutral(n) for n in finding.deploy.notes],
        "issue": {**issue, "reason": _n(issue.get("reason"))} if "reason" in issue else issue,
        "exception": {"type": neutral(st.exc_type), "value": redact(st.exc_value or "")} if st.exc_type else None,
        "components": [redact(c) for c in st.top_components(10)],
        "instances": st.instances.distinct,
        "instances_estimated": st.instances.estimated,  # past max_tracked distinct: estimated (within ~3%)
        "instance_ids": [_n(short_instance(i)) for i in _top(st.instances, 5)],
        "revisions": [neutral(r) for r in _top(st.revisions)],
        "services": [neutral(s) for s in _top(st.services)],
        "error_groups": [neutral(g) for g in _top(st.error_groups)],
        "http_statuses": {str(k): v for k, v in sorted(st.http_statuses.items())},
        "signatures": [signature_view(m, mask) for m in p.members],
        "grouping_reasons": shown(p.reasons, mask),
        "selected_because": {neutral(str(why)): n for why, n in st.selected_by.most_common()},
        "samples": [sample_view(e, mask) for _, _, e in st.samples],
        "trace": trace_view(p, mask),
        "links": links_view(p, redact),
    }
