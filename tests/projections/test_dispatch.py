"""StatusProjection hands an effective change only to the projections that keep entries of its
type (``projections.status.USES``); that must be every projection whose ``component`` takes it,
and the result must equal handing every change to every projection."""

from __future__ import annotations

import json
from datetime import date, timedelta

from benchmarks.generate import generate, to_lines
from domain.events import EVENT_TYPES, EntryEvent
from domain.interchange import parse_lines
from domain.journal import RecoveryJournal
from projections.entries import EffectiveEntries
from projections.status import ALL_PROJECTIONS, USES, StatusProjection, status_to_json


def journal() -> list[EntryEvent]:
    return parse_lines(list(to_lines(generate(0.5, seed=7))), RecoveryJournal(), source="generated")


class Broadcast(StatusProjection):
    """The projection as it was: every change to every projection."""

    def apply(self, event: EntryEvent) -> None:
        if not type(event).CORRECTABLE and event.type_name() not in ("EntryCorrected", "EntryRetracted"):
            super().apply(event)
            return
        for change in self.entries.apply(event):
            for projection in self._projections():
                projection.apply_change(change)


def test_every_projection_that_takes_a_type_is_routed_it() -> None:
    events = journal()
    assert {type(e) for e in events} == set(EVENT_TYPES.values())
    status = StatusProjection()
    effective = EffectiveEntries()
    for event in events:
        status.apply(event)
        for change in effective.apply(event):
            for entry in (change.before, change.after):
                if entry is None:
                    continue
                for name in ALL_PROJECTIONS:
                    if getattr(status, name).component(entry) is not None:
                        assert type(entry) in USES[name], (name, entry.type_name())


def test_routed_and_broadcast_projections_agree() -> None:
    events = journal()
    routed, broadcast = StatusProjection(), Broadcast()
    for event in events:
        routed.apply(event)
        broadcast.apply(event)
    first = min(e.observed_at.date() for e in events)
    for offset in range(0, 190, 9):
        day: date = first + timedelta(days=offset)
        assert json.dumps(status_to_json(routed.status_at(day)), sort_keys=True) == \
            json.dumps(status_to_json(broadcast.status_at(day)), sort_keys=True), day
