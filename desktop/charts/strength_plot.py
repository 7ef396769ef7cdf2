"""The strength chart: heel raises per side (with the norm, the symmetric band, milestones and
foot-drop periods) and heel/toe walk results in rows below zero; the MRC muscle grades in a
small panel of their own underneath, on the same dates.

The grades had the heel raises' plot and a right-hand axis of their own (drawn at grade × 6):
two scales on one plot area, and the right axis' row labels did not fit its width. Now every
plot area has one y-axis, on the left, and the gait rows are named there too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.charts.axes import DAY, Describe, day_words, day_x, days_x, num
from desktop.charts.items import SpanItem
from desktop.charts.panel import Panel
from desktop.charts.sign_plot import SignPlot
from desktop.charts.theme import side_color
from projections.series import GradePoint, Mark, ProgressSeries, TestPoint
from projections.strength import NORMAL_HEEL_RAISES, SYMMETRIC_PERCENT, Milestone
from projections.vocabulary import milestone_words, side_label, test_name

MUSCLES = (("ankle_dorsiflexion", "d", "dorsiflexion"), ("great_toe_extension", "p", "great toe"))
GAIT_RESULTS = {"normal": "o", "impaired": "t", "unable": "x"}  # result → symbol
GRADES_AREA_PX = 104  # six grade rows, each a label high


class StrengthPlot(SignPlot):
    """Heel raises per side, heel/toe walk rows below zero, and the MRC grades panel."""

    sign = "strength"
    title = "Strength: single-leg heel raises, heel and toe walking"
    grades_title = "Muscle grades (MRC 0–5): ankle dorsiflexion and great-toe extension"
    y_range = (-13.5, 36.0)
    MARK_ROWS = {"heel_walk": -6.0, "toe_walk": -11.0}  # a label apart from 0 and each other in print
    MILESTONE_Y = 33.0

    def _setup_items(self) -> None:
        t = self.theme
        self.legend.setColumnCount(5)
        self.set_axis_labels("heel raises (reps)")
        # Counts and the gait rows on the one left axis: the rows were named on a right axis
        # too narrow for "heel walk" at print size.
        self.getPlotItem().getAxis("left").setTicks(
            [[(v, str(v)) for v in range(0, 40, 10)]
             + [(y, test_name(name)) for name, y in self.MARK_ROWS.items()], []])
        self.getPlotItem().getViewBox().setLimits(yMin=-15, yMax=60)
        self.foot_drop = SpanItem(z=-90)
        self.getPlotItem().addItem(self.foot_drop, ignoreBounds=True)
        foot_drop_pen = pg.mkPen(t.with_alpha(t.warn, 120))
        self._foot_drop_sample = pg.PlotDataItem(pen=foot_drop_pen, fillLevel=0, brush=t.with_alpha(t.warn, 40))
        self.legend.addItem(self._foot_drop_sample, "foot drop")
        # The norm is named in the legend, not by a label on the line: points near 25 drew
        # over a label (and a label at the plot's edge was clipped in print).
        normal_pen = pg.mkPen(t.good, width=1.5, style=Qt.PenStyle.DashLine)
        self.normal_line = pg.InfiniteLine(pos=NORMAL_HEEL_RAISES, angle=0, movable=False, pen=normal_pen)
        self.getPlotItem().addItem(self.normal_line, ignoreBounds=True)
        self._normal_sample = pg.PlotDataItem(pen=normal_pen)
        self.legend.addItem(self._normal_sample, f"normal ≥ {NORMAL_HEEL_RAISES}")
        band_pen = pg.mkPen(t.with_alpha(t.good, 90), width=1)
        self.band_low = pg.PlotCurveItem(pen=band_pen)
        self.band_high = pg.PlotCurveItem(pen=band_pen)
        self.band = self._fill(self.band_low, self.band_high, t.with_alpha(t.good, 45), z=-20)
        # A legend sample must not be the FillBetweenItem itself (pyqtgraph cannot draw it).
        self._band_sample = pg.PlotDataItem(pen=band_pen, fillLevel=0, brush=t.with_alpha(t.good, 45))
        self.legend.addItem(self._band_sample, f"symmetric (≥ {SYMMETRIC_PERCENT:g} %)")
        self.items["symmetric_low"] = self.band_low
        self.items["symmetric_high"] = self.band_high
        self._heel: dict[str, Sequence[TestPoint]] = {}
        for side in ("left", "right"):
            color = side_color(t, side)
            self._curve(f"heel_{side}", color, width=2.0, name=None)
            self._points(f"heel_points_{side}", symbol="o" if side == "left" else "s", size=7, brush=color,
                         pen=t.background, name=f"heel raises {side_label(side)}",
                         describe=self._heel_describer(side))
        self._gait: list[Mark] = []
        self._points("gait", size=9, describe=self._describe_gait)
        # Legend samples only (the marks themselves are one item with per-point symbols).
        self._samples = []
        for label, symbol, color in (("heel/toe walk normal", "o", t.good), ("impaired", "t", QColor(t.median)),
                                     ("unable", "x", t.warn)):
            sample = pg.ScatterPlotItem(symbol=symbol, size=9, pen=pg.mkPen(color, width=1.6), brush=pg.mkBrush(color))
            self._samples.append(sample)
            self.legend.addItem(sample, label)
        self._milestones: tuple[Milestone, ...] = ()
        self._points("milestones", symbol="star", size=13, brush=t.median, pen=t.foreground,
                     name="milestone", describe=self._describe_milestone, z=30)
        self._grades: dict[str, list[GradePoint]] = {}
        self._grades_panel: Panel | None = None
        self.grades_foot_drop = SpanItem(z=-90)
        self.defer_panel(self._setup_grades, GRADES_AREA_PX)

    @property
    def grades(self) -> Panel:
        """The MRC grades' panel (built now if it is deferred)."""
        if self._grades_panel is None:
            self.build_panels_between(None, None)
        assert self._grades_panel is not None
        return self._grades_panel

    def _setup_grades(self) -> Panel:
        """The MRC grades' own panel: grades at face value on a 0–5 axis."""
        t = self.theme
        grades = self._grades_panel = self.add_panel(self.grades_title, (-0.3, 5.3), area_px=GRADES_AREA_PX)
        self.set_axis_labels("grade", panel=grades)
        grades.plot.getAxis("left").setTicks([[(g, str(g)) for g in range(6)], []])
        grades.view_box.setLimits(yMin=-1, yMax=6)
        # The foot-drop periods shaded here too (named in the legend just above): a grade of 3
        # or less is what starts one.
        grades.plot.addItem(self.grades_foot_drop, ignoreBounds=True)
        for side in ("left", "right"):
            color = side_color(t, side)
            for muscle, symbol, words in MUSCLES:
                key = f"grade_{muscle}_{side}"
                self._curve(key + "_line", t.with_alpha(color, 150), width=1.2, style=Qt.PenStyle.DotLine,
                            panel=grades)
                self._points(key, symbol=symbol, size=9, brush=None, pen=pg.mkPen(color, width=1.6),
                             name=f"{words} {side_label(side)}", describe=self._grade_describer(key),
                             panel=grades)
        return grades

    def _heel_describer(self, side: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            p = self._heel[side][i]
            return f"{day_words(p.date)}\nHeel raises {side}: {num(p.value)}", p.entry_id
        return describe

    def _grade_describer(self, key: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            g = self._grades[key][i]
            return (f"{day_words(g.date)}\n{test_name(g.muscle).capitalize()} {side_label(g.side)}: "
                    f"grade {g.grade}/5", g.entry_id)
        return describe

    def _describe_gait(self, i: int) -> tuple[str, uuid.UUID | None]:
        m = self._gait[i]
        return f"{day_words(m.date)}\n{test_name(m.test).capitalize()} {side_label(m.side)}: {m.result}", m.entry_id

    def _describe_milestone(self, i: int) -> tuple[str, uuid.UUID | None]:
        m = self._milestones[i]
        return f"{day_words(m.date)}\nMilestone ({side_label(m.side)}): {milestone_words(m.code)}", m.entry_id

    def _render(self, series: ProgressSeries) -> None:
        t = self.theme
        self._heel = {side: series.heel_raises.get(side, ()) for side in ("left", "right")}
        for side, points in self._heel.items():
            x = days_x([p.date for p in points])
            y = [p.value for p in points]
            self._set(self.items[f"heel_{side}"], x, y)
            self._set(self.items[f"heel_points_{side}"], x, y)
        # The symmetric band: where the affected side counts as symmetric with the other.
        affected = self.affected_side
        other = {"left": "right", "right": "left"}.get(affected or "")
        ref = self._heel.get(other, ()) if other else ()
        x = days_x([p.date for p in ref])
        high = np.array([p.value for p in ref], dtype=float)
        self._set(self.band_high, x, high)
        self._set(self.band_low, x, high * SYMMETRIC_PERCENT / 100.0)
        self._gait = list(series.gait)
        colors = {"normal": t.good, "impaired": QColor(t.median), "unable": t.warn}
        # One brush and pen per result, shared by its marks: pyqtgraph renders a symbol once
        # per distinct pen and brush object, and a pair per mark rendered each mark (~15 ms
        # for the 224 marks of 10 years).
        styles = {result: (pg.mkBrush(colors.get(result, t.muted)), pg.mkPen(colors.get(result, t.muted), width=1.5))
                  for result in {m.result for m in self._gait}}
        self._set(self.items["gait"], days_x([m.date for m in self._gait]),
                  [self.MARK_ROWS.get(m.test, -3.0) for m in self._gait],
                  brush=[styles[m.result][0] for m in self._gait],
                  symbol=[GAIT_RESULTS.get(m.result, "o") for m in self._gait],
                  pen=[styles[m.result][1] for m in self._gait])
        self._milestones = series.milestones
        self._set(self.items["milestones"], days_x([m.date for m in self._milestones]),
                  np.full(len(self._milestones), self.MILESTONE_Y))
        self.foot_drop.set_spans(self._foot_drop_spans(series), edge=t.with_alpha(t.warn, 120))
        self._foot_drop = series.foot_drop
        if self._grades_panel is not None:
            self._render_grades(series)

    def _render_panel(self, panel: Panel, series: ProgressSeries) -> None:
        if panel is self._grades_panel:
            self._render_grades(series)

    def _render_grades(self, series: ProgressSeries) -> None:
        self._grades = {}
        for g in series.muscle_grades:
            self._grades.setdefault(f"grade_{g.muscle}_{g.side}", []).append(g)
        for side in ("left", "right"):
            for muscle, _symbol, _words in MUSCLES:
                key = f"grade_{muscle}_{side}"
                grades = self._grades.setdefault(key, [])
                gx = days_x([g.date for g in grades])
                gy = [float(g.grade) for g in grades]
                self._set(self.items[key], gx, gy)
                self._set(self.items[key + "_line"], gx, gy)
        t = self.theme
        self.grades_foot_drop.set_spans(self._foot_drop_spans(series), edge=t.with_alpha(t.warn, 120))

    def _foot_drop_spans(self, series: ProgressSeries) -> list[tuple[float, float, QColor]]:
        """The foot-drop periods, shaded in the heel raises' area and the grades' alike."""
        t = self.theme
        last = max((p.date for p in series.extent), default=None)
        spans = []
        for period in series.foot_drop:
            end = period.end or series.as_of or last or period.start
            spans.append((day_x(period.start) - DAY / 2, day_x(end) + DAY / 2, t.with_alpha(t.warn, 26)))
        return spans

    def flag_y(self) -> float:
        return 35.0
