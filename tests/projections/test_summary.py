"""Since last visit (issue 17): the period, then → now for the stage and each sign, red flags
raised or cleared, milestones, exercises, adherence and the therapist's notes."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from projections.summary import (
    Basis,
    Preset,
    Summary,
    choose_period,
    months_before,
    preset_period,
    review_notes,
    summary_of,
)
from projections.summary_json import summary_to_json
from projections.summary_text import period_words, summary_text
from tests.projections.builder import J, day, days

TOP = {"schema", "patient", "affected_side", "onset_date", "period", "days_since_onset", "stage", "signs",
       "red_flags", "milestones", "exercises", "adherence", "review_notes",
       "measures"}  # issue 19 adds the outcome measures (an added key; docs/summary-json.md)
PERIOD = {"since", "first_day", "as_of", "days", "basis", "asked_for_last_review", "no_review_to_start_from",
          "last_review"}
SIGN = {"name", "then", "now", "changed", "measures", "sparkline"}
MOMENT = {"trend", "verdict", "evidence"}
MEASURE = {"measure", "side", "then", "now", "changed"}
SPARKLINE = {"measure", "side", "higher_is_better", "points"}
ADHERENCE = {"days", "check_in_days", "tests", "tests_by_kind", "walks", "exercise_sessions", "red_flag_checks"}
FLAG_CHANGE = {"code", "name", "urgency", "raised_on", "raised_in_period", "cleared_on", "acknowledged_on",
               "found_in_tests", "detail"}
NOTE = {"entry_id", "date", "therapist", "text", "about"}
ABOUT = {"entry_id", "type", "date", "words", "retracted"}
SIGNS = ["centralization", "strength", "nerve_mobility", "pain", "walking"]
# A raw code in text: two or more lowercase words joined by underscores.
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def check_summary_schema(data: dict[str, Any]) -> None:
    """Every key of ``sciatica-summary/1`` is present, whatever the journal holds."""
    assert set(data) == TOP
    assert data["schema"] == "sciatica-summary/1"
    assert set(data["period"]) == PERIOD
    assert set(data["days_since_onset"]) == {"then", "now"}
    assert set(data["stage"]) == {"then", "now", "changed"}
    for moment in ("then", "now"):
        assert set(data["stage"][moment]) == {"code", "title", "reason", "advice"}
    assert list(data["signs"]) == SIGNS
    for sign in data["signs"].values():
        assert set(sign) == SIGN
        assert set(sign["then"]) == set(sign["now"]) == MOMENT
        assert all(set(m) == MEASURE for m in sign["measures"])
        assert set(sign["sparkline"]) == SPARKLINE
    assert set(data["red_flags"]) == {"active_then", "active_now", "changes"}
    assert all(set(f) == FLAG_CHANGE for f in data["red_flags"]["changes"])
    assert set(data["adherence"]) == ADHERENCE
    for note in data["review_notes"]:
        assert set(note) == NOTE
        assert note["about"] is None or set(note["about"]) == ABOUT


def summary(j: J, as_of: str, since: str | None = None, since_last_review: bool = False) -> Summary:
    return summary_of(j.timeline(), j.events, day(as_of), day(since) if since else None, since_last_review)


def note(j: J, at: str, text: str, about: Any = None, therapist: str = "Dr Lee") -> Any:
    target = getattr(about, "entry_id", about)
    return j.add("ReviewNoteAdded", at, therapist=therapist, text=text, about=str(target) if target else None)


def two_months() -> J:
    """Leg symptoms retreating from calf to buttock over February, pain easing, heel raises
    rising, a review on 1 Feb."""
    j = J(start="2026-01-01")
    j.daily("2026-01-02", 30, "calf", leg=6)
    j.daily("2026-02-01", 28, "buttock", leg=2)
    j.heel("2026-01-20", "left", 8)
    j.heel("2026-01-20", "right", 28)
    j.heel("2026-02-20", "left", 21)
    j.heel("2026-02-20", "right", 28)
    return j


# The period ------------------------------------------------------------------------------------


def test_without_a_review_note_the_period_is_the_last_4_weeks() -> None:
    j = two_months()
    p = summary(j, "2026-02-28").period
    assert (p.basis, p.since, p.first_day, p.days) == (Basis.LAST_4_WEEKS, day("2026-01-31"), day("2026-02-01"), 28)


def test_a_journal_younger_than_4_weeks_is_summarised_from_its_first_day() -> None:
    j = J(start="2026-01-10")
    j.daily("2026-01-10", 5, "calf", leg=5)
    p = summary(j, "2026-01-20").period
    assert (p.basis, p.first_day, p.days) == (Basis.JOURNAL_START, day("2026-01-10"), 11)


def test_the_default_starts_at_the_last_review_note_before_the_day() -> None:
    j = two_months()
    note(j, "2026-01-15", "Start walking daily")
    first = note(j, "2026-02-01T10:00", "Goal: 20 heel raises on the left")
    s = summary(j, "2026-02-28")
    assert (s.period.basis, s.period.since, s.period.days) == (Basis.LAST_REVIEW, day("2026-02-01"), 27)
    assert s.period.last_review is not None and s.period.last_review.entry_id == first.entry_id
    # The previous visit's notes only, not the older ones.
    assert [n.text for n in s.review_notes] == ["Goal: 20 heel raises on the left"]


def test_a_note_written_on_the_day_itself_belongs_to_this_visit() -> None:
    j = two_months()
    note(j, "2026-02-01", "Goal: walk 20 minutes")
    note(j, "2026-02-28", "Seen today: doing well")
    s = summary(j, "2026-02-28")
    assert s.period.since == day("2026-02-01")
    assert [n.text for n in s.review_notes] == ["Goal: walk 20 minutes", "Seen today: doing well"]


def test_since_last_review_without_any_note_falls_back_and_says_so() -> None:
    j = two_months()
    s = summary(j, "2026-02-28", since_last_review=True)
    assert (s.period.basis, s.period.asked_for_review) == (Basis.LAST_4_WEEKS, True)
    assert "no review note before this day yet, so the last review cannot be used" in summary_text(s)
    assert summary_to_json(s)["period"]["basis"] == "last_4_weeks"


def test_a_given_date_wins_and_may_not_lie_after_the_end() -> None:
    j = two_months()
    note(j, "2026-02-01", "Goal")
    p = summary(j, "2026-02-28", since="2026-02-14").period
    assert (p.basis, p.since, p.days) == (Basis.SINCE_DATE, day("2026-02-14"), 14)
    with pytest.raises(ValueError, match="after"):
        choose_period([], day("2026-02-01"), day("2026-02-02"))


def test_report_presets() -> None:
    j = two_months()
    note(j, "2026-02-01", "Goal")
    notes = review_notes(j.events)
    as_of = day("2026-02-28")
    assert preset_period(Preset.SINCE_LAST_REVIEW, notes, as_of).since == day("2026-02-01")
    assert preset_period(Preset.SINCE_LAST_REVIEW, [], as_of).basis is Basis.LAST_4_WEEKS
    four = preset_period(Preset.LAST_4_WEEKS, notes, as_of)
    assert (four.since, four.days, four.no_review_to_start_from) == (day("2026-01-31"), 28, False)
    three = preset_period(Preset.LAST_3_MONTHS, notes, as_of)
    assert (three.basis, three.since) == (Basis.LAST_3_MONTHS, day("2025-11-28"))
    assert preset_period(Preset.CUSTOM, notes, as_of, since=day("2026-02-10")).days == 18
    with pytest.raises(ValueError, match="first day"):
        preset_period(Preset.CUSTOM, notes, as_of)
    assert period_words(three) == "The last 3 months: 29 Nov 2025–28 Feb 2026, 92 days"


@pytest.mark.parametrize(("d", "want"), [("2026-05-31", "2026-02-28"), ("2028-05-31", "2028-02-29"),
                                         ("2026-03-15", "2025-12-15"), ("2026-01-01", "2025-10-01")])
def test_three_months_before_keeps_the_day_or_the_month_end(d: str, want: str) -> None:
    assert months_before(day(d), 3) == day(want)


# Then → now ------------------------------------------------------------------------------------


def test_stage_and_signs_then_and_now_with_numbers() -> None:
    s = summary(two_months(), "2026-02-28", since="2026-01-31")
    assert s.then.as_of == day("2026-01-31") and s.now.as_of == day("2026-02-28")
    signs = {c.code: c for c in s.signs}
    assert list(signs) == ["centralization", "strength", "nerve_mobility", "pain", "walking"]
    extent = signs["centralization"].measures[0]
    assert (extent.measure, extent.then, extent.now) == ("furthest_extent", 6, 3)
    heel = {(m.measure, m.side): (m.then, m.now) for m in signs["strength"].measures}
    assert heel[("heel_raises", "left")] == (8, 21)
    assert heel[("symmetry_percent", None)] == (29, 75)
    pain = {m.measure: (m.then, m.now) for m in signs["pain"].measures}
    assert pain["leg_mean"] == (6, 2)
    assert signs["pain"].then.trend == "stable" and signs["pain"].now.trend == "stable"
    text = summary_text(s)
    assert "Furthest symptom calf → buttock" in text
    assert "Heel raises left 8 → 21" in text
    assert "Mean leg pain 6.0 → 2.0" in text


def test_sparklines_cover_the_period_only() -> None:
    s = summary(two_months(), "2026-02-28", since="2026-02-14")
    lines = {c.code: c.sparkline for c in s.signs}
    assert [d for d, _ in lines["centralization"].points] == [day(x) for x in days("2026-02-15", 14)]
    assert lines["strength"].points == ((day("2026-02-20"), 21.0),)
    assert (lines["strength"].measure, lines["strength"].side, lines["strength"].higher_is_better) == \
        ("heel_raises", "left", True)
    assert lines["pain"].higher_is_better is False and len(lines["pain"].points) == 14
    assert lines["walking"].points == ()


def test_with_both_legs_affected_the_strength_sparkline_follows_the_weaker_leg() -> None:
    j = J(side="both")
    j.daily("2026-01-02", 10, "calf", leg=4)
    j.heel("2026-01-05", "left", 25)
    j.heel("2026-01-05", "right", 12)
    line = {c.code: c.sparkline for c in summary(j, "2026-01-12").signs}["strength"]
    assert (line.side, line.points) == ("right", ((day("2026-01-05"), 12.0),))


# Red flags, milestones, exercises, adherence -------------------------------------------------------


def test_red_flags_raised_and_cleared_in_the_period() -> None:
    j = J()
    j.daily("2026-01-02", 20, "calf", leg=5)
    j.flags("2026-01-03", "fever_or_unwell")  # raised before the period, cleared in it
    j.flags("2026-01-12", "bladder_change")
    j.acknowledge("2026-01-12", "bladder_change")
    j.flags("2026-01-14")
    j.flags("2026-01-18", "night_or_rest_pain")  # still reported at the end
    s = summary(j, "2026-01-20", since="2026-01-10")
    changes = [(f.code, f.raised_on, f.cleared_on, f.acknowledged_on) for f in s.red_flags]
    assert changes == [
        ("fever_or_unwell", day("2026-01-03"), day("2026-01-12"), None),
        ("bladder_change", day("2026-01-12"), day("2026-01-14"), day("2026-01-12")),
        ("night_or_rest_pain", day("2026-01-18"), None, None),
    ]
    text = summary_text(s)
    assert text.startswith("!! See a clinician soon")  # the active flag leads, never hidden
    assert "changes in bladder control: reported on 12 Jan, no longer reported from 14 Jan" in text
    assert "constant pain at night or at rest: reported on 18 Jan, still reported at the end" in text
    data = summary_to_json(s)["red_flags"]
    assert data["active_now"][0]["code"] == "night_or_rest_pain"
    assert [f["raised_in_period"] for f in data["changes"]] == [False, True, True]


def test_weakness_found_in_the_tests_is_a_red_flag_change() -> None:
    j = J()
    j.daily("2026-01-02", 30, "calf", leg=5)
    for at, reps in [("2026-01-05", 20), ("2026-01-12", 14), ("2026-01-19", 8)]:
        j.heel(at, "left", reps)
    s = summary(j, "2026-01-30", since="2026-01-10")
    flags = [(f.code, f.raised_on, f.cleared_on, f.found_in_tests) for f in s.red_flags]
    assert flags == [("progressive_weakness", day("2026-01-19"), None, True)]
    assert "weakness getting worse: found in the tests on 19 Jan, still found at the end" in summary_text(s)
    j.heel("2026-01-26", "left", 12)
    s = summary(j, "2026-01-30", since="2026-01-10")
    assert [(f.raised_on, f.cleared_on) for f in s.red_flags] == [(day("2026-01-19"), day("2026-01-26"))]


def test_new_milestones_are_those_reached_in_the_period() -> None:
    s = summary(two_months(), "2026-02-28", since="2026-01-31")
    # 8 → 21 passes both 10 and 20 on one test; the first heel raise came before the period.
    assert [(m.code, m.date) for m in s.milestones] == [("heel_raises_10", day("2026-02-20")),
                                                        ("heel_raises_20", day("2026-02-20"))]
    assert "20 heel raises (left) on 20 Feb" in summary_text(s)


def test_exercise_verdicts_then_and_now() -> None:
    j = J()
    j.daily("2026-01-02", 20, "calf", leg=5)
    for at in ("2026-01-03", "2026-01-04", "2026-01-05"):
        j.exercise(at, "Prone press-up", "calf", "calf")
    for at in ("2026-01-12", "2026-01-13"):
        j.exercise(at, "prone  press-up", "calf", "knee")
    j.exercise("2026-01-14", "Side glide", "calf", "foot")
    s = summary(j, "2026-01-20", since="2026-01-10")
    assert [(e.exercise, e.then, e.now, e.sessions_in_period) for e in s.exercises] == [
        ("prone  press-up", "neutral", "keep", 2), ("Side glide", None, "stop", 1)]
    text = summary_text(s)
    assert "prone  press-up: no clear effect → stay on course (2 sessions in this period)" in text
    assert "Side glide: new, pull back (1 session in this period)" in text


def test_adherence_counts_days_with_a_check_in_tests_and_walks() -> None:
    j = J()
    for at in ("2026-01-11", "2026-01-12", "2026-01-12", "2026-01-15"):
        j.extent(at, "calf")
    j.pain("2026-01-16", leg=3)
    j.pain("2026-01-09", leg=3)  # before the period
    j.heel("2026-01-12", "left", 10)
    j.slr("2026-01-12", "left", 40)
    j.walk("2026-01-13", 20, 10, "calf")
    j.flags("2026-01-13")
    a = summary(j, "2026-01-17", since="2026-01-10").adherence
    assert (a.days, a.check_in_days, a.tests, a.walks, a.red_flag_checks) == (7, 4, 2, 1, 1)
    assert a.tests_by_kind == {"HeelRaisesTested": 1, "StraightLegRaiseTested": 1}
    text = summary_text(summary(j, "2026-01-17", since="2026-01-10"))
    assert ("check-ins on 4 of 7 days; 2 tests (1 heel-raise test, 1 straight-leg raise); 1 walk; "
            "1 red-flag check") in text


def test_a_retracted_check_in_does_not_count_and_a_correction_moves_it() -> None:
    j = J()
    wrong = j.extent("2026-01-12", "calf")
    moved = j.pain("2026-01-13", leg=3)
    j.retract(wrong, "2026-01-14")
    j.correct(moved, "2026-01-14", observed_at="2026-01-08", leg=3)
    assert summary(j, "2026-01-17", since="2026-01-10").adherence.check_in_days == 0


# The therapist's notes ---------------------------------------------------------------------------


def test_notes_say_what_they_are_about() -> None:
    j = two_months()
    heel = j.heel("2026-02-01", "left", 15)
    pain = j.pain("2026-02-01T21:00", leg=3)
    note(j, "2026-02-01", "Good progress", about=heel)
    note(j, "2026-02-01", "Was this right?", about=pain)
    note(j, "2026-02-01", "Goal: walk daily")
    j.correct(heel, "2026-02-02", observed_at="2026-02-01", side="left", repetitions=16)
    j.retract(pain, "2026-02-02")
    notes = review_notes(j.events, j.timeline().current.entries)
    abouts = [(n.about.words, n.about.retracted) if n.about else None for n in notes]
    assert abouts == [("Heel raises left: 16", False), ("Pain: leg 3/10", True), None]
    text = summary_text(summary(j, "2026-02-28"))
    assert "1 Feb, Dr Lee: “Good progress” (about: Heel raises left: 16, 1 Feb)" in text
    assert "(about: Pain: leg 3/10, 1 Feb (since retracted))" in text
    assert "1 Feb, Dr Lee: “Goal: walk daily” (about the journal as a whole)" in text


# Text and JSON -----------------------------------------------------------------------------------


def test_text_has_no_raw_codes_and_grammar_agrees_with_numbers() -> None:
    j = two_months()
    j.flags("2026-02-10", "saddle_numbness")
    j.flags("2026-02-11")
    j.exercise("2026-02-12", "press-up", "calf", "buttock")
    note(j, "2026-02-01", "Goal")
    text = summary_text(summary(j, "2026-02-28"))
    assert SNAKE.findall(text) == []
    assert "1 session in this period" in text and "2 red-flag checks" in text and "1 exercise session;" in text
    assert re.search(r"\b1 (days|tests|walks|sessions)\b", text) is None


def test_empty_journal_has_every_key_with_nulls() -> None:
    data = summary_to_json(summary(J(), "2026-01-10"))
    check_summary_schema(data)
    assert data["signs"]["pain"]["measures"][0] == {"measure": "leg_mean", "side": None, "then": None,
                                                   "now": None, "changed": False}
    assert data["signs"]["walking"]["sparkline"]["points"] == []
    assert data["review_notes"] == [] and data["period"]["last_review"] is None


def test_full_journal_json_keeps_the_same_keys() -> None:
    j = two_months()
    note(j, "2026-02-01", "Goal", about=j.events[3].entry_id)
    data = summary_to_json(summary(j, "2026-02-28"))
    check_summary_schema(data)
    assert data["period"]["last_review"]["therapist"] == "Dr Lee"
    assert data["signs"]["strength"]["sparkline"]["points"] == [["2026-02-20", 21]]
    assert data["stage"]["then"]["code"] != "" and date.fromisoformat(data["period"]["as_of"])
