"""The fast paths of grouping and causality give bit-identical answers to the straightforward code they
replaced (kept here as the reference): float times with an exact fallback, zeros left out of the chance
sums, per-stream caches, insertion instead of re-sorting."""

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from log_gardener.analyse import causality as c
from log_gardener.group import grouping as g
from log_gardener.group.signature import Signer
from log_gardener.model import Entry, Origin, Severity
from log_gardener.parse.classify import MESSAGE_MAX, voice
from log_gardener.parse.stacktrace import parse_stack

T0 = datetime(2025, 9, 15, 12, 0, tzinfo=UTC)
PY_TRACE = ('Traceback (most recent call last):\n  File "/app/shop/api.py", line 3, in get\n    x()\n'
            "KeyError: 'sku'")


# --- the reference: the code before the fast paths ------------------------------------------------------------


def ref_episodes(times):
    starts, ends = [], []
    for t in times:
        if ends and t - ends[-1] <= c.EPISODE_GAP_S:
            ends[-1] = t
        else:
            starts.append(t)
            ends.append(t)
    return starts, ends


def ref_time_link(tl, a, b, kind, since, chance, max_window=c.WINDOW_S):
    occurrences = []
    for stream, ep in sorted(tl.episodes.get(b, {}).items()):
        occurrences.extend((stream, t) for t in ep.starts if since is None or t >= since)
    if not occurrences:
        return None
    eps = tl.episodes.get(a)
    if not eps:
        return None
    width = max_window
    if kind == "follows":
        lags = [d[0] for stream, t in occurrences if (ep := eps.get(stream)) and (d := c._follows(ep, t, max_window))]
        width = min(max_window, max(c.MIN_WINDOW_S, 2 * c._quantile(lags, 0.9)))
    hits, involved, probabilities = [], set(), []
    for stream, t in occurrences:
        ep = eps.get(stream)
        if ep is None or not c._has_instance(stream):
            probabilities.append(0.0)
            continue
        if kind == "follows":
            found = c._follows(ep, t, width)
            windows = c._follow_windows(ep, width)
        elif kind == "request":
            found = c._around(ep, t)
            windows = [(s - c.REQUEST_BEFORE_S, e + c.REQUEST_AFTER_S) for s, e in zip(ep.starts, ep.ends, strict=True)]
        else:
            found = c._precedes(ep, t)
            windows = [(s - c.PRECURSOR_S, s) for s in ep.starts]
        probabilities.append(c._coverage(windows, tl.spans.get(stream, (t, t))))
        if found is not None:
            hits.append(found[0])
            involved.add((stream, found[1]))
    if not hits:
        return None
    a_episodes = sum(len(ep.starts) for s, ep in eps.items() if c._has_instance(s))
    return c.Link(a, kind, len(hits), len(occurrences), len(involved), len({s for s, _ in involved}),
                  sum(probabilities), c._tail(probabilities, len(hits)) if chance else 1.0, c._median(hits), chance,
                  len(involved) / a_episodes if a_episodes else 0.0)


def ref_count_bursts(items, sigs):
    counts, pairs_out = Counter(), Counter()
    start, n = 0, len(items)
    while start < n:
        end = start + 1
        while end < n:
            a, b = items[end - 1].timestamp, items[end].timestamp
            if a is None or b is None or (b - a).total_seconds() > g.BURST_GAP_S:
                break
            end += 1
        members = sorted({s.id for s in sigs[start:end]})
        counts.update(members)
        if 1 < len(members) <= g.MAX_BURST_SIGNATURES:
            by_voice = defaultdict(set)
            for entry, sig in zip(items[start:end], sigs[start:end], strict=True):
                by_voice[f"logger:{entry.logger}" if entry.logger else voice(entry.text[:MESSAGE_MAX])].add(sig.id)
            pairs_out.update({(x, y) for ids in by_voice.values() for x in ids for y in ids if x < y})
        start = end
    return counts, pairs_out


def ref_samples(items):
    samples = []
    for item in items:
        if len(samples) < g.MAX_SAMPLES:
            samples.append(item)
            samples.sort(key=lambda t: t[:2])
        elif item[:2] < samples[-1][:2]:
            samples[-1] = item
            samples.sort(key=lambda t: t[:2])
    return samples


# --- episodes, chance ----------------------------------------------------------------------------------------


def test_episodes_are_the_reference_episodes():
    rnd = random.Random(1)
    for _ in range(3000):
        times = sorted(rnd.choice([rnd.uniform(0, 60), rnd.randint(0, 20) * 2.5, 1.7e9 + rnd.randint(0, 40) * 5.0])
                       for _ in range(rnd.randint(0, 25)))
        ep = c._episodes(times)
        assert (ep.starts, ep.ends) == ref_episodes(times)


@pytest.mark.parametrize("n", [7, 399, 400, 401, 900])
def test_leaving_the_zero_chances_out_of_the_tail_changes_no_bit(n):
    rnd = random.Random(n)
    for _ in range(20):
        full = [0.0 if rnd.random() < 0.6 else rnd.choice([rnd.random(), 1.0, 1e-9]) for _ in range(n)]
        nonzero = [p for p in full if p != 0.0]
        for k in {0, 1, 2, len(nonzero) // 2, len(nonzero), len(nonzero) + 1, n, n + 1}:
            assert c._tail(nonzero, k, n) == c._tail(full, k)
        assert sum(nonzero) == sum(full) or not nonzero


# --- time links: the new measure against the reference on random timelines ------------------------------------


def _random_timeline(rnd):
    """A GroupState-like timeline: problems p0..p4 (two signatures each) on instances and revision streams."""
    timeline = g.Timeline()
    streams = [("svc", f"inst{i}") for i in range(6)] + [("svc", "rev1|stderr"), ("other", "inst9")]
    sigs = {f"p{i}": [f"s{i}a", f"s{i}b"] for i in range(5)}
    for _ in range(rnd.randint(1, 300)):
        pid = rnd.choice(list(sigs))
        t = 1.7e9 + rnd.choice([rnd.uniform(0, 3600), rnd.randint(0, 200) * 2.5, rnd.randint(0, 30) * 60.0])
        timeline.append(rnd.choice(streams), t, rnd.choice(sigs[pid] + ["unknown"]))
    problems = [SimpleNamespace(id=pid, all_ids=ids) for pid, ids in sigs.items()]
    state = SimpleNamespace(timeline=timeline, revision_of={s: "rev1" for s in streams[:3]}, traces={})
    return problems, state


def test_time_links_are_the_reference_links():
    rnd = random.Random(7)
    compared = found = 0
    for _ in range(150):
        problems, state = _random_timeline(rnd)
        spans = {("svc", "inst0"): (1.7e9 - 100, 1.7e9 + 4000)} if rnd.random() < 0.5 else {}
        tl = c._Timeline(problems, state, spans, {})
        for _ in range(30):
            a, b = rnd.sample([p.id for p in problems], 2)
            kind = rnd.choice(["follows", "request", "precursor"])
            since = rnd.choice([None, None, 1.7e9 + rnd.uniform(0, 3600)])
            chance = rnd.random() < 0.7
            width = rnd.choice([c.WINDOW_S, c.EPISODE_GAP_S])
            for _ in range(2):  # the second time from the caches
                assert c._time_link(tl, a, b, kind, since, chance, width) == ref_time_link(tl, a, b, kind, since,
                                                                                            chance, width)
            compared += 1
            found += c._time_link(tl, a, b, kind, since, chance, width) is not None
    assert found > 100 and compared - found > 100  # both outcomes were compared


def test_episodes_of_b_where_a_never_is_still_count_as_trials():
    # 30 B episodes after A on one instance, 450 on another without A: 480 trials (the tail's normal
    # approximation), not 30 (its exact sum)
    timeline = g.Timeline()
    for i in range(30):
        timeline.append(("svc", "inst0"), 1.7e9 + 100 * i, "sa")
        timeline.append(("svc", "inst0"), 1.7e9 + 100 * i + 1, "sb")
    for i in range(450):
        timeline.append(("svc", "inst1"), 1.7e9 + 10 * i, "sb")
    problems = [SimpleNamespace(id="pa", all_ids=["sa"]), SimpleNamespace(id="pb", all_ids=["sb"])]
    tl = c._Timeline(problems, SimpleNamespace(timeline=timeline, revision_of={}, traces={}), {}, {})
    found = c._time_link(tl, "pa", "pb", "follows", None, True)
    assert found == ref_time_link(tl, "pa", "pb", "follows", None, True)
    assert (found.explained, found.total) == (30, 480)


def test_the_timeline_reads_the_rows_as_the_row_iterator_does():
    rnd = random.Random(3)
    problems, state = _random_timeline(rnd)
    tl = c._Timeline(problems, state, {}, {})
    sig_to_problem = {sid: p.id for p in problems for sid in p.all_ids}
    times, seen = defaultdict(lambda: defaultdict(list)), {}
    for stream, ts, sid in state.timeline:
        if sid in sig_to_problem:
            times[sig_to_problem[sid]][stream].append(ts)
        lo, hi = seen.get(stream, (ts, ts))
        seen[stream] = (min(lo, ts), max(hi, ts))
    # the same problems and streams in the same order; each stream's times sorted (as the timeline keeps them)
    expected = [(p, [(stream, sorted(lst)) for stream, lst in s.items()]) for p, s in times.items()]
    assert [(p, list(s.items())) for p, s in tl.times.items()] == expected
    assert list(tl.spans.items()) == list(seen.items())


# --- bursts --------------------------------------------------------------------------------------------------


def _entry(dt, text, logger=None, key="x"):
    return Entry(timestamp=dt, severity=Severity.ERROR, text=text, insert_id=key, logger=logger)


@pytest.mark.parametrize("base", [T0, datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC), datetime(2999, 12, 31, tzinfo=UTC)])
def test_bursts_cut_exactly_where_the_datetimes_say(base):
    rnd = random.Random(base.year)
    # steps at and around the gap, in microseconds: float seconds alone would misjudge some of them
    steps = [0, 1, 4999, 5000, 5001, 5002, 20_000, 3_000_000]
    texts = ["[1] [ERROR] Worker failed", "[2] [ERROR] Worker failed", "ERROR:pricing.rules:bad", "plain words"]
    for _ in range(300):
        t, items = base, []
        for i in range(rnd.randint(1, 14)):
            t += timedelta(microseconds=rnd.choice(steps))
            items.append(_entry(t, rnd.choice(texts), rnd.choice([None, None, "app"]), f"k{i}"))
        sigs = [SimpleNamespace(id=rnd.choice("abcd")) for _ in items]
        state = g.GroupState()
        g._count_bursts(items, sigs, state, [e.timestamp.timestamp() for e in items], {})
        counts, pairs = ref_count_bursts(items, sigs)
        assert list(state.burst_counts.items()) == list(counts.items())
        assert state.burst_pairs == pairs


def test_a_burst_never_joins_an_entry_without_a_time():
    items = [_entry(None, "a"), _entry(T0, "b"), _entry(T0, "c")]
    sigs = [SimpleNamespace(id=x) for x in "abc"]
    state = g.GroupState()
    g._count_bursts(items, sigs, state)
    assert state.burst_counts == ref_count_bursts(items, sigs)[0] == Counter({"a": 1, "b": 1, "c": 1})


# --- per-entry aggregates ------------------------------------------------------------------------------------


def test_samples_kept_by_insertion_are_the_sorted_ones_ties_included():
    rnd = random.Random(5)
    for _ in range(500):
        st = g.SigStats(g.mined_signature("x"))
        entries = [Entry(timestamp=T0 + timedelta(seconds=rnd.randint(0, 3)), severity=Severity.ERROR, text=str(i),
                         insert_id=rnd.choice("ab")) for i in range(rnd.randint(0, 9))]
        for e in entries:
            st.add(e)
        expected = ref_samples([(g._ts_key(e), e.key, e) for e in entries])
        assert [id(e) for _, _, e in st.samples] == [id(e) for _, _, e in expected]


def test_entries_sorted_once_are_sorted_as_before():
    rnd = random.Random(9)
    for _ in range(200):
        items = [Entry(timestamp=rnd.choice([None, T0, T0 + timedelta(microseconds=rnd.randint(0, 3))]),
                       severity=Severity.ERROR, text="t", insert_id=rnd.choice([None, "a", "b"]),
                       origin=Origin("f", rnd.randint(0, 2))) for _ in range(rnd.randint(0, 12))]
        ordered, times = g._by_time(items)
        expected = sorted(items, key=lambda e: (g._ts_key(e), e.key))
        assert [id(e) for e in ordered] == [id(e) for e in expected]
        assert times == [g._ts_key(e) for e in expected]


def test_the_signer_caches_texts_without_a_trace_too_and_stays_bounded():
    signer = Signer(cache_size=10)
    plain = [_entry(T0, f"nothing to parse {i}") for i in range(25)]
    trace = _entry(T0, PY_TRACE)
    assert signer.trace_of(trace) is signer.trace_of(trace)  # parsed once
    assert signer.trace_of(trace).root.type == parse_stack(PY_TRACE).root.type == "KeyError"
    for e in plain * 2:
        assert signer.trace_of(e) is None
    assert len(signer._plain) <= 10 and len(signer._traces) <= 10
    assert signer.trace_of(trace) is not None  # the traces are not crowded out by plain texts
