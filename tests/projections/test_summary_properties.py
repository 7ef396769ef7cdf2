"""Property tests of the summary: a period of no days shows no change; everything a summary
lists lies in its period; the JSON always has every key; the text never shows a raw code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.status import status_to_json
from projections.summary import summary_of
from projections.summary_json import summary_to_json
from projections.summary_text import summary_text
from projections.timeline import Timeline
from tests.projections.builder import J, day
from tests.projections.test_properties import DATES, build, step
from tests.projections.test_summary import SNAKE, check_summary_schema

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOTE_DATES = st.lists(st.sampled_from(DATES), max_size=3)


def journal(steps: list[tuple[str, str, Any]], side: str, notes: list[str]) -> J:
    j = build(steps, side)
    for at in notes:
        j.add("ReviewNoteAdded", at, therapist="Dr Lee", text=f"seen on {at}", about=None)
    return j


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "right", "both"]), st.sampled_from(DATES),
       NOTE_DATES)
def test_a_summary_since_d_as_of_d_shows_no_change(steps: list[tuple[str, str, Any]], side: str, d: str,
                                                    notes: list[str]) -> None:
    j = journal(steps, side, notes)
    s = summary_of(j.timeline(), j.events, day(d), day(d))
    assert s.period.days == 0
    assert status_to_json(s.then) == status_to_json(s.now)
    assert not s.stage_changed
    assert not any(c.changed or any(m.changed for m in c.measures) or c.sparkline.points for c in s.signs)
    assert (s.red_flags, s.milestones, s.exercises) == ((), (), ())
    a = s.adherence
    assert (a.days, a.check_in_days, a.tests, a.walks, a.exercise_sessions, a.red_flag_checks) == (0, 0, 0, 0, 0, 0)
    assert "nothing can have changed" in summary_text(s)


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "right", "both"]), st.sampled_from(DATES),
       st.integers(0, 40), NOTE_DATES, st.booleans())
def test_everything_listed_lies_in_the_period(steps: list[tuple[str, str, Any]], side: str, end: str,
                                              back: int, notes: list[str], default: bool) -> None:
    j = journal(steps, side, notes)
    as_of = day(end)
    since = None if default else as_of - timedelta(days=back)
    s = summary_of(j.timeline(), j.events, as_of, since)
    p = s.period
    assert p.since <= p.as_of == as_of and p.days == (as_of - p.since).days
    assert all(m.date in p for m in s.milestones)
    for f in s.red_flags:
        assert f.raised_on in p or (f.cleared_on is not None and f.cleared_on in p)
        # A flag listed by a morning checklist and cleared by a later one the same day is still
        # reported (an emergency answer is never hidden): raised and cleared may share a date.
        assert f.cleared_on is None or f.raised_on <= f.cleared_on
    assert all(d in p for c in s.signs for d, _ in c.sparkline.points)
    for c in s.signs:
        days = [d for d, _ in c.sparkline.points]
        assert days == sorted(set(days))  # one point a day, oldest first
    assert all(e.sessions_in_period >= 1 for e in s.exercises)
    a = s.adherence
    assert a.days == p.days and 0 <= a.check_in_days <= a.days
    assert sum(a.tests_by_kind.values()) == a.tests
    # The notes shown: the previous visit's and the period's, in order.
    assert all(n.date <= as_of for n in s.review_notes)
    assert [n.date for n in s.review_notes] == sorted(n.date for n in s.review_notes)
    check_summary_schema(summary_to_json(s))
    assert SNAKE.findall(summary_text(s)) == []


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "both"]), st.sampled_from(DATES),
       st.sampled_from(DATES))
def test_then_and_now_are_the_status_at_both_ends(steps: list[tuple[str, str, Any]], side: str, a: str,
                                                   b: str) -> None:
    j = build(steps, side)
    since, as_of = sorted((day(a), day(b)))
    s = summary_of(j.timeline(), j.events, as_of, since)
    assert status_to_json(s.then) == j.status(since.isoformat())
    assert status_to_json(s.now) == j.status(as_of.isoformat())
    trends = {c.code: (c.then.trend.value, c.now.trend.value) for c in s.signs}
    then, now = j.status(since.isoformat())["indicators"], j.status(as_of.isoformat())["indicators"]
    assert trends == {code: (then[code]["trend"], now[code]["trend"]) for code in trends}


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "both"]), st.sampled_from(DATES), NOTE_DATES,
       st.randoms())
def test_the_same_entries_in_any_order_give_the_same_summary(steps: list[tuple[str, str, Any]], side: str,
                                                             end: str, notes: list[str], rnd: Any) -> None:
    """Merged copies hold the same entries in another log order: their summaries agree."""
    events = journal(steps, side, notes).events
    shuffled = rnd.sample(events, len(events))
    want = summary_to_json(summary_of(Timeline(events), events, day(end)))
    assert summary_to_json(summary_of(Timeline(shuffled), shuffled, day(end))) == want
