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

B needs the relation for at least ``SHARE`` of its occurrences, and A must be at least
as urgent as B, so that a P0 is never filed under a P2 that happens to log first.
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


def _follows(ep: _Episodes, t: float, window_s: float) -> float | None:
    """Delay after the episode B belongs to, or None."""
    i = bisect.bisect_right(ep.starts, t) - 1
    if i < 0:
        return None
    lag = t - ep.ends[i]
    if lag <= 0:
        return 0.0  # inside the episode
    if lag > window_s:
        return None
    if i + 1 < len(ep.starts) and ep.starts[i + 1] - t < lag:
        return None  # nearer to the next episode: it comes before it, not after this one
    return lag


def _around(ep: _Episodes, t: float, _window_s: float) -> float | None:
    """Distance to the nearest episode, REQUEST_BEFORE_S before it to REQUEST_AFTER_S after it."""
    i = bisect.bisect_right(ep.starts, t)
    best = None
    if i > 0 and t - ep.ends[i - 1] <= REQUEST_AFTER_S:
        best = max(0.0, t - ep.ends[i - 1])
    if i < len(ep.starts) and ep.starts[i] - t <= REQUEST_BEFORE_S:
        d = ep.starts[i] - t
        best = d if best is None else min(best, d)
    return best


def _precedes(ep: _Episodes, t: float) -> float | None:
    i = bisect.bisect_left(ep.starts, t)
    if i < len(ep.starts) and ep.starts[i] - t <= PRECURSOR_S:
        return ep.starts[i] - t
    return None


def is_request_problem(problem: Problem) -> bool:
    return all(m.http_statuses for m in problem.members)


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
    for pid, streams in times.items():
        episodes[pid] = {}
        for stream, lst in streams.items():
            lst.sort()
            episodes[pid][stream] = _episodes(lst)

    by_id = {p.id: p for p in problems}
    requests = {p.id for p in problems if is_request_problem(p)}
    # failed requests are symptoms: logged when the request ends, after what broke it
    causes = [p.id for p in problems if p.severity >= Severity.ERROR and p.id not in requests]
    result: dict[str, tuple[str, str]] = {}
    for b in sorted(times):
        occurrences = [(stream, t) for stream, lst in times[b].items() for t in lst]
        best: tuple[float, int, float, str, str] | None = None
        for a in causes:
            if a == b or urgency[a] > urgency[b]:
                continue
            if b in requests:
                kind, measure = "request", _around
            else:
                kind, measure = "follows", _follows
            share, lag = _share(occurrences, episodes[a], measure, window_s)
            if (share < SHARE and b not in requests and a in startup and urgency[a] < urgency[b]
                    and by_id[b].severity >= Severity.ERROR):
                kind = "precursor"
                share, lag = _share(occurrences, episodes[a], lambda ep, t, _w: _precedes(ep, t), window_s)
            if share >= SHARE:
                key = (-share, urgency[a], lag, a, kind)
                if best is None or key < best:
                    best = key
        if best is not None:
            share, a, lag, kind = -best[0], best[3], best[2], best[4]
            result[b] = (a, _reason(kind, a, share, lag))
    return _forest(result)


def _share(occurrences, eps: dict[Stream, _Episodes], measure, window_s: float) -> tuple[float, float]:
    hits: list[float] = []
    for stream, t in occurrences:
        ep = eps.get(stream)
        if ep is None:
            continue
        d = measure(ep, t, window_s)
        if d is not None:
            hits.append(d)
    if not hits:
        return 0.0, 0.0
    hits.sort()
    return len(hits) / len(occurrences), hits[len(hits) // 2]


def _reason(kind: str, cause: str, share: float, lag: float) -> str:
    if kind == "request":
        return (f"answered by instances failing with {cause} ({share:.0%} of the requests within "
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
