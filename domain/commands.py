"""The journal's commands: one imperative method per thing a person records, each validated
by the ``RecoveryJournal`` aggregate and stored by ``JournalApp._store`` (a mixin of
``JournalApp``, kept apart so the service's file holds opening, loading and storing)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.errors import InvalidEntry, ReadOnlyJournal
from domain.events import EntryEvent
from domain.journal import RecoveryJournal

if TYPE_CHECKING:
    from domain.review import TherapistReview


class JournalCommands:
    """Commands and the review model of an open journal (see ``JournalApp``)."""

    path: Path
    journal: RecoveryJournal
    reviewer: str | None
    _log: list[EntryEvent]

    def _store(self, events: list[EntryEvent], **save_kwargs: Any) -> None:
        raise NotImplementedError  # JournalApp stores

    @property
    def journal_id(self) -> uuid.UUID:
        raise NotImplementedError  # JournalApp knows it

    # Commands ------------------------------------------------------------------------------

    def record(self, type_name: str, fields: Mapping[str, Any], *,
               observed_at: datetime | date | str, note: str | None = None) -> uuid.UUID:
        """Record one patient observation of TYPE_NAME (see interchange.md)."""
        event = self.journal.decide(type_name, fields, observed_at=observed_at, note=note)
        self._store([event])
        return event.entry_id

    def record_symptoms(self, observed_at: datetime | date | str, symptoms: list[dict[str, Any]],
                        context: str | None = None, note: str | None = None) -> uuid.UUID:
        return self.record("SymptomsRecorded", {"symptoms": symptoms, "context": context},
                           observed_at=observed_at, note=note)

    def rate_pain(self, observed_at: datetime | date | str, *, leg: float | None = None,
                  back: float | None = None, share_of_day_percent: float | None = None,
                  episodes: int | None = None, note: str | None = None) -> uuid.UUID:
        return self.record("PainRated", {"leg": leg, "back": back,
                                         "share_of_day_percent": share_of_day_percent,
                                         "episodes": episodes}, observed_at=observed_at, note=note)

    def record_walk(self, observed_at: datetime | date | str, *, total_minutes: float,
                    minutes_to_symptoms: float | None, extent_at_stop: str | None,
                    note: str | None = None) -> uuid.UUID:
        return self.record("WalkRecorded", {"total_minutes": total_minutes,
                                            "minutes_to_symptoms": minutes_to_symptoms,
                                            "extent_at_stop": extent_at_stop},
                           observed_at=observed_at, note=note)

    def check_red_flags(self, observed_at: datetime | date | str, present: list[str],
                        note: str | None = None) -> uuid.UUID:
        return self.record("RedFlagsChecked", {"present": present}, observed_at=observed_at, note=note)

    def acknowledge_red_flags(self, observed_at: datetime | date | str, flags: list[str]) -> uuid.UUID:
        return self.record("RedFlagAcknowledged", {"flags": flags}, observed_at=observed_at)

    def add_note(self, observed_at: datetime | date | str, text: str) -> uuid.UUID:
        return self.record("NoteAdded", {"text": text}, observed_at=observed_at)

    def correct(self, entry_id: uuid.UUID, replacement: Mapping[str, Any], reason: str,
                observed_at: datetime | None = None) -> uuid.UUID:
        """Replace an earlier entry's values; the original stays in the history."""
        return self.record("EntryCorrected", {"target": entry_id, "replacement": replacement, "reason": reason},
                           observed_at=observed_at or datetime.now())

    def retract(self, entry_id: uuid.UUID, reason: str,
                observed_at: datetime | None = None) -> uuid.UUID:
        """Withdraw an earlier entry; it stays in the history, marked retracted."""
        return self.record("EntryRetracted", {"target": entry_id, "reason": reason},
                           observed_at=observed_at or datetime.now())

    def annotate(self, therapist: str, text: str, about: uuid.UUID | None = None,
                 observed_at: datetime | None = None) -> uuid.UUID:
        """A therapist's review note about an entry (or the journal as a whole)."""
        return self.record("ReviewNoteAdded", {"therapist": therapist, "text": text, "about": about},
                           observed_at=observed_at or datetime.now())

    def assign_measure(self, therapist: str, measure: str, *, every_days: int,
                       activities: list[str] | None = None,
                       observed_at: datetime | date | str | None = None) -> uuid.UUID:
        """A therapist asks for an outcome measure every EVERY_DAYS days (≥ 7; PSFS: its activities)."""
        return self.record("MeasureAssigned", {"therapist": therapist, "measure": measure,
                                               "every_days": every_days, "activities": activities or []},
                           observed_at=observed_at or datetime.now())

    def answer_measure(self, observed_at: datetime | date | str, measure: str,
                       answers: list[dict[str, Any]], note: str | None = None) -> uuid.UUID:
        """The patient's answers to an outcome measure: ``[{item, value}, ...]``."""
        return self.record("MeasureAnswered", {"measure": measure, "answers": answers},
                           observed_at=observed_at, note=note)

    # Review ---------------------------------------------------------------------------------

    def review_assign_measure(self, measure: str, *, every_days: int, activities: list[str] | None = None,
                              observed_at: datetime | None = None) -> uuid.UUID:
        """Assign a measure as the therapist this file is open for (``open_for_review``)."""
        if self.reviewer is None:
            raise ReadOnlyJournal(f"{self.path}: open the journal for review (as a therapist) "
                                  "to assign a measure")
        return self.assign_measure(self.reviewer, measure, every_days=every_days, activities=activities,
                                   observed_at=observed_at)

    def review_note(self, text: str, *, about: uuid.UUID | None = None,
                    observed_at: datetime | None = None) -> uuid.UUID:
        """Add a review note as the therapist this file is open for (``open_for_review``)."""
        if self.reviewer is None:
            raise ReadOnlyJournal(f"{self.path}: open the journal for review (as a therapist) "
                                  "to add review notes")
        return self.annotate(self.reviewer, text, about, observed_at)

    def review(self, therapist: str | None = None) -> TherapistReview:
        """The review model of THERAPIST (default: the therapist reviewing this file)."""
        from domain.review import TherapistReview

        name = therapist or self.reviewer
        if not name:
            raise InvalidEntry("name the therapist whose review to show", field="therapist")
        return TherapistReview.from_events(self.journal_id, name, self._log)
