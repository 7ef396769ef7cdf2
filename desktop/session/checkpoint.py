"""A stored start-up checkpoint: what an open of a journal built from its bytes (the decoded
entries, the aggregate, the replayed read models with the evaluated stage days and the full
Progress series, the session's index), kept in the user's cache folder so that the next open
of the very same bytes does not read, decode, chain-check and replay the file again (on a
10-year journal that was most of the window's start-up).

A checkpoint names the SHA-256 of the journal file's bytes and of its write-ahead log
(SQLite's ``-wal``) and the version of the code that built it (the app's version, this
format, and a digest of the domain's and projections' sources). It is written only for bytes
that this code has read and verified in full: the bytes of the session's own open, or, after
a session that saved (or a file that changed under it), the bytes as closed, read again and
verified in full off the UI thread and found to hold exactly the session's entries. So a
byte-identical file has the same verification result, and any change to the file (one byte)
changes the digest: the full open then runs, and tampering is detected exactly as without a
checkpoint. Never for an encrypted journal (its entries are health data in plain text here,
and the cache is not sealed), nor for one whose chain fails, nor in review mode.

The state is pickled, and read back by an unpickler that builds only the read models'
own classes (no other callable), so a foreign or damaged file cannot run code; anything that
does not fit is ignored silently and the journal opens in full. At most ``KEEP`` checkpoints
are kept (the oldest go), so a deleted journal's data does not stay in the cache. No Qt.
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

import domain
import projections
from desktop.session.index import EntryIndex
from domain import __version__
from domain.collector import collector_paused
from domain.events import EntryEvent
from domain.journal import RecoveryJournal
from projections.timeline import Timeline

log = logging.getLogger(__name__)

FORMAT = 3  # of the checkpoint file; a file of another format (the stage days of format 1) is ignored
MAGIC = b"sciatica start-up checkpoint\n"
SUFFIX = ".checkpoint"
CHUNK = 1 << 20
KEEP = 3  # checkpoints kept in the folder: the journals opened last
# A journal this short opens in a few milliseconds: a checkpoint would gain nothing.
MIN_ENTRIES = 1000
STALE_TMP_S = 3600.0  # a half-written file older than this was left by a crash


def file_digest(path: Path) -> str:
    """SHA-256 of PATH's bytes followed by those of its write-ahead log (SQLite's ``-wal``),
    so that entries not yet moved into the main file count too (~10 ms for 10 MB)."""
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        try:
            with open(part, "rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
        except FileNotFoundError:
            if part == path:
                raise
        digest.update(b"\0")  # where the main file ends and the log begins
    return digest.hexdigest()


@cache
def code_version() -> str | None:
    """The app's version, this format and a digest of the code the stored state depends on
    (the domain's events and rules, every projection, the session's index): changed code
    ignores old checkpoints, even without a new version number. From source, the digest is of
    those modules' sources; in the installed bundle (PyInstaller), which has no sources, of
    its executable, which carries the archive of every module's compiled code (7.5 MB, ~5 ms,
    once a process). None when neither can be read: then no checkpoint is used, as a rebuilt
    bundle could keep its version."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    if getattr(sys, "frozen", False):
        try:
            with open(sys.executable, "rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            return None
        return digest.hexdigest()
    for package in (domain, projections):
        try:
            sources = sorted(Path(folder, name) for folder in package.__path__
                             for name in os.listdir(folder) if name.endswith(".py"))
        except OSError:  # not a folder on disk (a zipped bundle)
            sources = []
        if not sources:
            return None
        for source in sources:
            digest.update(source.name.encode() + b"\0" + source.read_bytes())
    # The session's own index is stored too.
    index = Path(__file__).with_name("index.py")
    try:
        digest.update(index.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class FileState:
    """The bytes a session's state was verified against (their digest) and how many entries
    they hold."""

    digest: str
    entries: int


@dataclass(frozen=True)
class SessionState:
    """What an open builds from a journal's bytes: the aggregate and the log (``JournalApp``),
    the replayed read models (``Timeline``) and the session's index."""

    journal: RecoveryJournal
    log: Sequence[EntryEvent]
    timeline: Timeline
    index: EntryIndex

    def consistent(self) -> bool:
        count = len(self.log)
        return (isinstance(self.journal, RecoveryJournal) and isinstance(self.timeline, Timeline)
                and isinstance(self.index, EntryIndex) and len(self.timeline) == count
                and self.index.count == count and len(self.journal.entries) <= count)


# What a checkpoint may build: the classes of the modules whose objects a session's state
# holds (values, events, the aggregate, the read models), a few standard value types, and enum
# members by name. Nothing else resolves, so no function of the standard library (``os.system``,
# ``eval``…) can be reached from the file's bytes.
_MODULES = ("domain.events", "domain.journal", "domain.review", "domain.values", "desktop.session.index",
            "desktop.session.checkpoint")
_PACKAGES = ("projections.",)
_STANDARD = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
             ("datetime", "timezone"), ("uuid", "UUID"), ("fractions", "Fraction"), ("array", "array"),
             ("builtins", "set"), ("builtins", "frozenset"), ("collections", "OrderedDict")}


def _allowed_module(module: str) -> bool:
    return module in _MODULES or module.startswith(_PACKAGES)


def _member(owner: object, name: object) -> object:
    """``getattr`` as pickle uses it, for two things only: an enum member by name, and a
    public method of a read model bound to it (a projection's routing table holds them)."""
    if isinstance(name, str) and not name.startswith("_"):
        if isinstance(owner, enum.EnumMeta):
            return owner[name]
        if not isinstance(owner, type) and _allowed_module(type(owner).__module__):
            method = getattr(owner, name, None)
            function = getattr(method, "__func__", None)
            if getattr(method, "__self__", None) is owner and _allowed_module(getattr(function, "__module__", "")):
                return method
    raise pickle.UnpicklingError("not an enum member or a read model's method")


def _array(cls: object, typecode: object, _machine_format: object, data: object) -> object:
    """An ``array.array`` from its type code and bytes (the index's positions), as pickle's
    own reconstructor gives it on the machine that wrote it (the cache is this machine's)."""
    import array

    if cls is not array.array or not (isinstance(typecode, str) and isinstance(data, bytes | bytearray)):
        raise pickle.UnpicklingError("not an array")
    return array.array(typecode, data)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name == "getattr":
            return _member
        if module == "array" and name == "_array_reconstructor":
            return _array
        if (module, name) in _STANDARD or _allowed_module(module):
            found = super().find_class(module, name)
            # A class defined there: not one those modules import from elsewhere (a path, a
            # thread…), which pickle would name by its own module anyway.
            if isinstance(found, type) and ((module, name) in _STANDARD or _allowed_module(found.__module__)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a checkpoint")


# The stored state is several pickles in a row, so that what the reader holds while it reads
# stays small: an unpickler keeps every container it has read (each object's attribute dict
# included) until its pickle ends, which for the whole state at once was a transient as large
# as the state itself (~40 MB on 10 years, kept in the peak RSS). First the number of chunks,
# then the log in chunks of CHUNK_ENTRIES entries, then the aggregate, the index, the timeline's
# projection and the timeline, each on its own, which name the entries (and their ids) by their
# position in the log, and the timeline its projection.
CHUNK_ENTRIES = 2048


class _Referencing(pickle.Pickler):
    """Writes the entries of LOG and their ids, and SHARED, as references to what was
    written before them."""

    def __init__(self, file: BinaryIO, log: Sequence[EntryEvent], shared: Sequence[object] = ()) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = {id(event): i for i, event in enumerate(log)}
        self._refs.update({id(event.entry_id): len(log) + i for i, event in enumerate(log)})
        self._refs.update({id(obj): 2 * len(log) + i for i, obj in enumerate(shared)})

    def persistent_id(self, obj: object) -> int | None:
        return self._refs.get(id(obj))


def _write_state(f: BinaryIO, state: SessionState) -> None:
    entries = list(state.log)
    chunks = [entries[i:i + CHUNK_ENTRIES] for i in range(0, len(entries), CHUNK_ENTRIES)]
    pickle.dump(len(chunks), f, protocol=pickle.HIGHEST_PROTOCOL)
    for chunk in chunks:
        pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
    for part in (state.journal, state.index, state.timeline.current):  # one unpickler each, as the chunks
        _Referencing(f, entries).dump(part)
    # The timeline last, naming its projection (shared with the stage days and the series).
    _Referencing(f, entries, [state.timeline.current]).dump(state.timeline)


def _read_state(f: BinaryIO) -> SessionState:
    count = _Unpickler(f).load()
    if not isinstance(count, int):
        raise pickle.UnpicklingError("not a checkpoint")
    entries: list[EntryEvent] = []
    for _ in range(count):  # a new unpickler per chunk: each chunk's containers go with it
        chunk = _Unpickler(f).load()
        if not isinstance(chunk, list) or not all(isinstance(e, EntryEvent) for e in chunk):
            raise pickle.UnpicklingError("not a chunk of entries")
        entries.extend(chunk)
    # Only positions in this list resolve (a C lookup: ~250,000 references on 10 years).
    refs = [*entries, *(e.entry_id for e in entries)]
    parts = []
    for _ in range(4):
        part = _Unpickler(f)
        part.persistent_load = refs.__getitem__  # type: ignore[method-assign]
        parts.append(part.load())
        if len(parts) == 3:
            refs.append(parts[2])  # the projection, which the timeline names
    journal, index, _projection, timeline = parts
    return SessionState(journal, entries, timeline, index)


_pending: dict[Path, threading.Thread] = {}
_pending_lock = threading.Lock()


def wait_for_writes(timeout: float | None = None) -> None:
    """Wait until every checkpoint being written has been written (before the process exits:
    a checkpoint's writer thread is not a daemon, but ``os._exit`` would not wait for it)."""
    with _pending_lock:
        threads = list(_pending.values())
    for thread in threads:
        thread.join(timeout)


class CheckpointStore:
    """Checkpoints in FOLDER, one per journal path (named by a digest of the path, so nothing
    of the journal's name is written)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def file_for(self, journal: Path) -> Path:
        name = hashlib.sha256(str(journal.resolve()).encode()).hexdigest()[:32]
        return self.folder / f"{name}{SUFFIX}"

    @staticmethod
    def worth_keeping(entries: int) -> bool:
        """Whether a journal of ENTRIES entries gets a checkpoint (a short one opens at once)."""
        return entries >= MIN_ENTRIES and code_version() is not None

    # Reading ------------------------------------------------------------------------------------

    def load(self, journal: Path, digest: str) -> SessionState | None:
        """The state stored for JOURNAL's bytes with DIGEST, or None (none, other bytes or
        code, unreadable, inconsistent: all silently)."""
        code = code_version()
        if code is None:
            return None
        target = self.file_for(journal)
        with _pending_lock:
            writing = _pending.get(target)
        if writing is not None:  # closed a moment ago: its checkpoint is still being written
            writing.join()
        try:
            with open(target, "rb") as f:
                if f.read(len(MAGIC)) != MAGIC:
                    return None
                header = json.loads(f.read(int.from_bytes(f.read(4), "big")))
                if (not isinstance(header, dict) or header.get("format") != FORMAT
                        or header.get("code") != code or header.get("file") != digest):
                    return None
                with collector_paused(freeze=True):  # it lives as long as the session
                    state = _read_state(f)
            if not state.consistent() or len(state.log) != header.get("entries"):
                return None
            return state
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged or foreign file: the journal opens in full
            log.debug("start-up checkpoint for %s ignored (%s)", journal, type(exc).__name__)
            return None

    # Writing ------------------------------------------------------------------------------------

    def store(self, journal: Path, file: FileState, state: SessionState) -> None:
        """Write the checkpoint now (replacing the previous one at once, readable by the user
        only), then keep only the ``KEEP`` newest; a folder that cannot be written only means
        no checkpoint."""
        code = code_version()
        if code is None or not self.worth_keeping(len(state.log)):
            return
        header = json.dumps({"format": FORMAT, "code": code, "file": file.digest,
                             "entries": file.entries}).encode()
        target = self.file_for(journal)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".checkpoint-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(MAGIC + len(header).to_bytes(4, "big") + header)
                    _write_state(f, state)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self.prune()
        except (OSError, pickle.PicklingError, RecursionError) as exc:
            log.debug("start-up checkpoint for %s not written (%s)", journal, exc)

    def store_later(self, journal: Path, work: Callable[[], tuple[FileState, SessionState] | None]) -> None:
        """Run WORK on a thread of its own (it may verify the file again: seconds on a long
        journal) and store what it returns. The session hands it state nobody changes any
        more (a closed session's), so the thread reads it safely; the next ``load`` of the
        same journal waits for it."""
        target = self.file_for(journal)

        def run() -> None:
            try:
                found = work()
                if found is not None:
                    self.store(journal, *found)
            except Exception as exc:  # a checkpoint is only an optimization
                log.debug("start-up checkpoint for %s not written (%s)", journal, type(exc).__name__)
            finally:
                with _pending_lock:
                    if _pending.get(target) is threading.current_thread():
                        del _pending[target]

        thread = threading.Thread(target=run, name="checkpoint", daemon=False)
        with _pending_lock:
            previous = _pending.get(target)
            _pending[target] = thread
        if previous is not None:
            previous.join()
        thread.start()

    def forget(self, journal: Path) -> None:
        """Remove JOURNAL's checkpoint (its bytes changed in a way that was not verified, or it
        now has a passphrase). A checkpoint still being written from the session that closed a
        moment ago is waited for first, so that it cannot land after its removal."""
        target = self.file_for(journal)
        with _pending_lock:
            writing = _pending.get(target)
        if writing is not None and writing is not threading.current_thread():
            writing.join()
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass

    def prune(self) -> None:
        """Keep the ``KEEP`` newest checkpoints; remove older ones, files of an earlier format
        and half-written files a crash left behind."""
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        now = time.time()
        kept: list[tuple[float, str]] = []
        for entry in entries:
            try:
                mtime = entry.stat().st_mtime
                if entry.name.endswith(SUFFIX):
                    kept.append((mtime, entry.path))
                elif entry.name.endswith(".json") or (entry.name.endswith(".tmp") and now - mtime > STALE_TMP_S):
                    os.unlink(entry.path)
            except OSError:
                continue
        for _mtime, path in sorted(kept, reverse=True)[KEEP:]:
            try:
                os.unlink(path)
            except OSError:
                pass
