"""Entries that are only counted: below the selected severity, and neither a line a multi-line record
could take nor a marker. Most entries of a busy service are such; none of them becomes a record.

They are tallied, wherever they are read (this process or a reading worker), as duplicate keys in
8 bytes each and as the activity of their revision and instance; tallies of several readers add up to
the tally of one, in any order.
"""

from __future__ import annotations

from .analyse.deploys import RevisionActivity
from .model import LOG, Entry, Glimpse, Item, KeyCount, Severity


def only_counted(entry: Entry, below: Severity) -> bool:
    """An entry read whole that is only counted (a Glimpse always is)."""
    return entry.severity < below and entry.kind == LOG and not entry.plain


class Counted:
    """The tally of the entries only counted (see the module); ``take`` says which entries go on."""

    __slots__ = ("activity", "below", "keys", "unkeyed")

    def __init__(self, below: Severity) -> None:
        self.below = below
        self.keys = KeyCount()  # the duplicate key of each entry with an insertId
        self.unkeyed = 0  # entries without insertId: never duplicates
        self.activity = RevisionActivity()

    def take(self, item: Item) -> Entry | None:
        """Count ``item`` when it is only counted (None); else the Entry, which goes on (uncounted here)."""
        if type(item) is Glimpse:
            self.activity.add_revision(item.revision, item.timestamp)
        elif only_counted(item, self.below):
            self.activity.add(item)
        else:
            return item
        if item.insert_id:
            self.keys.add(hash((item.insert_id, item.timestamp)))  # workers fork: the same hash seed
        else:
            self.unkeyed += 1
        return None

    def update(self, other: Counted) -> None:
        self.keys.update(other.keys)
        self.unkeyed += other.unkeyed
        self.activity.update(other.activity)

    def __len__(self) -> int:
        """Entries counted (duplicates included)."""
        return len(self.keys) + self.unkeyed

    def distinct(self) -> int:
        return self.keys.distinct() + self.unkeyed
