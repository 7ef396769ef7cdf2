"""The Progress charts give their scatter items the points around the dates in view, not every
point of a long journal (``TrackedData.set_window``): panning or zooming out brings the others,
and the replay cut-off still hides what came after its moment."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from tests.projections.builder import J, day

DAYS = 1500  # much longer than the 400 days the view opens on


def _charts(qtbot: Any) -> tuple[Any, Any, date]:
    from desktop.charts.progress_charts import ProgressCharts

    j = J()
    start = day("2022-01-02")
    for k in range(DAYS):
        j.pain((start + timedelta(days=k)).isoformat(), leg=3 + k % 5)
    charts = ProgressCharts()
    qtbot.addWidget(charts)
    charts.resize(1000, 1400)
    charts.show_series(j.timeline().series(), "left")
    return charts, charts.plots["pain"].items["leg_points"], start


def _shown_x(points: Any) -> np.ndarray:
    return np.asarray(points.data["x"], dtype=float)


def _view(charts: Any) -> tuple[float, float]:
    lo, hi = charts.plots["pain"].getPlotItem().getViewBox().viewRange()[0]
    return float(lo), float(hi)


def test_a_long_journal_opens_with_the_points_around_the_last_year_only(qtbot: Any) -> None:
    from desktop.charts.plots import DAY

    charts, points, _start = _charts(qtbot)
    lo, hi = _view(charts)
    xs = _shown_x(points)
    assert 0 < len(xs) < DAYS
    assert xs.min() <= lo + DAY and xs.max() >= hi - 8 * DAY  # every day in view has its point
    assert xs.min() >= lo - (hi - lo) - DAY  # and not the older years


def test_panning_to_old_dates_and_zooming_out_bring_their_points(qtbot: Any) -> None:
    from desktop.charts.plots import DAY, day_x

    charts, points, start = _charts(qtbot)
    vb = charts.plots["pain"].getPlotItem().getViewBox()
    vb.setXRange(day_x(start + timedelta(days=100)), day_x(start + timedelta(days=200)), padding=0)
    xs = _shown_x(points)
    assert xs.min() <= day_x(start + timedelta(days=100)) and xs.max() >= day_x(start + timedelta(days=200))
    assert xs.max() < day_x(start + timedelta(days=DAYS - 1))  # the last year: not given meanwhile
    vb.setXRange(day_x(start) - 10 * DAY, day_x(start + timedelta(days=DAYS)) + 10 * DAY, padding=0)
    assert len(_shown_x(points)) == DAYS


def test_the_replay_cut_off_still_hides_the_later_points_in_the_window(qtbot: Any) -> None:
    from desktop.charts.plots import day_x

    charts, points, start = _charts(qtbot)
    moment = start + timedelta(days=DAYS - 100)
    charts.set_cutoff(moment)
    xs = _shown_x(points)
    assert len(xs) and xs.max() <= day_x(moment)
    charts.set_cutoff(None)
    assert _shown_x(points).max() == day_x(start + timedelta(days=DAYS - 1))


def test_a_plot_built_later_gets_the_window_of_the_others(qtbot: Any) -> None:
    charts, points, _start = _charts(qtbot)
    walking = charts.plots["walking"]  # built now, after the series
    assert walking.tracked.window == charts.plots["pain"].tracked.window is not None
    assert len(_shown_x(points)) < DAYS
