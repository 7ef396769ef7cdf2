"""Therapist review: review mode, review notes by CLI and import, the TherapistReview model."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.errors import InvalidEntry, ReadOnlyJournal, UnknownEntry
from domain.events import ReviewNoteAdded
from domain.review import TherapistReview, reviews, therapists
from tests.sharing.conftest import Maker


def test_review_mode_allows_only_the_therapists_notes(make_journal: Maker) -> None:
    path = make_journal()
    with JournalApp.open_for_review(path, "Dr. Ada Physio") as app:
        first = app.entries()[1]
        with pytest.raises(ReadOnlyJournal, match="read-only"):
            app.rate_pain("2026-01-20", leg=2)
        with pytest.raises(ReadOnlyJournal):
            app.correct(first.entry_id, {"leg": 1, "back": 1}, reason="therapist cannot")
        with pytest.raises(ReadOnlyJournal):
            app.annotate("Someone Else", "not me")
        with pytest.raises(UnknownEntry):
            app.review_note("about nothing", about=uuid.uuid4())
        note = app.review_note("Leg pain 7 is high; rest a day.", about=first.entry_id)
        general = app.review_note("Overall fine.")
        review = app.review()
        assert {n.entry_id for n in review.notes} == {note, general}
        assert [n.text for n in review.about(first.entry_id)] == ["Leg pain 7 is high; rest a day."]
    with JournalApp.open(path) as app:
        stored = app.entry(note)
        assert isinstance(stored, ReviewNoteAdded)
        assert (stored.author_role, stored.author_name, stored.about) == ("therapist", "Dr. Ada Physio",
                                                                         first.entry_id)
        with pytest.raises(ReadOnlyJournal, match="open the journal for review"):
            app.review_note("no reviewer")


def test_review_command(make_journal: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal()
    with JournalApp.open(path, readonly=True) as app:
        about = app.entries()[2].entry_id
    assert main(["review", str(path), "--therapist", "Dr. Ada Physio", "--note", "Good.",
                 "--about", str(about)]) == 0
    assert "Added review note" in capsys.readouterr().out
    assert main(["review", str(path), "--therapist", "Dr. Ada Physio", "--note", "General."]) == 0
    capsys.readouterr()

    missing = uuid.uuid4()
    before = path.read_bytes()
    assert main(["review", str(path), "--therapist", "Dr. Ada Physio", "--note", "x",
                 "--about", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err == f"{path}: --about: no entry with id {missing} in this journal " \
                  "(see `sciatica history` for entry ids)\n"
    assert path.read_bytes() == before
    assert main(["review", str(path), "--therapist", "Dr. Ada Physio", "--note", "x",
                 "--about", "not-a-uuid"]) == 2
    assert "--about must be an entry id" in capsys.readouterr().err
    assert main(["review", str(path), "--therapist", " ", "--note", "x"]) == 2
    assert "therapist name" in capsys.readouterr().err

    with JournalApp.open(path, readonly=True) as app:
        notes = [e for e in app.entries() if isinstance(e, ReviewNoteAdded)]
        assert [(n.author_role, n.author_name, n.about) for n in notes] == [
            ("therapist", "Dr. Ada Physio", about), ("therapist", "Dr. Ada Physio", None)]


def test_imported_review_notes_are_written_as_the_therapist(make_journal: Maker, tmp_path: Path) -> None:
    path = make_journal()
    with JournalApp.open(path, readonly=True) as app:
        about = app.entries()[1].entry_id
    lines = tmp_path / "notes.jsonl"
    lines.write_text("\n".join(json.dumps(obj) for obj in [
        {"type": "ReviewNoteAdded", "observed_at": "2026-01-21T10:00", "therapist": "Dr. Ada Physio",
         "text": "Seen.", "about": str(about)},
        {"type": "ReviewNoteAdded", "observed_at": "2026-01-22", "therapist": "Dr. Ben Osteo",
         "text": "Second opinion."},
    ]) + "\n", encoding="utf-8")
    assert main(["import", str(path), str(lines)]) == 0
    with JournalApp.open(path, readonly=True) as app:
        events = app.entries()
        assert therapists(events) == ["Dr. Ada Physio", "Dr. Ben Osteo"]
        by = reviews(app.journal_id, events)
        assert [n.text for n in by["Dr. Ada Physio"].about(about)] == ["Seen."]
        assert [n.text for n in by["Dr. Ben Osteo"].general()] == ["Second opinion."]
        for note in (e for e in events if isinstance(e, ReviewNoteAdded)):
            assert note.author_role == "therapist" and note.author_name == note.therapist


def test_therapist_review_decides_against_the_journal(make_journal: Maker) -> None:
    path = make_journal()
    with JournalApp.open(path, readonly=True) as app:
        review = TherapistReview.from_events(app.journal_id, "Dr. Ada Physio", app.entries())
        assert review.notes == []
        event = review.decide(app.journal, "Fine.", about=app.entries()[1].entry_id)
        assert isinstance(event, ReviewNoteAdded) and event.author_role == "therapist"
        review.apply(event)
        assert [n.text for n in review.notes] == ["Fine."]
        with pytest.raises(InvalidEntry):
            review.decide(app.journal, "")
