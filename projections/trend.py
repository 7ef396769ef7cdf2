"""The common trend rule of ``clinical-model.md``: windows, medians, MIC comparisons.

Every indicator reports one of four trends. Comparisons with a MIC are exact (model v2): the
numbers are read as written (``exact``: 11.7 is 117/10, not the nearest binary float) and
means, medians and percentages are computed as fractions, so a change equal to its MIC on
paper (11.7 − 9 = 2.7 against 30 % of 9) counts, and one a hair below never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

Exact = Fraction


class Trend(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    STABLE = "stable"
    INSUFFICIENT_DATA = "insufficient_data"


@dataclass(frozen=True)
class Window:
    """A span of calendar days, both ends included."""

    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


W = TypeVar("W")


@dataclass(frozen=True)
class Compared(Generic[W]):
    """What an indicator judged over two windows shows first: its trend and the recent and
    earlier windows as evidence (centralization, pain and walking add their measures)."""

    trend: Trend = Trend.INSUFFICIENT_DATA
    recent: W | None = None
    earlier: W | None = None


def windows(as_of: date, days: int) -> tuple[Window, Window]:
    """(recent, earlier): D−n+1 … D and D−2n+1 … D−n."""
    recent = Window(as_of - timedelta(days=days - 1), as_of)
    earlier = Window(as_of - timedelta(days=2 * days - 1), as_of - timedelta(days=days))
    return recent, earlier


def exact(value: float | Fraction) -> Fraction:
    """A number as written: an int or a fraction as it is, a float by its shortest decimal
    spelling (``repr``), which is what was typed or imported (``11.7``, not 11.699999…)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if value.is_integer():  # a whole float is its int; no decimal spelling to parse
        return Fraction(int(value))
    return Fraction(repr(float(value)))


def exact_mean(values: Sequence[float | Fraction]) -> Fraction | None:
    if not values:
        return None
    # Most ratings are whole numbers (ints, or floats read from them): their sum is exact
    # (far below 2**53), so one exact division, no Fraction per value.
    if all(type(v) is int or (type(v) is float and v.is_integer()) for v in values):
        return Fraction(int(sum(values)), len(values))
    return sum((exact(v) for v in values), Fraction(0)) / len(values)


def percent_of(percent: int, value: Fraction) -> Fraction:
    """PERCENT % of VALUE, exactly."""
    return Fraction(percent, 100) * value


def judge(gain: float | Fraction, mic: float | Fraction) -> Trend:
    """GAIN is the change towards better (positive = better). A change counts only when it
    is non-zero and at least the MIC (≥, not >), compared exactly."""
    gain, mic = exact(gain), exact(mic)
    if gain == 0:
        return Trend.STABLE
    if gain >= mic:
        return Trend.IMPROVING
    if -gain >= mic:
        return Trend.WORSENING
    return Trend.STABLE


def combine(trends: Iterable[Trend]) -> Trend:
    """Any component worsening → worsening; else any improving → improving; else stable when
    something could be judged at all."""
    seen = set(trends)
    if Trend.WORSENING in seen:
        return Trend.WORSENING
    if Trend.IMPROVING in seen:
        return Trend.IMPROVING
    if Trend.STABLE in seen:
        return Trend.STABLE
    return Trend.INSUFFICIENT_DATA


def either_without_conflict(trends: Iterable[Trend]) -> Trend:
    """Improving if one improves and none worsens; worsening if one worsens and none improves;
    stable when they disagree or nothing moved (pain: intensity and frequency)."""
    seen = set(trends)
    improving, worsening = Trend.IMPROVING in seen, Trend.WORSENING in seen
    if improving and not worsening:
        return Trend.IMPROVING
    if worsening and not improving:
        return Trend.WORSENING
    if improving or worsening or Trend.STABLE in seen:
        return Trend.STABLE
    return Trend.INSUFFICIENT_DATA


def median(values: Sequence[float]) -> float | None:
    """Median; with an even count, the mean of the two middle values."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def mean(values: Sequence[float]) -> float | None:
    if not values:
        return None
    return sum(values) / len(values)


def tidy(value: float | Fraction | None) -> float | int | None:
    """A number for JSON: whole numbers as int, others without float noise."""
    if value is None:
        return None
    rounded = round(float(value), 6)
    return int(rounded) if rounded.is_integer() else rounded
