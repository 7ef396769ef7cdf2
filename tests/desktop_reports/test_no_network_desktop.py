"""Issue 10: a full desktop session — open, check in, every view, replay, report — opens no socket."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desktop.actions.reports import ReportChoice
from projections.summary import Preset
from tests.desktop_reports.windows import window_on_journal


def test_a_desktop_session_never_opens_a_socket(qtbot: Any, tmp_path: Path, no_network: list[str],
                                                messages: Any) -> None:
    window = window_on_journal(qtbot, tmp_path)  # the import and the opening, under the trap too
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
