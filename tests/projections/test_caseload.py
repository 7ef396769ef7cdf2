"""The caseload read model (issue 20): each row from the desktop's projections, each patient's
place and its reason in words, and every boundary of the order."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from projections.caseload import (
    SCHEMA,
    SIGNS,
    CaseloadRow,
    Group,
    PatientCaseload,
    caseload_order,
    row_from_json,
    row_to_json,
)
from projections.timeline import Timeline
from projections.vocabulary import red_flag_name
from tests.projections.builder import J, day
from tests.projections.caseload_journeys import NAMES, journey_events, patient_id


def journey_row(name: str, as_of: str, therapist: str | None = None) -> CaseloadRow:
    state = PatientCaseload.from_events(patient_id(name), journey_events(name), therapist)
    return state.row(day(as_of))


def built_row(j: J, as_of: str, pid: int = 1) -> CaseloadRow:
    return PatientCaseload.from_events(uuid.UUID(int=pid), j.events).row(day(as_of))


def therapist_entry(j: J, type_name: str, at: str, **fields: Any) -> None:
    """An entry the therapist records (a clinic test or a review note), as review mode does."""
    j.clock += timedelta(minutes=1)
    event = j.journal.decide(type_name, fields, observed_at=at, recorded_at=j.clock, author_name="Dr Lee",
                             assessed_by="Dr Lee")
    j.journal.apply(event)
    j.events.append(event)


# One implementation: the row is what the desktop shows ----------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_each_journey_row_is_the_desktop_status(name: str) -> None:
    events = journey_events(name)
    timeline = Timeline(events)  # the desktop's replay of the same events
    state = PatientCaseload.from_events(patient_id(name), events)
    first = min(e.observed_at.date() for e in events)
    for as_of in (first + timedelta(days=n) for n in range(0, 130, 9)):
        shown, row = timeline.status_at(as_of), state.row(as_of)
        assert (row.stage, row.stage_reason) == (shown.stage.stage.value, shown.stage.reason)
        assert [(f.code, f.urgency, f.since, f.acknowledged) for f in row.red_flags] == [
            (f.code, f.urgency, f.since, f.acknowledged) for f in shown.red_flags.flags]
        assert all(red_flag_name(f.code) in f.words for f in row.red_flags)
        assert dict(row.trends) == {c: getattr(shown, c).trend.value for c in SIGNS}
        assert row.stop_exercises == tuple(e.exercise for e in shown.exercises.exercises if e.verdict == "stop")
        assert row.name == shown.patient


# Each group, on the real journeys -----------------------------------------------------------

def test_an_emergency_flag_comes_first_and_its_soon_flag_is_shown_too() -> None:
    row = journey_row("red_flags", "2026-01-12")
    assert row.group is Group.RED_FLAG
    assert [(f.code, f.urgency) for f in row.red_flags] == [("saddle_numbness", "emergency"), ("both_legs", "soon")]
    assert row.reason.startswith("Emergency: seek care now: saddle numbness")
    assert all(f.acknowledged for f in row.red_flags)  # acknowledged: still first in the clinic's list


def test_a_soon_flag_alone_keeps_the_patient_where_they_are_but_is_said() -> None:
    row = journey_row("red_flags", "2026-01-14")
    assert [f.code for f in row.red_flags] == ["both_legs"]
    assert row.group is not Group.RED_FLAG
    assert "red flag, see a clinician within 1–2 days: symptoms in both legs" in row.reason


def test_progressive_weakness_is_a_today_flag() -> None:
    row = journey_row("red_flags", "2026-01-20")
    assert row.group is Group.RED_FLAG
    # Worded for the clinic: "the tests", not the patient's "your tests".
    assert row.reason.startswith("See a clinician today: weakness getting worse (found in the tests since 20 Jan")


def test_a_flare_says_why() -> None:
    row = journey_row("flare", "2026-02-10")
    assert (row.group, row.stage) == (Group.FLARE, "flare")
    assert row.reason == f"Flare-up: {row.stage_reason}"
    assert "spreading further down the leg" in row.reason


def test_silent_from_five_days_without_an_entry() -> None:
    # back_rising: the last entries are on 21 Feb.
    four, five = journey_row("back_rising", "2026-02-25"), journey_row("back_rising", "2026-02-26")
    assert (four.silent_days, five.silent_days) == (4, 5)
    assert four.group is not Group.SILENT
    assert five.group is Group.SILENT
    assert five.reason == "No entry for 5 days (the last on 21 Feb)"
    assert five.last_entry == date(2026, 2, 21)


def test_a_sign_worsening() -> None:
    row = journey_row("red_flags", "2026-02-01")  # the flags are gone; the heel raises fell
    assert row.red_flags == ()
    assert row.worsening == ("strength",)
    assert (row.group, row.reason) == (Group.WORSENING, "Leg strength worsening")


def test_the_rest_shows_the_stage_and_its_reason() -> None:
    row = journey_row("classic_recovery", "2026-05-04")
    assert (row.group, row.stage) == (Group.OTHER, "recovered")
    assert row.reason == f"Recovered: {row.stage_reason}"


def test_stop_exercises() -> None:
    assert journey_row("exercises", "2026-01-14").stop_exercises == ("sitting flexion",)
    assert journey_row("classic_recovery", "2026-03-01").stop_exercises == ()


# The facts of a row ---------------------------------------------------------------------------

def test_check_in_days_count_the_14_days_ending_as_of() -> None:
    j = J(start="2026-01-01")
    for at in ("2026-01-01", "2026-01-02", "2026-01-02", "2026-01-15"):
        j.pain(at, leg=3)
    j.extent("2026-01-10", "calf")
    j.walk("2026-01-12", 20)  # a walk is an entry, not a check-in
    # 14 days ending 15 Jan start on 2 Jan: 2, 10 and 15 Jan.
    assert built_row(j, "2026-01-15").check_in_days == 3
    assert built_row(j, "2026-01-14").check_in_days == 3  # 1, 2 and 10 Jan
    assert built_row(j, "2026-01-16").check_in_days == 2


def test_a_corrected_check_in_counts_on_its_corrected_day_and_a_retracted_one_not_at_all() -> None:
    j = J(start="2026-01-01")
    moved = j.pain("2026-01-01", leg=3)
    gone = j.pain("2026-01-05", leg=3)
    j.correct(moved, "2026-01-20", observed_at="2026-01-18T09:00", leg=3)
    j.retract(gone, "2026-01-20")
    assert built_row(j, "2026-01-20").check_in_days == 1


def test_therapist_entries_neither_end_a_silence_nor_count_as_check_ins() -> None:
    j = J(start="2026-01-01")
    j.daily("2026-01-01", 5, "calf", leg=4)
    therapist_entry(j, "HeelRaisesTested", "2026-01-12", side="left", repetitions=12)
    therapist_entry(j, "ReviewNoteAdded", "2026-01-12", therapist="Dr Lee", text="Seen in clinic.", about=None)
    row = built_row(j, "2026-01-12")
    assert (row.last_entry, row.last_review, row.group) == (date(2026, 1, 5), date(2026, 1, 12), Group.SILENT)
    assert built_row(j, "2026-01-11").last_review is None  # not yet written on 11 Jan


def test_no_entry_at_all_is_silent() -> None:
    # A patient whose copy holds entries only after as_of (or none of theirs) has never written.
    row = journey_row("classic_recovery", "2026-01-01")
    assert (row.last_entry, row.group, row.reason) == (None, Group.SILENT, "No entry yet")
    empty = PatientCaseload(uuid.UUID(int=9)).row(date(2026, 3, 1))
    assert (empty.name, empty.group, empty.check_in_days) == (None, Group.SILENT, 0)


def test_the_therapist_is_the_assigned_one() -> None:
    state = PatientCaseload.from_events(patient_id("flare"), journey_events("flare"), "Dr Lee")
    assert state.row(date(2026, 2, 1)).therapist == "Dr Lee"
    state.assign("A. Rivera")
    assert state.row(date(2026, 2, 1)).therapist == "A. Rivera"


def test_json_round_trip() -> None:
    for name in NAMES:
        row = journey_row(name, "2026-01-12", therapist="Dr Lee")
        data = row_to_json(row)
        assert row_from_json(data) == row
        assert list(data["trends"]) == list(SIGNS)
        # PostgreSQL's jsonb keeps no key order: the signs come back in the model's order anyway.
        shuffled = {**data, "trends": dict(reversed(list(data["trends"].items())))}
        assert row_from_json(shuffled) == row
    assert SCHEMA == "sciatica-caseload/1"


# The order --------------------------------------------------------------------------------------

def test_the_journeys_in_order() -> None:
    rows = [journey_row("classic_recovery", "2026-05-04"), journey_row("back_rising", "2026-02-26"),
            journey_row("red_flags", "2026-02-01"), journey_row("flare", "2026-02-10"),
            journey_row("red_flags", "2026-01-20"), journey_row("red_flags", "2026-01-12")]
    ordered = caseload_order(rows)
    assert [r.group for r in ordered] == [Group.RED_FLAG, Group.RED_FLAG, Group.FLARE, Group.SILENT,
                                          Group.WORSENING, Group.OTHER]
    # Emergency before today.
    assert [r.red_flags[0].urgency for r in ordered[:2]] == ["emergency", "today"]


def _row(name: str, group: Group, **changes: Any) -> CaseloadRow:
    base = journey_row("classic_recovery", "2026-03-01")
    return replace(base, patient_id=uuid.uuid5(uuid.NAMESPACE_URL, name), name=name, group=group, **changes)


def test_ties_silent_longest_first_then_name() -> None:
    as_of = date(2026, 3, 1)
    rows = [_row("b", Group.SILENT, last_entry=as_of - timedelta(days=6)),
            _row("A", Group.SILENT, last_entry=as_of - timedelta(days=6)),
            _row("c", Group.SILENT, last_entry=as_of - timedelta(days=9)),
            _row("d", Group.SILENT, last_entry=None)]
    assert [r.name for r in caseload_order(rows)] == ["d", "c", "A", "b"]


def test_ties_more_signs_worsening_first_and_a_soon_flag_before_none() -> None:
    worse = (("centralization", "worsening"), ("strength", "worsening"), ("nerve_mobility", "stable"),
             ("pain", "worsening"), ("walking", "stable"))
    one = (("centralization", "stable"), ("strength", "worsening"), ("nerve_mobility", "stable"),
           ("pain", "stable"), ("walking", "stable"))
    soon = journey_row("red_flags", "2026-01-14").red_flags
    rows = [_row("a", Group.WORSENING, trends=one), _row("z", Group.WORSENING, trends=worse),
            _row("b", Group.WORSENING, trends=one, red_flags=soon)]
    assert [r.name for r in caseload_order(rows)] == ["z", "b", "a"]


def test_the_same_name_twice_is_told_apart_by_the_patient_id() -> None:
    a = replace(_row("Sam", Group.OTHER), patient_id=uuid.UUID(int=2))
    b = replace(_row("Sam", Group.OTHER), patient_id=uuid.UUID(int=1))
    assert caseload_order([a, b]) == caseload_order([b, a]) == [b, a]
