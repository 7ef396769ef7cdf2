"""The typed values the session's commands take: kinds of entry and the results views collect.

Views name an entry's kind with ``EntryKind`` (a ``StrEnum`` whose values are the stored
event type names, so forms and summaries keyed by those names accept it) and hand the session
frozen dataclasses with plain fields, never type-name strings of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar, dataclass_transform

from domain.errors import InvalidEntry
from domain.events import EntryEvent


class EntryKind(StrEnum):
    SYMPTOMS = "SymptomsRecorded"
    PAIN = "PainRated"
    WALK = "WalkRecorded"
    HEEL_RAISES = "HeelRaisesTested"
    MUSCLE_GRADE = "MuscleGraded"
    GAIT = "GaitChecked"
    STRAIGHT_LEG_RAISE = "StraightLegRaiseTested"
    SLUMP = "SlumpTested"
    FORWARD_BEND = "ForwardBendTested"
    EXERCISE_RESPONSE = "ExerciseResponseRecorded"
    MEASURE_ANSWERED = "MeasureAnswered"
    MEASURE_ASSIGNED = "MeasureAssigned"
    RED_FLAGS = "RedFlagsChecked"
    RED_FLAGS_ACKNOWLEDGED = "RedFlagAcknowledged"
    NOTE = "NoteAdded"
    REVIEW_NOTE = "ReviewNoteAdded"
    CORRECTION = "EntryCorrected"
    RETRACTION = "EntryRetracted"
    JOURNAL_STARTED = "JournalStarted"


CHECK_IN_KINDS = frozenset({EntryKind.SYMPTOMS, EntryKind.PAIN, EntryKind.WALK, EntryKind.RED_FLAGS,
                            EntryKind.NOTE})
CHANGE_KINDS = frozenset({EntryKind.CORRECTION, EntryKind.RETRACTION})
# What a correction or retraction can change (the start, acknowledgements, review notes and a
# therapist's questionnaire assignment stay).
CORRECTABLE_KINDS = frozenset(EntryKind) - CHANGE_KINDS - {
    EntryKind.JOURNAL_STARTED, EntryKind.RED_FLAGS_ACKNOWLEDGED, EntryKind.REVIEW_NOTE,
    EntryKind.MEASURE_ASSIGNED}


@dataclass(frozen=True)
class PainRating:
    leg: float | None = None
    back: float | None = None
    share_of_day_percent: float | None = None
    episodes: int | None = None

    @property
    def rated(self) -> bool:
        return any(v is not None for v in asdict(self).values())


@dataclass(frozen=True)
class Walk:
    total_minutes: float
    minutes_to_symptoms: float | None = None  # None: no symptoms during the walk
    extent_at_stop: str | None = None


@dataclass(frozen=True)
class CheckIn:
    """What one check-in said (the entries saved together at one observed time), to repeat it."""

    observed_at: datetime
    symptoms: tuple[dict[str, Any], ...] | None = None  # None: no symptom record; (): symptom-free
    context: str | None = None
    pain: PainRating | None = None
    walk: Walk | None = None


@dataclass_transform(frozen_default=True)
class TestResult:
    """A guided test's result; each subclass is one kind of test, a frozen dataclass of that
    test's fields made by naming its KIND: ``class HeelRaises(TestResult, kind=…)``."""

    __test__: ClassVar[bool] = False  # not a pytest test class
    KIND: ClassVar[EntryKind]

    def __init_subclass__(cls, *, kind: EntryKind, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.KIND = kind
        dataclass(frozen=True)(cls)

    def fields(self) -> dict[str, Any]:
        return dict(vars(self))  # the dataclass fields, in order (all flat values)


class HeelRaises(TestResult, kind=EntryKind.HEEL_RAISES):
    side: str
    repetitions: int


class MuscleGrade(TestResult, kind=EntryKind.MUSCLE_GRADE):
    muscle: str
    side: str
    grade: int


class GaitCheck(TestResult, kind=EntryKind.GAIT):
    test: str
    side: str
    result: str


class StraightLegRaise(TestResult, kind=EntryKind.STRAIGHT_LEG_RAISE):
    side: str
    degrees: float


class Slump(TestResult, kind=EntryKind.SLUMP):
    side: str
    result: str
    knee_extension_deficit_degrees: float | None = None


class ForwardBend(TestResult, kind=EntryKind.FORWARD_BEND):
    fingertip_to_floor_cm: float
    extent: str | None = None


class ExerciseResponse(TestResult, kind=EntryKind.EXERCISE_RESPONSE):
    exercise: str
    extent_before: str | None = None
    extent_after: str | None = None


TEST_RESULTS: dict[EntryKind, type[TestResult]] = {
    cls.KIND: cls for cls in (HeelRaises, MuscleGrade, GaitCheck, StraightLegRaise, Slump, ForwardBend,
                              ExerciseResponse)
}


def test_result(kind: EntryKind, values: dict[str, Any]) -> TestResult:
    """The typed result of a test form's values (a form has exactly its kind's fields)."""
    return TEST_RESULTS[kind](**values)


test_result.__test__ = False  # type: ignore[attr-defined]  # not a pytest test function


def plan_check_in(symptoms: Sequence[Mapping[str, Any]], pain: PainRating | None, walk: Walk | None,
                  context: str | None = None, *,
                  symptom_free: bool = False) -> list[tuple[EntryKind, dict[str, Any]]]:
    """The entries a check-in records, in order: only what the user said. Marked regions
    record symptoms; a symptom-free day is recorded only when chosen (SYMPTOM_FREE), never
    inferred from an untouched map (it would feed the centralization sign); an untouched
    form plans nothing."""
    items: list[tuple[EntryKind, dict[str, Any]]] = []
    if symptom_free and symptoms:
        raise InvalidEntry("“No symptoms today” cannot go with marked regions; clear the map or "
                           "the choice", field="symptoms")
    if symptoms or symptom_free:
        items.append((EntryKind.SYMPTOMS, {"symptoms": [dict(s) for s in symptoms], "context": context}))
    if pain is not None and pain.rated:
        items.append((EntryKind.PAIN, {"leg": pain.leg, "back": pain.back,
                                       "share_of_day_percent": pain.share_of_day_percent,
                                       "episodes": pain.episodes}))
    if walk is not None:
        items.append((EntryKind.WALK, {"total_minutes": walk.total_minutes,
                                       "minutes_to_symptoms": walk.minutes_to_symptoms,
                                       "extent_at_stop": walk.extent_at_stop}))
    return items


def check_in_of(newest: Sequence[EntryEvent]) -> CheckIn | None:
    """The check-in of NEWEST, the latest symptoms, pain and walk entries that still count
    (newest first): those observed at the same time as the newest of them (a check-in saves
    them together). Notes are not repeated."""
    if not newest:
        return None
    when = max(e.observed_at for e in newest)
    found = {e.type_name(): e for e in reversed(newest) if e.observed_at == when}
    symptoms, pain, walk = (found.get(k) for k in (EntryKind.SYMPTOMS, EntryKind.PAIN, EntryKind.WALK))
    return CheckIn(
        observed_at=when,
        symptoms=None if symptoms is None else tuple(dict(s) for s in getattr(symptoms, "symptoms", [])),
        context=getattr(symptoms, "context", None),
        pain=None if pain is None else PainRating(
            leg=getattr(pain, "leg", None), back=getattr(pain, "back", None),
            share_of_day_percent=getattr(pain, "share_of_day_percent", None),
            episodes=getattr(pain, "episodes", None)),
        walk=None if walk is None else Walk(
            total_minutes=getattr(walk, "total_minutes", 0),
            minutes_to_symptoms=getattr(walk, "minutes_to_symptoms", None),
            extent_at_stop=getattr(walk, "extent_at_stop", None)))
