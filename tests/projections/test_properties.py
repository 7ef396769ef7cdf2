"""Property tests: rebuild = incremental at every prefix; checkpointed audit replay = replay
from zero; the status JSON always has every schema key and a valid trend."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import projections.timeline as timeline_module
from projections.dated import DatedEntries
from projections.status import status_to_json
from projections.timeline import Timeline
from tests.projections.builder import J, day
from tests.projections.test_status_json import check_schema

REGIONS = [None, "low_back_center", "low_back", "buttock", "thigh", "knee", "calf", "ankle", "foot", "toes"]
DATES = [f"2026-03-{d:02d}" for d in range(1, 29)]

step = st.one_of(
    st.tuples(st.just("extent"), st.sampled_from(DATES), st.sampled_from(REGIONS)),
    st.tuples(st.just("pain"), st.sampled_from(DATES), st.integers(0, 10)),
    st.tuples(st.just("walk"), st.sampled_from(DATES), st.integers(1, 30)),
    st.tuples(st.just("heel"), st.sampled_from(DATES), st.integers(0, 30)),
    st.tuples(st.just("grade"), st.sampled_from(DATES), st.integers(0, 5)),
    st.tuples(st.just("slr"), st.sampled_from(DATES), st.integers(0, 90)),
    st.tuples(st.just("flags"), st.sampled_from(DATES), st.integers(0, 2)),
    st.tuples(st.just("tingle"), st.sampled_from(DATES), st.integers(0, 1)),
    st.tuples(st.just("exercise"), st.sampled_from(DATES), st.integers(0, 8)),
    st.tuples(st.just("correct"), st.sampled_from(DATES), st.integers(0, 10)),
    st.tuples(st.just("retract"), st.sampled_from(DATES), st.integers(0, 10)),
)


def build(steps: list[tuple[str, str, Any]], side: str) -> J:
    # Recorded from mid-March, so the audit view's as-of date falls inside the journal.
    j = J(side=side, recorded_from="2026-03-15")
    ratings = []
    for kind, at, x in steps:
        if kind == "extent":
            ratings.append(j.extent(at, x))
        elif kind == "pain":
            ratings.append(j.pain(at, leg=x, share=x * 10))
        elif kind == "walk":
            j.walk(at, 30, x if x < 30 else None, "calf" if x < 30 else None)
        elif kind == "heel":
            j.heel(at, "left" if x % 2 else "right", x)
        elif kind == "grade":
            j.grade(at, "left", x)
        elif kind == "slr":
            j.slr(at, "left", x)
        elif kind == "flags":
            j.flags(at, *[["bladder_change"], [], ["fever_or_unwell", "both_legs"]][x])
        elif kind == "tingle":
            j.symptoms(at, ("foot", "left", "numbness" if x else "tingling", 4), context="sitting")
        elif kind == "exercise":
            j.exercise(at, "press-up", REGIONS[x], REGIONS[8 - x])
        elif kind == "correct" and ratings:
            target = ratings[x % len(ratings)]
            if target.type_name() == "PainRated":
                j.correct(target, at, observed_at=at, leg=x)
            else:
                j.correct(target, at, observed_at=at, symptoms=[])
        elif kind == "retract" and ratings:
            j.retract(ratings[x % len(ratings)], at)
    return j


AS_OF = [day("2026-03-07"), day("2026-03-14"), day("2026-03-28")]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "right", "both"]))
def test_incremental_equals_rebuild_at_every_prefix(steps: list[tuple[str, str, Any]], side: str) -> None:
    j = build(steps, side)
    incremental = Timeline([])
    for n, event in enumerate(j.events, start=1):
        incremental.apply(event)
        if n % 3 and n != len(j.events):
            continue
        rebuilt = Timeline(j.events[:n])
        for as_of in AS_OF:
            assert status_to_json(incremental.status_at(as_of)) == status_to_json(rebuilt.status_at(as_of))


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "both"]))
def test_checkpointed_recorded_replay_equals_replay_from_zero(steps: list[tuple[str, str, Any]], side: str) -> None:
    j = build(steps, side)
    t = j.timeline()
    moments = [e.recorded_at for e in j.events]
    for moment in moments[::-1] + moments[::2]:
        prefix = [e for e in j.events if e.recorded_at <= moment]
        got = status_to_json(t.status_recorded_at(moment))
        want = status_to_json(Timeline(prefix).status_at(moment.astimezone().date()))
        got.pop("as_recorded_at")
        want.pop("as_recorded_at")
        assert got == want


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "right", "both"]), st.sampled_from(DATES))
def test_status_always_has_every_key_and_a_valid_trend(steps: list[tuple[str, str, Any]], side: str,
                                                      as_of: str) -> None:
    status = build(steps, side).status(as_of)
    check_schema(status)


@pytest.fixture(autouse=True)
def small_checkpoints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline_module, "CHECKPOINT_EVERY", 3)
    # Copies share all but one entry of each store (the shared base exercised on small journals).
    monkeypatch.setattr(DatedEntries, "TAIL_KEPT", 1)


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "right", "both"]), st.randoms())
def test_bulk_build_equals_applying_each_event(steps: list[tuple[str, str, Any]], side: str,
                                               rnd: Any) -> None:
    """``StatusProjection.from_events`` (the Timeline's initial build) gives what applying the
    events one by one gives: the same stores in the same key order, entries and statuses; also
    in an order other than recorded (a correction before its target)."""
    from projections.status import ALL_PROJECTIONS, StatusProjection

    events = build(steps, side).events
    for order in (events, rnd.sample(events, len(events))):
        bulk = StatusProjection.from_events(order)
        one_by_one = StatusProjection()
        for event in order:
            one_by_one.apply(event)
        assert bulk.journal is one_by_one.journal
        assert bulk.entries.originals == one_by_one.entries.originals
        assert bulk.entries.changes == one_by_one.entries.changes
        assert bulk.entries._effective == one_by_one.entries._effective
        assert list(bulk.entries._effective) == list(one_by_one.entries._effective)
        for name in ALL_PROJECTIONS:
            mine, theirs = getattr(bulk, name), getattr(one_by_one, name)
            assert list(mine.stores) == list(theirs.stores), name
            for key, store in mine.stores.items():
                assert store._keys == theirs.stores[key]._keys and list(store) == list(theirs.stores[key])
            assert mine.version == theirs.version and mine.journal is theirs.journal
        assert bulk.red_flags.acknowledgements._keys == one_by_one.red_flags.acknowledgements._keys
        for as_of in AS_OF:
            assert status_to_json(bulk.status_at(as_of)) == status_to_json(one_by_one.status_at(as_of))


def _statuses(projection: Any) -> list[dict[str, Any]]:
    return [status_to_json(projection.status_at(as_of)) for as_of in AS_OF]


@SETTINGS
@given(st.lists(step, max_size=30), st.sampled_from(["left", "both"]), st.integers(0, 40))
def test_a_copy_fed_further_never_shows_in_what_it_was_copied_from(steps: list[tuple[str, str, Any]],
                                                                   side: str, cut: int) -> None:
    """Copy independence, for both kinds of copy: one with its effective entries (``apply``)
    and a replay checkpoint's (``feed`` from a change stream resolved once). The original keeps
    its statuses; each copy ends equal to a fresh build of every event."""
    from projections.entries import EffectiveEntries
    from projections.status import StatusProjection

    events = build(steps, side).events
    head, tail = events[:cut], events[cut:]
    resolver = EffectiveEntries()
    stream = [resolver.apply(e) for e in head]
    original = StatusProjection.from_events(head)
    checkpoint = StatusProjection().copy(resolving=False)
    for event, changes in zip(head, stream, strict=True):
        checkpoint.feed(event, changes)
    checkpoint.warm()
    before = _statuses(original)
    assert _statuses(checkpoint) == before
    whole = _statuses(StatusProjection.from_events(events))

    resolving = original.copy()
    fed = checkpoint.copy(resolving=False)
    for event in tail:
        resolving.apply(event)
        fed.feed(event, resolver.apply(event))
    assert _statuses(original) == before and _statuses(checkpoint) == before
    assert _statuses(resolving) == whole and _statuses(fed) == whole


@SETTINGS
@given(st.lists(step, max_size=30), st.randoms())
def test_audit_replay_follows_events_arriving_in_any_order(steps: list[tuple[str, str, Any]], rnd: Any) -> None:
    """Events applied out of recorded order (a merge of an older copy) between audit queries:
    the checkpoints and the change stream after each arrival are rebuilt, never reused stale."""
    events = build(steps, "left").events
    arrived: list[Any] = []
    t = Timeline([])
    for event in rnd.sample(events, len(events)):
        t.apply(event)
        arrived.append(event)
        moment = rnd.choice(arrived).recorded_at
        prefix = [e for e in arrived if e.recorded_at <= moment]
        got = status_to_json(t.status_recorded_at(moment))
        want = status_to_json(Timeline(prefix).status_at(moment.astimezone().date()))
        got.pop("as_recorded_at")
        want.pop("as_recorded_at")
        assert got == want
