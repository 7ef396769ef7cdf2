"""A main window on a realistic journal, as the report tests and the no-network session open it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.cli import main
from desktop.main_window import MainWindow
from tests.desktop.journal_factory import realistic_events, write_jsonl


def window_on_journal(qtbot: Any, tmp_path: Path) -> MainWindow:
    """Import a few months of realistic entries into ``maya.sciatica``, open it in a shown
    window and wait until it is open."""
    source = tmp_path / "events.jsonl"
    write_jsonl(str(source), realistic_events())
    journal = tmp_path / "maya.sciatica"
    assert main(["import", str(journal), str(source)]) == 0
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_journal(journal)
    qtbot.waitUntil(lambda: not window.is_opening(), timeout=15000)
    assert window.session is not None
    return window
