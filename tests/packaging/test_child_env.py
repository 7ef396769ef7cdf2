"""Programs the app starts never see the bundle's library and plugin paths (issue 18)."""

from __future__ import annotations

import os
import sys

import pytest

from desktop import child_env

BUNDLE = "/opt/sciatica-tracker/_internal"


def frozen_environ(**extra: str) -> dict[str, str]:
    """What PyInstaller's bootloader and Qt runtime hook leave in the app's environment."""
    env = {
        "HOME": "/home/u",
        "PATH": "/usr/bin:/bin",
        "LD_LIBRARY_PATH": BUNDLE,
        "QT_PLUGIN_PATH": f"{BUNDLE}/PySide6/Qt/plugins",
        "QML2_IMPORT_PATH": f"{BUNDLE}/PySide6/Qt/qml",
    }
    env.update(extra)
    return env


def test_user_library_path_is_restored_from_the_saved_copy() -> None:
    env = frozen_environ(LD_LIBRARY_PATH=f"{BUNDLE}:/home/u/lib", LD_LIBRARY_PATH_ORIG="/home/u/lib")
    child = child_env.child_environment(env, bundle_dir=BUNDLE)
    assert child["LD_LIBRARY_PATH"] == "/home/u/lib"
    assert "LD_LIBRARY_PATH_ORIG" not in child


def test_library_path_is_dropped_when_the_user_had_none() -> None:
    child = child_env.child_environment(frozen_environ(), bundle_dir=BUNDLE)
    assert "LD_LIBRARY_PATH" not in child


def test_without_a_saved_copy_only_bundle_entries_leave_the_library_path() -> None:
    env = frozen_environ(LD_LIBRARY_PATH=f"{BUNDLE}{os.pathsep}/home/u/lib")
    assert child_env.child_environment(env, bundle_dir=BUNDLE)["LD_LIBRARY_PATH"] == "/home/u/lib"


def test_qt_paths_into_the_bundle_are_dropped_and_others_kept() -> None:
    env = frozen_environ(QT_PLUGIN_PATH=f"{BUNDLE}/PySide6/Qt/plugins{os.pathsep}/usr/lib/qt6/plugins")
    child = child_env.child_environment(env, bundle_dir=BUNDLE)
    assert child["QT_PLUGIN_PATH"] == "/usr/lib/qt6/plugins"
    assert "QML2_IMPORT_PATH" not in child


def test_everything_else_is_passed_on_unchanged() -> None:
    env = frozen_environ(DISPLAY=":0", SCIATICA_PASSPHRASE="x")
    child = child_env.child_environment(env, bundle_dir=BUNDLE)
    assert {k: v for k, v in env.items() if k not in (*child_env.POINTED_INTO_BUNDLE, "LD_LIBRARY_PATH")} == child


def test_a_prefix_that_only_looks_like_the_bundle_is_kept() -> None:
    env = frozen_environ(QT_PLUGIN_PATH=f"{BUNDLE}-other/plugins")
    assert child_env.child_environment(env, bundle_dir=BUNDLE)["QT_PLUGIN_PATH"] == f"{BUNDLE}-other/plugins"


def test_outside_the_bundle_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert child_env.bundle_directory() is None
    env = frozen_environ(LD_LIBRARY_PATH="/home/u/lib")
    assert child_env.child_environment(env) == env


def test_frozen_bundle_directory_is_meipass(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", BUNDLE, raising=False)
    assert child_env.bundle_directory() == BUNDLE
    assert "LD_LIBRARY_PATH" not in child_env.child_environment(frozen_environ())


def test_restore_changes_the_environment_in_place_and_is_idempotent() -> None:
    env = frozen_environ(LD_LIBRARY_PATH_ORIG="/home/u/lib")
    child_env.restore_for_children(env, bundle_dir=BUNDLE)
    expected = {"HOME": "/home/u", "PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": "/home/u/lib"}
    assert env == expected
    child_env.restore_for_children(env, bundle_dir=BUNDLE)
    assert env == expected


def test_bundle_entry_script_restores_before_the_cli_is_imported() -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "packaging" / "entry.py").read_text(encoding="utf-8")
    assert text.index("restore_for_children()") < text.index("from desktop.cli import main")
