"""Capped counts that do not depend on order: the same tally for the same keys, whatever their order or
sharding; exact counts for every kept key; exact distinct counts up to the cap, an estimate past it."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from log_gardener.group.tally import Tally, key_hash

keys = st.lists(st.tuples(st.text(min_size=1, max_size=6), st.integers(1, 5)), max_size=60)


def tally_of(items, cap):
    t = Tally(cap)
    for k, n in items:
        t.add(k, n)
    return t


@settings(max_examples=200, deadline=None)
@given(keys, st.integers(1, 8), st.randoms(use_true_random=False), st.integers(1, 4))
def test_the_same_tally_whatever_the_order_and_the_shards(items, cap, rnd, shards):
    one = tally_of(items, cap)
    shuffled = items[:]
    rnd.shuffle(shuffled)
    parts = [tally_of(shuffled[i::shards], cap) for i in range(shards)]
    merged = Tally(cap)
    for part in rnd.sample(parts, len(parts)):
        merged.merge(part)
    assert dict(merged) == dict(one) and merged.distinct == one.distinct and merged.estimated == one.estimated
    # what is kept: the cap smallest (hash, key) of all distinct keys, each with its exact count
    totals: dict[str, int] = {}
    for k, n in items:
        totals[k] = totals.get(k, 0) + n
    kept = sorted(totals, key=lambda k: (key_hash(k), k))[:cap]
    assert dict(one) == {k: totals[k] for k in kept}
    assert one.estimated == (len(totals) > cap)
    if len(totals) <= cap:
        assert one.distinct == len(totals)
    assert one.top(3) == sorted(dict(one), key=lambda k: (-totals[k], k))[:3]


def test_past_the_cap_the_distinct_count_is_an_estimate_within_a_few_percent():
    rnd = random.Random(3)
    for true in (2_000, 16_000, 100_000):
        t = Tally(1000)
        for i in range(true):
            t.add(f"instance-{rnd.getrandbits(64):016x}-{i}")
        assert t.estimated and len(t) == 1000
        assert abs(t.distinct - true) / true < 0.1, (true, t.distinct)
