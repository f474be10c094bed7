"""Causes and consequences, with evidence.

A consequence is reported on its cause's issue, never filed alone: a false link hides a real
problem from everyone, a missed one files noise. So a link needs evidence, and a causal role,
and its reason says both.

**Evidence.** A problem's occurrences on one stream (an instance) are cut into *episodes*
(entries less than ``EPISODE_GAP_S`` apart: one failed start, one crash). B is explained by A:

- **same request**: B's request logs carry the trace of A's entries (a handler exception and the
  500 of that request). An A whose entries carry traces (a request-scoped error) explains failed
  requests only this way: a 5xx whose trace holds no A entry is not A's consequence.
- **follows**: a B episode starts inside an A episode on the same instance, or after it within a
  window and nearer to it than to A's next episode. The window is twice the time B usually takes
  to follow A (at least ``MIN_WINDOW_S``, at most ``WINDOW_S``).
- **request**: failed requests answered by the instance ``REQUEST_BEFORE_S`` before to
  ``REQUEST_AFTER_S`` after an A episode (requests wait while an instance fails to start).
- **revision**: an entry without an instance (a revision's "not ready" event, a request that no
  instance answered) around an A episode on any instance of its revision, A a start-up failure.
- **precursor**: B, an error, comes shortly before A's failed starts (A a start-up failure) and
  is specific to them: not also before the starts where A did not happen.

Time evidence must be repeated and beat chance: most of B's episodes explained (``SHARE``), at
least ``MIN_EPISODES`` of them, in as many different episodes of A (or two, on two instances),
and unlikely if B's times were independent of
A's: a B episode lands in A's windows by chance with the share of its stream's life that those
windows cover, and the number explained must be improbable under that (``ALPHA``, the
Poisson-binomial tail). An error logged every minute covers the whole day and explains nothing.
Revision and same-request links need one occurrence (the revision or the request is the
evidence); a dying instance explains the exits and failed requests around its death without the
chance test (there is nothing healthy to compare with in a crash loop).

**Role.** B is a consequence when it reports an effect: a *symptom* (what the platform says of
the app: a container exit, a failed start-up probe, a revision not ready, a failed request), an
*effect* statement (a retry, a fallback, a worker or start-up failure, an exit), or any error
after a *disruptive* A (one that stops the process: a start-up failure, a crash, a critical
error). Two faults that merely co-occur, with the evidence but without the role, are *seen
together*: each keeps its own issue and says so. Symptoms are never causes; causes are errors;
nothing is linked across services. A cause may be less urgent than its consequence: the
analysis then raises it. Occurrences before the input covers the cause's severity (a collector
that kept the newest N entries) count neither way.
"""

from __future__ import annotations

import bisect
import gc
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from ..group.grouping import GroupState, Problem
from ..group.signature import KIND_TEMPLATE
from ..model import Severity
from .platform import is_platform_message

EPISODE_GAP_S = 5.0
WINDOW_S = 60.0
MIN_WINDOW_S = 1.0
REQUEST_BEFORE_S = 120.0
REQUEST_AFTER_S = 300.0  # a crash-looping instance keeps failing the requests routed to it
PRECURSOR_S = 60.0
START_S = 300.0  # an instance's first minutes: its start
SHARE = 0.8
MIN_EPISODES = 3
ALPHA = 0.01
MAX_HEALTHY_SHARE = 0.2  # a precursor seen before more of the healthy starts than this is not specific
# Cloud Run's own logs: what they say of an app is a symptom (request logs, system events, exits)
PLATFORM_LOGS = ("run.googleapis.com/varlog/system", "run.googleapis.com/requests",
                 "cloudaudit.googleapis.com/system_event")
# what a component says when something else went wrong: it retries, falls back, gives up, could not start
_EFFECT = re.compile(
    r"\b(?:retry|retrying|retried|retries|re-?trying|fall(?:ing)? ?back|giving up|gave up|abort(?:ing|ed)?|exiting|"
    r"shutting down|shut down|failed to boot|start-?up failed|failed to start|terminat(?:ed|ing)|restart(?:ing|ed)|"
    r"killed|exited|(?:init|initiali[sz]ation|setup|boot|load(?:ing)?) (?:failed|error)|"
    r"(?:could not|cannot|failed to|unable to) (?:initiali[sz]e|init|set ?up|boot|load))\b", re.I)

Stream = tuple[str, str]


@dataclass(slots=True)
class _Episodes:
    starts: list[float]
    ends: list[float]


def _episodes(times: list[float]) -> _Episodes:
    if len(times) < 2:
        return _Episodes(list(times), list(times))
    last = times[0]
    starts = [last]
    ends: list[float] = []
    for t in times:
        if t - last > EPISODE_GAP_S:
            ends.append(last)
            starts.append(t)
        last = t
    ends.append(last)
    return _Episodes(starts, ends)


@dataclass(slots=True)
class _Starts:
    """A problem's episode starts on each stream."""

    by_stream: dict[Stream, list[float]]  # in stream order
    position: dict[Stream, int]  # the stream's place in that order
    total: int


@dataclass(slots=True)
class Link:
    """Why B is A's consequence: the relation and its numbers."""

    cause: str
    kind: str  # same-request | follows | request | revision | precursor
    explained: int  # B episodes (or requests) the relation explains
    total: int  # B episodes (or requests) judged
    episodes: int  # distinct A episodes (or requests) involved
    streams: int  # instances involved
    expected: float  # B episodes explained by chance alone
    p_value: float
    lag: float  # median delay (s), for the time relations
    tested: bool = True  # False: no chance test (the request or revision is the evidence, or A was dying)
    converse: float = 0.0  # the share of A's episodes that B follows
    part: tuple[int, int] | None = None  # for the service's failed requests taken together: this route's own numbers

    @property
    def share(self) -> float:
        return self.explained / self.total if self.total else 0.0

    def reason(self) -> str:
        c = self.cause
        if self.kind == "same-request":
            return f"{self.explained} of {self.total} of its requests carry the trace of a {c} entry (the same request)"
        if self.kind == "revision":
            return (f"logged for the revision while its instances failed to start with {c} ({self.explained} of "
                    f"{self.total}, within {int(REQUEST_BEFORE_S)} s before or {int(REQUEST_AFTER_S)} s after)")
        if self.kind == "precursor":
            return (f"logged shortly before {c} in {self.explained} of {self.total} failed starts, median "
                    f"{self.lag:.1f} s before, and not before the starts without it: part of the same failed start")
        what = {"follows": f"follows {c} on the same instance",
                "request": f"answered by instances failing with {c} (within {int(REQUEST_BEFORE_S)} s before or "
                           f"{int(REQUEST_AFTER_S)} s after)"}[self.kind]
        if self.part is not None:
            what += f" (with the service's other failed requests: {self.part[0]} of {self.part[1]})"
        chance = (f"expected by chance {self.expected:.1f}, p={self.p_value:.2g}" if self.tested
                  else "the instances were dying")
        return (f"{what} in {self.explained} of {self.total} episodes, after {self.episodes} of its episodes "
                f"({self.converse:.0%}) on {self.streams} instance(s), median delay {self.lag:.2f} s; {chance}")


@dataclass(slots=True)
class Causes:
    """The analysis' answer: links (consequence -> evidence) and problems seen together without a role."""

    links: dict[str, Link]
    together: dict[str, list[tuple[str, Link]]]


def is_request_problem(problem: Problem) -> bool:
    return all(m.http_statuses for m in problem.members)


def is_symptom(problem: Problem) -> bool:
    """Failed requests, or what the platform logged about the app (exits, probes, revision events), known by
    its log name or, in an export that lost it, by the platform's own words."""
    if is_request_problem(problem):
        return True
    names = problem.stats.log_names if problem.stats is not None else {}
    if names:
        return all(name in PLATFORM_LOGS for name in names)
    return all(is_platform_message(m.sig.key.split("|", 1)[-1]) for m in problem.members)


EFFECT_HEAD = 60  # characters of a statement that say what it is about


def is_effect(problem: Problem) -> bool:
    """A statement of what happened because of something else: a retry, a fallback, an exit, a failed boot.
    Read in the problem's own statement (its anchor's first words), not in the error text it quotes."""
    anchor = problem.anchor
    return anchor.kind == KIND_TEMPLATE and bool(_EFFECT.search(anchor.key.split("|", 1)[-1][:EFFECT_HEAD]))


_WORD = re.compile(r"[A-Za-z0-9][\w.:/-]{2,}")
_GENERIC = frozenset((
    "the", "and", "for", "with", "after", "from", "into", "this", "that", "was", "were", "has", "have", "had", "not",
    "attempt", "attempts", "attempting", "time", "times", "failed", "failure", "error", "errors", "exception", "call",
    "request", "requests", "response", "could", "cannot", "unable", "while", "when", "retry", "retrying", "giving",
    "because", "due"))


def _words(text: str) -> set[str]:
    return {w.lower().rstrip(".:,") for w in _WORD.findall(text)} - _GENERIC


def states_another_reason(b: Problem, a: Problem) -> bool:
    """B says why it failed ("exporter initialisation failed: PERMISSION_DENIED"), and the reason it gives
    shares nothing with A's own words: B explains itself by something else than A."""
    st = b.stats
    if st is None or not st.samples:
        return False
    text = st.samples[0][2].text.split("\n", 1)[0]
    m = _EFFECT.search(text)
    if m is None:
        return False
    rest = text[m.end():]
    colon = rest.find(": ")
    reason = _words(rest[colon + 2:]) if colon >= 0 else set()
    if len(reason) < 2:
        return False  # "Worker failed to boot.", "Shutting down: Master": no reason of its own
    said = set()
    for m_ in a.members:
        said |= _words(m_.sig.key)
        for _, _, entry in m_.samples:
            said |= _words(entry.text[:2000])
    return not reason & said


def _has_instance(stream: Stream) -> bool:
    """Grouping's streams are (service, instance) or, for entries without one, (service, "revision|log")."""
    return "|" not in stream[1]


class _Timeline:
    """Each problem's episodes per stream, each stream's life, and the traces."""

    def __init__(self, problems: list[Problem], state: GroupState, spans: dict[Stream, tuple[float, float]],
                 cut: dict[str, float]) -> None:
        self.sig_to_problem = {sid: p.id for p in problems for sid in p.all_ids}
        # over the timeline's columns (stream and signature as table indexes): no tuple per row
        stream_values, sig_values, stream_col, ts_col, sig_col = state.timeline.columns()
        problem_of = [self.sig_to_problem.get(sid) for sid in sig_values]
        by_index: dict[str, dict[int, list[float]]] = {}
        lows: list[float | None] = [None] * len(stream_values)
        highs: list[float] = [0.0] * len(stream_values)
        first_seen: list[int] = []
        for s, ts, g in zip(stream_col, ts_col, sig_col, strict=True):
            pid = problem_of[g]
            if pid is not None:
                per_stream = by_index.get(pid)
                if per_stream is None:
                    per_stream = by_index[pid] = {}
                lst = per_stream.get(s)
                if lst is None:
                    per_stream[s] = [ts]
                else:
                    lst.append(ts)
            lo = lows[s]
            if lo is None:
                lows[s] = highs[s] = ts
                first_seen.append(s)
            elif ts < lo:
                lows[s] = ts
            elif ts > highs[s]:
                highs[s] = ts
        times: dict[str, dict[Stream, list[float]]] = defaultdict(lambda: defaultdict(list))
        for pid, per_stream in by_index.items():
            times[pid] = defaultdict(list, ((stream_values[s], lst) for s, lst in per_stream.items()))
        self.times = times
        self.episodes: dict[str, dict[Stream, _Episodes]] = {}
        self.by_revision: dict[str, dict[Stream, _Episodes]] = {}
        for pid, streams in times.items():
            self.episodes[pid] = {}
            merged: dict[Stream, list[float]] = defaultdict(list)
            for stream, lst in streams.items():
                lst.sort()
                self.episodes[pid][stream] = _episodes(lst)
                revision = state.revision_of.get(stream)
                if revision is not None and _has_instance(stream):
                    merged[(stream[0], revision)].extend(lst)
            self.by_revision[pid] = {key: _episodes(sorted(lst)) for key, lst in merged.items()}
        self.spans = {}
        for s in first_seen:
            stream = stream_values[s]
            self.spans[stream] = spans.get(stream, (lows[s], highs[s]))
        self.cut = cut
        self.state = state
        # per problem, computed once (episodes do not change once made): B's starts per stream, A's count
        self._starts: dict[tuple[str, float | None], _Starts] = {}
        self._instance_episodes: dict[str, int] = {}
        self._on_instances: dict[str, dict[Stream, _Episodes]] = {}
        # A's windows' share of each stream's life, per (A, kind, width): the same whatever B
        self.coverage: dict[tuple[str, str, float], dict[Stream, float]] = defaultdict(dict)
        self.links: dict[tuple, Link | None] = {}  # _time_link's answers (judged again in later rounds)

    def starts(self, b: str, since: float | None) -> _Starts:
        """B's episode starts per stream; those before ``since`` (the cause's coverage) left out."""
        key = (b, since)
        found = self._starts.get(key)
        if found is None:
            found = self._starts[key] = _Starts({}, {}, 0)
            for stream, ep in sorted(self.episodes.get(b, {}).items()):  # none: no entry of B had a time
                starts = ep.starts if since is None else ep.starts[bisect.bisect_left(ep.starts, since):]
                if starts:
                    found.position[stream] = len(found.by_stream)
                    found.by_stream[stream] = starts
                    found.total += len(starts)
        return found

    def on_instances(self, a: str) -> dict[Stream, _Episodes]:
        """A's episodes on streams with an instance (the only ones a time relation is judged on)."""
        found = self._on_instances.get(a)
        if found is None:
            found = self._on_instances[a] = {s: ep for s, ep in self.episodes.get(a, {}).items() if _has_instance(s)}
        return found

    def instance_episodes(self, a: str) -> int:
        """A's episodes on instances."""
        n = self._instance_episodes.get(a)
        if n is None:
            n = self._instance_episodes[a] = sum(len(ep.starts) for ep in self.on_instances(a).values())
        return n

    def pool(self, name: str, pids: list[str]) -> str:
        """A pseudo-problem made of several problems' occurrences (a service's failed requests)."""
        merged: dict[Stream, list[float]] = defaultdict(list)
        for pid in pids:
            for stream, lst in self.times.get(pid, {}).items():
                merged[stream].extend(lst)
        self.times[name] = merged
        self.episodes[name] = {s: _episodes(sorted(lst)) for s, lst in merged.items()}
        return name


def _tail(probabilities: list[float], k: int, n: int | None = None) -> float:
    """P(X >= k) for X the number of successes of independent trials with these probabilities; ``n``: the
    number of trials, when more (the others have probability 0: leaving them out changes no bit)."""
    n = len(probabilities) if n is None else n
    if k <= 0:
        return 1.0
    if k > n:
        return 0.0
    if n <= 400:
        dist = [1.0] + [0.0] * n
        for i, p in enumerate(probabilities):
            for j in range(i + 1, 0, -1):
                dist[j] = dist[j] * (1 - p) + dist[j - 1] * p
            dist[0] *= 1 - p
        return min(1.0, sum(dist[k:]))
    mu = sum(probabilities)
    var = sum(p * (1 - p) for p in probabilities)
    if var <= 0:
        return 1.0 if k <= mu else 0.0
    return 0.5 * math.erfc((k - 0.5 - mu) / math.sqrt(2 * var))


def _coverage(windows: list[tuple[float, float]], span: tuple[float, float]) -> float:
    """The share of ``span`` the windows cover (merged)."""
    lo, hi = span
    if hi - lo <= 0:
        return 1.0
    covered, reach = 0.0, lo
    for a, b in sorted(windows):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            covered += b - a
            reach = b
    return min(1.0, covered / (hi - lo))


def _follow_windows(ep: _Episodes, width: float) -> list[tuple[float, float]]:
    out = []
    for i, (s, e) in enumerate(zip(ep.starts, ep.ends, strict=True)):
        end = e + width
        if i + 1 < len(ep.starts):
            end = min(end, (e + ep.starts[i + 1]) / 2)
        out.append((s, end))
    return out


def _windows(ep: _Episodes, kind: str, width: float) -> list[tuple[float, float]]:
    """Where a B episode is explained by an A episode of ``ep`` (for the chance it lands there)."""
    if kind == "follows":
        return _follow_windows(ep, width)
    if kind == "request":
        return [(s - REQUEST_BEFORE_S, e + REQUEST_AFTER_S) for s, e in zip(ep.starts, ep.ends, strict=True)]
    return [(s - PRECURSOR_S, s) for s in ep.starts]


def _follows(ep: _Episodes, t: float, width: float) -> tuple[float, int] | None:
    i = bisect.bisect_right(ep.starts, t) - 1
    if i < 0:
        return None
    lag = t - ep.ends[i]
    if lag <= 0:
        return 0.0, i
    if lag > width or (i + 1 < len(ep.starts) and ep.starts[i + 1] - t < lag):
        return None
    return lag, i


def _around(ep: _Episodes, t: float) -> tuple[float, int] | None:
    i = bisect.bisect_right(ep.starts, t)
    best = None
    if i > 0 and t - ep.ends[i - 1] <= REQUEST_AFTER_S:
        best = (max(0.0, t - ep.ends[i - 1]), i - 1)
    if i < len(ep.starts) and ep.starts[i] - t <= REQUEST_BEFORE_S and (best is None or ep.starts[i] - t < best[0]):
        best = (ep.starts[i] - t, i)
    return best


def _precedes(ep: _Episodes, t: float) -> tuple[float, int] | None:
    """An earlier step of the same start: before A's episode, not in it (then A follows it)."""
    i = bisect.bisect_left(ep.starts, t)
    if i < len(ep.starts) and EPISODE_GAP_S < ep.starts[i] - t <= PRECURSOR_S:
        return ep.starts[i] - t, i
    return None


def _median(values: list[float]) -> float:
    values = sorted(values)
    return values[len(values) // 2] if values else 0.0


def _time_link(tl: _Timeline, a: str, b: str, kind: str, since: float | None, chance: bool,
               max_window: float = WINDOW_S) -> Link | None:
    """The time relation ``kind`` (follows | request | precursor) between A and B, with its numbers."""
    key = (a, b, kind, since, chance, max_window)
    if key not in tl.links:
        tl.links[key] = _measure(tl, a, b, kind, since, chance, max_window)
    return tl.links[key]


def _measure(tl: _Timeline, a: str, b: str, kind: str, since: float | None, chance: bool,
             max_window: float) -> Link | None:
    b_starts = tl.starts(b, since)
    if not b_starts.total:
        return None
    eps = tl.episodes.get(a)
    if not eps:  # no entry of A had a time: no time relation to see
        return None
    by_stream = b_starts.by_stream
    width = max_window
    if kind == "follows":  # twice the usual delay, so that a dying instance's last seconds are not "anything"
        lags = []
        for stream in eps.keys() & by_stream.keys():  # in any order: the quantile sorts them
            ep = eps[stream]
            for t in by_stream[stream]:
                d = _follows(ep, t, max_window)
                if d is not None:
                    lags.append(d[0])
        width = min(max_window, max(MIN_WINDOW_S, 2 * _quantile(lags, 0.9)))
    judged = tl.on_instances(a)
    known = tl.coverage[(a, kind, width)]
    spans = tl.spans
    hits: list[float] = []
    involved: set[tuple[Stream, int]] = set()
    # one per B episode on a stream where A is, in stream order (the sums are then bit-identical); on the
    # others the chance is 0, and adding 0 changes nothing
    probabilities: list[float] = []
    for stream in sorted(judged.keys() & by_stream.keys(), key=b_starts.position.__getitem__):
        ep = judged[stream]
        starts = by_stream[stream]
        # the chance of a B episode landing in A's windows: the share of the stream's life they cover
        share = known.get(stream)
        if share is None:
            span = spans.get(stream)
            share = known[stream] = _coverage(_windows(ep, kind, width), span) if span is not None else 1.0
        probabilities.extend([share] * len(starts))
        for t in starts:
            if kind == "follows":
                found = _follows(ep, t, width)
            elif kind == "request":
                found = _around(ep, t)
            else:
                found = _precedes(ep, t)
            if found is not None:
                hits.append(found[0])
                involved.add((stream, found[1]))
    if not hits:
        return None
    a_episodes = tl.instance_episodes(a)
    total = b_starts.total
    return Link(a, kind, len(hits), total, len(involved), len({s for s, _ in involved}),
                sum(probabilities), _tail(probabilities, len(hits), total) if chance else 1.0, _median(hits), chance,
                len(involved) / a_episodes if a_episodes else 0.0)


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def _revision_link(tl: _Timeline, a: str, b: str) -> Link | None:
    """B's entries without an instance, around A's episodes on the instances of their revision."""
    occurrences = [(s, t) for s, lst in tl.times.get(b, {}).items() if not _has_instance(s) for t in lst]
    if not occurrences:
        return None
    hits: list[float] = []
    involved: set[tuple[Stream, int]] = set()
    for stream, t in occurrences:
        key = (stream[0], stream[1].split("|", 1)[0])
        ep = tl.by_revision.get(a, {}).get(key)
        found = _around(ep, t) if ep is not None else None
        if found is not None:
            hits.append(found[0])
            involved.add((key, found[1]))
    if not hits:
        return None
    return Link(a, "revision", len(hits), len(occurrences), len(involved), 0, 0.0, 1.0, _median(hits), False)


def _request_link(tl: _Timeline, a: str, b: str, problems: dict[str, Problem]) -> Link | None:
    """B's failed requests whose trace holds an A entry."""
    a_sigs = set(problems[a].all_ids)
    b_sigs = set(problems[b].all_ids)
    traced = explained = 0
    for sids in tl.state.traces.values():
        if sids & b_sigs:
            traced += 1
            if sids & a_sigs:
                explained += 1
    if not explained:
        return None
    total = max(traced, sum(m.count for m in problems[b].members))
    return Link(a, "same-request", explained, total, explained, 0, 0.0, 1.0, 0.0, False)


def _precursor_link(tl: _Timeline, a: str, b: str, since: float | None,
                    starts: dict[Stream, float]) -> Link | None:
    """B before most of A's failed starts, mostly there, and not at the starts without A."""
    link = _time_link(tl, a, b, "precursor", since, chance=False)
    if link is None or link.share < SHARE:
        return None
    failed = {s for s in tl.episodes.get(a, {}) if _has_instance(s)}
    services = {s[0] for s in failed}
    healthy = [s for s in starts if s not in failed and s[0] in services]
    if len(healthy) >= MIN_EPISODES:
        b_times = tl.times.get(b, {})
        before = sum(1 for s in healthy if any(starts[s] <= t <= starts[s] + START_S for t in b_times.get(s, ())))
        if before > MAX_HEALTHY_SHARE * len(healthy):
            return None  # logged at healthy starts too: not part of the failure
    total = tl.instance_episodes(a)
    return Link(a, "precursor", link.episodes, total, link.episodes, link.streams, 0.0, 1.0, link.lag, False)


def link(
    problems: list[Problem],
    state: GroupState,
    urgency: dict[str, int],
    startup: set[str],
    disruptive: set[str] | None = None,
    spans: dict[Stream, tuple[float, float]] | None = None,
    cut: dict[str, float] | None = None,
) -> Causes:
    """Consequence -> its link, and the problems seen together without a causal role.

    ``urgency``: lower is more urgent; ``startup``: problems that stop an instance from starting;
    ``disruptive``: problems that stop the process (start-up failures, crashes, critical errors);
    ``spans``: each instance's life (first and last entry read); ``cut``: severity name -> the time
    from which the input covers it, when it was cut (older occurrences are not judged).
    """
    collecting = gc.isenabled()
    gc.disable()  # a list and tuples per stream and problem, none in a cycle: the collector would rescan them
    try:
        return _link(problems, state, urgency, startup, disruptive, spans, cut)
    finally:
        if collecting:
            gc.enable()


def _link(problems: list[Problem], state: GroupState, urgency: dict[str, int], startup: set[str],
          disruptive: set[str] | None, spans: dict[Stream, tuple[float, float]] | None,
          cut: dict[str, float] | None) -> Causes:
    disruptive = startup | (disruptive or set())
    cut = cut or {}
    tl = _Timeline(problems, state, spans or {}, cut)
    by_id = {p.id: p for p in problems}
    symptoms = {p.id for p in problems if is_symptom(p)}
    requests = {p.id for p in problems if is_request_problem(p)}
    effects = {p.id for p in problems if is_effect(p)}
    scoped = {p.id for p in problems if p.stats is not None and p.stats.traced * 2 >= p.count}  # request-scoped
    errors = sorted(p.id for p in problems if p.severity >= Severity.ERROR)
    warnings = sorted(p.id for p in problems
                      if Severity.WARNING <= p.severity < Severity.ERROR and p.id not in symptoms)
    # a service's failed requests together: the evidence that failures made requests fail, whatever the route
    failed: dict[str, list[str]] = defaultdict(list)
    for p in problems:
        if p.id in requests and p.stats is not None and any(s >= 500 for s in p.stats.http_statuses):
            for service in p.stats.services or {"": 1}:
                failed[service].append(p.id)
    pools = {service: tl.pool(f"5xx:{service}", pids) for service, pids in failed.items()}
    starts = {s: lo for s, (lo, _) in (spans or tl.spans).items() if _has_instance(s)}
    links: dict[str, Link] = {}
    together: dict[str, list[tuple[str, Link]]] = defaultdict(list)

    def judge(b: str) -> Link | None:
        best: tuple[tuple, Link] | None = None
        services_b = set(by_id[b].stats.services) if by_id[b].stats else set()
        # a reaction: what the platform says (exits, probes), an effect statement, a start that stops
        reaction = b not in requests and (b in symptoms or b in effects or b in startup)
        for a in errors + (warnings if b in requests else []):  # a warning explains a request by its trace only
            if a == b or (services_b and not services_b & set(by_id[a].stats.services)):
                continue
            if a in symptoms and b not in symptoms:
                continue  # what the platform reports explains more of the same (an OOM kill, its 503s), not the app
            since = cut.get(by_id[a].severity.name)
            candidates: list[Link] = []
            if b in requests:
                trace = _request_link(tl, a, b, by_id)
                if trace is not None:
                    candidates.append(trace)
                if a not in scoped:  # a request-scoped error explains requests by their trace only
                    found = _time_link(tl, a, b, "request", since, chance=a not in disruptive)
                    pool = next((pools[s] for s in services_b if s in pools), None)
                    if found is not None and pool is not None and found.share >= SHARE:
                        # the evidence is in all the service's failed requests; the share is this route's own
                        every = _time_link(tl, a, pool, "request", since, chance=a not in disruptive)
                        if every is not None and every.explained > found.explained:
                            found = Link(a, "request", found.explained, found.total, every.episodes, every.streams,
                                         every.expected, every.p_value, found.lag, every.tested, every.converse,
                                         (every.explained, every.total))
                    if found is not None:
                        candidates.append(found)
            else:
                # a start that stops is a reaction to what was said in the same moment, not seconds before
                # (an earlier step failing on the same cause is a precursor)
                start_only = b in startup and b not in symptoms and b not in effects
                found = _time_link(tl, a, b, "follows", since, chance=True,
                                   max_window=EPISODE_GAP_S if start_only else WINDOW_S)
                if found is not None:
                    candidates.append(found)
            if a in disruptive:
                found = _revision_link(tl, a, b)
                if found is not None:
                    candidates.append(found)
            for found in candidates:
                if not _enough(found, reaction) or (a in warnings and found.kind != "same-request"):
                    continue
                if b in effects and b not in symptoms and states_another_reason(by_id[b], by_id[a]):
                    together[b].append((a, found))  # it failed for a reason of its own
                    continue
                if not (reaction or b in requests or a in disruptive or found.kind == "same-request"):
                    together[b].append((a, found))  # two faults seen together: neither reports the other
                    continue
                key = (-found.share, found.p_value, urgency[a], found.lag, a)
                if best is None or key < best[0]:
                    best = (key, found)
            if (best is None and b not in symptoms and a in startup and urgency[a] < urgency[b]
                    and by_id[b].severity >= Severity.ERROR):
                found = _precursor_link(tl, a, b, since, starts)
                if found is not None and found.share >= SHARE and found.episodes >= MIN_EPISODES:
                    best = ((-found.share, 1.0, urgency[a], found.lag, a), found)
        return best[1] if best is not None else None

    # first what is said of a process that stops (exits, failed probes, failed boots): what they follow
    # every time stopped the process, and explains what else happened around it (twice: a revision's
    # "not ready" follows its instances' failures, known after the first round)
    judged = sorted(p for p in tl.times if p in by_id)
    reactions = [b for b in judged if b not in requests and (b in symptoms or b in effects or b in startup)]
    for _ in range(2):
        for b in reactions:
            found = judge(b)
            if found is not None:
                links[b] = found
                if b in symptoms:  # the platform saw the process stop: what it followed is what stopped it
                    disruptive.add(found.cause)
            else:
                links.pop(b, None)
        together.clear()
    for b in judged:
        if b not in reactions:
            found = judge(b)
            if found is not None:
                links[b] = found
    links = _forest(links)
    linked = {(b, link.cause) for b, link in links.items()} | {(link.cause, b) for b, link in links.items()}
    return Causes(links, {b: [(a, found) for a, found in pairs if (a, b) not in linked]
                          for b, pairs in sorted(together.items())})


def _enough(found: Link, reaction: bool) -> bool:
    """Most of B explained; and the request or the revision says so, or it happened again and again,
    beyond what chance gives, or as a reaction: A followed by B nearly every time (a process that
    stops, then its exit), or around A on instances that were dying."""
    if found.share < SHARE:
        return False
    if found.kind in ("same-request", "revision"):
        return True
    if reaction and found.converse >= SHARE and found.episodes >= 2 and found.streams >= 2:
        return True  # A, then B, every time, on two instances at least: a reaction, not a coincidence
    explained = found.part[0] if found.part is not None else found.explained
    repeated = explained >= MIN_EPISODES and (
        found.episodes >= MIN_EPISODES or (found.episodes >= 2 and found.streams >= 2))
    return repeated and (not found.tested or found.p_value <= ALPHA)


def _forest(links: dict[str, Link]) -> dict[str, Link]:
    """Drop links that would close a cycle."""
    for b in sorted(links):
        seen = {b}
        a = links[b].cause
        while a in links:
            if a in seen:
                del links[b]
                break
            seen.add(a)
            a = links[a].cause
    return links

