"""Hypothesis strategies for valid journal entries, as interchange objects (JSON lines).

``journal_lines()`` draws a whole valid journal: a JournalStarted line, then observations,
corrections and retractions of earlier observations, review notes and acknowledgements,
each with its own entry id so later lines can point at earlier ones.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from domain.values import (
    ASKED_RED_FLAGS,
    AffectedSide,
    GaitResult,
    GaitTest,
    Muscle,
    Region,
    Sensation,
    SlumpResult,
)

REGIONS = [r.value for r in Region]
LEG_REGIONS = [r.value for r in Region if r is not Region.LOW_BACK_CENTER]
LEG_SIDES = ["left", "right"]
FLAGS = [f.value for f in ASKED_RED_FLAGS]

# Any character a person could type, including the awkward ones: line separators
# (U+2028, U+0085), tabs, emoji, right-to-left text. Never NUL or a lone surrogate.
_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def texts(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(_CHARS, min_size=1, max_size=max_size).filter(lambda s: s.strip() != "")


def numbers(lo: float, hi: float, *, whole: bool = False) -> st.SearchStrategy[Any]:
    ints = st.integers(int(lo), int(hi))
    if whole:
        return ints
    return st.one_of(ints, st.floats(lo, hi, allow_nan=False, allow_infinity=False))


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def naive_times() -> st.SearchStrategy[datetime]:
    # Observed times lie between the onset (journal_started_fields: before 1950) and now: issue 14
    # made an import refuse entries observed before the onset or more than a day ahead.
    return st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2025, 12, 31))


def observed_ats() -> st.SearchStrategy[str]:
    """A bare date (noon) or a local date-time, as the interchange spells them."""
    return st.one_of(
        naive_times().map(lambda d: d.date().isoformat()),
        naive_times().map(lambda d: d.replace(microsecond=0).isoformat()),
        naive_times().map(lambda d: d.isoformat(timespec="minutes")),
    )


def recorded_ats() -> st.SearchStrategy[str]:
    offsets = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
    return st.builds(
        lambda d, tz: d.replace(tzinfo=tz).isoformat(),
        st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31)),
        st.one_of(st.just(UTC), offsets),
    )


def symptom() -> st.SearchStrategy[dict[str, Any]]:
    centre = st.fixed_dictionaries({
        "region": st.just("low_back_center"), "side": st.just("center"),
        "sensation": st.sampled_from([s.value for s in Sensation]), "intensity": numbers(0, 10)})
    sided = st.fixed_dictionaries({
        "region": st.sampled_from(LEG_REGIONS), "side": st.sampled_from(LEG_SIDES),
        "sensation": st.sampled_from([s.value for s in Sensation]), "intensity": numbers(0, 10)})
    return st.one_of(centre, sided)


@st.composite
def pain_fields(draw: st.DrawFn) -> dict[str, Any]:
    fields = {
        "leg": draw(optional(numbers(0, 10))),
        "back": draw(optional(numbers(0, 10))),
        "share_of_day_percent": draw(optional(numbers(0, 100))),
        "episodes": draw(optional(numbers(0, 1000, whole=True))),
    }
    if all(value is None for value in fields.values()):
        fields["leg"] = draw(numbers(0, 10))
    return fields


@st.composite
def walk_fields(draw: st.DrawFn) -> dict[str, Any]:
    total = draw(st.one_of(st.integers(1, 1440), st.floats(0.01, 1440)))
    before = draw(optional(st.floats(0, 1).map(lambda share: round(total * share, 2))))
    if before is not None and before > total:
        before = total
    return {"total_minutes": total, "minutes_to_symptoms": before,
            "extent_at_stop": draw(optional(st.sampled_from(REGIONS)))}


# Fields of every observation type (the correctable ones), keyed by type name.
OBSERVATION_FIELDS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "SymptomsRecorded": st.fixed_dictionaries(
        {"symptoms": st.lists(symptom(), max_size=4)},
        optional={"context": optional(texts(100))}),
    "PainRated": pain_fields(),
    "WalkRecorded": walk_fields(),
    "HeelRaisesTested": st.fixed_dictionaries(
        {"side": st.sampled_from(LEG_SIDES), "repetitions": numbers(0, 200, whole=True)}),
    "MuscleGraded": st.fixed_dictionaries(
        {"muscle": st.sampled_from([m.value for m in Muscle]), "side": st.sampled_from(LEG_SIDES),
         "grade": numbers(0, 5, whole=True)}),
    "GaitChecked": st.fixed_dictionaries(
        {"test": st.sampled_from([t.value for t in GaitTest]), "side": st.sampled_from(LEG_SIDES),
         "result": st.sampled_from([r.value for r in GaitResult])}),
    "StraightLegRaiseTested": st.fixed_dictionaries(
        {"side": st.sampled_from(LEG_SIDES), "degrees": numbers(0, 120)}),
    "SlumpTested": st.fixed_dictionaries(
        {"side": st.sampled_from(LEG_SIDES), "result": st.sampled_from([r.value for r in SlumpResult])},
        optional={"knee_extension_deficit_degrees": optional(numbers(0, 180))}),
    "ForwardBendTested": st.fixed_dictionaries(
        {"fingertip_to_floor_cm": numbers(-40, 120), "extent": optional(st.sampled_from(REGIONS))}),
    "ExerciseResponseRecorded": st.fixed_dictionaries(
        {"exercise": texts(200), "extent_before": optional(st.sampled_from(REGIONS)),
         "extent_after": optional(st.sampled_from(REGIONS))}),
    "RedFlagsChecked": st.fixed_dictionaries(
        {"present": st.lists(st.sampled_from(FLAGS), max_size=3, unique=True)}),
    "NoteAdded": st.fixed_dictionaries({"text": texts()}),
}


def journal_started_fields() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({
        "patient": texts(60),
        "affected_side": st.sampled_from([s.value for s in AffectedSide]),
        "onset_date": st.dates(min_value=date(1900, 1, 1), max_value=date(1950, 1, 1)).map(lambda d: d.isoformat()),
    })


@st.composite
def entry_line(draw: st.DrawFn, type_name: str, fields: dict[str, Any], *,
               with_recorded_at: bool) -> dict[str, Any]:
    line: dict[str, Any] = {"type": type_name, "entry_id": str(draw(st.uuids())),
                            "observed_at": draw(observed_ats()), **fields}
    if with_recorded_at and draw(st.booleans()):
        line["recorded_at"] = draw(recorded_ats())
    if draw(st.integers(0, 3)) == 0:
        line["note"] = draw(texts())
    return line


@st.composite
def journal_lines(draw: st.DrawFn, *, max_entries: int = 12,
                  with_recorded_at: bool = True) -> list[dict[str, Any]]:
    """A valid journal as interchange objects; the first line is JournalStarted."""
    lines = [draw(entry_line("JournalStarted", draw(journal_started_fields()),
                             with_recorded_at=with_recorded_at))]
    observations: list[tuple[str, str]] = []  # (entry_id, type) of correctable entries
    for _ in range(draw(st.integers(0, max_entries))):
        kinds = ["observation", "acknowledgement", "review"]
        if observations:
            kinds += ["correction", "retraction"]
        kind = draw(st.sampled_from(kinds))
        if kind == "observation":
            type_name = draw(st.sampled_from(sorted(OBSERVATION_FIELDS)))
            line = draw(entry_line(type_name, draw(OBSERVATION_FIELDS[type_name]),
                                   with_recorded_at=with_recorded_at))
            observations.append((line["entry_id"], type_name))
        elif kind == "acknowledgement":
            flags = draw(st.lists(st.sampled_from(FLAGS), min_size=1, max_size=3, unique=True))
            line = draw(entry_line("RedFlagAcknowledged", {"flags": flags},
                                   with_recorded_at=with_recorded_at))
        elif kind == "review":
            about = draw(optional(st.sampled_from([ln["entry_id"] for ln in lines])))
            line = draw(entry_line("ReviewNoteAdded",
                                   {"therapist": draw(texts(60)), "text": draw(texts()), "about": about},
                                   with_recorded_at=with_recorded_at))
        elif kind == "correction":
            target, target_type = draw(st.sampled_from(observations))
            replacement = dict(draw(OBSERVATION_FIELDS[target_type]))
            if draw(st.booleans()):
                replacement["type"] = target_type
            if draw(st.booleans()):
                replacement["observed_at"] = draw(observed_ats())
            line = draw(entry_line("EntryCorrected",
                                   {"target": target, "replacement": replacement, "reason": draw(texts())},
                                   with_recorded_at=with_recorded_at))
        else:
            target, _ = draw(st.sampled_from(observations))
            line = draw(entry_line("EntryRetracted", {"target": target, "reason": draw(texts())},
                                   with_recorded_at=with_recorded_at))
        used = {earlier["entry_id"] for earlier in lines}
        spare = 1
        while line["entry_id"] in used:  # hypothesis likes to repeat values
            line["entry_id"] = str(uuid.UUID(int=(1 << 100) + spare))
            spare += 1
        lines.append(line)
    return lines
