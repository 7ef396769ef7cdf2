"""Recovery stage at a date, evaluated in the order of ``clinical-model.md``; the first that
holds is the stage: not_enough_data → flare → recovered → final_stage → improving → acute.

The stage reads the five indicators; inside the status bundle it shares their instances
rather than keeping copies of the same entries.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from domain.events import EntryEvent, PainRated, SymptomsRecorded
from projections.centralization import ABOLISHED_MAX_RANK, CentralizationProjection, CentralizationState, record_extent
from projections.dated import EntryProjection
from projections.entries import EffectiveChange
from projections.nerve_mobility import NerveMobilityProjection, NerveMobilityState
from projections.pain import PainProjection, PainState
from projections.strength import StrengthProjection, StrengthState
from projections.trend import Trend, mean
from projections.walking import WalkingProjection, WalkingState

MIN_RECORD_DAYS = 3
RECOVERED_DAYS = 14
RECOVERED_LEG_PAIN = 1.0
FINAL_STAGE_DAYS = 7
FINAL_STAGE_LEG_PAIN = 2.0
RECORD = "record"


class Stage(StrEnum):
    NOT_ENOUGH_DATA = "not_enough_data"
    FLARE = "flare"
    RECOVERED = "recovered"
    FINAL_STAGE = "final_stage"
    IMPROVING = "improving"
    ACUTE = "acute"


ADVICE = {
    Stage.NOT_ENOUGH_DATA: "Record symptoms or pain on a few more days to see a stage.",
    Stage.FLARE: "Symptoms are spreading or pain is rising: pull back on what provoked it.",
    Stage.RECOVERED: "No buttock or leg symptoms and little leg pain for two weeks.",
    Stage.FINAL_STAGE: "Symptoms have settled but strength is still coming back; calf and foot "
                       "strength is usually the last to recover.",
    Stage.IMPROVING: "At least one sign is improving and none is worsening: stay on course.",
    Stage.ACUTE: "No sign is improving yet.",
}


@dataclass(frozen=True)
class Settled:
    """Whether symptoms stayed out of the buttock and leg over a span, with little leg pain."""

    days: int
    extent_records: int
    worst_extent: int | None
    leg_ratings: int
    leg_mean: float | None
    max_leg_mean: float

    @property
    def holds(self) -> bool:
        return (self.extent_records > 0 and self.worst_extent is not None
                and self.worst_extent <= ABOLISHED_MAX_RANK and self.leg_mean is not None
                and self.leg_mean <= self.max_leg_mean + 1e-9)


@dataclass(frozen=True)
class IndicatorStates:
    centralization: CentralizationState
    strength: StrengthState
    nerve_mobility: NerveMobilityState
    pain: PainState
    walking: WalkingState

    def trends(self) -> dict[str, Trend]:
        return {"centralization": self.centralization.trend, "strength": self.strength.trend,
                "nerve_mobility": self.nerve_mobility.trend, "pain": self.pain.trend,
                "walking": self.walking.trend}


@dataclass(frozen=True)
class StageState:
    stage: Stage = Stage.NOT_ENOUGH_DATA
    reason: str = ""
    record_days: int = 0
    recovered_check: Settled | None = None
    final_stage_check: Settled | None = None
    trends: dict[str, Trend] = field(default_factory=dict)


@dataclass
class Parts:
    centralization: CentralizationProjection
    strength: StrengthProjection
    nerve_mobility: NerveMobilityProjection
    pain: PainProjection
    walking: WalkingProjection

    @classmethod
    def new(cls) -> Parts:
        return cls(CentralizationProjection(), StrengthProjection(), NerveMobilityProjection(),
                   PainProjection(), WalkingProjection())

    def all(self) -> tuple[EntryProjection, ...]:
        return (self.centralization, self.strength, self.nerve_mobility, self.pain, self.walking)

    def states_at(self, as_of: date) -> IndicatorStates:
        return IndicatorStates(self.centralization.state_at(as_of), self.strength.state_at(as_of),
                               self.nerve_mobility.state_at(as_of), self.pain.state_at(as_of),
                               self.walking.state_at(as_of))


class StageProjection(EntryProjection):
    def __init__(self, parts: Parts | None = None) -> None:
        super().__init__()
        self._owns_parts = parts is None
        self.parts = parts if parts is not None else Parts.new()

    def component(self, event: EntryEvent) -> Hashable | None:
        return RECORD if isinstance(event, SymptomsRecorded | PainRated) else None

    def observe(self, event: EntryEvent) -> None:
        super().observe(event)
        if self._owns_parts:
            for part in self.parts.all():
                part.observe(event)

    def apply_change(self, change: EffectiveChange) -> None:
        super().apply_change(change)
        if self._owns_parts:
            for part in self.parts.all():
                part.apply_change(change)

    def copy(self) -> StageProjection:
        new = super().copy()
        if self._owns_parts:
            new.parts = Parts(*(p.copy() for p in self.parts.all()))  # type: ignore[arg-type]
        return new

    def record_days(self, as_of: date, enough: int = MIN_RECORD_DAYS) -> int:
        """Distinct days with symptom or pain records up to AS_OF, counted up to ENOUGH."""
        days: set[date] = set()
        for event in self.store(RECORD):
            day = event.observed_at.date()
            if day > as_of:
                break
            days.add(day)
            if len(days) >= enough:
                break
        return len(days)

    def settled(self, as_of: date, days: int, max_leg_mean: float) -> Settled:
        start = as_of - timedelta(days=days - 1)
        extents = [x for e in self.parts.centralization.records(start, as_of)
                   if (x := record_extent(e)) is not None]
        legs = [float(e.leg) for e in self.parts.pain.ratings(start, as_of)
                if isinstance(e, PainRated) and e.leg is not None]
        return Settled(days, len(extents), max(extents, default=None), len(legs), mean(legs), max_leg_mean)

    def state_at(self, as_of: date, states: IndicatorStates | None = None) -> StageState:
        record_days = self.record_days(as_of)
        if record_days < MIN_RECORD_DAYS:
            return StageState(Stage.NOT_ENOUGH_DATA, f"only {record_days} day(s) with symptom or pain records "
                                                     f"(at least {MIN_RECORD_DAYS} needed)", record_days)
        states = states or self.parts.states_at(as_of)
        trends = states.trends()
        recovered = self.settled(as_of, RECOVERED_DAYS, RECOVERED_LEG_PAIN)
        final = self.settled(as_of, FINAL_STAGE_DAYS, FINAL_STAGE_LEG_PAIN)
        weak = bool(states.strength.weakness) or bool(states.strength.foot_drop)

        def result(stage: Stage, reason: str) -> StageState:
            return StageState(stage, reason, record_days, recovered, final, trends)

        worsening = [name for name in ("centralization", "pain") if trends[name] is Trend.WORSENING]
        if worsening:
            return result(Stage.FLARE, " and ".join(worsening) + " worsening")
        if recovered.holds and not weak:
            return result(Stage.RECOVERED, "no buttock or leg symptoms and mean leg pain ≤ 1 over 14 days"
                                           + (", no weakness or foot drop" if states.strength.tested else ""))
        if final.holds and weak:
            remains = "foot drop" if states.strength.foot_drop else "weakness"
            return result(Stage.FINAL_STAGE, f"symptoms settled over 7 days but {remains} remains")
        improving = [name for name, t in trends.items() if t is Trend.IMPROVING]
        worse = [name for name, t in trends.items() if t is Trend.WORSENING]
        if improving and not worse:
            return result(Stage.IMPROVING, ", ".join(improving) + " improving, none worsening")
        if worse:
            return result(Stage.ACUTE, ", ".join(worse) + " worsening")
        return result(Stage.ACUTE, "no indicator improving")

    @property
    def state(self) -> StageState:
        return self.state_at(date.today())
