"""The main window's pages: no journal open, opening one, and the open journal's sidebar and views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.style import set_role
from desktop.views.registry import VIEWS


class EmptyPage(QWidget):
    """No journal open: open one or start a new one."""

    def __init__(self, on_new: Callable[[], None], on_open: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = set_role(QLabel("No journal open", self), "pagetitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(title)
        hint = set_role(QLabel("Open a journal file or start a new one.", self), "hint")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        self.new_button = QPushButton("New journal…", self)
        self.open_button = QPushButton("Open…", self)
        self.open_button.setProperty("kind", "primary")
        self.new_button.clicked.connect(on_new)
        self.open_button.clicked.connect(on_open)
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class OpeningPage(QWidget):
    """Progress while the worker replays the file; the window stays responsive."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = set_role(QLabel("Opening…", self), "title")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.label)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("opening_progress")
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setTextVisible(False)
        self.progress.setFixedWidth(320)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.progress)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)


class JournalPage(QWidget):
    """An open journal: the sidebar (a button per view, the file's name) and the views' stack.
    A button asks SHOW_VIEW for its view."""

    def __init__(self, show_view: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        jl = QHBoxLayout(self)
        jl.setContentsMargins(0, 0, 0, 0)
        jl.setSpacing(0)
        sidebar = QWidget(self)
        sidebar.setObjectName("sidebar")
        sidebar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        sidebar.setFixedWidth(176)
        sl = QVBoxLayout(sidebar)
        sl.setContentsMargins(12, 18, 12, 14)
        sl.setSpacing(4)
        self.nav_buttons: dict[str, QPushButton] = {}
        for i, (name, label) in enumerate(VIEWS, start=1):
            button = QPushButton(label, sidebar)
            button.setObjectName(f"nav_{name}")
            button.setProperty("kind", "nav")
            button.setCheckable(True)
            button.setAutoExclusive(True)
            button.setToolTip(f"{label} (Ctrl+{i})")
            button.clicked.connect(lambda _=False, n=name: show_view(n))
            sl.addWidget(button)
            self.nav_buttons[name] = button
        sl.addStretch(1)
        self.file_label = set_role(QLabel("", sidebar), "hint")
        self.file_label.setWordWrap(True)
        sl.addWidget(self.file_label)
        jl.addWidget(sidebar)
        self.stack = QStackedWidget(self)
        jl.addWidget(self.stack, 1)


def same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


def fit_to_screen(window: QWidget) -> None:
    """Keep the window inside the screen's free area: a saved or default size can be larger
    than a small (or scaled: 1440×960 at 1.5 is 960×640) screen."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    free = screen.availableGeometry()
    # The frame (title bar, borders) comes on top of the client area.
    extra = window.frameGeometry().size() - window.geometry().size()
    width = min(window.width(), free.width() - extra.width())
    height = min(window.height(), free.height() - extra.height())
    window.setMinimumSize(min(window.minimumWidth(), width), min(window.minimumHeight(), height))
    window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), free.x()), free.right() - frame.width() + 1)
    y = min(max(frame.y(), free.y()), free.bottom() - frame.height() + 1)
    window.move(x, y)
