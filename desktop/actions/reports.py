"""File → Export report…: choose a period, write the PDF with a progress indicator, open it;
File → Export CSV…: every entry as a spreadsheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from desktop.operations import run_op
from desktop.session.exports import export_csv
from desktop.widgets import parts
from desktop.widgets.form_dialog import FormDialog

if TYPE_CHECKING:
    from desktop.actions.host import WindowHost
    from projections.summary import Preset


def presets() -> tuple[tuple[Preset, str], ...]:
    """The dialog's periods, in the order offered: the Since-last-visit page's, then any days.
    (Its modules are imported when the dialog is first made, not with the window: ~40 ms of a
    start; so are ``Preset``'s below.)"""
    from desktop.views.summary import PERIODS
    from projections.summary import Preset

    return (*PERIODS, (Preset.CUSTOM, "Days of my choice"))


@dataclass(frozen=True)
class ReportChoice:
    """What the report covers: a preset ending ``end``, or (CUSTOM) ``start``..``end``."""

    preset: Preset
    end: date
    start: date | None = None
    appendix: bool = False


class PeriodDialog(FormDialog):
    """Ask which days the report covers and whether to add every entry."""

    def __init__(self, first: date, last: date, parent: QWidget | None = None) -> None:
        super().__init__(parent, "Export report")
        self.column.addWidget(parts.label("A short PDF for your therapist: what changed in the period, then one "
                                          "chart per sign over those days.", self, wrap=True))
        form = QFormLayout()
        self.preset_box = QComboBox(self)
        for preset, words in presets():
            self.preset_box.addItem(words, preset)
        parts.add_field(form, "Period", self.preset_box, self)
        from projections.summary import months_before

        self.from_edit = QDateEdit(_qdate(max(first, months_before(last, 3))), self)
        self.to_edit = QDateEdit(_qdate(last), self)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setDateRange(_qdate(first), _qdate(max(last, date.today())))
        parts.add_field(form, "From", self.from_edit, self)
        parts.add_field(form, "To", self.to_edit, self)
        self.appendix_box = QCheckBox("Add every entry of the period (a longer report)", self)
        form.addRow("", self.appendix_box)
        self.column.addLayout(form)
        self.ok_button = self.add_buttons("Choose file…", self.accept)
        self.preset_box.currentIndexChanged.connect(self._on_preset_box_changed)
        self._on_preset_box_changed()

    def _on_preset_box_changed(self) -> None:
        from projections.summary import Preset

        self.from_edit.setEnabled(self.preset_box.currentData() == Preset.CUSTOM)

    def choice(self) -> ReportChoice:
        from projections.summary import Preset

        preset = Preset(self.preset_box.currentData())  # Qt hands a StrEnum back as its str
        start: date = self.from_edit.date().toPython()  # type: ignore[assignment]
        end: date = self.to_edit.date().toPython()  # type: ignore[assignment]
        return ReportChoice(preset, end, start if preset is Preset.CUSTOM else None,
                            self.appendix_box.isChecked())


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class ReportActions(QObject):
    """The report part of one ``MainWindow``."""

    def __init__(self, window: WindowHost) -> None:
        super().__init__(window.window())
        self.window = window
        self.parent_widget = window.window()  # the parent of every dialog
        # Replaceable so tests can answer without modal dialogs or opening a viewer.
        self.ask_period: Callable[[date, date], ReportChoice | None] = self._ask_period
        self.ask_path: Callable[[Path], Path | None] = self._ask_path
        self.ask_csv_path: Callable[[Path], Path | None] = self._ask_csv_path
        self.open_file: Callable[[Path], object] = lambda p: QDesktopServices.openUrl(QUrl.fromLocalFile(str(p)))
        self.report_action = QAction("Export &report (PDF)…", self.parent_widget)
        self.report_action.setObjectName("report_action")
        self.report_action.setShortcut("Ctrl+P")
        self.report_action.triggered.connect(self.export_report)
        window.file_menu.insertAction(window.close_action, self.report_action)
        self.csv_action = QAction("Export &CSV…", self.parent_widget)
        self.csv_action.setObjectName("csv_action")
        self.csv_action.triggered.connect(self.export_csv)
        window.file_menu.insertAction(window.close_action, self.csv_action)
        window.file_menu.insertSeparator(window.close_action)
        window.file_menu.aboutToShow.connect(self.update_actions)
        self.update_actions()

    def update_actions(self) -> None:
        self.report_action.setEnabled(self.window.session is not None)
        self.csv_action.setEnabled(self.window.session is not None)

    def export_report(self) -> Path | None:
        session = self.window.session
        if session is None:
            return None
        core = session.core
        choice = self.ask_period(*core.report_period())
        if choice is None:
            return None
        suggested = core.path.with_name(f"{core.path.stem}-report-{choice.end.isoformat()}.pdf")
        out = self.ask_path(suggested)
        if out is None:
            return None
        # Imported on first use, not with the window: the report's modules are ~30 ms of a start.
        from desktop.reports.report import make_report

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
                           lambda: make_report(core.app, out, choice.start, choice.end, progress=step,
                                               preset=choice.preset, appendix=choice.appendix))
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

    def export_csv(self) -> Path | None:
        session = self.window.session
        if session is None:
            return None
        core = session.core
        out = self.ask_csv_path(core.path.with_name(f"{core.path.stem}.csv"))
        if out is None:
            return None
        rows = run_op(self.parent_widget, "CSV not written", lambda: export_csv(core, out), busy=True)
        if rows is None:
            return None
        self.window.statusBar().showMessage(f"Wrote {rows} entries to {out.name}", 8000)
        return out

    def _ask_period(self, first: date, last: date) -> ReportChoice | None:
        dialog = PeriodDialog(first, last, self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        choice = dialog.choice()
        if choice.start is not None and choice.start > choice.end:
            QMessageBox.warning(self.parent_widget, "Export report", "The period's start is after its end.")
            return None
        return choice

    def _ask_csv_path(self, suggested: Path) -> Path | None:
        return self._ask_file(suggested, "Export CSV", "CSV spreadsheets (*.csv)", ".csv")

    def _ask_path(self, suggested: Path) -> Path | None:
        return self._ask_file(suggested, "Export report", "PDF documents (*.pdf)", ".pdf")

    def _ask_file(self, suggested: Path, title: str, kinds: str, suffix: str) -> Path | None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder) / suggested.name) if folder else str(suggested)
        name, _ = QFileDialog.getSaveFileName(self.parent_widget, title, start, kinds)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == suffix else path.with_suffix(suffix)
