"""The main window: first run, opening off the UI thread, header updates, locking, files."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QByteArray, QDate, QDateTime, QPoint, Qt

from desktop.app import default_journal_path, recent_files, settings
from desktop.main_window import MainWindow
from domain.application import JournalApp
from tests.desktop.conftest import entries_of


def _window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1300, 880)
    window.show()
    return window


def _open(qtbot, window, path):
    window.open_journal(path)
    qtbot.waitUntil(lambda: not window.is_opening(), timeout=10000)


def test_default_journal_lives_in_the_app_data_folder(tmp_path):
    path = default_journal_path()
    assert path.name == "journal.sciatica"
    assert str(path).startswith(str(tmp_path / "data"))


def test_first_run_welcome_form_creates_the_journal(qtbot, tmp_path, messages):
    window = _window(qtbot)
    target = default_journal_path()
    window.start_first_run(target)
    welcome = window.welcome_view
    assert window.pages.currentWidget() is welcome
    qtbot.keyClicks(welcome.name_edit, "Sam Rivera")
    qtbot.mouseClick(welcome.side_choice.buttons["right"], Qt.MouseButton.LeftButton)
    welcome.onset_edit.setDate(QDate(2026, 9, 1))
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)

    assert messages.calls == []
    assert target.exists()
    assert window.session is not None
    identity = window.session.app.identity
    assert (identity.patient, identity.affected_side, identity.onset_date) == ("Sam Rivera", "right", date(2026, 9, 1))
    assert window.stack.currentWidget() is window.views["checkin"]
    assert window.header.stage_label.text() == "Getting started"
    assert "since onset" in window.header.days_label.text()
    assert recent_files() == [str(target.resolve())]


def test_welcome_without_a_side_shows_the_message_and_creates_nothing(qtbot, messages):
    window = _window(qtbot)
    target = default_journal_path()
    window.start_first_run(target)
    qtbot.keyClicks(window.welcome_view.name_edit, "Sam")
    # Issue 16 (10): the onset has no default any more; choose one so only the side is missing.
    window.welcome_view.onset_edit.setDate(QDate(2026, 9, 1))
    qtbot.mouseClick(window.welcome_view.create_button, Qt.MouseButton.LeftButton)
    assert len(messages.calls) == 1 and "affected side" in messages.texts[0]
    assert not target.exists() and window.session is None


def test_opening_runs_in_a_worker_with_a_progress_page(qtbot, journal_path, messages):
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    window = _window(qtbot)
    window.open_journal(journal_path)
    assert window.is_opening()
    assert window.pages.currentWidget() is window._pages["opening"]
    assert window.opening_progress.maximum() == 0  # busy indicator while replaying
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    assert window.pages.currentWidget() is window._pages["journal"]
    assert window.windowTitle().startswith("journal.sciatica")


def test_a_red_flag_shows_the_banner_at_once_and_a_clear_checklist_removes_it(qtbot, journal_path, messages):
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    window = _window(qtbot)
    _open(qtbot, window, journal_path)
    session = window.session
    timeline = session.timeline
    checklist = window.views["checkin"].checklist
    assert not window.header.banner.isVisible()

    check = checklist.flags.checks["bladder_change"]
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    qtbot.mouseClick(checklist.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checklist.emergency_dialog.acknowledge_button, Qt.MouseButton.LeftButton)

    assert window.session.timeline is timeline  # applied incrementally, not rebuilt
    assert window.header.banner.isVisible()
    # One vocabulary (issue 13): the banner says what the dialog, the CLI and the model say.
    assert window.header.banner.title.text() == "Seek emergency care now"
    assert "bladder" in window.header.banner.body.text()
    assert "cannot judge an emergency" in window.header.banner.body.text()
    assert entries_of(session.app, "RedFlagAcknowledged")[0].flags == ["bladder_change"]

    checklist.set_expanded(True)
    qtbot.mouseClick(checklist.save_button, Qt.MouseButton.LeftButton)  # none of these
    assert not window.header.banner.isVisible()


def test_a_checkin_updates_the_header_and_the_other_views(qtbot, journal_path, messages):
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    window = _window(qtbot)
    _open(qtbot, window, journal_path)
    checkin = window.views["checkin"]
    for days_ago in range(3):
        checkin.when_edit.setDateTime(QDateTime.currentDateTime().addDays(-days_ago))
        checkin.leg_rating.set_value(4)
        qtbot.mouseClick(checkin.save_button, Qt.MouseButton.LeftButton)
    assert messages.calls == []
    assert window.header.stage_label.text() != "Getting started"
    assert window.views["tests"].recent.list.count() == 0
    assert checkin.recent.list.count() == 3  # leg pain rated with an empty map: no "symptom-free" record


def test_a_second_window_on_the_same_file_is_refused(qtbot, journal_path, messages):
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    first = _window(qtbot)
    _open(qtbot, first, journal_path)
    second = _window(qtbot)
    _open(qtbot, second, journal_path)
    assert second.session is None
    assert messages.calls[0][0] == "Cannot open journal"
    assert "already open in another window" in messages.texts[0]
    assert first.session is not None


def test_save_a_copy_and_close(qtbot, journal_path, tmp_path, messages):
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    window = _window(qtbot)
    _open(qtbot, window, journal_path)
    window.session.app.rate_pain("2026-01-05", leg=3)
    out = tmp_path / "copy.sciatica"
    assert window.save_copy(out)
    with JournalApp.open(out, readonly=True) as copy:
        assert len(entries_of(copy, "PainRated")) == 1
    assert not window.save_copy(out)  # exists: the domain's message is shown
    assert "already exists" in messages.texts[0]
    window.close_action.trigger()
    assert window.session is None and not window.copy_action.isEnabled()
    with JournalApp.open(journal_path):  # the lock is released
        pass


def test_navigation_shortcuts_and_placeholders(qtbot, journal_path, messages):
    JournalApp.create(journal_path, patient="A", affected_side="left", onset_date="2026-01-01").close()
    window = _window(qtbot)
    _open(qtbot, window, journal_path)
    window.view_actions["tests"].trigger()
    assert window.stack.currentWidget() is window.views["tests"]
    qtbot.mouseClick(window.nav_buttons["progress"], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.views["progress"]
    assert window.view_actions["review"].shortcut().toString() == "Ctrl+5"


def test_geometry_is_remembered(qtbot, journal_path, messages):
    window = _window(qtbot)
    window.resize(1111, 777)
    window.close()
    stored = settings().value("mainWindow/geometry")
    assert isinstance(stored, QByteArray) and not stored.isEmpty()
    again = MainWindow()
    qtbot.addWidget(again)
    restored = []
    again.restoreGeometry = lambda value: restored.append(bytes(value)) or True
    again.restore_geometry()
    assert restored == [bytes(stored)]
