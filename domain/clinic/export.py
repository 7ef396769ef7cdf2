"""A ``.sciatica`` file of everything the store holds for a patient, written from the stored bytes.

A clinic row holds an entry exactly as a file stores it, behind its entry id
(``infrastructure``), so a copy out of the store needs no decoding or encoding: the journal is
created the way every journal is (``JournalApp.create_from`` with its start: the metadata, the
file id, the first link of the hash chain), then the file's own recorder (``JournalRecorder.
insert_rows``, ``insert_events`` without a StoredEvent per row) writes the other rows' bytes as
they are and extends the chain over them in one transaction. Nothing reads the copy back on
the way out; the desktop's review decodes the same rows meanwhile (``domain.clinic.review``).
It is built under a temporary name in the same folder and given its name only when whole,
never over an existing file.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from domain.clinic.infrastructure import ClinicMapper
from domain.errors import InvalidEntry
from domain.events import STARTED_TOPIC, JournalStarted
from domain.outputs import publish_new

FileRow = tuple[str, str, bytes]  # (entry id as hex text, topic, state): ``ClinicRecorder.select_file_rows``
#: A row as the file's events table holds it (``JournalRecorder.insert_rows``): a file stores each
#: entry as its own stream, so (entry id as hex text, version 1, topic, state).
TableRow = tuple[str, int, str, bytes]


def holds_a_journal(rows: Sequence[FileRow]) -> bool:
    """Whether a patient's rows begin with the journal's start (every patient's log does)."""
    return bool(rows) and rows[0][1] == STARTED_TOPIC


def write_copy(out: Path, mapper: ClinicMapper, rows: Sequence[FileRow]) -> None:
    """Write the new journal file OUT holding ROWS (one patient's log as a file stores it, its
    start first: ``holds_a_journal``), in their order."""
    entry_id, topic, state = rows[0]
    first = mapper.entry_of(topic, bytes.fromhex(entry_id) + state)
    assert isinstance(first, JournalStarted)  # its topic says so (``holds_a_journal``)
    write_rows(out, first, [(oid, 1, topic, state) for oid, topic, state in rows[1:]])


def write_rows(out: Path, first: JournalStarted, rest: Sequence[TableRow]) -> None:
    """``write_copy`` of the start FIRST (decoded from the first row) and the REST of the rows
    as the file's table holds them. Touches no Python object but its arguments, so it can run
    on a thread of its own while the caller decodes the same rows (``domain.clinic.review``):
    SQLite and SHA-256 do most of the work."""
    if out.exists():
        raise InvalidEntry(f"{out}: a file with that name already exists", field="path")
    if not out.parent.is_dir():
        raise InvalidEntry(f"{out}: the folder {out.parent} does not exist", field="path")
    from domain.application import JournalApp

    building = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.exporting")
    try:
        # The new journal's own writing connection (``create_from`` leaves it open) writes the
        # rest; closing it, the last connection, checkpoints the WAL into the file.
        with JournalApp.create_from(building, [first]) as made:
            if rest:
                made.recorder.insert_rows(rest)
        publish_new(building, out)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
