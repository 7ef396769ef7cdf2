"""The ``.sciatica`` file: eventsourcing's SQLite tables, a metadata table, a hash chain,
and the one-process-at-a-time lock.

The hash chain lives in its own table (``event_chain``), one row per stored event, written
by ``ChainedSQLiteRecorder`` in the very transaction that inserts the events, so a crash can
never leave an event without its link. ``chain_head`` in the metadata table is updated in the
same transaction, so removing the last events is detected too.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from domain.errors import JournalLocked, NewerFormat, NotAJournal

FORMAT_VERSION = 1
META_TABLE = "journal_meta"
CHAIN_TABLE = "event_chain"
EVENTS_TABLE = "stored_events"
GENESIS = b"\x00" * 32
SQLITE_MAGIC = b"SQLite format 3\x00"

CREATE_META = f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
CREATE_CHAIN = (
    f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} "
    "(position INTEGER PRIMARY KEY, hash BLOB NOT NULL)"
)


def link_hash(previous: bytes, originator_id: str, version: int, topic: str, state: bytes) -> bytes:
    """One link of the chain: covers the stored event's bytes and the previous link."""
    h = hashlib.sha256(previous)
    h.update(originator_id.encode())
    h.update(version.to_bytes(8, "big"))
    h.update(topic.encode())
    h.update(len(state).to_bytes(8, "big"))
    h.update(state)
    return h.digest()


class ChainedSQLiteRecorder(SQLiteApplicationRecorder):
    """Application recorder that extends the hash chain inside the insert transaction."""

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), CREATE_META, CREATE_CHAIN]

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        assert positions is not None
        c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1")
        row = c.fetchone()
        previous = bytes(row[0]) if row else GENESIS
        links = []
        for position, s in zip(positions, stored_events, strict=True):
            oid = s.originator_id.hex if isinstance(s.originator_id, uuid.UUID) else str(s.originator_id)
            previous = link_hash(previous, oid, s.originator_version, s.topic, s.state)
            links.append((position, previous))
        c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?)", links)
        c.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('chain_head', ?)", (previous.hex(),))
        c.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'chain_length'")
        row = c.fetchone()
        length = (int(row[0]) if row else 0) + len(positions)
        c.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('chain_length', ?)", (str(length),))
        return positions


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
    return f"file:{path.resolve().as_posix()}?mode=ro"


def inspect_file(path: Path) -> FileInfo:
    """Check that PATH is a journal this version can open, without writing to it.

    Raises NotAJournal (one sentence naming the file) for anything else.
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
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            conn.execute("PRAGMA query_only = 1")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if META_TABLE not in tables or EVENTS_TABLE not in tables:
                raise NotAJournal(f"{path}: a database, but not a Sciatica Tracker journal")
            meta = dict(conn.execute(f"SELECT key, value FROM {META_TABLE}").fetchall())
            conn.execute(f"SELECT COUNT(*) FROM {EVENTS_TABLE}").fetchone()
    except NotAJournal:
        raise
    except sqlite3.DatabaseError as exc:
        raise NotAJournal(f"{path}: the journal is damaged and cannot be read ({exc})") from None
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


def write_meta(path: Path, values: dict[str, str]) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(CREATE_META)
        conn.executemany(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)", list(values.items()))


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


@dataclass(frozen=True)
class ChainProblem:
    position: int  # 1-based position in the stored log
    originator_id: str | None
    topic: str | None
    state: bytes | None
    what: str


def iter_chain_problems(conn: sqlite3.Connection) -> Iterator[ChainProblem]:
    """Yield the first break in the chain, if any (then stop)."""
    events = conn.execute(
        f"SELECT rowid, originator_id, originator_version, topic, state FROM {EVENTS_TABLE} "
        "ORDER BY rowid")
    links = conn.execute(f"SELECT position, hash FROM {CHAIN_TABLE} ORDER BY position")
    previous = GENESIS
    count = 0
    link_iter = iter(links)
    for index, (rowid, oid, version, topic, raw_state) in enumerate(events, start=1):
        count = index
        # A sqlite3 session can store text where the app stored bytes; compare the bytes.
        state = raw_state.encode() if isinstance(raw_state, str) else bytes(raw_state or b"")
        link = next(link_iter, None)
        if link is None or link[0] != rowid:
            yield ChainProblem(index, oid, topic, state, "has no matching chain link "
                               "(inserted, removed or moved outside the app)")
            return
        expected = link_hash(previous, str(oid), int(version), str(topic), state)
        if expected != bytes(link[1]):
            yield ChainProblem(index, oid, topic, state, "does not match its recorded hash "
                               "(changed, removed or reordered outside the app)")
            return
        previous = expected
    extra = next(link_iter, None)
    if extra is not None:
        yield ChainProblem(count + 1, None, None, None,
                           "is missing: the chain records more entries than the file holds")
        return
    head = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key='chain_head'").fetchone()
    length = conn.execute(f"SELECT value FROM {META_TABLE} WHERE key='chain_length'").fetchone()
    if count and (head is None or head[0] != previous.hex() or length is None or int(length[0]) != count):
        yield ChainProblem(count + 1 if length and int(length[0]) > count else count, None, None, None,
                           "is missing or altered: the end of the log does not match the journal's "
                           "recorded chain head")
