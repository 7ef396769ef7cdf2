"""The journal's events: one class per type of ``shared/docs/interchange.md``.

Every entry is its own single-event stream (``originator_id`` = ``entry_id``, version 1,
``timestamp`` = when it was first recorded); see ``docs/aggregate-design.md`` for why.
Stored topics are ``domain.events:<Class>``: never move or rename these classes without
``register_topic``. Fields hold plain values (str, int, float, list, dict, datetime, date)
so the JSON transcoder stores them without custom types.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NotRequired, TypedDict, cast

from eventsourcing.domain import DomainEvent

from domain import fields as f
from domain import validation as v
from domain.errors import InvalidEntry
from domain.values import (
    AffectedSide,
    AuthorRole,
    GaitResult,
    GaitTest,
    Muscle,
    Region,
    Side,
    SlumpResult,
)

FieldSpec = tuple[str, v.Parser, str]  # (field name, parser, label used in messages)


class EntryEvent(DomainEvent):
    """An observation (or a change to one) made by the patient or a therapist."""

    observed_at: datetime
    author_role: str
    author_name: str
    note: str | None

    class_version = 1  # every type is at version 1 (bump one with an upcast method when it changes)
    FIELDS: ClassVar[tuple[FieldSpec, ...]] = ()
    AUTHOR_ROLE: ClassVar[AuthorRole] = AuthorRole.PATIENT
    CORRECTABLE: ClassVar[bool] = True
    HAS_CHECK: ClassVar[bool] = False  # whether the type has cross-field rules (``check``)
    #: Free-text fields whose values repeat across entries, shared when read (``domain.codec``).
    REPEATED_TEXT: ClassVar[tuple[str, ...]] = ("author_name",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.HAS_CHECK = (cls.check.__func__ is not EntryEvent.check.__func__  # type: ignore[attr-defined]
                         or cls.check_many.__func__ is not EntryEvent.check_many.__func__)  # type: ignore[attr-defined]

    if TYPE_CHECKING:
        @property
        def entry_id(self) -> uuid.UUID: ...

        @property
        def recorded_at(self) -> datetime: ...
    else:
        # Read for every entry by every projection: a C-level getter, not a Python function.
        entry_id = property(attrgetter("originator_id"), doc="The entry's id (its stream id).")
        recorded_at = property(attrgetter("timestamp"), doc="When the entry was first recorded.")

    @classmethod
    def type_name(cls) -> str:
        return cls.__name__

    def fields(self) -> dict[str, Any]:
        """The type-specific fields, in the documented order."""
        return {name: getattr(self, name) for name, _, _ in self.FIELDS}

    @classmethod
    def parse_fields(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Validate and normalise the type-specific fields; unknown keys are errors."""
        known = _field_names(cls)
        for key in raw:
            if key not in known:
                raise InvalidEntry(
                    f"unknown field {key!r} for {cls.type_name()} "
                    f"(expected {', '.join(sorted(known)) or 'none'})", field=key)
        fields = {name: rule.parse(raw.get(name), name, label) for name, rule, label in cls.FIELDS}
        cls.check(fields)
        return fields

    @classmethod
    def check(cls, fields: Mapping[str, Any]) -> None:
        """Rules across fields, for new and stored entries alike; subclasses override this or
        ``check_many``."""
        if cls.check_many.__func__ is not EntryEvent.check_many.__func__:  # type: ignore[attr-defined]
            cls.check_many((fields,))

    @classmethod
    def check_many(cls, states: Sequence[Mapping[str, Any]]) -> None:
        """``check`` of each of STATES (stored entries read in a batch). A type whose rule can
        look at a whole batch at once in C defines it here and ``check`` is then this on one."""
        check = cls.check
        for fields in states:
            check(fields)

    @classmethod
    def stored_schema(cls) -> type[Any]:
        """The stored state as a ``msgspec`` type: every field's ``Rule.stored`` (bounds,
        choices, text form) and the times every entry has. The codec decodes with it, so a
        value out of its field's range is refused on every read (see ``domain.codec``)."""
        schema = _SCHEMAS.get(cls)
        if schema is None:
            fields = {"class_version": NotRequired[int],
                      "timestamp": v.STORED_RECORDED, "observed_at": v.STORED_OBSERVED,
                      "author_role": Literal[tuple(r.value for r in AuthorRole)],
                      "author_name": str, "note": _NOTE_RULE.stored,
                      **{name: rule.stored for name, rule, _ in cls.FIELDS}}
            schema = _SCHEMAS[cls] = cast(Any, TypedDict)(f"Stored{cls.__name__}", fields)
        return schema

    @classmethod
    def check_stored_texts(cls, states: Sequence[Mapping[str, Any]]) -> None:
        """DamagedEntry unless every text in STATES (stored states of this type) is stored text
        (``v.stored_texts_hold``): part of each value's stored form with ``stored_schema``, so
        the codec runs it on what it decodes and ``check_stored`` on what it converts; checked
        field by field over all of STATES at once."""
        for name, get, texts in _text_fields(cls):
            if not v.stored_texts_hold(texts(map(get, states))):
                raise DamagedEntry(f"a stored {cls.type_name()} entry is damaged: its {name} is not text as "
                                   "the app stores it (empty, with spaces at an end, or with a NUL character)")

    @classmethod
    def check_rules(cls, state: Mapping[str, Any]) -> None:
        """DamagedEntry unless a stored state (already of ``stored_schema``) keeps the rules a
        type cannot say: the cross-field rules (``check``) and the years a time may have."""
        cls.check_stored_states((state,))

    @classmethod
    def check_stored_states(cls, states: Sequence[Mapping[str, Any]]) -> None:
        """``check_rules`` of every one of STATES (of this type), with one pass in C per rule
        where the rule allows it (``verify_journal`` checks a 10-year log in batches)."""
        if not states:
            return
        lo, hi = v.YEARS
        observed, recorded = map(_YEAR, map(_OBSERVED, states)), map(_YEAR, map(_RECORDED, states))
        years = [*observed, *recorded]
        if min(years) < lo or max(years) > hi:
            raise DamagedEntry(f"a stored {cls.type_name()} entry has a time outside {lo}–{hi}")
        if cls.HAS_CHECK:
            try:
                cls.check_many(states)
            except InvalidEntry as exc:
                raise DamagedEntry(f"a stored {cls.type_name()} entry is damaged: {exc}") from None


_OBSERVED, _RECORDED, _YEAR = itemgetter("observed_at"), itemgetter("timestamp"), attrgetter("year")
_SCHEMAS: dict[type[EntryEvent], type[Any]] = {}
_NOTE_RULE = v.text(optional=True)


_FIELD_NAMES: dict[type[EntryEvent], frozenset[str]] = {}
_TEXT_FIELDS: dict[type[EntryEvent], tuple[tuple[str, Callable[[Any], Any], v.Texts], ...]] = {}


def _text_fields(cls: type[EntryEvent]) -> tuple[tuple[str, Callable[[Any], Any], v.Texts], ...]:
    """(name, its getter, its ``Rule.texts``) of each field of CLS that holds text, the note too."""
    try:
        return _TEXT_FIELDS[cls]
    except KeyError:
        rules = (("note", _NOTE_RULE), *((name, rule) for name, rule, _ in cls.FIELDS))
        fields = _TEXT_FIELDS[cls] = tuple((name, itemgetter(name), rule.texts) for name, rule in rules
                                           if rule.texts is not None)
        return fields


def _field_names(cls: type[EntryEvent]) -> frozenset[str]:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = _FIELD_NAMES[cls] = frozenset(name for name, _, _ in cls.FIELDS)
        return names


_LEG_SIDE = v.choice(Side, exclude=("center",))


class JournalStarted(EntryEvent):
    patient: str
    affected_side: str
    onset_date: date

    CORRECTABLE = False
    FIELDS = (
        ("patient", v.text(max_len=200), "patient name"),
        ("affected_side", v.choice(AffectedSide), "affected side"),
        ("onset_date", v.calendar_date, "onset date"),
    )


class SymptomsRecorded(EntryEvent):
    symptoms: list[dict[str, Any]]
    context: str | None

    REPEATED_TEXT = ("author_name", "context")

    FIELDS = (
        ("symptoms", f.symptoms, "symptoms"),
        ("context", v.text(optional=True, max_len=100), "context"),
    )

    @classmethod
    def check_many(cls, states: Sequence[Mapping[str, Any]]) -> None:
        f.check_symptom_sides_of(list(map(_SYMPTOMS, states)))


class PainRated(EntryEvent):
    leg: float | None
    back: float | None
    share_of_day_percent: float | None
    episodes: int | None

    FIELDS = (
        ("leg", v.number(0, 10, optional=True), "leg pain"),
        ("back", v.number(0, 10, optional=True), "back pain"),
        ("share_of_day_percent", v.number(0, 100, optional=True), "share of day with symptoms"),
        ("episodes", v.number(0, 1000, whole=True, optional=True), "episodes"),
    )

    @classmethod
    def check_many(cls, states: Sequence[Mapping[str, Any]]) -> None:
        if _NO_PAIN_VALUES in map(_PAIN_VALUES, states):  # one C pass over a batch
            raise InvalidEntry("a pain rating needs at least one of leg, back, "
                               "share_of_day_percent or episodes", field="leg")


_PAIN_VALUES = itemgetter(*(name for name, _, _ in PainRated.FIELDS))
_NO_PAIN_VALUES = (None,) * len(PainRated.FIELDS)
_SYMPTOMS = itemgetter("symptoms")


class WalkRecorded(EntryEvent):
    total_minutes: float
    minutes_to_symptoms: float | None
    extent_at_stop: str | None

    FIELDS = (
        ("total_minutes", v.number(0, 1440, lo_open=True), "walk total minutes"),
        ("minutes_to_symptoms", v.number(0, 1440, optional=True), "minutes until symptoms"),
        ("extent_at_stop", v.choice(Region, optional=True), "extent at stop"),
    )

    @classmethod
    def check(cls, fields: Mapping[str, Any]) -> None:
        before = fields["minutes_to_symptoms"]
        if before is not None and before > fields["total_minutes"]:
            raise InvalidEntry(f"minutes until symptoms ({before}) cannot be more than the walk's "
                               f"total minutes ({fields['total_minutes']})", field="minutes_to_symptoms")


class HeelRaisesTested(EntryEvent):
    side: str
    repetitions: int

    FIELDS = (
        ("side", _LEG_SIDE, "side"),
        ("repetitions", v.number(0, 200, whole=True), "heel raises"),
    )


class MuscleGraded(EntryEvent):
    muscle: str
    side: str
    grade: int

    FIELDS = (
        ("muscle", v.choice(Muscle), "muscle"),
        ("side", _LEG_SIDE, "side"),
        ("grade", v.number(0, 5, whole=True), "muscle grade"),
    )


class GaitChecked(EntryEvent):
    test: str
    side: str
    result: str

    FIELDS = (
        ("test", v.choice(GaitTest), "walk test"),
        ("side", _LEG_SIDE, "side"),
        ("result", v.choice(GaitResult), "result"),
    )


class StraightLegRaiseTested(EntryEvent):
    side: str
    degrees: float

    FIELDS = (
        ("side", _LEG_SIDE, "side"),
        ("degrees", v.number(0, 120), "straight-leg raise angle (degrees)"),
    )


class SlumpTested(EntryEvent):
    side: str
    result: str
    knee_extension_deficit_degrees: float | None

    FIELDS = (
        ("side", _LEG_SIDE, "side"),
        ("result", v.choice(SlumpResult), "slump result"),
        ("knee_extension_deficit_degrees", v.number(0, 180, optional=True),
         "knee extension deficit (degrees)"),
    )


class ForwardBendTested(EntryEvent):
    fingertip_to_floor_cm: float
    extent: str | None

    FIELDS = (
        ("fingertip_to_floor_cm", v.number(-40, 120), "fingertip-to-floor distance (cm)"),
        ("extent", v.choice(Region, optional=True), "extent reached"),
    )


class ExerciseResponseRecorded(EntryEvent):
    exercise: str
    extent_before: str | None
    extent_after: str | None

    FIELDS = (
        ("exercise", v.text(max_len=200), "exercise"),
        ("extent_before", v.choice(Region, optional=True), "extent before"),
        ("extent_after", v.choice(Region, optional=True), "extent after"),
    )


class RedFlagsChecked(EntryEvent):
    present: list[str]

    FIELDS = (("present", f.flag_list(allow_empty=True), "red flags present"),)


class RedFlagAcknowledged(EntryEvent):
    flags: list[str]

    CORRECTABLE = False
    FIELDS = (("flags", f.flag_list(allow_empty=False), "acknowledged flags"),)


class NoteAdded(EntryEvent):
    text: str

    FIELDS = (("text", v.text(), "note text"),)


class EntryCorrected(EntryEvent):
    """Replaces an earlier entry's values; ``replacement`` holds the target type's fields
    plus ``observed_at`` (a datetime) and ``note``."""

    target: uuid.UUID
    replacement: dict[str, Any]
    reason: str

    CORRECTABLE = False
    FIELDS = (
        ("target", v.entry_id(), "target entry"),
        # Checked against the corrected entry's own type (``RecoveryJournal``, ``check_stored``).
        ("replacement", v.Rule(lambda value, field, label: value, dict[str, Any]), "replacement"),
        ("reason", v.text(max_len=2000), "reason for the correction"),
    )

    @staticmethod
    def revive_stored(state: dict[str, Any]) -> None:
        """The replacement's observed time, stored as ISO text inside a plain dict (the codec
        types top-level fields only; see ``domain.codec``)."""
        replacement = state.get("replacement")
        if isinstance(replacement, dict) and isinstance(replacement.get("observed_at"), str):
            try:
                replacement["observed_at"] = datetime.fromisoformat(replacement["observed_at"])
            except ValueError:
                pass  # left as text: ``check_stored`` names it as damaged


class EntryRetracted(EntryEvent):
    target: uuid.UUID
    reason: str

    CORRECTABLE = False
    FIELDS = (
        ("target", v.entry_id(), "target entry"),
        ("reason", v.text(max_len=2000), "reason for the retraction"),
    )


class ReviewNoteAdded(EntryEvent):
    """Therapist-authored; ``about`` is an entry id, or None for the journal as a whole."""

    therapist: str
    text: str
    about: uuid.UUID | None

    REPEATED_TEXT = ("author_name", "therapist")

    AUTHOR_ROLE = AuthorRole.THERAPIST
    CORRECTABLE = False
    FIELDS = (
        ("therapist", v.text(max_len=200), "therapist name"),
        ("text", v.text(), "review note text"),
        ("about", v.entry_id(optional=True), "about entry"),
    )


# The outcome measures live in their own module, which builds on the classes above; they are
# stored and imported as ``domain.events:<Class>``, like every other type.
from domain.measure_events import MeasureAnswered as MeasureAnswered  # noqa: E402, PLC0414
from domain.measure_events import MeasureAssigned as MeasureAssigned  # noqa: E402, PLC0414

EVENT_TYPES: dict[str, type[EntryEvent]] = {
    cls.__name__: cls
    for cls in (
        JournalStarted, SymptomsRecorded, PainRated, WalkRecorded, HeelRaisesTested,
        MuscleGraded, GaitChecked, StraightLegRaiseTested, SlumpTested, ForwardBendTested,
        ExerciseResponseRecorded, RedFlagsChecked, RedFlagAcknowledged, NoteAdded,
        EntryCorrected, EntryRetracted, ReviewNoteAdded, MeasureAssigned, MeasureAnswered,
    )
}

# The stored topic of each type (``domain.events:<Class>``).
STORED_TOPICS: frozenset[str] = frozenset(f"{cls.__module__}:{cls.__qualname__}" for cls in EVENT_TYPES.values())
STARTED_TOPIC = f"{JournalStarted.__module__}:{JournalStarted.__qualname__}"

# Types that record an observation and so can be corrected or retracted.
OBSERVATION_TYPES: frozenset[str] = frozenset(
    name for name, cls in EVENT_TYPES.items() if cls.CORRECTABLE
)


def event_class(type_name: str) -> type[EntryEvent]:
    try:
        return EVENT_TYPES[type_name]
    except KeyError:
        raise InvalidEntry(f"unknown entry type {type_name!r}", field="type") from None


def make_entry(
    cls: type[EntryEvent],
    *,
    entry_id: uuid.UUID,
    observed_at: datetime,
    recorded_at: datetime,
    author_role: str,
    author_name: str,
    note: str | None,
    fields: Mapping[str, Any],
) -> EntryEvent:
    """Construct an event from already validated fields."""
    return cls(  # type: ignore[call-arg]
        originator_id=entry_id,
        originator_version=1,
        timestamp=recorded_at,
        observed_at=observed_at,
        author_role=author_role,
        author_name=author_name,
        note=note,
        **fields,
    )


class DamagedEntry(ValueError):
    """A stored event, as read back from a file, does not hold what its type requires."""


def corrected_view(original: EntryEvent, correction: EntryCorrected) -> EntryEvent:
    """The original entry as its correction says it should have been: same id, author and
    recorded time; the replacement's values and observed time."""
    replacement = dict(correction.replacement)
    observed_at = replacement.pop("observed_at", None) or original.observed_at
    if isinstance(observed_at, str):
        observed_at = v.observed_time(observed_at)
    note = replacement.pop("note", original.note)
    return make_entry(
        type(original),
        entry_id=original.entry_id,
        observed_at=observed_at,
        recorded_at=original.recorded_at,
        author_role=original.author_role,
        author_name=original.author_name,
        note=note,
        fields=replacement,
    )
