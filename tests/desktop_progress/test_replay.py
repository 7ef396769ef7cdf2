"""The replay slider shows the whole app as of a day, matching ``sciatica status --as-of``."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from desktop.cli import main as cli_main
from desktop.main_window import MainWindow
from desktop.views.history import HistoryView
from desktop.views.progress import ProgressView
from desktop.widgets.replay_slider import ReplaySlider
from desktop.widgets.status_header import STAGES
from tests.desktop_progress.conftest import EXTENTS, START


def cli_status(capsys: pytest.CaptureFixture[str], path: Any, day: date) -> dict[str, Any]:
    capsys.readouterr()
    code = cli_main(["status", str(path), "--as-of", day.isoformat(), "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    result: dict[str, Any] = json.loads(out)
    return result


@pytest.fixture
def window(qtbot: Any, fixture_session: Any) -> MainWindow:
    session, _ids = fixture_session
    w = MainWindow()
    w.persist_settings = False
    qtbot.addWidget(w)
    w.as_of = session.as_of
    w.install_session(session)
    w.resize(1400, 900)
    return w


def test_main_window_shows_progress_and_timeline_views(window: MainWindow) -> None:
    assert isinstance(window.views["progress"], ProgressView)
    assert isinstance(window.views["timeline"], HistoryView)
    assert window.replay.isVisibleTo(window)


@pytest.mark.parametrize("offset", [1, 6, 12, 19])
def test_moving_the_slider_shows_the_stage_the_cli_gives(qtbot: Any, capsys: pytest.CaptureFixture[str],
                                                          window: MainWindow, fixture_session: Any,
                                                          offset: int) -> None:
    session, _ids = fixture_session
    day = START + timedelta(days=offset)
    expected = cli_status(capsys, session.path, day)
    slider: ReplaySlider = window.replay
    slider.set_date(day)
    assert slider.moment() == day
    assert window.header.stage_label.text() == STAGES[expected["stage"]][0]
    progress = window.views["progress"]
    assert isinstance(progress, ProgressView)
    assert progress.snapshot is not None and progress.snapshot.stage.stage.value == expected["stage"]
    x, _y = progress.charts.plots["centralization"].items["extent"].getData()
    assert len(x) == offset + 1
    # Back to live: everything again.
    slider.set_live()
    x, _y = progress.charts.plots["centralization"].items["extent"].getData()
    assert len(x) == len(EXTENTS)


def test_recorded_time_mode_shows_what_was_saved_by_then(qtbot: Any, window: MainWindow,
                                                         fixture_session: Any) -> None:
    session, _ids = fixture_session
    slider: ReplaySlider = window.replay
    slider.set_recorded(slider.recorded[0])  # right after the journal was started
    assert window.header.stage_label.text() == STAGES["not_enough_data"][0]
    progress = window.views["progress"]
    assert isinstance(progress, ProgressView)
    assert progress.snapshot is not None and progress.snapshot.as_recorded_at == slider.recorded[0]
    slider.set_recorded(slider.recorded[-1])
    live = session.timeline.status_at(slider.recorded[-1].astimezone().date())
    assert progress.snapshot.stage.stage == live.stage.stage


def test_slider_moves_are_throttled(qtbot: Any, window: MainWindow) -> None:
    slider: ReplaySlider = window.replay
    slider.replay_button.setChecked(True)
    seen: list[Any] = []
    slider.moment_changed.connect(seen.append)
    for value in range(slider.slider.maximum()):  # a drag from the start to the day before today
        slider.slider.setValue(value)
    assert len(seen) <= 2  # coalesced while dragging
    qtbot.waitUntil(lambda: bool(seen) and seen[-1] == slider.moment(), timeout=2000)


def test_clicking_a_point_in_the_window_opens_the_timeline_on_it(window: MainWindow, fixture_session: Any) -> None:
    _session, ids = fixture_session
    progress = window.views["progress"]
    assert isinstance(progress, ProgressView)
    scatter = progress.charts.plots["strength"].items["heel_points_left"]
    scatter.sigClicked.emit(scatter, [scatter.points()[2]], None)
    assert window.current_view == "timeline"
    timeline = window.views["timeline"]
    assert isinstance(timeline, HistoryView)
    assert timeline.selected_entry() == ids["heel_left"][2]
