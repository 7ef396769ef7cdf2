"""Start the desktop app: ``sciatica [FILE] [--screenshot OUT.png --view NAME --as-of DATE --size WxH]``.

Without FILE the default journal in the user's data folder opens; on first run a short
welcome form creates it. ``--screenshot`` renders the main window on one view offscreen,
saves a PNG and exits (0 on success, 2 on bad usage or a journal that cannot be read).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from desktop.cli import UsageError, _Parser

VIEW_NAMES = ("checkin", "tests", "progress", "timeline", "review", "summary")
DEFAULT_SIZE = (1360, 900)


def build_parser() -> argparse.ArgumentParser:
    from domain import __version__  # light: --version needs no journal code

    parser = _Parser(prog="sciatica", description="Sciatica Tracker: open a journal in the desktop app.")
    parser.add_argument("--version", action="version", version=f"sciatica-tracker {__version__}")
    parser.add_argument("file", nargs="?", help="a .sciatica journal (default: your journal)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="render a view to a PNG and exit")
    parser.add_argument("--view", choices=VIEW_NAMES, default="checkin")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="show the status at the end of that day")
    parser.add_argument("--size", metavar="WxH", help=f"window size (default {DEFAULT_SIZE[0]}x{DEFAULT_SIZE[1]})")
    parser.add_argument("--read-only", action="store_true", help="open without allowing changes")
    parser.add_argument("--minimized", action="store_true", help="start minimised (the login entry uses it)")
    return parser


def _size(text: str | None) -> tuple[int, int]:
    if not text:
        return DEFAULT_SIZE
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"sciatica: --size must look like 1280x800, got {text!r}") from None
    if not (320 <= w <= 8000 and 240 <= h <= 8000):
        raise UsageError(f"sciatica: --size must be between 320x240 and 8000x8000, got {text!r}")
    return w, h


def _as_of(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"sciatica: --as-of must be a date like 2026-03-01, got {text!r}") from None


def launch(argv: Sequence[str]) -> int:
    try:
        args = build_parser().parse_args(list(argv))
        size = _size(args.size)
        as_of = _as_of(args.as_of)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.screenshot:
        return screenshot(Path(args.file) if args.file else None, Path(args.screenshot),
                          view=args.view, as_of=as_of, size=size)
    return run_gui(Path(args.file) if args.file else None, view=args.view, as_of=as_of,
                   readonly=args.read_only, minimized=args.minimized)


def no_display() -> bool:
    """True on Linux/BSD when no graphical session is reachable (Qt would abort otherwise)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def import_qt_free_layers_first() -> None:
    """Import the journal's Qt-free layers (``desktop.session``, and with it ``domain`` and
    ``projections``) before PySide6, as a window start does (the window probe too): PySide6
    installs an import hook that reads the source of every module imported after it, looking
    for its ``__feature__`` switches, which none of these ~110 modules uses (~5 % of the
    imports' work, and their sources kept in memory)."""
    import desktop.session  # noqa: F401


def run_gui(path: Path | None, *, view: str = "checkin", as_of: date | None = None,
            readonly: bool = False, minimized: bool = False) -> int:
    if no_display():
        print("sciatica: no graphical display found. Start the app from a desktop session, or use "
              "the headless commands (sciatica --help) or --screenshot.", file=sys.stderr)
        return 2
    import_qt_free_layers_first()
    from desktop.app import create_qapp, default_journal_path
    from desktop.main_window import MainWindow

    qapp = create_qapp(sys.argv[:1])
    window = MainWindow()
    window.as_of = as_of
    window.current_view = view
    window.restore_geometry()
    if minimized:
        window.showMinimized()
    else:
        window.show()
    target = path or default_journal_path()
    if target.exists():
        window.open_journal(target, readonly=readonly)
    elif path is None:
        window.start_first_run(target)
    else:
        window.header.render_empty()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "Cannot open journal", f"{target}: no such file")
    code = int(qapp.exec())
    from desktop.session.checkpoint import wait_for_writes

    wait_for_writes()  # the closed journal's start-up checkpoint is written off the UI thread
    return code


def screenshot(path: Path | None, out: Path, *, view: str, as_of: date | None,
               size: tuple[int, int]) -> int:
    """Render the main window on VIEW offscreen to OUT (PNG)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.app import create_qapp, default_journal_path
    from desktop.main_window import MainWindow
    from desktop.session import JournalError, JournalLocked, open_session

    qapp = create_qapp(sys.argv[:1])
    window = MainWindow()
    window.persist_settings = False
    window.as_of = as_of
    window.current_view = view
    target = path or default_journal_path()
    if target.exists():
        try:
            try:
                session = open_session(target)
            except JournalLocked:  # open in the app right now: a read-only look still works
                session = open_session(target, readonly=True)
        except JournalError as exc:
            print(str(exc), file=sys.stderr)
            return 2
        window.install_session(session)
    elif path is not None:
        print(f"{target}: no such file", file=sys.stderr)
        return 2
    window.resize(*size)
    window.show()
    for _ in range(3):
        qapp.processEvents()
    image = window.grab().toImage()
    window.close()
    if not image.save(str(out), "PNG"):  # type: ignore[call-overload]
        print(f"{out}: cannot write the screenshot", file=sys.stderr)
        return 2
    return 0
