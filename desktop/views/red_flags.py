"""The red-flag checklist and the "Seek emergency care now" dialog.

The checklist asks every code in ``RED_FLAG_QUESTIONS`` in plain words and records one
safety check (``JournalSession.check_red_flags``), which also says which answers are
emergencies to acknowledge; when a check is due is the session's rule too. The banner that
follows comes from the status projection. The dialog is opened with
``open()`` (modal, not a nested event loop) and cannot be dismissed without acknowledging;
the acknowledgement is recorded as ``RedFlagAcknowledged``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from desktop.operations import run_op
from desktop.session import Changes, EntryKind, RedFlagCheck
from desktop.widgets import parts
from desktop.widgets.fields import FlagsEditor
from desktop.widgets.form_dialog import FormDialog
from desktop.widgets.page import column_layout
from desktop.widgets.status_header import flag_label
from projections.vocabulary import urgency_words

if TYPE_CHECKING:
    from desktop.app import QtSession


class EmergencyDialog(FormDialog):
    """Blocking advice that must be acknowledged; Escape and the close button do nothing."""

    acknowledged = Signal(list)

    def __init__(self, flags: list[str], parent: QWidget | None = None) -> None:
        words = urgency_words("emergency")  # the one emergency wording (header, CLI, report)
        super().__init__(parent, words.title, name="emergency_dialog", min_width=460, margins=(24, 22, 24, 20),
                         spacing=12)
        self.flags = flags
        self._done = False
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        frame = QFrame(self)
        frame.setObjectName("banner")
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(16, 14, 16, 14)
        inner.addWidget(parts.label(words.title, frame, "bannertitle"))
        listed = "; ".join(flag_label(code) for code in flags)
        inner.addWidget(parts.label(f"You answered yes to: {listed}.\n\n{words.advice}", frame, wrap=True))
        self.column.addWidget(frame)
        self.acknowledge_button = parts.button("I understand", self, self._on_acknowledge_button_clicked,
                                               name="acknowledge_button", kind="primary", default=True)
        self.column.addLayout(parts.button_row(self.acknowledge_button))

    def _on_acknowledge_button_clicked(self) -> None:
        self._done = True
        self.acknowledged.emit(list(self.flags))
        self.accept()

    def reject(self) -> None:  # Escape: the advice must be acknowledged
        if self._done:
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not self._done:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            event.ignore()
            return
        super().closeEvent(event)


class RedFlagChecklist(QFrame):
    """A card: open when a check is due (weekly), always available on demand."""

    saved = Signal()

    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session.core
        self.emergency_dialog: EmergencyDialog | None = None
        self._setup_ui()
        self.show_status()
        session.changed.connect(self._on_session_changed)

    def _setup_ui(self) -> None:
        layout = parts.card_layout(self)
        head = QHBoxLayout()
        head.addWidget(parts.label("Safety check", self, "title"))
        head.addStretch(1)
        self.toggle_button = parts.button("Check now", self, self._on_toggle_button_clicked, name="checklist_toggle")
        head.addWidget(self.toggle_button)
        layout.addLayout(head)
        self.status_label = parts.label("", self, "hint", name="checklist_status", wrap=True)
        layout.addWidget(self.status_label)

        self.body = QWidget(self)
        body = column_layout(self.body, (0, 4, 0, 0), 10)
        body.addWidget(parts.label("Since your last check, have you noticed any of these? Tick any that apply.",
                                   self.body, wrap=True))
        self.flags = FlagsEditor(self.body)
        self.flags.setObjectName("flags")
        for check in self.flags.checks.values():
            check.toggled.connect(self._on_flag_toggled)
        body.addWidget(self.flags)
        self.save_button = parts.button("", self.body, self._on_save_button_clicked, name="checklist_save",
                                        kind="primary")
        body.addLayout(parts.button_row(self.save_button))
        layout.addWidget(self.body)
        self._on_flag_toggled()

    # Rendering --------------------------------------------------------------------------------

    def show_status(self) -> None:
        last = self.session.last_red_flag_check()
        due = self.session.red_flag_check_due()
        if last is None:
            self.status_label.setText("Not done yet. It takes a few seconds and is asked weekly.")
        else:
            days = (self.session.today() - last).days
            when = "today" if days == 0 else ("yesterday" if days == 1 else f"{days} days ago")
            more = " A new check is due." if due else " Asked weekly; answer any time something changes."
            self.status_label.setText(f"Last answered {when}.{more}")
        self.set_expanded(due)

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.touches([EntryKind.RED_FLAGS]):
            self.show_status()

    def set_expanded(self, expanded: bool) -> None:
        self.body.setVisible(expanded)
        self.toggle_button.setText("Hide" if expanded else "Check now")

    def _on_toggle_button_clicked(self) -> None:
        self.set_expanded(not self.body.isVisible())

    def _on_flag_toggled(self, *args: object) -> None:
        count = len(self.flags.value())
        self.save_button.setText("Save: none of these" if count == 0 else
                                 f"Save answers ({count} yes)")

    # Saving ------------------------------------------------------------------------------------

    def _on_save_button_clicked(self) -> None:
        present = self.flags.value()
        run_op(self, "Safety check not saved", lambda: self.session.check_red_flags(present), self._on_saved)

    def _on_saved(self, check: RedFlagCheck) -> None:
        self.flags.set_value([])
        self.saved.emit()
        if check.to_acknowledge:
            self.show_emergency(list(check.to_acknowledge))
        self.show_status()

    def show_emergency(self, flags: list[str]) -> EmergencyDialog:
        dialog = EmergencyDialog(flags, self.window())
        dialog.acknowledged.connect(self._on_emergency_dialog_acknowledged)
        self.emergency_dialog = dialog
        dialog.open()
        return dialog

    def _on_emergency_dialog_acknowledged(self, flags: list[str]) -> None:
        run_op(self, "Acknowledgement not saved", lambda: self.session.acknowledge(flags))
