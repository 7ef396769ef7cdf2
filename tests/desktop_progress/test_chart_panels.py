"""Issue 17 item 4: one y-axis per plot area. A second quantity in another unit (muscle grades
beside heel raises, share of the day beside pain, fingertip distance beside the straight-leg
raise) has a small panel of its own under its sign's chart, on the shared date axis."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtGui import QFontMetricsF

from desktop.charts.export import render_sign_chart
from desktop.charts.panel import LEGEND_MARGIN_PX
from desktop.charts.plots import PLOT_CLASSES, day_x
from desktop.charts.theme import chart_theme
from desktop.views.progress import ProgressView
from tests.desktop_progress.conftest import START, at

GRADES = {3: 3, 10: 4, 17: 5}  # day → ankle dorsiflexion grade, left
SHARES = {2: 60, 9: 35, 16: 10}  # day → share of the day with symptoms (%)
BENDS = {4: 22.0, 11: 8.0, 18: -3.0}  # day → fingertips to floor (cm); below 0: beyond the floor


@pytest.fixture
def view(qtbot: Any, fixture_session: Any) -> ProgressView:
    session, _ids = fixture_session
    for day, grade in GRADES.items():
        session.core.record_all([("MuscleGraded", {"muscle": "ankle_dorsiflexion", "side": "left", "grade": grade}),
                                 ("GaitChecked", {"test": "heel_walk", "side": "left",
                                                  "result": "impaired" if grade < 5 else "normal"})],
                                observed_at=at(day, 11))
    for day, share in SHARES.items():
        session.core.record_all([("PainRated", {"leg": None, "back": None, "share_of_day_percent": share})],
                                observed_at=at(day, 22))
    for day, cm in BENDS.items():
        session.core.record_all([("ForwardBendTested", {"fingertip_to_floor_cm": cm})], observed_at=at(day, 12))
    v = ProgressView(session)
    qtbot.addWidget(v)
    v.resize(1300, 900)
    v.show()
    qtbot.waitExposed(v)
    return v


def _days(x: Any) -> list[int]:
    return [round((v - day_x(START)) / 86400) for v in x]


def test_muscle_grades_are_drawn_at_face_value_in_their_own_panel(view: ProgressView) -> None:
    plot = view.charts.plots["strength"]
    item = plot.items["grade_ankle_dorsiflexion_left"]
    x, y = item.getData()
    assert _days(x) == list(GRADES) and list(y) == list(GRADES.values())  # grade 3 is 3, not 18
    assert item.getViewBox() is plot.grades.view_box
    assert plot.items["heel_points_left"].getViewBox() is plot.getPlotItem().getViewBox()
    axis_ticks = plot.grades.plot.getAxis("left")._tickLevels[0]
    assert [label for _v, label in axis_ticks] == ["0", "1", "2", "3", "4", "5"]
    # The foot-drop period (grade 3 on day 3 until grade 4 on day 10) is shaded in both.
    assert plot.foot_drop.spans() == plot.grades_foot_drop.spans() != []


def test_the_gait_rows_are_named_on_the_left_axis_and_fit_its_width(view: ProgressView) -> None:
    plot = view.charts.plots["strength"]
    _x, rows = plot.items["gait"].getData()
    assert set(rows) == {plot.MARK_ROWS["heel_walk"]}
    left = plot.getPlotItem().getAxis("left")
    labels = dict(left._tickLevels[0])
    assert labels[plot.MARK_ROWS["heel_walk"]] == "heel walk" and labels[plot.MARK_ROWS["toe_walk"]] == "toe walk"
    # Clipped before: on a 78 px right axis beside its title. Now the widest label, the tick,
    # its offset and the axis title all fit the left axis (pyqtgraph's own width rule).
    widest = max(QFontMetricsF(left.style["tickFont"]).horizontalAdvance(t) for t in labels.values())
    needed = (widest + left.style["tickTextOffset"][0] + max(0, left.style["tickLength"])
              + left.label.boundingRect().height() * 0.8)
    assert needed <= left.width()


def test_share_of_the_day_has_its_own_panel_in_percent(view: ProgressView) -> None:
    plot = view.charts.plots["pain"]
    x, y = plot.items["share"].getData()
    assert _days(x) == list(SHARES) and list(y) == [float(v) for v in SHARES.values()]  # %, not % ÷ 10
    assert plot.items["share"].getViewBox() is plot.share.view_box
    _lx, leg = plot.items["leg_mean"].getData()
    assert max(leg) <= 10  # the pain plot holds only 0–10 ratings
    text, _entry = plot.describe("share_points", 1)
    assert "Symptoms 35 % of the day" in text


def test_fingertip_distance_has_its_own_panel_that_follows_the_data(view: ProgressView) -> None:
    plot = view.charts.plots["nerve_mobility"]
    x, y = plot.items["fingertip_points"].getData()
    assert _days(x) == list(BENDS) and list(y) == list(BENDS.values())
    assert plot.items["fingertip"].getViewBox() is plot.bend.view_box
    low, high = plot.bend.view_box.viewRange()[1]
    assert low < min(BENDS.values()) and high > max(BENDS.values())
    _sx, slr = plot.items["slr_points_left"].getData()
    assert len(slr) == 0  # no straight-leg raise recorded: the degrees plot stays empty


def test_every_plot_area_has_one_y_axis_and_the_dates_once_under_the_lowest(view: ProgressView) -> None:
    for sign, plot in view.charts.plots.items():
        for panel in plot.panels:
            right = panel.plot.getAxis("right")
            assert right.style["showValues"] is False and not right.label.isVisible(), sign
        shown = [p.plot.getAxis("bottom").style["showValues"] for p in plot.panels]
        assert shown == [False] * (len(shown) - 1) + [True], sign
    assert {s: len(p.panels) for s, p in view.charts.plots.items()} == {
        "centralization": 1, "strength": 2, "nerve_mobility": 2, "pain": 2, "walking": 1}


def test_every_plot_area_lines_up_on_the_shared_date_axis(qtbot: Any, view: ProgressView) -> None:
    boxes = [panel.view_box for plot in view.charts.plots.values() for panel in plot.panels]
    assert len(boxes) == 8
    lefts = {round(vb.mapToScene(vb.boundingRect().topLeft()).x()) for vb in boxes}
    widths = {round(vb.boundingRect().width()) for vb in boxes}
    assert len(lefts) == 1 and len(widths) == 1
    first = view.charts.plots["centralization"].getPlotItem().getViewBox()
    first.setXRange(day_x(START + timedelta(days=5)), day_x(START + timedelta(days=12)), padding=0)
    ranges = {tuple(round(v) for v in vb.viewRange()[0]) for vb in boxes}
    assert len(ranges) == 1  # a zoom or pan moves every panel


def test_replay_greys_and_cuts_the_panels_too(view: ProgressView) -> None:
    view.set_replay(START + timedelta(days=9))
    plot = view.charts.plots["pain"]
    x, _y = plot.items["share"].getData()
    assert _days(x) == [2, 9]
    assert plot.share.later.spans() and plot.share.cutoff_line.isVisible()
    view.set_replay(None)
    assert not plot.share.later.spans()
    assert len(plot.items["share"].getData()[0]) == len(SHARES)


@pytest.mark.parametrize("width", [640, 1000, 1400])
def test_panel_legends_fit_and_panels_keep_their_room(qtbot: Any, width: int) -> None:
    for cls in PLOT_CLASSES.values():
        plot = cls(None, theme=chart_theme(dark=False))
        qtbot.addWidget(plot)
        plot.resize(width, 320)  # asked smaller than it needs: the least height wins
        plot.show()
        qtbot.waitExposed(plot)
        for panel in plot.panels:
            if panel.has_legend:
                assert panel.legend.layout.preferredWidth() <= width - 2 * LEGEND_MARGIN_PX \
                    or panel.legend.columnCount == 1, cls.__name__
            assert panel.view_box.sceneBoundingRect().height() >= panel.area_px - 1, cls.__name__


def test_the_report_chart_holds_its_panels_uncut(qapp: Any, view: ProgressView, fixture_session: Any) -> None:
    session, _ids = fixture_session
    image = render_sign_chart(session.timeline.series(), "strength", 1800, 810, affected_side="left")
    assert image.width() == 1800 and image.height() > 810  # taller by the grades panel
    # The bottom rows are the date axis on white, not a plot area cut off at the foot.
    background = image.pixel(image.width() // 2, image.height() - 2)
    assert background == image.pixel(5, image.height() - 2)
