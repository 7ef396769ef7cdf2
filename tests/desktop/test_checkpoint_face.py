"""A start from a checkpoint reads only its face (what the first views show); the rest (every
entry, the aggregate, the replayed read models) is read when a question or a command first
needs it, and every answer is the one a full open gives."""

from __future__ import annotations

import io
import pickle
import sqlite3
import uuid
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.session import CheckpointStore, EntryKind, JournalError, JournalSession, PainRating, open_session, pickled
from desktop.session import face as face_module
from desktop.session.checkpoint import wait_for_writes
from desktop.session.index import EntryIndex, NeedsEntries
from desktop.session.pickled import SERIES_PARTS
from domain.application import JournalApp
from domain.copies import verify_journal
from projections.timeline import Timeline
from tests.desktop import checkpoint_fixtures
from tests.desktop.checkpoint_fixtures import ENTRIES

# The shared fixtures, used here under their own names.
checkpoints_for_short_journals = checkpoint_fixtures.checkpoints_for_short_journals
journal = checkpoint_fixtures.journal
store = checkpoint_fixtures.store


@pytest.fixture
def face_start(journal: Path, store: CheckpointStore) -> JournalSession:
    """A session started from the checkpoint an earlier (full) session left."""
    first = open_session(journal, checkpoints=store)
    assert not first.from_checkpoint
    first.close()
    wait_for_writes()
    session = open_session(journal, checkpoints=store)
    assert session.from_checkpoint and not session.entries_read
    return session


def _full(path: Path) -> tuple[JournalSession, JournalApp]:
    app = JournalApp.open(path, readonly=True)
    return JournalSession(app), app


def test_the_first_views_questions_are_answered_from_the_face_alone(face_start, journal):
    session = face_start
    full, app = _full(journal)
    try:
        assert session.timeline.series(None) == full.timeline.series(None)  # curves and every stage band
        for n in range(face_module.STATUS_DAYS):  # the header on each of the next days
            day = date.today() + timedelta(days=n)
            assert session.timeline.status_at(day) == full.timeline.status_at(day)
        assert session.status() == full.status()
        assert session.identity == full.identity
        assert session.timeline.current.journal == full.timeline.current.journal
        assert session.observed_range() == full.observed_range()
        assert session.recorded_moments() == full.recorded_moments()
        assert session.last_check_in() == full.last_check_in()
        assert session.last_symptoms() == full.last_symptoms()
        assert session.last_red_flag_check() == full.last_red_flag_check()
        assert session.red_flag_check_due() == full.red_flag_check_due()
        for kind in EntryKind:
            assert session.latest([kind], 8) == full.latest([kind], 8)
        shown = session.latest(["SymptomsRecorded", "PainRated", "WalkRecorded", "NoteAdded"], 8)
        assert [session.is_corrected(e.entry_id) for e in shown] == [full.is_corrected(e.entry_id) for e in shown]
        assert session.therapists() == full.therapists()
        assert len(session.timeline) == ENTRIES
        assert not session.entries_read  # none of it needed an entry beyond the face's
    finally:
        app.close()
        session.close()


def test_a_question_beyond_the_face_reads_the_rest_and_gets_the_full_answer(face_start, journal):
    session = face_start
    full, app = _full(journal)
    try:
        many = face_module.LATEST_KEPT + 10
        assert session.latest(["PainRated"], many) == full.latest(["PainRated"], many)
        assert session.entries_read
        assert session.app.entries() == app.entries()
        assert session.history() == full.history()
        earlier = full.observed_range()[0] + timedelta(days=30)
        assert session.status(earlier) == full.status(earlier)
        assert session.timeline.series(earlier) == full.timeline.series(earlier)
    finally:
        app.close()
        session.close()


def test_a_partial_index_answers_as_far_as_it_holds_then_says_so(journal):
    with JournalApp.open(journal, readonly=True) as app:
        index = EntryIndex(app.journal_id, app.entries())
    part = index.latest_only(3, whole=[EntryKind.RED_FLAGS])
    kinds = [EntryKind.PAIN, EntryKind.SYMPTOMS, EntryKind.NOTE]
    full = list(index.newest_first(kinds))
    held: list[object] = []
    with pytest.raises(NeedsEntries):
        for event in part.newest_first(kinds):
            held.append(event)
    assert held == full[:len(held)] and len(held) >= 3
    assert part.of_kind(EntryKind.RED_FLAGS) == index.of_kind(EntryKind.RED_FLAGS)
    with pytest.raises(NeedsEntries):
        part.of_kind(EntryKind.PAIN)
    with pytest.raises(NeedsEntries):
        part.extend([])


def test_a_save_after_a_face_start_reads_the_rest_first_and_extends_the_chain(face_start, journal, store):
    session = face_start
    # Observed now, after every entry of the journey (it ends months earlier). It was "an hour
    # from now", which is tomorrow when the suite runs after 23:00, and an entry observed
    # tomorrow is not yet the latest (the live status ends today): the test failed at midnight.
    assert (session.observed_range()[1] or date.min) < session.now().date()
    (saved,) = session.check_in(session.now(), [], PainRating(leg=4, back=2))
    assert session.entries_read
    assert session.app.entries()[-1].entry_id == saved and len(session.app.entries()) == ENTRIES + 1
    assert session.latest([EntryKind.PAIN])[0].entry_id == saved
    session.close()
    wait_for_writes()
    check = verify_journal(journal, deep=True)
    assert check.problem is None and check.entries == ENTRIES + 1
    again = open_session(journal, checkpoints=store)  # the bytes as closed, verified again
    try:
        assert again.from_checkpoint and not again.entries_read
        assert again.latest([EntryKind.PAIN])[0].entry_id == saved
        assert again.timeline.series(None) == Timeline(again.app.entries()).series(None)
    finally:
        again.close()


def test_a_checkpoint_replaced_after_the_start_does_not_mix_into_the_rest(face_start, journal, store, tmp_path,
                                                                         monkeypatch):
    """The rest is read from the checkpoint file as it was at the start (held open): a newer
    checkpoint written meanwhile (another window closing the same journal) replaces the name,
    not those bytes."""
    session = face_start
    with JournalApp.open(journal, readonly=True) as app:
        entries = app.entries()
    other = tmp_path / "other.checkpoint"
    other.write_bytes(b"written by another window")
    other.replace(store.file_for(journal))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the journal was read in full")

    monkeypatch.setattr(JournalApp, "_load", refuse)  # so the rest can only come from the start's bytes
    try:
        assert session.app.entries() == entries
        assert session.entries_read
    finally:
        session.close()


def _damage_rest(store: CheckpointStore, journal: Path) -> None:
    """Change the checkpoint's last bytes in place (what it holds no longer has its digest)."""
    file = store.file_for(journal)
    with open(file, "r+b") as f:
        f.seek(-8, 2)
        f.write(b"\0" * 8)


def test_a_rest_that_cannot_be_read_is_read_from_the_unchanged_journal(face_start, journal, store):
    session = face_start
    _damage_rest(store, journal)
    try:
        with JournalApp.open(journal, readonly=True) as app:
            assert session.app.entries() == app.entries()
            full = Timeline(app.entries())
        assert session.timeline.series(None) == full.series(None)
        assert session.status() == full.status_at(date.today())
    finally:
        session.close()


def test_a_journal_changed_before_the_rest_is_read_is_refused_with_a_clear_message(face_start, journal, store):
    """Neither the checkpoint's rest (damaged) nor the journal (changed by another program
    since the start) gives the bytes the face was made from: nothing is mixed, the question
    is refused, and the session still holds only the face."""
    session = face_start
    _damage_rest(store, journal)
    with closing(sqlite3.connect(journal)) as conn, conn:
        conn.execute("UPDATE journal_meta SET value = value || ' ' WHERE key = 'app_version'")
    try:
        with pytest.raises(JournalError, match="changed by another program since it was opened"):
            session.app.entries()
        assert not session.entries_read
        assert session.status() is not None  # the face still answers what it holds
    finally:
        session.close()


def test_a_face_session_closed_without_reading_the_rest_writes_nothing(face_start, journal, store):
    file = store.file_for(journal)
    before = file.stat().st_mtime_ns
    face_start.status()
    face_start.close()
    wait_for_writes()
    assert file.stat().st_mtime_ns == before


def _ids_of(series: object) -> list[uuid.UUID]:
    ids: list[uuid.UUID] = []
    for name in SERIES_PARTS:
        part = getattr(series, name)
        curves = part.values() if isinstance(part, dict) else [part] if isinstance(part, tuple) else []
        for point in (p for curve in curves for p in curve):
            if hasattr(point, "entry_id"):
                ids.append(point.entry_id)
            ids.extend(getattr(point, "entry_ids", ()))
    return ids


def test_the_faces_entry_ids_are_read_once_each_and_are_ids_like_any_other(face_start, journal):
    """The face keeps its entry ids in one table (each made once, then named by position): the
    ids read back are the full open's, one object per entry, and behave as any UUID does."""
    full, app = _full(journal)
    try:
        read, expected = _ids_of(face_start.timeline.series(None)), _ids_of(full.timeline.series(None))
    finally:
        app.close()
    assert read == expected and len(read) > 300
    assert len({id(entry_id) for entry_id in read}) == len(set(read))  # shared, not one object per point
    for entry_id, same in zip(read[:50], expected[:50], strict=True):
        assert type(entry_id) is uuid.UUID and entry_id.is_safe is uuid.SafeUUID.unknown
        assert hash(entry_id) == hash(same) and str(entry_id) == str(same) and entry_id.version == same.version
        assert pickle.loads(pickle.dumps(entry_id)) == same
    # An id with another safety mark is not put in the table: it is written as it is.
    marked = uuid.UUID(int=7, is_safe=uuid.SafeUUID.safe)
    buffer = io.BytesIO()
    pickled._Tabled(buffer, table := {}).dump([marked, expected[0]])
    assert list(table) == [expected[0]]


@pytest.mark.parametrize("table", [[-1], [1 << 128], [1, "2"], {"a": 1}])
def test_a_face_whose_id_table_holds_no_ids_is_refused(table):
    """A table entry that cannot be an id (a damaged or foreign checkpoint) refuses the face,
    so the journal opens in full; it never becomes a UUID of no value."""
    buffer = io.BytesIO()
    pickle.dump(table, buffer)
    buffer.seek(0)
    with pytest.raises(pickle.UnpicklingError):
        pickled.read_face(buffer, None)  # type: ignore[arg-type]
