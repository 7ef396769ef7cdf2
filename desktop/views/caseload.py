"""The clinic's caseload (issue 20): every patient the therapist may read, most urgent first.

``CaseloadModel`` holds plain ``CaseloadRow``s (from ``desktop.session.caseload``) and renders
them in words; ``CaseloadTable`` sorts them by a key per column (the Place column's key is the
caseload order itself, so sorting by it restores the clinic's order); ``CaseloadView`` adds the
therapist filter and a count. Red flags are never hidden: the Red flags column cannot be
removed, rows with an ``emergency`` or ``today`` flag are tinted, and a filter that leaves out
another therapist's patient with such a flag says so above the table.

A double click asks to open that patient (``open_requested``); the caller (``desktop.actions.
clinic``) opens the review copy from the store.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QWidget

from desktop.session.caseload import CHECK_IN_DAYS, NOT_ASSIGNED, Caseload, CaseloadRow, Group
from desktop.style import colors
from desktop.widgets import parts
from desktop.widgets.page import column_layout
from desktop.widgets.table import Index, RowsModel, rows_table
from projections.vocabulary import (
    CASELOAD_URGENCY,
    caseload_group,
    exercise_advice,
    indicator_name,
    long_day,
    plural,
    stage_words,
    urgency_words,
    verdict,
)

PATIENT_ROLE = Qt.ItemDataRole.UserRole + 1


def _day(d: date | None) -> str:
    return long_day(d) if d is not None else "–"


def _ordinal(d: date | None) -> int:
    return d.toordinal() if d is not None else 0


def ago(days: int) -> str:
    return "today" if days == 0 else "yesterday" if days == 1 else f"{days} days ago"


def flags_cell(row: CaseloadRow) -> str:
    """The flags in a narrow cell, most urgent first ('Emergency, see soon'); in full in the
    details and the tooltip."""
    if not row.red_flags:
        return "None"
    words = [CASELOAD_URGENCY.get(f.urgency, f.urgency) for f in row.red_flags]
    return ", ".join([words[0], *(w.lower() for w in words[1:])])


def flags_text(row: CaseloadRow) -> str:
    if not row.red_flags:
        return "None"
    return "; ".join(f"{urgency_words(f.urgency).short}: {f.words}" for f in row.red_flags)


def last_entry_cell(row: CaseloadRow) -> str:
    days = row.silent_days
    return "No entry yet" if days is None else ago(days)


def last_entry_text(row: CaseloadRow) -> str:
    days = row.silent_days
    if row.last_entry is None or days is None:
        return "No entry yet"
    return f"{long_day(row.last_entry)} ({ago(days)})"


def stop_text(row: CaseloadRow) -> str:
    if not row.stop_exercises:
        return "none"
    return f"{', '.join(row.stop_exercises)}: {exercise_advice('stop')}"


# (heading, cell text, full text for the tooltip, sort key); a key is never None, so every
# sort is total. The details under the table show every field of the row in full.
Column = tuple[str, Callable[[CaseloadRow], str], Callable[[CaseloadRow], str], Callable[[CaseloadRow], Any]]
COLUMNS: tuple[Column, ...] = (
    ("Patient", lambda r: r.name or "(name not yet received)", lambda r: r.name or "(name not yet received)",
     lambda r: (r.name or "").casefold()),
    ("Place", lambda r: caseload_group(r.group), lambda r: caseload_group(r.group), lambda r: 0),  # the order
    ("Why here", lambda r: r.reason, lambda r: r.reason, lambda r: r.reason.casefold()),
    ("Red flags", flags_cell, flags_text, lambda r: (len(r.red_flags) == 0, flags_cell(r))),
    ("Last entry", last_entry_cell, last_entry_text, lambda r: _ordinal(r.last_entry)),
    ("Check-ins", lambda r: f"{r.check_in_days} of {CHECK_IN_DAYS}",
     lambda r: f"{plural(r.check_in_days, 'day')} with a check-in in the last {CHECK_IN_DAYS}",
     lambda r: r.check_in_days),
    ("Last review", lambda r: _day(r.last_review), lambda r: _day(r.last_review), lambda r: _ordinal(r.last_review)),
    ("Therapist", lambda r: r.therapist or "Not assigned", lambda r: r.therapist or "Not assigned",
     lambda r: (r.therapist is None, (r.therapist or "").casefold())),
)
HEADINGS = tuple(c[0] for c in COLUMNS)
PATIENT, PLACE, WHY, FLAGS = 0, 1, 2, 3


def _sign_words(code: str, trend: str) -> str:
    """'leg strength getting weaker'; a verdict that names its sign already stands alone
    ('walking less far', not 'walking walking less far')."""
    name, said = indicator_name(code).lower(), verdict(code, trend)
    return said if said.split()[0] == name.split()[0] else f"{name} {said}"


def details_html(row: CaseloadRow) -> str:
    """Every field of ROW in words, for the pane under the table."""
    signs = ", ".join(_sign_words(code, trend) for code, trend in row.trends)
    stage = stage_words(row.stage).title + (f" — {row.stage_reason}" if row.stage_reason else "")
    lines = [
        ("Why here", row.reason), ("Red flags", flags_text(row)), ("Stage", stage),
        ("Signs", signs[:1].upper() + signs[1:]), ("Exercises to pull back on", stop_text(row)),
        ("Last entry", last_entry_text(row)), ("Check-ins", COLUMNS[5][2](row)),
        ("Last review", _day(row.last_review)), ("Therapist", row.therapist or "Not assigned"),
    ]
    title = html.escape(row.name or "(name not yet received)")
    body = "".join(f"<tr><td><b>{html.escape(k)}</b>&nbsp;&nbsp;</td><td>{html.escape(v)}</td></tr>"
                   for k, v in lines)
    return f"<p><b>{title}</b></p><table>{body}</table>"


class CaseloadModel(RowsModel[CaseloadRow]):
    """The caseload's rows, in the clinic's order, as words."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADINGS, parent)
        self._tint = colors().danger_soft

    def set_rows(self, rows: Sequence[CaseloadRow]) -> None:
        """ROWS most urgent first (their position is the Place column's sort key)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._tint = colors().danger_soft
        self.endResetModel()

    def sort_key(self, row: int, column: int) -> Any:
        """Row ROW's key in COLUMN; the Place column's is the row's place in the caseload order."""
        return row if column == PLACE else COLUMNS[column][3](self._rows[row])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self._rows[index.row()]
        _, cell, full, _ = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(r)
        if role == Qt.ItemDataRole.ToolTipRole:
            return full(r)  # in full: a narrow column elides it
        if role == PATIENT_ROLE:
            return r.patient_id
        if role == Qt.ItemDataRole.BackgroundRole and r.group is Group.RED_FLAG:
            return QColor(self._tint)
        if role == Qt.ItemDataRole.FontRole and index.column() in (PLACE, FLAGS) and r.red_flags:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None


class CaseloadSort(QSortFilterProxyModel):
    """Sorts by each column's key (``CaseloadModel.sort_key``), ties by the caseload order."""

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, CaseloadModel)
        a, b = model.sort_key(left.row(), left.column()), model.sort_key(right.row(), right.column())
        if a != b:
            return bool(a < b)
        return left.row() < right.row()  # the clinic's order among equals


class CaseloadView(QWidget):
    """The caseload page: a therapist filter, a count, and the table."""

    open_requested = Signal(object)  # a patient id (uuid.UUID)
    filter_changed = Signal(object)  # the TherapistChoice made (None: everyone; NOT_ASSIGNED)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.caseload: Caseload | None = None
        layout = column_layout(self, (16, 12, 16, 12), 8)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(parts.label("Caseload", self, "pagetitle"))
        bar.addSpacing(12)
        bar.addWidget(parts.label("Therapist:", self))
        self.therapist_combo = QComboBox(self)
        self.therapist_combo.setObjectName("therapist_combo")
        self.therapist_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.therapist_combo.addItem("Everyone", None)
        self.therapist_combo.activated.connect(self._on_therapist_combo_activated)
        bar.addWidget(self.therapist_combo)
        self.refresh_button = parts.button("Refresh", self, self.refresh_requested.emit, name="refresh_button")
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        self.count_label = parts.label("", self, "hint")
        bar.addWidget(self.count_label)
        layout.addLayout(bar)
        # Said in the error colour, hidden while there is nothing to say.
        self.elsewhere_label = parts.ErrorLine(self, "elsewhere_label")
        layout.addWidget(self.elsewhere_label)
        self.stale_label = parts.ErrorLine(self, "stale_label")
        layout.addWidget(self.stale_label)

        self.model = CaseloadModel(self)
        self.proxy = CaseloadSort(self)
        self.proxy.setSourceModel(self.model)
        self.table = rows_table(self, "caseload_table", self.proxy)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(False)
        header.setStretchLastSection(False)
        # Short cells fit their words; the reason takes the width that is left (in full in
        # its tooltip and the details), so a 1024-pixel window never scrolls sideways.
        for col in range(len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.table.sortByColumn(PLACE, Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        layout.addWidget(self.table, 1)
        self.details = parts.label("", self, name="caseload_details", wrap=True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        layout.addWidget(parts.label("Double-click a patient to open their journal for review. Your notes and "
                                     "clinic tests are saved to the clinic's store.", self, "hint", wrap=True))

    def set_caseload(self, caseload: Caseload) -> None:
        self.caseload = caseload
        self.model.set_rows(caseload.rows)
        self.table.sortByColumn(PLACE, Qt.SortOrder.AscendingOrder)  # the clinic's order first
        if caseload.rows:
            self.table.selectRow(0)  # the most urgent patient's details first
        elif caseload.therapist is None:
            self.details.setText("No patients to show.")
        elif caseload.therapist is NOT_ASSIGNED:
            self.details.setText("Every patient has a therapist.")
        else:
            self.details.setText(f"No patients assigned to {html.escape(caseload.therapist)}.")
        combo = self.therapist_combo
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("Everyone", None)
        if caseload.unassigned or caseload.therapist is NOT_ASSIGNED:
            combo.addItem("Not assigned", NOT_ASSIGNED)
        for name in caseload.therapists:
            combo.addItem(name, name)
        chosen = next((i for i in range(combo.count()) if combo.itemData(i) == caseload.therapist), 0)
        combo.setCurrentIndex(chosen)
        combo.blockSignals(False)
        n = len(caseload.rows)
        flagged = f"; {caseload.red_flags} with a red flag" if caseload.red_flags else ""
        self.count_label.setText(f"{plural(n, 'patient')}{flagged}")
        self.stale_label.setVisible(caseload.stale or caseload.waiting > 0)
        if caseload.stale and caseload.oldest is not None:
            self.stale_label.setText(
                f"Some rows were worked out on {long_day(caseload.oldest)} and not since: the clinic's caseload "
                "service (sciatica clinic serve-projections) is not running. Ask whoever runs the clinic's "
                "server; until then, open a patient to see today's status.")
        elif caseload.waiting:
            self.stale_label.setText(
                f"{plural(caseload.waiting, 'new entry', 'new entries')} {'is' if caseload.waiting == 1 else 'are'} "
                "not in this list yet: the clinic's caseload service (sciatica clinic serve-projections) has not "
                "caught up. Patients just added may be missing; open a patient to see today's status.")
        if caseload.urgent_elsewhere:
            whose = "with a therapist" if caseload.therapist is NOT_ASSIGNED else "of other therapists"
            self.elsewhere_label.show_message(
                f"{plural(caseload.urgent_elsewhere, 'patient')} {whose} "
                f"{'has' if caseload.urgent_elsewhere == 1 else 'have'} a red flag: choose Everyone to "
                "see every patient.")
        else:
            self.elsewhere_label.hide()

    def patient_at(self, proxy_row: int) -> uuid.UUID:
        value = self.proxy.index(proxy_row, 0).data(PATIENT_ROLE)
        assert isinstance(value, uuid.UUID)
        return value

    def shown_rows(self) -> list[CaseloadRow]:
        """The rows in the order the table shows them."""
        return [self.model.row_at(self.proxy.mapToSource(self.proxy.index(i, 0)).row())
                for i in range(self.proxy.rowCount())]

    def _on_current_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid():
            source = self.proxy.mapToSource(current)
            self.details.setText(details_html(self.model.row_at(source.row())))

    def _on_therapist_combo_activated(self, index: int) -> None:
        self.filter_changed.emit(self.therapist_combo.itemData(index))

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.patient_at(index.row()))
