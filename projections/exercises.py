"""Exercise response (directional preference): per exercise, its last 3 sessions.

Any session that peripheralized (after > before) → ``stop`` ("pull back"); otherwise ≥ 2
that centralized (after < before) → ``keep`` ("stay on course"); otherwise ``neutral``.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.events import EntryEvent, ExerciseResponseRecorded
from domain.values import region_rank
from projections.dated import Indicator
from projections.entries import same_words

SESSIONS = 3
KEEP_AT = 2


class Verdict(StrEnum):
    KEEP = "keep"
    STOP = "stop"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Session:
    day: date
    before: int
    after: int
    entry_id: uuid.UUID


@dataclass(frozen=True)
class ExerciseVerdict:
    exercise: str
    verdict: Verdict
    sessions: tuple[Session, ...]  # the (up to) 3 sessions judged, oldest first

    @property
    def last_date(self) -> date:
        return self.sessions[-1].day


@dataclass(frozen=True)
class ExercisesState:
    exercises: tuple[ExerciseVerdict, ...] = ()


def session(event: ExerciseResponseRecorded) -> Session:
    return Session(event.observed_at.date(), region_rank(event.extent_before),
                   region_rank(event.extent_after), event.entry_id)


def verdict_for(sessions: tuple[Session, ...]) -> Verdict:
    if any(s.after > s.before for s in sessions):
        return Verdict.STOP
    if sum(s.after < s.before for s in sessions) >= KEEP_AT:
        return Verdict.KEEP
    return Verdict.NEUTRAL


class ExerciseProjection(Indicator[ExercisesState]):
    KEEPS = (ExerciseResponseRecorded,)

    def component(self, event: EntryEvent) -> Hashable | None:
        if isinstance(event, ExerciseResponseRecorded):
            return ("exercise", same_words(event.exercise))
        return None

    def state_at(self, as_of: date) -> ExercisesState:
        verdicts = []
        for store in self.stores.values():
            last = store.last_n_upto(as_of, SESSIONS)
            if not last:
                continue
            name = last[-1]
            assert isinstance(name, ExerciseResponseRecorded)
            sessions = tuple(session(e) for e in last if isinstance(e, ExerciseResponseRecorded))
            verdicts.append(ExerciseVerdict(name.exercise, verdict_for(sessions), sessions))
        # Alphabetical, so the list reads the same whatever order entries arrived in.
        verdicts.sort(key=lambda v: (same_words(v.exercise), v.exercise))
        return ExercisesState(tuple(verdicts))
