"""A scrolling view page: the frame every full-height view (check-in, tests, review) sits in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


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
        outer = QVBoxLayout(page)
        outer.setContentsMargins(*margins)
        outer.setSpacing(spacing)
        return page, outer
