"""A stored start-up checkpoint: the recovery stage of each day already evaluated for a journal,
kept in the user's cache folder so that the next open of the same file does not evaluate
them again (the Progress view's stage bands were the largest part of opening a long journal:
~1.5 ms a day, 414 days on the span the view opens on, every day in idle time after).

It is used only when it provably describes the same events: it names the SHA-256 of the
journal file's bytes (and of its write-ahead log, when there is one), the number of entries
replayed, and the version of the code that evaluated the stages (the app's version and a
digest of the rule modules' sources). The open itself is unchanged: the file is still read,
decoded and its hash chain checked in full, so a changed or tampered file is detected exactly
as before, and its digest no longer matches. A file that cannot be read or does not match is
ignored silently; the stages are then evaluated as without it. An encrypted journal never has
one (its stages are health data, and the cache is not sealed), nor does one whose chain
fails. No Qt: the desktop hands in the folder.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import domain
import projections
from domain import __version__
from projections.stage import Stage

log = logging.getLogger(__name__)

FORMAT = 1  # of the checkpoint file; a file of another format is ignored
CHUNK = 1 << 20


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
    """The app's version and a digest of the sources of the code a stage depends on (the
    domain's events and values, every projection): a changed rule ignores old checkpoints,
    even without a new version number. None when the sources cannot be read (a bundle
    without them): then no checkpoint is used, as a rebuilt bundle could keep its version."""
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
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
    return digest.hexdigest()


@dataclass(frozen=True)
class FileState:
    """What identifies the events a session replayed: the file's digest, read after the open
    had loaded it, and how many entries it replayed. The log is append-only, so a file that
    gained entries between the load and the digest gives a count that no longer matches."""

    digest: str
    entries: int


class CheckpointStore:
    """Checkpoints in FOLDER, one per journal path (named by a digest of the path, so nothing
    of the journal's name is written)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def file_for(self, journal: Path) -> Path:
        name = hashlib.sha256(str(journal.resolve()).encode()).hexdigest()[:32]
        return self.folder / f"{name}.json"

    def load(self, journal: Path, state: FileState) -> dict[date, str] | None:
        """The stage days stored for JOURNAL in exactly STATE, or None (none, another file
        state or code version, unreadable: all silently)."""
        code = code_version()
        if code is None:
            return None
        try:
            data = json.loads(self.file_for(journal).read_bytes())
            if (not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != code
                    or data.get("file") != state.digest or data.get("entries") != state.entries):
                return None
            stages = {s.value for s in Stage}
            days = {date.fromisoformat(d): s for d, s in data["days"].items()}
            if not all(isinstance(s, str) and s in stages for s in days.values()):
                return None
            return days
        except FileNotFoundError:
            return None
        except Exception as exc:  # a corrupt or foreign file: evaluate the stages as without it
            log.debug("start-up checkpoint for %s ignored (%s)", journal, type(exc).__name__)
            return None

    def store(self, journal: Path, state: FileState, days: Mapping[date, str]) -> None:
        """Write the checkpoint (replacing the previous one at once, readable by the user
        only); a folder that cannot be written only means no checkpoint."""
        code = code_version()
        if code is None:
            return
        data = {"format": FORMAT, "code": code, "file": state.digest, "entries": state.entries,
                "days": {d.isoformat(): s for d, s in sorted(days.items())}}
        target = self.file_for(journal)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".checkpoint-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump(data, f, separators=(",", ":"))
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.debug("start-up checkpoint for %s not written (%s)", journal, exc)
