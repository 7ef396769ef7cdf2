"""Date-indexed entry stores and the base of every indicator projection.

Each projection keeps the effective entries it needs in small stores sorted by the
projection order (observed, recorded, entry id), so a question about day D is a bisect plus
a short window scan, never a replay from the first entry.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Hashable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Self

from domain.events import EntryCorrected, EntryEvent, EntryRetracted, JournalStarted
from domain.values import AffectedSide, Side
from projections.entries import EffectiveChange, EffectiveEntries, entry_order

Key = tuple[object, ...]
Keyed = tuple[Key, EntryEvent]  # an entry with its entry_order


def day_key(day: date) -> Key:
    """A key sorting before every entry observed on DAY (a shorter tuple sorts first)."""
    return (datetime.combine(day, time.min),)


class DatedEntries:
    """Entries sorted by projection order, searchable by observed date."""

    __slots__ = ("_items", "_keys")

    def __init__(self) -> None:
        self._keys: list[Key] = []
        self._items: list[EntryEvent] = []

    def add(self, event: EntryEvent) -> None:
        key = entry_order(event)
        i = bisect.bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            self._items[i] = event
            return
        self._keys.insert(i, key)
        self._items.insert(i, event)

    def fill(self, events: Iterable[EntryEvent]) -> None:
        """Hold exactly EVENTS (any order, one per entry id): what adding each would give,
        with one sort instead of one bisect insert per entry (the initial build)."""
        self.fill_keyed([(entry_order(e), e) for e in events])

    def fill_keyed(self, pairs: Iterable[Keyed]) -> None:
        """``fill`` with each entry's ``entry_order`` already known: (key, entry) pairs."""
        keyed = sorted(pairs, key=itemgetter(0))
        self._keys = [k for k, _ in keyed]
        self._items = [e for _, e in keyed]

    def remove(self, event: EntryEvent) -> None:
        key = entry_order(event)
        i = bisect.bisect_left(self._keys, key)
        if i < len(self._keys) and self._keys[i] == key:
            del self._keys[i]
            del self._items[i]

    def _end(self, end: date) -> int:
        return bisect.bisect_left(self._keys, day_key(end + timedelta(days=1)))

    def between(self, start: date | None, end: date) -> list[EntryEvent]:
        """Entries observed on days START … END (START None = from the first)."""
        lo = 0 if start is None else bisect.bisect_left(self._keys, day_key(start))
        return self._items[lo:self._end(end)]

    def upto(self, end: date) -> list[EntryEvent]:
        return self._items[:self._end(end)]

    def last_upto(self, end: date) -> EntryEvent | None:
        i = self._end(end)
        return self._items[i - 1] if i else None

    def last_n_upto(self, end: date, n: int) -> list[EntryEvent]:
        i = self._end(end)
        return self._items[max(0, i - n):i]

    def count_upto(self, end: date) -> int:
        return self._end(end)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[EntryEvent]:
        return iter(self._items)

    def copy(self) -> DatedEntries:
        new = DatedEntries()
        new._keys = list(self._keys)
        new._items = list(self._items)
        return new


def affected_sides(journal: JournalStarted | None) -> tuple[str, ...]:
    return sides_of(journal.affected_side if journal is not None else None)


def sides_of(affected_side: str | None) -> tuple[str, ...]:
    """The leg sides of an affected side ('both' → left and right)."""
    return () if affected_side is None else tuple(s.value for s in AffectedSide(affected_side).sides)


def other_side(side: str) -> str:
    return Side.RIGHT.value if side == Side.LEFT.value else Side.LEFT.value


class EntryProjection:
    """Base of a read model: ``apply(event)`` for standalone use; inside the status bundle one
    shared ``EffectiveEntries`` feeds ``apply_change`` and ``observe`` instead, so corrections
    are resolved once for every indicator."""

    def __init__(self) -> None:
        self._own = EffectiveEntries()
        self.journal: JournalStarted | None = None
        self.stores: dict[Hashable, DatedEntries] = {}
        # Derived results (milestones, runs) computed lazily; dropped whenever entries change.
        self._cache: dict[str, object] = {}
        # Bumped on every change, so a projection reading another can tell its cache is stale.
        self.version = 0

    # Feeding ---------------------------------------------------------------------------

    def apply(self, event: EntryEvent) -> None:
        if not isinstance(event, EntryCorrected | EntryRetracted) and not type(event).CORRECTABLE:
            self.observe(event)
            return
        for change in self._own.apply(event):
            self.apply_change(change)

    def observe(self, event: EntryEvent) -> None:
        """An event that is not an observation (journal start, acknowledgement)."""
        if isinstance(event, JournalStarted) and self.journal is None:
            self.journal = event
            self._cache.clear()
            self.version += 1

    def apply_change(self, change: EffectiveChange) -> None:
        touched = False
        if change.before is not None:
            key = self.component(change.before)
            if key is not None and key in self.stores:
                self.stores[key].remove(change.before)
                touched = True
        if change.after is not None:
            key = self.component(change.after)
            if key is not None:
                self.stores.setdefault(key, DatedEntries()).add(change.after)
                touched = True
        if touched:
            self._cache.clear()
            self.version += 1

    def component(self, event: EntryEvent) -> Hashable | None:
        """The store an entry belongs to; None = this projection ignores it."""
        return None

    def store(self, key: Hashable) -> DatedEntries:
        return self.stores.get(key) or DatedEntries()

    def copy(self) -> Self:
        new = copy.copy(self)
        new._own = self._own.copy()
        new.stores = {k: s.copy() for k, s in self.stores.items()}
        new._cache = {}
        return new

    @property
    def affected(self) -> tuple[str, ...]:
        return affected_sides(self.journal)
