"""Causes and consequences: which problem follows which, on the same instance.

Pure functions over the grouping's timeline. A problem's occurrences on one stream
(instance) are cut into *episodes* (entries less than ``EPISODE_GAP_S`` apart: one
failed start, one crash). Three relations link a problem B to a cause A:

- **follows**: B happens inside an episode of A, or after it within ``window_s`` and
  closer to it than to A's next episode (a crash, then the worker exit, then the
  container exit). A warning logged at every start *before* the crash is closer to the
  next crash than to the previous one: it is not a consequence.
- **request**: B is failed requests (5xx) answered by instances within ``REQUEST_BEFORE_S``
  before or ``REQUEST_AFTER_S`` after an episode of A: requests wait while an instance fails to
  start, so they are logged before the crash as often as after it.
- **precursor**: B is an error logged shortly before every episode of a strictly more
  urgent startup failure A on the same instance (a migration that fails before the database
  timeout that stops the start): part of the same failed start.
- **revision**: B has no instance (Cloud Run's revision events, requests that no instance
  ever answered) and falls ``REQUEST_BEFORE_S`` before to ``REQUEST_AFTER_S`` after an
  episode of A on any instance of the same revision.

B needs the relation for at least ``SHARE`` of its occurrences, in at least
``MIN_EPISODES`` different episodes of A: one coincidence is not evidence. *Symptoms* are
the exception: what the platform reports about the app (a container exit, a failed probe, a
revision not ready, a failed request) is always an effect of something, so one episode is
enough, and a symptom is never a cause. A must be at least as urgent as B, so that a P0 is
never filed under a P2 that happens to log first, unless B is a symptom: then the cause
takes B's urgency (the analysis escalates it).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass

from ..group.grouping import GroupState, Problem
from ..model import Severity

EPISODE_GAP_S = 5.0
WINDOW_S = 60.0
REQUEST_BEFORE_S = 120.0
REQUEST_AFTER_S = 300.0  # a crash-looping instance keeps failing the requests routed to it
PRECURSOR_S = 60.0
SHARE = 0.8
MIN_EPISODES = 2
# Cloud Run's own logs: what they say of an app is a symptom (request logs, system events, exits)
PLATFORM_LOGS = ("run.googleapis.com/varlog/system", "run.googleapis.com/requests",
                 "cloudaudit.googleapis.com/system_event")

Stream = tuple[str, str]


@dataclass(slots=True)
class _Episodes:
    starts: list[float]
    ends: list[float]


def _episodes(times: list[float]) -> _Episodes:
    starts: list[float] = []
    ends: list[float] = []
    for t in times:
        if ends and t - ends[-1] <= EPISODE_GAP_S:
            ends[-1] = t
        else:
            starts.append(t)
            ends.append(t)
    return _Episodes(starts, ends)


Hit = tuple[float, int]  # (delay, index of the episode of A it belongs to)


def _follows(ep: _Episodes, t: float, window_s: float) -> Hit | None:
    """Delay after the episode B belongs to, or None."""
    i = bisect.bisect_right(ep.starts, t) - 1
    if i < 0:
        return None
    lag = t - ep.ends[i]
    if lag <= 0:
        return 0.0, i  # inside the episode
    if lag > window_s:
        return None
    if i + 1 < len(ep.starts) and ep.starts[i + 1] - t < lag:
        return None  # nearer to the next episode: it comes before it, not after this one
    return lag, i


def _around(ep: _Episodes, t: float, _window_s: float) -> Hit | None:
    """Distance to the nearest episode, REQUEST_BEFORE_S before it to REQUEST_AFTER_S after it."""
    i = bisect.bisect_right(ep.starts, t)
    best = None
    if i > 0 and t - ep.ends[i - 1] <= REQUEST_AFTER_S:
        best = (max(0.0, t - ep.ends[i - 1]), i - 1)
    if i < len(ep.starts) and ep.starts[i] - t <= REQUEST_BEFORE_S:
        d = ep.starts[i] - t
        if best is None or d < best[0]:
            best = (d, i)
    return best


def _precedes(ep: _Episodes, t: float, _window_s: float) -> Hit | None:
    i = bisect.bisect_left(ep.starts, t)
    if i < len(ep.starts) and ep.starts[i] - t <= PRECURSOR_S:
        return ep.starts[i] - t, i
    return None


def is_request_problem(problem: Problem) -> bool:
    return all(m.http_statuses for m in problem.members)


def is_symptom(problem: Problem) -> bool:
    """Failed requests, or what the platform logged about the app (exits, probes, revision events)."""
    if is_request_problem(problem):
        return True
    names = problem.stats.log_names if problem.stats is not None else {}
    return bool(names) and all(name in PLATFORM_LOGS for name in names)


def link(
    problems: list[Problem],
    state: GroupState,
    urgency: dict[str, int],
    startup: set[str],
    window_s: float = WINDOW_S,
) -> dict[str, tuple[str, str]]:
    """problem id -> (cause id, reason). ``urgency``: lower is more urgent; ``startup``: the
    problems that stop an instance from starting (they may have precursors)."""
    sig_to_problem = {sid: p.id for p in problems for sid in p.all_ids}
    times: dict[str, dict[Stream, list[float]]] = defaultdict(lambda: defaultdict(list))
    for stream, ts, sid in state.timeline:
        pid = sig_to_problem.get(sid)
        if pid is not None:
            times[pid][stream].append(ts)
    episodes: dict[str, dict[Stream, _Episodes]] = {}
    by_revision: dict[str, dict[Stream, _Episodes]] = {}  # a problem's episodes on all instances of a revision
    for pid, streams in times.items():
        episodes[pid] = {}
        merged: dict[Stream, list[float]] = defaultdict(list)
        for stream, lst in streams.items():
            lst.sort()
            episodes[pid][stream] = _episodes(lst)
            revision = state.revision_of.get(stream)
            if revision is not None and _has_instance(stream):
                merged[(stream[0], revision)].extend(lst)
        by_revision[pid] = {key: _episodes(sorted(lst)) for key, lst in merged.items()}

    by_id = {p.id: p for p in problems}
    symptoms = {p.id for p in problems if is_symptom(p)}
    requests = {p.id for p in problems if is_request_problem(p)}
    causes = [p.id for p in problems if p.severity >= Severity.ERROR and p.id not in symptoms]
    result: dict[str, tuple[str, str]] = {}
    for b in sorted(times):
        occurrences = [(stream, t) for stream, lst in times[b].items() for t in lst]
        needed = 1 if b in symptoms else MIN_EPISODES
        best: tuple[float, int, float, str, str] | None = None
        for a in causes:
            if a == b or (urgency[a] > urgency[b] and b not in symptoms):
                continue
            kind, measure = ("request", _around) if b in requests else ("follows", _follows)
            share, lag = _share(occurrences, episodes[a], by_revision[a], measure, window_s, needed)
            if (share < SHARE and b not in symptoms and a in startup and urgency[a] < urgency[b]
                    and by_id[b].severity >= Severity.ERROR):
                kind = "precursor"
                share, lag = _share(occurrences, episodes[a], by_revision[a], _precedes, window_s, needed)
            if share >= SHARE:
                key = (-share, urgency[a], lag, a, kind)
                if best is None or key < best:
                    best = key
        if best is not None:
            share, a, lag, kind = -best[0], best[3], best[2], best[4]
            if not any(_has_instance(stream) for stream in times[b]):
                kind = "revision"
            result[b] = (a, _reason(kind, a, share, lag))
    return _forest(result)


def _has_instance(stream: Stream) -> bool:
    """Grouping's streams are (service, instance) or, for entries without one, (service, "revision|log")."""
    return "|" not in stream[1]


def _share(occurrences, eps: dict[Stream, _Episodes], by_revision: dict[Stream, _Episodes], measure,
           window_s: float, needed: int) -> tuple[float, float]:
    """The share of occurrences in the relation, and their median delay; 0 without ``needed`` episodes."""
    hits: list[float] = []
    seen: set[tuple[Stream, int]] = set()
    for stream, t in occurrences:
        if _has_instance(stream):
            key, ep = stream, eps.get(stream)
            found = measure(ep, t, window_s) if ep is not None else None
        else:  # no instance: measured against every instance of its revision, around the episodes
            revision = stream[1].split("|", 1)[0]
            key = (stream[0], revision)
            ep = by_revision.get(key)
            found = _around(ep, t, window_s) if ep is not None else None
        if found is not None:
            hits.append(found[0])
            seen.add((key, found[1]))
    if not hits or len(seen) < needed:
        return 0.0, 0.0
    hits.sort()
    return len(hits) / len(occurrences), hits[len(hits) // 2]


def _reason(kind: str, cause: str, share: float, lag: float) -> str:
    if kind == "request":
        return (f"answered by instances failing with {cause} ({share:.0%} of the requests within "
                f"{int(REQUEST_BEFORE_S)} s before or {int(REQUEST_AFTER_S)} s after it, median {lag:.1f} s)")
    if kind == "revision":
        return (f"logged for the revision while its instances failed with {cause} ({share:.0%} of its entries within "
                f"{int(REQUEST_BEFORE_S)} s before or {int(REQUEST_AFTER_S)} s after it, median {lag:.1f} s)")
    if kind == "precursor":
        return (f"logged on the same instance shortly before {cause} in {share:.0%} of its occurrences "
                f"(median {lag:.1f} s before): part of the same failed start")
    return f"follows {cause} on the same instance in {share:.0%} of its occurrences (median delay {lag:.2f} s)"


def _forest(links: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Drop links that would close a cycle."""
    for b in sorted(links):
        seen = {b}
        a = links[b][0]
        while a in links:
            if a in seen:
                del links[b]
                break
            seen.add(a)
            a = links[a][0]
    return links
