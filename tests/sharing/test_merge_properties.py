"""Merge is idempotent, commutative and associative over random splits of one history."""

from __future__ import annotations

import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import JournalApp
from domain.copies import merge_files
from domain.events import EntryCorrected, EntryEvent, EntryRetracted, ReviewNoteAdded
from domain.journal import RecoveryJournal
from tests.sharing.conftest import same_state


def _history() -> list[EntryEvent]:
    """One journal's history: observations, corrections (some conflicting), retractions,
    review notes, with distinct recorded times."""
    journal = RecoveryJournal()
    base = datetime(2026, 1, 12, 9, 0)
    clock = iter(datetime(2026, 1, 12, 10, 0).astimezone() + timedelta(minutes=n) for n in range(1000))
    events: list[EntryEvent] = []

    def decide(type_name: str, fields: dict[str, object], observed: datetime) -> EntryEvent:
        event = journal.decide(type_name, fields, observed_at=observed, recorded_at=next(clock))
        journal.apply(event)
        events.append(event)
        return event

    decide("JournalStarted", {"patient": "P", "affected_side": "left", "onset_date": "2026-01-10"}, base)
    pains = [decide("PainRated", {"leg": 7 - n % 5, "back": 2}, base + timedelta(days=n % 4, hours=n))
             for n in range(6)]
    walks = [decide("WalkRecorded", {"total_minutes": 10 + n, "minutes_to_symptoms": None,
                                     "extent_at_stop": None}, base + timedelta(days=n)) for n in range(3)]
    for n, target in enumerate([pains[0], pains[0], pains[1], pains[2]]):
        decide("EntryCorrected", {"target": target.entry_id, "replacement": {"leg": n, "back": 1},
                                  "reason": f"fix {n}"}, base + timedelta(days=5))
    decide("EntryRetracted", {"target": pains[1].entry_id, "reason": "twice"}, base + timedelta(days=5))
    decide("EntryRetracted", {"target": walks[0].entry_id, "reason": "wrong"}, base + timedelta(days=5))
    decide("ReviewNoteAdded", {"therapist": "T", "text": "ok", "about": walks[1].entry_id}, base)
    decide("ReviewNoteAdded", {"therapist": "T", "text": "overall", "about": None}, base)
    return events


HISTORY = _history()
START, REST = HISTORY[0], HISTORY[1:]


def _closed(chosen: set[uuid.UUID]) -> set[uuid.UUID]:
    """Add the targets of chosen corrections, retractions and notes (a copy holds them)."""
    out = set(chosen)
    for event in REST:
        if event.entry_id in out:
            target = (event.target if isinstance(event, EntryCorrected | EntryRetracted)
                      else event.about if isinstance(event, ReviewNoteAdded) else None)
            if target is not None:
                out.add(target)
    return out


copies = st.lists(st.sets(st.sampled_from([e.entry_id for e in REST])), min_size=3, max_size=3)


def _write(folder: Path, name: str, ids: set[uuid.UUID], shuffle: int) -> Path:
    held = [e for e in REST if e.entry_id in _closed(ids)]
    # Different copies hold their entries in different log orders (targets still first).
    observations = [e for e in held if type(e).CORRECTABLE]
    later = [e for e in held if not type(e).CORRECTABLE]
    if shuffle % 2:
        observations.reverse()
    path = folder / name
    with JournalApp.create_from(path, [START, *observations, *later]):
        pass
    return path


def _copy(src: Path, folder: Path, name: str) -> Path:
    out = folder / name
    out.write_bytes(src.read_bytes())
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copies, st.integers(0, 3))
def test_merge_is_idempotent_commutative_associative(split: list[set[uuid.UUID]], shuffle: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a = _write(folder, "a.sciatica", split[0], shuffle)
        b = _write(folder, "b.sciatica", split[1], shuffle + 1)
        c = _write(folder, "c.sciatica", split[2], shuffle >> 1)

        # Commutative: A<-B and B<-A hold the same entries and show the same state.
        ab, ba = _copy(a, folder, "ab.sciatica"), _copy(b, folder, "ba.sciatica")
        merge_files(ab, b)
        merge_files(ba, a)
        same_state(ab, ba)

        # Idempotent: merging again adds nothing, and the file stays as it was.
        before = ab.read_bytes()
        assert merge_files(ab, b).startswith("Nothing new")
        assert merge_files(ab, ab).startswith("Nothing new")
        assert ab.read_bytes() == before

        # Associative: (A<-B)<-C and A<-(B<-C).
        left = _copy(ab, folder, "left.sciatica")
        merge_files(left, c)
        bc = _copy(b, folder, "bc.sciatica")
        merge_files(bc, c)
        right = _copy(a, folder, "right.sciatica")
        merge_files(right, bc)
        same_state(left, right)

        # Nothing lost: the union of the three copies.
        with JournalApp.open(left, readonly=True) as app:
            held = {e.entry_id for e in app.entries()}
            assert held == {START.entry_id} | _closed(split[0]) | _closed(split[1]) | _closed(split[2])
            assert app.integrity_problem is None
