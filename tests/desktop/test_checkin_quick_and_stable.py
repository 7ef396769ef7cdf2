"""Issue 16, items 5–8: the check-in is quick and stable (pytest-qt clicks; journal and geometry)."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from desktop.session import PainRating, Walk
from desktop.views.checkin import CheckInView
from tests.desktop.conftest import entries_of


def _view(qtbot, session, size=(1300, 900)):
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    return view


class Actions:
    """A user's actions, counted: a click is one, typing into one field is one."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def click(self, widget: QWidget, pos: QPoint | None = None) -> None:
        self.count += 1
        if pos is None:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        else:
            self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos)

    def tick(self, checkbox: QAbstractButton) -> None:
        self.click(checkbox, QPoint(8, checkbox.height() // 2))

    def type_into(self, widget: QWidget, text: str) -> None:
        self.count += 1
        widget.setFocus()
        self.qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # replace
        self.qtbot.keyClicks(widget, text)

    def region(self, view: CheckInView, region: str, side: str) -> None:
        self.click(view.body_map, view.body_map.region_center(region, side).toPoint())


def _geometry(widgets):
    return [w.geometry() for w in widgets]


# 5. Number buttons, a clear "not rated", nothing moves ---------------------------------------------

def test_pain_is_rated_with_one_click_on_a_number_and_nothing_moves(qtbot, session, messages):
    view = _view(qtbot, session)
    leg = view.leg_rating
    assert leg.value() is None and leg.value_label.text() == "not rated"
    assert [b.text() for b in leg.buttons.values()] == [str(n) for n in range(11)]
    cards = [view.symptom_editor, view.walk_card, view.note_edit, view.save_button, view.checklist]
    before = _geometry([*leg.buttons.values(), leg.value_label, *cards])
    qtbot.mouseClick(leg.button(7), Qt.MouseButton.LeftButton)
    assert leg.value() == 7 and leg.value_label.text() == "7 / 10" and leg.button(7).isChecked()
    assert _geometry([*leg.buttons.values(), leg.value_label, *cards]) == before  # nothing moved
    qtbot.mouseClick(leg.button(7), Qt.MouseButton.LeftButton)  # the chosen number again: not rated
    assert leg.value() is None and leg.value_label.text() == "not rated"
    assert not any(b.isChecked() for b in leg.buttons.values())
    assert _geometry([*leg.buttons.values(), leg.value_label, *cards]) == before


def test_the_rating_row_is_one_tab_stop_that_takes_digits_and_arrows(qtbot, session, messages):
    view = _view(qtbot, session)
    back = view.back_rating
    assert all(b.focusPolicy() == Qt.FocusPolicy.NoFocus for b in back.buttons.values())
    back.setFocus()
    qtbot.keyClick(back, Qt.Key.Key_4)
    assert back.value() == 4
    qtbot.keyClick(back, Qt.Key.Key_Right)
    assert back.value() == 5
    qtbot.keyClick(back, Qt.Key.Key_Delete)
    assert back.value() is None


def test_ticking_a_safety_item_or_saving_never_reflows_the_columns(qtbot, session, messages):
    view = _view(qtbot, session, (1400, 900))
    columns = view.columns.columns
    assert view.columns.count == 3
    before = [c.geometry().topLeft() for c in columns] + [c.width() for c in columns]
    check = view.checklist.flags.checks["night_or_rest_pain"]
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    assert check.isChecked()
    QApplication.processEvents()
    assert [c.geometry().topLeft() for c in columns] + [c.width() for c in columns] == before
    qtbot.mouseClick(view.leg_rating.button(3), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert entries_of(session.app, "PainRated")
    QApplication.processEvents()
    assert [c.geometry().topLeft() for c in columns] + [c.width() for c in columns] == before


# 6. Keyboard and accessible names -----------------------------------------------------------------

def test_tab_goes_from_the_map_to_pain_walk_note_and_save_in_reading_order(qtbot, session, messages):
    view = _view(qtbot, session)
    qtbot.mouseClick(view.leg_rating.button(2), Qt.MouseButton.LeftButton)  # Save on
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    view.body_map.setFocus()
    order = []
    for _ in range(40):
        widget = QApplication.focusWidget()
        assert widget is not None
        order.append(widget)
        if widget is view.save_button:
            break
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    wanted = [view.body_map, view.leg_rating, view.back_rating, view.share_spin, view.episodes_spin,
              view.walk_check, view.note_edit, view.save_button]
    assert [w for w in order if w in wanted] == wanted
    # The date field is one stop: back-filling, Tab leaves it (no stepping through day, month…)
    qtbot.mouseClick(view.earlier_button, Qt.MouseButton.LeftButton)
    view.when_edit.setFocus()
    qtbot.keyClick(view.when_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view.when_edit


def test_every_control_has_an_accessible_name(qtbot, session, messages):
    view = _view(qtbot, session)
    qtbot.mouseClick(view.earlier_button, Qt.MouseButton.LeftButton)
    view.walk_check.setChecked(True)
    unnamed = []
    for widget in view.findChildren(QWidget):
        if widget.objectName() == "qt_spinbox_lineedit":  # a spin box's inside: the box is named
            continue
        if not widget.isVisibleTo(view) or not widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            continue
        iface = QAccessible.queryAccessibleInterface(widget)
        if not iface.text(QAccessible.Text.Name).strip():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()}")
    assert unnamed == []


def test_ctrl_s_saves_the_check_in_like_the_button(qtbot, session, messages):
    view = _view(qtbot, session)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)
    qtbot.mouseClick(view.leg_rating.button(6), Qt.MouseButton.LeftButton)
    view.note_edit.setFocus()
    qtbot.keyClick(view.note_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (pain,) = entries_of(session.app, "PainRated")
    assert pain.leg == 6


# 7. Columns stack on a narrow window ------------------------------------------------------------

def test_at_1024_wide_the_columns_stack_and_nothing_scrolls_sideways_or_is_clipped(qtbot, session, messages):
    view = _view(qtbot, session, (1024 - 176, 700))  # the window minus its sidebar
    QApplication.processEvents()
    assert view.columns.count < 3
    assert not view.horizontalScrollBar().isVisible()
    assert view.widget().width() <= view.viewport().width()
    clipped = [b.text() for b in view.findChildren(QAbstractButton)
               if b.isVisibleTo(view) and b.text() and b.width() < b.sizeHint().width()]
    assert clipped == []
    narrow = _view(qtbot, session, (560, 700))
    QApplication.processEvents()
    assert narrow.columns.count == 1 and not narrow.horizontalScrollBar().isVisible()


# 8. "Same as yesterday" and the action counts ---------------------------------------------------

def test_a_repeat_check_in_takes_two_actions(qtbot, session, messages):
    yesterday = datetime.now().replace(second=0, microsecond=0) - timedelta(days=1)
    session.core.check_in(yesterday, [{"region": "calf", "side": "left", "sensation": "tingling", "intensity": 4}],
                          PainRating(leg=4, back=2), Walk(total_minutes=30, minutes_to_symptoms=20,
                                                          extent_at_stop="calf"), "first day", context="sitting")
    view = _view(qtbot, session)
    assert view.same_button.isVisible() and view.same_button.text() == "Same as yesterday"
    actions = Actions(qtbot)
    actions.click(view.same_button)
    actions.click(view.save_button)
    assert actions.count <= 4
    symptoms = entries_of(session.app, "SymptomsRecorded")
    pains = entries_of(session.app, "PainRated")
    walks = entries_of(session.app, "WalkRecorded")
    assert len(symptoms) == len(pains) == len(walks) == 2
    assert symptoms[1].symptoms == symptoms[0].symptoms and symptoms[1].context == "sitting"
    assert (pains[1].leg, pains[1].back) == (4, 2)
    assert (walks[1].total_minutes, walks[1].minutes_to_symptoms, walks[1].extent_at_stop) == (30, 20, "calf")
    assert symptoms[1].observed_at.date() == datetime.now().date()  # today, not yesterday
    assert symptoms[1].note is None  # the note is not repeated


def test_a_full_check_in_with_two_regions_pain_and_a_walk_takes_at_most_15_actions(qtbot, session, messages):
    view = _view(qtbot, session)
    assert not view.same_button.isVisible()  # nothing to repeat in a new journal
    editor = view.symptom_editor
    actions = Actions(qtbot)
    actions.region(view, "calf", "left")
    actions.click(editor.sensation_buttons["pain"])
    actions.click(editor.intensity.button(6))
    actions.region(view, "thigh", "left")
    actions.click(editor.sensation_buttons["tingling"])
    actions.click(editor.intensity.button(3))
    actions.click(view.leg_rating.button(6))
    actions.click(view.back_rating.button(2))
    actions.tick(view.walk_check)
    actions.type_into(view.walk_minutes, "25")
    actions.click(view.save_button)
    assert actions.count <= 15
    assert messages.calls == []
    (symptoms,) = entries_of(session.app, "SymptomsRecorded")
    assert sorted((s["region"], s["sensation"], s["intensity"]) for s in symptoms.symptoms) == [
        ("calf", "pain", 6), ("thigh", "tingling", 3)]
    (pain,) = entries_of(session.app, "PainRated")
    assert (pain.leg, pain.back) == (6, 2)
    (walk,) = entries_of(session.app, "WalkRecorded")
    assert walk.total_minutes == 25


def test_choosing_a_region_does_not_move_the_buttons_under_the_pointer(qtbot, session, messages):
    view = _view(qtbot, session)
    editor = view.symptom_editor
    panel = [*editor.sensation_buttons.values(), editor.intensity, *editor.intensity.buttons.values()]
    before = _geometry(panel)
    point = view.body_map.region_center("thigh", "left").toPoint()
    qtbot.mouseClick(view.body_map, Qt.MouseButton.LeftButton, pos=point)
    assert editor.region_label.text() == "Left thigh"
    assert _geometry(panel) == before  # a shorter hint does not pull the sensations up
    qtbot.mouseClick(editor.sensation_buttons["tingling"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.intensity.button(4), Qt.MouseButton.LeftButton)
    assert _geometry(panel) == before
    assert view.body_map.symptoms() == [{"region": "thigh", "side": "left", "sensation": "tingling", "intensity": 4}]
