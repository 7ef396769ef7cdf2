"""File → Export report…: the period asked, a real PDF written, the viewer asked to open it."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from desktop.cli import main
from desktop.main_window import MainWindow
from tests.desktop.journal_factory import realistic_events, write_jsonl


def _window_on_journal(qtbot: Any, tmp_path: Path) -> MainWindow:
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


def test_export_report_writes_the_pdf_for_the_chosen_period_and_opens_it(qtbot: Any, tmp_path: Path,
                                                                         messages: Any) -> None:
    window = _window_on_journal(qtbot, tmp_path)
    actions = window.reports
    asked: list[tuple[date, date]] = []
    opened: list[Path] = []
    out = tmp_path / "report.pdf"

    def period(first: date, last: date) -> tuple[date, date]:
        asked.append((first, last))
        return date(2026, 10, 1), date(2026, 10, 31)

    actions.ask_period = period
    actions.ask_path = lambda suggested: out
    actions.open_file = opened.append
    window.file_menu.aboutToShow.emit()
    assert actions.report_action.isEnabled()
    actions.report_action.trigger()

    assert opened == [out]
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "1 Oct 2026 – 31 Oct 2026" in text
    assert window.session is not None and window.session.app.identity.patient in text
    first, last = asked[0]
    assert first <= last
    assert messages.calls == []


def test_cancelling_the_period_writes_nothing(qtbot: Any, tmp_path: Path) -> None:
    window = _window_on_journal(qtbot, tmp_path)
    window.reports.ask_period = lambda first, last: None
    window.reports.ask_path = lambda suggested: tmp_path / "never.pdf"
    assert window.reports.export_report() is None
    assert not (tmp_path / "never.pdf").exists()


def test_report_action_is_disabled_without_a_journal(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.file_menu.aboutToShow.emit()
    assert not window.reports.report_action.isEnabled()
