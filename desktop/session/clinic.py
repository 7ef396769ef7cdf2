"""Tests a therapist assesses in clinic, recorded in a copy opened for review as their own
entries (author role therapist, their name), and the latest results by who recorded them.

The entry is decided by the journal like any other (``RecoveryJournal.decide`` with
``assessed_by``: same fields, same checks, the reviewing therapist as its author) and stored
through ``JournalApp.append``; a copy open for review takes the reviewer's own clinic tests and
review notes only (``domain.journal.ASSESSED_TYPES``), as ``import --therapist`` does.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from desktop.session.kinds import EntryKind, TestResult
from domain.errors import InvalidEntry, JournalError
from domain.events import EntryEvent

if TYPE_CHECKING:
    from desktop.session.core import JournalSession

# The tests a therapist records in clinic (interchange.md, ``import --therapist``).
CLINIC_KINDS: frozenset[str] = frozenset({
    EntryKind.MUSCLE_GRADE, EntryKind.GAIT, EntryKind.HEEL_RAISES, EntryKind.STRAIGHT_LEG_RAISE,
    EntryKind.SLUMP, EntryKind.FORWARD_BEND,
})


def clinic_entry(session: JournalSession, result: TestResult, observed_at: datetime) -> EntryEvent:
    """RESULT as the reviewing therapist's own entry, decided (checked) but not stored."""
    therapist = session.reviewer
    if therapist is None:
        raise JournalError(f"{session.path}: open the journal for review (as a therapist) to record "
                           "clinic tests as your own")
    if result.KIND not in CLINIC_KINDS:
        raise InvalidEntry(f"a therapist records clinic tests only (muscle grades, heel and toe walk, "
                           f"heel raises, straight-leg raise, slump, forward bend), not "
                           f"{result.KIND}", field="type")
    return session.app.journal.decide(result.KIND, result.fields(), observed_at=observed_at,
                                      assessed_by=therapist)


def record_clinic_test(session: JournalSession, result: TestResult, observed_at: datetime) -> uuid.UUID:
    """Record RESULT as the reviewing therapist's own clinic test (see the module docstring)."""
    event = clinic_entry(session, result, observed_at)
    session.app.append([event])
    return event.entry_id


def by_author(event: EntryEvent) -> tuple[str, str]:
    return event.author_role, event.author_name


def latest_by_author(session: JournalSession, kind: EntryKind) -> list[EntryEvent]:
    """The latest result of KIND per side and per author that still counts, as corrected,
    newest first. Where the patient and a therapist tested on the same day, both are there."""
    latest: dict[tuple[str, tuple[str, str]], EntryEvent] = {}
    for event in session.latest([kind], limit=200):
        latest.setdefault((str(getattr(event, "side", "")), by_author(event)), event)
    return sorted(latest.values(), key=lambda e: (e.observed_at, e.recorded_at), reverse=True)
