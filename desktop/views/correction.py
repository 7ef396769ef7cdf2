"""Correct or retract any observation; the original always stays in the history.

``open_correction_dialog(parent, session, entry_id)`` and ``open_retraction_dialog(...)`` are the
entry points (the Timeline view reuses them). The dialogs are plain ``QDialog`` subclasses so
tests can drive them without a blocking ``exec()``: build ``CorrectionDialog``, fill it,
click ``ok_button``. A refused save shows the domain's message inside the dialog.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit, QFormLayout, QLineEdit, QWidget

from desktop.operations import run_op
from desktop.session import EntryKind, InvalidEntry, JournalError, measures
from desktop.style import date_words
from desktop.views.measure_form import MeasureDialog
from desktop.widgets import parts
from desktop.widgets.fields import FORM_SPECS, EntryForm, to_qdatetime
from desktop.widgets.form_dialog import FormDialog
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.session import JournalSession

# The kinds of entry that can be corrected or retracted, as people name them.
TYPE_TITLES: dict[str, str] = {
    EntryKind.SYMPTOMS: "Symptoms",
    EntryKind.PAIN: "Pain rating",
    EntryKind.WALK: "Walk",
    EntryKind.HEEL_RAISES: "Heel raises",
    EntryKind.MUSCLE_GRADE: "Muscle grade",
    EntryKind.GAIT: "Heel / toe walk",
    EntryKind.STRAIGHT_LEG_RAISE: "Straight-leg raise",
    EntryKind.SLUMP: "Slump test",
    EntryKind.FORWARD_BEND: "Forward bend",
    EntryKind.EXERCISE_RESPONSE: "Exercise response",
    EntryKind.MEASURE_ANSWERED: "Questionnaire",
    EntryKind.RED_FLAGS: "Safety check",
    EntryKind.NOTE: "Note",
}


class _ChangeDialog(FormDialog):
    def __init__(self, session: JournalSession, entry_id: uuid.UUID, parent: QWidget | None) -> None:
        super().__init__(parent, "", min_width=480, margins=(20, 18, 20, 18))
        self.session = session
        self.entry_id = entry_id
        original = session.entry(entry_id)
        if original is None:
            raise JournalError(f"entry {entry_id} is not in this journal")
        self.original = original
        self.current = session.effective_entry(entry_id) or original
        self.result_id: uuid.UUID | None = None

    def _header(self, title: str, hint: str) -> None:
        self.setWindowTitle(title)
        self.column.addWidget(parts.label(title, self, "pagetitle"))
        observed = self.original.observed_at
        what = f"{date_words(observed)}, {observed:%H:%M} · {summarize(self.current)}"
        self.column.addWidget(parts.label(what, self, wrap=True))
        self.column.addWidget(parts.label(hint, self, "hint", wrap=True))

    def _footer(self, ok_text: str) -> None:
        reason_row = QFormLayout()
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("reason_edit")
        self.reason_edit.setPlaceholderText("Why? e.g. typed the wrong number")
        parts.add_field(reason_row, "Reason", self.reason_edit, self)
        self.column.addLayout(reason_row)
        self.add_error_line()
        self.ok_button = self.add_buttons(ok_text, self._on_ok_button_clicked)

    def _on_ok_button_clicked(self) -> None:
        run_op(self, self.windowTitle(), self._commit, self._on_committed, on_error=self.show_error)

    def _on_committed(self, entry_id: uuid.UUID) -> None:
        self.result_id = entry_id
        self.accept()

    def _commit(self) -> uuid.UUID:
        raise NotImplementedError


class CorrectionDialog(_ChangeDialog):
    """The entry's form, pre-filled with its current values, and a reason."""

    def __init__(self, session: JournalSession, entry_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(session, entry_id, parent)
        type_name = self.original.type_name()
        self._header(f"Correct {TYPE_TITLES.get(type_name, type_name).lower()}",
                     "The original entry stays in the history; this correction replaces its values.")
        if type_name not in FORM_SPECS:
            raise JournalError(f"a {type_name} entry cannot be corrected")
        self.form = EntryForm(type_name, self)
        self.form.set_fields(self.current.fields())
        self.column.addWidget(self.form)
        extra = QFormLayout()
        self.when_edit = QDateTimeEdit(to_qdatetime(self.current.observed_at), self)
        self.when_edit.setObjectName("when_edit")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("d MMM yyyy  HH:mm")
        self.note_edit = QLineEdit(self.current.note or "", self)
        self.note_edit.setObjectName("note_edit")
        parts.add_field(extra, "Observed", self.when_edit, self)
        parts.add_field(extra, "Note", self.note_edit, self)
        self.column.addLayout(extra)
        self._footer("Save correction")

    def replacement(self) -> dict[str, Any]:
        note = self.note_edit.text().strip() or None
        when = self.when_edit.dateTime().toPython()
        assert isinstance(when, datetime)
        return {**self.form.fields(), "observed_at": when.replace(second=0, microsecond=0), "note": note}

    def _commit(self) -> uuid.UUID:
        unset = self.form.unset()
        if unset:  # a region left unset would be dropped without a word
            raise InvalidEntry(f"choose what you feel and how strong for: {', '.join(unset)}", field="symptoms")
        return self.session.correct(self.entry_id, self.replacement(), self.reason_edit.text())


class RetractionDialog(_ChangeDialog):
    """Withdraw an entry: it stays in the history, marked retracted."""

    def __init__(self, session: JournalSession, entry_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(session, entry_id, parent)
        self._header("Retract this entry?",
                     "It will no longer count in your progress. It stays in the history, marked "
                     "retracted, with your reason.")
        self.setWindowTitle("Retract entry")
        self._footer("Retract")

    def _commit(self) -> uuid.UUID:
        return self.session.retract(self.entry_id, self.reason_edit.text())


def open_correction_dialog(parent: QWidget | None, session: JournalSession,
                           entry_id: uuid.UUID) -> uuid.UUID | None:
    """Ask for corrected values and a reason; return the correction's entry id (None: cancelled).
    A questionnaire is corrected on its own number buttons (``MeasureDialog``)."""
    entry = session.effective_entry(entry_id)
    if entry is not None and entry.type_name() == EntryKind.MEASURE_ANSWERED:
        measure_dialog = MeasureDialog(session, measures.answered_questionnaire(entry), parent, correcting=entry_id)
        measure_dialog.exec()
        return measure_dialog.result_id
    dialog = CorrectionDialog(session, entry_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.exec()
    return dialog.result_id


def open_retraction_dialog(parent: QWidget | None, session: JournalSession,
                           entry_id: uuid.UUID) -> uuid.UUID | None:
    """Ask for a reason and retract; return the retraction's entry id (None: cancelled)."""
    dialog = RetractionDialog(session, entry_id, parent)
    dialog.exec()
    return dialog.result_id
