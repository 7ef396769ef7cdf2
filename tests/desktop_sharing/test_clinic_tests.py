"""Clinic tests recorded by the therapist in review mode (issue 17, item 1): the clinic cards
save as the therapist, the patient's entries stay read-only, and a patient's and a therapist's
results of the same day both show, attributed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from desktop.session import ExerciseResponse, HeelRaises, InvalidEntry, JournalError, MuscleGrade, open_session
from desktop.session.clinic import CLINIC_KINDS, clinic_entry
from desktop.views.tests import TestsView
from domain.application import JournalApp
from tests.desktop_sharing.conftest import PATIENT, THERAPIST, make_journal, open_and_wait

CLINIC_DAY = datetime(2026, 10, 8, 15, 0)


def _with_clinic_test(path: Path) -> Path:
    """The patient's heel raises on 8 Oct, and the therapist's own (different) count that day,
    come back from the clinic the way review notes do (appended as the therapist's entry)."""
    with JournalApp.open(path) as app:
        app.record("HeelRaisesTested", {"side": "left", "repetitions": 14}, observed_at=datetime(2026, 10, 8, 9))
    review = open_session(path, therapist=THERAPIST)
    try:
        event = clinic_entry(review, HeelRaises("left", 9), CLINIC_DAY)
    finally:
        review.close()
    with JournalApp.open(path) as app:
        app.append([event])
    return path


def test_a_clinic_test_is_the_therapists_own_entry(tmp_path: Path) -> None:
    path = make_journal(tmp_path / "maya.sciatica")
    review = open_session(path, therapist=THERAPIST)
    try:
        event = clinic_entry(review, MuscleGrade("ankle_dorsiflexion", "left", 4), CLINIC_DAY)
        assert (event.type_name(), event.author_role, event.author_name) == ("MuscleGraded", "therapist", THERAPIST)
        assert event.fields() == {"muscle": "ankle_dorsiflexion", "side": "left", "grade": 4}
        # Fail to record what is not a clinic test, or an out-of-range grade
        with pytest.raises(InvalidEntry, match="clinic tests only"):
            clinic_entry(review, ExerciseResponse("prone press-up", "calf", "thigh"), CLINIC_DAY)
        with pytest.raises(InvalidEntry, match="grade"):
            clinic_entry(review, MuscleGrade("ankle_dorsiflexion", "left", 7), CLINIC_DAY)
    finally:
        review.close()
    # Fail to record one as a therapist in the patient's own (not reviewed) copy
    own = open_session(path)
    try:
        with pytest.raises(JournalError, match="open the journal for review"):
            clinic_entry(own, HeelRaises("left", 9), CLINIC_DAY)
    finally:
        own.close()


def test_in_review_mode_the_clinic_cards_save_as_the_therapist(qtbot: Any, tmp_path: Path, boxes: Any,
                                                               window_factory: Any) -> None:
    window = window_factory()
    window.as_of = date(2026, 10, 9)
    open_and_wait(qtbot, window, make_journal(tmp_path / "maya.sciatica"), therapist=THERAPIST)
    view = window.views["tests"]
    assert isinstance(view, TestsView)
    for kind, card in view.cards.items():
        if kind in CLINIC_KINDS:
            assert card.save_button.isEnabled() and card.save_button.text() == f"Save as {THERAPIST}"
        else:  # the patient's own exercise responses stay closed to the therapist
            assert not card.save_button.isEnabled() and card.save_button.text() == "Save"
    assert not window.views["checkin"].save_button.isEnabled()


def test_a_patients_and_a_therapists_test_of_the_same_day_both_show_attributed(
        qtbot: Any, tmp_path: Path, boxes: Any, window_factory: Any) -> None:
    window = window_factory()
    window.as_of = date(2026, 10, 9)
    open_and_wait(qtbot, window, _with_clinic_test(make_journal(tmp_path / "maya.sciatica")))
    view = window.views["tests"]
    assert isinstance(view, TestsView)
    latest = view.cards["HeelRaisesTested"].latest_label.text()
    assert "Heel raises left: 14 (8 Oct" in latest and "patient)" in latest
    assert "Heel raises left: 9 (8 Oct" in latest and f"therapist {THERAPIST})" in latest
    # A card with the patient's results only does not name the author
    slr = view.cards["StraightLegRaiseTested"].latest_label.text()
    assert "patient" not in slr and PATIENT not in slr


def test_saving_a_clinic_card_in_review_mode_records_the_therapists_entry(
        qtbot: Any, tmp_path: Path, boxes: Any, window_factory: Any) -> None:
    window = window_factory()
    window.as_of = date(2026, 10, 9)
    open_and_wait(qtbot, window, make_journal(tmp_path / "maya.sciatica"), therapist=THERAPIST)
    window.show_view("tests")
    view = window.views["tests"]
    assert isinstance(view, TestsView) and window.session is not None
    card = view.cards["HeelRaisesTested"]
    card.form.editors["repetitions"].set_value(11)
    card.save_button.click()
    assert boxes.calls == []
    saved = [e for e in window.session.app.entries() if e.type_name() == "HeelRaisesTested"]
    assert [(e.author_role, e.author_name, e.repetitions) for e in saved] == [("therapist", THERAPIST, 11)]
