"""Taking a patient's copy into the clinic store without coding any entry twice (``ClinicStore.add``).

A clinic row holds an entry exactly as a file stores it, behind its entry id (``infrastructure``),
so the bytes a verified plain copy already holds are the bytes the store writes: ``read_copy_log``
(the same read and check as ``merge``) gives them beside the entries, and nothing is encoded
again. The store's own log is held the same way, as stored bytes (``HeldLog``): an entry the copy
holds byte for byte is the same entry, so only an entry whose bytes differ (stored by an older
codec, or an encrypted copy's) is decoded to be compared by the merge's own rule
(``domain.merging.missing_entries``), which still decides every refusal.
"""

from __future__ import annotations

import operator
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import count, repeat
from operator import attrgetter, itemgetter
from pathlib import Path

from domain.clinic.infrastructure import ENTRY_ID_BYTES, ClinicMapper, Row, copy_columns
from domain.errors import MergeRefused, NotAJournal
from domain.events import STARTED_TOPIC, EntryEvent, JournalStarted, ReviewNoteAdded
from domain.merging import added_words, missing_entries, read_copy_log
from domain.storage import FileInfo, inspect_file

Held = tuple[str, bytes]  # (topic, the row's state: the entry id's 16 bytes, then the state a file stores)


@dataclass(frozen=True)
class AddReport:
    """What ``add`` took in from one copy."""

    path: Path
    journal_id: uuid.UUID
    patient: str
    entries: int  # the patient's entries added (everything but review notes)
    review_notes: int

    @property
    def added(self) -> int:
        return self.entries + self.review_notes

    def sentence(self) -> str:
        if not self.added:
            return f"Nothing new: the clinic already has every entry of {self.path} ({self.patient})"
        return f"{added_words(self.entries, self.review_notes)} added from {self.path} ({self.patient})"


@dataclass(frozen=True)
class StoredRows:
    """Rows as a file stores them, as columns in the entries' order: each one's topic, entry id
    (16 bytes) and state. A clinic row's state is the id and then that state (``infrastructure``),
    written as two parts (``copy_columns``): no row's bytes are joined into a new one on the way."""

    topics: list[str]
    ids: list[bytes]
    states: list[bytes]

    def __len__(self) -> int:
        return len(self.topics)

    def held(self) -> list[Held]:
        """Each row as the store holds it: (topic, the entry id's bytes and then the state)."""
        return list(zip(self.topics, map(bytes.__add__, self.ids, self.states), strict=True))

    def take(self, indices: Sequence[int]) -> StoredRows:
        """The rows at INDICES, in that order."""
        return StoredRows(list(map(self.topics.__getitem__, indices)), list(map(self.ids.__getitem__, indices)),
                          list(map(self.states.__getitem__, indices)))


@dataclass(frozen=True)
class Run:
    """One patient's rows to write: the next places in its log after ``first - 1``."""

    journal_id: uuid.UUID
    first: int
    rows: StoredRows

    def copy_data(self) -> bytes:
        """The run in COPY's binary format (``copy_columns``)."""
        rows = self.rows
        return copy_columns(self.journal_id, range(self.first, self.first + len(rows)), rows.topics,
                            rows.states, rows.ids)


@dataclass(frozen=True)
class TakenIn:
    """What a call's copies bring: a report per copy (in their order), the rows to write (each
    patient's run after its log's end), and the name of each patient they are for."""

    reports: list[AddReport]
    runs: list[Run]
    names: dict[uuid.UUID, str]

    @property
    def row_count(self) -> int:
        """How many rows to write."""
        return sum(len(run.rows) for run in self.runs)

    @property
    def rows(self) -> list[Row]:
        """The rows to write, one tuple each (the library's INSERT, for a therapist's role)."""
        return [row for run in self.runs for row in zip(
            repeat(run.journal_id), count(run.first), run.rows.topics,
            map(bytes.__add__, run.rows.ids, run.rows.states))]

    def copy_data(self) -> tuple[bytes, int]:
        """The rows in COPY's binary format, and how many."""
        return b"".join(run.copy_data() for run in self.runs), self.row_count


@dataclass(frozen=True)
class VerifiedCopy:
    """A patient's copy, read from a snapshot and verified entry by entry."""

    path: Path
    journal_id: uuid.UUID
    entries: list[EntryEvent]
    #: The rows the entries were read from, as the copy holds them, in the same order; None for
    #: an encrypted copy, whose states are sealed with its key (its entries are encoded again).
    stored_rows: StoredRows | None

    @property
    def stored(self) -> list[Held] | None:
        """Each entry's row as the store would hold it (topic, entry id and state)."""
        return None if self.stored_rows is None else self.stored_rows.held()


def copy_info(path: Path) -> FileInfo:
    """What the copy PATH says of itself (its metadata, before any check: its journal, whether
    it is encrypted); MergeRefused (nothing changed) for a file that is not a journal or does
    not say which journal it is."""
    try:
        info = inspect_file(path, whole=False)  # (its read checks every page)
    except NotAJournal as exc:
        raise MergeRefused(f"{exc}; nothing was added to the clinic") from None
    if info.journal_id is None:
        raise MergeRefused(f"{path}: the file does not say which journal it is; nothing was added")
    return info


def read_verified(path: Path, journal_id: uuid.UUID | None = None) -> VerifiedCopy:
    """The copy PATH, verified as ``merge`` verifies the other copy (``read_copy_log``);
    MergeRefused (nothing changed) for a copy that fails, or is not a journal. JOURNAL_ID: the
    journal the copy said it is (``copy_info``) when the caller read that already (opening the
    file for it costs a millisecond); the read refuses a copy that is not that journal's."""
    if journal_id is None:
        journal_id = copy_info(path).journal_id
        assert journal_id is not None  # (copy_info refuses a copy without one)
    log = read_copy_log(path, journal_id, with_rows=True)
    return VerifiedCopy(path, journal_id, log.entries, _columns(log.entries, log.rows))


_ENTRY_INT = attrgetter("originator_id.int")
_ROW_ID, _ROW_TOPIC, _ROW_STATE = itemgetter(0), itemgetter(2), itemgetter(3)  # of a LinkedRow (CopyLog.rows)


def _columns(entries: Sequence[EntryEvent], rows: list[tuple[object, ...]] | None) -> StoredRows | None:
    """The rows as columns (``StoredRows``), when they are the entries' own rows one for one (a
    file's stream per entry: the row's originator id is the entry id, as hex text); else None
    (encode again). Each step a C loop over the list: in Python per row this was a tenth of
    taking a copy in."""
    if rows is None or len(rows) != len(entries):
        return None
    states = list(map(_ROW_STATE, rows))
    try:
        ids = list(map(int, map(_ROW_ID, rows), repeat(16)))
    except (TypeError, ValueError):  # not the hex text this app writes
        return None
    if ids != list(map(_ENTRY_INT, entries)) or set(map(type, states)) - {bytes}:
        return None
    return StoredRows(list(map(str, map(_ROW_TOPIC, rows))), list(map(int.to_bytes, ids, repeat(ENTRY_ID_BYTES))),
                      states)


class HeldLog(Mapping[uuid.UUID, EntryEvent]):
    """One patient's log in the store, as stored bytes: the merge rule's view of "the entries
    the store holds", decoding an entry only when the rule looks at it."""

    def __init__(self, mapper: ClinicMapper, stored: Iterable[tuple[str, bytes]]) -> None:
        """STORED: the patient's rows in log order, (topic, state with the entry id in front)."""
        self.mapper = mapper
        self.held: dict[uuid.UUID, Held] = {}
        for topic, row_state in stored:
            state = bytes(row_state)
            self.held[uuid.UUID(bytes=state[:ENTRY_ID_BYTES])] = (topic, state)
        self._decoded: dict[uuid.UUID, EntryEvent] = {}

    def __getitem__(self, entry_id: uuid.UUID) -> EntryEvent:
        event = self._decoded.get(entry_id)
        if event is None:
            event = self._decoded[entry_id] = self.mapper.entry_of(*self.held[entry_id])
        return event

    def known(self) -> Mapping[uuid.UUID, EntryEvent]:
        """The merge rule's view: a plain dict when every held entry is decoded already (a
        new patient's log, its start only: looked up for every entry of the copy, in C), else
        this log, decoding as the rule looks."""
        return self._decoded if len(self._decoded) == len(self.held) else self

    def get(self, entry_id: uuid.UUID, default: EntryEvent | None = None) -> EntryEvent | None:  # type: ignore[override]
        # Mapping's own get goes through a KeyError for every entry the store lacks.
        return self[entry_id] if entry_id in self.held else default

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.held

    def __iter__(self) -> Iterator[uuid.UUID]:
        return iter(self.held)

    def __len__(self) -> int:
        return len(self.held)

    def add(self, events: Sequence[EntryEvent], held: Iterable[Held]) -> None:
        """EVENTS taken in, with their rows' HELD (topic, state), in the same order."""
        ids = list(map(_ENTRY_ID, events))
        self.held.update(zip(ids, held, strict=True))
        self._decoded.update(zip(ids, events, strict=True))

    def started(self) -> JournalStarted | None:
        """The log's start (decoded alone)."""
        for entry_id, (topic, _) in self.held.items():
            if topic == STARTED_TOPIC:
                event = self[entry_id]
                return event if isinstance(event, JournalStarted) else None
        return None


def take_in(copies: Sequence[VerifiedCopy], held_log: Callable[[uuid.UUID], HeldLog]) -> TakenIn:
    """The entries COPIES bring that the store lacks (``new_rows``; HELD_LOG reads a patient's
    log as the store holds it, once per patient: a later copy of the same patient is compared
    with the earlier ones' entries too). MergeRefused, before anything is written, for a copy
    the rule refuses or one of a patient the store lacks that holds no start."""
    logs: dict[uuid.UUID, HeldLog] = {}
    names: dict[uuid.UUID, str] = {}
    runs: list[Run] = []
    reports = []
    following = Counter(copy.journal_id for copy in copies)  # each patient's copies still to come
    for copy in copies:
        log = logs.get(copy.journal_id)
        if log is None:
            log = logs[copy.journal_id] = held_log(copy.journal_id)
        following[copy.journal_id] -= 1
        batch, run = new_rows(log, copy, keep=following[copy.journal_id] > 0)
        if run is not None:
            runs.append(run)
        started = log.started()
        if started is None:
            raise MergeRefused(f"{copy.path}: holds no start of the journal; nothing was added")
        names[copy.journal_id] = started.patient
        notes = sum(map(isinstance, batch, repeat(ReviewNoteAdded)))
        reports.append(AddReport(copy.path, copy.journal_id, started.patient, len(batch) - notes, notes))
    return TakenIn(reports, runs, names)


def new_rows(log: HeldLog, copy: VerifiedCopy, *, keep: bool = True) -> tuple[list[EntryEvent], Run | None]:
    """The copy's entries the store lacks, by the merge's rule and refusals (MergeRefused), and
    their rows after the log's end (None: nothing new); with KEEP, LOG takes them in (a later
    copy of the same patient in the same call is compared with them too; without one, that is
    two dict entries per entry for nothing)."""
    mapper = log.mapper
    entries = copy.entries
    stored = copy.stored_rows
    if log and stored is not None:
        # The same bytes as the store's: the same entry (the rule's "already held"), left out
        # before the rule runs so that it decodes only the store's entries held in other bytes.
        held = log.held
        theirs = [e for e, h in zip(entries, stored.held(), strict=True) if held.get(e.entry_id) != h]
    else:
        theirs = entries
    base = len(log)
    batch: list[EntryEvent] = []
    if not log and theirs and isinstance(theirs[0], JournalStarted):
        # A new patient: the copy's start (verified) opens the log, then the rule takes the rest
        # (the start among them, now held), as for a patient already held.
        batch.append(theirs[0])
        start = stored.take([entries.index(theirs[0])]) if stored else _encoded(mapper, batch)
        log.add(batch, start.held())
    batch += missing_entries(log.known(), theirs, copy.path,
                             Path(f"the clinic's copy of journal {copy.journal_id}"))
    if not batch:
        return batch, None
    rows: StoredRows
    if stored is None:
        rows = _encoded(mapper, batch)
    elif len(batch) == len(entries) and all(map(operator.is_, batch, entries)):
        rows = stored  # every entry of the copy (a new patient's), in its order
    else:
        index = 0  # BATCH is a part of the copy's entries, in their order: each one's row is found by walking on
        taken = []
        for event in batch:
            while entries[index] is not event:
                index += 1
            taken.append(index)
        rows = stored.take(taken)
    if keep:
        log.add(batch, rows.held())
    return batch, Run(copy.journal_id, base + 1, rows)


def _encoded(mapper: ClinicMapper, events: Sequence[EntryEvent]) -> StoredRows:
    """EVENTS' rows encoded again by the file's codec (an encrypted copy's entries, or entries
    given already read)."""
    stored = [mapper.to_stored_event(event) for event in events]
    return StoredRows([s.topic for s in stored], [e.entry_id.bytes for e in events], [s.state for s in stored])


_ENTRY_ID = attrgetter("originator_id")
