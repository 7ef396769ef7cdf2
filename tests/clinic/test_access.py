"""One PostgreSQL role per therapist; a therapist reads and writes only assigned patients
(row-level security), tested by connecting AS that role."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.clinic import ClinicError, ClinicStore, discard_review_copy, open_review_copy, push_entries
from tests.clinic.conftest import Server
from tests.clinic.helpers import journal


def test_a_therapist_reads_only_the_patients_assigned_to_them(
        clinic_db: str, pg_server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clinic", "init"]) == 0
    flare, classic = journal(tmp_path, "flare"), journal(tmp_path, "classic_recovery")
    assert main(["clinic", "add", str(flare), str(classic)]) == 0
    assert main(["clinic", "assign", "Journey flare", "--therapist", "Ana Silva"]) == 0
    assert main(["clinic", "assign", "Journey classic_recovery", "--therapist", "Ben Okafor"]) == 0
    assert main(["clinic", "serve-projections", "--once"]) == 0
    # init again (a second administrator, a rerun): harmless, the assignments stay
    assert main(["clinic", "init"]) == 0
    capsys.readouterr()
    # The administrator gives Ana's role a password (the same as PGPASSWORD here, for the test).
    with psycopg.connect(clinic_db) as conn:
        conn.execute(f"ALTER ROLE therapist_ana_silva PASSWORD '{pg_server.password}'")
        (classic_id,) = conn.execute(
            "SELECT journal_id FROM clinic_patients WHERE patient = 'Journey classic_recovery'").fetchone()
    dbname = clinic_db.rsplit("/", 1)[1].split("?", maxsplit=1)[0]
    as_ana = pg_server.url_for(dbname, user="therapist_ana_silva")
    with ClinicStore.connect(as_ana) as ana:
        assert ana.current_therapist() == "Ana Silva"
        assert [p.patient for p in ana.patients()] == ["Journey flare"]
        assert [r["name"] for r in ana.caseload_rows()] == ["Journey flare"]
        # Fail to read Ben's patient, by name, by id, by the store's index, by plain SQL
        with pytest.raises(ClinicError, match="not one assigned to you"):
            ana.find_patient("Journey classic_recovery")
        assert ana.entries(classic_id) == []
        with psycopg.connect(as_ana) as conn:
            row = conn.execute("SELECT count(*) FROM clinic_events WHERE originator_id = %s", (classic_id,)).fetchone()
            assert row == (0,)
            row = conn.execute("SELECT count(*) FROM clinic_caseload").fetchone()
            assert row == (1,)
        with pytest.raises(ClinicError):
            ana.export(str(classic_id), tmp_path / "theirs.sciatica")
        # Fail to write to Ben's patient: a review note in a copy of it is refused
        with JournalApp.open_for_review(classic, "Ana Silva") as app:
            app.review_note("Not my patient")
        with pytest.raises(ClinicError, match="only for patients assigned"):
            push_entries(ana, classic)
        # Her own patient: a review copy, a note, pushed back
        copy = open_review_copy(ana, "Journey flare")
        with JournalApp.open_for_review(copy, "Ana Silva") as app:
            app.review_note("Better this week")
        report = push_entries(ana, copy)
        assert report.review_notes == 1
        discard_review_copy(copy)  # review copies live in memory (/dev/shm) when there is room
    # The administrator sees both, and Ana's note
    with ClinicStore.connect(clinic_db) as admin:
        assert len(admin.patients()) == 2
        record = admin.find_patient("Journey flare")
        assert any(getattr(e, "text", None) == "Better this week" for e in admin.entries(record.journal_id))
        notes = [getattr(e, "text", None) for e in admin.entries(classic_id)]
        assert "Not my patient" not in notes
