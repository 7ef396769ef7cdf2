"""Chart data for the Progress view: one frozen series per curve, every point dated and
carrying the entry id(s) behind it so a click can select the entry."""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from domain.events import (
    EntryEvent,
    ExerciseResponseRecorded,
    ForwardBendTested,
    GaitChecked,
    HeelRaisesTested,
    MuscleGraded,
    PainRated,
    RedFlagsChecked,
    SlumpTested,
    StraightLegRaiseTested,
    SymptomsRecorded,
    WalkRecorded,
)
from domain.values import GaitTest, Muscle, region_rank
from projections.centralization import DailyExtent, daily_extents
from projections.entries import entry_order
from projections.red_flags import urgency_of
from projections.strength import Milestone, shows_foot_drop
from projections.trend import median
from projections.vocabulary import urgency_rank
from projections.walking import tolerance

if TYPE_CHECKING:
    from projections.status import StatusProjection

MEDIAN_DAYS = 7
BEST_WALK_DAYS = 14


class _Point:
    """A point of a curve: no attribute dict (``slots``: ~25,000 points on 10 years), and
    pickled as its class and values (the start-up checkpoint), which is read back by the
    constructor, several times faster than the slots' generic ``__setstate__``."""

    __slots__ = ()
    __match_args__: tuple[str, ...]

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


# A day of the extent curve is the day centralization judges (one record type for both).
ExtentPoint = DailyExtent


@dataclass(frozen=True, slots=True)
class MedianPoint(_Point):
    """Median of the daily extents of the 7 days ending with DATE."""

    date: date
    median: float
    days: int


@dataclass(frozen=True, slots=True)
class ExercisePoint(_Point):
    date: date
    exercise: str
    extent_before: int
    extent_after: int
    entry_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class TestPoint(_Point):
    date: date
    value: float
    entry_id: uuid.UUID
    side: str | None = None


@dataclass(frozen=True, slots=True)
class GradePoint(_Point):
    date: date
    side: str
    muscle: str
    grade: int
    entry_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class Mark(_Point):
    """A categorical result: gait (test = heel_walk/toe_walk) or slump (test = slump)."""

    date: date
    side: str
    test: str
    result: str
    entry_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class FootDropPeriod(_Point):
    side: str
    start: date
    end: date | None  # the date a test no longer showed foot drop; None = still present
    entry_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class PainDay(_Point):
    date: date
    leg_mean: float | None
    leg_min: float | None
    leg_max: float | None
    back_mean: float | None
    back_min: float | None
    back_max: float | None
    share_of_day_mean: float | None
    episodes_mean: float | None
    entry_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True, slots=True)
class WalkPoint(_Point):
    date: date
    tolerance: float
    total_minutes: float
    symptom_free: bool
    entry_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class BestWalkPoint(_Point):
    """Best tolerance among the walks of the 14 days ending with DATE."""

    date: date
    best: float
    entry_ids: tuple[uuid.UUID, ...]


class StageBand(NamedTuple):
    start: date
    end: date
    stage: str


@dataclass(frozen=True, slots=True)
class RedFlagMarker(_Point):
    date: date
    codes: tuple[str, ...]
    urgency: str  # the most urgent of CODES
    entry_id: uuid.UUID


class StageDays:
    """The recovery stage of each day for one state of the journal, computed when first asked
    and kept. A day's stage depends only on the entries observed by that day, so a series as
    of any date can share the days of the journal state it was built from (see
    ``Timeline.apply``, which before it changes evaluates the few days its live series still
    need, or freezes a copy of the projection for them to evaluate from)."""

    def __init__(self, projection: StatusProjection, days: dict[date, str] | None = None) -> None:
        self.projection = projection
        self.days: dict[date, str] = {} if days is None else days

    def freeze(self, projection: StatusProjection) -> None:
        """Go on evaluating from PROJECTION, a copy of the state these days describe (the
        live projection is about to change)."""
        self.projection = projection

    def stage(self, d: date) -> str:
        stage = self.days.get(d)
        if stage is None:
            stage = self.days[d] = self.projection.stage.state_at(d).stage.value
        return stage

    def fill(self, first: date, last: date, limit: int | None = None) -> bool:
        """Compute up to LIMIT missing days from LAST back to FIRST; whether none is missing."""
        d = last
        while d >= first:
            if d not in self.days:
                if limit is not None and limit <= 0:
                    return False
                self.stage(d)
                if limit is not None:
                    limit -= 1
            d -= timedelta(days=1)
        return True

    def bands(self, first: date, last: date) -> list[StageBand]:
        """The days from FIRST to LAST merged into bands of one stage."""
        bands: list[StageBand] = []
        d = first
        one = timedelta(days=1)
        while d <= last:
            stage = self.stage(d)
            if bands and bands[-1].stage == stage:
                bands[-1] = StageBand(bands[-1].start, d, stage)
            else:
                bands.append(StageBand(d, d, stage))
            d += one
        return bands


@dataclass(frozen=True, eq=False)
class ProgressSeries:
    """Every curve of the Progress view. ``stages`` (the stage of every day from the first
    entry to the end, merged into bands) is computed on first use: it is the costly part
    (one stage evaluation per day), and a view showing a few months asks ``stages_between``
    for those first."""

    as_of: date | None
    extent: tuple[ExtentPoint, ...]
    extent_median: tuple[MedianPoint, ...]
    exercises: tuple[ExercisePoint, ...]
    heel_raises: dict[str, tuple[TestPoint, ...]]
    muscle_grades: tuple[GradePoint, ...]
    gait: tuple[Mark, ...]
    milestones: tuple[Milestone, ...]
    foot_drop: tuple[FootDropPeriod, ...]
    straight_leg_raise: dict[str, tuple[TestPoint, ...]]
    fingertip_to_floor: tuple[TestPoint, ...]
    slump: tuple[Mark, ...]
    pain: tuple[PainDay, ...]
    walks: tuple[WalkPoint, ...]
    best_walks: tuple[BestWalkPoint, ...]
    red_flags: tuple[RedFlagMarker, ...]
    #: The first and last day the stage bands cover (None: no entries).
    stage_days: tuple[date, date] | None = None
    stage_source: StageDays | None = field(default=None, repr=False)

    @cached_property
    def stages(self) -> tuple[StageBand, ...]:
        if self.stage_days is None or self.stage_source is None:
            return ()
        return tuple(self.stage_source.bands(*self.stage_days))

    def stages_between(self, first: date, last: date) -> tuple[StageBand, ...]:
        """The stage bands cut to the days FIRST..LAST (only those days are evaluated)."""
        if self.stage_days is None or self.stage_source is None:
            return ()
        if "stages" in self.__dict__:  # already complete: cut the bands
            return tuple(StageBand(max(b.start, first), min(b.end, last), b.stage)
                         for b in self.stages if b.end >= first and b.start <= last)
        lo, hi = max(first, self.stage_days[0]), min(last, self.stage_days[1])
        return tuple(self.stage_source.bands(lo, hi)) if lo <= hi else ()

    def fill_stages(self, limit: int | None) -> bool:
        """Evaluate up to LIMIT more days of the stage bands (newest first; None: all); whether
        all are known. For idle-time work, so that ``stages`` is then only a merge."""
        if self.stage_days is None or self.stage_source is None or "stages" in self.__dict__:
            return True
        return self.stage_source.fill(*self.stage_days, limit=limit)

    def _values(self) -> tuple[Any, ...]:
        return (self.as_of, self.extent, self.extent_median, self.exercises, self.heel_raises, self.muscle_grades,
                self.gait, self.milestones, self.foot_drop, self.straight_leg_raise, self.fingertip_to_floor,
                self.slump, self.pain, self.walks, self.best_walks, self.stages, self.red_flags)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProgressSeries):
            return NotImplemented
        return self is other or self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]


def _day(e: EntryEvent) -> date:
    return e.observed_at.date()


def _stats(values: list[float]) -> tuple[float | None, float | None, float | None]:
    if not values:
        return None, None, None
    return sum(values) / len(values), min(values), max(values)


def _rolling_median(points: list[ExtentPoint]) -> list[MedianPoint]:
    days = [p.date for p in points]
    out = []
    for i, p in enumerate(points):
        lo = bisect.bisect_left(days, p.date - timedelta(days=MEDIAN_DAYS - 1))
        values = [q.extent for q in points[lo:i + 1]]
        m = median(values)
        assert m is not None
        out.append(MedianPoint(p.date, m, len(values)))
    return out


def _pain_days(ratings: list[EntryEvent]) -> list[PainDay]:
    by_day: dict[date, list[PainRated]] = {}
    for e in ratings:
        if isinstance(e, PainRated):
            by_day.setdefault(_day(e), []).append(e)
    out = []
    for d, items in by_day.items():
        leg = _stats([float(x.leg) for x in items if x.leg is not None])
        back = _stats([float(x.back) for x in items if x.back is not None])
        share = _stats([float(x.share_of_day_percent) for x in items if x.share_of_day_percent is not None])
        episodes = _stats([float(x.episodes) for x in items if x.episodes is not None])
        out.append(PainDay(d, *leg, *back, share[0], episodes[0], tuple(x.entry_id for x in items)))
    return out


def _best_walks(walks: list[WalkPoint]) -> list[BestWalkPoint]:
    days = [w.date for w in walks]
    out: list[BestWalkPoint] = []
    for i, w in enumerate(walks):
        if i + 1 < len(walks) and walks[i + 1].date == w.date:
            continue  # one point per day, after its last walk
        lo = bisect.bisect_left(days, w.date - timedelta(days=BEST_WALK_DAYS - 1))
        window = walks[lo:i + 1]
        out.append(BestWalkPoint(w.date, max(x.tolerance for x in window), tuple(x.entry_id for x in window)))
    return out


def _foot_drop(tests: list[EntryEvent], affected: tuple[str, ...]) -> list[FootDropPeriod]:
    """Periods during which the latest dorsiflexion, great-toe extension or heel walk of an
    affected side showed foot drop."""
    latest: dict[tuple[str, str], EntryEvent] = {}
    open_since: dict[str, tuple[date, list[uuid.UUID]]] = {}
    periods: list[FootDropPeriod] = []
    for e in tests:
        if isinstance(e, MuscleGraded):
            latest[(e.side, e.muscle)] = e
        elif isinstance(e, GaitChecked) and e.test == GaitTest.HEEL_WALK:
            latest[(e.side, e.test)] = e
        else:
            continue
        if e.side not in affected:
            continue
        side = e.side
        present = any(shows_foot_drop(x) for key, x in latest.items() if key[0] == side)
        if present:
            start, ids = open_since.setdefault(side, (_day(e), []))
            ids.append(e.entry_id)
        elif side in open_since:
            start, ids = open_since.pop(side)
            periods.append(FootDropPeriod(side, start, _day(e), (*ids, e.entry_id)))
    for side, (start, ids) in open_since.items():
        periods.append(FootDropPeriod(side, start, None, tuple(ids)))
    return sorted(periods, key=lambda p: (p.start, p.side))


def build_series(projection: StatusProjection, as_of: date | None = None,
                 stage_days: StageDays | None = None) -> ProgressSeries:
    """The series of every entry observed by AS_OF (default: all). STAGE_DAYS keeps each day's
    stage between calls (it must describe PROJECTION's current state)."""
    entries = [e for e in projection.entries.current() if as_of is None or _day(e) <= as_of]
    # In projection order (observed first): the first and last entries bound the days.
    first = _day(entries[0]) if entries else None
    end = as_of or (_day(entries[-1]) if entries else None)
    # The daily curves read the stores that already hold their entries in this order (the
    # extent records, the pain ratings), not every entry again.
    upto = end or date.max
    extent = daily_extents(projection.centralization.records(None, upto))
    heel: dict[str, list[TestPoint]] = {}
    slr: dict[str, list[TestPoint]] = {}
    grades: list[GradePoint] = []
    gait: list[Mark] = []
    slump: list[Mark] = []
    bend: list[TestPoint] = []
    exercises: list[ExercisePoint] = []
    walks: list[WalkPoint] = []
    flags: list[RedFlagMarker] = []
    strength_tests: list[EntryEvent] = []
    for e in entries:
        if isinstance(e, SymptomsRecorded | PainRated):
            continue  # most entries: their curves come from the stores above
        day = _day(e)
        if isinstance(e, HeelRaisesTested):
            heel.setdefault(e.side, []).append(TestPoint(day, e.repetitions, e.entry_id, e.side))
            strength_tests.append(e)
        elif isinstance(e, MuscleGraded):
            grades.append(GradePoint(day, e.side, Muscle(e.muscle).value, e.grade, e.entry_id))
            strength_tests.append(e)
        elif isinstance(e, GaitChecked):
            gait.append(Mark(day, e.side, e.test, e.result, e.entry_id))
            strength_tests.append(e)
        elif isinstance(e, StraightLegRaiseTested):
            slr.setdefault(e.side, []).append(TestPoint(day, e.degrees, e.entry_id, e.side))
        elif isinstance(e, SlumpTested):
            slump.append(Mark(day, e.side, "slump", e.result, e.entry_id))
        elif isinstance(e, ForwardBendTested):
            bend.append(TestPoint(day, e.fingertip_to_floor_cm, e.entry_id))
        elif isinstance(e, ExerciseResponseRecorded):
            exercises.append(ExercisePoint(day, e.exercise, region_rank(e.extent_before),
                                           region_rank(e.extent_after), e.entry_id))
        elif isinstance(e, WalkRecorded):
            walks.append(WalkPoint(day, tolerance(e), e.total_minutes, e.minutes_to_symptoms is None, e.entry_id))
        elif isinstance(e, RedFlagsChecked) and e.present:
            side = projection.journal.affected_side if projection.journal else None
            urgency = min((urgency_of(c, side) for c in e.present), key=urgency_rank)
            flags.append(RedFlagMarker(day, tuple(e.present), urgency, e.entry_id))
    strength_tests.sort(key=entry_order)
    milestones = tuple(m for m in projection.strength.milestones() if as_of is None or m.date <= as_of)
    return ProgressSeries(
        as_of=as_of,
        extent=tuple(extent),
        extent_median=tuple(_rolling_median(extent)),
        exercises=tuple(exercises),
        heel_raises={side: tuple(points) for side, points in sorted(heel.items())},
        muscle_grades=tuple(grades),
        gait=tuple(gait),
        milestones=milestones,
        foot_drop=tuple(_foot_drop(strength_tests, projection.strength.affected)),
        straight_leg_raise={side: tuple(points) for side, points in sorted(slr.items())},
        fingertip_to_floor=tuple(bend),
        slump=tuple(slump),
        pain=tuple(_pain_days(projection.pain.ratings(None, upto))),
        walks=tuple(walks),
        best_walks=tuple(_best_walks(walks)),
        red_flags=tuple(flags),
        stage_days=(first, end) if first is not None and end is not None and first <= end else None,
        stage_source=stage_days if stage_days is not None else StageDays(projection),
    )


_Dated = TypeVar("_Dated")


def _upto(items: Iterable[_Dated], as_of: date, day: Callable[[_Dated], date]) -> tuple[_Dated, ...]:
    return tuple(x for x in items if day(x) <= as_of)


def _date(x: Any) -> date:
    d: date = x.date
    return d


def truncate_series(full: ProgressSeries, as_of: date) -> ProgressSeries:
    """The series ``build_series(projection, AS_OF)`` gives, cut from FULL (the series of the
    same projection with no as-of date) instead of rebuilt: every point depends only on the
    entries observed up to its own date (daily values, 7-day median, 14-day best walk,
    milestones), so the as-of series is the points dated up to AS_OF; a foot-drop period
    still open at AS_OF becomes open-ended with the entries seen by then; stage bands are
    the same days' stages (shared STAGE_SOURCE) up to AS_OF."""
    if full.as_of is not None:
        raise ValueError("truncate_series needs the series with no as-of date")
    first = full.stage_days[0] if full.stage_days is not None else None
    return ProgressSeries(
        as_of=as_of,
        extent=_upto(full.extent, as_of, _date),
        extent_median=_upto(full.extent_median, as_of, _date),
        exercises=_upto(full.exercises, as_of, _date),
        heel_raises={side: kept for side, points in full.heel_raises.items() if (kept := _upto(points, as_of, _date))},
        muscle_grades=_upto(full.muscle_grades, as_of, _date),
        gait=_upto(full.gait, as_of, _date),
        milestones=_upto(full.milestones, as_of, _date),
        foot_drop=_foot_drop_upto(full, as_of),
        straight_leg_raise={side: kept for side, points in full.straight_leg_raise.items()
                            if (kept := _upto(points, as_of, _date))},
        fingertip_to_floor=_upto(full.fingertip_to_floor, as_of, _date),
        slump=_upto(full.slump, as_of, _date),
        pain=_upto(full.pain, as_of, _date),
        walks=_upto(full.walks, as_of, _date),
        best_walks=_upto(full.best_walks, as_of, _date),
        red_flags=_upto(full.red_flags, as_of, _date),
        stage_days=(first, as_of) if first is not None and first <= as_of else None,
        stage_source=full.stage_source,
    )


def _foot_drop_upto(full: ProgressSeries, as_of: date) -> tuple[FootDropPeriod, ...]:
    periods: list[FootDropPeriod] = []
    seen: dict[uuid.UUID, date] | None = None
    for p in full.foot_drop:
        if p.start > as_of:
            continue
        if p.end is not None and p.end <= as_of:
            periods.append(p)
            continue
        if seen is None:  # the test entries behind the periods, by id
            seen = {g.entry_id: g.date for g in full.muscle_grades} | {m.entry_id: m.date for m in full.gait}
        ids = tuple(i for i in p.entry_ids if seen[i] <= as_of)
        periods.append(FootDropPeriod(p.side, p.start, None, ids))
    return tuple(periods)
