"""Issue 13: the Progress view builds a sign's plot when it is scrolled near view (or first read
through ``charts.plots``), not before the view's first picture. A plot built late draws what a
plot built at once draws: curves, points, stage bands, red-flag lines, the replay cut-off (also
while the slider is dragged), the dates shown and their limits, hover text and clicks."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from desktop.charts.plots import DAY, SignPlot, day_x
from desktop.charts.progress_charts import SIGNS
from desktop.views.progress import ProgressView
from projections.timeline import Timeline
from tests.projections.builder import J, day

WIDTH, HEIGHT = 1000, 650  # the charts' viewport shows the first two signs' plots
FIRST_DAY = day("2024-03-01")
DAYS = 560  # longer than the span the view opens on: the stage bands come in windows


def long_timeline() -> Timeline:
    """Every sign, daily and weekly, with red flags now and then."""
    j = J(side="left", onset="2024-02-20", start="2024-02-28", recorded_from="2024-02-28")
    for k in range(DAYS):
        at = (FIRST_DAY + timedelta(days=k)).isoformat()
        j.extent(at, "calf" if (k // 40) % 2 else "buttock")
        j.pain(at, leg=7 if (k // 40) % 2 else 1, back=2, share=30 + k % 50)
        if k % 7 == 0:
            j.heel(at, "left", 5 + k % 20)
            j.heel(at, "right", 25)
            j.grade(at, "left", 3 + k % 3)
            j.slr(at, "left", 40 + k % 30)
            j.bend(at, 12 - k % 10)
            j.slump(at, "left", "positive" if k % 14 else "negative")
            j.walk(at, 20 + k % 9, 5 + k % 10)
            j.exercise(at, "extension", "calf", "thigh")
        if k % 97 == 5:
            j.flags(at, "saddle_numbness")
    return j.timeline()


def shown(qtbot: Any, *, eager: bool) -> ProgressView:
    view = ProgressView(None)
    qtbot.addWidget(view)
    view.resize(WIDTH, HEIGHT)
    view.show()
    qtbot.waitExposed(view)
    if eager:  # every plot built before the data arrives: the way they all were before
        assert len(list(view.charts.plots.values())) == len(SIGNS)
    return view


def feed(view: ProgressView, timeline: Timeline) -> None:
    view.set_timeline(timeline)
    # The idle filler of the stage bands runs on its own clock: stopped in both views, so
    # that both draw the bands of the same days when compared.
    view.charts._stage_fill.stop()


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def scroll_to_bottom(view: ProgressView) -> None:
    bar = view.charts_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle()
    bar.setValue(bar.maximum())  # the plots built are taller than their slots: the end moved
    settle()


def _floats(values: Any) -> list[float]:
    return [] if values is None else [float(v) for v in np.asarray(values, dtype=float)]


def drawn(plot: SignPlot) -> dict[str, Any]:
    """What a plot draws, independent of when it was built."""
    items = {}
    for key, item in sorted(plot.items.items()):
        x, y = item.getData() if isinstance(item, pg.ScatterPlotItem) else (item.xData, item.yData)
        items[key] = (_floats(x), _floats(y))
    return {
        "items": items,
        "stages": plot.stage_bands.spans(),
        "flags": [p.flag_lines.marks() for p in plot.panels],
        "later": [p.later.spans() for p in plot.panels],
        "cutoff": [(p.cutoff_line.isVisible(), float(p.cutoff_line.value())) for p in plot.panels],
        "limits": [tuple(p.view_box.state["limits"]["xLimits"]) for p in plot.panels],
        "y": [tuple(round(v, 6) for v in p.view_box.viewRange()[1]) for p in plot.panels],
    }


def x_range(plot: SignPlot) -> tuple[float, float]:
    lo, hi = plot.getPlotItem().getViewBox().viewRange()[0]
    return round(lo / DAY, 3), round(hi / DAY, 3)


def replay_date(view: ProgressView) -> None:
    view.set_replay(FIRST_DAY + timedelta(days=DAYS - 60))


def replay_recorded(view: ProgressView) -> None:
    view.set_replay(datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=DAYS - 90))


def zoom_to_older_days(view: ProgressView) -> None:
    first = view.charts.plots[SIGNS[0]].getPlotItem().getViewBox()
    first.setXRange(day_x(FIRST_DAY + timedelta(days=30)), day_x(FIRST_DAY + timedelta(days=200)), padding=0)


CASES: dict[str, Callable[[ProgressView], None]] = {
    "live": lambda view: None,
    "as of a date": replay_date,
    "as recorded by a moment": replay_recorded,
    "zoomed to older days": zoom_to_older_days,
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_plot_built_when_scrolled_to_draws_what_one_built_at_once_draws(qtbot: Any, case: str) -> None:
    timeline = long_timeline()
    late, eager = shown(qtbot, eager=False), shown(qtbot, eager=True)
    for view in (late, eager):
        feed(view, timeline)
        CASES[case](view)
        settle()
    assert list(late.charts.plots.built()) == ["centralization", "strength"]  # the rest is below
    for view in (late, eager):
        scroll_to_bottom(view)
    assert list(late.charts.plots.built()) == list(SIGNS)
    for sign in SIGNS:
        plot, reference = late.charts.plots[sign], eager.charts.plots[sign]
        assert drawn(plot) == drawn(reference), sign
        # The same dates as the first plot (the x link), as every plot shows them.
        assert x_range(plot) == x_range(late.charts.plots[SIGNS[0]]) == x_range(reference), sign


def test_a_plot_built_while_the_slider_is_dragged_hides_the_later_points_once_it_pauses(qtbot: Any) -> None:
    timeline = long_timeline()
    late, eager = shown(qtbot, eager=False), shown(qtbot, eager=True)
    for view in (late, eager):
        feed(view, timeline)
        # The pause that ends a drag, longer than building the plots takes on a busy machine.
        view.charts._settle.setInterval(60_000)
        view.set_replay(FIRST_DAY + timedelta(days=DAYS - 30))
        # A drag: the next move comes within DRAG_GAP_S of this one. On a loaded machine (load
        # 9-10 in the full suite) the first move alone took longer, and the second was then
        # no drag; the test is about what a drag does, not about the machine's speed.
        view._last_replay = time.monotonic()
        view.set_replay(FIRST_DAY + timedelta(days=DAYS - 40))  # a drag: only the grey moves now
        scroll_to_bottom(view)
        assert view.charts._settle.isActive()
    for sign in SIGNS:
        assert drawn(late.charts.plots[sign]) == drawn(eager.charts.plots[sign]), sign
    walks = late.charts.plots["walking"].items["walks"]
    assert max(walks.getData()[0]) > day_x(FIRST_DAY + timedelta(days=DAYS - 40))  # still drawn under the grey
    for view in (late, eager):
        view.charts._settle.start(1)  # the slider pauses
    qtbot.waitUntil(lambda: not late.charts._settle.isActive() and not eager.charts._settle.isActive())
    for sign in SIGNS:
        assert drawn(late.charts.plots[sign]) == drawn(eager.charts.plots[sign]), sign
    assert max(walks.getData()[0]) <= day_x(FIRST_DAY + timedelta(days=DAYS - 40)) + DAY / 2


def test_a_plot_built_late_gets_every_stage_band_once_the_idle_filler_is_done(qtbot: Any) -> None:
    timeline = long_timeline()
    view = shown(qtbot, eager=False)
    view.set_timeline(timeline)
    qtbot.waitUntil(lambda: view.charts._stages_known is None, timeout=20000)
    scroll_to_bottom(view)
    series = view.charts.series
    assert series is not None
    every = [(day_x(b.start) - DAY / 2, day_x(b.end) + DAY / 2) for b in series.stages]
    for sign in SIGNS:
        assert view.charts.plots[sign].stage_bands.spans() == every, sign


def test_the_plots_in_view_are_built_before_the_first_paint_and_the_rest_are_not(
        qtbot: Any, make_view: Callable[..., Any]) -> None:
    seen: list[list[str]] = []

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not seen:
                seen.append(list(view.charts.plots.built()))
            return False

    view = make_view(ProgressView, WIDTH, HEIGHT, shown=False)
    watch = FirstPaint()
    view.charts.installEventFilter(watch)
    view.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [["centralization", "strength"]]
    # What is built is what the viewport shows (and a margin): every row in view is a plot.
    viewport = view.charts_scroll.viewport()
    for sign in seen[0]:
        plot = view.charts.plots[sign]
        assert plot.mapTo(viewport, plot.rect().topLeft()).y() < viewport.height(), sign
    assert not view.charts.plots.is_built("walking")


def test_a_plot_built_late_describes_and_opens_its_entries(
        qtbot: Any, make_view: Callable[..., Any], fixture_session: Any) -> None:
    _session, ids = fixture_session
    view = make_view(ProgressView, WIDTH, HEIGHT, exposed=True)
    assert not view.charts.plots.is_built("walking")
    scroll_to_bottom(view)
    assert view.charts.plots.is_built("walking")
    clicked: list[object] = []
    view.entry_selected.connect(clicked.append)
    scatter = view.charts.plots["walking"].items["walks"]
    text = scatter.opts["tip"](0.0, 0.0, 2)
    assert "Entry: Walk" in text and "Click to show it in the Timeline" in text
    scatter.sigClicked.emit(scatter, [scatter.points()[2]], None)
    assert clicked == [ids["walks"][2]]


def test_a_check_in_reaches_a_plot_built_later(qtbot: Any, make_view: Callable[..., Any],
                                               fixture_session: Any) -> None:
    from tests.desktop_progress.conftest import at

    session, _ids = fixture_session
    view = make_view(ProgressView, WIDTH, HEIGHT, exposed=True)
    session.core.record_all([("WalkRecorded", {"total_minutes": 40, "minutes_to_symptoms": None,
                                               "extent_at_stop": None})], observed_at=at(19, 18))
    settle()
    scroll_to_bottom(view)
    free = view.charts.plots["walking"].items["walks_free"]
    assert _floats(free.getData()[1]) == [40.0]


JOURNEYS = sorted((Path(__file__).resolve().parents[1] / "journeys").glob("*.jsonl"))


@pytest.mark.parametrize("journey", JOURNEYS, ids=lambda p: p.stem)
def test_every_point_lies_on_the_series_days_so_the_dates_need_no_plot_built(
        qtbot: Any, tmp_path: Path, journey: Path) -> None:
    # The charts' date limits come from the series' days alone (``ProgressCharts._fit_x``): the
    # plots below the fold are not built to ask them. That holds because every point of every
    # sign is on an entry's day, which those days span (also as of a date).
    from desktop.charts.progress_charts import ProgressCharts
    from desktop.cli import main as cli_main
    from desktop.session import open_session

    path = tmp_path / "journey.sciatica"
    assert cli_main(["import", str(path), str(journey)]) == 0
    session = open_session(path, readonly=True)
    try:
        full = session.timeline.series()
        assert full.stage_days is not None
        middle = full.stage_days[0] + (full.stage_days[1] - full.stage_days[0]) / 2
        for series in (full, session.timeline.series(middle)):
            charts = ProgressCharts()
            qtbot.addWidget(charts)
            plots = list(charts.plots.values())
            charts.show_series(series, "left")
            assert series.stage_days is not None
            lo, hi = (day_x(d) for d in series.stage_days)
            for plot in plots:
                span = plot.data_range()
                assert span is None or lo <= span[0] <= span[1] <= hi, (plot.sign, series.as_of)
    finally:
        session.close()
