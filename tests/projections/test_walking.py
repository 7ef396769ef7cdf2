"""Walking: 14-day windows, ≥ 2 walks each, best tolerance, MIC 30 % at least 1 minute."""

from __future__ import annotations

import pytest

from tests.projections.builder import J


def walks(earlier: list[tuple[float, float | None]], recent: list[tuple[float, float | None]]) -> J:
    """EARLIER walks on 1, 3, 5… Mar; RECENT on 15, 17… Mar: (total, minutes to symptoms)."""
    j = J()
    for i, (total, to) in enumerate(earlier):
        j.walk(f"2026-03-{1 + 2 * i:02d}", total, to, "calf" if to is not None else None)
    for i, (total, to) in enumerate(recent):
        j.walk(f"2026-03-{15 + 2 * i:02d}", total, to, "calf" if to is not None else None)
    return j


@pytest.mark.parametrize(("earlier", "recent", "trend"), [
    (10, 13, "improving"),   # MIC 3: at
    (10, 12.9, "stable"),
    (10, 7, "worsening"),
    (2, 3, "improving"),     # 30 % = 0.6, floor 1 minute
    (2, 2.5, "stable"),
])
def test_best_tolerance_mic(earlier: float, recent: float, trend: str) -> None:
    j = walks([(30, earlier), (30, 1)], [(30, recent), (30, 1)])
    assert j.indicator("walking", "2026-03-28")["trend"] == trend


def test_symptom_free_walk_counts_its_total_minutes() -> None:
    j = walks([(30, 10), (30, 5)], [(20, None), (30, 4)])
    w = j.indicator("walking", "2026-03-28")
    assert w["best_tolerance_minutes"] == 20
    assert w["trend"] == "improving"


def test_two_walks_per_window_are_needed() -> None:
    j = walks([(30, 10)], [(30, 20), (30, 20)])
    w = j.indicator("walking", "2026-03-28")
    assert w["trend"] == "insufficient_data"
    assert w["best_tolerance_minutes"] == 20


def test_windows_are_fourteen_days() -> None:
    # The walk on 14 Mar belongs to the earlier window of 28 Mar (1–14 Mar), not the recent one.
    j = walks([(30, 10), (30, 10)], [(30, 20), (30, 20)])
    j.walk("2026-03-14", 30, 30, "calf")
    w = j.indicator("walking", "2026-03-28")
    assert w["evidence"]["earlier_window"]["best"] == 30
    assert w["trend"] == "worsening"
