"""``ClinicStore``: the clinic's copies of its patients' journals in PostgreSQL (issue 20).

Taking in a copy (``add``) is ``sciatica merge`` into the store: the copy is read from a
consistent snapshot and verified entry by entry (``domain.merging.read_copy``), the entries the
store lacks are chosen by the same union-by-entry rule and refusals
(``domain.merging.missing_entries``), and they are written for the whole
call in one transaction (``ClinicRecorder.copying``; a therapist's role, which may not COPY, in
transactions of ``WRITE_BATCH`` entries after every copy was checked). A refusal changes
nothing; adding the same copy again adds nothing. A large batch is read and checked in worker
processes while this process writes (``domain.clinic.intake_workers``). Two writers for one
patient at once cannot both take the same place in that patient's log (the events table's key),
so the second one re-reads the patient and tries again: both land.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import msgspec
from eventsourcing.persistence import IntegrityError, PersistenceError, StoredEvent
from psycopg import sql

from domain import validation as v
from domain.clinic.connection import ClinicConnection, ClinicError
from domain.clinic.export import holds_a_journal, write_copy
from domain.clinic.infrastructure import (
    APP_NAME,
    COPY_FROM,
    EVENTS_TABLE,
    TRACKING_TABLE,
    ClinicApp,
    ClinicMapper,
    ClinicRecorder,
    CopyWriter,
)
from domain.clinic.intake import AddReport, HeldLog, VerifiedCopy, copy_info, read_verified, take_in
from domain.clinic.intake_workers import IntakePool, largest_first, worth_workers
from domain.clinic.schema import THERAPIST_GROUP
from domain.errors import MergeRefused
from domain.events import EntryEvent
from domain.merging import remove_stale_snapshots
from domain.storage import read_ahead

#: Entries per write transaction of a therapist's role (the library's INSERT). One call of
#: eventsourcing's ``insert_events`` with tens of thousands of rows stalled in psycopg's pipeline
#: mode (client and server both waiting), so such a call is written in transactions of this many
#: entries, after every copy was verified: a call stopped half-way is completed by running it
#: again (adding is idempotent). The administrator's COPY streams a whole call in one.
WRITE_BATCH = 4000
#: How many times ``add`` re-reads and retries when another writer took a place first.
ADD_ATTEMPTS = 8


@dataclass(frozen=True)
class PatientRecord:
    journal_id: uuid.UUID
    patient: str
    therapist: str | None


class ClinicStore:
    """One connection (pool) to the clinic's database, as its administrator or a therapist."""

    def __init__(self, connection: ClinicConnection, *, create_table: bool = False) -> None:
        self.connection = connection
        self._check_reachable()
        try:
            self.app = ClinicApp(env=connection.env(create_table=create_table))
        except PersistenceError as exc:
            raise self._unreachable(exc) from None
        recorder = self.app.recorder
        assert isinstance(recorder, ClinicRecorder)  # ClinicFactory's application recorder
        self.recorder: ClinicRecorder = recorder
        self.datastore: Any = recorder.datastore
        self.mapper: ClinicMapper = self.app.clinic_mapper
        self._intake: IntakePool | None = None  # worker processes of a large add, once started

    @classmethod
    def connect(cls, url: str | None = None) -> ClinicStore:
        """The store at the libpq URL (None: ``SCIATICA_CLINIC_DB``)."""
        return cls(ClinicConnection.from_url(url))

    def close(self) -> None:
        if self._intake is not None:
            self._intake.close()
            self._intake = None
        self.app.close()
        self.datastore.close()

    def __enter__(self) -> ClinicStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_reachable(self) -> None:
        # eventsourcing's pool retries a failing connection until its timeout and then says only
        # that; one plain connection first gives libpq's own reason (wrong password, no SSL…).
        import psycopg

        try:
            psycopg.connect(self.connection.conninfo(), connect_timeout=10).close()
        except psycopg.Error as exc:
            raise self._unreachable(exc) from None

    def _unreachable(self, exc: BaseException) -> ClinicError:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return ClinicError(f"the clinic database {self.connection.describe()} cannot be used: {first}")

    @contextmanager
    def cursor(self, *, commit: bool = False, transaction: bool = True) -> Iterator[Any]:
        """A cursor in one transaction (rolled back unless COMMIT), or, not TRANSACTION, for one
        statement on its own (one round trip instead of three: a read under load waits for the
        server on each); database errors become one sentence (ClinicError)."""
        try:
            with self.datastore.transaction(commit=commit) if transaction else self.datastore.cursor() as curs:
                yield curs
        except (ClinicError, MergeRefused):
            raise
        except PersistenceError as exc:
            text = str(exc)
            if "permission denied" in text or "row-level security" in text:
                raise ClinicError(f"{self.connection.user} may not do that in the clinic database "
                                  f"({text.splitlines()[0]})") from None
            if "does not exist" in text and "clinic_" in text:
                raise ClinicError(f"the clinic database {self.connection.describe()} has no clinic "
                                  "tables yet; run `sciatica clinic init` once first") from None
            raise self._unreachable(exc) from None

    # Reading -------------------------------------------------------------------------------

    def patients(self) -> list[PatientRecord]:
        """Every patient this role may see, by name."""
        with self.cursor() as c:
            c.execute("SELECT journal_id, patient, therapist FROM clinic_patients ORDER BY lower(patient), journal_id")
            return [PatientRecord(r["journal_id"], r["patient"], r["therapist"]) for r in c.fetchall()]

    def find_patient(self, patient: str) -> PatientRecord:
        """The patient named by journal id or by a unique name (case ignored)."""
        with self.cursor() as c:
            try:
                journal_id = uuid.UUID(patient.strip())
            except ValueError:
                c.execute("SELECT journal_id, patient, therapist FROM clinic_patients "
                          "WHERE lower(patient) = lower(%s) ORDER BY journal_id", (patient.strip(),))
            else:
                c.execute("SELECT journal_id, patient, therapist FROM clinic_patients WHERE journal_id = %s",
                          (journal_id,))
            rows = c.fetchall()
        if not rows:
            raise ClinicError(f"no patient {patient!r} in the clinic database (or not one assigned to you)")
        if len(rows) > 1:
            ids = ", ".join(str(r["journal_id"]) for r in rows)
            raise ClinicError(f"{len(rows)} patients are called {patient!r}; name one by its journal id: {ids}")
        r = rows[0]
        return PatientRecord(r["journal_id"], r["patient"], r["therapist"])

    def entries(self, journal_id: uuid.UUID) -> list[EntryEvent]:
        """One patient's entries in the order the store took them in (correction targets
        first), read by the events table's primary key (eventsourcing's ``select_events``)."""
        try:
            stored = self.recorder.select_events(journal_id)
        except PersistenceError as exc:
            raise self._unreachable(exc) from None
        entry_of = self.mapper.entry_of
        return [entry_of(s.topic, s.state) for s in stored]

    def current_therapist(self) -> str | None:
        """The therapist this connection's role is (None: the administrator or another role)."""
        with self.cursor() as c:
            c.execute("SELECT name FROM clinic_therapists WHERE role = current_user")
            row = c.fetchone()
        return None if row is None else str(row["name"])

    # Taking in copies -------------------------------------------------------------------------

    def add(self, paths: Sequence[Path | str]) -> list[AddReport]:
        """Take in the copies PATHS: every entry the store lacks, all in one transaction (the
        administrator) or in transactions of ``WRITE_BATCH`` after all were checked (a
        therapist's role, the library's INSERT).

        Every copy is read and verified; MergeRefused (nothing changed) for a copy that fails
        verification, is not a journal, or disagrees with the store about an entry. A large
        batch is read in worker processes while this one writes (``intake_workers``)."""
        files = [Path(p) for p in paths]
        read_ahead(files)  # every copy on its way into memory while the first ones are read
        if self.recorder.may_copy() and worth_workers(files):
            infos = [copy_info(p) for p in files]
            # An encrypted copy's passphrase may have to be asked for at this terminal: read here.
            if not any(info.encrypted for info in infos):
                return self._add_in_workers(files, [cast(uuid.UUID, info.journal_id) for info in infos])
        copies = [read_verified(p) for p in files]
        return self._retrying(lambda: self._add_once(copies))

    def add_entries(self, journal_id: uuid.UUID, entries: Sequence[EntryEvent], source: Path | str) -> AddReport:
        """``add`` for one copy's entries already read and verified (``read_copy``)."""
        copy = VerifiedCopy(Path(source), journal_id, list(entries), None)
        return self._retrying(lambda: self._add_once([copy]))[0]

    def _retrying(self, add_once: Callable[[], list[AddReport]]) -> list[AddReport]:
        for _attempt in range(ADD_ATTEMPTS):
            try:
                return add_once()
            except IntegrityError:
                continue  # another writer took a place in a patient's log first: re-read it
        raise ClinicError("the clinic database is busy with other writers for these patients; "
                          "nothing was added, try again")

    def held_log(self, journal_id: uuid.UUID) -> HeldLog:
        """One patient's log as the store holds it (stored bytes, decoded only where looked at),
        read by the events table's primary key."""
        try:
            return HeldLog(self.mapper, ((s.topic, s.state) for s in self.recorder.select_events(journal_id)))
        except PersistenceError as exc:
            raise self._unreachable(exc) from None

    def _add_once(self, copies: Sequence[VerifiedCopy]) -> list[AddReport]:
        taken = take_in(copies, self.held_log)
        if not taken.row_count:
            return taken.reports
        with self._writing():
            # A handful (a review's new notes) by the library's INSERT: less than a COPY's set-up.
            if taken.row_count >= COPY_FROM and self.recorder.may_copy():
                with self.recorder.copying() as writer:
                    writer.write_data(*taken.copy_data())
                    writer.patients.update(taken.names)
                return taken.reports
            self._ensure_patients(taken.names)
            rows = taken.rows
            for start in range(0, len(rows), WRITE_BATCH):
                self.recorder.insert_events([StoredEvent(*row) for row in rows[start:start + WRITE_BATCH]])
        return taken.reports

    def _add_in_workers(self, files: Sequence[Path], journals: Sequence[uuid.UUID]) -> list[AddReport]:
        """``add`` with each patient's copies (FILES, of the JOURNALS they say they are) read,
        checked and taken in by a worker process (``intake_workers``), their rows written here
        as they come, in one transaction."""
        groups = largest_first(files, journals)
        if self._intake is None:
            self._intake = IntakePool(self.connection.conninfo())
        pool = self._intake

        def add_once() -> list[AddReport]:
            futures = {pool.submit([files[i] for i in group], journal_id): group
                       for journal_id, group in groups.items()}
            reports: dict[int, AddReport] = {}
            try:
                with ExitStack() as writing:
                    writer: CopyWriter | None = None
                    for future in as_completed(futures):
                        taken = future.result()  # a refusal (MergeRefused) rolls back what was written
                        reports.update(zip(futures[future], taken.reports, strict=True))
                        if taken.count:
                            if writer is None:  # the table is locked from the first write on
                                writing.enter_context(self._writing())
                                writer = writing.enter_context(self.recorder.copying())
                            writer.write_data(taken.data, taken.count)
                            writer.patients.update(taken.names)
            except BrokenProcessPool:
                # A worker was killed: the pool ends its others, and the snapshots they were
                # reading from (patients' journals) are removed once they are gone.
                self._intake = None
                pool.close()
                remove_stale_snapshots()
                raise ClinicError("a process reading the copies stopped; nothing was added, try again") from None
            finally:
                for future in futures:
                    future.cancel()
            return [reports[i] for i in range(len(files))]

        return self._retrying(add_once)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Database errors while writing entries, as one sentence (IntegrityError passes: the
        caller re-reads and tries again)."""
        try:
            yield
        except (IntegrityError, ClinicError, MergeRefused):
            raise
        except PersistenceError as exc:
            text = str(exc)
            if "row-level security" in text or "permission denied" in text:
                raise ClinicError(f"{self.connection.user} may add entries only for patients assigned "
                                  "to them; nothing was added") from None
            raise self._unreachable(exc) from None

    def _ensure_patients(self, names: dict[uuid.UUID, str]) -> None:
        """A patients row for each journal (first add), before its entries: a row without
        entries is harmless (the caseload lists patients from their entries)."""
        if not names:
            return
        with self.cursor() as c:
            c.execute("SELECT journal_id FROM clinic_patients WHERE journal_id = ANY(%s)", (list(names),))
            present = {r["journal_id"] for r in c.fetchall()}
        new = [(jid, name) for jid, name in names.items() if jid not in present]
        if not new:
            return
        if self.current_therapist() is not None:
            # A therapist sees only their patients, so an unseen one is not theirs to write to.
            raise ClinicError(f"{self.connection.user} may add entries only for patients assigned to them "
                              f"({', '.join(name for _, name in new)} is not); nothing was added")
        with self.cursor(commit=True) as c:
            c.executemany("INSERT INTO clinic_patients (journal_id, patient) VALUES (%s, %s) "
                          "ON CONFLICT (journal_id) DO NOTHING", new)

    # Copies out --------------------------------------------------------------------------------

    def export(self, patient: str | PatientRecord, out: Path | str) -> tuple[PatientRecord, int]:
        """Write everything the store holds for PATIENT (journal id, unique name, or the record
        ``find_patient`` gave) to a new ``.sciatica`` file OUT (a review copy, to open or send
        back), from the rows' stored bytes (``domain.clinic.export``); (the patient, how many
        entries)."""
        record = patient if isinstance(patient, PatientRecord) else self.find_patient(patient)
        try:
            rows = self.recorder.select_file_rows(record.journal_id)
        except PersistenceError as exc:
            raise self._unreachable(exc) from None
        if not holds_a_journal(rows):
            raise ClinicError(f"the clinic holds no entries for {record.patient}")
        write_copy(Path(out), self.mapper, rows)
        return record, len(rows)

    # Access ------------------------------------------------------------------------------------

    def assign(self, patient: str, therapist: str, *, role: str | None = None) -> tuple[PatientRecord, str]:
        """Assign PATIENT to THERAPIST, creating the therapist's PostgreSQL role (ROLE, or one
        made from the name) when missing; (the patient, the role). The administrator sets the
        role's password (``ALTER ROLE … PASSWORD``) or certificate; see docs/clinic.md."""
        name = v.text(max_len=200)(therapist, "therapist", "therapist name")
        record = self.find_patient(patient)
        with self.cursor(commit=True) as c:
            c.execute("SELECT role FROM clinic_therapists WHERE name = %s", (name,))
            row = c.fetchone()
            role_name = str(row["role"]) if row else (role or role_for(name))
            c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role_name,))
            if c.fetchone() is None:
                c.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role_name)))
            c.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(THERAPIST_GROUP), sql.Identifier(role_name)))
            c.execute("INSERT INTO clinic_therapists (name, role) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                      (name, role_name))
            c.execute("UPDATE clinic_patients SET therapist = %s WHERE journal_id = %s", (name, record.journal_id))
        return PatientRecord(record.journal_id, record.patient, name), role_name

    # The caseload --------------------------------------------------------------------------------

    def caseload_rows(self, therapist: str | None = None) -> list[dict[str, Any]]:
        """The caseload read model's rows (their stored form: a ``projections.caseload.CaseloadRow``'s
        fields) this role may see, most urgent first, each with the patient's current therapist;
        THERAPIST filters."""
        return cast(list[dict[str, Any]], msgspec.json.decode(self.caseload_json(therapist)))

    def caseload_json(self, therapist: str | None = None) -> bytes:
        """``caseload_rows`` as one JSON array, unparsed (``domain.clinic.caseload.caseload_json``)."""
        from domain.clinic.caseload import caseload_json

        return caseload_json(self, therapist)

    def entries_waiting(self) -> int:
        """How many entries this role may see are not in the caseload yet (the runner,
        ``serve-projections``, has not applied them): a caseload read right after ``add`` would
        otherwise look complete while it is not. Reads the log after the tracking position only
        (its notification_id index), never the whole log."""
        position = sql.SQL("SELECT COALESCE(MAX(notification_id), 0) AS position FROM {tracking} "
                           "WHERE application_name = %s").format(tracking=sql.Identifier(TRACKING_TABLE))
        # Bounded on both sides: on a table not analyzed yet (right after the first adds) the
        # planner takes a third of the log for an open range and counts it by a parallel scan
        # of every row (54 ms on 147k entries, seconds on millions); for a closed range it
        # guesses a small share and reads the index, which stays right once there are statistics.
        count = sql.SQL("SELECT count(*) AS waiting FROM {events} WHERE notification_id > %s "
                        "AND notification_id <= 9223372036854775807").format(events=sql.Identifier(EVENTS_TABLE))
        with self.cursor(transaction=False) as c:
            c.execute(position, (APP_NAME,))
            row = c.fetchone()
            # The position as a value, not a subquery: the planner then sees how few entries follow
            # it (for a subquery it guesses a third of the log, and on a large one starts parallel
            # workers to count none: ~50 ms under load). Never prepared, so never a generic plan.
            c.execute(count, (row["position"] if row else 0,), prepare=False)
            row = c.fetchone()
        return int(row["waiting"]) if row else 0

def role_for(name: str) -> str:
    """A PostgreSQL role name for a therapist: ``therapist_`` and the name's letters."""
    slug = re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[:40] or "unnamed"
    return f"therapist_{slug}"
