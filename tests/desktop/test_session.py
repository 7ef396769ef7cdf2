"""The application layer without Qt: JournalSession's commands, rules and incremental queries."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from desktop.session import (
    Changes,
    EntryKind,
    HeelRaises,
    InvalidEntry,
    JournalSession,
    PainRating,
    Slump,
    Walk,
)
from desktop.session.index import EntryIndex

AT = datetime(2026, 1, 20, 8, 0)
CALF = {"region": "calf", "side": "left", "sensation": "pain", "intensity": 6}


@pytest.fixture
def core(journal):
    s = JournalSession(journal)
    yield s
    s._unsubscribe()


def test_the_application_layer_imports_no_qt():
    code = "import sys, desktop.session; print(any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# Check-in -----------------------------------------------------------------------------------------

def test_a_check_in_records_what_was_said_in_one_transaction(core):
    ids = core.check_in(AT, [CALF], PainRating(leg=6), Walk(20, 12, "thigh"), "after work", context="sitting")
    events = [core.entry(i) for i in ids]
    assert [e.type_name() for e in events] == ["SymptomsRecorded", "PainRated", "WalkRecorded"]
    assert events[0].note == "after work" and events[0].context == "sitting"
    assert {e.observed_at for e in events} == {AT}


def test_an_untouched_map_is_not_a_symptom_free_day_and_the_choice_is(core):
    assert [k for k, _ in core.plan_check_in([], PainRating(leg=0), None)] == [EntryKind.PAIN]
    assert core.plan_check_in([], None, None) == []
    assert core.plan_check_in([], None, None, symptom_free=True) == [
        (EntryKind.SYMPTOMS, {"symptoms": [], "context": None})]
    with pytest.raises(InvalidEntry, match="No symptoms today"):
        core.plan_check_in([CALF], None, None, symptom_free=True)


def test_nothing_at_all_is_refused_and_a_note_alone_is_a_note(core):
    count = core.index.count
    with pytest.raises(InvalidEntry, match="nothing to save yet"):
        core.check_in(AT, [], PainRating())
    assert core.index.count == count
    (note_id,) = core.check_in(AT, [], None, None, "slept badly")
    assert core.entry(note_id).type_name() == "NoteAdded" and core.entry(note_id).text == "slept badly"


def test_a_refused_value_stores_nothing(core):
    count = len(core.app.entries())
    with pytest.raises(InvalidEntry, match="cannot be more than"):
        core.check_in(AT, [CALF], PainRating(leg=4), Walk(10, 15))
    assert len(core.app.entries()) == count


# Tests and red flags --------------------------------------------------------------------------------

def test_record_test_takes_a_typed_result_and_latest_per_side_follows(core):
    core.record_test(HeelRaises(side="left", repetitions=12), AT)
    core.record_test(HeelRaises(side="right", repetitions=25), AT + timedelta(hours=1))
    later = core.record_test(HeelRaises(side="left", repetitions=15), AT + timedelta(days=1))
    core.record_test(Slump(side="left", result="positive"), AT)
    latest = core.latest_per_side(EntryKind.HEEL_RAISES)
    assert latest["left"].entry_id == later and latest["right"].repetitions == 25
    core.retract(later, "wrong leg")
    assert core.latest_per_side(EntryKind.HEEL_RAISES)["left"].repetitions == 12


def test_only_emergencies_need_acknowledging_and_the_check_is_due_weekly(core):
    core.as_of = date(2026, 1, 20)
    assert core.last_red_flag_check() is None and core.red_flag_check_due()
    check = core.check_red_flags(["saddle_numbness", "night_or_rest_pain"], AT)
    assert check.to_acknowledge == ("saddle_numbness",)
    assert core.last_red_flag_check() == date(2026, 1, 20) and not core.red_flag_check_due()
    core.as_of = date(2026, 1, 27)
    assert core.red_flag_check_due()
    assert core.red_flags_raised(date(2026, 1, 1), date(2026, 1, 31)) == [
        (date(2026, 1, 20), ("saddle_numbness", "night_or_rest_pain"))]
    assert core.red_flags_raised(date(2026, 2, 1), date(2026, 2, 28)) == []


# The change hook and the index ----------------------------------------------------------------------

def test_listeners_hear_which_kinds_a_save_touched(core):
    heard: list[Changes] = []
    core.subscribe(heard.append)
    [pain] = core.check_in(AT, [], PainRating(leg=5))
    core.app.correct(pain, {"leg": 4}, "slider slipped")  # straight on the service: still heard
    assert heard[0].kinds == {EntryKind.PAIN}
    assert heard[1].corrections and heard[1].touches([EntryKind.PAIN])  # it corrects a pain rating
    assert core.latest([EntryKind.PAIN])[0].leg == 4 and core.is_corrected(pain)


def test_the_index_kept_save_by_save_equals_one_built_from_the_log(core):
    for n in range(5):
        core.check_in(AT + timedelta(days=n), [CALF], PainRating(leg=n))
    core.record_test(HeelRaises(side="left", repetitions=9), AT - timedelta(days=9))  # before the start
    rebuilt = EntryIndex(core.app.journal_id, core.app.entries())
    assert rebuilt.by_kind == core.index.by_kind
    assert rebuilt.recorded == core.index.recorded
    assert (rebuilt.first_day, rebuilt.last_day) == (core.index.first_day, core.index.last_day)
    assert core.observed_range()[0] == (AT - timedelta(days=9)).date()


def test_latest_hides_what_a_pinned_date_has_not_reached(core):
    core.check_in(AT, [], PainRating(leg=7))
    core.check_in(AT + timedelta(days=3), [], PainRating(leg=2))
    core.as_of = (AT + timedelta(days=1)).date()
    assert [e.leg for e in core.latest([EntryKind.PAIN], 5)] == [7]


# Issue 16 (8, 11): the last check-in to repeat, and whether a day has one ------------------------

def test_last_check_in_is_the_entries_saved_together_at_the_newest_time(core):
    assert core.last_check_in() is None
    core.check_in(AT, [CALF], PainRating(leg=5), None, "a note", context="sitting")
    later = AT + timedelta(days=1)
    core.check_in(later, [], PainRating(back=2), Walk(total_minutes=20), symptom_free=True)
    last = core.last_check_in()
    assert last is not None and last.observed_at == later
    assert last.symptoms == () and last.context is None  # symptom-free, said as such
    assert last.pain == PainRating(back=2) and last.walk == Walk(total_minutes=20)
    core.retract(core.latest([EntryKind.WALK])[0].entry_id, "wrong day")
    assert core.last_check_in().walk is None  # a retracted walk is not repeated


def test_checked_in_on_counts_entries_observed_that_day_and_still_counting(core):
    day = AT.date()
    assert not core.checked_in_on(day)
    (entry,) = core.check_in(AT, [CALF])
    assert core.checked_in_on(day) and not core.checked_in_on(day + timedelta(days=1))
    core.retract(entry, "not today")
    assert not core.checked_in_on(day)
    core.check_in(datetime.combine(day, datetime.min.time()).replace(hour=21), [], None, None, "only a note")
    assert core.checked_in_on(day)
