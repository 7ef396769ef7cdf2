"""The stacked recovery curves: one plot per sign, sharing one linked date axis, with a key
to the stage colours behind them.

The stage bands are the costly part of a long journal's series (one stage evaluation per
day): the charts ask for the days around the visible dates first (``stages_between``), more
when the view is panned or zoomed beyond them, and evaluate the rest in small steps while the
app is idle, after which every band is drawn."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.charts.plots import DAY, PLOT_CLASSES, SignPlot, day_x, x_date
from desktop.charts.theme import STAGE_COLORS, ChartTheme, chart_theme
from projections.series import ProgressSeries
from projections.vocabulary import stage_words

SIGNS: tuple[str, ...] = ("centralization", "strength", "nerve_mobility", "pain", "walking")
MARGIN_DAYS = 7
DEFAULT_SPAN_DAYS = 400
SETTLE_MS = 180  # a replay drag that pauses this long hides the later points
STAGE_FILL_DAYS = 16  # days of stage bands evaluated per idle step (~0.4 ms each on 10 years)


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


class ProgressCharts(QWidget):
    """Five sign plots stacked with linked x; ``show_series`` feeds them, ``set_cutoff`` replays."""

    entry_clicked = Signal(object)  # uuid.UUID

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme | None = None,
                 min_plot_height: int = 170) -> None:
        super().__init__(parent)
        self.theme = theme or chart_theme()
        self.plots: dict[str, SignPlot] = {}
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
        self._stage_fill = QTimer(self)
        self._stage_fill.setInterval(0)
        self._stage_fill.timeout.connect(self._on_stage_fill_timeout)
        self._setup_ui(min_plot_height)
        self.plots[SIGNS[0]].getPlotItem().getViewBox().sigXRangeChanged.connect(self._on_x_range_changed)

    def _setup_ui(self, min_plot_height: int) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.key = StageKey(self.theme, self)
        layout.addWidget(self.key)
        first: SignPlot | None = None
        for sign in SIGNS:
            plot = PLOT_CLASSES[sign](self, theme=self.theme)
            plot.setObjectName(f"plot_{sign}")
            plot.set_least_height(min_plot_height)
            plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            plot.entry_clicked.connect(self.entry_clicked)
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            self.plots[sign] = plot
            layout.addWidget(plot)  # no stretch: a chart with panels is taller by their rows (sizeHint)

    def set_describe_entry(self, describe: Callable[[uuid.UUID], str] | None) -> None:
        for plot in self.plots.values():
            plot.describe_entry = describe

    def show_series(self, series: ProgressSeries, affected_side: str | None = None) -> None:
        if series is self.series and affected_side == self._affected:
            return  # the same data (the timeline's cached series): everything is drawn already
        self.series = series
        self._affected = affected_side
        self._stages_known = None
        self._stage_fill.stop()
        window = self._stage_window(series)
        stages = series.stages if window is None else series.stages_between(*window)
        self._stages_known = window
        for plot in self.plots.values():
            plot.show_series(series, affected_side, stages)
        self._fitting = True
        try:
            self._fit_x()
        finally:
            self._fitting = False
        self._update_stages()
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
        stages = series.stages if window is None else series.stages_between(*window)
        self._stages_known = window
        for plot in self.plots.values():
            plot.set_stages(stages)
        if window is None:
            self._stage_fill.stop()

    def _on_x_range_changed(self, *_args: object) -> None:
        if not self._fitting:  # _fit_x passes through the whole journal's range on its way
            self._update_stages()

    def _on_stage_fill_timeout(self) -> None:
        """Idle work: evaluate a few more days; once all are known, draw every band."""
        series = self.series
        if series is None or self._stages_known is None:
            self._stage_fill.stop()
            return
        if series.fill_stages(STAGE_FILL_DAYS):
            self._set_stages(series, None)

    def _fit_x(self) -> None:
        ranges = [r for r in (p.data_range() for p in self.plots.values()) if r is not None]
        if self.series is not None and self.series.stage_days is not None:
            first, last = self.series.stage_days
            ranges.append((day_x(first), day_x(last)))
        if not ranges:
            return
        lo = min(r[0] for r in ranges) - MARGIN_DAYS * DAY
        hi = max(r[1] for r in ranges) + MARGIN_DAYS * DAY
        if self._range_key == (lo, hi):
            return  # keep the user's zoom when only new points arrived inside the range
        grew = self._range_key is not None
        self._range_key = (lo, hi)
        for plot in self.plots.values():
            plot.set_x_limits(lo, hi, 14 * DAY)
        first = self.plots[SIGNS[0]].getPlotItem().getViewBox()
        if grew:
            current = first.viewRange()[0]
            first.setXRange(max(lo, current[0]), hi, padding=0)
        else:
            # A long journal opens on its last year (zoom out with the wheel): recent change is
            # what a check-in is about, and it keeps every redraw small.
            first.setXRange(max(lo, hi - DEFAULT_SPAN_DAYS * DAY), hi, padding=0)

    def set_cutoff(self, cutoff: date | None, *, defer: bool = False) -> None:
        """Grey the time after CUTOFF and hide its points. With DEFER (a slider being dragged)
        only the grey overlay moves now; the points are hidden once the moves pause."""
        self.cutoff = cutoff
        if defer and cutoff is not None:
            for plot in self.plots.values():
                plot.set_cutoff(cutoff, hide_later=False)
            self._follow(cutoff)
            self._settle.start()
            return
        self._settle.stop()
        for plot in self.plots.values():
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
        for plot in self.plots.values():
            plot.set_cutoff(self.cutoff)
