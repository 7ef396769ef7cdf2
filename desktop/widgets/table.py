"""The read-only tables (the Timeline, the clinic's caseload): a model over plain rows and the
table view that shows them, one whole row selected at a time.

Cell text is computed on demand in each model's ``data()``; the base only knows the rows and
the headings, so a model with 36,500 rows builds no strings until a cell is drawn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")


class RowsModel(QAbstractTableModel, Generic[R]):
    """Rows of R under HEADINGS; a subclass sets the rows (between ``beginResetModel`` and
    ``endResetModel``) and says what each cell shows."""

    def __init__(self, headings: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self.headings = tuple(headings)
        self._rows: list[R] = []

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headings)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headings[section]
        return None


def rows_table(parent: QWidget, name: str, model: QAbstractItemModel) -> QTableView:
    """A table of MODEL's rows: whole rows selected one at a time, never edited in place, one
    line a row, alternating shades instead of a grid; columns resized by hand by default."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setShowGrid(False)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


class ColumnWidths(QObject):
    """Gives TABLE's columns their preferred widths while the window is wide, and narrows them
    towards their minimums when it is not, so that the stretching column (the one that says
    what a row is) keeps at least a third of the width instead of being squeezed to a few
    words at 1024 pixels. When even their minimums leave it less than LEAST_STRETCH pixels,
    the columns in DROP are hidden, in that order, until it has them (shown again on a wider
    window): a narrow window shows fewer columns, never a sideways scroll bar. Runs on each resize of the table;
    a column resized by hand keeps its width until the next one."""

    STRETCH_SHARE = 1 / 3
    LEAST_STRETCH = 200

    def __init__(self, table: QTableView, stretch: int, widths: Mapping[int, tuple[int, int]],
                 drop: Sequence[int] = ()) -> None:
        super().__init__(table)
        self.table = table
        self.widths = dict(widths)  # column -> (preferred, minimum)
        self.drop = tuple(drop)
        table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.viewport().installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        available = self.table.viewport().width()
        shown = dict(self.widths)
        for column in self.drop:
            if sum(m for _, m in shown.values()) <= available - self.LEAST_STRETCH:
                break
            del shown[column]
        for column in self.drop:
            if self.table.isColumnHidden(column) == (column in shown):
                self.table.setColumnHidden(column, column not in shown)
        preferred = sum(p for p, _ in shown.values())
        slack = sum(p - m for p, m in shown.values())
        deficit = preferred - available * (1 - self.STRETCH_SHARE)
        cut = 0.0 if deficit <= 0 or slack <= 0 else min(1.0, deficit / slack)
        for column, (pref, minimum) in shown.items():
            self.table.setColumnWidth(column, round(pref - (pref - minimum) * cut))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False
