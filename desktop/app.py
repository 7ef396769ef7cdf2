"""The desktop application object and one open journal (a ``JournalSession``).

A session wraps the ``JournalApp`` service and the ``Timeline`` read model. It subscribes to
the service, so every save is applied to the timeline incrementally (never a rebuild) and
``changed`` is emitted once per command: views re-render from a fresh snapshot (Anki's
``operation_did_execute`` hook). Opening runs on a worker thread (``JournalOpener``) because
replaying a years-long journal must never freeze the window.
"""

from __future__ import annotations

import logging
import sys
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QSettings, QStandardPaths, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from domain.application import JournalApp
from domain.errors import JournalError
from domain.events import EntryEvent
from projections.entries import EffectiveEntries

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


def make_timeline(events: Sequence[EntryEvent]) -> Any:
    """The status read model, or None while ``projections.timeline`` is not installed."""
    try:
        from projections.timeline import Timeline  # type: ignore[import-not-found,attr-defined,unused-ignore]
    except ImportError:  # pragma: no cover - only before the projections land
        return None
    return Timeline(events)


def status_json(timeline: Any, as_of: date) -> dict[str, Any] | None:
    if timeline is None:
        return None
    from projections.status import status_to_json  # type: ignore[import-not-found,attr-defined,unused-ignore]

    result: dict[str, Any] = status_to_json(timeline.status_at(as_of))
    return result


class JournalSession(QObject):
    """One open journal: the service, its read models, and a ``changed`` hook."""

    changed = Signal(list)  # the new events, after every successful command

    def __init__(self, app: JournalApp, timeline: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.timeline = timeline
        self.effective = EffectiveEntries()
        for event in app.entries():
            self.effective.apply(event)
        self.as_of: date | None = None  # pinned "today" (screenshots, --as-of)
        self._unsubscribe = app.subscribe(self._on_saved)

    @property
    def path(self) -> Path:
        return self.app.path

    @property
    def readonly(self) -> bool:
        """Whether the patient's entries are closed to changes: a read-only open, or review
        mode (a therapist adds review notes only; the recording forms stay disabled)."""
        return self.app.readonly or self.app.reviewer is not None

    @property
    def reviewer(self) -> str | None:
        """The therapist this journal is open for (``open_for_review``), else None."""
        return self.app.reviewer

    def today(self) -> date:
        return self.as_of or date.today()

    def now(self) -> datetime:
        """The default time of a new entry: now, or noon of the pinned date."""
        if self.as_of is None:
            return datetime.now().replace(second=0, microsecond=0)
        return datetime.combine(self.as_of, datetime.now().time()).replace(second=0, microsecond=0)

    def visible(self, event: EntryEvent) -> bool:
        """Observed by the end of ``today()`` (a pinned date hides what came later)."""
        return event.observed_at.date() <= self.today()

    def status(self) -> dict[str, Any] | None:
        """The status JSON (sciatica-status/1) at the end of ``today()``."""
        try:
            return status_json(self.timeline, self.today())
        except Exception:  # a read-model bug must not take the window down
            log.exception("status projection failed")
            return None

    def record_all(self, items: Sequence[tuple[str, Mapping[str, Any]]], *,
                   observed_at: datetime, note: str | None = None) -> list[uuid.UUID]:
        """Validate every entry first, then store them in one transaction: all or nothing."""
        journal = self.app.journal
        events = [journal.decide(type_name, fields, observed_at=observed_at,
                                 note=note if i == 0 else None)
                  for i, (type_name, fields) in enumerate(items)]
        self.app.append(events)
        return [e.entry_id for e in events]

    def _on_saved(self, events: Sequence[EntryEvent]) -> None:
        for event in events:
            self.effective.apply(event)
            if self.timeline is not None:
                self.timeline.apply(event)
        self.changed.emit(list(events))

    def close(self) -> None:
        self._unsubscribe()
        self.app.close()


class _OpenerSignals(QObject):
    opened = Signal(object)   # a JournalSession-ready tuple (JournalApp, timeline)
    failed = Signal(str)
    progress = Signal(str)
    locked = Signal(str, bool)  # encrypted: (message, wrong passphrase?); ask and open again


class JournalOpener(QRunnable):
    """Open a journal and replay it into the read models, off the UI thread."""

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
        from domain.encryption import PassphraseNeeded
        from domain.errors import WrongPassphrase

        try:
            self.signals.progress.emit("Reading the journal…")
            app = open_app(self.path, readonly=self.readonly, passphrase=self.passphrase,
                           therapist=self.therapist)
        except (PassphraseNeeded, WrongPassphrase) as exc:
            self.signals.locked.emit(str(exc), isinstance(exc, WrongPassphrase))
            return
        except JournalError as exc:
            self.signals.failed.emit(str(exc))
            return
        except Exception as exc:  # unexpected: keep the traceback in the log
            log.exception("opening %s failed", self.path)
            self.signals.failed.emit(f"{self.path}: cannot be opened ({type(exc).__name__}: {exc})")
            return
        try:
            self.signals.progress.emit("Replaying entries…")
            timeline = make_timeline(app.entries())
        except Exception as exc:
            log.exception("replaying %s failed", self.path)
            app.close()
            self.signals.failed.emit(f"{self.path}: the entries could not be replayed ({exc})")
            return
        self.signals.opened.emit((app, timeline))


def open_app(path: Path, *, readonly: bool = False, passphrase: str | None = None,
             therapist: str | None = None) -> JournalApp:
    """Open PATH as the window does: for THERAPIST's review when given (the patient's entries
    read-only), and read-only whatever was asked when the hash chain fails (``integrity_problem``
    stays set, so the window can say why). PassphraseNeeded/WrongPassphrase for an encrypted
    journal without the right PASSPHRASE."""
    if therapist is not None and not readonly:
        app = JournalApp.open_for_review(path, therapist, passphrase=passphrase)
    else:
        app = JournalApp.open(path, readonly=readonly, passphrase=passphrase)
        app.reviewer = therapist.strip() if therapist else None
    if app.integrity_problem and not app.readonly:
        reviewer = app.reviewer
        app.close()
        app = JournalApp.open(path, readonly=True, passphrase=passphrase)
        app.reviewer = reviewer
    return app


def open_session(path: Path, *, readonly: bool = False, passphrase: str | None = None,
                 therapist: str | None = None) -> JournalSession:
    """Open synchronously (screenshots and tests); the window uses ``JournalOpener``."""
    app = open_app(path, readonly=readonly, passphrase=passphrase, therapist=therapist)
    try:
        timeline = make_timeline(app.entries())
    except BaseException:
        app.close()
        raise
    return JournalSession(app, timeline)


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
    app.setStyle("Fusion")
    from desktop.style import apply_style

    apply_style(app)
    # follow the desktop when it switches between light and dark
    app.styleHints().colorSchemeChanged.connect(lambda *_: apply_style(app))
    return app
