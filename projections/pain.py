"""Pain intensity and frequency over two 7-day windows (≥ 3 ratings each).

Intensity: mean leg pain, MIC = min(2, 30 % of the earlier mean), never below 1 point.
Frequency: share of the day with symptoms (MIC 30 % of the earlier mean, at least 5 points)
and episodes per day (MIC 30 %, at least 1 episode). Pain that comes less often is healing
even at the same intensity: improving if one improves and none worsens.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from domain.events import EntryEvent, PainRated
from projections.dated import DatedEntries, Indicator
from projections.trend import (
    Compared,
    Trend,
    Window,
    either_without_conflict,
    exact_mean,
    judge,
    mean,
    percent_of,
    windows,
)

WINDOW_DAYS = 7
MIN_RATINGS = 3
PAIN = "pain"


# MICs are exact fractions of exact means (see projections.trend).
def intensity_mic(earlier_mean: Fraction) -> Fraction:
    return max(Fraction(1), min(Fraction(2), percent_of(30, earlier_mean)))


def share_mic(earlier_mean: Fraction) -> Fraction:
    return max(Fraction(5), percent_of(30, earlier_mean))


def episodes_mic(earlier_mean: Fraction) -> Fraction:
    return max(Fraction(1), percent_of(30, earlier_mean))


@dataclass(frozen=True)
class MeasureComparison:
    """One measure (leg, share_of_day, episodes) over both windows, as evidence."""

    measure: str
    recent_mean: float | None
    earlier_mean: float | None
    recent_count: int
    earlier_count: int
    mic: float | None
    trend: Trend
    recent_exact: Fraction | None = None  # the recent mean for rules (the flare's ≥ 2)


@dataclass(frozen=True)
class PainState(Compared[Window]):
    leg_mean: float | None = None
    back_mean: float | None = None
    share_of_day_mean: float | None = None
    episodes_mean: float | None = None
    measures: tuple[MeasureComparison, ...] = ()
    recent_entry_ids: tuple[uuid.UUID, ...] = ()
    earlier_entry_ids: tuple[uuid.UUID, ...] = ()

    @property
    def leg_mean_exact(self) -> Fraction | None:
        """The recent mean leg pain as an exact number (for the stage's flare rule)."""
        return next((m.recent_exact for m in self.measures if m.measure == "leg"), None)


def values(ratings: list[EntryEvent], field: str) -> list[float]:
    out = []
    for e in ratings:
        value = getattr(e, field, None)
        if value is not None:
            out.append(float(value))
    return out


def compare(measure: str, recent: list[float], earlier: list[float],
            mic_of: Callable[[Fraction], Fraction]) -> MeasureComparison:
    r, e = exact_mean(recent), exact_mean(earlier)
    shown_r, shown_e = mean(recent), mean(earlier)
    if len(recent) < MIN_RATINGS or len(earlier) < MIN_RATINGS or r is None or e is None:
        return MeasureComparison(measure, shown_r, shown_e, len(recent), len(earlier), None,
                                 Trend.INSUFFICIENT_DATA, r)
    mic = mic_of(e)
    # Less pain, less of the day, fewer episodes = better.
    return MeasureComparison(measure, shown_r, shown_e, len(recent), len(earlier), float(mic), judge(e - r, mic), r)


class PainProjection(Indicator[PainState]):
    KEEPS = (PainRated,)

    def component(self, event: EntryEvent) -> Hashable | None:
        return PAIN if isinstance(event, PainRated) else None

    def ratings(self, start: date | None, end: date) -> list[EntryEvent]:
        return self.store(PAIN).between(start, end)

    def rating_store(self) -> DatedEntries:
        return self.store(PAIN)

    def state_at(self, as_of: date) -> PainState:
        recent_w, earlier_w = windows(as_of, WINDOW_DAYS)
        recent, earlier = self.ratings(recent_w.start, recent_w.end), self.ratings(earlier_w.start, earlier_w.end)
        leg = compare("leg", values(recent, "leg"), values(earlier, "leg"), intensity_mic)
        share = compare("share_of_day_percent", values(recent, "share_of_day_percent"),
                        values(earlier, "share_of_day_percent"), share_mic)
        episodes = compare("episodes", values(recent, "episodes"), values(earlier, "episodes"), episodes_mic)
        # Frequency is judged on whichever measures have enough ratings; the two frequency
        # measures and intensity are then combined with the same "no conflict" rule.
        trend = either_without_conflict(m.trend for m in (leg, share, episodes))
        return PainState(
            trend=trend,
            leg_mean=leg.recent_mean,
            back_mean=mean(values(recent, "back")),
            share_of_day_mean=share.recent_mean,
            episodes_mean=episodes.recent_mean,
            recent=recent_w,
            earlier=earlier_w,
            measures=(leg, share, episodes),
            recent_entry_ids=tuple(e.entry_id for e in recent),
            earlier_entry_ids=tuple(e.entry_id for e in earlier),
        )
