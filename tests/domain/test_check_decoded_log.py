"""``check_decoded_log``: the check of a whole log the codec read (``JournalApp.open`` with
``check_entries``: ``sciatica merge``'s and ``clinic add``'s copies), in batches by type. It must
refuse what checking entry by entry (``RecoveryJournal.apply`` → ``check_stored``) refuses."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.errors import MergeRefused, NotAJournal
from domain.events import DamagedEntry, EntryEvent
from domain.journal import RecoveryJournal
from domain.merging import read_copy
from domain.stored_entries import check_decoded_log
from tests.domain.test_stored_entries import edit_state
from tests.sharing.test_verify_fast import rechain


@pytest.fixture
def saved(journal: JournalApp, journal_path: Path) -> Path:
    symptoms = journal.record_symptoms("2026-01-13", [{"region": "calf", "side": "left", "sensation": "pain",
                                                       "intensity": 5}])
    journal.correct(symptoms, {"symptoms": []}, reason="gone already")
    journal.rate_pain("2026-01-14", leg=4)
    journal.close()
    return journal_path


@pytest.mark.parametrize(("rowid", "old", "new"), [
    (3, '"symptoms":[]', '"symptoms":"none"'),  # a replacement its target's type does not allow
    (4, '"leg":4', '"leg":null'),  # a pain rating with no value (a cross-field rule)
])
def test_a_rechained_edit_only_the_rules_catch_is_refused_when_checked(saved: Path, rowid: int, old: str,
                                                                       new: str) -> None:
    edit_state(saved, rowid, old, new)
    rechain(saved)
    with JournalApp.open(saved, readonly=True) as app:  # the chain holds: a plain open trusts it
        journal_id = app.journal_id
    with pytest.raises(NotAJournal, match="the journal is damaged and cannot be read"):
        JournalApp.open(saved, readonly=True, check_entries=True)
    with pytest.raises(MergeRefused):
        read_copy(saved, journal_id)


def _entries(path: Path) -> list[EntryEvent]:
    with JournalApp.open(path, readonly=True) as app:
        return app.entries()


def _apply_verdict(events: list[EntryEvent]) -> str | None:
    try:
        RecoveryJournal.from_events(events)
    except DamagedEntry as exc:
        return str(exc)
    return None


def _batch_verdict(events: list[EntryEvent]) -> str | None:
    try:
        check_decoded_log(events)
    except DamagedEntry as exc:
        return str(exc)
    return None


def test_the_batch_check_agrees_with_applying_entry_by_entry(saved: Path) -> None:
    start, symptoms, correction, pain = _entries(saved)
    bad = copy.copy(correction)
    object.__setattr__(bad, "__dict__", {**correction.__dict__, "replacement": {
        **correction.__dict__["replacement"], "symptoms": "none"}})
    no_id = copy.copy(pain)
    object.__setattr__(no_id, "__dict__", {**pain.__dict__, "originator_version": 2})
    logs = {
        "sound": [start, symptoms, correction, pain],
        "a bad replacement": [start, symptoms, bad, pain],
        # The target after the correction: neither check knows its type yet, so only the shape counts.
        "a bad replacement before its target": [start, bad, symptoms, pain],
        "a damaged id": [start, symptoms, correction, no_id],
    }
    verdicts = {name: (_apply_verdict(log), _batch_verdict(log)) for name, log in logs.items()}
    for name, (applied, batched) in verdicts.items():
        assert applied == batched, name
    assert verdicts["sound"][0] is None and verdicts["a bad replacement before its target"][0] is None
    assert verdicts["a bad replacement"][0] and verdicts["a damaged id"][0]
