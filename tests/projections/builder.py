"""A small journal builder for projection tests: real domain events, explicit dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.events import EntryEvent
from domain.journal import RecoveryJournal
from projections.status import StatusSnapshot, status_to_json
from projections.timeline import Timeline


def day(text: str) -> date:
    return date.fromisoformat(text)


def days(start: str, count: int) -> list[str]:
    first = day(start)
    return [(first + timedelta(days=i)).isoformat() for i in range(count)]


class J:
    """Build a journal entry by entry; recorded times advance one minute per entry."""

    def __init__(self, side: str = "left", onset: str = "2026-01-01", start: str = "2026-01-01",
                 recorded_from: str = "2026-01-01") -> None:
        self.journal = RecoveryJournal()
        self.events: list[EntryEvent] = []
        self.clock = datetime.combine(day(recorded_from), datetime.min.time(), tzinfo=UTC)
        self.add("JournalStarted", start, patient="A. Patient", affected_side=side, onset_date=onset)

    def add(self, type_name: str, at: str, recorded_at: datetime | None = None, **fields: Any) -> EntryEvent:
        self.clock += timedelta(minutes=1)
        event = self.journal.decide(type_name, fields, observed_at=at, recorded_at=recorded_at or self.clock)
        self.journal.apply(event)
        self.events.append(event)
        return event

    # Observations ------------------------------------------------------------------------

    def symptoms(self, at: str, *items: tuple[str, str, str, float], context: str | None = None) -> EntryEvent:
        """ITEMS: (region, side, sensation, intensity)."""
        return self.add("SymptomsRecorded", at, symptoms=[
            {"region": r, "side": s, "sensation": x, "intensity": i} for r, s, x, i in items], context=context)

    def extent(self, at: str, region: str | None, side: str = "left") -> EntryEvent:
        if region is None:
            return self.symptoms(at)
        if region == "low_back_center":
            side = "center"
        return self.symptoms(at, (region, side, "pain", 5))

    def daily(self, start: str, count: int, region: str | None, leg: float | None = None,
              share: float | None = None) -> None:
        """COUNT days from START, each with a symptom record reaching REGION and (with LEG or
        SHARE) a pain rating."""
        for at in days(start, count):
            self.extent(at, region)
            if leg is not None or share is not None:
                self.pain(at, leg=leg, share=share)

    def pain(self, at: str, leg: float | None = None, back: float | None = None,
             share: float | None = None, episodes: int | None = None) -> EntryEvent:
        return self.add("PainRated", at, leg=leg, back=back, share_of_day_percent=share, episodes=episodes)

    def walk(self, at: str, total: float, to_symptoms: float | None = None, extent: str | None = None) -> EntryEvent:
        return self.add("WalkRecorded", at, total_minutes=total, minutes_to_symptoms=to_symptoms,
                        extent_at_stop=extent)

    def heel(self, at: str, side: str, reps: int) -> EntryEvent:
        return self.add("HeelRaisesTested", at, side=side, repetitions=reps)

    def grade(self, at: str, side: str, grade: int, muscle: str = "ankle_dorsiflexion") -> EntryEvent:
        return self.add("MuscleGraded", at, muscle=muscle, side=side, grade=grade)

    def gait(self, at: str, side: str, result: str, test: str = "heel_walk") -> EntryEvent:
        return self.add("GaitChecked", at, test=test, side=side, result=result)

    def slr(self, at: str, side: str, degrees: float) -> EntryEvent:
        return self.add("StraightLegRaiseTested", at, side=side, degrees=degrees)

    def slump(self, at: str, side: str, result: str) -> EntryEvent:
        return self.add("SlumpTested", at, side=side, result=result)

    def bend(self, at: str, cm: float, extent: str | None = None) -> EntryEvent:
        return self.add("ForwardBendTested", at, fingertip_to_floor_cm=cm, extent=extent)

    def exercise(self, at: str, name: str, before: str | None, after: str | None) -> EntryEvent:
        return self.add("ExerciseResponseRecorded", at, exercise=name, extent_before=before, extent_after=after)

    def flags(self, at: str, *codes: str) -> EntryEvent:
        return self.add("RedFlagsChecked", at, present=list(codes))

    def acknowledge(self, at: str, *codes: str) -> EntryEvent:
        return self.add("RedFlagAcknowledged", at, flags=list(codes))

    def correct(self, target: EntryEvent, at: str, **replacement: Any) -> EntryEvent:
        return self.add("EntryCorrected", at, target=str(target.entry_id), replacement=replacement,
                        reason="typo")

    def retract(self, target: EntryEvent, at: str) -> EntryEvent:
        return self.add("EntryRetracted", at, target=str(target.entry_id), reason="wrong entry")

    @classmethod
    def told(cls, side: str, entries: list[tuple[Any, ...]]) -> J:
        """A journal of SIDE with ENTRIES as (method, *arguments), e.g. ("heel", "2026-03-01",
        "left", 10): a test story written as a table row."""
        j = cls(side=side)
        for method, *args in entries:
            getattr(j, method)(*args)
        return j

    # Reading -----------------------------------------------------------------------------

    def timeline(self) -> Timeline:
        return Timeline(self.events)

    def snapshot(self, as_of: str) -> StatusSnapshot:
        return self.timeline().status_at(day(as_of))

    def status(self, as_of: str) -> dict[str, Any]:
        return status_to_json(self.snapshot(as_of))

    def indicator(self, name: str, as_of: str) -> dict[str, Any]:
        result: dict[str, Any] = self.status(as_of)["indicators"][name]
        return result
