"""The app's modal dialogs' common frame: one column and, where the dialog asks for something,
a line for refusals and Cancel / OK.

Every dialog is a plain ``QDialog`` opened with ``open()`` or ``exec()`` by its caller, so
tests build it, fill it and click its OK button without a blocking event loop. A refusal
(``run_op``'s ``on_error``) is shown inside the dialog, in ``error_label``, and the dialog
stays open for a second try.

A dialog taller than the screen (a symptoms correction with its body map on a small laptop at
1.5×) scrolls its column; Cancel and OK stay in view under it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QFrame, QPushButton, QScrollArea, QWidget

from desktop.widgets.page import column_layout
from desktop.widgets.parts import ErrorLine, button, button_row


class _Body(QScrollArea):
    """The dialog's column, scrolled only when the screen is too short for all of it."""

    def sizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().sizeHint()
        return body.sizeHint() + QSize(self._bar_width(), 0)

    def hasHeightForWidth(self) -> bool:
        body = self.widget()
        return body is not None and body.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        # Wrapped lines: the column is as tall as they are at the width it is given.
        body = self.widget()
        return body.heightForWidth(width - self._bar_width()) if body is not None else -1

    def _bar_width(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def minimumSizeHint(self) -> QSize:
        body = self.widget()
        if body is None:
            return super().minimumSizeHint()
        hint = body.minimumSizeHint()
        return QSize(hint.width() + self._bar_width(), min(hint.height(), LEAST_BODY_PX))


LEAST_BODY_PX = 160  # the column's least height on a short screen (it scrolls)


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
        left, top, right, bottom = margins
        outer = column_layout(self, (0, top, 0, bottom), spacing)
        self.body = _Body(self)
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields are the Tab stops
        page = QWidget(self.body)
        page.setObjectName("dialog_body")
        self.column = column_layout(page, (left, 0, right, 0), spacing)
        self.body.setWidget(page)
        self.body.viewport().setAutoFillBackground(False)
        page.setAutoFillBackground(False)
        outer.addWidget(self.body, 1)
        # Cancel and OK under the scrolled column, always in view.
        foot = QWidget(self)
        self.foot = column_layout(foot, (left, 0, right, 0), spacing)
        outer.addWidget(foot)

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
        self.foot.addLayout(button_row(self.cancel_button, ok, lead=lead))
        return ok

    def showEvent(self, event: QShowEvent) -> None:
        # As tall as the column needs (Qt gives a new window 2/3 of the screen at most), but
        # never taller than the screen's free area: the column scrolls instead.
        screen = self.screen()
        if screen is not None and not event.spontaneous():
            free = screen.availableGeometry()
            extra = self.frameGeometry().height() - self.height()
            layout = self.layout()
            needed = layout.totalHeightForWidth(self.width()) if layout is not None and layout.hasHeightForWidth() \
                else self.sizeHint().height()
            height = min(needed, free.height() - extra)
            if height != self.height():
                self.resize(self.width(), height)
            if self.frameGeometry().bottom() > free.bottom():
                self.move(self.x(), max(free.top(), free.bottom() + 1 - self.height() - extra))
        super().showEvent(event)
