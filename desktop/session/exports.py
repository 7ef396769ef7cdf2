"""What the File menu's exports ask of an open journal (the report itself is drawn with Qt,
in ``desktop.reports``; the CSV needs no Qt and is written here)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from domain.errors import JournalError
from projections.csv_export import export_csv as write_csv

if TYPE_CHECKING:
    from desktop.session.core import JournalSession


def export_csv(session: JournalSession, out: Path) -> int:
    """Every entry of the journal as CSV (``sciatica export --csv``'s file); returns the rows."""
    try:
        return write_csv(session.app.entries(), out)
    except OSError as exc:
        raise JournalError(f"{out}: the CSV could not be written ({exc.strerror or exc})") from None
