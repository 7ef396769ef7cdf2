"""Assigning an outcome measure in Review (review mode only, issue 19): the measure, how often,
the PSFS's activities; plain messages for what is refused; merged back like a note."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.app import QtSession
from desktop.session import JournalSession
from desktop.views.checkin import CheckInView
from desktop.views.review import ReviewView
from domain.application import JournalApp
from domain.copies import export_copy
from tests.desktop_measures.conftest import ACTIVITIES, THERAPIST

DAY = date(2026, 1, 20)


@pytest.fixture
def review_copy(journal: JournalApp, journal_path: Path, tmp_path: Path) -> Iterator[QtSession]:
    """The patient's journal exported and opened for review by THERAPIST, pinned to DAY."""
    journal.rate_pain("2026-01-13T08:00", leg=6, back=2)
    copy = tmp_path / "for-review.sciatica"
    export_copy(journal_path, copy)
    core = JournalSession(JournalApp.open_for_review(copy, THERAPIST))
    core.as_of = DAY
    live = QtSession(core)
    yield live
    live._unsubscribe()
    core.app.close()


def assignments(app: JournalApp) -> list[tuple[str, str, int, list[str]]]:
    return [(e.author_name, e.measure, e.every_days, e.activities) for e in app.entries()
            if e.type_name() == "MeasureAssigned"]


def test_the_reviewer_assigns_a_psfs_with_its_activities(qtbot: QtBot, review_copy: QtSession) -> None:
    view = ReviewView(review_copy)
    qtbot.addWidget(view)
    card = view.measure_card
    assert card.current_label.text() == "None yet."
    card.select("psfs")
    assert card.activities_box.isVisibleTo(card)
    card.every_spin.setValue(14)
    # Two activities are not enough: the card says so plainly and records nothing.
    for edit, name in zip(card.activity_edits, ACTIVITIES[:2], strict=False):
        edit.setText(name)
    qtbot.mouseClick(card.assign_button, Qt.MouseButton.LeftButton)
    assert card.error_label.text() == "PSFS needs 3–5 activities, got 2."
    assert not assignments(review_copy.core.app)
    # The same name twice is refused too.
    card.activity_edits[2].setText(ACTIVITIES[0].upper())
    qtbot.mouseClick(card.assign_button, Qt.MouseButton.LeftButton)
    assert card.error_label.text() == f"The activity {ACTIVITIES[0].upper()!r} is named twice."
    card.activity_edits[2].setText(ACTIVITIES[2])
    with qtbot.waitSignal(card.saved, timeout=1000):
        qtbot.mouseClick(card.assign_button, Qt.MouseButton.LeftButton)
    assert card.error_label.isHidden()
    assert assignments(review_copy.core.app) == [(THERAPIST, "psfs", 14, ACTIVITIES)]
    saved = next(e for e in review_copy.core.app.entries() if e.type_name() == "MeasureAssigned")
    assert saved.author_role == "therapist" and saved.observed_at.date() == DAY
    assert card.current_label.text() == (f"Patient-Specific Functional Scale, every 2 weeks (by {THERAPIST}): "
                                         f"{', '.join(ACTIVITIES)}; due now")


def test_the_sbi_needs_no_activities_and_its_interval_is_at_least_a_week(qtbot: QtBot,
                                                                         review_copy: QtSession) -> None:
    view = ReviewView(review_copy)
    qtbot.addWidget(view)
    card = view.measure_card
    card.select("sbi")
    assert not card.activities_box.isVisibleTo(card)
    # The spin box cannot go below a week (the domain refuses it as well).
    card.every_spin.setValue(3)
    assert card.every_spin.value() == 7 and card.every_spin.minimum() == 7
    qtbot.mouseClick(card.assign_button, Qt.MouseButton.LeftButton)
    assert assignments(review_copy.core.app) == [(THERAPIST, "sbi", 7, [])]
    assert card.current_label.text().startswith(f"Sciatica Bothersomeness Index, every week (by {THERAPIST})")
    # Choosing the measure again shows its current interval, to change or keep.
    card.select("peg")
    assert card.every_spin.value() == 14
    card.select("sbi")
    assert card.every_spin.value() == 7


def test_an_assignment_comes_back_by_merge_and_is_offered_to_the_patient(
        qtbot: QtBot, journal: JournalApp, journal_path: Path, review_copy: QtSession) -> None:
    view = ReviewView(review_copy)
    qtbot.addWidget(view)
    view.measure_card.select("peg")
    view.measure_card.every_spin.setValue(7)
    qtbot.mouseClick(view.measure_card.assign_button, Qt.MouseButton.LeftButton)
    copy = review_copy.core.path
    review_copy.core.app.close()

    report = journal.merge_from(copy)
    assert len(report.added) == 1
    assert assignments(journal) == [(THERAPIST, "peg", 7, [])]
    patient = JournalSession(journal)
    patient.as_of = DAY
    live = QtSession(patient)
    checkin = CheckInView(live)
    qtbot.addWidget(checkin)
    assert set(checkin.measure_notice.buttons) == {"peg"}
    live._unsubscribe()


def test_the_patient_sees_no_assign_card(qtbot: QtBot, journal: JournalApp) -> None:
    live = QtSession(JournalSession(journal))
    view = ReviewView(live)
    qtbot.addWidget(view)
    assert not hasattr(view, "measure_card")
    live._unsubscribe()
