"""Command line: a thin layer over the pipeline. Errors are one line and a non-zero exit."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import click
import orjson

from . import __version__
from .limits import LIMITS
from .model import Severity

if TYPE_CHECKING:  # each command imports what it uses, so that `templates` and `--help` start fast
    from rich.console import Console
    from rich.progress import Progress

    from .analyse.rules import Config
    from .garden.local import LocalTracker
    from .garden.remote_state import RemoteState
    from .garden.tracker import Tracker
    from .model import Item, ReadStats
    from .pipeline import RunOptions, RunResult
    from .report.redact import Redactor

DEFAULT_STATE = ".log-gardener/garden.db"


@cache
def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)


def _printable(text: str) -> str:
    """What a terminal gets of a text that may quote the logs or the tracker: no control sequence, no bidi
    control (``report.neutral``)."""
    from .report.neutral import printable

    return printable(text)


class UserError(click.ClickException):
    """Printed as one line, exit 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"log-gardener: error: {self.message}", err=True)


def _parse_time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise UserError(f"{name} '{value}' is not an ISO 8601 time like 2025-09-16T05:44:00Z") from None
    try:
        dt = dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)
        _ = (dt - timedelta(days=1), dt + timedelta(days=1))  # room for the window's arithmetic
    except OverflowError:
        raise UserError(f"{name} '{value}' is out of the range of dates (years 1 to 9999)") from None
    return dt


def _severity(value: str) -> Severity:
    sev = Severity.parse(value)
    if sev is None:
        names = ", ".join(s.name for s in Severity)
        raise UserError(f"--min-severity '{value}' is not one of {names}")
    return sev


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="log-gardener")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error (or set LOG_GARDENER_DEBUG=1).")
def main(debug: bool) -> None:
    """Group a service's WARNING/ERROR logs into problems and keep an issue tracker in step.

    Reads Cloud Logging exports (gcloud --format=json, JSON Lines sink files, Logs
    Explorer copies, nested JSON documents, plain text), finds the distinct problems,
    ranks them P0-P3 with reasons, files or updates one issue per problem in a local
    SQLite tracker, and writes a Markdown worklog.
    """


@main.command("run", short_help="Group logs into problems, garden the tracker, write the worklog.")
@click.option("-i", "--input", "inputs", multiple=True, metavar="PATH",
              help="File, directory (every file in it) or - for stdin. Repeatable. Or read live with --project.")
@click.option("--input-format", "--format", "fmt",
              type=click.Choice(["json-array", "jsonl", "concatenated", "document", "text"]),
              help="Input format; detected from content when omitted.")
@click.option("--project", help="Read live from Cloud Logging in this Google Cloud project (instead of --input).")
@click.option("--service", "services", multiple=True, metavar="NAME",
              help="Cloud Run service (or job) to read; repeatable; all when omitted. With --project.")
@click.option("--resource-type", default="cloud_run_revision", show_default=True,
              help="cloud_run_revision, or cloud_run_job (then --service names the job). With --project.")
@click.option("--filter", "extra_filter", metavar="EXPR", help="More query clauses, ANDed. With --project.")
@click.option("--max-entries", type=click.IntRange(1), help="Stop fetching after this many entries (and say so).")
@click.option("--save", "save_path", metavar="PATH", help="Also write the fetched entries as JSON Lines (replayable).")
@click.option("--logging-endpoint", metavar="URL",
              help="Cloud Logging API endpoint (or env LOG_GARDENER_LOGGING_ENDPOINT); http:// is anonymous.")
@click.option("--min-severity", default="WARNING", show_default=True,
              help="Lowest severity kept. Untagged (DEFAULT) lines are classified from their text.")
@click.option("--since", help="Window length ending at --end (or now), e.g. 30m, 12h, 2d; or 'last': from where "
                               "the previous run's window ended, minus the overlap (10m).")
@click.option("--start", help="Window start, ISO 8601 (UTC when no offset).")
@click.option("--end", help="Window end (exclusive), ISO 8601.")
@click.option("--state", default=None,
              help="State database (SQLite): the local tracker's issues and every problem's history; or "
                   "gs://BUCKET/OBJECT in Cloud Storage (saved back only if no other run saved it meanwhile). "
                   f"[default: {DEFAULT_STATE}; with --tracker github: .log-gardener/github-OWNER-NAME.db]")
@click.option("--tracker", "tracker_kind", type=click.Choice(["local", "github"]), default="local", show_default=True,
              help="Where issues go: the embedded SQLite tracker, or a GitHub repository (--repo).")
@click.option("--repo", metavar="OWNER/NAME", help="GitHub repository, with --tracker github. Token: GITHUB_TOKEN "
                                                    "or GH_TOKEN.")
@click.option("--github-url", metavar="URL", help="GitHub Enterprise API URL (https://HOST/api/v3).")
@click.option("--dry-run", is_flag=True, help="Print what would be filed or commented (with GitHub: every call); "
                                              "write nothing to the tracker.")
@click.option("--max-new-issues", type=click.IntRange(0),
              help="Cap on issues created per run; the rest are listed as not filed. [default: 10, or the config's]")
@click.option("--config", "config_path", metavar="PATH",
              help="Rules file (TOML). Default: ./log-gardener.toml, else [tool.log-gardener] in ./pyproject.toml.")
@click.option("--close-resolved", is_flag=True,
              help="Close issues whose problem was absent from the last N runs (N = resolve_after_runs, 3).")
@click.option("--worklog", type=click.Path(dir_okay=False), help="Worklog path (default: under --worklog-dir).")
@click.option("--worklog-dir", default="gardener-worklogs", show_default=True, type=click.Path(file_okay=False))
@click.option("--json", "json_path", metavar="PATH", help="Write the machine-readable result (- for stdout).")
@click.option("--html", "html_path", metavar="PATH",
              help="Write the run as one self-contained HTML page (charts, causes, traces; loads nothing).")
@click.option("--assignments", "assignments_path", metavar="PATH",
              help="Write one JSON line per selected entry: its insertId (or line) and problem id.")
@click.option("--first-window", default="12h", show_default=True, metavar="DURATION",
              help="Window of a scheduled job's first run: --since last, or a live read without --since, on a "
                   "state with no earlier run reads this much before --end (or now), and says so.")
@click.option("--fail-on", "fail_on", multiple=True, metavar="WHAT",
              help="Exit 3 when a problem of this kind is present (after everything is written): P0..P3 (that "
                   "priority or a more urgent one), new, regression. Repeatable, or comma-separated.")
@click.option("--wait", "wait_s", type=click.FloatRange(0), default=LIMITS.lock_wait_s, show_default=True,
              metavar="SECONDS", help="How long to wait for another run on the same state (a cron job that "
                                      "overran) before exiting 2 with one line; 0: do not wait.")
@click.option("--jobs", type=click.IntRange(0), default=0, show_default=True, metavar="N",
              help="Processes reading the input files (large JSON Lines files are read by byte range, other files "
                   "whole); the result is the same as with one. 0: one per core.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def run_cmd(inputs: tuple[str, ...], fmt: str | None, project: str | None, services: tuple[str, ...],
            resource_type: str, extra_filter: str | None, max_entries: int | None, save_path: str | None,
            logging_endpoint: str | None, min_severity: str, since: str | None, start: str | None,
            end: str | None, state: str | None, tracker_kind: str, repo: str | None, github_url: str | None,
            dry_run: bool, max_new_issues: int | None, config_path: str | None,
            close_resolved: bool, worklog: str | None, worklog_dir: str, json_path: str | None, html_path: str | None,
            assignments_path: str | None, first_window: str, fail_on: tuple[str, ...], wait_s: float,
            jobs: int, quiet: bool) -> None:
    """Collect, group, analyse, garden the tracker and write the worklog.

    Input is files (--input) or Cloud Logging itself (--project). A live run without
    --since/--start resumes where the previous run of the same query ended.
    """
    result, failing = execute_run(
        inputs, fmt=fmt, project=project, services=services, resource_type=resource_type, extra_filter=extra_filter,
        max_entries=max_entries, save_path=save_path, logging_endpoint=logging_endpoint, min_severity=min_severity,
        since=since, start=start, end=end, state=state, tracker_kind=tracker_kind, repo=repo, github_url=github_url,
        dry_run=dry_run, max_new_issues=max_new_issues, config_path=config_path, close_resolved=close_resolved,
        worklog=worklog, worklog_dir=worklog_dir, json_path=json_path, html_path=html_path,
        assignments_path=assignments_path, first_window=first_window, fail_on=fail_on, wait_s=wait_s, jobs=jobs,
        quiet=quiet)
    if not quiet:
        _print_result(result)
    _exit_for(result, failing)


def execute_run(inputs: tuple[str, ...] | list[str], *, fmt: str | None = None, project: str | None = None,
                services: tuple[str, ...] | list[str] = (), resource_type: str = "cloud_run_revision",
                extra_filter: str | None = None, max_entries: int | None = None, save_path: str | None = None,
                logging_endpoint: str | None = None, min_severity: str = "WARNING", since: str | None = None,
                start: str | None = None, end: str | None = None, state: str | None = None,
                tracker_kind: str = "local", repo: str | None = None, github_url: str | None = None,
                dry_run: bool = False, max_new_issues: int | None = None, config_path: str | None = None,
                close_resolved: bool = False, worklog: str | None = None, worklog_dir: str = "gardener-worklogs",
                json_path: str | None = None, html_path: str | None = None, assignments_path: str | None = None,
                first_window: str = "12h", fail_on: tuple[str, ...] | list[str] = (),
                wait_s: float = LIMITS.lock_wait_s, jobs: int = 1, quiet: bool = True,
                collector: Callable | None = None) -> tuple[RunResult, set[str]]:
    """What `log-gardener run` does, printing only progress and notes (none when ``quiet``): the CLI and
    the Python API (``log_gardener.run``) share it. Raises UserError (one line) for what the user must fix."""
    from .analyse.rules import parse_duration
    from .pipeline import RunOptions

    inputs, services = tuple(inputs), tuple(services)

    if bool(inputs) == bool(project):
        raise UserError("give either --input PATH (files, - for stdin) or --project PROJECT (live Cloud Logging)")
    failing = _fail_on(fail_on)
    try:
        first = parse_duration(first_window)
    except ValueError as exc:
        raise UserError(f"--first-window {exc}") from None
    target = TrackerTarget.of(tracker_kind, repo, github_url, state, wait_s)
    state = target.state
    start_dt, end_dt = _parse_time(start, "--start"), _parse_time(end, "--end")
    config = _config(config_path)
    label = None
    if since and start_dt:
        raise UserError("use either --since or --start, not both")
    if project:
        result = _run_live(project, services, resource_type, extra_filter, max_entries, save_path, logging_endpoint,
                           since, start_dt, end_dt, config, target, quiet, first,
                           dict(min_severity=_severity(min_severity), dry_run=dry_run, worklog=worklog,
                                worklog_dir=worklog_dir, json_path=json_path, html_path=html_path,
                                assignments_path=assignments_path,
                                close_resolved=close_resolved, max_new_issues=_cap(max_new_issues, config)))
        return result, failing
    if since and since.strip() == "last":
        last = _last_window_end(target.state)
        if last is None:
            end_dt = end_dt or datetime.now(UTC)
            start_dt = end_dt - first
            if not quiet:
                _err().print(f"first run on {target.shown}: reading the last {first_window} (--first-window)",
                             markup=False)
        else:
            start_dt = last - config.overlap
        label = "since-last"
    elif since:
        try:
            length = parse_duration(since)
        except ValueError as exc:
            raise UserError(f"--since {exc}") from None
        end_dt = end_dt or datetime.now(UTC)
        try:
            start_dt = end_dt - length
        except OverflowError:
            raise UserError(f"--since {since}: longer than the calendar allows") from None
        label = since.strip()
    progress = _reading_progress(quiet)
    opts = RunOptions(
        inputs=list(inputs), fmt=fmt, min_severity=_severity(min_severity), start=start_dt, end=end_dt,
        dry_run=dry_run, max_new_issues=_cap(max_new_issues, config), worklog=worklog, worklog_dir=worklog_dir,
        json_path=json_path, html_path=html_path, assignments_path=assignments_path, window_label=label, config=config,
        close_resolved=close_resolved, source=_counted(list(inputs), fmt, progress, jobs), phase=_phases(progress),
        collector=collector,
    )
    with progress:
        result = _run(opts, target)
    return result, failing


@main.command("beam", short_help="Like run, with reading and grouping done by an Apache Beam pipeline.",
              context_settings={"ignore_unknown_options": True})
@click.option("-i", "--input", "inputs", multiple=True, required=True, metavar="PATH",
              help="Files to read: gs://BUCKET/PREFIX/*.json (any glob Beam's file systems match), local files, "
                   "directories or globs. Repeatable.")
@click.option("--input-format", "--format", "fmt",
              type=click.Choice(["json-array", "jsonl", "concatenated", "document", "text"]),
              help="Input format; detected from content when omitted.")
@click.option("--min-severity", default="WARNING", show_default=True, help="Lowest severity kept.")
@click.option("--since", help="Window length ending at --end (or now), e.g. 12h; or 'last' (see run).")
@click.option("--start", help="Window start, ISO 8601 (UTC when no offset).")
@click.option("--end", help="Window end (exclusive), ISO 8601.")
@click.option("--state", default=None, help=f"State database, as for run. [default: {DEFAULT_STATE}]")
@click.option("--tracker", "tracker_kind", type=click.Choice(["local", "github"]), default="local", show_default=True,
              help="Where issues go, as for run.")
@click.option("--repo", metavar="OWNER/NAME", help="GitHub repository, with --tracker github.")
@click.option("--github-url", metavar="URL", help="GitHub Enterprise API URL (https://HOST/api/v3).")
@click.option("--dry-run", is_flag=True, help="Write nothing to the tracker; say what would be filed.")
@click.option("--max-new-issues", type=click.IntRange(0), help="Cap on issues created per run. [default: 10]")
@click.option("--config", "config_path", metavar="PATH", help="Rules file (TOML), as for run.")
@click.option("--worklog", type=click.Path(dir_okay=False), help="Worklog path (default: under --worklog-dir).")
@click.option("--worklog-dir", default="gardener-worklogs", show_default=True, type=click.Path(file_okay=False))
@click.option("--json", "json_path", metavar="PATH", help="Write the machine-readable result (- for stdout).")
@click.option("--html", "html_path", metavar="PATH", help="Write the run as one self-contained HTML page.")
@click.option("--assignments", "assignments_path", metavar="PATH",
              help="Write one JSON line per selected entry: its insertId (or line) and problem id.")
@click.option("--fail-on", "fail_on", multiple=True, metavar="WHAT", help="As for run: exit 3 when such a problem "
                                                                          "is present.")
@click.option("--wait", "wait_s", type=click.FloatRange(0), default=LIMITS.lock_wait_s, show_default=True,
              metavar="SECONDS", help="How long to wait for another run on the same state.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
@click.argument("beam_args", nargs=-1, type=click.UNPROCESSED, metavar="[-- BEAM OPTIONS...]")
def beam_cmd(inputs: tuple[str, ...], fmt: str | None, min_severity: str, since: str | None, start: str | None,
             end: str | None, state: str | None, tracker_kind: str, repo: str | None, github_url: str | None,
             dry_run: bool, max_new_issues: int | None, config_path: str | None, worklog: str | None,
             worklog_dir: str, json_path: str | None, html_path: str | None, assignments_path: str | None,
             fail_on: tuple[str, ...], wait_s: float, quiet: bool, beam_args: tuple[str, ...]) -> None:
    """Read, deduplicate and group the entries with an Apache Beam pipeline, then analyse, garden the
    tracker and report on this machine exactly as `run` does: the same problems, ids and counts.

    Beam's own options follow `--`: the DirectRunner (this machine) by default, or Dataflow:

    \b
      log-gardener beam -i 'gs://SINK/run.googleapis.com/stderr/2026/11/*/*.json' \\
          --state s.db -- --runner DataflowRunner --project P \\
          --region europe-west1 --temp_location gs://BUCKET/tmp \\
          --service_account_email SA --max_num_workers 10 \\
          --extra_packages dist/log_gardener-0.1.0-py3-none-any.whl

    Needs the optional extra: pip install 'log-gardener[beam]'. Setup: docs/beam.md.
    """
    import logging

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # Beam warns at import about Google clients a local read does not use
    try:
        from .beam import collector
    except ImportError:
        raise UserError("the beam command needs Apache Beam: pip install 'log-gardener[beam]'") from None
    finally:
        root.setLevel(level)
    args = [a for a in beam_args if a != "--"]
    result, failing = execute_run(
        inputs, fmt=fmt, min_severity=min_severity, since=since, start=start, end=end, state=state,
        tracker_kind=tracker_kind, repo=repo, github_url=github_url, dry_run=dry_run, max_new_issues=max_new_issues,
        config_path=config_path, worklog=worklog, worklog_dir=worklog_dir, json_path=json_path, html_path=html_path,
        assignments_path=assignments_path, fail_on=fail_on, wait_s=wait_s, quiet=quiet, collector=collector(args))
    if not quiet:
        _print_result(result)
    _exit_for(result, failing)


FAIL_ON = ("P0", "P1", "P2", "P3", "new", "regression")


def _fail_on(values: tuple[str, ...]) -> set[str]:
    wanted = {v.strip() for value in values for v in value.split(",") if v.strip()}
    unknown = sorted(w for w in wanted if w not in FAIL_ON)
    if unknown:
        raise UserError(f"--fail-on {', '.join(unknown)}: not one of {', '.join(FAIL_ON)}")
    return wanted


def failing_findings(result: RunResult, failing: set[str]) -> list:
    """The problems that match --fail-on (that priority or a more urgent one, or that status), but those a
    rule ignores and those people muted (an issue closed as not planned): nobody is to be paged for them."""
    from .model import MUTED

    if not failing:
        return []
    quiet = {a.finding.id for a in result.actions if a.kind == MUTED}
    worst = min((p for p in failing if p.startswith("P")), default=None)
    return [f for f in result.findings if not f.ignored and f.id not in quiet and (
        (worst is not None and f.priority <= worst) or f.status in failing)]


def _exit_for(result: RunResult, failing: set[str]) -> None:
    """Exit 3 when a problem that is filed (not ignored) matches --fail-on; say which."""
    hits = failing_findings(result, failing)
    if hits:
        f = hits[0]
        _err().print(_printable(f"--fail-on {','.join(sorted(failing))}: {len(hits)} problem(s), e.g. {f.id} "
                               f"{f.priority} {f.status}: {f.title}"), markup=False)
        sys.exit(3)


@dataclass(slots=True)
class TrackerTarget:
    """Which tracker a run gardens, and the state file that goes with it."""

    kind: str
    state: str  # the file opened: for a gs:// state, its downloaded copy
    repo: str | None = None
    github_url: str | None = None
    wait: float = LIMITS.lock_wait_s  # seconds to wait for another run on the same state
    remote: RemoteState | None = None  # a gs:// state: the object, the generation read; saved by _save_state

    @property
    def shown(self) -> str:
        """The state as the user named it (a gs:// URL, not its temporary copy)."""
        return self.remote.url if self.remote else self.state

    @classmethod
    def of(cls, kind: str, repo: str | None, github_url: str | None, state: str | None,
           wait: float = LIMITS.lock_wait_s) -> TrackerTarget:
        if kind == "github":
            if not repo or repo.count("/") != 1:
                raise UserError("--tracker github needs --repo OWNER/NAME")
            default = f".log-gardener/github-{repo.replace('/', '-')}.db"
            return cls(kind, state or default, repo, github_url, wait)._fetched()
        if repo or github_url:
            raise UserError("--repo and --github-url go with --tracker github")
        return cls(kind, state or DEFAULT_STATE, wait=wait)._fetched()

    def _fetched(self) -> TrackerTarget:
        """A gs://BUCKET/OBJECT state downloaded (its generation remembered): the run works on the copy."""
        remote = _fetch_state(self.state)
        if remote is not None:
            self.remote, self.state = remote, str(remote.path)
        return self

    def open(self, dry_run: bool, redactor: Redactor | None = None) -> tuple[Tracker, str]:
        from .garden.local import LocalTracker, StateError
        from .garden.tracker import TrackerError

        # a dry run reads the state when there is one and never creates it
        state = ":memory:" if dry_run and not Path(self.state).exists() else self.state
        tracker: Tracker
        if self.kind == "github":
            from .garden.github import from_env

            try:
                tracker = from_env(self.repo, state, base_url=self.github_url, dry_run=dry_run,
                                   redactor=redactor, wait=self.wait)
            except TrackerError as exc:
                raise UserError(str(exc).replace(self.state, self.shown)) from None
            label = f"github ({self.repo})"
        else:
            try:
                tracker = LocalTracker(state, read_only=dry_run and state != ":memory:", wait=self.wait)
            except StateError as exc:
                raise UserError(str(exc).replace(self.state, self.shown)) from None
            label = f"local ({self.shown})"
        # a run that lost the race for a gs:// state (another run saved it meanwhile) stops before it files
        return (self.remote.guard(tracker) if self.remote and not dry_run else tracker), label


def _fetch_state(state: str) -> RemoteState | None:
    """A gs:// state downloaded to a temporary file (removed with the returned object); None for a path."""
    from .garden.remote_state import RemoteState, RemoteStateError, is_remote

    if not is_remote(state):
        return None
    try:
        return RemoteState.fetch(state)
    except RemoteStateError as exc:
        raise UserError(str(exc)) from None


def _save_state(remote: RemoteState | None) -> None:
    """After a command that wrote a gs:// state: upload it if nobody saved it since it was read; else one line
    and exit 2, the object left as the other run saved it (a re-run starts from there)."""
    from .garden.remote_state import RemoteStateError

    if remote is None:
        return
    try:
        remote.save()
    except RemoteStateError as exc:
        raise UserError(str(exc)) from None


def _reading_progress(quiet: bool) -> Progress:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=_err(),
                        transient=True, disable=quiet or not _err().is_terminal)
    progress.add_task("reading…", total=None)
    return progress


def _phases(progress: Progress) -> Callable[[str], None]:
    """What the pipeline says it is doing, on the same progress line."""
    return lambda what: progress.update(progress.task_ids[0], description=what)


def _counted(inputs: list[str], fmt: str | None, progress: Progress, jobs: int = 1
             ) -> Callable[[ReadStats], Iterator[Item]]:
    """The file source (read by ``jobs`` processes), counting entries on a progress line (a terminal only)."""
    from .sources.parallel import read_parallel

    def source(stats: ReadStats) -> Iterator[Item]:
        task = progress.task_ids[0]
        for n, item in enumerate(read_parallel(inputs, stats, fmt, jobs), 1):
            if not n % 5000:
                progress.update(task, description=f"reading: {stats.read:,} entries")
            yield item

    return source


def _cap(max_new_issues: int | None, config: Config) -> int:
    if max_new_issues is not None:
        return max_new_issues
    return config.max_new_issues if config.max_new_issues is not None else 10


def _run_live(project: str, services: tuple[str, ...], resource_type: str, extra_filter: str | None,
              max_entries: int | None, save_path: str | None, endpoint: str | None, since: str | None,
              start: datetime | None, end: datetime | None, config: Config, target: TrackerTarget,
              quiet: bool, first_window: timedelta, options: dict) -> RunResult:
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from .analyse.rules import parse_duration
    from .garden.local import StateError
    from .pipeline import RunOptions
    from .sources.cloud_logging import CloudLoggingError, CloudQuery, CloudSource

    since_delta = None
    if since:
        if since.strip() == "last":
            since = None  # a live run resumes from its own watermark when no window is given
        else:
            try:
                since_delta = parse_duration(since)
            except ValueError as exc:
                raise UserError(f"--since {exc}") from None
    query = CloudQuery(project, services=tuple(services), resource_type=resource_type,
                       min_severity=options["min_severity"], extra=extra_filter)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=_err(), transient=True,
                        disable=quiet)
    task = progress.add_task("fetching from Cloud Logging…", total=None)
    state = target.state
    try:
        Path(state).parent.mkdir(parents=True, exist_ok=True)
        source = CloudSource(query, state_path=state, start=start, end=end, since=since_delta,
                             overlap=config.overlap, first_since=first_window, endpoint=endpoint,
                             max_entries=max_entries,
                             save_path=save_path,
                             progress=lambda n: progress.update(task, description=f"fetching from Cloud Logging: "
                                                                                  f"{n:,} entries"))
    except CloudLoggingError as exc:
        raise UserError(str(exc)) from None
    except StateError as exc:
        raise UserError(str(exc).replace(state, target.shown)) from None
    try:
        if not quiet:
            _err().print(f"query: {source.filter}", markup=False, highlight=False)
        opts = RunOptions(inputs=[], start=source.window.start, end=source.window.end, config=config,
                          source=source.entries, query=source.filter, window_label=since or None,
                          phase=_phases(progress), **options)
        try:
            with progress:
                result = _run(opts, target, save=False)
        except CloudLoggingError as exc:
            raise UserError(str(exc)) from None
        for note in source.notes if not quiet else ():
            _err().print(note, markup=False, highlight=False)
        if not opts.dry_run:
            source.commit()
    finally:
        source.close()
    if not opts.dry_run:
        _save_state(target.remote)  # after the watermark moved: it is part of the state
    return result


def _last_window_end(state: str) -> datetime | None:
    """Where the previous run's window ended; None on a first run (no state, or no run in it)."""
    if not Path(state).exists():
        return None
    tracker = _open_existing(state)
    try:
        return tracker.last_window_end()
    finally:
        tracker.shutdown()


def _config(path: str | None) -> Config:
    from .analyse.rules import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        raise UserError(str(exc)) from None


def _run(opts: RunOptions, target: TrackerTarget, save: bool = True) -> RunResult:
    """One run on the target; a gs:// state is uploaded after a run that wrote (``save``: not yet, the caller
    writes more to it first)."""
    from .garden.tracker import TrackerError
    from .pipeline import NothingReadError, run
    from .report.redact import Redactor
    from .sources import SourceError

    tracker, label = target.open(opts.dry_run, Redactor.of(opts.config.secret_patterns))
    try:
        result = run(opts, tracker, label)
    except (SourceError, NothingReadError) as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        raise UserError(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": ")) from None
    except TrackerError as exc:
        raise UserError(str(exc)) from None
    finally:
        for warning in getattr(tracker, "warnings", ()):
            _err().print(_printable(f"warning: {warning}"), markup=False)
        for call in getattr(tracker, "planned_calls", ()):
            _err().print(_printable(f"  would {call['method']} {call['path']}: {call['summary']}"), markup=False)
        tracker.shutdown()
    if save and not opts.dry_run:
        _save_state(target.remote)
    return result


TABLE_COLUMNS = ("id", "prio", "count", "title", "action", "issue")
SHORT_ACTION = {"comment-on-cause": "on cause", "not-filed-over-cap": "over cap"}


def _print_result(result: RunResult) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .garden import gardener

    t = result.totals
    _err().print(f"read {t.read} entries, selected {t.selected}, rejected {t.rejected}"
              + (f", {t.duplicates} duplicates dropped" if t.duplicates else ""))
    for r in result.stats.rejects[:10]:
        _err().print(_printable(f"  rejected {r.origin}: {r.reason}"), markup=False)
    if t.rejected > 10:
        _err().print(f"  … and {t.rejected - 10} more rejected (listed in the worklog)")
    from .report.terminal import ordered_rows

    # stdout carries the JSON when --json - was asked for: the table goes to stderr then
    console = _err() if result.context.get("json_to_stdout") else Console(highlight=False, emoji=False)
    dry = result.context["dry_run"]
    rows = []
    for depth, v, a, title in ordered_rows(result.views, result.actions):
        shown_title = ("  " * (depth - 1) + "↳ " if depth else "") + title
        action = ("would " if dry and a.kind in (gardener.CREATE, gardener.COMMENT, gardener.REOPEN) else "") \
            + SHORT_ACTION.get(a.kind, a.kind)
        # every cell a Text: never read as rich markup ("[link=...]" in a title), printable whatever the view holds
        rows.append(tuple(Text(_printable(str(cell))) for cell in (v["id"], v["priority"], v["count"], shown_title,
                                                                  action, a.ref or "—")))
    # one line per problem: the title gives way (cut with an ellipsis) to fit the terminal, nothing wraps
    widths = [max([len(r[i]) for r in rows] + [len(name)]) for i, name in enumerate(TABLE_COLUMNS)]
    room = console.width - sum(w for i, w in enumerate(widths) if i != 3) - 3 * len(TABLE_COLUMNS) - 1
    table = Table(title=f"{len(result.findings)} problems", show_lines=False)
    for i, col in enumerate(TABLE_COLUMNS):
        table.add_column(col, no_wrap=True, overflow="ellipsis",
                         max_width=max(12, room) if i == 3 else None, min_width=None if i == 3 else widths[i])
    for row in rows:
        table.add_row(*row)
    console.print(table)
    urls = [(a.ref, a.issue.url) for a in result.actions if not dry and a.issue is not None and a.issue.url
            and a.kind in (gardener.CREATE, gardener.COMMENT, gardener.REOPEN)]
    for ref, url in urls:
        _err().print(f"  {ref} {url}", markup=False, highlight=False)
    if dry:
        _err().print("dry run: the plan", style="bold")
        for a in result.actions:
            if a.kind == gardener.CREATE:
                _err().print(_printable(f"  would create issue '{a.title}' labels {a.labels}"), markup=False)
            elif a.kind in (gardener.COMMENT, gardener.REOPEN):
                _err().print(_printable(f"  would {a.kind} {a.ref}: {a.reason}"), markup=False)
            elif a.kind == gardener.CONSEQUENCE:
                _err().print(f"  would report {a.finding.id} on its cause's issue {a.ref or '(to be created)'}",
                          markup=False)
    created = sum(1 for a in result.actions if a.kind == gardener.CREATE)
    changed = sum(1 for a in result.actions if a.kind != gardener.UNCHANGED)
    if not dry and changed == 0:
        _err().print("nothing new: every problem is already filed with this evidence; the tracker was not changed")
    elif not dry:
        _err().print(f"tracker: {created} issues created, "
                  f"{sum(1 for a in result.actions if a.kind == gardener.COMMENT)} commented, "
                  f"{sum(1 for a in result.actions if a.kind == gardener.REOPEN)} reopened")
    if result.worklog_path is not None:
        _err().print(_printable(f"worklog: {result.worklog_path}"), markup=False)
    else:
        _err().print("worklog: not written (a dry run writes only what --worklog and --json ask for)")


@main.command("templates", short_help="Mine message templates from plain text (JSON Lines out).")
@click.option("-i", "--input", "inputs", multiple=True, required=True, metavar="PATH",
              help="Plain text, one message per line (- for stdin). Repeatable.")
def templates_cmd(inputs: tuple[str, ...]) -> None:
    """Mine message templates: one JSON line per input line, in input order.

    Each line is {"line": N, "signature": ID, "template": "..."} with <*> for variables;
    N counts lines across all inputs from 1. Signature ids are the ones problems use.
    """
    from .group.templates import TemplateMiner

    miner = TemplateMiner(track=True)
    keys: list[str] = []
    for path in inputs:
        try:
            stream = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise UserError(f"{path}: {exc.strerror or exc}") from None
        with stream:
            try:
                keys.extend(miner.add_many(_text_lines(stream)))
            except OSError as exc:
                raise UserError(f"{path}: {exc.strerror or exc}") from None
    table = miner.finalize()
    # each distinct key serialised once: a line is its number and that tail
    tails = {key: orjson.dumps({"signature": sid, "template": template})[1:] for key, (sid, template) in table.items()}
    out = sys.stdout.buffer
    for start in range(0, len(keys), 4096):
        out.write(b"".join(b'{"line":%d,%s\n' % (n, tails[key])
                           for n, key in enumerate(keys[start:start + 4096], start + 1)))


def _text_lines(stream, chunk: int = 1 << 22) -> Iterator[str]:
    """The lines of a byte stream, decoded in large blocks (per-line reads cost more than the mining)."""
    rest = b""
    while block := stream.read(chunk):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            text = block[:cut].decode("utf-8", errors="replace").replace("\r\n", "\n")
            yield from text.split("\n")[:-1]
    if rest:
        yield rest.decode("utf-8", errors="replace").removesuffix("\r")


@main.command("explain", short_help="Why a problem is grouped, ranked and linked as it is.")
@click.argument("ident", metavar="ID")
@click.option("-i", "--input", "inputs", multiple=True, metavar="PATH",
              help="The logs to explain from, as for 'run'. Without: what the state and the issue say.")
@click.option("--input-format", "--format", "fmt",
              type=click.Choice(["json-array", "jsonl", "concatenated", "document", "text"]),
              help="Input format, as for 'run'.")
@click.option("--min-severity", default="WARNING", show_default=True)
@click.option("--config", "config_path", metavar="PATH", help="Rules file, as for 'run'.")
@click.option("--state", default=None,
              help=f"State database, for statuses and issues. [default: {DEFAULT_STATE} when it exists]")
def explain_cmd(ident: str, inputs: tuple[str, ...], fmt: str | None, min_severity: str, config_path: str | None,
                state: str | None) -> None:
    """Say why a problem is what it is: why its entries are together, why it has its priority,
    what it causes and what causes it. ID: a problem id (p…), a signature id (s…), a unique
    prefix of one, or an issue number (#12). Writes nothing."""
    from .garden import gardener
    from .pipeline import NothingReadError, RunOptions, collect_and_analyse
    from .report.redact import Redactor
    from .sources import SourceError

    state = state or (DEFAULT_STATE if Path(DEFAULT_STATE).exists() else None)
    tracker = _open_existing(state) if state else None
    try:
        keys = _keys_of_ident(ident, tracker)
        if not inputs:
            if tracker is None:
                raise UserError("explain without --input needs a state database (--state)")
            click.echo(_printable(_explain_from_state(ident, keys, tracker)))
            return
        opts = RunOptions(inputs=list(inputs), fmt=fmt, min_severity=_severity(min_severity),
                          config=_config(config_path))
        try:
            found = collect_and_analyse(opts, gardener.history_of(tracker) if tracker else None,
                                        tracker.vocabulary() if tracker else None)
        except (SourceError, NothingReadError) as exc:
            raise UserError(str(exc)) from None
    finally:
        if tracker is not None:
            tracker.shutdown()
    by_id = {f.id: f for f in found.findings}
    candidates = [f for f in found.findings if any(
        k == i or (len(k) >= 4 and i.startswith(k)) for k in keys for i in (f.id, *f.problem.all_ids))]
    if len(candidates) > 1:
        raise UserError(f"{ident} is ambiguous: {', '.join(f.id for f in candidates[:5])}")
    if not candidates:
        raise UserError(f"no problem or signature {ident} in these logs ({len(found.findings)} problems found)")
    finding = candidates[0]
    click.echo(explain_text(finding, by_id, Redactor.of(opts.config.secret_patterns)))


def _keys_of_ident(ident: str, tracker) -> list[str]:
    """What to look for: the problem an issue (#N) was filed for, or the id (or prefix) itself."""
    from .garden.tracker import markers_of

    if not ident.startswith("#"):
        return [ident]
    if tracker is None:
        raise UserError(f"{ident}: an issue number needs the state database (--state)")
    try:
        number = int(ident[1:])
    except ValueError:
        raise UserError(f"{ident} is not an issue number like #12") from None
    issue = tracker.get(number)
    if issue is None:
        raise UserError(f"no issue {ident} in {tracker.path}")
    problem, _ = markers_of(issue.body)
    return [problem] if problem else tracker.keys_of_issue(number)


def _explain_from_state(ident: str, keys: list[str], tracker) -> str:
    """Without the logs: what the state remembers of the problem, and its issue as filed."""
    from .garden.tracker import markers_of

    issue = tracker.find(keys)
    if issue is None and not ident.startswith("#"):
        numbers = tracker.issues_with_key_prefix(ident)
        if len(numbers) > 1:
            raise UserError(f"{ident} is ambiguous: issues {', '.join(f'#{n}' for n in numbers[:5])}")
        issue = tracker.get(numbers[0]) if numbers else None
    if issue is None:
        raise UserError(f"no problem {ident} in {tracker.path}; give the logs with -i to explain it from them")
    problem, _ = markers_of(issue.body)  # the issue's own problem
    lines = [f"problem {problem or '?'}: issue #{issue.number} [{issue.state}"
             + (f", {issue.state_reason}" if issue.state_reason else "") + f"] {issue.title}"]
    history = tracker.history(problem) if problem else None
    if history is not None:
        lines.append(f"seen in {history.runs_seen} run(s), first {history.first_seen}, last {history.last_seen}; "
                     f"last action: {history.last_action}")
    lines += ["", issue.body]
    return "\n".join(lines)


def explain_text(finding, by_id, mask: Redactor) -> str:
    from .report.views import shown

    p = finding.problem
    lines = [f"problem {p.id}: {mask.content(finding.title)}",
             f"  {p.count} entries, {p.severity.name}, {finding.priority} ({finding.category}), "
             f"first {p.first}, last {p.last}",
             f"status: {finding.status} ({finding.status_reason})"]
    lines += [f"deploys: {note}" for note in finding.deploy.notes]
    if finding.ignored:
        lines.append(f"not filed: {finding.ignored}")
    lines.append("why this priority:")
    lines += [f"  - {r}" for r in shown(finding.priority_reasons, mask)]
    lines.append("why these entries are warnings or errors:")
    lines += [f"  - {r} ({n} entries)" for r, n in p.stats.selected_by.most_common()]
    lines.append("why these entries are together:")
    lines += [f"  - {r}" for r in shown(p.reasons, mask)]
    lines.append("signatures:")
    for m in p.members:
        example = m.samples[0][2].text.split("\n", 1)[0][:120] if m.samples else ""
        lines.append(f"  - {m.sig.id} {m.sig.kind} x{m.count}: {mask.content(m.sig.key[:140])}")
        if example:
            lines.append(f"      e.g. {mask.content(example)}")
    if finding.caused_by:
        cause = by_id.get(finding.caused_by)
        lines.append(f"caused by {finding.caused_by} ({mask.content(cause.title) if cause else '?'}): "
                     f"{finding.cause_reason}")
    for c in finding.consequences:
        cf = by_id.get(c)
        lines.append(f"causes {c} ({mask.content(cf.title) if cf else '?'}): {cf.cause_reason if cf else ''}")
    for other, evidence in finding.seen_with:
        of = by_id.get(other)
        lines.append(f"seen together with {other} ({mask.content(of.title) if of else '?'}), not linked: {evidence}")
    return _printable(mask.guard("\n".join(lines)))


@main.group("issues", short_help="List or show the issues of the local tracker.")
def issues_group() -> None:
    """Read the local tracker."""


def _issue_doc(issue, full: bool) -> dict:
    from .report.neutral import printable

    # what the tracker holds may predate neutral text (or be a person's): printable here too
    doc = {"number": issue.number, "title": printable(issue.title), "state": issue.state,
           "state_reason": issue.state_reason, "labels": [printable(lb) for lb in issue.labels],
           "comments": issue.comment_count, "created_at": issue.created_at, "updated_at": issue.updated_at}
    if full:
        doc["body"] = printable(issue.body)
        doc["comments"] = [printable(c) for c in issue.comments]
    return doc


@issues_group.command("list")
@click.option("--state", default=DEFAULT_STATE, show_default=True, help="State database.")
@click.option("--all", "show_all", is_flag=True, help="Include closed issues.")
@click.option("--json", "as_json", is_flag=True, help="One JSON array on stdout.")
def issues_list(state: str, show_all: bool, as_json: bool) -> None:
    """List the issues in the local tracker."""
    tracker = _open_existing(state)
    issues = tracker.list(None if show_all else "open")
    if as_json:
        click.echo(orjson.dumps([_issue_doc(i, full=False) for i in issues], option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(_printable(f"{len(issues)} {'issues' if show_all else 'open issues'} in {state}"))
    for i in issues:  # what the tracker holds may predate neutral titles (or be a person's): printable here
        click.echo(_printable(f"#{i.number:<4} {i.state:<6} {i.title}  [{', '.join(i.labels)}] "
                             f"{i.comment_count} comment(s), updated {i.updated_at}"))


@issues_group.command("show")
@click.argument("number", type=int)
@click.option("--state", default=DEFAULT_STATE, show_default=True, help="State database.")
@click.option("--json", "as_json", is_flag=True, help="The issue, its body and comments as JSON on stdout.")
def issues_show(number: int, state: str, as_json: bool) -> None:
    """Show one issue with its comments."""
    tracker = _open_existing(state)
    issue = tracker.get(number)
    if issue is None:
        raise UserError(f"no issue #{number} in {state}")
    if as_json:
        click.echo(orjson.dumps(_issue_doc(issue, full=True), option=orjson.OPT_INDENT_2).decode())
        return
    click.echo(_printable(f"#{issue.number} [{issue.state}] {issue.title}"))
    click.echo(_printable(f"labels: {', '.join(issue.labels)}"))
    click.echo(_printable(f"created {issue.created_at}, updated {issue.updated_at}\n"))
    click.echo(_printable(issue.body))
    for n, body in enumerate(issue.comments, 1):
        click.echo(_printable(f"\n--- comment {n} ---\n{body}"))


@issues_group.command("close")
@click.argument("number", type=int)
@click.option("--not-planned", is_flag=True,
              help="Close as not planned: the problem is muted (not reopened, no evidence posted) until reopened.")
@click.option("--state", default=DEFAULT_STATE, show_default=True, help="State database.")
def issues_close(number: int, not_planned: bool, state: str) -> None:
    """Close an issue of the local tracker (as GitHub's "Close as completed / not planned")."""
    remote = _fetch_state(state)  # a gs:// state: downloaded, uploaded back once changed
    tracker = _open_existing(state, read_only=False, remote=remote)
    try:
        issue = tracker.get(number)
        if issue is None:
            raise UserError(f"no issue #{number} in {state}")
        tracker.close(issue, "not_planned" if not_planned else "completed")
    finally:
        tracker.shutdown()
    _save_state(remote)
    click.echo(f"#{number} closed as {'not planned: muted' if not_planned else 'completed'}")


def _open_existing(state: str, read_only: bool = True, remote: RemoteState | None = None) -> LocalTracker:
    import weakref

    from .garden.local import LocalTracker, StateError

    remote = remote or _fetch_state(state)  # a gs:// state: read from a downloaded copy
    path = str(remote.path) if remote else state
    if not Path(path).exists():
        raise UserError(f"{state}: no state database here (run 'log-gardener run' first, or pass --state)")
    try:
        tracker = LocalTracker(path, read_only=read_only)
    except StateError as exc:
        raise UserError(str(exc).replace(path, state)) from None
    if remote is not None:
        weakref.finalize(tracker, remote.discard)  # the copy lives as long as the tracker reading it
    return tracker


@main.command("report", short_help="The HTML page (or JSON) of the last run recorded in a state.")
@click.option("--state", default=DEFAULT_STATE, show_default=True, help="State database.")
@click.option("--from", "from_path", metavar="PATH", help="A result document (what run --json wrote) instead "
                                                            "of the state's last run.")
@click.option("--html", "html_path", metavar="PATH", help="Write the self-contained HTML page here.")
@click.option("--json", "json_path", metavar="PATH", help="Write the result document here (- for stdout).")
@click.option("--summary", "summary_path", metavar="PATH",
              help="Write a short Markdown summary (counts and the problems table) here, - for stdout: for a CI "
                   "job's summary ($GITHUB_STEP_SUMMARY).")
def report_cmd(state: str, from_path: str | None, html_path: str | None, json_path: str | None,
               summary_path: str | None) -> None:
    """Render the last run recorded in STATE again, from what the state keeps (the result documents
    of its latest runs), or a result document (--from): no logs are read."""
    from .report.html import render_html
    from .report.redact import Redactor
    from .report.summary import job_summary

    if not (html_path or json_path or summary_path):
        raise UserError("say what to write: --html PATH, --json PATH and/or --summary PATH")
    if from_path:
        try:
            doc = orjson.loads(Path(from_path).read_bytes())
        except OSError as exc:
            raise UserError(f"{from_path}: {exc.strerror or exc}") from None
        except orjson.JSONDecodeError:
            raise UserError(f"{from_path}: not a result document (run --json writes one)") from None
        if not isinstance(doc, dict) or not {"totals", "problems", "window"} <= doc.keys():
            raise UserError(f"{from_path}: not a result document (run --json writes one)")
    else:
        tracker = _open_existing(state)
        try:
            doc = tracker.last_document()
        finally:
            tracker.shutdown()
        if doc is None:
            raise UserError(f"{state}: no run recorded with a result document (runs of log-gardener 0.1 before the "
                            "HTML report kept none): run once more")
    if summary_path:
        text = Redactor().guard(job_summary(doc))
        if summary_path == "-":
            click.echo(text, nl=False)
        else:
            with open(summary_path, "a", encoding="utf-8") as fh:  # a step summary file is appended to
                fh.write(text)
    if json_path:
        data = orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n"
        if json_path == "-":
            sys.stdout.buffer.write(data)
        else:
            Path(json_path).write_bytes(data)
    if html_path:
        Path(html_path).parent.mkdir(parents=True, exist_ok=True)
        Path(html_path).write_text(Redactor().guard(render_html(doc)), encoding="utf-8")  # masked again
        click.echo(f"report written to {html_path}")


DEMO_STATE = ".log-gardener/demo.db"


@main.command("demo", short_help="Run everything on a shipped 12-hour Cloud Run sample.")
@click.option("--state", default=DEMO_STATE, show_default=True,
              help="State database: kept, so that 'issues list' can show what the demo filed.")
@click.option("--worklog-dir", default="gardener-worklogs", show_default=True, type=click.Path(file_okay=False))
@click.option("--json", "json_path", metavar="PATH", help="Also write the JSON result.")
@click.option("--html", "html_path", metavar="PATH", help="Also write the HTML report.")
def demo(state: str, worklog_dir: str, json_path: str | None, html_path: str | None) -> None:
    """Run the whole pipeline on a shipped sample: 12 hours of a Cloud Run backend. A second run
    finds everything filed already (that is the point: runs are safe to repeat)."""
    import shlex
    from importlib import resources

    from .pipeline import RunOptions

    sample = resources.files("log_gardener.demo") / "cloudrun-sample.jsonl.gz"
    with resources.as_file(sample) as path:
        opts = RunOptions(inputs=[str(path)], worklog_dir=worklog_dir, json_path=json_path, html_path=html_path,
                          window_label="12h")
        result = _run(opts, TrackerTarget.of("local", None, None, state))
    _print_result(result)
    click.echo(f"worklog written to {result.worklog_path}")
    click.echo(f"the issues: log-gardener issues list --state {shlex.quote(state)}")


def entry() -> None:
    """Console-script entry: never a traceback in the user's face."""
    try:
        main(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("log-gardener: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:
        if "--debug" in sys.argv or __import__("os").environ.get("LOG_GARDENER_DEBUG"):
            raise
        click.echo(f"log-gardener: internal error: {type(exc).__name__}: {exc} "
                   "(set LOG_GARDENER_DEBUG=1 for the traceback)", err=True)
        sys.exit(1)
