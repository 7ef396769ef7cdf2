"""Corrections, retractions and review notes: what may point at what, told through the service."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.errors import InvalidEntry, UnknownEntry
from domain.events import EntryCorrected, corrected_view
from tests.domain.helpers import refused

UNKNOWN = uuid.UUID("00000000-0000-4000-8000-000000000000")


def test_a_correction_replaces_the_values_and_keeps_the_original(journal: JournalApp, journal_path: Path) -> None:
    # Record a walk with a note.
    walk = journal.record_walk("2026-01-13T17:00", total_minutes=20, minutes_to_symptoms=5,
                               extent_at_stop="calf", note="windy")

    # Correct the minutes; observed time and note carry over from the original.
    fix = journal.correct(walk, {"total_minutes": 25, "minutes_to_symptoms": 10, "extent_at_stop": "knee"},
                          reason="misread the watch")
    correction = journal.entry(fix)
    assert isinstance(correction, EntryCorrected)
    assert correction.target == walk
    assert correction.replacement == {"observed_at": datetime(2026, 1, 13, 17, 0), "total_minutes": 25,
                                      "minutes_to_symptoms": 10, "extent_at_stop": "knee", "note": "windy"}

    # The corrected view has the new values, the original's id, author and recorded time.
    original = journal.entry(walk)
    view = corrected_view(original, correction)
    assert (view.entry_id, view.recorded_at, view.author_name) == (walk, original.recorded_at, "A. Patient")
    assert (view.total_minutes, view.extent_at_stop, view.note) == (25, "knee", "windy")  # type: ignore[attr-defined]

    # A correction can also move the observed time and replace the note; the replacement
    # may name its own type.
    fix2 = journal.correct(walk, {"type": "WalkRecorded", "total_minutes": 25, "minutes_to_symptoms": None,
                                  "extent_at_stop": None, "observed_at": "2026-01-12", "note": "calm"},
                           reason="it was the day before")
    replacement = journal.entry(fix2).replacement  # type: ignore[attr-defined]
    assert replacement["observed_at"] == datetime(2026, 1, 12, 12, 0)
    assert replacement["note"] == "calm"

    # Everything survives a reopen.
    journal.close()
    with JournalApp.open(journal_path) as again:
        assert again.entry(fix).replacement == correction.replacement  # type: ignore[attr-defined]
        assert again.entry(walk) == original


def test_a_correction_must_point_at_an_entry_of_this_journal(journal: JournalApp) -> None:
    with pytest.raises(UnknownEntry) as info:
        journal.correct(UNKNOWN, {"leg": 3}, reason="typo")
    assert str(info.value) == f"target: no entry with id {UNKNOWN} in this journal"
    with refused(UnknownEntry, f"target: no entry with id {UNKNOWN} in this journal"):
        journal.retract(UNKNOWN, reason="typo")
    with refused(InvalidEntry, "target entry must be an entry id (a UUID), got 'pain-1'"):
        journal.correct("pain-1", {"leg": 3}, reason="typo")  # type: ignore[arg-type]


def test_a_correction_keeps_the_entry_type(journal: JournalApp) -> None:
    pain = journal.rate_pain("2026-01-13", leg=6)
    with pytest.raises(InvalidEntry) as info:
        journal.correct(pain, {"type": "WalkRecorded", "total_minutes": 10, "minutes_to_symptoms": None,
                               "extent_at_stop": None}, reason="wrong form")
    assert str(info.value) == ("replacement: a PainRated entry cannot be corrected with a WalkRecorded; "
                               "retract it and record a new entry instead")
    # Without a stated type, another type's fields are unknown fields of this one.
    with refused(InvalidEntry, "replacement: unknown field 'total_minutes' for PainRated", prefix=True):
        journal.correct(pain, {"total_minutes": 10}, reason="wrong form")


def test_a_replacement_follows_the_rules_of_its_type(journal: JournalApp) -> None:
    pain = journal.rate_pain("2026-01-13", leg=6)
    with refused(InvalidEntry, "replacement: leg pain must be 0–10, got 12"):
        journal.correct(pain, {"leg": 12}, reason="typo")
    with refused(InvalidEntry, "replacement: a pain rating needs at least one of", prefix=True):
        journal.correct(pain, {}, reason="typo")
    with refused(InvalidEntry, "replacement: observed at must be a date or date-time", prefix=True):
        journal.correct(pain, {"leg": 5, "observed_at": "soon"}, reason="typo")
    with refused(InvalidEntry, "replacement must be an entry object of the corrected entry's type"):
        journal.correct(pain, [5], reason="typo")  # type: ignore[arg-type]
    for forbidden in ("entry_id", "recorded_at"):
        with refused(InvalidEntry, f"replacement: {forbidden} cannot be changed by a correction"):
            journal.correct(pain, {"leg": 5, forbidden: str(UNKNOWN)}, reason="typo")
    with refused(InvalidEntry, "reason for the correction must not be empty"):
        journal.correct(pain, {"leg": 5}, reason=" ")
    with refused(InvalidEntry, "reason for the retraction must not be empty"):
        journal.retract(pain, reason="")
    # None of the refused corrections was recorded.
    assert [e.type_name() for e in journal.entries()] == ["JournalStarted", "PainRated"]


def test_only_observations_can_be_corrected_or_retracted(journal: JournalApp) -> None:
    started = journal.journal_id
    pain = journal.rate_pain("2026-01-13", leg=6)
    fix = journal.correct(pain, {"leg": 5}, reason="typo")
    retraction = journal.retract(pain, reason="duplicate")
    acknowledged = journal.acknowledge_red_flags("2026-01-13", ["fever_or_unwell"])
    review = journal.annotate("T. Hera", "looks better", about=pain)

    for target, type_name in [(started, "JournalStarted"), (fix, "EntryCorrected"),
                              (retraction, "EntryRetracted"), (acknowledged, "RedFlagAcknowledged"),
                              (review, "ReviewNoteAdded")]:
        with pytest.raises(InvalidEntry) as info:
            journal.correct(target, {"text": "x"}, reason="try")
        assert str(info.value) == f"target: a {type_name} entry cannot be corrected (only observations can)"
        with refused(InvalidEntry, f"target: a {type_name} entry cannot be retracted", prefix=True):
            journal.retract(target, reason="try")


def test_a_retracted_entry_can_still_be_corrected_and_retracted_again(journal: JournalApp) -> None:
    # The log only grows; which change wins is the projections' business, not a refusal.
    note = journal.add_note("2026-01-13", "tired")
    journal.retract(note, reason="not relevant")
    journal.correct(note, {"text": "tired after work"}, reason="relevant after all")
    journal.retract(note, reason="no, really not")
    assert [e.type_name() for e in journal.entries()][1:] == ["NoteAdded", "EntryRetracted", "EntryCorrected",
                                                              "EntryRetracted"]


def test_a_review_note_is_about_the_journal_or_one_of_its_entries(journal: JournalApp) -> None:
    pain = journal.rate_pain("2026-01-13", leg=6)
    general = journal.entry(journal.annotate("T. Hera", "keep walking"))
    specific = journal.entry(journal.annotate("T. Hera", "check this again", about=pain))
    assert general.about is None and specific.about == pain  # type: ignore[attr-defined]
    assert (specific.author_role, specific.author_name) == ("therapist", "T. Hera")
    with refused(UnknownEntry, f"about: no entry with id {UNKNOWN} in this journal"):
        journal.annotate("T. Hera", "??", about=UNKNOWN)
    with refused(InvalidEntry, "therapist name must not be empty"):
        journal.annotate("", "??")
