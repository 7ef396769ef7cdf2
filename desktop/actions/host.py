"""What the window-level actions need of the main window, and nothing more."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

    from desktop.app import QtSession


class WindowHost(Protocol):
    """The main window as the actions see it (``desktop.main_window.MainWindow`` is one)."""

    session: QtSession | None
    current_view: str
    persist_settings: bool
    file_menu: QMenu
    export_separator: QAction
    close_action: QAction
    header: QWidget

    def window(self) -> QWidget: ...  # the window itself: the parent of dialogs

    def centralWidget(self) -> QWidget: ...

    def statusBar(self) -> QStatusBar: ...

    def open_journal(self, path: Path, *, background: bool = True, readonly: bool = False,
                     passphrase: str | None = None, therapist: str | None = None) -> None: ...

    def close_journal(self) -> None: ...

    def show_view(self, name: str) -> None: ...
