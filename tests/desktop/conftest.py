"""Desktop fixtures: isolated QSettings and data folder, a session, captured message boxes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QMessageBox

from desktop.app import QtSession
from desktop.session import JournalSession
from desktop.style import apply_style
from domain.application import JournalApp


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any) -> Iterator[Path]:
    """Keep QSettings and the data folder inside tmp_path: tests never touch the user's."""
    config = tmp_path / "config"
    data = tmp_path / "data"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    QStandardPaths.setTestModeEnabled(False)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(config))
    qapp.setOrganizationName("SciaticaTracker")
    qapp.setApplicationName("Sciatica Tracker")
    apply_style(qapp)
    yield config


class Messages:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((title, text))
        return QMessageBox.StandardButton.Ok

    @property
    def texts(self) -> list[str]:
        return [text for _, text in self.calls]


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    """Every QMessageBox.warning is captured instead of blocking the test."""
    box = Messages()
    monkeypatch.setattr(QMessageBox, "warning", box)
    return box


@pytest.fixture
def session(journal: JournalApp) -> Iterator[QtSession]:
    s = QtSession(JournalSession(journal))
    yield s
    s._unsubscribe()


def entries_of(app: JournalApp, type_name: str) -> list[Any]:
    return [e for e in app.entries() if e.type_name() == type_name]
