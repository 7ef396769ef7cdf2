"""The environment of programs the app starts (the PDF viewer, the file manager). No Qt.

Inside the PyInstaller bundle the bootloader puts the bundle's library folder first in
``LD_LIBRARY_PATH`` (keeping the user's own value in ``LD_LIBRARY_PATH_ORIG``) and PyInstaller's
Qt runtime hook points ``QT_PLUGIN_PATH`` and ``QML2_IMPORT_PATH`` into the bundle. A program
started with that environment loads the bundle's Qt, ICU or OpenBLAS instead of its own and
may crash or show nothing, so children get the environment the user started the app with.

The app itself is unaffected by the restore: the dynamic loader reads ``LD_LIBRARY_PATH`` once,
when the process starts, and the bundled libraries find each other through ``$ORIGIN``.
``packaging/entry.py`` (the bundle's entry script) calls :func:`restore_for_children` before
anything else, so every later child (``QDesktopServices.openUrl``, ``subprocess``) inherits the
restored environment. Outside the bundle nothing changes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping

# Variables the bootloader overwrites after saving the user's value as NAME + SAVED_SUFFIX.
SAVED_BY_BOOTLOADER = ("LD_LIBRARY_PATH",)
SAVED_SUFFIX = "_ORIG"
# Path lists the runtime hooks point into the bundle without saving what was there.
POINTED_INTO_BUNDLE = ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH")


def bundle_directory() -> str | None:
    """The bundle's library folder when running from a PyInstaller bundle, else None."""
    if not getattr(sys, "frozen", False):
        return None
    folder = getattr(sys, "_MEIPASS", None)
    return str(folder) if folder else None


def _inside(path: str, folder: str) -> bool:
    real, root = os.path.realpath(path), os.path.realpath(folder)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def child_environment(environ: Mapping[str, str] | None = None, *, bundle_dir: str | None = None) -> dict[str, str]:
    """ENVIRON (default: this process's) as a program started by the app should see it.

    BUNDLE_DIR is the bundle's folder (default: :func:`bundle_directory`); without one, ENVIRON
    is returned unchanged.
    """
    env = dict(os.environ if environ is None else environ)
    folder = bundle_dir if bundle_dir is not None else bundle_directory()
    if folder is None:
        return env
    for name in SAVED_BY_BOOTLOADER:
        saved = env.pop(name + SAVED_SUFFIX, None)
        if saved is not None:
            env[name] = saved
    # Without a saved copy (the user had none, or it was restored already), only the entries
    # that point into the bundle go.
    for name in SAVED_BY_BOOTLOADER + POINTED_INTO_BUNDLE:
        if name not in env:
            continue
        kept = [p for p in env[name].split(os.pathsep) if p and not _inside(p, folder)]
        if kept:
            env[name] = os.pathsep.join(kept)
        else:
            del env[name]
    return env


def restore_for_children(environ: MutableMapping[str, str] | None = None, *, bundle_dir: str | None = None) -> None:
    """Make ENVIRON (default: ``os.environ``) what children should inherit. Idempotent."""
    target: MutableMapping[str, str] = os.environ if environ is None else environ
    wanted = child_environment(target, bundle_dir=bundle_dir)
    for name in [n for n in target if n not in wanted]:
        del target[name]
    for name, value in wanted.items():
        if target.get(name) != value:
            target[name] = value
