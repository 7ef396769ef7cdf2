"""Timeline: replay by date and by recorded time, incremental updates, progress series."""

from __future__ import annotations

from datetime import timedelta

import pytest

import projections.timeline as timeline_module
from projections.status import status_to_json
from projections.timeline import Timeline
from tests.projections.builder import J, day, days


def without_audit(status: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in status.items() if k != "as_recorded_at"}


def test_as_recorded_at_shows_what_the_app_showed_before_a_correction() -> None:
    j = J(recorded_from="2026-03-04")
    ratings = [j.pain(at, leg=8) for at in days("2026-03-01", 3)]
    before = j.clock
    for r in ratings:
        j.correct(r, "2026-03-05", leg=2)
    t = j.timeline()
    assert t.status_recorded_at(before).pain.leg_mean == 8
    assert t.status_recorded_at(j.clock).pain.leg_mean == 2
    assert t.status_at(day("2026-03-03")).pain.leg_mean == 2  # today's knowledge of that day


def test_correction_recorded_before_its_target_waits_for_it() -> None:
    j = J()
    target = j.pain("2026-03-01", leg=8)
    fix = j.correct(target, "2026-03-01", leg=3)
    t = Timeline([j.events[0], fix])
    assert t.status_at(day("2026-03-01")).pain.leg_mean is None
    t.apply(target)
    assert t.status_at(day("2026-03-01")).pain.leg_mean == 3


def test_incremental_apply_equals_rebuild() -> None:
    j = J()
    j.daily("2026-03-01", 20, "calf", leg=5)
    t = Timeline(j.events[:10])
    for e in j.events[10:]:
        t.apply(e)
    assert status_to_json(t.status_at(day("2026-03-20"))) == j.status("2026-03-20")


def test_checkpointed_audit_replay_equals_replay_from_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline_module, "CHECKPOINT_EVERY", 4)
    j = J(recorded_from="2026-03-10")
    for i, at in enumerate(days("2026-03-01", 15)):
        e = j.pain(at, leg=i % 9)
        j.extent(at, "calf" if i % 2 else "knee")
        if i % 4 == 0:
            j.correct(e, at, leg=1)
    t = j.timeline()
    moments = [e.recorded_at for e in j.events]
    for moment in [*moments[::-1], *moments]:  # backwards then forwards: checkpoints and cursor
        prefix = [e for e in j.events if e.recorded_at <= moment]
        expected = status_to_json(Timeline(prefix).status_at(moment.astimezone().date()))
        assert without_audit(status_to_json(t.status_recorded_at(moment))) == without_audit(expected)
    # A late (back-dated) arrival invalidates the checkpoints after it.
    late = j.add("PainRated", "2026-03-02", recorded_at=moments[3] + timedelta(seconds=1), leg=9)
    t.apply(late)
    prefix = [e for e in j.events if e.recorded_at <= moments[20]]
    assert without_audit(status_to_json(t.status_recorded_at(moments[20]))) == without_audit(
        status_to_json(Timeline(prefix).status_at(moments[20].astimezone().date())))


def test_series_points_carry_dates_and_entry_ids() -> None:
    j = J()
    for at in days("2026-03-01", 14):
        j.extent(at, "calf" if at < "2026-03-08" else "knee")
        j.pain(at + "T20:00", leg=5, back=2)
        j.pain(at + "T21:00", leg=3)
    h = j.heel("2026-03-02", "left", 10)
    j.grade("2026-03-02", "left", 3)
    j.grade("2026-03-09", "left", 5)
    j.walk("2026-03-03", 20, None)
    j.flags("2026-03-04", "fever_or_unwell")
    s = j.timeline().series()
    assert s.extent[0].date == day("2026-03-01") and s.extent[0].extent == 6
    assert s.extent_median[-1].median == 5
    assert s.heel_raises["left"][0].entry_id == h.entry_id
    assert s.pain[0].leg_mean == 4 and (s.pain[0].leg_min, s.pain[0].leg_max) == (3, 5)
    assert [(p.start, p.end) for p in s.foot_drop] == [(day("2026-03-02"), day("2026-03-09"))]
    assert s.best_walks[0].best == 20
    assert s.red_flags[0].urgency == "soon"
    assert s.stages[0].stage == "not_enough_data"
    assert s.stages[-1].end == day("2026-03-14")
    _start, _end, stage = s.stages[-1]
    assert stage in {"improving", "acute", "flare", "final_stage"}
    assert j.timeline().series(day("2026-03-05")).extent[-1].date == day("2026-03-05")


def test_cached_stage_bands_follow_new_and_back_filled_entries() -> None:
    # Build a timeline, draw the series (filling the daily stage cache), then add entries
    # today and back-filled; the series must equal one built from scratch each time.
    j = J()
    for d in days("2026-01-02", 20):
        j.extent(d, "calf")
        j.pain(d, leg=6)
    timeline = Timeline(j.events)
    assert timeline.series().stages
    for d in days("2026-01-22", 10):
        timeline.apply(j.extent(d, "buttock"))
        timeline.apply(j.pain(d, leg=2))
    back_filled = j.extent("2026-01-05", "toes")
    timeline.apply(back_filled)
    correction = j.add("EntryCorrected", "2026-02-01", target=str(back_filled.entry_id),
                       replacement={"symptoms": [], "context": None}, reason="wrong day")
    for event in (correction,):
        fresh_before = Timeline(j.events[:-1]).series()
        assert timeline.series().stages == fresh_before.stages
        timeline.apply(event)
    assert timeline.series().stages == Timeline(j.events).series().stages
    assert timeline.series(day("2026-01-25")).stages == Timeline(j.events).series(day("2026-01-25")).stages


def test_a_replay_checkpoint_refuses_raw_events() -> None:
    """A copy without effective entries is fed resolved changes only: resolving an event from
    nothing would be silently wrong, so ``apply`` says so."""
    j = J()
    rating = j.pain("2026-03-01", leg=8)
    checkpoint = j.timeline().current.copy(resolving=False)
    with pytest.raises(TypeError):
        checkpoint.apply(j.correct(rating, "2026-03-02", leg=3))
    assert checkpoint.copy(resolving=False).entries is checkpoint.entries
