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

import contextlib
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar, cast

import domain
import projections
from desktop.session.face import LazyRest, SessionFace, SessionState, build_face
from desktop.session.pickled import (
    Hashing,
    _Unpickler,
    read_face,
    read_rest,
    rest_digest_at,
    write_face,
    write_rest,
)
from domain import __version__
from domain.collector import collector_paused

__all__ = ["MAGIC", "CheckpointStore", "FileState", "Restored", "SessionState", "_Unpickler", "file_digest",
           "wait_for_writes"]

log = logging.getLogger(__name__)

FORMAT = 5  # of the checkpoint file (4: a face and a rest; 5: the face's entry ids in a table); another is ignored
MAGIC = b"sciatica start-up checkpoint\n"
SUFFIX = ".checkpoint"
CHUNK = 1 << 16  # bytes hashed at a time: small, as it is done on threads (each would keep its own malloc arena)
KEEP = 3  # checkpoints kept in the folder: the journals opened last
# A journal this short opens in a few milliseconds: a checkpoint would gain nothing.
MIN_ENTRIES = 1000
STALE_TMP_S = 3600.0  # a half-written file older than this was left by a crash
T = TypeVar("T")


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


class Background(Generic[T]):
    """WORK run on a thread of its own from now; ``result()`` waits for it and gives its value
    (or raises what it raised). For hashing: hashlib lets go of the interpreter while it
    hashes, so a digest taken beside the face's read costs the start no time."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="checkpoint-digest", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to whoever asks for the result
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return cast(T, self._value)


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
    # The session's own index and the checkpoint's two parts are stored too.
    for name in ("index.py", "face.py", "pickled.py"):
        try:
            digest.update(Path(__file__).with_name(name).read_bytes())
        except OSError:
            return None
    return digest.hexdigest()


def _read_header(f: BinaryIO) -> dict[str, object] | None:
    """The header of the checkpoint F (its magic line, then a JSON object), or None when F is
    not one (ValueError: not JSON)."""
    if f.read(len(MAGIC)) != MAGIC:
        return None
    header = json.loads(f.read(int.from_bytes(f.read(4), "big")))
    return header if isinstance(header, dict) else None


@dataclass(frozen=True)
class FileState:
    """The bytes a session's state was verified against (their digest) and how many entries
    they hold."""

    digest: str
    entries: int


@dataclass(frozen=True)
class Restored:
    """A checkpoint matched at the open: its face, read, and its rest, read when first needed."""

    face: SessionFace
    rest: LazyRest


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

    def load(self, journal: Path, digest: Callable[[], str],
             fallback: Callable[[SessionFace], SessionState]) -> Restored | None:
        """The checkpoint stored for JOURNAL's bytes with DIGEST (asked once the face is read:
        it may be taken meanwhile, see ``Background``), or None (none, other bytes or code,
        unreadable, inconsistent: all silently). Its face is read now; its rest when first
        needed, from the file held open until then (FALLBACK reads the journal itself instead
        if the rest cannot be read then)."""
        code = code_version()
        if code is None:
            return None
        target = self.file_for(journal)
        with _pending_lock:
            writing = _pending.get(target)
        if writing is not None:  # closed a moment ago: its checkpoint is still being written
            writing.join()
        try:
            f = open(target, "rb")
        except FileNotFoundError:
            return None
        except OSError:
            return None
        try:
            restored = self._face_of(f, code, digest, journal, fallback)
        except Exception as exc:  # a damaged or foreign file: the journal opens in full
            log.debug("start-up checkpoint for %s ignored (%s)", journal, type(exc).__name__)
            restored = None
        if restored is None:
            f.close()
        return restored

    @staticmethod
    def _face_of(f: BinaryIO, code: str, digest: Callable[[], str], journal: Path,
                 fallback: Callable[[SessionFace], SessionState]) -> Restored | None:
        header = _read_header(f)
        if header is None or header.get("format") != FORMAT or header.get("code") != code:
            return None
        face_at = f.tell()
        face_size, rest_size, rest_sha = header.get("face"), header.get("rest"), header.get("rest_sha256")
        if not (isinstance(face_size, int) and isinstance(rest_size, int) and isinstance(rest_sha, str)) \
                or os.fstat(f.fileno()).st_size != face_at + face_size + rest_size:
            return None
        # The rest is read later: its digest is checked now (beside the face's read), and again then.
        rest_check = Background(partial(rest_digest_at, f.fileno(), face_at + face_size, rest_size))
        try:
            restored = CheckpointStore._read_face(f, header, journal, face_at=face_at, face_size=face_size,
                                                  fallback=fallback)
        finally:
            with contextlib.suppress(Exception):  # done before the file can be closed
                rest_check.result()
        # The face is read before these two answers are looked at (the journal's digest may be
        # taken meanwhile too): a face of other bytes is dropped here, unused.
        if restored is None or header.get("file") != digest() or rest_check.result() != rest_sha:
            return None
        return restored

    @staticmethod
    def _read_face(f: BinaryIO, header: dict[str, object], journal: Path, *, face_at: int, face_size: int,
                   fallback: Callable[[SessionFace], SessionState]) -> Restored | None:
        rest_sha, entries = header.get("rest_sha256"), header.get("entries")

        def rest_of_face() -> SessionState:
            try:
                f.seek(face_at + face_size)
                hashing = Hashing(f)
                with collector_paused(freeze=True):  # it lives as long as the session
                    state = read_rest(cast(BinaryIO, hashing), face)
                hashing.read()
                if hashing.digest.hexdigest() != rest_sha:
                    raise pickle.UnpicklingError("the rest changed since the start")
                return state
            except Exception as exc:  # the journal's own bytes, read in full (if still the same)
                log.debug("start-up checkpoint for %s: rest not read (%s)", journal, type(exc).__name__)
                return fallback(face)

        rest = LazyRest(rest_of_face, f.close)
        with collector_paused(freeze=True):
            face = read_face(f, rest)
        if face.count != entries or f.tell() != face_at + face_size:
            return None
        return Restored(face, rest)

    # Writing ------------------------------------------------------------------------------------

    def store(self, journal: Path, file: FileState, state: SessionState) -> None:
        """Write the checkpoint now (replacing the previous one at once, readable by the user
        only), then keep only the ``KEEP`` newest; a folder that cannot be written only means
        no checkpoint."""
        code = code_version()
        if code is None or not self.worth_keeping(len(state.log)):
            return
        today = date.today()
        target = self.file_for(journal)
        if self._written(target, code, file.digest, today):
            # Another start of the app wrote it meanwhile (the same bytes, today): a second
            # window's quit then costs nothing, not a second evaluation of every stage day.
            return
        face = build_face(state, today)
        if face is None:
            return
        face_bytes, rest_bytes = io.BytesIO(), io.BytesIO()
        write_face(face_bytes, face)
        write_rest(rest_bytes, state, face)
        header = json.dumps({"format": FORMAT, "code": code, "file": file.digest, "entries": file.entries,
                             "written_on": today.isoformat(), "face": face_bytes.tell(), "rest": rest_bytes.tell(),
                             "rest_sha256": hashlib.sha256(rest_bytes.getbuffer()).hexdigest()}).encode()
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".checkpoint-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(MAGIC + len(header).to_bytes(4, "big") + header)
                    f.write(face_bytes.getbuffer())
                    f.write(rest_bytes.getbuffer())
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            self.prune()
        except (OSError, pickle.PicklingError, RecursionError) as exc:
            log.debug("start-up checkpoint for %s not written (%s)", journal, exc)

    @staticmethod
    def _written(target: Path, code: str, digest: str, today: date) -> bool:
        """Whether TARGET is a checkpoint of this code for the bytes with DIGEST, written TODAY
        (its statuses start today): one written since this session started, by another start
        of the app that opened the same bytes (its face holds every stage day)."""
        try:
            with open(target, "rb") as f:
                header = _read_header(f)
        except (OSError, ValueError):
            return False
        return (header is not None and header.get("format") == FORMAT and header.get("code") == code
                and header.get("file") == digest and header.get("written_on") == today.isoformat())

    def keep_on_close(self, journal: Path, verified: FileState | None, saved: bool, state: SessionState) -> None:
        """Store STATE, a closed session's (nobody changes it any more), for JOURNAL's bytes as
        closed, off the UI thread, when this code has verified them: those of the open
        (VERIFIED, when nothing was SAVED and they are unchanged), or else read again in full
        and found to hold exactly the session's entries."""
        from domain.application import JournalApp

        def vouched_for() -> tuple[FileState, SessionState] | None:
            digest = file_digest(journal)
            if not saved and verified is not None and digest == verified.digest:
                return verified, state
            if JournalApp.is_encrypted(journal):  # a passphrase was set: keep no plain copy
                self.forget(journal)
                return None
            with JournalApp.open(journal, readonly=True) as fresh:
                if fresh.integrity_problem is not None or fresh.encrypted or fresh.entries() != list(state.log):
                    return None
            if file_digest(journal) != digest:  # changed while it was read
                return None
            return FileState(digest, len(state.log)), state

        self.store_later(journal, vouched_for)

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
