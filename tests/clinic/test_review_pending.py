"""A patient's review opens before its copy's file is whole (docs/clinic.md, "Open, session 6"):
the journal waits for the file where it first needs it (``domain.reviewing.PendingRecorder``):
the first save, an export, its metadata; removing the copy waits too, so nothing is left."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import domain.clinic.review_copy as review
from desktop.session.core import JournalSession
from domain.application import JournalApp
from domain.clinic import ClinicStore, discard_review_copy, push_entries
from domain.clinic.copy_writer import CopyWriter, writes_in_a_process
from domain.clinic.review_copy import take_review_copy
from domain.events import ReviewNoteAdded
from projections.timeline import Timeline
from tests.clinic.helpers import journal, journal_rows


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The copy's writing (on a thread: no writer given) held until the event is set."""
    opened = threading.Event()
    real = review.write_rows

    def held(*args: object) -> None:
        assert opened.wait(30)
        real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(review, "write_rows", held)
    yield opened
    opened.set()  # never left holding a thread


def _release_soon(gate: threading.Event) -> None:
    threading.Timer(0.2, gate.set).start()


def test_the_review_opens_before_the_file_and_a_note_right_after_lands_in_the_store(
        store: ClinicStore, tmp_path: Path, gate: threading.Event) -> None:
    store.add([journal(tmp_path, "flare")])
    record = store.find_patient("Journey flare")
    copy = take_review_copy(store, "Journey flare", "Ana Silva")
    opened = copy.open("Ana Silva")
    try:
        # Open and readable while nothing of the file exists yet.
        assert not copy.path.exists() and not gate.is_set()
        assert opened.entries() == list(copy.entries) and opened.reviewer == "Ana Silva"
        assert opened.identity.patient == "Journey flare" and opened.integrity_problem is None
        _release_soon(gate)
        note = opened.review_note("Ana Silva: seen today")  # waits for the file, then saves
        assert gate.is_set() and copy.path.exists()
        assert opened.meta["journal_id"] == str(record.journal_id)
        assert push_entries(store, copy.path).review_notes == 1
    finally:
        opened.close()
        discard_review_copy(copy.path)
    assert not copy.path.parent.exists()
    assert note in {e.entry_id for e in store.entries(record.journal_id)}
    notes = [e for e in store.entries(record.journal_id) if isinstance(e, ReviewNoteAdded)]
    assert [(e.therapist, e.text) for e in notes] == [("Ana Silva", "Ana Silva: seen today")]


def test_closing_before_the_copy_is_whole_leaves_no_file_behind(store: ClinicStore, tmp_path: Path,
                                                                 gate: threading.Event) -> None:
    store.add([journal(tmp_path, "flare")])
    copy = take_review_copy(store, "Journey flare", "Ana Silva")
    copy.open("Ana Silva").close()  # never needed the file: the close does not wait for it
    assert not gate.is_set() and copy.path.parent.exists()
    _release_soon(gate)
    discard_review_copy(copy.path)  # waits for the copy being written, then removes it all
    assert gate.is_set()
    assert not copy.path.parent.exists()


@pytest.mark.skipif(not writes_in_a_process(), reason="no fork server here: copies are written by a thread")
def test_closing_at_once_with_the_writing_process_leaves_no_file_behind(store: ClinicStore, tmp_path: Path) -> None:
    store.add([journal(tmp_path, "flare")])
    writer = CopyWriter()
    try:
        copy = take_review_copy(store, "Journey flare", "Ana Silva", writer=writer)
        copy.open("Ana Silva").close()
        discard_review_copy(copy.path)
        assert not copy.path.parent.exists()
    finally:
        writer.close()  # every write it had is done: nothing can appear after this
    assert not copy.path.parent.exists()


def test_an_export_of_the_copy_waits_for_it_and_is_the_stores_bytes(store: ClinicStore, tmp_path: Path,
                                                                    gate: threading.Event) -> None:
    flare = journal(tmp_path, "flare")
    store.add([flare])
    copy = take_review_copy(store, "Journey flare", "Ana Silva")
    session = JournalSession(copy.open("Ana Silva"), Timeline(list(copy.entries)))
    out = tmp_path / "for the patient.sciatica"
    try:
        _release_soon(gate)
        assert session.export_copy(out) == out  # File → Export a copy for the patient, at once
    finally:
        session.close()
        discard_review_copy(copy.path)
    assert journal_rows(out) == journal_rows(flare)
    with JournalApp.open(out, readonly=True, check_entries=True) as exported:
        assert exported.integrity_problem is None and exported.entries() == list(copy.entries)


def test_a_damaged_row_is_still_refused_before_anything_opens(store: ClinicStore, tmp_path: Path) -> None:
    import psycopg

    from domain.clinic import ClinicError

    store.add([journal(tmp_path, "flare")])
    with psycopg.connect(store.connection.conninfo()) as conn:
        conn.execute("UPDATE clinic_events SET state = substr(state, 1, 20) WHERE originator_version = 4")
    with pytest.raises(ClinicError, match="damaged and cannot be read: entry 4"):
        take_review_copy(store, "Journey flare", "Ana Silva")
