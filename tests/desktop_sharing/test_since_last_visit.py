"""Since last visit: the review mode's first page, words first, one sparkline per sign."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.views.summary import SummaryView
from domain.application import JournalApp
from projections.summary import Preset
from projections.summary_text import summary_lines
from tests.desktop_sharing.conftest import THERAPIST, make_journal, open_and_wait


def _reviewed_journal(tmp_path: Path) -> Path:
    """Six days of entries (5–10 Oct), a therapist's note on day 2, and a red flag after it."""
    path = make_journal(tmp_path / "maya.sciatica", days=6)
    with JournalApp.open(path) as app:
        app.annotate(THERAPIST, "Keep the walks short and frequent.", observed_at=datetime(2026, 10, 6, 17, 0))
        app.check_red_flags(datetime(2026, 10, 10, 9, 0), ["saddle_numbness"])
    return path


def _open_on_summary(qtbot: Any, tmp_path: Path, window_factory: Any) -> tuple[Any, SummaryView]:
    """The reviewed journal opened for THERAPIST in a window that starts on "Since last visit"."""
    window = window_factory()
    window.as_of = date(2026, 10, 12)
    window.current_view = "summary"
    open_and_wait(qtbot, window, _reviewed_journal(tmp_path), therapist=THERAPIST)
    view = window.views["summary"]
    assert isinstance(view, SummaryView)
    return window, view


def test_review_mode_opens_on_what_changed_since_the_last_note(qtbot: Any, tmp_path: Path, boxes: Any,
                                                                window_factory: Any) -> None:
    window, view = _open_on_summary(qtbot, tmp_path, window_factory)
    assert window.stack.currentWidget() is view
    assert view.summary is not None and view.summary.period.since == date(2026, 10, 6)
    text = view.text()
    # Words first: the red flag active now leads, then the period from the therapist's note.
    assert text.splitlines()[0].startswith("Seek emergency care now")
    assert "numbness" in text.splitlines()[0]
    assert f"Since the last review note ({THERAPIST}, 6 Oct)" in text
    assert "Stage:" in text
    assert "Keep the walks short and frequent." in text
    assert "saddle_numbness" not in text and "_" not in text
    # The same sentences as `sciatica summary` (one source of words).
    for line in summary_lines(view.summary):
        if line.strip().startswith("- "):
            assert line.strip()[2:].rstrip(".").lower() in text.lower()
    # One sparkline per sign, fed the sign's values in the period.
    assert len(view.sign_rows) == 5
    pain = view.sign_rows["pain"].sparkline
    assert [d for d, _v in pain.points] == [date(2026, 10, 7) + timedelta(days=n) for n in range(4)]
    assert pain.end_color() is not None  # leg pain fell from 5 to 2: a coloured end
    assert boxes.calls == []


def test_the_period_can_be_changed_and_a_saved_note_redraws_the_page(qtbot: Any, tmp_path: Path, boxes: Any,
                                                                      window_factory: Any) -> None:
    window, view = _open_on_summary(qtbot, tmp_path, window_factory)
    view.period_box.setCurrentIndex(1)
    assert view.preset() is Preset.LAST_4_WEEKS
    assert view.summary is not None and view.summary.period.since == date(2026, 9, 14)
    assert "The last 4 weeks" in view.text()
    assert window.session is not None
    window.session.core.add_review_note("Slump test next time.")
    assert "Slump test next time." in view.text()


def test_the_page_fits_one_screen_at_1440_by_960(qtbot: Any, tmp_path: Path, boxes: Any,
                                                 window_factory: Any) -> None:
    window = window_factory()
    window.resize(1440, 960)
    window.as_of = date(2026, 10, 12)
    window.current_view = "summary"
    open_and_wait(qtbot, window, _reviewed_journal(tmp_path), therapist=THERAPIST)
    view = window.views["summary"]
    assert isinstance(view, SummaryView)
    qtbot.waitUntil(lambda: view.widget().height() > 0)
    assert not view.verticalScrollBar().isVisible()
