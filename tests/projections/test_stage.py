"""Recovery stage (model v2): not_enough_data → red_flag → no_recent_data → flare → recovered →
final_stage → improving → acute / subacute / persistent."""

from __future__ import annotations

from tests.projections.builder import J, days


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
    for at in days("2026-03-01", 7):
        j.extent(at, "knee")
        j.pain(at, leg=8)
    for at in days("2026-03-08", 7):
        j.extent(at, "calf")
        j.pain(at, leg=4)
    assert stage(j, "2026-03-14") == "flare"


def test_recovered_needs_14_settled_days_and_no_weakness() -> None:
    j = J()
    for at in days("2026-03-01", 14):
        j.extent(at, "low_back")
        j.pain(at, leg=1)
    assert stage(j, "2026-03-14") == "recovered"
    j.heel("2026-03-14", "left", 20)
    assert stage(j, "2026-03-14") == "final_stage"


def test_leg_pain_mean_above_1_is_not_recovered() -> None:
    j = J()
    for at in days("2026-03-01", 14):
        j.extent(at, "low_back")
        j.pain(at, leg=1.5)
    assert stage(j, "2026-03-14") != "recovered"


def test_one_buttock_record_in_14_days_is_not_recovered() -> None:
    j = J()
    j.extent("2026-03-01", "buttock")
    for at in days("2026-03-02", 13):
        j.extent(at, "low_back_center")
        j.pain(at, leg=0)
    assert stage(j, "2026-03-14") != "recovered"
    assert stage(j, "2026-03-15") == "recovered"


def test_final_stage_when_symptoms_settle_but_foot_drop_remains() -> None:
    j = J()
    for at in days("2026-03-08", 7):
        j.extent(at, "low_back")
        j.pain(at, leg=2)
    j.grade("2026-03-10", "left", 3)
    assert stage(j, "2026-03-14") == "final_stage"
    j.grade("2026-03-14", "left", 5)
    j.heel("2026-03-14", "left", 27)
    assert stage(j, "2026-03-14") != "final_stage"


def test_improving_when_one_sign_improves_and_none_worsens() -> None:
    j = J()
    for at in days("2026-03-01", 7):
        j.extent(at, "calf")
    for at in days("2026-03-08", 7):
        j.extent(at, "knee")
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
