"""What the window-level actions need of the main window, and nothing more."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

    from desktop.app import QtSession
    from desktop.session import JournalSession


class WindowHost(Protocol):
    """The main window as the actions see it (``desktop.main_window.MainWindow`` is one)."""

    current_view: str  # the view shown when the next journal opens

    @property
    def session(self) -> QtSession | None: ...

    @property
    def persist_settings(self) -> bool: ...

    @property
    def file_menu(self) -> QMenu: ...

    @property
    def export_separator(self) -> QAction: ...  # sharing items go after it

    @property
    def close_action(self) -> QAction: ...  # the report item goes before it

    @property
    def header(self) -> QWidget: ...  # notice bars go under it

    def window(self) -> QWidget: ...  # the window itself: the parent of dialogs

    def centralWidget(self) -> QWidget | None: ...

    def statusBar(self) -> QStatusBar: ...

    def open_journal(self, path: Path, *, background: bool = True, readonly: bool = False,
                     passphrase: str | None = None, therapist: str | None = None) -> None: ...

    def install_session(self, opened: JournalSession | QtSession) -> None: ...  # a journal opened elsewhere, shown

    def close_journal(self) -> None: ...

    def show_view(self, name: str) -> None: ...
