"""Prefix scans that resume: derived results (milestones, progressive-weakness marks) that
walk a store's entries in order, where each result depends only on the entries before it.

A ``Scan`` remembers the entries it walked, its results and the state it ended in. Asked
again for a store whose entries still begin with those same entry objects (the usual case:
new entries come later in order, in use and in an audit replay from a checkpoint), it goes on
from that state over the new entries only; any other change walks the store again. Entries
are immutable and a correction makes a new object, so identity says "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.events import EntryEvent

S = TypeVar("S")  # the scan's state: immutable (it is shared by the scans that resume it)
R = TypeVar("R")  # one result

Step = Callable[[S, EntryEvent], tuple[S, Sequence[R]]]


@dataclass(frozen=True)
class Scan(Generic[S, R]):
    entries: tuple[EntryEvent, ...]
    results: tuple[R, ...]
    state: S


def _is_prefix(walked: tuple[EntryEvent, ...], entries: Sequence[EntryEvent]) -> bool:
    return len(walked) <= len(entries) and all(a is b for a, b in zip(walked, entries, strict=False))


def scan(previous: Scan[S, R] | None, entries: Sequence[EntryEvent], initial: S, step: Step[S, R]) -> Scan[S, R]:
    """ENTRIES walked with STEP from INITIAL, resuming PREVIOUS when it walked a prefix of them."""
    if previous is not None and _is_prefix(previous.entries, entries):
        if len(previous.entries) == len(entries):
            return previous
        state, results, start = previous.state, list(previous.results), len(previous.entries)
    else:
        state, results, start = initial, [], 0
    for entry in entries[start:]:
        state, found = step(state, entry)
        results.extend(found)
    return Scan(tuple(entries), tuple(results), state)
