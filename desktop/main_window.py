"""The main window: one journal document, a status header, and the views.

Pages: ``empty`` (no journal), ``welcome`` (first run / New journal), ``opening`` (a worker
is replaying the file; the window stays responsive) and ``journal`` (sidebar + views).
The File menu keeps named sections so later items (Export for review…, Merge…, Export
report…) slot in without reshuffling: ``self.file_menu`` and ``self.export_separator``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QThreadPool
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.app import (
    APPLICATION,
    JournalOpener,
    QtSession,
    checkpoint_store,
    documents_folder,
    forget_recent,
    recent_files,
    remember_recent,
    settings,
)
from desktop.operations import run_op
from desktop.session import (
    FACE_VIEWS,
    Changes,
    JournalError,
    JournalSession,
    Moment,
    PassphraseNeeded,
    WrongPassphrase,
    __version__,
    open_session,
)
from desktop.views.registry import VIEW_FACTORIES, VIEWS, LazyViews
from desktop.widgets.replay_slider import ReplaySlider
from desktop.widgets.status_header import StatusHeader
from desktop.window_pages import EmptyPage, JournalPage, OpeningPage, fit_to_screen, same_file


class MainWindow(QMainWindow):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: QtSession | None = None
        self.as_of: date | None = None
        # The open journal's views, each built when first shown (or asked for): see LazyViews.
        self.views: Mapping[str, QWidget] = {}
        self.current_view = "checkin"
        self._opener: JournalOpener | None = None
        self.persist_settings = True  # False for screenshots: leave the user's settings alone
        self.setWindowTitle(APPLICATION)
        self.setMinimumSize(900, 600)
        self._setup_ui()
        self._setup_menus()
        from desktop.actions.reports import ReportActions
        from desktop.actions.sharing import SharingActions

        self.sharing = SharingActions(self)  # export/open for review, merge, passphrase, notice bars
        self.reports = ReportActions(self)  # File → Export report (PDF)…
        from desktop.actions.clinic import ClinicActions

        self.clinic = ClinicActions(self, self.sharing.review_bar)  # File → Connect to clinic…, the caseload window
        from desktop.settings_dialog import SettingsActions

        self.settings_actions = SettingsActions(self)  # File → Settings…, the daily reminder
        self.reminders = self.settings_actions.reminders
        self._show_page("empty")
        self.header.render_empty()
        self.header.hide()  # shown while a journal is open

    # Layout -------------------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        central = QWidget(self)
        central.setObjectName("page")
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.header = StatusHeader(central)
        outer.addWidget(self.header)
        # The replay slider: the header, signs, curves and timeline as of an earlier moment.
        self.replay = ReplaySlider(central)
        self.replay.hide()
        self.replay.moment_changed.connect(self._on_replay_moment_changed)
        outer.addWidget(self.replay)
        self.pages = QStackedWidget(central)
        outer.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        empty = EmptyPage(self._on_new_action_triggered, self._on_open_action_triggered, self.pages)
        opening = OpeningPage(self.pages)
        self.opening_label = opening.label
        self.opening_progress = opening.progress

        journal = JournalPage(self.show_view, self.pages)  # sidebar + views
        self.nav_buttons = journal.nav_buttons
        self.file_label = journal.file_label
        self.stack = journal.stack

        self._pages = {"empty": empty, "opening": opening, "journal": journal}
        for page in self._pages.values():
            self.pages.addWidget(page)

    def _setup_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.new_action = self._action(self.file_menu, "&New journal…", QKeySequence.StandardKey.New,
                                       self._on_new_action_triggered)
        self.open_action = self._action(self.file_menu, "&Open…", QKeySequence.StandardKey.Open,
                                        self._on_open_action_triggered)
        self.recent_menu = QMenu("Open &Recent", self.file_menu)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.file_menu.addMenu(self.recent_menu)
        self.file_menu.addSeparator()
        self.copy_action = self._action(self.file_menu, "Save a &Copy As…", QKeySequence("Ctrl+Shift+S"),
                                        self._on_copy_action_triggered)
        # Export for review…, Merge…, Export report… go after this separator
        self.export_separator = self.file_menu.addSeparator()
        self.close_action = self._action(self.file_menu, "&Close", QKeySequence.StandardKey.Close,
                                         self._on_close_action_triggered)
        self.settings_separator = self.file_menu.addSeparator()  # File → Settings… goes here
        self.quit_action = self._action(self.file_menu, "&Quit", QKeySequence.StandardKey.Quit,
                                        self._on_quit_action_triggered)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.view_menu = bar.addMenu("&View")
        self.view_actions: dict[str, QAction] = {}
        for i, (name, label) in enumerate(VIEWS, start=1):
            action = self._action(self.view_menu, label, QKeySequence(f"Ctrl+{i}"),
                                  lambda _=False, n=name: self.show_view(n))
            self.view_actions[name] = action

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About Sciatica Tracker", None, self._on_about_action_triggered)
        self._update_actions()

    def _action(self, menu: QMenu, text: str, shortcut: Any, slot: Callable[..., Any]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _show_page(self, name: str) -> None:
        self.pages.setCurrentWidget(self._pages[name])

    def _update_actions(self) -> None:
        has = self.session is not None
        self.copy_action.setEnabled(has)
        self.close_action.setEnabled(has)
        for action in self.view_actions.values():
            action.setEnabled(has)
        sharing = getattr(self, "sharing", None)  # None while the menus are being built
        if sharing is not None:
            sharing.update_actions()

    # Settings -------------------------------------------------------------------------------------

    def restore_geometry(self) -> None:
        value = settings().value("mainWindow/geometry")
        if isinstance(value, QByteArray | bytes) and not self.restoreGeometry(QByteArray(value)):
            self.resize(1360, 900)
        elif value is None:
            self.resize(1360, 900)
        fit_to_screen(self)
        self._fit_on_show = True

    _fit_on_show = False  # set by restore_geometry: the window the app starts with

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_on_show:  # the frame's size is known once shown: fit again with it
            self._fit_on_show = False
            fit_to_screen(self)

    def save_geometry(self) -> None:
        settings().setValue("mainWindow/geometry", self.saveGeometry())

    # Opening and closing ------------------------------------------------------------------------

    def open_journal(self, path: Path, *, background: bool = True, readonly: bool = False,
                     passphrase: str | None = None, therapist: str | None = None) -> None:
        """Open PATH, replaying it on a worker thread (``background``) with a progress page.

        THERAPIST opens it for review; an encrypted journal asks for its passphrase and retries
        (``SharingActions.retry_with_passphrase``)."""
        path = Path(path)
        # The open journal stays open until the new one has opened (a failed Open keeps it),
        # unless it is the same file: its own lock would refuse the second opening.
        if self.session is not None and same_file(self.session.path, path):
            self.close_journal()
        if not background:
            try:
                session = open_session(path, readonly=readonly, passphrase=passphrase, therapist=therapist,
                                       checkpoints=checkpoint_store())
            except (PassphraseNeeded, WrongPassphrase) as exc:
                self.sharing.retry_with_passphrase(path, str(exc), isinstance(exc, WrongPassphrase),
                                                   readonly=readonly, therapist=therapist, background=False)
                return
            except JournalError as exc:
                self._open_failed(str(exc))
                return
            self.install_session(session)
            return
        self.opening_label.setText(f"Opening {path.name}…")
        self._show_page("opening")
        opener = JournalOpener(path, readonly=readonly, passphrase=passphrase, therapist=therapist)
        opener.setAutoDelete(False)
        opener.signals.opened.connect(self._on_opener_opened)
        opener.signals.locked.connect(self._on_opener_locked)
        opener.signals.failed.connect(self._open_failed)
        opener.signals.progress.connect(self.opening_label.setText)
        opener.pause_collector()  # after the window's handlers: resumed once they have run
        self._opener = opener
        QThreadPool.globalInstance().start(opener)

    def is_opening(self) -> bool:
        return self._opener is not None

    def _on_opener_opened(self, session: JournalSession) -> None:
        self._opener = None
        if self._closing:  # the window closed while the worker was replaying
            session.close()
            return
        self.install_session(session)

    _closing = False

    def _on_opener_locked(self, message: str, wrong: bool) -> None:
        """The journal is encrypted: ask for the passphrase (again after a wrong one)."""
        opener, self._opener = self._opener, None
        self._show_page("journal" if self.session is not None else "empty")
        if opener is not None and not self._closing:
            self.sharing.retry_with_passphrase(opener.path, message, wrong, readonly=opener.readonly,
                                               therapist=opener.therapist)

    def _open_failed(self, message: str) -> None:
        self._opener = None
        if self.session is not None:
            self._show_page("journal")
            message += f"\n\n{self.session.path.name} is still open."
        else:
            self._show_page("empty")
            self.header.render_empty()
        QMessageBox.warning(self, "Cannot open journal", message)

    def install_session(self, opened: JournalSession | QtSession) -> None:
        self.close_journal()
        session = opened if isinstance(opened, QtSession) else QtSession(opened)
        self.session = session
        session.setParent(self)
        session.as_of = self.as_of
        session.changed.connect(self._on_session_changed)
        if not session.readonly and self.persist_settings:
            remember_recent(session.path)
        self.setWindowTitle(f"{session.path.name} — {APPLICATION}")
        self.setWindowFilePath(str(session.path))
        self.file_label.setText(session.path.name)
        self.file_label.setToolTip(str(session.path))
        # Only the view shown is built now; each other one when first shown.
        self.views = LazyViews(VIEW_FACTORIES, (name for name, _label in VIEWS), session, self.stack,
                               self._on_view_built)
        self._update_replay_range()
        self.replay.show()
        # The header before the view: the view is then laid out once, at its final height.
        self.header.show()
        self._render_header()
        self._show_page("journal")
        self.show_view(self.current_view)
        self._update_actions()

    def _on_view_built(self, name: str, view: QWidget) -> None:
        self.stack.addWidget(view)
        selected = getattr(view, "entry_selected", None)
        if name == "progress" and selected is not None:  # a chart point's click opens its entry
            selected.connect(self._on_progress_entry_selected)
        moment = self.replay.moment()
        set_replay = getattr(view, "set_replay", None)
        if moment is not None and callable(set_replay):  # built while replaying: show that moment too
            set_replay(moment)

    def _built_views(self) -> dict[str, QWidget]:
        views = self.views
        return views.built() if isinstance(views, LazyViews) else dict(views)

    def close_journal(self) -> None:
        if self.session is None:
            return
        for view in self._built_views().values():
            self.stack.removeWidget(view)
            view.deleteLater()
        self.views = {}
        session, self.session = self.session, None
        session.changed.disconnect(self._on_session_changed)
        session.close()
        session.deleteLater()
        self.setWindowTitle(APPLICATION)
        self.setWindowFilePath("")
        self._show_page("empty")
        self.header.render_empty()
        self.header.hide()
        self.replay.set_live()
        self.replay.hide()
        self._update_actions()

    def start_first_run(self, target: Path, *, first_run: bool = True) -> None:
        """Show the welcome form that creates TARGET."""
        from desktop.views.welcome import WelcomeView

        self.close_journal()
        old = self._pages.get("welcome")
        if old is not None:
            self.pages.removeWidget(old)
            old.deleteLater()
        welcome = WelcomeView(target, self.pages, first_run=first_run)
        welcome.created.connect(self._on_welcome_created)
        welcome.review_requested.connect(self.sharing.open_for_review)
        self.welcome_view = welcome
        self._pages["welcome"] = welcome
        self.pages.addWidget(welcome)
        self._show_page("welcome")

    def _on_welcome_created(self, session: JournalSession) -> None:
        self.install_session(session)

    # Views ----------------------------------------------------------------------------------------

    def show_view(self, name: str) -> None:
        """Show view NAME, building it when first shown. A view whose build needs entries that
        cannot be read now (after a start from a checkpoint whose rest is damaged, with the
        journal changed by another program since: ``JournalSession.read_entries``) is refused
        in a message box, as any refused action is, and the view shown stays."""
        if name in self.views:
            if run_op(self, f"{dict(VIEWS)[name]} not shown", lambda: self._bring_up(name)) is None:
                self._drop_unfinished_views()
                self.nav_buttons[self.current_view].setChecked(True)
                return
        self.current_view = name
        self.nav_buttons[name].setChecked(True)

    def _bring_up(self, name: str) -> QWidget:
        core = self.session.core if self.session is not None else None
        if core is not None and name not in FACE_VIEWS:
            core.read_entries()  # a no-op once read; see FACE_VIEWS
        view = self.views[name]
        self.stack.setCurrentWidget(view)
        return view

    def _drop_unfinished_views(self) -> None:
        """A view whose build was refused halfway is a child of the stack but not one of its
        pages: delete it (it is built again if asked for again)."""
        for child in self.stack.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if self.stack.indexOf(child) == -1:
                child.deleteLater()

    def _render_header(self) -> None:
        if self.session is None:
            self.header.render_empty()
            return
        core = self.session.core
        self.header.show_status(core.status(self.replay.moment()), patient=core.identity.patient,
                                readonly=core.readonly)

    def _update_replay_range(self) -> None:
        if self.session is not None:
            core = self.session.core
            first, last = core.observed_range()
            self.replay.set_range(first, last, core.recorded_moments(), core.today())

    def _on_session_changed(self, changes: Changes) -> None:
        self._update_replay_range()
        self._render_header()

    def _on_replay_moment_changed(self, moment: Moment) -> None:
        """Show the header, Progress and Timeline as of MOMENT (None: live). An earlier moment
        needs the entries: when they cannot be read now (see ``show_view``), that is said in a
        message box and the window goes back to today's state."""
        if run_op(self, "Earlier state not shown", lambda: self._show_moment(moment)) is None:
            self.replay.set_live()  # today's state is the checkpoint's own: it shows without them

    def _show_moment(self, moment: Moment) -> bool:
        self._render_header()
        for view in self._built_views().values():
            set_replay = getattr(view, "set_replay", None)
            if callable(set_replay):
                set_replay(moment)
        return True

    def _on_progress_entry_selected(self, entry_id: Any) -> None:
        self.show_view("timeline")
        timeline = self._built_views().get("timeline")  # None: its build was refused
        if timeline is not None and self.current_view == "timeline" and hasattr(timeline, "select_entry"):
            timeline.select_entry(entry_id)

    # Menu slots -----------------------------------------------------------------------------------

    def _on_new_action_triggered(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "New journal", str(documents_folder() / "journal.sciatica"),
                                              "Sciatica journals (*.sciatica)")
        if not name:
            return
        target = Path(name)
        if target.suffix != ".sciatica":
            target = target.with_name(target.name + ".sciatica")
        if target.exists():
            QMessageBox.warning(self, "Journal not created",
                                f"{target}: a file with that name already exists; choose another name")
            return
        self.start_first_run(target, first_run=False)

    def _on_open_action_triggered(self) -> None:
        start = str(self.session.path.parent) if self.session else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Open journal", start,
                                              "Sciatica journals (*.sciatica);;All files (*)")
        if name:
            self.open_journal(Path(name))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = recent_files()
        if not files:
            empty = self.recent_menu.addAction("No recent journals")
            empty.setEnabled(False)
            return
        for path in files:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self._open_recent(p))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list").triggered.connect(
            lambda: settings().setValue("recentFiles", []))

    def _open_recent(self, path: str) -> None:
        if not Path(path).exists():
            forget_recent(path)
            QMessageBox.warning(self, "Cannot open journal", f"{path}: the file no longer exists")
            return
        self.open_journal(Path(path))

    def _on_copy_action_triggered(self) -> None:
        if self.session is None:
            return
        suggestion = documents_folder() / f"{self.session.path.stem} copy.sciatica"
        name, _ = QFileDialog.getSaveFileName(self, "Save a copy as", str(suggestion),
                                              "Sciatica journals (*.sciatica)")
        if name:
            self.save_copy(Path(name))

    def save_copy(self, out: Path) -> bool:
        if self.session is None:
            return False
        core = self.session.core
        done = run_op(self, "Copy not saved", lambda: core.export_copy(out),
                      lambda _: self.statusBar().showMessage(f"Saved a copy as {out}", 6000), busy=True)
        return done is not None

    def _on_close_action_triggered(self) -> None:
        self.close_journal()

    def _on_quit_action_triggered(self) -> None:
        self.close()

    def _on_about_action_triggered(self) -> None:
        QMessageBox.about(self, f"About {APPLICATION}",
                          f"{APPLICATION} {__version__}\n\nA private journal of recovery from sciatica. "
                          "It records what you observe and shows trends; it does not diagnose.")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._closing = True
        if self.persist_settings:
            self.save_geometry()
        self.close_journal()
        super().closeEvent(event)
