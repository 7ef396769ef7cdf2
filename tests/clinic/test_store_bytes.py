"""The clinic's add and export on stored bytes (docs/clinic.md, "Figures"): a copy's bytes are
written as they are (COPY … FORMAT BINARY for the administrator, the library's INSERT for a
therapist's role), the store's log is compared by bytes and, where they differ, as entries."""

from __future__ import annotations

import os
import stat
import uuid
from pathlib import Path

import msgspec
import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from domain.application import JournalApp
from domain.clinic import ClinicStore, discard_review_copy, open_review_copy, push_entries
from domain.clinic.infrastructure import COPY_FROM
from domain.clinic.review_folders import OWNER
from domain.errors import MergeRefused
from domain.events import ReviewNoteAdded
from domain.merging import memory_folder
from tests.clinic.conftest import Server
from tests.clinic.helpers import count_rows, journal, journal_rows, push_at_once


def test_a_copy_is_stored_as_its_own_bytes_and_exported_as_them(store: ClinicStore, tmp_path: Path) -> None:
    flare = journal(tmp_path, "flare")
    store.add([flare])
    record = store.find_patient("Journey flare")
    file_rows = journal_rows(flare)
    assert len(file_rows) >= COPY_FROM  # written by COPY
    assert store.recorder.select_file_rows(record.journal_id) == file_rows
    out = tmp_path / "out.sciatica"
    store.export(record, out)
    assert journal_rows(out) == file_rows
    with JournalApp.open(out, readonly=True) as copy, JournalApp.open(flare, readonly=True) as original:
        assert copy.integrity_problem is None
        assert copy.entries() == original.entries()
        assert copy.meta["journal_id"] == original.meta["journal_id"]
        assert copy.meta["file_id"] != original.meta["file_id"]  # another file of the same journal


def test_an_entry_held_in_other_bytes_is_compared_as_the_entry_it_is(store: ClinicStore, tmp_path: Path) -> None:
    flare = journal(tmp_path, "flare")
    store.add([flare])
    url = store.connection.conninfo()
    rows = count_rows(url, "clinic_events")
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT state FROM clinic_events WHERE originator_version = 5").fetchone()
        assert row is not None
        state = row[0]
        entry_id, payload = bytes(state[:16]), bytes(state[16:])
        values = msgspec.json.decode(payload)
        # The same entry in other bytes (its keys in another order, as another codec might write it)
        reordered = msgspec.json.encode(dict(reversed(list(values.items()))))
        assert reordered != payload
        conn.execute("UPDATE clinic_events SET state = %s WHERE originator_version = 5", (entry_id + reordered,))
    assert store.add([flare])[0].added == 0
    assert count_rows(url, "clinic_events") == rows
    # A different entry under that id: the copy disagrees with the store, nothing is added
    values["author_name"] = "Someone else"
    with psycopg.connect(url) as conn:
        conn.execute("UPDATE clinic_events SET state = %s WHERE originator_version = 5",
                     (entry_id + msgspec.json.encode(values),))
    with pytest.raises(MergeRefused, match="differs"):
        store.add([flare])
    assert count_rows(url, "clinic_events") == rows


def test_copy_gives_back_the_notification_ids_the_rows_took(store: ClinicStore) -> None:
    journal_id = uuid.uuid4()
    rows = [StoredEvent(journal_id, k, "a:B", uuid.uuid4().bytes + b"{}") for k in range(1, COPY_FROM + 2)]
    assert store.recorder.may_copy()  # the administrator owns the table
    ids = store.recorder.insert_events(rows)
    with psycopg.connect(store.connection.conninfo()) as conn:
        stored = [r[0] for r in conn.execute("SELECT notification_id FROM clinic_events WHERE originator_id = %s "
                                             "ORDER BY originator_version", (journal_id,))]
    assert list(ids or []) == stored and len(stored) == len(rows)
    # A batch that takes a place already taken is refused whole
    clash = [StoredEvent(journal_id, k, "a:B", uuid.uuid4().bytes + b"{}")
             for k in range(len(rows), len(rows) + COPY_FROM)]
    with pytest.raises(IntegrityError):
        store.recorder.insert_events(clash)
    assert count_rows(store.connection.conninfo(), "clinic_events") == len(rows)


def _copy_with_notes(store: ClinicStore, therapist: str, count: int) -> Path:
    path = open_review_copy(store, "Journey flare", therapist)
    with JournalApp.open_for_review(path, therapist) as app:
        for k in range(count):
            app.review_note(f"{therapist}: note {k}")
    return path


def test_two_large_pushes_for_one_patient_at_once_both_land(store: ClinicStore, tmp_path: Path) -> None:
    # Each push is large enough to be written by COPY; both want the same places in the log.
    store.add([journal(tmp_path, "flare")])
    copies = [_copy_with_notes(store, t, COPY_FROM + 6) for t in ("Ana Silva", "Ben Okafor")]
    errors = push_at_once(copies)
    assert errors == []
    record = store.find_patient("Journey flare")
    entries = store.entries(record.journal_id)
    notes = [e.text for e in entries if isinstance(e, ReviewNoteAdded)]
    assert sorted(notes) == sorted(f"{t}: note {k}" for t in ("Ana Silva", "Ben Okafor") for k in range(COPY_FROM + 6))
    assert len({e.entry_id for e in entries}) == len(entries)
    with psycopg.connect(store.connection.conninfo()) as conn:
        positions = [r[0] for r in conn.execute("SELECT originator_version FROM clinic_events WHERE "
                                                "originator_id = %s ORDER BY 1", (record.journal_id,))]
    assert positions == list(range(1, len(entries) + 1))
    for path in copies:
        discard_review_copy(path)


def test_a_therapists_large_push_is_written_the_librarys_way(store: ClinicStore, clinic_db: str, pg_server: Server,
                                                               tmp_path: Path) -> None:
    # Row-level security refuses COPY into the table for a therapist's role: the push still lands.
    store.add([journal(tmp_path, "flare")])
    store.assign("Journey flare", "Ana Silva")
    with psycopg.connect(clinic_db) as conn:
        conn.execute(f"ALTER ROLE therapist_ana_silva PASSWORD '{pg_server.password}'")
    dbname = clinic_db.rsplit("/", 1)[1].split("?", maxsplit=1)[0]
    with ClinicStore.connect(pg_server.url_for(dbname, user="therapist_ana_silva")) as ana:
        assert not ana.recorder.may_copy()
        path = _copy_with_notes(ana, "Ana Silva", COPY_FROM + 1)
        assert push_entries(ana, path).review_notes == COPY_FROM + 1
        discard_review_copy(path)


def test_a_review_copy_is_private_and_removed_whole(store: ClinicStore, tmp_path: Path) -> None:
    store.add([journal(tmp_path, "flare")])
    path = open_review_copy(store, "Journey flare", "Ana Silva")
    folder = path.parent
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    root = memory_folder()
    if root is not None:
        assert folder.parent == Path(root)  # in memory: it never reaches a disk
    # Nothing left of building it; beside the copy, the lock that says a live process owns the
    # folder (issue 20, session 6: stale folders are swept, ``domain.clinic.review_folders``).
    assert sorted(p.name for p in folder.iterdir()) == sorted([path.name, OWNER])
    # Named for the patient (the window shows the file name), never a path out of the folder.
    assert path.name == "Journey flare.sciatica"
    discard_review_copy(path)
    assert not folder.exists()


def test_entries_read_elsewhere_are_encoded_to_the_same_rows(store: ClinicStore, tmp_path: Path) -> None:
    # add_entries has no stored bytes to reuse (as for an encrypted copy): each entry is encoded
    # by the file's codec, which gives the very bytes a plain file holds.
    from domain.merging import read_copy

    flare = journal(tmp_path, "flare")
    with JournalApp.open(flare, readonly=True) as app:
        journal_id = app.journal_id
    report = store.add_entries(journal_id, read_copy(flare, journal_id), flare)
    assert report.added == len(journal_rows(flare))
    assert store.recorder.select_file_rows(journal_id) == journal_rows(flare)
    assert store.add([flare])[0].added == 0


@pytest.mark.parametrize(("patient", "name"), [
    ("Sam Okafor", "Sam Okafor.sciatica"),
    ("José Álvarez-Ruiz", "José Álvarez-Ruiz.sciatica"),
    ("../../etc/passwd", "etcpasswd.sciatica"),
    ("a/b\\c:d*?", "abcd.sciatica"),
    (" .. ", "0b7f.sciatica"),
])
def test_a_review_copy_is_named_for_the_patient_inside_its_folder(patient: str, name: str) -> None:
    from domain.clinic.review import review_copy_name

    assert review_copy_name(patient, "0b7f") == name
