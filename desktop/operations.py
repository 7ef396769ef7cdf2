"""One way to run a user's action against the journal (Anki's ``CollectionOp`` shape).

``run_op(parent, title, op, success)`` runs OP (one call to the session: no UI inside it);
a ``JournalError`` is shown as ``str(exc)`` (the domain's one sentence a person can act on) in a
warning titled TITLE, or handed to ON_ERROR (a dialog that shows errors inline), and nothing
else happens; on success SUCCESS gets OP's result. Views re-render from the session's
``changed`` signal, not from here. Unexpected errors are not caught: they keep their traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop.session import JournalError

T = TypeVar("T")


def run_op(parent: QWidget | None, title: str, op: Callable[[], T], success: Callable[[T], object] | None = None,
           *, on_error: Callable[[str], object] | None = None, busy: bool = False) -> T | None:
    """Run OP; BUSY shows the wait cursor while it runs (copies, merges)."""
    if busy:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        result = op()
    except JournalError as exc:
        if busy:
            QApplication.restoreOverrideCursor()
            busy = False
        if on_error is not None:
            on_error(str(exc))
        else:
            QMessageBox.warning(parent, title, str(exc))
        return None
    finally:
        if busy:
            QApplication.restoreOverrideCursor()
    if success is not None:
        success(result)
    return result
