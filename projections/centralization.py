"""Centralization: the retreat of the most distal symptom toward the spine.

Daily value = the worst distal extent recorded that day (symptom check-ins, walks at stop,
forward bends; a null extent is a record of extent 0). Two 7-day windows, ≥ 3 days with
data each, medians compared against a MIC of 1 rank.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date

from domain.events import EntryEvent, ForwardBendTested, SymptomsRecorded, WalkRecorded
from domain.values import SENSORY, Region, region_rank
from projections.dated import Indicator
from projections.trend import Compared, Trend, Window, judge, median, windows

WINDOW_DAYS = 7
MIN_DAYS = 3
MIC_RANKS = 1
ABOLISHED_MAX_RANK = 2  # back only: nothing in buttock or leg
EXTENT = "extent"


def record_extent(event: EntryEvent) -> int | None:
    """The distal rank a record reached; None when the entry is not an extent record.

    A symptom listed with intensity 0 is not felt, so it does not count (see
    docs/clinical-decisions.md); weakness is judged by the strength tests instead."""
    if isinstance(event, SymptomsRecorded):
        extent = 0  # ranks are 1 … 9, so this is max(…, default=0)
        for s in event.symptoms:
            if s["sensation"] in SENSORY and s["intensity"] > 0:
                rank = _rank(s["region"])
                if rank > extent:  # noqa: PLR1730 (no call per symptom)
                    extent = rank
        return extent
    if isinstance(event, WalkRecorded):
        return _rank(event.extent_at_stop)
    if isinstance(event, ForwardBendTested):
        return _rank(event.extent)
    return None


# region_rank by a lookup (it is asked for every symptom of every record while building).
_RANKS: dict[str | None, int] = {region.value: region.rank for region in Region}
_RANKS[None] = 0


def _rank(region: str | None) -> int:
    try:
        rank = _RANKS.get(region)
    except TypeError:  # unhashable: region_rank says what is wrong with it
        rank = None
    return region_rank(region) if rank is None else rank  # anything unknown: as region_rank


@dataclass(frozen=True)
class DailyExtent:
    """The worst extent of one day: evidence of a window and a point of the Progress curve."""

    date: date
    extent: int
    entry_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class ExtentWindow(Window):
    """One window of the comparison, as evidence."""

    days_with_data: int
    median: float | None
    daily: tuple[DailyExtent, ...]

    @property
    def entry_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(i for d in self.daily for i in d.entry_ids)


@dataclass(frozen=True)
class CentralizationState(Compared[ExtentWindow]):
    recent_extent: float | None = None
    earlier_extent: float | None = None
    abolished: bool | None = None
    mic: int = MIC_RANKS
    min_days: int = MIN_DAYS


def daily_extents(records: Iterable[EntryEvent]) -> list[DailyExtent]:
    """Worst extent per day, in date order (RECORDS are in projection order)."""
    days: dict[date, tuple[int, list[uuid.UUID]]] = {}
    for event in records:
        extent = record_extent(event)
        if extent is None:
            continue
        day = event.observed_at.date()
        worst, ids = days.get(day, (0, []))
        ids.append(event.entry_id)
        days[day] = (max(worst, extent), ids)
    return [DailyExtent(d, v, tuple(ids)) for d, (v, ids) in days.items()]


class CentralizationProjection(Indicator[CentralizationState]):
    KEEPS = (SymptomsRecorded, WalkRecorded, ForwardBendTested)

    def component(self, event: EntryEvent) -> Hashable | None:
        return EXTENT if record_extent(event) is not None else None

    def records(self, start: date | None, end: date) -> list[EntryEvent]:
        return self.store(EXTENT).between(start, end)

    def _window(self, window: Window) -> ExtentWindow:
        daily = daily_extents(self.records(window.start, window.end))
        return ExtentWindow(window.start, window.end, len(daily),
                            median([d.extent for d in daily]), tuple(daily))

    def state_at(self, as_of: date) -> CentralizationState:
        recent_w, earlier_w = windows(as_of, WINDOW_DAYS)
        recent, earlier = self._window(recent_w), self._window(earlier_w)
        abolished = (all(d.extent <= ABOLISHED_MAX_RANK for d in recent.daily)
                     if recent.daily else None)
        trend = Trend.INSUFFICIENT_DATA
        if recent.days_with_data >= MIN_DAYS and earlier.days_with_data >= MIN_DAYS:
            assert recent.median is not None and earlier.median is not None
            # Fewer ranks = closer to the spine = better.
            trend = judge(earlier.median - recent.median, MIC_RANKS)
        return CentralizationState(trend=trend, recent=recent, earlier=earlier, recent_extent=recent.median,
                                   earlier_extent=earlier.median, abolished=abolished)
