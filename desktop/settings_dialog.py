"""Settings: the optional daily reminder and starting minimised at login."""

from __future__ import annotations

from datetime import date, time
from typing import TYPE_CHECKING

from PySide6.QtCore import QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from desktop import autostart
from desktop.reminders import Reminders, ReminderSettings
from desktop.style import set_role

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


class SettingsDialog(QDialog):
    def __init__(self, reminders: Reminders, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reminders = reminders
        self.setObjectName("settings_dialog")
        self.setWindowTitle("Settings")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(12)
        layout.addWidget(set_role(QLabel("Daily reminder", self), "title"))
        current = reminders.settings
        row = QHBoxLayout()
        self.remind_check = QCheckBox("Remind me every day at", self)
        self.remind_check.setObjectName("remind_check")
        self.remind_check.setChecked(current.enabled)
        self.time_edit = QTimeEdit(QTime(current.at.hour, current.at.minute), self)
        self.time_edit.setObjectName("remind_time")
        self.time_edit.setAccessibleName("Reminder time")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setEnabled(current.enabled)
        self.remind_check.toggled.connect(self.time_edit.setEnabled)
        row.addWidget(self.remind_check)
        row.addWidget(self.time_edit)
        row.addStretch(1)
        layout.addLayout(row)
        hint = set_role(QLabel("Only on a day without a check-in, while the app is running (it waits in "
                               "the tray). The reminder comes from this computer; nothing is sent anywhere.",
                               self), "hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.autostart_check = QCheckBox("Start Sciatica Tracker minimised when I log in", self)
        self.autostart_check.setObjectName("autostart_check")
        self.autostart_check.setChecked(autostart.is_enabled())
        layout.addWidget(self.autostart_check)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def chosen(self) -> ReminderSettings:
        chosen = self.time_edit.time()
        return ReminderSettings(enabled=self.remind_check.isChecked(), at=time(chosen.hour(), chosen.minute()))

    def save(self) -> None:
        chosen = self.chosen()
        chosen.save()
        self.reminders.apply(chosen)
        try:
            autostart.set_enabled(self.autostart_check.isChecked())
        except OSError as exc:
            QMessageBox.warning(self, "Start at login not changed",
                                f"The login entry could not be written ({exc.strerror or exc}).")
            return
        self.accept()


class SettingsActions:
    """File → Settings… and the daily reminder, for the main window (kept out of it so the
    window stays a list of pages and menus)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: SettingsDialog | None = None
        self.reminders = Reminders(self._checked_in_on, parent=window)
        self.reminders.open_requested.connect(self._on_reminders_open_requested)
        self.reminders.reminded.connect(self._on_reminders_reminded)
        self.action = QAction("&Settings…", window)
        # The platform's own (Ctrl+, on most desktops; none on some Linux ones, hence the fallback).
        preferences = QKeySequence(QKeySequence.StandardKey.Preferences)
        self.action.setShortcut(preferences if not preferences.isEmpty() else QKeySequence("Ctrl+,"))
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.triggered.connect(self.open_dialog)
        window.file_menu.insertAction(window.settings_separator, self.action)

    def open_dialog(self) -> SettingsDialog:
        self.dialog = SettingsDialog(self.reminders, self.window)
        self.dialog.open()
        return self.dialog

    def _checked_in_on(self, day: date) -> bool | None:
        """Whether the open journal has a check-in on DAY (None: no journal of the user's own is
        open, so there is nothing to remind about)."""
        session = self.window.session
        if session is None or session.readonly or session.reviewer:
            return None
        return session.core.checked_in_on(day)

    def _on_reminders_open_requested(self) -> None:
        window = self.window
        window.showNormal()
        window.raise_()
        window.activateWindow()
        window.show_view("checkin")

    def _on_reminders_reminded(self, message: str) -> None:
        # Said in the window too: some desktops have no tray to show the notification.
        self.window.statusBar().showMessage(message, 10 * 60_000)
        QApplication.alert(self.window)
