"""Timing helpers and the result rows every benchmark returns."""

from __future__ import annotations

import gc
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# The stable keys of ``python -m benchmarks --json``: always present, null when not measured.
STABLE_KEYS: tuple[str, ...] = (
    "open_ratio", "open_s", "asof_p95_ms", "record_p95_ms", "import_events_per_s",
    "verify_events_per_s", "startup_ratio", "redraw_ms", "rss_mb",
    "asrecorded_p95_ms",  # the audit replay (status --as-recorded-at), measured by "asof"
    "startup_loaded_ratio", "rss_over_bare_mb", "import_ratio", "verify_ratio",
)


@dataclass(frozen=True)
class Target:
    """A bound a figure must meet: ``value <= bound`` (op "≤") or ``value >= bound`` (op "≥")."""

    op: str
    bound: float

    def met(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value <= self.bound if self.op == "≤" else value >= self.bound

    def __str__(self) -> str:
        return f"{self.op} {_fmt(self.bound)}"


TARGETS: dict[str, Target] = {
    "open_ratio": Target("≤", 2),
    "asof_p95_ms": Target("≤", 30),
    "asrecorded_p95_ms": Target("≤", 30),
    "record_p95_ms": Target("≤", 20),
    "import_events_per_s": Target("≥", 20_000),
    "verify_events_per_s": Target("≥", 200_000),
    "import_ratio": Target("≤", 3),
    "verify_ratio": Target("≤", 3),
    "startup_ratio": Target("≤", 1.5),
    "startup_loaded_ratio": Target("≤", 2.0),
    "rss_over_bare_mb": Target("≤", 80),
    "redraw_ms": Target("≤", 30),
}


@dataclass
class Result:
    """One benchmark's outcome: its headline figures (stable keys) and how they were measured."""

    name: str
    figures: dict[str, float | None] = field(default_factory=dict)
    measured: str = ""  # the absolute numbers beside the floor's, for the table
    floor: str = ""  # what the floor is
    details: dict[str, Any] = field(default_factory=dict)
    na: str | None = None  # why the figures are missing

    @classmethod
    def not_available(cls, name: str, keys: Sequence[str], reason: str) -> Result:
        return cls(name, dict.fromkeys(keys), na=reason)


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    digits = max(2, 2 - math.floor(math.log10(abs(x))))
    return f"{x:.{digits}f}"


def fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "n/a"
    return f"{_fmt(x)}{(' ' + unit) if unit else ''}"


def percentile(values: Sequence[float], p: float) -> float:
    """The P-th percentile (0–100), linear interpolation between the nearest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds FN took (garbage collected before, as each run starts from the same state)."""
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def side_by_side(subject: Callable[[], Any], floor: Callable[[], Any], runs: int,
                 before: Callable[[], None] | None = None) -> tuple[list[float], list[float]]:
    """Interleave SUBJECT and FLOOR RUNS times each (so machine noise hits both alike);
    returns their times in seconds. BEFORE runs untimed before each timed call."""
    subject_times: list[float] = []
    floor_times: list[float] = []
    for i in range(runs):
        pair = ((subject, subject_times), (floor, floor_times))
        for fn, times in (pair if i % 2 == 0 else pair[::-1]):
            if before is not None:
                before()
            times.append(timed(fn)[0])
    return subject_times, floor_times


def paired_ratio(subject: Sequence[float], floor: Sequence[float]) -> float:
    """The median of the run-by-run ratios (each pair ran back to back, under the same load)."""
    return median([s / f for s, f in zip(subject, floor, strict=True)])


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
