"""Recovery stage at a date (clinical model v2), evaluated in the model's order; the first that
holds is the stage:

not_enough_data → red_flag → no_recent_data → flare → recovered → final_stage → improving →
acute / subacute / persistent (by the days since onset).

A stage never hides a red flag and never claims healing the evidence does not show. The
stage keeps no entries of its own: it reads the indicator projections of the status bundle
(symptom check-ins from the signs projection's store, ratings from the pain projection's,
tests from strength and nerve mobility) and the red flags, so each entry is held once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.events import EntryEvent, PainRated, SlumpTested, StraightLegRaiseTested, SymptomsRecorded
from domain.values import Sensation, SlumpResult, region_rank
from projections import vocabulary as words  # every word the stage reasons use
from projections.centralization import ABOLISHED_MAX_RANK, CentralizationState, record_extent
from projections.nerve_mobility import SLR, SLUMP, NerveMobilityState
from projections.pain import PainState
from projections.strength import StrengthState
from projections.trend import Trend, exact, exact_mean, mean
from projections.walking import WalkingState

if TYPE_CHECKING:
    from projections.centralization import CentralizationProjection
    from projections.nerve_mobility import NerveMobilityProjection
    from projections.pain import PainProjection
    from projections.red_flags import RedFlagProjection, RedFlagsState
    from projections.signs import SignsProjection
    from projections.strength import StrengthProjection
    from projections.walking import WalkingProjection

MIN_RECORD_DAYS = 3
RECENT_RECORD_DAYS = 14  # no_recent_data: no check-in or rating in the 14 days ending D
FLARE_LEG_PAIN = 2  # a pain rise is a flare only at a recent mean leg pain ≥ 2
RECOVERED_DAYS = 14
RECOVERED_LEG_PAIN = 1
NERVE_DAYS = 42  # recovered: nerve tests in the 42 days ending D must be clear
CLEAR_SLR_DEGREES = 60
LEG_RANK = 4  # thigh and below
FINAL_STAGE_DAYS = 7
FINAL_STAGE_LEG_PAIN = 2
SUBACUTE_FROM_DAY = 42
PERSISTENT_FROM_DAY = 84


class Stage(StrEnum):
    NOT_ENOUGH_DATA = "not_enough_data"
    RED_FLAG = "red_flag"
    NO_RECENT_DATA = "no_recent_data"
    FLARE = "flare"
    RECOVERED = "recovered"
    FINAL_STAGE = "final_stage"
    IMPROVING = "improving"
    ACUTE = "acute"
    SUBACUTE = "subacute"
    PERSISTENT = "persistent"


@dataclass(frozen=True)
class Settled:
    """Whether symptoms stayed out of the buttock and leg over a span, with little leg pain."""

    days: int
    start: date
    end: date
    extent_records: int
    worst_extent: int | None
    leg_ratings: int
    leg_mean: float | None
    max_leg_mean: int
    extent_ok: bool = False  # at least one extent record, every one ≤ 2
    leg_ok: bool = False  # at least one leg rating, exact mean ≤ max_leg_mean

    @property
    def holds(self) -> bool:
        return self.extent_ok and self.leg_ok


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
    reason: str = ""  # the evidence in plain words
    record_days: int = 0
    recovered_check: Settled | None = None
    final_stage_check: Settled | None = None
    trends: dict[str, Trend] = field(default_factory=dict)
    last_record: date | None = None  # the latest check-in or pain rating on or before D
    blockers: tuple[str, ...] = ()  # why recovered does not hold, in words


@dataclass
class Parts:
    centralization: CentralizationProjection
    strength: StrengthProjection
    nerve_mobility: NerveMobilityProjection
    pain: PainProjection
    walking: WalkingProjection

    def states_at(self, as_of: date) -> IndicatorStates:
        return IndicatorStates(self.centralization.state_at(as_of), self.strength.state_at(as_of),
                               self.nerve_mobility.state_at(as_of), self.pain.state_at(as_of),
                               self.walking.state_at(as_of))


def _felt_weakness_in_leg(event: EntryEvent) -> bool:
    return isinstance(event, SymptomsRecorded) and any(
        s["sensation"] == Sensation.WEAKNESS and s["intensity"] > 0 and region_rank(s["region"]) >= LEG_RANK
        for s in event.symptoms)


class StageProjection:
    """The stage rule over the bundle's projections (it holds no entries itself)."""

    def __init__(self, parts: Parts, signs: SignsProjection, red_flags: RedFlagProjection) -> None:
        self.parts = parts
        self.signs = signs
        self.red_flags = red_flags

    # Records: symptom check-ins (the signs store) and pain ratings ---------------------------

    def _records(self, start: date | None, end: date) -> tuple[list[EntryEvent], list[EntryEvent]]:
        return self.signs.checkins(start, end), self.parts.pain.ratings(start, end)

    def record_days(self, as_of: date, enough: int = MIN_RECORD_DAYS) -> int:
        """Distinct days with symptom or pain records up to AS_OF, counted up to ENOUGH. The
        first ENOUGH distinct days of each kind are enough to tell (their union has at least
        min(ENOUGH, all) days)."""
        found: set[date] = set()
        for store in (self.signs.checkin_store(), self.parts.pain.rating_store()):
            own: set[date] = set()
            for event in store:
                d = event.observed_at.date()
                if d > as_of or len(own) >= enough:
                    break
                own.add(d)
            found |= own
        return min(len(found), enough)

    def last_record(self, as_of: date) -> date | None:
        last = [e.observed_at.date() for e in (self.signs.checkin_store().last_upto(as_of),
                                               self.parts.pain.rating_store().last_upto(as_of)) if e is not None]
        return max(last, default=None)

    def settled(self, as_of: date, days: int, max_leg_mean: int) -> Settled:
        start = as_of - timedelta(days=days - 1)
        extents = [x for e in self.parts.centralization.records(start, as_of)
                   if (x := record_extent(e)) is not None]
        legs = [e.leg for e in self.parts.pain.ratings(start, as_of) if isinstance(e, PainRated) and e.leg is not None]
        worst = max(extents, default=None)
        exact_leg = exact_mean(legs)
        return Settled(days, start, as_of, len(extents), worst, len(legs), mean([float(x) for x in legs]),
                       max_leg_mean, extent_ok=worst is not None and worst <= ABOLISHED_MAX_RANK,
                       leg_ok=exact_leg is not None and exact_leg <= max_leg_mean)

    # The recovered rule's other conditions, each unmet one in words -------------------------

    def _recovered_blockers(self, as_of: date, settled: Settled, strength: StrengthState) -> list[str]:
        blockers: list[str] = []
        if settled.extent_records == 0:
            blockers.append(f"no symptom record in the {settled.days} days {words.span(settled.start, as_of)}")
        elif settled.worst_extent is not None and settled.worst_extent > ABOLISHED_MAX_RANK:
            blockers.append(f"symptoms reached the {words.extent_label(settled.worst_extent)} in the "
                            f"{settled.days} days {words.span(settled.start, as_of)}")
        if settled.leg_mean is None:
            blockers.append(f"no leg pain rating in the {settled.days} days {words.span(settled.start, as_of)}")
        elif not settled.leg_ok:
            blockers.append(f"mean leg pain {words.mean_words(settled.leg_mean)} (more than {settled.max_leg_mean})")
        weak = [e for e in self.signs.checkins(settled.start, as_of) if _felt_weakness_in_leg(e)]
        if weak:
            blockers.append(f"weakness in the leg recorded on {words.day(weak[-1].observed_at.date())}")
        if strength.foot_drop:
            f = strength.foot_drop_findings[0]
            blockers.append(f"foot drop in the tests ({words.result_words(f.kind, f.side, f.value, f.date)})")
        elif strength.weakness:
            f = strength.weakness_findings[0]
            blockers.append(f"weakness in the tests ({words.result_words(f.kind, f.side, f.value, f.date)})")
        blockers.extend(self._nerve_blockers(as_of))
        return blockers

    def _nerve_blockers(self, as_of: date) -> list[str]:
        """With a straight-leg raise or slump (either side) in the 42 days ending D, the latest
        of each on each affected side must be clear (an affected side never tested imposes
        nothing)."""
        nerve = self.parts.nerve_mobility
        start = as_of - timedelta(days=NERVE_DAYS - 1)
        if not any(store.between(start, as_of) for key, store in nerve.stores.items()
                   if isinstance(key, tuple) and key[0] in (SLR, SLUMP)):
            return []
        blockers: list[str] = []
        for side in nerve.affected:
            slump = nerve.store((SLUMP, side)).last_upto(as_of)
            if isinstance(slump, SlumpTested) and slump.result != SlumpResult.NEGATIVE:
                blockers.append(f"slump test {side} positive on {words.day(slump.observed_at.date())}")
            slr = nerve.store((SLR, side)).last_upto(as_of)
            if isinstance(slr, StraightLegRaiseTested) and exact(slr.degrees) < CLEAR_SLR_DEGREES:
                blockers.append(f"straight-leg raise {side} {words.num(slr.degrees, '°')} on "
                                f"{words.day(slr.observed_at.date())} (below {CLEAR_SLR_DEGREES}°)")
        return blockers

    # The stage ---------------------------------------------------------------------------

    def state_at(self, as_of: date, states: IndicatorStates | None = None,
                 flags: RedFlagsState | None = None) -> StageState:
        record_days = self.record_days(as_of)
        if record_days < MIN_RECORD_DAYS:
            return StageState(Stage.NOT_ENOUGH_DATA,
                              f"only {words.plural(record_days, 'day')} with symptom or pain records "
                              f"(at least {MIN_RECORD_DAYS} needed)", record_days)
        flags = flags if flags is not None else self.red_flags.state_at(as_of)
        stopping = flags.stops_stage
        last = self.last_record(as_of)
        if stopping:
            named = "; ".join(f"{words.red_flag_name(f.code)} ({words.red_flag_source(f.code, f.since)})"
                              for f in stopping)
            return StageState(Stage.RED_FLAG, f"a red flag is active: {named}; healing is not judged "
                                              "while it is", record_days, last_record=last)
        recent_start = as_of - timedelta(days=RECENT_RECORD_DAYS - 1)
        if last is None or last < recent_start:
            ago = (as_of - last).days if last else 0
            return StageState(Stage.NO_RECENT_DATA,
                              f"no symptom check-in or pain rating in the {RECENT_RECORD_DAYS} days "
                              f"{words.span(recent_start, as_of)}; the last was on {words.day(last) if last else '–'}, "
                              f"{words.plural(ago, 'day')} before", record_days, last_record=last)
        states = states or self.parts.states_at(as_of)
        trends = states.trends()
        recovered = self.settled(as_of, RECOVERED_DAYS, RECOVERED_LEG_PAIN)
        final = self.settled(as_of, FINAL_STAGE_DAYS, FINAL_STAGE_LEG_PAIN)
        strength = states.strength

        def result(stage: Stage, reason: str, blockers: tuple[str, ...] = ()) -> StageState:
            return StageState(stage, reason, record_days, recovered, final, trends, last, blockers)

        flare = self._flare(states)
        if flare:
            return result(Stage.FLARE, flare)
        blockers = tuple(self._recovered_blockers(as_of, recovered, strength))
        if not blockers:
            tested = "; no weakness or foot drop in the tests of the last 90 days" \
                if strength.weakness is False else ""
            return result(Stage.RECOVERED,
                          f"no buttock or leg symptoms and mean leg pain {words.mean_words(recovered.leg_mean)} "
                          f"over the {RECOVERED_DAYS} days {words.span(recovered.start, as_of)}{tested}")
        weak = bool(strength.weakness) or bool(strength.foot_drop)
        if final.holds and weak and strength.trend is not Trend.WORSENING:
            finding = (strength.foot_drop_findings or strength.weakness_findings)[0]
            remains = "foot drop" if strength.foot_drop else "weakness"
            return result(Stage.FINAL_STAGE,
                          f"symptoms settled over the {FINAL_STAGE_DAYS} days {words.span(final.start, as_of)} "
                          f"(mean leg pain {words.mean_words(final.leg_mean)}), but {remains} remains: "
                          f"{words.result_words(finding.kind, finding.side, finding.value, finding.date)}",
                          blockers)
        improving = [name for name, t in trends.items() if t is Trend.IMPROVING]
        worse = [name for name, t in trends.items() if t is Trend.WORSENING]
        if improving and not worse:
            return result(Stage.IMPROVING, _names(improving) + " improving, none worsening", blockers)
        return result(*self._duration(as_of, worse), blockers)

    def _flare(self, states: IndicatorStates) -> str:
        """Why the stage is a flare, or '' when it is not."""
        if states.centralization.trend is Trend.WORSENING:
            c = states.centralization
            return (f"symptoms spreading further down the leg (furthest symptom, weekly median: "
                    f"{words.extent_label(c.earlier_extent)} → {words.extent_label(c.recent_extent)})")
        leg = states.pain.leg_mean_exact
        if states.pain.trend is Trend.WORSENING and leg is not None and leg >= FLARE_LEG_PAIN:
            return f"pain rising, recent mean leg pain {words.mean_words(states.pain.leg_mean)}"
        return ""

    def _duration(self, as_of: date, worse: list[str]) -> tuple[Stage, str]:
        journal = self.parts.centralization.journal
        days = (as_of - journal.onset_date).days if journal else 0
        stage = Stage.ACUTE if days < SUBACUTE_FROM_DAY else (
            Stage.SUBACUTE if days < PERSISTENT_FROM_DAY else Stage.PERSISTENT)
        signs = f"{_names(worse)} worsening" if worse else "no sign improving yet"
        return stage, f"day {days} since onset; {signs}"


def _names(codes: list[str]) -> str:
    names = [words.indicator_name(c).lower() for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
