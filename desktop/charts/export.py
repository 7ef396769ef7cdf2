"""One sign's chart as an image, drawn offscreen at print resolution (for the PDF report).

    image = render_sign_chart(series, "strength", 2400, 900)

The plot is the same class the Progress view shows, laid out at a logical size of
LOGICAL_WIDTH pixels and then painted scaled up to WIDTH_PX × HEIGHT_PX, so text and lines
keep their proportions on paper. Colours are always the light theme (paper is white).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from desktop.charts.plots import PLOT_CLASSES, SignPlot
from desktop.charts.theme import ChartTheme, chart_theme
from projections.series import ProgressSeries

SIGNS = tuple(PLOT_CLASSES)
# About 0.78 pt of paper per logical pixel on a 500 pt wide report chart: the plots' 8 pt
# legends and ticks print at 8 pt or more (issue 17: legends readable at print size).
LOGICAL_WIDTH = 640


def render_sign_chart(series: ProgressSeries, sign: str, width_px: int, height_px: int, *,
                      affected_side: str | None = None, days: tuple[date, date] | None = None) -> QImage:
    """SIGN (centralization, strength, nerve_mobility, pain or walking) drawn from SERIES as a
    WIDTH_PX × HEIGHT_PX image, in the plot's print layout (``SignPlot.use_print_layout``); a
    chart whose panels need more room is as much taller (the image's height says how tall).
    AFFECTED_SIDE adds the symmetric band to the strength chart.
    DAYS (first, last) shows only that period (a report's), else every day with data.
    Needs a QApplication (offscreen is fine)."""
    if sign not in PLOT_CLASSES:
        raise ValueError(f"unknown sign {sign!r}; expected one of {', '.join(SIGNS)}")
    if width_px <= 0 or height_px <= 0:
        raise ValueError(f"the image size must be positive, got {width_px}×{height_px}")
    return render_plot(lambda theme: PLOT_CLASSES[sign](None, theme=theme),
                       lambda plot: plot.show_series(series, affected_side), width_px, height_px, days=days,
                       print_layout=True)


def render_plot(make: Callable[[ChartTheme], SignPlot], feed: Callable[[SignPlot], None], width_px: int,
                height_px: int, *, days: tuple[date, date] | None = None,
                logical_width: int = LOGICAL_WIDTH, print_layout: bool = False) -> QImage:
    """The plot MAKE builds (light theme), fed by FEED, as a WIDTH_PX × HEIGHT_PX image: the one
    offscreen painting of every chart the report prints (the signs', the measures'). The plot
    is laid out at most LOGICAL_WIDTH pixels wide (a narrower chart on paper: fewer pixels, so
    its text prints at the same size). PRINT_LAYOUT (the signs' charts under their report
    heading): ``SignPlot.use_print_layout``, and the image grows to the plot's least height; a
    measure's compact curve keeps its title and the size asked for."""
    if width_px <= 0 or height_px <= 0:
        raise ValueError(f"the image size must be positive, got {width_px}×{height_px}")
    if QApplication.instance() is None:
        raise RuntimeError("rendering a chart needs a QApplication")
    scale = max(1.0, width_px / logical_width)
    w, h = max(200, round(width_px / scale)), max(120, round(height_px / scale))
    h = round(height_px * w / width_px)  # keep the aspect ratio exactly
    plot = make(chart_theme(dark=False))
    plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    plot.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    plot.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    if print_layout:
        plot.use_print_layout()
    plot.resize(w, h)
    plot.set_item_caching(False)  # pixmap caches would be drawn scaled up, blurred
    try:
        plot.show()
        feed(plot)
        fit_x(plot, days)
        QApplication.processEvents()
        if print_layout and plot.height() > h:  # its least height (panels, a wrapped legend): never cut at the foot
            h = plot.height()
            height_px = round(h * width_px / w)
        image = QImage(width_px, height_px, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(width_px / w)
        image.fill(plot.theme.background)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        try:
            # Qt's QWidget.render paints the plot (FEED gave it its data).
            QWidget.render(plot, painter, QPoint(0, 0))
        finally:
            painter.end()
        image.setDevicePixelRatio(1.0)
        return image
    finally:
        plot.hide()
        plot.close()
        plot.deleteLater()


def fit_x(plot: object, days: tuple[date, date] | None = None) -> None:
    """Show DAYS (whole days, first to last), else the data's range with a little air."""
    from desktop.charts.plots import DAY, SignPlot, day_x

    assert isinstance(plot, SignPlot)
    vb = plot.getPlotItem().getViewBox()
    if days is not None:
        vb.setXRange(day_x(days[0]) - DAY / 2, day_x(days[1]) + DAY / 2, padding=0)
        return
    span = plot.data_range()
    if span is None:
        return
    vb.setXRange(span[0] - 3 * DAY, span[1] + 3 * DAY, padding=0)


__all__ = ["SIGNS", "render_plot", "render_sign_chart"]
