"""Clinic mode in the window against a real PostgreSQL: connect, see the caseload, open a
patient for review from the store, and the therapist's note lands in the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.actions.clinic import URL_KEY, ConnectDialog
from desktop.app import settings
from desktop.cli import main
from desktop.main_window import MainWindow
from desktop.session import JournalError
from desktop.session.caseload import CaseloadSession, check_url
from domain.clinic import ClinicStore
from domain.events import ReviewNoteAdded
from tests.projections.caseload_journeys import JOURNEYS


def journal(tmp_path: Path, journey: str) -> Path:
    path = tmp_path / f"{journey}.sciatica"
    assert main(["import", str(path), str(JOURNEYS / f"{journey}.jsonl")]) == 0
    return path


@pytest.fixture
def clinic(clinic_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A clinic of three patients, one assigned, the caseload caught up."""
    assert main(["clinic", "init"]) == 0
    files = [journal(tmp_path, j) for j in ("flare", "red_flags", "classic_recovery")]
    assert main(["clinic", "add", *map(str, files)]) == 0
    assert main(["clinic", "assign", "Journey red_flags", "--therapist", "Dr Lee"]) == 0
    assert main(["clinic", "serve-projections", "--once"]) == 0
    capsys.readouterr()
    return clinic_db


def test_a_password_in_the_url_is_refused_before_anything_is_remembered(qtbot: Any) -> None:
    with pytest.raises(JournalError, match="password"):
        check_url("postgresql://lee:secret@clinic/sciatica")
    dialog = ConnectDialog(None, "postgresql://lee:secret@clinic/sciatica",
                           lambda url: pytest.fail("never connects with a password in the URL"))
    qtbot.addWidget(dialog)
    dialog.try_connect()
    assert dialog.session is None
    assert "password" in dialog.error_label.text()
    assert "secret" not in dialog.error_label.text()


def test_connect_show_the_caseload_and_review_a_patient_into_the_store(
        clinic: str, window_factory: Any, qtbot: Any, boxes: Any) -> None:
    window: MainWindow = window_factory()
    actions = window.clinic
    assert actions.connect_action in window.file_menu.actions()
    def answer(parent: Any, remembered: str) -> CaseloadSession | None:
        dialog = ConnectDialog(parent, clinic, CaseloadSession.connect)  # as if typed, then Connect
        dialog.try_connect()
        return dialog.session

    actions.ask_url = answer
    shown = actions.connect_to_clinic()
    assert shown is not None
    assert settings().value(URL_KEY) == clinic  # remembered: it holds no password
    rows = shown.view.shown_rows()
    assert {r.name for r in rows} == {"Journey flare", "Journey red_flags", "Journey classic_recovery"}
    assert [r.therapist for r in rows if r.name == "Journey red_flags"] == ["Dr Lee"]
    assert shown.view.therapist_combo.findText("Dr Lee") > 0

    # The filter asks the store for that therapist's patients only.
    shown.view.filter_changed.emit("Dr Lee")
    assert [r.name for r in shown.view.shown_rows()] == ["Journey red_flags"]

    # A double click opens the patient in review mode, from the store.
    actions.ask_therapist = lambda parent, remembered: "Dr Lee"
    assert actions.open_patient(shown.view.shown_rows()[0].patient_id)
    session = window.session
    assert session is not None and session.reviewer == "Dr Lee"
    assert session.core.identity.patient == "Journey red_flags"
    copy = session.path
    assert shown.session.is_copy(copy)
    # The review bar says where the notes go: to the store, not back in a file to the patient.
    said = window.sharing.review_bar.text()
    assert "saved to the clinic's store" in said
    assert "send it back" not in said

    # A review note saved in the window is written to the store, even with the caseload
    # window closed meanwhile (its connection stays open while the copy is).
    connection = shown.session
    shown.close()
    assert connection in actions.lingering
    session.core.add_review_note("Seen in clinic: heel raises weaker, see again in a week.")
    with ClinicStore.connect(clinic) as store:
        record = store.find_patient("Journey red_flags")
        notes = [e for e in store.entries(record.journal_id) if isinstance(e, ReviewNoteAdded)]
    assert [n.text for n in notes] == ["Seen in clinic: heel raises weaker, see again in a week."]
    assert window.statusBar().currentMessage() == "Saved to the clinic's store."
    assert boxes.texts("warning") == []

    # Closing the journal removes the private review copy, and then closes the connection.
    window.close_journal()
    qtbot.waitUntil(lambda: not copy.parent.exists(), timeout=5000)  # its private folder too
    assert actions.lingering == set()
    assert not connection.copies


def test_quitting_closes_the_caseload_and_removes_every_copy(clinic: str, window_factory: Any, qtbot: Any) -> None:
    window: MainWindow = window_factory()
    actions = window.clinic
    shown = actions.show_caseload(CaseloadSession.connect(clinic))
    connection = shown.session
    copy = connection.open_for_review(shown.view.shown_rows()[0].patient_id, "Dr Lee")
    assert copy.exists()
    actions.shut_down()  # what QApplication.aboutToQuit runs
    assert not copy.exists()
    assert actions.caseload_window is None and not connection.copies
