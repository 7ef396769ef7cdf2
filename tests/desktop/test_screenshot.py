"""``sciatica FILE --screenshot OUT.png --view NAME`` renders the real window offscreen."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from desktop.cli import main
from desktop.launch import VIEW_NAMES, launch
from domain.application import JournalApp
from tests.desktop.journal_factory import realistic_events, write_jsonl


@pytest.fixture
def realistic(tmp_path):
    source = tmp_path / "events.jsonl"
    write_jsonl(str(source), realistic_events())
    path = tmp_path / "maya.sciatica"
    assert main(["import", str(path), str(source)]) == 0
    return path


def _distinct_colours(image: QImage) -> int:
    seen = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            seen.add(image.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize("view", VIEW_NAMES)
def test_screenshot_of_every_view_is_the_real_window(view, realistic, tmp_path):
    out = tmp_path / f"{view}.png"
    assert launch([str(realistic), "--screenshot", str(out), "--view", view,
                   "--as-of", "2026-11-24", "--size", "1200x800"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)
    assert _distinct_colours(image) > 20
    with JournalApp.open(realistic):  # the screenshot released the file
        pass


def test_bad_screenshot_arguments_exit_2(realistic, tmp_path, capsys):
    assert launch([str(realistic), "--screenshot", str(tmp_path / "x.png"), "--size", "big"]) == 2
    assert "--size" in capsys.readouterr().err
    assert launch([str(tmp_path / "missing.sciatica"), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_console_script_renders_offscreen_and_keeps_version(realistic, tmp_path):
    out = tmp_path / "checkin.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-m", "desktop", str(realistic), "--screenshot", str(out),
                           "--view", "checkin", "--size", "1000x700"], check=False, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert QImage(str(out)).size().width() == 1000
    version = subprocess.run([sys.executable, "-m", "desktop", "--version"], check=False,
                             capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and "sciatica-tracker" in version.stdout


def test_without_a_display_the_app_says_so_instead_of_aborting(tmp_path, monkeypatch, capsys):
    from desktop.launch import launch

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert launch([str(tmp_path / "none.sciatica")]) == 2
    assert "no graphical display" in capsys.readouterr().err
