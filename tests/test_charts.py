"""Occurrence buckets: every entry in exactly one bucket, never more than MAX_BUCKETS, round lengths."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from log_gardener.report.charts import LENGTHS, MAX_BUCKETS, Buckets

instants = st.floats(min_value=0, max_value=7.2e9, allow_nan=False)


@given(st.lists(instants, min_size=1, max_size=300))
def test_every_time_falls_in_one_bucket_and_there_are_never_too_many(times):
    b = Buckets.over(min(times), max(times))
    assert 1 <= b.count <= MAX_BUCKETS
    assert b.start <= min(times) and b.start % b.seconds == 0  # aligned on UTC
    counts = b.counts(times)
    assert sum(counts) == len(times)
    assert b.counts_sorted(sorted(times)) == counts


def test_the_length_is_the_shortest_round_one_that_fits():
    assert Buckets.over(0, 100).seconds == 1
    assert Buckets.over(0, 12 * 3600).seconds == 300  # a 12-hour incident: 5 minutes, 145 bars
    assert Buckets.over(0, 7 * 86400).seconds == 3600
    assert Buckets.over(0, 10 * 365 * 86400).seconds > LENGTHS[-1]  # beyond weeks: whole multiples
    assert Buckets.over(0, 10 * 365 * 86400).count <= MAX_BUCKETS
