"""Realistic patient journeys, end to end through the real command line:
``sciatica import`` then ``sciatica status --as-of D --json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main

HERE = Path(__file__).parent


class Journey:
    def __init__(self, name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = tmp_path / f"{name}.sciatica"
        self.capsys = capsys
        assert main(["import", str(self.path), str(HERE / f"{name}.jsonl")]) == 0
        capsys.readouterr()

    def status(self, as_of: str) -> dict[str, Any]:
        assert main(["status", str(self.path), "--as-of", as_of, "--json"]) == 0
        result: dict[str, Any] = json.loads(self.capsys.readouterr().out)
        return result

    def recorded(self, moment: str) -> dict[str, Any]:
        assert main(["status", str(self.path), "--as-recorded-at", moment, "--json"]) == 0
        result: dict[str, Any] = json.loads(self.capsys.readouterr().out)
        return result

    def text(self, as_of: str) -> str:
        assert main(["status", str(self.path), "--as-of", as_of]) == 0
        return self.capsys.readouterr().out

    def trends(self, as_of: str) -> dict[str, str]:
        return {k: v["trend"] for k, v in self.status(as_of)["indicators"].items()}


@pytest.fixture
def journey(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    return lambda name: Journey(name, tmp_path, capsys)


def test_classic_recovery_over_four_months(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("classic_recovery")
    assert j.status("2026-01-07")["stage"] == "not_enough_data"
    feb = j.status("2026-02-01")
    assert feb["stage"] == "improving"
    assert feb["days_since_onset"] == 27
    c = feb["indicators"]["centralization"]
    assert (c["trend"], c["recent_extent"], c["earlier_extent"]) == ("improving", 6, 7)
    s = feb["indicators"]["strength"]
    assert s["heel_raises"] == {"left": 9, "right": 29}
    assert s["symmetry_percent"] == 31
    assert (s["weakness"], s["foot_drop"]) == (True, False)
    assert feb["indicators"]["nerve_mobility"]["trend"] == "improving"
    assert feb["indicators"]["walking"]["trend"] == "improving"
    april = j.status("2026-04-01")
    assert april["stage"] == "improving"  # a walk on 21 Mar still reached the calf
    assert april["indicators"]["centralization"]["abolished"] is True
    assert [m["code"] for m in april["indicators"]["strength"]["milestones"]] == [
        "heel_raises_1", "heel_raises_10", "heel_raises_20", "heel_raises_25", "symmetry_90"]
    late = j.status("2026-04-30")
    assert late["stage"] == "recovered"
    assert late["indicators"]["strength"]["weakness"] is False
    assert late["red_flags"] == []


def test_flare_after_five_good_weeks(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("flare")
    assert j.status("2026-02-01")["stage"] == "improving"
    flare = j.status("2026-02-10")
    assert flare["stage"] == "flare"
    assert flare["indicators"]["centralization"]["trend"] == "worsening"
    assert flare["indicators"]["pain"]["trend"] == "worsening"
    # Both windows in the flare: stable. v2 names the fall-back stage by duration: day 50 since
    # onset is subacute (v1 said "acute").
    assert j.status("2026-02-20")["stage"] == "subacute"
    settled = j.status("2026-03-10")
    assert settled["stage"] == "improving"
    assert settled["indicators"]["pain"]["trend"] == "improving"


def test_pain_less_often_at_the_same_intensity_is_improving(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("less_often")
    early = j.status("2026-02-20")
    assert early["indicators"]["pain"]["trend"] == "stable"  # 52 % → 38 %: below the 15.6-point MIC
    later = j.status("2026-02-27")
    p = later["indicators"]["pain"]
    assert (p["trend"], p["leg_mean"], p["share_of_day_mean"]) == ("improving", 5, 24)
    assert later["indicators"]["centralization"]["trend"] == "stable"
    assert later["stage"] == "improving"


def test_back_pain_rising_while_the_leg_clears_stays_on_course(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("back_rising")
    status = j.status("2026-02-20")
    c = status["indicators"]["centralization"]
    assert (c["trend"], c["abolished"]) == ("improving", True)
    assert status["indicators"]["pain"]["back_mean"] > 6
    assert status["indicators"]["pain"]["trend"] == "stable"
    assert status["stage"] == "improving"


def test_foot_drop_recovers_last(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("foot_drop")
    feb = j.status("2026-02-20")
    assert feb["stage"] == "final_stage"
    assert (feb["indicators"]["strength"]["weakness"], feb["indicators"]["strength"]["foot_drop"]) == (True, True)
    march = j.status("2026-03-20")
    assert march["stage"] == "final_stage"
    assert march["indicators"]["strength"]["foot_drop"] is False  # grade 4, heel walk impaired
    assert march["indicators"]["strength"]["weakness"] is True
    april = j.status("2026-04-10")
    assert april["stage"] == "recovered"
    codes = {m["code"] for m in april["indicators"]["strength"]["milestones"]}
    assert {"ankle_dorsiflexion_grade_4", "ankle_dorsiflexion_grade_5", "heel_walk_normal"} <= codes


def test_corrections_and_retractions_change_the_verdicts(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("corrections")
    # What the app showed before the typos were corrected: three ratings of 10 read as a flare.
    before = j.recorded("2026-02-28T23:00")
    assert before["stage"] == "flare"
    assert before["indicators"]["pain"]["trend"] == "worsening"
    # Today's knowledge of the same day: corrected ratings, retracted record gone.
    now = j.status("2026-02-28")
    assert now["stage"] == "acute"
    assert now["indicators"]["pain"]["trend"] == "stable"
    assert now["indicators"]["pain"]["leg_mean"] == pytest.approx(11 / 7)
    daily = now["indicators"]["centralization"]["evidence"]["recent_window"]["daily"]
    assert max(d["extent"] for d in daily) == 3  # the retracted toes record is gone
    assert j.status("2026-02-18")["indicators"]["centralization"]["trend"] == "improving"


def test_pins_and_needles_returning_and_sitting_irritation(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("pins_and_needles")
    assert j.status("2026-01-25")["signs"] == []
    signs = j.status("2026-02-14")["signs"]
    assert [(s["code"], s.get("region"), s.get("side")) for s in signs[:1]] == [
        ("sensation_returning", "foot", "left")]
    assert signs[0]["date"] == "2026-02-14"
    assert {"code": "position_irritation", "context": "sitting"}.items() <= signs[1].items()
    assert "avoid or change that position" in j.text("2026-02-14")
    assert [s["code"] for s in j.status("2026-03-10")["signs"]] == ["sensation_returning"]


def test_red_flags_raised_acknowledged_and_cleared(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("red_flags")
    assert j.status("2026-01-10")["red_flags"] == []
    raised = j.status("2026-01-12")["red_flags"]
    # v2 (alarm fatigue): this journal's affected side is "both", so both_legs is the known
    # presentation: urgency soon (v1: emergency), listed after the emergency.
    assert [(f["code"], f["urgency"], f["since"]) for f in raised] == [
        ("saddle_numbness", "emergency", "2026-01-11"), ("both_legs", "soon", "2026-01-11")]
    assert j.status("2026-01-12")["stage"] == "red_flag"  # v2: saddle numbness stops the stage
    assert all(f["acknowledged"] for f in raised)
    text = j.text("2026-01-12")
    assert text.startswith("!! Seek emergency care now")
    assert "cannot judge an emergency" in text
    assert [f["code"] for f in j.status("2026-01-14")["red_flags"]] == ["both_legs"]
    assert j.status("2026-01-15")["red_flags"] == []
    weak = j.status("2026-01-20")["red_flags"]
    assert [(f["code"], f["urgency"], f["since"]) for f in weak] == [
        ("progressive_weakness", "today", "2026-01-20")]
    assert j.status("2026-01-25")["red_flags"] == []


def test_exercise_verdicts(journey) -> None:  # type: ignore[no-untyped-def]
    j = journey("exercises")
    assert j.status("2026-01-03")["exercises"] == [
        {**j.status("2026-01-03")["exercises"][0], "exercise": "prone press-up", "verdict": "neutral"}]
    verdicts = {e["exercise"]: e["verdict"] for e in j.status("2026-01-14")["exercises"]}
    assert verdicts == {"prone press-up": "keep", "sitting flexion": "stop"}
