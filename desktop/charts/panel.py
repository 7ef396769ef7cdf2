"""``Panel``: one plot area of a sign's chart, and the frame every panel shares.

Each panel has one y-axis, on the left; the right axis keeps a fixed width with no values, so
that the plot areas of every chart and panel line up on the shared date axis.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QGraphicsItem, QSizePolicy

from desktop.charts.axes import LEFT_AXIS_WIDTH, RIGHT_AXIS_WIDTH
from desktop.charts.items import SpanItem, VMarksItem
from desktop.charts.theme import ChartTheme

# The legend's margin either side of its row, which spans the plot's full width.
LEGEND_MARGIN_PX = 8
# A panel's title row for one line (a smaller title than the main plot's).
PANEL_TITLE_ROW_PX = 22
# A second quantity's panel: its plot area's least height (a few ticks of one unit).
PANEL_AREA_PX = 84
# The date axis under the lowest panel, and what is left of it (the grid) under the others.
DATE_AXIS_PX = 28
HIDDEN_DATE_AXIS_PX = 4


@dataclass
class Panel:
    """One plot area of a sign's chart with its own legend, red-flag lines and replay overlay."""

    plot: pg.PlotItem
    legend: pg.LegendItem
    flag_lines: VMarksItem
    later: SpanItem
    cutoff_line: pg.InfiniteLine
    area_px: int  # the plot area's least height
    title_px: int  # the title row's height for one line
    has_legend: bool = True  # a panel of one curve has none: its title names it
    reserve_px: int = 0  # a deferred panel's row: at least the height held for it (SignPlot.defer_panel)

    @property
    def view_box(self) -> pg.ViewBox:
        return self.plot.getViewBox()


def frame_panel(plot: pg.PlotItem, t: ChartTheme, title: str, y_range: tuple[float, float], *, area_px: int,
            title_px: int, title_size: str, has_legend: bool = True) -> Panel:
    """Give PLOT the frame every panel shares: axes, grid, the legend row, red-flag lines,
    the replay overlay."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.showGrid(x=True, y=True, alpha=t.grid_alpha)
    plot.showAxis("right")
    plot.setTitle(title, color=t.foreground, size=title_size, bold=True)
    font = QFont()
    font.setPointSizeF(8.5)
    for name in ("left", "right", "bottom"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(t.muted))
        ax.setTextPen(pg.mkPen(t.foreground))
        ax.setTickFont(font)
        # Drawn again only when its range changes: otherwise every repaint replays its
        # ticks, labels and grid lines (the largest part of a repaint before).
        ax.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    for name in ("left", "right", "bottom", "top"):
        # No SI prefixes: no axis holds values that need one (days, 0-10 scores, minutes,
        # degrees). With them on, every change of an axis's range re-set its label's HTML
        # (a text layout each time: ~90 of them while the Progress view is first drawn).
        plot.getAxis(name).enableAutoSIPrefix(False)
    plot.getAxis("left").setWidth(LEFT_AXIS_WIDTH)
    plot.getAxis("right").setWidth(RIGHT_AXIS_WIDTH)
    # No values on the right: one y-axis per panel (the right axis keeps its width so the
    # stacked plot areas line up).
    plot.getAxis("right").setStyle(showValues=False)
    vb = plot.getViewBox()
    vb.setMouseEnabled(x=True, y=False)
    vb.setYRange(*y_range, padding=0.04)
    vb.setLimits(yMin=y_range[0] - 1, yMax=y_range[1] * 2 + 10)
    vb.enableAutoRange(x=False, y=False)
    # The legend sits in its own row between the title and the plot (where the unused top
    # axis was), so it never covers data.
    legend = pg.LegendItem(offset=None, colCount=4, labelTextSize="8pt", horSpacing=6,
                           verSpacing=-4, frame=False, labelTextColor=t.foreground)
    legend.layout.setHorizontalSpacing(12)
    # Thin margins above and below (9 px by default): a legend row per panel adds up in print.
    legend.layout.setContentsMargins(LEGEND_MARGIN_PX, 2, LEGEND_MARGIN_PX, 2)
    # A wide legend must never widen the plot column (the stacked x axes must line up).
    legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    legend.setMinimumWidth(0)
    top = plot.getAxis("top")
    plot.layout.removeItem(top)
    top.hide()
    # The legend's row spans the side axes too: beside a narrow plot column the labels
    # would stack one per line and take the plot's height.
    plot.layout.addItem(legend, 1, 0, 1, 3)
    plot.legend = legend
    if not has_legend:
        legend.hide()
        plot.layout.setRowFixedHeight(1, 0)
    flag_lines = VMarksItem(t.flag, z=-40)
    plot.addItem(flag_lines, ignoreBounds=True)
    later = SpanItem(z=60)
    plot.addItem(later, ignoreBounds=True)
    cutoff_line = pg.InfiniteLine(angle=90, movable=False,
                                  pen=pg.mkPen(t.foreground, width=1.2, style=Qt.PenStyle.DashLine))
    cutoff_line.setZValue(61)
    cutoff_line.hide()
    plot.addItem(cutoff_line, ignoreBounds=True)
    panel = Panel(plot, legend, flag_lines, later, cutoff_line, area_px, title_px, has_legend)
    return panel


def fit_title(panel: Panel, room: float) -> int:
    """Wrap PANEL's title (over the plot column) to ROOM when it is wider: a wider title
    widens the whole plot, which is then cut at the right. Returns the title row's height."""
    plot = panel.plot
    label = plot.titleLabel
    if not label.isVisible() and not panel.title_px:
        return 0  # no title (print): pyqtgraph has set its row to 0
    label.item.setTextWidth(-1)
    if label.item.boundingRect().width() > room:
        label.item.setTextWidth(room)
    label.updateMin()
    height = max(panel.title_px, int(label.item.boundingRect().height()) + 4)
    label.setMaximumHeight(height)
    plot.layout.setRowFixedHeight(0, height)
    label.resizeEvent(None)
    return height


# A legend row of a panel (8pt labels and their margins), held for a panel not built yet; and the
# allowance for its title (one line at the panel's title size, with the label's margins).
PANEL_LEGEND_ROW_PX = 25
PANEL_TITLE_ALLOWANCE_PX = 6


@dataclass
class PendingPanel:
    """A panel declared but not built yet (``SignPlot.defer_panel``): its row is held by SLOT."""

    build: Callable[[], Panel]
    row: int
    area_px: int
    has_legend: bool
    slot: Any  # a pg.GraphicsWidget as high as the panel will be

    def reserve_px(self, lowest: bool) -> int:
        return reserved_panel_px(self.area_px, self.has_legend, lowest)


def reserved_panel_px(area_px: int, has_legend: bool, lowest: bool) -> int:
    """The height a deferred panel's row is held at (and at least given once built, so that
    nothing moves when it is): a one-line title, a legend row, its area and its date axis."""
    return (PANEL_TITLE_ROW_PX + PANEL_TITLE_ALLOWANCE_PX + area_px + (PANEL_LEGEND_ROW_PX if has_legend else 0)
            + (DATE_AXIS_PX if lowest else HIDDEN_DATE_AXIS_PX))
