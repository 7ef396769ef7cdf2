"""Therapists' review notes with what each is about, as the Review view shows them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from domain.review import ReviewNote
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.session.core import JournalSession


@dataclass(frozen=True)
class About:
    """The entry a note is about, as today's knowledge has it (``when`` None: the journal)."""

    when: datetime | None
    summary: str
    mark: str = ""  # "Corrected later" / "Retracted later"


JOURNAL_AS_A_WHOLE = About(None, "The journal as a whole")


@dataclass(frozen=True)
class NoteAbout:
    note: ReviewNote
    about: About


def about(session: JournalSession, entry_id: uuid.UUID | None) -> About:
    if entry_id is None:
        return JOURNAL_AS_A_WHOLE
    original = session.entry(entry_id)
    if original is None:  # cannot happen in a verified journal; say so rather than fail
        return About(None, "An entry this copy does not hold")
    effective = session.effective
    mark = ""
    shown = original
    if entry_id in effective.originals:
        current = effective.effective(entry_id)
        if current is None:
            mark = "Retracted later"
        else:
            shown = current
            if effective.winner(entry_id) is not None:
                mark = "Corrected later"
    return About(shown.observed_at, summarize(shown, session.app.journal.entries), mark)


def notes(session: JournalSession, therapist: str | None = None) -> list[NoteAbout]:
    """The notes observed by ``today()`` (of THERAPIST, or all): the latest review day first;
    within a day the notes about the journal, then those about entries, latest entry first."""
    today = session.today()
    items = [n for name, review in session.index.reviews.items() if therapist in (None, name)
             for n in review.notes if n.observed_at.date() <= today]

    def key(note: ReviewNote) -> tuple[object, ...]:
        target = session.entry(note.about) if note.about is not None else None
        return (note.observed_at.date(), target is None,
                target.observed_at if target is not None else note.observed_at,
                note.recorded_at, note.entry_id.int)

    return [NoteAbout(n, about(session, n.about)) for n in sorted(items, key=key, reverse=True)]
