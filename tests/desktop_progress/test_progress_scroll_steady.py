"""The Progress view's scroll does not jump: a sign's plot built as it is scrolled near is taller
than the row that held its place (its panels), and the rows under it move down; scrolling back
up after a jump to the bottom once shifted what was in view by that much, once per plot built
(up to ~180 px). What is in view stays where it is."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from desktop.charts.sign_plot import SignPlot
from desktop.views.progress import ProgressView
from tests.desktop_progress.test_plots_built_in_view import long_timeline, shown

STEP_PX = 120  # one notch of a mouse wheel, about
SHORT_PX = 420


def _settle(qtbot: Any) -> None:
    for _ in range(4):
        QApplication.processEvents()
        qtbot.wait(5)


def _in_view(view: ProgressView) -> list[tuple[SignPlot, int]]:
    """The built plots that show in the charts' viewport, each with its top there."""
    viewport = view.charts_scroll.viewport()
    found = []
    for plot in view.charts.built_plots():
        top = plot.mapTo(viewport, QPoint(0, 0)).y()
        if top < viewport.height() and top + plot.height() > 0:
            found.append((plot, top))
    return found


def _scroll_by(qtbot: Any, view: ProgressView, step: int) -> list[tuple[str, int, int]]:
    """Scroll the charts by STEP; for each built plot in view before, where it should be (moved
    by the step) and where it is once the plots this built have taken their rows."""
    bar = view.charts_scroll.verticalScrollBar()
    viewport = view.charts_scroll.viewport()
    before = _in_view(view)
    start = bar.value()
    target = max(bar.minimum(), min(bar.maximum(), start + step))
    moved = target - start  # what the wheel asked for: all that should move
    bar.setValue(target)
    _settle(qtbot)
    return [(plot.objectName(), top - moved, plot.mapTo(viewport, QPoint(0, 0)).y()) for plot, top in before]


def _short_view(qtbot: Any) -> ProgressView:
    """The view on a short window (a laptop at 1.5x): a plot or two in view at a time."""
    view = shown(qtbot, eager=False)
    view.resize(1000, SHORT_PX)
    view.set_timeline(long_timeline())
    _settle(qtbot)
    return view


def test_scrolling_up_from_the_bottom_keeps_what_is_in_view_in_place(qtbot: Any) -> None:
    view = _short_view(qtbot)
    bar = view.charts_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # End, or the scroll bar dragged down
    _settle(qtbot)
    built_at_the_bottom = len(view.charts.built_plots())
    moves = []
    while bar.value() > 0:
        moves += _scroll_by(qtbot, view, -STEP_PX)
    assert len(view.charts.built_plots()) > built_at_the_bottom  # plots were built on the way up
    assert moves and all(expected == now for _name, expected, now in moves), [m for m in moves if m[1] != m[2]]


def test_scrolling_down_step_by_step_keeps_what_is_in_view_in_place(qtbot: Any) -> None:
    view = _short_view(qtbot)
    bar = view.charts_scroll.verticalScrollBar()
    moves = []
    while bar.value() < bar.maximum():
        moves += _scroll_by(qtbot, view, STEP_PX)
    assert moves and all(expected == now for _name, expected, now in moves), [m for m in moves if m[1] != m[2]]
