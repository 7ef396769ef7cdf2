"""The first-run form: who, which side, since when. It creates the journal file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from desktop.app import place_words
from desktop.operations import run_op
from desktop.session import create_session
from desktop.widgets import parts
from desktop.widgets.fields import ChoiceEditor

UNCHOSEN = QDate(1900, 1, 1)  # the onset field's "not chosen yet"


class WelcomeView(QWidget):
    """Creates ``target`` with its first entry; emits ``created(JournalSession)``."""

    created = Signal(object)
    review_requested = Signal()  # "I am a therapist": open a patient's copy instead

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
        frame, inner = parts.card(self, margins=(32, 28, 32, 28), spacing=14)
        frame.setFixedWidth(520)
        inner.addWidget(parts.label("Welcome to Sciatica Tracker" if first_run else "New journal", frame,
                                    "pagetitle"))
        inner.addWidget(parts.label("A private journal of your recovery: where symptoms reach, pain, walking and "
                                    "simple tests, the signs a physical therapist follows. It stays on this "
                                    "computer.", frame, "hint", wrap=True))
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(12)
        self.name_edit = QLineEdit(frame)
        self.name_edit.setObjectName("name_edit")
        self.name_edit.setPlaceholderText("Your name or initials")
        self.side_choice = ChoiceEditor([("left", "Left leg"), ("right", "Right leg"), ("both", "Both legs")],
                                        segmented=True, parent=frame)
        self.side_choice.setObjectName("side_choice")
        # No default: the day symptoms began is the user's to choose (today would be a guess
        # that every "days since onset" then repeats). The minimum date reads "Choose a day".
        self.onset_edit = QDateEdit(frame)
        self.onset_edit.setObjectName("onset_edit")
        self.onset_edit.setAccessibleName("Symptoms began on")
        self.onset_edit.setCalendarPopup(True)
        self.onset_edit.setDisplayFormat("d MMM yyyy")
        self.onset_edit.setMinimumDate(UNCHOSEN)
        self.onset_edit.setMaximumDate(QDate.currentDate())
        self.onset_edit.setSpecialValueText("Choose a day")
        self.onset_edit.setDate(UNCHOSEN)
        # The calendar would open on January 1900 (the "not chosen" date): open it on this month.
        self.onset_edit.calendarWidget().installEventFilter(self)
        self.name_edit.setAccessibleName("Name")
        parts.add_field(form, "Name", self.name_edit, frame)
        parts.add_field(form, "Affected side", self.side_choice, frame)
        parts.add_field(form, "Symptoms began on", self.onset_edit, frame)
        inner.addLayout(form)
        self.where_label = parts.label(f"Your journal will be kept {place_words(self.target)}. Nothing leaves "
                                       "this computer.", frame, "hint", name="where_label", wrap=True)
        self.where_label.setToolTip(str(self.target))
        inner.addWidget(self.where_label)
        buttons = QHBoxLayout()
        self.therapist_button = parts.button("I am a therapist: open a patient's copy", frame, name="therapist_button")
        self.therapist_button.setToolTip("Open a journal a patient exported for review; nothing is created here")
        self.therapist_button.clicked.connect(self.review_requested)
        buttons.addWidget(self.therapist_button)
        buttons.addStretch(1)
        self.create_button = parts.button("Start my journal", frame, self._on_create_button_clicked,
                                          name="create_button", kind="primary", default=True)
        self.name_edit.returnPressed.connect(self._on_create_button_clicked)
        buttons.addWidget(self.create_button)
        inner.addLayout(buttons)
        row.addWidget(frame)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        calendar = self.onset_edit.calendarWidget()
        if watched is calendar and event.type() == QEvent.Type.Show and self.onset() is None:
            today = QDate.currentDate()
            calendar.setCurrentPage(today.year(), today.month())
        return super().eventFilter(watched, event)

    def onset(self) -> date | None:
        chosen = self.onset_edit.date()
        return None if chosen == UNCHOSEN else chosen.toPython()  # type: ignore[return-value]

    def _on_create_button_clicked(self) -> None:
        onset = self.onset()
        if onset is None:
            QMessageBox.warning(self, "Journal not created",
                                "Choose the day your symptoms began (an estimate is fine).")
            self.onset_edit.setFocus()
            return
        run_op(self, "Journal not created",
               lambda: create_session(self.target, patient=self.name_edit.text(),
                                      affected_side=self.side_choice.value(),
                                      onset_date=onset),
               self.created.emit)
