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

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QBoxLayout,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)

from desktop.app import documents_folder, settings
from desktop.operations import run_op
from desktop.session import (
    MergeReport,
    PassphraseNeeded,
    WrongPassphrase,
    is_encrypted,
    remove_database,
    swap_in,
    with_extension,
)
from desktop.widgets.notice_bar import NoticeBar
from desktop.widgets.passphrase import ask_new_passphrase, ask_passphrase

if TYPE_CHECKING:
    from desktop.actions.host import WindowHost
    from desktop.session import JournalSession

FILTER = "Sciatica journals (*.sciatica);;All files (*)"
THERAPIST_KEY = "review/therapist"
AskPassphrase = Callable[..., "str | None"]


def integrity_text(session: JournalSession) -> str:
    """The warning for a journal whose hash chain fails: the problem, named, and what it means."""
    problem = (session.integrity_problem or "").removeprefix(f"{session.path}: ")
    problem = problem.removesuffix(": it was changed outside the app")
    return f"This journal was changed outside the app: {problem}. It is open read-only."


class SharingActions(QObject):
    """The sharing part of one ``MainWindow``: menu items, passphrase prompts, notice bars."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.parent_widget = window.window()  # the parent of every dialog
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
            action = QAction(text, self.parent_widget)
            action.setObjectName(name)
            action.triggered.connect(slot)  # the slots take no "checked" argument
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)
            return action

        def separator() -> QAction:
            made: QAction = menu.insertSeparator(before) if before is not None else menu.addSeparator()
            return made

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
        core = self.window.session.core if self.window.session is not None else None
        writable = core is not None and core.writable
        reviewing = core is not None and core.reviewer is not None
        encrypted = core is not None and core.encrypted
        self.export_review_action.setEnabled(core is not None)
        self.export_review_action.setText("&Export a copy for the patient…" if reviewing
                                          else "&Export for review…")
        self.merge_action.setEnabled(writable)
        self.merge_action.setText("&Merge a copy…" if reviewing else "&Merge review…")
        self.passphrase_action.setEnabled(writable and not reviewing)
        self.passphrase_action.setText("Change &passphrase…" if encrypted else "Set &passphrase…")
        self.remove_passphrase_action.setVisible(encrypted)
        self.remove_passphrase_action.setEnabled(writable and not reviewing and encrypted)

        if core is not None and core.reviewer is not None:
            self.review_bar.show_notice(
                f"Reviewing as {core.reviewer}: the patient's entries are read-only",
                "Add your notes in Review. They are saved in this file: send it back to the patient, "
                "who takes them in with Merge review… in the File menu.")
        else:
            self.review_bar.hide()
        if core is not None and core.integrity_problem:
            self.integrity_bar.show_notice(
                integrity_text(core),
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
        passphrase = self.ask_passphrase(self.parent_widget, prompt, message if wrong else "",
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
        name, _ = QFileDialog.getSaveFileName(self.parent_widget, title, str(documents_folder() / suggestion),
                                              FILTER)
        if name:
            self.export_to(with_extension(Path(name)))

    def export_to(self, out: Path) -> bool:
        """A consistent copy of the open journal (SQLite backup), safe while it is open."""
        session = self.window.session
        if session is None:
            return False
        core = session.core
        if run_op(self.parent_widget, "Copy not exported", lambda: core.export_copy(out), busy=True) is None:
            return False
        if core.reviewer is not None:
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
        name, _ = QFileDialog.getOpenFileName(self.parent_widget, "Open a journal for review", start, FILTER)
        if not name:
            return
        remembered = settings().value(THERAPIST_KEY, "")
        therapist, ok = QInputDialog.getText(
            self.parent_widget, "Open for review",
            "Your name, as it will appear on your review notes (for example “J. Rivera, PT”):",
            QLineEdit.EchoMode.Normal, str(remembered or ""))
        therapist = therapist.strip()
        if not ok or not therapist:
            return
        if self.window.persist_settings:
            settings().setValue(THERAPIST_KEY, therapist)
        self.window.current_view = "summary"  # review mode opens on what changed since the last visit
        self.window.open_journal(Path(name), therapist=therapist)

    # Merge ----------------------------------------------------------------------------------------

    def merge(self) -> None:
        session = self.window.session
        if session is None or not session.core.writable:
            return
        title = "Merge a copy" if session.reviewer is not None else "Merge review"
        name, _ = QFileDialog.getOpenFileName(self.parent_widget, title, str(session.path.parent), FILTER)
        if name:
            self.merge_file(Path(name))

    def merge_file(self, other: Path) -> MergeReport | None:
        """Take in every entry of OTHER this journal lacks; the views update from the session's
        ``changed`` hook (the new events are applied incrementally)."""
        session = self.window.session
        if session is None:
            return None
        core = session.core
        encrypted = is_encrypted(other)  # not a journal: merge_from refuses it in one sentence
        passphrase: str | None = None
        error = ""
        while True:
            if encrypted:
                passphrase = self.ask_passphrase(
                    self.parent_widget, f"{other.name} is protected with a passphrase. Type it to merge the copy.",
                    error, title="Merge an encrypted copy", ok_text="Merge")
                if passphrase is None:
                    return None
            result = self._merge_with(core, other, passphrase)
            if isinstance(result, str):  # the copy is encrypted: ask (again, saying why)
                encrypted, error = True, result
                continue
            break
        if result is None:
            return None
        report = result
        sentence = report.sentence()
        self.window.statusBar().showMessage(sentence, 10000)
        QMessageBox.information(self.parent_widget, "Merge review", sentence)
        if report.review_notes:
            self.window.show_view("review")
        return report

    def _merge_with(self, core: JournalSession, other: Path, passphrase: str | None) -> MergeReport | str | None:
        """The merge; why the passphrase did not open OTHER ("" when none was given); or None
        (refused, and said so)."""
        def merge() -> MergeReport | str:
            try:
                return core.merge_from(other, passphrase)
            except WrongPassphrase as exc:
                return str(exc)
            except PassphraseNeeded:
                return ""

        return run_op(self.parent_widget, "Nothing merged", merge, busy=True)

    # Passphrase -----------------------------------------------------------------------------------

    def set_passphrase(self) -> None:
        session = self.window.session
        if session is None or session.readonly:
            return
        if session.core.encrypted:
            prompt = (f"Type a new passphrase for {session.path.name}. The journal is written again, "
                      "encrypted with it; the old passphrase stops working.")
            title = "Change passphrase"
        else:
            prompt = (f"Type a passphrase for {session.path.name}. The entries are then stored encrypted "
                      "and the journal opens only with the passphrase.")
            title = "Set passphrase"
        passphrase = self.ask_new_passphrase(self.parent_widget, prompt, title=title, ok_text=title)
        if passphrase is not None:
            self.reencode(passphrase)

    def remove_passphrase(self) -> None:
        session = self.window.session
        if session is None or session.readonly or not session.core.encrypted:
            return
        answer = QMessageBox.question(
            self.parent_widget, "Remove passphrase",
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
        core = session.core
        path = core.path
        backup = path.with_name(path.name + ".bak")
        title = "Passphrase not changed"
        if backup.exists():
            QMessageBox.warning(self.parent_widget, title, f"{backup}: a backup from an earlier change is in the "
                                                           "way; move it elsewhere and try again")
            return False
        new = run_op(self.parent_widget, title, lambda: core.change_passphrase(passphrase), busy=True)
        if new is None:
            return False
        view = self.window.current_view
        self.window.close_journal()
        try:
            swap_in(path, new, backup)
        except OSError as exc:
            remove_database(new)
            QMessageBox.warning(self.parent_widget, title, f"{path}: the files could not be swapped ({exc}); "
                                                           "the journal was left as it was")
            self.window.open_journal(path)
            return False
        remove_database(new)  # only its -wal/-shm, if SQLite left any
        self.window.current_view = view
        self.window.open_journal(path, passphrase=passphrase)
        done = "Passphrase set" if passphrase is not None else "Passphrase removed"
        self.window.statusBar().showMessage(f"{done}: {path.name} was written again.", 8000)
        return True
