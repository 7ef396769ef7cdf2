"""Correct and retract from the Recent entries list; the original always stays."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from desktop.views.checkin import CheckInView
from desktop.views.correction import CorrectionDialog, RetractionDialog
from tests.desktop.conftest import entries_of


def _view_with_pain(qtbot, session):
    entry_id = session.app.rate_pain("2026-01-20T08:00", leg=8, back=2)
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.show()
    view.recent.select(entry_id)
    return view, entry_id


def test_correct_opens_the_prefilled_form_and_records_a_correction(qtbot, session, messages):
    view, entry_id = _view_with_pain(qtbot, session)
    seen = {}

    def fill_and_save():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectionDialog)
        seen["leg"] = dialog.form.editors["leg"].value()
        seen["back"] = dialog.form.editors["back"].value()
        dialog.form.editors["leg"].input.setValue(5)
        qtbot.keyClicks(dialog.reason_edit, "slider slipped")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_and_save)
    with qtbot.waitSignal(view.recent.changed, timeout=3000):
        qtbot.mouseClick(view.recent.correct_button, Qt.MouseButton.LeftButton)

    assert seen == {"leg": 8, "back": 2}
    (correction,) = entries_of(session.app, "EntryCorrected")
    assert correction.target == entry_id and correction.reason == "slider slipped"
    assert correction.replacement["leg"] == 5 and correction.replacement["back"] == 2
    assert session.app.entry(entry_id).leg == 8  # the original stays
    assert session.core.effective_entry(entry_id).leg == 5
    assert "leg 5/10" in view.recent.list.item(0).text() and "corrected" in view.recent.list.item(0).text()


def test_a_correction_without_reason_shows_the_message_and_stores_nothing(qtbot, session, messages):
    _view, entry_id = _view_with_pain(qtbot, session)
    dialog = CorrectionDialog(session.core, entry_id)
    qtbot.addWidget(dialog)
    dialog.form.editors["leg"].input.setValue(3)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.isVisibleTo(dialog)
    assert "reason for the correction" in dialog.error_label.text()
    assert entries_of(session.app, "EntryCorrected") == []


def test_a_correction_breaking_a_rule_shows_the_domain_message(qtbot, session, messages):
    _view, entry_id = _view_with_pain(qtbot, session)
    dialog = CorrectionDialog(session.core, entry_id)
    qtbot.addWidget(dialog)
    for name in ("leg", "back"):
        dialog.form.editors[name].set_value(None)
    qtbot.keyClicks(dialog.reason_edit, "none of it")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "at least one of leg, back" in dialog.error_label.text()
    assert entries_of(session.app, "EntryCorrected") == []


def test_retract_asks_a_reason_and_the_entry_leaves_the_list(qtbot, session, messages):
    view, entry_id = _view_with_pain(qtbot, session)
    view.recent.retract_dialog = lambda parent, core, eid: _retract(qtbot, core, eid)
    with qtbot.waitSignal(view.recent.changed, timeout=2000):
        qtbot.mouseClick(view.recent.retract_button, Qt.MouseButton.LeftButton)
    (retraction,) = entries_of(session.app, "EntryRetracted")
    assert (retraction.target, retraction.reason) == (entry_id, "wrong day")
    assert session.app.entry(entry_id) is not None  # still in the history
    assert session.core.effective_entry(entry_id) is None
    assert view.recent.list.count() == 0


def _retract(qtbot, core, entry_id):
    dialog = RetractionDialog(core, entry_id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.reason_edit, "wrong day")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    return dialog.result_id


def test_symptoms_are_corrected_on_the_body_map(qtbot, session, messages):
    entry_id = session.app.record_symptoms("2026-01-20T08:00", [
        {"region": "foot", "side": "left", "sensation": "numbness", "intensity": 4}], context="sitting")
    dialog = CorrectionDialog(session.core, entry_id)
    qtbot.addWidget(dialog)
    body_map = dialog.form.editors["symptoms"].input.body_map
    assert body_map.symptoms() == [{"region": "foot", "side": "left", "sensation": "numbness", "intensity": 4}]
    body_map.select_region("foot", "left")
    body_map.set_marks(("foot", "left"), {})
    body_map.select_region("calf", "left")
    # Issue 16 (3): a selected region is unset until a sensation and intensity are chosen
    # (it used to mean "pain 5"); the recorded replacement is unchanged.
    editor = dialog.form.editors["symptoms"].input
    qtbot.mouseClick(editor.sensation_buttons["pain"], Qt.MouseButton.LeftButton)
    editor.intensity.set_value(5)
    qtbot.keyClicks(dialog.reason_edit, "it was the calf")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (correction,) = entries_of(session.app, "EntryCorrected")
    assert correction.replacement["symptoms"] == [
        {"region": "calf", "side": "left", "sensation": "pain", "intensity": 5}]
    assert correction.replacement["context"] == "sitting"


def test_a_region_left_unset_in_a_correction_is_named_not_dropped(qtbot, session, messages):
    # Issue 16 (3): a selected region means nothing until its sensation and intensity are chosen.
    entry_id = session.app.record_symptoms("2026-01-20T08:00", [
        {"region": "foot", "side": "left", "sensation": "numbness", "intensity": 4}])
    dialog = CorrectionDialog(session.core, entry_id)
    qtbot.addWidget(dialog)
    dialog.form.editors["symptoms"].input.body_map.select_region("calf", "left")
    qtbot.keyClicks(dialog.reason_edit, "the calf too")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "Left calf" in dialog.error_label.text()
    assert entries_of(session.app, "EntryCorrected") == []
