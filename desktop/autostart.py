"""Start the app minimised at login: an XDG autostart entry the app writes and removes.

Only the freedesktop autostart folder is used (``$XDG_CONFIG_HOME/autostart``, by default
``~/.config/autostart``); the entry starts ``sciatica --minimized`` and holds no health data.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

ENTRY_NAME = "sciatica-tracker.desktop"


def autostart_folder() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart"


def autostart_path() -> Path:
    return autostart_folder() / ENTRY_NAME


def launch_command() -> str:
    """How to start this installation: the ``sciatica`` script beside this Python, else the
    module (a packaged build runs its own executable)."""
    if getattr(sys, "frozen", False):
        return shlex.quote(sys.executable)
    script = Path(sys.executable).with_name("sciatica")
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m desktop"


def entry_text(command: str) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=Sciatica Tracker",
        "Comment=Daily check-in reminder (starts minimised)",
        f"Exec={command} --minimized",
        "Icon=sciatica-tracker",
        "Terminal=false",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


def is_enabled() -> bool:
    return autostart_path().exists()


def set_enabled(on: bool) -> Path:
    """Write (ON) or remove the autostart entry; returns its path. OSError if it cannot."""
    path = autostart_path()
    if on:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(launch_command()), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
    return path
