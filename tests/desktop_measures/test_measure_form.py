"""Filling in a due outcome measure from the check-in page (issue 19): a calm notice, one
screen of number buttons, Save / Cancel, and never due again within its interval (≥ a week)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.app import QtSession
from desktop.views.checkin import CheckInView
from desktop.views.measure_form import MeasureDialog
from domain.application import JournalApp
from tests.desktop_measures.conftest import ACTIVITIES, THERAPIST, TODAY

SBI_ITEMS = ["leg_pain", "numbness_tingling", "leg_weakness", "sitting_pain"]


def answers_of(app: JournalApp, measure: str) -> list[list[dict[str, object]]]:
    return [e.answers for e in app.entries() if e.type_name() == "MeasureAnswered" and e.measure == measure]


def click(qtbot: QtBot, dialog: MeasureDialog, item: int, value: int) -> None:
    """Click number VALUE of question ITEM (1-based), as the patient does."""
    qtbot.mouseClick(list(dialog.ratings.values())[item - 1].button(value), Qt.MouseButton.LeftButton)


def test_a_due_measure_is_offered_and_filled_in_with_number_buttons(qtbot: QtBot, session: QtSession,
                                                                     assigned: JournalApp) -> None:
    view = CheckInView(session)
    qtbot.addWidget(view)
    notice = view.measure_notice
    # Both assigned measures are due (never answered): one calm line, a button for each.
    assert not notice.isHidden()
    text = notice.title_label.text()
    assert text == ("A short questionnaire is due: Patient-Specific Functional Scale and "
                    "Sciatica Bothersomeness Index.")
    assert set(notice.buttons) == {"psfs", "sbi"}

    qtbot.mouseClick(notice.buttons["sbi"], Qt.MouseButton.LeftButton)
    dialog = notice.dialog
    assert isinstance(dialog, MeasureDialog) and dialog.isVisible()
    # The project's own item text, 0–6 for the SBI; Save waits for every answer.
    questions = [r.title_label.text() for r in dialog.ratings.values()]
    assert questions[0] == "1. How much has leg pain bothered you in the last week?"
    assert list(dialog.ratings) == SBI_ITEMS
    assert sorted(dialog.ratings["leg_pain"].buttons) == list(range(7))
    assert not dialog.save_button.isEnabled()
    for i, value in enumerate((4, 2, 0, 5), start=1):
        click(qtbot, dialog, i, value)
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(notice.saved, timeout=1000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert view.saved_label.text().startswith("Questionnaire saved at ")
    assert answers_of(assigned, "sbi") == [[{"item": "leg_pain", "value": 4}, {"item": "numbness_tingling", "value": 2},
                                            {"item": "leg_weakness", "value": 0}, {"item": "sitting_pain", "value": 5}]]
    saved = next(e for e in assigned.entries() if e.type_name() == "MeasureAnswered")
    assert saved.observed_at.date() == TODAY and saved.author_role == "patient"
    # Answered today: only the PSFS is still due.
    assert set(notice.buttons) == {"psfs"}
    assert notice.buttons["psfs"].text() == "Fill it in"
    assert notice.title_label.text() == "A short questionnaire is due: Patient-Specific Functional Scale."


def test_the_psfs_asks_about_the_therapists_activities_on_0_to_10(qtbot: QtBot, session: QtSession,
                                                                   assigned: JournalApp) -> None:
    view = CheckInView(session)
    qtbot.addWidget(view)
    dialog = view.measure_notice.open_form(next(f for f in view.measure_notice.forms if f.measure == "psfs"))
    qtbot.addWidget(dialog)
    assert list(dialog.ratings) == ACTIVITIES
    assert [r.title_label.text() for r in dialog.ratings.values()] == [
        f"{i}. {name}" for i, name in enumerate(ACTIVITIES, start=1)]
    assert sorted(dialog.ratings[ACTIVITIES[0]].buttons) == list(range(11))
    assert f"Asked for by {THERAPIST}." in [label.text() for label in dialog.findChildren(QLabel)]
    for i, value in enumerate((3, 7, 10), start=1):
        click(qtbot, dialog, i, value)
    # A second click on a chosen number takes it back: Save is off again until it is answered.
    click(qtbot, dialog, 2, 7)
    assert not dialog.save_button.isEnabled() and dialog.hint_label.text() == "1 of 3 still to answer"
    click(qtbot, dialog, 2, 6)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert answers_of(assigned, "psfs") == [[{"item": name, "value": v} for name, v in zip(ACTIVITIES, (3, 6, 10),
                                                                                          strict=True)]]


def test_cancel_records_nothing(qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    view = CheckInView(session)
    qtbot.addWidget(view)
    count = len(assigned.entries())
    qtbot.mouseClick(view.measure_notice.buttons["sbi"], Qt.MouseButton.LeftButton)
    dialog = view.measure_notice.dialog
    assert dialog is not None
    click(qtbot, dialog, 1, 3)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert len(assigned.entries()) == count
    assert set(view.measure_notice.buttons) == {"psfs", "sbi"}


def test_a_measure_is_never_due_again_within_its_interval(qtbot: QtBot, session: QtSession,
                                                          assigned: JournalApp) -> None:
    """The projection's rule, as the check-in shows it: weekly SBI answered on the 20th is due
    again on the 27th, not on the 26th."""
    assigned.answer_measure("2026-01-20T09:00", "sbi", [{"item": i, "value": 1} for i in SBI_ITEMS])
    for day, due in ((TODAY, False), (TODAY + timedelta(days=6), False), (TODAY + timedelta(days=7), True)):
        session.core.as_of = day
        view = CheckInView(session)
        qtbot.addWidget(view)
        assert ("sbi" in view.measure_notice.buttons) is due, day


def test_nothing_is_offered_without_an_assignment_in_review_mode_or_during_replay(
        qtbot: QtBot, journal_path, tmp_path) -> None:
    from desktop.session import JournalSession

    app = JournalApp.create(tmp_path / "plain.sciatica", patient="B. Patient", affected_side="right",
                            onset_date="2026-01-02", observed_at="2026-01-03T09:00")
    plain = QtSession(JournalSession(app))
    view = CheckInView(plain)
    qtbot.addWidget(view)
    assert view.measure_notice.isHidden() and not view.measure_notice.buttons
    plain._unsubscribe()
    app.close()

    with JournalApp.create(journal_path, patient="A. Patient", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12T09:00") as patient:
        patient.assign_measure(THERAPIST, "peg", every_days=7, observed_at="2026-01-13")
    reviewing = QtSession(JournalSession(JournalApp.open_for_review(journal_path, THERAPIST)))
    reviewing.core.as_of = date(2026, 1, 20)
    view = CheckInView(reviewing)
    qtbot.addWidget(view)
    assert view.measure_notice.isHidden()  # the therapist does not answer the patient's questionnaire
    reviewing._unsubscribe()
    reviewing.core.app.close()


def test_replay_hides_the_notice(qtbot: QtBot, session: QtSession) -> None:
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.set_replay(date(2026, 1, 16))
    assert view.measure_notice.isHidden()
    view.set_replay(None)
    assert not view.measure_notice.isHidden()


def test_the_notice_follows_the_date_when_the_page_is_shown_again(qtbot: QtBot, session: QtSession,
                                                                  assigned: JournalApp) -> None:
    assigned.answer_measure("2026-01-20T09:00", "sbi", [{"item": i, "value": 1} for i in SBI_ITEMS])
    view = CheckInView(session)
    qtbot.addWidget(view)
    view.show()
    assert "sbi" not in view.measure_notice.buttons
    view.hide()
    session.core.as_of = TODAY + timedelta(days=7)  # a week later, the app still open
    view.show()
    assert "sbi" in view.measure_notice.buttons
