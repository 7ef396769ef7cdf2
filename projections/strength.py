"""Leg strength, weakness and foot drop (the final stage of recovery).

Components are one kind of test on one side: heel raises, each MRC-graded muscle, each
heel/toe walk. Weakness and foot drop are judged on the affected side(s) from the latest
value of each; the trend compares each component's latest test (date L) with the earliest
test of the same component dated L−42 … L−1.

Model v2: only results of the 90 days ending D are current findings (older ones are history,
shown dated); without an affected-side result in those days weakness and foot drop are
unknown (None). The trend is judged on the affected side(s) only, with a heel-raise MIC of 6.
``shows_weakness`` and ``shows_foot_drop`` are the one reading of a single test, shared with
the Progress view's foot-drop periods.
"""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, TypeVar

from domain.events import EntryEvent, GaitChecked, HeelRaisesTested, MuscleGraded
from domain.values import GaitResult, GaitTest, Muscle
from projections.comparison import Comparison, Finding, compare_latest, latest_results
from projections.dated import Indicator, Key, other_side
from projections.entries import entry_order
from projections.scan import Scan, Step, scan
from projections.trend import Trend, combine

NORMAL_HEEL_RAISES = 25
SYMMETRIC_PERCENT = 90


def symmetric(mine: int, theirs: int) -> bool:
    """LSI ≥ 90 %, exactly (integers: 27 of 30 is 90 %, never 89.999…)."""
    return mine * 100 >= SYMMETRIC_PERCENT * theirs
WEAK_GRADE = 4
FOOT_DROP_GRADE = 3
HEEL_RAISE_MIC = 6  # v2: at least the measurement error of about ±6 (Hébert-Losier 2017)
CURRENT_DAYS = 90  # v2: results of the 90 days ending D are current findings
GRADE_MIC = 1
GAIT_MIC = 1
HEEL_RAISE_THRESHOLDS = (1, 10, 20, 25)
GAIT_SCORE = {GaitResult.UNABLE.value: 0, GaitResult.IMPAIRED.value: 1, GaitResult.NORMAL.value: 2}
STRENGTH_TYPES = (HeelRaisesTested, MuscleGraded, GaitChecked)

Component = tuple[str, ...]
S = TypeVar("S")


def strength_component(event: EntryEvent) -> Component | None:
    if isinstance(event, HeelRaisesTested):
        return ("heel_raises", event.side)
    if isinstance(event, MuscleGraded):
        return (event.muscle, event.side)
    if isinstance(event, GaitChecked):
        return (event.test, event.side)
    return None


def test_value(event: EntryEvent) -> int:
    """A number where higher is stronger."""
    if isinstance(event, HeelRaisesTested):
        return event.repetitions
    if isinstance(event, MuscleGraded):
        return event.grade
    if isinstance(event, GaitChecked):
        return GAIT_SCORE[event.result]
    raise TypeError(f"not a strength test: {event.type_name()}")


def component_mic(kind: str) -> int:
    if kind == "heel_raises":
        return HEEL_RAISE_MIC
    if kind in (GaitTest.HEEL_WALK.value, GaitTest.TOE_WALK.value):
        return GAIT_MIC
    return GRADE_MIC


def shown_value(event: EntryEvent) -> int | str:
    return event.result if isinstance(event, GaitChecked) else test_value(event)


def shows_weakness(event: EntryEvent) -> bool:
    """Whether one test shows weakness on its own (the LSI needs two tests: ``symmetry``)."""
    if isinstance(event, HeelRaisesTested):
        return event.repetitions < NORMAL_HEEL_RAISES
    if isinstance(event, MuscleGraded):
        return event.grade <= WEAK_GRADE
    if isinstance(event, GaitChecked):
        return event.result != GaitResult.NORMAL
    return False


def shows_foot_drop(event: EntryEvent) -> bool:
    """Dorsiflexion or great-toe extension graded ≤ 3, or a heel walk ``unable``."""
    if isinstance(event, MuscleGraded):
        return event.grade <= FOOT_DROP_GRADE
    if isinstance(event, GaitChecked):
        return event.test == GaitTest.HEEL_WALK and event.result == GaitResult.UNABLE
    return False


def current_start(as_of: date) -> date:
    """The first day whose results are current findings at AS_OF (D−89)."""
    return as_of - timedelta(days=CURRENT_DAYS - 1)


@dataclass(frozen=True)
class Milestone:
    code: str
    side: str
    date: date
    entry_id: uuid.UUID


@dataclass(frozen=True)
class Symmetry:
    """The limb symmetry index: the affected side's latest heel raises against the other's."""

    mine: HeelRaisesTested
    theirs: HeelRaisesTested

    @property
    def percent(self) -> float:
        return self.mine.repetitions / self.theirs.repetitions * 100

    @property
    def symmetric(self) -> bool:
        return symmetric(self.mine.repetitions, self.theirs.repetitions)


@dataclass(frozen=True)
class StrengthState:
    trend: Trend = Trend.INSUFFICIENT_DATA
    heel_raises: dict[str, int] | None = None
    symmetry_percent: float | None = None  # exact; status rounds it for display
    weakness: bool | None = None
    foot_drop: bool | None = None
    milestones: tuple[Milestone, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    weakness_findings: tuple[Finding, ...] = ()
    foot_drop_findings: tuple[Finding, ...] = ()
    heel_raise_entries: dict[str, uuid.UUID] | None = None
    tested: bool = False
    # The latest affected-side result of each test older than the 90 days: shown, not judged.
    history: tuple[Finding, ...] = ()
    heel_raise_dates: dict[str, date] | None = None
    latest: tuple[tuple[Finding, int], ...] = ()  # see comparison.latest_results


class StrengthProjection(Indicator[StrengthState]):
    KEEPS = STRENGTH_TYPES

    def __init__(self) -> None:
        super().__init__()
        # Resumable scans behind the milestones (kept across changes; see projections.scan).
        self._scans: dict[Hashable, Scan[Any, Hit]] = {}

    def component(self, event: EntryEvent) -> Hashable | None:
        return strength_component(event)

    def latest(self, kind: str, side: str, as_of: date) -> EntryEvent | None:
        return self.store((kind, side)).last_upto(as_of)

    def symmetry(self, as_of: date, since: date | None = None) -> Symmetry | None:
        """The LSI when exactly one side is affected and both sides were tested (each side's
        latest test, and with SINCE only tests dated SINCE or later)."""
        if len(self.affected) != 1:
            return None
        side = self.affected[0]
        mine, theirs = self.latest("heel_raises", side, as_of), self.latest("heel_raises", other_side(side), as_of)
        if not isinstance(mine, HeelRaisesTested) or not isinstance(theirs, HeelRaisesTested):
            return None
        if since is not None and min(mine.observed_at.date(), theirs.observed_at.date()) < since:
            return None
        if theirs.repetitions == 0:
            return None  # no reference to compare with
        return Symmetry(mine, theirs)

    def _findings(self, as_of: date) -> tuple[list[Finding], list[Finding], list[Finding], bool]:
        """(weakness, foot drop, history, any current affected-side result)."""
        since = current_start(as_of)
        weakness: list[Finding] = []
        foot_drop: list[Finding] = []
        history: list[Finding] = []
        current = False
        for side in self.affected:
            for kind in ("heel_raises", *(m.value for m in Muscle), *(g.value for g in GaitTest)):
                last = self.latest(kind, side, as_of)
                if last is None:
                    continue
                finding = Finding(kind, side, shown_value(last), last.observed_at.date(), last.entry_id)
                if finding.date < since:
                    history.append(finding)
                    continue
                current = True
                if shows_weakness(last):
                    weakness.append(finding)
                if shows_foot_drop(last):
                    foot_drop.append(finding)
        lsi = self.symmetry(as_of, since)
        if lsi is not None and not lsi.symmetric:
            mine = lsi.mine
            weakness.append(Finding("symmetry_percent", mine.side, round(lsi.percent, 1), mine.observed_at.date(),
                                    mine.entry_id))
        return weakness, foot_drop, history, current

    def state_at(self, as_of: date) -> StrengthState:
        tested = any(s.count_upto(as_of) for s in self.stores.values())
        if not tested:
            return StrengthState()
        heel: dict[str, int] = {}
        heel_ids: dict[str, uuid.UUID] = {}
        heel_dates: dict[str, date] = {}
        for side in ("left", "right"):
            last = self.latest("heel_raises", side, as_of)
            if isinstance(last, HeelRaisesTested):
                heel[side] = last.repetitions
                heel_ids[side] = last.entry_id
                heel_dates[side] = last.observed_at.date()
        lsi = self.symmetry(as_of)
        weakness, foot_drop, history, current = self._findings(as_of)
        comparisons = []
        affected = self.affected
        for key, store in sorted(self.stores.items(), key=lambda kv: str(kv[0])):
            assert isinstance(key, tuple)
            kind, side = key
            if side not in affected:
                continue  # v2: the other leg is the reference, never the subject
            found = compare_latest(kind, side, store, as_of, mic=component_mic(kind),
                                   value=lambda e: float(test_value(e)), shown=shown_value)
            if found is not None:
                comparisons.append(found)
        return StrengthState(
            trend=combine(c.trend for c in comparisons),
            heel_raises=heel or None,
            symmetry_percent=lsi.percent if lsi else None,
            weakness=bool(weakness) if current else None,
            foot_drop=bool(foot_drop) if current else None,
            milestones=tuple(m for m in self.milestones() if m.date <= as_of),
            comparisons=tuple(comparisons),
            weakness_findings=tuple(weakness),
            foot_drop_findings=tuple(foot_drop),
            heel_raise_entries=heel_ids or None,
            tested=True,
            history=tuple(history),
            heel_raise_dates=heel_dates or None,
            latest=latest_results(self.stores, as_of, shown_value),
        )

    def _scan(self, key: Hashable, entries: list[EntryEvent], initial: S, step: Step[S, Hit]) -> tuple[Hit, ...]:
        found = scan(self._scans.get(key), entries, initial, step)  # type: ignore[arg-type]
        self._scans[key] = found
        return found.results

    def milestones(self) -> list[Milestone]:
        """Dated milestones on the affected side(s). Each is awarded once, when first reached:
        a later drop and recovery does not award it again. Each depends only on the tests
        before it (so filtering by date gives the as-of view); they are found per store by
        scans that resume over new tests (``projections.scan``), in projection order."""
        cached = self._cache.get("milestones")
        if isinstance(cached, list):
            return cached
        affected = self.affected
        hits: list[Hit] = []
        for key, store in self.stores.items():
            assert isinstance(key, tuple)
            kind, side = key
            if side not in affected:
                continue
            if kind == "heel_raises":
                hits += self._scan(("milestones", key, affected), list(store), -1, _heel_step)
            elif kind in GRADED_MUSCLES:
                hits += self._scan(("milestones", key, affected), list(store), None, _grade_step)
            elif kind == GaitTest.HEEL_WALK:
                hits += self._scan(("milestones", key, affected), list(store), False, _heel_walk_step)
        if len(affected) == 1:
            side = affected[0]
            mine, theirs = self.store(("heel_raises", side)), self.store(("heel_raises", other_side(side)))
            both = [e for _, e in heapq.merge(mine.keyed(), theirs.keyed(), key=itemgetter(0))]
            start: SymmetryState = (None, None, False)
            hits += self._scan(("symmetry", affected), both, start, _symmetry_step(affected[0]))
        hits.sort(key=itemgetter(0, 1))
        found = [m for _, _, m in hits]
        self._cache["milestones"] = found
        return found

    def copy(self) -> StrengthProjection:
        new = super().copy()
        new._scans = dict(self._scans)  # scans are immutable; each copy extends its own
        return new


# Milestone scans: (entry order, order within the test, milestone), one step per test.
Hit = tuple[Key, int, Milestone]
GRADED_MUSCLES = frozenset(m.value for m in Muscle)
SYMMETRY_SEQ = len(HEEL_RAISE_THRESHOLDS)  # after the thresholds the same test reached


def _hit(event: EntryEvent, seq: int, code: str, side: str) -> Hit:
    return (entry_order(event), seq, Milestone(code, side, event.observed_at.date(), event.entry_id))


def _heel_step(best: int, e: EntryEvent) -> tuple[int, list[Hit]]:
    """State: the most raises so far (each threshold is reached once, by the first test)."""
    assert isinstance(e, HeelRaisesTested)
    hits = [_hit(e, i, f"heel_raises_{t}", e.side) for i, t in enumerate(HEEL_RAISE_THRESHOLDS)
            if best < t <= e.repetitions]
    return max(best, e.repetitions), hits


def _grade_step(best: int | None, e: EntryEvent) -> tuple[int | None, list[Hit]]:
    """State: the best grade so far (the first grading is the baseline: it awards nothing)."""
    assert isinstance(e, MuscleGraded)
    hits = [] if best is None else [_hit(e, g, f"{e.muscle}_grade_{g}", e.side) for g in range(best + 1, e.grade + 1)]
    return (e.grade if best is None else max(best, e.grade)), hits


def _heel_walk_step(done: bool, e: EntryEvent) -> tuple[bool, list[Hit]]:
    assert isinstance(e, GaitChecked)
    if not done and e.result == GaitResult.NORMAL:
        return True, [_hit(e, 0, "heel_walk_normal", e.side)]
    return done, []


SymmetryState = tuple[int | None, int | None, bool]


def _symmetry_step(side: str) -> Step[SymmetryState, Hit]:
    """Over both sides' heel raises in order: the first test after which the affected side's
    latest is ≥ 90 % of the other side's latest."""
    def step(state: SymmetryState, e: EntryEvent) -> tuple[SymmetryState, list[Hit]]:
        assert isinstance(e, HeelRaisesTested)
        mine, theirs, done = state
        if e.side == side:
            mine = e.repetitions
        else:
            theirs = e.repetitions
        if not done and mine is not None and theirs and symmetric(mine, theirs):
            return (mine, theirs, True), [_hit(e, SYMMETRY_SEQ, "symmetry_90", side)]
        return (mine, theirs, done), []
    return step
