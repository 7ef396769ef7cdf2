"""The real journeys of ``tests/journeys`` as events, one patient each, for caseload tests."""

from __future__ import annotations

import uuid
from functools import cache
from pathlib import Path

from domain.events import EntryEvent
from domain.interchange import parse_lines
from domain.journal import RecoveryJournal

JOURNEYS = Path(__file__).parent.parent / "journeys"
NAMES: tuple[str, ...] = tuple(sorted(p.stem for p in JOURNEYS.glob("*.jsonl")))


@cache
def journey_events(name: str) -> tuple[EntryEvent, ...]:
    path = JOURNEYS / f"{name}.jsonl"
    return tuple(parse_lines(path.read_text(encoding="utf-8").splitlines(), RecoveryJournal(), source=path.name))


def patient_id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"sciatica-journey:{name}")
