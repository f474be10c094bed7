"""What the service was doing: revisions, instances, deploys; and deploy correlation.

Pure functions over facts gathered from every entry read, not only the selected ones: when
each revision and each instance was logging, and when deploys happened (audit markers). The
causal analysis uses the instances' spans (how long a stream could have shown a coincidence);
deploy correlation says which revision a problem started in and whether a newer one stopped it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..group.grouping import Problem
from ..model import DEPLOY, Entry

Span = list[float]  # [first, last] epoch seconds


@dataclass(slots=True)
class RevisionActivity:
    """When each revision and each instance logged anything, and the deploys. ``add`` per entry read;
    ``merge`` shards."""

    first: dict[str, datetime] = field(default_factory=dict)
    last: dict[str, datetime] = field(default_factory=dict)
    count: dict[str, int] = field(default_factory=dict)
    # (service, instance) -> [first, last] epoch seconds, and the revision it ran (the smallest name, if several)
    instances: dict[tuple[str, str], Span] = field(default_factory=dict)
    instance_revision: dict[tuple[str, str], str] = field(default_factory=dict)
    deploys: list[tuple[datetime, str, str]] = field(default_factory=list)  # (time, service, what)

    def add(self, entry: Entry) -> None:
        rev, ts = entry.revision, entry.timestamp
        if ts is None:
            return
        if entry.kind == DEPLOY:
            self.deploys.append((ts, entry.service or "", entry.text))
        if entry.instance:
            key = (entry.service or "", entry.instance)
            t = ts.timestamp()
            span = self.instances.get(key)
            if span is None:
                self.instances[key] = [t, t]
            elif t < span[0]:
                span[0] = t
            elif t > span[1]:
                span[1] = t
            if rev:
                ran = self.instance_revision.get(key)
                if ran is None or rev < ran:  # an instance runs one revision; any order names the same
                    self.instance_revision[key] = rev
        if rev:
            self.add_revision(rev, ts)

    def add_revision(self, rev: str | None, ts: datetime | None) -> None:
        """An entry of revision ``rev`` at ``ts`` (all an entry below the severity tells)."""
        if rev and ts is not None:
            self._logged(rev, 1, ts, ts)

    def _logged(self, rev: str, n: int, first: datetime, last: datetime) -> None:
        self.count[rev] = self.count.get(rev, 0) + n
        mine = self.first.get(rev)
        if mine is None or first < mine:
            self.first[rev] = first
        mine = self.last.get(rev)
        if mine is None or last > mine:
            self.last[rev] = last

    def merge(self, other: RevisionActivity) -> RevisionActivity:
        out = RevisionActivity()
        out.update(self)
        out.update(other)
        return out

    def update(self, other: RevisionActivity) -> None:
        """Add what ``other`` saw, in place (in any order: the result is the same)."""
        for rev, n in other.count.items():
            self._logged(rev, n, other.first[rev], other.last[rev])
        for key, (a, b) in other.instances.items():
            span = self.instances.get(key)
            if span is None:
                self.instances[key] = [a, b]
            else:
                span[0], span[1] = min(span[0], a), max(span[1], b)
        for key, rev in other.instance_revision.items():
            ran = self.instance_revision.get(key)
            if ran is None or rev < ran:
                self.instance_revision[key] = rev
        self.deploys.extend(other.deploys)  # their order does not matter: every reader sorts or takes the max

    def ordered(self) -> list[str]:
        """Revisions by when they first logged (the deploy order as far as the logs show it)."""
        return sorted(self.first, key=lambda r: (self.first[r], r))


# a newer revision must have logged this long after a problem's last entry to count as "fixed?"
QUIET_AFTER = timedelta(minutes=15)
AFTER_DEPLOY = timedelta(hours=1)  # a problem first seen this soon after a deploy says so


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
    if problem.first is not None:
        services = set(st.services)
        before = [d for d in activity.deploys if d[0] <= problem.first and problem.first - d[0] <= AFTER_DEPLOY
                  and (not services or d[1] in services)]
        if before:
            at, _, what = max(before)
            minutes = (problem.first - at).total_seconds() / 60
            said = f"{what.strip()} at {_t(at)}" if what.strip() else f"at {_t(at)}"  # an audit entry may have no text
            facts.notes.append(f"first seen {minutes:.0f} min after a deploy ({said})")
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
