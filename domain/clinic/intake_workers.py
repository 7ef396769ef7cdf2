"""Reading and checking patients' copies in worker processes while ``clinic add`` writes.

Reading a copy (its snapshot, every entry decoded and checked: ``read_verified``) and choosing
what the store lacks (``take_in``, the merge's rule) is nearly all of an add's time, and one
patient's copies are independent of another's. So for a large batch ``ClinicStore.add`` hands
each patient's copies to a pool of worker processes: a worker reads the patient's log as the
store holds it over its own connection (the same URL parameters, ``sslmode`` and all), takes
the copies in by the same functions as the single-process path and sends back only the reports
and the rows to write, in COPY's binary format (``copy_data``: bytes, not entries nor rows;
unpickling an entry cost more than checking it, a row's uuid and tuple more than writing it). The
administrator's process writes each patient's rows as they come, in one transaction, so a
refusal from any copy still changes nothing.

Nothing here writes. A worker's view of a patient's log may be older than the write: another
writer for the same patient in between takes the same places in that log, the key refuses the
add's rows and ``add`` tries again on the new state, as it always has.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.context import BaseContext
from pathlib import Path

from domain.clinic.infrastructure import EVENTS_TABLE, ClinicMapper
from domain.clinic.intake import AddReport, HeldLog, TakenIn, read_verified, take_in
from domain.clinic.parent_watch import leave_with
from domain.codec import MsgspecTranscoder
from domain.merging import remove_own_snapshots


def default_workers(cores: int | None = os.cpu_count(), frozen: bool = getattr(sys, "frozen", False)) -> int:
    """Worker processes for a large add (1: everything in the calling process): one more than
    the cores, up to 4. A worker waits at times (the store's log, its copy's file, handing its
    rows over) and a batch ends with its last copies read, so one more than the cores keeps
    them busy: 200 one-year copies in calls of 25 on two cores, alternating runs, 3 workers
    were 4-7 % faster than 2 (3 of 3 pairs). A frozen build (PyInstaller) reads copies
    in-process: a spawned child of a frozen program would start the program itself again."""
    if frozen or not cores or cores < 2:
        return 1
    return min(cores + 1, 4)


WORKERS = int(os.environ.get("SCIATICA_ADD_WORKERS", str(default_workers())))
#: The copies' size (bytes on disk) from which worker processes are started: starting them
#: costs about a second of CPU, what reading some 8 MB of copies (two patient-years) costs.
PARALLEL_MIN_BYTES = int(os.environ.get("SCIATICA_ADD_PARALLEL_MIN", str(8 * 2**20)))


def worth_workers(paths: Sequence[Path], workers: int = WORKERS, min_bytes: int = PARALLEL_MIN_BYTES) -> bool:
    """Whether reading PATHS in worker processes pays for starting them."""
    if workers < 2 or len(paths) < 2:
        return False
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue  # refused in one sentence when it is read
    return total >= min_bytes


def largest_first(paths: Sequence[Path], journals: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[int]]:
    """PATHS (the copies of JOURNALS) grouped by patient, each group the indexes of that
    patient's copies in their order (one worker takes a patient's copies in, in that order),
    the patients with the most bytes to read first: the longest reads start first, so at the
    end of a batch the workers finish close together rather than one reading on alone."""
    groups: dict[uuid.UUID, list[int]] = {}
    for index, journal_id in enumerate(journals):
        groups.setdefault(journal_id, []).append(index)
    sizes: dict[uuid.UUID, int] = {}
    for journal_id, group in groups.items():
        for index in group:
            try:
                sizes[journal_id] = sizes.get(journal_id, 0) + paths[index].stat().st_size
            except OSError:
                continue  # refused in one sentence when it is read
    return dict(sorted(groups.items(), key=lambda item: -sizes.get(item[0], 0)))


@dataclass(frozen=True)
class TakenInData:
    """A worker's ``TakenIn``: its reports and names, and its rows as COPY writes them
    (``copy_data``: the bytes and how many rows)."""

    reports: list[AddReport]
    names: dict[uuid.UUID, str]
    data: bytes
    count: int


class _Reader:
    """A worker's connection and codec: a patient's log as held, and copies taken in."""

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self.conn = psycopg.connect(conninfo, autocommit=True)
        self.mapper = ClinicMapper(MsgspecTranscoder())

    def held_log(self, journal_id: uuid.UUID) -> HeldLog:
        # Binary: the states come as bytes, not as hex text to parse; by the table's key.
        with self.conn.cursor(binary=True) as cur:
            cur.execute(f"SELECT topic, state FROM {EVENTS_TABLE} WHERE originator_id = %s "
                        "ORDER BY originator_version", (journal_id,))
            return HeldLog(self.mapper, cur.fetchall())

    def take_in(self, paths: Sequence[str], journal_id: uuid.UUID) -> TakenIn:
        return take_in([read_verified(Path(p), journal_id) for p in paths], self.held_log)


_WORKER: dict[str, _Reader] = {}  # a worker process's reader (``_start_worker``)


def _start_worker(conninfo: str, parent: int) -> None:
    _WORKER["reader"] = _Reader(conninfo)

    # An add killed with SIGKILL cannot stop its pool: leave when it is gone. Leaving at once
    # skips the read's own clean-up, so the snapshot of the copy being read (a patient's
    # journal, in memory) is removed first.
    leave_with(parent, remove_own_snapshots)


def _take_in_worker(paths: Sequence[str], journal_id: uuid.UUID) -> TakenInData:
    taken = _WORKER["reader"].take_in(paths, journal_id)
    return TakenInData(taken.reports, taken.names, *taken.copy_data())


def _context() -> BaseContext:
    """How workers start: never by forking this process (it has threads and open connections
    a fork would copy). Where it exists, a fork server, started afresh once, imports this module
    and forks each worker from itself, so only the first pays for the imports (about 0.7 s of
    CPU each; spawning every worker paid it per worker); elsewhere, spawn."""
    if "forkserver" in get_all_start_methods():
        context = get_context("forkserver")
        # With what reading a copy imports when first used (``read_copy_log``'s own imports).
        context.set_forkserver_preload([__name__, "domain.application", "domain.copies"])
        return context
    return get_context("spawn")


class IntakePool:
    """Worker processes taking in one patient's copies each (started on first use, kept for
    the store's later calls)."""

    def __init__(self, conninfo: str, workers: int = WORKERS) -> None:
        self.conninfo = conninfo
        self.workers = max(2, workers)
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, paths: Sequence[Path], journal_id: uuid.UUID) -> Future[TakenInData]:
        """Take in PATHS, the copies of one patient (JOURNAL_ID, as they say), in their order."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(),
                                             initializer=_start_worker, initargs=(self.conninfo, os.getpid()))
        return self._pool.submit(_take_in_worker, [str(p) for p in paths], journal_id)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
