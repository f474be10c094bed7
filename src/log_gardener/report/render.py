"""Text rendering: worklog, issue bodies and comments, from the same dict views (jinja2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2
import orjson

from ..model import Action
from .neutral import code_body, inline_code, neutral, printable, prose
from .redact import Redactor, fence
from .summary import executive_summary, immediate_actions, key_findings
from .views import finding_view, iso

GITHUB_BODY_LIMIT = 65_536
MARKER = "<!-- log-gardener:problem={id} -->"

IMPACT = {
    "startup-failure": "Instances cannot start: the service is down or degraded for as long as this lasts.",
    "container-crash": "Containers exit and are restarted; requests routed to them fail meanwhile.",
    "request-failure": "Requests fail: users see errors.",
    "exception": "Requests or jobs fail with an unhandled exception.",
    "configuration": "Configuration is wrong or silently corrected at run time; behaviour may differ from intent.",
    "observability": "Insight is lost (error tracking or telemetry); nothing fails by itself.",
    "error": "Errors are logged; the impact depends on the caller.",
    "warning": "A warning; no failure was seen with it.",
    "other": "Low-severity noise.",
}


def _json_block(value: Any) -> str:
    # orjson escapes control characters; neutral takes what it leaves (bidi controls, "<!--")
    return fence(neutral(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()), "json")


def _fence(text: Any, lang: str = "") -> str:
    return fence(neutral(str(text)), lang)


def _code(text: Any) -> str:
    return inline_code("" if text is None else str(text))


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("log_gardener", "report/templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # Log text reaches Markdown only through these: a fence, inline code, or inert prose ("md", set per
    # renderer: it masks first). The tool's own words and values (ids, counts, times) are written as they are.
    env.filters["json_block"] = _json_block
    env.filters["fence"] = _fence
    env.filters["code"] = _code
    env.globals["IMPACT"] = IMPACT
    return env


def _markdown_facts(view: dict[str, Any], md: Any) -> dict[str, Any]:
    """A view whose log-derived facts are Markdown already, for the summary sentences (``report.summary``
    writes Markdown around a view's facts): prose escaped, components as the inside of the code span it
    writes (`` `{component}` ``)."""
    def opt(value: str | None) -> str | None:
        return None if value is None else md(value)

    return {**view, "title": md(view["title"]), "status_reason": opt(view["status_reason"]),
            "revisions": [md(r) for r in view["revisions"]],
            "new_since_revision": opt(view["new_since_revision"]),
            "stopped_after_revision": opt(view["stopped_after_revision"]),
            "not_in_revisions": [md(r) for r in view["not_in_revisions"]],
            "components": [code_body(c) for c in view["components"]]}


class Renderer:
    """Builds every text the gardener writes; masking and mention-neutralising happen here."""

    def __init__(self, context: dict[str, Any], redactor: Redactor | None = None,
                 titles: dict[str, str] | None = None) -> None:
        self.env = _env()
        self.context = context  # run facts: window, service, totals
        self.redactor = redactor or Redactor()
        self.titles = titles or {}  # problem id -> title, for the problems a view refers to
        self.env.filters["md"] = self.md

    def md(self, text: Any) -> str:
        """Text that may quote the logs, as inert Markdown prose. Masked before it is escaped: the escapes
        (``ghp\\_...``) would hide a secret's shape from the last pass over the whole text."""
        return prose(self.redactor.guard("" if text is None else str(text)))

    def _view(self, action: Action) -> dict[str, Any]:
        return finding_view(action.finding, self.context["totals"]["selected"], action.status, action.as_dict(),
                            self.redactor, self.titles)

    def _trim(self, text: str) -> str:
        # last line of defence: a secret's own shape is masked whatever a template let through, and no
        # control character is left in the whole text (the tool's markers stay: not neutral, printable)
        text = printable(self.redactor.publish(text))
        if len(text) <= GITHUB_BODY_LIMIT - 200:
            return text
        cut = text[: GITHUB_BODY_LIMIT - 400]
        if cut.count("```") % 2:
            cut += "\n```"
        return cut + "\n\n…(trimmed to fit the tracker's size limit)\n"

    def issue_body(self, action: Action, consequences: list[Action]) -> str:
        text = self.env.get_template("issue_body.md.j2").render(
            p=self._view(action), consequences=[self._view(c) for c in consequences],
            run=self.context, marker=MARKER.format(id=action.finding.id), compact=False)
        return self._trim(text)

    def summary(self, action: Action, total: int, runs: int, first: datetime | None, last: datetime | None) -> str:
        """The living summary at the top of an issue: rewritten by every run that has news."""
        status = "regression" if action.kind == "reopen" else action.status
        line1 = (f"> **Status:** {status} · **{action.finding.priority}** · **{total:,} entries** reported over "
                 f"{runs} run{'s' if runs != 1 else ''} · **first seen** {iso(first) or '—'} · "
                 f"**last seen** {iso(last) or '—'}")
        line2 = f"> **This run:** {action.new_entries:,} new entries"
        if action.spark:
            line2 += f" · per hour `{action.spark}`"
        return f"{line1}  \n{line2}"

    def comment(self, action: Action, consequences: list[Action], reopened: bool = False) -> str:
        text = self.env.get_template("comment.md.j2").render(
            p=self._view(action), a=action, consequences=[self._view(c) for c in consequences],
            run=self.context, reopened=reopened, marker=MARKER.format(id=action.finding.id))
        return self._trim(text)

    def worklog(self, views: list[dict[str, Any]], extra: dict[str, Any]) -> str:
        # the summary sentences are Markdown written around the views' facts: written again here from facts
        # that are Markdown already (the caller's are from the plain views, right for any other use)
        facts = [_markdown_facts(v, self.md) for v in views]
        by_id = {v["id"]: v for v in facts}
        extra = {**extra, "summary": executive_summary(facts, self.context), "key_findings": key_findings(facts, by_id),
                 "actions_required": immediate_actions(facts, by_id)}
        text = self.env.get_template("worklog.md.j2").render(problems=views, run=self.context, iso=iso, compact=True,
                                                              **extra)
        return printable(self.redactor.guard(text))
