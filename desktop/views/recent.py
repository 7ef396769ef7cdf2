"""A short list of the latest entries with Correct… / Retract…, until the Timeline lands."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.style import date_words, set_role
from desktop.views.correction import open_correction_dialog, open_retraction_dialog
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.app import JournalSession

SHOWN = 8
ID_ROLE = Qt.ItemDataRole.UserRole


class RecentEntries(QWidget):
    """The latest observations of some types; select one, then Correct… or Retract…."""

    changed = Signal()

    def __init__(self, session: JournalSession, types: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.types = frozenset(types)
        # the dialogs are replaceable so tests (and later the Timeline) can drive them
        self.correct_dialog: Callable[[QWidget, Any, uuid.UUID], uuid.UUID | None] = open_correction_dialog
        self.retract_dialog: Callable[[QWidget, Any, uuid.UUID], uuid.UUID | None] = open_retraction_dialog
        self._setup_ui()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        self.list = QListWidget(self)
        self.list.setObjectName("recent_list")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(False)
        self.list.setMinimumHeight(160)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        layout.addWidget(self.list, 1)
        self.empty_label = set_role(QLabel("Nothing recorded yet.", self), "hint")
        layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addStretch(1)
        self.correct_button = QPushButton("Correct…", self)
        self.correct_button.setObjectName("correct_button")
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.retract_button = QPushButton("Retract…", self)
        self.retract_button.setObjectName("retract_button")
        self.retract_button.clicked.connect(self._on_retract_button_clicked)
        row.addWidget(self.correct_button)
        row.addWidget(self.retract_button)
        layout.addLayout(row)

    def refresh(self) -> None:
        selected = self.selected_id()
        self.list.clear()
        effective = self.session.effective
        shown = 0
        for event in reversed(self.session.app.entries()):
            if event.type_name() not in self.types or event.entry_id not in effective.originals:
                continue
            current = effective.effective(event.entry_id)
            if current is None or not self.session.visible(current):
                continue  # retracted: the Timeline shows it; this list is for what still counts
            mark = "  · corrected" if effective.winner(event.entry_id) is not None else ""
            text = f"{date_words(current.observed_at)}  {current.observed_at:%H:%M}\n{summarize(current)}{mark}"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, str(event.entry_id))
            item.setToolTip(summarize(current))
            self.list.addItem(item)
            if selected == event.entry_id:
                self.list.setCurrentItem(item)
            shown += 1
            if shown >= SHOWN:
                break
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
        if entry_id is not None and self.correct_dialog(self, self.session.app, entry_id) is not None:
            self.changed.emit()

    def _on_retract_button_clicked(self) -> None:
        entry_id = self.selected_id()
        if entry_id is not None and self.retract_dialog(self, self.session.app, entry_id) is not None:
            self.changed.emit()
