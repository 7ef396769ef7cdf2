"""Python's cyclic garbage collector is paused while a journal opens and its first view is
built (``JournalOpener.pause_collector``), and resumed once the window has handled the outcome,
whatever it is: opened, refused, or locked behind a passphrase."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from desktop.main_window import MainWindow
from domain.application import JournalApp


@pytest.fixture(autouse=True)
def collector_on() -> Any:
    gc.enable()
    yield
    gc.enable()


def _window(qtbot: Any) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.persist_settings = False
    window.resize(1200, 800)
    window.show()
    return window


def test_paused_while_a_journal_opens_and_resumed_once_it_is_shown(qtbot: Any, journal_path: Path,
                                                                   messages: Any) -> None:
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    window = _window(qtbot)
    window.open_journal(journal_path)
    assert window.is_opening() and not gc.isenabled()
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    qtbot.waitUntil(gc.isenabled, timeout=5000)


def test_resumed_when_the_file_cannot_be_opened(qtbot: Any, tmp_path: Path, messages: Any) -> None:
    broken = tmp_path / "broken.sciatica"
    broken.write_bytes(b"not a journal at all")
    window = _window(qtbot)
    window.open_journal(broken)
    assert not gc.isenabled()
    qtbot.waitUntil(lambda: not window.is_opening(), timeout=10000)
    qtbot.waitUntil(gc.isenabled, timeout=5000)
    assert window.session is None


def test_two_opens_in_a_row_resume_it_once_both_have_ended(qtbot: Any, journal_path: Path, tmp_path: Path,
                                                           messages: Any) -> None:
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    other = tmp_path / "other.sciatica"
    JournalApp.create(other, patient="B", affected_side="right", onset_date="2026-02-01").close()
    window = _window(qtbot)
    window.open_journal(journal_path)
    window.open_journal(other)
    assert not gc.isenabled()
    qtbot.waitUntil(lambda: not window.is_opening() and window.session is not None, timeout=10000)
    qtbot.waitUntil(gc.isenabled, timeout=5000)


def test_a_collector_the_user_turned_off_stays_off(qtbot: Any, journal_path: Path, messages: Any) -> None:
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    gc.disable()
    window = _window(qtbot)
    window.open_journal(journal_path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    qtbot.wait(50)
    assert not gc.isenabled()
