"""What the first views of a journal show, kept apart from its entries: the start-up
checkpoint's first part (``desktop.session.checkpoint``).

A window opening a journal shows the header (today's status), the Check-in view (the latest
check-in, the latest entries of a few kinds, the last safety check) and Progress (the full
series and its stage bands). ``SessionFace`` holds exactly that: the series, the status of
each of the next ``STATUS_DAYS`` days, a partial index of the latest entries of each kind with
their effective values, the journal's first entry, the days and moments the replay slider
spans. Every entry, the aggregate and the replayed read models (the second part) are read only
when a question or a command needs them (``LazyRest``); a question the face cannot answer
exactly raises ``NeedsEntries`` and is asked again of the full state. No Qt.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from desktop.session.index import EntryIndex, NeedsEntries
from desktop.session.kinds import EntryKind
from domain.events import EntryEvent, JournalStarted
from domain.journal import JournalIdentity, RecoveryJournal
from projections.entries import Change, EffectiveEntries
from projections.series import ProgressSeries, StageDays
from projections.status import StatusProjection, StatusSnapshot
from projections.timeline import Timeline

# The latest entries of each kind the face keeps (the views' lists show 8; "Same as
# yesterday" reads the last 3 check-in entries), and the kinds it keeps whole (the safety
# checklist's reminder reads every safety check).
LATEST_KEPT = 32
KEPT_WHOLE = (EntryKind.RED_FLAGS,)
# The window's views drawn from the face alone (with the header): any other view lists or
# looks back at entries, and the window reads them before it builds or shows one (so a refusal
# to read them is said before the view, not from inside its drawing).
FACE_VIEWS = ("checkin", "progress")
# Today's status is stored for the day the checkpoint is written and the days after it, so
# the next starts of the coming days show the header without the entries.
STATUS_DAYS = 14


@dataclass(frozen=True)
class SessionState:
    """What an open builds from a journal's bytes: the aggregate and the log (``JournalApp``),
    the replayed read models (``Timeline``) and the session's index."""

    journal: RecoveryJournal
    log: Sequence[EntryEvent]
    timeline: Timeline
    index: EntryIndex

    def consistent(self) -> bool:
        count = len(self.log)
        return (isinstance(self.journal, RecoveryJournal) and isinstance(self.timeline, Timeline)
                and isinstance(self.index, EntryIndex) and len(self.timeline) == count
                and self.index.count == count and len(self.journal.entries) <= count)


class LatestEffective(EffectiveEntries):
    """The effective values of the partial index's entries only; any other entry raises
    NeedsEntries (a plain dict lookup would say "absent" for it, which would be wrong)."""

    def effective(self, entry_id: uuid.UUID) -> EntryEvent | None:
        if entry_id not in self._effective:
            raise NeedsEntries("not one of the latest entries")
        return self._effective[entry_id]

    def winner(self, entry_id: uuid.UUID) -> Change | None:
        if entry_id not in self._effective:
            raise NeedsEntries("not one of the latest entries")
        return super().winner(entry_id)

    def current(self) -> list[EntryEvent]:
        raise NeedsEntries("the effective entries are not all here")

    @classmethod
    def of(cls, full: EffectiveEntries, entries: Iterable[EntryEvent]) -> LatestEffective:
        part = cls()
        for event in entries:
            entry_id = event.entry_id
            if entry_id in full.originals:
                part.originals[entry_id] = full.originals[entry_id]
                part._effective[entry_id] = full.effective(entry_id)
                if entry_id in full.changes:
                    part.changes[entry_id] = list(full.changes[entry_id])
            else:  # not an observation (a note about the journal, a safety check's answer…)
                part._effective[entry_id] = full.effective(entry_id)
        return part


@dataclass(frozen=True)
class SessionFace:
    identity: JournalIdentity
    started: JournalStarted | None
    count: int
    written_on: date
    index: EntryIndex  # partial: see EntryIndex.latest_only
    effective: LatestEffective
    statuses: Mapping[date, StatusSnapshot]
    series: ProgressSeries  # the full series; its stage_source is the stored stage days

    def consistent(self) -> bool:
        return (isinstance(self.index, EntryIndex) and isinstance(self.effective, LatestEffective)
                and isinstance(self.series, ProgressSeries) and isinstance(self.series.stage_source, StageDays)
                and self.index.count == self.count and self.series.as_of is None)


def build_face(state: SessionState, today: date) -> SessionFace | None:
    """The face of STATE (a closed session's, nobody changes it any more), its statuses from
    TODAY on; None when its series is not the current one (cannot happen; then no checkpoint)."""
    timeline = state.timeline
    series = timeline.series(None)
    if not timeline.holds(series):
        return None
    # Every day's stage, so that the Progress view's idle filler never needs the entries: ~1 ms
    # a day (3.7 s of CPU on 10 years), paid here, off the UI thread after the window has
    # closed, and only for the days not evaluated yet (after a save, those from its day on).
    series.fill_stages(None)
    index = state.index.latest_only(LATEST_KEPT, KEPT_WHOLE)
    held = [event for events in index.by_kind.values() for event in events]
    statuses = {day: timeline.status_at(day) for day in (today + timedelta(days=n) for n in range(STATUS_DAYS))}
    return SessionFace(state.journal.identity or _no_identity(), timeline.current.journal, len(state.log), today,
                       index, LatestEffective.of(timeline.current.entries, held), statuses, series)


def _no_identity() -> JournalIdentity:
    raise ValueError("a journal without its first entry has no checkpoint")


class LazyRest:
    """The second part of a checkpoint, read at most once, when first needed (from any
    thread: a lock makes the first caller read it and the others wait)."""

    def __init__(self, read: Callable[[], SessionState], close: Callable[[], None] = lambda: None) -> None:
        self._read: Callable[[], SessionState] | None = read
        self._close = close
        self._state: SessionState | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._state is not None

    def get(self) -> SessionState:
        with self._lock:
            if self._state is None:
                read = self._read
                if read is None:
                    raise NeedsEntries("closed")
                self._state = read()
                self._read = None
                self.close()
            return self._state

    def verified(self) -> tuple[Any, Any]:
        """The aggregate and the log (``domain.application.Deferred.load``)."""
        state = self.get()
        return state.journal, state.log

    def close(self) -> None:
        """No more reading (the session closed, or the rest was read)."""
        close, self._close = self._close, lambda: None
        close()


class _FaceProjection:
    """What the Progress view reads of the timeline's projection before the entries are read:
    the journal's first entry (the affected side)."""

    def __init__(self, journal: JournalStarted | None) -> None:
        self.journal = journal


class PendingProjection:
    """The stored stage days' projection until the rest is read: a day not stored yet is
    evaluated from the real one (which reads the rest)."""

    def __init__(self, rest: LazyRest) -> None:
        self._rest = rest

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rest.get().timeline.current, name)


class FaceTimeline(Timeline):
    """The session's ``Timeline`` on a start from a checkpoint: answers from the face what it
    holds (the full series, the stored days' statuses, the first entry), and everything else
    from the real timeline, read with the rest on first need. A view may keep it: once the
    rest is read, it only passes calls on."""

    def __init__(self, face: SessionFace, rest: LazyRest) -> None:
        self._face = face
        self._rest = rest

    def _real(self) -> Timeline:
        return self._rest.get().timeline

    @property  # type: ignore[override]
    def current(self) -> StatusProjection:
        if self._rest.loaded:
            return self._real().current
        return cast(StatusProjection, _FaceProjection(self._face.started))

    @current.setter
    def current(self, value: StatusProjection) -> None:
        raise AttributeError("the projection of a timeline read from a checkpoint is its own")

    def apply(self, event: EntryEvent) -> None:
        self._real().apply(event)

    def __len__(self) -> int:
        return len(self._real()) if self._rest.loaded else self._face.count

    def status_at(self, as_of: date) -> StatusSnapshot:
        if not self._rest.loaded and as_of in self._face.statuses:
            return self._face.statuses[as_of]
        return self._real().status_at(as_of)

    def status_recorded_at(self, moment: datetime) -> StatusSnapshot:
        return self._real().status_recorded_at(moment)

    def known_stages(self) -> dict[date, str]:
        if self._rest.loaded:
            return self._real().known_stages()
        stages = self._face.series.stage_source
        return dict(stages.days) if stages is not None else {}

    def series(self, as_of: date | None = None) -> ProgressSeries:
        if as_of is None and not self._rest.loaded:
            return self._face.series
        return self._real().series(as_of)

    def adopt(self, series: ProgressSeries) -> None:
        self._real().adopt(series)

    def holds(self, series: ProgressSeries) -> bool:
        return self._real().holds(series)

    def __getstate__(self) -> dict[str, object]:
        return self._real().__getstate__()

    def __getattr__(self, name: str) -> Any:
        """Any other attribute is the real timeline's (read with the rest)."""
        if name in ("_face", "_rest"):
            raise AttributeError(name)
        return getattr(self._real(), name)
