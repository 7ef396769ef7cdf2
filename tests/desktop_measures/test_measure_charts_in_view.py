"""The questionnaires' curves sit below the five signs in the Progress view: they are fed when
scrolled near (or first asked for), not before the view's first picture; a point's click still
reaches the Timeline."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.app import QtSession
from desktop.views.progress import ProgressView
from domain.application import JournalApp
from tests.desktop_measures.test_measure_plot import answer_psfs, answer_sbi


def _shown(qtbot: QtBot, session: QtSession, height: int) -> ProgressView:
    view = ProgressView(session)
    qtbot.addWidget(view)
    view.resize(1000, height)
    view.show()
    qtbot.wait(50)
    return view


def test_below_the_fold_they_wait_for_the_scroll(qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    answer_psfs(assigned, "2026-01-16", (2, 3, 4))
    answer_sbi(assigned, "2026-01-16", (4, 2, 0, 5))
    view = _shown(qtbot, session, 650)
    assert view._measures_pending and not view._measure_charts.plots  # nothing built yet
    bar = view.charts_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    assert not view._measures_pending
    assert view._measure_charts.shown() == ["psfs", "sbi"]
    clicked: list[object] = []
    view.entry_selected.connect(clicked.append)
    plot = view._measure_charts.plots["sbi"]
    plot.entry_clicked.emit("some-entry")
    assert clicked == ["some-entry"]


def test_first_asked_for_they_are_fed_at_once(qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    answer_sbi(assigned, "2026-01-16", (4, 2, 0, 5))
    view = _shown(qtbot, session, 650)
    assert view._measures_pending
    assert view.measure_charts.shown() == ["sbi"]


def test_in_a_tall_window_they_are_fed_with_the_rest(qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    answer_sbi(assigned, "2026-01-16", (4, 2, 0, 5))
    view = _shown(qtbot, session, 2400)
    qtbot.waitUntil(lambda: not view._measures_pending, timeout=5000)  # once laid out
    assert view._measure_charts.shown() == ["sbi"]
