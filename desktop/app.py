"""The desktop application object, settings, and the Qt side of one open journal.

``QtSession`` wraps a ``desktop.session.JournalSession`` (the Qt-free application layer) and
re-emits its change hook as a signal; views re-render from it (Anki's
``operation_did_execute``). Opening runs on a worker thread (``JournalOpener``) because
replaying a years-long journal must never freeze the window.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QSettings, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop.session import (
    CheckpointStore,
    JournalError,
    JournalSession,
    PassphraseNeeded,
    WrongPassphrase,
    open_session,
)

ORGANIZATION = "SciaticaTracker"
APPLICATION = "Sciatica Tracker"
DEFAULT_FILE_NAME = "journal.sciatica"
MAX_RECENT = 8

log = logging.getLogger(__name__)


def settings() -> QSettings:
    return QSettings(ORGANIZATION, APPLICATION)


def default_journal_path() -> Path:
    """The journal ``sciatica`` opens without a FILE: in the user's data folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(folder) / DEFAULT_FILE_NAME


def checkpoint_store() -> CheckpointStore:
    """Start-up checkpoints (``desktop.session.checkpoint``) in the user's cache folder, or in
    SCIATICA_CACHE_DIR when set (the tests keep each one's own)."""
    folder = os.environ.get("SCIATICA_CACHE_DIR") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.CacheLocation)
    return CheckpointStore(Path(folder) / "checkpoints")


def documents_folder() -> Path:
    """Where save dialogs start: the user's Documents folder (home when there is none)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def place_words(path: Path) -> str:
    """Where PATH is kept, said for people ("in your Documents folder, as journal.sciatica")."""
    folder = path.parent
    data = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    home = Path.home()
    if folder == data:
        where = "in this app's own folder on this computer"
    elif folder == documents_folder():
        where = "in your Documents folder"
    elif folder == home:
        where = "in your home folder"
    elif folder.is_relative_to(home):
        where = f"in the folder {folder.relative_to(home)} of your home folder"
    else:
        where = f"in the folder {folder}"
    return f"{where}, as “{path.name}”"


def recent_files() -> list[str]:
    value = settings().value("recentFiles", [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        return []
    return [str(v) for v in value]


def remember_recent(path: Path) -> None:
    items = [str(path.resolve())] + [p for p in recent_files() if p != str(path.resolve())]
    settings().setValue("recentFiles", items[:MAX_RECENT])


def forget_recent(path: str) -> None:
    settings().setValue("recentFiles", [p for p in recent_files() if p != path])


class QtSession(QObject):
    """The open ``JournalSession`` as the window sees it: the session itself (``core``) and a
    ``changed`` signal re-emitted after every save (Anki's ``operation_did_execute`` hook), so
    a view's connection ends with the view. Views call ``core``; nothing else lives here."""

    changed = Signal(object)  # a desktop.session.Changes

    def __init__(self, core: JournalSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.core = core
        self._unsubscribe = core.subscribe(self.changed.emit)

    # Shorthands for the window and the tests; views use ``core``.
    @property
    def app(self) -> Any:
        return self.core.app

    @property
    def timeline(self) -> Any:
        return self.core.timeline

    @property
    def path(self) -> Path:
        return self.core.path

    @property
    def readonly(self) -> bool:
        return self.core.readonly

    @property
    def reviewer(self) -> str | None:
        return self.core.reviewer

    @property
    def as_of(self) -> date | None:
        return self.core.as_of

    @as_of.setter
    def as_of(self, value: date | None) -> None:
        self.core.as_of = value

    def today(self) -> date:
        return self.core.today()

    def close(self) -> None:
        self._unsubscribe()
        self.core.close()


class _OpenerSignals(QObject):
    opened = Signal(object)   # a JournalSession
    failed = Signal(str)
    progress = Signal(str)
    locked = Signal(str, bool)  # encrypted: (message, wrong passphrase?); ask and open again


class JournalOpener(QRunnable):
    """Open a journal and replay it into the session's read models, off the UI thread."""

    def __init__(self, path: Path, *, readonly: bool = False, passphrase: str | None = None,
                 therapist: str | None = None) -> None:
        super().__init__()
        self.path = path
        self.readonly = readonly
        self.passphrase = passphrase
        self.therapist = therapist
        self.signals = _OpenerSignals()
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            self.signals.progress.emit("Reading the journal…")
            session = open_session(self.path, readonly=self.readonly, passphrase=self.passphrase,
                                   therapist=self.therapist, checkpoints=checkpoint_store())
        except (PassphraseNeeded, WrongPassphrase) as exc:
            self.signals.locked.emit(str(exc), isinstance(exc, WrongPassphrase))
            return
        except JournalError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception:  # unexpected: keep the traceback in the log
            log.exception("opening %s failed", self.path)
            # Said for people; the exception's own text stays in the log.
            self.signals.failed.emit(f"{self.path.name} cannot be opened: it does not look like a journal "
                                     "this app can read.")
            return
        self.signals.opened.emit(session)

    def pause_collector(self) -> None:
        """Pause Python's cyclic garbage collector until this open has ended and what it
        shows is drawn (the first turn of the event loop after the window's handler of its
        outcome). An open and the first view it shows make hundreds of thousands of objects
        that all stay (the read models, the plots' items), and the collector re-scanned the
        young ones every 700: ~90 times, ~17 ms, between a 10-year journal's first paint and
        its curves. Nested opens resume it once, after the last."""
        _CollectorPause.pause()
        for outcome in (self.signals.opened, self.signals.failed, self.signals.locked):
            outcome.connect(_CollectorPause.resume_soon)


class _CollectorPause:
    depth = 0
    was_enabled = True

    @classmethod
    def pause(cls) -> None:
        if cls.depth == 0:
            cls.was_enabled = gc.isenabled()
            gc.disable()
        cls.depth += 1

    @classmethod
    def resume_soon(cls, *_outcome: object) -> None:
        # Connected after the window's own handler, so this runs once the journal is
        # installed; the timer fires after the paint that follows it.
        QTimer.singleShot(0, cls.resume)

    @classmethod
    def resume(cls) -> None:
        cls.depth = max(0, cls.depth - 1)
        if cls.depth == 0 and cls.was_enabled:
            gc.enable()


def create_qapp(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(list(argv if argv is not None else sys.argv[:1]))
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    # Lets Wayland/GNOME match windows to sciatica-tracker.desktop and its icon.
    app.setDesktopFileName("sciatica-tracker")
    icon = Path(__file__).with_name("resources") / "sciatica-tracker.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    from desktop.style import apply_style
    from desktop.widgets.wheel_guard import install_wheel_guard

    install_wheel_guard(app)  # the Fusion style, guarding each value widget it polishes
    apply_style(app)
    # follow the desktop when it switches between light and dark
    app.styleHints().colorSchemeChanged.connect(lambda *_: apply_style(app))
    return app
