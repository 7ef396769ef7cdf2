"""Copies of a journal: a consistent copy while it is open, merging copies, and verifying one.

See ``docs/sharing.md``. ``export_copy`` copies the file's bytes as they are (an encrypted
journal stays encrypted, with the same passphrase); ``merge_files`` is the CLI's ``merge``;
``verify_journal`` is ``sciatica verify``.
"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from domain.chain import find_chain_problem
from domain.collector import collector_paused
from domain.encryption import CHAIN_META, KEYED_CHAIN
from domain.errors import DiskFull, InvalidEntry, JournalError, NotAJournal
from domain.outputs import check_output, publish_new, write_failed
from domain.recorder import JournalRecorder, connect
from domain.storage import FILE_ID, META_TABLE, inspect_file, stray_wal_problem
from domain.verify_spans import EntrySpec, quick_check


def snapshot(path: Path, out: Path) -> None:
    """Copy PATH to OUT (which must not exist) with SQLite's online backup API: a consistent
    snapshot including what another process still holds in the WAL."""
    with closing(connect(path, readonly=True)) as src, closing(sqlite3.connect(out)) as dst:
        src.backup(dst)
        # Same journal mode as a journal the app creates, so opening the copy to write later
        # does not have to switch modes (which would rewrite header bytes of the file).
        dst.execute("PRAGMA journal_mode=WAL")


def export_copy(path: Path, out: Path) -> None:
    """Write a consistent copy of PATH to OUT with SQLite's online backup API.

    Safe while another process has the journal open: the backup reads a consistent
    snapshot including what is still in the WAL, which a plain file copy would miss.
    The copy keeps the journal id (it is the same journal) and its hash chain.
    """
    path, out = Path(path), Path(out)
    inspect_file(path)
    if out.exists():
        raise InvalidEntry(f"{out}: a file with that name already exists; choose another name")
    check_output(path, out)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:12]}.part")
    try:
        try:
            snapshot(path, tmp)
            # The same journal, another file: its own file id (see ``stray_wal_problem``).
            with closing(sqlite3.connect(tmp)) as conn, conn:
                conn.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES (?, ?)", (FILE_ID, uuid.uuid4().hex))
        except sqlite3.DatabaseError as exc:
            if "full" in str(exc).lower():
                raise DiskFull(f"{out}: the disk is full, so no copy was written") from None
            raise NotAJournal(f"{path}: the journal cannot be copied ({exc})") from None
        publish_new(tmp, out)  # a file that appeared at OUT meanwhile is never replaced
    except OSError as exc:
        raise write_failed(out, exc) from None
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{tmp}{suffix}").unlink(missing_ok=True)


def merge_files(path: Path, other: Path, *, passphrase: str | None = None,
                other_passphrase: str | None = None) -> str:
    """``sciatica merge FILE OTHER``: record in PATH every entry of OTHER that PATH lacks.

    Returns the report sentence. PATH is opened with its lock; OTHER is read from a snapshot
    and may be open elsewhere. MergeRefused (PATH unchanged byte for byte) for another
    journal's file, a non-journal, or a copy that fails verification.
    """
    from domain.application import JournalApp, read_copy

    path, other = Path(path), Path(other)
    info = inspect_file(path)
    if info.journal_id is None:
        raise NotAJournal(f"{path}: the journal has no journal id")
    # Check OTHER before FILE is opened for writing, so a refusal leaves FILE untouched.
    theirs = read_copy(other, info.journal_id, passphrase=other_passphrase)
    with JournalApp.open(path, passphrase=passphrase) as app:
        return app.merge_entries(theirs, other).sentence()


@dataclass(frozen=True)
class Verification:
    """The outcome of ``verify_journal``."""

    problem: str | None  # the first problem, one sentence naming the file and entry
    entries: int  # how many entries were checked
    decrypted: bool  # whether the contents were read too (False: encrypted, no passphrase)
    chain_checked: bool = True  # False: a keyed chain, and no passphrase to check it with

    def sentence(self) -> str:
        if self.problem:
            return self.problem
        if not self.chain_checked:
            return (f"{self.entries} entries found, not verified: the journal is encrypted and its hash "
                    "chain is keyed by the passphrase; give the passphrase to verify it")
        if self.decrypted:
            return f"{self.entries} entries verified"
        return (f"{self.entries} entries verified (hash chain only: the contents are encrypted and "
                "were not read without the passphrase)")


def verify_journal(path: Path, *, passphrase: str | None = None, decrypt: bool = True,
                   deep: bool = False) -> Verification:
    """Check PATH's hash chain (no passphrase needed), then that every entry reads.

    For an encrypted journal the contents are read only when a passphrase is given or can be
    obtained (``SCIATICA_PASSPHRASE`` or the terminal) and DECRYPT is true.

    The chain is walked and every entry decoded and checked in one streamed pass, without
    building the journal, a long log in parts on several cores (``domain.verify_spans``); when
    the chain holds end to end and every entry passes (see ``EntryCheck``), that is the
    verdict. Anything that fails, or DEEP, opens the journal in full as ``JournalApp.open``
    does (which names what is wrong, and checks each correction against the entry it corrects).
    """
    from domain.application import JournalApp

    path = Path(path)
    info = inspect_file(path)
    stray = stray_wal_problem(path, info.meta)
    if stray:
        return Verification(stray, 0, False)
    key = None
    if info.encrypted and decrypt:
        from domain.encryption import PassphraseNeeded, passphrase_for, unlock

        try:
            passphrase = passphrase if passphrase is not None else passphrase_for(path)
            key = unlock(info.meta, passphrase, path)
        except PassphraseNeeded:
            key = None
    keyed = info.meta.get(CHAIN_META) == KEYED_CHAIN
    chain_key = key.chain_key() if keyed and key is not None else None
    read = key is not None or not info.encrypted
    try:
        if keyed and key is None:
            with closing(JournalRecorder(path, readonly=True)) as recorder:
                return Verification(None, recorder.count_events(), False, chain_checked=False)
        spec = EntrySpec(info.meta.get("journal_id"), key, bound=keyed) if read else None
        with collector_paused():
            quick = quick_check(path, chain_key, spec)
        count, entries_hold = quick.count, quick.entries_hold
        if not quick.holds:
            # Not vouched for in one pass: the whole log, link by link, names the first break.
            with closing(JournalRecorder(path, readonly=True)) as recorder:
                log = recorder.read_log()
            count, entries_hold = len(log.rows), False
            problem = find_chain_problem(log, chain_key)
            if problem is not None:
                reader = key.payload_reader(keyed) if key is not None else None
                return Verification(problem.describe(path, reader), 0, key is not None)
    except JournalError as exc:
        raise NotAJournal(f"{path}: the journal is damaged and cannot be read ({exc})") from None
    except UnicodeDecodeError:  # a damaged page can hold text that is not UTF-8
        raise NotAJournal(f"{path}: the journal is damaged and cannot be read (text that is not UTF-8)") from None
    if not read:
        return Verification(None, count, False)
    if not deep and entries_hold:
        return Verification(None, count, True)
    try:
        with JournalApp.open(path, readonly=True, passphrase=passphrase, check_entries=True) as app:
            if app.integrity_problem:
                return Verification(app.integrity_problem, 0, True)
            return Verification(None, len(app.entries()), True)
    except JournalError as exc:
        if type(exc).__name__ in ("WrongPassphrase", "PassphraseNeeded"):
            raise
        return Verification(str(exc), 0, True)
