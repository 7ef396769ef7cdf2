"""Properties of the caseload: a patient's state kept event by event, in whatever order the
store delivers them, gives the row of a fresh build; the order is total and follows the rule."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from projections.caseload import (
    GROUP_ORDER,
    SIGNS,
    SILENT_DAYS,
    CaseloadFlag,
    CaseloadRow,
    Group,
    PatientCaseload,
    caseload_order,
    place,
)
from projections.stage import Stage
from projections.timeline import Timeline
from tests.projections.caseload_journeys import NAMES, journey_events, patient_id

AS_OF = date(2026, 3, 1)


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(NAMES), data=st.data())
def test_incremental_in_any_order_is_the_fresh_build(name: str, data: st.DataObject) -> None:
    events = journey_events(name)
    shuffled = data.draw(st.permutations(events))
    kept = PatientCaseload(patient_id(name))
    for event in shuffled:  # one at a time, rows read on the way as a runner would
        kept.apply(event)
    fresh = PatientCaseload.from_events(patient_id(name), events)
    timeline = Timeline(events)
    first = min(e.observed_at.date() for e in events)
    offset = data.draw(st.integers(0, 130))
    as_of = first + timedelta(days=offset)
    assert kept.row(as_of) == fresh.row(as_of)
    assert kept.row(as_of).stage == timeline.status_at(as_of).stage.stage.value
    assert kept.events == len(events)


urgencies = st.sampled_from(["emergency", "today", "soon"])
flags = st.lists(st.builds(CaseloadFlag, code=st.sampled_from(["bladder_change", "both_legs", "progressive_weakness"]),
                           urgency=urgencies, since=st.dates(date(2026, 1, 1), AS_OF),
                           acknowledged=st.booleans(), words=st.just("a flag")), max_size=3)
trends = st.tuples(*(st.tuples(st.just(code), st.sampled_from(["improving", "worsening", "stable",
                                                               "insufficient_data"])) for code in SIGNS))
last_entries = st.one_of(st.none(), st.dates(AS_OF - timedelta(days=30), AS_OF))


@given(flags=flags, stage=st.sampled_from(list(Stage)), trends=trends, last=last_entries)
def test_the_place_is_the_first_rule_that_holds(flags: list[CaseloadFlag], stage: Stage,
                                                 trends: tuple[tuple[str, str], ...], last: date | None) -> None:
    group, reason = place(tuple(flags), stage.value, "why", trends, last_entry=last, as_of=AS_OF)
    urgent = any(f.urgency in ("emergency", "today") for f in flags)
    silent = last is None or (AS_OF - last).days >= SILENT_DAYS
    worse = any(t == "worsening" for _, t in trends)
    expected = (Group.RED_FLAG if urgent else Group.FLARE if stage is Stage.FLARE else Group.SILENT if silent
                else Group.WORSENING if worse else Group.OTHER)
    assert group is expected
    assert reason and "_" not in reason  # words, never a code
    if any(f.urgency == "soon" for f in flags):
        assert "red flag" in reason.lower()  # a soon flag is said, whatever the place


def _rows(draw: st.DrawFn) -> list[CaseloadRow]:
    base = PatientCaseload.from_events(patient_id("flare"), journey_events("flare")).row(AS_OF)
    out = []
    for i in range(draw(st.integers(0, 12))):
        fl = tuple(sorted(draw(flags), key=lambda f: ["emergency", "today", "soon"].index(f.urgency)))
        tr, last = draw(trends), draw(last_entries)
        stage = draw(st.sampled_from(list(Stage))).value
        group, reason = place(fl, stage, "why", tr, last_entry=last, as_of=AS_OF)
        out.append(replace(base, patient_id=uuid.UUID(int=i), name=draw(st.sampled_from(["Ann", "ann", "Bo", None])),
                           red_flags=fl, trends=tr, last_entry=last, stage=stage, group=group, reason=reason))
    return out


@given(data=st.data())
def test_the_order_is_total_and_groups_come_in_the_rules_order(data: st.DataObject) -> None:
    rows = data.draw(st.composite(_rows)())
    ordered = caseload_order(rows)
    assert caseload_order(data.draw(st.permutations(rows))) == ordered  # whatever order they came in
    groups = [GROUP_ORDER.index(r.group) for r in ordered]
    assert groups == sorted(groups)
    silent = [r.silent_days for r in ordered if r.group is Group.SILENT and r.silent_days is not None]
    assert silent == sorted(silent, reverse=True)
