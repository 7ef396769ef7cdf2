"""Merging copies by entry identity (docs/sharing.md)."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.copies import export_copy, merge_files, verify_journal
from domain.errors import MergeRefused
from domain.events import ReviewNoteAdded
from projections.entries import EffectiveEntries
from projections.history import build_history
from tests.sharing.conftest import PATIENT, Maker, content, record_day, same_state


def _files(tmp: Path) -> dict[str, bytes]:
    """The journals' bytes. (Read-only SQLite access may leave an empty -wal and a -shm
    index beside a file; they hold no data, so only -wal content counts.)"""
    out = {p.name: p.read_bytes() for p in sorted(tmp.iterdir())
           if p.is_file() and not p.name.endswith(("-shm", "-wal"))}
    assert all(p.stat().st_size == 0 for p in tmp.glob("*-wal"))
    return out


def test_patient_and_therapist_copies_merged_both_ways_and_twice(make_journal: Maker, tmp_path: Path) -> None:
    patient = make_journal()
    therapist = tmp_path / "for-therapist.sciatica"
    export_copy(patient, therapist)

    # The patient keeps recording while the therapist reviews her copy.
    with JournalApp.open(patient) as app:
        for n in range(3, 6):
            record_day(app, date(2026, 1, 12) + timedelta(days=n), n, note=f"day {n}")
    with JournalApp.open_for_review(therapist, "Dr. Ada Physio") as app:
        first = app.entries()[1].entry_id
        app.review_note("Leg pain is easing; keep walking.", about=first)
        app.review_note("Good progress overall.")
        app.review_note("Try the prone press-up twice a day.")

    assert merge_files(patient, therapist) == f"3 review notes added from {therapist}"
    assert merge_files(therapist, patient) == f"9 entries added from {patient}"
    # Twice, both ways: nothing new.
    assert merge_files(patient, therapist) == f"Nothing new: {patient} already has every entry of {therapist}"
    assert merge_files(therapist, patient) == f"Nothing new: {therapist} already has every entry of {patient}"

    same_state(patient, therapist)
    with JournalApp.open(patient, readonly=True) as app:
        assert len(app.entries()) == 1 + 6 * 3 + 3
        notes = [e for e in app.entries() if isinstance(e, ReviewNoteAdded)]
        assert {n.author_role for n in notes} == {"therapist"}
        assert {n.author_name for n in notes} == {"Dr. Ada Physio"}
        assert [r.source for r in app.merge_records()] == [therapist.name] * 3
        review = app.review("Dr. Ada Physio")
        assert [n.text for n in review.about(first)] == ["Leg pain is easing; keep walking."]
        assert len(review.general()) == 2
    for path in (patient, therapist):
        assert verify_journal(path).problem is None


def test_merge_keeps_author_observed_and_recorded_time(make_journal: Maker, tmp_path: Path) -> None:
    patient = make_journal(days=1)
    other = tmp_path / "other.sciatica"
    export_copy(patient, other)
    with JournalApp.open(other) as app:
        entry = app.add_note(datetime(2025, 12, 31, 23, 59), "back-filled")
        original = app.entry(entry)
    with JournalApp.open(patient) as app:
        report = app.merge_from(other)
        assert report.added == (entry,) and report.entries == 1 and report.review_notes == 0
        merged = app.entry(entry)
        assert merged == original
        assert (merged.author_role, merged.author_name) == ("patient", PATIENT)
        assert merged.observed_at == datetime(2025, 12, 31, 23, 59)
        assert merged.recorded_at == original.recorded_at
        assert app.entries()[-1] is merged
    with JournalApp.open(patient, readonly=True) as again:
        assert again.entry(entry) == original


def test_two_patient_copies_merged_keep_both_sets(make_journal: Maker, tmp_path: Path) -> None:
    laptop = make_journal("laptop.sciatica", days=1)
    phone = tmp_path / "phone.sciatica"
    export_copy(laptop, phone)
    with JournalApp.open(laptop) as app:
        record_day(app, date(2026, 1, 14), 2, note="on the laptop")
        laptop_ids = {e.entry_id for e in app.entries()}
    with JournalApp.open(phone) as app:
        record_day(app, date(2026, 1, 14), 5, note="on the phone")
        phone_ids = {e.entry_id for e in app.entries()}
    assert main(["merge", str(laptop), str(phone)]) == 0
    assert main(["merge", str(phone), str(laptop)]) == 0
    for path in (laptop, phone):
        with JournalApp.open(path, readonly=True) as app:
            assert {e.entry_id for e in app.entries()} == laptop_ids | phone_ids
    same_state(laptop, phone)


def test_conflicting_corrections_latest_recorded_wins_both_kept(make_journal: Maker, tmp_path: Path) -> None:
    patient = make_journal(days=1)
    other = tmp_path / "other.sciatica"
    export_copy(patient, other)
    with JournalApp.open(patient, readonly=True) as app:
        pain = next(e for e in app.entries() if e.type_name() == "PainRated").entry_id
    with JournalApp.open(other) as app:
        early = app.correct(pain, {"leg": 4, "back": 2}, reason="it was a 4")
    with JournalApp.open(patient) as app:
        late = app.correct(pain, {"leg": 3, "back": 2}, reason="it was a 3")
    merge_files(patient, other)
    merge_files(other, patient)
    same_state(patient, other)
    for path in (patient, other):
        with JournalApp.open(path, readonly=True) as app:
            eff = EffectiveEntries()
            for e in app.entries():
                eff.apply(e)
            assert eff.winner(pain) is not None and eff.winner(pain).entry_id == late  # type: ignore[union-attr]
            assert eff.effective(pain).leg == 3  # type: ignore[union-attr]
            rows = {r.event.entry_id: r for r in build_history(app.entries())}
            assert rows[pain].conflict and rows[early].conflict and rows[late].conflict
            assert set(rows[pain].corrected_by) == {early, late}
            assert rows[pain].winning_change == late


def test_correction_whose_target_is_missing_is_copied_after_it(make_journal: Maker, tmp_path: Path) -> None:
    patient = make_journal(days=1)
    other = tmp_path / "other.sciatica"
    export_copy(patient, other)
    with JournalApp.open(other) as app:
        walk = app.record_walk("2026-01-15T10:00", total_minutes=30, minutes_to_symptoms=20,
                               extent_at_stop="thigh")
        fix = app.correct(walk, {"total_minutes": 35, "minutes_to_symptoms": 20, "extent_at_stop": "thigh"},
                          reason="longer")
        note = app.annotate("Dr. Ada Physio", "nice walk", about=walk)
    with JournalApp.open(patient) as app:
        report = app.merge_from(other)
        order = [e.entry_id for e in app.entries()]
        assert order.index(walk) < order.index(fix) < order.index(note)
        assert report.sentence() == f"2 entries and 1 review note added from {other}"


def test_another_journal_is_refused_and_file_unchanged(make_journal: Maker, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    mine = make_journal("mine.sciatica")
    theirs = make_journal("theirs.sciatica")
    before = _files(tmp_path)
    with pytest.raises(MergeRefused, match="another journal"):
        merge_files(mine, theirs)
    assert main(["merge", str(mine), str(theirs)]) == 2
    err = capsys.readouterr().err
    assert "a copy of another journal" in err and "nothing was merged" in err and err.count("\n") == 1
    assert _files(tmp_path) == before


def test_another_journal_is_named_by_its_patient_never_by_an_id(make_journal: Maker, tmp_path: Path) -> None:
    mine = make_journal("mine.sciatica")
    theirs = make_journal("theirs.sciatica")
    with pytest.raises(MergeRefused) as info:
        merge_files(mine, theirs)
    message = str(info.value)
    assert f"(the journal of {PATIENT})" in message
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", message), message


@pytest.mark.parametrize("kind", ["text", "sqlite", "empty", "missing", "folder"])
def test_a_non_journal_is_refused_and_file_unchanged(make_journal: Maker, tmp_path: Path, kind: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    mine = make_journal()
    other = tmp_path / "other.sciatica"
    if kind == "text":
        other.write_text("hello\n")
    elif kind == "sqlite":
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
    elif kind == "empty":
        other.write_bytes(b"")
    elif kind == "folder":
        other.mkdir()
    before = _files(tmp_path)
    assert main(["merge", str(mine), str(other)]) == 2
    err = capsys.readouterr().err
    assert str(other) in err and "nothing was merged" in err
    assert _files(tmp_path) == before


def test_a_copy_that_fails_verification_is_refused(make_journal: Maker, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    mine = make_journal()
    other = tmp_path / "other.sciatica"
    export_copy(mine, other)
    with JournalApp.open(other) as app:
        app.add_note("2026-01-20", "something new")
    with sqlite3.connect(other) as conn:
        state = conn.execute("SELECT state FROM stored_events WHERE rowid = 3").fetchone()[0]
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 3",
                     (bytes(state).replace(b'"intensity":6', b'"intensity":1'),))
    conn.close()
    assert verify_journal(other).problem is not None
    before = _files(tmp_path)
    assert main(["merge", str(mine), str(other)]) == 2
    err = capsys.readouterr().err
    assert f"{other} fails verification" in err and "entry 3 (SymptomsRecorded" in err
    assert _files(tmp_path) == before


def test_merge_reads_other_while_it_is_open_elsewhere(make_journal: Maker, tmp_path: Path) -> None:
    mine = make_journal()
    other = tmp_path / "other.sciatica"
    export_copy(mine, other)
    with JournalApp.open(other) as holder:  # holds OTHER's lock, with entries still in its WAL
        holder.add_note("2026-01-20", "written while open")
        assert Path(f"{other}-wal").stat().st_size > 0
        assert merge_files(mine, other) == f"1 entry added from {other}"


def test_merge_into_a_file_open_elsewhere_is_refused(make_journal: Maker, tmp_path: Path) -> None:
    mine = make_journal()
    other = tmp_path / "other.sciatica"
    shutil.copy(mine, other)
    with JournalApp.open(mine), pytest.raises(Exception, match="already open"):
        merge_files(mine, other)


def test_merged_file_verifies_and_content_is_the_union(make_journal: Maker, tmp_path: Path) -> None:
    a = make_journal("a.sciatica")
    b = tmp_path / "b.sciatica"
    export_copy(a, b)
    with JournalApp.open(b) as app:
        record_day(app, date(2026, 1, 20), 9)
    with JournalApp.open(a, readonly=True) as x, JournalApp.open(b, readonly=True) as y:
        union = content(x) | content(y)
    merge_files(a, b)
    with JournalApp.open(a, readonly=True) as app:
        assert content(app) == union
        assert app.integrity_problem is None
    assert main(["verify", str(a)]) == 0


def test_a_copy_with_an_altered_entry_and_a_rebuilt_chain_is_refused(make_journal: Maker,
                                                                      tmp_path: Path) -> None:
    import dataclasses

    mine = make_journal()
    with JournalApp.open(mine, readonly=True) as app:
        events = app.entries()
    forged = dataclasses.replace(events[1], leg=0)  # type: ignore[type-var]
    other = tmp_path / "forged.sciatica"
    with JournalApp.create_from(other, [events[0], forged, *events[2:]]):
        pass
    assert verify_journal(other).problem is None  # a consistent chain over altered content
    before = mine.read_bytes()
    with pytest.raises(MergeRefused, match=f"entry {events[1].entry_id} \\(PainRated\\) differs"):
        merge_files(mine, other)
    assert mine.read_bytes() == before


def test_a_file_that_fails_verification_takes_no_merge(make_journal: Maker, tmp_path: Path) -> None:
    mine = make_journal()
    other = tmp_path / "other.sciatica"
    export_copy(mine, other)
    with sqlite3.connect(mine) as conn:
        conn.execute("DELETE FROM stored_events WHERE rowid = 5")
    conn.close()
    before = mine.read_bytes()
    with pytest.raises(MergeRefused, match=f"{mine} fails verification.*entry 5 is missing"):
        merge_files(mine, other)
    assert mine.read_bytes() == before
