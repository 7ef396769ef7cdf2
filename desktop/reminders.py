"""The optional daily check-in reminder: a tray icon that speaks up only on a day not yet logged.

While the app runs (a ``QSystemTrayIcon``), once a day at the chosen time it shows a
notification if the open journal has no check-in observed that day, and stays quiet otherwise.
The notification is the desktop's own, drawn on this machine; nothing is sent anywhere.
Settings (on/off and the time) live in the app's ``QSettings``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

from desktop.app import settings

DEFAULT_TIME = time(20, 0)
CHECK_EVERY_MS = 60_000  # once a minute: a reminder is a minute late at most


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = False
    at: time = DEFAULT_TIME

    @staticmethod
    def load() -> ReminderSettings:
        s = settings()
        text = str(s.value("reminder/time", DEFAULT_TIME.strftime("%H:%M")))
        try:
            at = time.fromisoformat(text)
        except ValueError:
            at = DEFAULT_TIME
        return ReminderSettings(enabled=str(s.value("reminder/enabled", "false")).lower() == "true", at=at)

    def save(self) -> None:
        s = settings()
        s.setValue("reminder/enabled", "true" if self.enabled else "false")
        s.setValue("reminder/time", self.at.strftime("%H:%M"))


def reminder_due(now: datetime, chosen: ReminderSettings, *, checked_in_today: bool,
                 reminded_on: date | None) -> bool:
    """Whether to remind at NOW: switched on, the chosen time has come, no check-in yet today,
    and not already reminded today (once a day, never again after a check-in)."""
    return (chosen.enabled and now.time() >= chosen.at and not checked_in_today
            and reminded_on != now.date())


TITLE = "Time for your check-in"
MESSAGE = "You have not logged today yet. It takes under a minute."


class Reminders(QObject):
    """The tray icon and the once-a-minute check. CHECKED_IN(day) says whether the open
    journal has a check-in that day (None: no journal open, nothing to remind about)."""

    open_requested = Signal()  # the tray's "Check in now" or a click on the notification
    reminded = Signal(str)  # every reminder, so the window can say it too (no tray on some desktops)

    def __init__(self, checked_in: Callable[[date], bool | None], now: Callable[[], datetime] = datetime.now,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._checked_in = checked_in
        self._now = now
        self.settings = ReminderSettings.load()
        self.reminded_on: date | None = None
        self.shown: list[tuple[str, str]] = []  # what was notified, for the tests and the log
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.apply(self.settings)

    def apply(self, chosen: ReminderSettings) -> None:
        """Use CHOSEN from now on (the tray icon is there only while the reminder is on)."""
        self.settings = chosen
        if chosen.enabled:
            self._ensure_tray()
            self.timer.start()
        else:
            self.timer.stop()
            if self.tray is not None:
                self.tray.hide()

    def check(self) -> bool:
        """Notify if a reminder is due now; True when one was shown."""
        now = self._now()
        checked_in = self._checked_in(now.date())
        if checked_in is None:
            return False
        if not reminder_due(now, self.settings, checked_in_today=checked_in, reminded_on=self.reminded_on):
            return False
        self.reminded_on = now.date()
        self.shown.append((TITLE, MESSAGE))
        self.reminded.emit(MESSAGE)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(TITLE, MESSAGE, QSystemTrayIcon.MessageIcon.Information, 15_000)
        return True

    def _ensure_tray(self) -> None:
        if self.tray is None:
            app = QApplication.instance()
            icon = app.windowIcon() if isinstance(app, QApplication) else QIcon()
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("Sciatica Tracker: daily reminder on")
            menu = QMenu()
            self._menu = menu  # the tray keeps no reference of its own
            now_action = QAction("Check in now", menu)
            now_action.triggered.connect(self.open_requested)
            menu.addAction(now_action)
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(lambda *_: self.open_requested.emit())
            self.tray.messageClicked.connect(self.open_requested)
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()
