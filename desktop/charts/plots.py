"""One pyqtgraph plot per sign, each drawing its part of a ``ProgressSeries``.

Every plot shares the same frame: a date axis in Unix seconds (UTC noon of each day, so a
point sits in the middle of its day whatever the time zone), the recovery stage as coloured
bands behind the curves, red-flag checklists as dashed vertical lines, and fixed-width side
axes so the stacked plots line up. Items are created once in ``_setup_items``; ``show_series``
only calls ``setData``, and only for data that changed (a check-in changes a few curves; the
same series drawn again changes none). The axes (with the grid they draw) are cached as
pixmaps until their range changes; a band between two curves is rebuilt once per render.
Points that stand for entries are hoverable (value, date, entry) and clickable:
``entry_clicked`` carries the entry id.

The plots hold no clinical rule: norms come from ``projections.strength``; verdicts are not
drawn here at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop.charts.axes import (  # re-exported: the charts' frame, for callers of this module
    DAY,
    GRADE_SCALE,
    SHARE_SCALE,
    Describe,
    day_words,
    day_x,
    days_x,
    num,
    region_words,
    x_date,
)
from desktop.charts.items import SpanItem
from desktop.charts.sign_plot import SignPlot
from desktop.charts.theme import side_color
from desktop.session import REGION_BY_RANK
from projections.series import (
    BestWalkPoint,
    ExercisePoint,
    ExtentPoint,
    GradePoint,
    Mark,
    MedianPoint,
    PainDay,
    ProgressSeries,
    TestPoint,
    WalkPoint,
)
from projections.strength import NORMAL_HEEL_RAISES, SYMMETRIC_PERCENT, Milestone
from projections.vocabulary import milestone_words, side_label

__all__ = ["DAY", "GRADE_SCALE", "PLOT_CLASSES", "SignPlot", "day_x", "x_date"]


class CentralizationPlot(SignPlot):
    """The daily furthest symptom as a step curve (toes at the top, low back at the bottom:
    down is better), its 7-day median, and exercise sessions (before → after)."""

    sign = "centralization"
    title = "Centralization: how far down the leg symptoms reach"
    y_range = (0.0, 9.6)

    def _setup_items(self) -> None:
        t = self.theme
        self.legend.setColumnCount(3)
        self.set_axis_labels("furthest symptom")
        ticks = [(0, "none")] + [(rank, REGION_BY_RANK[rank].label.replace("midline ", "mid "))
                                 for rank in sorted(REGION_BY_RANK)]
        self.getPlotItem().getAxis("left").setTicks([ticks, []])
        self.getPlotItem().getViewBox().setLimits(yMin=-0.5, yMax=10)
        self._curve("extent", t.leg, width=1.4, name="daily furthest symptom", step=True)
        self._curve("extent_median", t.median, width=3.0, name="7-day median")
        self._points("extent_points", size=5, brush=t.leg, describe=self._describe_extent, z=15)
        self._points("exercise_better", symbol="t", size=10, brush=t.good, pen=t.background,
                     name="exercise: centralized", describe=self._describer("exercise_better"))
        self._points("exercise_worse", symbol="t1", size=10, brush=t.warn, pen=t.background,
                     name="exercise: peripheralized", describe=self._describer("exercise_worse"))
        self._points("exercise_same", symbol="o", size=7, brush=None, pen=t.muted,
                     name="exercise: no change", describe=self._describer("exercise_same"))
        self._exercise_groups: dict[str, list[ExercisePoint]] = {}

    def _render(self, series: ProgressSeries) -> None:
        extent: Sequence[ExtentPoint] = series.extent
        x = days_x([p.date for p in extent])
        y = np.fromiter((p.extent for p in extent), dtype=float, count=len(extent))
        self._extent = extent
        self._set(self.items["extent"], x, y)
        self._set(self.items["extent_points"], x, y)
        med: Sequence[MedianPoint] = series.extent_median
        self._median = {p.date: p for p in med}
        self._set(self.items["extent_median"], days_x([p.date for p in med]), [p.median for p in med])
        groups: dict[str, list[ExercisePoint]] = {"exercise_better": [], "exercise_worse": [], "exercise_same": []}
        for e in series.exercises:
            key = ("exercise_better" if e.extent_after < e.extent_before
                   else "exercise_worse" if e.extent_after > e.extent_before else "exercise_same")
            groups[key].append(e)
        self._exercise_groups = groups
        for key, points in groups.items():
            # Drawn at the extent after the set, nudged so it does not hide the daily point.
            self._set(self.items[key], days_x([p.date for p in points]),
                      [p.extent_after + 0.25 for p in points])

    def flag_y(self) -> float:
        return 9.4

    def _describe_extent(self, i: int) -> tuple[str, uuid.UUID | None]:
        p = self._extent[i]
        text = f"{day_words(p.date)}\nFurthest symptom: {region_words(p.extent)}"
        m = self._median.get(p.date)
        if m is not None:
            text += f"\n7-day median: {region_words(m.median)} ({m.days} days)"
        return text, p.entry_ids[0] if p.entry_ids else None

    def _describer(self, key: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            e = self._exercise_groups[key][i]
            return (f"{day_words(e.date)}\n{e.exercise}: {region_words(e.extent_before)} → "
                    f"{region_words(e.extent_after)}", e.entry_id)
        return describe


class StrengthPlot(SignPlot):
    """Heel raises per side with the normal line and the symmetric band; MRC grades on the
    right axis; heel/toe walk marks in rows below zero; milestones; foot-drop periods."""

    sign = "strength"
    title = "Strength: single-leg heel raises, muscle grades, heel and toe walking"
    y_range = (-11.0, 36.0)
    MARK_ROWS = {"heel_walk": -3.5, "toe_walk": -8.0}
    MILESTONE_Y = 33.0

    def _setup_items(self) -> None:
        t = self.theme
        self.legend.setColumnCount(5)
        self.set_axis_labels("heel raises (reps)", "MRC grade (0–5)")
        right = self.getPlotItem().getAxis("right")
        right.setStyle(showValues=True)
        right.setTicks([[(g * GRADE_SCALE, str(g)) for g in range(6)]
                        + [(y, name.replace("_", " ")) for name, y in self.MARK_ROWS.items()], []])
        self.getPlotItem().getViewBox().setLimits(yMin=-10, yMax=60)
        self.foot_drop = SpanItem(z=-90)
        self.getPlotItem().addItem(self.foot_drop, ignoreBounds=True)
        self._foot_drop_sample = pg.PlotDataItem(pen=pg.mkPen(t.with_alpha(t.warn, 120)), fillLevel=0,
                                                 brush=t.with_alpha(t.warn, 40))
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
                         pen=t.background, name=f"heel raises {side[0].upper()}", describe=self._heel_describer(side))
        self._grades: dict[str, list[GradePoint]] = {}
        for side in ("left", "right"):
            for muscle, symbol in (("ankle_dorsiflexion", "d"), ("great_toe_extension", "p")):
                key = f"grade_{muscle}_{side}"
                color = side_color(t, side)
                self._curve(key + "_line", t.with_alpha(color, 150), width=1.2, style=Qt.PenStyle.DotLine)
                self._points(key, symbol=symbol, size=9, brush=None, pen=pg.mkPen(color, width=1.6),
                             name=None, describe=self._grade_describer(key))
        self._gait: list[Mark] = []
        self._points("gait", size=9, describe=self._describe_gait)
        # Legend samples only (the marks themselves are one item with per-point symbols).
        self._samples = []
        for label, symbol, color, filled in (
                ("MRC dorsiflexion", "d", t.left, False),
                ("MRC great toe", "p", t.left, False),
                ("heel/toe walk normal", "o", t.good, True),
                ("impaired", "t", QColor(t.median), True),
                ("unable", "x", t.warn, True)):
            sample = pg.ScatterPlotItem(symbol=symbol, size=9, pen=pg.mkPen(color, width=1.6),
                                        brush=pg.mkBrush(color) if filled else pg.mkBrush(None))
            self._samples.append(sample)
            self.legend.addItem(sample, label)
        self._milestones: tuple[Milestone, ...] = ()
        self._points("milestones", symbol="star", size=13, brush=t.median, pen=t.foreground,
                     name="milestone", describe=self._describe_milestone, z=30)

    def _heel_describer(self, side: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            p = self._heel[side][i]
            return f"{day_words(p.date)}\nHeel raises {side}: {num(p.value)}", p.entry_id
        return describe

    def _grade_describer(self, key: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            g = self._grades[key][i]
            return (f"{day_words(g.date)}\n{g.muscle.replace('_', ' ').capitalize()} {g.side}: "
                    f"grade {g.grade}/5", g.entry_id)
        return describe

    def _describe_gait(self, i: int) -> tuple[str, uuid.UUID | None]:
        m = self._gait[i]
        return f"{day_words(m.date)}\n{m.test.replace('_', ' ').capitalize()} {m.side}: {m.result}", m.entry_id

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
        self._grades = {}
        for g in series.muscle_grades:
            self._grades.setdefault(f"grade_{g.muscle}_{g.side}", []).append(g)
        for side in ("left", "right"):
            for muscle in ("ankle_dorsiflexion", "great_toe_extension"):
                key = f"grade_{muscle}_{side}"
                grades = self._grades.setdefault(key, [])
                gx = days_x([g.date for g in grades])
                gy = [g.grade * GRADE_SCALE for g in grades]
                self._set(self.items[key], gx, gy)
                self._set(self.items[key + "_line"], gx, gy)
        self._gait = list(series.gait)
        colors = {"normal": t.good, "impaired": QColor(t.median), "unable": t.warn}
        symbols = {"normal": "o", "impaired": "t", "unable": "x"}
        self._set(self.items["gait"], days_x([m.date for m in self._gait]),
                  [self.MARK_ROWS.get(m.test, -3.0) for m in self._gait],
                  brush=[pg.mkBrush(colors.get(m.result, t.muted)) for m in self._gait],
                  symbol=[symbols.get(m.result, "o") for m in self._gait],
                  pen=[pg.mkPen(colors.get(m.result, t.muted), width=1.5) for m in self._gait])
        self._milestones = series.milestones
        self._set(self.items["milestones"], days_x([m.date for m in self._milestones]),
                  np.full(len(self._milestones), self.MILESTONE_Y))
        last = max((p.date for p in series.extent), default=None)
        spans = []
        for period in series.foot_drop:
            end = period.end or series.as_of or last or period.start
            spans.append((day_x(period.start) - DAY / 2, day_x(end) + DAY / 2, t.with_alpha(t.warn, 26)))
        self.foot_drop.set_spans(spans, edge=t.with_alpha(t.warn, 120))
        self._foot_drop = series.foot_drop

    def flag_y(self) -> float:
        return 35.0


class NervePlot(SignPlot):
    """Straight-leg raise per side (degrees), fingertip-to-floor (cm) and slump results."""

    sign = "nerve_mobility"
    title = "Nerve mobility: straight-leg raise, forward bend, slump"
    y_range = (-5.0, 100.0)
    SLUMP_Y = 95.0

    def _setup_items(self) -> None:
        t = self.theme
        self.set_axis_labels("straight-leg raise (°)", "fingertip to floor (cm)")
        self.getPlotItem().getAxis("right").setStyle(showValues=True)
        self.getPlotItem().getViewBox().setLimits(yMin=-40, yMax=130)
        self._slr: dict[str, Sequence[TestPoint]] = {}
        for side in ("left", "right"):
            color = side_color(t, side)
            self._curve(f"slr_{side}", color, width=2.0)
            self._points(f"slr_points_{side}", symbol="o" if side == "left" else "s", size=7, brush=color,
                         pen=t.background, name=f"SLR {side} (°)",
                         describe=self._slr_describer(side))
        self._curve("fingertip", t.accent, width=2.0, style=Qt.PenStyle.DashLine)
        self._points("fingertip_points", symbol="d", size=8, brush=t.accent, pen=t.background,
                     name="fingertip to floor (cm)", describe=self._describe_fingertip)
        self._points("slump_positive", symbol="+", size=9, brush=t.warn, pen=pg.mkPen(t.warn, width=2),
                     name="slump +", describe=self._slump_describer("slump_positive"))
        self._points("slump_negative", symbol="o", size=8, brush=None, pen=pg.mkPen(t.good, width=2),
                     name="slump −", describe=self._slump_describer("slump_negative"))
        self._slump: dict[str, list[Mark]] = {}

    def _slr_describer(self, side: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            p = self._slr[side][i]
            return f"{day_words(p.date)}\nStraight-leg raise {side}: {num(p.value, '°')}", p.entry_id
        return describe

    def _describe_fingertip(self, i: int) -> tuple[str, uuid.UUID | None]:
        p = self._fingertip[i]
        return f"{day_words(p.date)}\nFingertips to floor: {num(p.value, ' cm')}", p.entry_id

    def _slump_describer(self, key: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            m = self._slump[key][i]
            return f"{day_words(m.date)}\nSlump test {m.side}: {m.result}", m.entry_id
        return describe

    def _render(self, series: ProgressSeries) -> None:
        self._slr = {side: series.straight_leg_raise.get(side, ()) for side in ("left", "right")}
        for side, points in self._slr.items():
            x = days_x([p.date for p in points])
            y = [p.value for p in points]
            self._set(self.items[f"slr_{side}"], x, y)
            self._set(self.items[f"slr_points_{side}"], x, y)
        self._fingertip = series.fingertip_to_floor
        fx = days_x([p.date for p in self._fingertip])
        fy = [p.value for p in self._fingertip]
        self._set(self.items["fingertip"], fx, fy)
        self._set(self.items["fingertip_points"], fx, fy)
        self._slump = {"slump_positive": [m for m in series.slump if m.result == "positive"],
                       "slump_negative": [m for m in series.slump if m.result != "positive"]}
        for key, marks in self._slump.items():
            self._set(self.items[key], days_x([m.date for m in marks]), np.full(len(marks), self.SLUMP_Y))

    def flag_y(self) -> float:
        return 99.0


class PainPlot(SignPlot):
    """Daily leg and back pain (mean, with the day's range as a band) and the share of the
    day with symptoms on the right axis."""

    sign = "pain"
    title = "Pain: daily leg and back pain, share of the day with symptoms"
    y_range = (0.0, 10.6)

    def _setup_items(self) -> None:
        t = self.theme
        self.set_axis_labels("pain (0–10)", "share of day (%)")
        right = self.getPlotItem().getAxis("right")
        right.setStyle(showValues=True)
        right.setTicks([[(v / SHARE_SCALE, f"{v}") for v in range(0, 101, 20)], []])
        self.getPlotItem().getViewBox().setLimits(yMin=-0.5, yMax=11)
        for key, color, label in (("leg", t.leg, "leg pain"), ("back", t.back, "back pain")):
            low = pg.PlotCurveItem(pen=pg.mkPen(None))
            high = pg.PlotCurveItem(pen=pg.mkPen(None))
            self._fill(low, high, t.with_alpha(color, 40), z=-10)
            self.items[f"{key}_min"] = low
            self.items[f"{key}_max"] = high
            self._curve(f"{key}_mean", color, width=2.0 if key == "leg" else 1.6,
                        name=f"{label} (band: day's range)",
                        style=Qt.PenStyle.SolidLine if key == "leg" else Qt.PenStyle.DashLine)
            self._points(f"{key}_points", size=4, brush=color, describe=self._describe_day(key))
        self._curve("share", t.muted, width=1.4, style=Qt.PenStyle.DotLine, name="share of day (%)")
        self._days: dict[str, list[PainDay]] = {}

    def _describe_day(self, key: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            d = self._days[key][i]
            text = (f"{day_words(d.date)}\nLeg pain {num(d.leg_mean)}/10 (range {num(d.leg_min)}–{num(d.leg_max)})"
                    f"\nBack pain {num(d.back_mean)}/10 (range {num(d.back_min)}–{num(d.back_max)})")
            if d.share_of_day_mean is not None:
                text += f"\nSymptoms {num(d.share_of_day_mean)} % of the day"
            return text, d.entry_ids[0] if d.entry_ids else None
        return describe

    def _render(self, series: ProgressSeries) -> None:
        for key in ("leg", "back"):
            days = [d for d in series.pain if getattr(d, f"{key}_mean") is not None]
            self._days[key] = days
            x = days_x([d.date for d in days])
            self._set(self.items[f"{key}_mean"], x, [getattr(d, f"{key}_mean") for d in days])
            self._set(self.items[f"{key}_points"], x, [getattr(d, f"{key}_mean") for d in days])
            self._set(self.items[f"{key}_min"], x, [getattr(d, f"{key}_min") for d in days])
            self._set(self.items[f"{key}_max"], x, [getattr(d, f"{key}_max") for d in days])
        share = [d for d in series.pain if d.share_of_day_mean is not None]
        self._set(self.items["share"], days_x([d.date for d in share]),
                  [(d.share_of_day_mean or 0) / SHARE_SCALE for d in share])

    def flag_y(self) -> float:
        return 10.4


class WalkingPlot(SignPlot):
    """Tolerance of each walk (minutes until symptoms, or the whole walk when symptom-free)
    and the best of the 14 days ending with each day."""

    sign = "walking"
    title = "Walking: minutes before symptoms start"
    y_range = (0.0, 32.0)

    def _setup_items(self) -> None:
        t = self.theme
        self.set_axis_labels("walking tolerance (min)")
        self.getPlotItem().getViewBox().setLimits(yMin=-1, yMax=200)
        self._curve("best", t.good, width=2.6, step=True, name="best of the last 14 days")
        self._points("walks", size=7, brush=t.left, pen=t.background, name="walk (symptoms started)",
                     describe=self._walk_describer("walks"))
        self._points("walks_free", symbol="s", size=8, brush=None, pen=pg.mkPen(t.good, width=1.8),
                     name="walk without symptoms", describe=self._walk_describer("walks_free"))
        self._walks: dict[str, list[WalkPoint]] = {}
        self._best: Sequence[BestWalkPoint] = ()

    def _walk_describer(self, key: str) -> Describe:
        def describe(i: int) -> tuple[str, uuid.UUID | None]:
            w = self._walks[key][i]
            if w.symptom_free:
                return f"{day_words(w.date)}\nWalk {num(w.total_minutes, ' min')} without symptoms", w.entry_id
            return (f"{day_words(w.date)}\nWalk {num(w.total_minutes, ' min')}; symptoms after "
                    f"{num(w.tolerance, ' min')}", w.entry_id)
        return describe

    def _render(self, series: ProgressSeries) -> None:
        self._walks = {"walks": [w for w in series.walks if not w.symptom_free],
                       "walks_free": [w for w in series.walks if w.symptom_free]}
        for key, walks in self._walks.items():
            self._set(self.items[key], days_x([w.date for w in walks]), [w.tolerance for w in walks])
        self._best = series.best_walks
        self._set(self.items["best"], days_x([b.date for b in self._best]), [b.best for b in self._best])
        top = max((w.tolerance for w in series.walks), default=30.0)
        self.y_range = (0.0, max(32.0, top * 1.1))
        self.getPlotItem().getViewBox().setYRange(*self.y_range, padding=0.04)

    def flag_y(self) -> float:
        return self.y_range[1] * 0.97


PLOT_CLASSES: dict[str, type[SignPlot]] = {
    "centralization": CentralizationPlot,
    "strength": StrengthPlot,
    "nerve_mobility": NervePlot,
    "pain": PainPlot,
    "walking": WalkingPlot,
}

