"""Reading a copy for ``clinic add`` (``read_verified``, ``take_in``) without a server: the
journal a caller already read from the copy is held to, and the rows are the copy's own."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.clinic.infrastructure import ClinicMapper
from domain.clinic.intake import HeldLog, read_verified, take_in
from domain.codec import MsgspecTranscoder
from domain.errors import MergeRefused


def _journal(path: Path, patient: str) -> uuid.UUID:
    with JournalApp.create(path, patient=patient, affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12T09:00") as app:
        pain = app.rate_pain("2026-01-13", leg=4)
        app.correct(pain, {"leg": 3}, reason="misread")
        return app.journal_id


def test_a_copy_is_held_to_the_journal_the_caller_read_from_it(tmp_path: Path) -> None:
    mine = _journal(tmp_path / "mine.sciatica", "Ann")
    _journal(tmp_path / "other.sciatica", "Bea")
    assert read_verified(tmp_path / "mine.sciatica", mine).journal_id == mine
    # Replaced by another journal's copy between the caller's look and the read: refused.
    with pytest.raises(MergeRefused, match="another journal"):
        read_verified(tmp_path / "other.sciatica", mine)


def test_a_new_patients_rows_are_the_copys_own_bytes_in_its_order(tmp_path: Path) -> None:
    path = tmp_path / "mine.sciatica"
    journal_id = _journal(path, "Ann")
    copy = read_verified(path)
    mapper = ClinicMapper(MsgspecTranscoder())
    taken = take_in([copy, copy], lambda _: HeldLog(mapper, []))  # the second copy adds nothing
    assert [r.added for r in taken.reports] == [len(copy.entries), 0]
    assert [row[1] for row in taken.rows] == list(range(1, len(copy.entries) + 1))
    assert {row[0] for row in taken.rows} == {journal_id}
    assert copy.stored is not None
    assert [(row[2], row[3]) for row in taken.rows] == copy.stored
    assert [mapper.entry_of(row[2], row[3]) for row in taken.rows] == copy.entries


def test_the_rows_given_are_those_the_verified_read_read(tmp_path: Path) -> None:
    from domain.merging import read_copy_log
    from domain.recorder import JournalRecorder

    path = tmp_path / "mine.sciatica"
    journal_id = _journal(path, "Ann")
    log = read_copy_log(path, journal_id, with_rows=True)
    recorder = JournalRecorder(path, readonly=True)
    try:
        stored = recorder.read_log().rows
    finally:
        recorder.close()
    assert log.rows is not None
    assert [tuple(row[:4]) for row in log.rows] == [tuple(row[1:]) for row in stored]
    assert read_copy_log(path, journal_id).rows is None  # only when asked
