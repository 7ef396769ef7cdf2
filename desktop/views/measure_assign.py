"""Review mode: the therapist assigns an outcome measure and how often it is asked for.

A card beside the note form (Review, review mode only): the measure, every how many days
(7–365: never more than once a week), and for the PSFS the 3–5 activities the patient finds
hard. Save is one ``session.measures.assign`` call through ``run_op``; a refused value shows
the domain's sentence inside the card. The assignment is the therapist's own entry and
reaches the patient's journal by the ordinary merge, like a review note. The card also lists
what is assigned now (latest assignment of each measure).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLineEdit, QSpinBox, QWidget

from desktop.operations import run_op
from desktop.session import measures
from desktop.style import date_words
from desktop.widgets import parts
from desktop.widgets.page import column_layout
from projections.measure_words import PSFS_ACTIVITIES_HINT, every_days_words

if TYPE_CHECKING:
    from desktop.app import QtSession
    from desktop.session import Changes


class MeasureAssignCard(QFrame):
    """Assign a measure (review mode); ``saved`` carries the assignment's entry id."""

    saved = Signal(object)

    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session.core
        layout = parts.card_layout(self, "Ask for a questionnaire", "The patient is offered it on their check-in page "
                             "when it is due. It comes back to them with your notes.")
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        self.measure_combo = QComboBox(self)
        self.measure_combo.setObjectName("measure_combo")
        for code, title in measures.titles().items():
            self.measure_combo.addItem(title, code)
        self.measure_combo.currentIndexChanged.connect(self._on_measure_combo_current_index_changed)
        parts.add_field(form, "Questionnaire", self.measure_combo, self)
        self.every_spin = QSpinBox(self)
        self.every_spin.setObjectName("every_spin")
        self.every_spin.setAccessibleName("Every how many days")
        self.every_spin.setRange(measures.MIN_INTERVAL_DAYS, measures.MAX_INTERVAL_DAYS)
        self.every_spin.setValue(measures.DEFAULT_EVERY_DAYS)
        self.every_spin.setPrefix("every ")
        self.every_spin.setSuffix(" days")
        parts.add_field(form, "How often", self.every_spin, self)
        layout.addLayout(form)

        self.activities_box = QWidget(self)
        box = column_layout(self.activities_box, (0, 0, 0, 0), 6)
        box.addWidget(parts.label(PSFS_ACTIVITIES_HINT, self.activities_box, "hint", wrap=True))
        self.activity_edits: list[QLineEdit] = []
        for i in range(1, measures.PSFS_MAX_ACTIVITIES + 1):
            edit = QLineEdit(self.activities_box)
            edit.setObjectName(f"activity_{i}")
            edit.setAccessibleName(f"Activity {i}")
            optional = i > measures.PSFS_MIN_ACTIVITIES
            edit.setPlaceholderText(f"Activity {i}" + (" (optional)" if optional else ""))
            box.addWidget(edit)
            self.activity_edits.append(edit)
        layout.addWidget(self.activities_box)

        self.error_label = parts.ErrorLine(self, "assign_error")
        layout.addWidget(self.error_label)
        self.saved_label = parts.label("", self, "hint", name="assign_saved_label", wrap=True)
        self.assign_button = parts.button("Assign", self, self._on_assign_button_clicked, name="assign_button",
                                    kind="primary")
        self.assign_button.setEnabled(self.session.writable)
        layout.addLayout(parts.button_row(self.assign_button, lead=self.saved_label))
        layout.addWidget(parts.label("Assigned now", self, "fieldlabel"))
        self.current_label = parts.label("", self, name="assigned_now", wrap=True)
        layout.addWidget(self.current_label)
        self.show_assignments()
        self._on_measure_combo_current_index_changed(0)
        session.changed.connect(self._on_session_changed)

    def measure(self) -> str:
        return str(self.measure_combo.currentData())

    def activities(self) -> list[str]:
        return [edit.text() for edit in self.activity_edits]

    def select(self, measure: str) -> None:
        self.measure_combo.setCurrentIndex(self.measure_combo.findData(measure))

    def show_assignments(self) -> None:
        lines = []
        for state in measures.measure_states(self.session):
            if state.assigned_by is None or state.every_days is None:
                continue
            line = f"{state.title}, {every_days_words(state.every_days)} (by {state.assigned_by})"
            if state.activities:
                line += ": " + ", ".join(state.activities)
            if state.due:
                line += "; due now"
            elif state.next_due is not None:
                line += f"; next due {date_words(state.next_due)}"
            lines.append(line)
        self.current_label.setText("\n".join(lines) if lines else "None yet.")

    def _on_measure_combo_current_index_changed(self, _index: int) -> None:
        """Show the chosen measure's current interval and activities, to change or keep."""
        measure = self.measure()
        state = next(s for s in measures.measure_states(self.session) if s.measure == measure)
        self.every_spin.setValue(state.every_days or measures.DEFAULT_EVERY_DAYS)
        names = list(state.activities)
        for i, edit in enumerate(self.activity_edits):
            edit.setText(names[i] if i < len(names) else "")
        self.activities_box.setVisible(measure == measures.Measure.PSFS)
        self.error_label.hide()

    def _on_assign_button_clicked(self) -> None:
        measure, every, names = self.measure(), self.every_spin.value(), self.activities()
        self.error_label.hide()
        run_op(self, "Questionnaire not assigned", lambda: measures.assign(self.session, measure, every, names),
               self._on_assigned, on_error=self.error_label.show_message)

    def _on_assigned(self, entry_id: uuid.UUID) -> None:
        where = self.session.saved_where
        self.saved_label.setText(f"Assigned {every_days_words(self.every_spin.value())}"
                                 + (f", saved {where}." if where else "."))
        QTimer.singleShot(8000, self.saved_label, self.saved_label.clear)
        self.saved.emit(entry_id)

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.touches(measures.MEASURE_KINDS) or changes.corrections:
            self.show_assignments()
