"""Grouping: entries -> signatures -> problems, with a mergeable intermediate state.

``group(entries)`` builds a ``GroupState`` (pure, no I/O). Two states built over
disjoint shards combine with ``GroupState.merge``; ``finalize`` turns a state into
problems. Shards must not split one container instance's stream (chained
tracebacks and bursts are read per stream), which is how log shards are cut in
practice (by instance, or by log file of one instance).
"""

from __future__ import annotations

import bisect
import heapq
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

import ahocorasick
import orjson

from ..limits import LIMITS, Limits
from ..model import Entry, Reason, Severity, Vocabulary, said
from ..parse.classify import MESSAGE_MAX, voice
from ..parse.stacktrace import StackTrace
from .masking import mask_value
from .signature import (
    KIND_ERROR,
    KIND_TAIL,
    KIND_TEMPLATE,
    KIND_TRACE,
    PREMASKED,
    Signature,
    Signer,
    content_id,
    ends_with_connector,
    is_connector,
    mined_signature,
    route_of,
)
from .tally import Tally
from .templates import cluster, earlier_templates, learn

# Entries of one stream this close together belong to one event (a traceback split
# over several entries arrives microseconds apart).
BURST_GAP_S = 0.005
MAX_SAMPLES = LIMITS.max_samples
MAX_TRACKED = LIMITS.max_tracked
MIN_QUOTE_LEN = 20  # an exception value quoted by a message must be at least this long
MIN_TEMPLATE_QUOTE_LEN = 40
MAX_QUOTED = LIMITS.max_quoted
BURST_MIN_SUPPORT = 2
BURST_AGREEMENT = 0.9
MAX_BURST_SIGNATURES = LIMITS.max_burst_signatures
# an epoch-seconds float difference is within this (times the times' size) of the exact one
_FLOAT_SLACK = 1e-15
VOICES_KEPT = 50_000  # texts whose voice (bursts) is remembered
COMPONENTS_KEPT = 4096  # traces whose components are remembered (each held alive while it is)


# ("insertId", id) or ("line", source, line number)
EntryRef = tuple[str, ...] | tuple[str, str, int | None]


def entry_ref(entry: Entry) -> EntryRef:
    if entry.insert_id:
        return ("insertId", entry.insert_id)
    origin = entry.origin
    return ("line", origin.source if origin else "", origin.line if origin else None)


def _ts_key(entry: Entry) -> float:
    return entry.timestamp.timestamp() if entry.timestamp is not None else float("-inf")


def stream_of(entry: Entry) -> tuple[str, str]:
    if entry.instance:
        return (entry.service or "", entry.instance)
    return (entry.service or "", f"{entry.revision or ''}|{entry.log_name or ''}")


def _tally() -> Tally:
    return Tally(MAX_TRACKED)


@dataclass(slots=True)
class SigStats:
    """Aggregate of the entries of one signature. ``merge`` is associative and commutative."""

    sig: Signature
    count: int = 0
    severity: Severity = Severity.DEFAULT
    first: datetime | None = None
    last: datetime | None = None
    # distinct values, capped by a rule on the values themselves (see tally.py), never by arrival order
    instances: Tally = field(default_factory=_tally)
    revisions: Tally = field(default_factory=_tally)
    services: Tally = field(default_factory=_tally)
    components: Tally = field(default_factory=_tally)
    component_rank: dict[str, int] = field(default_factory=dict)  # its smallest place in an entry's frames
    error_groups: Tally = field(default_factory=_tally)
    http_statuses: Counter = field(default_factory=Counter)
    severities: Counter = field(default_factory=Counter)
    log_names: Tally = field(default_factory=_tally)
    selected_by: Counter = field(default_factory=Counter)  # why its entries are warnings or errors -> entries
    traced: int = 0  # entries that carry a request's trace
    exc_type: str | None = None
    exc_value: str | None = None  # unmasked, from the earliest sample
    samples: list[tuple[float, str, Entry]] = field(default_factory=list)  # smallest (ts, key) first
    aliases: set[str] = field(default_factory=set)  # provisional signature ids resolved into this one
    earlier: set[str] = field(default_factory=set)  # older templates (earlier runs) this template supersedes
    why: list[Reason] = field(default_factory=list)  # why the template's variables are variables
    # the stack trace of the earliest entry that had one, parsed once (when signing) and kept for the report
    trace: StackTrace | None = None
    trace_at: tuple[float, str] | None = None

    def add(self, entry: Entry, components: Iterable[str] = (), sample: bool = True,
            trace: StackTrace | None = None, ts_key: float | None = None) -> None:
        """``ts_key``: ``_ts_key(entry)``, when the caller has it already."""
        n = entry.entries  # a multi-line record counts every entry it is made of
        self.count += n
        if ts_key is None:
            ts_key = _ts_key(entry)
        if trace is not None and trace.exceptions:
            at = (ts_key, entry.key)
            if self.trace_at is None or at < self.trace_at:
                self.trace, self.trace_at = trace, at
        severity = entry.severity
        if severity > self.severity:
            self.severity = severity
        self.severities[_SEVERITY_NAME[severity]] += n
        ts = entry.timestamp
        if ts is not None:
            if self.first is None or ts < self.first:
                self.first = ts
            if self.last is None or ts > self.last:
                self.last = ts
        _bump(self.instances, entry.instance)
        _bump(self.revisions, entry.revision)
        _bump(self.services, entry.service)
        _bump(self.log_names, entry.log_name)
        self.selected_by[entry.why_severity] += n
        if entry.trace:
            self.traced += n
        if components:
            ranks, tally = self.component_rank, self.components
            for rank, c in enumerate(components):  # innermost frame first
                if c:
                    tally.add(c)
                    if rank < ranks.get(c, rank + 1):
                        ranks[c] = rank
            if len(ranks) > 2 * MAX_TRACKED:
                self._prune_ranks()
        for g in entry.error_groups:
            _bump(self.error_groups, g)
        if entry.http_status is not None:
            self.http_statuses[entry.http_status] += 1
        if not sample:
            return
        item = (ts_key, entry.key, entry)
        samples = self.samples
        # kept sorted: inserting after equal keys is what appending and a stable sort did
        if len(samples) < MAX_SAMPLES:
            bisect.insort_right(samples, item, key=_sample_order)
        elif item[:2] < samples[-1][:2]:
            samples.pop()
            bisect.insort_right(samples, item, key=_sample_order)

    def merge(self, other: SigStats) -> None:
        self.count += other.count
        self.severity = max(self.severity, other.severity)
        self.severities.update(other.severities)
        self.first = _min_dt(self.first, other.first)
        self.last = _max_dt(self.last, other.last)
        for mine, theirs in (
            (self.instances, other.instances),
            (self.revisions, other.revisions),
            (self.services, other.services),
            (self.components, other.components),
            (self.error_groups, other.error_groups),
            (self.log_names, other.log_names),
        ):
            mine.merge(theirs)
        for c, rank in other.component_rank.items():
            if rank < self.component_rank.get(c, rank + 1):
                self.component_rank[c] = rank
        self._prune_ranks()
        self.http_statuses.update(other.http_statuses)
        self.selected_by.update(other.selected_by)
        self.traced += other.traced
        self.samples = heapq.nsmallest(MAX_SAMPLES, self.samples + other.samples, key=lambda t: t[:2])
        self.aliases |= other.aliases
        self.earlier |= other.earlier
        if other.trace_at is not None and (self.trace_at is None or other.trace_at < self.trace_at):
            self.trace, self.trace_at = other.trace, other.trace_at

    def _prune_ranks(self) -> None:
        if len(self.component_rank) > len(self.components):
            self.component_rank = {c: r for c, r in self.component_rank.items() if c in self.components}

    def top_components(self, n: int) -> list[str]:
        """The most frequent components; ties: the innermost frame first, then by name."""
        rank = self.component_rank
        return [c for c, _ in sorted(self.components.items(), key=lambda kv: (-kv[1], rank.get(kv[0], 0), kv[0]))[:n]]

    def finish(self) -> None:
        """Take exception type/value from the earliest sample (deterministic)."""
        for _, _, entry in self.samples:
            if entry.error_type and entry.error_value:
                self.exc_type, self.exc_value = entry.error_type, entry.error_value
                return


def _sample_order(item: tuple[float, str, Entry]) -> tuple[float, str]:
    return item[:2]


_SEVERITY_NAME = {s: s.name for s in Severity}


def _bump(tally: Tally, key: str | None) -> None:
    if key:
        tally.add(key)


def _min_dt(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _max_dt(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


class _Interned:
    """Per-entry rows over a table of distinct values: an entry costs a few bytes, not objects."""

    __slots__ = ("index", "values")

    def __init__(self) -> None:
        self.values: list = []
        self.index: dict = {}

    def of(self, value) -> int:
        i = self.index.get(value)
        if i is None:
            i = self.index[value] = len(self.values)
            self.values.append(value)
        return i

    def renamed(self, rename: dict) -> _Interned:
        """The same indexes, their values renamed (rows that point into the table stay as they are)."""
        out = _Interned()
        out.values = [rename.get(v, v) for v in self.values]
        for i, v in enumerate(out.values):
            out.index.setdefault(v, i)
        return out


class Timeline:
    """(stream, epoch seconds, signature id) per entry with a timestamp, as three arrays (16 bytes an
    entry). Renaming signatures renames the table, never the rows."""

    __slots__ = ("_sig", "_sigs", "_stream", "_streams", "_ts")

    def __init__(self) -> None:
        self._streams, self._sigs = _Interned(), _Interned()
        self._stream, self._ts, self._sig = array("I"), array("d"), array("I")

    def append(self, stream: tuple[str, str], ts: float, sid: str) -> None:
        self._stream.append(self._streams.of(stream))
        self._ts.append(ts)
        self._sig.append(self._sigs.of(sid))

    def append_rows(self, stream: tuple[str, str], times: list[float], sids: list[str]) -> None:
        """``append`` for rows of one stream."""
        self._stream.extend([self._streams.of(stream)] * len(times))
        self._ts.extend(times)
        of = self._sigs.of
        self._sig.extend([of(sid) for sid in sids])

    def __len__(self) -> int:
        return len(self._ts)

    def __iter__(self) -> Iterator[tuple[tuple[str, str], float, str]]:
        streams, sigs = self._streams.values, self._sigs.values
        for s, t, g in zip(self._stream, self._ts, self._sig, strict=True):
            yield streams[s], t, sigs[g]

    def columns(self) -> tuple[list[tuple[str, str]], list[str], array, array, array]:
        """(stream table, signature table, stream index, time, signature index per row): for readers that
        would otherwise build a tuple per row."""
        return self._streams.values, self._sigs.values, self._stream, self._ts, self._sig

    def extend(self, other: Timeline) -> None:
        smap = [self._streams.of(v) for v in other._streams.values]
        gmap = [self._sigs.of(v) for v in other._sigs.values]
        self._stream.extend(smap[i] for i in other._stream)
        self._ts.extend(other._ts)
        self._sig.extend(gmap[i] for i in other._sig)

    def renamed(self, rename: dict[str, str]) -> Timeline:
        out = Timeline()
        out._streams, out._stream, out._ts, out._sig = self._streams, self._stream, self._ts, self._sig
        out._sigs = self._sigs.renamed(rename)
        return out


class Assignments:
    """(entry, signature id) per entry, when asked: rows of bytes (the entry's reference as JSON and
    an index into the signature table), about 30 bytes an entry."""

    __slots__ = ("_count", "_rows", "_sigs")

    def __init__(self) -> None:
        self._sigs = _Interned()
        self._rows = bytearray()
        self._count = 0

    def append(self, ref: EntryRef, sid: str) -> None:
        self._rows += orjson.dumps([*ref, self._sigs.of(sid)]) + b"\n"
        self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[tuple[EntryRef, str]]:
        sigs = self._sigs.values
        for line in bytes(self._rows).splitlines():
            row = orjson.loads(line)
            yield tuple(row[:-1]), sigs[row[-1]]

    def extend(self, other: Assignments) -> None:
        for ref, sid in other:
            self.append(ref, sid)

    def renamed(self, rename: dict[str, str]) -> Assignments:
        out = Assignments()
        out._rows, out._count = self._rows, self._count
        out._sigs = self._sigs.renamed(rename)
        return out


@dataclass(slots=True)
class GroupState:
    """Mergeable result of grouping one shard."""

    stats: dict[str, SigStats] = field(default_factory=dict)
    burst_counts: Counter = field(default_factory=Counter)  # signature -> bursts it appears in
    burst_pairs: Counter = field(default_factory=Counter)  # (sig a, sig b), a < b -> bursts with both
    # (stream, epoch seconds, signature id) per entry with a timestamp: the analysis timeline
    timeline: Timeline = field(default_factory=Timeline)
    # (entry, signature id) per entry when asked: the entry is its insertId, or where it was read
    assignments: Assignments = field(default_factory=Assignments)
    late: int = 0  # entries that arrived after their stream's stretch of time was grouped (see GroupBuilder)
    attached: int = 0  # entries joined to a traceback they belong to (connectors, headers)
    revision_of: dict[tuple[str, str], str] = field(default_factory=dict)  # stream -> the revision it ran
    traces: dict[str, set[str]] = field(default_factory=dict)  # a request's trace -> signatures logged in it

    def merge(self, other: GroupState) -> GroupState:
        out = GroupState()
        for src in (self, other):
            for sid, st in src.stats.items():
                mine = out.stats.get(sid)
                if mine is None:
                    copy = SigStats(st.sig)
                    copy.merge(st)
                    out.stats[sid] = copy
                else:
                    mine.merge(st)
            out.burst_counts.update(src.burst_counts)
            out.burst_pairs.update(src.burst_pairs)
            out.timeline.extend(src.timeline)
            out.assignments.extend(src.assignments)
            out.attached += src.attached
            out.late += src.late
            for stream, rev in src.revision_of.items():
                out.revision_of[stream] = min(out.revision_of.get(stream, rev), rev)
            for trace, sids in src.traces.items():
                out.traces.setdefault(trace, set()).update(sids)
        return out


def _components(entry: Entry, trace: StackTrace | None,
                cache: dict[int, tuple[StackTrace, list[str]]] | None = None) -> list[str]:
    """``cache``: a trace's components by the trace (the signer hands out one object per distinct text)."""
    if trace is not None:
        if cache is not None:
            hit = cache.get(id(trace))
            if hit is not None and hit[0] is trace:  # the trace is held, so its id is not reused
                return hit[1]
        comps: list[str] = []
        root = trace.root
        for exc in [root, *(e for e in trace.exceptions if e is not root)]:
            for frame in reversed(exc.frames):
                if frame.in_app and frame.where not in comps:
                    comps.append(frame.where)
        if cache is not None:
            if len(cache) >= COMPONENTS_KEPT:
                cache.clear()
            cache[id(trace)] = (trace, comps)
        return comps
    if entry.source_location:
        return [entry.source_location]
    if entry.http_url:
        return [f"{entry.http_method or '?'} {route_of(entry.http_url)}"]
    return []


def group(entries: Iterable[Entry], signer: Signer | None = None, keep_assignments: bool = True) -> GroupState:
    """Group one shard of selected entries."""
    builder = GroupBuilder(signer, keep_assignments)
    for entry in entries:
        builder.add(entry)
    return builder.finish()


HORIZON_S = 60.0  # how far behind the newest entry of a stream an entry may still arrive


class GroupBuilder:
    """Groups entries as they stream in; past ``limits.max_held`` entries, only a stretch of each stream's time.

    Everything that joins entries (a chained traceback, a header line, a burst) joins entries at
    most ``BURST_GAP_S`` apart on one stream, so a stream's entries, sorted by time, can be grouped
    in stretches cut at any larger gap. Up to ``max_held`` entries, every stream is held whole and
    grouped at the end: the result depends on the entries alone, not on their order. That matters
    for a sink's files, written per log: an instance's stderr files come before its stdout files,
    and the header a worker printed on stdout joins the traceback it printed on stderr.

    Past ``max_held``, what lies more than ``HORIZON_S`` behind a stream's newest arrival is settled,
    grouped and let go, the largest streams first: entries arrive per stream roughly in time order,
    forward (sink files) or backward (``gcloud logging read``), and memory is then bounded by the
    stretches, not the window. An entry arriving inside a stretch already grouped is counted as
    ``late`` and grouped on its own (a stream in no time order at all, holding the whole budget, gives
    its older half).
    """

    def __init__(self, signer: Signer | None = None, keep_assignments: bool = True, limits: Limits = LIMITS) -> None:
        self.signer = signer or Signer()
        self.keep_assignments = keep_assignments
        self.limits = limits
        self.state = GroupState()
        self._folded: dict[str, Signature] = {}  # a plain message's signature -> the tail it was folded into
        self._buffers: dict[tuple[str, str], list[Entry]] = {}
        self._newest: dict[tuple[str, str], float] = {}  # the last arrival's time, per stream
        self._done: dict[tuple[str, str], tuple[float, float]] = {}  # the span already grouped, per stream
        self._held = 0  # entries in all the buffers
        self._next_cut = limits.max_held  # when the settled parts are grouped next
        self._voices: dict[str, str] = {}  # text -> voice (bursts): real logs repeat the same text a lot
        self._components: dict[int, tuple[StackTrace, list[str]]] = {}

    def add(self, entry: Entry) -> None:
        stream = stream_of(entry)
        ts = entry.timestamp
        if ts is None:  # no neighbour in time: nothing can join it
            self._group(stream, [entry])
            return
        t = ts.timestamp()
        done = self._done.get(stream)
        if done is not None and done[0] <= t <= done[1]:
            self.state.late += 1
        buf = self._buffers.get(stream)
        if buf is None:
            buf = self._buffers[stream] = []
        buf.append(entry)
        self._held += 1
        self._newest[stream] = t
        if self._held >= self._next_cut:
            self._flush_streams()

    def finish(self) -> GroupState:
        for stream in sorted(self._buffers):
            self._group(stream, *_by_time(self._buffers[stream]))
        self._buffers.clear()
        self._held = 0
        return self.state

    def _flush_streams(self) -> None:
        """The settled parts grouped, the largest streams first, until half the budget is held."""
        buffers = self._buffers
        for stream in sorted(buffers, key=lambda s: (-len(buffers[s]), s)):
            if self._held <= self.limits.max_held // 2:
                break
            self._flush_settled(stream)
            if not buffers[stream]:
                del buffers[stream]
        # what is still held is unsettled (each stream's last minute): not cut again before it doubles
        self._next_cut = max(self.limits.max_held, 2 * self._held)

    def _flush_settled(self, stream: tuple[str, str]) -> None:
        buf, times = _by_time(self._buffers[stream])
        self._buffers[stream] = buf
        newest = self._newest[stream]
        forward = newest >= times[len(times) // 2]
        cut = _settled_cut(times, newest, forward)
        if cut is None and len(buf) >= self.limits.max_held:
            cut = _gap_near(times, len(times) // 2)  # no time order: the older half goes anyway
            forward = True
        if cut is None:
            return
        settled, kept = (buf[:cut], buf[cut:]) if forward else (buf[cut:], buf[:cut])
        settled_times = times[:cut] if forward else times[cut:]
        self._buffers[stream] = kept
        self._held -= len(settled)
        span = (settled_times[0], settled_times[-1])
        done = self._done.get(stream)
        self._done[stream] = span if done is None else (min(done[0], span[0]), max(done[1], span[1]))
        self._group(stream, settled, settled_times)

    def _group(self, stream: tuple[str, str], items: list[Entry], times: list[float] | None = None) -> None:
        """Group one stretch of a stream, sorted by time (``times``: their ``_ts_key``, when known)."""
        state, signer = self.state, self.signer
        revision = next((e.revision for e in items if e.revision), None)
        if revision is not None:
            state.revision_of[stream] = min(state.revision_of.get(stream, revision), revision)
        sigs = [signer.sign(e) for e in items]
        is_trace = [s.kind == KIND_TRACE for s in sigs]
        owner = _attach(items, sigs, is_trace)
        state.attached += sum(1 for i, o in enumerate(owner) if o != i)
        final = [sigs[o] for o in owner]
        if self._folded:
            final = [self._folded.get(sig.id, sig) for sig in final]
        stats, traces, keep, components = state.stats, state.traces, self.keep_assignments, self._components
        if times is None:  # once per entry: samples, the timeline and bursts all need it
            times = [_ts_key(e) for e in items]
        rows_t: list[float] = []
        rows_sid: list[str] = []
        for i, (entry, sig) in enumerate(zip(items, final, strict=False)):
            st = stats.get(sig.id)
            if st is None:
                st = stats[sig.id] = SigStats(sig)
            trace = signer.trace_of(entry)
            # joined parts (connectors, headers) count, but a sample shows the statement itself
            st.add(entry, _components(entry, trace, components), sample=owner[i] == i or sigs[i].kind == KIND_TRACE,
                   trace=trace, ts_key=times[i])
            if entry.timestamp is not None:  # every entry of a multi-line record is evidence
                rows_t.append(times[i])
                rows_sid.append(sig.id)
            for part in entry.parts:
                if part.timestamp is not None:
                    rows_t.append(part.timestamp.timestamp())
                    rows_sid.append(sig.id)
            if entry.trace:
                traces.setdefault(entry.trace, set()).add(sig.id)
            if keep:
                state.assignments.append(entry_ref(entry), sig.id)
                for part in entry.parts:
                    state.assignments.append(entry_ref(part), sig.id)
        state.timeline.append_rows(stream, rows_t, rows_sid)
        _count_bursts(items, final, state, times, self._voices)
        if len(state.stats) > self.limits.max_signatures:
            self._fold_rare()

    def _fold_rare(self) -> None:
        """Free text (user input, upstream error bodies) makes every message its own signature: past
        ``max_signatures``, the plain messages seen fewest times (once, then twice...) are folded into
        the long tail of their severity, and their later entries go there too. Counts, times and
        entries are kept; only their being told apart is given up."""
        stats = self.state.stats
        plain = [st for st in stats.values() if st.sig.key.startswith(PREMASKED)]
        target = self.limits.max_signatures // 2
        for most in range(1, 1 + max((st.count for st in plain), default=0)):
            if len(stats) <= target:
                break
            for st in plain:
                if st.count != most or st.sig.id not in stats:
                    continue
                tail_sig = tail_signature(st.severity)
                tail = stats.get(tail_sig.id)
                if tail is None:
                    tail = stats[tail_sig.id] = SigStats(tail_sig)
                tail.merge(st)
                tail.aliases.add(st.sig.id)
                self._folded[st.sig.id] = tail_sig
                del stats[st.sig.id]
                if len(stats) <= target:
                    break


_NO_TIME = float("-inf")


def _by_time(items: list[Entry]) -> tuple[list[Entry], list[float]]:
    """The entries sorted (stably) by (``_ts_key``, key), and their ``_ts_key``: each computed once."""
    keys = [(e.timestamp.timestamp() if e.timestamp is not None else _NO_TIME, e.key) for e in items]
    order = sorted(range(len(items)), key=keys.__getitem__)
    return [items[i] for i in order], [keys[i][0] for i in order]


def _settled_cut(times: list[float], newest: float, forward: bool) -> int | None:
    """Where to cut a sorted stretch so that the part away from the arrivals (more than HORIZON_S
    behind the newest) is settled: at a gap wider than BURST_GAP_S, so nothing joins across it."""
    if forward:
        limit = bisect.bisect_left(times, newest - HORIZON_S)  # times[:limit] are settled
        for i in range(limit - 1, 0, -1):
            if times[i] - times[i - 1] > BURST_GAP_S:
                return i
        return None
    limit = bisect.bisect_right(times, newest + HORIZON_S)  # times[limit:] are settled
    for i in range(max(limit, 1), len(times)):
        if times[i] - times[i - 1] > BURST_GAP_S:
            return i
    return None


def _gap_near(times: list[float], middle: int) -> int:
    """A cut at the first gap wider than BURST_GAP_S from the middle on; the middle if none."""
    for i in range(max(middle, 1), len(times)):
        if times[i] - times[i - 1] > BURST_GAP_S:
            return i
    return middle


def _attach(items: list[Entry], sigs: list[Signature], is_trace: list[bool]) -> list[int]:
    """Index of the entry each entry belongs to (itself, or the first traceback of its chain).

    A chained exception printed as several entries (traceback, "During handling...",
    traceback, ...) microseconds apart is one event: every part takes the signature of
    the first traceback, the original cause. An untagged header line right before a
    traceback ("[ERROR] Exception in worker process") belongs to it too.
    """
    n = len(items)
    owner = list(range(n))

    def close(i: int, j: int) -> bool:
        a, b = items[i].timestamp, items[j].timestamp
        return a is not None and b is not None and abs((b - a).total_seconds()) <= BURST_GAP_S

    chain_root: int | None = None
    for i in range(n):
        text = items[i].text
        if is_connector(text):
            # joins the chain before it; starts one if it precedes a traceback
            if chain_root is not None and close(i - 1, i):
                owner[i] = chain_root
            elif i + 1 < n and is_trace[i + 1] and close(i, i + 1):
                owner[i] = i + 1  # resolved to the chain root below
            continue
        if is_trace[i]:
            # after a connector alone, or a traceback the connector was joined to
            prev_connector = i > 0 and (is_connector(items[i - 1].text) or (
                is_trace[i - 1] and ends_with_connector(items[i - 1].text))) and close(i - 1, i)
            if chain_root is not None and prev_connector and owner[i - 1] == chain_root:
                owner[i] = chain_root
            else:
                chain_root = i
            continue
        chain_root = None
        untagged = items[i].declared_severity in (None, Severity.DEFAULT)
        if untagged and i + 1 < n and is_trace[i + 1] and close(i, i + 1):
            owner[i] = i + 1
    # resolve forward references to chain roots
    for i in range(n):
        j = owner[i]
        while owner[j] != j:
            j = owner[j]
        owner[i] = j
    return owner


def _count_bursts(items: list[Entry], sigs: list[Signature], state: GroupState, times: list[float] | None = None,
                  voices: dict[str, str] | None = None) -> None:
    """``times``: ``_ts_key`` of each item; ``voices``: a cache of ``voice`` by text."""
    if times is None:
        times = [_ts_key(e) for e in items]
    if voices is None:
        voices = {}
    # floats decide, but near the gap (float error of epoch seconds) the datetimes do, as they always did
    slack = 1e-9 + _FLOAT_SLACK * max(map(abs, times), default=0.0)  # infinite (all exact) if a time is missing
    surely_in, surely_out = BURST_GAP_S - slack, BURST_GAP_S + slack
    counts = state.burst_counts
    start = 0
    n = len(items)
    while start < n:
        end = start + 1
        while end < n:
            gap = times[end] - times[end - 1]  # not finite when a time is missing (-inf)
            if not -math.inf < gap < surely_in and (gap > surely_out or not _exactly_within(items, end)):
                break
            end += 1
        if end == start + 1:  # most are one entry
            sid = sigs[start].id
            counts[sid] = counts.get(sid, 0) + 1
            start = end
            continue
        members = sorted({s.id for s in sigs[start:end]})
        counts.update(members)
        if 1 < len(members) <= MAX_BURST_SIGNATURES:
            # lines of one event are written by one voice (a logger, a process); two voices that log at
            # the same moment are two statements ("pricing.rules" and "pricing.cache")
            by_voice: dict[str, set[str]] = defaultdict(set)
            for entry, sig in zip(items[start:end], sigs[start:end], strict=True):
                if entry.logger:
                    who = f"logger:{entry.logger}"
                else:
                    who = voices.get(entry.text)
                    if who is None:
                        who = voice(entry.text[:MESSAGE_MAX])
                        if len(voices) >= VOICES_KEPT:
                            voices.clear()
                        voices[entry.text] = who
                by_voice[who].add(sig.id)
            pairs = {(x, y) for ids in by_voice.values() for x in ids for y in ids if x < y}
            state.burst_pairs.update(pairs)
        start = end


def _exactly_within(items: list[Entry], i: int) -> bool:
    """Entry ``i`` at most BURST_GAP_S after entry ``i - 1``, as the datetimes say."""
    a, b = items[i - 1].timestamp, items[i].timestamp
    return a is not None and b is not None and (b - a).total_seconds() <= BURST_GAP_S


# --- problems -----------------------------------------------------------------


@dataclass(slots=True)
class Problem:
    """One distinct problem: signatures that state the same underlying error."""

    id: str
    anchor: Signature
    members: list[SigStats]
    reasons: list[Reason]  # why these signatures are together

    # aggregated
    count: int = 0
    severity: Severity = Severity.DEFAULT
    first: datetime | None = None
    last: datetime | None = None
    stats: SigStats | None = None  # all members merged

    @property
    def signature_ids(self) -> list[str]:
        return [m.sig.id for m in self.members]

    @property
    def all_ids(self) -> list[str]:
        """Signature ids and the provisional ids resolved into them (for state lookups)."""
        return [*self.signature_ids, *sorted({a for m in self.members for a in m.aliases})]

    @property
    def earlier_ids(self) -> list[str]:
        """The ids this problem had in earlier runs, before its template was generalised."""
        anchor = next((m for m in self.members if m.sig is self.anchor), None)
        return sorted(content_id("p", mined_signature(t).key) for t in anchor.earlier) if anchor else []


class _UnionFind:
    def __init__(self, items: Iterable[str]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        return True


def _template_text(sig: Signature) -> str:
    return sig.key.split("|", 1)[1] if sig.kind == KIND_TEMPLATE and sig.key.startswith("template|") else ""


@dataclass(slots=True)
class Resolution:
    state: GroupState  # re-keyed by templates
    rename: dict[str, str]  # provisional signature id -> template signature id
    vocabulary: Vocabulary | None  # what was known, plus what this run learned (None when nothing was known)


def resolve_templates(state: GroupState, known: Vocabulary | None = None) -> Resolution:
    """Mine templates over every plain message at once; re-key the state by them.

    With ``known`` (the vocabulary of earlier runs), messages start from the templates learned
    before, and a template generalised since lists the older ones' ids as its aliases.
    """
    pre = {sid: st for sid, st in state.stats.items() if st.sig.key.startswith(PREMASKED)}
    if not pre:
        return Resolution(state, {}, known)
    counts = Counter({st.sig.key[len(PREMASKED):]: st.count for st in pre.values()})
    why: dict[str, list[Reason]] = {}
    templates = cluster(counts, why, known)
    learned = learn(known, set(templates.values())) if known is not None else None
    earlier = earlier_templates(learned, set(templates.values())) if learned is not None else {}
    rename: dict[str, str] = {}
    out = GroupState(attached=state.attached, revision_of=dict(state.revision_of))
    sig_of: dict[str, Signature] = {}
    template_of: dict[str, str] = {}
    for sid, st in state.stats.items():
        if sid in pre:
            template_of[sid] = templates[st.sig.key[len(PREMASKED):]]
            sig_of[sid] = mined_signature(template_of[sid])
            rename[sid] = sig_of[sid].id
        else:
            sig_of[sid] = st.sig
    sources = Counter(sig.id for sig in sig_of.values())
    for sid in sorted(state.stats):
        st, sig = state.stats[sid], sig_of[sid]
        target = out.stats.get(sig.id)
        if target is None:
            if sources[sig.id] == 1:
                # the only source of its template (free text: most are): a copy that shares the
                # counters, which nothing changes after grouping, instead of a merge into new ones
                target = out.stats[sig.id] = replace(st, sig=sig, aliases=set(st.aliases), earlier=set(st.earlier),
                                                     why=list(st.why))
            else:
                target = out.stats[sig.id] = SigStats(sig)
            if sid in pre:
                template = template_of[sid]
                target.why = why.get(template, [])
                target.earlier = set(earlier.get(template, ()))
                target.aliases |= {mined_signature(t).id for t in target.earlier}
            if sources[sig.id] > 1:
                target.merge(st)
        else:
            target.merge(st)
        if sid != sig.id:
            target.aliases.add(sid)
    for sid, n in state.burst_counts.items():
        out.burst_counts[rename.get(sid, sid)] += n
    for (a, b), n in state.burst_pairs.items():
        a, b = rename.get(a, a), rename.get(b, b)
        if a != b:
            out.burst_pairs[(min(a, b), max(a, b))] += n
    out.timeline = state.timeline.renamed(rename)
    out.traces = {trace: {rename.get(s, s) for s in sids} for trace, sids in state.traces.items()}
    out.assignments = state.assignments.renamed(rename)
    out.late = state.late
    return Resolution(out, rename, learned)


def finalize(state: GroupState, limits: Limits = LIMITS) -> list[Problem]:
    """Merge signatures that state the same underlying error into problems.

    Templates are mined first when the state holds plain messages; a problem knows the
    provisional ids it absorbed (``all_ids``), so the unresolved timeline still maps to it.
    Past ``limits.max_problems``, the rarest problems are folded into one tail problem per
    severity (``fold_tail``).
    """
    if any(st.sig.key.startswith(PREMASKED) for st in state.stats.values()):
        state = resolve_templates(state).state
    stats = state.stats
    for st in stats.values():
        st.finish()
    ids = sorted(stats)
    uf = _UnionFind(ids)
    edges: list[tuple[str, str, Reason]] = []

    def link(a: str, b: str, reason: Reason) -> None:
        if uf.union(a, b):
            edges.append((a, b, reason))

    # 1. the same exception (type and value) seen with frames and without
    by_exc: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sid in ids:
        sig = stats[sid].sig
        if sig.exc_type and sig.exc_value:
            by_exc[(sig.exc_type, sig.exc_value)].append(sid)
    for (etype, evalue), group_ids in sorted(by_exc.items()):
        frameless = [s for s in group_ids if stats[s].sig.kind == KIND_ERROR]
        if not frameless:
            continue
        for other in group_ids:
            if other != frameless[0]:
                link(frameless[0], other, said("same exception {0} (structured error field and trace)",
                                               f"{etype}: {_clip(evalue)}"))

    # 2. a message that quotes an exception's value, or another error message whole
    quotes: list[tuple[str, str, Reason]] = []  # (needle, signature id, what the message quotes)
    for sid in ids:
        sig = stats[sid].sig
        if sig.exc_value and len(sig.exc_value) >= MIN_QUOTE_LEN:
            quotes.append((sig.exc_value, sid, said('the message quotes the exception value of {0}: "{1}"',
                                                    sig.exc_type or "?", _clip(sig.exc_value))))
        text = _template_text(sig)
        if stats[sid].severity >= Severity.ERROR and len(text) >= MIN_TEMPLATE_QUOTE_LEN:
            # compared with the data masked as in exception values
            quotes.append((mask_value(text), sid, said('the message quotes an error message: "{0}"', _clip(text))))
    # every needle in every message in one pass over each message (Aho-Corasick): comparing each
    # message with each needle is quadratic when every message is distinct
    by_needle: dict[str, list[tuple[str, Reason]]] = defaultdict(list)
    for needle, other, what in quotes:
        by_needle[needle].append((other, what))
    automaton = ahocorasick.Automaton()
    for needle in by_needle:
        automaton.add_word(needle, needle)
    if by_needle:
        automaton.make_automaton()
    for sid in ids:
        st = stats[sid]
        if st.severity < Severity.WARNING or not by_needle:
            continue
        hay = mask_value(_template_text(st.sig)) or (st.sig.exc_value or "")
        if not hay:
            continue
        found = sorted({needle for _, needle in automaton.iter(hay)})[:MAX_QUOTED]
        for needle in found:
            for other, what in by_needle[needle]:
                if other != sid and (needle != hay or st.sig.kind != stats[other].sig.kind):
                    link(other, sid, what)

    # 3. written together by one writer, every time, in one burst on one instance
    for (a, b), together in sorted(state.burst_pairs.items()):
        if together < BURST_MIN_SUPPORT:
            continue
        if together >= BURST_AGREEMENT * state.burst_counts[a] and together >= BURST_AGREEMENT * state.burst_counts[b]:
            link(a, b, said(f"logged together within {int(BURST_GAP_S * 1000)} ms by the same writer on the same "
                            f"instance ({together} of {max(state.burst_counts[a], state.burst_counts[b])} times)"))

    clusters: dict[str, list[str]] = defaultdict(list)
    for sid in ids:
        clusters[uf.find(sid)].append(sid)
    reasons_by_root: dict[str, list[Reason]] = defaultdict(list)
    for a, b, reason in edges:
        reasons_by_root[uf.find(a)].append(Reason(f"{a} + {b}: " + reason.words, reason.quotes))
    for sid in ids:
        for reason in stats[sid].why[:3]:
            reasons_by_root[uf.find(sid)].append(Reason(f"{sid} (template): " + reason.words, reason.quotes))

    problems: list[Problem] = []
    for root, members in clusters.items():
        member_stats = [stats[m] for m in members]
        # the statement that says most: a trace, then a structured error; the most severe; then by content
        anchor = min(member_stats, key=lambda m: (m.sig.rank, -m.severity, m.sig.key)).sig
        if len(member_stats) == 1:  # a copy sharing the counters (nothing changes them after grouping)
            only = member_stats[0]
            total = replace(only, aliases=set(only.aliases), earlier=set(only.earlier), why=list(only.why))
        else:
            total = SigStats(anchor)
            for m in member_stats:
                total.merge(m)
        total.finish()
        if total.exc_type is None:
            for m in sorted(member_stats, key=lambda m: (m.sig.rank, m.sig.key)):
                if m.sig.exc_type:
                    total.exc_type = m.sig.exc_type
                    total.exc_value = _raw_value(m) or m.sig.exc_value
                    break
        member_stats.sort(key=lambda m: (-m.count, m.sig.key))
        problems.append(
            Problem(
                id=content_id("p", anchor.key),
                anchor=anchor,
                members=member_stats,
                reasons=reasons_by_root[root] or [_single(anchor)],
                count=total.count,
                severity=total.severity,
                first=total.first,
                last=total.last,
                stats=total,
            )
        )
    problems.sort(key=lambda p: (-p.severity, -p.count, p.id))
    return fold_tail(problems, limits.max_problems)



def tail_signature(severity: Severity) -> Signature:
    """The long tail of one severity: where messages too many and too rare to tell apart are folded."""
    key = f"{KIND_TAIL}|{severity.name}"
    return Signature(id=content_id("s", key), kind=KIND_TAIL, key=key)


def fold_tail(problems: list[Problem], keep: int) -> list[Problem]:
    """The ``keep`` first problems (most severe, then most frequent, then by id: no arrival order),
    and the rest folded into one problem per severity. Free text (user input, upstream error bodies)
    makes every message its own problem; reporting and filing half a million of them helps nobody,
    while their count and their entries' ids are kept."""
    if len(problems) <= keep:
        return problems
    kept = [p for p in problems if p.anchor.kind != KIND_TAIL][:keep]
    chosen = {p.id for p in kept}
    rest = [p for p in problems if p.id not in chosen]  # with the tails grouping already folded
    by_severity: dict[Severity, list[Problem]] = defaultdict(list)
    for p in rest:
        by_severity[p.severity].append(p)
    for severity, folded in sorted(by_severity.items(), key=lambda kv: -kv[0]):
        total = SigStats(tail_signature(severity))
        key = total.sig.key
        for p in folded:
            for m in p.members:
                total.merge(m)
                if m.sig.id != total.sig.id:
                    total.aliases.add(m.sig.id)
        total.finish()
        most = max(p.count for p in folded)
        total.why = [said(f"{{0}} problems of severity {severity.name} beyond the {keep:,} kept apart in one run, "
                          f"each seen at most {most} times, are folded into this one", f"{len(folded):,}")]
        problems_word = said(f"the long tail: {{0}} rarer {severity.name} problems folded into one "
                             f"(more than {keep:,} problems in this run)", f"{len(folded):,}")
        kept.append(Problem(id=content_id("p", key), anchor=total.sig, members=[total], reasons=[problems_word],
                            count=total.count, severity=total.severity, first=total.first, last=total.last,
                            stats=total))
    return kept


def _raw_value(st: SigStats) -> str | None:
    """The unmasked exception value, from the trace grouping parsed (never parsed again here)."""
    if st.trace is not None and st.trace.root.type:
        return st.trace.root.value
    return None


def describe(sig: Signature) -> Reason:
    if sig.kind == KIND_TRACE:
        return said("stack trace {0} at {1}", sig.exc_type or "(cut off)", sig.frame or "?")
    if sig.kind == KIND_ERROR:
        return said("structured error {0}", f"{sig.exc_type}: {_clip(sig.exc_value or '')}")
    if sig.key.startswith("request|"):
        return said("request logs: {0}", sig.key.split("|", 1)[1])
    return said('message template "{0}"', _clip(_template_text(sig)))


def _single(anchor: Signature) -> Reason:
    d = describe(anchor)
    return Reason("a single signature: " + d.words, d.quotes)


def _clip(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
