"""The sparkline beside each sign on "Since last visit": where its latest value is drawn."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QColor, QImage

from desktop.charts.sparkline import Sparkline


def _inked_columns(line: Sparkline) -> list[int]:
    image: QImage = line.grab().toImage()
    background = QColor(image.pixel(0, 0))
    return [x for x in range(image.width())
            if any(QColor(image.pixel(x, y)) != background for y in range(image.height()))]


def test_a_single_value_is_drawn_at_the_right_end_like_every_latest_value(qtbot: Any) -> None:
    line = Sparkline()
    qtbot.addWidget(line)
    line.set_points(((date(2026, 12, 1), 3.0),), higher_is_better=False)
    inked = _inked_columns(line)
    assert inked, "the value is drawn"
    assert min(inked) > line.width() * 3 // 4
    assert line.toolTip() == "One value in this period"


def test_a_series_runs_from_the_left_edge_to_its_latest_value_at_the_right(qtbot: Any) -> None:
    line = Sparkline()
    qtbot.addWidget(line)
    line.set_points(((date(2026, 11, 1), 6.0), (date(2026, 11, 20), 4.0), (date(2026, 12, 1), 3.0)),
                    higher_is_better=False)
    inked = _inked_columns(line)
    assert min(inked) < line.width() // 4 and max(inked) > line.width() * 3 // 4
    assert line.toolTip() == ""


def test_no_values_draw_nothing_and_say_so(qtbot: Any) -> None:
    line = Sparkline()
    qtbot.addWidget(line)
    line.set_points((), higher_is_better=True)
    assert _inked_columns(line) == []
    assert line.toolTip() == "No values in this period"
