"""A patient's first days, told as a story through the application service."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.errors import InvalidEntry, JournalLocked, UnknownEntry


def test_record_correct_retract_and_reopen(journal: JournalApp, journal_path: Path) -> None:
    # Record a pain rating.
    pain = journal.rate_pain("2026-01-12T08:00", leg=6, back=2)

    # Fail to record leg pain above 10.
    with pytest.raises(InvalidEntry, match="leg pain must be 0–10, got 12"):
        journal.rate_pain("2026-01-12T09:00", leg=12)

    # Correct it and retract a symptom record.
    journal.correct(pain, {"leg": 5, "back": 2}, reason="typed the wrong number")
    symptoms = journal.record_symptoms("2026-01-12", [
        {"region": "calf", "side": "left", "sensation": "pain", "intensity": 5}])
    journal.retract(symptoms, reason="entered twice")

    # Fail to correct an unknown entry, or with another type.
    with pytest.raises(UnknownEntry):
        journal.retract(symptoms.__class__(int=1), reason="x")
    with pytest.raises(InvalidEntry, match="cannot be corrected with a WalkRecorded"):
        journal.correct(pain, {"type": "WalkRecorded", "total_minutes": 10}, reason="x")

    # Reopen: everything is there, in log order.
    journal.close()
    with JournalApp.open(journal_path) as again:
        types = [e.type_name() for e in again.entries()]
        assert types == ["JournalStarted", "PainRated", "EntryCorrected", "SymptomsRecorded",
                         "EntryRetracted"]


def test_second_open_is_refused_while_the_first_holds_it(journal: JournalApp, journal_path: Path) -> None:
    with pytest.raises(JournalLocked, match="already open"):
        JournalApp.open(journal_path)
