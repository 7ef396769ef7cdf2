"""Red flags: latest checklist on or before D; since = first checklist of the unbroken run;
progressive weakness derived from tests."""

from __future__ import annotations

import pytest

from tests.projections.builder import J, days


def flags(j: J, as_of: str) -> list[tuple[str, str, str]]:
    return [(f["code"], f["urgency"], f["since"]) for f in j.status(as_of)["red_flags"]]


def test_flag_active_from_its_checklist_until_a_later_one_omits_it() -> None:
    j = J()
    j.flags("2026-03-01", "saddle_numbness")
    j.flags("2026-03-02", "saddle_numbness", "fever_or_unwell")
    j.flags("2026-03-04")
    assert flags(j, "2026-02-28") == []
    assert flags(j, "2026-03-03") == [("saddle_numbness", "emergency", "2026-03-01"),
                                      ("fever_or_unwell", "soon", "2026-03-02")]
    assert flags(j, "2026-03-04") == []


def broken_run(code: str, omitted: str, listed_again: str) -> J:
    """CODE listed on 1 Mar, a checklist without it on OMITTED, listed again on LISTED_AGAIN."""
    j = J()
    j.flags("2026-03-01", code)
    j.flags(omitted)
    j.flags(listed_again, code)
    return j


def test_since_restarts_after_a_break_in_the_run() -> None:
    j = broken_run("night_or_rest_pain", "2026-03-02", "2026-03-05")
    assert flags(j, "2026-03-06") == [("night_or_rest_pain", "soon", "2026-03-05")]


def test_both_legs_flags_are_emergencies() -> None:
    j = J(side="left")
    j.flags("2026-03-01", "both_legs", "weakness_both_legs")
    assert {f[0]: f[1] for f in flags(j, "2026-03-01")} == {"both_legs": "emergency",
                                                            "weakness_both_legs": "emergency"}


def test_both_legs_is_soon_for_a_both_sides_journal() -> None:
    # v2 (alarm fatigue): this test used side="both" and expected an emergency; for a journal
    # whose sciatica is in both legs, both_legs is the known presentation.
    j = J(side="both")
    j.flags("2026-03-01", "both_legs", "weakness_both_legs")
    assert {f[0]: f[1] for f in flags(j, "2026-03-01")} == {"both_legs": "soon",
                                                            "weakness_both_legs": "emergency"}


def test_retracted_checklist_no_longer_counts() -> None:
    j = J()
    j.flags("2026-03-01", "bladder_change")
    wrong = j.flags("2026-03-02")
    j.retract(wrong, "2026-03-02")
    assert flags(j, "2026-03-02") == [("bladder_change", "emergency", "2026-03-01")]


def test_acknowledgement_is_reported_but_never_hides_the_flag() -> None:
    j = J()
    j.flags("2026-03-01", "bowel_change")
    j.acknowledge("2026-03-01T12:05", "bowel_change")
    [flag] = j.status("2026-03-01")["red_flags"]
    assert flag["acknowledged"] is True


def test_grade_drop_is_progressive_weakness_until_a_later_grading_no_longer_drops() -> None:
    j = J()
    j.grade("2026-03-01", "left", 4)
    j.grade("2026-03-05", "left", 3)
    assert flags(j, "2026-03-05") == [("progressive_weakness", "today", "2026-03-05")]
    j.grade("2026-03-09", "left", 4)
    assert flags(j, "2026-03-09") == []


def test_heel_raises_falling_by_6_twice_in_a_row() -> None:
    j = J()
    for at, n in (("2026-03-01", 20), ("2026-03-03", 14), ("2026-03-05", 8)):
        j.heel(at, "left", n)
    assert flags(j, "2026-03-04") == []
    assert flags(j, "2026-03-05") == [("progressive_weakness", "today", "2026-03-05")]
    j2 = J()
    for at, n in (("2026-03-01", 20), ("2026-03-03", 15), ("2026-03-05", 9)):  # 5 then 6: no
        j2.heel(at, "left", n)
    assert flags(j2, "2026-03-05") == []


def test_heel_raises_on_the_unaffected_side_are_not_progressive_weakness() -> None:
    j = J(side="left")
    for at, n in (("2026-03-01", 30), ("2026-03-03", 24), ("2026-03-05", 18)):
        j.heel(at, "right", n)
    assert flags(j, "2026-03-05") == []


def test_gait_unable_after_an_earlier_better_result() -> None:
    j = J()
    j.gait("2026-03-01", "left", "impaired", test="toe_walk")
    j.gait("2026-03-04", "left", "unable", test="toe_walk")
    assert flags(j, "2026-03-04") == [("progressive_weakness", "today", "2026-03-04")]
    j.gait("2026-03-08", "left", "impaired", test="toe_walk")
    assert flags(j, "2026-03-08") == []


def test_red_flags_come_emergency_first() -> None:
    j = J()
    j.flags("2026-03-01", "cancer_history", "bladder_change")
    j.grade("2026-03-01", "left", 5)
    j.grade("2026-03-02", "left", 4)
    assert [f[1] for f in flags(j, "2026-03-02")] == ["emergency", "today", "soon"]


# Model v2: history flags are news for 28 days --------------------------------------------------

@pytest.mark.parametrize("code", ["cancer_history", "significant_trauma"])
@pytest.mark.parametrize(("as_of", "active"), [("2026-03-28", True), ("2026-03-29", False)])
def test_history_flags_are_active_while_d_minus_since_is_under_28(code: str, as_of: str, active: bool) -> None:
    j = J()
    for at in days("2026-03-01", 30):
        j.flags(at, code)  # every checklist still lists it
    assert bool(flags(j, as_of)) is active  # 28 Mar − 1 Mar = 27 days; 29 Mar: 28


def test_a_history_flag_dropped_and_listed_again_starts_a_new_28_days() -> None:
    j = broken_run("cancer_history", "2026-03-10", "2026-04-20")
    assert flags(j, "2026-04-20") == [("cancer_history", "soon", "2026-04-20")]
    assert flags(j, "2026-05-18") == []


def test_other_soon_flags_stay_active_however_long() -> None:
    j = J()
    for at in days("2026-03-01", 40):
        j.flags(at, "night_or_rest_pain")
    assert flags(j, "2026-04-09") == [("night_or_rest_pain", "soon", "2026-03-01")]
