"""File → Export report…: the period asked, a real PDF written, the viewer asked to open it."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from desktop.actions.reports import PeriodDialog, ReportChoice
from desktop.main_window import MainWindow
from projections.summary import Preset
from tests.desktop_reports.windows import window_on_journal


def test_export_report_writes_the_pdf_for_the_chosen_period_and_opens_it(qtbot: Any, tmp_path: Path,
                                                                         messages: Any) -> None:
    window = window_on_journal(qtbot, tmp_path)
    actions = window.reports
    asked: list[tuple[date, date]] = []
    opened: list[Path] = []
    out = tmp_path / "report.pdf"

    # Issue 17: the dialog answers with a ReportChoice (a preset, or custom days) instead of
    # a (from, to) pair; a custom choice of the same days must give the same period.
    def period(first: date, last: date) -> ReportChoice:
        asked.append((first, last))
        return ReportChoice(Preset.CUSTOM, date(2026, 10, 31), date(2026, 10, 1))

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
    window = window_on_journal(qtbot, tmp_path)
    window.reports.ask_period = lambda first, last: None
    window.reports.ask_path = lambda suggested: tmp_path / "never.pdf"
    assert window.reports.export_report() is None
    assert not (tmp_path / "never.pdf").exists()


def test_report_action_is_disabled_without_a_journal(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.file_menu.aboutToShow.emit()
    assert not window.reports.report_action.isEnabled()


def test_the_dialog_offers_the_presets_and_custom_days_with_an_optional_appendix(qtbot: Any) -> None:
    dialog = PeriodDialog(date(2026, 1, 1), date(2026, 6, 30))
    qtbot.addWidget(dialog)
    words = [dialog.preset_box.itemText(i) for i in range(dialog.preset_box.count())]
    assert words == ["Since the last review", "The last 4 weeks", "The last 3 months", "Days of my choice"]
    assert dialog.choice() == ReportChoice(Preset.SINCE_LAST_REVIEW, date(2026, 6, 30))
    assert not dialog.from_edit.isEnabled()  # a preset's first day is the preset's
    dialog.preset_box.setCurrentIndex(3)
    assert dialog.from_edit.isEnabled()
    dialog.appendix_box.setChecked(True)
    assert dialog.choice() == ReportChoice(Preset.CUSTOM, date(2026, 6, 30), date(2026, 3, 30), True)


def test_a_preset_report_with_the_appendix_lists_the_entries(qtbot: Any, tmp_path: Path, messages: Any) -> None:
    window = window_on_journal(qtbot, tmp_path)
    out = tmp_path / "report.pdf"
    window.reports.ask_period = lambda first, last: ReportChoice(Preset.LAST_4_WEEKS, last, None, True)
    window.reports.ask_path = lambda suggested: out
    window.reports.open_file = lambda p: None
    assert window.reports.export_report() == out
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "The last 4 weeks" in text and "Appendix: entries in this period" in text
    assert messages.calls == []


def test_export_csv_writes_every_entry(qtbot: Any, tmp_path: Path, messages: Any) -> None:
    window = window_on_journal(qtbot, tmp_path)
    out = tmp_path / "entries.csv"
    window.reports.ask_csv_path = lambda suggested: out
    window.file_menu.aboutToShow.emit()
    assert window.reports.csv_action.isEnabled()
    window.reports.csv_action.trigger()
    assert window.session is not None
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(window.session.app.entries())
    assert messages.calls == []


def test_csv_action_is_disabled_without_a_journal(qtbot: Any) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.file_menu.aboutToShow.emit()
    assert not window.reports.csv_action.isEnabled()
