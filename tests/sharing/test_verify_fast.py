"""``sciatica verify`` checks the chain in one tight loop and does not decode every entry when
the chain holds; whatever the quick check cannot vouch for goes through the full open, so a
file re-chained after an edit (someone recomputed the hashes) is still refused by name."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from desktop.cli import main
from domain.copies import verify_journal
from domain.storage import CHAIN_TABLE, GENESIS, META_TABLE, SELECT_ROWS, link_hash
from tests.sharing.conftest import Maker

PASS = "correct horse battery staple"


def rechain(path: Path, key: bytes | None = None) -> None:
    """Recompute the whole hash chain over the stored rows as they are now (keyed with KEY, an
    encrypted journal's chain key, when given)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        rows = conn.execute(SELECT_ROWS).fetchall()
        conn.execute(f"DELETE FROM {CHAIN_TABLE}")
        prev = GENESIS
        for rowid, oid, version, topic, state in rows:
            prev = link_hash(prev, oid, version, topic, bytes(state), key=key)
            conn.execute(f"INSERT INTO {CHAIN_TABLE} VALUES (?, ?)", (rowid, prev))
        conn.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('chain_head', ?)", (prev.hex(),))
        conn.execute(f"INSERT OR REPLACE INTO {META_TABLE} VALUES ('chain_length', ?)", (str(len(rows)),))


def test_quick_and_deep_verification_agree_on_sound_files(make_journal: Maker) -> None:
    plain = make_journal("plain.sciatica")
    secret = make_journal("secret.sciatica", passphrase=PASS)
    for path, passphrase in ((plain, None), (secret, PASS)):
        quick = verify_journal(path, passphrase=passphrase)
        deep = verify_journal(path, passphrase=passphrase, deep=True)
        assert quick == deep
        assert quick.problem is None and quick.entries == 10 and quick.decrypted


@pytest.mark.parametrize(("old", "new"), [
    (b'"author_role":"patient"', b'"author_role":"nobody"'),
    (b'"calf"', b'"calx"'),
    (b'"author_role"', b'"author_rolf"'),
])
def test_a_rechained_edit_is_found_by_the_deep_check(make_journal: Maker, old: bytes, new: bytes) -> None:
    path = make_journal()
    with closing(sqlite3.connect(path)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = 3").fetchone()
        assert old in state
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 3", (state.replace(old, new),))
    rechain(path)
    # The chain holds (it was recomputed), so only decoding every entry can tell.
    problem = verify_journal(path, deep=True).problem
    assert problem is not None and problem.startswith(f"{path}: the journal is damaged and cannot be read")


def test_a_rechained_unknown_type_or_missing_start_goes_to_the_full_check(
        make_journal: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE stored_events SET topic = 'domain.events:Nonsense' WHERE rowid = 4")
    rechain(path)
    assert main(["verify", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: ") and err.count("\n") == 1

    other = make_journal("other.sciatica")
    with closing(sqlite3.connect(other)) as conn, conn:
        conn.execute("DELETE FROM stored_events WHERE rowid = 1")
        conn.execute("UPDATE stored_events SET rowid = rowid - 1")
    rechain(other)
    assert main(["verify", str(other)]) == 1
    assert "the journal has no JournalStarted entry" in capsys.readouterr().err


def test_a_rechained_foreign_journal_id_is_named(make_journal: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE journal_meta SET value = '00000000000000000000000000000001' WHERE key = 'journal_id'")
    assert main(["verify", str(path)]) == 1
    assert "the journal id in the file's metadata does not match its first entry" in capsys.readouterr().err
