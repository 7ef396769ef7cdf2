"""The caseload read model in PostgreSQL, kept by eventsourcing's ``ProjectionRunner``.

``CaseloadProjection`` is an eventsourcing ``Projection`` over the clinic's events table; its
view ``CaseloadView`` is a ``PostgresTrackingRecorder`` (the ``caseload_tracking`` table) that
also holds ``clinic_caseload``: one row per patient, in the forms the reads hand on, none with
the therapist (``projections.caseload.StoredForms``), and its place in the caseload's order
(``sort_key``).

- **Exactly once.** The rows a batch changes and the batch's last position are written in one
  transaction (eventsourcing's tracking record), so a runner killed at any point resumes after
  the last batch it committed: what it was doing is rolled back and done again, never twice.
  Each row counts the entries applied to it (``applied``), which the tests hold against the
  entries stored.
- **Batches.** A patient's row is a function of the patient's whole log, so the projection
  notes which patients changed and, once per batch (``BATCH_EVENTS`` entries, or the end of
  the log reached), has each changed patient's row derived from their log (``Deriver``: in
  worker processes for large batches, ``domain.clinic.derive``) and writes them all with the
  tracking record. A full batch ends between two patients' entries, never inside one's. While
  a batch is derived the runner reads on (``IN_FLIGHT`` batches at most, written oldest first).
  A catch-up over millions of entries is thus a few hundred transactions, and memory stays
  flat: a few batches' patient ids and rows here, one patient's log per worker.
- **The runner's reading.** It only learns whose log grew, so its application reads the log
  through ``CaseloadSourceRecorder``: runs of one patient's consecutive entries, found by the
  server, not one notification per entry.
- **Days pass.** "Silent for 5 days" changes without any entry, so rows are as of the day they
  were derived; the runner derives again every row older than today (``refresh_stale``).
- **Reading** (``caseload_json``, ``caseload_document``, ``caseload_lines``): one statement, one
  fetch in the caseload's order of the columns the output needs, the current therapist spliced
  into each row; no row decoded unless the caller wants rows.

The row itself is computed by the desktop's projection classes (``projections.caseload``), which
this layer cannot import (imports point one way): a subclass outside ``domain`` supplies
``row_of`` (``desktop.clinic_cli.clinic_caseload()``).
"""

from __future__ import annotations

import os
import time
import uuid
from abc import abstractmethod
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, cast

import msgspec
from eventsourcing.persistence import Notification, Tracking
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from domain.clinic.connection import ClinicConnection, ClinicError
from domain.clinic.derive import WORKERS, Derived, Deriver, RowForms
from domain.clinic.infrastructure import APP_NAME, EVENTS_TABLE, ClinicApp, PatientChanged, PatientRun
from domain.clinic.schema import CASELOAD_TABLE, FORM_COLUMNS, MIGRATE_CASELOAD, SHAPE_COLUMN
from domain.events import EntryEvent

if TYPE_CHECKING:
    from threading import Event

    from domain.clinic.store import ClinicStore

PROJECTION_NAME = "Caseload"  # eventsourcing names the tracking table after it: caseload_tracking
BATCH_EVENTS = int(os.environ.get("SCIATICA_CASELOAD_BATCH", "50000"))
#: The most entries one notification the runner reads stands for (``CaseloadSourceRecorder``).
RUN_MAX = int(os.environ.get("SCIATICA_CASELOAD_RUN", "1000"))
#: Batches derived at once: while one is being derived (in worker processes), the runner reads
#: the next; the older is written first, so positions are tracked in order.
IN_FLIGHT = 2
#: Patients a refresh (a new day) derives before it writes them.
REFRESH_CHUNK = 200

#: A stored row: (patient, as of, its forms (``RowForms``), entries applied now).
StoredRow = tuple[uuid.UUID, date, RowForms, int]


class CaseloadSourceRecorder(PostgresApplicationRecorder):
    """The clinic's events table as the caseload runner reads it: runs, not entries.

    The runner only learns whose log grew; the logs are read again, by their key, when rows are
    derived. So each notification it reads stands for a run of consecutive entries of one
    patient (``PatientRun``: the run's last position, and how many entries), found by the server
    in one ordered pass over the log's index (a window function: no sort, no state sent), and a
    catch-up of a clinic added patient by patient is a few notifications per patient instead of
    one Python object per entry. A run is also cut at every ``RUN_MAX``-th entry of a select, so
    one select (500 notifications, eventsourcing's subscription) reads a bounded stretch of the
    log, and the first rows are derived while the rest is still being read. Named by
    ``APPLICATION_RECORDER_TOPIC`` (eventsourcing's own setting) in the runner's environment only.

    The subscription takes fewer notifications than it asked for as the end of the log, and so
    do these runs: a select ends with LIMIT runs unless it reached the end (or STOP)."""

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *, inclusive_of_start: bool = True
                             ) -> Sequence[Notification]:
        if topics:
            found: Sequence[Notification] = super().select_notifications(
                start, limit, stop, topics, inclusive_of_start=inclusive_of_start)
            return found
        # A row ends a run when the next row is another patient's (or there is none), or when
        # the run reached RUN_MAX entries (rn, the row's place in this pass, counts them).
        statement = SQL(
            "SELECT notification_id, originator_id, originator_version, rn FROM ("
            "SELECT notification_id, originator_id, originator_version, "
            "lead(originator_id) OVER w AS next_id, row_number() OVER w AS rn FROM {}.{} "
            "WHERE notification_id {} %s AND notification_id <= %s WINDOW w AS (ORDER BY notification_id)) r "
            "WHERE next_id IS DISTINCT FROM originator_id OR rn %% %s = 0 ORDER BY notification_id LIMIT %s").format(
            Identifier(self.datastore.schema), Identifier(self.events_table_name),
            SQL(">=" if inclusive_of_start else ">"))
        params = (start or 0, stop if stop is not None else (1 << 63) - 1, RUN_MAX, limit)
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as curs:
            curs.execute(statement, params, prepare=True)
            rows = curs.fetchall()
        runs: list[Notification] = []
        before = 0
        for notification_id, originator_id, version, rn in rows:
            runs.append(PatientRun(id=notification_id, originator_id=originator_id, originator_version=version,
                                   topic="", state=b"", entries=rn - before))
            before = rn
        return runs


SOURCE_RECORDER_TOPIC = "domain.clinic.caseload:CaseloadSourceRecorder"


class CaseloadView(PostgresTrackingRecorder):
    """The tracking table and ``clinic_caseload``, written together."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.append(SQL(CASELOAD_TABLE))  # type: ignore[arg-type]

    def head(self) -> int:
        """The last position of the clinic's log (0 when empty)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT COALESCE(MAX(notification_id), 0) AS head FROM {EVENTS_TABLE}")
            row = curs.fetchone()
        return int(row["head"]) if row else 0

    def write_rows(self, rows: Sequence[StoredRow], tracking: Tracking | None) -> None:
        """Upsert ROWS and, in the same transaction, TRACKING (None: a refresh, which applies
        no entry)."""
        with self.datastore.transaction(commit=True) as curs:
            curs.executemany(
                f"INSERT INTO clinic_caseload (journal_id, as_of, {', '.join(FORM_COLUMNS)}, applied) "
                f"VALUES (%s, %s, {', '.join(['%s'] * len(FORM_COLUMNS))}, %s) ON CONFLICT (journal_id) DO UPDATE "
                f"SET as_of = EXCLUDED.as_of, {', '.join(f'{c} = EXCLUDED.{c}' for c in FORM_COLUMNS)}, "
                "applied = clinic_caseload.applied + EXCLUDED.applied",
                [(jid, as_of, *forms, applied) for jid, as_of, forms, applied in rows])
            if tracking is not None:
                self._insert_tracking(curs, tracking)

    def current_shape(self) -> bool:
        """Whether ``clinic_caseload`` has this version's columns (``clinic init`` migrates it)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() "
                         "AND table_name = 'clinic_caseload' AND column_name = %s", (SHAPE_COLUMN,))
            return curs.fetchone() is not None

    def stale(self, as_of: date) -> list[uuid.UUID]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT journal_id FROM clinic_caseload WHERE as_of < %s", (as_of,))
            return [r["journal_id"] for r in curs.fetchall()]


class _Batch:
    """Rows being derived, with the entries they apply and the position they reach."""

    def __init__(self, futures: list[Future[list[Derived]]], applied: dict[uuid.UUID, int], as_of: date,
                 tracking: Tracking) -> None:
        self.futures, self.applied, self.as_of, self.tracking = futures, applied, as_of, tracking

    def rows(self) -> list[StoredRow]:
        return [(jid, self.as_of, forms, self.applied[jid])
                for future in self.futures for jid, forms, _ in future.result()]


class CaseloadProjection(Projection[CaseloadView]):
    """Notes which patients' logs grew; derives their rows once per batch (module docstring)."""

    name = PROJECTION_NAME
    #: Where worker processes connect, and how many: set by ``run_caseload`` on a subclass,
    #: since the ProjectionRunner constructs the projection itself.
    conninfo: ClassVar[str] = ""
    workers: ClassVar[int] = WORKERS

    def __init__(self, view: CaseloadView) -> None:
        super().__init__(view)
        self._pending: dict[uuid.UUID, int] = {}  # patient -> entries applied in this batch
        self._count = 0
        self._last: Tracking | None = None
        self._patient: uuid.UUID | None = None  # whose entries the last notification held
        self._head = view.head()
        self._in_flight: deque[_Batch] = deque()
        self.deriver = Deriver(self.conninfo, type(self).row_of, workers=self.workers)

    @staticmethod
    @abstractmethod
    def row_of(patient_id: uuid.UUID, entries: Sequence[EntryEvent], as_of: date) -> RowForms:
        """One patient's stored row from all their entries, in the forms the reads hand on
        (``projections.caseload.stored_row``). A module-level function, for the workers."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        change: PatientChanged = domain_event  # the runner reads nothing else (CaseloadSourceRecorder)
        journal_id = change.journal_id
        if self._count >= BATCH_EVENTS and journal_id != self._patient:
            # A full batch ends where one patient's run of entries does, not inside it: a
            # patient split over two batches would have their whole log derived twice.
            self.flush(wait=False)
        self._pending[journal_id] = self._pending.get(journal_id, 0) + change.entries
        self._count += change.entries
        self._last, self._patient = tracking, journal_id
        if tracking.notification_id >= self._head:
            self._head = self.view.head()  # at the known end: is there more already?
        # No time limit: live, every entry reaches the end of the log and is written at once; in a
        # catch-up a timer would only cut patients' runs of entries and derive them twice.
        if tracking.notification_id >= self._head:
            self.flush(wait=True)

    def flush(self, *, wait: bool = True) -> None:
        """Start deriving the batch's rows; write the batches derived (all of them when WAIT)."""
        if self._last is not None:
            today = date.today()
            futures = self.deriver.submit(list(self._pending), today, entries=self._count)
            self._in_flight.append(_Batch(futures, self._pending, today, self._last))
            self._pending, self._count, self._last = {}, 0, None
        while len(self._in_flight) > (0 if wait else IN_FLIGHT - 1):
            batch = self._in_flight.popleft()
            self.view.write_rows(batch.rows(), batch.tracking)

    def refresh_stale(self, as_of: date | None = None) -> int:
        """Derive again every row older than AS_OF (default today); how many."""
        as_of = as_of or date.today()
        stale = self.view.stale(as_of)
        for start in range(0, len(stale), REFRESH_CHUNK):
            chunk = stale[start:start + REFRESH_CHUNK]
            # About a year of entries per patient: processes pay for a clinic's worth of rows.
            futures = self.deriver.submit(chunk, as_of, entries=len(chunk) * 3650 if len(chunk) >= 8 else 0)
            self.view.write_rows([(jid, as_of, forms, 0) for f in futures for jid, forms, _ in f.result()], None)
        return len(stale)

    def close(self) -> None:
        self.deriver.close()


def _read(store: ClinicStore, columns: str, therapist: str | None, unassigned: bool) -> list[tuple[Any, ...]]:
    """COLUMNS of the caseload rows STORE's role may see (row-level security), in the caseload's
    order (``sort_key``, kept by the runner: no sort here), with the patient's current therapist
    (assigning is not an event, so it is read live); THERAPIST's patients only when given, or
    only those with no therapist when UNASSIGNED. One fetch, binary, as tuples."""
    query = (f"SELECT {columns}, p.therapist FROM clinic_caseload c JOIN clinic_patients p USING (journal_id)"
             + (" WHERE p.therapist IS NULL" if unassigned else " WHERE p.therapist = %s" if therapist is not None
                else "") + " ORDER BY c.sort_key")
    with store.cursor(transaction=False) as c:  # one statement: one round trip
        c.row_factory = tuple_row
        c.execute(query, (therapist,) if therapist is not None and not unassigned else (), binary=True)
        return cast(list[tuple[Any, ...]], c.fetchall())


def _spliced(rows: list[tuple[Any, ...]], before: bytes, after: bytes, *, head: int | None, tail: int) -> bytes:
    """One JSON array of ROWS' objects, each one's current therapist (its last column) spliced in
    as BEFORE + the name as JSON + AFTER: between the object's two parts, columns HEAD and TAIL,
    or, HEAD None, in front of the fields of the whole object in column TAIL (in place of its
    opening brace, which BEFORE then holds). The rows' bytes are joined once, by views, never
    copied one by one or parsed."""
    named: dict[str | None, bytes] = {}
    parts: list[bytes | memoryview] = [b"["]
    for r in rows:
        therapist = named.get(r[-1])
        if therapist is None:
            therapist = named[r[-1]] = before + msgspec.json.encode(r[-1]) + after
        if head is not None:
            parts.append(r[head])
        parts += (therapist, memoryview(r[tail])[1 if head is None else 0:], b",")
    if rows:
        parts.pop()  # no comma after the last row
    parts.append(b"]")
    return b"".join(parts)


def caseload_json(store: ClinicStore, therapist: str | None = None, *, unassigned: bool = False) -> bytes:
    """The caseload's rows (``_read``) as one JSON array of their stored form (a ``CaseloadRow``'s
    fields, ``StoredForms.body``), the therapist in front of each row's fields, for one typed
    decode (``projections.caseload.rows_from_stored``). (Joining the array in the server instead
    measured slower: its ordered aggregate costs more than the splice here.)"""
    return _spliced(_read(store, "c.body", therapist, unassigned), b'{"therapist":', b",", head=None, tail=0)


def caseload_document(store: ClinicStore, therapist: str | None = None, *, unassigned: bool = False
                      ) -> tuple[bytes, date | None]:
    """(the caseload's rows (``_read``) as one JSON array of ``--json`` rows, ``row_to_json``'s,
    keys in its order, without parsing any; the earliest day a row was derived on, None when
    there is none)."""
    rows = _read(store, "c.document_head, c.document_tail, c.as_of", therapist, unassigned)
    oldest = min((r[2] for r in rows), default=None)
    return _spliced(rows, b'"therapist":', b",", head=0, tail=1), oldest


def caseload_lines(store: ClinicStore, therapist: str | None = None, *, unassigned: bool = False
                   ) -> list[tuple[uuid.UUID, str | None, str, date, str | None]]:
    """The caseload's rows (``_read``) as the one-line listing needs them: (patient, name,
    reason, as of, therapist)."""
    return cast(list[tuple[uuid.UUID, str | None, str, date, str | None]],
                _read(store, "c.journal_id, c.name, c.reason, c.as_of", therapist, unassigned))


def initialise(connection: ClinicConnection, projection_class: type[CaseloadProjection]) -> None:
    """``clinic init``: eventsourcing's tables, the clinic's, the access rules (``schema``). The
    only place tables are created."""
    from eventsourcing.persistence import InfrastructureFactory
    from eventsourcing.utils import Environment

    from domain.clinic.schema import STATEMENTS
    from domain.clinic.store import ClinicStore

    env = connection.env(create_table=True)
    with ClinicStore(connection, create_table=True) as store:
        with store.cursor(commit=True) as c:
            c.execute(MIGRATE_CASELOAD)  # a read model of an earlier shape is derived again
        factory = InfrastructureFactory.construct(Environment(projection_class.name, env))
        view = factory.tracking_recorder(CaseloadView)  # creates caseload_tracking, clinic_caseload
        del view
        factory.close()
        with store.cursor(commit=True) as c:
            for statement in STATEMENTS:
                c.execute(statement)


def run_caseload(connection: ClinicConnection, projection_class: type[CaseloadProjection], *,
                 once: bool = False, stop: Event | None = None, progress: Callable[[int, int], None] | None = None,
                 refresh_every: float = 60.0) -> int:
    """Run the caseload's ProjectionRunner. ONCE: catch up to the log's end as it is now, derive
    stale rows again, and return; otherwise until STOP is set. Returns the tracked position."""
    # The runner reads notifications without their states (CaseloadSourceRecorder).
    env = {**connection.env(), "APPLICATION_RECORDER_TOPIC": SOURCE_RECORDER_TOPIC}
    configured = type(projection_class.__name__, (projection_class,),
                      {"name": projection_class.name, "conninfo": connection.conninfo(),
                       "workers": projection_class.workers})
    try:
        runner = ProjectionRunner(application_class=ClinicApp, projection_class=configured,
                                  view_class=CaseloadView, env=env)
    except Exception as exc:
        raise ClinicError(f"the caseload runner cannot start on {connection.describe()}: "
                          f"{(str(exc).splitlines() or [type(exc).__name__])[0]}") from None
    projection = runner.projection
    assert isinstance(projection, CaseloadProjection)
    if not projection.view.current_shape():
        runner.stop()
        projection.close()
        raise ClinicError(f"the caseload table in {connection.describe()} is of an earlier version; run "
                          "`sciatica clinic init` once (it derives the caseload again)")
    try:
        with runner:
            return _run(runner, projection, once=once, stop=stop, progress=progress, refresh_every=refresh_every)
    finally:
        projection.close()


def _run(runner: ProjectionRunner[Any, Any], projection: CaseloadProjection, *, once: bool, stop: Event | None,
         progress: Callable[[int, int], None] | None, refresh_every: float) -> int:
    view = projection.view
    if once:
        target = view.head()
        while target:  # an empty log has nothing to track
            try:
                runner.wait(target, timeout=2.0)
                break
            except TimeoutError:
                runner.run_forever(timeout=0.01)  # re-raises the runner's error, if any
                if progress is not None:
                    progress(view.max_tracking_id(APP_NAME) or 0, target)
        projection.refresh_stale()
    else:
        refreshed = time.monotonic()
        while stop is None or not stop.is_set():
            # Short waits, so a stop (SIGTERM) is seen within a second.
            runner.run_forever(timeout=1.0)
            if runner.is_interrupted.is_set():
                break
            if time.monotonic() - refreshed >= refresh_every:
                projection.refresh_stale()
                refreshed = time.monotonic()
    return view.max_tracking_id(APP_NAME) or 0
