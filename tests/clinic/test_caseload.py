"""The caseload read model on a real PostgreSQL: eventsourcing's ProjectionRunner with its
tracking table, rows from projections.caseload, exactly once across a SIGKILL."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.clinic import ClinicStore
from projections.caseload import PatientCaseload, row_to_json, rows_from_stored
from tests.clinic.helpers import alive, children, journal

JOURNEYS = ("flare", "classic_recovery", "red_flags", "foot_drop", "corrections", "exercises")


@pytest.fixture
def clinic(clinic_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[Path]:
    assert main(["clinic", "init"]) == 0
    files = [journal(tmp_path, name) for name in JOURNEYS]
    assert main(["clinic", "add", *map(str, files)]) == 0
    capsys.readouterr()
    return files


def _expected(path: Path, therapist: str | None = None) -> dict[str, object]:
    with JournalApp.open(path, readonly=True) as app:
        return row_to_json(PatientCaseload.from_events(app.journal_id, app.entries(), therapist).row(date.today()))


def _state(url: str) -> tuple[int, int, dict[str, tuple[int, int]]]:
    """(tracked position, log end, {journal id: (entries applied to its row, entries stored)})."""
    with psycopg.connect(url) as conn:
        tracked = conn.execute("SELECT notification_id FROM caseload_tracking WHERE application_name = 'Clinic'"
                               ).fetchone()
        head = conn.execute("SELECT COALESCE(MAX(notification_id), 0) FROM clinic_events").fetchone()
        rows = conn.execute("SELECT e.originator_id, c.applied, count(*) FROM clinic_events e "
                            "LEFT JOIN clinic_caseload c ON c.journal_id = e.originator_id "
                            "GROUP BY e.originator_id, c.applied").fetchall()
    assert head is not None
    return (tracked[0] if tracked else 0), head[0], {str(r[0]): (r[1] or 0, r[2]) for r in rows}


def test_caseload_lists_every_patient_most_urgent_first_with_the_desktops_rows(
        clinic: list[Path], clinic_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clinic", "serve-projections", "--once"]) == 0
    assert "up to date" in capsys.readouterr().out
    tracked, head, applied = _state(clinic_db)
    assert tracked == head
    assert all(done == stored for done, stored in applied.values())
    assert main(["clinic", "caseload", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert listing["schema"] == "sciatica-caseload/1"
    rows = listing["patients"]
    assert sorted(r["name"] for r in rows) == sorted(f"Journey {n}" for n in JOURNEYS)
    by_name = {r["name"]: r for r in rows}
    for path in clinic:
        expected = _expected(path)
        assert by_name[expected["name"]] == expected  # the same projection classes as the desktop
    groups = [r["group"] for r in rows]
    order = ["red_flag", "flare", "silent", "worsening", "other"]
    assert groups == sorted(groups, key=order.index)
    # In words, one line each
    assert main(["clinic", "caseload"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(JOURNEYS) and lines[0].startswith(rows[0]["name"])


def test_assignment_shows_in_the_caseload_and_filters_it(clinic: list[Path], capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert main(["clinic", "serve-projections", "--once"]) == 0
    assert main(["clinic", "assign", "Journey flare", "--therapist", "Ana Silva"]) == 0
    assert "assigned to Ana Silva" in capsys.readouterr().out
    assert main(["clinic", "caseload", "--therapist", "Ana Silva", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["patients"]
    assert [(r["name"], r["therapist"]) for r in rows] == [("Journey flare", "Ana Silva")]


def test_new_entries_reach_the_caseload_through_the_running_runner(clinic: list[Path], clinic_db: str,
                                                                   tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    server = subprocess.Popen([sys.executable, "-m", "desktop", "clinic", "serve-projections"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        with ClinicStore.connect(clinic_db) as store:
            record = store.find_patient("Journey flare")
            path = tmp_path / "review.sciatica"
            store.export("Journey flare", path)
            with JournalApp.open_for_review(path, "Ana Silva") as app:
                app.review_note("Seen today")
            store.add([path])
            deadline = time.monotonic() + 240  # a loaded CI machine: imports and a first catch-up
            while time.monotonic() < deadline:
                rows = {r["patient_id"]: r for r in store.caseload_rows()}
                row = rows.get(str(record.journal_id))
                if row is not None and row["last_review"] is not None:
                    break
                time.sleep(0.2)
            assert row is not None and row["last_review"] == date.today().isoformat()
        # SIGTERM stops it cleanly
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=120) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()




COPIES = 5


@pytest.fixture
def larger_clinic(clinic: list[Path], clinic_db: str) -> dict[str, dict[str, object]]:
    """Each journey's patient and COPIES more of them, each copy's log stored again under its own
    id by SQL (as the clinic benchmark's clones): the runner reads a patient's entries as one run
    and ends a batch only between patients, so a kill needs many patients to land mid-catch-up.
    The rows expected, by patient id."""
    expected = {str(e["patient_id"]): e for e in map(_expected, clinic)}
    originals = [uuid.UUID(pid) for pid in expected]
    with psycopg.connect(clinic_db, autocommit=True) as conn:
        for k in range(1, COPIES + 1):
            # A copy's id: the md5 of the original's and k; its entries contiguous, as an add writes them.
            conn.execute("INSERT INTO clinic_events (originator_id, originator_version, topic, state) "
                         "SELECT md5(originator_id::text || %(k)s)::uuid, originator_version, topic, state "
                         "FROM clinic_events WHERE originator_id = ANY(%(ids)s) "
                         "ORDER BY originator_id, originator_version", {"k": str(k), "ids": originals})
            conn.execute("INSERT INTO clinic_patients (journal_id, patient) SELECT "
                         "md5(journal_id::text || %(k)s)::uuid, patient FROM clinic_patients "
                         "WHERE journal_id = ANY(%(ids)s)", {"k": str(k), "ids": originals})
    copies = {str(uuid.UUID(hashlib.md5(f"{pid}{k}".encode()).hexdigest())): row
              for pid, row in expected.items() for k in range(1, COPIES + 1)}
    return {**expected, **{pid: {**row, "patient_id": pid} for pid, row in copies.items()}}


# In this process, and in worker processes from the first batch on (SCIATICA_CASELOAD_PARALLEL_MIN=0),
# the rows then derived while the runner reads on.
@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_runner_killed_mid_catch_up_resumes_and_applies_each_entry_once(
        larger_clinic: dict[str, dict[str, object]], clinic_db: str, workers: str) -> None:
    root = Path(__file__).resolve().parents[2]
    # Small batches: many transactions, so the kill lands between and inside them.
    env = {**os.environ, "PYTHONPATH": str(root), "SCIATICA_CASELOAD_BATCH": "25",
           "SCIATICA_CASELOAD_WORKERS": workers, "SCIATICA_CASELOAD_PARALLEL_MIN": "0"}
    argv = [sys.executable, "-m", "desktop", "clinic", "serve-projections", "--once"]
    runner = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pool: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            pool |= children(runner.pid)
            tracked, head, _ = _state(clinic_db)
            if 0 < tracked < head:
                break
            assert runner.poll() is None, "the runner finished before it could be killed"
            time.sleep(0.01)
        pool |= children(runner.pid)
        runner.send_signal(signal.SIGKILL)
        runner.wait(timeout=30)
    finally:
        if runner.poll() is None:
            runner.kill()
    if workers != "1":
        assert pool, "no worker process was started"
    # Worker processes leave once their runner is gone (none is left holding a connection).
    deadline = time.monotonic() + 30
    while any(alive(pid) for pid in pool) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(alive(pid) for pid in pool)
    tracked, head, applied = _state(clinic_db)
    assert 0 < tracked < head  # killed mid-catch-up
    # Whatever was committed was applied exactly once: never more than stored.
    assert all(done <= stored for done, stored in applied.values())
    # Resume: it starts after the last batch it committed.
    resumed = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert resumed.returncode == 0, resumed.stderr
    tracked, head, applied = _state(clinic_db)
    assert tracked == head
    assert {k: done for k, (done, _) in applied.items()} == {k: stored for k, (_, stored) in applied.items()}
    with ClinicStore.connect(clinic_db) as store:
        rows = {str(r.patient_id): row_to_json(r) for r in rows_from_stored(store.caseload_json())}
    assert rows == larger_clinic


def test_rows_of_an_earlier_day_are_said_and_derived_again(clinic: list[Path], clinic_db: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clinic", "serve-projections", "--once"]) == 0
    with psycopg.connect(clinic_db) as conn:
        # The stored row is JSON bytes (no longer jsonb): its as_of is moved back as text.
        conn.execute("UPDATE clinic_caseload SET as_of = as_of - 3, body = convert_to(replace(convert_from("
                     "body, 'UTF8'), '\"as_of\":\"' || as_of::text, '\"as_of\":\"' || (as_of - 3)::text), 'UTF8')")
    capsys.readouterr()
    assert main(["clinic", "caseload"]) == 0
    assert "is `sciatica clinic serve-projections` running?" in capsys.readouterr().err
    # The runner derives every row older than today again (no entry applied twice)
    assert main(["clinic", "serve-projections", "--once"]) == 0
    _, _, applied = _state(clinic_db)
    assert all(done == stored for done, stored in applied.values())
    capsys.readouterr()
    assert main(["clinic", "caseload", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert {r["as_of"] for r in json.loads(captured.out)["patients"]} == {date.today().isoformat()}


def test_caseload_says_how_many_entries_are_not_in_it_yet(clinic: list[Path], clinic_db: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    # Right after `add` the runner has not applied the new entries: an empty or partial list must
    # not read as complete.
    stored = _state(clinic_db)[1]
    assert main(["clinic", "caseload"]) == 0
    err = capsys.readouterr().err
    assert "not in the caseload yet" in err
    with ClinicStore.connect(clinic_db) as store:
        waiting = store.entries_waiting()
    assert 0 < waiting <= stored and f"{waiting} entries" in err
    assert main(["clinic", "serve-projections", "--once"]) == 0
    capsys.readouterr()
    assert main(["clinic", "caseload"]) == 0
    assert "not in the caseload yet" not in capsys.readouterr().err
