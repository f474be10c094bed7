"""The run as one self-contained HTML page: a picture of the incident first, then each problem.

Rendered from the result document alone (what ``--json`` writes and the state keeps for
``log-gardener report``), so a page can be made again from any past run.

Charts are SVG drawn here, on the server side: no charting library, no script needed to see
them, they print, and they are aggregates (at most ``charts.MAX_BUCKETS`` bars per chart, never
one mark per entry). The page loads nothing: styles and the one small script (filtering and
sorting the table) are inline, allowed by their hashes in a Content-Security-Policy that forbids
everything else. Every string from the document is escaped by the template engine (the views
masked secrets and neutralised log text before): a ``<script>`` in a log line stays text.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .terminal import ordered_rows

W, LEFT, RIGHT, TOP, BOTTOM = 960, 44, 8, 16, 20  # chart geometry, in viewBox units
PRIORITIES = ("P0", "P1", "P2", "P3")


def _asset(name: str) -> str:
    return resources.files("log_gardener.report").joinpath("templates", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def _epoch(text: str | None) -> float | None:
    if not text or text == "—":
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _short(epoch: float, seconds: int) -> str:
    fmt = "%Y-%m-%d" if seconds >= 86400 else "%m-%d %H:%M" if seconds >= 60 else "%H:%M:%S"
    return datetime.fromtimestamp(epoch, UTC).strftime(fmt)


def chart(counts: list[int], charts: dict[str, Any], caption: str, height: int = 90,
          deploys: bool = True) -> Markup:
    """Bars per bucket (one ``rect.bar`` per bucket with entries), deploys as dashed vertical lines; the
    counts in words for screen readers (``aria-label``) and a table below for everyone."""
    n = max(1, len(counts))
    start, seconds = _epoch(charts["start"]) or 0.0, int(charts["bucket_seconds"])
    plot_w, plot_h = W - LEFT - RIGHT, height - TOP - BOTTOM
    step = plot_w / n
    peak = max(counts, default=0)
    total = sum(counts)
    parts = [f'<line class="axis" x1="{LEFT}" y1="{TOP + plot_h}" x2="{W - RIGHT}" y2="{TOP + plot_h}"/>']
    for i, c in enumerate(counts):
        if c:
            h = max(1.0, c / peak * plot_h)
            at = _short(start + i * seconds, seconds)
            parts.append(f'<rect class="bar" x="{LEFT + i * step:.1f}" y="{TOP + plot_h - h:.1f}" '
                         f'width="{max(step - 0.6, 0.8):.1f}" height="{h:.1f}" data-n="{c}">'
                         f"<title>{escape(at)}: {c:,}</title></rect>")
    parts.append(f'<text x="{LEFT - 4}" y="{TOP + 9}" text-anchor="end">{peak:,}</text>')
    parts.append(f'<text x="{LEFT - 4}" y="{TOP + plot_h}" text-anchor="end">0</text>')
    ticks = min(6, n)
    for k in range(ticks + 1):
        i = round(k * n / ticks)
        anchor = "start" if k == 0 else "end" if k == ticks else "middle"
        parts.append(f'<text x="{LEFT + i * step:.1f}" y="{height - 5}" text-anchor="{anchor}">'
                     f"{escape(_short(start + i * seconds, seconds))}</text>")
    marks = charts.get("deploys", []) if deploys else []
    lines: dict[int, list[dict[str, Any]]] = {}  # deploys closer than a bar's width share one line
    for d in marks:
        t = _epoch(d["at"])
        if t is not None:
            lines.setdefault(int((t - start) // seconds), []).append({**d, "t": t})
    last_label = -W
    for group in lines.values():
        x = LEFT + (group[0]["t"] - start) / seconds * step
        said = "; ".join(f"{d['revision']}: {d['what']} at {d['at']}" for d in group)
        parts.append(f'<line class="deploy" x1="{x:.1f}" y1="{TOP - 4}" x2="{x:.1f}" y2="{TOP + plot_h}">'
                     f"<title>{escape(said)}</title></line>")
        if x - last_label > 150:  # labels that would overlap are left to the line's tooltip and the text below
            name = group[0]["revision"][-32:] + (f" +{len(group) - 1}" if len(group) > 1 else "")
            parts.append(f'<text class="deploy-label" x="{x + 3:.1f}" y="{TOP - 5}">{escape(name)}</text>')
            last_label = x
    busiest = counts.index(peak) if peak else 0
    words = (f"{caption}: {total:,} entries in {n} buckets of one {charts['bucket']} from "
             f"{_short(start, seconds)} UTC; busiest {_short(start + busiest * seconds, seconds)} with {peak:,}"
             + (f"; {len(marks)} deploy{'s' if len(marks) != 1 else ''} marked" if marks else ""))
    svg = (f'<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{escape(words)}" '
           f'data-buckets="{n}">' + "".join(parts) + "</svg>")
    rows = "".join(f"<tr><td>{escape(_short(start + i * seconds, seconds))}</td><td class=num>{c:,}</td></tr>"
                   for i, c in enumerate(counts) if c)
    table = (f"<details class=counts-box><summary>Entries per {escape(charts['bucket'])} (table)</summary>"
             f"<table class=counts><thead><tr><th>from (UTC)</th><th class=num>entries</th></tr></thead>"
             f"<tbody>{rows}</tbody></table></details>")
    return Markup(svg + table)


def when(text: str | None) -> Markup:
    """A time as ``<time>``: short on the page (month-day and time to the second), whole in ``datetime``."""
    t = _epoch(text)
    if t is None:
        return Markup("—")
    short = datetime.fromtimestamp(t, UTC).strftime("%m-%d %H:%M:%S")
    return Markup(f'<time datetime="{escape(text)}" title="{escape(text)}">{short}</time>')


def ordered(problems: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """(depth, problem): the rows of the terminal's and the worklog's table (causes in priority order, each
    followed by its consequences)."""
    return [(depth, view) for depth, view, _, _ in ordered_rows(problems, problems)]


def chain_of(p: dict[str, Any], by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The path from the root cause down to ``p``."""
    path = [p]
    while path[0].get("caused_by") in by_id and len(path) < 10 and by_id[path[0]["caused_by"]] not in path:
        path.insert(0, by_id[path[0]["caused_by"]])
    return path


def render_html(doc: dict[str, Any]) -> str:
    """The page for one result document."""
    css, js = _asset("report.css"), _asset("report.js")
    env = jinja2.Environment(loader=jinja2.PackageLoader("log_gardener", "report/templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    problems = doc.get("problems", [])
    by_id = {p["id"]: p for p in problems}
    charts = doc.get("charts")
    rows = ordered(problems)
    statuses = sorted({p["status"] for p in problems})
    csp = (f"default-src 'none'; script-src '{_sha256(js)}'; style-src '{_sha256(css)}'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    return env.get_template("report.html.j2").render(
        doc=doc, rows=rows, by_id=by_id, charts=charts, statuses=statuses,
        priorities=[q for q in PRIORITIES if any(p["priority"] == q for p in problems)],
        chart=chart, chain_of=chain_of, when=when, css=Markup(css), js=Markup(js), csp=csp, epoch=_epoch)
