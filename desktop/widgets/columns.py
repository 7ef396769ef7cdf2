"""Columns that stack when the window is narrow, so no page needs horizontal scrolling.

The arrangement depends on the available width only (compared with the columns' minimum
widths), never on what is filled in: ticking a box or saving does not move a column.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLayout, QSizePolicy, QWidget


def least_width(widget: QWidget) -> int:
    """The width a layout never gives WIDGET less of: its minimum width when one is set, else
    its minimum size hint's (Qt's own rule)."""
    return widget.minimumWidth() or widget.minimumSizeHint().width()


class ReflowColumns(QWidget):
    """COLUMNS side by side while they fit; when not, the first ones stay side by side and the
    rest go below them, spanning the width, down to one column. ``arranged`` carries the
    number of columns side by side after each change of it."""

    arranged = Signal(int)

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
            used += least_width(column) + (self._spacing if n > 1 else 0)
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
        for i in range(count):
            self.grid.setColumnStretch(i, self._stretch(i))
        # The columns side by side share the first row's height; stacked ones take their own.
        self.grid.setRowStretch(0, 1)
        self.arranged.emit(count)

    def _stretch(self, index: int) -> int:
        """Side by side, each column's share of the width is in proportion to what its content
        needs, fixed when the columns are arranged (so every share holds its content)."""
        return max(1, least_width(self.columns[index]))

    def minimumSizeHint(self) -> QSize:
        # Narrow enough for one column: the parent may be as narrow as the widest column.
        hint = super().minimumSizeHint()
        hint.setWidth(max(least_width(c) for c in self.columns))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Only a change of width rearranges: a page growing taller (a hint shown, an entry
        # saved) must never move the columns.
        if event.size().width() != event.oldSize().width():
            self._arrange(self.fitting(event.size().width()))
        super().resizeEvent(event)


class TitleRow(ReflowColumns):
    """A page's title block with its controls (a time, a filter, buttons) at the right; on a
    page too narrow for both the controls go under the title, from the left. The title takes
    the width the controls leave; it is never narrower than LEAST_TITLE_WIDTH beside them.
    Without ALIGN the controls' own layout spreads them (a search field that stretches)."""

    def __init__(self, titles: QWidget, controls: QWidget, parent: QWidget | None = None, *,
                 least_title_width: int = 240, align: bool = True) -> None:
        titles.setMinimumWidth(least_title_width)
        super().__init__([titles, controls], parent=parent)
        # The controls keep their own width beside the title (the title wraps instead).
        policy = controls.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)
        controls.setSizePolicy(policy)
        layout = controls.layout()
        if align and isinstance(layout, QBoxLayout):  # a search field that stretches needs none
            # A stretch either side of the controls (their layout is made before this row).
            layout.insertStretch(0, 0)
            layout.addStretch(0)
            self.arranged.connect(self._align_controls)
            self._align_controls(self.count)

    def _stretch(self, index: int) -> int:
        return 1 if index == 0 else 0

    def _align_controls(self, count: int) -> None:
        layout = self.columns[1].layout()
        assert isinstance(layout, QBoxLayout)
        # Beside the title the controls sit at the right; under it they start at the left
        # edge, like the text above them.
        layout.setStretch(0, 1 if count > 1 else 0)
        layout.setStretch(layout.count() - 1, 0 if count > 1 else 1)
