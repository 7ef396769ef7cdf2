"""``TrackedData``: what each item of a sign's plot was given, in full, so that the replay
cut-off can hide the points after a moment and bring them back without asking the series again.

A band between two curves (``FillBetweenItem``) is rebuilt once after both curves are set, not
once per curve (``update_fills``).

Scatter items can be given only their points near the dates in view (``set_window``): pyqtgraph
looks up each point's symbol in Python when it is given the point (~2 µs a point, ~3,650 points
a daily sign on 10 years), and the Progress view opens on its last 400 days. Curves always get
every point (a curve's path is built in numpy, and a band between two needs both whole).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg

from desktop.charts.axes import _same


class TrackedData:
    def __init__(self) -> None:
        self._tracked: list[tuple[Any, np.ndarray, dict[str, Any]]] = []
        self._fills: dict[int, pg.FillBetweenItem] = {}  # id(curve) → the band between it and another
        self._stale_fills: list[pg.FillBetweenItem] = []
        self.cutoff: float | None = None  # points after it are hidden
        self.window: tuple[float, float] | None = None  # the x span of the points scatter items get
        self._shown: dict[int, tuple[int, int]] = {}  # id(scatter item) → the slice of its data given

    def add_fill(self, band: pg.FillBetweenItem, low: pg.PlotCurveItem, high: pg.PlotCurveItem) -> None:
        self._fills[id(low)] = self._fills[id(high)] = band

    def set(self, item: Any, x: np.ndarray, y: np.ndarray | Sequence[float], **extra: Any) -> None:
        """setData that remembers the full data, so the replay cut-off can slice it."""
        y_arr = np.asarray(y, dtype=float)
        kwargs = {"y": y_arr, **extra}
        if isinstance(item, pg.ScatterPlotItem) and "data" not in kwargs:
            kwargs["data"] = np.arange(len(x))
        for i, (tracked, old_x, old_kw) in enumerate(self._tracked):
            if tracked is item:
                if _same(old_x, x) and old_kw.keys() == kwargs.keys() and all(
                        _same(old_kw[k], v) for k, v in kwargs.items()):
                    return  # drawn already (the cut-off is applied to it by cut_at)
                self._tracked[i] = (item, x, kwargs)
                break
        else:
            self._tracked.append((item, x, kwargs))
        self._apply(item, x, kwargs)

    def cut_at(self, x: float | None) -> None:
        """Hide the points after X (None: show them all again)."""
        if x != self.cutoff:
            self.cutoff = x
            for item, xs, kwargs in self._tracked:
                self._apply(item, xs, kwargs)
            self.update_fills()

    def set_window(self, window: tuple[float, float] | None) -> None:
        """Give each scatter item its points with x in WINDOW only (None: all of them)."""
        if window == self.window:
            return
        self.window = window
        for item, xs, kwargs in self._tracked:
            if isinstance(item, pg.ScatterPlotItem) and self._shown.get(id(item)) != self._slice(item, xs):
                self._apply(item, xs, kwargs)

    def _slice(self, item: Any, x: np.ndarray) -> tuple[int, int]:
        """The part of ITEM's data shown: none after the cut-off, and a scatter's in the window."""
        start, stop = 0, len(x)
        if self.cutoff is not None:
            stop = int(np.searchsorted(x, self.cutoff, side="right"))
        if self.window is not None and isinstance(item, pg.ScatterPlotItem):
            lo, hi = self.window
            start = int(np.searchsorted(x, lo, side="left"))
            stop = max(start, min(stop, int(np.searchsorted(x, hi, side="right"))))
        return start, stop

    def _apply(self, item: Any, x: np.ndarray, kwargs: dict[str, Any]) -> None:
        n = len(x)
        start, stop = self._slice(item, x)
        if isinstance(item, pg.ScatterPlotItem):
            self._shown[id(item)] = (start, stop)
        if (start, stop) != (0, n):
            kwargs = {k: (v[start:stop] if isinstance(v, np.ndarray | list | tuple) and len(v) == n else v)
                      for k, v in kwargs.items()}
            x = x[start:stop]
        band = self._fills.get(id(item))
        if band is None:
            item.setData(x=x, **kwargs)
            return
        blocked = item.blockSignals(True)  # the band is rebuilt once, by update_fills
        try:
            item.setData(x=x, **kwargs)
        finally:
            item.blockSignals(blocked)
        if band not in self._stale_fills:
            self._stale_fills.append(band)

    def update_fills(self) -> None:
        stale, self._stale_fills = self._stale_fills, []
        for band in stale:
            band.updatePath()

    def data_range(self) -> tuple[float, float] | None:
        """The first and last x of everything given (None: nothing)."""
        xs = [x for _item, x, _kw in self._tracked if len(x)]
        if not xs:
            return None
        return min(float(x[0]) for x in xs), max(float(x[-1]) for x in xs)
