"""Latest test against the earliest of the same kind and side in the 42 days before it
(strength and nerve mobility)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from domain.events import EntryEvent
from projections.dated import DatedEntries
from projections.trend import Trend, exact, judge

LOOKBACK_DAYS = 42


@dataclass(frozen=True)
class Finding:
    """One test result as evidence: which test, side, value and date (and its entry)."""

    kind: str
    side: str | None
    value: float | str
    date: date
    entry_id: uuid.UUID


def latest_results(stores: dict[Hashable, DatedEntries], as_of: date,
                   shown: Callable[[EntryEvent], float | str]) -> tuple[tuple[Finding, int], ...]:
    """The latest result of every component ((kind, side) store key) up to AS_OF, with how
    many tests that component has by then (so a text can say "one test, no trend yet")."""
    out = []
    for key, store in sorted(stores.items(), key=lambda kv: str(kv[0])):
        assert isinstance(key, tuple)
        count = store.count_upto(as_of)
        last = store.last_upto(as_of)
        if last is not None:
            out.append((Finding(key[0], key[1], shown(last), last.observed_at.date(), last.entry_id), count))
    return tuple(out)


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
    tests: DatedEntries,
    as_of: date,
    *,
    mic: float,
    value: Callable[[EntryEvent], float],
    shown: Callable[[EntryEvent], float | str],
    higher_is_better: bool = True,
) -> Comparison | None:
    """TESTS are one component's entries. Tests on the same day as the latest are not 'before
    it', so they never serve as the baseline."""
    latest = tests.last_upto(as_of)
    if latest is None:
        return None
    last_day = latest.observed_at.date()
    before = tests.between(last_day - timedelta(days=LOOKBACK_DAYS), last_day - timedelta(days=1))
    if not before:
        return None
    earliest = before[0]
    gain = exact(value(latest)) - exact(value(earliest))
    trend = judge(gain if higher_is_better else -gain, mic)
    return Comparison(kind, side, earliest.observed_at.date(), shown(earliest), last_day, shown(latest),
                      mic, trend, (earliest.entry_id, latest.entry_id))
