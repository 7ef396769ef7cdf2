"""`sciatica import FILE EVENTS.jsonl --therapist NAME`: a therapist's clinic tests and review
notes recorded as their own entries in a patient's copy (issue 17); any other type is refused
and nothing changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import PAIN, PAIN_ID, START, assert_one_clear_sentence, run, sha, siblings, write_lines

THERAPIST = "J. Rivera, PT"


def journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "patient.sciatica"
    assert run(capsys, "import", path, write_lines(tmp_path / "start.jsonl", START, PAIN)).code == 0
    return path


def history(capsys: pytest.CaptureFixture[str], path: Path) -> list[dict[str, object]]:
    result = run(capsys, "history", path, "--json")
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    return rows if isinstance(rows, list) else rows["entries"]


def test_clinic_tests_and_notes_are_recorded_as_the_therapists_own(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = journal(tmp_path, capsys)
    events = write_lines(
        tmp_path / "clinic.jsonl",
        {"type": "MuscleGraded", "observed_at": "2026-01-14T10:00", "muscle": "ankle_dorsiflexion",
         "side": "left", "grade": 4},
        {"type": "StraightLegRaiseTested", "observed_at": "2026-01-14T10:05", "side": "left", "degrees": 40},
        {"type": "ReviewNoteAdded", "observed_at": "2026-01-14T10:10", "therapist": THERAPIST,
         "text": "Grade 4 dorsiflexion; keep walking", "about": PAIN_ID},
    )
    result = run(capsys, "import", path, events, "--therapist", THERAPIST)
    assert result.code == 0, result.err
    assert "3 entries" in result.out
    rows = history(capsys, path)
    clinic = [r for r in rows if r.get("type") in {"MuscleGraded", "StraightLegRaiseTested", "ReviewNoteAdded"}]
    assert len(clinic) == 3
    text = json.dumps(clinic)
    assert THERAPIST in text and "therapist" in text
    # The patient's own entries are still the patient's.
    pain = [r for r in rows if r.get("type") == "PainRated"]
    assert len(pain) == 1 and THERAPIST not in json.dumps(pain)


@pytest.mark.parametrize("entry", [
    PAIN | {"entry_id": None, "observed_at": "2026-01-14T08:00"},
    {"type": "SymptomsRecorded", "observed_at": "2026-01-14T08:00", "symptoms": []},
    {"type": "RedFlagsChecked", "observed_at": "2026-01-14T08:00", "present": []},
    {"type": "EntryRetracted", "observed_at": "2026-01-14T08:00", "target": PAIN_ID, "reason": "wrong"},
    {"type": "ReviewNoteAdded", "observed_at": "2026-01-14T10:10", "therapist": "Someone Else", "text": "hi"},
], ids=["pain", "symptoms", "red-flags", "retraction", "another-therapists-note"])
def test_any_other_entry_is_refused_and_nothing_changes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, object]) -> None:
    path = journal(tmp_path, capsys)
    before = {p.name: sha(p) for p in siblings(path)}
    events = write_lines(
        tmp_path / "clinic.jsonl",
        {"type": "HeelRaisesTested", "observed_at": "2026-01-14T10:00", "side": "left", "repetitions": 12},
        {k: v for k, v in entry.items() if v is not None},
    )
    result = run(capsys, "import", path, events, "--therapist", THERAPIST)
    assert result.code == 2
    assert_one_clear_sentence(result.err)
    assert "clinic.jsonl:2" in result.err
    assert {p.name: sha(p) for p in siblings(path)} == before


def test_a_therapist_cannot_create_a_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    events = write_lines(tmp_path / "clinic.jsonl", START)
    result = run(capsys, "import", tmp_path / "new.sciatica", events, "--therapist", THERAPIST)
    assert result.code == 2
    assert_one_clear_sentence(result.err)
    assert not (tmp_path / "new.sciatica").exists()
