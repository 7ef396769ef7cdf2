"""Pain: 7-day windows, ≥ 3 ratings each; intensity MIC min(2, 30 %) never below 1;
frequency MIC 30 % with floors of 5 points (share) or 1 episode."""

from __future__ import annotations

import pytest

from tests.projections.builder import J, days


def rated(earlier: list[dict[str, float]], recent: list[dict[str, float]]) -> J:
    j = J()
    for at, kw in zip(days("2026-03-01", len(earlier)), earlier, strict=True):
        j.pain(at, **kw)  # type: ignore[arg-type]
    for at, kw in zip(days("2026-03-08", len(recent)), recent, strict=True):
        j.pain(at, **kw)  # type: ignore[arg-type]
    return j


def leg(earlier: float, recent: float, n: int = 3) -> str:
    trend: str = rated([{"leg": earlier}] * n, [{"leg": recent}] * n).indicator("pain", "2026-03-14")["trend"]
    return trend


@pytest.mark.parametrize(("earlier", "recent", "trend"), [
    (8, 6, "improving"),      # MIC min(2, 2.4) = 2: at the MIC
    (8, 6.5, "stable"),       # just below
    (8, 10, "worsening"),
    (5, 3.5, "improving"),    # MIC min(2, 1.5) = 1.5: at the MIC
    (5, 3.6, "stable"),       # just below
    (5, 6.5, "worsening"),
    (2, 1, "improving"),      # 30 % = 0.6, but never below 1 point
    (2, 1.5, "stable"),
    (0, 0, "stable"),         # zero baseline: nothing moved
    (0, 1, "worsening"),      # floor of 1 point still applies
])
def test_intensity_mic_boundaries(earlier: float, recent: float, trend: str) -> None:
    assert leg(earlier, recent) == trend


def test_three_ratings_per_window_are_needed() -> None:
    assert leg(8, 4, n=3) == "improving"
    assert leg(8, 4, n=2) == "insufficient_data"


def test_ratings_are_averaged_and_reported() -> None:
    j = rated([{"leg": 6, "back": 2}] * 3, [{"leg": 3, "back": 4}, {"leg": 4, "back": 4}, {"leg": 5, "back": 5}])
    p = j.indicator("pain", "2026-03-14")
    assert p["leg_mean"] == 4
    assert p["back_mean"] == pytest.approx(13 / 3)
    assert p["share_of_day_mean"] is None
    assert p["evidence"]["measures"][0]["mic"] == pytest.approx(1.8)


def test_less_often_at_the_same_intensity_is_improving() -> None:
    j = rated([{"leg": 5, "share": 60}] * 3, [{"leg": 5, "share": 40}] * 3)
    assert j.indicator("pain", "2026-03-14")["trend"] == "improving"


@pytest.mark.parametrize(("earlier", "recent", "trend"), [
    (60, 42, "improving"),   # MIC 18: at
    (60, 43, "stable"),      # below
    (10, 5, "improving"),    # 30 % = 3, floor 5 points: at
    (10, 6, "stable"),
    (0, 5, "worsening"),     # zero baseline: the 5-point floor
    (0, 4, "stable"),
])
def test_share_of_day_mic(earlier: float, recent: float, trend: str) -> None:
    j = rated([{"share": earlier}] * 3, [{"share": recent}] * 3)
    assert j.indicator("pain", "2026-03-14")["trend"] == trend


@pytest.mark.parametrize(("earlier", "recent", "trend"), [
    (10, 7, "improving"),  # 30 % = 3
    (10, 8, "stable"),
    (2, 1, "improving"),   # floor of 1 episode
    (0, 1, "worsening"),
])
def test_episodes_mic(earlier: int, recent: int, trend: str) -> None:
    j = rated([{"episodes": earlier}] * 3, [{"episodes": recent}] * 3)
    assert j.indicator("pain", "2026-03-14")["trend"] == trend


def test_intensity_and_frequency_disagreeing_is_stable() -> None:
    j = rated([{"leg": 5, "share": 60}] * 3, [{"leg": 7, "share": 30}] * 3)
    assert j.indicator("pain", "2026-03-14")["trend"] == "stable"


def test_worsening_frequency_with_stable_intensity_is_worsening() -> None:
    j = rated([{"leg": 5, "share": 30}] * 3, [{"leg": 5, "share": 60}] * 3)
    assert j.indicator("pain", "2026-03-14")["trend"] == "worsening"


def test_retracted_rating_no_longer_counts() -> None:
    j = rated([{"leg": 8}] * 3, [{"leg": 4}] * 3)
    j.retract(j.events[-1], "2026-03-14")
    assert j.indicator("pain", "2026-03-14")["trend"] == "insufficient_data"


def test_correction_changes_the_mean() -> None:
    j = rated([{"leg": 8}] * 3, [{"leg": 4}] * 3)
    for e in j.events[-3:]:
        j.correct(e, "2026-03-14", leg=7)
    p = j.indicator("pain", "2026-03-14")
    assert (p["trend"], p["leg_mean"]) == ("stable", 7)


# Model v2: exact MIC comparison ---------------------------------------------------------------

@pytest.mark.parametrize(("recent", "trend"), [(2.87, "improving"), (2.88, "stable")])
def test_intensity_change_equal_to_30_percent_on_paper_counts(recent: float, trend: str) -> None:
    # Earlier mean 4.1: MIC 30 % = 1.23 (below 2), and 4.1 − 2.87 = 1.23 exactly.
    assert leg(4.1, recent) == trend


@pytest.mark.parametrize(("recent", "trend"), [(11.97, "improving"), (11.98, "stable")])
def test_share_change_equal_to_30_percent_on_paper_counts(recent: float, trend: str) -> None:
    # Earlier mean 17.1 %: MIC 5.13 points; 17.1 − 11.97 = 5.13.
    j = rated([{"share": 17.1}] * 3, [{"share": recent}] * 3)
    assert j.indicator("pain", "2026-03-14")["trend"] == trend
