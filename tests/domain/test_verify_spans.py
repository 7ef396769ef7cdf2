"""How ``sciatica verify`` cuts a long log into parts and joins what the parts found
(``domain.verify_spans``): the parts cover every rowid once, and the parts' walks count as the
whole log's only when each starts from the link the one before it ended with, all saw the same
ends, and the joined walk fits them as a walk in one piece must."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import domain.verify_spans as vs
from domain.application import JournalApp
from domain.chain import GENESIS, LogEnds
from domain.copies import verify_journal
from domain.verify_spans import SpanCheck, plan_spans, spans_hold


def ends(n: int, head: bytes) -> LogEnds:
    return LogEnds((1, n), (1, n), {"chain_head": head.hex(), "chain_length": str(n)})


@pytest.fixture
def may_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vs, "fork_is_safe", lambda: True)


@pytest.mark.parametrize("n", [8_000, 8_001, 12_345, 36_591])
@pytest.mark.parametrize("workers", [2, 3, 4])
@pytest.mark.usefixtures("may_fork")
def test_the_parts_cover_every_rowid_once(n: int, workers: int) -> None:
    spans = plan_spans(ends(n, GENESIS), workers, 4_000)
    assert all(s is not None for s in spans)
    rowids = [r for s in spans if s is not None for r in range(s[0], s[1] + 1)]
    assert rowids == list(range(1, n + 1))
    assert len(spans) == min(workers, n // 4_000)
    assert all(s is not None and s[1] - s[0] + 1 >= 4_000 for s in spans)


@pytest.mark.usefixtures("may_fork")
def test_a_short_or_odd_log_is_walked_in_one_piece() -> None:
    assert plan_spans(ends(7_999, GENESIS), 4, 4_000) == [None]
    assert plan_spans(ends(80_000, GENESIS), 1, 4_000) == [None]
    assert plan_spans(LogEnds((0, 80_000), (1, 80_000), {}), 4, 4_000) == [None]  # a row added before the first
    assert plan_spans(LogEnds(("1", "80000"), (1, 80_000), {}), 4, 4_000) == [None]  # not what was written
    assert plan_spans(LogEnds((None, None), (None, None), {}), 4, 4_000) == [None]  # empty


def test_no_parts_where_the_process_may_not_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vs, "fork_is_safe", lambda: False)
    assert plan_spans(ends(80_000, GENESIS), 4, 4_000) == [None]


A, B, C = (bytes([i]) * 32 for i in (1, 2, 3))


def parts(*changes: dict[str, object]) -> list[SpanCheck]:
    """Two sound parts of a 10-row log: [1, 6] from GENESIS to A, [7, 10] from A to B; CHANGES
    alter them one by one."""
    whole = ends(10, B)
    found = [SpanCheck((1, 6), GENESIS, A, 6, False, True, whole), SpanCheck((7, 10), A, B, 4, False, True, whole)]
    for i, change in enumerate(changes):
        found[i] = SpanCheck(**{**found[i].__dict__, **change})  # type: ignore[arg-type]
    return found


def test_sound_parts_join_into_the_whole_log() -> None:
    assert spans_hold(parts())
    assert spans_hold([SpanCheck(None, GENESIS, B, 10, False, True, ends(10, B))])


@pytest.mark.parametrize("changes", [
    ({"broken": True}, {}),
    ({}, {"broken": True}),
    ({}, {"start": C}),  # the second part does not start where the first ended
    ({"start": A}, {}),  # nor the first at GENESIS
    ({}, {"start": None}),  # no link recorded before the second
    ({"count": 5}, {}),  # a rowid missing inside the first part
    ({}, {"ends": ends(10, C)}),  # the parts saw different files (changed between them)
    ({"ends": ends(11, B)}, {}),
    ({}, {"head": C}),  # the joined walk does not end at the recorded head
])
def test_parts_that_do_not_join_are_not_the_whole_log(changes: tuple[dict[str, object], ...]) -> None:
    assert not spans_hold(parts(*changes))


def test_entries_do_not_join_the_chain_verdict() -> None:
    """Whether the entries held is the quick check's other half, not the chain's."""
    assert spans_hold(parts({"entries_hold": False}))


def test_without_a_process_to_fork_the_log_is_checked_in_one_piece(
        monkeypatch: pytest.MonkeyPatch, journal: JournalApp, journal_path: Path) -> None:
    for i in range(30):
        journal.rate_pain(f"2026-01-{1 + i % 28:02d}T09:00", leg=i % 10)
    journal.close()
    monkeypatch.setattr(vs, "fork_is_safe", lambda: True)
    monkeypatch.setattr(vs, "WORKERS", 3)
    monkeypatch.setattr(vs, "SPAN_MIN_ROWS", 5)

    def no_fork() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    found = vs.quick_check(journal_path, None, vs.EntrySpec(None, None, bound=False))
    assert found == vs.QuickCheck(True, 31, True, 1)
    assert verify_journal(journal_path).sentence() == "31 entries verified"
