"""``SignPlot``: the frame every sign's plot shares (see ``plots`` for the signs).

A date axis in Unix seconds (UTC noon of each day, so a point sits in the middle of its day
whatever the time zone), the recovery stage as a thin coloured strip along the top, red-flag
checklists as dashed vertical lines, and fixed-width side axes so the stacked plots line up.
Items are created once in ``_setup_items``; ``show_series`` only calls ``setData``, and only
for data that changed. Points that stand for entries are hoverable and clickable:
``entry_clicked`` carries the entry id.

A sign with a second quantity in another unit (muscle grades beside heel raises, share of the
day beside pain, fingertip distance beside the straight-leg raise) draws it in a small panel of
its own under the main one (``add_panel``), x-linked to it, with the same side-axis widths: a
second y-axis on the right made both quantities hard to read. The dates are written once, under
the lowest panel.

A plot in the Progress view's stack (``defer_panels``) builds a panel when its row first comes
into view (``build_panels_between``), not with the plot: a panel is a plot of its own (axes,
title, legend, items), and the strength chart's grades sit below the fold of a usual window
when the journal opens. Its row is held at its height until then, and a panel built late is
given what the plot shows (data, dates, red-flag lines, the replay moment).
"""

from __future__ import annotations

import atexit
import uuid
import weakref
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QWidget
from shiboken6 import Shiboken

from desktop.charts.axes import (
    DAY,
    LEFT_AXIS_WIDTH,
    RIGHT_AXIS_WIDTH,
    Describe,
    _Axis,
    day_words,
    day_x,
    days_x,
)
from desktop.charts.items import SpanItem, flag_symbol
from desktop.charts.panel import (
    DATE_AXIS_PX,
    HIDDEN_DATE_AXIS_PX,
    LEGEND_MARGIN_PX,
    PANEL_AREA_PX,
    PANEL_TITLE_ROW_PX,
    Panel,
    PendingPanel,
    fit_title,
    frame_panel,
)
from desktop.charts.theme import ChartTheme, chart_theme
from desktop.charts.tracked import TrackedData
from projections.series import (
    ProgressSeries,
    RedFlagMarker,
    StageBand,
)
from projections.vocabulary import red_flag_name

# The stage strip's height (logical pixels) along the top of the plot area.
STAGE_STRIP_PX = 7
# The plot area's least height: below it the y-axis labels (up to ten of them) overlap.
MIN_PLOT_AREA_PX = 150
# The title, the date axis and the margins around them (measured at the theme's fonts).
FRAME_PX = 56
# The title row's height for one line (pyqtgraph's own), and a panel's (a smaller title).
TITLE_ROW_PX = 30
# A chart's preferred height without panels (what the stacked charts had with equal stretch).
PREFERRED_PX = 410
# Paper's plot areas against the screen's (``use_print_layout``).
PRINT_AREA_SCALE = 0.7
# The first panel's row in the main plot's layout (title, legend, plot area, date axis above).
PANEL_ROW = 4


_LIVE: weakref.WeakSet[SignPlot] = weakref.WeakSet()


def _delete_live_plots() -> None:
    """Delete every plot still alive at exit, before PySide's own clean-up (registered after
    PySide's, so run before it): PySide deleted a panel's labels first, and a label then laid
    out again touched its deleted text and crashed the interpreter."""
    for plot in list(_LIVE):
        if Shiboken.isValid(plot):
            Shiboken.delete(plot)


atexit.register(_delete_live_plots)


class SignPlot(pg.PlotWidget):  # type: ignore[misc]
    """The common frame of one sign's plot."""

    entry_clicked = Signal(object)  # uuid.UUID
    sign = ""
    title = ""
    y_range: tuple[float, float] = (0.0, 10.0)
    least_height = 0

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme | None = None, *,
                 defer_panels: bool = False) -> None:
        axis = pg.DateAxisItem(orientation="bottom", utcOffset=0)
        # No context menus (frame_panel disables them): not building them saves ~10 ms a plot.
        super().__init__(parent=parent, axisItems={"bottom": axis, "left": _Axis("left"), "right": _Axis("right")},
                         enableMenu=False)
        self.theme = theme or chart_theme()
        self.describe_entry: Callable[[uuid.UUID], str] | None = None
        self.items: dict[str, Any] = {}
        self._describers: dict[str, Describe] = {}
        self.tracked = TrackedData()
        self._stage_colors: dict[str, QColor] = {}
        self._overlay: float | None = None  # the time after it is greyed
        self.series: ProgressSeries | None = None
        self.affected_side: str | None = None
        self._panels: list[Panel] = []  # built, from the top (the main plot first)
        self._rows: list[Panel | PendingPanel] = []  # the panels under the main plot, built or not
        self._defer_panels = defer_panels
        self._building: int | None = None  # the row of the deferred panel being built
        self._x_limits: tuple[float, float, float] | None = None
        self._flag_x: list[float] = []
        _LIVE.add(self)
        self._panels_px = 0
        self._setup_frame()
        self._setup_items()

    # Frame -----------------------------------------------------------------------------------

    def _setup_frame(self) -> None:
        t = self.theme
        self.setBackground(t.background)
        plot = self.getPlotItem()
        self.main = frame_panel(plot, self.theme, self.title, self.y_range, area_px=MIN_PLOT_AREA_PX,
                                title_px=TITLE_ROW_PX, title_size="10pt")
        self._panels.append(self.main)
        self.legend = self.main.legend
        self.flag_lines = self.main.flag_lines
        self.later = self.main.later  # the part after the replay moment, greyed
        self.cutoff_line = self.main.cutoff_line
        self.stage_bands = SpanItem(z=-100, strip=STAGE_STRIP_PX)
        plot.addItem(self.stage_bands, ignoreBounds=True)
        self.flag_points = self._points("red_flags", symbol=flag_symbol(), size=13, brush=t.flag, pen=t.flag, name=None,
                                        describe=self._describe_flag)
        self.flag_points.setZValue(40)

    @property
    def panels(self) -> list[Panel]:
        """Every panel of the chart from the top, the main plot first (deferred ones built now)."""
        self.build_panels_between(None, None)
        return self._panels

    def defer_panel(self, build: Callable[[], Panel], area_px: int = PANEL_AREA_PX, *, legend: bool = True) -> None:
        """Declare a panel that BUILD makes (with ``add_panel``, and its items): built now, or
        with ``defer_panels`` when its row comes into view (``build_panels_between``)."""
        if not self._defer_panels:
            build()
            return
        slot = pg.GraphicsWidget()
        self.scene().addItem(slot)
        pending = PendingPanel(build, PANEL_ROW + len(self._rows), area_px, legend, slot)
        self._rows.append(pending)
        self._show_dates_under(len(self._rows) - 1)
        self.getPlotItem().layout.addItem(slot, pending.row, 0, 1, 3)
        self.fit_legend()

    def build_panels_between(self, top: float | None, bottom: float | None) -> None:
        """Build the deferred panels whose rows reach into TOP..BOTTOM (this widget's
        coordinates; None: every one), and give each what the plot shows now."""
        if top is not None and any(isinstance(p, PendingPanel) for p in self._rows):
            self.getPlotItem().layout.activate()  # the rows where they are for this size now
        for index, pending in enumerate(self._rows):
            if not isinstance(pending, PendingPanel):
                continue
            if top is not None and bottom is not None:
                area = pending.slot.sceneBoundingRect()  # the scene is this widget's coordinates
                if area.bottom() < top or area.top() > bottom:
                    continue
            self._building = index
            try:
                panel = pending.build()
            finally:
                self._building = None
            self._catch_up(panel)

    def _catch_up(self, panel: Panel) -> None:
        """PANEL, built after the plot was drawn: its dates, red-flag lines, replay overlay and
        data as the plot's other panels have them."""
        if self._x_limits is not None:
            lo, hi, min_range = self._x_limits
            panel.view_box.setLimits(xMin=lo, xMax=hi, minXRange=min_range)
        panel.flag_lines.set_marks(self._flag_x)
        if self._overlay is not None:
            self._grey_after(panel, self._overlay)
        if self.series is not None:
            self._render_panel(panel, self.series)
            self._update_fills()
        self.fit_legend()

    def _render_panel(self, panel: Panel, series: ProgressSeries) -> None:
        """Draw SERIES in PANEL, a panel built after the plot was drawn (the subclasses that
        defer one)."""

    def _show_dates_under(self, lowest: int) -> None:
        """The dates under the row LOWEST only; the panels above keep their grid."""
        above: list[Panel] = [self.main, *(p for p in self._rows[:lowest] if isinstance(p, Panel))]
        for panel in above:
            panel.plot.getAxis("bottom").setStyle(showValues=False)
            panel.plot.getAxis("bottom").setHeight(HIDDEN_DATE_AXIS_PX)

    def add_panel(self, title: str, y_range: tuple[float, float], area_px: int = PANEL_AREA_PX, *,
                  legend: bool = True) -> Panel:
        """A small plot under the others for a second quantity, on the same dates (x-linked,
        same side-axis widths). The dates move to its axis; the panels above keep their grid.
        Without LEGEND (one curve, named by the title) the panel has no legend row."""
        axes = {"bottom": pg.DateAxisItem(orientation="bottom", utcOffset=0), "left": pg.AxisItem("left"),
                "right": pg.AxisItem("right")}
        # A row of the main plot's own layout, under its date axis, across its three columns:
        # the main plot stays the view's central item, as pyqtgraph expects.
        main = self.getPlotItem()
        plot = pg.PlotItem(axisItems=axes, enableMenu=False)
        self.scene().addItem(plot)  # owned by the scene in C++ from here, like the main plot
        plot.layout.setContentsMargins(0, 0, 0, 0)  # inside the main plot's margin: the areas line up
        panel = frame_panel(plot, self.theme, title, y_range, area_px=area_px, title_px=PANEL_TITLE_ROW_PX,
                            title_size="9pt", has_legend=legend)
        index = self._building
        if index is None:  # a panel built with the plot: the next row
            self._rows.append(panel)
            index = len(self._rows) - 1
        else:  # a deferred one, in the row held for it
            slot = self._rows[index]
            assert isinstance(slot, PendingPanel)
            main.layout.removeItem(slot.slot)
            self.scene().removeItem(slot.slot)
            self._rows[index] = panel
            panel.reserve_px = slot.reserve_px(index == len(self._rows) - 1)
        self._panels[:] = [self.main, *(p for p in self._rows if isinstance(p, Panel))]
        self._show_dates_under(index if index == len(self._rows) - 1 else len(self._rows))
        plot.setXLink(main)
        main.layout.addItem(plot, PANEL_ROW + index, 0, 1, 3)
        return panel

    def close(self) -> bool:
        """Hidden first: pyqtgraph's close clears the scene, and clearing it while the view is
        shown crashed PySide (a shown plot closed by pytest-qt, or by its window, segfaulted)."""
        self.hide()
        return bool(super().close())

    def _setup_items(self) -> None:
        """Create this sign's items once (subclasses)."""

    def fit_legend(self) -> int:
        """As many legend columns as fit across the plot (at most 6), so the legend wraps
        instead of running past the plot's edge; then the widget's least height keeps a
        plot area of ``MIN_PLOT_AREA_PX`` below the legend (and each panel's own least area
        below its legend). Returns the main legend's column count."""
        rows = self.__dict__.get("_rows")  # pyqtgraph resizes once before __init__ ends
        if rows is None or "main" not in self.__dict__:
            return 0
        # Fitted already for this width and these panels: a resize in height (most of those a
        # window's start and a scroll send) changes none of it, and each column count tried
        # lays the legend out again.
        fitted = (self.width(), self.least_height,
                  tuple((id(p), p.area_px, p.title_px) if isinstance(p, Panel) else id(p) for p in [self.main, *rows]))
        if fitted == self.__dict__.get("_fitted"):
            return int(self.legend.columnCount)
        self._fitted = fitted
        room = self.width() - 2 * LEGEND_MARGIN_PX
        needed = FRAME_PX - TITLE_ROW_PX  # the date axis and margins; each title row comes below
        extra = 0  # the panels' rows: added to the chart's least and preferred height
        for i, panel in enumerate([self.main, *rows]):
            lowest = i == len(rows)
            if isinstance(panel, PendingPanel):  # its row held at the height it will have
                height = panel.reserve_px(lowest)
                self.getPlotItem().layout.setRowFixedHeight(panel.row, height)
                extra += height
                needed += height
                continue
            legend = panel.legend
            for columns in range(6, 0, -1):
                if legend.columnCount != columns:
                    legend.setColumnCount(columns)
                if legend.layout.preferredWidth() <= room:
                    break
            title = fit_title(panel, self.width() - LEFT_AXIS_WIDTH - RIGHT_AXIS_WIDTH - 4)
            legend_px = int(legend.layout.preferredHeight()) if panel.has_legend else 0
            height = title + panel.area_px + legend_px
            if i:
                # A panel's row is as high as it needs (at least the height held for it while
                # deferred); the main plot takes what is left.
                height += DATE_AXIS_PX if lowest else HIDDEN_DATE_AXIS_PX
                height = max(height, panel.reserve_px)
                self.getPlotItem().layout.setRowFixedHeight(PANEL_ROW + i - 1, height)
                extra += height
            needed += height
        # The main plot keeps the room of a chart without panels: the panels come on top.
        least = max(self.least_height + extra, needed)
        if self.minimumHeight() != least:
            self.setMinimumHeight(least)
        if extra != self._panels_px:
            self._panels_px = extra
            self.updateGeometry()
        return int(self.legend.columnCount)

    def sizeHint(self) -> QSize:
        """A fixed preferred height (the scene's size, pyqtgraph's hint, varies with the data),
        taller by the panels' rows: stacked charts share a scroll area in these proportions."""
        hint = super().sizeHint()
        return QSize(hint.width(), max(self.minimumHeight(), PREFERRED_PX + self.__dict__.get("_panels_px", 0)))

    def use_print_layout(self) -> None:
        """The layout for paper (the report): no main title, as the report's heading above the
        chart names the sign, and plot areas of PRINT_AREA_SCALE their screen height, so that
        two signs with their panels share a page."""
        self.getPlotItem().setTitle(None)
        self.main.title_px = 0
        for panel in self.panels:
            panel.area_px = round(panel.area_px * PRINT_AREA_SCALE)
        self.fit_legend()

    def set_least_height(self, height: int) -> None:
        """The widget's least height whatever its legend needs (the stacked charts' size)."""
        self.least_height = height
        self.fit_legend()

    def resizeEvent(self, event: QResizeEvent | None) -> None:
        super().resizeEvent(event)
        self.fit_legend()
        if self.size() != self.range.size().toSize():
            # The least height grew the widget inside this event, and no second one follows
            # for a top-level plot (the report's): fit the scene to the new size now.
            super().resizeEvent(event)

    def set_x_limits(self, lo: float, hi: float, min_range: float) -> None:
        """Limit every panel's dates to LO..HI (a panel panned by the mouse stays inside too)."""
        self._x_limits = (lo, hi, min_range)
        for panel in self._panels:
            panel.view_box.setLimits(xMin=lo, xMax=hi, minXRange=min_range)

    def set_item_caching(self, on: bool) -> None:
        """Pixmap caches of the axes (off for a scaled offscreen export: it would scale them)."""
        mode = QGraphicsItem.CacheMode.DeviceCoordinateCache if on else QGraphicsItem.CacheMode.NoCache
        for panel in self.panels:  # an export's: every panel built
            for name in ("left", "right", "bottom"):
                panel.plot.getAxis(name).setCacheMode(mode)

    def _fill(self, low: pg.PlotCurveItem, high: pg.PlotCurveItem, brush: QColor, z: float,
              panel: Panel | None = None) -> pg.FillBetweenItem:
        """A band between LOW and HIGH, rebuilt once after both are set (not once per curve)."""
        band = pg.FillBetweenItem(low, high, brush=brush)
        band.setZValue(z)
        for item in (low, high, band):
            (panel or self.main).plot.addItem(item)
        self.tracked.add_fill(band, low, high)
        return band

    def set_axis_labels(self, left: str, *, panel: Panel | None = None) -> None:
        """The left axis's label of PANEL (default: the main plot), its only y-axis: a second
        quantity gets a panel of its own (``add_panel``), not a right-hand axis."""
        style = {"color": self.theme.foreground.name(), "font-size": "9pt"}
        (panel or self.main).plot.setLabel("left", left, **style)

    # Item helpers -------------------------------------------------------------------------------

    def _curve(self, key: str, color: QColor, *, width: float = 2.0, name: str | None = None,
               style: Qt.PenStyle = Qt.PenStyle.SolidLine, step: bool = False, z: float = 10,
               panel: Panel | None = None) -> pg.PlotDataItem:
        item = pg.PlotDataItem(pen=pg.mkPen(color, width=width, style=style), name=name,
                               stepMode="left" if step else None, connect="finite")
        item.setClipToView(True)
        item.setDownsampling(auto=True, method="peak")
        item.setZValue(z)
        (panel or self.main).plot.addItem(item)
        self.items[key] = item
        return item

    def _points(self, key: str, *, symbol: Any = "o", size: float = 7, brush: Any = None, pen: Any = None,
                name: str | None = None, describe: Describe | None = None, z: float = 20,
                panel: Panel | None = None) -> pg.ScatterPlotItem:
        item = pg.ScatterPlotItem(symbol=symbol, size=size,
                                  brush=pg.mkBrush(brush) if brush is not None else pg.mkBrush(None),
                                  pen=pg.mkPen(pen) if pen is not None else pg.mkPen(None), name=name,
                                  hoverable=True, hoverSize=size + 5,
                                  hoverPen=pg.mkPen(self.theme.foreground, width=1.5),
                                  tip=self._tip(key))
        item.setZValue(z)
        (panel or self.main).plot.addItem(item)
        self.items[key] = item
        if describe is not None:
            self._describers[key] = describe
        item.sigClicked.connect(lambda _item, points, _ev=None, k=key: self.on_points_clicked(k, points))
        return item

    def _tip(self, key: str) -> Callable[..., str]:
        def tip(x: float, y: float, data: Any) -> str:
            text, entry = self.describe(key, int(data))
            return text + self._entry_line(entry)
        return tip

    def _entry_line(self, entry: uuid.UUID | None) -> str:
        if entry is None:
            return ""
        what = self.describe_entry(entry) if self.describe_entry is not None else None
        line = f"\nEntry: {what}" if what else f"\nEntry {str(entry)[:8]}"
        return line + "\nClick to show it in the Timeline"

    def describe(self, key: str, index: int) -> tuple[str, uuid.UUID | None]:
        """Hover text and entry id of point INDEX of item KEY."""
        describer = self._describers.get(key)
        if describer is None:
            return "", None
        return describer(index)

    def on_points_clicked(self, key: str, points: Sequence[Any]) -> None:
        if not len(points):
            return
        _text, entry = self.describe(key, int(points[0].data()))
        if entry is not None:
            self.entry_clicked.emit(entry)

    def _set(self, item: Any, x: np.ndarray, y: np.ndarray | Sequence[float], **extra: Any) -> None:
        """setData that remembers the full data, so the replay cut-off can slice it."""
        self.tracked.set(item, x, y, **extra)

    def _update_fills(self) -> None:
        self.tracked.update_fills()

    # Rendering ----------------------------------------------------------------------------------

    def show_series(self, series: ProgressSeries, affected_side: str | None = None,
                    stages: Sequence[StageBand] | None = None) -> None:
        """Draw SERIES. STAGES: the stage bands to draw (default: all of ``series.stages``; the
        Progress view passes the ones around the visible dates first)."""
        self.series = series
        self.affected_side = affected_side
        self.set_stages(series.stages if stages is None else stages)
        flags = series.red_flags
        fx = days_x([f.date for f in flags])
        self._flag_x = list(fx)
        for panel in self._panels:
            panel.flag_lines.set_marks(self._flag_x)
        self._flags = flags
        self._render(series)
        self._set(self.flag_points, fx, np.full(len(fx), self.flag_y()))
        self._update_fills()

    def set_stages(self, stages: Sequence[StageBand]) -> None:
        colors = self._stage_colors
        spans = []
        for b in stages:
            color = colors.get(b.stage)
            if color is None:
                color = colors[b.stage] = self.theme.stage_strip_color(b.stage)
            spans.append((day_x(b.start) - DAY / 2, day_x(b.end) + DAY / 2, color))
        self.stage_bands.set_spans(spans)

    def flag_y(self) -> float:
        return self.y_range[1]

    def _render(self, series: ProgressSeries) -> None:
        raise NotImplementedError

    def _describe_flag(self, i: int) -> tuple[str, uuid.UUID | None]:
        f: RedFlagMarker = self._flags[i]
        what = "; ".join(red_flag_name(c) for c in f.codes)
        return f"{day_words(f.date)}\nSafety check reported: {what}", f.entry_id

    def set_cutoff(self, cutoff: date | None, *, hide_later: bool = True) -> None:
        """Grey the time after the end of CUTOFF (None: nothing) and, with HIDE_LATER, hide the
        points observed after it. Without HIDE_LATER every point stays drawn under the grey:
        while the replay slider is dragged only the overlay moves, which costs no setData."""
        x = None if cutoff is None else day_x(cutoff) + DAY / 2
        for panel in self._panels:
            if x is None:
                panel.later.set_spans([])
                panel.cutoff_line.hide()
            elif x != self._overlay:
                self._grey_after(panel, x)
        self._overlay = x
        self.tracked.cut_at(x if hide_later else None)

    def _grey_after(self, panel: Panel, x: float) -> None:
        grey = self.theme.with_alpha(self.theme.background, 190)
        panel.later.set_spans([(x, x + 400 * 365 * DAY, grey)])
        panel.cutoff_line.setPos(x)
        panel.cutoff_line.show()

    def data_range(self) -> tuple[float, float] | None:
        return None if self.series is None else self.tracked.data_range()


