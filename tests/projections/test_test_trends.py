"""Stories of the indicators judged by tests (strength, nerve mobility) that end in one trend.

One table, one test body: each row is (indicator, affected side, entries, as of, trend), the
entries as builder calls; the id names the behaviour. Kept from test_strength.py and
test_nerve_mobility.py, where each was a test of its own with the same body."""

from __future__ import annotations

from typing import Any

import pytest

from tests.projections.builder import J

STORIES = [
    # Strength ---------------------------------------------------------------------------------
    # Model v2 changed the heel-raise MIC from 5 to 6 (the measurement error of about ±6), so the
    # boundary moved: 10 → 16 counts, 10 → 15 no longer does.
    *(pytest.param("strength", "left", [("heel", "2026-03-01", "left", before), ("heel", "2026-03-20", "left", after)],
                   "2026-03-20", trend, id=f"heel_raise_trend_mic_6-{before}-{after}")
      for before, after, trend in [(10, 16, "improving"), (10, 15, "stable"), (10, 4, "worsening"), (10, 5, "stable")]),
    pytest.param("strength", "left", [("heel", "2026-03-01T08:00", "left", 5),
                                      ("heel", "2026-03-01T18:00", "left", 15)],
                 "2026-03-01", "insufficient_data", id="single_test_or_same_day_tests_are_insufficient"),
    pytest.param("strength", "left", [("heel", "2026-03-01", "left", 10), ("heel", "2026-03-10", "left", 20),
                                      ("grade", "2026-03-01", "left", 5), ("grade", "2026-03-10", "left", 4)],
                 "2026-03-10", "worsening", id="any_component_worsening_wins"),
    pytest.param("strength", "left", [("gait", "2026-03-01", "left", "unable"),
                                      ("gait", "2026-03-10", "left", "impaired")],
                 "2026-03-10", "improving", id="one_walk_category_is_the_gait_mic"),
    # Model v2: both sides affected, both legs are judged.
    pytest.param("strength", "both", [("heel", "2026-03-01", "left", 10), ("heel", "2026-03-10", "left", 16),
                                      ("heel", "2026-03-01", "right", 20), ("heel", "2026-03-10", "right", 14)],
                 "2026-03-10", "worsening", id="both_sides_affected_judges_both_legs"),
    # Nerve mobility ---------------------------------------------------------------------------
    pytest.param("nerve_mobility", "left", [("slr", "2026-03-01", "left", 40), ("slr", "2026-03-15", "left", 60),
                                            ("bend", "2026-03-01", 10), ("bend", "2026-03-15", 20)],
                 "2026-03-15", "worsening", id="any_test_worsening_wins_over_another_improving"),
    pytest.param("nerve_mobility", "left", [("slr", "2026-01-01", "left", 30),
                                            ("slr", "2026-02-13", "left", 60)],  # 43 days later
                 "2026-02-13", "insufficient_data", id="baseline_older_than_42_days_is_not_used"),
    pytest.param("nerve_mobility", "both", [("slr", "2026-03-01", "left", 40), ("slr", "2026-03-10", "right", 70)],
                 "2026-03-10", "insufficient_data", id="each_side_is_compared_with_itself"),
    # Model v2: the affected side only.
    pytest.param("nerve_mobility", "left", [("bend", "2026-03-01", 20), ("bend", "2026-03-10", 15)],
                 "2026-03-10", "improving", id="the_forward_bend_is_central_and_judged"),
    pytest.param("nerve_mobility", "right", [("slr", "2026-03-01", "left", 80), ("slr", "2026-03-10", "left", 40),
                                             ("slr", "2026-03-01", "right", 30), ("slr", "2026-03-10", "right", 36)],
                 "2026-03-10", "improving", id="the_affected_side_is_judged_beside_a_healthy_side_that_worsens"),
]


@pytest.mark.parametrize(("indicator", "side", "entries", "as_of", "trend"), STORIES)
def test_story_ends_in_trend(indicator: str, side: str, entries: list[tuple[Any, ...]], as_of: str,
                             trend: str) -> None:
    assert J.told(side, entries).indicator(indicator, as_of)["trend"] == trend
