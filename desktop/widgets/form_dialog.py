"""The app's modal dialogs' common frame: one column and, where the dialog asks for something,
a line for refusals and Cancel / OK.

Every dialog is a plain ``QDialog`` opened with ``open()`` or ``exec()`` by its caller, so
tests build it, fill it and click its OK button without a blocking event loop. A refusal
(``run_op``'s ``on_error``) is shown inside the dialog, in ``error_label``, and the dialog
stays open for a second try.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from desktop.widgets.page import column_layout
from desktop.widgets.parts import ErrorLine, button, button_row


class FormDialog(QDialog):
    """A modal dialog whose widgets stand in one column (``self.column``)."""

    error_label: ErrorLine
    cancel_button: QPushButton

    def __init__(self, parent: QWidget | None, title: str, *, name: str = "", min_width: int = 0,
                 margins: tuple[int, int, int, int] = (22, 18, 22, 18), spacing: int = 10) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(min_width)
        self.column = column_layout(self, margins, spacing)

    def add_error_line(self, name: str = "error_label", text: str = "") -> ErrorLine:
        self.error_label = ErrorLine(self, name, text)
        self.column.addWidget(self.error_label)
        return self.error_label

    def show_error(self, message: str) -> None:
        self.error_label.show_message(message)

    def add_buttons(self, ok_text: str, on_ok: Callable[[], Any], *, ok_name: str = "ok_button",
                    lead: QWidget | None = None) -> QPushButton:
        """Cancel (rejects) and the OK button (primary, the default: Enter presses it), at the
        right of the last row; LEAD stands on their left. Returns the OK button."""
        self.cancel_button = button("Cancel", self, self.reject, name="cancel_button")
        ok = button(ok_text, self, on_ok, name=ok_name, kind="primary", default=True)
        self.column.addLayout(button_row(self.cancel_button, ok, lead=lead))
        return ok
