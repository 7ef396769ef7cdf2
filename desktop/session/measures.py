"""The outcome measures (PSFS, SBI, PEG) as the desktop asks for them: no Qt here.

Views never read ``domain.measures`` or the projection themselves: the check-in asks which
questionnaires are due (``due_questionnaires``: the projection's due rule, at the session's
"today"), the form saves one answer (``answer``), Review assigns one (``assign``, the reviewer's
own entry, merged back like a note), Progress and the report read each measure's state
(``measure_states``). A measure's items, range and anchors come from the domain's one table.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from domain.errors import InvalidEntry
from domain.events import EntryEvent, MeasureAnswered, MeasureAssigned
from domain.measures import (
    MAX_INTERVAL_DAYS,
    MIN_INTERVAL_DAYS,
    PSFS_MAX_ACTIVITIES,
    PSFS_MIN_ACTIVITIES,
    SPECS,
    Measure,
)
from projections.measures import MeasureScore, MeasureState, score

if TYPE_CHECKING:
    from desktop.session.core import JournalSession

__all__ = ["MAX_INTERVAL_DAYS", "MEASURE_KINDS", "MIN_INTERVAL_DAYS", "PSFS_MAX_ACTIVITIES",
           "PSFS_MIN_ACTIVITIES", "Measure", "MeasureScore", "MeasureState", "Question", "Questionnaire",
           "answer", "answered_questionnaire", "assign", "correct_answer", "due_questionnaires",
           "measure_states", "questionnaire", "score_range", "titles"]

#: The stored type names of the two measure entries (``Changes.touches`` takes them).
MEASURE_KINDS = frozenset({MeasureAssigned.type_name(), MeasureAnswered.type_name()})
DEFAULT_EVERY_DAYS = 14


@dataclass(frozen=True)
class Question:
    item: str  # the item code (SBI, PEG) or the activity's name (PSFS): what the answer stores
    text: str  # what the form asks


@dataclass(frozen=True)
class Questionnaire:
    """One measure as the form shows it: its questions and their 0–HI range with its anchors."""

    measure: str
    title: str
    lo: int
    hi: int
    lo_label: str
    hi_label: str
    questions: tuple[Question, ...]
    assigned_by: str | None = None


def titles() -> dict[str, str]:
    """Each measure's code and title, in the domain's order (Review's choice, the legend)."""
    return {m.value: SPECS[m].title for m in Measure}


def score_range(measure: str) -> tuple[float, float]:
    """The lowest and highest score MEASURE can have (its axis): the projection's score of
    every item at the bottom, then at the top of the range (SBI 0–24, PSFS and PEG 0–10)."""
    spec = SPECS[Measure(measure)]
    items = len(spec.items) if spec.items is not None else PSFS_MIN_ACTIVITIES
    lo, hi = (float(score(measure, [{"value": v}] * items)) for v in (spec.lo, spec.hi))
    return lo, hi


def measure_states(session: JournalSession) -> tuple[MeasureState, ...]:
    """Every measure as of the session's today: assignment, due, latest, trend, history."""
    return session.status().measures.measures


def questionnaire(state: MeasureState) -> Questionnaire:
    """The form of STATE's measure: SBI and PEG ask their fixed items; PSFS asks about the
    activities its assignment names (no assignment, no PSFS form: there is nothing to ask)."""
    return _form(state.measure, state.activities, state.assigned_by)


def answered_questionnaire(event: EntryEvent) -> Questionnaire:
    """The form of an answer already given, to correct it: a PSFS asks about the activities
    that answer rated, whatever the assignment says now."""
    if not isinstance(event, MeasureAnswered):
        raise InvalidEntry("only a questionnaire's answers can be corrected here", field="answers")
    return _form(event.measure, tuple(a["item"] for a in event.answers), None)


def _form(measure: str, activities: Sequence[str], assigned_by: str | None) -> Questionnaire:
    spec = SPECS[Measure(measure)]
    if spec.items is None:
        questions = tuple(Question(name, name) for name in activities)
    else:
        questions = tuple(Question(code, text) for code, text in spec.items)
    return Questionnaire(measure, spec.title, spec.lo, spec.hi, spec.lo_label, spec.hi_label,
                         questions, assigned_by)


def due_questionnaires(session: JournalSession) -> list[Questionnaire]:
    """The questionnaires due today (the projection's rule: assigned, and not answered within
    its interval of at least a week). None while the patient's entries are read-only."""
    if session.readonly:
        return []
    return [questionnaire(s) for s in measure_states(session) if s.due]


def answer(session: JournalSession, measure: str, values: Mapping[str, int | None],
           observed_at: datetime | None = None) -> uuid.UUID:
    """Save the patient's answers to MEASURE (item → value). Every question must be answered:
    a half-filled questionnaire has no score."""
    return session.app.answer_measure(observed_at or session.now(), measure, _answers(values))


def correct_answer(session: JournalSession, entry_id: uuid.UUID, values: Mapping[str, int | None],
                   reason: str) -> uuid.UUID:
    """Correct the answers of the questionnaire ENTRY_ID (its measure, date and note stay);
    the original stays in the history, as with every correction."""
    current = session.effective_entry(entry_id)
    if not isinstance(current, MeasureAnswered):
        raise InvalidEntry("only a questionnaire's answers can be corrected here", field="answers")
    replacement = {**current.fields(), "answers": _answers(values),
                   "observed_at": current.observed_at, "note": current.note}
    return session.correct(entry_id, replacement, reason)


def _answers(values: Mapping[str, int | None]) -> list[dict[str, object]]:
    missing = [item for item, value in values.items() if value is None]
    if missing:
        raise InvalidEntry(f"answer every question before saving ({len(missing)} still open)", field="answers")
    return [{"item": item, "value": value} for item, value in values.items()]


def assign(session: JournalSession, measure: str, every_days: int, activities: Sequence[str] = ()) -> uuid.UUID:
    """Assign MEASURE every EVERY_DAYS days as the therapist reviewing this copy (review mode
    only; it travels back to the patient by the ordinary merge, like a note). Blank activity
    names are dropped; the domain checks the rest (3–5 different names for PSFS)."""
    names = [a.strip() for a in activities if a.strip()] if measure == Measure.PSFS else []
    try:
        return session.app.review_assign_measure(measure, every_days=every_days, activities=names,
                                                 observed_at=session.now())
    except InvalidEntry as exc:
        raise InvalidEntry(_plain(str(exc)), field=exc.field) from None


def _plain(message: str) -> str:
    """The domain's sentence as a form shows it: the measures' codes in capitals, like the
    therapist knows them ("PSFS needs 3–5 activities, got 2."), a capital and a full stop."""
    for m in Measure:
        message = re.sub(rf"\b{m.value}\b", m.value.upper(), message)
    message = message[:1].upper() + message[1:]
    return message if message.endswith(".") else message + "."
