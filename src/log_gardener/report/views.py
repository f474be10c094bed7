"""Plain dict views of findings: one shape for the JSON output, the worklog and issue bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..analyse.analysis import Finding, display_message
from ..group.grouping import SigStats, describe
from ..model import Entry, Reason
from .redact import Redactor

MAX_SAMPLE_CHARS = 1500


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.isoformat(timespec="microseconds").replace("+00:00", "Z")


def short_instance(instance: str | None) -> str | None:
    return f"…{instance[-12:]}" if instance and len(instance) > 16 else instance


def shown(reasons: list[Reason] | list[str] | list[Reason | str], mask: Redactor) -> list[str]:
    """Reasons as text: the log content they quote masked, the tool's own words as written."""
    return [r.show(mask.content) if isinstance(r, Reason) else r for r in reasons]


def sample_view(entry: Entry, mask: Redactor) -> dict[str, Any]:
    redact = mask.content
    text = entry.text
    if len(text) > MAX_SAMPLE_CHARS:
        text = text[:MAX_SAMPLE_CHARS] + f" …[{len(entry.text) - MAX_SAMPLE_CHARS} more characters]"
    out: dict[str, Any] = {
        "timestamp": iso(entry.timestamp),
        "severity": entry.severity.name if entry.declared_severity else f"{entry.severity.name} (untagged)",
        "insertId": entry.insert_id,
        "logName": entry.log_name,
        "message": redact(text),
    }
    if entry.error_type:
        out["error"] = {"type": entry.error_type, "value": redact(entry.error_value or "")}
    if entry.http_status is not None:
        out["httpRequest"] = {"status": entry.http_status, "requestMethod": entry.http_method,
                              "requestUrl": redact(entry.http_url or "")}
    if entry.revision:
        out["revision"] = entry.revision
    if entry.instance:
        out["instance"] = short_instance(entry.instance)
    if entry.source_location:
        out["sourceLocation"] = entry.source_location
    if entry.origin is not None:
        out["origin"] = str(entry.origin)
    return {k: v for k, v in out.items() if v is not None}


def _top(counter, n: int = 10) -> list[str]:
    # stable: equal counts keep their first-seen order (innermost frame first for components)
    return [k for k, _ in sorted(counter.items(), key=lambda kv: -kv[1])[:n]]


def signature_view(st: SigStats, mask: Redactor) -> dict[str, Any]:
    sig = st.sig
    redact = mask.content
    return {
        "id": sig.id,
        "kind": sig.kind,
        "key": redact(sig.key),
        "count": st.count,
        "example": redact(display_message(st.samples[0][2].text)) if st.samples else None,
        "describe": describe(sig).show(redact),
        "error_groups": _top(st.error_groups),
    }


def finding_view(finding: Finding, total_selected: int, status: str, issue: dict[str, Any],
                 mask: Redactor, titles: dict[str, str] | None = None) -> dict[str, Any]:
    """Everything about one finding, for the JSON, the worklog and the issues: log content masked.
    ``titles``: problem id -> title, for the problems it refers to."""
    titles = titles or {}
    p = finding.problem
    st = p.stats
    assert st is not None
    redact = mask.content
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
        "cause_reason": finding.cause_reason,
        "consequences": finding.consequences,
        "seen_with": [{"id": pid, "title": redact(titles.get(pid, pid)), "evidence": evidence}
                      for pid, evidence in finding.seen_with],
        "startup_blocking": finding.startup_blocking,
        "status": status,
        "status_reason": finding.status_reason if status == finding.status else status,
        "labels": finding.labels,
        "ignored": finding.ignored,
        "first_revision": finding.deploy.first_revision,
        "new_since_revision": finding.deploy.new_since,
        "not_in_revisions": finding.deploy.not_in,
        "stopped_after_revision": finding.deploy.stopped_after,
        "deploy_notes": finding.deploy.notes,
        "issue": issue,
        "exception": {"type": st.exc_type, "value": redact(st.exc_value or "")} if st.exc_type else None,
        "components": [redact(c) for c in _top(st.components)],
        "instances": len(st.instances),
        "instance_ids": [short_instance(i) for i in _top(st.instances, 5)],
        "revisions": _top(st.revisions),
        "services": _top(st.services),
        "error_groups": _top(st.error_groups),
        "http_statuses": {str(k): v for k, v in sorted(st.http_statuses.items())},
        "signatures": [signature_view(m, mask) for m in p.members],
        "grouping_reasons": shown(p.reasons, mask),
        "selected_because": dict(st.selected_by.most_common()),
        "samples": [sample_view(e, mask) for _, _, e in st.samples],
    }
