"""The status at a date: every indicator composed into one snapshot, and its two faces,
``sciatica-status/2`` JSON (``shared/docs/interchange.md``; keys never renamed, evidence
added under extra keys) and a short text a person can read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.collector import collector_paused
from domain.events import (
    EVENT_TYPES,
    EntryCorrected,
    EntryEvent,
    EntryRetracted,
    JournalStarted,
)
from projections.centralization import CentralizationProjection, CentralizationState, ExtentWindow
from projections.comparison import Comparison, Finding
from projections.dated import EntryProjection
from projections.entries import EffectiveChange, EffectiveEntries
from projections.exercises import ExerciseProjection, ExercisesState
from projections.measures import MeasuresProjection, MeasuresState, measures_to_json
from projections.nerve_mobility import NerveMobilityProjection, NerveMobilityState
from projections.pain import PainProjection, PainState
from projections.red_flags import RedFlagProjection, RedFlagsState
from projections.signs import PositionIrritation, SensationReturning, SignsProjection, SignsState
from projections.stage import Parts, StageProjection, StageState
from projections.strength import StrengthProjection, StrengthState
from projections.trend import tidy
from projections.walking import WalkingProjection, WalkingState, WalkWindow

SCHEMA = "sciatica-status/2"


@dataclass(frozen=True)
class StatusSnapshot:
    as_of: date
    patient: str | None
    affected_side: str | None
    onset_date: date | None
    days_since_onset: int | None
    stage: StageState
    red_flags: RedFlagsState
    centralization: CentralizationState
    strength: StrengthState
    nerve_mobility: NerveMobilityState
    pain: PainState
    walking: WalkingState
    signs: SignsState
    exercises: ExercisesState
    as_recorded_at: datetime | None = None
    measures: MeasuresState = field(default_factory=MeasuresState)  # issue 19: PSFS, SBI, PEG


# The bundle's projections by name, in feeding order; each declares the observation types it
# keeps (``KEEPS``), and a change goes only to those that keep its type.
# tests/projections/test_dispatch.py checks each declaration against its ``component``.
PROJECTION_TYPES: dict[str, type[EntryProjection]] = {
    "centralization": CentralizationProjection,
    "strength": StrengthProjection,
    "nerve_mobility": NerveMobilityProjection,
    "pain": PainProjection,
    "walking": WalkingProjection,
    "signs": SignsProjection,
    "exercises": ExerciseProjection,
    "red_flags": RedFlagProjection,
    "measures": MeasuresProjection,
}
USES: dict[str, tuple[type[EntryEvent], ...]] = {name: cls.KEEPS for name, cls in PROJECTION_TYPES.items()}
ALL_PROJECTIONS: tuple[str, ...] = tuple(PROJECTION_TYPES)
ROUTES: dict[type[EntryEvent], tuple[str, ...]] = {
    cls: tuple(name for name, types in USES.items() if cls in types) for cls in EVENT_TYPES.values()
}
ApplyChange = Callable[[EffectiveChange], None]


class _FedOnly(EffectiveEntries):
    """The entries of a copy fed resolved changes only: it has none, and refuses raw events
    (resolving them from nothing would be wrong, silently)."""

    def apply(self, event: EntryEvent) -> list[EffectiveChange]:
        raise TypeError("this projection is fed resolved changes (feed), not events")

    def copy(self) -> EffectiveEntries:
        return self


FED_ONLY: EffectiveEntries = _FedOnly()


class StatusProjection:
    """Every indicator fed from one shared EffectiveEntries (corrections resolved once)."""

    def __init__(self) -> None:
        self.entries = EffectiveEntries()
        self.journal: JournalStarted | None = None
        self.centralization = CentralizationProjection()
        self.strength = StrengthProjection()
        self.nerve_mobility = NerveMobilityProjection()
        self.pain = PainProjection()
        self.walking = WalkingProjection()
        self.signs = SignsProjection()
        self.exercises = ExerciseProjection()
        self.red_flags = RedFlagProjection(self.strength)
        self.measures = MeasuresProjection()
        self._wire()

    def _wire(self) -> None:
        self.parts = Parts(self.centralization, self.strength, self.nerve_mobility, self.pain, self.walking)
        self.stage = StageProjection(self.parts, self.signs, self.red_flags)
        self._every: tuple[ApplyChange, ...] = tuple(p.apply_change for p in self._projections())
        # Per observation type, the projections that keep it (bound ``apply_change``, in order).
        self._routes: dict[type[EntryEvent], tuple[ApplyChange, ...]] = {
            kind: tuple(getattr(self, name).apply_change for name in names) for kind, names in ROUTES.items()}

    def _projections(self) -> tuple[EntryProjection, ...]:
        return tuple(getattr(self, name) for name in ALL_PROJECTIONS)

    def _targets(self, change: EffectiveChange) -> tuple[ApplyChange, ...]:
        _, before, after = change
        if before is not None and after is not None and type(before) is not type(after):
            return self._every
        entry = after if after is not None else before
        found = self._routes.get(type(entry)) if entry is not None else None
        return found if found is not None else self._every

    def apply(self, event: EntryEvent) -> None:
        """Take one event: the one path of every replay, the initial build included."""
        self.feed(event, self.entries.apply(event))

    def feed(self, event: EntryEvent, changes: Sequence[EffectiveChange]) -> None:
        """EVENT with the effective changes it made (``EffectiveEntries.apply`` of it: here in
        ``apply``, or once for every replay in a Timeline's change stream) to each indicator."""
        if not type(event).CORRECTABLE and not isinstance(event, EntryCorrected | EntryRetracted):
            if isinstance(event, JournalStarted) and self.journal is None:
                self.journal = event
            for projection in self._projections():
                projection.observe(event)
            return
        for change in changes:
            for apply_change in self._targets(change):
                apply_change(change)

    @classmethod
    def from_events(cls, events: Iterable[EntryEvent]) -> StatusProjection:
        """A new projection of EVENTS: ``apply`` of each in turn (the stores place entries
        lazily, so the bulk build pays no insert per entry; see ``DatedEntries``)."""
        # Everything built here is kept: collections on the way would only rescan it.
        with collector_paused():
            new = cls()
            for event in events:
                new.apply(event)
            return new

    def warm(self) -> None:
        """Walk the resumable scans now (before this projection becomes a checkpoint)."""
        self.strength.milestones()
        self.red_flags.warm()

    def copy(self, *, resolving: bool = True) -> StatusProjection:
        """An independent copy. Not RESOLVING: without the effective entries (most of a copy's
        cost and memory), so fed resolved changes only (``feed``; a Timeline's replay
        checkpoint, whose change stream resolved each event once)."""
        new = StatusProjection.__new__(StatusProjection)
        new.entries = self.entries.copy() if resolving else FED_ONLY
        new.journal = self.journal
        new.centralization = self.centralization.copy()
        new.strength = self.strength.copy()
        new.nerve_mobility = self.nerve_mobility.copy()
        new.pain = self.pain.copy()
        new.walking = self.walking.copy()
        new.signs = self.signs.copy()
        new.exercises = self.exercises.copy()
        new.red_flags = self.red_flags.copy_with(new.strength)
        new.measures = self.measures.copy()
        new._wire()
        return new

    def status_at(self, as_of: date, as_recorded_at: datetime | None = None) -> StatusSnapshot:
        states = self.parts.states_at(as_of)
        flags = self.red_flags.state_at(as_of)
        journal = self.journal
        return StatusSnapshot(
            as_of=as_of,
            patient=journal.patient if journal else None,
            affected_side=journal.affected_side if journal else None,
            onset_date=journal.onset_date if journal else None,
            days_since_onset=(as_of - journal.onset_date).days if journal else None,
            stage=self.stage.state_at(as_of, states, flags),
            red_flags=flags,
            centralization=states.centralization,
            strength=states.strength,
            nerve_mobility=states.nerve_mobility,
            pain=states.pain,
            walking=states.walking,
            signs=self.signs.state_at(as_of),
            exercises=self.exercises.state_at(as_of),
            as_recorded_at=as_recorded_at,
            measures=self.measures.state_at(as_of),
        )


# JSON ----------------------------------------------------------------------------------------

def _ids(ids: tuple[uuid.UUID, ...] | list[uuid.UUID]) -> list[str]:
    return [str(i) for i in ids]


def _extent_window(w: ExtentWindow | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"start": w.start.isoformat(), "end": w.end.isoformat(), "days_with_data": w.days_with_data,
            "median": tidy(w.median),
            "daily": [{"date": d.date.isoformat(), "extent": d.extent, "entry_ids": _ids(d.entry_ids)}
                      for d in w.daily]}


def _comparison(c: Comparison) -> dict[str, Any]:
    def shown(x: float | str) -> Any:
        return x if isinstance(x, str) else tidy(x)

    return {"test": c.kind, "side": c.side, "earlier_date": c.earlier_date.isoformat(),
            "earlier_value": shown(c.earlier_value), "latest_date": c.latest_date.isoformat(),
            "latest_value": shown(c.latest_value), "mic": tidy(c.mic), "trend": c.trend.value,
            "entry_ids": _ids(c.entry_ids)}


def _finding(f: Finding) -> dict[str, Any]:
    return {"test": f.kind, "side": f.side, "value": f.value if isinstance(f.value, str) else tidy(f.value),
            "date": f.date.isoformat(), "entry_id": str(f.entry_id)}


def _walk_window(w: WalkWindow | None) -> dict[str, Any] | None:
    if w is None:
        return None
    return {"start": w.start.isoformat(), "end": w.end.isoformat(), "walks": w.walks, "best": tidy(w.best),
            "best_entry_id": str(w.best_entry_id) if w.best_entry_id else None, "entry_ids": _ids(w.entry_ids),
            "best_symptom_free": w.best_symptom_free}


def _numbers(values: dict[str, float] | None) -> dict[str, Any] | None:
    return None if values is None else {k: tidy(v) for k, v in values.items()}


def _sign(sign: SensationReturning | PositionIrritation) -> dict[str, Any]:
    if isinstance(sign, SensationReturning):
        return {"code": sign.code, "region": sign.region, "side": sign.side, "date": sign.date.isoformat(),
                "numbness_date": sign.numbness_date.isoformat(), "entry_ids": _ids(sign.entry_ids)}
    return {"code": sign.code, "context": sign.context, "dates": [d.isoformat() for d in sign.dates],
            "entry_ids": _ids(sign.entry_ids)}


def status_to_json(snapshot: StatusSnapshot) -> dict[str, Any]:
    s = snapshot
    c, st, n, p, w = s.centralization, s.strength, s.nerve_mobility, s.pain, s.walking
    return {
        "schema": SCHEMA,
        "as_of": s.as_of.isoformat(),
        "patient": s.patient,
        "affected_side": s.affected_side,
        "days_since_onset": s.days_since_onset,
        "stage": s.stage.stage.value,
        "red_flags": [
            {"code": f.code, "urgency": f.urgency, "since": f.since.isoformat(),
             "acknowledged": f.acknowledged, "detail": f.detail, "entry_ids": _ids(f.entry_ids)}
            for f in s.red_flags.flags],
        "indicators": {
            "centralization": {
                "trend": c.trend.value, "recent_extent": tidy(c.recent_extent),
                "earlier_extent": tidy(c.earlier_extent), "abolished": c.abolished,
                "evidence": {"recent_window": _extent_window(c.recent), "earlier_window": _extent_window(c.earlier),
                             "mic_ranks": c.mic, "min_days_per_window": c.min_days},
            },
            "strength": {
                "trend": st.trend.value, "heel_raises": st.heel_raises,
                "symmetry_percent": None if st.symmetry_percent is None else round(st.symmetry_percent),
                "weakness": st.weakness, "foot_drop": st.foot_drop,
                "milestones": [{"code": m.code, "side": m.side, "date": m.date.isoformat(),
                                "entry_id": str(m.entry_id)} for m in st.milestones],
                "evidence": {
                    "comparisons": [_comparison(x) for x in st.comparisons],
                    "symmetry_percent_exact": tidy(st.symmetry_percent),
                    "weakness_findings": [_finding(f) for f in st.weakness_findings],
                    "foot_drop_findings": [_finding(f) for f in st.foot_drop_findings],
                    "history_findings": [_finding(f) for f in st.history],
                    "heel_raise_dates": ({k: v.isoformat() for k, v in st.heel_raise_dates.items()}
                                         if st.heel_raise_dates else None),
                    "heel_raise_entry_ids": ({k: str(v) for k, v in st.heel_raise_entries.items()}
                                             if st.heel_raise_entries else None),
                },
            },
            "nerve_mobility": {
                "trend": n.trend.value, "straight_leg_raise_degrees": _numbers(n.straight_leg_raise_degrees),
                "slump": n.slump, "fingertip_to_floor_cm": tidy(n.fingertip_to_floor_cm),
                "evidence": {"comparisons": [_comparison(x) for x in n.comparisons],
                             "latest_entry_ids": _ids(n.latest_entries)},
            },
            "pain": {
                "trend": p.trend.value, "leg_mean": tidy(p.leg_mean), "back_mean": tidy(p.back_mean),
                "share_of_day_mean": tidy(p.share_of_day_mean),
                "evidence": {
                    "recent_window": ({"start": p.recent.start.isoformat(), "end": p.recent.end.isoformat(),
                                       "entry_ids": _ids(p.recent_entry_ids)} if p.recent else None),
                    "earlier_window": ({"start": p.earlier.start.isoformat(), "end": p.earlier.end.isoformat(),
                                        "entry_ids": _ids(p.earlier_entry_ids)} if p.earlier else None),
                    "episodes_mean": tidy(p.episodes_mean),
                    "measures": [{"measure": m.measure, "recent_mean": tidy(m.recent_mean),
                                  "earlier_mean": tidy(m.earlier_mean), "recent_count": m.recent_count,
                                  "earlier_count": m.earlier_count, "mic": tidy(m.mic), "trend": m.trend.value}
                                 for m in p.measures],
                },
            },
            "walking": {
                "trend": w.trend.value, "best_tolerance_minutes": tidy(w.best_tolerance_minutes),
                "evidence": {"recent_window": _walk_window(w.recent), "earlier_window": _walk_window(w.earlier),
                             "mic_minutes": tidy(w.mic)},
            },
        },
        "signs": [_sign(x) for x in s.signs.signs],
        "exercises": [
            {"exercise": e.exercise, "verdict": e.verdict.value,
             "sessions": [{"date": x.day.isoformat(), "extent_before": x.before, "extent_after": x.after,
                           "entry_id": str(x.entry_id)} for x in e.sessions]}
            for e in s.exercises.exercises],
        "stage_reason": s.stage.reason,
        "stage_evidence": {
            "last_record": s.stage.last_record.isoformat() if s.stage.last_record else None,
            "record_days": s.stage.record_days,
            "not_recovered_because": list(s.stage.blockers),
        },
        "onset_date": s.onset_date.isoformat() if s.onset_date else None,
        "as_recorded_at": s.as_recorded_at.isoformat() if s.as_recorded_at else None,
        "last_red_flag_check": s.red_flags.last_checked.isoformat() if s.red_flags.last_checked else None,
        "measures": measures_to_json(s.measures),  # an added key (issue 19; docs/measures.md)
    }


def status_to_text(snapshot: StatusSnapshot) -> str:
    from projections.status_text import render_text

    return render_text(snapshot)
