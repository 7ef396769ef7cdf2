"""How the caseload runner reads the log: runs of one patient's consecutive entries
(``CaseloadSourceRecorder``), which must stand for exactly the entries stored, in order, however
the patients' entries interleave and however the subscription pages through them."""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from desktop.cli import main
from domain.clinic import ClinicConnection
from domain.clinic.caseload import RUN_MAX, SOURCE_RECORDER_TOPIC, CaseloadSourceRecorder
from domain.clinic.infrastructure import APP_NAME, PatientRun

PATIENTS = [uuid.UUID(int=k) for k in range(1, 5)]


@pytest.fixture
def source(clinic_db: str) -> Iterator[CaseloadSourceRecorder]:
    assert main(["clinic", "init"]) == 0
    # Rows the runner reads only by position and patient: no entry is decoded, so plain rows do.
    rng = random.Random(20)
    order: list[uuid.UUID] = []
    while len(order) < 3 * RUN_MAX:  # some runs longer than RUN_MAX, most a few entries
        order += [rng.choice(PATIENTS)] * rng.choice([1, 1, 2, 3, 7, 40, RUN_MAX + 5])
    versions = dict.fromkeys(PATIENTS, 0)
    rows = []
    for patient in order:
        versions[patient] += 1
        rows.append((patient, versions[patient], "domain.events:NoteAdded", b"x"))
    with psycopg.connect(clinic_db, autocommit=True) as conn, conn.cursor() as cur:
        cur.executemany("INSERT INTO clinic_events (originator_id, originator_version, topic, state) "
                        "VALUES (%s, %s, %s, %s)", rows)
    env = {**ClinicConnection.from_url(clinic_db).env(), "APPLICATION_RECORDER_TOPIC": SOURCE_RECORDER_TOPIC}
    factory = InfrastructureFactory.construct(Environment(APP_NAME, env))
    recorder = factory.application_recorder()
    assert isinstance(recorder, CaseloadSourceRecorder)
    yield recorder
    factory.close()


def _log(url: str) -> list[tuple[int, uuid.UUID, int]]:
    with psycopg.connect(url) as conn:
        return [(r[0], r[1], r[2]) for r in conn.execute(
            "SELECT notification_id, originator_id, originator_version FROM clinic_events ORDER BY notification_id")]


def _expand(runs: list[PatientRun], log: list[tuple[int, uuid.UUID, int]]) -> list[tuple[int, uuid.UUID, int]]:
    """The entries RUNS stand for, read back from LOG: each run is the ENTRIES rows ending at its id."""
    at = {row[0]: i for i, row in enumerate(log)}
    out: list[tuple[int, uuid.UUID, int]] = []
    for run in runs:
        end = at[run.id]
        covered = log[end - run.entries + 1:end + 1]
        assert {row[1] for row in covered} == {run.originator_id}  # one patient's entries only
        assert covered[-1][2] == run.originator_version  # the run's last position
        out += covered
    return out


def test_runs_stand_for_every_entry_once_in_order(source: CaseloadSourceRecorder, clinic_db: str) -> None:
    log = _log(clinic_db)
    found = source.select_notifications(0, 10_000, inclusive_of_start=False)
    runs = [r for r in found if isinstance(r, PatientRun)]
    assert len(runs) == len(found)
    assert _expand(runs, log) == log
    assert all(1 <= r.entries <= RUN_MAX for r in runs)
    assert len(runs) < len(log) / 3  # the point: far fewer notifications than entries
    # A run ends where the patient changes, or at every RUN_MAX-th entry of the pass: no more.
    changes = sum(a[1] != b[1] for a, b in itertools.pairwise(log))
    assert len(runs) <= changes + 1 + len(log) // RUN_MAX


@pytest.mark.parametrize("limit", [1, 7, 500])
def test_paging_through_runs_as_the_subscription_does(source: CaseloadSourceRecorder, clinic_db: str,
                                                      limit: int) -> None:
    # eventsourcing's subscription asks for LIMIT after the last id it got and takes fewer as the
    # end of the log: so every page but the last must be full, and the pages add up to the whole.
    log = _log(clinic_db)
    pages: list[list[PatientRun]] = []
    start = 0
    while True:
        page = [r for r in source.select_notifications(start, limit, inclusive_of_start=False)
                if isinstance(r, PatientRun)]
        pages.append(page)
        if len(page) < limit:
            break
        start = page[-1].id
    assert all(len(p) == limit for p in pages[:-1])
    assert _expand([r for p in pages for r in p], log) == log
    # STOP ends a run where it cuts the log.
    middle = log[len(log) // 2][0]
    upto = [r for r in source.select_notifications(0, 10_000, middle, inclusive_of_start=False)
            if isinstance(r, PatientRun)]
    assert _expand(upto, log) == [row for row in log if row[0] <= middle]
