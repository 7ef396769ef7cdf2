"""The caseload read model in PostgreSQL, kept by eventsourcing's ``ProjectionRunner``.

``CaseloadProjection`` is an eventsourcing ``Projection`` over the clinic's events table; its
view ``CaseloadView`` is a ``PostgresTrackingRecorder`` (the ``caseload_tracking`` table) that
also holds ``clinic_caseload``: one row per patient, the JSON of ``projections.caseload``'s row.

- **Exactly once.** The rows a batch changes and the batch's last position are written in one
  transaction (eventsourcing's tracking record), so a runner killed at any point resumes after
  the last batch it committed: what it was doing is rolled back and done again, never twice.
  Each row counts the entries applied to it (``applied``), which the tests hold against the
  entries stored.
- **Batches.** A patient's row is a function of the patient's whole log, so the projection
  notes which patients changed and, once per batch (``BATCH_EVENTS`` entries, or the end of
  the log reached), reads each changed patient's log by its index, derives the
  row and writes all of them with the tracking record. A catch-up over millions of entries is
  thus a few hundred transactions, and memory holds one patient's log at a time (flat).
- **Days pass.** "Silent for 5 days" changes without any entry, so rows are as of the day they
  were derived; the runner derives again every row older than today (``refresh_stale``).

The row itself is computed by the desktop's projection classes (``projections.caseload``), which
this layer cannot import (imports point one way): a subclass outside ``domain`` supplies
``row_json`` (``desktop.clinic_cli.clinic_caseload()``).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from abc import abstractmethod
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg.sql import SQL

from domain.clinic.connection import ClinicConnection, ClinicError
from domain.clinic.infrastructure import APP_NAME, EVENTS_TABLE, ClinicApp, ClinicMapper, PatientChanged
from domain.clinic.schema import CASELOAD_TABLE
from domain.codec import MsgspecTranscoder
from domain.events import EntryEvent

if TYPE_CHECKING:
    from threading import Event

PROJECTION_NAME = "Caseload"  # eventsourcing names the tracking table after it: caseload_tracking
BATCH_EVENTS = int(os.environ.get("SCIATICA_CASELOAD_BATCH", "50000"))

RowJson = Callable[[uuid.UUID, Sequence[EntryEvent], "str | None", date], dict[str, Any]]


class CaseloadView(PostgresTrackingRecorder):
    """The tracking table and ``clinic_caseload``, written together."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.append(SQL(CASELOAD_TABLE))  # type: ignore[arg-type]
        self.mapper = ClinicMapper(MsgspecTranscoder())

    def head(self) -> int:
        """The last position of the clinic's log (0 when empty)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT COALESCE(MAX(notification_id), 0) AS head FROM {EVENTS_TABLE}")
            row = curs.fetchone()
        return int(row["head"]) if row else 0

    def patient(self, journal_id: uuid.UUID) -> tuple[list[EntryEvent], str | None]:
        """One patient's entries (by the events table's key) and therapist."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(f"SELECT topic, state FROM {EVENTS_TABLE} WHERE originator_id = %s "
                         "ORDER BY originator_version", (journal_id,))
            entry_of = self.mapper.entry_of
            entries = [entry_of(r["topic"], r["state"]) for r in curs.fetchall()]
            curs.execute("SELECT therapist FROM clinic_patients WHERE journal_id = %s", (journal_id,))
            row = curs.fetchone()
        return entries, None if row is None else row["therapist"]

    def write_rows(self, rows: Sequence[tuple[uuid.UUID, date, dict[str, Any], int]],
                   tracking: Tracking | None) -> None:
        """Upsert ROWS (journal id, as of, row JSON, entries applied now) and, in the same
        transaction, TRACKING (None: a refresh, which applies no entry)."""
        with self.datastore.transaction(commit=True) as curs:
            curs.executemany(
                "INSERT INTO clinic_caseload (journal_id, as_of, row, applied) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (journal_id) DO UPDATE SET as_of = EXCLUDED.as_of, row = EXCLUDED.row, "
                "applied = clinic_caseload.applied + EXCLUDED.applied",
                [(jid, as_of, json.dumps(row), applied) for jid, as_of, row, applied in rows])
            if tracking is not None:
                self._insert_tracking(curs, tracking)

    def stale(self, as_of: date) -> list[uuid.UUID]:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SELECT journal_id FROM clinic_caseload WHERE as_of < %s", (as_of,))
            return [r["journal_id"] for r in curs.fetchall()]


class CaseloadProjection(Projection[CaseloadView]):
    """Notes which patients' logs grew; derives their rows once per batch (module docstring)."""

    name = PROJECTION_NAME

    def __init__(self, view: CaseloadView) -> None:
        super().__init__(view)
        self._pending: dict[uuid.UUID, int] = {}  # patient -> entries applied in this batch
        self._count = 0
        self._last: Tracking | None = None
        self._head = view.head()

    @abstractmethod
    def row_json(self, journal_id: uuid.UUID, entries: Sequence[EntryEvent], therapist: str | None,
                 as_of: date) -> dict[str, Any]:
        """The caseload row of one patient as JSON (``projections.caseload``)."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        if not isinstance(domain_event, PatientChanged):
            return
        self._pending[domain_event.journal_id] = self._pending.get(domain_event.journal_id, 0) + 1
        self._count += 1
        self._last = tracking
        if tracking.notification_id >= self._head:
            self._head = self.view.head()  # at the known end: is there more already?
        # No time limit: live, every entry reaches the end of the log and is written at once; in a
        # catch-up a timer would only cut patients' runs of entries and derive them twice.
        if self._count >= BATCH_EVENTS or tracking.notification_id >= self._head:
            self.flush()

    def flush(self) -> None:
        if self._last is None:
            return
        today = date.today()
        rows = [(jid, today, self._row(jid, today), applied) for jid, applied in self._pending.items()]
        self.view.write_rows(rows, self._last)
        self._pending, self._count, self._last = {}, 0, None

    def refresh_stale(self, as_of: date | None = None) -> int:
        """Derive again every row older than AS_OF (default today); how many."""
        as_of = as_of or date.today()
        stale = self.view.stale(as_of)
        for start in range(0, len(stale), 200):
            chunk = stale[start:start + 200]
            self.view.write_rows([(jid, as_of, self._row(jid, as_of), 0) for jid in chunk], None)
        return len(stale)

    def _row(self, journal_id: uuid.UUID, as_of: date) -> dict[str, Any]:
        entries, therapist = self.view.patient(journal_id)
        return self.row_json(journal_id, entries, therapist, as_of)


def initialise(connection: ClinicConnection, projection_class: type[CaseloadProjection]) -> None:
    """``clinic init``: eventsourcing's tables, the clinic's, the access rules (``schema``). The
    only place tables are created."""
    from eventsourcing.persistence import InfrastructureFactory
    from eventsourcing.utils import Environment

    from domain.clinic.schema import STATEMENTS
    from domain.clinic.store import ClinicStore

    env = connection.env(create_table=True)
    with ClinicStore(connection, create_table=True) as store:
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
    env = connection.env()
    try:
        runner = ProjectionRunner(application_class=ClinicApp, projection_class=projection_class,
                                  view_class=CaseloadView, env=env)
    except Exception as exc:
        raise ClinicError(f"the caseload runner cannot start on {connection.describe()}: "
                          f"{(str(exc).splitlines() or [type(exc).__name__])[0]}") from None
    with runner:
        projection = runner.projection
        assert isinstance(projection, CaseloadProjection)
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
