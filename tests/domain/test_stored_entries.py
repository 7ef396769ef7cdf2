"""Entries read back from a file are checked like new ones: a file changed outside the app
is refused as damaged instead of handing half-formed entries to whoever reads them."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.errors import NotAJournal
from domain.events import DamagedEntry
from domain.stored_entries import check_stored


def edit_state(path: Path, rowid: int, old: str, new: str) -> None:
    """Change the stored JSON of one event the way another tool (or a flipped byte) would."""
    with closing(sqlite3.connect(path)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = ?", (rowid,)).fetchone()
        assert old.encode() in state, state
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(old.encode(), new.encode()),
                                                                          rowid))


@pytest.fixture
def saved(journal: JournalApp, journal_path: Path) -> Path:
    symptoms = journal.record_symptoms("2026-01-13", [{"region": "calf", "side": "left", "sensation": "pain",
                                                       "intensity": 5}])
    journal.correct(symptoms, {"symptoms": []}, reason="gone already")
    journal.close()
    return journal_path


@pytest.mark.parametrize(("rowid", "old", "new"), [
    (2, '"author_role"', '"author_rolf"'),  # a key renamed: the entry has no author role
    # A date turned into a number. (Issue 13 stores dates as plain ISO text, msgspec codec; the
    # earlier case, a typed date object turned into plain text, no longer describes damage.)
    (1, '"onset_date":"2026-01-10"', '"onset_date":20260110'),
    (2, '"calf"', '"calx"'),  # a region nobody knows
    (2, '"intensity":5', '"intensity":50'),  # out of range
    (2, '"author_role":"patient"', '"author_role":"nobody"'),  # an author role nobody knows
    (3, '"symptoms":[]', '"symptoms":"none"'),  # a correction's replacement of the wrong kind
])
def test_a_changed_entry_makes_the_file_unreadable_not_a_crash(capsys: pytest.CaptureFixture[str], saved: Path,
                                                              rowid: int, old: str, new: str) -> None:
    edit_state(saved, rowid, old, new)
    for readonly in (False, True):
        with pytest.raises(NotAJournal, match="the journal is damaged and cannot be read"):
            JournalApp.open(saved, readonly=readonly)
    for command in (["history", str(saved)], ["export", str(saved), "--jsonl", "-"], ["verify", str(saved)]):
        code = main(command)
        err = capsys.readouterr().err
        assert code in (1, 2) and "Traceback" not in err and str(saved) in err, (command, err)


def test_an_untouched_file_passes_the_same_check(saved: Path) -> None:
    with JournalApp.open(saved) as app:
        for event in app.entries():
            check_stored(event)
    assert main(["verify", str(saved)]) == 0


def test_a_half_formed_entry_is_named(journal: JournalApp) -> None:
    pain = journal.entry(journal.rate_pain("2026-01-13", leg=4))
    del pain.__dict__["observed_at"]
    with pytest.raises(DamagedEntry, match=r"^a stored PainRated entry has no observed_at$"):
        check_stored(pain)


def test_a_value_out_of_range_is_refused_even_under_a_recomputed_chain(saved: Path) -> None:
    """Issue 14 item 9 changed this rule: a plain open skipped the per-entry check when the
    (unkeyed) chain held, so a re-chained out-of-range value opened. Now every read checks every
    value's range and choices (the codec decodes with the field rules' stored types)."""
    from tests.sharing.test_verify_fast import rechain

    edit_state(saved, 2, '"intensity":5', '"intensity":50')
    rechain(saved)
    for check_entries in (False, True):
        with pytest.raises(NotAJournal, match="the journal is damaged and cannot be read: entry 2"):
            JournalApp.open(saved, readonly=True, check_entries=check_entries)
    from domain.copies import verify_journal

    for deep in (False, True):
        assert verify_journal(saved, deep=deep).problem is not None
