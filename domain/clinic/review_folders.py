"""The private folders review copies live in: made, owned while in use, removed, stale ones swept.

A review copy is a patient's health data in a temporary folder (in memory when there is room:
``domain.merging.memory_folder``, else the system's temporary folder). Each folder is
``sciatica-clinic-review-<therapist>-<random>`` (mode 0700) and holds, beside the copy, an
``owner`` file that the process using it keeps locked (``domain.storage.FileLock``: the kernel
drops the lock when the process dies, however it dies). So:

- ``discard`` removes a folder once its copy is closed: it first waits for a copy still being
  written into it (``writing_into``), so nothing written after the removal is left behind;
- at exit (the window closed, or the interpreter ended by an error) this process's folders are
  removed (``atexit``);
- ``sweep`` removes the folders left by a process that died without either (a crash, SIGKILL, a
  power cut of a machine whose runtime folder is on disk): this user's folders whose owner lock
  nobody holds. A folder younger than ``SWEEP_AFTER_S`` is never swept (it may be between its
  making and its lock), nor one of another user (whose folder this user cannot read anyway);
  one without an owner file (an earlier version's) once older than ``UNOWNED_AFTER_S``.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path

from domain.errors import JournalLocked
from domain.merging import memory_folder
from domain.storage import FileLock

REVIEW_PREFIX = "sciatica-clinic-review-"
OWNER = "owner"
#: A folder this young is never swept: it may be between its making and its owner's lock.
SWEEP_AFTER_S = 60.0
#: A folder without an owner file (made by a version before them) is swept once this old: such
#: a version's review, still open, cannot be told from a dead one's.
UNOWNED_AFTER_S = 3600.0


class _Owned:
    """One of this process's folders: its owner lock, and what waits for a copy being written."""

    def __init__(self, lock: FileLock) -> None:
        self.lock = lock
        self.written: Callable[[], None] | None = None


_owned: dict[Path, _Owned] = {}
_guard = threading.Lock()


def new_folder(who: str) -> Path:
    """A new private folder (mode 0700, in memory when there is room) named for WHO (the
    therapist: a listing says whose it is), owned by this process until ``discard``."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", who).strip("-")[:30] or "clinic"
    folder = Path(tempfile.mkdtemp(prefix=f"{REVIEW_PREFIX}{slug}-", dir=memory_folder()))
    try:
        owner = folder / OWNER
        owner.write_text(f"{os.getpid()}\n", encoding="ascii")  # for a person looking; the lock is the proof
        lock = FileLock(owner)
        lock.acquire()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    with _guard:
        _owned[folder] = _Owned(lock)
    return folder


def writing_into(path: Path, written: Callable[[], None]) -> None:
    """A copy is being written at PATH: ``discard`` waits for WRITTEN (its failure ignored)."""
    with _guard:
        owned = _owned.get(Path(path).parent)
        if owned is not None:
            owned.written = written


def discard(path: Path | str) -> None:
    """Remove the review copy PATH and its private folder (once its journal is closed), after
    a copy still being written into it is done. A path outside a review folder is left alone."""
    folder = Path(path).parent
    if not folder.name.startswith(REVIEW_PREFIX):
        return
    with _guard:
        owned = _owned.pop(folder, None)
    if owned is not None:
        if owned.written is not None:
            with suppress(BaseException):  # a failed write left nothing more than the folder
                owned.written()
        owned.lock.release()  # first: Windows removes no file that is open
    shutil.rmtree(folder, ignore_errors=True)


def owns(folder: Path) -> bool:
    """Whether FOLDER is one of this process's review folders not yet discarded."""
    with _guard:
        return Path(folder) in _owned


def roots() -> list[Path]:
    """Where review folders are made: the memory folders and the system's temporary folder."""
    candidates = [os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm", memory_folder(), tempfile.gettempdir()]
    found: list[Path] = []
    for candidate in candidates:
        if candidate and os.path.isdir(candidate) and Path(candidate) not in found:
            found.append(Path(candidate))
    return found


def sweep(where: Iterable[Path] | None = None, *, now: float | None = None) -> list[Path]:
    """Remove this user's stale review folders under WHERE (default ``roots()``): those whose
    owner lock no process holds, older than ``SWEEP_AFTER_S`` (without an owner file, than
    ``UNOWNED_AFTER_S``); the folders removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    for root in (roots() if where is None else where):
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.startswith(REVIEW_PREFIX):
                continue
            folder = Path(entry.path)
            if owns(folder) or not _stale(folder, now):
                continue
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


def _stale(folder: Path, now: float) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or now - info.st_mtime < SWEEP_AFTER_S:
        return False  # a link is never followed; a young folder may not be locked yet
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    owner = folder / OWNER
    if not owner.is_file():
        return now - info.st_mtime >= UNOWNED_AFTER_S
    lock = FileLock(owner)
    try:
        lock.acquire()
    except (JournalLocked, OSError):
        return False  # a live process holds it
    lock.release()
    return True


@atexit.register
def _discard_all() -> None:
    """At exit, this process's folders go (a copy still being written first finishes)."""
    with _guard:
        folders = list(_owned)
    for folder in folders:
        with suppress(Exception):
            discard(folder / OWNER)
