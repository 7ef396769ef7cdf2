"""Walking tolerance: best tolerance over two 14-day windows (≥ 2 walks each).

Tolerance of a walk = minutes until symptoms, or total minutes when symptom-free.
MIC = 30 % of the earlier best, at least 1 minute. *(v2)* The guided protocol caps a walk at
30 minutes, so a symptom-free walk is "at least" its length: reaching symptom-free walking
(the recent best walk symptom-free, the earlier best not, and the recent best tolerance not
lower) is an improvement whatever the MIC. With a tie for the best tolerance, the best walk
is symptom-free if any walk at that tolerance is.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from domain.events import EntryEvent, WalkRecorded
from projections.dated import Indicator
from projections.trend import Compared, Trend, Window, exact, judge, percent_of, windows

WINDOW_DAYS = 14
MIN_WALKS = 2
WALK = "walk"


def tolerance(walk: WalkRecorded) -> float:
    return float(walk.total_minutes if walk.minutes_to_symptoms is None else walk.minutes_to_symptoms)


def walk_mic(earlier_best: float) -> Fraction:
    return max(Fraction(1), percent_of(30, exact(earlier_best)))


@dataclass(frozen=True)
class WalkWindow(Window):
    """One window of the comparison, as evidence."""

    walks: int
    best: float | None
    best_entry_id: uuid.UUID | None
    entry_ids: tuple[uuid.UUID, ...]
    best_symptom_free: bool = False  # some walk at the best tolerance reached no symptoms


@dataclass(frozen=True)
class WalkingState(Compared[WalkWindow]):
    best_tolerance_minutes: float | None = None
    mic: float | None = None


class WalkingProjection(Indicator[WalkingState]):
    KEEPS = (WalkRecorded,)

    def component(self, event: EntryEvent) -> Hashable | None:
        return WALK if isinstance(event, WalkRecorded) else None

    def walks(self, start: date | None, end: date) -> list[WalkRecorded]:
        return [w for w in self.store(WALK).between(start, end) if isinstance(w, WalkRecorded)]

    def _window(self, window: Window) -> WalkWindow:
        walks = self.walks(window.start, window.end)
        best = max(walks, key=tolerance, default=None)
        top = tolerance(best) if best else None
        free = any(w.minutes_to_symptoms is None and exact(tolerance(w)) == exact(top)
                   for w in walks) if top is not None else False
        return WalkWindow(window.start, window.end, len(walks), top,
                          best.entry_id if best else None, tuple(w.entry_id for w in walks), free)

    def state_at(self, as_of: date) -> WalkingState:
        recent_w, earlier_w = windows(as_of, WINDOW_DAYS)
        recent, earlier = self._window(recent_w), self._window(earlier_w)
        trend, mic = Trend.INSUFFICIENT_DATA, None
        if recent.walks >= MIN_WALKS and earlier.walks >= MIN_WALKS:
            assert recent.best is not None and earlier.best is not None
            exact_mic = walk_mic(earlier.best)
            mic = float(exact_mic)
            gain = exact(recent.best) - exact(earlier.best)
            trend = judge(gain, exact_mic)
            if recent.best_symptom_free and not earlier.best_symptom_free and gain >= 0:
                trend = Trend.IMPROVING  # symptom-free walking reached
        return WalkingState(trend=trend, recent=recent, earlier=earlier, best_tolerance_minutes=recent.best, mic=mic)
