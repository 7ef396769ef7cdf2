"""Graphics items that span the whole height of a plot: time spans (recovery stage bands,
foot-drop periods, the part after the replay moment) and vertical marks (red flags).

One item paints many spans, so a 10-year journal with hundreds of stage changes costs one
item per plot, not hundreds of ``LinearRegionItem``s; only the spans in view are painted, in
device pixels (whole-pixel rectangles, one ``drawRects`` per colour: the raster engine's fast
fill, where a transformed ``drawRect`` per band went through the path filler).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPainterPath, QPen


def flag_symbol() -> QPainterPath:
    """A small flag on a pole: the red-flag mark, a shape no other meaning uses (a triangle
    also meant "exercise peripheralized")."""
    path = QPainterPath()
    path.addRect(QRectF(-0.42, -0.5, 0.12, 1.0))  # the pole
    path.moveTo(-0.3, -0.5)
    path.lineTo(0.5, -0.25)
    path.lineTo(-0.3, 0.02)
    path.closeSubpath()
    return path


class SpanItem(pg.GraphicsObject):  # type: ignore[misc]
    """Filled vertical bands ``[x0, x1)`` in data x, each with its own colour. With STRIP (logical
    pixels) only a strip that high along the top of the plot is filled (the stage strip: a
    wash behind every point made the points' own colours hard to read)."""

    def __init__(self, z: float = -100, strip: int | None = None) -> None:
        super().__init__()
        self.strip = strip
        self._x0: list[float] = []
        self._x1: list[float] = []
        self._brushes: list[QBrush] = []
        self._rgba: list[int] = []
        self._disjoint = True  # no two spans overlap
        self._pen: QPen | None = None
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_spans(self, spans: Sequence[tuple[float, float, QColor]], edge: QColor | None = None) -> None:
        ordered = sorted(spans, key=lambda s: s[0])
        x0 = [s[0] for s in ordered]
        x1 = [s[1] for s in ordered]
        rgba = [s[2].rgba() for s in ordered]
        edge_rgba = None if edge is None else edge.rgba()
        if (x0, x1, rgba, edge_rgba) == (self._x0, self._x1, self._rgba,
                                         None if self._pen is None else self._pen.color().rgba()):
            return  # the same spans: nothing to redraw
        self.prepareGeometryChange()
        self._x0, self._x1, self._rgba = x0, x1, rgba
        self._disjoint = all(b <= a for a, b in zip(x0[1:], x1, strict=False))
        self._brushes = [QBrush(s[2]) for s in ordered]
        self._pen = QPen(edge, 0) if edge is not None else None
        if self._pen is not None:
            self._pen.setCosmetic(True)
        self.update()

    def spans(self) -> list[tuple[float, float]]:
        return list(zip(self._x0, self._x1, strict=True))

    def _view_rect(self) -> QRectF:
        vb = self.getViewBox()
        if vb is None:
            return QRectF()
        r: QRectF = vb.viewRect()
        return r

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewRangeChanged()

    def boundingRect(self) -> QRectF:
        if not self._x0:
            return QRectF()
        r = self._view_rect()
        x0, x1 = self._x0[0], max(self._x1)
        return QRectF(x0, r.top(), x1 - x0, r.height())

    def paint(self, p: QPainter, *args: Any) -> None:
        if not self._x0:
            return
        r = self._view_rect()
        left, right = r.left(), r.right()
        start = max(0, bisect.bisect_left(self._x0, left) - 1)
        stop = bisect.bisect_right(self._x0, right)
        tr = p.transform()
        if tr.m12() != 0 or tr.m21() != 0:  # rotated: never in these plots, but stay correct
            p.setPen(Qt.PenStyle.NoPen if self._pen is None else self._pen)
            for i in range(start, stop):
                p.setBrush(self._brushes[i])
                p.drawRect(QRectF(QPointF(self._x0[i], r.top()), QPointF(self._x1[i], r.bottom())))
            return
        sx, dx = tr.m11(), tr.dx()
        y0, y1 = sorted((r.top() * tr.m22() + tr.dy(), r.bottom() * tr.m22() + tr.dy()))
        lo, hi = sorted((left * sx + dx, right * sx + dx))
        lo, hi = math.floor(lo) - 2, math.ceil(hi) + 2
        top, height = math.floor(y0) - 1, math.ceil(y1 - y0) + 3
        if self.strip is not None:  # device pixels: an export paints scaled up (devicePixelRatio)
            top, height = math.floor(y0), max(1, round(self.strip * p.device().devicePixelRatioF()))
        spans: list[tuple[int, int, int]] = []  # device x0, x1, index
        for i in range(start, stop):
            a, b = sorted((self._x0[i] * sx + dx, self._x1[i] * sx + dx))
            a, b = max(round(a), lo), min(round(b), hi)
            if b > a:
                spans.append((a, b, i))
        if not spans:
            return
        p.save()
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if self._pen is None and self._disjoint:
            # One row of pixels holding every band, stretched to the plot's height: a narrow
            # band drawn as a rectangle costs one fill span per pixel row, and a long journal
            # has hundreds of bands a few days wide.
            row = np.zeros(hi - lo, dtype=np.uint32)
            for a, b, i in spans:
                row[a - lo:b - lo] = self._rgba[i]
            image = QImage(row.data, hi - lo, 1, (hi - lo) * 4, QImage.Format.Format_ARGB32)
            p.drawImage(QRect(lo, top, hi - lo, height), image)
        else:
            groups: dict[int, tuple[QBrush, list[QRect]]] = {}
            for a, b, i in spans:
                groups.setdefault(self._rgba[i], (self._brushes[i], []))[1].append(QRect(a, top, b - a, height))
            p.setPen(Qt.PenStyle.NoPen if self._pen is None else self._pen)
            for brush, rects in groups.values():
                p.setBrush(brush)
                p.drawRects(rects)
        p.restore()


class VMarksItem(pg.GraphicsObject):  # type: ignore[misc]
    """Thin vertical lines at data x (red-flag checklists that reported a flag)."""

    def __init__(self, color: QColor, z: float = -50) -> None:
        super().__init__()
        self._xs: list[float] = []
        self._pen = QPen(color, 1.4, Qt.PenStyle.DashLine)
        self._pen.setCosmetic(True)
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_marks(self, xs: Sequence[float]) -> None:
        ordered = sorted(xs)
        if ordered == self._xs:
            return
        self.prepareGeometryChange()
        self._xs = ordered
        self.update()

    def marks(self) -> list[float]:
        return list(self._xs)

    def viewRangeChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewRangeChanged()

    def boundingRect(self) -> QRectF:
        vb = self.getViewBox()
        if not self._xs or vb is None:
            return QRectF()
        r = vb.viewRect()
        return QRectF(self._xs[0], r.top(), max(self._xs[-1] - self._xs[0], 1e-9), r.height())

    def paint(self, p: QPainter, *args: Any) -> None:
        vb = self.getViewBox()
        if not self._xs or vb is None:
            return
        r = vb.viewRect()
        p.setPen(self._pen)
        lo = bisect.bisect_left(self._xs, r.left())
        hi = bisect.bisect_right(self._xs, r.right())
        for x in self._xs[lo:hi]:
            p.drawLine(QPointF(x, r.top()), QPointF(x, r.bottom()))
