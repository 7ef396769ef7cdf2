"""The charts' shared frame: days as x (Unix seconds), display scales, and the words of a point."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QBrush, QColor

from projections.vocabulary import extent_label, long_day, num

# num is the vocabulary's: chart tooltips write numbers as every other surface does.
__all__ = ["DAY", "EPOCH_ORDINAL", "LEFT_AXIS_WIDTH", "RIGHT_AXIS_WIDTH",
           "Describe", "day_words", "day_x", "days_x", "num", "region_words", "x_date"]

DAY = 86400.0
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
LEFT_AXIS_WIDTH = 92
RIGHT_AXIS_WIDTH = 16  # no values on the right (one y-axis per plot area): room for the last tick

Describe = Callable[[int], tuple[str, "uuid.UUID | None"]]


def day_x(d: date) -> float:
    """The x of day D: UTC noon of that date in Unix seconds (``DateAxisItem(utcOffset=0)``)."""
    return (d.toordinal() - EPOCH_ORDINAL) * DAY + DAY / 2


def x_date(x: float) -> date:
    return date.fromordinal(int(x // DAY) + EPOCH_ORDINAL)


def days_x(dates: Sequence[date]) -> np.ndarray:
    ordinals = np.fromiter((d.toordinal() for d in dates), dtype=float, count=len(dates))
    return (ordinals - EPOCH_ORDINAL) * DAY + DAY / 2


# The vocabulary's one date format for people ("3 Nov 2026"), in every tooltip.
day_words = long_day


def region_words(rank: float) -> str:
    """A distal rank (a median may fall between two) in the vocabulary's words."""
    return extent_label(max(rank, 0))




def _same(a: Any, b: Any) -> bool:
    """Whether two setData arguments are the same data (arrays by value)."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape and bool(
            np.array_equal(a, b))
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, QBrush | QColor) or isinstance(b, QBrush | QColor):
        return type(a) is type(b) and bool(a == b)
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


class _Axis(pg.AxisItem):  # type: ignore[misc]
    """A value axis that leaves negative positions unlabelled (they hold mark rows)."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        strings: list[str] = super().tickStrings(values, scale, spacing)
        return ["" if v < 0 else s for v, s in zip(values, strings, strict=True)]


