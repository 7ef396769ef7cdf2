"""The history view (the "Timeline" page): every event of the journal, newest first, with its
author and corrections. Named ``HistoryView`` so it is not mistaken for the replay read model
``projections.timeline.Timeline``.

A ``QAbstractTableModel`` over the session's history rows (``JournalSession.history``, built
once per change, only when the view is shown); cell text is computed on demand in ``data()``, so a
10-year journal (36,500 rows) opens and scrolls without building 200,000 strings. A corrected
or retracted entry is struck through and its "Changes" cell names what replaced it; double-
click that cell (or "Go to linked entry") to jump there. Conflicting changes from two copies
are marked. Filter by type and by text (``QSortFilterProxyModel``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QLineEdit, QMenu, QWidget

from desktop.session import EntryKind
from desktop.style import colors, moment_words, with_note
from desktop.views import correction
from desktop.views.recent import correction_buttons
from desktop.widgets import parts
from desktop.widgets.columns import TitleRow
from desktop.widgets.page import RefreshWhenShown, column_layout
from desktop.widgets.table import ColumnWidths, Index, RowsModel, rows_table
from projections.history import HistoryRow

if TYPE_CHECKING:
    from desktop.app import QtSession
    from desktop.session import JournalSession

COLUMNS: tuple[str, ...] = ("Observed", "Recorded", "Type", "Entry", "Author", "Changes")
OBSERVED, RECORDED, TYPE, SUMMARY, AUTHOR, CHANGES = range(len(COLUMNS))
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_ROLE = Qt.ItemDataRole.UserRole + 2
LINK_ROLE = Qt.ItemDataRole.UserRole + 3  # the entry id the Changes cell points to
SEARCH_WIDTH = 160  # the search field's least width: its placeholder's first words

EXTRA_TITLES: dict[str, str] = {
    EntryKind.JOURNAL_STARTED: "Journal started",
    EntryKind.CORRECTION: "Correction",
    EntryKind.RETRACTION: "Retraction",
    EntryKind.RED_FLAGS_ACKNOWLEDGED: "Urgent-care advice acknowledged",
    EntryKind.REVIEW_NOTE: "Review note",
    EntryKind.MEASURE_ASSIGNED: "Questionnaire assigned",
}


def type_title(type_name: str) -> str:
    return correction.TYPE_TITLES.get(type_name) or EXTRA_TITLES.get(type_name) or type_name


def _order_key(row: HistoryRow) -> tuple[datetime, datetime, int]:
    e = row.event
    return (e.observed_at, e.recorded_at.replace(tzinfo=None), row.position)


class HistoryModel(RowsModel[HistoryRow]):
    """History rows, newest observation first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self._by_id: dict[uuid.UUID, int] = {}
        self._position_of: dict[uuid.UUID, int] = {}
        self._haystack: dict[int, str] = {}
        self.cutoff_date: date | None = None
        self.cutoff_moment: datetime | None = None
        c = colors()
        self._muted = QColor(c.muted)
        self._warning = QColor(c.warning)
        self._link = QColor(c.accent)

    # Content ------------------------------------------------------------------------------------

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=_order_key, reverse=True)
        self._by_id = {r.event.entry_id: i for i, r in enumerate(self._rows)}
        self._position_of = {r.event.entry_id: r.position for r in self._rows}
        self._haystack = {}
        self.endResetModel()

    def row_of(self, entry_id: uuid.UUID) -> int | None:
        return self._by_id.get(entry_id)

    def haystack(self, i: int) -> str:
        """The text a search looks in (lower case), cached per row."""
        text = self._haystack.get(i)
        if text is None:
            r = self._rows[i]
            e = r.event
            text = " ".join((type_title(e.type_name()), r.summary, e.author_role, e.author_name, e.note or "",
                             self.changes_text(r), str(e.entry_id), e.observed_at.strftime("%Y-%m-%d"),
                             moment_words(e.observed_at))).casefold()
            self._haystack[i] = text
        return text

    def set_cutoff(self, cutoff_date: date | None, moment: datetime | None) -> None:
        """Grey the rows after the replay moment (by date or by recorded time)."""
        self.cutoff_date, self.cutoff_moment = cutoff_date, moment
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1),
                                  [Qt.ItemDataRole.ForegroundRole])

    # Qt model -----------------------------------------------------------------------------------

    def _later(self, r: HistoryRow) -> bool:
        if self.cutoff_moment is not None:
            return r.event.recorded_at > self.cutoff_moment
        if self.cutoff_date is not None:
            return r.event.observed_at.date() > self.cutoff_date
        return False

    def changes_text(self, r: HistoryRow) -> str:
        parts = []
        if r.winning_change is not None:
            verb = "Retracted" if r.winning_change in r.retracted_by else "Corrected"
            parts.append(f"{verb} by #{self._position_of.get(r.winning_change, '?')} →")
        if r.target is not None:
            verb = "Retracts" if r.event.type_name() == EntryKind.RETRACTION else "Corrects"
            parts.append(f"{verb} #{self._position_of.get(r.target, '?')} →")
        if r.conflict:
            parts.append("⚠ conflict between copies (the latest recorded change wins)")
        return "  ".join(parts)

    def link_of(self, r: HistoryRow) -> uuid.UUID | None:
        if r.winning_change is not None:
            return r.winning_change
        return r.target

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        e = r.event
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == OBSERVED:
                return moment_words(e.observed_at)
            if col == RECORDED:
                return moment_words(e.recorded_at.astimezone())
            if col == TYPE:
                return type_title(e.type_name())
            if col == SUMMARY:
                return f"#{r.position}  {with_note(r.summary, e.note)}"
            if col == AUTHOR:
                return f"{e.author_role}: {e.author_name}"
            if col == CHANGES:
                return self.changes_text(r)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if r.superseded and col in (OBSERVED, TYPE, SUMMARY):
                font = QFont()
                font.setStrikeOut(True)
                return font
            if col == CHANGES and (r.winning_change is not None or r.target is not None):
                font = QFont()
                font.setUnderline(True)
                return font
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if self._later(r):
                return self._muted
            if col == CHANGES:
                return self._warning if r.conflict else self._link
            if r.superseded:
                return self._muted
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == CHANGES and (r.winning_change or r.target):
                return "Double-click to go to the linked entry"
            if col == SUMMARY:
                return with_note(r.summary, e.note)  # in full: the column may elide it
            return None
        if role == ENTRY_ID_ROLE:
            return e.entry_id
        if role == TYPE_ROLE:
            return e.type_name()
        if role == LINK_ROLE:
            return self.link_of(r)
        return None


class HistoryFilter(QSortFilterProxyModel):
    """Keep rows of one type (or all) whose text contains the phrase typed (any case)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.type_name: str | None = None
        self.phrase = ""

    def set_type(self, type_name: str | None) -> None:
        self.beginFilterChange()
        self.type_name = type_name or None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self.phrase = " ".join(text.casefold().split())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, HistoryModel)
        if self.type_name is not None:
            if model.row_at(source_row).event.type_name() != self.type_name:
                return False
        if self.phrase:
            return self.phrase in model.haystack(source_row)
        return True


class HistoryView(RefreshWhenShown, QWidget):
    """Every event with corrections and authors; Correct…/Retract… on the selected entry."""

    entry_changed = Signal(object)  # the id of a correction or retraction just recorded

    def __init__(self, session: QtSession | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session.core if session is not None else None
        self._dirty = True
        self._setup_ui()
        if session is not None:
            session.changed.connect(self.refresh_when_shown)
        # The history is built when the view is first shown (or an entry is selected), not at
        # window creation: on a 10-year journal that is half a second saved at every open.

    # Layout -------------------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        layout = column_layout(self, (16, 12, 16, 12), 8)
        title = parts.label("Timeline", self, "pagetitle")
        filters = QWidget(self)
        bar = parts.row_layout(filters, 8)
        self.type_combo = QComboBox(filters)
        self.type_combo.setObjectName("type_combo")
        self.type_combo.addItem("All types", None)
        names = [*correction.TYPE_TITLES, *EXTRA_TITLES]
        for name in sorted(dict.fromkeys(names), key=type_title):
            self.type_combo.addItem(type_title(name), name)
        self.type_combo.currentIndexChanged.connect(self._on_type_combo_changed)
        bar.addWidget(self.type_combo)
        self.search_edit = QLineEdit(filters)
        self.search_edit.setObjectName("search_edit")
        self.search_edit.setPlaceholderText("Search entries, notes, authors…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(SEARCH_WIDTH)
        self.search_edit.textChanged.connect(self._on_search_edit_changed)
        bar.addWidget(self.search_edit, 1)
        self.count_label = parts.label("", filters, "hint")
        bar.addWidget(self.count_label)
        # The filters beside the title, or under it on a narrow window (the search field whole).
        self.bar = TitleRow(title, filters, self, least_title_width=title.sizeHint().width(), align=False)
        layout.addWidget(self.bar)

        self.model = HistoryModel(self)
        self.proxy = HistoryFilter(self)
        self.proxy.setSourceModel(self.model)
        # Filters change only through set_type/set_text; without this, greying rows for the
        # replay (a dataChanged over every row) would re-run the filter on 36,500 rows per move.
        self.proxy.setDynamicSortFilter(False)
        self.table = rows_table(self, "timeline_table", self.proxy)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(26)
        # The entry text takes the width that is left (elided, in full in its tooltip), so a
        # narrow window never scrolls the table sideways; the dates, type, author and changes
        # give up width first so that it keeps a third of the table.
        metrics = self.table.fontMetrics()
        dates = metrics.horizontalAdvance("30 Sep 2026, 20:00") + 14  # cell padding both sides
        types = metrics.horizontalAdvance("Straight-leg raise") + 14
        self.column_widths = ColumnWidths(self.table, SUMMARY, {
            OBSERVED: (max(128, dates), dates), RECORDED: (max(128, dates), dates),
            TYPE: (max(130, types), types), AUTHOR: (150, 90), CHANGES: (100, 64)},
            # On a narrow window (1.5x on a small laptop) these go first: when it was recorded
            # and by whom are in the line under the table for the selected entry; a changed
            # entry stays greyed and "Go to linked entry" follows its change.
            drop=(RECORDED, AUTHOR, CHANGES))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        self.selected_label = parts.label("", self, "hint", wrap=True)
        self.link_button = parts.button("Go to linked entry", self, self.follow_link, name="link_button")
        self.correct_button, self.retract_button = correction_buttons(
            self, self._on_correct_button_clicked, self._on_retract_button_clicked)
        layout.addLayout(parts.button_row(self.link_button, self.correct_button, self.retract_button,
                                          lead=self.selected_label))
        self._update_buttons()

    # Content ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the history from the journal (once per change), keeping the selection."""
        self._dirty = False
        selected = self.selected_entry()
        rows = self.session.history() if self.session is not None else []
        self.model.set_rows(rows)
        self._update_count()
        if selected is not None:
            self.select_entry(selected)
        self._update_buttons()

    def set_replay(self, moment: date | datetime | None) -> None:
        """Grey what was observed after a date, or recorded after a moment (None: live)."""
        if isinstance(moment, datetime):
            self.model.set_cutoff(None, moment)
        else:
            self.model.set_cutoff(moment, None)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{total} entries" if shown == total else f"{shown} of {total} entries")

    def set_filter(self, type_name: str | None = None, text: str = "") -> None:
        i = self.type_combo.findData(type_name) if type_name else 0
        self.type_combo.setCurrentIndex(max(0, i))
        self.search_edit.setText(text)

    # Selection ----------------------------------------------------------------------------------

    def selected_entry(self) -> uuid.UUID | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        value = rows[0].data(ENTRY_ID_ROLE)
        return value if isinstance(value, uuid.UUID) else None

    def selected_row(self) -> HistoryRow | None:
        entry = self.selected_entry()
        i = self.model.row_of(entry) if entry is not None else None
        return self.model.row_at(i) if i is not None else None

    def select_entry(self, entry_id: uuid.UUID) -> bool:
        """Select and show ENTRY_ID (clearing filters that hide it); False if unknown."""
        if self._dirty:
            self.refresh()
        i = self.model.row_of(entry_id)
        if i is None:
            return False
        proxy_index = self.proxy.mapFromSource(self.model.index(i, 0))
        if not proxy_index.isValid():
            self.set_filter(None, "")
            proxy_index = self.proxy.mapFromSource(self.model.index(i, 0))
        self.table.selectRow(proxy_index.row())
        self.table.scrollTo(proxy_index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def follow_link(self) -> bool:
        row = self.selected_row()
        link = self.model.link_of(row) if row is not None else None
        return self.select_entry(link) if link is not None else False

    def _editable(self, row: HistoryRow | None) -> bool:
        if row is None or self.session is None or self.session.readonly:
            return False
        return row.target is None and row.event.type_name() in correction.TYPE_TITLES

    def _retracted(self, row: HistoryRow) -> bool:
        return row.winning_change is not None and row.winning_change in row.retracted_by

    def _update_buttons(self, *args: Any) -> None:
        row = self.selected_row()
        editable = self._editable(row)
        self.correct_button.setEnabled(editable and row is not None and not self._retracted(row))
        self.retract_button.setEnabled(editable and row is not None and not self._retracted(row))
        self.link_button.setEnabled(row is not None and self.model.link_of(row) is not None)
        if row is None:
            self.selected_label.setText("Select an entry to correct or retract it. The original always stays "
                                        "in the history.")
        else:
            e = row.event
            self.selected_label.setText(f"#{row.position} · {type_title(e.type_name())} by {e.author_role} "
                                        f"{e.author_name}, recorded {moment_words(e.recorded_at.astimezone())}")

    # Slots --------------------------------------------------------------------------------------

    def _on_type_combo_changed(self, _index: int) -> None:
        self.proxy.set_type(self.type_combo.currentData())
        self._update_count()

    def _on_search_edit_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.column() == CHANGES:
            self.follow_link()

    def _on_correct_button_clicked(self) -> None:
        self._change_selected(correction.open_correction_dialog)

    def _on_retract_button_clicked(self) -> None:
        self._change_selected(correction.open_retraction_dialog)

    def _change_selected(self, open_dialog: Callable[[QWidget | None, JournalSession, uuid.UUID],
                                                     uuid.UUID | None]) -> None:
        """Correct or retract the selected entry through OPEN_DIALOG (None: cancelled)."""
        entry = self.selected_entry()
        if entry is None or self.session is None:
            return
        new = open_dialog(self, self.session, entry)
        if new is not None:
            self.entry_changed.emit(new)

    def _on_table_context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        self.table.selectRow(index.row())
        row = self.selected_row()
        menu = QMenu(self)
        correct = menu.addAction("Correct…")
        correct.setEnabled(self.correct_button.isEnabled())
        correct.triggered.connect(self._on_correct_button_clicked)
        retract = menu.addAction("Retract…")
        retract.setEnabled(self.retract_button.isEnabled())
        retract.triggered.connect(self._on_retract_button_clicked)
        if row is not None and self.model.link_of(row) is not None:
            menu.addAction("Go to linked entry").triggered.connect(self.follow_link)
        menu.addSeparator()
        entry = self.selected_entry()
        menu.addAction("Copy entry id").triggered.connect(
            lambda: QGuiApplication.clipboard().setText(str(entry)))
        menu.popup(self.table.viewport().mapToGlobal(pos))

