"""Encrypted journals ask for their passphrase in a dialog; a broken hash chain opens read-only
with a warning; Set/Remove passphrase rewrite the file and swap it in safely."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.widgets.passphrase import PassphraseDialog
from domain.application import JournalApp
from tests.desktop_sharing.conftest import PATIENT, THERAPIST, make_journal, open_and_wait


class Answers:
    """A scripted ``ask_passphrase``: records the error each ask showed."""

    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.errors: list[str] = []
        self.prompts: list[str] = []

    def __call__(self, parent, prompt, error="", **kwargs):
        self.prompts.append(prompt)
        self.errors.append(error)
        return self.answers.pop(0)


def test_an_encrypted_journal_asks_for_the_passphrase_and_again_after_a_wrong_one(qtbot, tmp_path, boxes,
                                                                                   window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=2, passphrase="river stone")
    window = window_factory()
    ask = Answers("river", "river stone")
    window.sharing.ask_passphrase = ask
    window.open_journal(path)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    assert ask.errors == ["", f"{path}: wrong passphrase; the journal was not opened"]
    assert "maya.sciatica is protected with a passphrase" in ask.prompts[0]
    assert window.session.app.encrypted
    assert window.session.app.identity.patient == PATIENT
    assert window.sharing.passphrase_action.text() == "Change &passphrase…"
    assert window.sharing.remove_passphrase_action.isVisible()
    assert boxes.calls == []


def test_cancelling_the_real_passphrase_dialog_keeps_nothing_open(qtbot, tmp_path, boxes, window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=1, passphrase="river stone")
    window = window_factory()
    seen: list[PassphraseDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog)
        assert dialog.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, answer)
    window.open_journal(path)
    qtbot.waitUntil(lambda: bool(seen) and not window.is_opening(), timeout=10000)
    qtbot.wait(50)
    assert window.session is None
    assert window.pages.currentWidget() is window._pages["empty"]
    assert boxes.calls == []
    with JournalApp.open(path, passphrase="river stone"):  # nothing kept it locked
        pass


def test_the_real_passphrase_dialog_opens_the_journal_for_review(qtbot, tmp_path, boxes, window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=1, passphrase="river stone")
    window = window_factory()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PassphraseDialog):
            QTimer.singleShot(20, answer)
            return
        qtbot.keyClicks(dialog.passphrase_edit, "river stone")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, answer)
    window.open_journal(path, therapist=THERAPIST)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    assert window.session.reviewer == THERAPIST and window.session.app.encrypted
    assert window.sharing.review_bar.isVisible()


def test_the_new_passphrase_dialog_wants_it_twice(qtbot):
    dialog = PassphraseDialog(None, title="Set passphrase", prompt="Type a passphrase", confirm=True)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and "must not be empty" in dialog.error_label.text()
    qtbot.keyClicks(dialog.passphrase_edit, "one two")
    assert dialog.confirm_edit is not None
    qtbot.keyClicks(dialog.confirm_edit, "one too")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 0 and "differ" in dialog.error_label.text()
    assert dialog.confirm_edit.text() == ""
    qtbot.keyClicks(dialog.confirm_edit, "one two")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1 and dialog.passphrase() == "one two"


def _tamper(path: Path, rowid: int) -> tuple[str, str]:
    """Change one stored event's bytes as an editor outside the app would; (type, observed day)."""
    import json

    with closing(sqlite3.connect(path)) as conn, conn:
        topic, state = conn.execute("SELECT topic, state FROM stored_events WHERE rowid = ?", (rowid,)).fetchone()
        changed = bytes(state).replace(b'"author_name":"', b'"author_name":"Someone else, not ', 1)
        assert changed != bytes(state)
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (changed, rowid))
    observed = json.loads(changed)["observed_at"]
    # Plain ISO text since issue 13 (msgspec codec); {"_type_", "_data_"} in files written before.
    return topic.rsplit(":", 1)[-1], str(observed["_data_"] if isinstance(observed, dict) else observed)[:10]


def test_a_journal_changed_outside_the_app_opens_read_only_with_a_calm_warning(qtbot, tmp_path, boxes,
                                                                             window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=3)
    type_name, day = _tamper(path, 5)  # the second day's pain rating
    window = window_factory()
    open_and_wait(qtbot, window, path)
    session = window.session
    assert session is not None and session.app.readonly and session.readonly
    bar = window.sharing.integrity_bar
    assert bar.isVisible()
    assert bar.title.text() == (f"This journal was changed outside the app: entry 5 ({type_name}, observed "
                                f"{day}) does not match its recorded hash. It is open read-only.")
    assert "nothing new can be saved" in bar.body.text()
    assert not window.views["checkin"].save_button.isEnabled()
    assert not window.sharing.merge_action.isEnabled()
    assert not window.sharing.passphrase_action.isEnabled()
    assert boxes.calls == []
    window.close_journal()
    assert not bar.isVisible()


def test_set_then_remove_a_passphrase_swaps_the_file_and_reopens(qtbot, tmp_path, boxes, window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=2)
    window = window_factory()
    open_and_wait(qtbot, window, path)
    entries = [e.entry_id for e in window.session.app.entries()]
    window.show_view("tests")
    asked: list[str] = []

    def new_passphrase(parent, prompt, **kwargs):
        asked.append(prompt)
        return "blue heron"

    window.sharing.ask_new_passphrase = new_passphrase
    window.sharing.passphrase_action.trigger()
    qtbot.waitUntil(lambda: window.session is not None and not window.is_opening(), timeout=10000)
    assert boxes.calls == [] and asked
    assert window.session.app.encrypted and JournalApp.is_encrypted(path)
    assert [e.entry_id for e in window.session.app.entries()] == entries
    assert window.stack.currentWidget() is window.views["tests"]
    left = {p.name for p in tmp_path.iterdir() if p.name.startswith(("maya", ".maya"))}
    assert left <= {"maya.sciatica", "maya.sciatica-wal", "maya.sciatica-shm"}  # no .bak, no .new

    window.sharing.remove_passphrase_action.trigger()  # the question is answered Yes
    qtbot.waitUntil(lambda: window.session is not None and not window.is_opening(), timeout=10000)
    assert [k for k, _, _ in boxes.calls] == ["question"]
    assert not window.session.app.encrypted and not JournalApp.is_encrypted(path)
    assert [e.entry_id for e in window.session.app.entries()] == entries
    assert not (tmp_path / "maya.sciatica.bak").exists()


def test_a_leftover_backup_stops_the_passphrase_change_and_keeps_the_journal_open(qtbot, tmp_path, boxes,
                                                                                window_factory):
    path = make_journal(tmp_path / "maya.sciatica", days=1)
    (tmp_path / "maya.sciatica.bak").write_bytes(b"an earlier backup")
    window = window_factory()
    open_and_wait(qtbot, window, path)
    session = window.session
    window.sharing.ask_new_passphrase = lambda *a, **k: "blue heron"
    window.sharing.passphrase_action.trigger()
    [(kind, _title, text)] = boxes.calls
    assert kind == "warning" and "maya.sciatica.bak" in text
    assert window.session is session and not JournalApp.is_encrypted(path)
