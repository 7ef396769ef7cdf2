"""The ``.sciatica`` file as a document: what its metadata says, whether this version can open
it, and the one-process-at-a-time lock.

The tables and the writes are ``domain.recorder``'s; the hash chain is ``domain.chain``'s (both
re-exported here, where earlier code imported them from).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import uuid
from collections.abc import Iterable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from domain.chain import GENESIS, ChainProblem, link_hash
from domain.errors import JournalLocked, NewerFormat, NotAJournal
from domain.recorder import (
    CHAIN_TABLE,
    EVENTS_TABLE,
    MERGES_TABLE,
    META_TABLE,
    SELECT_ROWS,
    connect,
    file_uri,
)

__all__ = ["CHAIN_TABLE", "EVENTS_TABLE", "FORMAT_VERSION", "GENESIS", "MERGES_TABLE", "META_TABLE",
           "SELECT_ROWS", "ChainProblem", "FileInfo", "FileLock", "inspect_file", "link_hash",
           "read_ahead", "read_only_uri"]

FORMAT_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileInfo:
    """What the metadata table says about a journal, read without writing to it."""

    path: Path
    meta: dict[str, str]

    @property
    def journal_id(self) -> uuid.UUID | None:
        raw = self.meta.get("journal_id")
        return uuid.UUID(raw) if raw else None

    @property
    def encrypted(self) -> bool:
        return "kdf" in self.meta


def read_only_uri(path: Path) -> str:
    return file_uri(path, readonly=True)


def read_ahead(paths: Iterable[Path]) -> None:
    """Ask the system to start reading PATHS (journals, with their write-ahead logs) into
    memory now, in the background, so a batch read one file after another (``clinic add``)
    does not wait for the disk at each: SQLite reads a file a page at a time, which on a cold
    cache is a wait per page (10 ms a one-year journal, against 1 ms once it is in memory).
    Missing or unreadable files are passed over (their read says so); where the system has no
    such request (Windows), nothing happens."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        for part in (path, Path(f"{path}-wal")):
            try:
                fd = os.open(part, os.O_RDONLY)
            except OSError:
                continue
            try:
                advise(fd, 0, 0, os.POSIX_FADV_WILLNEED)
            except OSError:
                pass
            finally:
                os.close(fd)


def inspect_file(path: Path, *, whole: bool = True) -> FileInfo:
    """Check that PATH is a journal this version can open, without writing to it.

    Raises NotAJournal (one sentence naming the file) for anything else. WHOLE: every page of
    its entries is read too (a damaged one refused here); without, only its header and metadata
    (for a caller that reads the whole file afterwards with the same check, such as ``clinic
    add``, which only needs to know whose copies it was given before handing them out).
    """
    if not path.exists():
        raise NotAJournal(f"{path}: no such file")
    if path.is_dir():
        raise NotAJournal(f"{path}: is a folder, not a journal file")
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise NotAJournal(f"{path}: cannot be read ({exc.strerror})") from None
    if not header:
        raise NotAJournal(f"{path}: the file is empty, not a Sciatica Tracker journal")
    if not header.startswith(SQLITE_MAGIC):
        raise NotAJournal(f"{path}: not a Sciatica Tracker journal (unrecognised file format)")
    try:
        with closing(connect(path, readonly=True)) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if META_TABLE not in tables or EVENTS_TABLE not in tables:
                raise NotAJournal(f"{path}: a database, but not a Sciatica Tracker journal")
            meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
            if whole:
                conn.execute(f"SELECT COUNT(*) FROM {EVENTS_TABLE}").fetchone()
    except NotAJournal:
        raise
    except sqlite3.DatabaseError as exc:
        raise NotAJournal(f"{path}: the journal is damaged and cannot be read ({exc})") from None
    except UnicodeDecodeError:  # a damaged page can hold text that is not UTF-8
        raise NotAJournal(f"{path}: the journal is damaged and cannot be read (text that is not UTF-8)") from None
    if meta.get("application") != "sciatica-tracker":
        raise NotAJournal(f"{path}: a database, but not a Sciatica Tracker journal")
    try:
        version = int(meta.get("format_version", ""))
    except ValueError:
        raise NotAJournal(f"{path}: the journal's format version is unreadable") from None
    if version > FORMAT_VERSION:
        raise NewerFormat(f"{path}: written by a newer version of Sciatica Tracker "
                          f"(format {version}); please update the app to open it")
    return FileInfo(path=path, meta=meta)


class FileLock:
    """An advisory lock that keeps a journal to one process at a time.

    A BSD ``flock`` on the database file itself: it does not disturb SQLite's own POSIX
    locks, leaves no stray lock file behind, and the kernel drops it when the process dies.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        handle = self.path.open("rb")
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise JournalLocked(
                f"{self.path}: the journal is already open in another window or program; "
                "close it there first") from None
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


if sys.platform == "win32":  # pragma: no cover - exercised only by the Windows build
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


FILE_ID = "file_id"  # this file's own id: a new one for every copy (the journal id is shared)


def stray_wal_problem(path: Path, meta: dict[str, str]) -> str | None:
    """One sentence when the ``-wal`` beside PATH was not written by PATH itself.

    Every write of the app updates the metadata page, so a WAL holds the ``file_id`` of the file
    that wrote it; META is what PATH reads with its WAL, and the main file alone (``immutable``:
    SQLite then ignores the WAL) must say the same. A WAL left by a crash of this file agrees. A
    file from before file ids (none in its main file) is not checked."""
    wal = Path(f"{path}-wal")
    try:
        if not wal.is_file() or wal.stat().st_size == 0:
            return None
        with closing(sqlite3.connect(f"{file_uri(path, readonly=True)}&immutable=1", uri=True)) as conn:
            row = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key = ?", (FILE_ID,)).fetchone()
    except (OSError, sqlite3.Error):
        return None
    if row is None or meta.get(FILE_ID) == row[0]:
        return None
    return (f"{path}: the file {wal.name} beside it was written by another copy or journal, not by this "
            "file; the journal was not changed (move that file away to open the journal as it was)")
