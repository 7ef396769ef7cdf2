"""Deriving caseload rows, in this process or in worker processes (``domain.clinic.caseload``).

A row is a function of one patient's whole log, and patients are independent: so the runner
hands the patients a batch changed to ``Deriver``, which reads each one's log by the events
table's key, decodes it with the file's codec and derives the stored row (``RowOf``,
``projections.caseload.stored_row``). With ``workers`` > 1 that happens in a pool of worker
processes (each with its own connection), while the runner goes on reading the log; the runner
alone writes rows, with their tracking record, so exactly-once is unchanged.

Nothing here writes: a worker killed, or a runner killed with work in flight, loses only rows
not yet committed, which the runner derives again when it resumes. A worker whose runner is
gone (SIGKILL) notices within a second and exits, so no process is left holding a connection.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context

from psycopg.rows import tuple_row

from domain.clinic.infrastructure import EVENTS_TABLE, SPLIT_COLUMNS, ClinicMapper
from domain.clinic.parent_watch import leave_with
from domain.codec import MsgspecTranscoder
from domain.events import EntryEvent

#: A row in the forms the caseload's reads hand on, none with the therapist (the columns
#: ``schema.FORM_COLUMNS``, in order): the row's fields as JSON, its order key, its ``--json``
#: form before and after the therapist, its name and reason (``projections.caseload.StoredForms``).
RowForms = tuple[bytes, bytes, bytes, bytes, str | None, str]
#: (patient, all their entries in log order, as of) -> the row's forms.
#: A module-level function: worker processes are given it by reference.
RowOf = Callable[[uuid.UUID, Sequence[EntryEvent], date], RowForms]
#: A derived row: (patient, its forms, entries it was derived from).
Derived = tuple[uuid.UUID, RowForms, int]

#: Worker processes (1: derive in the runner's own process). A frozen build (PyInstaller) derives
#: in-process: a spawned child of a frozen program would start the program itself again.
WORKERS = int(os.environ.get("SCIATICA_CASELOAD_WORKERS", "1" if getattr(sys, "frozen", False)
                             else str(min(os.cpu_count() or 1, 4))))
#: Entries a batch must hold before worker processes are started for it: starting them costs
#: about a second, more than a small clinic's whole catch-up.
PARALLEL_MIN = int(os.environ.get("SCIATICA_CASELOAD_PARALLEL_MIN", "20000"))


class _Reader:
    """One connection and the codec: a patient's entries, and their rows."""

    def __init__(self, conninfo: str, row_of: RowOf) -> None:
        import psycopg

        self.conn = psycopg.connect(conninfo, autocommit=True)
        self.mapper = ClinicMapper(MsgspecTranscoder())
        self.row_of = row_of
        self.statement = (f"SELECT {SPLIT_COLUMNS} FROM {EVENTS_TABLE} WHERE originator_id = %s "
                          "ORDER BY originator_version")

    def entries(self, journal_id: uuid.UUID) -> list[EntryEvent]:
        # Binary, the entry id cut off by the server (SPLIT_COLUMNS), all rows fetched in C at once.
        with self.conn.cursor(binary=True, row_factory=tuple_row) as cur:
            cur.execute(self.statement, (journal_id,), prepare=True)
            entry_from = self.mapper.entry_from
            return [entry_from(entry_id, topic, state) for entry_id, topic, state in cur.fetchall()]

    def derive(self, journal_ids: Sequence[uuid.UUID], as_of: date) -> list[Derived]:
        out = []
        for journal_id in journal_ids:
            # One patient's log is some 3,650 entries a year of new objects, none of them garbage
            # until the row is made: the collector would walk them again and again as they come
            # (a quarter of the time). Held off per patient, so what a row leaves is collected.
            collecting = gc.isenabled()
            gc.disable()
            try:
                entries = self.entries(journal_id)
                out.append((journal_id, self.row_of(journal_id, entries, as_of), len(entries)))
                del entries  # one patient's log at a time
            finally:
                if collecting:
                    gc.enable()
        return out

    def close(self) -> None:
        self.conn.close()


_WORKER: dict[str, _Reader] = {}  # a worker process's reader (``_start_worker``)


def _start_worker(conninfo: str, row_of: RowOf, parent: int) -> None:
    _WORKER["reader"] = _Reader(conninfo, row_of)

    leave_with(parent)  # a runner killed with SIGKILL cannot stop its pool


def _derive_in_worker(journal_ids: Sequence[uuid.UUID], as_of: date) -> list[Derived]:
    return _WORKER["reader"].derive(journal_ids, as_of)


class Deriver:
    """Rows of patients, derived here or in ``workers`` processes (started on first need)."""

    def __init__(self, conninfo: str, row_of: RowOf, *, workers: int = WORKERS,
                 parallel_min: int = PARALLEL_MIN) -> None:
        self.conninfo = conninfo
        self.row_of = row_of
        self.workers = workers
        self.parallel_min = parallel_min
        self._local: _Reader | None = None
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, journal_ids: Sequence[uuid.UUID], as_of: date, *, entries: int) -> list[Future[list[Derived]]]:
        """Start deriving the rows of JOURNAL_IDS (ENTRIES: about how many entries their logs
        hold, to judge whether processes pay); the results, in order, as futures."""
        if self.workers > 1 and (self._pool is not None or entries >= self.parallel_min):
            pool = self._start_pool()
            # A few patients per task: enough to amortise a task's cost, small enough to share out.
            step = max(1, min(20, len(journal_ids) // (self.workers * 2)))
            return [pool.submit(_derive_in_worker, journal_ids[i:i + step], as_of)
                    for i in range(0, len(journal_ids), step)]
        with self._lock:  # the runner's thread and a refresh may both derive here
            if self._local is None:
                self._local = _Reader(self.conninfo, self.row_of)
            done: Future[list[Derived]] = Future()
            done.set_result(self._local.derive(journal_ids, as_of))
        return [done]

    def _start_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the runner has threads and open connections a fork would copy.
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=get_context("spawn"),
                                                 initializer=_start_worker,
                                                 initargs=(self.conninfo, self.row_of, os.getpid()))
            return self._pool

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
            if self._local is not None:
                self._local.close()
                self._local = None
