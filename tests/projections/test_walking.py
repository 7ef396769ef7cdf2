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


# Model v2: reaching symptom-free walking, exact MIC -----------------------------------------

def test_reaching_symptom_free_walking_is_improving_whatever_the_mic() -> None:
    # Earlier best 20 min (symptoms at 20), recent best a 20-minute symptom-free walk: gain 0.
    j = walks([(30, 20), (30, 5)], [(20, None), (30, 5)])
    w = j.indicator("walking", "2026-03-28")
    assert w["trend"] == "improving"
    assert w["evidence"]["recent_window"]["best_symptom_free"] is True


def test_symptom_free_but_shorter_than_the_earlier_best_is_not_improving() -> None:
    j = walks([(30, 20), (30, 5)], [(19, None), (30, 5)])
    assert j.indicator("walking", "2026-03-28")["trend"] == "stable"


def test_symptom_free_in_both_windows_is_judged_on_the_mic() -> None:
    j = walks([(20, None), (30, 5)], [(20, None), (30, 5)])
    assert j.indicator("walking", "2026-03-28")["trend"] == "stable"


def test_a_tie_for_the_best_counts_as_symptom_free_if_any_walk_at_it_is() -> None:
    j = walks([(30, 25), (30, 5)], [(30, 25), (25, None)])
    assert j.indicator("walking", "2026-03-28")["trend"] == "improving"


def test_two_walks_per_window_come_first() -> None:
    j = walks([(30, 20), (30, 5)], [(30, None)])
    assert j.indicator("walking", "2026-03-28")["trend"] == "insufficient_data"


@pytest.mark.parametrize(("recent", "trend"), [(11.7, "improving"), (11.69, "stable")])
def test_a_change_equal_to_the_mic_on_paper_counts(recent: float, trend: str) -> None:
    # Earlier best 9 min: MIC 30 % = 2.7, and 11.7 − 9 = 2.7 exactly (in binary floats it is
    # 2.6999999999999993, below 0.3 × 9 = 2.7).
    j = walks([(30, 9), (30, 1)], [(30, recent), (30, 1)])
    assert j.indicator("walking", "2026-03-28")["trend"] == trend
