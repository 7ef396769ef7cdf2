"""The clinic store's place in eventsourcing: the factory, the application and the row layout.

**Row layout.** The clinic keeps every patient's entries in eventsourcing's PostgreSQL events
table (``clinic_events``, made by ``PostgresApplicationRecorder``), one *stream per patient*:
``originator_id`` is the patient's ``journal_id`` and ``originator_version`` the entry's place
in that patient's log (1, 2, …). So selecting one patient is the table's primary-key index
(``select_events``), never a scan; two writers for one patient cannot both take the same
place (the key refuses the second, which then retries on the new state); and the row-level
security of ``docs/clinic.md`` filters on one indexed column. In a file each entry is its own
stream (``originator_id`` = ``entry_id``); here the entry id leads the stored state (16 bytes)
and the rest is exactly the state a file stores, written and read by the file's own codec
(``domain.codec``: ``MsgspecTranscoder``, ``JournalMapper``), with the same event classes.

**Factory.** ``ClinicFactory`` is eventsourcing's ``PostgresFactory`` that gives every
connection of its pool the URL's libpq parameters (``sslmode`` …) and no password parameter
(libpq then reads PGPASSWORD or ~/.pgpass). It is named by ``PERSISTENCE_MODULE`` so the
``ProjectionRunner``'s own factory for the caseload view is configured the same way. Its
application recorder is ``ClinicRecorder`` (the factory's public ``application_recorder_class``),
which writes large batches with ``COPY … (FORMAT BINARY)``.
"""

from __future__ import annotations

import operator
import struct
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, groupby, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.application import Application
from eventsourcing.persistence import InterfaceError, Mapper, Notification, OperationalError, StoredEvent, Transcoder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresFactory
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier

from domain.codec import JournalMapper, MsgspecTranscoder
from domain.events import EntryEvent

if TYPE_CHECKING:
    from eventsourcing.utils import Environment

#: The env key (a libpq conninfo string) holding the URL's parameters other than the factory's own.
LIBPQ_KEY = "SCIATICA_LIBPQ"
FACTORY_TOPIC = "domain.clinic.infrastructure:ClinicFactory"
APP_NAME = "Clinic"
EVENTS_TABLE = "clinic_events"  # eventsourcing names it after the application: "<name>_events"
# The caseload's tracking table (``domain.clinic.caseload``): eventsourcing names it after the
# projection, "<name>_tracking", with one row per application it follows.
TRACKING_TABLE = "caseload_tracking"
ENTRY_ID_BYTES = 16
#: Batches of at least this many events are written with COPY; fewer (a review's new notes)
#: with eventsourcing's own INSERT, which costs less than a COPY's set-up for a handful.
COPY_FROM = 64
#: A clinic row's columns as ``ClinicMapper.entry_from`` reads them: (entry id, topic, the state a file stores).
SPLIT_COLUMNS = (f"encode(substr(state, 1, {ENTRY_ID_BYTES}), 'hex')::uuid AS entry_id, topic, "
                 f"substr(state, {ENTRY_ID_BYTES + 1}) AS state")
#: One row of the events table as written: (patient's journal id, place in their log, topic,
#: entry id + state).
Row = tuple[uuid.UUID | str, int, str, bytes]
#: COPY's binary format (PostgreSQL's ``COPY`` reference, "Binary Format"): the signature with
#: no flags and no header extension, and the trailer after the last row.
COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
COPY_TRAILER = b"\xff\xff"
# A row's start: 4 fields, the uuid (length 16, its bytes), the int8's length; then its value.
_ROW_HEAD = struct.Struct(">hi16si")
_INT8 = struct.Struct(">q")
_LENGTH = struct.Struct(">i")
_JOURNAL, _POSITION, _TOPIC, _STATE = (itemgetter(i) for i in range(4))


def copy_data(rows: Iterable[Row]) -> tuple[bytes, int]:
    """ROWS in COPY's binary format (the events table's columns: uuid, int8, text, bytea),
    without the signature and trailer, and how many (``copy_columns``, patient by patient)."""
    parts: list[bytes] = []
    count = 0
    for journal_id, run in groupby(rows, _JOURNAL):
        patient = list(run)
        count += len(patient)
        parts.append(copy_columns(journal_id if isinstance(journal_id, uuid.UUID) else uuid.UUID(str(journal_id)),
                                  map(_POSITION, patient), list(map(_TOPIC, patient)), list(map(_STATE, patient))))
    return b"".join(parts), count


def copy_columns(journal_id: uuid.UUID, positions: Iterable[int], topics: Sequence[str], states: Sequence[bytes],
                 prefixes: Sequence[bytes] | None = None) -> bytes:
    """One patient's rows in COPY's binary format, given as columns: at POSITIONS in JOURNAL_ID's
    log, with TOPICS, each state PREFIXES[i] + STATES[i] (the entry id in front, written as two
    parts: no row's bytes are joined into a new one on the way). Built where the rows are made
    (a worker of ``clinic add`` sends these bytes, not the rows: unpickling a row's uuid and
    tuple cost the writing process more than writing it), and written as they are
    (``CopyWriter``): one join over C loops (the row head made once, each topic's field once),
    not Python steps per row."""
    length = _LENGTH.pack
    head = _ROW_HEAD.pack(4, 16, journal_id.bytes, 8)
    fields = {topic: length(len(topic.encode())) + topic.encode() for topic in set(topics)}
    if prefixes is None:
        values: Iterable[Iterable[bytes]] = (map(length, map(len, states)), states)
    else:
        values = (map(length, map(operator.add, map(len, prefixes), map(len, states))), prefixes, states)
    return b"".join(chain.from_iterable(zip(repeat(head), map(_INT8.pack, positions),
                                            map(fields.__getitem__, topics), *values)))


@dataclass
class CopyWriter:
    """The rows of one transaction's COPY (``ClinicRecorder.copying``), and the patients they
    are for (recorded in the same transaction, once the COPY has ended)."""

    copy: Any  # psycopg's Copy, the signature written
    patients: dict[uuid.UUID, str] = field(default_factory=dict)
    count: int = 0
    ids: list[int] = field(default_factory=list)  # the rows' notification ids, once committed

    def write(self, rows: Iterable[Row]) -> None:
        self.write_data(*copy_data(rows))

    def write_data(self, data: bytes, count: int) -> None:
        """COUNT rows already in COPY's binary format (``copy_data``)."""
        self.copy.write(data)
        self.count += count


class ClinicRecorder(PostgresApplicationRecorder):
    """eventsourcing's PostgreSQL recorder, writing a large batch with ``COPY … FROM STDIN
    (FORMAT BINARY)`` in the same transaction steps as the library's own ``insert_events``:
    the table locked in EXCLUSIVE mode (so notification ids are given in commit order), the
    channel notified, the rows written, their notification ids returned.

    The library's INSERT sends the batch as one array of composite values, which psycopg turns
    into text value by value (a regex per value): two thirds of the client's time in ``clinic
    add``. In binary COPY each value is sent as it is (``copy_data``). Row-level security does
    not allow COPY into a table (PostgreSQL's rule), so a role it applies to (a therapist's,
    pushing a review's notes) is written the library's way.
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        table = SQL("{0}.{1}").format(Identifier(datastore.schema), Identifier(events_table_name))
        self.copy_statement = SQL("COPY {0} (originator_id, originator_version, topic, state) "
                                  "FROM STDIN (FORMAT BINARY)").format(table)
        self.notify_statement = SQL("NOTIFY {0}").format(Identifier(self.channel_name))
        self.last_id_statement = SQL("SELECT currval(pg_get_serial_sequence(%s, 'notification_id')) AS last")
        self.qualified_table = f"{datastore.schema}.{events_table_name}"
        # One patient's rows as a file stores them (entry id as hex text, topic, state), cut by
        # the server and sent in binary: no hex text for psycopg to decode, no row dicts.
        self.file_rows_statement = SQL(
            "SELECT encode(substr(state, 1, {n}), 'hex') AS entry_id, topic, substr(state, {rest}) AS state "
            "FROM {table} WHERE originator_id = %s ORDER BY originator_version").format(
            n=ENTRY_ID_BYTES, rest=ENTRY_ID_BYTES + 1, table=table)
        self._may_copy: bool | None = None  # whether row-level security leaves COPY to this role

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_file_rows(self, originator_id: uuid.UUID) -> list[tuple[str, str, bytes]]:
        """The stream's rows, in order, as a journal file stores them: (entry id as hex text,
        topic, state); read by the table's primary key, like ``select_events``."""
        from psycopg.rows import tuple_row

        with self.datastore.get_connection() as conn:
            curs = conn.cursor(binary=True, row_factory=tuple_row)
            curs.execute(self.file_rows_statement, (originator_id,), prepare=True)
            return curs.fetchall()

    def may_copy(self) -> bool:
        """Whether this connection's role may COPY into the events table (row-level security
        does not apply to it: the table's owner, the clinic's administrator)."""
        if self._may_copy is None:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute("SELECT row_security_active(%s) AS active", (self.qualified_table,))
                row = curs.fetchone()
                self._may_copy = row is not None and not row["active"]
        return self._may_copy

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        if len(stored_events) < COPY_FROM or kwargs or not self.may_copy():
            inserted: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return inserted
        with self.copying() as writer:
            writer.write((e.originator_id, e.originator_version, e.topic, e.state) for e in stored_events)
        return writer.ids

    @contextmanager
    def copying(self) -> Iterator[CopyWriter]:
        """One transaction in the library's steps (the table locked in EXCLUSIVE mode, the
        channel notified) with one ``COPY … FROM STDIN (FORMAT BINARY)`` open: the block writes
        rows (``CopyWriter.write``) and names their patients; it commits when the block ends
        (the patients recorded after the COPY, the rows' notification ids in ``writer.ids``)
        and rolls back whole if it raises. For a role row-level security does not apply to
        (``may_copy``)."""
        # get_connection turns psycopg's errors into eventsourcing's (IntegrityError when another
        # writer took a place in a patient's log first); the transaction then rolls back whole.
        with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
            for statement in self.lock_table_statements:
                curs.execute(statement, prepare=True)
            curs.execute(self.notify_statement)
            with curs.copy(self.copy_statement) as copy:
                copy.write(COPY_SIGNATURE)  # (psycopg then leaves the format to these bytes)
                writer = CopyWriter(copy)
                yield writer
                copy.write(COPY_TRAILER)
            if writer.patients:
                curs.executemany("INSERT INTO clinic_patients (journal_id, patient) VALUES (%s, %s) "
                                 "ON CONFLICT (journal_id) DO NOTHING", list(writer.patients.items()))
            # Under the EXCLUSIVE lock no other transaction takes ids from the table's sequence,
            # so this transaction's ids are the last writer.count ones this session took.
            curs.execute(self.last_id_statement, (self.qualified_table,))
            row = curs.fetchone()
        assert row is not None
        last = int(row["last"] or 0)
        writer.ids = list(range(last - writer.count + 1, last + 1))


class ClinicFactory(PostgresFactory):
    """``PostgresFactory`` whose pool connects with the URL's libpq parameters (psycopg_pool's
    public ``kwargs``), and never with a password parameter; its application recorder is
    ``ClinicRecorder``."""

    application_recorder_class = ClinicRecorder

    def __init__(self, env: Environment | dict[str, str] | None) -> None:
        super().__init__(env)
        from psycopg.conninfo import conninfo_to_dict

        kwargs = cast(dict[str, Any], self.datastore.pool.kwargs)
        kwargs.pop("password", None)
        extra = self.env.get(LIBPQ_KEY) or ""
        if extra:
            kwargs.update({k: v for k, v in conninfo_to_dict(extra).items() if k != "password"})


@dataclass(frozen=True)
class PatientChanged:
    """What the caseload runner reads of each stored entry: whose log grew, and to where.

    The runner re-derives a changed patient's row from that patient's whole log (decoded once,
    when its batch is written), so it never decodes an entry only to learn whose it is."""

    journal_id: uuid.UUID
    position: int  # the entry's place in the patient's log (the last entry's, for a run)
    entries: int = 1  # the patient's consecutive entries in the log this change stands for


@dataclass(frozen=True)
class PatientRun(Notification):
    """Consecutive entries of the log, all one patient's, as one notification (how the
    caseload runner reads the log: ``domain.clinic.caseload.CaseloadSourceRecorder``):
    ``id`` and ``originator_version`` are the run's last entry's, ``entries`` how many."""

    entries: int


class ClinicMapper(JournalMapper):
    """The file's mapper (same codec, same classes), for the clinic's row layout."""

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        if isinstance(stored_event, Notification):
            # The notification log, read by the caseload's ProjectionRunner.
            oid = stored_event.originator_id
            return PatientChanged(oid if isinstance(oid, uuid.UUID) else uuid.UUID(str(oid)),
                                  stored_event.originator_version,
                                  stored_event.entries if isinstance(stored_event, PatientRun) else 1)
        return self.entry_of(stored_event.topic, stored_event.state)

    def entry_of(self, topic: str, state: bytes) -> EntryEvent:
        """The entry a clinic row holds."""
        return self.entry_from(uuid.UUID(bytes=bytes(state[:ENTRY_ID_BYTES])), topic, bytes(state[ENTRY_ID_BYTES:]))

    def entry_from(self, entry_id: uuid.UUID, topic: str, file_state: bytes) -> EntryEvent:
        """The entry of a clinic row read as its parts (``SPLIT_COLUMNS``): the server cuts the
        entry id off and sends it as a uuid, which psycopg builds in C (``uuid.UUID(bytes=…)`` is
        Python, a third of decoding an entry)."""
        return cast(EntryEvent, self.event_from_row(entry_id, 1, topic, file_state))

    def row_of(self, event: EntryEvent, journal_id: uuid.UUID, position: int) -> StoredEvent:
        """The clinic row of EVENT at POSITION in JOURNAL_ID's log (``entry_of`` reads it back)."""
        stored = self.to_stored_event(event)
        return StoredEvent(journal_id, position, stored.topic, event.entry_id.bytes + stored.state)


class ClinicApp(Application[uuid.UUID]):
    """The clinic's events table as an eventsourcing application (what the caseload's
    ``ProjectionRunner`` subscribes to; ``ClinicStore`` writes through its recorder)."""

    name = APP_NAME

    def construct_transcoder(self) -> Transcoder:
        return MsgspecTranscoder()

    def construct_mapper(self) -> Mapper[uuid.UUID]:
        transcoder = self.construct_transcoder()
        assert isinstance(transcoder, MsgspecTranscoder)
        return ClinicMapper(transcoder)

    @property
    def clinic_mapper(self) -> ClinicMapper:
        assert isinstance(self.mapper, ClinicMapper)
        return self.mapper
