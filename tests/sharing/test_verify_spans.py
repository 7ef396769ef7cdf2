"""A long log is verified in parts on several cores (``domain.verify_spans``), and the verdict is
the one the log checked in one piece gets: a sound file is verified with the same count, and a
file with a bad entry anywhere, in a forked child's part or in the last part (this process's),
is refused with the same sentence naming the same entry, the earliest when there are several.

Run through ``tests.sharing.verify_probe`` in a fresh process, as ``sciatica verify`` runs: this
test process may have threads, in which verify never forks."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from domain.encryption import ENV_PASSPHRASE, unlock
from domain.storage import inspect_file
from tests.sharing.conftest import Maker
from tests.sharing.test_verify_fast import rechain

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="verify forks on Linux only")

PASS = "correct horse battery staple"
ROOT = Path(__file__).resolve().parents[2]
# 200 days of three entries and the start: 601 rows, in three parts of 200 rows or so with these
# settings ([1, 200], [201, 400], [401, 601]); PainRated at rowids 2, 5, 8, …
DAYS, PARTS, SPAN_MIN = 200, 3, 100
FIRST_PART, MIDDLE_PART, LAST_PART = 50, 302, 500


def probe(path: Path, *, workers: int, passphrase: str | None = None, **extra: str) -> dict[str, Any]:
    env = {**os.environ, "SCIATICA_VERIFY_WORKERS": str(workers), "SCIATICA_VERIFY_SPAN_MIN": str(SPAN_MIN),
           **extra}
    env.pop(ENV_PASSPHRASE, None)
    if passphrase is not None:
        env[ENV_PASSPHRASE] = passphrase
    done = subprocess.run([sys.executable, "-m", "tests.sharing.verify_probe", str(path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True, timeout=120)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def in_parts_and_whole(path: Path, passphrase: str | None = None) -> str | None:
    """The problem verify finds in PATH, the same in parts and in one piece."""
    parts = probe(path, workers=PARTS, passphrase=passphrase)
    whole = probe(path, workers=1, passphrase=passphrase)
    assert parts["parts"] == [PARTS] and whole["parts"] == [1]
    assert parts["problem"] == whole["problem"] and parts["entries"] == whole["entries"]
    problem: str | None = parts["problem"]
    return problem


def edit(path: Path, rowid: int, old: bytes, new: bytes) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = ?", (rowid,)).fetchone()
        assert old in state
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(old, new, 1), rowid))


@pytest.mark.parametrize("passphrase", [None, PASS])
def test_a_long_sound_log_is_verified_in_parts(make_journal: Maker, passphrase: str | None) -> None:
    path = make_journal(days=DAYS, passphrase=passphrase)
    assert in_parts_and_whole(path, passphrase) is None
    assert probe(path, workers=PARTS, passphrase=passphrase)["entries"] == 3 * DAYS + 1


def test_a_part_that_fails_in_its_child_proves_nothing(make_journal: Maker) -> None:
    """Neither a pass nor a problem: the whole log is then read in one piece, as for any file
    the quick pass cannot vouch for (a sound one is verified, a bad one named)."""
    path = make_journal(days=DAYS)
    assert probe(path, workers=PARTS, VERIFY_PROBE_CHILD_FAILS="1") == {
        "problem": None, "entries": 3 * DAYS + 1, "parts": [PARTS]}
    edit(path, MIDDLE_PART, b'"back":2', b'"back":20')
    rechain(path)
    failing = probe(path, workers=PARTS, VERIFY_PROBE_CHILD_FAILS="1")
    assert failing["problem"] == in_parts_and_whole(path) and f"entry {MIDDLE_PART}:" in failing["problem"]


@pytest.mark.parametrize("rowid", [FIRST_PART, MIDDLE_PART, LAST_PART])
def test_a_rechained_bad_entry_in_any_part_is_named(make_journal: Maker, rowid: int) -> None:
    path = make_journal(days=DAYS)
    edit(path, rowid, b'"back":2', b'"back":20')  # out of range: only decoding the entry can tell
    rechain(path)
    problem = in_parts_and_whole(path)
    assert problem is not None and problem.startswith(f"{path}: the journal is damaged and cannot be read")
    assert f"entry {rowid}:" in problem


def test_of_two_bad_entries_in_different_parts_the_earlier_is_named(make_journal: Maker) -> None:
    path = make_journal(days=DAYS)
    edit(path, LAST_PART, b'"back":2', b'"back":20')
    edit(path, FIRST_PART, b'"back":2', b'"back":-2')
    rechain(path)
    problem = in_parts_and_whole(path)
    assert problem is not None and f"entry {FIRST_PART}:" in problem and f"entry {LAST_PART}" not in problem


@pytest.mark.parametrize("rowid", [FIRST_PART, LAST_PART])
def test_an_edit_without_the_chain_is_named_by_its_link(make_journal: Maker, rowid: int) -> None:
    path = make_journal(days=DAYS)
    edit(path, rowid, b'"back":2', b'"back":3')  # a sound entry, but not the one the chain holds
    assert in_parts_and_whole(path) == (f"{path}: entry {rowid} (PainRated, observed {_observed(path, rowid)}) "
                                        "does not match its recorded hash: it was changed outside the app")


def test_an_entry_removed_where_two_parts_meet_is_named(make_journal: Maker) -> None:
    path = make_journal(days=DAYS)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DELETE FROM stored_events WHERE rowid = 200")  # the first part's last row
    problem = in_parts_and_whole(path)
    assert problem is not None and "entry 200" in problem and "removed outside the app" in problem


def test_an_encrypted_log_with_a_bad_entry_in_a_part_is_refused(make_journal: Maker) -> None:
    path = make_journal(days=DAYS, passphrase=PASS)
    with closing(sqlite3.connect(path)) as conn, conn:  # a sealed payload changed: it no longer opens
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = ?", (FIRST_PART,)).fetchone()
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?",
                     (state[:-1] + bytes([state[-1] ^ 1]), FIRST_PART))
    rechain(path, unlock(inspect_file(path).meta, PASS, path).chain_key())  # as one who knows the passphrase
    problem = in_parts_and_whole(path, PASS)
    # Today's sentence for a payload that does not open (it names no entry), in parts as in one piece.
    assert problem == f"{path}: the journal is damaged and cannot be read: an entry cannot be decoded (InvalidTag)"


def _observed(path: Path, rowid: int) -> str:
    with closing(sqlite3.connect(path)) as conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = ?", (rowid,)).fetchone()
    observed: str = json.loads(state)["observed_at"]
    return observed[:10]

