"""Resumable prefix scans: resumed over new entries, walked again when an earlier one changed,
and the same results either way (milestones and weakness marks rely on it)."""

from __future__ import annotations

from domain.events import EntryEvent
from projections.scan import scan
from tests.projections.builder import J


def count_step(state: int, e: EntryEvent) -> tuple[int, list[tuple[int, str]]]:
    walked.append(e)
    return state + 1, [(state, e.type_name())]


walked: list[EntryEvent] = []


def heel_tests() -> list[EntryEvent]:
    j = J()
    return [j.heel(f"2026-03-0{i}", "left", 10 + i) for i in range(1, 6)]


def test_a_scan_resumes_over_new_entries_only() -> None:
    entries = heel_tests()
    walked.clear()
    first = scan(None, entries[:3], 0, count_step)
    second = scan(first, entries, 0, count_step)
    assert walked == entries  # the first three once, then only the two new ones
    assert second.results == scan(None, entries, 0, count_step).results
    assert second.state == 5


def test_a_changed_earlier_entry_walks_again() -> None:
    entries = heel_tests()
    first = scan(None, entries, 0, count_step)
    changed = [*entries[:2], heel_tests()[2], *entries[3:]]  # a new object at index 2 (a correction)
    walked.clear()
    again = scan(first, changed, 0, count_step)
    assert walked == changed
    assert again.entries == tuple(changed)


def test_the_same_entries_return_the_same_scan() -> None:
    entries = heel_tests()
    first = scan(None, entries, 0, count_step)
    assert scan(first, list(entries), 0, count_step) is first


def test_fewer_entries_walk_again() -> None:
    entries = heel_tests()
    first = scan(None, entries, 0, count_step)
    assert scan(first, entries[:2], 0, count_step).state == 2
