"""The guided test forms: each saves one entry, or shows the domain's message."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.views.tests import TestsView
from tests.desktop.conftest import entries_of


def _card(qtbot, session):
    view = TestsView(session)
    qtbot.addWidget(view)
    # A window's size, so every card is on screen for the clicks (the cards now flow into as
    # many columns as fit; at the bare view's default size they would stack below the fold).
    view.resize(1440, 960)
    view.show()
    return view


def test_heel_raises_for_the_affected_side_are_recorded(qtbot, session, messages):
    view = _card(qtbot, session)
    card = view.cards["HeelRaisesTested"]
    assert card.form.editors["side"].value() == "left"  # the affected side is preselected
    reps = card.form.editors["repetitions"].input
    reps.setFocus()
    reps.selectAll()
    qtbot.keyClicks(reps, "18")
    with qtbot.waitSignal(view.saved, timeout=1000):
        qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    (test,) = entries_of(session.app, "HeelRaisesTested")
    assert (test.side, test.repetitions) == ("left", 18)
    assert messages.calls == []
    assert card.form.editors["repetitions"].value() is None  # cleared for the other leg
    assert card.form.editors["side"].value() == "left"
    assert "Heel raises left: 18" in card.latest_label.text()
    assert view.recent.list.count() == 1


def test_out_of_range_heel_raises_show_the_domain_message_and_store_nothing(qtbot, session, messages):
    view = _card(qtbot, session)
    card = view.cards["HeelRaisesTested"]
    qtbot.mouseClick(card.form.editors["side"].buttons["right"], Qt.MouseButton.LeftButton)
    card.form.editors["repetitions"].input.setValue(250)
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert messages.calls == [("Test not saved", "heel raises must be 0–200, got 250")]
    assert entries_of(session.app, "HeelRaisesTested") == []


def test_a_muscle_grade_must_be_chosen(qtbot, session, messages):
    view = _card(qtbot, session)
    card = view.cards["MuscleGraded"]
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    assert len(messages.calls) == 1 and "muscle" in messages.texts[0] and "required" in messages.texts[0]
    assert entries_of(session.app, "MuscleGraded") == []
    card.form.editors["muscle"].set_value("great_toe_extension")
    qtbot.mouseClick(card.form.editors["grade"].buttons[4], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(card.save_button, Qt.MouseButton.LeftButton)
    (grade,) = entries_of(session.app, "MuscleGraded")
    assert (grade.muscle, grade.side, grade.grade) == ("great_toe_extension", "left", 4)


def test_every_other_test_form_records_its_entry(qtbot, session, messages):
    view = _card(qtbot, session)
    c = view.cards
    qtbot.mouseClick(c["GaitChecked"].form.editors["test"].buttons["heel_walk"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(c["GaitChecked"].form.editors["result"].buttons["impaired"], Qt.MouseButton.LeftButton)
    c["StraightLegRaiseTested"].form.editors["degrees"].input.setValue(45)
    qtbot.mouseClick(c["SlumpTested"].form.editors["result"].buttons["positive"], Qt.MouseButton.LeftButton)
    c["ForwardBendTested"].form.editors["fingertip_to_floor_cm"].input.setValue(-3)
    c["ForwardBendTested"].form.editors["extent"].set_value("knee")
    qtbot.keyClicks(c["ExerciseResponseRecorded"].form.editors["exercise"].input, "prone press-up")
    c["ExerciseResponseRecorded"].form.editors["extent_before"].set_value("calf")
    c["ExerciseResponseRecorded"].form.editors["extent_after"].set_value("thigh")
    for name in ("GaitChecked", "StraightLegRaiseTested", "SlumpTested", "ForwardBendTested",
                 "ExerciseResponseRecorded"):
        qtbot.mouseClick(c[name].save_button, Qt.MouseButton.LeftButton)
    assert messages.calls == []
    assert entries_of(session.app, "GaitChecked")[0].fields() == {"test": "heel_walk", "side": "left",
                                                                 "result": "impaired"}
    assert entries_of(session.app, "StraightLegRaiseTested")[0].degrees == 45
    slump = entries_of(session.app, "SlumpTested")[0]
    assert (slump.result, slump.knee_extension_deficit_degrees) == ("positive", None)
    bend = entries_of(session.app, "ForwardBendTested")[0]
    assert (bend.fingertip_to_floor_cm, bend.extent) == (-3, "knee")
    exercise = entries_of(session.app, "ExerciseResponseRecorded")[0]
    assert (exercise.exercise, exercise.extent_before, exercise.extent_after) == ("prone press-up", "calf", "thigh")
