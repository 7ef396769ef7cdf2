"""A questionnaire answer is corrected like any entry (issue 19's left-over): on its own number
buttons, with a reason; the original stays in the history and the score follows the correction."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import QtSession
from desktop.session import measures
from desktop.views import correction
from desktop.views.history import HistoryView, type_title
from desktop.views.measure_form import MeasureDialog
from domain.application import JournalApp
from tests.desktop_measures.conftest import ACTIVITIES, THERAPIST

SBI = {"leg_pain": 4, "numbness_tingling": 2, "leg_weakness": 0, "sitting_pain": 5}


def _answer_sbi(session: QtSession) -> uuid.UUID:
    return measures.answer(session.core, "sbi", SBI)


def _click(qtbot: QtBot, dialog: MeasureDialog, item: str, value: int) -> None:
    qtbot.mouseClick(dialog.ratings[item].button(value), Qt.MouseButton.LeftButton)


def test_the_correction_shows_the_answer_and_saves_the_new_numbers_with_a_reason(
        qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    entry_id = _answer_sbi(session)
    entry = session.core.effective_entry(entry_id)
    assert entry is not None
    dialog = MeasureDialog(session.core, measures.answered_questionnaire(entry), correcting=entry_id)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Correct: Sciatica Bothersomeness Index"
    assert dialog.values() == SBI  # the numbers given, ready to change
    assert dialog.save_button.text() == "Save correction" and dialog.save_button.isEnabled()
    _click(qtbot, dialog, "sitting_pain", 1)
    assert dialog.reason_edit is not None
    qtbot.keyClicks(dialog.reason_edit, "tapped 5 for 1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result_id is not None
    corrected = session.core.effective_entry(entry_id)
    assert corrected is not None and corrected.observed_at == entry.observed_at
    assert {a["item"]: a["value"] for a in corrected.answers} == {**SBI, "sitting_pain": 1}
    # The original stays; the score now reads the corrected answer (4 + 2 + 0 + 1).
    original = next(e for e in assigned.entries() if e.entry_id == entry_id)
    assert {a["item"]: a["value"] for a in original.answers} == SBI
    sbi = next(s for s in measures.measure_states(session.core) if s.measure == "sbi")
    assert sbi.latest is not None and sbi.latest.score == 7
    change = next(e for e in assigned.entries() if e.entry_id == dialog.result_id)
    assert change.reason == "tapped 5 for 1"


def test_a_psfs_correction_asks_about_the_activities_it_rated(
        qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    entry_id = measures.answer(session.core, "psfs", dict(zip(ACTIVITIES, (3, 7, 10), strict=True)))
    # The therapist later names other activities; the old answer keeps its own.
    assigned.assign_measure(THERAPIST, "psfs", every_days=14, activities=["lifting a bag", "driving",
                                                                         "gardening"],
                            observed_at="2026-01-19T10:00")
    entry = session.core.effective_entry(entry_id)
    assert entry is not None
    dialog = MeasureDialog(session.core, measures.answered_questionnaire(entry), correcting=entry_id)
    qtbot.addWidget(dialog)
    assert list(dialog.ratings) == ACTIVITIES
    assert dialog.values() == dict(zip(ACTIVITIES, (3, 7, 10), strict=True))


def test_the_timeline_names_questionnaires_and_corrects_them_on_their_own_form(
        qtbot: QtBot, session: QtSession, assigned: JournalApp, monkeypatch: pytest.MonkeyPatch) -> None:
    entry_id = _answer_sbi(session)
    view = HistoryView(session)
    qtbot.addWidget(view)
    view.refresh()
    assert type_title("MeasureAnswered") == correction.TYPE_TITLES["MeasureAnswered"] == "Questionnaire"
    assert type_title("MeasureAssigned") == "Questionnaire assigned"
    names = [view.type_combo.itemText(i) for i in range(view.type_combo.count())]
    assert "Questionnaire" in names and "Questionnaire assigned" in names
    assert view.select_entry(entry_id)
    assert view.correct_button.isEnabled() and view.retract_button.isEnabled()

    def answer_on_the_form(dialog: MeasureDialog) -> int:
        assert dialog.correcting == entry_id
        _click(qtbot, dialog, "leg_pain", 6)
        assert dialog.reason_edit is not None
        dialog.reason_edit.setText("meant 6")
        dialog._on_save_button_clicked()
        return 1

    monkeypatch.setattr(MeasureDialog, "exec", answer_on_the_form)
    view._on_correct_button_clicked()
    corrected = session.core.effective_entry(entry_id)
    assert corrected is not None and corrected.answers[0] == {"item": "leg_pain", "value": 6}


def test_a_therapists_assignment_cannot_be_corrected_from_the_timeline(
        qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    view = HistoryView(session)
    qtbot.addWidget(view)
    view.refresh()
    assignment = next(e for e in assigned.entries() if e.type_name() == "MeasureAssigned")
    assert view.select_entry(assignment.entry_id)
    assert not view.correct_button.isEnabled() and not view.retract_button.isEnabled()


def test_the_correction_refuses_an_entry_that_is_not_a_questionnaire(
        session: QtSession, assigned: JournalApp) -> None:
    from domain.errors import InvalidEntry

    start = next(e for e in assigned.entries() if e.type_name() == "JournalStarted")
    with pytest.raises(InvalidEntry, match="questionnaire"):
        measures.correct_answer(session.core, start.entry_id, SBI, "no")
    with pytest.raises(InvalidEntry, match="questionnaire"):
        measures.answered_questionnaire(start)


def test_the_timeline_line_of_an_answer_gives_its_score_to_one_decimal(session: QtSession) -> None:
    from projections.history import summarize

    entry_id = measures.answer(session.core, "psfs", dict(zip(ACTIVITIES, (3, 7, 3), strict=True)))
    entry = session.core.effective_entry(entry_id)
    assert entry is not None
    assert summarize(entry).startswith("PSFS: 4.3 (walking to the shops 3, ")
