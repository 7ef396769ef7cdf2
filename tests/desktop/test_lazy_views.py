"""Opening a journal builds only the view it shows; every other view is built when first shown
(or asked for), and shows the replay moment the window is at."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from desktop.main_window import MainWindow
from domain.application import JournalApp

START = datetime(2026, 10, 1, 9, 0)


def _journal(path: Path) -> Path:
    with JournalApp.create(path, patient="Sam Rivera", affected_side="left", onset_date="2026-09-20",
                           observed_at=START) as app:
        for n in range(6):
            at = START + timedelta(days=n)
            app.rate_pain(at, leg=7 - n, back=3)
            app.record_symptoms(at, [{"region": "calf", "side": "left", "sensation": "pain", "intensity": 6 - n}])
    return path


def _opened(qtbot, tmp_path: Path) -> MainWindow:
    window = MainWindow()
    window.persist_settings = False
    qtbot.addWidget(window)
    window.resize(1300, 880)
    window.show()
    window.open_journal(_journal(tmp_path / "sam.sciatica"), background=False)
    return window


def test_opening_builds_only_the_view_shown_and_the_others_when_first_shown(qtbot, tmp_path):
    window = _opened(qtbot, tmp_path)
    assert set(window.views.built()) == {"checkin"}
    window.show_view("tests")
    assert set(window.views.built()) == {"checkin", "tests"}
    assert window.stack.currentWidget() is window.views["tests"]
    assert len(window.views) == 6 and "progress" in window.views
    timeline = window.views["timeline"]  # asked for: built, in the stack, not shown
    assert window.stack.indexOf(timeline) >= 0 and window.stack.currentWidget() is not timeline


def test_a_view_built_while_replaying_shows_the_replay_moment(qtbot, tmp_path):
    window = _opened(qtbot, tmp_path)
    day = (START + timedelta(days=2)).date()
    window.replay.set_date(day)
    assert window.replay.moment() == day
    window.show_view("progress")
    progress = window.views["progress"]
    assert progress.moment == day
    assert "as of the end of 3 Oct 2026" in progress.hint.text()


def test_closing_the_journal_removes_only_the_views_built(qtbot, tmp_path):
    window = _opened(qtbot, tmp_path)
    window.show_view("progress")
    built = window.views.built()
    window.close_journal()
    assert window.views == {}
    assert all(window.stack.indexOf(view) == -1 for view in built.values())
