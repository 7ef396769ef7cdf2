"""Clinic store on a real PostgreSQL: add, export, idempotence, refusals, concurrent writers."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.clinic import (
    ClinicConnection,
    ClinicError,
    ClinicStore,
    discard_review_copy,
    open_review_copy,
)
from domain.errors import MergeRefused
from tests.clinic.helpers import count_rows, journal, push_at_once, tamper


@pytest.fixture
def store(clinic_db: str, capsys: pytest.CaptureFixture[str]) -> ClinicStore:
    assert main(["clinic", "init"]) == 0
    capsys.readouterr()
    s = ClinicStore.connect(clinic_db)
    yield s
    s.close()


def test_a_copy_added_twice_adds_nothing_the_second_time(store: ClinicStore, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    # Take in a patient's copy, and another patient's, in one call
    flare, classic = journal(tmp_path, "flare"), journal(tmp_path, "classic_recovery")
    assert main(["clinic", "add", str(flare), str(classic)]) == 0
    out = capsys.readouterr().out
    assert "added from" in out and "Journey flare" in out and "Journey classic_recovery" in out
    rows = count_rows(store.connection.conninfo(), "clinic_events")
    with JournalApp.open(flare, readonly=True) as app:
        assert rows == len(app.entries()) + len(JournalApp.open(classic, readonly=True).entries())
    # The same copy again: nothing new, nothing written
    assert main(["clinic", "add", str(flare)]) == 0
    assert "Nothing new" in capsys.readouterr().out
    assert count_rows(store.connection.conninfo(), "clinic_events") == rows


def test_export_holds_everything_the_store_has_for_the_patient(store: ClinicStore, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    flare = journal(tmp_path, "flare")
    store.add([flare])
    out = tmp_path / "review.sciatica"
    # By name (unique, case ignored)
    assert main(["clinic", "export", "journey FLARE", "--copy", str(out)]) == 0
    with JournalApp.open(flare, readonly=True) as original, JournalApp.open(out, readonly=True) as copy:
        assert copy.entries() == original.entries()
        assert copy.journal_id == original.journal_id
        assert copy.integrity_problem is None
    # Fail to export a patient the store does not have
    assert main(["clinic", "export", "Nobody", "--copy", str(tmp_path / "x.sciatica")]) == 2
    assert "no patient 'Nobody'" in capsys.readouterr().err


def test_a_tampered_copy_is_refused_and_the_store_is_unchanged(store: ClinicStore, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    good, bad = journal(tmp_path, "flare"), journal(tmp_path, "classic_recovery")
    tamper(bad)
    # Fail to add: the whole call is refused, the good copy included
    assert main(["clinic", "add", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "fails verification" in err and "nothing was merged" in err
    assert count_rows(store.connection.conninfo(), "clinic_events") == 0
    assert count_rows(store.connection.conninfo(), "clinic_patients") == 0


def test_a_copy_that_disagrees_with_the_store_is_refused(store: ClinicStore, tmp_path: Path) -> None:
    store.add([journal(tmp_path, "flare")])
    # The same journal imported again into another file, one entry altered on the way in: its
    # chain holds, but the entry differs from the store's.
    import json

    from tests.clinic.helpers import JOURNEYS

    lines = (JOURNEYS / "flare.jsonl").read_text(encoding="utf-8").splitlines()
    second = json.loads(lines[1])
    second["note"] = "edited"
    lines[1] = json.dumps(second)
    (tmp_path / "edited.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    edited = tmp_path / "edited.sciatica"
    assert main(["import", str(edited), str(tmp_path / "edited.jsonl")]) == 0
    before = count_rows(store.connection.conninfo(), "clinic_events")
    with pytest.raises(MergeRefused, match="differs from the same entry"):
        store.add([edited])
    assert count_rows(store.connection.conninfo(), "clinic_events") == before


def test_two_therapists_writing_for_the_same_patient_at_once_both_land(store: ClinicStore, tmp_path: Path) -> None:
    flare = journal(tmp_path, "flare")
    store.add([flare])
    copies = []
    for therapist in ("Ana Silva", "Ben Okafor"):
        path = open_review_copy(store, "Journey flare", therapist)
        with JournalApp.open_for_review(path, therapist) as app:
            for k in range(3):
                app.review_note(f"{therapist}: note {k}")
        copies.append(path)
    # Both push at the same moment, each from its own connection
    errors = push_at_once(copies)
    assert errors == []
    record = store.find_patient("Journey flare")
    notes = [e.text for e in store.entries(record.journal_id) if type(e).__name__ == "ReviewNoteAdded"]
    assert sorted(notes) == sorted(f"{t}: note {k}" for t in ("Ana Silva", "Ben Okafor") for k in range(3))
    # Positions stay dense: 1..n, each entry once
    entries = store.entries(record.journal_id)
    assert len({e.entry_id for e in entries}) == len(entries)
    for path in copies:
        discard_review_copy(path)  # review copies live in memory (/dev/shm) when there is room


def test_a_password_in_the_url_is_refused_and_never_echoed() -> None:
    with pytest.raises(ClinicError) as caught:
        ClinicConnection.from_url("postgresql://admin:s3cret@db.example/clinic")
    assert "s3cret" not in str(caught.value)
    assert "PGPASSWORD" in str(caught.value)


def test_sslmode_from_the_url_is_honoured(clinic_db: str) -> None:
    # The throwaway server has no SSL: sslmode=require must make the connection fail.
    url = clinic_db.replace("sslmode=disable", "sslmode=require")
    with pytest.raises(ClinicError, match="SSL"):
        with ClinicStore.connect(url) as s:
            s.patients()


def test_no_url_names_the_setting(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SCIATICA_CLINIC_DB", raising=False)
    assert main(["clinic", "caseload"]) == 2
    assert "SCIATICA_CLINIC_DB" in capsys.readouterr().err


def test_a_file_that_is_not_a_journal_is_refused_in_one_sentence(store: ClinicStore, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.sciatica"
    text.write_text("not a journal\n", encoding="utf-8")
    assert main(["clinic", "add", str(journal(tmp_path, "flare")), str(text)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(text) in err and "nothing was" in err
    assert count_rows(store.connection.conninfo(), "clinic_events") == 0


def test_db_is_taken_before_or_after_the_subcommand(clinic_db: str, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SCIATICA_CLINIC_DB")
    assert main(["clinic", "--db", clinic_db, "init"]) == 0
    assert main(["clinic", "caseload", "--db", clinic_db]) == 0
    assert "No patients" in capsys.readouterr().out
