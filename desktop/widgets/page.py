"""A scrolling view page: the frame every full-height view (check-in, tests, review) sits in;
and ``RefreshWhenShown``, the redraw rule of the views that follow the session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

# The mixin is seen by type checkers as the widget it is mixed into (it calls its methods).
if TYPE_CHECKING:
    _Widget = QWidget
else:
    _Widget = object


class RefreshWhenShown(_Widget):
    """A view that redraws from the session now when it is visible, else when next shown: a
    hidden view (Timeline, Progress) costs nothing per save. Mixed in before the Qt class;
    the view defines ``refresh`` (which clears ``_dirty``) and connects the session's change
    signal to ``refresh_when_shown``."""

    _dirty = True

    def refresh(self) -> None:
        raise NotImplementedError

    def refresh_when_shown(self, *_changes: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._dirty:
            self.refresh()
        super().showEvent(event)


class ScrollPage(QScrollArea):
    """A frameless, resizable scroll area holding one ``page`` widget with a vertical layout."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The page's controls are the Tab stops, not the scroll area around them.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def make_page(self, margins: tuple[int, int, int, int] = (24, 20, 24, 24),
                  spacing: int = 16) -> tuple[QWidget, QVBoxLayout]:
        """Create the scrolled page (styled by its ``page`` object name) and its layout."""
        page = QWidget(self)
        page.setObjectName("page")
        self.setWidget(page)
        return page, column_layout(page, margins, spacing)


def column_layout(widget: QWidget, margins: tuple[int, int, int, int], spacing: int) -> QVBoxLayout:
    """WIDGET's vertical layout with these margins (left, top, right, bottom) and spacing."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    return layout
