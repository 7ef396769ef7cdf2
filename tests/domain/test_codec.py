"""How entries are stored (``domain.codec``): every type round-trips exactly, plain and encrypted;
entries in the earlier format (eventsourcing's ``{"_type_": …}`` JSON) read as eventsourcing's own
mapper reads them; a state neither format reads is refused.

(Replaces the tests of the hand-written ``StateDecoder``, removed by issue 13: the codec is now
registered through eventsourcing's public Transcoder/Mapper extension points.)"""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import Mapper, StoredEvent

import domain.encryption as enc
from benchmarks.generate import generate, to_lines
from domain.application import JournalApp
from domain.codec import legacy_transcoder
from domain.events import EVENT_TYPES
from domain.interchange import parse_lines
from domain.journal import RecoveryJournal
from domain.storage import SELECT_ROWS


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enc, "DEFAULT_PARAMS", enc.ScryptParams(n=2 ** 10, r=8, p=1))


def same(a: Any, b: Any) -> None:
    assert type(a) is type(b)
    assert set(a.__dict__) == set(b.__dict__)
    for key, value in a.__dict__.items():
        assert value == b.__dict__[key] and type(value) is type(b.__dict__[key]), key
    assert a == b


def rows(path: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute(SELECT_ROWS).fetchall())


@pytest.mark.parametrize("passphrase", [None, "a passphrase"])
def test_every_type_round_trips_exactly(tmp_path: Path, passphrase: str | None) -> None:
    events = parse_lines(list(to_lines(generate(0.4, seed=5))), RecoveryJournal(), source="generated")
    path = tmp_path / "j.sciatica"
    with JournalApp.create_from(path, events, passphrase=passphrase):
        pass
    with JournalApp.open(path, readonly=True, passphrase=passphrase) as app:
        assert {type(e) for e in app.entries()} == set(EVENT_TYPES.values())
        for mine, loaded in zip(events, app.entries(), strict=True):
            same(mine, loaded)
    if passphrase is None:
        # Plain JSON, no eventsourcing type wrappers: what the typed decoder reads in C.
        assert all(b'"_type_"' not in bytes(state) for *_, state in rows(path))


LEGACY_NOTE = (b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00+00:00"},"observed_at":'
               b'{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00"},"author_role":"patient",'
               b'"author_name":"A","note":null,"text":"x"}')
LEGACY_CORRECTION = (
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-14T08:00:00+00:00"},"observed_at":'
    b'{"_type_":"datetime_iso","_data_":"2026-01-14T08:00:00"},"author_role":"patient","author_name":"A",'
    b'"note":null,"target":{"_type_":"uuid_hex","_data_":"1c4dff112e9b4920a74d8d0e01bd41ae"},'
    b'"replacement":{"observed_at":{"_type_":"datetime_iso","_data_":"2026-01-13T09:00:00"},"text":"y",'
    b'"note":null},"reason":"typo"}')


@pytest.mark.parametrize(("topic", "state"), [
    ("domain.events:NoteAdded", LEGACY_NOTE),
    ("domain.events:EntryCorrected", LEGACY_CORRECTION),
])
def test_entries_of_the_earlier_format_read_as_eventsourcings_mapper_reads_them(
        tmp_path: Path, topic: str, state: bytes) -> None:
    path = tmp_path / "j.sciatica"
    with JournalApp.create(path, patient="A", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12") as app:
        oid = uuid.uuid4().hex
        stored = StoredEvent(oid, 1, topic, state)
        same(app.mapper.to_domain_event(stored), Mapper(legacy_transcoder()).to_domain_event(stored))


@pytest.mark.parametrize(("topic", "state"), [
    ("domain.events:Nonsense", b"{}"),
    ("domain.events:NoteAdded", b"not json"),
    ("domain.events:NoteAdded", b'{"timestamp":{"_type_":"nonsense_type","_data_":"x"}}'),
    ("domain.events:NoteAdded", b'{"timestamp":{"_type_":"datetime_iso","_data_":12}}'),
    ("domain.events:NoteAdded", b"[1, 2]"),
])
def test_undecodable_states_are_refused(tmp_path: Path, topic: str, state: Any) -> None:
    path = tmp_path / "j.sciatica"
    with JournalApp.create(path, patient="A", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12") as app, pytest.raises(Exception):  # noqa: B017
        app.mapper.to_domain_event(StoredEvent(uuid.uuid4().hex, 1, topic, state))


def test_the_recorder_keeps_eventsourcings_public_recorder_contract(tmp_path: Path) -> None:
    """The notification log and the event store, eventsourcing's public readers, read what the
    app stored through its own recorder."""
    path = tmp_path / "j.sciatica"
    with JournalApp.create(path, patient="A", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12") as app:
        note = app.add_note("2026-01-13", "hello")
        notifications = app.notification_log.select(start=1, limit=10)
        assert [n.id for n in notifications] == [1, 2]
        events = [app.mapper.to_domain_event(n) for n in notifications]
        assert events == app.entries()
        assert list(app.events.get(note)) == [app.entry(note)]
        assert app.recorder.max_notification_id() == 2
        assert [n.id for n in app.recorder.select_notifications(2, 5)] == [2]
