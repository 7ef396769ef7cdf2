"""``sciatica verify`` decodes and checks a log in batches (``JournalMapper.states_of``,
``EntryEvent.check_stored_states``): a batch gives exactly what decoding and checking each entry
alone gives, and one wrong entry anywhere in a long batch is refused as it is alone."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from domain import validation as v
from domain.application import JournalApp
from domain.chain import ChainWalk
from domain.codec import DamagedState, JournalMapper, MsgspecTranscoder
from domain.copies import verify_journal
from domain.errors import InvalidEntry, NotAJournal
from domain.events import DamagedEntry, MeasureAnswered, PainRated, SymptomsRecorded
from domain.recorder import SELECT_LINKED
from tests.sharing.test_verify_fast import rechain

CALF = {"region": "calf", "side": "left", "sensation": "pain", "intensity": 4}
MIDLINE = {"region": "low_back_center", "side": "center", "sensation": "pain", "intensity": 2}


def stored(**fields: Any) -> dict[str, Any]:
    return {"timestamp": datetime(2026, 1, 2, 9, tzinfo=UTC), "observed_at": datetime(2026, 1, 2, 8),
            "author_role": "patient", "author_name": "A. Patient", "note": None, **fields}


@pytest.fixture
def long_journal(journal: JournalApp, journal_path: Path) -> Path:
    """More entries than one batch holds, so a change can sit in the middle of a later batch."""
    for i in range(ChainWalk.BATCH // 2 + 150):  # two entries each: ~1,300 rows
        day = f"2026-01-{1 + i % 28:02d}T{8 + i % 10:02d}:00"
        journal.record_symptoms(day, [CALF, MIDLINE] if i % 3 else [])
        journal.rate_pain(day, leg=i % 10, back=None if i % 2 else 3)
    journal.close()
    return journal_path


def test_a_batch_decodes_to_what_each_entry_decodes_to(long_journal: Path) -> None:
    mapper = JournalMapper(MsgspecTranscoder())
    with closing(sqlite3.connect(long_journal)) as conn:
        rows = conn.execute(SELECT_LINKED).fetchall()
    for topic in {row[2] for row in rows}:
        mine = [row for row in rows if row[2] == topic]
        cls, values = mapper.states_of(topic, [row[3] for row in mine], [row[0] for row in mine])
        assert values == [mapper.state_of(topic, row[3], row[0])[1] for row in mine]
        cls.check_stored_states(values)


def test_a_damaged_state_in_a_batch_is_named_as_alone() -> None:
    mapper = JournalMapper(MsgspecTranscoder())
    topic = "domain.events:PainRated"
    good = (b'{"timestamp":"2026-01-02T09:00:00Z","observed_at":"2026-01-02T08:00:00","author_role":"patient",'
            b'"author_name":"A","note":null,"leg":3,"back":null,"share_of_day_percent":null,"episodes":null}')
    bad = good.replace(b'"leg":3', b'"leg":30')
    with pytest.raises(DamagedState, match="PainRated"):
        mapper.state_of(topic, bad)
    with pytest.raises(DamagedState, match="PainRated"):
        mapper.states_of(topic, [good] * 50 + [bad] + [good] * 50, [""] * 101)


@pytest.mark.parametrize(("cls", "wrong"), [
    (SymptomsRecorded, stored(symptoms=[CALF, {**MIDLINE, "side": "left"}], context=None)),
    (SymptomsRecorded, stored(symptoms=[{**CALF, "side": "center"}], context=None)),
    (PainRated, stored(leg=None, back=None, share_of_day_percent=None, episodes=None)),
    (PainRated, {**stored(leg=1, back=None, share_of_day_percent=None, episodes=None),
                 "observed_at": datetime(1899, 12, 31, 23)}),
    (PainRated, {**stored(leg=1, back=None, share_of_day_percent=None, episodes=None),
                 "timestamp": datetime(2201, 1, 1, tzinfo=UTC)}),
    (MeasureAnswered, stored(measure="peg", answers=[{"item": "pain", "value": 3}])),
])
def test_one_wrong_entry_in_a_long_batch_is_refused_as_alone(cls: type[Any], wrong: dict[str, Any]) -> None:
    sound = {
        SymptomsRecorded: stored(symptoms=[CALF, MIDLINE], context="sitting"),
        PainRated: stored(leg=2, back=None, share_of_day_percent=None, episodes=None),
        MeasureAnswered: stored(measure="peg", answers=[{"item": "pain", "value": 3},
                                                        {"item": "enjoyment", "value": 2},
                                                        {"item": "general_activity", "value": 4}]),
    }[cls]
    cls.check_stored_states([sound] * 200)
    with pytest.raises(DamagedEntry) as alone:
        cls.check_rules(wrong)
    with pytest.raises(DamagedEntry) as in_batch:
        cls.check_stored_states([sound] * 100 + [wrong] + [sound] * 100)
    assert str(in_batch.value) == str(alone.value)


@pytest.mark.parametrize(("old", "new"), [
    (b'"side":"center"', b'"side":"right"'),  # the midline stored with a side: a cross-field rule
    (b'"leg":7', b'"leg":70'),  # out of range: the stored type
    (b'"observed_at":"2026', b'"observed_at":"1826'),  # a year no entry has
])
def test_a_rechained_edit_deep_in_a_later_batch_is_refused(long_journal: Path, old: bytes, new: bytes) -> None:
    assert verify_journal(long_journal).problem is None
    with closing(sqlite3.connect(long_journal)) as conn, conn:
        rowid, state = next((r, s) for r, s in conn.execute(
            "SELECT rowid, state FROM stored_events WHERE rowid > ? ORDER BY rowid", (ChainWalk.BATCH + 50,))
            if old in s)
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(old, new, 1), rowid))
    rechain(long_journal)
    problem = verify_journal(long_journal).problem
    assert problem is not None and problem.startswith(f"{long_journal}: the journal is damaged and cannot be read")


@pytest.mark.parametrize("text", ["a", "two words", "line\nbreak", "ÿ ☃", " a", "a ", "", " ", "\x00", "a\x00b",
                                  "ends in a newline\n", "\u00a0nbsp", "tab\t", "\u3000ideographic space"])
def test_stored_text_is_exactly_what_the_text_rule_returns(text: str) -> None:
    """The stored-text check (a batch at a time, in C) holds for a text exactly when the text
    rule gives it back unchanged: not empty, stripped, no NUL."""
    rule = v.text()
    try:
        kept = rule(text, "text", "text") == text
    except InvalidEntry:
        kept = False
    assert v.stored_texts_hold([text]) is kept
    assert v.stored_texts_hold(["fine", text, "also fine"]) is kept


@pytest.mark.parametrize(("old", "new"), [
    (b'"text":"tired"', b'"text":" tired"'),
    (b'"text":"tired"', b'"text":"tired\\n"'),  # let through by the earlier pattern's ``$``
    (b'"text":"tired"', b'"text":"ti\\u0000red"'),
    (b'"text":"tired"', b'"text":""'),
    (b'"context":"sitting"', b'"context":"sitting  "'),
    (b'"item":"pain"', b'"item":"pain "'),
])
def test_a_rechained_text_that_is_not_stored_text_is_refused(journal: JournalApp, journal_path: Path,
                                                             old: bytes, new: bytes) -> None:
    for i in range(ChainWalk.BATCH + 20):
        journal.record_symptoms(f"2026-01-{1 + i % 28:02d}T09:00", [CALF], context="sitting")
    journal.add_note("2026-01-13", "tired")
    journal.answer_measure("2026-01-14", "peg", [{"item": "pain", "value": 3}, {"item": "enjoyment", "value": 2},
                                                    {"item": "general_activity", "value": 4}])
    journal.close()
    with closing(sqlite3.connect(journal_path)) as conn, conn:
        rowid, state = next((r, s) for r, s in conn.execute(
            "SELECT rowid, state FROM stored_events WHERE rowid > ? ORDER BY rowid", (ChainWalk.BATCH // 2,))
            if old in s)
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(old, new, 1), rowid))
    rechain(journal_path)
    problem = verify_journal(journal_path).problem
    assert problem is not None and problem.startswith(f"{journal_path}: the journal is damaged and cannot be read")
    with pytest.raises(NotAJournal, match=f"the journal is damaged and cannot be read: entry {rowid}: "
                                          "a stored [A-Za-z]+ entry is damaged: its [a-z]+ is not text"):
        JournalApp.open(journal_path, readonly=True)
