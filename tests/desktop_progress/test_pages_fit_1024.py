"""Issue 16 item 7 / issue 17 item 4: at 1024×700 the Tests and Progress pages need no
sideways scrolling, clip no button, and every chart keeps a readable plot area."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.desktop.test_window_fits_and_speaks_plainly import _journey, _layout_problems, _window
from tests.desktop_progress.conftest import scroll_through_charts

MIN_PLOT_PX = 140


def _shown(qtbot, tmp_path, view: str, size=(1024, 700)):
    window = _window(qtbot, size)
    window.open_journal(_journey(tmp_path), background=False)
    window.show_view(view)
    for _ in range(3):
        QApplication.processEvents()
    if view == "progress":  # the charts below the fold are built as they are scrolled to
        scroll_through_charts(window.views["progress"])
    return window


def test_at_1024_the_tests_page_flows_its_cards_into_columns_that_fit(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "tests")
    assert _layout_problems(window)["tests"] == []
    view = window.views["tests"]
    assert view.horizontalScrollBar().maximum() == 0
    assert view.grid.count == 2  # three cards of this width do not fit beside the sidebar
    # Every card lies inside the visible width, its buttons too.
    right = view.viewport().mapToGlobal(view.viewport().rect().topRight()).x()
    for card in view.cards.values():
        assert card.mapToGlobal(card.rect().topRight()).x() <= right


def test_wide_the_tests_page_keeps_three_columns(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "tests", size=(1440, 960))
    view = window.views["tests"]
    assert view.grid.count == 3
    assert _layout_problems(window)["tests"] == []


def test_at_1024_every_progress_chart_keeps_a_readable_plot_area(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "progress")
    assert _layout_problems(window)["progress"] == []
    view = window.views["progress"]
    scroll = view.charts_scroll
    # No chart is cut at the right: the charts are exactly as wide as the scroll area shows.
    assert view.charts.width() <= scroll.viewport().width()
    for sign, plot in view.charts.plots.items():
        assert plot.mapTo(view.charts, plot.rect().topRight()).x() <= scroll.viewport().width(), sign
        area = plot.getPlotItem().getViewBox().sceneBoundingRect().height()
        legend = plot.legend.boundingRect().height()
        assert area >= MIN_PLOT_PX, (sign, area)
        assert legend <= area, (sign, legend, area)
        assert plot.legend.columnCount >= 2, sign  # a compact block, not one label per line


def test_wide_the_progress_legends_take_less_height_still(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "progress", size=(1440, 960))
    assert _layout_problems(window)["progress"] == []
    for sign, plot in window.views["progress"].charts.plots.items():
        area = plot.getPlotItem().getViewBox().sceneBoundingRect().height()
        assert area >= MIN_PLOT_PX and plot.legend.boundingRect().height() <= area / 2, sign


def test_at_1024_no_chart_title_or_legend_runs_past_the_chart(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "progress")
    for sign, plot in window.views["progress"].charts.plots.items():
        item = plot.getPlotItem()
        # A long title or legend once widened the plot beyond its widget: cut at the right.
        assert item.geometry().width() <= plot.width(), sign
        assert plot.legend.geometry().right() <= plot.width(), sign
        assert item.titleLabel.geometry().right() <= plot.width(), sign
