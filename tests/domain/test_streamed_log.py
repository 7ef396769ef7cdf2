"""Opening and verifying read a sound file in one streamed pass (``ChainWalk`` over
``JournalRecorder.linked_log``): the pass may only vouch for a log the link-by-link check
(``find_chain_problem``) finds nothing wrong with, and the events it builds are the ones the
entry-by-entry reading builds."""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.chain import ChainWalk, find_chain_problem
from domain.codec import JournalMapper, MsgspecTranscoder
from domain.events import EntryEvent
from domain.journal import RecoveryJournal
from domain.loading import read_each_entry, read_sound_log
from domain.recorder import CHAIN_TABLE, EVENTS_TABLE, META_TABLE, JournalRecorder


@pytest.fixture
def saved(journal: JournalApp, journal_path: Path) -> Path:
    for day in range(13, 17):
        journal.record_symptoms(f"2026-01-{day}", [{"region": "calf", "side": "left", "sensation": "pain",
                                                    "intensity": day - 10}], context="sitting")
        journal.rate_pain(f"2026-01-{day}", leg=day - 10, back=2)
    journal.close()
    return journal_path


def walk_holds(path: Path) -> tuple[bool, int]:
    recorder = JournalRecorder(path, readonly=True)
    try:
        walk = ChainWalk()
        with recorder.linked_log() as (linked, ends):
            deque(walk.rows(linked), maxlen=0)
        return walk.holds(ends), walk.count
    finally:
        recorder.close()


def link_check_problem(path: Path) -> object:
    recorder = JournalRecorder(path, readonly=True)
    try:
        return find_chain_problem(recorder.read_log())
    finally:
        recorder.close()


def sql(*statements: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        for statement in statements:
            conn.execute(statement)
    return run


TAMPERING: dict[str, Callable[[sqlite3.Connection], None]] = {
    "state changed": sql(f"UPDATE {EVENTS_TABLE} SET state = CAST(REPLACE(CAST(state AS TEXT), 'calf', 'knee') "
                         "AS BLOB) WHERE rowid = 2"),
    "last row removed": sql(f"DELETE FROM {EVENTS_TABLE} WHERE rowid = (SELECT MAX(rowid) FROM {EVENTS_TABLE})"),
    "middle row removed": sql(f"DELETE FROM {EVENTS_TABLE} WHERE rowid = 3"),
    "link removed": sql(f"DELETE FROM {CHAIN_TABLE} WHERE position = 4"),
    "link left over": sql(f"INSERT INTO {CHAIN_TABLE} VALUES (100, x'00')"),
    "link at position 0": sql(f"INSERT INTO {CHAIN_TABLE} VALUES (0, x'00')"),
    "row moved to a negative rowid": sql(f"UPDATE {EVENTS_TABLE} SET rowid = -1 WHERE rowid = 1"),
    "row renumbered past the end": sql(f"UPDATE {EVENTS_TABLE} SET rowid = 50 WHERE rowid = 2"),
    "length changed": sql(f"UPDATE {META_TABLE} SET value = '3' WHERE key = 'chain_length'"),
    "head removed": sql(f"DELETE FROM {META_TABLE} WHERE key = 'chain_head'"),
    "version changed": sql(f"UPDATE {EVENTS_TABLE} SET originator_version = 2 WHERE rowid = 5"),
    "state stored as text": sql(f"UPDATE {EVENTS_TABLE} SET state = CAST(state AS TEXT) WHERE rowid = 6"),
}


def test_the_pass_vouches_for_a_sound_file(saved: Path) -> None:
    assert walk_holds(saved) == (True, 9)
    assert link_check_problem(saved) is None


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_the_pass_never_vouches_for_a_file_the_link_check_refuses(saved: Path, how: str) -> None:
    with closing(sqlite3.connect(saved)) as conn, conn:
        TAMPERING[how](conn)
    holds, _ = walk_holds(saved)
    problem = link_check_problem(saved)
    assert not (holds and problem is not None)
    # The same bytes under another column type, and a link at no entry's position, are left to
    # the link-by-link check (which finds the chain sound); everything else is refused by both.
    if how not in ("state stored as text", "link at position 0"):
        assert not holds and problem is not None


def test_the_pass_builds_the_events_the_entry_by_entry_reading_builds(saved: Path) -> None:
    recorder = JournalRecorder(saved, readonly=True)
    try:
        mapper = JournalMapper(MsgspecTranscoder())
        streamed = read_sound_log(recorder, mapper, None)
        each: list[EntryEvent] = []
        assert read_each_entry(recorder, mapper, RecoveryJournal(), each, None, check_entries=True) == (None, None)
    finally:
        recorder.close()
    assert streamed is not None and streamed == each
    assert [vars(e) for e in streamed] == [vars(e) for e in each]


def test_events_read_back_share_their_repeated_text(saved: Path) -> None:
    with JournalApp.open(saved, readonly=True) as app:
        symptoms = [e for e in app.entries() if e.type_name() == "SymptomsRecorded"]
    assert len(symptoms) == 4
    first, *others = symptoms
    assert all(e.author_name is first.author_name and e.context is first.context for e in others)
    assert first.author_name == "A. Patient" and first.context == "sitting"
