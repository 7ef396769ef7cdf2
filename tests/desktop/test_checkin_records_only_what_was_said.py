"""Issue 16, items 1–4: the check-in records nothing the user did not say (pytest-qt clicks)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDate, QDateTime, Qt, QTime

from desktop.main_window import MainWindow
from desktop.views.checkin import CheckInView
from domain.application import JournalApp
from tests.desktop.conftest import entries_of


def _view(qtbot, session):
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()  # shortcuts (Ctrl+S) act in the active window only
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    return view


def _rate_leg(qtbot, view, value):
    # Issue 16 (5): the rating is number buttons now (it was a slider); one click.
    qtbot.mouseClick(view.leg_rating.button(value), Qt.MouseButton.LeftButton)


# 1. Nothing is recorded that the user did not say ------------------------------------------------

def test_an_untouched_form_cannot_be_saved_by_click_ctrl_s_or_enter(qtbot, session, messages):
    view = _view(qtbot, session)
    before = len(session.app.entries())
    assert not view.save_button.isEnabled()
    assert view.save_hint.isVisible() and "Nothing to save yet" in view.save_hint.text()
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    view.note_edit.setFocus()
    qtbot.keyClick(view.note_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert len(session.app.entries()) == before
    assert messages.calls == []


def test_no_symptoms_today_is_an_explicit_choice_shown_as_such(qtbot, session, messages):
    view = _view(qtbot, session)
    qtbot.mouseClick(view.no_symptoms_button, Qt.MouseButton.LeftButton)
    assert view.no_symptoms_button.isChecked()
    assert not view.symptom_editor.isEnabled()  # the map is left empty on purpose
    assert view.save_button.isEnabled() and not view.save_hint.isVisible()
    view.note_edit.setFocus()
    qtbot.keyClick(view.note_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves
    (symptoms,) = entries_of(session.app, "SymptomsRecorded")
    assert symptoms.symptoms == []
    assert not view.no_symptoms_button.isChecked() and not view.save_button.isEnabled()  # reset


def test_enter_in_the_note_saves_once_something_is_filled_in(qtbot, session, messages):
    view = _view(qtbot, session)
    _rate_leg(qtbot, view, 3)
    assert view.save_button.isEnabled()
    qtbot.keyClicks(view.note_edit, "after the walk")
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Return)
    (pain,) = entries_of(session.app, "PainRated")
    assert pain.leg == 3 and pain.note == "after the walk"
    assert entries_of(session.app, "SymptomsRecorded") == []  # the untouched map said nothing


def test_nothing_can_be_saved_while_replay_shows_the_past(qtbot, journal_path, messages):
    app = JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01",
                            observed_at=datetime(2026, 1, 2, 9, 0))
    app.rate_pain(datetime(2026, 1, 3, 9, 0), leg=5)
    app.close()
    window = MainWindow()
    window.persist_settings = False
    qtbot.addWidget(window)
    window.resize(1300, 880)
    window.show()
    window.open_journal(journal_path, background=False)
    checkin = window.views["checkin"]
    checkin.leg_rating.set_value(4)
    assert checkin.save_button.isEnabled()
    qtbot.mouseClick(window.replay.replay_button, Qt.MouseButton.LeftButton)
    window.replay.set_date(date(2026, 1, 2))
    qtbot.waitUntil(lambda: not checkin.save_button.isEnabled(), timeout=2000)
    assert "Replay shows the past" in checkin.save_hint.text()
    before = len(window.session.app.entries())
    qtbot.mouseClick(checkin.save_button, Qt.MouseButton.LeftButton)
    assert len(window.session.app.entries()) == before
    qtbot.mouseClick(window.replay.replay_button, Qt.MouseButton.LeftButton)  # back to now
    qtbot.waitUntil(checkin.save_button.isEnabled, timeout=2000)
    window.close_journal()


# 2. The observed time is the time of saving unless the user changed it ---------------------------

def test_a_form_left_open_overnight_is_dated_when_it_is_saved(qtbot, session, messages, monkeypatch):
    view = _view(qtbot, session)
    assert view.when_label.isVisible() and not view.when_edit.isVisible()
    _rate_leg(qtbot, view, 2)
    next_morning = datetime.now().replace(second=0, microsecond=0) + timedelta(hours=11)
    monkeypatch.setattr(view.session, "now", lambda: next_morning)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    (pain,) = entries_of(session.app, "PainRated")
    assert pain.observed_at == next_morning


def test_back_filling_is_the_explicit_earlier_choice(qtbot, session, messages):
    view = _view(qtbot, session)
    qtbot.mouseClick(view.earlier_button, Qt.MouseButton.LeftButton)
    assert view.when_edit.isVisible() and not view.when_label.isVisible()
    view.when_edit.setDateTime(QDateTime(QDate(2026, 1, 15), QTime(20, 30)))
    _rate_leg(qtbot, view, 5)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    (pain,) = entries_of(session.app, "PainRated")
    assert pain.observed_at == datetime(2026, 1, 15, 20, 30)
    assert not view.earlier_button.isChecked() and view.when_label.isVisible()  # the next one is "now"


# 3. A click on the body map says where, never what or how strong --------------------------------

def test_a_clicked_region_stays_unset_until_sensation_and_intensity_are_chosen(qtbot, session, messages):
    view = _view(qtbot, session)
    point = view.body_map.region_center("calf", "left").toPoint()
    qtbot.mouseClick(view.body_map, Qt.MouseButton.LeftButton, pos=point)
    assert view.body_map.symptoms() == []  # no silent "pain 5/10"
    assert view.body_map.incomplete() == [("calf", "left")]
    assert view.symptom_editor.intensity.value() is None
    assert not view.save_button.isEnabled() and "Left calf" in view.save_hint.text()
    qtbot.mouseClick(view.symptom_editor.sensation_buttons["numbness"], Qt.MouseButton.LeftButton)
    assert view.body_map.symptoms() == [] and not view.save_button.isEnabled()  # how strong?
    qtbot.mouseClick(view.symptom_editor.intensity.button(4), Qt.MouseButton.LeftButton)
    assert view.body_map.incomplete() == []
    assert view.save_button.isEnabled()
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    (symptoms,) = entries_of(session.app, "SymptomsRecorded")
    assert symptoms.symptoms == [{"region": "calf", "side": "left", "sensation": "numbness", "intensity": 4}]


def test_a_region_clicked_twice_by_keyboard_is_unmarked_and_nothing_is_pending(qtbot, session, messages):
    view = _view(qtbot, session)
    view.body_map.setFocus()
    view.body_map.set_current(("thigh", "right"))
    qtbot.keyClick(view.body_map, Qt.Key.Key_Space)
    assert view.body_map.incomplete() == [("thigh", "right")]
    qtbot.keyClick(view.body_map, Qt.Key.Key_Space)
    assert view.body_map.incomplete() == [] and view.body_map.symptoms() == []
    assert not view.save_button.isEnabled() and "Nothing to save yet" in view.save_hint.text()


# 4. The check-in's note is shown like any other field --------------------------------------------

def test_the_note_shows_in_recent_entries_and_the_timeline(qtbot, session, messages):
    from desktop.views.history import SUMMARY, HistoryView

    view = _view(qtbot, session)
    _rate_leg(qtbot, view, 6)
    qtbot.keyClicks(view.note_edit, "worse after driving")
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert "worse after driving" in view.recent.list.item(0).text()
    history = HistoryView(session)
    qtbot.addWidget(history)
    history.show()
    (pain,) = entries_of(session.app, "PainRated")
    row = history.model.row_of(pain.entry_id)
    assert "worse after driving" in history.model.data(history.model.index(row, SUMMARY))


def test_earlier_goes_back_in_time_never_to_a_day_still_to_come(qtbot, session, messages):
    view = _view(qtbot, session)
    qtbot.mouseClick(view.earlier_button, Qt.MouseButton.LeftButton)
    today = datetime.now().date()
    view.when_edit.setDateTime(QDateTime(QDate(today + timedelta(days=3)), QTime(9, 0)))
    assert view.observed_at().date() == today  # held at today's end, the field's latest
    view.when_edit.setDateTime(QDateTime(QDate(2026, 1, 15), QTime(20, 30)))
    assert view.observed_at() == datetime(2026, 1, 15, 20, 30)
