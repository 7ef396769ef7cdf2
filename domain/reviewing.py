"""A journal open for a therapist's review (``JournalApp.open_for_review``), split out of
``domain.application``: what a reviewer may add, and a file still being written when it opens.

A clinic's review copy (``domain.clinic.review_copy``) is decoded from the very rows another
process is writing into the file, so the app can open with that journal before the file is
whole: a read-only review reads only memory. The file is first needed to save (a note, a clinic
test, a merge), to export a copy of it, and to read its metadata; ``PendingRecorder`` is the
recorder of such an app, and the one place that waits for the file (``PendingRecorder.whole``):
every read or write of the file goes through its connection (``conn``), which waits first, and
``JournalApp.file_ready`` lets a caller that reads the file by its path (an export) wait too.
When the copy could not be written, that first use is refused in one sentence and nothing
changes: the entry is neither stored nor kept in memory, the clinic's store is untouched.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from domain import validation as v
from domain.errors import JournalError, ReadOnlyJournal
from domain.events import EntryEvent
from domain.journal import ASSESSED_TYPES
from domain.recorder import JournalRecorder, connect, storage_error
from domain.storage import FileInfo, inspect_file, stray_wal_problem
from domain.values import AuthorRole

if TYPE_CHECKING:
    from domain.application import JournalApp
    from domain.deferred import Verified

#: What waits until a file being written is whole, raising what its writing raised.
Written = Callable[[], None]


class PendingRecorder(JournalRecorder):
    """The recorder of a journal file still being written (a clinic's review copy): nothing is
    read from or written to it until it is whole, and its connection is made then (``whole``,
    on the first use of ``conn``). OPENED finishes the open as ``JournalApp.open`` does for a
    file (its lock, metadata and write-ahead log's check); it may raise a JournalError."""

    def __init__(self, path: Path, written: Written, opened: Callable[[FileInfo], None]) -> None:
        # Not JournalRecorder.__init__, which connects at once: the file may not exist yet.
        self.path = path
        self.readonly = False  # the review's own notes are written (``JournalApp._store`` decides)
        self.chain_key = None  # a review copy from the clinic is a plain journal
        self._written = written
        self._opened = opened
        self._conn: sqlite3.Connection | None = None
        self._refused: JournalError | None = None
        self._settling = threading.Lock()  # a save and an export on two threads wait once

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            self.whole()
        assert self._conn is not None
        return self._conn

    @conn.setter
    def conn(self, value: sqlite3.Connection) -> None:
        self._conn = value

    def whole(self) -> None:
        """Wait until the file is written whole, then open it; a JournalError (one sentence,
        the same one again on every later use) when it could not be written or opened."""
        if self._conn is not None:
            return
        with self._settling:
            self._settle()

    def _settle(self) -> None:
        if self._conn is not None:
            return
        if self._refused is not None:
            raise self._refused
        try:
            self._written()
        except Exception as exc:
            detail = (exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)) or type(exc).__name__
            self._refused = JournalError(
                f"{self.path.stem}: the review copy could not be written ({detail}): nothing was saved, here "
                "or in the clinic's store; close the patient and open them again from the caseload")
            raise self._refused from None
        try:
            self._opened(inspect_file(self.path))
            self._conn = connect(self.path, readonly=False)
        except sqlite3.Error as exc:
            self._refused = storage_error(self.path, exc, "opening the journal")
            raise self._refused from None
        except JournalError as exc:
            self._refused = exc
            raise

    def close(self) -> None:
        """Close the connection if the file was ever opened; never waits for it."""
        if self._conn is not None:
            self._conn.close()


class ReviewMode:
    """``JournalApp``'s review mode (a mixin): the open for a therapist and its rule for what
    may be added; a journal whose file is still being written (``PendingRecorder``)."""

    path: Path
    reviewer: str | None
    integrity_problem: str | None
    recorder: JournalRecorder
    _meta: dict[str, str]

    def _acquire_lock(self) -> None:
        raise NotImplementedError  # JournalApp locks its file

    @classmethod
    def open_for_review(cls, path: Path | str, therapist: str, *, passphrase: str | None = None,
                        verified: Verified | None = None, written: Written | None = None) -> JournalApp:
        """Open a journal for THERAPIST to review: the patient's entries are read-only; only
        THERAPIST's review notes can be added (``review_note``/``annotate``) and other copies
        merged in. VERIFIED: as for ``open`` (a clinic's review copy: the journal decoded from
        the very rows being written into it, ``domain.clinic.review_copy``). WRITTEN, with
        VERIFIED: the file may still be being written; this waits until it is whole, raising
        what writing it raised (see the module docstring): the app opens without it."""
        from domain.application import JournalApp

        name = v.text(max_len=200)(therapist, "therapist", "therapist name")
        if written is not None and verified is not None and passphrase is None:
            app = JournalApp(Path(path), readonly=False, create=False, written=written)
            app.journal, app._log = verified[0], list(verified[1])
        else:
            if written is not None:
                written()
            app = JournalApp.open(path, passphrase=passphrase, verified=verified)
        app.reviewer = name
        return app

    def _file_opened(self, info: FileInfo) -> None:
        """``PendingRecorder``'s OPENED: the rest of ``JournalApp.open`` once the file is whole
        (its journal came decoded from the rows it was written from: not read again)."""
        self._acquire_lock()
        self._meta = dict(info.meta)
        self.integrity_problem = stray_wal_problem(self.path, info.meta)
        if self.integrity_problem is not None:
            raise JournalError(self.integrity_problem)

    @property
    def meta(self) -> dict[str, str]:
        """The file's metadata (``journal_meta``); for a file still being written, once whole."""
        self.file_ready()
        return self._meta

    @meta.setter
    def meta(self, value: dict[str, str]) -> None:
        self._meta = value

    def file_ready(self) -> Path:
        """The journal's file, whole: a clinic's review copy may still be being written when it
        opens (``PendingRecorder``), and this waits for it (JournalError when it could not be
        written); for any other journal it is ``path`` at once. For what reads the file by its
        path while it is open (an export of a copy)."""
        recorder = self.recorder
        if isinstance(recorder, PendingRecorder):
            recorder.whole()
        return self.path

    def _check_review_entries(self, events: Iterable[EntryEvent]) -> None:
        """ReadOnlyJournal unless every one of EVENTS is the reviewer's own: their
        therapist-authored entries (review notes, measure assignments) and the clinic tests
        they assessed themselves."""
        for event in events:
            own_note = (type(event).AUTHOR_ROLE is AuthorRole.THERAPIST
                        and getattr(event, "therapist", None) == self.reviewer)
            own_test = (event.type_name() in ASSESSED_TYPES and event.author_name == self.reviewer
                        and event.author_role == AuthorRole.THERAPIST.value)
            if not (own_note or own_test):
                raise ReadOnlyJournal(
                    f"{self.path}: open for review by {self.reviewer}: the patient's entries are "
                    f"read-only; only {self.reviewer}'s review notes, measure assignments and clinic "
                    "tests can be added")
