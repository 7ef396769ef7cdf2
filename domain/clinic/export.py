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

from domain.clinic.infrastructure import ENTRY_ID_BYTES, ClinicMapper
from domain.errors import InvalidEntry
from domain.events import STARTED_TOPIC, JournalStarted
from domain.outputs import publish_new
from domain.recorder import JournalRecorder


def holds_a_journal(stored: Sequence[StoredEvent]) -> bool:
    """Whether a patient's rows begin with the journal's start (every patient's log does)."""
    return bool(stored) and stored[0].topic == STARTED_TOPIC


def write_copy(out: Path, mapper: ClinicMapper, stored: Sequence[StoredEvent]) -> None:
    """Write the new journal file OUT holding the clinic rows STORED (one patient's log, its
    start first: ``holds_a_journal``), in their order."""
    if out.exists():
        raise InvalidEntry(f"{out}: a file with that name already exists", field="path")
    if not out.parent.is_dir():
        raise InvalidEntry(f"{out}: the folder {out.parent} does not exist", field="path")
    from domain.application import JournalApp

    first = mapper.entry_of(stored[0].topic, stored[0].state)
    assert isinstance(first, JournalStarted)
    building = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.exporting")
    try:
        with JournalApp.create_from(building, [first]):
            pass
        # A file stores each entry as its own stream: originator id = entry id, version 1.
        rows = [StoredEvent(uuid.UUID(bytes=bytes(s.state[:ENTRY_ID_BYTES])), 1, s.topic,
                            bytes(s.state[ENTRY_ID_BYTES:])) for s in stored[1:]]
        if rows:
            recorder = JournalRecorder(building, readonly=False)
            try:
                recorder.insert_events(rows)
            finally:
                recorder.close()  # the last connection: checkpoints the WAL into the file
        publish_new(building, out)
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{building}{suffix}").unlink(missing_ok=True)
