"""A short list of the latest entries of some kinds, with Correct… / Retract…."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QWidget

from desktop.session import Changes
from desktop.style import moment_words, with_note
from desktop.views.correction import open_correction_dialog, open_retraction_dialog
from desktop.widgets import parts
from desktop.widgets.page import column_layout
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.app import QtSession

SHOWN = 8
ID_ROLE = Qt.ItemDataRole.UserRole


def correction_buttons(parent: QWidget, correct: Callable[[], None],
                       retract: Callable[[], None]) -> tuple[QPushButton, QPushButton]:
    """The "Correct…" and "Retract…" buttons of a list of entries (here and the Timeline)."""
    return (parts.button("Correct…", parent, correct, name="correct_button"),
            parts.button("Retract…", parent, retract, name="retract_button"))


class RecentEntries(QWidget):
    """The latest observations of some types; select one, then Correct… or Retract…."""

    changed = Signal()

    def __init__(self, session: QtSession, types: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session.core
        self.types = frozenset(types)
        # the dialogs are replaceable so tests (and later the Timeline) can drive them
        self.correct_dialog: Callable[[QWidget, Any, uuid.UUID], uuid.UUID | None] = open_correction_dialog
        self.retract_dialog: Callable[[QWidget, Any, uuid.UUID], uuid.UUID | None] = open_retraction_dialog
        self._setup_ui()
        self.refresh()
        session.changed.connect(self._on_session_changed)

    def _setup_ui(self) -> None:
        layout = column_layout(self, (0, 0, 0, 0), 8)
        self.list = QListWidget(self)
        self.list.setObjectName("recent_list")
        self.list.setAccessibleName("Recent entries")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(False)
        self.list.setMinimumHeight(160)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        layout.addWidget(self.list, 1)
        self.empty_label = parts.label("Nothing recorded yet.", self, "hint")
        layout.addWidget(self.empty_label)
        self.correct_button, self.retract_button = correction_buttons(
            self, self._on_correct_button_clicked, self._on_retract_button_clicked)
        layout.addLayout(parts.button_row(self.correct_button, self.retract_button))

    def refresh(self) -> None:
        selected = self.selected_id()
        self.list.clear()
        # Retracted entries are not here (the Timeline shows them): this list is what still counts.
        latest = self.session.latest(self.types, SHOWN)
        for current in latest:
            mark = "  · corrected" if self.session.is_corrected(current.entry_id) else ""
            summary = with_note(summarize(current), current.note)
            text = f"{moment_words(current.observed_at)}\n{summary}{mark}"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, str(current.entry_id))
            item.setToolTip(summary)
            self.list.addItem(item)
            if selected == current.entry_id:
                self.list.setCurrentItem(item)
        shown = len(latest)
        self.empty_label.setVisible(shown == 0)
        self.list.setVisible(shown > 0)
        self._update_buttons()

    def selected_id(self) -> uuid.UUID | None:
        item = self.list.currentItem()
        if item is None:
            return None
        return uuid.UUID(str(item.data(ID_ROLE)))

    def select(self, entry_id: uuid.UUID) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == str(entry_id):
                self.list.setCurrentItem(item)
                return

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None and not self.session.readonly
        self.correct_button.setEnabled(has)
        self.retract_button.setEnabled(has)

    def _on_list_current_item_changed(self, *args: object) -> None:
        self._update_buttons()

    def _on_correct_button_clicked(self) -> None:
        entry_id = self.selected_id()
        if entry_id is not None and self.correct_dialog(self, self.session, entry_id) is not None:
            self.changed.emit()

    def _on_retract_button_clicked(self) -> None:
        entry_id = self.selected_id()
        if entry_id is not None and self.retract_dialog(self, self.session, entry_id) is not None:
            self.changed.emit()

    def _on_session_changed(self, changes: Changes) -> None:
        if changes.touches(self.types):
            self.refresh()
