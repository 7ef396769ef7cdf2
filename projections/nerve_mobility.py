"""Sciatic nerve mobility: straight-leg raise, slump test, forward bend.

Per test (and side), the latest result is compared with the earliest in the 42 days before
it: SLR MIC 6°, fingertip-to-floor MIC 5 cm (lower is better), slump positive → negative is
improving. Any worsening → worsening; else any improving → improving. *(v2)* The straight-leg
raise and slump are judged on the affected side(s) only (the other leg is the reference, never
the subject); the forward bend is central. The latest result of every side is still shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from domain.events import EntryEvent, ForwardBendTested, SlumpTested, StraightLegRaiseTested
from domain.values import SlumpResult
from projections.comparison import Comparison, Finding, compare_latest, latest_results
from projections.dated import Indicator
from projections.trend import Trend, combine

SLR_MIC_DEGREES = 6.0
FINGERTIP_MIC_CM = 5.0
SLUMP_MIC = 1.0
SLR = "straight_leg_raise"
SLUMP = "slump"
BEND = "fingertip_to_floor"


def nerve_value(event: EntryEvent) -> float:
    if isinstance(event, StraightLegRaiseTested):
        return float(event.degrees)
    if isinstance(event, SlumpTested):
        return 1.0 if event.result == SlumpResult.NEGATIVE else 0.0
    if isinstance(event, ForwardBendTested):
        return float(event.fingertip_to_floor_cm)
    raise TypeError(f"not a nerve test: {event.type_name()}")


def nerve_shown(event: EntryEvent) -> float | str:
    return event.result if isinstance(event, SlumpTested) else nerve_value(event)


@dataclass(frozen=True)
class NerveMobilityState:
    trend: Trend = Trend.INSUFFICIENT_DATA
    straight_leg_raise_degrees: dict[str, float] | None = None
    slump: dict[str, str] | None = None
    fingertip_to_floor_cm: float | None = None
    comparisons: tuple[Comparison, ...] = ()
    latest_entries: tuple[uuid.UUID, ...] = ()
    latest: tuple[tuple[Finding, int], ...] = ()  # see comparison.latest_results


class NerveMobilityProjection(Indicator[NerveMobilityState]):
    KEEPS = (StraightLegRaiseTested, SlumpTested, ForwardBendTested)

    def component(self, event: EntryEvent) -> Hashable | None:
        if isinstance(event, StraightLegRaiseTested):
            return (SLR, event.side)
        if isinstance(event, SlumpTested):
            return (SLUMP, event.side)
        if isinstance(event, ForwardBendTested):
            return (BEND, None)
        return None

    def state_at(self, as_of: date) -> NerveMobilityState:
        slr: dict[str, float] = {}
        slump: dict[str, str] = {}
        bend: float | None = None
        latest_ids: list[uuid.UUID] = []
        comparisons: list[Comparison] = []
        for key, store in sorted(self.stores.items(), key=lambda kv: str(kv[0])):
            assert isinstance(key, tuple)
            kind, side = key
            last = store.last_upto(as_of)
            if last is None:
                continue
            latest_ids.append(last.entry_id)
            if isinstance(last, StraightLegRaiseTested):
                slr[last.side] = last.degrees
            elif isinstance(last, SlumpTested):
                slump[last.side] = last.result
            elif isinstance(last, ForwardBendTested):
                bend = last.fingertip_to_floor_cm
            if side is not None and side not in self.affected:
                continue  # shown, never judged: the healthy leg is the reference
            mic = {SLR: SLR_MIC_DEGREES, SLUMP: SLUMP_MIC, BEND: FINGERTIP_MIC_CM}[kind]
            found = compare_latest(kind, side, store, as_of, mic=mic, value=nerve_value, shown=nerve_shown,
                                   higher_is_better=kind != BEND)
            if found is not None:
                comparisons.append(found)
        return NerveMobilityState(combine(c.trend for c in comparisons), slr or None, slump or None, bend,
                                  tuple(comparisons), tuple(latest_ids),
                                  latest_results(self.stores, as_of, nerve_shown))
