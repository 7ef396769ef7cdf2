"""A ``.sciatica`` file of everything the store holds for a patient, written from the stored bytes.

A clinic row holds an entry exactly as a file stores it, behind its entry id
(``infrastructure``), so a copy out of the store needs no decoding or encoding: the journal is
created the way every journal is (``JournalApp.create_from`` with its start: the metadata, the
file id, the first link of the hash chain), then the file's own recorder (``JournalRecorder``,
public ``insert_events``) writes the other rows' bytes as they are and extends the chain over
them in the same transaction. Reading the copy back is then the only pass over its entries
(the desktop's review opens it). It is built under a temporary name in the same folder and
given its name only when whole, never over an existing file.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from eventsourcing.persistence import StoredEvent

from domain.clinic.infrastructure import ClinicMapper
from domain.errors import InvalidEntry
from domain.events import STARTED_TOPIC, JournalStarted
from domain.outputs import publish_new
from domain.recorder import JournalRecorder

FileRow = tuple[str, str, bytes]  # (entry id as hex text, topic, state): ``ClinicRecorder.select_file_rows``


def holds_a_journal(rows: Sequence[FileRow]) -> bool:
    """Whether a patient's rows begin with the journal's start (every patient's log does)."""
    return bool(rows) and rows[0][1] == STARTED_TOPIC


def write_copy(out: Path, mapper: ClinicMapper, rows: Sequence[FileRow]) -> None:
    """Write the new journal file OUT holding ROWS (one patient's log as a file stores it, its
    start first: ``holds_a_journal``), in their order."""
    if out.exists():
        raise InvalidEntry(f"{out}: a file with that name already exists", field="path")
    if not out.parent.is_dir():
        raise InvalidEntry(f"{out}: the folder {out.parent} does not exist", field="path")
    from domain.application import JournalApp

    entry_id, topic, state = rows[0]
    first = mapper.entry_of(topic, bytes.fromhex(entry_id) + state)
    assert isinstance(first, JournalStarted)
    building = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.exporting")
    try:
        with JournalApp.create_from(building, [first]):
            pass
        if len(rows) > 1:
            recorder = JournalRecorder(building, readonly=False)
            try:
                # A file stores each entry as its own stream: originator id = entry id, version 1.
                recorder.insert_events([StoredEvent(oid, 1, topic, state) for oid, topic, state in rows[1:]])
            finally:
                recorder.close()  # the last connection: checkpoints the WAL into the file
        publish_new(building, out)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
