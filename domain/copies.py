"""Copies of a journal: a consistent copy while it is open, and (later) merging copies."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from domain.errors import InvalidEntry
from domain.storage import inspect_file, read_only_uri


def export_copy(path: Path, out: Path) -> None:
    """Write a consistent copy of PATH to OUT with SQLite's online backup API.

    Safe while another process has the journal open: the backup reads a consistent
    snapshot including what is still in the WAL, which a plain file copy would miss.
    """
    inspect_file(path)
    if out.exists():
        raise InvalidEntry(f"{out}: a file with that name already exists; choose another name")
    if not out.parent.exists():
        raise InvalidEntry(f"{out}: the folder {out.parent} does not exist")
    tmp = out.with_name(out.name + ".part")
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as src, \
                closing(sqlite3.connect(tmp)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        tmp.replace(out)
    finally:
        if tmp.exists():
            tmp.unlink()
