"""DatedEntries against a plain model: entries in projection order, read by day, with copies
that share structure (a base prefix in shared lists, a tail of their own). Whatever is added
to or removed from one store, its copies and the store it was copied from never see it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.events import EntryEvent
from projections.dated import DatedEntries
from projections.entries import entry_order
from tests.projections.builder import J, day

FIRST = day("2026-03-01")


def pool() -> list[EntryEvent]:
    """Ratings on 12 days, several a day, recorded in an order other than observed."""
    j = J()
    return [j.pain(f"{FIRST + timedelta(days=(i * 7) % 12)}T{8 + i % 5:02d}:00", leg=i % 10) for i in range(40)]


EVENTS = pool()
# Mostly adds (in pool order: most come later than every entry, as in use), some removes
# and copies, among a few stores.
op = st.tuples(st.sampled_from(["add"] * 6 + ["remove"] * 2 + ["copy"]), st.integers(0, 3),
               st.integers(0, len(EVENTS) - 1))


def check(store: DatedEntries, model: dict[Any, EntryEvent]) -> None:
    ordered = [model[k] for k in sorted(model)]
    assert list(store) == ordered and len(store) == len(ordered)
    assert [k for k, _ in store.keyed()] == sorted(model)
    for d in (FIRST - timedelta(days=1), FIRST, FIRST + timedelta(days=5), FIRST + timedelta(days=11)):
        upto = [e for e in ordered if e.observed_at.date() <= d]
        assert store.upto(d) == upto and store.count_upto(d) == len(upto)
        assert store.last_upto(d) is (upto[-1] if upto else None)
        assert store.last_n_upto(d, 3) == upto[-3:]
        since = d - timedelta(days=2)
        assert store.between(since, d) == [e for e in upto if e.observed_at.date() >= since]
    assert store.upto(date.max) == ordered


@settings(max_examples=80, deadline=None)
@given(st.lists(op, min_size=20, max_size=120), st.integers(0, 3))
def test_stores_and_their_copies_equal_a_model_and_never_see_each_other(ops: list[tuple[str, int, int]],
                                                                       tail: int) -> None:
    kept = DatedEntries.TAIL_KEPT
    DatedEntries.TAIL_KEPT = tail  # small, so the shared base is exercised by a few entries
    try:
        stores, models = [DatedEntries()], [dict[Any, EntryEvent]()]
        for kind, which, i in ops:
            s = which % len(stores)
            event = EVENTS[i if i % 3 else min(i, len(stores[s]) + len(EVENTS) // 4)]
            if kind == "add":
                stores[s].add(event)
                models[s][entry_order(event)] = event
            elif kind == "remove":
                stores[s].remove(event)
                models[s].pop(entry_order(event), None)
            else:
                stores.append(stores[s].copy())
                models.append(dict(models[s]))
            for store, model in zip(stores, models, strict=True):
                check(store, model)
    finally:
        DatedEntries.TAIL_KEPT = kept
