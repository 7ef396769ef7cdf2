"""Strength: heel raises, MRC grades, heel/toe walk; weakness and foot drop on the affected
side(s); LSI with one side affected; trend over 42 days; milestones."""

from __future__ import annotations

import pytest

from tests.projections.builder import J


def test_heel_raises_latest_per_side_and_symmetry() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "left", 8)
    j.heel("2026-03-02", "left", 12)
    j.heel("2026-03-02", "right", 26)
    s = j.indicator("strength", "2026-03-02")
    assert s["heel_raises"] == {"left": 12, "right": 26}
    assert s["symmetry_percent"] == 46
    assert s["weakness"] is True
    assert s["foot_drop"] is False


@pytest.mark.parametrize(("left", "right", "weak"), [(25, 27, False), (24, 25, True), (27, 30, False),
                                                     (26, 30, True)])
def test_weakness_boundaries_normal_25_and_symmetric_90(left: int, right: int, weak: bool) -> None:
    j = J(side="left")
    j.heel("2026-03-01", "left", left)
    j.heel("2026-03-01", "right", right)
    assert j.indicator("strength", "2026-03-01")["weakness"] is weak


def test_symmetry_is_null_with_both_sides_affected_and_both_are_judged() -> None:
    j = J(side="both")
    j.heel("2026-03-01", "left", 30)
    j.heel("2026-03-01", "right", 20)
    s = j.indicator("strength", "2026-03-01")
    assert s["symmetry_percent"] is None
    assert s["weakness"] is True  # right < 25


def test_unaffected_side_weakness_does_not_count() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "left", 28)
    j.grade("2026-03-01", "right", 3)
    s = j.indicator("strength", "2026-03-01")
    assert (s["weakness"], s["foot_drop"]) == (False, False)


@pytest.mark.parametrize(("grade", "weak", "drop"), [(5, False, False), (4, True, False), (3, True, True)])
def test_mrc_grade_weakness_and_foot_drop(grade: int, weak: bool, drop: bool) -> None:
    j = J(side="right")
    j.grade("2026-03-01", "right", grade, muscle="great_toe_extension")
    s = j.indicator("strength", "2026-03-01")
    assert (s["weakness"], s["foot_drop"]) == (weak, drop)


@pytest.mark.parametrize(("test", "result", "weak", "drop"), [
    ("heel_walk", "unable", True, True), ("heel_walk", "impaired", True, False),
    ("toe_walk", "unable", True, False), ("heel_walk", "normal", False, False)])
def test_gait_weakness_and_foot_drop(test: str, result: str, weak: bool, drop: bool) -> None:
    j = J(side="left")
    j.gait("2026-03-01", "left", result, test=test)
    s = j.indicator("strength", "2026-03-01")
    assert (s["weakness"], s["foot_drop"]) == (weak, drop)


def test_nothing_tested_means_nulls() -> None:
    s = J().indicator("strength", "2026-03-01")
    assert s == {**s, "trend": "insufficient_data", "heel_raises": None, "symmetry_percent": None,
                 "weakness": None, "foot_drop": None, "milestones": []}


def test_baseline_is_the_earliest_test_within_42_days_before_the_latest() -> None:
    j = J()
    j.heel("2026-01-01", "left", 0)     # 43 days before: too old
    j.heel("2026-01-02", "left", 8)     # 42 days before: the baseline
    j.heel("2026-02-01", "left", 20)
    j.heel("2026-02-13", "left", 12)
    assert j.indicator("strength", "2026-02-13")["trend"] == "stable"
    ev = j.indicator("strength", "2026-02-13")["evidence"]["comparisons"][0]
    assert (ev["earlier_date"], ev["earlier_value"]) == ("2026-01-02", 8)


def test_milestones_are_dated_once_on_the_affected_side() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "left", 0)
    j.heel("2026-03-01", "right", 28)
    j.heel("2026-03-05", "left", 3)
    j.heel("2026-03-10", "left", 12)
    j.heel("2026-03-15", "left", 6)     # drops …
    j.heel("2026-03-20", "left", 14)    # … and rises again: heel_raises_10 is not re-awarded
    j.heel("2026-03-25", "left", 26)
    j.grade("2026-03-01", "left", 2)
    j.grade("2026-03-12", "left", 4)
    j.gait("2026-03-01", "left", "unable")
    j.gait("2026-03-22", "left", "normal")
    got = {(m["code"], m["side"], m["date"]) for m in j.indicator("strength", "2026-03-31")["milestones"]}
    assert got == {
        ("heel_raises_1", "left", "2026-03-05"), ("heel_raises_10", "left", "2026-03-10"),
        ("heel_raises_20", "left", "2026-03-25"), ("heel_raises_25", "left", "2026-03-25"),
        ("symmetry_90", "left", "2026-03-25"),
        ("ankle_dorsiflexion_grade_3", "left", "2026-03-12"), ("ankle_dorsiflexion_grade_4", "left", "2026-03-12"),
        ("heel_walk_normal", "left", "2026-03-22"),
    }
    early = j.indicator("strength", "2026-03-10")["milestones"]
    assert [m["code"] for m in early] == ["heel_raises_1", "heel_raises_10"]


def test_foot_drop_recovers_last() -> None:
    j = J(side="left")
    j.grade("2026-03-01", "left", 2)
    j.grade("2026-04-01", "left", 5)
    assert j.indicator("strength", "2026-03-20")["foot_drop"] is True
    assert j.indicator("strength", "2026-04-01")["foot_drop"] is False


def test_retracted_test_is_ignored_and_corrected_test_counts() -> None:
    j = J()
    a = j.heel("2026-03-01", "left", 10)
    b = j.heel("2026-03-10", "left", 4)
    assert j.indicator("strength", "2026-03-10")["trend"] == "worsening"
    j.correct(b, "2026-03-11", side="left", repetitions=16)
    assert j.indicator("strength", "2026-03-11")["trend"] == "improving"
    j.retract(a, "2026-03-12")
    s = j.indicator("strength", "2026-03-12")
    assert (s["trend"], s["heel_raises"]) == ("insufficient_data", {"left": 16})


# Model v2 --------------------------------------------------------------------------------------

def test_trend_ignores_the_healthy_leg() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "right", 30)
    j.heel("2026-03-10", "right", 10)  # noise on the reference leg
    j.grade("2026-03-01", "right", 5)
    j.grade("2026-03-10", "right", 3)
    s = j.indicator("strength", "2026-03-10")
    assert s["trend"] == "insufficient_data"
    assert s["evidence"]["comparisons"] == []
    j.heel("2026-03-01", "left", 10)
    j.heel("2026-03-10", "left", 16)
    assert j.indicator("strength", "2026-03-10")["trend"] == "improving"


@pytest.mark.parametrize(("as_of", "current"), [("2026-05-29", True), ("2026-05-30", False)])
def test_findings_are_current_for_90_days_ending_d(as_of: str, current: bool) -> None:
    # Tested 1 Mar: 1 Mar is day 90 of the window ending 29 May, outside the one ending 30 May.
    j = J(side="left")
    j.grade("2026-03-01", "left", 3)
    s = j.indicator("strength", as_of)
    if current:
        assert (s["weakness"], s["foot_drop"]) == (True, True)
        assert s["evidence"]["foot_drop_findings"][0]["date"] == "2026-03-01"
    else:
        assert (s["weakness"], s["foot_drop"]) == (None, None)
        assert s["evidence"]["history_findings"][0] == {**s["evidence"]["history_findings"][0],
                                                        "test": "ankle_dorsiflexion", "value": 3}


def test_a_healthy_side_test_alone_says_nothing_about_the_affected_side() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "right", 10)
    s = j.indicator("strength", "2026-03-01")
    assert (s["weakness"], s["foot_drop"]) == (None, None)
    assert s["heel_raises"] == {"right": 10}


def test_one_current_result_makes_booleans_and_old_ones_stay_history() -> None:
    j = J(side="left")
    j.grade("2026-01-01", "left", 2)        # foot drop, but 120 days before D: history
    j.heel("2026-04-20", "left", 26)        # current and normal
    s = j.indicator("strength", "2026-05-01")
    assert (s["weakness"], s["foot_drop"]) == (False, False)


def test_symmetry_is_a_current_finding_only_with_both_sides_in_the_window() -> None:
    j = J(side="left")
    j.heel("2026-01-01", "right", 40)       # reference tested long ago
    j.heel("2026-04-20", "left", 26)        # 65 %, but the reference is history
    s = j.indicator("strength", "2026-05-01")
    assert s["symmetry_percent"] == 65      # still shown, from the latest results
    assert s["weakness"] is False
    j.heel("2026-04-21", "right", 40)
    assert j.indicator("strength", "2026-05-01")["weakness"] is True


def test_heel_raises_show_their_dates() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "left", 12)
    assert j.snapshot("2026-09-01").strength.heel_raise_dates == {"left": j.snapshot("2026-03-01").as_of}
