"""Reviewing a patient from the clinic store in the desktop's review mode.

The desktop reviews files, so a patient is opened from the store as a *review copy*: everything
the store holds for them, written to a private temporary file (``open_review_copy``), opened
with ``JournalApp.open_for_review``. After each save the session calls ``push_entries``: the
copy goes back to the store by the same path as ``sciatica clinic add`` (verified, union by
entry, idempotent), so the therapist's new notes and clinic tests land in the store, and two
therapists writing for the same patient at once both land (each adds what the store lacks).

``take_review_copy`` is how the desktop opens one: the rows are written into the copy on a
thread of their own (``export.write_rows``: SQLite and SHA-256, which let go of the
interpreter) while this thread decodes the same rows with the file's own decoder
(``JournalMapper.event_from_row``, as ``JournalApp.open`` decodes a file), and the journal
so decoded is handed to ``JournalApp.open_for_review(verified=…)``: the copy is not read back.
It is the same journal as reading the file would give, since the file holds exactly these
bytes (tested). Each row is decoded and checked against its entry's stored type, and one
that is not (changed in the database by hand) refuses the open in one sentence, as a
damaged file is refused; the rules across fields are not checked again, because every row
was checked entry by entry on its way into the store (``clinic add`` and a review's push
verify the copy first), as an intact hash chain vouches for a file's entries.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from domain.clinic.connection import ClinicError
from domain.clinic.export import FileRow, first_entry, write_rows
from domain.collector import collector_paused
from domain.events import EntryEvent, JournalStarted
from domain.journal import RecoveryJournal
from domain.merging import memory_folder

if TYPE_CHECKING:
    from domain.application import JournalApp, Verified
    from domain.clinic.infrastructure import ClinicMapper
    from domain.clinic.intake import AddReport
    from domain.clinic.store import ClinicStore, PatientRecord

REVIEW_PREFIX = "sciatica-clinic-review-"


def open_review_copy(store: ClinicStore, patient: str, therapist: str | None = None) -> Path:
    """A new ``.sciatica`` file, in a folder only this user can read (mode 0700; in memory
    when there is room, ``domain.merging.memory_folder``), holding everything the store has
    for PATIENT (journal id or unique name). THERAPIST (default: the
    connection's own therapist) is only named in the folder, so a listing says whose it is.
    The caller opens it with ``JournalApp.open_for_review(path, therapist)`` and removes the
    folder when done (``discard_review_copy``). ``take_review_copy`` also gives its journal."""
    record = store.find_patient(patient)
    path = _copy_path(store, record, therapist)
    try:
        store.export(record, path)
    except BaseException:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise
    return path


class ReviewCopy:
    """A review copy being written (``path``, on a thread of its own) and its journal, decoded
    from the rows it is written from (``entries``: the log, in order), for one open (``open``).

    Between ``take_review_copy`` and ``open`` the caller may do what needs the entries but not
    the file (the desktop builds its timeline) while the file is written."""

    def __init__(self, path: Path, verified: Verified, writing: _Writing) -> None:
        self.path = path
        self.entries: Sequence[EntryEvent] = verified[1]
        self._verified: Verified | None = verified
        self._writing = writing

    def wait(self) -> None:
        """Until the file is written whole; its failure raised here (the folder then removed)."""
        self._writing.join()
        if self._writing.failure is not None:
            shutil.rmtree(self.path.parent, ignore_errors=True)
            raise self._writing.failure

    def open(self, therapist: str) -> JournalApp:
        """``JournalApp.open_for_review`` of the copy once written, without reading it back.
        The journal is handed on, not copied, so only the first open has it; another reads the
        file."""
        from domain.application import JournalApp

        self.wait()
        verified, self._verified = self._verified, None
        return JournalApp.open_for_review(self.path, therapist, verified=verified)

    def discard(self) -> None:
        """Remove the copy and its folder (once written: the thread writes into that folder)."""
        self._writing.join()
        discard_review_copy(self.path)


def take_review_copy(store: ClinicStore, patient: str, therapist: str | None = None) -> ReviewCopy:
    """``open_review_copy``, with the copy's journal as its rows decode (see the module
    docstring): the file is written on another thread while they are decoded here, and still
    is when this returns (``ReviewCopy.open`` waits for it). ClinicError (one sentence, nothing
    left behind) when a row is damaged."""
    record = store.find_patient(patient)
    rows = store.file_rows(record)
    path = _copy_path(store, record, therapist)
    try:
        writing = _Writing(path, first_entry(store.mapper, rows), rows)
        writing.start()
        try:
            verified = decode_rows(store.mapper, rows, record)
        except BaseException:
            writing.join()
            raise
    except BaseException:
        shutil.rmtree(path.parent, ignore_errors=True)
        raise
    return ReviewCopy(path, verified, writing)


def decode_rows(mapper: ClinicMapper, rows: Sequence[FileRow], record: PatientRecord) -> Verified:
    """The journal and log of ROWS (the patient's log as a file stores it), decoded as
    ``JournalApp.open`` decodes a file whose chain holds; ClinicError for a damaged row."""
    decode = mapper.event_from_row
    # The collector paused as ``JournalApp._load`` does: ~30 objects an entry, all kept.
    with collector_paused(freeze=True):
        try:
            log = [decode(oid, 1, topic, state) for oid, topic, state in rows]
        except Exception:
            log = []
        if len(log) != len(rows) or not all(isinstance(e, EntryEvent) for e in log):
            raise ClinicError(_damaged(mapper, rows, record))
        journal = RecoveryJournal()
        journal.extend(log)
    if journal.identity is None or journal.identity.journal_id != record.journal_id:
        raise ClinicError(f"the clinic's journal of {record.patient} is damaged and cannot be read: "
                          "its first entry is not this journal's start")
    return journal, log


def _damaged(mapper: ClinicMapper, rows: Sequence[FileRow], record: PatientRecord) -> str:
    """The sentence for the first of ROWS that does not decode to an entry (rows go slowly
    here, one by one, only once one was found damaged)."""
    for position, (oid, topic, state) in enumerate(rows, start=1):
        try:
            event = mapper.event_from_row(oid, 1, topic, state)
        except Exception as exc:
            detail = str(exc) or type(exc).__name__
        else:
            if isinstance(event, EntryEvent):
                continue
            detail = "it is not a journal entry"
        return f"the clinic's journal of {record.patient} is damaged and cannot be read: entry {position}: {detail}"
    return f"the clinic's journal of {record.patient} is damaged and cannot be read"


class _Writing(threading.Thread):
    """``write_rows`` on a thread of its own; its failure kept for ``ReviewCopy.wait``."""

    def __init__(self, path: Path, first: JournalStarted, rows: Sequence[FileRow]) -> None:
        super().__init__(name="review-copy", daemon=True)
        self.path, self.first, self.rows = path, first, rows
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            write_rows(self.path, self.first, self.rows)
        except BaseException as exc:  # raised again on the caller's thread (``ReviewCopy.wait``)
            self.failure = exc


def _copy_path(store: ClinicStore, record: PatientRecord, therapist: str | None) -> Path:
    """The review copy's path in a new private folder (mode 0700, in memory when there is room)."""
    who = therapist or store.current_therapist() or "clinic"
    slug = re.sub(r"[^A-Za-z0-9]+", "-", who).strip("-")[:30] or "clinic"
    folder = Path(tempfile.mkdtemp(prefix=f"{REVIEW_PREFIX}{slug}-", dir=memory_folder()))  # mode 0700
    return folder / review_copy_name(record.patient, str(record.journal_id))


def review_copy_name(patient: str, journal_id: str) -> str:
    """The review copy's file name: the patient's name (the window shows it; an id says nothing
    to the therapist) with only letters, digits, spaces and ``.,'()-`` kept, so it can never
    name a path outside its folder; the journal id when nothing is left. Each copy has a new
    folder, so two patients of one name never meet."""
    name = re.sub(r"[^\w .,'()-]+", "", patient).strip(" .")[:60]
    return f"{name or journal_id}.sciatica"


def push_entries(store: ClinicStore, path: Path | str) -> AddReport:
    """Send the review copy PATH back to the store (``ClinicStore.add``): the entries the store
    lacks are added, nothing else changes; adding again adds nothing."""
    return store.add([Path(path)])[0]


def discard_review_copy(path: Path | str) -> None:
    """Remove a review copy and its private folder (after the review window closes)."""
    folder = Path(path).parent
    if folder.name.startswith(REVIEW_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)
