"""The decoder used when a journal opens gives exactly what eventsourcing's mapper gives, for
every event type, plain and encrypted, and for stored states it does not expect."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

import domain.encryption as enc
from benchmarks.generate import generate, to_lines
from domain.application import JournalApp
from domain.events import EVENT_TYPES
from domain.interchange import parse_lines
from domain.journal import RecoveryJournal
from domain.storage import SELECT_ROWS, StateDecoder


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enc, "DEFAULT_PARAMS", enc.ScryptParams(n=2 ** 10, r=8, p=1))


def same(a: Any, b: Any, *, ordered: bool = True) -> None:
    assert type(a) is type(b)
    assert list(a.__dict__) == list(b.__dict__) if ordered else set(a.__dict__) == set(b.__dict__)
    for key, value in a.__dict__.items():
        assert value == b.__dict__[key] and type(value) is type(b.__dict__[key]), key
    assert a == b


def rows(path: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as conn:
        return list(conn.execute(SELECT_ROWS).fetchall())


@pytest.mark.parametrize("passphrase", [None, "a passphrase"])
def test_every_type_decodes_as_the_mapper_does(tmp_path: Path, passphrase: str | None) -> None:
    events = parse_lines(list(to_lines(generate(0.4, seed=5))), RecoveryJournal(), source="generated")
    path = tmp_path / "j.sciatica"
    with JournalApp.create_from(path, events, passphrase=passphrase):
        pass
    with JournalApp.open(path, readonly=True, passphrase=passphrase) as app:
        decoder = StateDecoder(app.mapper)
        seen = set()
        for _, oid, version, topic, state in rows(path):
            fast = decoder._fast(oid, version, topic, state)
            assert fast is not None, topic  # the fast path handles everything the app writes
            same(fast, app.mapper.to_domain_event(StoredEvent(oid, version, topic, state)))
            seen.add(type(fast))
        assert seen == set(EVENT_TYPES.values())
        for mine, loaded in zip(events, app.entries(), strict=True):
            same(mine, loaded, ordered=False)  # built by the constructor: keys in another order


@pytest.mark.parametrize("state", [
    # "_type_" where the app never puts it: the mapper converts it, so the decoder hands it over.
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00+00:00"},"observed_at":'
    b'{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00"},"author_role":"patient","author_name":"A",'
    b'"note":{"_type_":"uuid_hex","_data_":"1c4dff112e9b4920a74d8d0e01bd41ae"},"text":"x"}',
    # The same key spelled with an escape.
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00+00:00"},"observed_at":'
    b'{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00"},"author_role":"patient","author_name":"A",'
    b'"note":{"\\u005ftype_":"uuid_hex","_data_":"1c4dff112e9b4920a74d8d0e01bd41ae"},"text":"x"}',
    # A date stored as plain text, a typed value with a third key, a class version.
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00+00:00"},"observed_at":"2026-01-13",'
    b'"author_role":"patient","author_name":"A","note":null,"text":"x"}',
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00+00:00","x":1},"observed_at":'
    b'{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00"},"author_role":"patient","author_name":"A",'
    b'"note":null,"text":"x"}',
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00+00:00"},"observed_at":'
    b'{"_type_":"datetime_iso","_data_":"2026-01-13T08:00:00"},"author_role":"patient","author_name":"A",'
    b'"note":null,"text":"x","class_version":1}',
])
def test_unexpected_states_decode_as_the_mapper_does(tmp_path: Path, state: bytes) -> None:
    path = tmp_path / "j.sciatica"
    with JournalApp.create(path, patient="A", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12") as app:
        decoder = StateDecoder(app.mapper)
        oid = uuid.uuid4().hex
        same(decoder.event(oid, 1, "domain.events:NoteAdded", state),
             app.mapper.to_domain_event(StoredEvent(oid, 1, "domain.events:NoteAdded", state)))


@pytest.mark.parametrize(("topic", "state"), [
    ("domain.events:Nonsense", b"{}"),
    ("domain.events:NoteAdded", b"not json"),
    ("domain.events:NoteAdded", b'{"timestamp":{"_type_":"nonsense_type","_data_":"x"}}'),
    ("domain.events:NoteAdded", b'{"timestamp":{"_type_":"datetime_iso","_data_":12}}'),
    ("domain.events:NoteAdded", "text, not bytes"),
])
def test_undecodable_states_raise_what_the_mapper_raises(tmp_path: Path, topic: str, state: Any) -> None:
    path = tmp_path / "j.sciatica"
    with JournalApp.create(path, patient="A", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12") as app:
        decoder = StateDecoder(app.mapper)
        oid = uuid.uuid4().hex
        with pytest.raises(Exception) as expected:
            app.mapper.to_domain_event(StoredEvent(oid, 1, topic, state))
        with pytest.raises(type(expected.value)):
            decoder.event(oid, 1, topic, state)
