"""The outcome measures' curves (PSFS, SBI, PEG): one plot per measure that has answers.

Each plot reuses the sign plots' frame (``SignPlot``: date axis, legend row, hover and click,
the replay cut-off) with the measure's own scale: the score over time, and a shaded band
around the baseline (the earliest answer of the 42 days before the latest) as wide as the
measure's meaningful change either side: a latest score outside the band is a change that
matters (``projections.measures`` decides the trend; the band only shows its size). The PSFS
also draws each activity, named in the legend and the tooltip. ``MeasureCharts`` stacks the
plots under the Progress view's signs, its x axis linked to theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.charts.axes import day_words, days_x, num
from desktop.charts.sign_plot import SignPlot
from desktop.charts.theme import BLUE, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, ChartTheme, chart_theme
from desktop.session.measures import Measure, MeasureScore, MeasureState, score_range, titles
from desktop.style import set_role
from projections.measure_words import MEASURE_SCORES, mic_words
from projections.series import ProgressSeries
from projections.vocabulary import trend_words

# The activities' colours and markers (no meaning rests on hue alone: each has its marker).
ACTIVITY_STYLES: tuple[tuple[str, str], ...] = (
    (BLUE, "s"), (BLUISH_GREEN, "d"), (ORANGE, "t"), (REDDISH_PURPLE, "x"), (SKY_BLUE, "+"))


COMPACT_LEFT_PX, COMPACT_RIGHT_PX, COMPACT_TOP_PX = 30, 8, 8


class MeasurePlot(SignPlot):
    """One measure's score over time (``show_measure``); not fed by the signs' series."""

    measure = ""

    def _setup_items(self) -> None:
        t = self.theme
        self.legend.setColumnCount(3)
        self.set_axis_labels("score")
        # Whole ticks from 0 to the top of the scale, both ends labelled (0–10 by 2, 0–24 by 6).
        top = round(self.y_range[1])
        step = 2 if top <= 10 else 6
        self.getPlotItem().getAxis("left").setTicks([[(v, str(v)) for v in range(0, top + 1, step)], []])
        edge = pg.mkPen(t.with_alpha(t.good, 160), width=1.0, style=Qt.PenStyle.DashLine)
        self.items["band_low"], self.items["band_high"] = pg.PlotCurveItem(pen=edge), pg.PlotCurveItem(pen=edge)
        self._fill(self.items["band_low"], self.items["band_high"], t.with_alpha(t.good, 50), z=1)
        # The band's legend entry: a sample, relabelled with the baseline it is drawn around.
        self._band_sample = pg.PlotDataItem(pen=edge, fillLevel=0, brush=t.with_alpha(t.good, 50))
        self._band_label = "no baseline yet"
        self.legend.addItem(self._band_sample, self._band_label)
        self._curve("score", t.leg, width=2.4, name=MEASURE_SCORES[self.measure].split(",")[0], z=12)
        self._points("score_points", size=8, brush=t.leg, pen=t.background, describe=self._describe_score, z=22)
        self._activities: dict[str, tuple[pg.PlotDataItem, pg.ScatterPlotItem]] = {}
        self.state: MeasureState | None = None
        self._history: Sequence[MeasureScore] = ()
        self._activity_points: dict[str, list[tuple[MeasureScore, float]]] = {}
        self._items_ready = True

    def compact(self) -> None:
        """For print, beside the other measures: no title (the report captions each chart),
        no legend row (its table names the activities), narrow axes."""
        plot = self.getPlotItem()
        self._compact = True
        self.setMinimumHeight(0)
        self.setTitle("")
        plot.layout.removeItem(self.legend)
        self.legend.hide()
        plot.layout.setRowFixedHeight(0, COMPACT_TOP_PX)  # room for the top tick's label
        plot.layout.setRowFixedHeight(1, 0)  # the legend's row
        plot.getViewBox().setYRange(*self.y_range, padding=0.1)  # both end ticks' labels fit
        plot.titleLabel.setMaximumHeight(0)
        plot.getAxis("left").setWidth(COMPACT_LEFT_PX)
        plot.getAxis("right").setWidth(COMPACT_RIGHT_PX)
        plot.setLabel("left", "")

    def fit_legend(self) -> int:
        """Compact (print): the image's size is the plot's, whatever a legend would need."""
        if self.__dict__.get("_compact"):
            return 0
        columns = super().fit_legend()
        # Wrapping the title lowers the plot item's least width after the view has placed it
        # (at the unwrapped width, past the widget's edge): place it again in the widget.
        if self.__dict__.get("_items_ready") and self.getPlotItem().geometry().width() > self.width() + 1:
            pg.GraphicsView.setRange(self, QRectF(0, 0, self.width(), self.height()), padding=0)
        return columns

    def _render(self, series: ProgressSeries) -> None:
        """The signs' series holds no measure: a measure plot is fed by ``show_measure``."""

    def show_measure(self, state: MeasureState) -> None:
        self.state = state
        history = self._history = state.history
        x = days_x([s.day for s in history])
        y = [float(s.score) for s in history]
        self._set(self.items["score"], x, y)
        self._set(self.items["score_points"], x, y)
        low, high = self.items["band_low"], self.items["band_high"]
        if state.baseline is not None and state.latest is not None and state.mic is not None:
            base, mic = float(state.baseline.score), float(state.mic)
            lo_y, hi_y = self.y_range
            span = days_x([state.baseline.day, state.latest.day])
            self._set(low, span, [max(lo_y, base - mic)] * 2)
            self._set(high, span, [min(hi_y, base + mic)] * 2)
            self._band_label = f"baseline {num(base)}: {mic_words(mic)}"
        else:
            self._set(low, np.array([]), [])
            self._set(high, np.array([]), [])
            self._band_label = "baseline: needs an earlier answer in the 6 weeks before"
        self._show_activities(history)
        self._update_fills()
        self._relabel_legend()
        self.fit_legend()  # its labels changed: as many columns as fit, never wider than the plot

    def _show_activities(self, history: Sequence[MeasureScore]) -> None:
        """PSFS: each activity's own curve, named in the legend (a later assignment may name others)."""
        if self.measure != Measure.PSFS:
            return
        points: dict[str, list[tuple[MeasureScore, float]]] = {}
        for s in history:
            for item, value in s.answers:
                points.setdefault(item, []).append((s, float(value)))
        self._activity_points = points
        for name in [n for n in self._activities if n not in points]:
            curve, dots = self._activities.pop(name)
            self.getPlotItem().removeItem(curve)
            self.getPlotItem().removeItem(dots)
        for name, values in points.items():
            if name not in self._activities:
                color, symbol = ACTIVITY_STYLES[len(self._activities) % len(ACTIVITY_STYLES)]
                curve = self._curve(f"activity:{name}", QColor(color), width=1.2, style=Qt.PenStyle.DashLine,
                                    name=name, z=8)
                dots = self._points(f"activity_points:{name}", symbol=symbol, size=7, brush=QColor(color),
                                    pen=QColor(color), describe=self._activity_describer(name), z=18)
                self._activities[name] = (curve, dots)
            curve, dots = self._activities[name]
            ax = days_x([s.day for s, _ in values])
            ay = [v for _, v in values]
            self._set(curve, ax, ay)
            self._set(dots, ax, ay)

    def _relabel_legend(self) -> None:
        """The band's legend label names the baseline it is drawn around (it changes with it)."""
        for sample, label in self.legend.items:
            if sample.item is self._band_sample and label.text != self._band_label:
                label.setText(self._band_label, color=self.theme.foreground)

    def data_range(self) -> tuple[float, float] | None:
        """The days with answers (the sign plots' version needs their series)."""
        if not self._history:
            return None
        xs = days_x([s.day for s in self._history])
        return float(xs[0]), float(xs[-1])

    # Hover text ----------------------------------------------------------------------------

    def _describe_score(self, i: int) -> tuple[str, uuid.UUID | None]:
        s = self._history[i]
        text = f"{day_words(s.day)}\n{titles()[self.measure]}: {num(float(s.score))}"
        text += "".join(f"\n  {_item_words(item)}: {num(value)}" for item, value in s.answers)
        state = self.state
        if state is not None and state.latest is not None and s.entry_id == state.latest.entry_id:
            text += f"\nTrend: {trend_words(state.trend.value)}"
        return text, s.entry_id if isinstance(s.entry_id, uuid.UUID) else None

    def _activity_describer(self, name: str) -> Callable[[int], tuple[str, uuid.UUID | None]]:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            s, value = self._activity_points[name][i]
            entry = s.entry_id if isinstance(s.entry_id, uuid.UUID) else None
            return f"{day_words(s.day)}\n{name}: {num(value)} / 10", entry
        return describe


def _item_words(item: str) -> str:
    """An SBI or PEG item code as words ("leg pain"); a PSFS activity is already words."""
    return item.replace("_", " ")


def _plot_class(code: Measure) -> type[MeasurePlot]:
    title = f"{titles()[code.value]}: {MEASURE_SCORES[code.value]}"
    return type(f"{code.name.title()}Plot", (MeasurePlot,),
                {"measure": code.value, "sign": f"measure_{code.value}", "title": title,
                 "y_range": score_range(code.value)})


# One class per measure: the frame reads the title and the scale while it is built.
MEASURE_PLOTS: dict[str, type[MeasurePlot]] = {code.value: _plot_class(code) for code in Measure}


class MeasureCharts(QWidget):
    """A heading and one plot per measure that has answers; hidden while none has. A plot is
    built the first time its measure has answers (most journals answer one or two of them)."""

    entry_clicked = Signal(object)  # uuid.UUID of a clicked answer, from any of the plots

    def __init__(self, parent: QWidget | None = None, theme: ChartTheme | None = None,
                 min_plot_height: int = 200) -> None:
        super().__init__(parent)
        self.theme = theme or chart_theme()
        self._min_plot_height = min_plot_height
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 8, 0, 0)
        self._layout.setSpacing(4)
        self.heading = set_role(QLabel("Questionnaires your therapist asked for", self), "title")
        self.heading.setContentsMargins(8, 0, 0, 0)
        self._layout.addWidget(self.heading)
        self.plots: dict[str, MeasurePlot] = {}
        # What each plot gets when it is built later: the linked dates, the entry words, the cutoff.
        self._x_link: pg.PlotWidget | None = None
        self._describe: Callable[[uuid.UUID], str] | None = None
        self._cutoff: tuple[date | None, bool] = (None, True)
        self.hide()

    def _plot(self, code: str) -> MeasurePlot:
        plot = self.plots.get(code)
        if plot is None:
            plot = MEASURE_PLOTS[code](self, theme=self.theme)
            plot.setObjectName(f"plot_measure_{code}")
            plot.set_least_height(self._min_plot_height)
            plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            plot.describe_entry = self._describe
            plot.entry_clicked.connect(self.entry_clicked)
            if self._x_link is not None:
                plot.setXLink(self._x_link)
            self.plots[code] = plot
            # In the measures' own order, under the heading.
            self.plots = {c: self.plots[c] for c in MEASURE_PLOTS if c in self.plots}
            self._layout.insertWidget(1 + list(self.plots).index(code), plot, 1)
        return plot

    def link_x(self, plot: pg.PlotWidget) -> None:
        """Share PLOT's dates (the signs' first plot): one time axis for the whole view."""
        self._x_link = plot
        for own in self.plots.values():
            own.setXLink(plot)

    def set_describe_entry(self, describe: Callable[[uuid.UUID], str] | None) -> None:
        self._describe = describe
        for plot in self.plots.values():
            plot.describe_entry = describe

    def show_measures(self, states: Sequence[MeasureState]) -> None:
        shown = False
        for state in states:
            if not state.history and state.measure not in self.plots:
                continue  # nothing to draw, and no plot yet to clear
            plot = self._plot(state.measure)
            plot.show_measure(state)
            cutoff, hide_later = self._cutoff
            plot.set_cutoff(cutoff, hide_later=hide_later)
            plot.setVisible(bool(state.history))
            shown = shown or bool(state.history)
        self.setVisible(shown)

    def shown(self) -> list[str]:
        return [code for code, plot in self.plots.items() if not plot.isHidden()]

    def set_cutoff(self, cutoff: date | None, *, hide_later: bool = True) -> None:
        self._cutoff = (cutoff, hide_later)
        for plot in self.plots.values():
            plot.set_cutoff(cutoff, hide_later=hide_later)


def render_measure_chart(state: MeasureState, width_px: int, height_px: int, *,
                         days: tuple[date, date] | None = None, logical_width: int | None = None) -> QImage:
    """STATE's curve as an image for the report (light theme, compact; DAYS shown, else its
    answers). LOGICAL_WIDTH: the layout width in pixels (a narrow chart, narrower layout)."""
    from desktop.charts.export import LOGICAL_WIDTH, render_plot

    def make(theme: ChartTheme) -> SignPlot:
        plot = MEASURE_PLOTS[state.measure](None, theme=theme)
        plot.compact()
        return plot

    def feed(plot: SignPlot) -> None:
        assert isinstance(plot, MeasurePlot)
        plot.show_measure(state)

    return render_plot(make, feed, width_px, height_px, days=days, logical_width=logical_width or LOGICAL_WIDTH)
