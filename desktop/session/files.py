"""File steps of the session that are not journal commands: swapping a re-encoded journal in."""

from __future__ import annotations

import os
from pathlib import Path

JOURNAL_SUFFIX = ".sciatica"


def with_extension(path: Path) -> Path:
    return path if path.suffix == JOURNAL_SUFFIX else path.with_name(path.name + JOURNAL_SUFFIX)


def swap_in(path: Path, new: Path, backup: Path) -> None:
    """Put NEW in PATH's place, keeping the original as BACKUP until NEW is there.

    A journal that is closed normally has no ``-wal``/``-shm`` beside it; any that are left go
    with the original (SQLite pairs them by name, so they must never meet the new file). On
    failure the original is put back. BACKUP is removed only once NEW is in place.
    """
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                target = Path(f"{backup}{suffix}")
                os.replace(side, target)
                moved.append((target, side))
        os.replace(new, path)
    except OSError:
        for target, side in reversed(moved):
            if not side.exists():
                os.replace(target, side)
        raise
    for target, _side in moved:
        target.unlink(missing_ok=True)


def remove_database(path: Path) -> None:
    """PATH and the files SQLite keeps beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
