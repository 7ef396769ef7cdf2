"""Review: the therapist's notes, each beside the entry it is about.

Every ``ReviewNoteAdded`` of the journal is shown as a card: on the left the entry the note is
about (its date and one-line summary, as today's knowledge has it) or "the journal as a whole",
on the right the therapist, the date and the note. Notes reach the patient's file by a merge,
like any other entry, so the view is the same in every copy that holds them.

In review mode (a journal opened for review) a form adds a note about the journal or about
one of the recent entries (``JournalSession.add_review_note``); the patient's entries stay
read-only. The session keeps the notes per therapist, updated incrementally as they are saved
or merged, and says what each is about (``JournalSession.notes``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.operations import run_op
from desktop.session import JOURNAL_AS_A_WHOLE, About, Changes, EntryKind, NoteAbout, ReviewNote
from desktop.style import date_words
from desktop.views.measure_assign import MeasureAssignCard
from desktop.widgets import parts
from desktop.widgets.columns import ReflowColumns, TitleRow
from desktop.widgets.flow import FlowLayout
from desktop.widgets.page import ScrollPage, column_layout
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.app import QtSession

ABOUT_SHOWN = 60  # recent entries offered as what a new note is about
ID_ROLE = Qt.ItemDataRole.UserRole
ALL_THERAPISTS = "All therapists"
JOURNAL_WORDS = JOURNAL_AS_A_WHOLE.summary
# A note card's entry column (a third of a narrow card, at least the least width), and the
# page's two columns' least widths: side by side from about 640 pixels of page, else stacked.
ABOUT_WIDTH = 250
ABOUT_LEAST_WIDTH = 130
NOTES_WIDTH = 360
ASIDE_WIDTH = 260


def when_words(value: Any) -> str:
    return f"{date_words(value)}, {value:%H:%M}"


class NoteCard(QFrame):
    """One review note beside the entry it is about."""

    def __init__(self, note: ReviewNote, about: About, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = note
        about_date = when_words(about.when) if about.when is not None else ""
        about_text, about_mark = about.summary, about.mark
        self.setObjectName("card")
        row = QHBoxLayout(self)
        row.setContentsMargins(18, 14, 18, 14)
        row.setSpacing(18)

        entry = QVBoxLayout()
        entry.setSpacing(3)
        self.about_date = parts.label(about_date.upper() if about_date else "GENERAL NOTE", self, "hint",
                                      name="about_date")
        self.about_label = parts.label(about_text, self, name="about_label", wrap=True)
        self.about_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        entry.addWidget(self.about_date)
        entry.addWidget(self.about_label)
        if about_mark:
            entry.addWidget(parts.label(about_mark, self, "hint"))
        entry.addStretch(1)
        left = self._about = QWidget(self)
        left.setLayout(entry)
        left.setFixedWidth(ABOUT_WIDTH)
        row.addWidget(left)

        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.VLine)
        rule.setObjectName("rule")
        rule.setStyleSheet("QFrame#rule { color: palette(mid); }")
        row.addWidget(rule)

        body = QVBoxLayout()
        body.setSpacing(4)
        # Who and when on one line, the date on the next when a narrow card has no room for both.
        head = FlowLayout(spacing=8, line_spacing=2)
        self.therapist_label = parts.label(note.therapist, self, "fieldlabel", name="therapist_label")
        self.therapist_label.setStyleSheet("font-weight: 600;")
        head.addWidget(self.therapist_label)
        head.addWidget(parts.label(f"· {when_words(note.observed_at)}", self, "hint"))
        body.addLayout(head)
        self.text_label = parts.label(note.text, self, name="note_text", wrap=True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        body.addWidget(self.text_label)
        body.addStretch(1)
        row.addLayout(body, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The entry's column keeps its width on a wide page; on a narrow one it takes a third,
        # so that the note beside it is not squeezed to a few words a line.
        least = max(ABOUT_LEAST_WIDTH, self.about_date.sizeHint().width())  # the date whole
        self._about.setFixedWidth(max(least, min(ABOUT_WIDTH, event.size().width() // 3)))
        super().resizeEvent(event)

    def about_text(self) -> str:
        return self.about_label.text()

    def text(self) -> str:
        return self.text_label.text()


class ReviewView(ScrollPage):
    """Every therapist note; in review mode, a form to add one."""

    saved = Signal(object)  # the new note's entry id

    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__("review_view", parent)
        self.live = session
        self.session = session.core
        self._cards: list[NoteCard] = []
        self._notes_dirty = True  # the cards are built when the view is first shown
        self._merges_dirty = False
        self._setup_ui()
        self.show_notes()
        session.changed.connect(self._on_session_changed)

    @property
    def reviewing(self) -> bool:
        return self.session.reviewer is not None

    # Layout ---------------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        page, outer = self.make_page()

        if self.reviewing:
            hint = (f"Reviewing as {self.session.reviewer}. Add notes about the journal or about one "
                    "entry; the patient's entries stay as they are.")
        else:
            hint = "Notes from your therapist, each beside the entry it is about."
        titles = parts.title_block(page, "Review", hint)
        filter_box = QWidget(page)
        self.therapist_filter = QComboBox(filter_box)
        self.therapist_filter.setObjectName("therapist_filter")
        self.therapist_filter.setMinimumWidth(200)
        self.therapist_filter.currentIndexChanged.connect(self._on_therapist_filter_current_index_changed)
        parts.row_layout(filter_box).addWidget(self.therapist_filter, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addWidget(TitleRow(titles, filter_box, page))

        # Column 1: the notes
        notes = QWidget(page)
        notes.setMinimumWidth(NOTES_WIDTH)
        notes_col = column_layout(notes, (0, 0, 0, 0), 10)
        self.count_label = parts.label("", page, "title", name="count_label")
        notes_col.addWidget(self.count_label)
        self.empty_card, el = parts.card(page, "No review notes yet", margins=(22, 20, 22, 20), spacing=6)
        self.empty_hint = parts.label("", self.empty_card, "hint", wrap=True)
        el.addWidget(self.empty_hint)
        notes_col.addWidget(self.empty_card)
        self.notes_box = QVBoxLayout()
        self.notes_box.setSpacing(10)
        notes_col.addLayout(self.notes_box)
        notes_col.addStretch(1)

        # Column 2: add a note (review mode) or how review works (the patient); under the
        # notes on a narrow page.
        aside = QWidget(page)
        aside.setMinimumWidth(ASIDE_WIDTH)
        side = column_layout(aside, (0, 0, 0, 0), 16)
        if self.reviewing:
            side.addWidget(self._note_form(page))
            # Issue 19: the reviewer may also ask for a questionnaire (merged back like a note).
            self.measure_card = MeasureAssignCard(self.live, page)
            side.addWidget(self.measure_card)
        else:
            side.addWidget(self._how_it_works(page))
        side.addStretch(1)
        self.columns = ReflowColumns([notes, aside], parent=page)
        outer.addWidget(self.columns, 1)

    def _note_form(self, page: QWidget) -> QFrame:
        frame, layout = parts.card(page, "Add a review note")
        self.form_card = frame
        self.note_edit = QPlainTextEdit(frame)
        self.note_edit.setObjectName("note_edit")
        self.note_edit.setPlaceholderText("What the patient should know: what you see, what to keep doing, "
                                          "what to watch for.")
        self.note_edit.setFixedHeight(110)
        self.note_edit.textChanged.connect(self._update_save_button)
        layout.addWidget(self.note_edit)
        layout.addWidget(parts.label("About", frame, "fieldlabel"))
        self.about_list = QListWidget(frame)
        self.about_list.setObjectName("about_list")
        self.about_list.setWordWrap(True)
        self.about_list.setMinimumHeight(260)
        self.about_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.about_list, 1)
        layout.addWidget(parts.label(f"Select an entry to attach the note to it, or keep “{JOURNAL_WORDS}”.",
                                     frame, "hint"))
        self.saved_label = parts.label("", frame, "hint", name="saved_label")
        self.save_note_button = parts.button("Save note", frame, self._on_save_note_button_clicked,
                                             name="save_note_button", kind="primary")
        layout.addLayout(parts.button_row(self.save_note_button, lead=self.saved_label))
        self.readonly_label = parts.label("This journal is open read-only: no notes can be saved.", frame, "error",
                                          wrap=True)
        self.readonly_label.setVisible(not self.session.writable)
        layout.addWidget(self.readonly_label)
        return frame

    def _how_it_works(self, page: QWidget) -> QFrame:
        frame, layout = parts.card(page, "How a review works")
        steps = (
            ("1", "File ▸ Export for review… writes a copy of this journal. Send it to your therapist."),
            ("2", "Your therapist opens the copy for review, reads your entries (they cannot change "
                  "them) and adds notes."),
            ("3", "When the copy comes back, File ▸ Merge review… takes the notes in. Nothing you "
                  "recorded in the meantime is lost."),
        )
        for number, text in steps:
            row = QHBoxLayout()
            row.setSpacing(10)
            badge = parts.label(number, frame, "chip")
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFixedWidth(30)
            row.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(parts.label(text, frame, wrap=True), 1)
            layout.addLayout(row)
        self.merges_label = parts.label("", frame, "hint", name="merges_label", wrap=True)
        layout.addSpacing(4)
        layout.addWidget(self.merges_label)
        return frame

    # Rendering ------------------------------------------------------------------------------------

    def notes(self) -> list[NoteAbout]:
        """The notes shown (filtered by therapist), in the session's order."""
        return self.session.notes(self.therapist_filter.currentData())

    @property
    def cards(self) -> list[NoteCard]:
        if self._notes_dirty:
            self._render_notes()
        return self._cards

    def show_notes(self) -> None:
        self._notes_changed()
        self._entries_changed(now=True)

    def _notes_changed(self) -> None:
        """A note came or its entry changed: the filter now, the cards when shown."""
        self._fill_filter()
        self._notes_dirty = True
        if self.isVisible():
            self._render_notes()

    def _entries_changed(self, *, now: bool) -> None:
        """The side column: what a new note may be about (review mode), or the last merge (read
        from the file now if NOW or shown, else when next shown: not on every save)."""
        if self.reviewing:
            self._fill_about_list()
            self._update_save_button()
        elif now or self.isVisible():
            self._render_merges()
        else:
            self._merges_dirty = True

    def _fill_filter(self) -> None:
        names = self.session.therapists()
        current = self.therapist_filter.currentData()
        self.therapist_filter.blockSignals(True)
        self.therapist_filter.clear()
        self.therapist_filter.addItem(ALL_THERAPISTS, None)
        for name in names:
            self.therapist_filter.addItem(name, name)
        index = self.therapist_filter.findData(current) if current is not None else 0
        self.therapist_filter.setCurrentIndex(max(index, 0))
        self.therapist_filter.blockSignals(False)
        self.therapist_filter.setVisible(len(names) > 1)

    def showEvent(self, event: QShowEvent) -> None:
        if self._notes_dirty:
            self._render_notes()
        if self._merges_dirty and not self.reviewing:
            self._render_merges()
        super().showEvent(event)

    def _render_notes(self) -> None:
        self._notes_dirty = False
        for card in self._cards:
            self.notes_box.removeWidget(card)
            card.deleteLater()
        self._cards = []
        notes = self.notes()
        parent = self.widget()
        for item in notes:
            card = NoteCard(item.note, item.about, parent)
            self.notes_box.addWidget(card)
            self._cards.append(card)
        count = len(notes)
        therapists = {n.note.therapist for n in notes}
        if count == 0:
            self.count_label.setText("")
        elif len(therapists) == 1:
            self.count_label.setText(f"{count} {'note' if count == 1 else 'notes'} from {next(iter(therapists))}")
        else:
            self.count_label.setText(f"{count} notes from {len(therapists)} therapists")
        self.count_label.setVisible(count > 0)
        self.empty_card.setVisible(count == 0)
        if self.reviewing:
            self.empty_hint.setText("Write the first one on the right: about the journal as a whole, or "
                                    "select the entry it is about.")
        else:
            self.empty_hint.setText("Your therapist's notes appear here once you merge a copy they "
                                    "reviewed (File ▸ Merge review…).")

    def _fill_about_list(self) -> None:
        """The journal as a whole, then the latest entries that still count."""
        selected = self.selected_about()
        self.about_list.clear()
        first = QListWidgetItem(JOURNAL_WORDS)
        first.setData(ID_ROLE, "")
        self.about_list.addItem(first)
        self.about_list.setCurrentItem(first)
        for event in self.session.about_choices(ABOUT_SHOWN):
            item = QListWidgetItem(f"{when_words(event.observed_at)}\n{summarize(event)}")
            item.setData(ID_ROLE, str(event.entry_id))
            item.setToolTip(summarize(event))
            self.about_list.addItem(item)
            if selected == event.entry_id:
                self.about_list.setCurrentItem(item)

    def _render_merges(self) -> None:
        self._merges_dirty = False
        records = self.session.merge_records()
        if not records:
            self.merges_label.setText("No reviewed copy has been merged into this journal yet.")
            return
        last = records[-1]
        self.merges_label.setText(f"Last merge: {last.source}, {date_words(last.merged_at.astimezone())}.")

    # Values -----------------------------------------------------------------------------------------

    def selected_about(self) -> uuid.UUID | None:
        """The entry the new note is about (None: the journal as a whole)."""
        item = self.about_list.currentItem()
        value = item.data(ID_ROLE) if item is not None else ""
        return uuid.UUID(str(value)) if value else None

    def select_about(self, entry_id: uuid.UUID | None) -> None:
        wanted = str(entry_id) if entry_id is not None else ""
        for i in range(self.about_list.count()):
            item = self.about_list.item(i)
            if item.data(ID_ROLE) == wanted:
                self.about_list.setCurrentItem(item)
                return

    def _update_save_button(self) -> None:
        if not self.reviewing:
            return
        self.save_note_button.setEnabled(self.session.writable and bool(self.note_edit.toPlainText().strip()))

    # Slots ----------------------------------------------------------------------------------------

    def _on_therapist_filter_current_index_changed(self, _index: int) -> None:
        self._render_notes()

    def _on_save_note_button_clicked(self) -> None:
        text = self.note_edit.toPlainText().strip()
        run_op(self, "Note not saved", lambda: self.session.add_review_note(text, self.selected_about()),
               self._on_note_saved)

    def _on_note_saved(self, entry_id: uuid.UUID) -> None:
        self.note_edit.clear()
        self.select_about(None)
        where = self.session.saved_where
        self.saved_label.setText(f"Note saved {where}." if where else "Note saved.")
        QTimer.singleShot(8000, self.saved_label.clear)
        self.saved.emit(entry_id)

    def _on_session_changed(self, changes: Changes) -> None:
        # A correction or retraction may change how a note's entry reads.
        if changes.touches([EntryKind.REVIEW_NOTE]) or changes.corrections:
            self._notes_changed()
        self._entries_changed(now=False)
