"""``clinic add`` with the copies read in worker processes (a large batch): the same entries,
refusals and idempotence as the single-process path, all in one transaction."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.clinic import ClinicStore
from domain.clinic import store as store_module
from domain.errors import MergeRefused
from tests.clinic.helpers import all_leave, count_rows, journal, kill_add_when, tamper


@pytest.fixture
def store(clinic_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[ClinicStore]:
    assert main(["clinic", "init"]) == 0
    capsys.readouterr()
    # Every batch of two or more copies goes to the workers, however small (the journeys are).
    monkeypatch.setattr(store_module, "worth_workers", lambda paths: len(paths) >= 2)
    s = ClinicStore.connect(clinic_db)
    yield s
    s.close()


def _rows(url: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute("SELECT originator_id, originator_version, topic, state FROM clinic_events "
                            "ORDER BY originator_id, originator_version").fetchall()


def test_copies_read_in_workers_are_stored_as_in_one_process(store: ClinicStore, tmp_path: Path,
                                                              clinic_db: str) -> None:
    flare, classic = journal(tmp_path, "flare"), journal(tmp_path, "classic_recovery")
    reports = store.add([flare, classic, flare])  # a copy given twice in one call is taken in once
    assert store._intake is not None  # the workers did it
    assert [r.path for r in reports] == [flare, classic, flare]
    assert [r.patient for r in reports] == ["Journey flare", "Journey classic_recovery", "Journey flare"]
    with JournalApp.open(flare, readonly=True) as a, JournalApp.open(classic, readonly=True) as b:
        assert reports[0].added == len(a.entries()) and reports[1].added == len(b.entries())
        assert reports[2].added == 0
        assert count_rows(clinic_db, "clinic_events") == len(a.entries()) + len(b.entries())
    assert {p.patient for p in store.patients()} == {"Journey flare", "Journey classic_recovery"}
    in_workers = _rows(clinic_db)
    # The same copies added again: nothing new
    assert [r.added for r in store.add([classic, flare])] == [0, 0]
    assert _rows(clinic_db) == in_workers
    # The single-process path writes exactly the same rows
    with psycopg.connect(clinic_db, autocommit=True) as conn:
        conn.execute("DELETE FROM clinic_events")
        conn.execute("DELETE FROM clinic_patients")
    for path in (flare, classic):
        store.add([path])
    assert _rows(clinic_db) == in_workers


def test_a_refused_copy_in_a_batch_read_by_workers_changes_nothing(store: ClinicStore, tmp_path: Path,
                                                                    clinic_db: str) -> None:
    good, other, bad = (journal(tmp_path, "flare"), journal(tmp_path, "classic_recovery"),
                        journal(tmp_path, "flare", name="tampered"))
    store.add([other])
    tamper(bad)
    before = _rows(clinic_db)
    # Fail to add: the tampered copy is refused, and the good ones with it
    with pytest.raises(MergeRefused, match="fails verification"):
        store.add([good, other, bad])
    assert _rows(clinic_db) == before
    assert [p.patient for p in store.patients()] == ["Journey classic_recovery"]
    # A file that is not a journal is refused before any worker starts reading
    stray = tmp_path / "notes.sciatica"
    stray.write_text("not a journal", encoding="utf-8")
    with pytest.raises(MergeRefused, match="nothing was added"):
        store.add([good, stray])
    assert _rows(clinic_db) == before
    # Without the tampered copy the batch goes in
    assert store.add([good, other])[0].added > 0




JOURNEYS = ("flare", "classic_recovery", "corrections", "exercises", "foot_drop", "less_often",
            "pins_and_needles", "red_flags", "back_rising")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_an_add_killed_while_workers_read_adds_all_or_nothing_and_its_workers_leave(
        store: ClinicStore, tmp_path: Path, clinic_db: str) -> None:
    files = [journal(tmp_path, j) for j in JOURNEYS]
    expected = 0
    for path in files:
        with JournalApp.open(path, readonly=True) as app:
            expected += len(app.entries())
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "SCIATICA_ADD_PARALLEL_MIN": "0", "SCIATICA_ADD_WORKERS": "2"}
    adding = subprocess.Popen([sys.executable, "-m", "desktop", "clinic", "add", *map(str, files)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers = kill_add_when(adding, lambda seen: len(seen) >= 3, 0.005)  # the fork server, two workers
    assert workers, "no worker process was started"
    # The workers leave once the add is gone (none is left reading or holding a connection)
    assert all_leave(workers)
    # One transaction: every copy's entries, or none of them
    assert count_rows(clinic_db, "clinic_events") in (0, expected)
    assert count_rows(clinic_db, "clinic_patients") in (0, len(files))


def test_a_batch_with_an_encrypted_copy_is_read_in_this_process(
        store: ClinicStore, tmp_path: Path, clinic_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its passphrase may have to be asked for at the terminal, which a worker does not have.
    classic, flare = journal(tmp_path, "classic_recovery"), journal(tmp_path, "flare")
    sealed = tmp_path / "sealed.sciatica"
    with JournalApp.open(flare, readonly=True) as app:
        app.copy_as(sealed, passphrase="a long enough phrase")
        expected = len(app.entries())
    monkeypatch.setenv("SCIATICA_OTHER_PASSPHRASE", "a long enough phrase")
    reports = store.add([classic, sealed])
    assert store._intake is None  # no worker was started
    assert reports[1].added == expected and reports[1].patient == "Journey flare"
    with ClinicStore.connect(clinic_db) as other:
        assert len(other.entries(other.find_patient("Journey flare").journal_id)) == expected


@pytest.mark.parametrize(("cores", "frozen", "expected"), [(None, False, 1), (1, False, 1), (2, False, 3),
                                                           (3, False, 4), (16, False, 4), (8, True, 1)])
def test_workers_are_one_more_than_the_cores_up_to_four(cores, frozen, expected):
    from domain.clinic.intake_workers import default_workers

    assert default_workers(cores, frozen) == expected
