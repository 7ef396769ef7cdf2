"""The read-only tables (the Timeline, the clinic's caseload): a model over plain rows and the
table view that shows them, one whole row selected at a time.

Cell text is computed on demand in each model's ``data()``; the base only knows the rows and
the headings, so a model with 36,500 rows builds no strings until a cell is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
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
