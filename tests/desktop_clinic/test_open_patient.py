"""A patient opened for review from the store (``CaseloadSession.open_patient``) is the session
File → Open for review gives on the same file, though the copy is never read back."""

from __future__ import annotations

import os
import time
from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from desktop.session import JournalError
from desktop.session.caseload import CaseloadSession
from desktop.session.opening import open_session
from domain.clinic import review_folders
from domain.clinic.review_folders import REVIEW_PREFIX
from tests.projections.caseload_journeys import JOURNEYS


@pytest.fixture
def clinic(clinic_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["clinic", "init"]) == 0
    path = tmp_path / "flare.sciatica"
    assert main(["import", str(path), str(JOURNEYS / "flare.jsonl")]) == 0
    assert main(["clinic", "add", str(path)]) == 0
    assert main(["clinic", "serve-projections", "--once"]) == 0
    capsys.readouterr()
    return clinic_db


def test_the_patient_from_the_store_is_the_file_opened_for_review(clinic: str) -> None:
    connection = CaseloadSession.connect(clinic)
    try:
        (row,) = connection.caseload().rows
        session = connection.open_patient(row.patient_id, "Dr Lee")
        try:
            assert connection.is_copy(session.path)
            assert session.reviewer == "Dr Lee" and session.readonly
            # The copy may still be being written: reading it by its path waits for it first.
            from_file = open_session(session.app.file_ready(), readonly=True, therapist="Dr Lee")
            try:
                assert session.app.entries() == from_file.app.entries()
                assert session.effective._effective == from_file.effective._effective
                assert session.status() == from_file.status()
                assert session.timeline.known_stages() == from_file.timeline.known_stages()
                assert session.identity == from_file.identity
            finally:
                from_file.close()
            # Its notes go into the copy, then to the store: the window says where, not "in this
            # file" (a temporary copy), and File → Open for review still says "in this file".
            assert session.saved_where is None and from_file.saved_where == "in this file"
            session.add_review_note("Seen in clinic.")
            assert connection.push(session.path) == 1
        finally:
            session.close()
        copy = session.path
        connection.discard(copy)
        assert not copy.exists()
    finally:
        connection.close()


def test_a_damaged_row_is_said_and_leaves_no_copy(clinic: str) -> None:
    with psycopg.connect(clinic) as conn:
        conn.execute("UPDATE clinic_events SET state = substr(state, 1, 20) WHERE originator_version = 3")
    connection = CaseloadSession.connect(clinic)
    try:
        (row,) = connection.caseload().rows
        with pytest.raises(JournalError, match="damaged and cannot be read: entry 3"):
            connection.open_patient(row.patient_id, "Dr Lee")
        assert not connection.copies
    finally:
        connection.close()


def test_connecting_sweeps_the_review_copies_a_crashed_run_left(clinic: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))  # where review copies are made
    monkeypatch.setattr(review_folders, "roots", lambda: [run])  # and swept (not this machine's own)
    stale = run / f"{REVIEW_PREFIX}Ana-Silva-ls_9iisp"  # an earlier run's, which crashed
    stale.mkdir(mode=0o700)
    (stale / "Journey flare.sciatica").write_bytes(b"a patient's health data")
    two_hours_ago = time.time() - 7200  # no owner file: an earlier version's, swept after an hour
    os.utime(stale, (two_hours_ago, two_hours_ago))
    connection = CaseloadSession.connect(clinic)
    try:
        assert not stale.exists()
        (row,) = connection.caseload().rows
        session = connection.open_patient(row.patient_id, "Dr Lee")
        assert session.path.parent.parent == run
        session.close()
        connection.discard(session.path)
    finally:
        connection.close()
    assert list(run.iterdir()) == []
