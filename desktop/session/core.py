"""``JournalSession``: one open journal, its read models, typed commands and the views' queries.

The session is the only way the desktop reaches a journal (Anki's collection seen from
``aqt``): views call its commands with plain, typed arguments and ask it questions; it owns the
``JournalApp`` service, the replay ``Timeline`` and an ``EntryIndex``, all updated
incrementally from the service's save hook (so a correction made anywhere, even straight on
``app``, reaches every view), then tells its listeners what changed. No Qt here: the desktop's
Qt object (``desktop.app.QtSession``) only re-emits ``changed``.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from desktop.session.checkpoint import CheckpointStore, FileState, Restored, SessionState
from desktop.session.face import FaceTimeline
from desktop.session.index import EntryIndex, NeedsEntries
from desktop.session.kinds import (
    CHANGE_KINDS,
    CORRECTABLE_KINDS,
    CheckIn,
    EntryKind,
    PainRating,
    TestResult,
    Walk,
    check_in_of,
    plan_check_in,
)
from domain.application import JournalApp, MergeRecord, MergeReport
from domain.errors import InvalidEntry, JournalError
from domain.events import EntryEvent
from domain.journal import JournalIdentity
from domain.values import RedFlag, Urgency
from projections.entries import EffectiveEntries
from projections.history import HistoryRow, build_history
from projections.status import StatusSnapshot
from projections.timeline import Timeline

if TYPE_CHECKING:
    from desktop.session.notes import About, NoteAbout

# How often the safety checklist opens by itself (a reminder schedule, not a clinical rule).
CHECKLIST_EVERY_DAYS = 7

Moment = date | datetime | None


@dataclass(frozen=True)
class Changes:
    """What one save changed, so a view redraws only when it is concerned (Anki's
    ``OpChanges``). A correction or retraction also names the kind of the entry it changes."""

    entry_ids: tuple[uuid.UUID, ...]
    kinds: frozenset[str]

    def touches(self, kinds: Iterable[str]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    @property
    def corrections(self) -> bool:
        return self.touches(CHANGE_KINDS)


@dataclass(frozen=True)
class RedFlagCheck:
    """A saved safety check and the answers that must be acknowledged (the emergencies)."""

    entry_id: uuid.UUID
    to_acknowledge: tuple[str, ...]


Listener = Callable[[Changes], None]
_P = ParamSpec("_P")
_T = TypeVar("_T")


def _whole(query: Callable[Concatenate[JournalSession, _P], _T]) -> Callable[Concatenate[JournalSession, _P], _T]:
    """A query answered from the start-up checkpoint's face when that holds enough of the
    latest entries, else (NeedsEntries) asked again once the rest has been read: the same
    answer either way."""
    @functools.wraps(query)
    def ask(session: JournalSession, /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
        try:
            return query(session, *args, **kwargs)
        except NeedsEntries:
            session.read_entries()
            return query(session, *args, **kwargs)
    return ask


class JournalSession:
    def __init__(self, app: JournalApp, timeline: Timeline | None = None, *,
                 checkpoints: CheckpointStore | None = None, restored: Restored | None = None,
                 verified: FileState | None = None) -> None:
        """RESTORED: the checkpoint kept for these very bytes (APP was opened with its journal
        and log deferred to its rest, read when first needed). VERIFIED: the bytes this
        session's state was read from and checked against, when they did not change during
        the open; with CHECKPOINTS, the state is stored for them on close (see ``close``)."""
        self.app = app
        # An encrypted journal, one whose chain fails or one open for review never has one.
        self._checkpoints = checkpoints if checkpoints is not None and not app.encrypted \
            and app.integrity_problem is None and app.reviewer is None else None
        self._verified = verified
        self._saved = False
        #: Whether a start-up checkpoint stood in for reading and replaying the file.
        self.from_checkpoint = restored is not None
        self._restored = restored
        self._index: EntryIndex | None = None
        if restored is not None:
            self.timeline: Timeline = FaceTimeline(restored.face, restored.rest)
        else:
            events = app.entries()
            self.timeline = timeline if timeline is not None else Timeline(events)
            self._index = EntryIndex(app.journal_id, events)
        # What the stored checkpoint already holds (a restored one: its stage days).
        self._stored_days = len(self.timeline.known_stages()) if restored is not None else None
        self.as_of: date | None = None  # a pinned "today" (screenshots, --as-of)
        #: Where a save goes, in words after "saved" (None: said elsewhere, as for the clinic's
        #: review copies, whose saves are sent on to its store).
        self.saved_where: str | None = "in this file"
        self._listeners: list[Listener] = []
        self._history: list[HistoryRow] | None = None
        self._unsubscribe = app.subscribe(self._on_saved)

    # The journal --------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self.app.path

    @property
    def identity(self) -> JournalIdentity:
        return self.app.identity

    @property
    def readonly(self) -> bool:
        """Whether the patient's entries are closed to changes: a read-only open, or review
        mode (a therapist adds review notes only; the recording forms stay disabled)."""
        return self.app.readonly or self.app.reviewer is not None

    @property
    def writable(self) -> bool:
        """Whether anything at all can be saved (review notes included)."""
        return not self.app.readonly

    @property
    def reviewer(self) -> str | None:
        """The therapist this journal is open for (``open_for_review``), else None."""
        return self.app.reviewer

    @property
    def encrypted(self) -> bool:
        return self.app.encrypted

    @property
    def integrity_problem(self) -> str | None:
        return self.app.integrity_problem

    def today(self) -> date:
        return self.as_of or date.today()

    def now(self) -> datetime:
        """The default time of a new entry: now, or this time of day on the pinned date."""
        if self.as_of is None:
            return datetime.now().replace(second=0, microsecond=0)
        return datetime.combine(self.as_of, datetime.now().time()).replace(second=0, microsecond=0)

    def visible(self, event: EntryEvent) -> bool:
        """Observed by the end of ``today()`` (a pinned date hides what came later)."""
        return event.observed_at.date() <= self.today()

    # The state ----------------------------------------------------------------------------------

    @property
    def entries_read(self) -> bool:
        """Whether every entry is in memory (False only after a start from a checkpoint, until
        a question or a command needs more than its face)."""
        return self._restored is None or self._restored.rest.loaded

    def read_entries(self) -> None:
        """Read the checkpoint's rest now (JournalError when neither it nor the unchanged
        file can be read: the file changed since the start)."""
        if self._restored is not None:
            self._restored.rest.get()

    @property
    def index(self) -> EntryIndex:
        """The session's index: before the rest is read, the face's partial one."""
        if self._index is not None:
            return self._index
        assert self._restored is not None
        if not self._restored.rest.loaded:
            return self._restored.face.index
        self._index = self._restored.rest.get().index
        return self._index

    @property
    def effective(self) -> EffectiveEntries:
        """Today's effective entries: the timeline's projection keeps them already (sharing it
        means one copy in memory and one update per save); before the rest is read, the
        face's latest ones."""
        if self.entries_read:
            return self.timeline.current.entries
        assert self._restored is not None
        return self._restored.face.effective

    # The change hook ----------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _on_saved(self, events: Sequence[EntryEvent]) -> None:
        """The service stored EVENTS (a command, or a merge's whole batch): bring every read
        model up to date, then tell the listeners once."""
        kinds: set[str] = set()
        for event in events:
            self.timeline.apply(event)
            kinds.add(event.type_name())
            # A correction or retraction changes an entry of another kind: views of that kind care.
            target = getattr(event, "target", None)
            original = self.entry(target) if isinstance(target, uuid.UUID) else None
            if original is not None:
                kinds.add(original.type_name())
        self.index.extend(events)
        self._history = None
        self._saved = True  # the file's bytes changed: verified again before a checkpoint is kept
        changes = Changes(tuple(e.entry_id for e in events), frozenset(kinds))
        for listener in list(self._listeners):
            listener(changes)

    def close(self) -> None:
        """Close the journal; with a checkpoint store, keep this session's state for the
        next open of the same bytes, unless the stored checkpoint already holds all of it."""
        self._unsubscribe()
        self._listeners.clear()
        store, restored = self._checkpoints, self._restored
        if store is not None and (not store.worth_keeping(self.index.count) or not self.entries_read or (
                not self._saved and self._stored_days is not None and restored is not None
                and len(self.timeline.known_stages()) <= self._stored_days
                and restored.face.written_on == date.today())):
            # A short journal, or the stored checkpoint holds all of it already (nothing was
            # read beyond its face, or nothing new was learnt and its statuses are today's).
            store = None
        state = SessionState(self.app.journal, self.app.entries(), self._real_timeline(), self.index) \
            if store is not None else None
        self.app.close()
        if restored is not None:
            restored.rest.close()
        self._checkpoints = None  # closed: nothing more to store
        if store is not None and state is not None:
            store.keep_on_close(self.app.path, self._verified, self._saved, state)

    def _real_timeline(self) -> Timeline:
        if self._restored is not None:
            return self._restored.rest.get().timeline
        return self.timeline

    # Commands -----------------------------------------------------------------------------------

    def record_all(self, items: Sequence[tuple[str, Mapping[str, Any]]], *,
                   observed_at: datetime, note: str | None = None) -> list[uuid.UUID]:
        """Validate every entry first, then store them in one transaction: all or nothing.
        NOTE goes with the first entry. (The service records one entry per call; a check-in
        is several, so they are decided here and appended together.)"""
        journal = self.app.journal
        events = [journal.decide(kind, fields, observed_at=observed_at, note=note if i == 0 else None)
                  for i, (kind, fields) in enumerate(items)]
        self.app.append(events)
        return [e.entry_id for e in events]

    plan_check_in = staticmethod(plan_check_in)

    def check_in(self, observed_at: datetime, symptoms: Sequence[Mapping[str, Any]], pain: PainRating | None = None,
                 walk: Walk | None = None, note: str | None = None, *,
                 context: str | None = None, symptom_free: bool = False) -> list[uuid.UUID]:
        """The daily check-in, all or nothing (see ``plan_check_in``). A note alone is a note;
        nothing at all is refused (an untouched form must not record a day)."""
        items = self.plan_check_in(symptoms, pain, walk, context, symptom_free=symptom_free)
        if not items and note:
            items, note = [(EntryKind.NOTE, {"text": note})], None
        if not items:
            raise InvalidEntry("nothing to save yet: mark where you feel symptoms, choose “No symptoms "
                               "today”, rate your pain or add a walk", field="check_in")
        return self.record_all(items, observed_at=observed_at, note=note)

    def record_test(self, result: TestResult, observed_at: datetime) -> uuid.UUID:
        return self.app.record(result.KIND, result.fields(), observed_at=observed_at)

    def check_red_flags(self, present: Sequence[str], observed_at: datetime | None = None) -> RedFlagCheck:
        """Record a safety check; the emergencies among PRESENT must then be acknowledged."""
        entry_id = self.app.check_red_flags(observed_at or self.now(), list(present))
        return RedFlagCheck(entry_id, tuple(code for code in present
                                            if RedFlag(code).urgency is Urgency.EMERGENCY))

    def acknowledge(self, flags: Sequence[str], observed_at: datetime | None = None) -> uuid.UUID:
        return self.app.acknowledge_red_flags(observed_at or self.now(), list(flags))

    def correct(self, entry_id: uuid.UUID, replacement: Mapping[str, Any], reason: str) -> uuid.UUID:
        return self.app.correct(entry_id, replacement, reason)

    def retract(self, entry_id: uuid.UUID, reason: str) -> uuid.UUID:
        return self.app.retract(entry_id, reason)

    def add_review_note(self, text: str, about: uuid.UUID | None = None) -> uuid.UUID:
        return self.app.review_note(text, about=about, observed_at=self.now())

    def export_copy(self, out: Path) -> Path:
        """A consistent copy of the open journal (SQLite backup), safe while it is open."""
        # Imported when first used: with the verifier it brings, ~9 ms of every start.
        from domain.copies import export_copy

        try:
            export_copy(self.app.file_ready(), out)  # a clinic's review copy may still be being written
        except OSError as exc:
            raise JournalError(f"{out}: the copy could not be written ({exc.strerror or exc})") from None
        return out

    def merge_from(self, other: Path, passphrase: str | None = None) -> MergeReport:
        return self.app.merge_from(other, other_passphrase=passphrase)

    def change_passphrase(self, passphrase: str | None) -> Path:
        """Write the journal again beside itself, encrypted with PASSPHRASE (None: plain), and
        read the copy back; returns the checked copy for ``files.swap_in``. Nothing changes
        in the journal itself; on any failure the copy is removed."""
        from desktop.session.files import remove_database

        new = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.new")
        try:
            self.app.copy_as(new, passphrase=passphrase)
            with JournalApp.open(new, readonly=True, passphrase=passphrase) as check:
                if check.integrity_problem or len(check.entries()) != self.index.count:
                    raise JournalError(f"{self.path}: the re-encoded copy did not read back the same; "
                                       "nothing was changed")
        except OSError as exc:
            remove_database(new)
            raise JournalError(f"{self.path}: the journal could not be written again ({exc})") from None
        except BaseException:
            remove_database(new)
            raise
        return new

    # Queries ------------------------------------------------------------------------------------

    def entry(self, entry_id: uuid.UUID) -> EntryEvent | None:
        """The entry as first recorded (None: this file does not hold it)."""
        return self.app.journal.entries.get(entry_id)

    @_whole
    def effective_entry(self, entry_id: uuid.UUID) -> EntryEvent | None:
        """The entry as today's knowledge has it (latest correction applied; None if retracted)."""
        if entry_id in self.effective.originals:
            return self.effective.effective(entry_id)
        return self.entry(entry_id)

    @_whole
    def is_corrected(self, entry_id: uuid.UUID) -> bool:
        return self.effective.winner(entry_id) is not None

    @_whole
    def latest(self, kinds: Iterable[str], limit: int = 1) -> list[EntryEvent]:
        """The latest saved entries of KINDS that still count and are visible, as corrected."""
        found: list[EntryEvent] = []
        effective = self.effective
        for event in self.index.newest_first(kinds):
            current = effective.effective(event.entry_id)
            if current is not None and self.visible(current):
                found.append(current)
                if len(found) >= limit:
                    break
        return found

    @_whole
    def latest_per_side(self, kind: EntryKind) -> dict[str, EntryEvent]:
        """The latest result of a one-sided test for each side ("left", "right")."""
        latest: dict[str, EntryEvent] = {}
        effective = self.effective
        for event in self.index.newest_first([kind]):
            current = effective.effective(event.entry_id)
            if current is None or not self.visible(current):
                continue
            latest.setdefault(str(getattr(current, "side", "")), current)
            if len(latest) == 2:
                break
        return latest

    def last_symptoms(self) -> EntryEvent | None:
        """The latest symptom record that still counts: the body map's reference."""
        found = self.latest([EntryKind.SYMPTOMS])
        return found[0] if found else None

    def last_check_in(self) -> CheckIn | None:
        """The latest check-in that still counts, for "Same as yesterday" (see ``check_in_of``)."""
        return check_in_of(self.latest([EntryKind.SYMPTOMS, EntryKind.PAIN, EntryKind.WALK], limit=3))

    @_whole
    def checked_in_on(self, day: date) -> bool:
        """Whether a check-in that still counts (symptoms, pain, a walk or a note) is observed on
        DAY: the daily reminder stays quiet then."""
        effective = self.effective
        for event in self.index.newest_first([EntryKind.SYMPTOMS, EntryKind.PAIN, EntryKind.WALK, EntryKind.NOTE]):
            # Nothing is observed after it is recorded: older saves cannot be about DAY (a day's
            # margin for the recorded time's time zone).
            if event.recorded_at.date() < day - timedelta(days=1):
                return False
            current = effective.effective(event.entry_id)
            if current is not None and current.observed_at.date() == day:
                return True
        return False

    @_whole
    def last_red_flag_check(self) -> date | None:
        """The day of the latest safety check that still counts (by observed time)."""
        days = [e.observed_at.date() for e in self._effective_of(EntryKind.RED_FLAGS) if self.visible(e)]
        return max(days, default=None)

    def red_flag_check_due(self) -> bool:
        last = self.last_red_flag_check()
        return last is None or (self.today() - last).days >= CHECKLIST_EVERY_DAYS

    @_whole
    def red_flags_raised(self, start: date, end: date) -> list[tuple[date, tuple[str, ...]]]:
        """Each safety check observed in START..END that answered yes to something."""
        raised = ((e.observed_at.date(), tuple[str, ...](getattr(e, "present", [])))
                  for e in self._effective_of(EntryKind.RED_FLAGS) if start <= e.observed_at.date() <= end)
        return sorted((day, present) for day, present in raised if present)

    def _effective_of(self, kind: EntryKind) -> Iterable[EntryEvent]:
        effective = self.effective
        for event in self.index.of_kind(kind):
            current = effective.effective(event.entry_id)
            if current is not None:
                yield current

    def observed_range(self) -> tuple[date | None, date | None]:
        """The first and last observed day of any entry."""
        return self.index.first_day, self.index.last_day

    def recorded_moments(self) -> list[datetime]:
        """Every save's recorded time, in order (the audit replay's steps)."""
        return self.index.recorded

    def report_period(self) -> tuple[date, date]:
        """The days a report can cover: from onset (or the first entry) to the last entry."""
        first, last = self.observed_range()
        onset = self.identity.onset_date
        return min(onset, first or onset), last or date.today()

    def history(self) -> list[HistoryRow]:
        """Every event with its corrections linked (built once per change, on demand)."""
        if self._history is None:
            self._history = build_history(self.app.entries())
        return self._history

    def merge_records(self) -> list[MergeRecord]:
        return self.app.merge_records()

    # Status -------------------------------------------------------------------------------------

    def status(self, moment: Moment = None) -> StatusSnapshot:
        """The status at the end of ``today()`` (None), of a DATE, or as recorded by an aware
        datetime (the audit replay: only what had been saved by then)."""
        if isinstance(moment, datetime):
            return self.timeline.status_recorded_at(moment)
        return self.timeline.status_at(moment or self.today())

    # Review notes -------------------------------------------------------------------------------

    @_whole
    def notes(self, therapist: str | None = None) -> list[NoteAbout]:
        from desktop.session.notes import notes

        return notes(self, therapist)

    @_whole
    def about(self, entry_id: uuid.UUID | None) -> About:
        from desktop.session.notes import about

        return about(self, entry_id)

    def therapists(self) -> list[str]:
        """Every therapist with a note in this journal, by name."""
        return sorted(self.index.reviews)

    @_whole
    def about_choices(self, limit: int) -> list[EntryEvent]:
        """Entries a new review note can be about: the latest observed among the recent saves
        that still count (the newest saves hold the newest observations, bar back-filling)."""
        recent = self.latest(CORRECTABLE_KINDS, limit * 4)
        return sorted(recent, key=lambda e: (e.observed_at, e.recorded_at, e.entry_id.int), reverse=True)[:limit]
