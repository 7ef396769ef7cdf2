"""Clinic mode from the window (issue 20): File → Connect to clinic…, the caseload window, and
a patient opened for review from the clinic's store.

The connection is a libpq URL without a password (libpq reads ``PGPASSWORD`` or ``~/.pgpass``);
a URL holding one is refused in the dialog, so only a password-free URL is ever remembered
(``clinic/url`` in the settings). A double click on a patient asks the store for a review copy
(``CaseloadSession.open_patient``), opens it in the main window in review mode, and after
every save there writes the therapist's new entries back to the store (``push``: the store's
union merge, so a save that adds nothing adds nothing there either).

The prompts are replaceable attributes (``ask_url``, ``ask_therapist``) and ``connect_to``
the session factory, so tests never meet a blocking modal dialog.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QMainWindow, QWidget

from desktop.actions.sharing import THERAPIST_KEY
from desktop.app import settings
from desktop.operations import run_op
from desktop.session import JournalError
from desktop.widgets import parts
from desktop.widgets.form_dialog import FormDialog
from desktop.widgets.notice_bar import NoticeBar
from desktop.window_pages import fit_to_screen

if TYPE_CHECKING:
    from desktop.actions.host import WindowHost
    from desktop.session import Changes
    from desktop.session.caseload import CaseloadSession, TherapistChoice

# The clinic's store, its caseload and their view are imported when a clinic is first
# connected, not with every window: most windows never connect (~20 ms of a window's start).

URL_KEY = "clinic/url"
EXAMPLE_URL = "postgresql://j.rivera@clinic-server/sciatica?sslmode=verify-full"
AskUrl = Callable[[QWidget, str], "CaseloadSession | None"]
AskTherapist = Callable[[QWidget, str], "str | None"]


class ConnectDialog(FormDialog):
    """The clinic's address, checked and connected before the dialog closes; a refusal is
    shown inline, in the store's own sentence."""

    def __init__(self, parent: QWidget | None, url: str, connect_to: Callable[[str], CaseloadSession]) -> None:
        super().__init__(parent, "Connect to clinic")
        self.connect_to = connect_to
        self.session: CaseloadSession | None = None
        self.column.addWidget(parts.label("The address of your clinic's database, as your clinic gave it to you:",
                                          self, wrap=True))
        self.url_edit = QLineEdit(url, self)
        self.url_edit.setObjectName("url_edit")
        self.url_edit.setPlaceholderText(EXAMPLE_URL)
        self.url_edit.setMinimumWidth(460)
        self.column.addWidget(self.url_edit)
        self.column.addWidget(parts.label("Leave the password out: it is taken from the PGPASSWORD environment "
                                          "variable or your ~/.pgpass file, and never typed or stored here.", self,
                                          "hint", wrap=True))
        self.add_error_line()
        self.connect_button = self.add_buttons("Connect", self.try_connect, ok_name="connect_button")

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self.adjustSize()  # room for the sentence: the dialog grows rather than squeezing its lines

    def try_connect(self) -> None:
        from desktop.session.caseload import check_url

        url = self.url_edit.text()
        found = run_op(self, "Not connected", lambda: self.connect_to(check_url(url)), on_error=self.show_error,
                       busy=True)
        if found is not None:
            self.session = found
            self.accept()


def ask_url(parent: QWidget, url: str, connect_to: Callable[[str], CaseloadSession] | None = None
            ) -> CaseloadSession | None:
    """The clinic connected to in the dialog (CONNECT_TO: ``CaseloadSession.connect``), or None."""
    if connect_to is None:
        from desktop.session.caseload import CaseloadSession

        connect_to = CaseloadSession.connect
    dialog = ConnectDialog(parent, url, connect_to)
    return dialog.session if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_therapist(parent: QWidget, remembered: str) -> str | None:
    name, ok = QInputDialog.getText(
        parent, "Open for review",
        "Your name, as it will appear on your review notes (for example “J. Rivera, PT”):",
        QLineEdit.EchoMode.Normal, remembered)
    name = name.strip()
    return name if ok and name else None


class CaseloadWindow(QMainWindow):
    """The caseload in its own window, beside the journal window."""

    closed = Signal(object)  # its CaseloadSession, when the window closes

    def __init__(self, session: CaseloadSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        from desktop.views.caseload import CaseloadView

        self.setWindowTitle(f"Caseload — {session.where}")
        self.view = CaseloadView(self)
        self.setCentralWidget(self.view)
        self.view.filter_changed.connect(self.show_caseload)
        self.view.refresh_requested.connect(self.refresh)
        self.resize(1180, 720)
        fit_to_screen(self)  # a small or scaled screen (1440×960 at 1.5 is 960×640) keeps it whole

    def show_caseload(self, therapist: TherapistChoice = None) -> bool:
        caseload = run_op(self, "Caseload not shown", lambda: self.session.caseload(therapist), busy=True)
        if caseload is None:
            return False
        self.view.set_caseload(caseload)
        return True

    def refresh(self) -> bool:
        current = self.view.caseload.therapist if self.view.caseload is not None else None
        return self.show_caseload(current)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit(self.session)  # the owner closes the connection when nothing needs it
        super().closeEvent(event)


class ClinicActions(QObject):
    """The clinic part of one main window: the menu item, the caseload window, review copies.
    REVIEW_BAR is the window's review notice (``SharingActions.review_bar``), which says where a
    review copy's notes go: given, since ``WindowHost`` does not reach into other actions."""

    def __init__(self, window: WindowHost, review_bar: NoticeBar) -> None:
        super().__init__(window.window())
        self.window = window
        self.review_bar = review_bar
        self.parent_widget = window.window()
        self.ask_url: AskUrl = ask_url
        self.ask_therapist: AskTherapist = ask_therapist
        self.caseload_window: CaseloadWindow | None = None
        # Connections whose window has closed while their review copy is still open: the next
        # save still goes to the store, so each stays open until its copy closes.
        self.lingering: set[CaseloadSession] = set()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shut_down)
        menu = window.file_menu
        self.connect_action = QAction("Connect to &clinic…", self.parent_widget)
        self.connect_action.setObjectName("connect_clinic_action")
        self.connect_action.triggered.connect(self.connect_to_clinic)
        menu.insertAction(window.export_separator, self.connect_action)

    # Connecting ---------------------------------------------------------------------------------

    def connect_to_clinic(self) -> CaseloadWindow | None:
        remembered = str(settings().value(URL_KEY, "") or "")
        session = self.ask_url(self.parent_widget, remembered)
        if session is None:
            return None
        if self.window.persist_settings:
            settings().setValue(URL_KEY, session.where)  # checked: it holds no password
        return self.show_caseload(session)

    def show_caseload(self, session: CaseloadSession) -> CaseloadWindow:
        """SESSION's caseload in the caseload window (a new connection replaces the old one)."""
        if self.caseload_window is not None:
            self.caseload_window.close()
        shown = CaseloadWindow(session, self.parent_widget)
        shown.closed.connect(self._on_caseload_closed)
        shown.view.open_requested.connect(self.open_patient)
        self.caseload_window = shown
        shown.show_caseload()
        shown.show()
        shown.raise_()
        return shown

    # A patient for review -----------------------------------------------------------------------

    def open_patient(self, patient_id: uuid.UUID) -> bool:
        """Open the patient's review copy from the store in the main window, in review mode."""
        shown = self.caseload_window
        if shown is None:
            return False
        session = shown.session
        known = run_op(shown, "Patient not opened", session.therapist)  # this role's therapist, if any
        remembered = known or str(settings().value(THERAPIST_KEY, "") or "")
        therapist = self.ask_therapist(shown, remembered)
        if therapist is None:
            return False
        if self.window.persist_settings:
            settings().setValue(THERAPIST_KEY, therapist)
        # The copy, its journal and read models in one step (``CaseloadSession.open_patient``:
        # the copy is not read back after it is written), installed as File → Open would.
        review = run_op(shown, "Patient not opened", lambda: session.open_patient(patient_id, therapist), busy=True)
        if review is None:
            return False
        path = review.path
        self.window.current_view = "summary"  # review mode opens on what changed since the last visit
        self.window.install_session(review)
        opened = self.window.session
        if opened is None or Path(opened.path) != Path(path):
            session.discard(path)
            return False  # refused, and the window said why
        opened.changed.connect(lambda changes: self._push(session, path, changes))
        # The copy is health data in a temporary folder: removed once its journal closes.
        opened.destroyed.connect(lambda *_: self._on_copy_closed(session, path))
        self._say_where_notes_go(therapist)
        self.window.window().raise_()
        self.window.window().activateWindow()
        return True

    def _say_where_notes_go(self, therapist: str) -> None:
        """The review bar's usual advice (send the file back to the patient) does not hold for a
        copy from the clinic: its notes go to the store on each save. Said in the same bar."""
        self.review_bar.show_notice(f"Reviewing as {therapist}, from the clinic: the patient's entries are read-only",
                                    "Add your notes in Review and your clinic tests in Tests. Each one is saved "
                                    "to the clinic's store as you save it.")

    def _open_copy(self) -> Path | None:
        """The review copy open in the main window, if one is."""
        opened = self.window.session
        return Path(opened.path) if opened is not None else None

    # Closing --------------------------------------------------------------------------------------

    def _on_caseload_closed(self, session: CaseloadSession) -> None:
        if self.caseload_window is not None and self.caseload_window.session is session:
            self.caseload_window = None
        open_copy = self._open_copy()
        if open_copy is not None and session.is_copy(open_copy):
            self.lingering.add(session)  # closed with that copy (``_on_copy_closed``)
        else:
            _close(session)

    def _on_copy_closed(self, session: CaseloadSession, path: Path) -> None:
        session.discard(path)
        if session in self.lingering:
            self.lingering.discard(session)
            _close(session)

    def shut_down(self) -> None:
        """The app quits: close the caseload window and every connection, removing every copy
        (the window closed its journal first)."""
        if self.caseload_window is not None:
            self.caseload_window.close()
        for session in list(self.lingering):
            self.lingering.discard(session)
            _close(session)

    def _push(self, session: CaseloadSession, path: Path, changes: Changes) -> None:
        """After a save in the review copy: its new entries to the store, then the caseload."""
        if run_op(self.parent_widget, "Not saved to the clinic", lambda: session.push(path), busy=True) is None:
            return
        self.window.statusBar().showMessage("Saved to the clinic's store.", 6000)
        if self.caseload_window is not None and self.caseload_window.session is session:
            self.caseload_window.refresh()


def _close(session: CaseloadSession) -> None:
    try:
        session.close()
    except JournalError:
        pass  # the server went away: nothing is left to close
