"""The patient's outcome-measure questionnaire: a calm notice on the check-in page when one is
due, and the questionnaire itself on one screen.

``MeasureDueNotice`` asks the session which questionnaires are due today
(``session.measures.due_questionnaires``: the projection's rule, never more than once a
week) and offers a button for each. ``MeasureDialog`` shows one questionnaire: a row of
number buttons per question (0–10, or 0–6 for the SBI) with the project's own question text,
or the therapist's activity names for the PSFS; Save is one ``session.measures.answer`` call
through ``run_op`` and is on only when every question has a number. Like the correction
dialogs it is a plain ``QDialog`` opened with ``open()``, so tests drive it without ``exec()``.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.operations import run_op
from desktop.session import measures
from desktop.widgets import parts
from desktop.widgets.columns import TitleRow
from desktop.widgets.form_dialog import FormDialog
from desktop.widgets.page import column_layout
from desktop.widgets.rating import RatingButtons
from projections.measure_words import MEASURE_DUE_BODY, MEASURE_INTROS, measure_due_words, measure_short

if TYPE_CHECKING:
    from desktop.app import QtSession
    from desktop.session import Changes, JournalSession


NOTICE_TEXT_WIDTH = 240  # the due notice's words beside its buttons, at least

class MeasureDialog(FormDialog):
    """One questionnaire on one screen; ``saved`` carries the new entry's id. With CORRECTING
    (an answer's entry id) it shows that answer's numbers and saves a correction with a reason."""

    saved = Signal(object)

    def __init__(self, session: JournalSession, form: measures.Questionnaire, parent: QWidget | None = None,
                 *, correcting: uuid.UUID | None = None) -> None:
        title = form.title if correcting is None else f"Correct: {form.title}"
        super().__init__(parent, title, name="measure_dialog", min_width=560)
        self.session = session
        self.form = form
        self.correcting = correcting
        self.result_id: uuid.UUID | None = None
        layout = self.column
        layout.addWidget(parts.label(title, self, "pagetitle"))
        intro = (MEASURE_INTROS.get(form.measure, "") if correcting is None else
                 "Choose the numbers you meant. The original answer stays in the history; "
                 "this correction replaces it.")
        layout.addWidget(parts.label(intro, self, "hint", wrap=True))
        if form.assigned_by:
            layout.addWidget(parts.label(f"Asked for by {form.assigned_by}.", self, "hint"))
        self.ratings: dict[str, RatingButtons] = {}
        suffix = f" / {form.hi}"
        for i, question in enumerate(form.questions, start=1):
            rating = RatingButtons(f"{i}. {question.text}", f"{question.text}, {form.lo} to {form.hi}",
                                   tuple(range(form.lo, form.hi + 1)), suffix=suffix, parent=self)
            rating.setObjectName(f"item_{i}")
            rating.title_label.setWordWrap(True)  # a long question wraps above its numbers
            rating.changed.connect(self._update_save_state)
            layout.addWidget(rating)
            self.ratings[question.item] = rating
        anchors = QHBoxLayout()
        anchors.addWidget(parts.label(f"{form.lo} = {form.lo_label}", self, "hint"))
        anchors.addStretch(1)
        anchors.addWidget(parts.label(f"{form.hi} = {form.hi_label}", self, "hint"))
        layout.addLayout(anchors)
        self.reason_edit: QLineEdit | None = None
        if correcting is not None:
            reason_row = QFormLayout()
            self.reason_edit = QLineEdit(self)
            self.reason_edit.setObjectName("reason_edit")
            self.reason_edit.setPlaceholderText("Why? e.g. chose the wrong number")
            parts.add_field(reason_row, "Reason", self.reason_edit, self)
            layout.addLayout(reason_row)
        self.add_error_line()
        self.hint_label = parts.label("", self, "hint", name="hint_label")
        self.save_button = self.add_buttons("Save" if correcting is None else "Save correction",
                                            self._on_save_button_clicked, ok_name="save_button",
                                            lead=self.hint_label)
        if correcting is not None:
            self._show_answer(correcting)
        self._update_save_state()

    def _show_answer(self, entry_id: uuid.UUID) -> None:
        answer = self.session.effective_entry(entry_id)
        values = {a["item"]: a["value"] for a in getattr(answer, "answers", [])}
        for item, rating in self.ratings.items():
            rating.set_value(values.get(item))

    def values(self) -> dict[str, int | None]:
        """Each question's item (code or activity name) and its chosen number (None: open)."""
        return {item: rating.value() for item, rating in self.ratings.items()}

    def _update_save_state(self) -> None:
        open_ = sum(1 for v in self.values().values() if v is None)
        self.save_button.setEnabled(open_ == 0)
        self.hint_label.setText("" if open_ == 0 else f"{open_} of {len(self.ratings)} still to answer")

    def _on_save_button_clicked(self) -> None:
        run_op(self, "Questionnaire not saved", self._commit, self._on_saved, on_error=self.show_error)

    def _commit(self) -> uuid.UUID:
        if self.correcting is None:
            return measures.answer(self.session, self.form.measure, self.values())
        reason = self.reason_edit.text() if self.reason_edit is not None else ""
        return measures.correct_answer(self.session, self.correcting, self.values(), reason)

    def _on_saved(self, entry_id: uuid.UUID) -> None:
        self.result_id = entry_id
        self.saved.emit(entry_id)
        self.accept()


class MeasureDueNotice(QFrame):
    """"A short questionnaire is due: …" with a button per due questionnaire; hidden when none
    is due (or while the replay shows the past, or the patient's entries are read-only)."""

    saved = Signal(object)  # the answer's entry id

    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session.core
        self.dialog: MeasureDialog | None = None
        self._replaying = False
        self.setObjectName("card")
        self.setProperty("kind", "notice")
        frame = QVBoxLayout(self)
        frame.setContentsMargins(14, 10, 14, 10)
        texts = QWidget(self)
        text_column = column_layout(texts, (0, 0, 0, 0), 2)
        self.title_label = parts.label("", texts, "fieldlabel", name="measure_due_label", wrap=True)
        text_column.addWidget(self.title_label)
        text_column.addWidget(parts.label(MEASURE_DUE_BODY, texts, "hint", wrap=True))
        buttons = QWidget(self)
        self.buttons_row = parts.row_layout(buttons, 10)
        # The buttons beside the words, or under them on a narrow page: never cut at the right.
        frame.addWidget(TitleRow(texts, buttons, self, least_title_width=NOTICE_TEXT_WIDTH))
        self.buttons: dict[str, QPushButton] = {}
        self.forms: list[measures.Questionnaire] = []
        self.refresh()
        session.changed.connect(self._on_session_changed)

    def refresh(self) -> None:
        self.forms = [] if self._replaying else measures.due_questionnaires(self.session)
        for button in self.buttons.values():
            self.buttons_row.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        one = len(self.forms) == 1
        for form in self.forms:
            button = parts.button("Fill it in" if one else f"Fill in the {measure_short(form.measure)}", self,
                                  lambda _checked=False, f=form: self.open_form(f), name=f"fill_{form.measure}")
            button.setToolTip(form.title)
            # Between the row's two stretches (TitleRow's), which place the buttons.
            self.buttons_row.insertWidget(self.buttons_row.count() - 1, button, 0, Qt.AlignmentFlag.AlignVCenter)
            self.buttons[form.measure] = button
        self.title_label.setText(measure_due_words([f.title for f in self.forms]) if self.forms else "")
        self.setVisible(bool(self.forms))

    def open_form(self, form: measures.Questionnaire) -> MeasureDialog:
        """Open FORM's dialog (window-modal, not blocking: tests click in it)."""
        dialog = MeasureDialog(self.session, form, self.window())
        dialog.saved.connect(self.saved)
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def set_replay(self, moment: object) -> None:
        self._replaying = moment is not None
        self.refresh()

    def _on_session_changed(self, changes: Changes) -> None:
        # An answer, an assignment merged in, or its correction changes what is due.
        if changes.touches(measures.MEASURE_KINDS) or changes.corrections:
            self.refresh()
