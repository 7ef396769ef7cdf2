"""The review round trip in the app: export for review, open the copy as a therapist, add a
note through the Review view, merge it back, and read it beside its entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.app import settings
from desktop.views.review import JOURNAL_WORDS, ReviewView
from domain.application import JournalApp
from domain.errors import ReadOnlyJournal
from projections.history import summarize
from tests.desktop_sharing.conftest import THERAPIST, make_journal, open_and_wait


def test_note_from_a_review_copy_comes_back_beside_its_entry(qtbot, tmp_path, boxes, prompts, window_factory):
    patient_path = make_journal(tmp_path / "maya.sciatica")
    copy = tmp_path / "maya-for-review.sciatica"

    # Export for review from the patient's window
    patient = window_factory()
    open_and_wait(qtbot, patient, patient_path)
    assert patient.sharing.export_review_action.isEnabled()
    prompts.save_file.append(str(tmp_path / "maya-for-review"))  # the extension is added
    patient.sharing.export_review_action.trigger()
    kind, (caption, suggested) = prompts.asked[-1]
    assert (kind, caption) == ("save", "Export for review")
    assert Path(suggested).name == "maya-for-review.sciatica"
    assert copy.exists()
    assert boxes.calls == []

    # Open the copy for review as the therapist (another window: the patient's stays open)
    therapist = window_factory()
    prompts.open_file.append(str(copy))
    prompts.names.append((f"  {THERAPIST} ", True))
    therapist.sharing.open_review_action.trigger()
    qtbot.waitUntil(lambda: therapist.session is not None, timeout=10000)
    assert therapist.session.reviewer == THERAPIST
    assert settings().value("review/therapist") == THERAPIST
    bar = therapist.sharing.review_bar
    assert bar.isVisible()
    assert bar.title.text() == f"Reviewing as {THERAPIST}: the patient's entries are read-only"
    # Issue 17: review mode opens on "Since last visit" (it used to open on the Review page).
    assert therapist.stack.currentWidget() is therapist.views["summary"]
    assert not therapist.views["checkin"].save_button.isEnabled()
    assert not therapist.sharing.passphrase_action.isEnabled()

    # Add a note about one entry through the Review view's form
    view = therapist.views["review"]
    assert isinstance(view, ReviewView)
    pain = next(e for e in therapist.session.app.entries() if e.type_name() == "PainRated")
    assert not view.save_note_button.isEnabled()  # nothing typed yet
    view.select_about(pain.entry_id)
    assert view.selected_about() == pain.entry_id
    qtbot.keyClicks(view.note_edit, "Leg pain is easing: keep the walks short and frequent.")
    with qtbot.waitSignal(view.saved, timeout=1000):
        qtbot.mouseClick(view.save_note_button, Qt.MouseButton.LeftButton)
    assert boxes.calls == []
    assert [c.text() for c in view.cards] == ["Leg pain is easing: keep the walks short and frequent."]
    assert view.note_edit.toPlainText() == ""
    assert view.selected_about() is None  # back to the journal as a whole
    therapist.close_journal()  # the therapist sends the file back

    # The patient merges it back
    patient.show_view("checkin")
    timeline, count = patient.session.timeline, len(patient.session.app.entries())
    prompts.open_file.append(str(copy))
    patient.sharing.merge_action.trigger()
    assert boxes.texts("information") == [f"1 review note added from {copy}"]
    assert patient.session.timeline is timeline and len(timeline) == count + 1  # applied, not rebuilt
    assert patient.stack.currentWidget() is patient.views["review"]
    review = patient.views["review"]
    assert [(c.note.therapist, c.text()) for c in review.cards] == [
        (THERAPIST, "Leg pain is easing: keep the walks short and frequent.")]
    assert review.cards[0].about_text() == summarize(pain)
    assert review.count_label.text() == f"1 note from {THERAPIST}"
    assert "maya-for-review.sciatica" in review.merges_label.text()

    # Merging again brings nothing new
    prompts.open_file.append(str(copy))
    patient.sharing.merge_action.trigger()
    assert boxes.texts("information")[-1].startswith("Nothing new:")
    assert len(review.cards) == 1


def test_review_mode_refuses_the_patients_forms(qtbot, tmp_path, boxes, window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=1)
    window = window_factory()
    open_and_wait(qtbot, window, path, therapist=THERAPIST)
    session = window.session
    assert session.readonly and not session.app.readonly
    checkin = window.views["checkin"]
    assert not checkin.save_button.isEnabled()
    # Issue 17: the clinic tests' cards now save as the therapist; the patient's other forms stay closed.
    assert not any(card.save_button.isEnabled() for card in window.views["tests"].cards.values()
                   if not card.clinic)
    checkin.leg_rating.set_value(3)
    # Issue 17 changes the rule: the reviewer may add clinic tests too, and the message says so;
    # issue 19 adds measure assignments, so the message names them as well.
    with pytest.raises(ReadOnlyJournal,
                       match=re.escape(f"only {THERAPIST}'s review notes, measure assignments and clinic "
                                       "tests can be added")):
        session.core.record_all(checkin.entries(), observed_at=checkin.observed_at())
    count = len(session.app.entries())
    # a general note is still welcome
    view = window.views["review"]
    view.note_edit.setPlainText("General: doing well.")
    qtbot.mouseClick(view.save_note_button, Qt.MouseButton.LeftButton)
    assert len(session.app.entries()) == count + 1
    assert view.cards[0].about_text() == JOURNAL_WORDS
    assert boxes.calls == []


def test_the_patient_sees_how_review_works_and_no_form(qtbot, tmp_path, window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=1)
    window = window_factory()
    open_and_wait(qtbot, window, path)
    view = window.views["review"]
    assert not hasattr(view, "note_edit")
    window.show_view("review")
    assert view.empty_card.isVisible()
    assert "Merge review" in view.empty_hint.text()
    assert not window.sharing.review_bar.isVisible()
    assert window.sharing.merge_action.text() == "&Merge review…"


def test_merging_another_journals_file_is_refused_and_changes_nothing(qtbot, tmp_path, boxes, prompts,
                                                                      window_factory):
    path = make_journal(tmp_path / "maya.sciatica")
    stranger = make_journal(tmp_path / "someone-else.sciatica", days=2)
    window = window_factory()
    open_and_wait(qtbot, window, path)
    before = [e.entry_id for e in window.session.app.entries()]
    changed: list[object] = []
    window.session.changed.connect(changed.append)
    prompts.open_file.append(str(stranger))
    window.sharing.merge_action.trigger()
    assert boxes.texts("information") == []
    [(kind, title, text)] = boxes.calls
    assert (kind, title) == ("warning", "Nothing merged")
    assert "a copy of another journal" in text and text.endswith("nothing was merged")
    assert [e.entry_id for e in window.session.app.entries()] == before
    assert changed == []
    window.close_journal()
    with JournalApp.open(path, readonly=True) as app:
        assert [e.entry_id for e in app.entries()] == before
        assert app.merge_records() == []


def test_merging_a_file_that_is_no_journal_says_so(qtbot, tmp_path, boxes, prompts, window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=1)
    junk = tmp_path / "notes.sciatica"
    junk.write_text("not a journal")
    window = window_factory()
    open_and_wait(qtbot, window, path)
    prompts.open_file.append(str(junk))
    window.sharing.merge_action.trigger()
    [(kind, _title, text)] = boxes.calls
    assert kind == "warning" and "nothing was merged" in text


def test_an_encrypted_review_copy_asks_for_its_passphrase_to_merge(qtbot, tmp_path, boxes, prompts,
                                                                  window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=2)
    copy = tmp_path / "locked-copy.sciatica"
    with JournalApp.open(path) as app:
        app.copy_as(copy, passphrase="hazel 42")
    with JournalApp.open_for_review(copy, THERAPIST, passphrase="hazel 42") as app:
        app.review_note("Good progress.")
    window = window_factory()
    open_and_wait(qtbot, window, path)
    answers = ["hazel", "hazel 42"]
    asked: list[str] = []

    def ask(parent, prompt, error="", **kw):
        asked.append(error)
        return answers.pop(0)

    window.sharing.ask_passphrase = ask
    prompts.open_file.append(str(copy))
    window.sharing.merge_action.trigger()
    assert asked[0] == "" and "wrong passphrase" in asked[1]
    assert boxes.texts("information") == [f"1 review note added from {copy}"]
    assert window.views["review"].cards[0].text() == "Good progress."
