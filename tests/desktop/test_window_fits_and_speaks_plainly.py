"""Issue 16, items 7, 9, 10 and 11 at the window: sizes, words, opening and creating, reminders."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QScrollArea, QTableView

from desktop import autostart
from desktop.app import documents_folder
from desktop.main_window import MainWindow
from desktop.reminders import ReminderSettings, reminder_due
from desktop.views.history import OBSERVED, SUMMARY
from domain.application import JournalApp
from projections.vocabulary import URGENCIES
from tests.desktop.conftest import entries_of

ROOT = Path(__file__).resolve().parents[2]
JOURNEY = ROOT / "tests" / "journeys" / "classic_recovery.jsonl"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _window(qtbot, size=(1024, 700)):
    window = MainWindow()
    window.persist_settings = False
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def _journey(tmp_path) -> Path:
    path = tmp_path / "classic.sciatica"
    with JournalApp.create(path, patient="Sam Rivera", affected_side="left", onset_date="2026-01-10",
                           observed_at=datetime(2026, 1, 12, 9, 0)) as app:
        app.rate_pain(datetime(2026, 1, 13, 9, 0), leg=6)
        app.record_symptoms(datetime(2026, 1, 13, 9, 0), [
            {"region": "calf", "side": "left", "sensation": "tingling", "intensity": 4}], context="sitting")
    return path


def _layout_problems(window) -> dict[str, list[str]]:
    """Per view: scroll areas that scroll sideways, and buttons whose text does not fit."""
    problems: dict[str, list[str]] = {}
    for name, view in window.views.items():
        window.show_view(name)
        for _ in range(3):
            QApplication.processEvents()
        areas = [view] if isinstance(view, QScrollArea) else view.findChildren(QScrollArea)
        found = [f"scrolls sideways: {a.objectName()}" for a in areas
                 if a.isVisible() and a.widget() is not None and a.widget().width() > a.viewport().width()]
        found += [f"table scrolls sideways: {t.objectName()}" for t in view.findChildren(QTableView)
                  if t.isVisible() and t.horizontalScrollBar().maximum() > 0]
        found += [f"clipped: {b.text()!r}" for b in view.findChildren(QAbstractButton)
                  if b.isVisible() and b.text() and b.width() < b.minimumSizeHint().width()]
        problems[name] = found
    return problems


# 7. The window at 1024×700, and at 1.5× on 1440×960 -----------------------------------------

def test_at_1024_by_700_the_check_in_and_timeline_need_no_sideways_scrolling(qtbot, tmp_path, messages):
    window = _window(qtbot)
    window.open_journal(_journey(tmp_path), background=False)
    problems = _layout_problems(window)
    # The Tests, Progress and Review pages are another item's; the check-in's pages are held here.
    assert problems["checkin"] == [] and problems["timeline"] == []
    checkin = window.views["checkin"]
    assert checkin.columns.count == 2  # the safety column goes below the other two
    # Saving (the page grows: a reference, a summary) keeps the two columns.
    window.show_view("checkin")
    point = checkin.body_map.region_center("thigh", "left").toPoint()
    qtbot.mouseClick(checkin.body_map, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseClick(checkin.symptom_editor.sensation_buttons["tingling"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checkin.symptom_editor.intensity.button(4), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checkin.save_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert checkin.columns.count == 2 and _layout_problems(window)["checkin"] == []
    window.close_journal()


PROBE = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QAbstractButton, QScrollArea
from desktop.app import create_qapp
from desktop.main_window import MainWindow
app = create_qapp(["probe", "-platform", "offscreen:configfile=" + sys.argv[2]])
window = MainWindow()
window.persist_settings = False
window.restore_geometry()
window.show()
window.open_journal(Path(sys.argv[1]), background=False)
for _ in range(5):
    app.processEvents()
free = window.screen().availableGeometry()
frame = window.frameGeometry()
view = window.views["checkin"]
clipped = [b.text() for b in view.findChildren(QAbstractButton)
           if b.isVisible() and b.text() and b.width() < b.minimumSizeHint().width()]
print(json.dumps({"screen": [free.width(), free.height()], "frame": [frame.x(), frame.y(), frame.width(),
                  frame.height()], "inside": free.contains(frame), "scale": window.devicePixelRatio(),
                  "sideways": view.widget().width() > view.viewport().width(), "clipped": clipped}))
window.close()
"""


def test_at_1_5_scale_on_a_1440_by_960_screen_the_window_fits_the_screen(tmp_path):
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": 1440, "height": 960,
                                               "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    done = subprocess.run([sys.executable, "-c", PROBE, str(_journey(tmp_path)), str(config)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["scale"] == 1.5 and found["screen"] == [960, 640]
    assert found["inside"], found  # the default 1360×900 is cut down to the screen
    assert not found["sideways"] and found["clipped"] == []


# 9. One vocabulary -------------------------------------------------------------------------------

def test_pins_and_needles_is_called_that_on_the_map_and_in_the_timeline(qtbot, tmp_path, messages):
    window = _window(qtbot, (1300, 880))
    window.open_journal(_journey(tmp_path), background=False)
    checkin = window.views["checkin"]
    assert checkin.symptom_editor.sensation_buttons["tingling"].text() == "Pins and needles"
    window.show_view("timeline")
    timeline = window.views["timeline"]
    qtbot.waitUntil(lambda: timeline.model.rowCount() > 0, timeout=5000)
    texts = [timeline.model.data(timeline.model.index(r, SUMMARY)) for r in range(timeline.model.rowCount())]
    assert any("pins and needles" in (t or "") for t in texts)
    dates = [timeline.model.data(timeline.model.index(r, OBSERVED)) for r in range(timeline.model.rowCount())]
    assert dates and not any(ISO.search(d) for d in dates)  # "13 Jan 2026, 09:00", not ISO
    assert "13 Jan 2026, 09:00" in dates
    window.close_journal()


def test_the_emergency_dialog_says_what_the_header_and_report_say(qtbot, session, messages):
    from desktop.views.red_flags import EmergencyDialog

    dialog = EmergencyDialog(["saddle_numbness"])
    qtbot.addWidget(dialog)
    words = URGENCIES["emergency"]
    assert dialog.windowTitle() == words.title
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert words.advice in texts and "saddle numbness" in texts


# 10. Opening and creating -------------------------------------------------------------------------

def test_a_failed_open_keeps_the_journal_that_was_open(qtbot, tmp_path, messages):
    window = _window(qtbot, (1300, 880))
    good = _journey(tmp_path)
    window.open_journal(good, background=False)
    bad = tmp_path / "not a journal.sciatica"
    bad.write_bytes(b"this is not a database" * 100)
    window.open_journal(bad)  # in the background, as File → Open does
    qtbot.waitUntil(lambda: not window.is_opening(), timeout=10000)
    assert len(messages.calls) == 1
    title, text = messages.calls[0]
    assert title == "Cannot open journal" and "classic.sciatica is still open" in text
    assert "Error" not in text and "Exception" not in text  # no raw exception names
    assert window.session is not None and window.session.path == good
    assert window.pages.currentWidget() is window._pages["journal"]
    qtbot.mouseClick(window.views["checkin"].leg_rating.button(2), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.views["checkin"].save_button, Qt.MouseButton.LeftButton)
    assert [p.leg for p in entries_of(window.session.app, "PainRated")][-1] == 2  # still usable
    window.close_journal()


def test_the_first_run_form_has_no_onset_until_chosen_and_says_where_in_words(qtbot, tmp_path, messages):
    from desktop.app import default_journal_path

    window = _window(qtbot)
    target = default_journal_path()
    window.start_first_run(target)
    welcome = window.welcome_view
    assert welcome.onset() is None and welcome.onset_edit.text() == "Choose a day"
    assert str(target.parent) not in welcome.where_label.text()  # in words, the path in the tooltip
    assert "this app's own folder" in welcome.where_label.text() and "journal.sciatica" in welcome.where_label.text()
    assert welcome.where_label.toolTip() == str(target)
    assert welcome.therapist_button.text() == "I am a therapist: open a patient's copy"
    qtbot.keyClicks(welcome.name_edit, "Sam")
    qtbot.mouseClick(welcome.side_choice.buttons["left"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert messages.texts == ["Choose the day your symptoms began (an estimate is fine)."]
    assert not target.exists()
    welcome.onset_edit.setFocus()
    welcome.onset_edit.setDate(QDate(2026, 9, 1))
    qtbot.mouseClick(welcome.create_button, Qt.MouseButton.LeftButton)
    assert window.session is not None and window.session.app.identity.onset_date == date(2026, 9, 1)
    window.close_journal()


def test_the_therapist_choice_opens_a_patients_copy_for_review(qtbot, tmp_path, messages, monkeypatch):
    from desktop.app import default_journal_path

    window = _window(qtbot)
    window.start_first_run(default_journal_path())
    asked = []
    monkeypatch.setattr(window.sharing, "open_for_review", lambda: asked.append(True))
    window.welcome_view.review_requested.disconnect()
    window.welcome_view.review_requested.connect(window.sharing.open_for_review)
    qtbot.mouseClick(window.welcome_view.therapist_button, Qt.MouseButton.LeftButton)
    assert asked == [True]


def test_new_and_save_a_copy_dialogs_start_in_documents(qtbot, tmp_path, messages, monkeypatch):
    started = []

    def ask(parent, title, start, *rest):
        started.append(start)
        return "", ""  # cancelled

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    window = _window(qtbot)
    window.new_action.trigger()
    window.open_journal(_journey(tmp_path), background=False)
    window.copy_action.trigger()
    assert [Path(s).parent for s in started] == [documents_folder(), documents_folder()]
    window.close_journal()


# 11. The daily reminder --------------------------------------------------------------------------

def test_the_reminder_is_due_once_at_the_time_only_without_a_check_in():
    on = ReminderSettings(enabled=True, at=time(20, 0))
    evening = datetime(2026, 3, 2, 20, 5)
    assert reminder_due(evening, on, checked_in_today=False, reminded_on=None)
    assert not reminder_due(evening, on, checked_in_today=True, reminded_on=None)
    assert not reminder_due(evening.replace(hour=19), on, checked_in_today=False, reminded_on=None)
    assert not reminder_due(evening, on, checked_in_today=False, reminded_on=evening.date())
    assert not reminder_due(evening, ReminderSettings(enabled=False), checked_in_today=False, reminded_on=None)


def test_settings_turn_the_reminder_on_and_it_stays_quiet_after_a_check_in(qtbot, tmp_path, messages):
    window = _window(qtbot, (1300, 880))
    window.open_journal(_journey(tmp_path), background=False)
    reminders = window.reminders
    late = datetime.combine(date.today(), time(23, 59))
    reminders._now = lambda: late
    dialog = window.settings_actions.open_dialog()
    qtbot.mouseClick(dialog.remind_check, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.remind_check.height() // 2))
    dialog.time_edit.setTime(dialog.time_edit.time().fromString("21:30", "HH:mm"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert ReminderSettings.load() == ReminderSettings(enabled=True, at=time(21, 30))
    assert reminders.timer.isActive()
    assert reminders.check() and len(reminders.shown) == 1  # no check-in today yet
    assert window.statusBar().currentMessage().startswith("You have not logged today yet")
    assert not reminders.check()  # once a day
    # A new day with a check-in: quiet.
    reminders.reminded_on = None
    checkin = window.views["checkin"]
    qtbot.mouseClick(checkin.leg_rating.button(3), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(checkin.save_button, Qt.MouseButton.LeftButton)
    assert window.session.core.checked_in_on(date.today())
    assert not reminders.check() and len(reminders.shown) == 1
    window.close_journal()
    assert not reminders.check()  # no journal open: nothing to remind about


def test_start_at_login_writes_and_removes_the_autostart_entry(qtbot, tmp_path, isolated_settings, messages):
    window = _window(qtbot)
    entry = autostart.autostart_path()
    assert entry.is_relative_to(isolated_settings)  # inside the test's XDG_CONFIG_HOME
    dialog = window.settings_actions.open_dialog()
    check = dialog.autostart_check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    text = entry.read_text()
    assert "[Desktop Entry]" in text and re.search(r"^Exec=.* --minimized$", text, re.MULTILINE)
    dialog = window.settings_actions.open_dialog()
    assert dialog.autostart_check.isChecked()
    qtbot.mouseClick(dialog.autostart_check, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.autostart_check.height() // 2))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not entry.exists()


def test_the_launcher_accepts_minimized_as_the_login_entry_starts_it():
    from desktop.launch import build_parser

    assert build_parser().parse_args(["--minimized"]).minimized is True
    assert build_parser().parse_args([]).minimized is False
