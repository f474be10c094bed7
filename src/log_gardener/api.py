"""The Python API: ``log_gardener.run(...)``, what ``log-gardener run`` does, as a function.

    import log_gardener

    result = log_gardener.run(["export.json"], state="garden.db", since="12h", fail_on=["P0"])
    for p in result.problems:
        print(p["priority"], p["title"], p["issue"]["action"], p["issue"].get("ref"))

The options are the CLI's, by the same names (``--max-new-issues`` is ``max_new_issues``); the
result holds the run's result document, the same one ``--json`` writes. Errors the user must fix
(a missing file, a bad window, a tracker refusing) raise ``log_gardener.Error`` with the CLI's
one-line message. Progress and notes are not printed unless ``quiet=False``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .limits import LIMITS


class Error(Exception):
    """A problem with what was asked (the CLI's exit 2): the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Result:
    """One run. ``document``: the result document (``--json``'s); ``problems`` and ``totals`` are its parts;
    ``failing``: ids of the problems that match ``fail_on`` (the CLI exits 3 when there is one)."""

    document: dict[str, Any]
    worklog: Path | None
    failing: tuple[str, ...]

    @property
    def problems(self) -> list[dict[str, Any]]:
        return self.document["problems"]

    @property
    def totals(self) -> dict[str, int]:
        return self.document["totals"]

    @property
    def exit_code(self) -> int:
        """What ``log-gardener run`` would exit with: 3 when a problem matches ``fail_on``, else 0."""
        return 3 if self.failing else 0


def run(inputs: Sequence[str | Path] = (), *, project: str | None = None, services: Sequence[str] = (),
        since: str | None = None, start: str | None = None, end: str | None = None, min_severity: str = "WARNING",
        input_format: str | None = None, state: str | Path | None = None, tracker: str = "local",
        repo: str | None = None, github_url: str | None = None, dry_run: bool = False,
        max_new_issues: int | None = None, config: str | Path | None = None, close_resolved: bool = False,
        worklog: str | Path | None = None, worklog_dir: str | Path = "gardener-worklogs",
        json_path: str | Path | None = None, html_path: str | Path | None = None,
        assignments_path: str | Path | None = None, first_window: str = "12h", fail_on: Sequence[str] = (),
        wait: float = LIMITS.lock_wait_s, resource_type: str = "cloud_run_revision", extra_filter: str | None = None,
        max_entries: int | None = None, logging_endpoint: str | None = None, jobs: int = 1,
        quiet: bool = True) -> Result:
    """Collect, group, analyse, garden the tracker and write the worklog: ``inputs`` (files, directories)
    or, with ``project``, Cloud Logging itself. See ``log-gardener run --help`` for each option (``jobs``:
    reading processes, 0 for one per core; 1 here by default, since a library should not fork unasked)."""
    import click

    from .cli import execute_run

    def text(p: str | Path | None) -> str | None:
        return None if p is None else str(p)

    try:
        result, failing = execute_run(
            [str(i) for i in inputs], fmt=input_format, project=project, services=list(services),
            resource_type=resource_type, extra_filter=extra_filter, max_entries=max_entries,
            logging_endpoint=logging_endpoint, min_severity=min_severity, since=since, start=start, end=end,
            state=text(state), tracker_kind=tracker, repo=repo, github_url=github_url, dry_run=dry_run,
            max_new_issues=max_new_issues, config_path=text(config), close_resolved=close_resolved,
            worklog=text(worklog), worklog_dir=str(worklog_dir), json_path=text(json_path),
            html_path=text(html_path), assignments_path=text(assignments_path), first_window=first_window,
            fail_on=list(fail_on), wait_s=wait, jobs=jobs, quiet=quiet)
    except click.ClickException as exc:
        raise Error(exc.message) from None
    from .cli import failing_findings

    assert result.document is not None  # every run builds it
    hits = tuple(f.id for f in failing_findings(result, failing))
    return Result(result.document, result.worklog_path, hits)
