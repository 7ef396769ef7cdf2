"""The first-run form: who, which side, since when. It creates the journal file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.operations import run_op
from desktop.session import create_session
from desktop.style import set_role
from desktop.widgets.fields import ChoiceEditor


class WelcomeView(QWidget):
    """Creates ``target`` with its first entry; emits ``created(JournalSession)``."""

    created = Signal(object)

    def __init__(self, target: Path, parent: QWidget | None = None, *, first_run: bool = True) -> None:
        super().__init__(parent)
        self.target = target
        self.setObjectName("page")
        self._setup_ui(first_run)

    def _setup_ui(self, first_run: bool) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 40, 28, 28)
        outer.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        frame = QFrame(self)
        frame.setObjectName("card")
        frame.setFixedWidth(520)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(32, 28, 32, 28)
        inner.setSpacing(14)
        inner.addWidget(set_role(QLabel("Welcome to Sciatica Tracker" if first_run else "New journal",
                                        frame), "pagetitle"))
        intro = set_role(QLabel(
            "A private journal of your recovery: where symptoms reach, pain, walking and simple "
            "tests, the signs a physical therapist follows. It stays on this computer.", frame), "hint")
        intro.setWordWrap(True)
        inner.addWidget(intro)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(12)
        self.name_edit = QLineEdit(frame)
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setPlaceholderText("Your name or initials")
        self.side_choice = ChoiceEditor([("left", "Left leg"), ("right", "Right leg"), ("both", "Both legs")],
                                        segmented=True, parent=frame)
        self.side_choice.setObjectName("side_choice")
        self.onset_edit = QDateEdit(QDate.currentDate(), frame)
        self.onset_edit.setObjectName("onset_edit")
        self.onset_edit.setCalendarPopup(True)
        self.onset_edit.setDisplayFormat("d MMM yyyy")
        form.addRow(set_role(QLabel("Name", frame), "fieldlabel"), self.name_edit)
        form.addRow(set_role(QLabel("Affected side", frame), "fieldlabel"), self.side_choice)
        form.addRow(set_role(QLabel("Symptoms began on", frame), "fieldlabel"), self.onset_edit)
        inner.addLayout(form)
        where = set_role(QLabel(f"Saved as {self.target}", frame), "hint")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        inner.addWidget(where)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.create_button = QPushButton("Start my journal", frame)
        self.create_button.setObjectName("create_button")
        self.create_button.setProperty("kind", "primary")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create_button_clicked)
        self.name_edit.returnPressed.connect(self._on_create_button_clicked)
        buttons.addWidget(self.create_button)
        inner.addLayout(buttons)
        row.addWidget(frame)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def _on_create_button_clicked(self) -> None:
        onset = self.onset_edit.date().toPython()
        run_op(self, "Journal not created",
               lambda: create_session(self.target, patient=self.name_edit.text(),
                                      affected_side=self.side_choice.value(),
                                      onset_date=onset),  # type: ignore[arg-type]
               self.created.emit)
