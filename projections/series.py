"""Chart data for the Progress view: one frozen series per curve, every point dated and
carrying the entry id(s) behind it so a click can select the entry."""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

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
    WalkRecorded,
)
from domain.values import GaitResult, GaitTest, Muscle, RedFlag, Urgency, region_rank
from projections.centralization import daily_extents
from projections.entries import entry_order
from projections.red_flags import URGENCY_ORDER
from projections.strength import FOOT_DROP_GRADE, Milestone
from projections.trend import median
from projections.walking import tolerance

if TYPE_CHECKING:
    from projections.status import StatusProjection

MEDIAN_DAYS = 7
BEST_WALK_DAYS = 14


@dataclass(frozen=True)
class ExtentPoint:
    date: date
    extent: int
    entry_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class MedianPoint:
    """Median of the daily extents of the 7 days ending with DATE."""

    date: date
    median: float
    days: int


@dataclass(frozen=True)
class ExercisePoint:
    date: date
    exercise: str
    extent_before: int
    extent_after: int
    entry_id: uuid.UUID


@dataclass(frozen=True)
class TestPoint:
    date: date
    value: float
    entry_id: uuid.UUID
    side: str | None = None


@dataclass(frozen=True)
class GradePoint:
    date: date
    side: str
    muscle: str
    grade: int
    entry_id: uuid.UUID


@dataclass(frozen=True)
class Mark:
    """A categorical result: gait (test = heel_walk/toe_walk) or slump (test = slump)."""

    date: date
    side: str
    test: str
    result: str
    entry_id: uuid.UUID


@dataclass(frozen=True)
class FootDropPeriod:
    side: str
    start: date
    end: date | None  # the date a test no longer showed foot drop; None = still present
    entry_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class PainDay:
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


@dataclass(frozen=True)
class WalkPoint:
    date: date
    tolerance: float
    total_minutes: float
    symptom_free: bool
    entry_id: uuid.UUID


@dataclass(frozen=True)
class BestWalkPoint:
    """Best tolerance among the walks of the 14 days ending with DATE."""

    date: date
    best: float
    entry_ids: tuple[uuid.UUID, ...]


class StageBand(NamedTuple):
    start: date
    end: date
    stage: str


@dataclass(frozen=True)
class RedFlagMarker:
    date: date
    codes: tuple[str, ...]
    urgency: str  # the most urgent of CODES
    entry_id: uuid.UUID


@dataclass(frozen=True)
class ProgressSeries:
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
    stages: tuple[StageBand, ...]
    red_flags: tuple[RedFlagMarker, ...]


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
        present = any(
            (isinstance(x, MuscleGraded) and x.grade <= FOOT_DROP_GRADE)
            or (isinstance(x, GaitChecked) and x.result == GaitResult.UNABLE)
            for key, x in latest.items() if key[0] == side)
        if present:
            start, ids = open_since.setdefault(side, (_day(e), []))
            ids.append(e.entry_id)
        elif side in open_since:
            start, ids = open_since.pop(side)
            periods.append(FootDropPeriod(side, start, _day(e), (*ids, e.entry_id)))
    for side, (start, ids) in open_since.items():
        periods.append(FootDropPeriod(side, start, None, tuple(ids)))
    return sorted(periods, key=lambda p: (p.start, p.side))


def _stage_bands(projection: StatusProjection, first: date, last: date,
                 cache: dict[date, str] | None = None) -> list[StageBand]:
    """The stage of every day from FIRST to LAST, merged into bands. CACHE keeps each day's
    stage between calls: a day's stage depends only on entries observed by that day, so a
    new entry only invalidates the days from its own date on (see Timeline.apply)."""
    bands: list[StageBand] = []
    cache = {} if cache is None else cache
    d = first
    while d <= last:
        stage = cache.get(d)
        if stage is None:
            stage = cache[d] = projection.stage.state_at(d).stage.value
        if bands and bands[-1].stage == stage and bands[-1].end == d - timedelta(days=1):
            bands[-1] = StageBand(bands[-1].start, d, stage)
        else:
            bands.append(StageBand(d, d, stage))
        d += timedelta(days=1)
    return bands


def build_series(projection: StatusProjection, as_of: date | None = None,
                 stage_cache: dict[date, str] | None = None) -> ProgressSeries:
    entries = [e for e in projection.entries.current() if as_of is None or _day(e) <= as_of]
    end = as_of or (max((_day(e) for e in entries), default=None))
    extent = [ExtentPoint(d.day, d.extent, d.entry_ids) for d in daily_extents(entries)]
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
            urgency = min((RedFlag(c).urgency for c in e.present), key=lambda u: URGENCY_ORDER[Urgency(u)])
            flags.append(RedFlagMarker(day, tuple(e.present), urgency.value, e.entry_id))
    strength_tests.sort(key=entry_order)
    first = min((_day(e) for e in entries), default=None)
    stages = (_stage_bands(projection, first, end, stage_cache)
              if first is not None and end is not None else [])
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
        pain=tuple(_pain_days([e for e in entries if isinstance(e, PainRated)])),
        walks=tuple(walks),
        best_walks=tuple(_best_walks(walks)),
        stages=tuple(stages),
        red_flags=tuple(flags),
    )
