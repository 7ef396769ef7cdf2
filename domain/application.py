"""The application service: the only way into a journal file.

``JournalApp`` is an ``eventsourcing.Application`` bound to one ``.sciatica`` file. Commands
validate through the ``RecoveryJournal`` aggregate (kept in memory, so each costs O(1)) and
are stored in one SQLite transaction together with their hash-chain links.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain import __version__
from domain import validation as v
from domain.errors import InvalidEntry, JournalError, NotAJournal, ReadOnlyJournal
from domain.events import EntryEvent, JournalStarted
from domain.journal import JournalIdentity, RecoveryJournal
from domain.storage import (
    FORMAT_VERSION,
    META_TABLE,
    FileInfo,
    FileLock,
    inspect_file,
    read_only_uri,
)

Listener = Callable[[Sequence[EntryEvent]], None]
READ_PAGE = 5_000


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class JournalApp(Application[uuid.UUID]):
    """One open journal file."""

    name = "Journal"

    def __init__(self, path: Path, *, readonly: bool, create: bool,
                 extra_env: Mapping[str, str] | None = None) -> None:
        self.path = Path(path)
        self.readonly = readonly
        db_name = read_only_uri(self.path) if readonly else str(self.path)
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "APPLICATION_RECORDER_TOPIC": "domain.storage:ChainedSQLiteRecorder",
            "SQLITE_DBNAME": db_name,
            "CREATE_TABLE": "y" if create else "n",
            "SQLITE_LOCK_TIMEOUT": "5",
            "IS_SNAPSHOTTING_ENABLED": "n",
            "COMPRESSOR_TOPIC": "",
            "CIPHER_TOPIC": "",
            **(extra_env or {}),
        }
        super().__init__(env=env)
        self.journal = RecoveryJournal()
        self._log: list[EntryEvent] = []
        self.meta: dict[str, str] = {}
        self._listeners: list[Listener] = []
        self._lock: FileLock | None = None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    # Opening and closing ------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path | str,
        *,
        patient: str,
        affected_side: str,
        onset_date: date | str,
        observed_at: datetime | date | str | None = None,
    ) -> JournalApp:
        """Create a new journal file and record its JournalStarted entry."""
        path = Path(path)
        if path.exists():
            raise InvalidEntry(f"{path}: a file with that name already exists", field="path")
        fields = {"patient": patient, "affected_side": affected_side, "onset_date": onset_date}
        first = RecoveryJournal().decide(
            "JournalStarted", fields, observed_at=observed_at or datetime.now())
        return cls.create_from(path, [first])

    @classmethod
    def create_from(cls, path: Path, events: Sequence[EntryEvent]) -> JournalApp:
        """Create PATH holding EVENTS (the first is JournalStarted); nothing is left on failure."""
        first = events[0]
        assert isinstance(first, JournalStarted)
        if not path.parent.exists():
            raise InvalidEntry(f"{path}: the folder {path.parent} does not exist", field="path")
        try:
            app = cls(path, readonly=False, create=True)
        except OSError as exc:
            _remove_database(path)
            raise InvalidEntry(f"{path}: cannot create the journal here ({exc})", field="path") from None
        try:
            app._acquire_lock()
            meta = {
                "application": "sciatica-tracker",
                "format_version": str(FORMAT_VERSION),
                "app_version": __version__,
                "created_at": v.now_utc().isoformat(),
                "journal_id": str(first.entry_id),
                "patient": first.patient,
            }
            with app.recorder.datastore.transaction(commit=True) as c:  # type: ignore[attr-defined]
                c.executemany(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)", list(meta.items()))
            app.meta = meta
            app._store(list(events))
        except BaseException:
            app.close()
            _remove_database(path)
            raise
        return app

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False) -> JournalApp:
        """Open an existing journal; refuse anything that is not one, without writing to it."""
        path = Path(path)
        info = inspect_file(path)
        app = cls(path, readonly=readonly, create=False)
        try:
            if not readonly:
                app._acquire_lock()
            app.meta = dict(info.meta)
            app._load(info)
        except BaseException:
            app.close()
            raise
        return app

    def _acquire_lock(self) -> None:
        self._lock = FileLock(self.path)
        self._lock.acquire()

    def _load(self, info: FileInfo) -> None:
        try:
            start = 1
            while True:
                page = self.recorder.select_notifications(start=start, limit=READ_PAGE)
                for notification in page:
                    event = self.mapper.to_domain_event(notification)
                    if not isinstance(event, EntryEvent):
                        continue
                    self.journal.apply(event)
                    self._log.append(event)
                if len(page) < READ_PAGE:
                    break
                start = page[-1].id + 1
        except JournalError:
            raise
        except Exception as exc:
            raise NotAJournal(f"{self.path}: the journal is damaged and cannot be read "
                              f"({type(exc).__name__})") from None
        if not self.journal.started:
            raise NotAJournal(f"{self.path}: the journal has no JournalStarted entry")

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> JournalApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Reading -----------------------------------------------------------------------------

    @property
    def identity(self) -> JournalIdentity:
        assert self.journal.identity is not None
        return self.journal.identity

    @property
    def journal_id(self) -> uuid.UUID:
        return self.identity.journal_id

    def entries(self, until: int | None = None) -> list[EntryEvent]:
        """Every event in log order (the order this file stored them); ``until`` = count.

        Named ``entries`` because eventsourcing's ``Application.events`` is the event store."""
        return list(self._log if until is None else self._log[:until])

    def entry(self, entry_id: uuid.UUID) -> EntryEvent:
        return self.journal.entries[entry_id]

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call LISTENER with the new events after every successful save."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    # Commands ------------------------------------------------------------------------------

    def record(self, type_name: str, fields: Mapping[str, Any], *,
               observed_at: datetime | date | str, note: str | None = None) -> uuid.UUID:
        """Record one patient observation of TYPE_NAME (see interchange.md)."""
        event = self.journal.decide(type_name, fields, observed_at=observed_at, note=note)
        self._store([event])
        return event.entry_id

    def record_symptoms(self, observed_at: datetime | date | str, symptoms: list[dict[str, Any]],
                        context: str | None = None, note: str | None = None) -> uuid.UUID:
        return self.record("SymptomsRecorded", {"symptoms": symptoms, "context": context},
                           observed_at=observed_at, note=note)

    def rate_pain(self, observed_at: datetime | date | str, *, leg: float | None = None,
                  back: float | None = None, share_of_day_percent: float | None = None,
                  episodes: int | None = None, note: str | None = None) -> uuid.UUID:
        return self.record("PainRated", {"leg": leg, "back": back,
                                         "share_of_day_percent": share_of_day_percent,
                                         "episodes": episodes}, observed_at=observed_at, note=note)

    def record_walk(self, observed_at: datetime | date | str, *, total_minutes: float,
                    minutes_to_symptoms: float | None, extent_at_stop: str | None,
                    note: str | None = None) -> uuid.UUID:
        return self.record("WalkRecorded", {"total_minutes": total_minutes,
                                            "minutes_to_symptoms": minutes_to_symptoms,
                                            "extent_at_stop": extent_at_stop},
                           observed_at=observed_at, note=note)

    def check_red_flags(self, observed_at: datetime | date | str, present: list[str],
                        note: str | None = None) -> uuid.UUID:
        return self.record("RedFlagsChecked", {"present": present}, observed_at=observed_at, note=note)

    def acknowledge_red_flags(self, observed_at: datetime | date | str, flags: list[str]) -> uuid.UUID:
        return self.record("RedFlagAcknowledged", {"flags": flags}, observed_at=observed_at)

    def add_note(self, observed_at: datetime | date | str, text: str) -> uuid.UUID:
        return self.record("NoteAdded", {"text": text}, observed_at=observed_at)

    def correct(self, entry_id: uuid.UUID, replacement: Mapping[str, Any], reason: str,
                observed_at: datetime | None = None) -> uuid.UUID:
        """Replace an earlier entry's values; the original stays in the history."""
        event = self.journal.decide(
            "EntryCorrected", {"target": entry_id, "replacement": replacement, "reason": reason},
            observed_at=observed_at or datetime.now())
        self._store([event])
        return event.entry_id

    def retract(self, entry_id: uuid.UUID, reason: str,
                observed_at: datetime | None = None) -> uuid.UUID:
        """Withdraw an earlier entry; it stays in the history, marked retracted."""
        event = self.journal.decide(
            "EntryRetracted", {"target": entry_id, "reason": reason},
            observed_at=observed_at or datetime.now())
        self._store([event])
        return event.entry_id

    def annotate(self, therapist: str, text: str, about: uuid.UUID | None = None,
                 observed_at: datetime | None = None) -> uuid.UUID:
        """A therapist's review note about an entry (or the journal as a whole)."""
        event = self.journal.decide(
            "ReviewNoteAdded", {"therapist": therapist, "text": text, "about": about},
            observed_at=observed_at or datetime.now())
        self._store([event])
        return event.entry_id

    def append(self, events: Iterable[EntryEvent]) -> int:
        """Store already-decided events (an import) in one transaction; returns the count."""
        batch = list(events)
        if batch:
            self._store(batch)
        return len(batch)

    def _store(self, events: list[EntryEvent]) -> None:
        if self.readonly:
            raise ReadOnlyJournal(f"{self.path}: the journal is open for reading only")
        self.save(*events)
        for event in events:
            self.journal.apply(event)
            self._log.append(event)
        for listener in list(self._listeners):
            listener(events)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
