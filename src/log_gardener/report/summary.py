"""Plain-words summary, key findings and actions, written from the analysis' facts."""

from __future__ import annotations

from typing import Any

View = dict[str, Any]


def _roots(views: list[View]) -> list[View]:
    return [v for v in views if not v["caused_by"]]


def _descendants(view: View, by_id: dict[str, View]) -> list[View]:
    out, todo = [], list(view["consequences"])
    while todo:
        pid = todo.pop(0)
        if pid in by_id and by_id[pid] not in out:
            out.append(by_id[pid])
            todo.extend(by_id[pid]["consequences"])
    return out


def _failed_requests(views: list[View]) -> int:
    return sum(n for v in views for s, n in v["http_statuses"].items() if int(s) >= 500)


def chains_of(views: list[View], by_id: dict[str, View]) -> list[list[View]]:
    """Each longest path root -> ... -> leaf of consequences."""
    chains: list[list[View]] = []

    def walk(path: list[View]) -> None:
        kids = [by_id[c] for c in path[-1]["consequences"] if c in by_id]
        if not kids:
            if len(path) > 1:
                chains.append(path)
            return
        for kid in kids:
            walk([*path, kid])

    for root in _roots(views):
        walk([root])
    return chains


def executive_summary(views: list[View], ctx: dict[str, Any]) -> list[str]:
    if not views:
        return []
    lines = []
    roots = _roots(views)
    by_prio: dict[str, int] = {}
    for v in roots:
        by_prio[v["priority"]] = by_prio.get(v["priority"], 0) + 1
    counts = ", ".join(f"{n} {p}" for p, n in sorted(by_prio.items()))
    lines.append(f"{len(views)} problems in {ctx['totals']['selected']} selected entries; "
                 f"{len(roots)} independent ({counts}), {len(views) - len(roots)} consequences of those.")
    by_id = {v["id"]: v for v in views}
    top = [v for v in roots if v["priority"] in ("P0", "P1")]
    for v in top:
        words = f"**{v['priority']} {v['status'].upper()}: {v['title']}**: {v['count']} entries"
        if v["instances"]:
            words += f" on {v['instances']} instance(s)"
        if v["revisions"]:
            words += f" of revision {', '.join(v['revisions'])}"
        words += f", from {v['first_seen']} to {v['last_seen']}."
        if v["new_since_revision"]:
            words += f" It is new since revision {v['new_since_revision']}."
        if v["stopped_after_revision"]:
            words += f" It stopped once revision {v['stopped_after_revision']} ran (fixed?)."
        if v["status"] == "regression":
            words += f" Regression: {v['status_reason']}."
        if v["startup_blocking"]:
            words += " The service cannot start while this lasts."
        desc = _descendants(v, by_id)
        if desc:
            words += " It causes: " + "; ".join(f"{d['title']} ({d['count']})" for d in desc) + "."
        failed = _failed_requests([v, *desc])
        if failed:
            words += f" {failed} requests failed with 5xx answers."
        lines.append(words)
    if not top:
        lines.append("No P0 or P1 problem: nothing blocks the service in this window.")
    return lines


def key_findings(views: list[View], by_id: dict[str, View]) -> list[str]:
    out = []
    for v in _roots(views):
        desc = _descendants(v, by_id)
        if v["startup_blocking"]:
            out.append(f"Startup blocked: {v['title']} ({v['count']} entries, {v['instances']} instances).")
        if desc:
            out.append(f"Cascade: {v['title']} → " + " → ".join(d["title"] for d in desc) + ".")
        if v["status"] == "regression":
            out.append(f"Regression: {v['title']}: {v['status_reason']}.")
        if v["new_since_revision"] and v["priority"] in ("P0", "P1"):
            out.append(f"Deploy: {v['title']} started with revision {v['new_since_revision']} "
                       f"(not seen in {', '.join(v['not_in_revisions'])}).")
        if v["stopped_after_revision"]:
            out.append(f"Possibly fixed: {v['title']} stopped once revision {v['stopped_after_revision']} ran.")
        elif v["status"] == "new" and v["priority"] in ("P0", "P1"):
            out.append(f"New: {v['title']} was never seen before this run.")
    failed = _failed_requests(views)
    if failed:
        out.append(f"User impact: {failed} requests answered with 5xx.")
    independent = [v for v in _roots(views) if v["priority"] in ("P2", "P3")]
    if independent:
        out.append("Independent of any incident (not consequences): "
                   + "; ".join(f"{v['title']} ({v['priority']})" for v in independent) + ".")
    return out or ["Nothing notable."]


def immediate_actions(views: list[View], by_id: dict[str, View]) -> list[str]:
    out = []
    for v in _roots(views):
        what = {
            "startup-failure": "fix so the service can start",
            "container-crash": "stop the containers from exiting",
            "request-failure": "restore the failing requests",
            "exception": "fix the unhandled exception",
            "configuration": "correct the configuration",
            "observability": "restore the missing integration",
        }.get(v["category"], "look into")
        ref = f" ({v['issue']['ref']})" if v["issue"].get("ref") else ""
        line = f"**{v['priority']}** {what}: {v['title']}{ref}"
        if v["components"]:
            line += f"; start at `{v['components'][0]}`"
        desc = _descendants(v, by_id)
        if desc:
            line += f"; this also clears {len(desc)} consequence(s)"
        out.append(line + ".")
    return out or ["None."]


def job_summary(doc: dict[str, Any], limit: int = 50) -> str:
    """A run's result document as a short Markdown page: counts, then the problems table (causes first,
    consequences under them). For a CI job's summary (``$GITHUB_STEP_SUMMARY``): log text is escaped
    prose, never Markdown or HTML that acts."""
    from .html import ordered
    from .neutral import inline_code, prose

    t = doc["totals"]
    problems = doc.get("problems", [])
    head = (f"### log-gardener: {prose(doc['service'])}, {len(problems)} problem{'s' if len(problems) != 1 else ''}"
            f"{' (dry run: nothing filed)' if doc.get('dry_run') else ''}\n\n"
            f"Window {doc['window']['start']} to {doc['window']['end']} · read {t['read']:,} · selected "
            f"{t['selected']:,} · rejected {t['rejected']:,} · tracker {prose(doc.get('tracker', '—'))}\n")
    notes = "".join(f"\n> **Coverage:** {prose(n)}\n" for n in doc.get("coverage_notes", []))
    if not problems:
        return head + notes + "\nNo problem at or above the selected severity.\n"
    rows = ["| priority | status | problem | count | first seen | last seen | issue |",
            "|---|---|---|---:|---|---|---|"]
    listed = ordered(problems)
    for depth, p in listed[:limit]:
        title = ("↳ " * depth) + prose(p["title"])
        issue = p["issue"]
        ref = f"[{issue['ref']}]({issue['url']})" if issue.get("url") else (issue.get("ref") or "—")
        rows.append(f"| **{p['priority']}** | {p['status']} | {title} | {p['count']:,} | {p['first_seen'] or '—'} | "
                    f"{p['last_seen'] or '—'} | {ref} {issue['action']} |")
    more = f"\n…and {len(listed) - limit} more (the worklog and the HTML report have all of them).\n" \
        if len(listed) > limit else ""
    ids = f"\nProblem ids: {', '.join(inline_code(p['id']) for _, p in listed[:limit])}\n"
    return head + notes + "\n" + "\n".join(rows) + "\n" + more + ids
