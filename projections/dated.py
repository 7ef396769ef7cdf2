"""Date-indexed entry stores and the base of every indicator projection.

Each projection keeps the effective entries it needs in small stores sorted by the
projection order (observed, recorded, entry id), so a question about day D is a bisect plus
a short window scan, never a replay from the first entry.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Hashable, Iterator
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import ClassVar, Generic, Self, TypeVar

from domain.events import EntryCorrected, EntryEvent, EntryRetracted, JournalStarted
from domain.values import AffectedSide, Side
from projections.entries import EffectiveChange, EffectiveEntries, entry_order

Key = tuple[object, ...]
Keyed = tuple[Key, EntryEvent]  # an entry with its entry_order


def day_key(day: date) -> Key:
    """A key sorting before every entry observed on DAY (a shorter tuple sorts first)."""
    return (datetime.combine(day, time.min),)


class DatedEntries:
    """Entries sorted by projection order, searchable by observed date.

    Adding is lazy: an entry later in order than every other is appended (most arrive so, in
    a replay as in use); any other waits in a small buffer until the next read, which places
    a few by bisection or sorts once when many wait (a back-filled journal's initial build).
    So a bulk build and one event at a time are the same code, and neither pays an insert
    per entry."""

    __slots__ = ("_items", "_pending", "_sorted_keys")

    # Up to this many waiting entries are placed one by one (a C-speed list insert each), more
    # by one sort of everything.
    PLACE_ONE_BY_ONE = 256

    def __init__(self) -> None:
        self._sorted_keys: list[Key] = []
        self._items: list[EntryEvent] = []
        self._pending: dict[Key, EntryEvent] = {}

    def add(self, event: EntryEvent) -> None:
        key = entry_order(event)
        keys = self._sorted_keys
        if not keys or key > keys[-1]:
            # Later than every placed entry: in place already (a waiting one sorts among the
            # placed ones when they are merged, whatever their order).
            keys.append(key)
            self._items.append(event)
        else:
            self._pending[key] = event  # the same key again: the later entry wins, as on insert

    def _settle(self) -> None:
        pending = self._pending
        if not pending:
            return
        self._pending = {}
        keys, items = self._sorted_keys, self._items
        if len(pending) <= self.PLACE_ONE_BY_ONE:
            for key, event in pending.items():
                i = bisect.bisect_left(keys, key)
                if i < len(keys) and keys[i] == key:
                    items[i] = event
                else:
                    keys.insert(i, key)
                    items.insert(i, event)
            return
        merged = dict(zip(keys, items, strict=True))
        merged.update(pending)
        ordered = sorted(merged.items(), key=itemgetter(0))
        self._sorted_keys = [k for k, _ in ordered]
        self._items = [e for _, e in ordered]

    @property
    def _keys(self) -> list[Key]:
        """The sorted keys (every waiting entry placed first)."""
        self._settle()
        return self._sorted_keys

    def remove(self, event: EntryEvent) -> None:
        key = entry_order(event)
        if self._pending.pop(key, None) is not None:
            return
        keys = self._sorted_keys  # not waiting, so placed already (or absent)
        i = bisect.bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            del keys[i]
            del self._items[i]

    def _end(self, end: date) -> int:
        if end >= date.max:  # "no end" (a run still open): everything
            return len(self._keys)
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

    def keyed(self) -> Iterator[Keyed]:
        """(entry order, entry) pairs in order (for merging several stores)."""
        return zip(self._keys, self._items, strict=True)

    def __len__(self) -> int:
        return len(self._sorted_keys) + len(self._pending)

    def __iter__(self) -> Iterator[EntryEvent]:
        self._settle()
        return iter(self._items)

    def copy(self) -> DatedEntries:
        self._settle()
        new = DatedEntries()
        new._sorted_keys = list(self._sorted_keys)
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

    # The observation types ``component`` can place in a store (its declaration, read by the
    # status bundle to route each change only to the projections that keep its type).
    KEEPS: ClassVar[tuple[type[EntryEvent], ...]] = ()

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
        """The one way an effective entry enters or leaves a store (replays and live use)."""
        _, before, after = change
        touched = False
        stores = self.stores
        if before is not None:
            key = self.component(before)
            if key is not None and key in stores:
                stores[key].remove(before)
                touched = True
        if after is not None:
            key = self.component(after)
            if key is not None:
                store = stores.get(key)
                if store is None:
                    store = stores[key] = DatedEntries()
                store.add(after)
                touched = True
        if touched:
            if self._cache:
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


S = TypeVar("S")


class Indicator(EntryProjection, Generic[S]):
    """A read model that answers for any day (``state_at``); ``state`` is today's answer."""

    def state_at(self, as_of: date) -> S:
        raise NotImplementedError

    @property
    def state(self) -> S:
        return self.state_at(date.today())
