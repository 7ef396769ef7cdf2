"""Checkpointed replay of the journal: the status by date and by recorded time.

*By date* needs no replay at all: every correction applies whatever its own date, so one
projection of all effective entries answers any as-of date with bisects over date-indexed
stores. *By recorded time* depends on which events existed at the moment, so events are
kept in recorded order with a copy of the projection every ``CHECKPOINT_EVERY`` events; a
query resumes from the nearest checkpoint at or before the moment, never from zero.
The effective entries (corrections resolved) are worked out once per recorded event into a
change stream that feeds every checkpoint and replay, so those hold no effective entries of
their own, and their stores share structure with each other (``DatedEntries.copy``): a
checkpoint costs what changed since the one before. Checkpoints and the stream are built
lazily on the first audit query and dropped past any event that arrives out of recorded
order (a merge of an older copy). The last audit position is kept as a cursor too, so a
slider moving forward only replays the events it passes.
"""

from __future__ import annotations

import bisect
import gc
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime

from domain.collector import collector_paused
from domain.events import EntryCorrected, EntryEvent, EntryRetracted
from projections.entries import EffectiveChange, EffectiveEntries
from projections.series import ProgressSeries, StageDays, build_series, truncate_series
from projections.status import StatusProjection, StatusSnapshot

# On 10 years (36,591 events; docs/performance.md, "Audit replay, session 4"): 72 checkpoints
# hold ~9 MB beside the ~8 MB change stream; a query copies one (~0.4 ms), replays on average
# 256 events (~1 ms) and derives the status (~4 ms). Closer ones gain little: the status is
# most of a query.
CHECKPOINT_EVERY = 512

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
        # The change stream: _changes[i] = what recorded event i changed in the effective
        # entries, resolved once by _resolver (which has taken the first len(_changes) events
        # in recorded order). Checkpoints and replays are fed from it, so they hold and copy no
        # effective entries of their own.
        self._changes: list[Sequence[EffectiveChange]] = []
        self._resolver = EffectiveEntries()
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
        checkpoints and their change stream (~17 MB, rebuilt on the first audit query) nor the
        weak references to the series handed out (remade for the one series kept)."""
        state = dict(self.__dict__)
        state.update(_checkpoints=[], _cursor=None, _changes=[], _resolver=EffectiveEntries(),
                     _series={k: v for k, v in self._series.items() if k is None})
        del state["_handed"]
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._handed = [weakref.ref(series) for series in self._series.values()]

    def adopt(self, series: ProgressSeries) -> None:
        """Take SERIES, the full series of exactly these events kept apart with its stage days
        (the desktop's start-up checkpoint), as this timeline's own: its days not evaluated
        yet are evaluated from the current projection, and a change goes on from them."""
        stages = series.stage_source
        if series.as_of is not None or stages is None:
            raise ValueError("only a full series with its stage days can be adopted")
        stages.freeze(self.current)
        self._stages = stages
        self._series = {None: series}
        self._handed = [weakref.ref(series)]
        self._last_status = None

    def holds(self, series: ProgressSeries) -> bool:
        """Whether SERIES is this timeline's full series of its current state, sharing its
        stage days (what ``adopt`` takes back)."""
        return (self._series.get(None) is series and series.stage_source is self._stages
                and self._stages.projection is self.current)

    def apply(self, event: EntryEvent) -> None:
        """Take a newly recorded event (incremental update)."""
        self._last_status = None
        self._series.clear()
        self._next_stages(event)
        self.current.apply(event)
        i = bisect.bisect_right(self._recorded, recorded_key(event), key=recorded_key)
        self._recorded.insert(i, event)
        if i < len(self._changes):  # out of recorded order: the stream after it is another
            self._changes.clear()
            self._resolver = EffectiveEntries()
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
            projection = self._checkpoints[wanted].copy(resolving=False)
        self._feed(projection, start, count)
        self._cursor = (count, projection)
        return projection

    def _feed(self, projection: StatusProjection, start: int, end: int) -> None:
        """Recorded events START … END-1 into PROJECTION, with their changes from the stream."""
        self._resolve(end)
        changes = self._changes
        for i in range(start, end):
            projection.feed(self._recorded[i], changes[i])

    def _resolve(self, end: int) -> None:
        """The change stream up to recorded position END."""
        resolver, changes = self._resolver, self._changes
        for event in self._recorded[len(changes):end]:
            changes.append(resolver.apply(event))

    def _build_checkpoints(self) -> None:
        """Every missing checkpoint, in one pass over the events (the first audit query pays
        it once, rather than every query that reaches further than the last). Each is warmed
        first: its resumable scans (milestones, weakness marks) are walked, so a query that
        resumes from it walks only the tests it replays."""
        with collector_paused():
            self._add_checkpoints()
        # The checkpoints live as long as the Timeline and are freed by reference count (they
        # hold no cycles): moved out of the collector's sight (as the log is on open), a full
        # collection does not walk their millions of references again (~300 ms each on 10
        # years). Frozen here, not by collector_paused: an audit query pauses it already.
        gc.freeze()

    def _add_checkpoints(self) -> None:
        if not self._checkpoints:
            self._checkpoints.append(StatusProjection().copy(resolving=False))
        n = len(self._checkpoints)
        running = self._checkpoints[-1].copy(resolving=False)
        for start in range((n - 1) * CHECKPOINT_EVERY, len(self._recorded) - CHECKPOINT_EVERY + 1,
                           CHECKPOINT_EVERY):
            self._feed(running, start, start + CHECKPOINT_EVERY)
            running.warm()
            self._checkpoints.append(running.copy(resolving=False))

    def status_recorded_at(self, moment: datetime) -> StatusSnapshot:
        """What the app showed at MOMENT: only events recorded by then, as of its local date."""
        as_of = moment.astimezone().date()

        def compute() -> StatusSnapshot:
            # Everything made here is kept (the cursor) or freed by reference count; a
            # collection on the way would walk the fresh copy's lists for nothing.
            with collector_paused():
                return self._projection_recorded_at(moment).status_at(as_of, as_recorded_at=moment)
        return self._remember(moment, compute)

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
