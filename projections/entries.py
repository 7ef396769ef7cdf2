"""Effective entries: every observation as today's best knowledge has it.

Corrections replace an entry's values, retractions remove it. When copies hold several
changes of one entry (after a merge), the one with the latest original recorded time wins
(ties: the larger entry id); the others stay in the history and are marked as conflicts.
A change may arrive before its target (audit replay by recorded time after a merge); it
waits until the target arrives.
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from domain.events import (
    EntryCorrected,
    EntryEvent,
    EntryRetracted,
    corrected_view,
)

Change = EntryCorrected | EntryRetracted


def change_key(event: EntryEvent) -> tuple[object, ...]:
    return (event.recorded_at, event.entry_id.int)


def same_words(text: str) -> str:
    """What two typed names share when they differ only in case or spacing (model v2: exercise
    names and position contexts are compared so: `Prone press-up` = `prone  press-up`)."""
    return " ".join(text.split()).casefold()


def entry_order(event: EntryEvent) -> tuple[object, ...]:
    """The order projections use: observed, then original recorded time, then entry id."""
    return (event.observed_at, event.recorded_at, event.entry_id.int)


class EffectiveChange(NamedTuple):
    """An observation's effective value before and after one event (None = absent). A named
    tuple: one is made for almost every event of a replay, so it must be cheap."""

    entry_id: uuid.UUID
    before: EntryEvent | None
    after: EntryEvent | None


class EffectiveEntries:
    def __init__(self) -> None:
        self.originals: dict[uuid.UUID, EntryEvent] = {}
        self.changes: dict[uuid.UUID, list[Change]] = {}
        self._effective: dict[uuid.UUID, EntryEvent | None] = {}

    def apply(self, event: EntryEvent) -> list[EffectiveChange]:
        """Take one event; return how effective observations changed (possibly nothing)."""
        if type(event).CORRECTABLE:
            entry_id = event.entry_id
            # One hash of the id for the common case (UUID hashing is a Python call).
            known = self.originals.setdefault(entry_id, event)
            if known is event and (not self.changes or entry_id not in self.changes):
                # A first observation nothing corrects yet (almost every one): its own
                # effective entry, without resolving a winner.
                self._effective[entry_id] = event
                return [EffectiveChange(entry_id, None, event)]
            self.originals[entry_id] = event
            return self._recompute(entry_id)
        if isinstance(event, EntryCorrected | EntryRetracted):
            target = event.target
            self.changes.setdefault(target, []).append(event)
            if target not in self.originals:
                return []
            return self._recompute(target)
        return []

    def _recompute(self, entry_id: uuid.UUID) -> list[EffectiveChange]:
        before = self._effective.get(entry_id)
        after = self._resolve(entry_id)
        self._effective[entry_id] = after
        if before is after:
            return []
        return [EffectiveChange(entry_id, before, after)]

    def _resolve(self, entry_id: uuid.UUID) -> EntryEvent | None:
        original = self.originals[entry_id]
        winner = self.winner(entry_id)
        if winner is None:
            return original
        if isinstance(winner, EntryRetracted):
            return None
        return corrected_view(original, winner)

    def winner(self, entry_id: uuid.UUID) -> Change | None:
        changes = self.changes.get(entry_id)
        if not changes:
            return None
        return max(changes, key=change_key)

    def conflicted(self, entry_id: uuid.UUID) -> bool:
        """More than one correction/retraction of one entry (from copies merged together)."""
        return len(self.changes.get(entry_id, ())) > 1

    def effective(self, entry_id: uuid.UUID) -> EntryEvent | None:
        return self._effective.get(entry_id)

    def current(self) -> list[EntryEvent]:
        """Every effective observation, in projection order."""
        return sorted((e for e in self._effective.values() if e is not None), key=entry_order)

    def copy(self) -> EffectiveEntries:
        """An independent copy, so a replay checkpoint can be resumed without disturbing it."""
        new = EffectiveEntries()
        new.originals = dict(self.originals)
        new.changes = {k: list(v) for k, v in self.changes.items()}
        new._effective = dict(self._effective)
        return new
