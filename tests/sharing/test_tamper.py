"""Tamper evidence: edits made with a plain sqlite3 session are found and named."""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.copies import export_copy, merge_files, verify_journal
from tests.sharing.conftest import Maker, record_day

N_DAYS = 4  # 1 + 3 * 4 = 13 entries


def _rows(path: Path) -> list[tuple[int, str, int, str, bytes]]:
    with closing(sqlite3.connect(path)) as conn:
        return [(r, o, v, t, bytes(s)) for r, o, v, t, s in conn.execute(
            "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid")]


def _type(topic: str) -> str:
    return topic.rsplit(":", 1)[-1]


def _observed(state: bytes) -> str:
    import json

    observed = json.loads(state)["observed_at"]
    # Plain ISO text since issue 13 (msgspec codec); {"_type_", "_data_"} in files written before.
    return str(observed["_data_"] if isinstance(observed, dict) else observed)[:10]


def _session(path: Path, work: Callable[[sqlite3.Connection], None]) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        work(conn)


def alter(path: Path, rng: random.Random) -> tuple[int, str]:
    rows = _rows(path)
    k = rng.randrange(1, len(rows) + 1)
    state = rows[k - 1][4].replace(b'"author_name":"', b'"author_name":"Someone else, not ')
    _session(path, lambda c: c.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state, k)))
    return k, f"entry {k} ({_type(rows[k - 1][3])}, observed {_observed(state)}) does not match its " \
              "recorded hash: it was changed outside the app"


def delete(path: Path, rng: random.Random) -> tuple[int, str]:
    k = rng.randrange(2, len(_rows(path)) + 1)
    _session(path, lambda c: c.execute("DELETE FROM stored_events WHERE rowid = ?", (k,)))
    return k, f"entry {k} is missing"


def delete_renumbered(path: Path, rng: random.Random) -> tuple[int, str]:
    rows = _rows(path)
    k = rng.randrange(2, len(rows))

    def work(c: sqlite3.Connection) -> None:
        c.execute("DELETE FROM stored_events WHERE rowid = ?", (k,))
        for r in range(k + 1, len(rows) + 1):
            c.execute("UPDATE stored_events SET rowid = ? WHERE rowid = ?", (r - 1, r))

    _session(path, work)
    return k, f"entry {k} is missing"


def insert(path: Path, rng: random.Random) -> tuple[int, str]:
    rows = _rows(path)
    k = rng.randrange(2, len(rows) + 1)
    donor = rows[rng.randrange(1, len(rows))]

    def work(c: sqlite3.Connection) -> None:
        for r in range(len(rows), k - 1, -1):
            c.execute("UPDATE stored_events SET rowid = ? WHERE rowid = ?", (r + 1, r))
        c.execute("INSERT INTO stored_events (rowid, originator_id, originator_version, topic, state) "
                  "VALUES (?, ?, 1, ?, ?)", (k, uuid.uuid4().hex, donor[3], donor[4]))

    _session(path, work)
    return k, f"entry {k} ({_type(donor[3])}, observed {_observed(donor[4])}) was inserted outside the app"


def append(path: Path, rng: random.Random) -> tuple[int, str]:
    rows = _rows(path)
    donor = rows[rng.randrange(1, len(rows))]
    _session(path, lambda c: c.execute(
        "INSERT INTO stored_events (originator_id, originator_version, topic, state) VALUES (?, 1, ?, ?)",
        (uuid.uuid4().hex, donor[3], donor[4])))
    k = len(rows) + 1
    return k, f"entry {k} ({_type(donor[3])}, observed {_observed(donor[4])}) was added outside the app"


def swap(path: Path, rng: random.Random) -> tuple[int, str]:
    rows = _rows(path)
    while True:
        i, j = sorted(rng.sample(range(2, len(rows) + 1), 2))
        if rows[i - 1][3:] != rows[j - 1][3:]:
            break
    a, b = rows[i - 1], rows[j - 1]

    def work(c: sqlite3.Connection) -> None:
        c.execute("UPDATE stored_events SET originator_id = 'tmp' || rowid WHERE rowid IN (?, ?)", (i, j))
        c.execute("UPDATE stored_events SET originator_id = ?, originator_version = ?, topic = ?, state = ? "
                  "WHERE rowid = ?", (*b[1:], i))
        c.execute("UPDATE stored_events SET originator_id = ?, originator_version = ?, topic = ?, state = ? "
                  "WHERE rowid = ?", (*a[1:], j))

    _session(path, work)
    return i, f"entry {i} ({_type(b[3])}, observed {_observed(b[4])}) does not match its recorded hash: " \
              f"it was moved here from position {j} outside the app"


TAMPERS = {f.__name__: f for f in (alter, delete, delete_renumbered, insert, append, swap)}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("how", sorted(TAMPERS))
def test_tampering_is_found_and_the_entry_named(make_journal: Maker, how: str, seed: int,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal(days=N_DAYS)
    assert main(["verify", str(path)]) == 0
    assert capsys.readouterr().out == f"{1 + 3 * N_DAYS} entries verified\n"

    position, expected = TAMPERS[how](path, random.Random(f"{how}{seed}"))

    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.startswith(f"{path}: {expected}") and out.err.count("\n") == 1, out.err
    # Opening checks the chain too; the desktop warns and opens read-only.
    try:
        with JournalApp.open(path, readonly=True) as app:
            assert app.integrity_problem is not None
            assert app.integrity_problem.startswith(f"{path}: entry {position}")
    except Exception as exc:  # an undecodable or missing start entry makes the file unreadable
        assert f"entry {position}" in str(exc) or "JournalStarted" in str(exc)


def test_untouched_journal_verifies_also_after_merges(make_journal: Maker, tmp_path: Path) -> None:
    a = make_journal("a.sciatica")
    b = tmp_path / "b.sciatica"
    export_copy(a, b)
    with JournalApp.open(b) as app:
        record_day(app, __import__("datetime").date(2026, 2, 1), 1)
        app.annotate("Dr. Ada Physio", "fine")
    with JournalApp.open(a) as app:
        app.add_note("2026-02-02", "a")
    merge_files(a, b)
    merge_files(b, a)
    for path in (a, b):
        result = verify_journal(path)
        assert result.problem is None and result.entries == 1 + 3 * 3 + 3 + 1 + 1
        with JournalApp.open(path, readonly=True) as app:
            assert app.integrity_problem is None


def test_chain_table_or_head_altered_is_found(make_journal: Maker, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal()
    _session(path, lambda c: c.execute("UPDATE event_chain SET hash = ? WHERE position = 4", (b"\x01" * 32,)))
    assert main(["verify", str(path)]) == 1
    assert f"{path}: entry 4 (" in capsys.readouterr().err

    other = make_journal("other.sciatica")
    _session(other, lambda c: c.execute("DELETE FROM stored_events WHERE rowid = (SELECT MAX(rowid) "
                                        "FROM stored_events)"))
    _session(other, lambda c: c.execute("DELETE FROM event_chain WHERE position = (SELECT MAX(position) "
                                        "FROM event_chain)"))
    assert main(["verify", str(other)]) == 1
    assert "entry 10 is missing" in capsys.readouterr().err


def test_verify_refuses_a_non_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.sciatica"
    path.write_text("not a journal")
    assert main(["verify", str(path)]) == 2
    assert "not a Sciatica Tracker journal" in capsys.readouterr().err
