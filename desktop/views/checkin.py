"""The daily check-in: body map, pain, an optional walk and a note, saved in one go.

Save is one ``JournalSession.check_in`` call: the session decides which entries that makes
(``plan_check_in``) and stores them all or nothing, so a refused value stores nothing. The
session's ``changed`` signal then updates the header and views.
"""

from __future__ import annotations

from datetime import datetime, time
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.operations import run_op
from desktop.session import CHECK_IN_KINDS, Changes, EntryKind, PainRating, Walk
from desktop.style import date_words
from desktop.views.measure_form import MeasureDueNotice
from desktop.views.recent import RecentEntries
from desktop.views.red_flags import RedFlagChecklist
from desktop.widgets import parts
from desktop.widgets.body_map import key_label
from desktop.widgets.columns import ReflowColumns, TitleRow
from desktop.widgets.fields import to_qdatetime
from desktop.widgets.page import ScrollPage, column_layout
from desktop.widgets.rating import RatingButtons
from desktop.widgets.symptom_editor import SymptomEditor
from desktop.widgets.walk_card import WalkCard, column_card

if TYPE_CHECKING:
    from desktop.app import QtSession

CONTEXTS: tuple[tuple[str, str], ...] = (
    ("sitting", "Sitting"),
    ("standing", "Standing"),
    ("walking", "Walking"),
    ("lying", "Lying down"),
    ("driving", "Driving"),
    ("other", "Other"),
)
WHEN_WIDTH = 200  # the observed time's field (and the "now" in its place)


class OneStopDateTimeEdit(QDateTimeEdit):
    """Tab leaves the field (Qt's date edit would step through its day, month, year... first):
    the time is one stop in the form's Tab order; the arrow keys still change each part."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class CheckInView(ScrollPage):
    """Where, how much, and how far you walked: one screen, under a minute."""

    saved = Signal(list)  # entry ids

    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__("checkin_view", parent)
        self.live = session
        self.session = session.core
        self._setup_ui()
        self.reset()
        self.show_reference()
        session.changed.connect(self._on_session_changed)

    # Layout ---------------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        page, outer = self.make_page()

        titles = parts.title_block(page, "Daily check-in", "Mark where you feel symptoms, rate your pain, add a "
                                   "walk if you took one. Everything is saved together.")
        when = QWidget(page)
        when_row = parts.row_layout(when, 8)
        when_row.addWidget(parts.label("Observed", when, "fieldlabel"))
        # The time of saving, unless the user chooses an earlier one (back-filling is explicit).
        # Both in one slot as wide as the field: choosing "Earlier…" must not change what fits.
        slot = QWidget(when)
        slot.setMinimumWidth(WHEN_WIDTH)
        slot_row = parts.row_layout(slot)
        self.when_label = parts.label("now, when you save", slot, "value", name="when_label")
        slot_row.addWidget(self.when_label)
        self.when_edit = OneStopDateTimeEdit(slot)
        self.when_edit.setObjectName("when_edit")
        self.when_edit.setAccessibleName("Observed at")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.when_edit.setMinimumWidth(WHEN_WIDTH)
        self.when_edit.dateTimeChanged.connect(self._on_when_edit_changed)
        slot_row.addWidget(self.when_edit)
        when_row.addWidget(slot)
        self.earlier_button = parts.button("Earlier…", when, name="earlier_button")
        self.earlier_button.setToolTip("Record something you observed earlier (back-fill)")
        self.earlier_button.setCheckable(True)
        self.earlier_button.toggled.connect(self._on_earlier_button_toggled)
        when_row.addWidget(self.earlier_button)
        # Beside the title on a wide page; on a narrow one the time goes under it, whole.
        self.head = TitleRow(titles, when, page)
        outer.addWidget(self.head)


        # Column 1: where
        where, where_layout = column_card(page, "Where are your symptoms?",
                                   "Back view: your left is on the left. On a day without symptoms, "
                                   "choose “No symptoms today”.")
        self.symptom_editor = SymptomEditor(where)
        self.symptom_editor.setObjectName("symptom_editor")
        self.symptom_editor.setMinimumHeight(400)
        self.body_map = self.symptom_editor.body_map
        # Above the map, so the choice is in view without scrolling.
        self.no_symptoms_button = parts.button("No symptoms today", where, name="no_symptoms_button", kind="chip")
        self.no_symptoms_button.setCheckable(True)
        self.no_symptoms_button.setToolTip("Record a symptom-free day (the map is then left empty on purpose)")
        self.no_symptoms_button.toggled.connect(self._on_no_symptoms_button_toggled)
        # One way to repeat: the last check-in's map, pain and walk, then Save (two clicks).
        self.same_button = parts.button("Same as yesterday", where, self.repeat_last, name="same_button", kind="chip")
        self.same_button.setToolTip("Fill in where, pain and walk as in your last check-in; change "
                                    "anything, then save")
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.same_button)
        choice_row.addWidget(self.no_symptoms_button)
        choice_row.addStretch(1)
        where_layout.addLayout(choice_row)
        where_layout.addWidget(self.symptom_editor, 1)
        where_layout.addWidget(parts.label("Where were you when it was worst?", where, "fieldlabel"))
        ctx_grid = QGridLayout()
        ctx_grid.setSpacing(6)
        self.context_buttons: dict[str, QPushButton] = {}
        for i, (code, label) in enumerate(CONTEXTS):
            button = parts.button(label, where, self._on_context_button_clicked, name=f"context_{code}", kind="chip")
            button.setCheckable(True)
            ctx_grid.addWidget(button, i // 3, i % 3)
            self.context_buttons[code] = button
        where_layout.addLayout(ctx_grid)

        # Column 2: how much, walking, note, save
        how = QWidget(page)
        col2 = column_layout(how, (0, 0, 0, 0), 16)
        pain, pain_layout = column_card(page, "Pain today", "0 is no pain, 10 the worst imaginable. Share of "
                                                     "day: how much of your waking time had symptoms. "
                                                     "A line left “not rated” is skipped; click a "
                                                     "chosen number again to take it back.")
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        self.leg_rating = RatingButtons("Leg pain", "Leg pain, 0 to 10", parent=pain)
        self.leg_rating.setObjectName("leg_rating")
        self.back_rating = RatingButtons("Back pain", "Back pain, 0 to 10", parent=pain)
        self.back_rating.setObjectName("back_rating")
        # A share, not a pain rating: a spin box in steps of 5 that starts "not rated".
        self.share_spin = QSpinBox(pain)
        self.share_spin.setObjectName("share_spin")
        self.share_spin.setAccessibleName("Share of the day with symptoms, percent")
        self.share_spin.setRange(-5, 100)
        self.share_spin.setSingleStep(5)
        self.share_spin.setSuffix(" %")
        self.share_spin.setSpecialValueText("not rated")
        self.share_spin.setMinimumWidth(120)
        self.episodes_spin = QSpinBox(pain)
        self.episodes_spin.setObjectName("episodes_spin")
        self.episodes_spin.setRange(-1, 999)
        self.episodes_spin.setSpecialValueText("not counted")
        self.episodes_spin.setMinimumWidth(120)
        form.addRow(self.leg_rating)
        form.addRow(self.back_rating)
        parts.add_field(form, "Share of day", self.share_spin, pain).setBuddy(self.share_spin)
        self.episodes_spin.setAccessibleName("Episodes")
        parts.add_field(form, "Episodes", self.episodes_spin, pain).setBuddy(self.episodes_spin)
        pain_layout.addLayout(form)
        col2.addWidget(pain)

        self.walk_card = WalkCard(page)
        # The walk card's fields, named as the tests and the probe reach them.
        self.walk_check = self.walk_card.check
        self.walk_minutes = self.walk_card.minutes
        self.walk_until = self.walk_card.until
        self.walk_symptom_free = self.walk_card.symptom_free
        self.walk_extent = self.walk_card.extent
        col2.addWidget(self.walk_card)

        note, note_layout = column_card(page, "Note")
        self.note_edit = QLineEdit(note)
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setPlaceholderText("Anything worth remembering (optional)")
        self.note_edit.setAccessibleName("Note")
        self.note_edit.returnPressed.connect(self._save_if_ready)
        note_layout.addWidget(self.note_edit)
        col2.addWidget(note)

        # A long message wraps, never squeezes the buttons.
        self.saved_label = parts.label("", page, "hint", name="saved_label", wrap=True)
        self.clear_button = parts.button("Clear", page, self.reset, name="clear_button")
        self.save_button = parts.button("Save check-in", page, self._on_save_button_clicked, name="save_button",
                                  kind="primary")
        col2.addLayout(parts.button_row(self.clear_button, self.save_button, lead=self.saved_label))
        self.save_hint = parts.label("", page, "hint", name="save_hint", wrap=True)
        col2.addWidget(self.save_hint)
        # Ctrl+S saves this page when it is the one shown; the same rule as the button.
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save_shortcut.activated.connect(self._save_if_ready)
        col2.addStretch(1)

        # Column 3: safety and recent entries
        safety = QWidget(page)
        col3 = column_layout(safety, (0, 0, 0, 0), 16)
        self.checklist = RedFlagChecklist(self.live, page)
        col3.addWidget(self.checklist)
        recent, recent_layout = column_card(page, "Recent entries", "Select one to correct or retract it; "
                                                             "the original stays in the history.")
        self.recent = RecentEntries(self.live, CHECK_IN_KINDS, recent)
        recent_layout.addWidget(self.recent, 1)
        col3.addWidget(recent, 1)
        # Three columns on a wide window; at 1024 pixels the safety column goes below, and on a
        # narrower one everything stacks: never a horizontal scroll bar.
        self.columns = ReflowColumns([where, how, safety], parent=page)
        outer.addWidget(self.columns, 1)
        # A scroll bar that came and went with the content's height would shift every column.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.readonly_note = parts.label("This journal is open read-only: nothing can be saved.", page, "error")
        self.readonly_note.setVisible(self.session.readonly)
        outer.insertWidget(1, self.readonly_note)
        # Issue 19: a due questionnaire is offered here, under the title, never in the way.
        self.measure_notice = MeasureDueNotice(self.live, page)
        self.measure_notice.saved.connect(self._on_measure_saved)
        outer.insertWidget(1, self.measure_notice)
        self._replaying = False
        self._resetting = False
        self.backfill = False
        for rating in (self.leg_rating, self.back_rating):
            rating.changed.connect(self.update_save_state)
        self.share_spin.valueChanged.connect(self.update_save_state)
        self.episodes_spin.valueChanged.connect(self.update_save_state)
        self.symptom_editor.symptoms_changed.connect(self.update_save_state)
        self.walk_check.toggled.connect(self.update_save_state)
        self.note_edit.textChanged.connect(self.update_save_state)
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        """Reading order: the time, the repeat choices, the map and its panel, where it was
        worst, pain, walk, note, Save, then the safety check and the recent entries."""
        editor = self.symptom_editor
        chain: list[QWidget] = [self.earlier_button, self.when_edit, self.same_button, self.no_symptoms_button,
                                self.body_map, *editor.sensation_buttons.values(), editor.intensity,
                                editor.remove_button, *self.context_buttons.values(),
                                self.leg_rating, self.back_rating, self.share_spin, self.episodes_spin,
                                self.walk_check, self.walk_minutes, self.walk_until, self.walk_symptom_free,
                                self.walk_extent, self.note_edit, self.clear_button, self.save_button,
                                self.checklist.toggle_button, *self.checklist.flags.checks.values(),
                                self.checklist.save_button, self.recent.list]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    # Values -----------------------------------------------------------------------------------

    def context(self) -> str | None:
        for code, button in self.context_buttons.items():
            if button.isChecked():
                return code
        return None

    def observed_at(self) -> datetime:
        """The time of saving, or the earlier time the user chose."""
        if not self.backfill:
            return self.session.now()
        value = self.when_edit.dateTime().toPython()
        assert isinstance(value, datetime)
        return value.replace(second=0, microsecond=0)

    def symptom_free(self) -> bool:
        return self.no_symptoms_button.isChecked()

    def pain(self) -> PainRating:
        episodes = self.episodes_spin.value()
        share = self.share_spin.value()
        return PainRating(leg=self.leg_rating.value(), back=self.back_rating.value(),
                          share_of_day_percent=None if share < 0 else share,
                          episodes=None if episodes < 0 else episodes)

    def walk(self) -> Walk | None:
        return self.walk_card.walk()

    def note(self) -> str | None:
        return self.note_edit.text().strip() or None

    def entries(self) -> list[tuple[EntryKind, dict[str, Any]]]:
        """What Save will record, as (kind, fields): the session's rule, shown for tests."""
        return self.session.plan_check_in(self.symptom_editor.symptoms(), self.pain(), self.walk(),
                                          self.context(), symptom_free=self.symptom_free())

    def why_not_ready(self) -> str:
        """Why Save is off ("" when it is on): nothing is recorded that the user did not say."""
        if self.session.readonly:
            return "This journal is open read-only."
        if self._replaying:
            return "Replay shows the past: go back to now (the Replay button) to save."
        unset = self.symptom_editor.incomplete()
        if unset:
            return f"Choose what you feel and how strong for: {', '.join(key_label(k) for k in unset)}."
        if not self.entries() and not self.note():
            return ("Nothing to save yet: mark where you feel symptoms (or choose “No symptoms today”), "
                    "rate your pain or add a walk.")
        return ""

    def update_save_state(self, *args: object) -> None:
        why = self.why_not_ready()
        self.save_button.setEnabled(not why)
        self.save_hint.setText(why)
        self.save_hint.setVisible(bool(why))

    def set_replay(self, moment: object) -> None:
        """While the replay slider shows the past, nothing can be saved."""
        self._replaying = moment is not None
        self.measure_notice.set_replay(moment)
        self.update_save_state()

    def reset(self) -> None:
        self._resetting = True
        self._when_edit_at_now()
        self._resetting = False
        self.earlier_button.setChecked(False)
        self._set_backfill(False)
        self.no_symptoms_button.setChecked(False)
        self.symptom_editor.clear()
        for button in self.context_buttons.values():
            button.setChecked(False)
        for rating in (self.leg_rating, self.back_rating):
            rating.set_value(None)
        self.share_spin.setValue(-5)
        self.episodes_spin.setValue(-1)
        self.walk_card.set_walk(None)
        self.note_edit.clear()
        self.update_save_state()

    def show_reference(self) -> None:
        """The last symptom record that still counts as dashed outlines, and the repeat button."""
        last = self.session.last_symptoms()
        if last is None:
            self.symptom_editor.set_reference([], "")
        else:
            self.symptom_editor.set_reference(list(getattr(last, "symptoms", [])), date_words(last.observed_at))
        check_in = self.session.last_check_in()
        self.same_button.setVisible(check_in is not None)
        if check_in is not None:
            day = check_in.observed_at.date()
            ago = (self.session.today() - day).days
            self.same_button.setText("Same as earlier today" if ago == 0 else "Same as yesterday" if ago == 1
                                     else f"Same as on {date_words(day)}")

    def repeat_last(self) -> None:
        """Fill the form with the last check-in (not its note or time): Save then repeats it."""
        last = self.session.last_check_in()
        if last is None:
            return
        self.no_symptoms_button.setChecked(last.symptoms == ())
        self.symptom_editor.set_symptoms(list(last.symptoms or []))
        for code, button in self.context_buttons.items():
            button.setChecked(code == last.context)
        pain = last.pain or PainRating()
        self.leg_rating.set_value(pain.leg)
        self.back_rating.set_value(pain.back)
        self.share_spin.setValue(-5 if pain.share_of_day_percent is None else round(pain.share_of_day_percent))
        self.episodes_spin.setValue(-1 if pain.episodes is None else pain.episodes)
        self.walk_card.set_walk(last.walk)
        self.update_save_state()

    # Slots --------------------------------------------------------------------------------------

    def _set_backfill(self, on: bool) -> None:
        self.backfill = on
        self.when_edit.setVisible(on)
        self.when_label.setVisible(not on)

    def _when_edit_at_now(self) -> None:
        """The time field at now, and no later than today's end: "Earlier…" is for what was
        observed, and an entry dated a day still to come is refused (or shown only once that
        day comes)."""
        now = self.session.now()
        self.when_edit.setMaximumDateTime(to_qdatetime(datetime.combine(now.date(), time(23, 59))))
        self.when_edit.setDateTime(to_qdatetime(now))

    def _on_earlier_button_toggled(self, on: bool) -> None:
        if on and not self.backfill:
            self._resetting = True
            self._when_edit_at_now()
            self._resetting = False
        self._set_backfill(on)

    def _on_when_edit_changed(self, *args: object) -> None:
        if not self._resetting and not self.backfill:  # a time typed in is a back-fill too
            self._set_backfill(True)
            self.earlier_button.setChecked(True)

    def _on_no_symptoms_button_toggled(self, on: bool) -> None:
        if on:
            self.symptom_editor.clear()
        self.symptom_editor.setEnabled(not on)
        self.update_save_state()

    def _save_if_ready(self) -> None:
        if self.save_button.isEnabled():
            self._on_save_button_clicked()

    def _on_context_button_clicked(self) -> None:
        sender = self.sender()
        for button in self.context_buttons.values():
            if button is not sender:
                button.setChecked(False)

    def _on_save_button_clicked(self) -> None:
        run_op(self, "Check-in not saved",
               lambda: self.session.check_in(self.observed_at(), self.symptom_editor.symptoms(), self.pain(),
                                             self.walk(), self.note(), context=self.context(),
                                             symptom_free=self.symptom_free()),
               self._on_saved)

    def _on_saved(self, ids: list[Any]) -> None:
        count = len(ids)
        self.reset()
        self.saved_label.setText(f"Saved {count} {'entry' if count == 1 else 'entries'} at "
                                 f"{datetime.now():%H:%M}.")
        # The label as context: the timer is dropped if the view is closed before it fires.
        QTimer.singleShot(8000, self.saved_label, self.saved_label.clear)
        self.saved.emit(ids)

    def showEvent(self, event: QShowEvent) -> None:
        # A questionnaire falls due with the date, not with a save: ask again when shown.
        self.measure_notice.refresh()
        super().showEvent(event)

    def _on_measure_saved(self, _entry_id: object) -> None:
        self.saved_label.setText(f"Questionnaire saved at {datetime.now():%H:%M}.")
        QTimer.singleShot(8000, self.saved_label, self.saved_label.clear)

    def _on_session_changed(self, changes: Changes) -> None:
        # The list and the checklist follow the session themselves.
        if changes.touches([EntryKind.SYMPTOMS]):
            self.show_reference()
