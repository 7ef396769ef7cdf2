"""Pins and needles, read in context.

- ``sensation_returning`` (good sign): tingling in a region and side where numbness was
  recorded in the previous 28 days, and the tingling record no longer lists that region as
  numb. Shown while the tingling record is within the 28 days ending with the as-of date, and
  (model v2) withdrawn as soon as numbness is recorded again in that region and side after
  the tingling record.
- ``position_irritation`` (warning): tingling recorded with the same context (``sitting``…)
  on ≥ 2 days within the 14 days ending with the as-of date.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from domain.events import EntryEvent, SymptomsRecorded
from domain.values import Sensation
from projections.dated import DatedEntries, Indicator
from projections.entries import entry_order, same_words

Day = date  # an alias: a field below is named "date"
NUMBNESS_LOOKBACK_DAYS = 28
RETURNING_SHOWN_DAYS = 28
IRRITATION_WINDOW_DAYS = 14
IRRITATION_MIN_DAYS = 2
SYMPTOMS = "symptoms"


def felt(event: SymptomsRecorded, sensation: str) -> set[tuple[str, str]]:
    """(region, side) pairs where SENSATION was recorded (intensity 0 = not felt)."""
    return {(s["region"], s["side"]) for s in event.symptoms
            if s["sensation"] == sensation and s["intensity"] > 0}


@dataclass(frozen=True)
class SensationReturning:
    region: str
    side: str
    date: date
    numbness_date: Day
    entry_ids: tuple[uuid.UUID, uuid.UUID]  # (numbness record, tingling record)
    code: str = "sensation_returning"


@dataclass(frozen=True)
class PositionIrritation:
    context: str
    dates: tuple[date, ...]
    entry_ids: tuple[uuid.UUID, ...]
    code: str = "position_irritation"


Sign = SensationReturning | PositionIrritation


@dataclass(frozen=True)
class SignsState:
    signs: tuple[Sign, ...] = ()


class SignsProjection(Indicator[SignsState]):
    KEEPS = (SymptomsRecorded,)

    def component(self, event: EntryEvent) -> Hashable | None:
        return SYMPTOMS if isinstance(event, SymptomsRecorded) else None

    def _records(self, start: date, end: date) -> list[SymptomsRecorded]:
        return [e for e in self.store(SYMPTOMS).between(start, end) if isinstance(e, SymptomsRecorded)]

    # Every symptom check-in passes through here; the stage reads them from this store too.
    def checkin_store(self) -> DatedEntries:
        return self.store(SYMPTOMS)

    def checkins(self, start: date | None, end: date) -> list[EntryEvent]:
        return self.store(SYMPTOMS).between(start, end)

    def returning(self, as_of: date) -> list[SensationReturning]:
        start = as_of - timedelta(days=RETURNING_SHOWN_DAYS - 1)
        records = self._records(start - timedelta(days=NUMBNESS_LOOKBACK_DAYS), as_of)
        numb_at = [felt(r, Sensation.NUMBNESS) for r in records]
        # Per place, the positions (projection order) of the records with numbness there: the
        # most recent numbness before a tingling record is one bisect, not a walk back over
        # every record of the 28 days before it (that walk was most of a status's time).
        numb_positions: dict[tuple[str, str], list[int]] = {}
        for i, numb in enumerate(numb_at):
            for place in numb:
                numb_positions.setdefault(place, []).append(i)
        latest: dict[tuple[str, str], tuple[int, SensationReturning]] = {}
        for i, record in enumerate(records):
            day = record.observed_at.date()
            if day < start:
                continue
            tingling = felt(record, Sensation.TINGLING) - numb_at[i]
            since = day - timedelta(days=NUMBNESS_LOOKBACK_DAYS)
            for place in tingling:
                positions = numb_positions.get(place, [])
                k = bisect.bisect_left(positions, i)
                if k == 0:
                    continue
                earlier = records[positions[k - 1]]  # records are in date order: the latest is enough
                if earlier.observed_at.date() < since:
                    continue
                # A later tingling record replaces an earlier one.
                latest[place] = (i, SensationReturning(place[0], place[1], day, earlier.observed_at.date(),
                                                       (earlier.entry_id, record.entry_id)))
        # Numbness recorded again there after the tingling record withdraws the sign.
        shown = [sign for place, (i, sign) in latest.items() if numb_positions[place][-1] < i]
        return sorted(shown, key=lambda s: (s.date, s.region, s.side))

    def irritation(self, as_of: date) -> list[PositionIrritation]:
        start = as_of - timedelta(days=IRRITATION_WINDOW_DAYS - 1)
        by_context: dict[str, tuple[str, list[SymptomsRecorded]]] = {}
        for record in self._records(start, as_of):
            if not record.context or not felt(record, Sensation.TINGLING):
                continue
            key = same_words(record.context)
            _, items = by_context.setdefault(key, (record.context, []))
            by_context[key] = (record.context, items)  # show the latest spelling
            items.append(record)
        signs = []
        for _, (shown, items) in sorted(by_context.items()):
            days = sorted({r.observed_at.date() for r in items})
            if len(days) >= IRRITATION_MIN_DAYS:
                items.sort(key=entry_order)
                signs.append(PositionIrritation(shown, tuple(days), tuple(r.entry_id for r in items)))
        return signs

    def state_at(self, as_of: date) -> SignsState:
        return SignsState((*self.returning(as_of), *self.irritation(as_of)))
