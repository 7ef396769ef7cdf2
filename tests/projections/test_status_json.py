"""The ``sciatica-status/2`` JSON: every schema key always present; text summary."""

from __future__ import annotations

from typing import Any

import pytest

from projections.status import status_to_json, status_to_text
from projections.timeline import Timeline
from tests.projections.builder import J, day, days

TOP = {"schema", "as_of", "patient", "affected_side", "days_since_onset", "stage", "red_flags",
       "indicators", "signs", "exercises"}
INDICATORS = {
    "centralization": {"trend", "recent_extent", "earlier_extent", "abolished"},
    "strength": {"trend", "heel_raises", "symmetry_percent", "weakness", "foot_drop", "milestones"},
    "nerve_mobility": {"trend", "straight_leg_raise_degrees", "slump", "fingertip_to_floor_cm"},
    "pain": {"trend", "leg_mean", "back_mean", "share_of_day_mean"},
    "walking": {"trend", "best_tolerance_minutes"},
}
TRENDS = {"improving", "worsening", "stable", "insufficient_data"}
# Schema /2 (clinical model v2) adds red_flag, no_recent_data, subacute and persistent.
STAGES = {"not_enough_data", "red_flag", "no_recent_data", "flare", "recovered", "final_stage", "improving",
          "acute", "subacute", "persistent"}


def check_schema(status: dict[str, Any]) -> None:
    assert TOP <= set(status)
    assert status["schema"] == "sciatica-status/2"  # v2 of the clinical model (issue 15)
    assert status["stage"] in STAGES
    assert set(status["indicators"]) >= set(INDICATORS)
    for name, keys in INDICATORS.items():
        assert keys <= set(status["indicators"][name]), name
        assert status["indicators"][name]["trend"] in TRENDS
    for flag in status["red_flags"]:
        assert {"code", "urgency", "since"} <= set(flag)
    for exercise in status["exercises"]:
        assert {"exercise", "verdict"} <= set(exercise)


def test_empty_journal_has_every_key_with_nulls() -> None:
    status = J(onset="2026-01-01").status("2026-03-01")
    check_schema(status)
    assert status["days_since_onset"] == 59
    assert status["indicators"]["pain"]["leg_mean"] is None
    assert status["indicators"]["walking"]["best_tolerance_minutes"] is None
    assert status["stage"] == "not_enough_data"


def test_onset_day_is_day_zero() -> None:
    assert J(onset="2026-03-01").status("2026-03-01")["days_since_onset"] == 0


def test_text_puts_red_flags_first_and_explains_the_evidence() -> None:
    j = J()
    j.daily("2026-02-24", 7, "calf")
    j.daily("2026-03-03", 7, "buttock")
    j.flags("2026-03-09", "bladder_change")
    text = status_to_text(j.snapshot("2026-03-09"))
    first = text.splitlines()[0]
    # v2 status text: the flag in plain words (no code), the windows' dates in the order of
    # their values (v1 wrote "median furthest symptom calf → buttock, 3 Mar–9 Mar vs …").
    assert "Seek emergency care now" in first and "changes in bladder control" in first
    assert "reported since 9 Mar" in first
    assert "cannot judge an emergency" in text
    assert ("Centralization: centralizing: furthest symptom (median of the daily worst) "
            "earlier 24 Feb–2 Mar: calf → recent 3–9 Mar: buttock") in text


def test_recorded_at_status_has_every_key() -> None:
    j = J()
    j.extent("2026-03-01", "calf")
    snapshot = Timeline(j.events).status_recorded_at(j.events[-1].recorded_at)
    check_schema(status_to_json(snapshot))
    assert snapshot.as_of == j.events[-1].recorded_at.astimezone().date()
    assert day("2026-01-01") <= snapshot.as_of


# Status text v2 -------------------------------------------------------------------------------

def test_text_pain_windows_read_earlier_then_recent_with_one_decimal_means() -> None:
    j = J()
    earlier, recent = [4, 3, 4, 3, 4, 3, 4.2], [2, 2, 2, 2, 3, 2, 1.7]  # means 3.6 and 2.1
    for at, leg in zip(days("2026-11-11", 14), [*earlier, *recent], strict=True):
        j.pain(at, leg=leg)
    text = status_to_text(j.snapshot("2026-11-24"))
    assert "mean leg pain earlier 11–17 Nov: 3.6 → recent 18–24 Nov: 2.1 (7 ratings each)" in text


# Stories of tests and the words the text gives them: (affected side, entries, as of, fragments).
TEST_TEXTS = [
    pytest.param("left", [("slr", "2026-11-22", "left", 30)], "2026-11-24",
                 ["straight-leg raise left 30° on 22 Nov; one test, no trend yet"],
                 id="shows_a_single_test_with_its_value"),
    pytest.param("right", [("grade", "2026-03-10", "right", 3), ("heel", "2026-03-11", "right", 12)], "2026-03-12",
                 ["foot drop: ankle dorsiflexion right grade 3 on 10 Mar",
                  "weakness: heel raises right 12 on 11 Mar, ankle dorsiflexion right grade 3 on 10 Mar"],
                 id="names_the_test_side_value_and_date_of_weakness_and_foot_drop"),
    pytest.param("left", [("heel", "2026-01-05", "left", 12)], "2026-06-01",
                 ["weakness and foot drop not judged: no test of the affected side in the last 90 days",
                  "heel raises left 12 on 5 Jan"],
                 id="says_weakness_is_not_judged_without_a_recent_test"),
]


@pytest.mark.parametrize(("side", "entries", "as_of", "fragments"), TEST_TEXTS)
def test_text_words_the_tests(side: str, entries: list[tuple[Any, ...]], as_of: str, fragments: list[str]) -> None:
    text = status_to_text(J.told(side, entries).snapshot(as_of))
    for fragment in fragments:
        assert fragment in text


def test_text_words_progressive_weakness_as_found_in_the_tests() -> None:
    j = J(side="left")
    j.heel("2026-03-01", "left", 20)
    j.heel("2026-03-05", "left", 14)
    j.heel("2026-03-09", "left", 8)
    first = status_to_text(j.snapshot("2026-03-09")).splitlines()[0]
    assert first == ("!! See a clinician today: weakness getting worse (found in your tests since 9 Mar: "
                     "heel raises left 20 → 14 → 8).")
    assert "reported" not in first


def test_text_has_no_raw_codes_and_grammar_agrees_with_numbers() -> None:
    j = J(side="both")
    j.pain("2026-03-01", leg=5)
    j.flags("2026-03-01", "both_legs", "night_or_rest_pain")
    j.exercise("2026-03-01", "prone press-up", "calf", "knee")
    text = status_to_text(j.snapshot("2026-03-01"))
    assert "A. Patient, both sides — status" in text
    assert "only 1 day with symptom or pain records" in text
    assert "Exercise prone press-up: no clear effect (last 1 session," in text
    for code in ("nerve_mobility", "not_enough_data", "both_legs", "night_or_rest_pain", "_"):
        assert code not in text, code


def test_every_stage_has_words_and_advice() -> None:
    from projections.stage import Stage
    from projections.vocabulary import STAGES

    assert set(STAGES) == {s.value for s in Stage}
    assert all(w.title and w.explanation and w.advice for w in STAGES.values())
