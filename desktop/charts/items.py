"""Graphics items that span the whole height of a plot: time spans (recovery stage bands,
foot-drop periods, the part after the replay moment) and vertical marks (red flags).

One item paints many spans, so a 10-year journal with hundreds of stage changes costs one
item per plot, not hundreds of ``LinearRegionItem``s; only the spans in view are painted.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen


class SpanItem(pg.GraphicsObject):  # type: ignore[misc]
    """Filled vertical bands ``[x0, x1)`` in data x, each with its own colour."""

    def __init__(self, z: float = -100) -> None:
        super().__init__()
        self._x0: list[float] = []
        self._x1: list[float] = []
        self._brushes: list[QBrush] = []
        self._pen: QPen | None = None
        self.setZValue(z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_spans(self, spans: Sequence[tuple[float, float, QColor]], edge: QColor | None = None) -> None:
        self.prepareGeometryChange()
        ordered = sorted(spans, key=lambda s: s[0])
        self._x0 = [s[0] for s in ordered]
        self._x1 = [s[1] for s in ordered]
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
        p.setPen(Qt.PenStyle.NoPen if self._pen is None else self._pen)
        for i in range(start, len(self._x0)):
            x0 = self._x0[i]
            if x0 > right:
                break
            x1 = self._x1[i]
            if x1 < left:
                continue
            p.setBrush(self._brushes[i])
            p.drawRect(QRectF(QPointF(x0, r.top()), QPointF(x1, r.bottom())))


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
        self.prepareGeometryChange()
        self._xs = sorted(xs)
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
