"""Fixtures for the desktop's sharing: isolated settings (from tests/desktop), cheap scrypt,
captured message boxes and file/name prompts, real journal files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from desktop.main_window import MainWindow
from domain.application import JournalApp
from tests.desktop.conftest import isolated_settings  # noqa: F401  (autouse: settings in tmp_path)
from tests.sharing.conftest import _cheap_scrypt_and_clean_env  # noqa: F401  (autouse: the same cheap scrypt)

PATIENT = "Maya Lindqvist"
THERAPIST = "J. Rivera, PT"
START = datetime(2026, 10, 5, 8, 0)


class Boxes:
    """Every QMessageBox warning/information/question, captured instead of blocking."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []  # (kind, title, text)
        self.answer = QMessageBox.StandardButton.Yes

    def make(self, kind: str) -> Callable[..., Any]:
        def box(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((kind, title, text))
            return self.answer if kind == "question" else QMessageBox.StandardButton.Ok
        return box

    def texts(self, kind: str) -> list[str]:
        return [text for k, _, text in self.calls if k == kind]


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Boxes:
    b = Boxes()
    for kind in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, b.make(kind))
    return b


class Prompts:
    """Answers for Qt's static file and text prompts; remembers what each was asked."""

    def __init__(self) -> None:
        self.save_file: list[str] = []
        self.open_file: list[str] = []
        self.names: list[tuple[str, bool]] = []
        self.asked: list[tuple[str, tuple[Any, ...]]] = []

    def _save(self, parent: Any, caption: str = "", directory: str = "", *args: Any, **kw: Any) -> tuple[str, str]:
        self.asked.append(("save", (caption, directory)))
        return (self.save_file.pop(0) if self.save_file else "", "")

    def _open(self, parent: Any, caption: str = "", directory: str = "", *args: Any, **kw: Any) -> tuple[str, str]:
        self.asked.append(("open", (caption, directory)))
        return (self.open_file.pop(0) if self.open_file else "", "")

    def _text(self, parent: Any, title: str, label: str, *args: Any, **kw: Any) -> tuple[str, bool]:
        self.asked.append(("text", (title, label, *args)))
        return self.names.pop(0) if self.names else ("", False)


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    p = Prompts()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", p._save)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", p._open)
    monkeypatch.setattr(QInputDialog, "getText", p._text)
    return p


def make_journal(path: Path, *, days: int = 4, passphrase: str | None = None) -> Path:
    """A closed journal with a pain rating, symptoms and a walk on each of DAYS days."""
    with JournalApp.create(path, patient=PATIENT, affected_side="left", onset_date="2026-10-01",
                           observed_at=START, passphrase=passphrase) as app:
        for n in range(days):
            at = START + timedelta(days=n)
            app.rate_pain(at, leg=7 - n, back=3)
            app.record_symptoms(at + timedelta(minutes=5), [
                {"region": "calf", "side": "left", "sensation": "pain", "intensity": 6 - n}])
            app.record_walk(at + timedelta(hours=9), total_minutes=15 + n, minutes_to_symptoms=10 + n,
                            extent_at_stop="calf")
    return path


@pytest.fixture
def window_factory(qtbot: Any) -> Iterator[Callable[[], MainWindow]]:
    windows: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow()
        window.persist_settings = True
        qtbot.addWidget(window)
        window.resize(1300, 880)
        window.show()
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close_journal()


def open_and_wait(qtbot: Any, window: MainWindow, path: Path, **kwargs: Any) -> None:
    window.open_journal(path, **kwargs)
    qtbot.waitUntil(lambda: not window.is_opening(), timeout=10000)
