"""Text rendering: worklog, issue bodies and comments, from the same dict views (jinja2)."""

from __future__ import annotations

from typing import Any

import jinja2
import orjson

from ..model import Action
from .redact import Redactor, fence, neutralise_mentions
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
    return fence(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode(), "json")


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("log_gardener", "report/templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["json_block"] = _json_block
    env.filters["fence"] = fence
    # views mask log content; in prose, no @-mention may notify anyone
    env.filters["safe_text"] = lambda s: neutralise_mentions(str(s))
    env.globals["IMPACT"] = IMPACT
    return env


class Renderer:
    """Builds every text the gardener writes; masking and mention-neutralising happen here."""

    def __init__(self, context: dict[str, Any], redactor: Redactor | None = None,
                 titles: dict[str, str] | None = None) -> None:
        self.env = _env()
        self.context = context  # run facts: window, service, totals
        self.redactor = redactor or Redactor()
        self.titles = titles or {}  # problem id -> title, for the problems a view refers to

    def _view(self, action: Action) -> dict[str, Any]:
        return finding_view(action.finding, self.context["totals"]["selected"], action.status, action.as_dict(),
                            self.redactor, self.titles)

    def _trim(self, text: str) -> str:
        # last line of defence: a secret's own shape is masked whatever a template let through
        text = self.redactor.publish(text)
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

    def summary(self, action: Action, total: int, runs: int) -> str:
        """The living summary at the top of an issue: rewritten by every run that has news."""
        p, h = action.finding.problem, action.history
        first = min((t for t in (p.first, h.first_seen if h else None) if t is not None), default=None)
        last = max((t for t in (p.last, h.last_seen if h else None) if t is not None), default=None)
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
        text = self.env.get_template("worklog.md.j2").render(problems=views, run=self.context, iso=iso, compact=True,
                                                              **extra)
        return self.redactor.guard(text)
