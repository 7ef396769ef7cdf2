"""TherapistReview: one therapist's review of one journal.

A read/decide model, like ``RecoveryJournal``: it is folded from the journal's log (the
therapist-authored ``ReviewNoteAdded`` entries carrying that therapist's name) and decides new
notes against the journal (an ``about`` entry must exist). Review notes are entries of the
journal like any other, so they travel with copies and merge by entry id; the review model
is how the Review view and the CLI read them per therapist.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.events import EntryEvent, ReviewNoteAdded
from domain.journal import RecoveryJournal


@dataclass(frozen=True)
class ReviewNote:
    entry_id: uuid.UUID
    therapist: str
    text: str
    about: uuid.UUID | None  # an entry of the journal, or None for the journal as a whole
    observed_at: datetime
    recorded_at: datetime

    @classmethod
    def of(cls, event: ReviewNoteAdded) -> ReviewNote:
        return cls(event.entry_id, event.therapist, event.text, event.about, event.observed_at,
                   event.recorded_at)


def _order(note: ReviewNote) -> tuple[object, ...]:
    return (note.observed_at, note.recorded_at, note.entry_id.int)


class TherapistReview:
    """The review notes of THERAPIST about journal JOURNAL_ID, in projection order
    (observed, then recorded time, then entry id: the same in every merged copy)."""

    def __init__(self, journal_id: uuid.UUID, therapist: str) -> None:
        self.journal_id = journal_id
        self.therapist = therapist
        self._notes: dict[uuid.UUID, ReviewNote] = {}

    @classmethod
    def from_events(cls, journal_id: uuid.UUID, therapist: str,
                    events: Iterable[EntryEvent]) -> TherapistReview:
        review = cls(journal_id, therapist)
        for event in events:
            review.apply(event)
        return review

    def apply(self, event: EntryEvent) -> None:
        if isinstance(event, ReviewNoteAdded) and event.therapist == self.therapist:
            self._notes[event.entry_id] = ReviewNote.of(event)

    @property
    def notes(self) -> list[ReviewNote]:
        return sorted(self._notes.values(), key=_order)

    def about(self, entry_id: uuid.UUID) -> list[ReviewNote]:
        """The notes about one entry."""
        return [n for n in self.notes if n.about == entry_id]

    def general(self) -> list[ReviewNote]:
        """The notes about the journal as a whole."""
        return [n for n in self.notes if n.about is None]

    def decide(self, journal: RecoveryJournal, text: str, *, about: uuid.UUID | None = None,
               observed_at: datetime | None = None) -> EntryEvent:
        """Validate a new note by this therapist; InvalidEntry/UnknownEntry otherwise."""
        return journal.decide("ReviewNoteAdded", {"therapist": self.therapist, "text": text, "about": about},
                              observed_at=observed_at or datetime.now())


def therapists(events: Iterable[EntryEvent]) -> list[str]:
    """The names of every therapist who reviewed the journal, in order of their first note."""
    names: dict[str, None] = {}
    for event in events:
        if isinstance(event, ReviewNoteAdded):
            names.setdefault(event.therapist)
    return list(names)


def reviews(journal_id: uuid.UUID, events: Iterable[EntryEvent]) -> dict[str, TherapistReview]:
    """One review per therapist."""
    out: dict[str, TherapistReview] = {}
    for event in events:
        if isinstance(event, ReviewNoteAdded):
            out.setdefault(event.therapist, TherapistReview(journal_id, event.therapist)).apply(event)
    return out
