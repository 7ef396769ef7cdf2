"""Files the app writes beside a journal (exports, copies): never over a journal, never half.

``check_output`` refuses an output path that is the journal itself, one of SQLite's files next
to it (``-wal``, ``-shm``, ``-journal``) or any other journal. ``atomic_output`` writes to a
temporary file in the output's folder and renames it into place only when the whole file is
written, so a crash or a full disk never leaves half a file under the name asked for.
An output that is a stream rather than a file (a pipe, a terminal, ``/dev/stdout``,
``/dev/null``) is written straight to it: there is nothing to replace, and reading it to
check what it holds would wait forever.
"""

from __future__ import annotations

import errno
import os
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from domain.errors import DiskFull, InvalidEntry, NotAJournal
from domain.storage import inspect_file

_SIDECARS = ("-wal", "-shm", "-journal")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def is_stream(out: Path) -> bool:
    """Whether OUT exists and is a pipe, a device or a socket, not a file or a folder."""
    try:
        mode = out.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


def check_output(journal: Path, out: Path) -> None:
    """InvalidEntry (nothing written) when writing OUT could destroy a journal."""
    if is_stream(out):
        return
    resolved = out.resolve()
    names = {Path(f"{journal.resolve()}{suffix}") for suffix in ("", *_SIDECARS)}
    if resolved in names or _same_file(journal, out):
        raise InvalidEntry(f"{out}: that is the journal {journal} itself (or one of its files); "
                           "choose another name for the export", field="out")
    if any(str(resolved).endswith(suffix) and Path(str(resolved)[:-len(suffix)]).is_file()
           for suffix in _SIDECARS):
        raise InvalidEntry(f"{out}: that is a file of another journal; choose another name", field="out")
    if out.is_dir():
        raise InvalidEntry(f"{out}: is a folder; choose a file name for the export", field="out")
    if out.exists():
        try:
            inspect_file(out)
        except NotAJournal:
            return  # an earlier export or any other file: replaced only once the new one is whole
        raise InvalidEntry(f"{out}: a journal already has that name; choose another name", field="out")
    if not out.parent.is_dir():
        raise InvalidEntry(f"{out}: the folder {out.parent} does not exist", field="out")


def write_failed(out: Path, exc: OSError) -> InvalidEntry | DiskFull:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"{out}: the disk is full, so nothing was written (free some space and try again)")
    return InvalidEntry(f"{out}: cannot be written ({exc.strerror or exc}); nothing was written", field="out")


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """Yield a temporary path in OUT's folder; rename it to OUT when the block succeeds, remove
    it whatever else happens. A stream (``is_stream``) is yielded itself."""
    if is_stream(out):
        try:
            yield out
        except OSError as exc:
            raise write_failed(out, exc) from None
        return
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        yield tmp
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        raise write_failed(out, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def publish_new(building: Path, path: Path) -> None:
    """Give the finished file BUILDING the name PATH without replacing a file of that name
    (InvalidEntry when one appeared meanwhile, left as it is); BUILDING's name is gone after."""
    try:
        os.link(building, path)
    except FileExistsError:
        raise InvalidEntry(f"{path}: a file with that name appeared meanwhile (another program made "
                           "it); it was left as it is and nothing was written", field="path") from None
    except OSError:
        # A file system without hard links: claim the name exclusively, then move in over the
        # claim (the only file ever replaced is the empty one made here).
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            raise InvalidEntry(f"{path}: a file with that name appeared meanwhile; it was left as it "
                               "is and nothing was written", field="path") from None
        os.replace(building, path)
        return
    building.unlink()
