"""Merging copies of a journal: what a merge reports, which entries it takes, and reading the
other copy from a consistent snapshot that passes verification (``docs/sharing.md``)."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from domain.errors import JournalError, MergeRefused, NotAJournal, ReadOnlyJournal, WrongPassphrase
from domain.events import EntryCorrected, EntryEvent, EntryRetracted, JournalStarted, ReviewNoteAdded
from domain.storage import inspect_file


@dataclass(frozen=True)
class MergeReport:
    """What ``merge_from`` did."""

    path: Path  # the file merged into
    source: Path  # the other copy
    added: tuple[uuid.UUID, ...]  # entry ids recorded, in the order they were stored
    entries: int  # how many of them are the patient's entries (everything but review notes)
    review_notes: int

    def sentence(self) -> str:
        if not self.added:
            return f"Nothing new: {self.path} already has every entry of {self.source}"
        return f"{added_words(self.entries, self.review_notes)} added from {self.source}"


@dataclass(frozen=True)
class MergeRecord:
    """One entry that came into this file by a merge (the ``merges`` table)."""

    entry_id: uuid.UUID
    source: str  # the other copy's file name
    merged_at: datetime


def missing_entries(known: Mapping[uuid.UUID, EntryEvent], theirs: Sequence[EntryEvent],
                    source: Path | str, path: Path) -> list[EntryEvent]:
    """The entries of THEIRS (another copy's log, in its order) that KNOWN (the entries of the
    journal PATH) lacks, checked to fit that journal; MergeRefused otherwise."""
    batch: list[EntryEvent] = []
    fresh: set[uuid.UUID] = set()
    for event in theirs:
        mine = known.get(event.entry_id)
        if mine is not None:
            if mine != event:
                raise MergeRefused(
                    f"{source}: entry {event.entry_id} ({event.type_name()}) differs from the same "
                    f"entry in {path}; one of the copies was altered, so nothing was merged")
            continue
        if event.entry_id in fresh:
            raise MergeRefused(f"{source}: entry {event.entry_id} appears twice; nothing was merged")
        if isinstance(event, JournalStarted):
            raise MergeRefused(f"{source}: holds a second start of the journal; nothing was merged")
        target = (event.target if isinstance(event, EntryCorrected | EntryRetracted)
                  else event.about if isinstance(event, ReviewNoteAdded) else None)
        if target is not None and target not in known and target not in fresh:
            raise MergeRefused(f"{source}: entry {event.entry_id} ({event.type_name()}) refers to "
                               f"entry {target}, which neither copy holds; nothing was merged")
        batch.append(event)
        fresh.add(event.entry_id)
    return batch


SNAPSHOT_PREFIX = "sciatica-merge-"
#: A snapshot lives for the seconds reading one copy takes; one older than this is left over
#: whatever its folder's process id says (that id may have been given to another process since).
STALE_SNAPSHOT_SECONDS = 24 * 3600


def _snapshot_folders(folder: Path | None) -> list[Path]:
    """The snapshot folders where ``read_copy_log`` makes them (FOLDER: there only), this
    user's only: never another user's, nor a link or a file that merely has the name."""
    folders = [folder] if folder is not None else [Path(f) for f in {memory_folder(), tempfile.gettempdir()} if f]
    found = []
    for candidate in (c for f in folders for c in f.glob(f"{SNAPSHOT_PREFIX}*")):
        try:
            info = candidate.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            found.append(candidate)
    return found


def remove_stale_snapshots(folder: Path | None = None) -> list[Path]:
    """Remove the snapshot folders of reads whose process is gone (a merge or an add killed
    mid-read: each holds a copy of a patient's journal), and any older than a day; the folders
    removed. Run before every copy's read, so whatever a killed process left goes at the next."""
    removed = []
    now = time.time()
    for candidate in _snapshot_folders(folder):
        pid = candidate.name.removeprefix(SNAPSHOT_PREFIX).split("-", 1)[0]
        try:
            old = now - candidate.stat().st_mtime > STALE_SNAPSHOT_SECONDS
        except OSError:
            continue
        if not old and (not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid))):
            continue
        shutil.rmtree(candidate, ignore_errors=True)
        removed.append(candidate)
    return removed


def remove_own_snapshots(folder: Path | None = None) -> list[Path]:
    """Remove this process's snapshot folders (a process about to exit in the middle of a read,
    which its ``with`` block would have removed: a worker of ``clinic add`` whose add is gone)."""
    mine = [c for c in _snapshot_folders(folder) if c.name.startswith(f"{SNAPSHOT_PREFIX}{os.getpid()}-")]
    for candidate in mine:
        shutil.rmtree(candidate, ignore_errors=True)
    return mine


#: The least room a folder in memory must have left to be used for copies of journals.
MEMORY_FOLDER_ROOM = 64 * 2**20


def memory_folder(need: int = 0) -> str | None:
    """A folder in memory for private temporary copies of a journal (a merge's snapshot, a
    review copy from the clinic): the user's runtime folder (``XDG_RUNTIME_DIR``) or else
    ``/dev/shm``, when it can be written and has room for NEED bytes four times over; None:
    the system's temporary folder.

    Such a copy is health data living for a moment: in memory it never reaches a disk, and
    making it costs no disk writes (a snapshot in /tmp was a tenth to half of reading a copy
    for ``clinic add`` on this project's busy machine, one in /dev/shm a twentieth)."""
    for candidate in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if not candidate or not os.path.isdir(candidate) or not os.access(candidate, os.W_OK | os.X_OK):
            continue
        try:
            if shutil.disk_usage(candidate).free >= max(4 * need, MEMORY_FOLDER_ROOM):
                return candidate
        except OSError:
            continue
    return None


def _size(path: Path) -> int:
    """PATH's bytes and its WAL's: the most a snapshot of it holds."""
    total = 0
    for part in (path, Path(f"{path}-wal")):
        try:
            total += part.stat().st_size
        except OSError:
            pass
    return total


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def read_copy(path: Path, journal_id: uuid.UUID, *, passphrase: str | None = None) -> list[EntryEvent]:
    """Every entry of the copy PATH of journal JOURNAL_ID, in its log order, read from a
    consistent snapshot (PATH may be open elsewhere) that passes verification.

    MergeRefused (one sentence) for a non-journal, another journal's file, or a damaged copy.
    """
    return read_copy_log(path, journal_id, passphrase=passphrase).entries


@dataclass(frozen=True)
class CopyLog:
    """A copy as ``read_copy_log`` read it: its entries and, when asked, their stored rows."""

    entries: list[EntryEvent]
    #: (entry id, version, topic, state, link) of each stored event, in log order, as the same
    #: verified read of the snapshot read them (``read_sound_log``); None unless asked, for an
    #: encrypted copy (its states are sealed), and when the log was not read in that one pass.
    rows: list[Any] | None


def read_copy_log(path: Path, journal_id: uuid.UUID, *, passphrase: str | None = None,
                  with_rows: bool = False) -> CopyLog:
    """``read_copy``, and with WITH_ROWS the verified snapshot's stored rows too, so a reader
    that stores entries exactly as a file does (the clinic's ``add``) reuses their bytes
    instead of encoding every entry again."""
    from domain.application import JournalApp
    from domain.copies import snapshot

    try:
        info = inspect_file(path)
    except NotAJournal as exc:
        raise MergeRefused(f"{exc}; nothing was merged") from None
    if info.journal_id is not None and info.journal_id != journal_id:
        # Named by its patient (when the file says so in plain text), never by an id: the
        # person reading this needs to know whose file they picked.
        whose = f" (the journal of {info.meta['patient']})" if info.meta.get("patient") else ""
        raise MergeRefused(f"{path}: a copy of another journal{whose}; nothing was merged")
    remove_stale_snapshots()
    # A private folder (mode 0700) named for this process, so one left by a process that was
    # killed is removed by the next merge.
    with tempfile.TemporaryDirectory(prefix=f"{SNAPSHOT_PREFIX}{os.getpid()}-",
                                     dir=memory_folder(_size(path))) as tmp:
        copy = Path(tmp) / path.name
        try:
            snapshot(path, copy)
            if passphrase is None and info.encrypted:
                from domain.encryption import ENV_OTHER_PASSPHRASE, passphrase_for

                passphrase = passphrase_for(path, env=ENV_OTHER_PASSPHRASE)
            # Checked entry by entry: what is merged is stored without a second check.
            rows: list[Any] | None = [] if with_rows and not info.encrypted else None
            with JournalApp.open(copy, readonly=True, passphrase=passphrase, check_entries=True,
                                 rows=rows) as other:
                if other.integrity_problem:
                    raise MergeRefused(
                        f"{path} fails verification, so nothing was merged: "
                        f"{other.integrity_problem.removeprefix(f'{copy}: ')}")
                if other.journal_id != journal_id or info.journal_id is None:
                    raise MergeRefused(f"{path}: a copy of another journal; nothing was merged")
                return CopyLog(other.entries(), rows or None)
        except MergeRefused:
            raise
        except (JournalError, OSError) as exc:
            message = str(exc).replace(str(copy), str(path))
            if isinstance(exc, WrongPassphrase | ReadOnlyJournal) or type(exc).__name__ == "PassphraseNeeded":
                raise type(exc)(message) from None
            raise MergeRefused(f"{message}; nothing was merged") from None


def added_words(entries: int, review_notes: int) -> str:
    """'3 entries and 1 review note': what a merge (or the clinic's add) took in."""
    parts = []
    if entries:
        parts.append(f"{entries} {'entry' if entries == 1 else 'entries'}")
    if review_notes:
        parts.append(f"{review_notes} review note{'' if review_notes == 1 else 's'}")
    return " and ".join(parts)
