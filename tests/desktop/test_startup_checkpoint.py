"""The stored start-up checkpoint (``desktop.session.checkpoint``): the stage days evaluated on
one open are reused by the next open of the same, unchanged file, give exactly what a full
evaluation gives, and are ignored whenever they might not describe the file."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.session import CheckpointStore, JournalSession, open_session
from desktop.session import checkpoint as checkpoint_module
from domain.application import JournalApp
from projections.timeline import Timeline

JOURNEY = Path(__file__).resolve().parents[1] / "journeys" / "classic_recovery.jsonl"


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "classic.sciatica"
    assert cli_main(["import", str(path), str(JOURNEY)]) == 0
    return path


@pytest.fixture
def store(tmp_path: Path) -> CheckpointStore:
    return CheckpointStore(tmp_path / "cache")


def _evaluate_and_close(path: Path, store: CheckpointStore) -> dict[date, str]:
    """One open as the window does it: every stage day evaluated, then closed (it stores them)."""
    session = open_session(path, checkpoints=store)
    series = session.timeline.series(None)
    assert series.stages  # every day evaluated
    days = session.timeline.known_stages()
    session.close()
    return days


def _full(path: Path) -> tuple[object, object]:
    """The series and today's status of a full evaluation, without any checkpoint."""
    with JournalApp.open(path, readonly=True) as app:
        timeline = Timeline(app.entries())
        return timeline.series(None), timeline.status_at(date.today())


def test_the_next_open_of_the_same_file_reuses_the_stage_days_and_shows_the_same(journal, store):
    days = _evaluate_and_close(journal, store)
    assert len(days) > 30
    session = open_session(journal, checkpoints=store)
    try:
        assert session.timeline.known_stages() == days  # nothing evaluated yet: all from the checkpoint
        series, status = _full(journal)
        assert session.timeline.series(None) == series  # every curve and every stage band
        assert session.timeline.status_at(date.today()) == status
    finally:
        session.close()


def test_a_file_changed_outside_the_app_ignores_the_checkpoint(journal, store):
    _evaluate_and_close(journal, store)
    with JournalApp.open(journal) as app:  # another program (or an older copy of the app)
        first = min(e.observed_at for e in app.entries())
        app.rate_pain(first + timedelta(days=3, hours=2), leg=9, back=9)
    session = open_session(journal, checkpoints=store)
    try:
        assert session.timeline.known_stages() == {}
        assert session.timeline.series(None) == _full(journal)[0]
    finally:
        session.close()


def test_a_save_in_the_session_stores_a_checkpoint_for_the_file_as_closed(journal, store):
    _evaluate_and_close(journal, store)
    session = open_session(journal, checkpoints=store)
    assert session.timeline.series(None).stages
    last = max(e.observed_at for e in session.app.entries())
    session.app.rate_pain(last + timedelta(hours=1), leg=8, back=2)
    assert session.timeline.series(None).stages  # the days after the change evaluated again
    session.close()
    again = open_session(journal, checkpoints=store)
    try:
        assert again.timeline.known_stages()
        assert again.timeline.series(None) == _full(journal)[0]
    finally:
        again.close()


def test_another_app_or_rule_version_ignores_the_checkpoint(journal, store, monkeypatch):
    _evaluate_and_close(journal, store)
    checkpoint_module.code_version.cache_clear()
    monkeypatch.setattr(checkpoint_module, "__version__", "99.0.0")
    try:
        session = open_session(journal, checkpoints=store)
        assert session.timeline.known_stages() == {}
        session.close()
    finally:
        checkpoint_module.code_version.cache_clear()


def test_without_the_rule_sources_no_checkpoint_is_written_or_used(journal, store, monkeypatch):
    """A bundle without the sources could keep its version across a rule change: no checkpoint."""
    _evaluate_and_close(journal, store)
    monkeypatch.setattr(checkpoint_module, "code_version", lambda: None)
    session = open_session(journal, checkpoints=store)
    assert session.timeline.known_stages() == {}
    assert session.timeline.series(None).stages
    store.file_for(journal).unlink()
    session.close()
    assert not store.file_for(journal).exists()


@pytest.mark.parametrize("content", [b"not json at all", b'{"format": 1}', b"[]", b"\xff\xfe\x00",
                                     "wrong stage"])
def test_a_corrupt_checkpoint_is_ignored_silently(journal, store, content, caplog):
    _evaluate_and_close(journal, store)
    file = store.file_for(journal)
    if content == "wrong stage":  # right key, a stage the model does not have
        data = json.loads(file.read_bytes())
        data["days"] = {d: "healed" for d in data["days"]}
        file.write_text(json.dumps(data))
    else:
        file.write_bytes(content)
    session = open_session(journal, checkpoints=store)
    try:
        assert session.timeline.known_stages() == {}
        assert session.timeline.series(None) == _full(journal)[0]
        assert not [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    finally:
        session.close()


def test_a_tampered_file_is_still_detected_and_its_checkpoint_not_used(journal, store):
    _evaluate_and_close(journal, store)
    with closing(sqlite3.connect(journal)) as conn, conn:  # edit one entry behind the app's back
        rowid, state = conn.execute("SELECT rowid, state FROM stored_events ORDER BY rowid DESC LIMIT 1").fetchone()
        changed = bytes(state).replace(b'"author_name":"', b'"author_name":"Someone else, not ', 1)
        assert changed != bytes(state)
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (changed, rowid))
    session = open_session(journal, checkpoints=store)
    try:
        assert session.integrity_problem
        assert session.timeline.known_stages() == {}
    finally:
        session.close()


def test_an_encrypted_journal_never_writes_a_checkpoint(tmp_path, store):
    path = tmp_path / "locked.sciatica"
    start = datetime(2026, 10, 1, 9, 0)
    with JournalApp.create(path, patient="P", affected_side="left", onset_date="2026-09-20",
                           observed_at=start, passphrase="river stone") as app:
        for n in range(6):
            app.rate_pain(start + timedelta(days=n), leg=6 - n, back=2)
    session = open_session(path, passphrase="river stone", checkpoints=store)
    assert session.timeline.series(None).stages
    session.close()
    assert not store.file_for(path).exists()
    assert not store.folder.exists() or not any(store.folder.iterdir())


def test_the_checkpoint_names_the_journal_only_by_a_digest(journal, store):
    _evaluate_and_close(journal, store)
    (written,) = store.folder.iterdir()
    assert "classic" not in written.name
    assert written.stat().st_mode & 0o077 == 0  # readable by the user only


def test_a_session_without_a_store_behaves_as_before(journal):
    with JournalApp.open(journal) as app:
        session = JournalSession(app)
        assert session.timeline.known_stages() == {}
        session.store_checkpoint()  # nothing to do, nothing written
