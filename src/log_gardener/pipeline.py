"""One run: collect -> select -> group -> analyse -> garden -> report.

The only module that wires I/O (sources, tracker, files) to the pure stages.
"""

from __future__ import annotations

import gc
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from . import __version__
from .analyse.analysis import Finding, History, analyse
from .analyse.deploys import RevisionActivity
from .analyse.rules import Config
from .counted import Counted
from .garden import gardener
from .garden.tracker import ProblemHistory, Tracker
from .group.grouping import GroupBuilder, GroupState, Problem, finalize, resolve_templates
from .model import LOG, Action, Entry, Item, ReadStats, Severity, Vocabulary
from .parse.assemble import assemble
from .report.charts import Buckets
from .report.neutral import neutral
from .report.redact import Redactor
from .report.render import Renderer
from .report.summary import chains_of, executive_summary, immediate_actions, key_findings
from .report.terminal import ordered_rows
from .report.views import finding_view, iso
from .sources.parallel import read_parallel


class NothingReadError(Exception):
    """Nothing at all could be read from the inputs."""


@dataclass(slots=True)
class RunOptions:
    inputs: list[str]
    fmt: str | None = None
    min_severity: Severity = Severity.WARNING
    start: datetime | None = None
    end: datetime | None = None
    dry_run: bool = False
    max_new_issues: int = 10
    worklog: str | None = None  # a path; None = default path under worklog_dir
    worklog_dir: str = "gardener-worklogs"
    json_path: str | None = None
    html_path: str | None = None  # the self-contained HTML report
    assignments_path: str | None = None
    config: Config = field(default_factory=Config)
    close_resolved: bool = False
    # a live source (Cloud Logging) instead of the input files: stats -> entries
    source: Callable[[ReadStats], Iterable[Item | Counted]] | None = None
    query: str | None = None  # the source's query, shown in the worklog
    phase: Callable[[str], None] | None = None  # told what the run is doing now (a progress line)
    window_label: str | None = None
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    jobs: int = 1  # processes reading the input files (0: one per core); the result does not depend on it
    # reads, selects and groups instead of this process (the Beam pipeline); the same result
    collector: Callable[[RunOptions], Collected] | None = None


@dataclass(slots=True)
class Totals:
    read: int = 0
    selected: int = 0
    rejected: int = 0
    duplicates: int = 0
    below_severity: int = 0
    outside_window: int = 0
    attached: int = 0  # entries grouped with the traceback they belong to (headers, chained parts)
    joined: int = 0  # entries that were lines of a multi-line record (counted in selected, below_severity...)
    markers: int = 0  # audit entries: deploys and other changes, never problems

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in self.__slots__}

    def update(self, other: Totals) -> None:
        for k in self.__slots__:
            setattr(self, k, getattr(self, k) + getattr(other, k))


@dataclass(slots=True)
class RunResult:
    totals: Totals
    findings: list[Finding]
    actions: list[Action]
    views: list[dict[str, Any]]
    worklog_path: Path | None
    stats: ReadStats
    context: dict[str, Any]
    document: dict[str, Any] | None = None  # what --json writes, the HTML report shows and the state keeps


def dedupe(items: Iterable[Item | Counted], totals: Totals, activity: RevisionActivity | None = None,
           below: Severity = Severity.WARNING) -> Iterator[Entry]:
    """Drop duplicate entries (same insertId and timestamp, as sinks can write). The entries only counted
    (``counted.py``: below the severity ``below``, no line of a record, no marker) are tallied, and counted
    at the end as below severity or as duplicates; so are the tallies reading workers made (``Counted``).

    Every entry read counts for ``activity`` (when each revision and instance was logging, the deploys).
    """
    seen: set[int] = set()
    counted = Counted(below)
    take = counted.take
    for item in items:
        if type(item) is Counted:  # a reading worker's
            counted.update(item)
            continue
        entry = take(item)
        if entry is None:
            continue
        if activity is not None:
            activity.add(entry)
        if entry.insert_id:
            key = hash((entry.insert_id, entry.timestamp))
            if key in seen:
                totals.duplicates += 1
                continue
            seen.add(key)
        yield entry
    distinct = counted.distinct()
    totals.below_severity += distinct
    totals.duplicates += len(counted) - distinct
    if activity is not None:
        activity.update(counted.activity)


def select(records: Iterable[Entry], opts: RunOptions, totals: Totals) -> Iterator[Entry]:
    """Records at or above the severity, inside the window; audit markers never. Counts are in entries."""
    for record in records:
        n = record.entries
        totals.joined += n - 1
        if record.kind != LOG:
            totals.markers += n
            continue
        if record.severity < opts.min_severity:
            totals.below_severity += n
            continue
        if opts.start or opts.end:
            ts = record.timestamp
            if ts is None or (opts.start and ts < opts.start) or (opts.end and ts >= opts.end):
                totals.outside_window += n
                continue
        totals.selected += n
        yield record


CUT_SHARE = 0.25  # a severity whose entries start (or stop) this far into the window was cut from the input


@dataclass(slots=True)
class Selection:
    """What the pipeline needs of the selected entries as a whole, gathered as they stream past
    (the entries themselves are not kept: memory grows with the problems, not the entries)."""

    first: dict[str, datetime] = field(default_factory=dict)  # severity name -> its earliest entry
    last: dict[str, datetime] = field(default_factory=dict)  # severity name -> its latest entry
    services: Counter = field(default_factory=Counter)
    projects: set[str] = field(default_factory=set)

    def add(self, e: Entry) -> None:
        if e.service:
            self.services[e.service] += 1
        if e.project:
            self.projects.add(e.project)
        ts = e.timestamp
        if ts is None:
            return
        name = e.severity.name
        first, last = self.first.get(name), self.last.get(name)
        if first is None or ts < first:
            self.first[name] = ts
        if last is None or ts > last:
            self.last[name] = ts

    def update(self, other: Selection) -> None:
        self.services.update(other.services)
        self.projects |= other.projects
        for name, t in other.first.items():
            if name not in self.first or t < self.first[name]:
                self.first[name] = t
        for name, t in other.last.items():
            if name not in self.last or t > self.last[name]:
                self.last[name] = t

    @property
    def start(self) -> datetime | None:
        return min(self.first.values(), default=None)

    @property
    def end(self) -> datetime | None:
        return max(self.last.values(), default=None)


def coverage_cut(selection: Selection, start: datetime | None, end: datetime | None) -> dict[str, float]:
    """Severity name -> the time (epoch s) from which the input holds it, for the severities it was cut for."""
    if start is None or end is None or end <= start:
        return {}
    span = (end - start).total_seconds()
    return {name: t.timestamp() for name, t in selection.first.items()
            if (t - start).total_seconds() > CUT_SHARE * span}


def coverage_notes(selection: Selection, start: datetime | None, end: datetime | None) -> list[str]:
    """Severities whose entries start or stop well inside the window: the input was cut (a collector
    that kept the newest N per severity), so what happened before is not in it."""
    if start is None or end is None or end <= start:
        return []
    span = (end - start).total_seconds()
    first, last = selection.first, selection.last
    notes = []
    for name in sorted(first):
        late = (first[name] - start).total_seconds()
        early = (end - last[name]).total_seconds()
        if late > CUT_SHARE * span:
            notes.append(f"{name} entries start at {iso(first[name])}, {late / 60:.0f} min into the window: earlier "
                         f"{name} entries may be missing from the input, so causes before then cannot be checked")
        if early > CUT_SHARE * span:
            notes.append(f"{name} entries stop at {iso(last[name])}, {early / 60:.0f} min before the window ends")
    return notes


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "service"


def _window_label(start: datetime | None, end: datetime | None) -> str:
    if start is None or end is None:
        return "all"
    hours = max(1, round((end - start).total_seconds() / 3600))
    return f"{hours}h"


@dataclass(slots=True)
class Analysis:
    """Everything the pure stages found, before anything is written."""

    stats: ReadStats
    totals: Totals
    selection: Selection
    state: GroupState
    findings: list[Finding]
    activity: RevisionActivity
    vocabulary: Vocabulary | None  # the templates known before, with what this run learned


@dataclass(slots=True)
class Collected:
    """What reading, selecting and grouping produce, before templates are resolved: the same whether one
    process (``collect``) or a distributed pipeline (``beam.collect``) made it."""

    stats: ReadStats
    totals: Totals
    selection: Selection
    state: GroupState
    activity: RevisionActivity


# Reading allocates an object or more per entry and keeps few (no cycles among them): the cyclic garbage
# collector's passes over the growing heap cost a sixth of the time at a million entries. Rarer, not never.
GC_WHILE_READING = (100_000, 50, 100)


def collect(opts: RunOptions) -> Collected:
    """Read, deduplicate, assemble, select and group the entries, in this process."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_WHILE_READING)
    try:
        return _collect(opts)
    finally:
        gc.set_threshold(*before)


def _collect(opts: RunOptions) -> Collected:
    stats = ReadStats(light_below=opts.min_severity)
    totals = Totals()
    activity = RevisionActivity()
    entries = opts.source(stats) if opts.source is not None else read_parallel(opts.inputs, stats, opts.fmt, opts.jobs)
    selection = Selection()
    builder = GroupBuilder(keep_assignments=opts.assignments_path is not None)
    for record in select(assemble(dedupe(entries, totals, activity, opts.min_severity)), opts, totals):
        selection.add(record)
        builder.add(record)
    totals.read = stats.read
    totals.rejected = stats.rejected
    totals.duplicates += stats.duplicates  # a live source skips what an earlier run already read
    _say(opts, f"grouping {totals.selected:,} selected of {stats.read:,} entries read")
    return Collected(stats, totals, selection, builder.finish(), activity)


def collect_and_analyse(opts: RunOptions, history: Callable[[Problem], History | None] | None = None,
                        known: Vocabulary | None = None) -> Analysis:
    """Read, select, group and analyse. Reads the tracker only through ``history`` and the templates
    earlier runs learned (``known``); writes nothing."""
    got = opts.collector(opts) if opts.collector is not None else collect(opts)
    stats, totals, selection, activity = got.stats, got.totals, got.selection, got.activity
    if stats.rejected > 0 and stats.read == stats.rejected:  # everything read was rejected
        first = stats.rejects[0]
        raise NothingReadError(f"nothing could be read: {first.origin}: {first.reason}")
    if stats.read == 0 and opts.inputs:  # a live read of a quiet window is no error; an empty file is
        raise NothingReadError(f"no log entries in {', '.join(opts.inputs)} (empty input)")
    resolution = resolve_templates(got.state, known)
    state = resolution.state
    totals.attached = state.attached
    start, end = opts.start or selection.start, opts.end or selection.end
    _say(opts, "analysing: causes and priorities")
    findings = analyse(finalize(state), state, opts.config, activity, history, coverage_cut(selection, start, end))
    return Analysis(stats, totals, selection, state, findings, activity, resolution.vocabulary)


def charts_of(state: GroupState, per_problem: dict[str, list[float]], activity: RevisionActivity,
              start: datetime | None, end: datetime | None) -> tuple[dict[str, Any] | None, dict[str, list[int]]]:
    """The run's occurrences as aggregates: all selected entries and each problem's, per bucket of the
    window, and the deploys in it (a revision's first entry after the window's first, an audit entry)."""
    times = sorted(ts for _, ts, _ in state.timeline)
    if start is None or end is None or not times:
        return None, {}
    first, last = min(start.timestamp(), times[0]), max(end.timestamp(), times[-1])
    buckets = Buckets.over(first, last)
    deploys = [{"at": iso(t), "revision": neutral(rev), "what": "first entry of the revision"}
               for rev, t in sorted(activity.first.items(), key=lambda kv: kv[1]) if first < t.timestamp() <= last
               and t.timestamp() > times[0]]
    deploys += [{"at": iso(t), "revision": neutral(service), "what": neutral(what)[:200] or "deploy (audit entry)"}
                for t, service, what in sorted(activity.deploys) if first <= t.timestamp() <= last]
    charts = {**buckets.as_dict(), "total": buckets.counts_sorted(times), "deploys": deploys}
    return charts, {pid: buckets.counts_sorted(ts) for pid, ts in per_problem.items()}


def run(opts: RunOptions, tracker: Tracker, tracker_label: str) -> RunResult:
    # the rules file's extra secret patterns mask everything this run writes, like the built-in ones
    redactor = Redactor.of(opts.config.secret_patterns)
    a = collect_and_analyse(opts, gardener.history_of(tracker), tracker.vocabulary())
    stats, totals, selection, state, findings = a.stats, a.totals, a.selection, a.state, a.findings

    window_start = opts.start or selection.start
    window_end = opts.end or selection.end
    services = selection.services
    projects = sorted(selection.projects)
    service = neutral(services.most_common(1)[0][0]) if services else "all-services"  # a label from the logs
    context: dict[str, Any] = {
        "service": service,
        "projects": projects,
        "window_start": iso(window_start) or "—",
        "window_end": iso(window_end) or "—",
        "window_label": opts.window_label or _window_label(window_start, window_end),
        "generated_at": opts.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "min_severity": opts.min_severity.name,
        "totals": totals.as_dict(),
        "formats": dict(stats.formats),
        "tracker": tracker_label,
        "dry_run": opts.dry_run,
        "version": __version__,
    }
    context["config"] = opts.config.source
    context["json_to_stdout"] = opts.json_path == "-" or opts.assignments_path == "-"
    context["query"] = opts.query
    context["coverage_notes"] = coverage_notes(selection, window_start, window_end)
    times = gardener.problem_times(findings, state)  # each problem's entries in time: charts and plan
    context["charts"], context["occurrences"] = charts_of(state, times, a.activity, window_start, window_end)
    titles = {f.id: f.title for f in findings}
    renderer = Renderer(context, redactor, titles)
    resolved: list[ProblemHistory] = []

    def outputs(actions: list[Action], resolved: list[ProblemHistory]) -> tuple[RunResult, list[tuple[Path, Path]]]:
        views = [finding_view(a.finding, totals.selected, a.status, a.as_dict(), redactor, titles) for a in actions]
        context["resolved"] = [{"problem": h.problem_id, "issue": f"#{h.issue_number}", "absent_runs": h.absent_runs,
                                "last_seen": iso(h.last_seen), "closed": opts.close_resolved} for h in resolved]
        result = RunResult(totals, findings, actions, views, None, stats, context)
        _say(opts, "writing the worklog and outputs")
        return result, write_outputs(result, opts, state, renderer)

    def plan() -> list[Action]:
        _say(opts, f"tracker: planning {len(findings):,} problems against {tracker_label}")
        return gardener.plan(findings, state, tracker, opts.max_new_issues, redactor, opts.config.mute_label, times)

    # a dry-run GitHub tracker records every call it would make and keeps nothing: let it
    if not opts.dry_run or getattr(tracker, "dry_run", False):
        staged: list[tuple[Path, Path]] = []
        try:
            with tracker.transaction():
                # planned inside the lock: a run beside this one (a cron job that overran, a manual run) waits,
                # then sees what this one filed, instead of filing it again
                actions = plan()
                _say(opts, f"tracker: writing to {tracker_label}")
                gardener.apply(actions, tracker, renderer)
                resolved = gardener.resolved_candidates(tracker, findings, opts.config.resolve_after_runs)
                if opts.close_resolved:
                    gardener.close_resolved(tracker, resolved, opts.config.resolve_after_runs)
                if a.vocabulary is not None:
                    tracker.keep_vocabulary(a.vocabulary)
                # the record of what was filed is written before the filing commits: a full disk fails the run
                # before anything is filed, never after (a re-run would find nothing new to report)
                result, staged = outputs(actions, resolved)
                tracker.record_run({"totals": totals.as_dict(),
                                    "window": [context["window_start"], context["window_end"]], "inputs": opts.inputs},
                                   result.document)
        except BaseException:
            discard(staged)  # nothing of a run that did not complete is left behind
            raise
    else:
        result, staged = outputs(plan(), resolved)
    publish(staged)
    return result


def _say(opts: RunOptions, what: str) -> None:
    if opts.phase is not None:
        opts.phase(what)


def write_outputs(result: RunResult, opts: RunOptions, state: GroupState, renderer: Renderer
                  ) -> list[tuple[Path, Path]]:
    """Write the worklog, JSON and assignments next to where they go (``publish`` moves them in place):
    written before the tracker's transaction commits, so a full disk fails the run before anything is filed."""
    staged: list[tuple[Path, Path]] = []
    try:
        _write_all(result, opts, state, renderer, staged)
    except BaseException:
        discard(staged)
        raise
    return staged


def _write_all(result: RunResult, opts: RunOptions, state: GroupState, renderer: Renderer,
               staged: list[tuple[Path, Path]]) -> None:
    ctx = result.context
    by_id = {v["id"]: v for v in result.views}
    counts = Counter(a.kind for a in result.actions)
    extra = {
        "summary": executive_summary(result.views, ctx),
        "key_findings": key_findings(result.views, by_id),
        "actions_required": immediate_actions(result.views, by_id),
        "chains": chains_of(result.views, by_id),
        "error_group_map": sorted({(g, f"{v['title']} — {s['describe']}") for v in result.views
                                   for s in v["signatures"] for g in s["error_groups"]}),
        "rejects": [{"origin": neutral(str(r.origin)), "reason": neutral(renderer.redactor.content(r.reason))}
                    for r in result.stats.rejects[:50]],
        "table": [(depth, view) for depth, view, _, _ in ordered_rows(result.views, result.views)],
        "muted": [f"{a.finding.id} ({renderer.redactor.content(a.finding.title)}): {a.reason}"
                  for a in result.actions if a.kind == gardener.MUTED],
        "counts": {
            "create": counts[gardener.CREATE], "comment": counts[gardener.COMMENT], "reopen": counts[gardener.REOPEN],
            "consequence": counts[gardener.CONSEQUENCE], "unchanged": counts[gardener.UNCHANGED],
            "over_cap": counts[gardener.OVER_CAP], "ignored": counts[gardener.IGNORED],
            "muted": counts[gardener.MUTED],
        },
    }
    if not opts.dry_run or opts.worklog:  # a dry run writes only what it is asked for
        text = renderer.worklog(result.views, extra)
        if opts.worklog:
            path = Path(opts.worklog)
        else:
            stamp = opts.now.strftime("%Y%m%dT%H%M%SZ")
            name = f"GCP-LOG-GARDENER-WORKLOG-{ctx['window_label']}-{_slug(ctx['service'])}-{stamp}.md"
            path = Path(opts.worklog_dir) / name
        staged.append(_stage(path, text.encode("utf-8")))
        result.worklog_path = path

    occurrences = ctx["occurrences"]
    doc = result.document = {
        "version": __version__,
        "generated_at": ctx["generated_at"],
        "window": {"start": ctx["window_start"], "end": ctx["window_end"]},
        "service": ctx["service"],
        "tracker": ctx["tracker"],
        "dry_run": opts.dry_run,
        "totals": result.totals.as_dict(),
        "formats": ctx["formats"],
        "coverage_notes": [neutral(n) for n in ctx["coverage_notes"]],
        "rejects": extra["rejects"],
        "resolved_candidates": ctx["resolved"],
        "config": ctx["config"],
        "charts": ctx["charts"],
        "problems": [{**v, "occurrences": occurrences.get(v["id"], [])} for v in result.views],
    }
    if opts.json_path:
        _write_bytes(opts.json_path, orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n", staged)
    if opts.html_path:
        from .report.html import render_html

        _write_bytes(opts.html_path, renderer.redactor.guard(render_html(doc)).encode("utf-8"), staged)
    if opts.assignments_path:
        sig_to_problem = {sid: f.id for f in result.findings for sid in f.problem.all_ids}
        # in one order whatever grouped the streams in which order (every core, Beam): by insertId, then
        # by file and line
        rows = sorted(((ref[0] != "insertId", ref[1], -1 if len(ref) < 3 or ref[2] is None else ref[2]), ref,
                       sig_to_problem[sid]) for ref, sid in state.assignments)
        lines = [orjson.dumps({"insertId": ref[1], "problem": pid} if ref[0] == "insertId"
                              else {"line": ref[2], "source": ref[1], "problem": pid}) for _, ref, pid in rows]
        _write_bytes(opts.assignments_path, b"\n".join(lines) + (b"\n" if lines else b""), staged)


def _write_bytes(path: str, data: bytes, staged: list[tuple[Path, Path]]) -> None:
    if path == "-":
        import sys

        sys.stdout.buffer.write(data)
        return
    staged.append(_stage(Path(path), data))


def _stage(path: Path, data: bytes) -> tuple[Path, Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp, path


def publish(staged: list[tuple[Path, Path]]) -> None:
    """Move the written outputs in place (a rename: nothing more to write)."""
    for tmp, path in staged:
        os.replace(tmp, path)


def discard(staged: list[tuple[Path, Path]]) -> None:
    for tmp, _ in staged:
        tmp.unlink(missing_ok=True)
