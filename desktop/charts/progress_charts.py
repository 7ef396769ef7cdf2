"""The stacked recovery curves: one plot per sign, sharing one linked date axis, with a key
to the stage colours behind them.

Each sign's plot is built the first time it is needed: the first (the top of the stack) with
the charts, the others when ``build_between`` reaches their row (the Progress view asks as it
is shown and scrolled) or when read through ``plots``. Building and filling a plot of a long
journal is the costly part of the view's first picture (~0.1 s each, ~2 MB of items), and at
a usual window size three of the five sit below the fold. A plot built late is given what
the charts hold (series, stage bands drawn, date limits, replay moment) and takes the first
plot's dates through the x link, so it shows what it would have shown built at once.

The stage bands are the costly part of a long journal's series (one stage evaluation per
day): the charts ask for the days around the visible dates first (``stages_between``), more
when the view is panned or zoomed beyond them, and evaluate the rest in small steps while the
app is idle, after which every band is drawn."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, QSize, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.charts.plots import DAY, PLOT_CLASSES, SignPlot, day_x, x_date
from desktop.charts.sign_plot import PREFERRED_PX
from desktop.charts.theme import STAGE_COLORS, ChartTheme, chart_theme
from desktop.widgets.lazy import Lazy
from projections.series import ProgressSeries, StageBand
from projections.vocabulary import stage_words

SIGNS: tuple[str, ...] = ("centralization", "strength", "nerve_mobility", "pain", "walking")
MARGIN_DAYS = 7
DEFAULT_SPAN_DAYS = 400
SETTLE_MS = 180  # a replay drag that pauses this long hides the later points
STAGE_FILL_DAYS = 16  # days of stage bands evaluated per idle step (~0.4 ms each on 10 years)
MIN_X_RANGE = 14 * DAY  # the narrowest zoom: two weeks
LAYOUT_LEVELS = 3  # the charts, their holder, the scroll area: each asks the next to lay out


def _around(view: tuple[float, float]) -> tuple[float, float]:
    """VIEW with its width again on each side."""
    lo, hi = view
    return lo - (hi - lo), hi + (hi - lo)


class StageKey(QLabel):
    """What the stage strip's colours and the flag mark mean (wraps on a narrow window)."""

    def __init__(self, theme: ChartTheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        parts = []
        for stage in STAGE_COLORS:
            c = theme.stage_strip_color(stage)
            parts.append(_unbroken(f"<span style='color:{c.name()}'>&#9632;</span> {stage_words(stage).title}"))
        flag = _unbroken(f"<span style='color:{theme.flag.name()}'>&#9873; &#8942;</span> "
                         "safety check reported a warning sign")
        # Items are separated by ordinary spaces: a narrow window wraps between them only.
        self.setText(_unbroken("Strip along the top: recovery stage") + " &nbsp; " + " &nbsp; ".join(parts)
                     + " &nbsp;&nbsp; " + flag)
        self.setWordWrap(True)
        self.setContentsMargins(LEFT_PAD, 2, 0, 2)


LEFT_PAD = 8


def _unbroken(html: str) -> str:
    """HTML that a wrapping label never breaks inside (not at a space, nor at the hyphen of
    "check-ins")."""
    return f"<span style='white-space:nowrap'>{html}</span>"


class _PlotSlot(QWidget):
    """Holds a plot's row until the plot is built: as high as a plot without panels (at least
    a plot's least height), painted in the charts' background (a fast scroll may show it for
    a moment)."""

    def __init__(self, theme: ChartTheme, least_height: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._background = theme.background
        self.setMinimumHeight(least_height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), PREFERRED_PX)

    def paintEvent(self, event: QPaintEvent) -> None:
        QPainter(self).fillRect(event.rect(), self._background)


class ProgressCharts(QWidget):
    """Five sign plots stacked with linked x; ``show_series`` feeds them, ``set_cutoff`` replays.
    ``plots`` gives each sign's plot, building it if it is not yet (see the module's note)."""

    entry_clicked = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme | None = None,
                 min_plot_height: int = 170) -> None:
        super().__init__(parent)
        self.theme = theme or chart_theme()
        self.plots: Lazy[SignPlot] = Lazy(SIGNS, self._build_plot)
        self.series: ProgressSeries | None = None
        self.cutoff: date | None = None
        self._range_key: tuple[float, float] | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settle_timeout)
        self._affected: str | None = None
        self._fitting = False
        self._stages_known: tuple[date, date] | None = None  # days whose bands are drawn; None: all
        self._stages: Sequence[StageBand] = ()  # the bands drawn (a plot built later draws these)
        self._points_window: tuple[float, float] | None = None  # scatter points given: see _update_points_window
        self._stage_fill = QTimer(self)
        self._stage_fill.setInterval(0)
        self._stage_fill.timeout.connect(self._on_stage_fill_timeout)
        self._describe: Callable[[uuid.UUID], str] | None = None
        self._min_plot_height = min_plot_height
        self._slots: dict[str, _PlotSlot] = {}
        self._setup_ui()
        # The first plot holds the dates every other one follows (x link, stage window).
        self.plots[SIGNS[0]].getPlotItem().getViewBox().sigXRangeChanged.connect(self._on_x_range_changed)

    def _setup_ui(self) -> None:
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.key = StageKey(self.theme, self)
        layout.addWidget(self.key)
        for sign in SIGNS:
            slot = self._slots[sign] = _PlotSlot(self.theme, self._min_plot_height, self)
            layout.addWidget(slot)  # no stretch: a chart with panels is taller by their rows (sizeHint)

    def _build_plot(self, sign: str) -> SignPlot:
        """SIGN's plot in place of its slot, showing what the charts show now."""
        plot = PLOT_CLASSES[sign](self, theme=self.theme, defer_panels=True)
        plot.setObjectName(f"plot_{sign}")
        plot.set_least_height(self._min_plot_height)
        plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        plot.entry_clicked.connect(self.entry_clicked)
        plot.describe_entry = self._describe
        slot = self._slots.pop(sign)
        self._layout.replaceWidget(slot, plot)
        slot.hide()
        slot.deleteLater()
        if self._range_key is not None:
            plot.set_x_limits(*self._range_key, MIN_X_RANGE)
        if sign != SIGNS[0]:
            plot.setXLink(self.plots[SIGNS[0]])  # takes the first plot's dates now and on every move
        if self.cutoff is not None:  # before the data: each curve is then set once, already cut
            plot.set_cutoff(self.cutoff, hide_later=not self._settle.isActive())
        if self.series is not None:
            plot.tracked.set_window(self._points_window)
            plot.show_series(self.series, self._affected, self._stages)
        plot.show()  # else a layout shows a widget it takes into a shown parent later, after a paint
        return plot

    def build_between(self, top: int, bottom: int) -> None:
        """Build the plots whose rows reach into TOP..BOTTOM (this widget's coordinates), from
        the top: a plot built is taller than its slot and moves the rows below it down; then
        the panels of the plots there whose rows reach into it (``SignPlot.defer_panel``)."""
        while True:
            # Rows not placed yet for this size (the layout waits for its turn in the event
            # loop, after the first paint): placed now, so what is in view is built before it.
            self._layout.activate()
            reached = [sign for sign, slot in self._slots.items()
                       if slot.geometry().bottom() >= top and slot.geometry().top() <= bottom]
            if not reached:
                break
            self.plots[reached[0]]  # builds it
            # Its row grows now, and the widgets around take their new sizes now (the scroll
            # area's holder too), not at the next turn of the event loop: until then the rows
            # are squeezed into the old height, and what is in view moves twice.
            for _ in range(LAYOUT_LEVELS):
                QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        for plot in self.built_plots():
            row = plot.geometry()
            if row.bottom() >= top and row.top() <= bottom:
                plot.build_panels_between(top - row.top(), bottom - row.top())

    def rows(self) -> list[QWidget]:
        """The stacked rows from the top: the stage key, then each sign's plot or its slot."""
        return [self.key, *(self.plots[s] if self.plots.is_built(s) else self._slots[s] for s in SIGNS)]

    def built_plots(self) -> list[SignPlot]:
        return list(self.plots.built().values())

    def set_describe_entry(self, describe: Callable[[uuid.UUID], str] | None) -> None:
        self._describe = describe
        for plot in self.built_plots():
            plot.describe_entry = describe

    def show_series(self, series: ProgressSeries, affected_side: str | None = None) -> None:
        if series is self.series and affected_side == self._affected:
            return  # the same data (the timeline's cached series): everything is drawn already
        self.series = series
        self._affected = affected_side
        self._stages_known = None
        self._stage_fill.stop()
        window = self._stage_window(series)
        self._stages = series.stages if window is None else series.stages_between(*window)
        self._stages_known = window
        limits = self._x_limits()
        if self._range_key is None and limits is not None:  # the dates the view is about to open on
            self._set_points_window(_around(self._opening_view(*limits)))
        for plot in self.built_plots():
            plot.show_series(series, affected_side, self._stages)
        self._fitting = True
        try:
            self._fit_x()
        finally:
            self._fitting = False
        self._update_stages()
        self._update_points_window()
        if self._stages_known is not None:
            self._stage_fill.start()

    def _stage_window(self, series: ProgressSeries) -> tuple[date, date] | None:
        """The days whose stage bands to evaluate now: those in view and a margin of half the
        view's width each side (at first, the span the view opens on; the idle filler goes on
        from there to older days); None: all of them."""
        if series.stage_days is None or "stages" in series.__dict__:
            return None
        first, last = series.stage_days
        if self._range_key is None:  # the first render: the span the view opens on
            lo, hi = last - timedelta(days=DEFAULT_SPAN_DAYS + 2 * MARGIN_DAYS), last
        else:
            x0, x1 = self.plots[SIGNS[0]].getPlotItem().getViewBox().viewRange()[0]
            lo, hi = x_date(x0), x_date(x1)
            margin = timedelta(days=(hi - lo).days // 2 + MARGIN_DAYS)
            lo, hi = lo - margin, hi + margin
        lo, hi = max(first, lo), min(last, hi)
        if lo <= first and hi >= last:
            return None
        return (lo, hi) if lo <= hi else (last, last)

    def _update_stages(self) -> None:
        """Draw more stage bands when the view shows days beyond those evaluated."""
        series, known = self.series, self._stages_known
        if series is None or known is None:
            return
        if series.stage_days is None:
            return
        first, last = series.stage_days
        x0, x1 = self.plots[SIGNS[0]].getPlotItem().getViewBox().viewRange()[0]
        if max(first, x_date(x0)) >= known[0] and min(last, x_date(x1)) <= known[1]:
            return  # every day in view (that has a stage) is drawn
        window = self._stage_window(series)
        if window is not None:
            window = (min(window[0], known[0]), max(window[1], known[1]))
        self._set_stages(series, window)

    def _set_stages(self, series: ProgressSeries, window: tuple[date, date] | None) -> None:
        self._stages = series.stages if window is None else series.stages_between(*window)
        self._stages_known = window
        for plot in self.built_plots():
            plot.set_stages(self._stages)
        if window is None:
            self._stage_fill.stop()

    def _update_points_window(self) -> None:
        """Give the scatter items their points around the dates in view (see
        ``TrackedData.set_window``) when the view has moved beyond those they have: a view's
        width more each side, so a pan within it changes nothing."""
        if self.series is None:
            return
        x0, x1 = self.plots[SIGNS[0]].getPlotItem().getViewBox().viewRange()[0]
        window = self._points_window
        if window is None or not window[0] <= x0 <= x1 <= window[1]:
            self._set_points_window(_around((x0, x1)))

    def _set_points_window(self, window: tuple[float, float]) -> None:
        self._points_window = window
        for plot in self.built_plots():
            plot.tracked.set_window(window)

    def _on_x_range_changed(self, *_args: object) -> None:
        if not self._fitting:  # _fit_x passes through the whole journal's range on its way
            self._update_stages()
            self._update_points_window()

    def _on_stage_fill_timeout(self) -> None:
        """Idle work: evaluate a few more days; once all are known, draw every band."""
        series = self.series
        if series is None or self._stages_known is None:
            self._stage_fill.stop()
            return
        if series.fill_stages(STAGE_FILL_DAYS):
            self._set_stages(series, None)

    def _x_limits(self) -> tuple[float, float] | None:
        """The dates every plot may show: the series' days (every point of every sign lies on
        one of them, so the plots not built yet need not be asked) with a margin."""
        if self.series is None or self.series.stage_days is None:
            return None
        first, last = self.series.stage_days
        return day_x(first) - MARGIN_DAYS * DAY, day_x(last) + MARGIN_DAYS * DAY

    @staticmethod
    def _opening_view(lo: float, hi: float) -> tuple[float, float]:
        # A long journal opens on its last year (zoom out with the wheel): recent change is
        # what a check-in is about, and it keeps every redraw small.
        return max(lo, hi - DEFAULT_SPAN_DAYS * DAY), hi

    def _fit_x(self) -> None:
        limits = self._x_limits()
        if limits is None:
            return
        lo, hi = limits
        if self._range_key == (lo, hi):
            return  # keep the user's zoom when only new points arrived inside the range
        grew = self._range_key is not None
        self._range_key = (lo, hi)
        for plot in self.built_plots():
            plot.set_x_limits(lo, hi, MIN_X_RANGE)
        first = self.plots[SIGNS[0]].getPlotItem().getViewBox()
        if grew:
            current = first.viewRange()[0]
            first.setXRange(max(lo, current[0]), hi, padding=0)
        else:
            first.setXRange(*self._opening_view(lo, hi), padding=0)

    def set_cutoff(self, cutoff: date | None, *, defer: bool = False) -> None:
        """Grey the time after CUTOFF and hide its points. With DEFER (a slider being dragged)
        only the grey overlay moves now; the points are hidden once the moves pause."""
        self.cutoff = cutoff
        if defer and cutoff is not None:
            for plot in self.built_plots():
                plot.set_cutoff(cutoff, hide_later=False)
            self._follow(cutoff)
            self._settle.start()
            return
        self._settle.stop()
        for plot in self.built_plots():
            plot.set_cutoff(cutoff)
        self._follow(cutoff)

    def _follow(self, cutoff: date | None) -> None:
        """Keep the replay moment in view: pan (same zoom) when it leaves the visible dates."""
        if cutoff is None:
            return
        vb = self.plots[SIGNS[0]].getPlotItem().getViewBox()
        lo, hi = vb.viewRange()[0]
        x = day_x(cutoff)
        if lo <= x <= hi:
            return
        width = hi - lo
        vb.setXRange(x - 0.85 * width, x + 0.15 * width, padding=0)

    def _on_settle_timeout(self) -> None:
        for plot in self.built_plots():
            plot.set_cutoff(self.cutoff)
