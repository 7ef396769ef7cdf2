"""The stored start-up checkpoint (``desktop.session.checkpoint``): what an open built from a
journal's bytes stands in for reading, checking and replaying the very same bytes on the next
open, gives exactly what a full open gives, and is ignored whenever it might not describe the
file (a changed, tampered or foreign file, other code, an encrypted journal)."""

from __future__ import annotations

import io
import pickle
import sqlite3
import threading
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.session import CheckpointStore, EntryKind, JournalSession, PainRating, open_session
from desktop.session import checkpoint as checkpoint_module
from desktop.session.checkpoint import MAGIC, file_digest, wait_for_writes
from domain.application import JournalApp
from domain.copies import verify_journal
from projections.stage import Stage
from projections.timeline import Timeline
from tests.desktop import checkpoint_fixtures
from tests.desktop.checkpoint_fixtures import ENTRIES

# The shared fixtures, used here under their own names.
checkpoints_for_short_journals = checkpoint_fixtures.checkpoints_for_short_journals
journal = checkpoint_fixtures.journal
store = checkpoint_fixtures.store


def close(session: JournalSession) -> None:
    """Close as the window does, and wait for the checkpoint written off the UI thread."""
    session.close()
    wait_for_writes()


def _shown_and_closed(path: Path, store: CheckpointStore) -> None:
    """One open as the window does it: the series and today's status drawn, then closed."""
    session = open_session(path, checkpoints=store)
    assert session.timeline.series(None).stages  # every day evaluated
    session.status()
    close(session)


def _full(path: Path) -> tuple[object, object]:
    """The series and today's status of a full open and replay, without any checkpoint."""
    with JournalApp.open(path, readonly=True) as app:
        timeline = Timeline(app.entries())
        return timeline.series(None), timeline.status_at(date.today())


def _no_full_read(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was read and replayed in full")

    monkeypatch.setattr(JournalApp, "_load", refuse)


def test_the_next_open_of_the_same_bytes_stands_in_for_the_read_and_shows_the_same(journal, store, monkeypatch):
    _shown_and_closed(journal, store)
    with JournalApp.open(journal, readonly=True) as full:
        entries, aggregate = full.entries(), dict(full.journal.entries)
    series, status = _full(journal)
    _no_full_read(monkeypatch)
    session = open_session(journal, checkpoints=store)
    try:
        assert session.from_checkpoint
        assert session.app.entries() == entries
        assert dict(session.app.journal.entries) == aggregate
        assert session.timeline.series(None) == series  # every curve and every stage band
        assert session.status() == status
        assert session.observed_range() == (min(e.observed_at for e in entries).date(),
                                            max(e.observed_at for e in entries).date())
        assert session.recorded_moments() == sorted(e.recorded_at for e in entries)
        assert session.latest([EntryKind.PAIN], 3) == sorted(
            (e for e in entries if e.type_name() == EntryKind.PAIN), key=lambda e: e.recorded_at)[-3:][::-1]
    finally:
        close(session)


def test_a_save_after_a_checkpointed_start_extends_the_real_file_and_its_chain(journal, store):
    _shown_and_closed(journal, store)
    session = open_session(journal, checkpoints=store)
    assert session.from_checkpoint
    last = max(e.observed_at for e in session.app.entries())
    (saved,) = session.check_in(last + timedelta(hours=2), [], PainRating(leg=4, back=2))
    target = session.latest([EntryKind.PAIN])[0]
    session.correct(target.entry_id, {"leg": 3, "back": 2}, "typed the wrong number")
    session.retract(saved, "a second correction was simpler")
    close(session)
    check = verify_journal(journal, deep=True)
    assert check.problem is None and check.entries == 349
    with JournalApp.open(journal, readonly=True) as app:
        assert app.integrity_problem is None
        assert [e.type_name() for e in app.entries()[-3:]] == ["PainRated", "EntryCorrected", "EntryRetracted"]
    # The bytes as closed were read again in full before their checkpoint was kept.
    again = open_session(journal, checkpoints=store)
    try:
        assert again.from_checkpoint
        assert again.timeline.series(None) == _full(journal)[0]
        assert len(again.app.entries()) == 349
    finally:
        close(again)


def tamper(journal: Path) -> None:
    """Edit one entry behind the app's back (its chain link no longer matches)."""
    with closing(sqlite3.connect(journal)) as conn, conn:
        rowid, state = conn.execute("SELECT rowid, state FROM stored_events ORDER BY rowid DESC LIMIT 1").fetchone()
        changed = bytes(state).replace(b'"author_name":"', b'"author_name":"Someone else, not ', 1)
        assert changed != bytes(state)
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (changed, rowid))


def test_a_tampered_file_with_a_stale_checkpoint_is_refused(journal, store):
    _shown_and_closed(journal, store)
    tamper(journal)
    session = open_session(journal, checkpoints=store)
    try:
        assert not session.from_checkpoint
        assert session.integrity_problem
        assert session.readonly
    finally:
        close(session)


def test_a_file_tampered_while_it_is_open_gets_no_checkpoint_for_its_new_bytes(journal, store):
    """The bytes as closed differ from those verified at the open: they are read again in
    full, and a checkpoint is kept only if they hold exactly the session's entries."""
    _shown_and_closed(journal, store)
    session = open_session(journal, checkpoints=store)
    assert session.from_checkpoint
    tamper(journal)
    close(session)
    again = open_session(journal, checkpoints=store)
    try:
        assert not again.from_checkpoint
        assert again.integrity_problem
    finally:
        close(again)


def test_a_file_changed_outside_the_app_is_read_in_full(journal, store):
    _shown_and_closed(journal, store)
    with JournalApp.open(journal) as app:  # another program (or an older copy of the app)
        first = min(e.observed_at for e in app.entries())
        app.rate_pain(first + timedelta(days=3, hours=2), leg=9, back=9)
    session = open_session(journal, checkpoints=store)
    try:
        assert not session.from_checkpoint
        assert len(session.app.entries()) == 347
        assert session.timeline.series(None) == _full(journal)[0]
    finally:
        close(session)


def test_another_app_or_rule_version_ignores_the_checkpoint(journal, store, monkeypatch):
    _shown_and_closed(journal, store)
    checkpoint_module.code_version.cache_clear()
    monkeypatch.setattr(checkpoint_module, "__version__", "99.0.0")
    try:
        session = open_session(journal, checkpoints=store)
        assert not session.from_checkpoint
        close(session)
    finally:
        checkpoint_module.code_version.cache_clear()


def test_without_the_rule_sources_no_checkpoint_is_written_or_used(journal, store, monkeypatch):
    """A bundle without the sources could keep its version across a rule change: no checkpoint."""
    _shown_and_closed(journal, store)
    monkeypatch.setattr(checkpoint_module, "code_version", lambda: None)
    session = open_session(journal, checkpoints=store)
    assert not session.from_checkpoint
    store.file_for(journal).unlink()
    close(session)
    assert not store.file_for(journal).exists()


def _with_header(store: CheckpointStore, journal: Path, body: bytes) -> bytes:
    """BODY behind a header that matches JOURNAL's bytes and this code (so it is read)."""
    header = (b'{"format": %d, "code": "%s", "file": "%s", "entries": 346}'
              % (checkpoint_module.FORMAT, checkpoint_module.code_version().encode(), file_digest(journal).encode()))
    return MAGIC + len(header).to_bytes(4, "big") + header + body


@pytest.mark.parametrize("kind", ["garbage", "truncated", "old format", "header only", "other pickle",
                                  "runs code"])
def test_a_corrupt_or_foreign_checkpoint_is_ignored_silently(journal, store, kind, caplog, tmp_path):
    _shown_and_closed(journal, store)
    file = store.file_for(journal)
    marker = tmp_path / "ran"
    content = {
        "garbage": b"not a checkpoint at all",
        "truncated": file.read_bytes()[: file.stat().st_size // 2],
        "old format": b'{"format": 1, "days": {}}',
        "header only": _with_header(store, journal, b""),
        "other pickle": _with_header(store, journal, pickle.dumps(1) + pickle.dumps(["not", "entries"])),
        # A pickle that would run a shell command if any callable could be named.
        "runs code": _with_header(store, journal, b"cos\nsystem\n(S'touch " + str(marker).encode() + b"'\ntR."),
    }[kind]
    file.write_bytes(content)
    session = open_session(journal, checkpoints=store)
    try:
        assert not session.from_checkpoint
        assert session.timeline.series(None) == _full(journal)[0]
        assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
        assert not marker.exists()
    finally:
        close(session)


def test_an_encrypted_journal_never_writes_or_reads_a_checkpoint(tmp_path, store):
    path = tmp_path / "locked.sciatica"
    start = datetime(2026, 10, 1, 9, 0)
    with JournalApp.create(path, patient="P", affected_side="left", onset_date="2026-09-20",
                           observed_at=start, passphrase="river stone") as app:
        for n in range(6):
            app.rate_pain(start + timedelta(days=n), leg=6 - n, back=2)
    session = open_session(path, passphrase="river stone", checkpoints=store)
    assert session.timeline.series(None).stages
    close(session)
    assert not store.file_for(path).exists()
    assert not store.folder.exists() or not any(store.folder.iterdir())


def test_review_mode_neither_reads_nor_writes_one(journal, store):
    session = open_session(journal, therapist="J. Rivera, PT", checkpoints=store)
    session.timeline.series(None)
    close(session)
    assert not store.file_for(journal).exists()


def test_a_short_journal_gets_none(journal, store, monkeypatch):
    monkeypatch.setattr(checkpoint_module, "MIN_ENTRIES", 1000)
    _shown_and_closed(journal, store)
    assert not store.file_for(journal).exists()


def test_the_checkpoint_names_the_journal_only_by_a_digest_and_is_private(journal, store):
    _shown_and_closed(journal, store)
    (written,) = store.folder.iterdir()
    assert "classic" not in written.name
    assert written.stat().st_mode & 0o077 == 0  # readable by the user only
    assert store.folder.stat().st_mode & 0o077 == 0


def test_only_the_newest_few_are_kept(tmp_path, journal, store):
    paths = []
    for n in range(checkpoint_module.KEEP + 2):
        copy = tmp_path / f"copy{n}.sciatica"
        copy.write_bytes(journal.read_bytes())
        _shown_and_closed(copy, store)
        paths.append(copy)
    kept = sorted(p.name for p in store.folder.iterdir())
    assert len(kept) == checkpoint_module.KEEP
    assert kept == sorted(store.file_for(p).name for p in paths[-checkpoint_module.KEEP:])
    (store.folder / "0123.json").write_text("{}")  # a checkpoint of the earlier format
    _shown_and_closed(journal, store)
    assert not (store.folder / "0123.json").exists()


def test_an_unchanged_checkpointed_session_does_not_write_again(journal, store):
    _shown_and_closed(journal, store)
    file = store.file_for(journal)
    before = file.stat().st_mtime_ns
    _shown_and_closed(journal, store)
    assert file.stat().st_mtime_ns == before


def test_the_journal_can_be_opened_again_while_its_checkpoint_is_still_being_written(journal, store, monkeypatch):
    """Quitting after a first (full) open writes the checkpoint after the window has closed
    (seconds on a long journal): the journal's lock is released first, so a start of the app
    meanwhile opens it (in full: there is no checkpoint yet), never "open elsewhere"."""
    writing, finish = threading.Event(), threading.Event()
    build_face = checkpoint_module.build_face

    def slow_build(*args: object) -> object:
        writing.set()
        assert finish.wait(20)
        return build_face(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(checkpoint_module, "build_face", slow_build)
    session = open_session(journal, checkpoints=store)
    session.close()
    try:
        assert writing.wait(20)
        with JournalApp.open(journal) as again:  # what another start of the app does first: the lock
            assert len(again.entries()) == ENTRIES
    finally:
        finish.set()
        wait_for_writes()
    assert store.file_for(journal).exists()


def test_a_checkpoint_written_meanwhile_for_the_same_bytes_is_not_written_again(journal, store, monkeypatch):
    """Two starts of the app on the same bytes (the second one started while the first was
    still writing, so it read the file in full): the second quit finds the first one's
    checkpoint for these bytes, written today, and does not evaluate every stage day again."""
    _shown_and_closed(journal, store)
    file = store.file_for(journal)
    before = file.stat().st_mtime_ns
    built: list[object] = []
    monkeypatch.setattr(checkpoint_module, "build_face", lambda *args: built.append(args))
    full = open_session(journal)  # no store: read in full, as a start that found no checkpoint
    try:
        state = checkpoint_module.SessionState(full.app.journal, full.app.entries(), full.timeline, full.index)
        store.store(journal, checkpoint_module.FileState(file_digest(journal), ENTRIES), state)
    finally:
        full.close()
    assert not built and file.stat().st_mtime_ns == before


def test_a_session_without_a_store_behaves_as_before(journal, store):
    with JournalApp.open(journal) as app:
        session = JournalSession(app)
        assert not session.from_checkpoint
        session.close()
    wait_for_writes()
    assert not store.folder.exists()


@pytest.mark.parametrize(("module", "name"), [("os", "system"), ("builtins", "eval"), ("subprocess", "Popen"),
                                              ("desktop.session.checkpoint", "Path"),  # imported there
                                              ("desktop.session.checkpoint", "pickle"),
                                              ("projections.timeline", "bisect")])
def test_the_reader_resolves_nothing_but_the_read_models_classes(module, name):
    reader = checkpoint_module._Unpickler(io.BytesIO(b""))
    with pytest.raises(pickle.UnpicklingError):
        reader.find_class(module, name)
    assert reader.find_class("projections.timeline", "Timeline") is Timeline
    member = reader.find_class("builtins", "getattr")
    assert member(Stage, "ACUTE") is Stage.ACUTE
    with pytest.raises(pickle.UnpicklingError):
        member(Stage, "__class__")
    with pytest.raises(pickle.UnpicklingError):
        member(JournalApp, "open")  # not an enum, nor a read model's bound method


def test_the_installed_bundle_is_versioned_by_its_executable(tmp_path, monkeypatch):
    """The bundle has no sources; its executable carries the compiled code, so a rebuilt one
    (even of the same version) ignores the old checkpoints, and the same one keeps them."""
    executable = tmp_path / "sciatica"
    executable.write_bytes(b"bundle one")
    monkeypatch.setattr(checkpoint_module.sys, "frozen", True, raising=False)
    monkeypatch.setattr(checkpoint_module.sys, "executable", str(executable))
    checkpoint_module.code_version.cache_clear()
    try:
        first = checkpoint_module.code_version()
        assert first is not None
        checkpoint_module.code_version.cache_clear()
        assert checkpoint_module.code_version() == first
        executable.write_bytes(b"bundle two")
        checkpoint_module.code_version.cache_clear()
        assert checkpoint_module.code_version() not in (None, first)
        executable.unlink()
        checkpoint_module.code_version.cache_clear()
        assert checkpoint_module.code_version() is None
    finally:
        checkpoint_module.code_version.cache_clear()
