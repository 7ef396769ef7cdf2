"""The recorder of a ``.sciatica`` file: eventsourcing's ``ApplicationRecorder`` interface on one
SQLite connection that this module owns.

It implements the interface's public methods (``insert_events``, ``select_events``,
``select_notifications``, ``max_notification_id``) instead of subclassing eventsourcing's SQLite
recorder, whose extension points are private. Owning the connection is what lets every write
extend the hash chain (``event_chain``) and the metadata's ``chain_head``/``chain_length`` in
the very transaction that inserts the events, read the log and its chain in one snapshot, open
a file read-only without switching its journal mode, and turn SQLite's errors into sentences.

Stored table layout is eventsourcing's (``stored_events``), so files written by earlier versions
open unchanged.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent, Subscription

from domain.chain import GENESIS, LinkedRow, LogEnds, StoredLog, link_hash
from domain.errors import DiskFull, JournalError, ReadOnlyJournal

META_TABLE = "journal_meta"
CHAIN_TABLE = "event_chain"
MERGES_TABLE = "merges"
EVENTS_TABLE = "stored_events"

SCHEMA = (
    f"CREATE TABLE IF NOT EXISTS {EVENTS_TABLE} (originator_id TEXT, originator_version INTEGER, "
    "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))",
    f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {CHAIN_TABLE} (position INTEGER PRIMARY KEY, hash BLOB NOT NULL)",
    # Where merged entries came from (``merge_from``): one row per entry copied from another file.
    f"CREATE TABLE IF NOT EXISTS {MERGES_TABLE} (entry_id TEXT PRIMARY KEY, source TEXT NOT NULL, "
    "journal_id TEXT NOT NULL, merged_at TEXT NOT NULL)",
)

SELECT_ROWS = (f"SELECT rowid, originator_id, originator_version, topic, state FROM {EVENTS_TABLE} "
               "ORDER BY rowid")
SELECT_LINKS = f"SELECT position, hash FROM {CHAIN_TABLE} ORDER BY position"
SELECT_CHAIN_META = f"SELECT key, value FROM {META_TABLE} WHERE key IN ('chain_head', 'chain_length')"
# Each stored event with the link recorded at its position (NULL when it has none), in log order:
# what ``ChainWalk`` streams. SQLite reads the chain by its primary key beside the table scan.
_LINKED = (f"SELECT e.originator_id, e.originator_version, e.topic, e.state, c.hash FROM {EVENTS_TABLE} e "
           f"LEFT JOIN {CHAIN_TABLE} c ON c.position = e.rowid")
SELECT_LINKED = f"{_LINKED} ORDER BY e.rowid"
# The same for the rows of one span of rowids (``linked_span``: a part of ``sciatica verify``).
SELECT_LINKED_SPAN = f"{_LINKED} WHERE e.rowid BETWEEN ? AND ? ORDER BY e.rowid"
SELECT_LINK = f"SELECT hash FROM {CHAIN_TABLE} WHERE position = ?"
SELECT_ENDS = (f"SELECT (SELECT MIN(rowid) FROM {EVENTS_TABLE}), (SELECT MAX(rowid) FROM {EVENTS_TABLE}), "
               f"(SELECT MIN(position) FROM {CHAIN_TABLE}), (SELECT MAX(position) FROM {CHAIN_TABLE})")

LOCK_TIMEOUT_S = 5.0


def file_uri(path: Path, *, readonly: bool) -> str:
    """A ``file:`` URI for PATH, percent-encoded so that ``#``, ``?``, ``%`` and spaces in a
    folder or file name stay part of the name (SQLite would read them as URI syntax)."""
    uri = f"file:{quote(path.resolve().as_posix(), safe='/')}"
    return f"{uri}?mode=ro" if readonly else f"{uri}?mode=rw"


def connect(path: Path, *, readonly: bool, create: bool = False) -> sqlite3.Connection:
    """An autocommit connection (transactions are explicit); CREATE makes a new file.

    A reading connection is read-only (it never checkpoints a WAL left by a crash into the file,
    so reading never changes the file's bytes); where SQLite cannot make its ``-shm`` index
    (a read-only folder) it falls back to an ``immutable`` connection."""
    if readonly:
        return _reader(path)
    uri = file_uri(path, readonly=False)
    if create:
        uri = uri.replace("?mode=rw", "?mode=rwc")
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=LOCK_TIMEOUT_S,
                           check_same_thread=False)
    # The file's journal mode, as eventsourcing's recorder set it: a crash loses at most the
    # transaction being written. Reading connections never change it (a copy made by the
    # backup API may be in rollback mode).
    conn.execute("PRAGMA journal_mode=WAL")
    return conn


class _Reader(sqlite3.Connection):
    """A reading connection that takes away the empty ``-wal`` and ``-shm`` files left beside
    the file when it was the last one open.

    SQLite makes both to read a WAL-mode file, and a read-only connection cannot remove them
    when it closes, so reading a therapist's copy or a damaged file used to leave two files
    beside it. After the close, a writable connection is opened and closed: SQLite removes them
    only when no other connection has the file open and its WAL is empty, so nothing anyone
    wrote is touched and the file's bytes stay the same. Whichever reader made them (verify's
    parts read the file from several processes at once), the last one to close tidies."""

    made_side_files: Path | None = None

    def close(self) -> None:
        super().close()
        path, self.made_side_files = self.made_side_files, None
        if path is not None:
            _tidy_side_files(path)


def _side_files(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _tidy_side_files(path: Path) -> None:
    wal, _ = _side_files(path)
    try:
        if wal.stat().st_size != 0 or not os.access(path, os.W_OK):
            return
        with closing(sqlite3.connect(file_uri(path, readonly=False), uri=True, timeout=0)) as conn:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except (OSError, sqlite3.Error):
        pass  # busy, gone or unreadable: the side files stay, as SQLite left them


def _reader(path: Path) -> sqlite3.Connection:
    attempts = [file_uri(path, readonly=True)]
    if not os.access(path.parent, os.W_OK):
        attempts.append(file_uri(path, readonly=True) + "&immutable=1")
    error: sqlite3.Error | None = None
    for uri in attempts:
        conn = None
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=LOCK_TIMEOUT_S,
                                   check_same_thread=False, factory=_Reader)
            if not uri.endswith("immutable=1"):
                conn.made_side_files = path
            conn.execute("PRAGMA query_only = 1")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            error = exc
    assert error is not None
    raise error


def storage_error(path: Path, exc: sqlite3.Error, doing: str) -> JournalError:
    """One sentence for an SQLite error met while DOING (e.g. "saving the entry")."""
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    if code == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return DiskFull(f"{path}: the disk is full, so {doing} did not happen; the journal is "
                        "unchanged (free some space and try again)")
    if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return ReadOnlyJournal(f"{path}: the journal cannot be written here (the file or its folder "
                               f"is read-only), so {doing} did not happen")
    if code == sqlite3.SQLITE_BUSY or "locked" in text:
        return JournalError(f"{path}: the journal is busy in another program, so {doing} did not "
                            "happen; try again")
    return JournalError(f"{path}: {doing} failed ({exc}); the journal is unchanged")


class JournalRecorder(ApplicationRecorder):
    """The stored events, their chain, the metadata and the merges table of one file."""

    def __init__(self, path: Path, *, readonly: bool, create: bool = False,
                 chain_key: bytes | None = None) -> None:
        self.path = path
        self.readonly = readonly
        self.chain_key = chain_key  # an encrypted journal's keyed chain (``link_hash``)
        try:
            self.conn = connect(path, readonly=readonly, create=create)
            if create:
                with self.transaction():
                    for statement in SCHEMA:
                        self.conn.execute(statement)
        except sqlite3.Error as exc:
            raise storage_error(path, exc, "opening the journal") from None

    def close(self) -> None:
        """Close the connection (again is fine); the last one to close checkpoints the WAL."""
        self.conn.close()

    def make_writable(self) -> None:
        """Switch to a writing connection (after the journal was read and its chain checked)."""
        self.readonly = False
        self.reopen(self.path)

    def reopen(self, path: Path) -> None:
        """Connect to PATH instead (a journal built under a temporary name, then named)."""
        self.close()
        self.path = path
        try:
            self.conn = connect(path, readonly=self.readonly)
        except sqlite3.Error as exc:
            raise storage_error(path, exc, "opening the journal") from None

    @contextmanager
    def transaction(self, *, write: bool = True, doing: str = "saving") -> Iterator[sqlite3.Connection]:
        """One SQLite transaction; an error rolls it back and becomes a JournalError sentence."""
        if write and self.readonly:
            raise ReadOnlyJournal(f"{self.path}: the journal is open for reading only")
        try:
            self.conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise storage_error(self.path, exc, doing) from None

    # Writing -------------------------------------------------------------------------------

    def insert_events(self, stored_events: Sequence[StoredEvent], *, tracking: Any = None,
                      merges: Iterable[tuple[str, str, str, str]] = (), **kwargs: Any) -> Sequence[int]:
        """Insert STORED_EVENTS, their chain links and (from a merge) their sources, all in one
        transaction; returns their positions (notification ids)."""
        params = [(s.originator_id.hex if isinstance(s.originator_id, uuid.UUID) else str(s.originator_id),
                   s.originator_version, s.topic, s.state) for s in stored_events]
        return self.insert_rows(params, merges=merges)

    def insert_rows(self, params: Sequence[tuple[str, int, str, bytes]], *,
                    merges: Iterable[tuple[str, str, str, str]] = ()) -> Sequence[int]:
        """``insert_events`` of rows already as the table holds them (originator id as hex text,
        version, topic, state): a clinic's review copy is written from its stored rows so, without
        a StoredEvent for each (a tenth of writing the copy)."""
        with self.transaction(doing="saving") as c:
            row = c.execute(f"SELECT hash FROM {CHAIN_TABLE} ORDER BY position DESC LIMIT 1").fetchone()
            previous = bytes(row[0]) if row else GENESIS
            (last,) = c.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {EVENTS_TABLE}").fetchone()
            c.executemany(f"INSERT INTO {EVENTS_TABLE} VALUES (?, ?, ?, ?)", params)
            # SQLite gives each new row the largest rowid so far plus one; this transaction is the
            # only writer (BEGIN IMMEDIATE), so the positions are the next ones. Checked anyway:
            # a position the chain did not expect would read as tampering later.
            positions = list(range(int(last) + 1, int(last) + 1 + len(params)))
            (now,) = c.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {EVENTS_TABLE}").fetchone()
            if positions and now != positions[-1]:
                raise sqlite3.DatabaseError("stored events were not given consecutive positions")
            links: list[tuple[int, bytes]] = []
            for position, (oid, version, topic, state) in zip(positions, params, strict=True):
                previous = link_hash(previous, oid, version, topic, state, key=self.chain_key)
                links.append((position, previous))
            c.executemany(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?)", links)
            row = c.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'chain_length'").fetchone()
            length = (int(row[0]) if row else 0) + len(positions)
            c.executemany(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)",
                          [("chain_head", previous.hex()), ("chain_length", str(length))])
            merges = list(merges)
            if merges:
                c.execute(SCHEMA[3])  # a file from before merges were recorded has no such table
                c.executemany(f"INSERT OR REPLACE INTO {MERGES_TABLE} VALUES (?, ?, ?, ?)", merges)
        return positions

    def write_meta(self, values: dict[str, str]) -> None:
        with self.transaction(doing="saving the journal's details") as c:
            c.executemany(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)", list(values.items()))

    # Reading -------------------------------------------------------------------------------

    def read_log(self) -> StoredLog:
        """Every stored event and the chain, from one snapshot (a writer in another process
        never shows half a transaction)."""
        with self.transaction(write=False, doing="reading the journal") as c:
            return StoredLog(c.execute(SELECT_ROWS).fetchall(), c.execute(SELECT_LINKS).fetchall(),
                             c.execute(SELECT_CHAIN_META).fetchall())

    @contextmanager
    def linked_log(self) -> Iterator[tuple[Iterator[LinkedRow], LogEnds]]:
        """Every stored event with its link (``SELECT_LINKED``), streamed from one snapshot
        (valid inside the block), and the ends of the log and its chain from the same one:
        ``read_log`` without holding the rows (``ChainWalk``)."""
        with self.transaction(write=False, doing="reading the journal") as c:
            yield c.execute(SELECT_LINKED), self._ends(c)

    @contextmanager
    def linked_span(self, first: int, last: int) -> Iterator[tuple[Iterator[LinkedRow], Any, LogEnds]]:
        """``linked_log`` for the rows with rowids FIRST to LAST only, with the link recorded
        at the position before FIRST (GENESIS before the first; None when there is none), all
        from one snapshot: what one part of ``sciatica verify`` walks (``domain.verify_spans``)."""
        with self.transaction(write=False, doing="reading the journal") as c:
            ends = self._ends(c)
            before = c.execute(SELECT_LINK, (first - 1,)).fetchone() if first > 1 else (GENESIS,)
            yield c.execute(SELECT_LINKED_SPAN, (first, last)), None if before is None else before[0], ends

    def log_ends(self) -> LogEnds:
        """The ends of the log and its chain (``LogEnds``), in a snapshot of their own."""
        with self.transaction(write=False, doing="reading the journal") as c:
            return self._ends(c)

    @staticmethod
    def _ends(c: sqlite3.Connection) -> LogEnds:
        first_row, last_row, first_link, last_link = c.execute(SELECT_ENDS).fetchone()
        meta = {str(k): str(v) for k, v in c.execute(SELECT_CHAIN_META)}
        return LogEnds((first_row, last_row), (first_link, last_link), meta)

    def count_events(self) -> int:
        with self.transaction(write=False, doing="reading the journal") as c:
            (count,) = c.execute(f"SELECT COUNT(*) FROM {EVENTS_TABLE}").fetchone()
        return int(count)

    def merge_rows(self) -> list[tuple[str, str, str]]:
        """(entry_id, source, merged_at) of every merged entry; none for a file from before
        merges were recorded."""
        try:
            with self.transaction(write=False, doing="reading the journal") as c:
                return list(c.execute(f"SELECT entry_id, source, merged_at FROM {MERGES_TABLE} ORDER BY rowid"))
        except JournalError:
            return []

    def select_events(self, originator_id: uuid.UUID | str, *, gt: int | None = None,
                      lte: int | None = None, desc: bool = False, limit: int | None = None) -> list[StoredEvent]:
        oid = originator_id.hex if isinstance(originator_id, uuid.UUID) else originator_id
        sql = f"SELECT originator_id, originator_version, topic, state FROM {EVENTS_TABLE} WHERE originator_id = ?"
        params: list[Any] = [oid]
        if gt is not None:
            sql += " AND originator_version > ?"
            params.append(gt)
        if lte is not None:
            sql += " AND originator_version <= ?"
            params.append(lte)
        sql += " ORDER BY originator_version" + (" DESC" if desc else "")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self.transaction(write=False, doing="reading the journal") as c:
            return [StoredEvent(uuid.UUID(o), v, t, s) for o, v, t, s in c.execute(sql, params)]

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *, inclusive_of_start: bool = True) -> list[Notification]:
        sql = f"SELECT rowid, originator_id, originator_version, topic, state FROM {EVENTS_TABLE} WHERE 1"
        params: list[Any] = []
        if start is not None:
            sql += " AND rowid >= ?" if inclusive_of_start else " AND rowid > ?"
            params.append(start)
        if stop is not None:
            sql += " AND rowid <= ?"
            params.append(stop)
        if topics:
            sql += f" AND topic IN ({', '.join('?' for _ in topics)})"
            params.extend(topics)
        sql += " ORDER BY rowid LIMIT ?"
        params.append(limit)
        with self.transaction(write=False, doing="reading the journal") as c:
            return [Notification(id=i, originator_id=uuid.UUID(o), originator_version=v, topic=t, state=s)
                    for i, o, v, t, s in c.execute(sql, params)]

    def max_notification_id(self) -> int | None:
        with self.transaction(write=False, doing="reading the journal") as c:
            (value,) = c.execute(f"SELECT MAX(rowid) FROM {EVENTS_TABLE}").fetchone()
        return int(value) if value is not None else None

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> Subscription[ApplicationRecorder]:
        # A journal is one file opened by one process; nothing follows it live.
        raise NotImplementedError("a journal file has no live subscriptions; use JournalApp.subscribe")
