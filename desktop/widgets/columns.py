"""Columns that stack when the window is narrow, so no page needs horizontal scrolling.

The arrangement depends on the available width only (compared with the columns' minimum
widths), never on what is filled in: ticking a box or saving does not move a column.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLayout, QSizePolicy, QWidget


class ReflowColumns(QWidget):
    """COLUMNS side by side while they fit; when not, the first ones stay side by side and the
    rest go below them, spanning the width, down to one column."""

    def __init__(self, columns: Sequence[QWidget], *, spacing: int = 16, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._spacing = spacing
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        # The grid must not impose its side-by-side minimum on this widget: the narrower
        # minimum below lets the page shrink, and the columns then stack.
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        for column in self.columns:
            column.setParent(self)
            # Widths follow the stretch factors only, never the content's size hints: a longer
            # button text (ticking a safety item) must not shift the columns.
            policy = column.sizePolicy()
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            column.setSizePolicy(policy)
        self.count = 0
        self._arrange(len(self.columns))

    def fitting(self, width: int) -> int:
        """How many columns fit side by side in WIDTH (at least one)."""
        used = 0
        for n, column in enumerate(self.columns, start=1):
            used += column.minimumSizeHint().width() + (self._spacing if n > 1 else 0)
            if used > width:
                return max(1, n - 1)
        return len(self.columns)

    def _arrange(self, count: int) -> None:
        if count == self.count:
            return
        self.count = count
        for column in self.columns:
            self.grid.removeWidget(column)
        for i in range(self.grid.columnCount()):
            self.grid.setColumnStretch(i, 0)
        for i, column in enumerate(self.columns):
            if i < count:
                self.grid.addWidget(column, 0, i)
            else:
                self.grid.addWidget(column, 1 + i - count, 0, 1, count)
        # Side by side, each column's share of the width is in proportion to what its content
        # needs, fixed when the columns are arranged (so every share holds its content).
        for i in range(count):
            self.grid.setColumnStretch(i, max(1, self.columns[i].minimumSizeHint().width()))
        # The columns side by side share the first row's height; stacked ones take their own.
        self.grid.setRowStretch(0, 1)

    def minimumSizeHint(self) -> QSize:
        # Narrow enough for one column: the parent may be as narrow as the widest column.
        hint = super().minimumSizeHint()
        hint.setWidth(max(c.minimumSizeHint().width() for c in self.columns))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Only a change of width rearranges: a page growing taller (a hint shown, an entry
        # saved) must never move the columns.
        if event.size().width() != event.oldSize().width():
            self._arrange(self.fitting(event.size().width()))
        super().resizeEvent(event)
