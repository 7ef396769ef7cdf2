"""Red flags: never hidden.

A checklist flag is active at D when the latest checklist on or before D lists it; ``since``
is the date of the first checklist of the unbroken run of checklists listing it.
``progressive_weakness`` (urgency ``today``) is derived from strength tests, never asked:
an MRC grade ≥ 1 lower than the previous grading of that muscle and side; affected-side heel
raises falling by ≥ 6 on two tests in a row; a heel/toe walk ``unable`` after an earlier
``normal``/``impaired`` of that test and side. It stays active from that test until a later
test of the same kind and side no longer shows the drop.

Model v2 (alarm fatigue): in a journal whose affected side is ``both``, ``both_legs`` is the
known presentation, so its urgency is ``soon``; ``cancer_history`` and ``significant_trauma``
are facts of history, active only while D − since < 28 days (a checklist that drops the code
and a later one that lists it again start a new run, so a new 28 days).
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date

from domain.events import (
    EntryEvent,
    GaitChecked,
    HeelRaisesTested,
    MuscleGraded,
    RedFlagAcknowledged,
    RedFlagsChecked,
)
from domain.values import AffectedSide, GaitResult, RedFlag, Urgency
from projections.dated import DatedEntries, Indicator
from projections.scan import Scan, Step, scan
from projections.strength import StrengthProjection
from projections.vocabulary import test_name, urgency_rank

HEEL_RAISE_DROP = 6
GRADE_DROP = 1
CHECKLIST = "checklist"
HISTORY_FLAGS = frozenset({RedFlag.CANCER_HISTORY.value, RedFlag.SIGNIFICANT_TRAUMA.value})
HISTORY_ACTIVE_DAYS = 28
# Urgencies that stop the stage from judging healing (a ``soon`` flag shows its banner only).
STAGE_STOPPING = frozenset({Urgency.EMERGENCY.value, Urgency.TODAY.value})


def urgency_of(code: str, affected_side: str | None) -> str:
    """A flag's urgency in this journal: ``both_legs`` is ``soon`` when both legs are the
    known presentation (v2), every other flag as the model lists it."""
    if code == RedFlag.BOTH_LEGS and affected_side == AffectedSide.BOTH:
        return Urgency.SOON.value
    return RedFlag(code).urgency.value


def history_flag_active(code: str, since: date, as_of: date) -> bool:
    """``cancer_history`` / ``significant_trauma``: a new fact to discuss for 28 days only."""
    return code not in HISTORY_FLAGS or (as_of - since).days < HISTORY_ACTIVE_DAYS


@dataclass(frozen=True)
class ActiveFlag:
    code: str
    urgency: str
    since: date
    entry_ids: tuple[uuid.UUID, ...]  # the checklists (or tests) of the run
    acknowledged: bool = False
    detail: str | None = None


@dataclass(frozen=True)
class FlagRun:
    """One unbroken run of checklists listing a flag (the report's history of red flags)."""

    code: str
    urgency: str
    since: date
    until: date | None
    acknowledged_on: date | None


@dataclass(frozen=True)
class RedFlagsState:
    flags: tuple[ActiveFlag, ...] = ()
    last_checked: date | None = None
    last_checklist_id: uuid.UUID | None = None

    @property
    def stops_stage(self) -> tuple[ActiveFlag, ...]:
        """The active ``emergency`` and ``today`` flags: while any is, the stage is red_flag."""
        return tuple(f for f in self.flags if f.urgency in STAGE_STOPPING)


@dataclass(frozen=True)
class WeaknessMark:
    """One strength test and whether it shows a progressive drop."""

    event: EntryEvent
    dropped: bool
    run_start: date
    run_ids: tuple[uuid.UUID, ...]
    detail: str


# The state of a component's mark scan: the two tests before, whether an earlier heel/toe walk
# was better than ``unable``, and the last mark.
MarkState = tuple[EntryEvent | None, EntryEvent | None, bool, WeaknessMark | None]
NO_MARKS: MarkState = (None, None, False, None)


def mark_step(affected: tuple[str, ...]) -> Step[MarkState, WeaknessMark]:
    """One test of a component (kind and side, in projection order) and whether it shows a
    progressive drop, continuing the run of the mark before it."""
    def step(state: MarkState, test: EntryEvent) -> tuple[MarkState, tuple[WeaknessMark]]:
        a, b, better_seen, last = state
        dropped, detail = False, ""
        if isinstance(test, MuscleGraded) and isinstance(b, MuscleGraded):
            dropped = test.grade <= b.grade - GRADE_DROP
            detail = f"{test_name(test.muscle)} {test.side} grade {b.grade} → {test.grade}"
        elif (isinstance(test, HeelRaisesTested) and test.side in affected
              and isinstance(a, HeelRaisesTested) and isinstance(b, HeelRaisesTested)):
            dropped = (b.repetitions <= a.repetitions - HEEL_RAISE_DROP
                       and test.repetitions <= b.repetitions - HEEL_RAISE_DROP)
            detail = f"{test_name('heel_raises')} {test.side} {a.repetitions} → {b.repetitions} → {test.repetitions}"
        elif isinstance(test, GaitChecked) and test.result == GaitResult.UNABLE:
            dropped = better_seen
            detail = f"{test_name(test.test)} {test.side} unable after an earlier better result"
        if dropped and last is not None and last.dropped:
            mark = WeaknessMark(test, True, last.run_start, (*last.run_ids, test.entry_id), detail)
        else:
            mark = WeaknessMark(test, dropped, test.observed_at.date(), (test.entry_id,), detail)
        better = better_seen or (isinstance(test, GaitChecked) and test.result != GaitResult.UNABLE)
        return (b, test, better, mark), (mark,)
    return step


Runs = dict[str, tuple[date, tuple[uuid.UUID, ...]]]  # flag → (run start, checklist ids of the run)


def _run_step(previous: Runs, checklist: EntryEvent) -> tuple[Runs, tuple[Runs]]:
    """The runs after CHECKLIST: each flag it lists continues the run of the checklist before
    (or starts one on its day); a flag it does not list ends its run."""
    assert isinstance(checklist, RedFlagsChecked)
    current: Runs = {}
    for code in checklist.present:
        start, ids = previous.get(code, (checklist.observed_at.date(), ()))
        current[code] = (start, (*ids, checklist.entry_id))
    return current, (current,)


class RedFlagProjection(Indicator[RedFlagsState]):
    """Checklists in its own store; ``progressive_weakness`` read from the bundle's strength
    projection (the tests are held once)."""

    KEEPS = (RedFlagsChecked,)

    def __init__(self, strength: StrengthProjection) -> None:
        super().__init__()
        self.strength = strength
        self.acknowledgements = DatedEntries()
        self._mark_scans: dict[Hashable, Scan[MarkState, WeaknessMark]] = {}
        self._run_scan: Scan[Runs, Runs] | None = None

    def component(self, event: EntryEvent) -> Hashable | None:
        return CHECKLIST if isinstance(event, RedFlagsChecked) else None

    def observe(self, event: EntryEvent) -> None:
        super().observe(event)
        if isinstance(event, RedFlagAcknowledged):
            self.acknowledgements.add(event)

    def copy_with(self, strength: StrengthProjection) -> RedFlagProjection:
        """An independent copy reading STRENGTH (the copied bundle's)."""
        new = self.copy()
        new.acknowledgements = self.acknowledgements.copy()
        new._mark_scans = dict(self._mark_scans)
        new.strength = strength
        return new

    def _runs(self) -> tuple[Runs, ...]:
        """For each checklist (in order): flag → (run start date, checklist ids of the run).
        Each depends only on the checklists before it, so a scan resumes over new ones (an
        audit replay from a checkpoint walks only the checklists it replays)."""
        cached = self._cache.get("runs")
        if isinstance(cached, tuple):
            return cached
        found = scan(self._run_scan, list(self.store(CHECKLIST)), {}, _run_step)
        self._run_scan = found
        self._cache["runs"] = found.results
        return found.results

    def acknowledged_on(self, code: str, since: date, until: date) -> date | None:
        """The one acknowledgement rule: the first ``RedFlagAcknowledged`` listing CODE dated
        within its run, SINCE … UNTIL (it never hides the flag)."""
        return next((a.observed_at.date() for a in self.acknowledgements.between(since, until)
                     if isinstance(a, RedFlagAcknowledged) and code in a.flags), None)

    def runs(self) -> list[FlagRun]:
        """Every run of every checklist flag, in order: when it was first listed, the day of
        the checklist that no longer listed it (None: still listed), its acknowledgement.
        Read from ``_runs``, so a run starts and breaks by the one rule the active flags use."""
        ended: list[tuple[str, date, date | None]] = []
        previous: Runs = {}
        for checklist, current in zip(self.store(CHECKLIST), self._runs(), strict=True):
            d = checklist.observed_at.date()
            ended += [(code, since, d) for code, (since, _) in previous.items() if code not in current]
            previous = current
        ended += [(code, since, None) for code, (since, _) in previous.items()]
        side = self.journal.affected_side if self.journal else None
        return sorted((FlagRun(code, urgency_of(code, side), since, until,
                               self.acknowledged_on(code, since, until or date.max))
                       for code, since, until in ended), key=lambda r: (r.since, r.code))

    def _marks(self) -> dict[Hashable, tuple[WeaknessMark, ...]]:
        """Marks of every strength test per component, one per test; each depends only on the
        tests before it, so the as-of view is a prefix, and a scan resumes over new tests."""
        affected = self.strength.affected
        stamp = (self.strength.version, affected)
        cached = self._cache.get("marks")
        if isinstance(cached, tuple) and cached[0] == stamp:  # asked once per day of a Progress series
            known: dict[Hashable, tuple[WeaknessMark, ...]] = cached[1]
            return known
        marks: dict[Hashable, tuple[WeaknessMark, ...]] = {}
        for key, store in self.strength.stores.items():
            found = scan(self._mark_scans.get((key, affected)), list(store), NO_MARKS, mark_step(affected))
            self._mark_scans[(key, affected)] = found
            marks[key] = found.results
        self._cache["marks"] = (stamp, marks)
        return marks

    def warm(self) -> None:
        """Walk the run and weakness-mark scans now (a checkpoint about to be kept)."""
        self._runs()
        self._marks()

    def progressive_weakness(self, as_of: date) -> ActiveFlag | None:
        active: list[WeaknessMark] = []
        marks = self._marks()
        for key, store in self.strength.stores.items():
            count = store.count_upto(as_of)
            if count and marks[key][count - 1].dropped:
                active.append(marks[key][count - 1])
        if not active:
            return None
        since = min(m.run_start for m in active)
        ids = tuple(i for m in active for i in m.run_ids)
        return ActiveFlag(RedFlag.PROGRESSIVE_WEAKNESS.value, Urgency.TODAY.value, since, ids,
                          detail="; ".join(m.detail for m in active))

    def state_at(self, as_of: date) -> RedFlagsState:
        checklists = self.store(CHECKLIST)
        count = checklists.count_upto(as_of)
        flags: list[ActiveFlag] = []
        last_checked, last_id = None, None
        if count:
            latest = checklists.last_upto(as_of)
            assert latest is not None
            last_checked, last_id = latest.observed_at.date(), latest.entry_id
            side = self.journal.affected_side if self.journal else None
            for code, (since, ids) in self._runs()[count - 1].items():
                if history_flag_active(code, since, as_of):
                    flags.append(ActiveFlag(code, urgency_of(code, side), since, ids,
                                            self.acknowledged_on(code, since, as_of) is not None))
        weakness = self.progressive_weakness(as_of)
        if weakness is not None:
            flags.append(weakness)
        flags.sort(key=lambda f: (urgency_rank(f.urgency), f.since, f.code))
        return RedFlagsState(tuple(flags), last_checked, last_id)
