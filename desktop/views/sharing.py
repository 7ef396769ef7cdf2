"""Sharing from the window: export for review, open for review, merge, passphrase, warnings.

``SharingActions`` owns the File menu items that hand a journal to a therapist and take the
notes back (``docs/sharing.md``), the passphrase dialogs, and two persistent bars under the
status header: review mode ("Reviewing as …") and a journal that fails its hash chain (opened
read-only). Each action is one service call (Anki's operations): ``export_copy``,
``JournalApp.open_for_review`` (through the window's worker-based opener), ``merge_from``,
``copy_as`` plus a file swap. A refusal is shown as the service's one sentence.

The dialogs are replaceable attributes (``ask_passphrase``, ``ask_new_passphrase``) and the file
and name prompts are Qt's static calls, so tests never meet a blocking modal dialog.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)

from desktop.app import settings
from desktop.widgets.notice_bar import NoticeBar
from desktop.widgets.passphrase import ask_new_passphrase, ask_passphrase
from domain.application import JournalApp, MergeReport
from domain.encryption import PassphraseNeeded
from domain.errors import JournalError, WrongPassphrase

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

FILTER = "Sciatica journals (*.sciatica);;All files (*)"
THERAPIST_KEY = "review/therapist"

AskPassphrase = Callable[..., "str | None"]


def with_extension(path: Path) -> Path:
    return path if path.suffix == ".sciatica" else path.with_name(path.name + ".sciatica")


def integrity_text(app: JournalApp) -> str:
    """The warning for a journal whose hash chain fails: the problem, named, and what it means."""
    problem = (app.integrity_problem or "").removeprefix(f"{app.path}: ")
    problem = problem.removesuffix(": it was changed outside the app")
    return f"This journal was changed outside the app: {problem}. It is open read-only."


def swap_in(path: Path, new: Path, backup: Path) -> None:
    """Put NEW in PATH's place, keeping the original as BACKUP until NEW is there.

    A journal that is closed normally has no ``-wal``/``-shm`` beside it; any that are left go
    with the original (SQLite pairs them by name, so they must never meet the new file). On
    failure the original is put back. BACKUP is removed only once NEW is in place.
    """
    moved: list[tuple[Path, Path]] = []
    try:
        for suffix in ("", "-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                target = Path(f"{backup}{suffix}")
                os.replace(side, target)
                moved.append((target, side))
        os.replace(new, path)
    except OSError:
        for target, side in reversed(moved):
            if not side.exists():
                os.replace(target, side)
        raise
    for target, _side in moved:
        target.unlink(missing_ok=True)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class SharingActions(QObject):
    """The sharing part of one ``MainWindow``: menu items, passphrase prompts, notice bars."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        # replaceable, so tests (and a future keyring) can answer without a modal dialog
        self.ask_passphrase: AskPassphrase = ask_passphrase
        self.ask_new_passphrase: AskPassphrase = ask_new_passphrase
        self._setup_actions()
        self._setup_bars()
        self.update_actions()

    # Layout -------------------------------------------------------------------------------------

    def _setup_actions(self) -> None:
        w = self.window
        menu = w.file_menu
        actions = menu.actions()
        index = actions.index(w.export_separator)
        before = actions[index + 1] if index + 1 < len(actions) else None

        def add(text: str, name: str, slot: Callable[[], None]) -> QAction:
            action = QAction(text, w)
            action.setObjectName(name)
            action.triggered.connect(slot)  # the slots take no "checked" argument
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)
            return action

        def separator() -> QAction:
            return menu.insertSeparator(before) if before is not None else menu.addSeparator()

        self.export_review_action = add("&Export for review…", "export_review_action", self.export_for_review)
        self.open_review_action = add("Open for re&view…", "open_review_action", self.open_for_review)
        self.merge_action = add("&Merge review…", "merge_action", self.merge)
        self.passphrase_separator = separator()
        self.passphrase_action = add("Set &passphrase…", "passphrase_action", self.set_passphrase)
        self.remove_passphrase_action = add("Remove passphrase…", "remove_passphrase_action",
                                            self.remove_passphrase)
        self.end_separator = separator()

    def _setup_bars(self) -> None:
        central = self.window.centralWidget()
        self.review_bar = NoticeBar("info", central)
        self.review_bar.setObjectName("review_bar")
        self.integrity_bar = NoticeBar("warning", central)
        self.integrity_bar.setObjectName("integrity_bar")
        layout = central.layout() if central is not None else None
        if isinstance(layout, QBoxLayout):  # right under the status header
            at = layout.indexOf(self.window.header) + 1
            layout.insertWidget(at, self.integrity_bar)
            layout.insertWidget(at, self.review_bar)

    def update_actions(self) -> None:
        """Enable what fits the open journal and show the bars its state calls for."""
        session = self.window.session
        app = session.app if session is not None else None
        writable = app is not None and not app.readonly
        reviewing = app is not None and app.reviewer is not None
        encrypted = app is not None and app.encrypted
        self.export_review_action.setEnabled(app is not None)
        self.export_review_action.setText("&Export a copy for the patient…" if reviewing
                                          else "&Export for review…")
        self.merge_action.setEnabled(writable)
        self.merge_action.setText("&Merge a copy…" if reviewing else "&Merge review…")
        self.passphrase_action.setEnabled(writable and not reviewing)
        self.passphrase_action.setText("Change &passphrase…" if encrypted else "Set &passphrase…")
        self.remove_passphrase_action.setVisible(encrypted)
        self.remove_passphrase_action.setEnabled(writable and not reviewing and encrypted)

        if app is not None and app.reviewer is not None:
            self.review_bar.show_notice(
                f"Reviewing as {app.reviewer}: the patient's entries are read-only",
                "Add your notes in Review. They are saved in this file: send it back to the patient, "
                "who takes them in with Merge review… in the File menu.")
        else:
            self.review_bar.hide()
        if app is not None and app.integrity_problem:
            self.integrity_bar.show_notice(
                integrity_text(app),
                "Every entry still shows, but nothing new can be saved to this file. If you have an "
                "earlier copy or backup, open that instead; “sciatica verify FILE” checks any copy.")
        else:
            self.integrity_bar.hide()

    # Opening an encrypted journal -----------------------------------------------------------------

    def retry_with_passphrase(self, path: Path, message: str, wrong: bool, *, readonly: bool = False,
                              therapist: str | None = None, background: bool = True) -> None:
        """PATH is encrypted: ask for its passphrase (showing MESSAGE after a wrong one) and open
        it again; Cancel leaves nothing open."""
        prompt = f"{path.name} is protected with a passphrase. Type it to open the journal."
        passphrase = self.ask_passphrase(self.window, prompt, message if wrong else "",
                                         title="Open encrypted journal")
        if passphrase is None:
            self.window.statusBar().showMessage(f"{path.name} was not opened", 6000)
            return
        self.window.open_journal(path, background=background, readonly=readonly, passphrase=passphrase,
                                 therapist=therapist)

    # Export for review ----------------------------------------------------------------------------

    def export_for_review(self) -> None:
        session = self.window.session
        if session is None:
            return
        stem = session.path.stem.removesuffix("-for-review")
        if session.reviewer is not None:
            title, suggestion = "Export a copy for the patient", f"{stem}-reviewed.sciatica"
        else:
            title, suggestion = "Export for review", f"{stem}-for-review.sciatica"
        name, _ = QFileDialog.getSaveFileName(self.window, title, str(session.path.with_name(suggestion)),
                                              FILTER)
        if name:
            self.export_to(with_extension(Path(name)))

    def export_to(self, out: Path) -> bool:
        """A consistent copy of the open journal (SQLite backup), safe while it is open."""
        from domain.copies import export_copy

        session = self.window.session
        if session is None:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            export_copy(session.path, out)
        except (JournalError, OSError) as exc:
            QMessageBox.warning(self.window, "Copy not exported", str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        if session.reviewer is not None:
            text = f"Exported {out.name}: send it to the patient, who merges your notes in."
        else:
            text = (f"Exported {out.name} for review: when your therapist sends it back, "
                    "File ▸ Merge review… takes their notes in.")
        self.window.statusBar().showMessage(text, 10000)
        return True

    # Open for review ------------------------------------------------------------------------------

    def open_for_review(self) -> None:
        session = self.window.session
        start = str(session.path.parent) if session is not None else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self.window, "Open a journal for review", start, FILTER)
        if not name:
            return
        remembered = settings().value(THERAPIST_KEY, "")
        therapist, ok = QInputDialog.getText(
            self.window, "Open for review",
            "Your name, as it will appear on your review notes (for example “J. Rivera, PT”):",
            QLineEdit.EchoMode.Normal, str(remembered or ""))
        therapist = therapist.strip()
        if not ok or not therapist:
            return
        if self.window.persist_settings:
            settings().setValue(THERAPIST_KEY, therapist)
        self.window.current_view = "review"
        self.window.open_journal(Path(name), therapist=therapist)

    # Merge ----------------------------------------------------------------------------------------

    def merge(self) -> None:
        session = self.window.session
        if session is None or session.app.readonly:
            return
        title = "Merge a copy" if session.reviewer is not None else "Merge review"
        name, _ = QFileDialog.getOpenFileName(self.window, title, str(session.path.parent), FILTER)
        if name:
            self.merge_file(Path(name))

    def merge_file(self, other: Path) -> MergeReport | None:
        """Take in every entry of OTHER this journal lacks; the views update from the session's
        ``changed`` hook (the new events are applied incrementally)."""
        session = self.window.session
        if session is None:
            return None
        try:
            encrypted = JournalApp.is_encrypted(other)
        except (JournalError, OSError):
            encrypted = False  # not a journal: merge_from refuses it in one sentence
        passphrase: str | None = None
        error = ""
        while True:
            if encrypted:
                passphrase = self.ask_passphrase(
                    self.window, f"{other.name} is protected with a passphrase. Type it to merge the copy.",
                    error, title="Merge an encrypted copy", ok_text="Merge")
                if passphrase is None:
                    return None
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                report = session.app.merge_from(other, other_passphrase=passphrase)
            except WrongPassphrase as exc:
                encrypted, error = True, str(exc)
                continue
            except PassphraseNeeded:
                encrypted, error = True, ""
                continue
            except JournalError as exc:
                QMessageBox.warning(self.window, "Nothing merged", str(exc))
                return None
            finally:
                QApplication.restoreOverrideCursor()
            break
        sentence = report.sentence()
        self.window.statusBar().showMessage(sentence, 10000)
        QMessageBox.information(self.window, "Merge review", sentence)
        if report.review_notes:
            self.window.show_view("review")
        return report

    # Passphrase -----------------------------------------------------------------------------------

    def set_passphrase(self) -> None:
        session = self.window.session
        if session is None or session.readonly:
            return
        if session.app.encrypted:
            prompt = (f"Type a new passphrase for {session.path.name}. The journal is written again, "
                      "encrypted with it; the old passphrase stops working.")
            title = "Change passphrase"
        else:
            prompt = (f"Type a passphrase for {session.path.name}. The entries are then stored encrypted "
                      "and the journal opens only with the passphrase.")
            title = "Set passphrase"
        passphrase = self.ask_new_passphrase(self.window, prompt, title=title, ok_text=title)
        if passphrase is not None:
            self.reencode(passphrase)

    def remove_passphrase(self) -> None:
        session = self.window.session
        if session is None or session.readonly or not session.app.encrypted:
            return
        answer = QMessageBox.question(
            self.window, "Remove passphrase",
            f"Store the entries of {session.path.name} without encryption? Anyone who has the file can "
            "then read it.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.reencode(None)

    def reencode(self, passphrase: str | None) -> bool:
        """Write the journal again, encrypted with PASSPHRASE (or plain), and swap it in.

        The copy is written and read back first; then the journal is closed, the original
        moved to ``FILE.bak``, the copy moved into place, the backup removed, and the journal
        reopened. Any failure before the swap leaves the original untouched and open.
        """
        session = self.window.session
        if session is None:
            return False
        path = session.path
        backup = path.with_name(path.name + ".bak")
        title = "Passphrase not changed"
        if backup.exists():
            QMessageBox.warning(self.window, title, f"{backup}: a backup from an earlier change is in the "
                                                    "way; move it elsewhere and try again")
            return False
        new = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.new")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            session.app.copy_as(new, passphrase=passphrase)
            with JournalApp.open(new, readonly=True, passphrase=passphrase) as check:
                if check.integrity_problem or len(check.entries()) != len(session.app.entries()):
                    raise JournalError(f"{path}: the re-encoded copy did not read back the same; "
                                       "nothing was changed")
        except (JournalError, OSError) as exc:
            _remove_database(new)
            QMessageBox.warning(self.window, title, str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        view = self.window.current_view
        self.window.close_journal()
        try:
            swap_in(path, new, backup)
        except OSError as exc:
            _remove_database(new)
            QMessageBox.warning(self.window, title, f"{path}: the files could not be swapped ({exc}); "
                                                    "the journal was left as it was")
            self.window.open_journal(path)
            return False
        _remove_database(new)  # only its -wal/-shm, if SQLite left any
        self.window.current_view = view
        self.window.open_journal(path, passphrase=passphrase)
        done = "Passphrase set" if passphrase is not None else "Passphrase removed"
        self.window.statusBar().showMessage(f"{done}: {path.name} was written again.", 8000)
        return True
