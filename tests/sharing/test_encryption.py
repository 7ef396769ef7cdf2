"""Encryption at rest: nothing readable in the file's bytes; passphrase handling."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

import domain.encryption as enc
from desktop.cli import main
from domain.application import JournalApp
from domain.copies import export_copy, merge_files, verify_journal
from domain.errors import WrongPassphrase
from domain.events import ReviewNoteAdded
from tests.sharing.conftest import PATIENT, Maker, content, effective, record_day, same_state, status_json

SECRET_NOTE = "Kissing my grandson hurt less today"
PASS = "correct horse battery staple"
SECRETS = [PATIENT.encode(), b"Quinlan", SECRET_NOTE.encode(), b"grandson", b"low_back_center",
           b"calf", b"Dr. Ada", b"therapist-secret"]


def _all_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def _fill(app: JournalApp) -> None:
    app.record_symptoms("2026-01-13T08:00", [
        {"region": "low_back_center", "side": "center", "sensation": "pain", "intensity": 4},
        {"region": "calf", "side": "left", "sensation": "tingling", "intensity": 3}], note=SECRET_NOTE)
    app.add_note("2026-01-13T20:00", SECRET_NOTE)
    app.annotate("Dr. Ada Physio", "therapist-secret advice")


def test_encrypted_file_bytes_hold_no_readable_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "secret.sciatica"
    monkeypatch.setenv("SCIATICA_PASSPHRASE", PASS)
    assert main(["new", str(path), "--patient", PATIENT, "--side", "left", "--onset", "2026-01-10",
                 "--encrypt"]) == 0
    assert "encrypted" in capsys.readouterr().out
    monkeypatch.delenv("SCIATICA_PASSPHRASE")
    with JournalApp.open(path, passphrase=PASS) as app:
        assert app.encrypted and app.meta["patient"] == PATIENT and app.identity.patient == PATIENT
        _fill(app)
        while_open = _all_bytes(path)
        assert Path(f"{path}-wal").stat().st_size > 0  # the new entries are in the WAL now
    after_close = _all_bytes(path)
    for blob in (while_open, after_close):
        for secret in SECRETS:
            assert secret not in blob, secret
    with closing(sqlite3.connect(path)) as conn:
        meta = dict(conn.execute("SELECT key, value FROM journal_meta"))
    assert "patient" not in meta and json.loads(meta["kdf"])["name"] == "scrypt"
    assert PASS not in json.dumps(meta)
    with JournalApp.open(path, readonly=True, passphrase=PASS) as app:
        assert [e.type_name() for e in app.entries()] == [
            "JournalStarted", "SymptomsRecorded", "NoteAdded", "ReviewNoteAdded"]
        assert app.entries()[2].text == SECRET_NOTE  # type: ignore[attr-defined]


def test_wrong_or_missing_passphrase_is_refused(make_journal: Maker, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal(passphrase=PASS)
    before = path.read_bytes()
    with pytest.raises(WrongPassphrase, match="wrong passphrase"):
        JournalApp.open(path, passphrase="not it")
    with pytest.raises(enc.PassphraseNeeded, match="SCIATICA_PASSPHRASE"):
        JournalApp.open(path)

    assert main(["history", str(path)]) == 2
    assert capsys.readouterr().err == (f"{path}: the journal is protected with a passphrase; set "
                                       "SCIATICA_PASSPHRASE or run the command in a terminal to type it\n")
    monkeypatch.setenv("SCIATICA_PASSPHRASE", "not it")
    for argv in (["history", str(path)], ["review", str(path), "--therapist", "T", "--note", "n"],
                 ["export", str(path), "--jsonl", str(path.with_suffix(".jsonl"))]):
        assert main(argv) == 2
        assert capsys.readouterr().err == f"{path}: wrong passphrase; the journal was not opened\n"
    assert path.read_bytes() == before
    monkeypatch.setenv("SCIATICA_PASSPHRASE", PASS)
    assert main(["history", str(path)]) == 0


def test_new_encrypt_without_a_passphrase_creates_nothing(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.sciatica"
    assert main(["new", str(path), "--patient", "P", "--side", "left", "--onset", "2026-01-10",
                 "--encrypt"]) == 2
    assert "--encrypt needs a passphrase" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_passphrase_typed_twice_on_a_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    # Phrases of at least MIN_PASSPHRASE characters since issue 14 (a minimum length).
    answers = iter(["one river", "two rivers", "same phrase", "same phrase"])
    monkeypatch.setattr(enc, "_terminal", lambda: True)
    monkeypatch.setattr(enc, "getpass", lambda prompt: next(answers))
    path = tmp_path / "x.sciatica"
    argv = ["new", str(path), "--patient", "P", "--side", "left", "--onset", "2026-01-10", "--encrypt"]
    assert main(argv) == 2
    assert "the two passphrases differ" in capsys.readouterr().err
    assert not path.exists()
    assert main(argv) == 0
    monkeypatch.setattr(enc, "getpass", lambda prompt: "same phrase")
    assert main(["history", str(path)]) == 0


def test_encrypted_journal_round_trips_through_jsonl(make_journal: Maker, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = make_journal(passphrase=PASS)
    with JournalApp.open(path, passphrase=PASS) as app:
        _fill(app)
        pain = app.entries()[1].entry_id
        app.correct(pain, {"leg": 5, "back": 2}, reason="typo")
    monkeypatch.setenv("SCIATICA_PASSPHRASE", PASS)
    out = tmp_path / "out.jsonl"
    assert main(["export", str(path), "--jsonl", str(out)]) == 0
    monkeypatch.delenv("SCIATICA_PASSPHRASE")
    plain = tmp_path / "plain.sciatica"
    assert main(["import", str(plain), str(out)]) == 0
    with JournalApp.open(path, readonly=True, passphrase=PASS) as a, JournalApp.open(plain, readonly=True) as b:
        assert content(a) == content(b)
        assert effective(a.entries()) == effective(b.entries())
        assert status_json(a.entries(), date(2026, 2, 1)) == status_json(b.entries(), date(2026, 2, 1))


def test_copy_verify_and_merge_between_encrypted_and_plain(make_journal: Maker, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    secret = make_journal("secret.sciatica", passphrase=PASS)
    # export --copy copies the bytes as they are: still encrypted, same passphrase.
    copy = tmp_path / "copy.sciatica"
    export_copy(secret, copy)
    assert PATIENT.encode() not in copy.read_bytes()
    # No passphrase: nothing can be checked, as the chain is keyed (issue 14 item 10).
    assert main(["verify", str(copy)]) == 0
    assert "not verified" in capsys.readouterr().out
    assert verify_journal(copy, passphrase=PASS).sentence() == "10 entries verified"

    # A plain copy for the therapist (re-encoded), reviewed and merged back into the encrypted one.
    plain = tmp_path / "plain.sciatica"
    with JournalApp.open(secret, passphrase=PASS) as app:
        app.copy_as(plain)
    assert PATIENT.encode() in plain.read_bytes()
    with JournalApp.open_for_review(plain, "Dr. Ada Physio") as app:
        app.review_note("Dr. Ada says: keep going")
    with JournalApp.open(secret, passphrase=PASS) as app:
        record_day(app, date(2026, 1, 20), 4)
        assert app.merge_from(plain).sentence() == f"1 review note added from {plain}"
        assert [r.source for r in app.merge_records()] == [plain.name]
    assert b"Dr. Ada" not in _all_bytes(secret) and plain.name.encode() not in _all_bytes(secret)

    # CLI merge: FILE encrypted (SCIATICA_PASSPHRASE), OTHER plain; then the other way round.
    monkeypatch.setenv("SCIATICA_PASSPHRASE", PASS)
    assert merge_files(plain, secret) == f"3 entries added from {secret}"
    assert main(["merge", str(secret), str(plain)]) == 0
    assert capsys.readouterr().out == f"Nothing new: {secret} already has every entry of {plain}\n"
    same_state(secret, plain, passphrases=(PASS, None))
    for path in (secret, plain):
        assert verify_journal(path, passphrase=PASS).problem is None
    with JournalApp.open(plain, readonly=True) as app:
        assert any(isinstance(e, ReviewNoteAdded) for e in app.entries())

    # Two encrypted copies with different passphrases.
    other = tmp_path / "other.sciatica"
    with JournalApp.open(plain) as app:
        app.copy_as(other, passphrase="another one")
    with JournalApp.open(other, passphrase="another one") as app:
        app.add_note("2026-01-25", "from the other copy")
    monkeypatch.setenv("SCIATICA_OTHER_PASSPHRASE", "another one")
    assert main(["merge", str(secret), str(other)]) == 0
    assert capsys.readouterr().out == f"1 entry added from {other}\n"
    monkeypatch.setenv("SCIATICA_OTHER_PASSPHRASE", "wrong")
    assert main(["merge", str(secret), str(other)]) == 2
    assert capsys.readouterr().err == f"{other}: wrong passphrase; the journal was not opened\n"


def test_tampered_encrypted_entry_is_named_with_the_passphrase(make_journal: Maker, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 14 item 10 keyed the chain of encrypted journals: the chain (and so a tampered entry)
    # is checked with the passphrase; without it, verify says it could not check anything.
    path = make_journal(passphrase=PASS)
    with closing(sqlite3.connect(path)) as conn, conn:
        state = bytearray(conn.execute("SELECT state FROM stored_events WHERE rowid = 5").fetchone()[0])
        state[-1] ^= 1
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 5", (bytes(state),))
    assert main(["verify", str(path)]) == 0
    assert "not verified" in capsys.readouterr().out
    monkeypatch.setenv(enc.ENV_PASSPHRASE, PASS)
    assert main(["verify", str(path)]) == 1
    assert capsys.readouterr().err.startswith(f"{path}: entry 5 (PainRated) does not match its recorded hash")
    with pytest.raises(Exception, match="entry 5"):
        JournalApp.open(path, readonly=True, passphrase=PASS)


def _unkeyed_rechain(path: Path) -> None:
    from tests.sharing.test_verify_fast import rechain

    rechain(path)


def test_swapping_or_dropping_encrypted_entries_is_found_even_under_a_recomputed_chain(
        make_journal: Maker) -> None:
    """Issue 14 item 10: a red-flag check replaced by an earlier all-clear one, or an entry
    dropped, and the (unkeyed) chain recomputed: the keyed chain still names it."""
    for edit in ("UPDATE stored_events SET state = (SELECT state FROM stored_events WHERE rowid = 2) "
                 "WHERE rowid = 5",
                 "DELETE FROM stored_events WHERE rowid = 6"):
        path = make_journal(f"j{len(edit)}.sciatica", passphrase=PASS)
        with closing(sqlite3.connect(path)) as conn, conn:
            conn.execute(edit)
        _unkeyed_rechain(path)
        problem = verify_journal(path, passphrase=PASS).problem
        assert problem is not None and problem.startswith(f"{path}: entry"), problem


def test_a_journal_encrypted_before_the_keyed_chain_opens_and_a_new_passphrase_upgrades_it(
        make_journal: Maker, tmp_path: Path) -> None:
    # The earlier format: no "chain" setting, so a plain SHA-256 chain and eventsourcing's
    # AESCipher payloads without associated data.
    new_protection = enc.new_protection

    def earlier_protection(passphrase: str, params: enc.ScryptParams | None = None):  # type: ignore[no-untyped-def]
        key, meta = new_protection(passphrase, params)
        del meta[enc.CHAIN_META]
        return key, meta

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(enc, "new_protection", earlier_protection)
        path = make_journal(passphrase=PASS)
    assert verify_journal(path).sentence().endswith("(hash chain only: the contents are encrypted and were "
                                                     "not read without the passphrase)")
    assert verify_journal(path, passphrase=PASS).problem is None
    upgraded = tmp_path / "upgraded.sciatica"
    with JournalApp.open(path, passphrase=PASS) as app:
        app.copy_as(upgraded, passphrase="a new phrase")
    with closing(sqlite3.connect(upgraded)) as conn:
        assert conn.execute("SELECT value FROM journal_meta WHERE key = ?", (enc.CHAIN_META,)).fetchone() == (
            enc.KEYED_CHAIN,)
    assert verify_journal(upgraded, passphrase="a new phrase").problem is None


def test_a_short_passphrase_is_refused_in_a_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(enc.ENV_PASSPHRASE, "abc")
    path = tmp_path / "x.sciatica"
    assert main(["new", str(path), "--patient", "P", "--side", "left", "--onset", "2026-01-10", "--encrypt"]) == 2
    assert "at least 6 characters" in capsys.readouterr().err and not path.exists()


def test_new_keys_use_scrypt_n_2_17_and_old_parameters_still_open(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert enc.ScryptParams() == enc.ScryptParams(n=2 ** 17, r=8, p=1)
    monkeypatch.setattr(enc, "DEFAULT_PARAMS", enc.ScryptParams(n=2 ** 15, r=8, p=1))  # the earlier cost
    path = tmp_path / "old.sciatica"
    with JournalApp.create(path, patient="P", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12", passphrase="old phrase"):
        pass
    with JournalApp.open(path, passphrase="old phrase") as app:
        assert app.encrypted


@pytest.mark.parametrize("kdf", [
    '{"name": "scrypt", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 1000, "r": 8, "p": 1, "length": 32}',
    '{"name": "scrypt", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 1073741824, "r": 8, "p": 1, "length": 32}',
    '{"name": "scrypt", "salt": "AAAAAAAAAAAAAAAAAAAAAA==", "n": 1024, "r": 0, "p": 1, "length": 32}',
    '{"name": "scrypt", "salt": "!!", "n": 1024, "r": 8, "p": 1, "length": 32}',
    'not json',
])
def test_tampered_kdf_parameters_are_refused_clearly(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch, kdf: str) -> None:
    path = tmp_path / "x.sciatica"
    with JournalApp.create(path, patient="P", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12", passphrase="river stone"):
        pass
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE journal_meta SET value = ? WHERE key = 'kdf'", (kdf,))
    monkeypatch.setenv(enc.ENV_PASSPHRASE, "river stone")
    assert main(["status", str(path)]) == 2
    err = capsys.readouterr().err
    assert "encryption settings are unreadable or were changed" in err and "Traceback" not in err


def test_an_encrypted_payload_opens_only_as_the_entry_it_was_written_for(make_journal: Maker) -> None:
    """Each payload is sealed with its entry id and type as AES-GCM associated data."""
    from eventsourcing.persistence import StoredEvent

    path = make_journal(passphrase=PASS)
    with JournalApp.open(path, readonly=True, passphrase=PASS) as app:
        first, second = app.entries()[1:3]
        stored = app.mapper.to_stored_event(first)
        assert app.mapper.to_domain_event(stored) == first
        moved = StoredEvent(second.entry_id, 1, stored.topic, stored.state)
        with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidTag
            app.mapper.to_domain_event(moved)
