"""A dialog never runs off the screen: one taller than the screen's free area (a symptoms
correction with its body map at 1.5× on a small laptop) scrolls its column, with Cancel and OK
in view under it; a short one shows everything without a scroll bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QLabel

from desktop.widgets.form_dialog import FormDialog


def _dialog(qtbot: Any, lines: int) -> FormDialog:
    dialog = FormDialog(None, "Tall" if lines > 10 else "Short", min_width=420)
    for i in range(lines):
        dialog.column.addWidget(QLabel(f"Line {i}: a field or a question of the form", dialog))
    dialog.add_error_line()
    dialog.add_buttons("Save", dialog.accept)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for _ in range(3):
        QApplication.processEvents()
    return dialog


def test_a_dialog_taller_than_the_screen_scrolls_and_keeps_its_buttons_in_view(qtbot: Any) -> None:
    dialog = _dialog(qtbot, 80)
    screen = dialog.screen()
    assert screen is not None
    free = screen.availableGeometry()
    assert dialog.frameGeometry().height() <= free.height()
    assert free.contains(dialog.frameGeometry())
    assert dialog.body.verticalScrollBar().maximum() > 0  # the column scrolls
    ok = dialog.findChildren(type(dialog.cancel_button), "ok_button")[0]
    bottom = ok.mapTo(dialog, QPoint(0, ok.height())).y()
    assert ok.isVisible() and bottom <= dialog.height()  # Save in view, not scrolled away
    assert not dialog.body.isAncestorOf(ok)


def test_a_short_dialog_shows_all_of_its_column(qtbot: Any) -> None:
    dialog = _dialog(qtbot, 3)
    assert dialog.body.verticalScrollBar().maximum() == 0
    assert dialog.body.widget().height() <= dialog.body.viewport().height()
