"""The application service: the only way into a journal file.

``JournalApp`` is an ``eventsourcing.Application`` bound to one ``.sciatica`` file, configured
through eventsourcing's public extension points only: ``construct_transcoder`` (msgspec JSON,
``domain.codec``), ``construct_mapper`` and ``construct_recorder`` (``domain.recorder``, which
writes each batch and its hash-chain links in one SQLite transaction); events are stored with
the event store's public ``put``. Commands validate through the ``RecoveryJournal`` aggregate (kept in
memory, so each costs O(1)).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.application import Application
from eventsourcing.persistence import InfrastructureFactory, Mapper, Transcoder
from eventsourcing.popo import POPOFactory
from eventsourcing.utils import Environment

from domain import __version__
from domain import validation as v
from domain.chain import ChainProblem
from domain.codec import JournalMapper, MsgspecTranscoder
from domain.collector import collector_paused
from domain.commands import JournalCommands
from domain.deferred import Deferred, DeferredLog, Verified
from domain.errors import (
    FailedVerification,
    InvalidEntry,
    JournalError,
    MergeRefused,
    NotAJournal,
    ReadOnlyJournal,
)
from domain.events import EntryEvent, JournalStarted, ReviewNoteAdded
from domain.journal import JournalIdentity, RecoveryJournal
from domain.loading import read_each_entry, read_sound_log
from domain.merging import MergeRecord, MergeReport, missing_entries, read_copy
from domain.outputs import publish_new
from domain.recorder import JournalRecorder
from domain.reviewing import PendingRecorder, ReviewMode, Written
from domain.storage import FILE_ID, FORMAT_VERSION, FileInfo, FileLock, inspect_file, stray_wal_problem
from domain.stored_entries import check_decoded_log

if TYPE_CHECKING:
    from domain.encryption import JournalKey

__all__ = ["Deferred", "JournalApp", "MergeRecord", "MergeReport", "Verified", "read_copy"]

Listener = Callable[[Sequence[EntryEvent]], None]


_SOURCE_LABEL = "merge source"
_PATIENT_LABEL = "patient"


class JournalApp(JournalCommands, DeferredLog, ReviewMode, Application[uuid.UUID]):
    """One open journal file."""

    name = "Journal"
    recorder: JournalRecorder  # what construct_recorder makes

    def __init__(self, path: Path, *, readonly: bool, create: bool,
                 extra_env: Mapping[str, str] | None = None, key: JournalKey | None = None,
                 keyed_chain: bool = False, written: Written | None = None) -> None:
        self.path = Path(path)
        #: Until the file is whole, for a review copy still being written (``domain.reviewing``).
        self._written = written
        self.readonly = readonly
        self.create_file = create
        self.key = key
        #: The key of an encrypted journal's keyed chain (journals encrypted before it have a
        #: plain chain, and get a keyed one when the passphrase is changed).
        self.chain_key = key.chain_key() if key is not None and keyed_chain else None
        #: None, or one sentence naming the first entry that breaks the hash chain (checked on
        #: open). The desktop warns and reopens read-only; ``sciatica verify`` is the authority.
        self.integrity_problem: str | None = None
        #: The therapist this file is open for (``open_for_review``): only their review notes
        #: can be added; the patient's entries are read-only.
        self.reviewer: str | None = None
        env = {
            # The recorder is ours (construct_recorder); eventsourcing's factory only reads the
            # settings below (the cipher of an encrypted journal, no snapshots).
            "IS_SNAPSHOTTING_ENABLED": "n",
            "COMPRESSOR_TOPIC": "",
            "CIPHER_TOPIC": "",
            "CIPHER_KEY": "",
            # A keyed journal's payloads are sealed by the mapper (bound to their entry); only
            # journals encrypted before use eventsourcing's cipher.
            **(key.cipher_env() if key is not None and not keyed_chain else {}),
            **(extra_env or {}),
        }
        super().__init__(env=env)
        self._deferred = None
        self.journal = RecoveryJournal()
        self._log = []
        self.meta = {}
        self._listeners: list[Listener] = []
        self._lock: FileLock | None = None

    def construct_factory(self, env: Environment) -> InfrastructureFactory:
        # Named in code, not by PERSISTENCE_MODULE: nothing is resolved by name at run time
        # but the cipher topic (so the packaged app needs no hidden import for it).
        return cast(InfrastructureFactory, POPOFactory(env))

    def construct_transcoder(self) -> Transcoder:
        return MsgspecTranscoder()

    def construct_mapper(self) -> Mapper[uuid.UUID]:
        transcoder = self.construct_transcoder()
        assert isinstance(transcoder, MsgspecTranscoder)
        binder = self.key if self.key is not None and self.chain_key is not None else None
        return JournalMapper(transcoder, compressor=self.factory.compressor(), cipher=self.factory.cipher(),
                             binder=binder)

    def construct_recorder(self) -> JournalRecorder:
        if self._written is not None:
            return PendingRecorder(self.path, self._written, self._file_opened)
        # An existing journal is first read through a reading connection (see ``open``).
        return JournalRecorder(self.path, readonly=self.readonly or not self.create_file,
                               create=self.create_file, chain_key=self.chain_key)

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
        passphrase: str | None = None,
    ) -> JournalApp:
        """Create a new journal file and record its JournalStarted entry.

        With PASSPHRASE the entries and the patient's name are encrypted at rest."""
        path = Path(path)
        if path.exists():
            raise InvalidEntry(f"{path}: a file with that name already exists", field="path")
        fields = {"patient": patient, "affected_side": affected_side, "onset_date": onset_date}
        first = RecoveryJournal().decide(
            "JournalStarted", fields, observed_at=observed_at or datetime.now())
        return cls.create_from(path, [first], passphrase=passphrase)

    @classmethod
    def create_from(cls, path: Path, events: Sequence[EntryEvent], *,
                    passphrase: str | None = None) -> JournalApp:
        """Create PATH holding EVENTS (the first is JournalStarted).

        The journal is built in a temporary file in the same folder and then linked to PATH
        without replacing anything: a file that appears at PATH meanwhile (another program
        creating it) is never touched, and a failure leaves nothing behind."""
        path = Path(path)
        first = events[0]
        assert isinstance(first, JournalStarted)
        if not path.parent.is_dir():
            raise InvalidEntry(f"{path}: the folder {path.parent} does not exist", field="path")
        if path.exists():
            raise InvalidEntry(f"{path}: a file with that name already exists", field="path")
        key: JournalKey | None = None
        protection: dict[str, str] = {}
        if passphrase is not None:
            from domain.encryption import SEALED_PATIENT_KEY, new_protection

            key, protection = new_protection(passphrase)
            protection[SEALED_PATIENT_KEY] = key.seal(first.patient, _PATIENT_LABEL)
        building = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.creating")
        try:
            keyed = key is not None and _keyed(FileInfo(path, protection))
            app = cls(building, readonly=False, create=True, key=key, keyed_chain=keyed)
        except JournalError as exc:
            _remove_database(building)
            raise type(exc)(str(exc).replace(str(building), str(path))) from None
        try:
            meta = {
                "application": "sciatica-tracker",
                "format_version": str(FORMAT_VERSION),
                "app_version": __version__,
                "created_at": v.now_utc().isoformat(),
                "journal_id": str(first.entry_id),
                FILE_ID: uuid.uuid4().hex,
                **({"patient": first.patient} if key is None else protection),
            }
            app.recorder.write_meta(meta)
            app.meta = {**meta, "patient": first.patient}
            app._store(list(events))
            app.recorder.close()  # checkpoints the WAL into the file before it gets its name
            publish_new(building, path)
        except BaseException as exc:
            app.close()
            _remove_database(building)
            if isinstance(exc, JournalError):
                raise type(exc)(str(exc).replace(str(building), str(path))) from None
            raise
        app.path = path
        try:
            app.recorder.reopen(path)
            app._acquire_lock()
        except BaseException:
            app.close()
            raise
        return app

    @classmethod
    def open(cls, path: Path | str, *, readonly: bool = False, passphrase: str | None = None,
             check_entries: bool = False, verified: Verified | Deferred | None = None,
             rows: list[Any] | None = None) -> JournalApp:
        """Open an existing journal; refuse anything that is not one, without writing to it.

        An encrypted journal needs PASSPHRASE (WrongPassphrase when it does not fit); when it is
        None, ``SCIATICA_PASSPHRASE`` or a terminal prompt supplies it (PassphraseNeeded without
        either). ``integrity_problem`` tells whether the hash chain holds.

        Every entry is checked as a new one would be (``check_stored``) when the chain does not
        hold; when it holds, only with CHECK_ENTRIES (``sciatica verify`` and copies about to be
        merged in use it, so a file whose chain was recomputed after an edit is still refused).

        VERIFIED: the journal and log that an earlier open by this same code read, decoded and
        found sound from byte-identical file contents (the desktop's start-up checkpoint, matched
        by the SHA-256 of the file and its write-ahead log): they stand in for reading and
        checking the log again, as the same bytes give the same result; a ``Deferred`` reads
        them only when a command or query first needs them. Never used for an encrypted
        journal nor with CHECK_ENTRIES; the caller vouches for the bytes.

        ROWS, when given, receives the stored rows the entries were read from (``read_sound_log``;
        left empty when the log was read any other way)."""
        path = Path(path)
        info = inspect_file(path)
        key = None
        if info.encrypted:
            from domain.encryption import passphrase_for, unlock

            key = unlock(info.meta, passphrase if passphrase is not None else passphrase_for(path), path)
        app = cls(path, readonly=readonly, create=False, key=key, keyed_chain=_keyed(info))
        try:
            if not readonly:
                app._acquire_lock()
            app.meta = dict(info.meta)
            if key is not None:
                app.meta["patient"] = app._unseal_meta(info)
            if isinstance(verified, Deferred) and key is None and not check_entries:
                app._deferred = verified
            elif verified is not None and not isinstance(verified, Deferred) and key is None and not check_entries:
                app.journal, app._log = verified[0], list(verified[1])
            else:
                app._load(info, check_entries=check_entries, rows=rows)
            app.integrity_problem = stray_wal_problem(path, info.meta) or app.integrity_problem
            if not readonly and not app.integrity_problem:
                # Loaded (and its chain checked) through a reading connection; only a journal
                # that passes gets a writing one, so a WAL that does not belong to it (a stray
                # or diverged one) is never checkpointed into it.
                app.recorder.make_writable()
        except BaseException:
            app.close()
            raise
        return app

    @staticmethod
    def is_encrypted(path: Path | str) -> bool:
        """Whether opening PATH needs a passphrase (raises NotAJournal for a non-journal)."""
        return inspect_file(Path(path)).encrypted

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def _unseal_meta(self, info: FileInfo) -> str:
        from domain.encryption import SEALED_PATIENT_KEY

        assert self.key is not None
        token = info.meta.get(SEALED_PATIENT_KEY)
        try:
            return self.key.unseal(token, _PATIENT_LABEL) if token else ""
        except Exception:
            raise NotAJournal(f"{self.path}: the journal's metadata is damaged") from None

    def _acquire_lock(self) -> None:
        self._lock = FileLock(self.path)
        self._lock.acquire()

    def _load(self, info: FileInfo, *, check_entries: bool = False, rows: list[Any] | None = None) -> None:
        """Fold the log into the journal, checking the hash chain on the way (one SHA-256 per
        entry). An entry that cannot be decoded makes the file unreadable; a broken chain alone
        only sets ``integrity_problem``."""
        problem: ChainProblem | None = None
        damaged: str | None = None
        # Loading makes ~30 objects per entry and keeps them all, as long as the app lives.
        with collector_paused(freeze=True):
            try:
                mapper = self.mapper
                assert isinstance(mapper, JournalMapper)
                entries = read_sound_log(self.recorder, mapper, self.chain_key, rows)
                if entries is None:
                    if rows is not None:
                        rows.clear()  # (not the rows of what is read next)
                    problem, damaged = read_each_entry(self.recorder, mapper, self.journal, self._log,
                                                       self.chain_key, check_entries=check_entries)
                else:
                    # An intact chain proves every stored byte is what this app wrote after
                    # checking the entry on its way in (see ``read_sound_log``), so each entry
                    # is checked again only when asked (CHECK_ENTRIES), in batches by type.
                    if check_entries:
                        check_decoded_log(entries)
                    self.journal.extend(entries)
                    self._log = entries
            except JournalError:
                raise
            except Exception as exc:
                raise NotAJournal(f"{self.path}: the journal is damaged and cannot be read "
                                  f"({type(exc).__name__})") from None
        if problem is not None:
            decrypt = self.key.payload_reader(self.chain_key is not None) if self.key is not None else None
            self.integrity_problem = problem.describe(self.path, decrypt)
        if damaged is not None:
            detail = self.integrity_problem or damaged
            raise NotAJournal(f"{self.path}: the journal is damaged and cannot be read: "
                              f"{detail.removeprefix(f'{self.path}: ')}")
        if not self.journal.started:
            raise NotAJournal(f"{self.path}: the journal has no JournalStarted entry")
        started = self.journal.identity
        if started is not None and self.meta.get("journal_id") not in (None, str(started.journal_id)):
            self.integrity_problem = self.integrity_problem or (
                f"{self.path}: the journal id in the file's metadata does not match its first entry "
                "(changed outside the app)")

    def close(self) -> None:
        try:
            super().close()
            self.recorder.close()
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
        if self._deferred is not None:
            return self._deferred.identity
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

    # Copies ---------------------------------------------------------------------------------

    def merge_from(self, other_path: Path | str, *, other_passphrase: str | None = None) -> MergeReport:
        """Record here every entry of the copy OTHER_PATH that this file lacks (by entry id).

        Entries keep their author, observed and original recorded time; they are decoded with
        OTHER's key and stored with this file's (so encrypted and plain copies merge), in OTHER's
        log order (correction targets first), in one transaction that extends the hash chain and
        notes each entry's source in the ``merges`` table. OTHER need not be closed (it is read
        from a consistent snapshot). MergeRefused, with nothing changed, for a file of another
        journal, a non-journal, or a copy that fails verification.
        """
        other = Path(other_path)
        if self.integrity_problem:
            raise MergeRefused(f"{self.path} fails verification, so nothing was merged into it: "
                               f"{self.integrity_problem.removeprefix(f'{self.path}: ')}")
        return self.merge_entries(read_copy(other, self.journal_id, passphrase=other_passphrase), other)

    def merge_entries(self, theirs: Sequence[EntryEvent], source: Path | str) -> MergeReport:
        """``merge_from`` for another copy's entries already read (see ``read_copy``)."""
        other = Path(source)
        if self.integrity_problem:
            raise MergeRefused(f"{self.path} fails verification, so nothing was merged into it: "
                               f"{self.integrity_problem.removeprefix(f'{self.path}: ')}")
        batch = self.missing_entries(theirs, other)
        if not batch:
            return MergeReport(self.path, other, (), 0, 0)
        merged_at = v.now_utc().isoformat()
        source = self.key.seal(other.name, _SOURCE_LABEL) if self.key is not None else other.name
        rows = [(str(e.entry_id), source, str(self.journal_id), merged_at) for e in batch]
        self._store(batch, merges=rows)
        notes = sum(isinstance(e, ReviewNoteAdded) for e in batch)
        return MergeReport(self.path, other, tuple(e.entry_id for e in batch), len(batch) - notes, notes)

    def missing_entries(self, theirs: Sequence[EntryEvent], source: Path | str = "the other copy") -> list[EntryEvent]:
        """The entries of THEIRS (another copy's log, in its order) that this file lacks,
        checked to fit this journal; MergeRefused otherwise."""
        return missing_entries(self.journal.entries, theirs, source, self.path)

    def merge_records(self) -> list[MergeRecord]:
        """Every entry that came into this file by a merge, and from which file."""
        rows = self.recorder.merge_rows()
        records = []
        for entry_id, stored, merged_at in rows:
            source = str(stored)
            if self.key is not None:
                try:
                    source = self.key.unseal(source, _SOURCE_LABEL)
                except Exception:
                    source = "?"
            records.append(MergeRecord(uuid.UUID(entry_id), source, datetime.fromisoformat(merged_at)))
        return records

    def copy_as(self, out: Path | str, *, passphrase: str | None = None) -> None:
        """Write every entry to a new journal OUT, re-encoded: with PASSPHRASE it is encrypted,
        without it plain ("Set passphrase…", "Remove passphrase…"). The same journal and entries;
        a new hash chain over the new bytes. ``export_copy`` copies the bytes as they are."""
        out = Path(out)
        if out.exists():
            raise InvalidEntry(f"{out}: a file with that name already exists; choose another name",
                               field="path")
        with JournalApp.create_from(out, self._log, passphrase=passphrase):
            pass

    def append(self, events: Iterable[EntryEvent]) -> int:
        """Store already-decided events (an import) in one transaction; returns the count."""
        batch = list(events)
        if batch:
            self._store(batch)
        return len(batch)

    def _store(self, events: list[EntryEvent], **save_kwargs: Any) -> None:
        journal = self.journal  # read before anything is written (a deferred log, see open)
        if self.integrity_problem:
            # Writing would extend the chain on top of the damage and hide where it starts.
            raise FailedVerification(f"{self.path} fails verification, so nothing was written to it: "
                                     f"{self.integrity_problem.removeprefix(f'{self.path}: ')}")
        if self.readonly:
            raise ReadOnlyJournal(f"{self.path}: the journal is open for reading only")
        if self.reviewer is not None and "merges" not in save_kwargs:
            self._check_review_entries(events)
        # The recorder's public ``insert_events``, as ``Application.save`` ends up doing: these
        # are already events (no aggregates to collect, cache or snapshot), and save()'s
        # runtime-Protocol check of each one (~14 µs an event) was a third of a 10-year import.
        with collector_paused():  # an import stores ~36,000 events at once (see domain.collector)
            self.recorder.insert_events([self.mapper.to_stored_event(e) for e in events], **save_kwargs)
            # Already checked: decided by a RecoveryJournal (commands, import, the desktop) or read
            # from a file that was checked entry by entry (merge, copy_as).
            journal.extend(events)
            self._log.extend(events)
        for listener in list(self._listeners):
            listener(events)


def _keyed(info: FileInfo) -> bool:
    from domain.encryption import CHAIN_META, KEYED_CHAIN

    return info.meta.get(CHAIN_META) == KEYED_CHAIN


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass
