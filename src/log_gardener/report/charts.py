"""Occurrences over a run's window, as aggregates: what the HTML report draws and the JSON carries.

A chart is never one point per entry: entries are counted into at most ``MAX_BUCKETS`` buckets of a
round length (seconds for a few minutes, 5 minutes for 12 hours, an hour for a week, 12 hours for
months), aligned on UTC, so a page stays the same size for a thousand entries or a million. Pure
functions over timestamps.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_BUCKETS = 200
# bucket lengths in seconds, the shortest that keeps the window within MAX_BUCKETS wins
LENGTHS = (1, 5, 10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 7 * 86400)
NAMES = {1: "second", 5: "5 seconds", 10: "10 seconds", 30: "30 seconds", 60: "minute", 300: "5 minutes",
         900: "15 minutes", 1800: "30 minutes", 3600: "hour",
         3 * 3600: "3 hours", 6 * 3600: "6 hours", 12 * 3600: "12 hours", 86400: "day", 7 * 86400: "week"}


@dataclass(frozen=True, slots=True)
class Buckets:
    """``count`` buckets of ``seconds`` each, the first starting at ``start`` (epoch seconds, UTC)."""

    start: float
    seconds: int
    count: int

    @classmethod
    def over(cls, first: float, last: float) -> Buckets:
        span = max(0.0, last - first)
        seconds = next((s for s in LENGTHS if math.floor(last / s) - math.floor(first / s) + 1 <= MAX_BUCKETS),
                       LENGTHS[-1] * max(1, math.ceil(span / (LENGTHS[-1] * (MAX_BUCKETS - 1)))))
        start = math.floor(first / seconds) * seconds
        return cls(float(start), seconds, int((last - start) // seconds) + 1)

    @property
    def name(self) -> str:
        return NAMES.get(self.seconds, f"{self.seconds // 86400} days")

    def counts(self, times: Iterable[float]) -> list[int]:
        """Entries per bucket; times outside the buckets are left out."""
        out = [0] * self.count
        for t in times:
            i = int((t - self.start) // self.seconds)
            if 0 <= i < self.count:
                out[i] += 1
        return out

    def counts_sorted(self, times: Sequence[float]) -> list[int]:
        """``counts`` for sorted times, by bisection: O(buckets log n) instead of O(n)."""
        edges = [self.start + (i + 1) * self.seconds for i in range(self.count)]
        out, lo = [], bisect.bisect_left(times, self.start)
        for edge in edges:
            hi = bisect.bisect_left(times, edge, lo)
            out.append(hi - lo)
            lo = hi
        return out

    def at(self, i: int) -> datetime:
        return datetime.fromtimestamp(self.start + i * self.seconds, UTC)

    def as_dict(self) -> dict[str, object]:
        return {"start": iso_z(self.start), "bucket_seconds": self.seconds, "bucket": self.name,
                "buckets": self.count}


def iso_z(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
