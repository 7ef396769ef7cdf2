"""File → Export report…: choose a period, write the PDF with a progress indicator, open it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from desktop.operations import run_op
from desktop.reports.report import make_report

if TYPE_CHECKING:
    from desktop.actions.host import WindowHost

DEFAULT_PERIOD_DAYS = 90  # what fits an appointment; the whole journal is one click away


class PeriodDialog(QDialog):
    """Ask which days the report covers."""

    def __init__(self, first: date, last: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export report")
        layout = QVBoxLayout(self)
        intro = QLabel("A PDF for your therapist: the signs, their curves, red flags and every "
                       "entry of the period.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.from_edit = QDateEdit(_qdate(max(first, last - timedelta(days=DEFAULT_PERIOD_DAYS - 1))))
        self.to_edit = QDateEdit(_qdate(last))
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setDateRange(_qdate(first), _qdate(max(last, date.today())))
        form.addRow("From", self.from_edit)
        form.addRow("To", self.to_edit)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def period(self) -> tuple[date, date]:
        return self.from_edit.date().toPython(), self.to_edit.date().toPython()  # type: ignore[return-value]


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class ReportActions(QObject):
    """The report part of one ``MainWindow``."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.parent_widget = window.window()  # the parent of every dialog
        # Replaceable so tests can answer without modal dialogs or opening a viewer.
        self.ask_period: Callable[[date, date], tuple[date, date] | None] = self._ask_period
        self.ask_path: Callable[[Path], Path | None] = self._ask_path
        self.open_file: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))
        self.report_action = QAction("Export &report (PDF)…", self.parent_widget)
        self.report_action.setObjectName("report_action")
        self.report_action.setShortcut("Ctrl+P")
        self.report_action.triggered.connect(self.export_report)
        window.file_menu.insertAction(window.close_action, self.report_action)
        window.file_menu.insertSeparator(window.close_action)
        window.file_menu.aboutToShow.connect(self.update_actions)
        self.update_actions()

    def update_actions(self) -> None:
        self.report_action.setEnabled(self.window.session is not None)

    def export_report(self) -> Path | None:
        session = self.window.session
        if session is None:
            return None
        core = session.core
        period = self.ask_period(*core.report_period())
        if period is None:
            return None
        start, end = period
        suggested = core.path.with_name(f"{core.path.stem}-report-{end.isoformat()}.pdf")
        out = self.ask_path(suggested)
        if out is None:
            return None
        progress = QProgressDialog("Making the report…", "", 0, 100, self.parent_widget)
        progress.setWindowTitle("Export report")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setValue(0)

        def step(percent: int, what: str) -> None:
            progress.setLabelText(what + "…")
            progress.setValue(percent)
            QApplication.processEvents()

        try:
            pages = run_op(self.parent_widget, "Report not written",
                           lambda: make_report(core.app, out, start, end, progress=step))
        except OSError as exc:
            pages = None
            QMessageBox.warning(self.parent_widget, "Report not written", f"{out}: {exc.strerror or exc}")
        finally:
            progress.close()
        if pages is None:
            return None
        self.window.statusBar().showMessage(f"Wrote a {pages}-page report to {out.name}", 8000)
        self.open_file(out)
        return out

    def _ask_period(self, first: date, last: date) -> tuple[date, date] | None:
        dialog = PeriodDialog(first, last, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        start, end = dialog.period()
        if start > end:
            QMessageBox.warning(self.parent_widget, "Export report", "The period's start is after its end.")
            return None
        return start, end

    def _ask_path(self, suggested: Path) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / suggested.name) if folder else str(suggested)
        name, _ = QFileDialog.getSaveFileName(self.parent_widget, "Export report", start, "PDF documents (*.pdf)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
