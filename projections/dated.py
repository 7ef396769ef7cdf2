"""Date-indexed entry stores and the base of every indicator projection.

Each projection keeps the effective entries it needs in small stores sorted by the
projection order (observed, recorded, entry id), so a question about day D is a bisect plus
a short window scan, never a replay from the first entry.
"""

from __future__ import annotations

import bisect
import copy
import operator
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
    per entry.

    Copies share structure (replay checkpoints every few hundred events, and a copy of one
    per audit query): the entries are a *base* prefix, ``_base[:_n]``, in lists that copies
    share, and a short *tail* of this store's own. Shared lists only ever grow at their end,
    and each sharer reads only its own prefix, so a copy costs its tail, not the store. A copy
    moves all but the last ``TAIL_KEPT`` entries of the tail into the base: extended in place
    when this store's view ends the lists, taken as they are when they already continue with
    these very entries (a replay from a checkpoint adds what the pass that made it added),
    copied otherwise. A change among the base's entries (a correction of an old entry) first
    makes the whole store this store's own; the kept tail makes that rare, as corrections
    and back-filled entries usually land among the latest."""

    __slots__ = ("_base_items", "_base_keys", "_items", "_n", "_pending", "_sorted_keys")

    # Up to this many waiting entries are placed one by one (a C-speed list insert each), more
    # by one sort of everything.
    PLACE_ONE_BY_ONE = 256
    # Entries a copy leaves in the tail: changes among them stay cheap (see the class doc).
    TAIL_KEPT = 64

    def __init__(self) -> None:
        self._base_keys: list[Key] = []
        self._base_items: list[EntryEvent] = []
        self._n = 0
        # The tail (this store's own), after the base.
        self._sorted_keys: list[Key] = []
        self._items: list[EntryEvent] = []
        self._pending: dict[Key, EntryEvent] = {}

    def add(self, event: EntryEvent) -> None:
        key = entry_order(event)
        keys = self._sorted_keys
        if (key > keys[-1]) if keys else (not self._n or key > self._base_keys[self._n - 1]):
            # Later than every placed entry: in place already (a waiting one sorts among the
            # placed ones when they are merged, whatever their order).
            keys.append(key)
            self._items.append(event)
        else:
            self._pending[key] = event  # the same key again: the later entry wins, as on insert

    def _own_all(self) -> None:
        """Make every entry this store's own (before a change among the base's)."""
        if self._n:
            n = self._n
            self._sorted_keys = self._base_keys[:n] + self._sorted_keys
            self._items = self._base_items[:n] + self._items
            self._base_keys, self._base_items, self._n = [], [], 0

    def _settle(self) -> None:
        pending = self._pending
        if not pending:
            return
        self._pending = {}
        if self._n and min(pending) <= self._base_keys[self._n - 1]:
            self._own_all()
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

    def _find(self, key: Key) -> int:
        """bisect_left of KEY over every placed entry (base, then tail)."""
        n = self._n
        if n and key <= self._base_keys[n - 1]:
            return bisect.bisect_left(self._base_keys, key, 0, n)
        return n + bisect.bisect_left(self._sorted_keys, key)

    def _slice(self, lo: int, hi: int) -> list[EntryEvent]:
        n = self._n
        if lo >= n:
            return self._items[lo - n:hi - n]
        if hi <= n:
            return self._base_items[lo:hi]
        return self._base_items[lo:n] + self._items[:hi - n]

    def _at(self, i: int) -> EntryEvent:
        n = self._n
        return self._base_items[i] if i < n else self._items[i - n]

    @property
    def _keys(self) -> list[Key]:
        """Every key in order (every waiting entry placed first)."""
        self._settle()
        return self._base_keys[:self._n] + self._sorted_keys

    def remove(self, event: EntryEvent) -> None:
        key = entry_order(event)
        if self._pending.pop(key, None) is not None:
            return
        i = self._find(key)  # not waiting, so placed already (or absent)
        if i >= self._n + len(self._sorted_keys) or self._key_at(i) != key:
            return
        if i < self._n:
            self._own_all()
        else:
            i -= self._n
        del self._sorted_keys[i]
        del self._items[i]

    def _key_at(self, i: int) -> Key:
        n = self._n
        return self._base_keys[i] if i < n else self._sorted_keys[i - n]

    def _end(self, end: date) -> int:
        self._settle()
        if end >= date.max:  # "no end" (a run still open): everything
            return self._n + len(self._sorted_keys)
        return self._find(day_key(end + timedelta(days=1)))

    def between(self, start: date | None, end: date) -> list[EntryEvent]:
        """Entries observed on days START … END (START None = from the first)."""
        hi = self._end(end)
        lo = 0 if start is None else self._find(day_key(start))
        return self._slice(lo, hi)

    def upto(self, end: date) -> list[EntryEvent]:
        return self._slice(0, self._end(end))

    def last_upto(self, end: date) -> EntryEvent | None:
        i = self._end(end)
        return self._at(i - 1) if i else None

    def last_n_upto(self, end: date, n: int) -> list[EntryEvent]:
        i = self._end(end)
        return self._slice(max(0, i - n), i)

    def count_upto(self, end: date) -> int:
        return self._end(end)

    def keyed(self) -> Iterator[Keyed]:
        """(entry order, entry) pairs in order (for merging several stores)."""
        return zip(self._keys, self, strict=True)

    def __len__(self) -> int:
        return self._n + len(self._sorted_keys) + len(self._pending)

    def __iter__(self) -> Iterator[EntryEvent]:
        self._settle()
        if not self._n:
            return iter(self._items)
        return iter(self._base_items[:self._n] + self._items)

    def copy(self) -> DatedEntries:
        """An independent copy sharing the base (see the class doc)."""
        self._settle()
        moved = len(self._items) - self.TAIL_KEPT
        if moved > 0:
            self._grow_base(moved)
        new = DatedEntries.__new__(DatedEntries)
        new._base_keys, new._base_items, new._n = self._base_keys, self._base_items, self._n
        new._sorted_keys, new._items = list(self._sorted_keys), list(self._items)
        new._pending = {}
        return new

    def _grow_base(self, moved: int) -> None:
        """The first MOVED tail entries become the end of the base."""
        n, base, tail = self._n, self._base_items, self._items[:moved]
        if len(base) == n:  # this view ends the shared lists: every sharer reads a prefix
            base.extend(tail)
            self._base_keys.extend(self._sorted_keys[:moved])
        elif not (len(base) >= n + moved and all(map(operator.is_, base[n:n + moved], tail))):
            self._base_items = base[:n] + tail  # the lists go on with other entries
            self._base_keys = self._base_keys[:n] + self._sorted_keys[:moved]
        self._n = n + moved
        del self._sorted_keys[:moved]
        del self._items[:moved]


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
