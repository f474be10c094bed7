"""Deploy correlation: which revision a problem started in, and whether a newer one stopped it.

Pure functions over two facts: when each revision was active in the window (from every
entry read, not only the selected ones) and where the problem occurred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..group.grouping import Problem
from ..model import Entry


@dataclass(slots=True)
class RevisionActivity:
    """When each revision logged anything in the window. ``add`` per entry; ``merge`` shards."""

    first: dict[str, datetime] = field(default_factory=dict)
    last: dict[str, datetime] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)

    def add(self, entry: Entry) -> None:
        rev, ts = entry.revision, entry.timestamp
        if not rev or ts is None:
            return
        self.count[rev] = self.count.get(rev, 0) + 1
        if rev not in self.first or ts < self.first[rev]:
            self.first[rev] = ts
        if rev not in self.last or ts > self.last[rev]:
            self.last[rev] = ts

    def merge(self, other: RevisionActivity) -> RevisionActivity:
        out = RevisionActivity(dict(self.first), dict(self.last), dict(self.count))
        for rev, n in other.count.items():
            out.count[rev] = out.count.get(rev, 0) + n
            out.first[rev] = min(out.first.get(rev, other.first[rev]), other.first[rev])
            out.last[rev] = max(out.last.get(rev, other.last[rev]), other.last[rev])
        return out

    def ordered(self) -> list[str]:
        """Revisions by when they first logged (the deploy order as far as the logs show it)."""
        return sorted(self.first, key=lambda r: (self.first[r], r))


# a newer revision must have logged this long after a problem's last entry to count as "fixed?"
QUIET_AFTER = timedelta(minutes=15)


@dataclass(slots=True)
class DeployFacts:
    first_revision: str | None = None
    new_since: str | None = None  # first seen in this revision, never in the older ones active here
    not_in: list[str] = field(default_factory=list)  # older revisions active in the window without it
    stopped_after: str | None = None  # a newer revision that kept logging after the problem's last entry
    notes: list[str] = field(default_factory=list)


def deploy_facts(problem: Problem, activity: RevisionActivity) -> DeployFacts:
    st = problem.stats
    facts = DeployFacts()
    if st is None or not st.revisions:
        return facts
    first_entry = st.samples[0][2] if st.samples else None
    facts.first_revision = (first_entry.revision if first_entry and first_entry.revision
                            else max(st.revisions, key=lambda r: st.revisions[r]))
    order = activity.ordered()
    if facts.first_revision not in order:
        return facts
    pos = order.index(facts.first_revision)
    seen = set(st.revisions)
    older = [r for r in order[:pos] if r not in seen]
    if older and not any(r in seen for r in order[:pos]):
        facts.new_since = facts.first_revision
        facts.not_in = older
        facts.notes.append(
            f"new since revision {facts.first_revision} (first seen {_t(activity.first[facts.first_revision])}); "
            f"not seen in {', '.join(older)}")
    else:
        facts.notes.append(f"started in revision {facts.first_revision}")
    last_seen_rev = max((r for r in seen if r in order), key=order.index, default=None)
    # only a deploy effect if the revision it occurred in stopped too (else it just went quiet)
    replaced = (last_seen_rev is not None and problem.last is not None
                and activity.last[last_seen_rev] - problem.last < QUIET_AFTER)
    if replaced:
        newer = [r for r in order[order.index(last_seen_rev) + 1:]
                 if r not in seen and activity.last[r] - problem.last >= QUIET_AFTER]
        if newer:
            facts.stopped_after = newer[0]
            facts.notes.append(
                f"not seen since revision {newer[0]} started (it logged until {_t(activity.last[newer[0]])}): "
                f"fixed by {newer[0]}?")
    return facts


def _t(dt: datetime) -> str:
    return dt.isoformat(timespec="seconds").replace("+00:00", "Z")
