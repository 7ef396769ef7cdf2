"""The window behaves the same whether a start-up checkpoint stood in for reading the journal
or the file was read and replayed in full: every action (save, correct, retract, the replay
slider, the Timeline, export, merge, passphrase change) is run on both and checked alike."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.cli import main as cli_main
from desktop.main_window import MainWindow
from desktop.session import checkpoint as checkpoint_module
from desktop.session.checkpoint import wait_for_writes
from domain.application import JournalApp
from domain.copies import verify_journal
from tests.desktop import checkpoint_fixtures
from tests.desktop.checkpoint_fixtures import ENTRIES, JOURNEY

# The shared fixtures, used here under their own names.
checkpoints_for_short_journals = checkpoint_fixtures.checkpoints_for_short_journals


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []

    def box(parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        said.append(text)
        return QMessageBox.StandardButton.Yes

    for kind in ("warning", "information", "question"):
        monkeypatch.setattr(QMessageBox, kind, box)
    return said


def _window(qtbot: Any) -> MainWindow:
    window = MainWindow()
    window.persist_settings = False
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    return window


def _open(qtbot: Any, window: MainWindow, path: Path) -> None:
    window.open_journal(path)
    qtbot.waitUntil(lambda: window.session is not None and not window.is_opening(), timeout=20000)


@pytest.fixture(params=["read in full", "from the checkpoint"])
def window(request: pytest.FixtureRequest, qtbot: Any, tmp_path: Path, boxes: list[str]) -> Iterator[MainWindow]:
    path = tmp_path / "classic.sciatica"
    assert cli_main(["import", str(path), str(JOURNEY)]) == 0
    checkpointed = request.param == "from the checkpoint"
    if checkpointed:  # an earlier start: Progress shown, then the journal closed
        first = _window(qtbot)
        _open(qtbot, first, path)
        first.show_view("progress")
        qtbot.wait(20)
        first.close_journal()
        wait_for_writes()
    else:
        checkpoint_module.CheckpointStore(Path(tmp_path / "cache" / "checkpoints")).forget(path)
    shown = _window(qtbot)
    _open(qtbot, shown, path)
    assert shown.session is not None and shown.session.core.from_checkpoint == checkpointed
    yield shown
    shown.close_journal()
    wait_for_writes()


def _verified(path: Path, entries: int) -> None:
    check = verify_journal(path, deep=True)
    assert check.problem is None and check.entries == entries


def test_a_check_in_saved_through_the_view_extends_the_file(window, qtbot):
    core = window.session.core
    header_before = window.header.stage_label.text()
    window.show_view("checkin")
    view = window.views["checkin"]
    view.leg_rating.set_value(3)
    view.back_rating.set_value(2)
    view.save_button.click()
    assert len(core.app.entries()) == ENTRIES + 1
    assert core.app.entries()[-1].type_name() == "PainRated"
    assert window.header.stage_label.text()  # re-rendered from the new status
    assert header_before
    window.close_journal()
    wait_for_writes()
    _verified(core.path, ENTRIES + 1)
    with JournalApp.open(core.path, readonly=True) as app:
        assert app.entries()[-1].leg == 3


def test_correct_and_retract_reach_the_timeline_and_the_file(window, qtbot):
    core = window.session.core
    window.show_view("timeline")
    timeline = window.views["timeline"]
    assert timeline.model.rowCount() == ENTRIES
    pain = core.latest(["PainRated"])[0]
    core.correct(pain.entry_id, {"leg": 1, "back": 1}, "typed the wrong number")
    assert core.effective_entry(pain.entry_id).leg == 1
    walk = core.latest(["WalkRecorded"])[0]
    core.retract(walk.entry_id, "not my walk")
    assert core.effective_entry(walk.entry_id) is None
    qtbot.wait(10)
    assert timeline.model.rowCount() == ENTRIES + 2
    assert timeline.model.row_of(pain.entry_id) is not None
    path = core.path
    window.close_journal()
    wait_for_writes()
    _verified(path, ENTRIES + 2)


def test_the_replay_slider_shows_an_earlier_day(window, qtbot):
    core = window.session.core
    first, _last = core.observed_range()
    window.show_view("progress")
    window.replay.set_date(first + timedelta(days=10))
    assert window.replay.moment() == first + timedelta(days=10)
    assert window.views["progress"].snapshot == core.status(first + timedelta(days=10))
    window.replay.set_recorded(core.recorded_moments()[100])
    assert window.views["progress"].snapshot == core.status(core.recorded_moments()[100])
    window.replay.set_live()
    assert window.replay.moment() is None


def test_export_makes_a_sound_copy_with_every_entry(window, tmp_path):
    out = tmp_path / "copy.sciatica"
    assert window.save_copy(out)
    _verified(out, ENTRIES)


def test_merge_takes_in_the_other_copys_new_entry(window, tmp_path, boxes):
    core = window.session.core
    other = tmp_path / "other.sciatica"
    assert window.save_copy(other)
    with JournalApp.open(other) as app:
        last = max(e.observed_at for e in app.entries())
        app.rate_pain(last + timedelta(hours=3), leg=2, back=1)
    report = window.sharing.merge_file(other)
    assert report is not None and len(report.added) == 1
    assert len(core.app.entries()) == ENTRIES + 1
    path = core.path
    window.close_journal()
    wait_for_writes()
    _verified(path, ENTRIES + 1)


def test_a_passphrase_change_reopens_the_journal_encrypted_and_keeps_no_checkpoint(window, qtbot, tmp_path):
    path = window.session.core.path
    entries = [e.entry_id for e in window.session.app.entries()]
    window.sharing.ask_new_passphrase = lambda parent, prompt, **kwargs: "blue heron"
    window.sharing.ask_passphrase = lambda parent, prompt, error="", **kwargs: "blue heron"
    window.sharing.passphrase_action.trigger()
    qtbot.waitUntil(lambda: window.session is not None and not window.is_opening(), timeout=20000)
    assert window.session.app.encrypted and JournalApp.is_encrypted(path)
    assert [e.entry_id for e in window.session.app.entries()] == entries
    assert not window.session.core.from_checkpoint
    window.close_journal()
    wait_for_writes()
    store = checkpoint_module.CheckpointStore(tmp_path / "cache" / "checkpoints")
    assert not store.file_for(path).exists()  # the plain journal's checkpoint went with it


def test_the_first_views_read_no_entries_and_every_view_shows(window, qtbot):
    """From a checkpoint, the header, Check-in and Progress are drawn from its face alone; a
    view that lists entries (the Timeline) reads the rest then. Every view shows either way."""
    core = window.session.core
    window.show_view("checkin")
    window.show_view("progress")
    qtbot.wait(20)
    assert window.header.stage_label.text()
    assert core.entries_read == (not core.from_checkpoint)
    for name in window.nav_buttons:
        window.show_view(name)
        qtbot.wait(5)
        assert window.stack.currentWidget() is window.views[name]
    assert core.entries_read
    assert window.views["timeline"].model.rowCount() == ENTRIES


def test_entries_that_cannot_be_read_are_refused_in_a_message_box_and_nothing_is_lost(window, qtbot, boxes):
    """After a start from a checkpoint whose rest is damaged, with the journal changed by
    another program since: a view that needs the entries (the Timeline), an earlier moment on
    the slider and a save are each refused in a message box (never only in the log); the view
    shown, today's state and the check-in's form stay as they were, and nothing is written."""
    core = window.session.core
    if not core.from_checkpoint:
        pytest.skip("the entries are all read at a full open")
    path = core.path
    damaged = checkpoint_module.CheckpointStore(path.parent / "cache" / "checkpoints").file_for(path)
    with open(damaged, "r+b") as f:  # the rest's last bytes, held open since the start
        f.seek(-8, 2)
        f.write(b"\0" * 8)
    with closing(sqlite3.connect(path)) as conn, conn:  # another program changes the journal
        conn.execute("UPDATE journal_meta SET value = value || ' ' WHERE key = 'app_version'")
    window.show_view("checkin")
    stage = window.header.stage_label.text()

    window.nav_buttons["timeline"].click()
    assert boxes and "changed by another program" in boxes[-1]
    assert window.current_view == "checkin" and window.stack.currentWidget() is window.views["checkin"]
    assert window.nav_buttons["checkin"].isChecked() and not window.nav_buttons["timeline"].isChecked()
    assert "timeline" not in window.views.built()
    qtbot.wait(5)  # the half-built view is deleted
    assert all(window.stack.indexOf(child) >= 0
               for child in window.stack.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly))

    said = len(boxes)
    window.replay.set_date(core.today() - timedelta(days=200))
    assert len(boxes) == said + 1 and "changed by another program" in boxes[-1]
    assert window.replay.moment() is None and window.header.stage_label.text() == stage

    view = window.views["checkin"]
    view.leg_rating.set_value(4)
    view.save_button.click()
    assert len(boxes) == said + 2 and "changed by another program" in boxes[-1]
    assert not core.entries_read and window.session is not None
    assert view.leg_rating.value() == 4  # the form keeps what was entered
    with JournalApp.open(path, readonly=True) as app:
        assert len(app.entries()) == ENTRIES  # nothing written
