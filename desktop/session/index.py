"""What the session keeps so every query the views ask is answered without scanning the log.

``EntryIndex`` is fed each event once, in log order (at open, then after every save): the
entries of each kind in log order, the observed days and recorded moments the replay slider
spans, and the review notes per therapist. Queries walk one kind's list from its end and stop
at what they need, so a save costs the same on a 10-year journal as on a new one.

A *partial* index (``latest_only``) keeps only the latest entries of each kind: the start-up
checkpoint's first part, which answers the first views' questions without every entry.
A question it cannot answer exactly raises ``NeedsEntries``, and the session then reads the
rest and asks the full index.
"""

from __future__ import annotations

import bisect
import heapq
import uuid
from array import array
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from desktop.session.kinds import EntryKind
from domain.events import EntryEvent, ReviewNoteAdded
from domain.review import TherapistReview


class NeedsEntries(LookupError):
    """The question needs entries a partial index does not hold (see ``EntryIndex.latest_only``)."""


class EntryIndex:
    def __init__(self, journal_id: uuid.UUID, events: Iterable[EntryEvent] = ()) -> None:
        self.journal_id = journal_id
        # Per kind, its entries in log order and beside them their positions in the log (a
        # C array: 4 bytes an entry instead of a tuple and an int, ~3 MB on 10 years).
        self.by_kind: dict[str, list[EntryEvent]] = {}
        self.positions: dict[str, array[int]] = {}
        self.count = 0
        self.first_day: date | None = None
        self.last_day: date | None = None
        self.recorded: list[datetime] = []  # every save's recorded time, sorted
        self.reviews: dict[str, TherapistReview] = {}
        # Per kind cut short (a partial index only): the log position of its oldest entry kept.
        self.cut: dict[str, int] = {}
        self.extend(events, initial=True)

    def latest_only(self, keep: int, whole: Iterable[str] = ()) -> EntryIndex:
        """A partial copy: the KEEP latest entries of each kind (every entry of the kinds in
        WHOLE), the days, moments and reviews in full. It answers ``newest_first`` as far as
        its entries reach, and raises NeedsEntries past that."""
        whole = frozenset(whole)
        part = EntryIndex(self.journal_id)
        part.count, part.first_day, part.last_day = self.count, self.first_day, self.last_day
        part.recorded, part.reviews = self.recorded, self.reviews
        for kind, events in self.by_kind.items():
            start = 0 if kind in whole else max(0, len(events) - keep)
            part.by_kind[kind] = events[start:]
            part.positions[kind] = self.positions[kind][start:]
            if start:
                part.cut[kind] = self.positions[kind][start]
        return part

    def extend(self, events: Iterable[EntryEvent], *, initial: bool = False) -> None:
        if self.cut:
            raise NeedsEntries("a partial index is not extended")
        batch = list(events)
        if not batch:
            return
        # One kind's lists per event class, looked up once per class rather than once per
        # entry (an open feeds 35,000 entries of two dozen classes).
        lists: dict[type[EntryEvent], tuple[list[EntryEvent], array[int]]] = {}
        for position, event in enumerate(batch, self.count + 1):
            cls = type(event)
            found = lists.get(cls)
            if found is None:
                kind = cls.type_name()
                found = lists[cls] = (self.by_kind.setdefault(kind, []),
                                      self.positions.setdefault(kind, array("I")))
            found[0].append(event)
            found[1].append(position)
        self.count += len(batch)
        if initial:
            self.recorded.extend(event.recorded_at for event in batch)
            self.recorded.sort()
        else:
            for event in batch:
                bisect.insort(self.recorded, event.recorded_at)
        for event in batch:
            if isinstance(event, ReviewNoteAdded):
                review = self.reviews.get(event.therapist)
                if review is None:
                    review = self.reviews[event.therapist] = TherapistReview(self.journal_id, event.therapist)
                review.apply(event)
        low = min(event.observed_at for event in batch).date()
        high = max(event.observed_at for event in batch).date()
        self.first_day = low if self.first_day is None else min(self.first_day, low)
        self.last_day = high if self.last_day is None else max(self.last_day, high)

    def newest_first(self, kinds: Iterable[str]) -> Iterator[EntryEvent]:
        """The entries of KINDS, the latest saved first (lazily: callers stop early). A partial
        index raises NeedsEntries where an entry it does not hold could come next."""
        kinds = [kind for kind in kinds if kind in self.by_kind]
        cut = max((self.cut[kind] for kind in kinds if kind in self.cut), default=None)
        if len(kinds) == 1 and cut is None:
            return reversed(self.by_kind[kinds[0]])
        merged = heapq.merge(*(zip(reversed(self.positions[kind]), reversed(self.by_kind[kind]), strict=True)
                               for kind in kinds), key=lambda p: p[0], reverse=True)
        return self._until(merged, cut)

    @staticmethod
    def _until(merged: Iterator[tuple[int, EntryEvent]], cut: int | None) -> Iterator[EntryEvent]:
        for position, event in merged:
            yield event
            if position == cut:  # the oldest entry held of a kind cut short: its next is not here
                raise NeedsEntries("older entries are not in a partial index")
        if cut is not None:
            raise NeedsEntries("older entries are not in a partial index")

    def of_kind(self, kind: EntryKind) -> list[EntryEvent]:
        """Every entry of KIND in log order."""
        if kind in self.cut:
            raise NeedsEntries(f"a partial index holds only the latest {kind} entries")
        return list(self.by_kind.get(kind, []))
