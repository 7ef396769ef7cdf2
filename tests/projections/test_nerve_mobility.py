"""Nerve mobility: SLR MIC 6°, fingertip-to-floor MIC 5 cm, slump positive ↔ negative."""

from __future__ import annotations

import pytest

from tests.projections.builder import J


@pytest.mark.parametrize(("before", "after", "trend"), [(40, 46, "improving"), (40, 45.9, "stable"),
                                                        (40, 34, "worsening"), (40, 35, "stable")])
def test_straight_leg_raise_mic_6(before: float, after: float, trend: str) -> None:
    j = J()
    j.slr("2026-03-01", "left", before)
    j.slr("2026-03-15", "left", after)
    n = j.indicator("nerve_mobility", "2026-03-15")
    assert n["trend"] == trend
    assert n["straight_leg_raise_degrees"] == {"left": after}


@pytest.mark.parametrize(("before", "after", "trend"), [(20, 15, "improving"), (20, 16, "stable"),
                                                        (20, 25, "worsening"), (-2, -7, "improving")])
def test_fingertip_to_floor_mic_5_lower_is_better(before: float, after: float, trend: str) -> None:
    j = J()
    j.bend("2026-03-01", before)
    j.bend("2026-03-15", after)
    n = j.indicator("nerve_mobility", "2026-03-15")
    assert (n["trend"], n["fingertip_to_floor_cm"]) == (trend, after)


def test_slump_positive_to_negative_is_improving_and_back_is_worsening() -> None:
    j = J()
    j.slump("2026-03-01", "left", "positive")
    j.slump("2026-03-10", "left", "negative")
    assert j.indicator("nerve_mobility", "2026-03-10")["trend"] == "improving"
    j.slump("2026-03-20", "left", "positive")
    # Compared with the earliest in the 42 days before (1 Mar, positive): no change.
    assert j.indicator("nerve_mobility", "2026-03-20")["trend"] == "stable"
    back = J()
    back.slump("2026-03-01", "left", "negative")
    back.slump("2026-03-10", "left", "positive")
    n = back.indicator("nerve_mobility", "2026-03-10")
    assert (n["trend"], n["slump"]) == ("worsening", {"left": "positive"})


# Model v2: the affected side only ---------------------------------------------------------------

def test_the_healthy_side_is_shown_but_never_judged() -> None:
    j = J(side="left")
    j.slr("2026-03-01", "right", 40)
    j.slr("2026-03-10", "right", 80)
    j.slump("2026-03-01", "right", "negative")
    j.slump("2026-03-10", "right", "positive")
    n = j.indicator("nerve_mobility", "2026-03-10")
    assert n["trend"] == "insufficient_data"
    assert (n["straight_leg_raise_degrees"], n["slump"]) == ({"right": 80}, {"right": "positive"})
