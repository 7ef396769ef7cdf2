"""Recovery stage (model v2): not_enough_data → red_flag → no_recent_data → flare → recovered →
final_stage → improving → acute / subacute / persistent."""

from __future__ import annotations

import pytest

from tests.projections.builder import J, day, days


def stage(j: J, as_of: str) -> str:
    result: str = j.status(as_of)["stage"]
    return result


def test_fewer_than_three_days_with_symptom_or_pain_records_is_not_enough_data() -> None:
    j = J()
    j.extent("2026-03-01T08:00", "calf")
    j.pain("2026-03-01T20:00", leg=5)
    j.pain("2026-03-02", leg=5)
    j.walk("2026-03-03", 10, 5, "calf")  # a walk is not a symptom or pain record
    assert stage(j, "2026-03-03") == "not_enough_data"
    j.extent("2026-03-04", "calf")
    # v2: the fall-back stage is by duration; day 62 since onset is subacute (was "acute").
    assert stage(j, "2026-03-04") == "subacute"


def test_peripheralizing_is_a_flare_even_when_pain_improves() -> None:
    j = J()
    j.daily("2026-03-01", 7, "knee", leg=8)
    j.daily("2026-03-08", 7, "calf", leg=4)
    assert stage(j, "2026-03-14") == "flare"


def test_recovered_needs_14_settled_days_and_no_weakness() -> None:
    j = J()
    j.daily("2026-03-01", 14, "low_back", leg=1)
    assert stage(j, "2026-03-14") == "recovered"
    j.heel("2026-03-14", "left", 20)
    assert stage(j, "2026-03-14") == "final_stage"


def test_leg_pain_mean_above_1_is_not_recovered() -> None:
    j = J()
    j.daily("2026-03-01", 14, "low_back", leg=1.5)
    assert stage(j, "2026-03-14") != "recovered"


def test_one_buttock_record_in_14_days_is_not_recovered() -> None:
    j = J()
    j.extent("2026-03-01", "buttock")
    j.daily("2026-03-02", 13, "low_back_center", leg=0)
    assert stage(j, "2026-03-14") != "recovered"
    assert stage(j, "2026-03-15") == "recovered"


def test_final_stage_when_symptoms_settle_but_foot_drop_remains() -> None:
    j = J()
    j.daily("2026-03-08", 7, "low_back", leg=2)
    j.grade("2026-03-10", "left", 3)
    assert stage(j, "2026-03-14") == "final_stage"
    j.grade("2026-03-14", "left", 5)
    j.heel("2026-03-14", "left", 27)
    assert stage(j, "2026-03-14") != "final_stage"


def test_improving_when_one_sign_improves_and_none_worsens() -> None:
    j = J()
    j.daily("2026-03-01", 7, "calf")
    j.daily("2026-03-08", 7, "knee")
    assert stage(j, "2026-03-14") == "improving"
    j.heel("2026-03-01", "left", 20)
    j.heel("2026-03-14", "left", 10)
    # v2: the fall-back stage is by duration; day 72 since onset is subacute (was "acute").
    assert stage(j, "2026-03-14") == "subacute"


def test_worsening_pain_is_a_flare() -> None:
    j = J()
    for at in days("2026-03-01", 7):
        j.pain(at, leg=3)
    for at in days("2026-03-08", 7):
        j.pain(at, leg=6)
    assert stage(j, "2026-03-14") == "flare"


# Model v2 ------------------------------------------------------------------------------------

def settled(j: J, start: str = "2026-03-01", count: int = 14, leg: float = 0) -> J:
    """COUNT days of back-only symptoms and low leg pain from START: recovered by itself."""
    j.daily(start, count, "low_back", leg=leg)
    return j


def test_an_emergency_flag_is_the_stage_even_when_symptoms_have_settled() -> None:
    j = settled(J())
    assert stage(j, "2026-03-14") == "recovered"
    j.flags("2026-03-14", "bladder_change")
    assert stage(j, "2026-03-14") == "red_flag"
    assert "changes in bladder control" in j.status("2026-03-14")["stage_reason"]
    j.flags("2026-03-15")  # a later checklist no longer lists it
    j.extent("2026-03-15", "low_back")
    j.pain("2026-03-15", leg=0)
    assert stage(j, "2026-03-15") == "recovered"


def test_a_soon_flag_shows_but_does_not_change_the_stage() -> None:
    j = settled(J())
    j.flags("2026-03-14", "fever_or_unwell")
    status = j.status("2026-03-14")
    assert status["stage"] == "recovered"
    assert [f["code"] for f in status["red_flags"]] == ["fever_or_unwell"]


def test_progressive_weakness_is_a_red_flag_stage() -> None:
    j = settled(J())
    j.heel("2026-03-01", "left", 26)
    j.heel("2026-03-05", "left", 20)
    j.heel("2026-03-10", "left", 14)
    status = j.status("2026-03-14")
    assert status["stage"] == "red_flag"
    assert "found in your tests" in status["stage_reason"]


def test_not_enough_data_comes_before_a_red_flag() -> None:
    j = J()
    j.pain("2026-03-01", leg=3)
    j.flags("2026-03-01", "bladder_change")
    assert stage(j, "2026-03-01") == "not_enough_data"


@pytest.mark.parametrize(("as_of", "expected"), [("2026-03-27", "recovered"), ("2026-03-28", "no_recent_data")])
def test_no_check_in_or_rating_in_14_days_is_no_recent_data(as_of: str, expected: str) -> None:
    # Last records on 14 Mar: the 14 days ending 27 Mar include it, those ending 28 Mar do not.
    j = settled(J())
    j.walk("2026-03-26", 20)  # walks, tests and notes do not count as check-ins
    j.heel("2026-03-26", "left", 28)
    j.flags("2026-03-26")
    assert stage(j, as_of) == expected


def test_no_recent_data_says_when_the_last_entry_was() -> None:
    j = settled(J())
    snapshot = j.snapshot("2026-04-30")
    assert snapshot.stage.stage == "no_recent_data"
    assert snapshot.stage.last_record == day("2026-03-14")
    assert "14 Mar" in snapshot.stage.reason


@pytest.mark.parametrize(("earlier", "recent", "expected"), [
    (0, 1, "not_flare"),    # 0 → 1 is worsening pain, but within mild pain
    (0, 1.9, "not_flare"),  # just below a recent mean of 2
    (0, 2, "flare"),        # at it
])
def test_pain_rising_is_a_flare_only_at_a_recent_mean_of_2(earlier: float, recent: float, expected: str) -> None:
    j = J()
    j.daily("2026-03-01", 7, "calf", leg=earlier)
    j.daily("2026-03-08", 7, "calf", leg=recent)
    status = j.status("2026-03-14")
    assert status["indicators"]["pain"]["trend"] == "worsening"
    assert (status["stage"] == "flare") == (expected == "flare")


def test_pain_worsening_without_leg_ratings_is_no_flare() -> None:
    j = J()
    j.daily("2026-03-01", 7, "calf", share=10)
    j.daily("2026-03-08", 7, "calf", share=50)
    status = j.status("2026-03-14")
    assert status["indicators"]["pain"]["trend"] == "worsening"
    assert status["stage"] != "flare"


def test_weakness_felt_in_the_leg_within_14_days_is_not_recovered() -> None:
    j = settled(J())
    j.symptoms("2026-03-05", ("low_back", "left", "pain", 2), ("calf", "left", "weakness", 3))
    assert stage(j, "2026-03-14") != "recovered"
    assert stage(j, "2026-03-19") == "recovered"  # 5 Mar has left the 14 days


def test_weakness_recorded_at_intensity_0_is_not_felt() -> None:
    j = settled(J())
    j.symptoms("2026-03-05", ("low_back", "left", "pain", 2), ("calf", "left", "weakness", 0))
    assert stage(j, "2026-03-14") == "recovered"


@pytest.mark.parametrize(("degrees", "expected"), [(59, False), (60, True)])
def test_recovered_needs_the_affected_side_straight_leg_raise_at_60(degrees: int, expected: bool) -> None:
    j = settled(J(side="left"))
    j.slr("2026-03-10", "left", degrees)
    assert (stage(j, "2026-03-14") == "recovered") is expected


def test_recovered_needs_a_negative_slump_on_the_affected_side() -> None:
    j = settled(J(side="left"))
    j.slump("2026-03-10", "left", "positive")
    assert stage(j, "2026-03-14") != "recovered"
    j.slump("2026-03-12", "left", "negative")
    assert stage(j, "2026-03-14") == "recovered"


def test_a_positive_slump_on_the_healthy_side_does_not_block_recovered() -> None:
    j = settled(J(side="left"))
    j.slump("2026-03-10", "right", "positive")
    j.slr("2026-03-10", "right", 30)
    assert stage(j, "2026-03-14") == "recovered"


@pytest.mark.parametrize(("tested", "expected"), [("2026-01-31", "recovered"), ("2026-02-01", "not")])
def test_nerve_tests_count_when_one_lies_in_the_42_days_ending_d(tested: str, expected: str) -> None:
    # The 42 days ending 14 Mar start on 1 Feb (D − 41).
    j = settled(J(side="left"))
    j.slr(tested, "left", 30)
    assert (stage(j, "2026-03-14") == "recovered") == (expected == "recovered")


def test_an_old_low_straight_leg_raise_counts_once_another_nerve_test_is_recent() -> None:
    j = settled(J(side="left"))
    j.slr("2026-01-10", "left", 30)          # the latest SLR of the affected side, but old
    j.slump("2026-03-10", "right", "negative")  # a recent nerve test (either side)
    assert stage(j, "2026-03-14") != "recovered"


def test_final_stage_is_not_shown_while_strength_worsens() -> None:
    j = J()
    j.daily("2026-03-08", 7, "low_back", leg=2)
    j.heel("2026-03-01", "left", 20)
    j.heel("2026-03-10", "left", 20)
    assert stage(j, "2026-03-14") == "final_stage"
    j.heel("2026-03-13", "left", 14)  # −6 from the baseline: worsening (one drop: no red flag)
    status = j.status("2026-03-14")
    assert status["indicators"]["strength"]["trend"] == "worsening"
    assert status["red_flags"] == []
    assert status["stage"] != "final_stage"


def test_final_stage_needs_a_current_finding_of_weakness() -> None:
    j = J()
    j.daily("2026-06-08", 7, "low_back", leg=2)
    j.grade("2026-03-01", "left", 3)  # more than 90 days before 14 Jun: history
    assert stage(j, "2026-06-14") != "final_stage"


@pytest.mark.parametrize(("as_of", "expected"), [
    ("2026-02-11", "acute"),       # day 41
    ("2026-02-12", "subacute"),    # day 42
    ("2026-03-25", "subacute"),    # day 83
    ("2026-03-26", "persistent"),  # day 84
])
def test_duration_classes_by_days_since_onset(as_of: str, expected: str) -> None:
    j = J(onset="2026-01-01")
    j.daily("2026-01-01", 90, "calf", leg=5)
    assert stage(j, as_of) == expected
