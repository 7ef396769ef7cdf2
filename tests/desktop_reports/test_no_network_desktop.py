"""Issue 10: a full desktop session — open, check in, every view, replay, report — opens no socket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktop.actions.reports import ReportChoice
from desktop.main_window import MainWindow
from projections.summary import Preset
from tests.desktop.journal_factory import realistic_events, write_jsonl
from tests.torture.test_no_network import sciatica


def test_a_desktop_session_never_opens_a_socket(qtbot: Any, tmp_path: Path, no_network: list[str],
                                                messages: Any) -> None:
    source = tmp_path / "events.jsonl"
    write_jsonl(str(source), realistic_events())
    journal = tmp_path / "maya.sciatica"
    assert sciatica("import", journal, source)[0] == 0

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.open_journal(journal)
    qtbot.waitUntil(lambda: not window.is_opening(), timeout=15000)
    assert window.session is not None
    before = len(window.session.app.entries())

    checkin = window.views["checkin"]
    checkin.leg_rating.set_value(4)
    qtbot.mouseClick(checkin.save_button, Qt.MouseButton.LeftButton)
    assert len(window.session.app.entries()) > before  # the rating (and an empty body map)

    for name in ("tests", "progress", "timeline", "review", "checkin"):
        window.show_view(name)
        qtbot.wait(20)
    out = tmp_path / "report.pdf"
    # Issue 17: the period dialog answers with a ReportChoice (here: every day, custom).
    window.reports.ask_period = lambda first, last: ReportChoice(Preset.CUSTOM, last, first, True)
    window.reports.ask_path = lambda suggested: out
    window.reports.open_file = lambda path: None
    assert window.reports.export_report() == out
    window.close()
    assert no_network == []
