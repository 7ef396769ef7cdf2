"""The check-in as a user fills it: body map clicks, sliders, walk, safety check."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from desktop.views.checkin import CheckInView
from tests.desktop.conftest import entries_of


def _click_region(qtbot, view, region, side):
    point = view.body_map.region_center(region, side).toPoint()
    qtbot.mouseClick(view.body_map, Qt.MouseButton.LeftButton, pos=point)


def _tick(qtbot, checkbox):
    """Click a check box on its indicator, as a user would."""
    qtbot.mouseClick(checkbox, Qt.MouseButton.LeftButton, pos=QPoint(8, checkbox.height() // 2))


def _rate(qtbot, rating, value):
    qtbot.mouseClick(rating.button(value), Qt.MouseButton.LeftButton)


def _press(qtbot, widget, key, times):
    widget.setFocus()
    for _ in range(times):
        qtbot.keyClick(widget, key)


def test_full_checkin_via_body_map_and_sliders_records_the_right_events(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    qtbot.waitExposed(view)
    before = len(session.timeline)

    # Mark the left calf: pain and pins and needles, intensity 7 by keyboard. Issue 16 (3)
    # changed how: a click selects the region unset (it used to mean "pain 5"), the user picks
    # the sensations and the intensity; what is recorded is unchanged.
    _click_region(qtbot, view, "calf", "left")
    assert view.body_map.current() == ("calf", "left")
    assert view.symptom_editor.region_label.text() == "Left calf"
    assert view.body_map.symptoms() == [] and view.body_map.incomplete() == [("calf", "left")]
    qtbot.mouseClick(view.symptom_editor.sensation_buttons["pain"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.symptom_editor.sensation_buttons["tingling"], Qt.MouseButton.LeftButton)
    # Issue 16 (5): ratings are number buttons now (they were sliders); one click each.
    _rate(qtbot, view.symptom_editor.intensity, 7)
    # and the midline low back, pain only, intensity 3
    _click_region(qtbot, view, "low_back_center", "center")
    qtbot.mouseClick(view.symptom_editor.sensation_buttons["pain"], Qt.MouseButton.LeftButton)
    _rate(qtbot, view.symptom_editor.intensity, 3)
    # Leg pain 6, back pain untouched (not rated), share of day 40 %, 3 episodes
    _rate(qtbot, view.leg_rating, 6)
    view.share_spin.setValue(40)
    view.episodes_spin.setValue(3)
    qtbot.mouseClick(view.context_buttons["sitting"], Qt.MouseButton.LeftButton)
    # A walk: 20 minutes, symptoms after 12, reaching the thigh
    _tick(qtbot, view.walk_check)
    view.walk_minutes.setValue(20)
    view.walk_until.setValue(12)
    view.walk_extent.setCurrentIndex(view.walk_extent.findData("thigh"))
    qtbot.keyClicks(view.note_edit, "after work")

    with qtbot.waitSignal(view.saved, timeout=2000):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    assert messages.calls == []
    (symptoms,) = entries_of(session.app, "SymptomsRecorded")
    assert symptoms.symptoms == [
        {"region": "low_back_center", "side": "center", "sensation": "pain", "intensity": 3},
        {"region": "calf", "side": "left", "sensation": "pain", "intensity": 7},
        {"region": "calf", "side": "left", "sensation": "tingling", "intensity": 7},
    ]
    assert symptoms.context == "sitting"
    assert symptoms.note == "after work"
    (pain,) = entries_of(session.app, "PainRated")
    assert (pain.leg, pain.back, pain.share_of_day_percent, pain.episodes) == (6, None, 40, 3)
    (walk,) = entries_of(session.app, "WalkRecorded")
    assert (walk.total_minutes, walk.minutes_to_symptoms, walk.extent_at_stop) == (20, 12, "thigh")
    assert symptoms.observed_at == pain.observed_at == walk.observed_at
    # applied incrementally to the same timeline, and the form is ready for the next check-in
    assert len(session.timeline) == before + 3
    assert view.body_map.symptoms() == []
    assert view.leg_rating.value() is None
    assert view.recent.list.count() == 3


def test_keyboard_alone_can_mark_a_region(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.show()
    view.body_map.setFocus()
    view.body_map.set_current(("low_back_center", "center"))
    qtbot.keyClick(view.body_map, Qt.Key.Key_Down)   # low back (left)
    qtbot.keyClick(view.body_map, Qt.Key.Key_Down)   # buttock (left)
    qtbot.keyClick(view.body_map, Qt.Key.Key_Right)  # buttock (right)
    qtbot.keyClick(view.body_map, Qt.Key.Key_Space)
    # Issue 16 (3): Space selects the region unset (it used to mark "pain 5"); the sensation
    # and the intensity are then chosen by keyboard too.
    assert view.body_map.symptoms() == [] and view.body_map.incomplete() == [("buttock", "right")]
    pain = view.symptom_editor.sensation_buttons["pain"]
    pain.setFocus()
    qtbot.keyClick(pain, Qt.Key.Key_Space)
    view.symptom_editor.intensity.setFocus()
    qtbot.keyClick(view.symptom_editor.intensity, Qt.Key.Key_5)  # a digit on the focused row
    assert view.body_map.symptoms() == [
        {"region": "buttock", "side": "right", "sensation": "pain", "intensity": 5}]
    view.body_map.setFocus()
    qtbot.keyClick(view.body_map, Qt.Key.Key_Space)  # unmark
    assert view.body_map.symptoms() == []


def test_symptom_free_day_records_an_empty_list_and_no_pain_rating(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    # Issue 16 (1) changed the rule: a symptom-free day is an explicit choice, no longer what
    # Save on an untouched form records; the assertions on what is recorded are unchanged.
    qtbot.mouseClick(view.no_symptoms_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    (symptoms,) = entries_of(session.app, "SymptomsRecorded")
    assert symptoms.symptoms == []
    assert entries_of(session.app, "PainRated") == []


def test_invalid_walk_shows_the_domain_message_and_stores_nothing(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    count = len(session.app.entries())
    _rate(qtbot, view.leg_rating, 4)
    _tick(qtbot, view.walk_check)
    view.walk_minutes.setValue(10)
    view.walk_until.setValue(15)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert messages.calls == [("Check-in not saved",
                               "minutes until symptoms (15) cannot be more than the walk's total minutes (10)")]
    assert len(session.app.entries()) == count  # all or nothing
    assert view.leg_rating.value() == 4  # the form keeps what was typed


def test_a_walk_of_zero_minutes_is_refused_with_the_domain_message(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    _tick(qtbot, view.walk_check)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert len(messages.calls) == 1
    assert "walk total minutes must be more than 0" in messages.texts[0]
    assert entries_of(session.app, "SymptomsRecorded") == []


def test_emergency_answer_opens_a_dialog_that_must_be_acknowledged(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.show()
    checklist = view.checklist
    assert checklist.body.isVisible()  # never checked: the checklist is open
    _tick(qtbot, checklist.flags.checks["saddle_numbness"])
    _tick(qtbot, checklist.flags.checks["night_or_rest_pain"])
    assert checklist.save_button.text() == "Save answers (2 yes)"
    qtbot.mouseClick(checklist.save_button, Qt.MouseButton.LeftButton)

    (checked,) = entries_of(session.app, "RedFlagsChecked")
    assert checked.present == ["saddle_numbness", "night_or_rest_pain"]
    dialog = checklist.emergency_dialog
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # cannot be dismissed
    dialog.close()
    assert dialog.isVisible()
    assert entries_of(session.app, "RedFlagAcknowledged") == []

    qtbot.mouseClick(dialog.acknowledge_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    (ack,) = entries_of(session.app, "RedFlagAcknowledged")
    assert ack.flags == ["saddle_numbness"]  # only the emergency one needs acknowledging
    assert messages.calls == []


def test_a_clear_checklist_records_none_present_and_opens_no_dialog(qtbot, session, messages):
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.show()
    assert view.checklist.save_button.text() == "Save: none of these"
    qtbot.mouseClick(view.checklist.save_button, Qt.MouseButton.LeftButton)
    (checked,) = entries_of(session.app, "RedFlagsChecked")
    assert checked.present == []
    assert view.checklist.emergency_dialog is None
    assert not view.checklist.body.isVisible()  # done for this week; "Check now" reopens it
    qtbot.mouseClick(view.checklist.toggle_button, Qt.MouseButton.LeftButton)
    assert view.checklist.body.isVisible()


def test_leg_pain_with_an_empty_map_is_not_recorded_as_a_symptom_free_day(qtbot, session, messages):
    from desktop.views.checkin import CheckInView

    view = CheckInView(session)
    qtbot.addWidget(view)
    view.leg_rating.set_value(5)
    assert [t for t, _ in view.entries()] == ["PainRated"]
    view.leg_rating.set_value(0)
    # Issue 16 (1) changed this expectation: an untouched map never records "symptom-free"
    # (before, leg pain 0 with an empty map did); only the choice "No symptoms today" does.
    assert [t for t, _ in view.entries()] == ["PainRated"]
    qtbot.mouseClick(view.no_symptoms_button, Qt.MouseButton.LeftButton)
    assert [t for t, _ in view.entries()] == ["SymptomsRecorded", "PainRated"]
