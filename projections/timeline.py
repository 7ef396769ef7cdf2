"""Checkpointed replay of the journal: the status by date and by recorded time.

*By date* needs no replay at all: every correction applies whatever its own date, so one
projection of all effective entries answers any as-of date with bisects over date-indexed
stores. *By recorded time* depends on which events existed at the moment, so events are
kept in recorded order with a copy of the projection every ``CHECKPOINT_EVERY`` events; a
query resumes from the nearest checkpoint at or before the moment, never from zero.
Checkpoints are built lazily on the first audit query and dropped past any event that
arrives out of recorded order (a merge of an older copy). The last audit position is kept
as a cursor too, so a slider moving forward only replays the events it passes.
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from domain.events import EntryCorrected, EntryEvent, EntryRetracted
from projections.series import ProgressSeries, StageDays, build_series, truncate_series
from projections.status import StatusProjection, StatusSnapshot

# A full copy of a 10-year projection is about 4 MB and 3 ms; replaying 2,048 events about
# 16 ms. This spacing keeps both the memory (~30 MB at 36,500 events) and a query small.
CHECKPOINT_EVERY = 2048

RecordedKey = tuple[datetime, int]

# Before a change, a live series' missing stage days that it can change are evaluated on the
# spot when at most this many (a check-in: today); more are evaluated later from a frozen copy.
EVALUATE_BEFORE_CHANGE = 8


def recorded_key(event: EntryEvent) -> RecordedKey:
    return (event.recorded_at, event.entry_id.int)


class Timeline:
    def __init__(self, events: Iterable[EntryEvent], *, stage_days: Mapping[date, str] | None = None) -> None:
        """STAGE_DAYS: stages of days already evaluated for exactly these events (a stored
        start-up checkpoint); they are taken as they are."""
        # In recorded order; searched by ``recorded_key`` (bisect's key), so no second list of
        # 36,500 keys is kept beside the events (~3.5 MB on 10 years).
        self._recorded: list[EntryEvent] = sorted(events, key=recorded_key)
        # The same as applying each event in turn, built in one pass (see from_events).
        self.current = StatusProjection.from_events(self._recorded)
        # _checkpoints[i] = projection after the first i * CHECKPOINT_EVERY recorded events.
        self._checkpoints: list[StatusProjection] = []
        self._cursor: tuple[int, StatusProjection] | None = None
        self._series: dict[date | None, ProgressSeries] = {}
        # The daily stages of the current state, shared by the series built from it; the
        # series handed out (weakly), so that apply() can complete what they still need.
        self._stages = StageDays(self.current, dict(stage_days) if stage_days else None)
        self._handed: list[weakref.ref[ProgressSeries]] = []
        self._last_status: tuple[date | datetime, StatusSnapshot] | None = None

    def __getstate__(self) -> dict[str, object]:
        """What a stored copy keeps (the desktop's start-up checkpoint, pickled): the events,
        the projection, the evaluated stage days and the full series; not the audit replay's
        checkpoints (~30 MB, rebuilt on the first audit query) nor the weak references to the
        series handed out (remade for the one series kept)."""
        state = dict(self.__dict__)
        state.update(_checkpoints=[], _cursor=None, _series={k: v for k, v in self._series.items() if k is None})
        del state["_handed"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._handed = [weakref.ref(series) for series in self._series.values()]

    def apply(self, event: EntryEvent) -> None:
        """Take a newly recorded event (incremental update)."""
        self._last_status = None
        self._series.clear()
        self._next_stages(event)
        self.current.apply(event)
        i = bisect.bisect_right(self._recorded, recorded_key(event), key=recorded_key)
        self._recorded.insert(i, event)
        # A checkpoint covering position i or later no longer describes that prefix.
        del self._checkpoints[i // CHECKPOINT_EVERY + 1:]
        if self._cursor is not None and self._cursor[0] > i:
            self._cursor = None

    def __len__(self) -> int:
        return len(self._recorded)

    def status_at(self, as_of: date) -> StatusSnapshot:
        """Every entry observed by the end of AS_OF, all corrections applied."""
        return self._remember(as_of, lambda: self.current.status_at(as_of))

    def _remember(self, key: date | datetime, compute: Callable[[], StatusSnapshot]) -> StatusSnapshot:
        """One-entry memo: the header and the signs panel ask for the same moment on every
        slider move; snapshots are immutable, so sharing one is safe until the next apply."""
        last = self._last_status
        if last is not None and last[0] == key and type(last[0]) is type(key):
            return last[1]
        snapshot = compute()
        self._last_status = (key, snapshot)
        return snapshot

    def _projection_recorded_at(self, moment: datetime) -> StatusProjection:
        """The projection of the events recorded at or before MOMENT (aware). It may be the
        live cursor, which later queries move on: read it at once, never keep it."""
        count = bisect.bisect_right(self._recorded, (moment, 2**128), key=recorded_key)
        if count == len(self._recorded):
            return self.current
        wanted = count // CHECKPOINT_EVERY
        if len(self._checkpoints) <= wanted:
            self._build_checkpoints()
        start = wanted * CHECKPOINT_EVERY
        if start == count:
            return self._checkpoints[wanted]
        if self._cursor is not None and start <= self._cursor[0] <= count:
            start, projection = self._cursor
        else:
            projection = self._checkpoints[wanted].copy()
        for event in self._recorded[start:count]:
            projection.apply(event)
        self._cursor = (count, projection)
        return projection

    def _build_checkpoints(self) -> None:
        """Every missing checkpoint, in one pass over the events (the first audit query pays
        it once, rather than every query that reaches further than the last). Each is warmed
        first: its resumable scans (milestones, weakness marks) are walked, so a query that
        resumes from it walks only the tests it replays."""
        if not self._checkpoints:
            self._checkpoints.append(StatusProjection())
        n = len(self._checkpoints)
        running = self._checkpoints[-1].copy()
        for i in range((n - 1) * CHECKPOINT_EVERY, len(self._recorded)):
            running.apply(self._recorded[i])
            if (i + 1) % CHECKPOINT_EVERY == 0:
                running.warm()
                self._checkpoints.append(running.copy())

    def status_recorded_at(self, moment: datetime) -> StatusSnapshot:
        """What the app showed at MOMENT: only events recorded by then, as of its local date."""
        as_of = moment.astimezone().date()
        return self._remember(moment, lambda: self._projection_recorded_at(moment).status_at(
            as_of, as_recorded_at=moment))

    def known_stages(self) -> dict[date, str]:
        """The stages of the days evaluated so far for the current events (a copy)."""
        return dict(self._stages.days)

    def series(self, as_of: date | None = None) -> ProgressSeries:
        """Chart data for the Progress view up to AS_OF (default: everything). A past AS_OF is
        cut from the full series (``truncate_series``: equal to a direct build)."""
        cached = self._series.get(as_of)
        if cached is None:
            if len(self._series) > 64:  # a slider visits many dates; keep memory bounded
                self._series.clear()
            if as_of is None:
                cached = build_series(self.current, None, self._stages)
            else:
                cached = truncate_series(self.series(None), as_of)
            self._series[as_of] = cached
            if len(self._handed) > 64:
                self._handed = [ref for ref in self._handed if ref() is not None]
            self._handed.append(weakref.ref(cached))
        return cached

    def _next_stages(self, event: EntryEvent) -> None:
        """Before EVENT is applied: the daily stages it can change are its own day and every
        later one (any day for a correction or retraction, which can move an entry). A series
        already handed out keeps the stages of the state it was built from: those of its days
        not evaluated yet that EVENT can change are evaluated now (usually none, or today).
        Then the Timeline goes on with a new set of days that keeps only the earlier ones."""
        old = self._stages
        first = None if isinstance(event, EntryCorrected | EntryRetracted) else event.observed_at.date()
        live = [s for ref in self._handed if (s := ref()) is not None
                and s.stage_days is not None and s.stage_source is not None and "stages" not in s.__dict__]
        for s in live:
            assert s.stage_days is not None and s.stage_source is not None
            source = s.stage_source
            if source.projection is not self.current:
                continue  # evaluates from a frozen copy already: EVENT does not reach it
            lo, hi = s.stage_days
            if not source.fill(lo if first is None else max(lo, first), hi, limit=EVALUATE_BEFORE_CHANGE):
                # More days than that (a correction soon after opening: thousands, seconds of
                # work): a copy of the projection as it is now (~3 ms) evaluates them later.
                source.freeze(self.current.copy())
        self._handed = [weakref.ref(s) for s in live]
        if any(s.stage_source is old for s in live):
            self._stages = StageDays(self.current, {} if first is None else
                                     {d: v for d, v in old.days.items() if d < first})
        elif first is None:  # nobody reads these days any more: drop the changed ones in place
            old.days.clear()
        else:
            for day in [d for d in old.days if d >= first]:
                del old.days[day]
