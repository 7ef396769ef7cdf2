"""One pyqtgraph plot per sign, each drawing its part of a ``ProgressSeries``.

Every plot shares the same frame: a date axis in Unix seconds (UTC noon of each day, so a
point sits in the middle of its day whatever the time zone), the recovery stage as a thin
strip along the top, red-flag checklists as dashed vertical lines, one y-axis per plot area
(a second quantity gets a small panel of its own: ``SignPlot.add_panel``) and fixed-width side
axes so the stacked plot areas line up. Items are created once in ``_setup_items``; ``show_series``
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

from desktop.charts.axes import (  # re-exported: the charts' frame, for callers of this module
    DAY,
    Describe,
    day_words,
    day_x,
    days_x,
    num,
    region_words,
    x_date,
)
from desktop.charts.sign_plot import SignPlot
from desktop.charts.strength_plot import StrengthPlot
from desktop.charts.theme import side_color
from desktop.session import REGION_BY_RANK
from projections.series import (
    BestWalkPoint,
    ExercisePoint,
    ExtentPoint,
    Mark,
    MedianPoint,
    PainDay,
    ProgressSeries,
    TestPoint,
    WalkPoint,
)

__all__ = ["DAY", "PLOT_CLASSES", "SignPlot", "StrengthPlot", "day_x", "x_date"]

# The forward bend's least y range (cm): 0 is the floor, negative a reach beyond it.
BEND_RANGE = (-5.0, 30.0)


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


class NervePlot(SignPlot):
    """Straight-leg raise per side (degrees) and slump results; the forward bend (fingertips
    to floor, cm) in a small panel of its own underneath."""

    sign = "nerve_mobility"
    title = "Nerve mobility: straight-leg raise and slump test"
    bend_title = "Forward bend: fingertips to floor (cm), lower is better"
    y_range = (-5.0, 100.0)
    SLUMP_Y = 95.0

    def _setup_items(self) -> None:
        t = self.theme
        self.set_axis_labels("straight-leg raise (°)")
        self.getPlotItem().getViewBox().setLimits(yMin=-40, yMax=130)
        self._slr: dict[str, Sequence[TestPoint]] = {}
        for side in ("left", "right"):
            color = side_color(t, side)
            self._curve(f"slr_{side}", color, width=2.0)
            self._points(f"slr_points_{side}", symbol="o" if side == "left" else "s", size=7, brush=color,
                         pen=t.background, name=f"SLR {side} (°)",
                         describe=self._slr_describer(side))

        self._points("slump_positive", symbol="+", size=9, brush=t.warn, pen=pg.mkPen(t.warn, width=2),
                     name="slump +", describe=self._slump_describer("slump_positive"))
        self._points("slump_negative", symbol="o", size=8, brush=None, pen=pg.mkPen(t.good, width=2),
                     name="slump −", describe=self._slump_describer("slump_negative"))
        self._slump: dict[str, list[Mark]] = {}
        # Centimetres beside degrees on a second axis read as one scale: a panel of its own.
        self.bend = self.add_panel(self.bend_title, BEND_RANGE, legend=False)
        self.set_axis_labels("cm", panel=self.bend)
        self._curve("fingertip", t.accent, width=2.0, style=Qt.PenStyle.DashLine, panel=self.bend)
        self._points("fingertip_points", symbol="d", size=8, brush=t.accent, pen=t.background,
                     describe=self._describe_fingertip, panel=self.bend)
        self._fingertip: Sequence[TestPoint] = ()

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
        # The range follows the data (-40 to 120 cm can be recorded), never narrower than
        # BEND_RANGE, so one reach beyond the floor does not look like a collapse.
        lo, hi = min([BEND_RANGE[0], *fy]), max([BEND_RANGE[1], *fy])
        pad = (hi - lo) * 0.06
        self.bend.view_box.setLimits(yMin=lo - pad, yMax=hi + pad)
        self.bend.view_box.setYRange(lo, hi, padding=0.06)
        self._slump = {"slump_positive": [m for m in series.slump if m.result == "positive"],
                       "slump_negative": [m for m in series.slump if m.result != "positive"]}
        for key, marks in self._slump.items():
            self._set(self.items[key], days_x([m.date for m in marks]), np.full(len(marks), self.SLUMP_Y))

    def flag_y(self) -> float:
        return 99.0


class PainPlot(SignPlot):
    """Daily leg and back pain (mean, with the day's range as a band); the share of the day
    with symptoms in a small panel of its own underneath."""

    sign = "pain"
    title = "Pain: daily leg and back pain (0–10)"
    share_title = "Share of the day with symptoms (%, the day's mean)"
    y_range = (0.0, 10.6)

    def _setup_items(self) -> None:
        t = self.theme
        self.set_axis_labels("pain (0–10)")
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
        self._days: dict[str, list[PainDay]] = {}
        # A percentage beside a 0–10 rating on a second axis read as one scale: its own panel.
        # Padded so the 0 and 100 labels fit inside the axis at print size too (pyqtgraph
        # hides a label that reaches past the plot area's edge).
        self.share = self.add_panel(self.share_title, (-14.0, 114.0), legend=False)
        self.set_axis_labels("%", panel=self.share)
        self.share.plot.getAxis("left").setTicks([[(v, str(v)) for v in (0, 50, 100)], []])
        self.share.view_box.setLimits(yMin=-16, yMax=116)
        self._curve("share", t.accent, width=1.6, panel=self.share)
        self._points("share_points", symbol="s", size=4, brush=t.accent, describe=self._describe_day("share"),
                     panel=self.share)

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
        self._days["share"] = share
        sx, sy = days_x([d.date for d in share]), [d.share_of_day_mean or 0.0 for d in share]
        self._set(self.items["share"], sx, sy)
        self._set(self.items["share_points"], sx, sy)

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

