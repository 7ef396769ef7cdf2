"""Latest test against the earliest of the same kind and side in the 42 days before it
(strength and nerve mobility)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from domain.events import EntryEvent
from projections.trend import Trend, judge

LOOKBACK_DAYS = 42


@dataclass(frozen=True)
class Comparison:
    """One component's trend evidence: earliest test in L−42 … L−1 against the latest (L)."""

    kind: str
    side: str | None
    earlier_date: date
    earlier_value: float | str
    latest_date: date
    latest_value: float | str
    mic: float
    trend: Trend
    entry_ids: tuple[uuid.UUID, uuid.UUID]


def compare_latest(
    kind: str,
    side: str | None,
    tests: Sequence[EntryEvent],
    *,
    mic: float,
    value: Callable[[EntryEvent], float],
    shown: Callable[[EntryEvent], float | str],
    higher_is_better: bool = True,
) -> Comparison | None:
    """TESTS are one component's entries up to the as-of date, in projection order. Tests on
    the same day as the latest are not 'before it', so they never serve as the baseline."""
    if not tests:
        return None
    latest = tests[-1]
    last_day = latest.observed_at.date()
    first_day = last_day - timedelta(days=LOOKBACK_DAYS)
    earliest = next((t for t in tests if first_day <= t.observed_at.date() < last_day), None)
    if earliest is None:
        return None
    gain = value(latest) - value(earliest)
    trend = judge(gain if higher_is_better else -gain, mic)
    return Comparison(kind, side, earliest.observed_at.date(), shown(earliest), last_day, shown(latest),
                      mic, trend, (earliest.entry_id, latest.entry_id))
