"""The ``sciatica-status/2`` JSON: every schema key always present; text summary."""

from __future__ import annotations

from typing import Any

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
    for at in days("2026-02-24", 7):
        j.extent(at, "calf")
    for at in days("2026-03-03", 7):
        j.extent(at, "buttock")
    j.flags("2026-03-09", "bladder_change")
    text = status_to_text(j.snapshot("2026-03-09"))
    first = text.splitlines()[0]
    assert "Seek emergency care now" in first and "bladder change" in first
    assert "cannot judge an emergency" in text
    assert "Centralization: centralizing: median furthest symptom calf → buttock, 3 Mar–9 Mar" in text
    assert "24 Feb–2 Mar" in text


def test_recorded_at_status_has_every_key() -> None:
    j = J()
    j.extent("2026-03-01", "calf")
    snapshot = Timeline(j.events).status_recorded_at(j.events[-1].recorded_at)
    check_schema(status_to_json(snapshot))
    assert snapshot.as_of == j.events[-1].recorded_at.astimezone().date()
    assert day("2026-01-01") <= snapshot.as_of
