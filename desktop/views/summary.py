"""Since last visit: what changed in the period, words first, on one screen (the first page of
review mode; the patient sees it too).

Red flags active now come first, then the period, the stage then → now, each sign's verdict
and numbers then → now beside a sparkline with today's evidence under it, and in a second
column red flags raised or cleared, milestones, exercises, what was recorded and the
therapist's notes. Every sentence is ``projections.summary_text``'s (as ``sciatica summary``
and the report's page 1), grouped by ``desktop.reports.summary_html``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.charts.sparkline import Sparkline
from desktop.reports.summary_html import Section, active_flags, section_html, sections
from desktop.session import Changes
from desktop.session.visits import since_last_visit
from desktop.style import set_role
from desktop.widgets import parts
from desktop.widgets.columns import ReflowColumns
from desktop.widgets.page import ScrollPage, column_layout
from projections.summary import Preset, Summary
from projections.summary_text import header, period_words, sign_line, stage_line

if TYPE_CHECKING:
    from desktop.app import QtSession

# The periods offered here, in order; the report's dialog offers these and days of one's choice.
PERIODS: tuple[tuple[Preset, str], ...] = (
    (Preset.SINCE_LAST_REVIEW, "Since the last review"),
    (Preset.LAST_4_WEEKS, "The last 4 weeks"),
    (Preset.LAST_3_MONTHS, "The last 3 months"),
)


def _label(parent: QWidget, role: str | None = None, *, rich: bool = False) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return set_role(label, role) if role else label


# The two columns' least widths: side by side from about 600 pixels of page, else stacked.
SIGNS_WIDTH = 330
SECTIONS_WIDTH = 220


class SignRow(QWidget):
    """One sign: its sparkline, then its verdict and numbers, and today's evidence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = parts.row_layout(self, 12)
        self.sparkline = Sparkline(self)
        row.addWidget(self.sparkline, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(1)
        self.line = _label(self)
        self.evidence = _label(self, "hint")
        words.addWidget(self.line)
        words.addWidget(self.evidence)
        row.addLayout(words, 1)


class SummaryView(ScrollPage):
    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__("summary_view", parent)
        self.session = session
        self.summary: Summary | None = None
        self._stale = True
        self._setup_ui()
        session.changed.connect(self._on_session_changed)

    def _setup_ui(self) -> None:
        page, outer = self.make_page(spacing=10)
        self._page = page
        top = QHBoxLayout()
        top.addWidget(parts.label("Since last visit", page, "pagetitle"))
        top.addStretch(1)
        self.period_box = QComboBox(page)
        self.period_box.setObjectName("summary_period")
        for preset, words in PERIODS:
            self.period_box.addItem(words, preset)
        self.period_box.currentIndexChanged.connect(self._on_period_box_changed)
        top.addWidget(self.period_box)
        outer.addLayout(top)
        self.flags_label = set_role(_label(page), "error")
        self.flags_label.setObjectName("summary_flags")
        outer.addWidget(self.flags_label)
        self.header_label = _label(page, "title")
        self.period_label = _label(page, "hint")
        self.stage_label = _label(page, "fieldlabel")
        for label in (self.header_label, self.period_label, self.stage_label):
            outer.addWidget(label)

        # The signs beside the other sections on a wide page, above them on a narrow one.
        signs_column = QWidget(page)
        signs_column.setMinimumWidth(SIGNS_WIDTH)
        signs = column_layout(signs_column, (0, 0, 0, 0), 10)
        signs.addWidget(parts.label("Signs, from the start of the period to now", signs_column, "title", wrap=True))
        self.sign_rows: dict[str, SignRow] = {}
        self._signs_box = signs
        signs.addStretch(1)  # rows go above it: a column shorter than its neighbour keeps to the top
        sections_column = QWidget(page)
        sections_column.setMinimumWidth(SECTIONS_WIDTH)
        self.sections_box = column_layout(sections_column, (0, 0, 0, 0), 8)
        self.sections_box.addStretch(1)
        self.section_labels: list[QLabel] = []
        self._sections: list[Section] = []
        self.columns = ReflowColumns([signs_column, sections_column], spacing=28, parent=page)
        outer.addWidget(self.columns)
        outer.addStretch(1)

    # Rendering -----------------------------------------------------------------------------------

    def preset(self) -> Preset:
        return Preset(self.period_box.currentData())  # Qt hands a StrEnum back as its str

    def refresh(self) -> None:
        self.render(since_last_visit(self.session.core, self.preset()))

    def render(self, s: Summary) -> None:  # type: ignore[override]
        self.summary = s
        self._stale = False
        flags = active_flags(s)
        self.flags_label.setText("\n".join(flags))
        self.flags_label.setVisible(bool(flags))
        self.header_label.setText(header(s))
        self.period_label.setText(period_words(s.period) + ".")
        self.stage_label.setText(stage_line(s))
        for change in s.signs:
            row = self.sign_rows.get(change.code)
            if row is None:
                row = self.sign_rows[change.code] = SignRow(self._page)
                self._signs_box.insertWidget(self._signs_box.count() - 1, row)
            row.sparkline.set_points(change.sparkline.points, change.sparkline.higher_is_better)
            row.line.setText(sign_line(change, evidence=False))
            evidence = change.now.evidence
            row.evidence.setText(f"Now: {evidence}." if evidence else "")
            row.evidence.setVisible(bool(evidence))
        for label in self.section_labels:
            self.sections_box.removeWidget(label)
            label.deleteLater()
        self.section_labels = []
        self._sections = sections(s)
        for section in self._sections:
            label = _label(self._page, rich=True)
            label.setText(section_html(section))
            self.sections_box.insertWidget(self.sections_box.count() - 1, label)
            self.section_labels.append(label)

    def text(self) -> str:
        """Everything the page says, as plain text (tests, accessibility)."""
        parts = [self.flags_label.text(), self.header_label.text(), self.period_label.text(),
                 self.stage_label.text()]
        for row in self.sign_rows.values():
            parts += [row.line.text(), row.evidence.text()]
        for section in self._sections:
            parts += [section.title, *(section.lines or (section.empty,))]
        return "\n".join(p for p in parts if p)

    # Slots ---------------------------------------------------------------------------------------

    def _on_period_box_changed(self) -> None:
        self.refresh()

    def _on_session_changed(self, changes: Changes) -> None:
        # Redrawn when next shown: a check-in saved elsewhere need not wait for this page.
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)
