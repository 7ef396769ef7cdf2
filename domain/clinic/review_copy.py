"""A patient opened for review from the store without reading the review copy back.

``take_review_copy`` reads the patient's rows once and uses them twice at the same time:
another process writes them into the review copy (``copy_writer``: ``export.write_copy``, the
file made as every journal is, then the rows' stored bytes as they are, the hash chain extended
over them), while this one decodes the same rows with the file's own decoder
(``JournalMapper.event_from_row``, as ``JournalApp.open`` decodes a file). ``ReviewCopy.open``
then hands that journal to ``JournalApp.open_for_review(verified=…, written=…)`` at once: it is
the journal reading the file would give, since the file holds exactly these bytes (tested), and
the app waits for the file only where it first needs it (``domain.reviewing``: the first save,
an export, its metadata), so a review that only reads never waits. The desktop builds its
timeline from the entries meanwhile (``desktop.session.caseload``). Without a writing process (none given, or a
frozen build) a thread writes, which overlaps little (``copy_writer`` says why).

Each row is decoded and checked against its entry's stored type; one that is not (changed in
the database by hand) refuses the open in one sentence and leaves nothing behind, as a damaged
file is refused. The rules across an entry's fields are not checked again: every row was
checked entry by entry on its way into the store (``clinic add`` and a review's push verify the
copy first), as an intact hash chain vouches for a file's entries.

The rows come with each entry id twice, as the file stores it (hex text, for the copy) and as
a ``uuid`` that psycopg builds in C (for the decoder: ``uuid.UUID(hex)`` in Python was a
quarter of decoding an entry).
"""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Callable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from domain.clinic import review_folders
from domain.clinic.connection import ClinicError
from domain.clinic.copy_writer import CopyWriter, writes_in_a_process
from domain.clinic.export import write_rows
from domain.clinic.infrastructure import ENTRY_ID_BYTES, EVENTS_TABLE
from domain.clinic.review import copy_path, discard_review_copy
from domain.collector import collector_paused
from domain.events import STARTED_TOPIC, EntryEvent, JournalStarted
from domain.journal import RecoveryJournal

if TYPE_CHECKING:
    from domain.application import JournalApp, Verified
    from domain.clinic.infrastructure import ClinicMapper
    from domain.clinic.store import ClinicStore, PatientRecord

#: One row of a patient's log: (entry id as the file stores it, hex text; the same id as a
#: uuid; topic; the state a file stores).
ReviewRow = tuple[str, uuid.UUID, str, bytes]

_ENTRY_UUID = itemgetter(1)  # of a ReviewRow

_ROWS = ("SELECT encode(substr(state, 1, {n}), 'hex') AS entry_hex, "
         "encode(substr(state, 1, {n}), 'hex')::uuid AS entry_id, topic, substr(state, {rest}) AS state "
         "FROM {table} WHERE originator_id = %s ORDER BY originator_version")


class ReviewCopy:
    """A review copy being written (``path``, by another process or thread) and its journal,
    decoded from the rows it is written from (``entries``: the log, in order), for one open
    (``open``).

    ``wait`` is the one place that waits for the file: the journal ``open`` gives waits there
    when it first needs its file (``domain.reviewing.PendingRecorder``: the first save, an
    export, its metadata), and so does removing the copy (``discard_review_copy``), so a copy
    closed before it was whole leaves nothing behind. Meanwhile the caller may do what needs
    the entries only (the desktop builds its timeline; a review reads)."""

    def __init__(self, path: Path, verified: Verified, written: Callable[[], None]) -> None:
        self.path = path
        self.entries: Sequence[EntryEvent] = verified[1]
        self._verified: Verified | None = verified
        self._written = written
        review_folders.writing_into(path, self.wait)

    def wait(self) -> None:
        """Until the file is written whole; its failure raised here, each time (the folder's
        contents then removed: the failure's sentence is said where the file was needed)."""
        try:
            self._written()
        except BaseException:
            shutil.rmtree(self.path.parent, ignore_errors=True)
            raise

    def open(self, therapist: str) -> JournalApp:
        """``JournalApp.open_for_review`` of the copy, at once, without reading it back: the
        file is waited for where it is first needed (``wait``). The journal is handed on, not
        copied, so only the first open has it; another waits for the file and reads it."""
        from domain.application import JournalApp

        verified, self._verified = self._verified, None
        return JournalApp.open_for_review(self.path, therapist, verified=verified, written=self.wait)


def take_review_copy(store: ClinicStore, patient: str, therapist: str | None = None, *,
                     writer: CopyWriter | None = None) -> ReviewCopy:
    """``review.open_review_copy``, with the copy's journal as its rows decode (see the module
    docstring): the file is written by WRITER's process (``copy_writer``; without one, or where
    there can be none, by a thread) while they are decoded here, and may still be when this
    returns (``ReviewCopy.wait`` waits for it, where it is first needed). ClinicError (one
    sentence, nothing left behind) when the store holds nothing for PATIENT or a row is damaged."""
    record = store.find_patient(patient)
    rows = review_rows(store, record)
    path = copy_path(store, record, therapist)
    try:
        first = _start(store.mapper, rows, record)
        written = _write(path, first, rows, writer)
        review_folders.writing_into(path, written)  # the folder is removed once it is written
        verified = decode_rows(store.mapper, rows, record, first)
    except BaseException:
        discard_review_copy(path)
        raise
    return ReviewCopy(path, verified, written)


def _write(path: Path, first: JournalStarted, rows: Sequence[ReviewRow],
           writer: CopyWriter | None) -> Callable[[], None]:
    """Start writing the copy; what waits until it is written (raising its failure)."""
    if writer is not None and writes_in_a_process():
        return writer.write(path, [(hex_id, topic, state) for hex_id, _, topic, state in rows]).result
    writing = _Writing(path, first, rows)
    writing.start()

    def written() -> None:
        writing.join()
        if writing.failure is not None:
            raise writing.failure

    return written


def review_rows(store: ClinicStore, record: PatientRecord) -> list[ReviewRow]:
    """The patient's log (``ReviewRow``s, in order), read by the events table's primary key in
    one statement, in binary; ClinicError when there is none (``ClinicStore.cursor``'s sentences
    when it cannot be read)."""
    table = SQL("{0}.{1}").format(Identifier(store.datastore.schema), Identifier(EVENTS_TABLE))
    statement = SQL(_ROWS).format(n=ENTRY_ID_BYTES, rest=ENTRY_ID_BYTES + 1, table=table)
    with store.cursor(transaction=False) as curs:
        curs.row_factory = tuple_row
        curs.execute(statement, (record.journal_id,), binary=True, prepare=True)
        rows: list[ReviewRow] = curs.fetchall()
    if not rows or rows[0][2] != STARTED_TOPIC:
        raise ClinicError(f"the clinic holds no entries for {record.patient}")
    return rows


def decode_rows(mapper: ClinicMapper, rows: Sequence[ReviewRow], record: PatientRecord,
                first: JournalStarted) -> Verified:
    """The journal and log of ROWS, decoded as ``JournalApp.open`` decodes a file whose chain
    holds (FIRST: the first row, already decoded); ClinicError for a damaged row."""
    # The collector paused as ``JournalApp._load`` pauses it: ~30 objects an entry, all kept.
    with collector_paused(freeze=True):
        try:
            # Decoded a topic at a time, as a file's log is (the rows' ids already uuids).
            rest = rows[1:]
            log: list[EntryEvent] = [first, *mapper.events_of_rows(rest, list(map(_ENTRY_UUID, rest)), [1] * len(rest))]
        except Exception:
            log = []
        if len(log) != len(rows) or not all(isinstance(e, EntryEvent) for e in log):
            raise ClinicError(_damaged(mapper, rows, record))
        journal = RecoveryJournal()
        journal.extend(log)
    return journal, log


def _start(mapper: ClinicMapper, rows: Sequence[ReviewRow], record: PatientRecord) -> JournalStarted:
    """The journal's start, from the first row: this patient's (the store files the rows under
    the journal's id, which is its start's entry id)."""
    _, entry_id, topic, state = rows[0]
    try:
        first = mapper.event_from_row(entry_id, 1, topic, state)
    except Exception:
        raise ClinicError(_damaged(mapper, rows[:1], record)) from None
    if not isinstance(first, JournalStarted) or first.entry_id != record.journal_id:
        raise ClinicError(f"the clinic's journal of {record.patient} is damaged and cannot be read: "
                          "its first entry is not this journal's start")
    return first


def _damaged(mapper: ClinicMapper, rows: Sequence[ReviewRow], record: PatientRecord) -> str:
    """The sentence for the first of ROWS that does not decode to an entry (rows go one by one
    here, only once one was found damaged)."""
    said = f"the clinic's journal of {record.patient} is damaged and cannot be read"
    for position, (_, entry_id, topic, state) in enumerate(rows, start=1):
        try:
            event = mapper.event_from_row(entry_id, 1, topic, state)
        except Exception as exc:
            detail = str(exc) or type(exc).__name__
        else:
            if isinstance(event, EntryEvent):
                continue
            detail = "it is not a journal entry"
        return f"{said}: entry {position}: {detail}"
    return said


class _Writing(threading.Thread):
    """``export.write_rows`` on a thread of its own (no ``CopyWriter``); its failure kept."""

    def __init__(self, path: Path, first: JournalStarted, rows: Sequence[ReviewRow]) -> None:
        super().__init__(name="review-copy", daemon=True)
        self.path, self.first, self.rows = path, first, rows
        self.failure: BaseException | None = None

    def run(self) -> None:
        try:
            # A file stores each entry as its own stream: originator id = entry id, version 1.
            write_rows(self.path, self.first, [(hex_id, 1, topic, state) for hex_id, _, topic, state in self.rows[1:]])
        except BaseException as exc:  # raised again on the caller's thread (``_write``)
            self.failure = exc
