"""A word-sized chart: one sign's values over the period, beside its sentence.

Painted by hand (a pyqtgraph plot per sign would cost a plot's layout and axes for 120 × 30
pixels). It only draws; the values and which way is better come from ``projections.summary``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.charts.theme import BLUISH_GREEN, VERMILLION, chart_theme

PAD = 4


class Sparkline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: tuple[tuple[date, float], ...] = ()
        self.higher_is_better = True
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setFixedSize(self.sizeHint())

    def sizeHint(self) -> QSize:
        return QSize(132, 34)

    def set_points(self, points: tuple[tuple[date, float], ...], higher_is_better: bool) -> None:
        self.points = points
        self.higher_is_better = higher_is_better
        self.setToolTip("No values in this period" if not points
                        else "One value in this period" if len(points) == 1 else "")
        self.update()

    def end_color(self) -> QColor | None:
        """Green when the last value is better than the first, vermillion when worse."""
        if len(self.points) < 2 or self.points[0][1] == self.points[-1][1]:
            return None
        better = (self.points[-1][1] > self.points[0][1]) == self.higher_is_better
        return QColor(BLUISH_GREEN if better else VERMILLION)

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.points:
            return
        theme = chart_theme()
        days = [d.toordinal() for d, _ in self.points]
        values = [v for _, v in self.points]
        d0, d1 = min(days), max(days)
        v0, v1 = min(values), max(values)
        w, h = self.width() - 2 * PAD, self.height() - 2 * PAD

        def at(day: int, value: float) -> QPointF:
            # A lone day sits at the right end, where every line's latest value is: centred, a
            # single dot read as a list bullet beside the sign's sentence.
            x = PAD + (w * (day - d0) / (d1 - d0) if d1 > d0 else w)
            y = PAD + (h * (1 - (value - v0) / (v1 - v0)) if v1 > v0 else h / 2)
            return QPointF(x, y)

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(theme.muted, 1.4))
        painter.drawPolyline(QPolygonF([at(d, v) for d, v in zip(days, values, strict=True)]))
        end = self.end_color() or theme.foreground
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(end)
        painter.drawEllipse(at(days[-1], values[-1]), 2.8, 2.8)
        painter.end()
