"""The Progress view: the five signs in words (``SignsPanel``) beside their curves
(``ProgressCharts``), both rendered from the session's ``Timeline``.

``ProgressView(session, parent)`` follows the session: every saved entry re-renders it (lazily,
when the view is next shown). ``set_replay(moment)`` shows the journal as of a date or as
recorded by a moment (the replay slider); ``entry_selected`` carries the entry id of a
clicked point (the main window selects it in the Timeline).
"""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

from desktop.charts.measure_plot import MeasureCharts
from desktop.charts.progress_charts import ProgressCharts
from desktop.style import set_role
from desktop.views.signs_panel import SignsPanel
from desktop.widgets.page import RefreshWhenShown
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.app import QtSession
    from projections.series import ProgressSeries
    from projections.status import StatusSnapshot
    from projections.timeline import Timeline

Moment = date | datetime | None
DRAG_GAP_S = 0.25  # replay moves closer than this are a drag
AHEAD_PX = 240  # a sign's plot is built, the questionnaires' curves fed, when scrolled this close to view


class ProgressView(RefreshWhenShown, QWidget):
    entry_selected = Signal(object)  # uuid.UUID of a clicked point's entry

    def __init__(self, session: QtSession | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.session = session.core if session is not None else None
        self.timeline: Timeline | None = self.session.timeline if self.session is not None else None
        self.moment: Moment = None
        self.series: ProgressSeries | None = None
        self.snapshot: StatusSnapshot | None = None
        self._dirty = True
        self._defer_cutoff = False
        self._last_replay = 0.0
        self._setup_ui()
        if session is not None:
            session.changed.connect(self.refresh_when_shown)
        if self.window() is not self and self.window().isVisible() and not self.isVisible():
            # Created hidden in a window already showing (opening a journal on another view):
            # the curves are built when the view is first shown, not while the journal opens.
            self._dirty = True
        else:
            self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        # The least width is the narrow layout's (minimumSizeHint), not the side-by-side one's.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(6)
        self.hint = set_role(QLabel("", self), "hint")
        self.hint.setObjectName("progress_hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.signs = SignsPanel(self.splitter)
        self.signs.setMinimumWidth(260)
        self.charts_scroll = QScrollArea(self.splitter)
        self.charts_scroll.setWidgetResizable(True)
        self.charts_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The signs' curves, then (issue 19) a curve per questionnaire that has answers, on the
        # same dates.
        holder = self._holder = QWidget(self.charts_scroll)
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(0)
        self.charts = ProgressCharts(holder, min_plot_height=235)
        self.charts.setMinimumWidth(440)
        self._measure_charts = MeasureCharts(holder, min_plot_height=235)
        self._measure_charts.link_x(self.charts.plots["centralization"])
        self._measure_charts.set_describe_entry(self._describe_entry)
        self._measure_charts.entry_clicked.connect(self._on_charts_entry_clicked)
        # The sign plots below the fold are built, and the questionnaires' curves below them
        # fed, when scrolled near (or first asked for), not before the first picture of a
        # long journal.
        self._measures_pending = False
        self.charts_scroll.verticalScrollBar().valueChanged.connect(lambda _value: self._build_in_view())
        self.charts_scroll.viewport().installEventFilter(self)
        holder.installEventFilter(self)  # laid out (or grown) under the viewport
        stack.addWidget(self.charts, 1)
        stack.addWidget(self._measure_charts)
        self._stack = stack
        self.charts_scroll.setWidget(holder)
        # The scroll area is at least as wide as the charts it holds (and its scroll bar and
        # frame): the splitter must not squeeze it until the charts are cut at the right.
        frame = 2 * self.charts_scroll.frameWidth()
        bar = self.charts_scroll.verticalScrollBar().sizeHint().width()
        self.charts_scroll.setMinimumWidth(self.charts.minimumWidth() + bar + frame)
        self.charts.entry_clicked.connect(self._on_charts_entry_clicked)
        self.charts.set_describe_entry(self._describe_entry)
        self.splitter.addWidget(self.signs)
        self.splitter.addWidget(self.charts_scroll)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        # The signs in words take a third at most: the charts need the width more.
        self.splitter.setSizes([300, 1000])
        layout.addWidget(self.splitter, 1)
        self.narrow = False  # one column: the signs in words under the curves (set_narrow)

    # Width --------------------------------------------------------------------------------------

    def fits_beside(self, width: int) -> bool:
        """Whether the signs in words fit beside the curves in a view WIDTH wide."""
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        room = width - margins.left() - margins.right()
        return room >= self.signs.minimumWidth() + self.charts_scroll.minimumWidth() + self.splitter.handleWidth()

    def set_narrow(self, narrow: bool) -> None:
        """One column (NARROW): the signs' cards go under the curves, in the same scroll, and
        the curves take the whole width; else the cards are beside them, as a panel of its own."""
        if narrow == self.narrow:
            return
        self.narrow = narrow
        cards = self.signs.cards_page
        if narrow:
            self.signs.takeWidget()
            self._stack.addWidget(cards)
            self.signs.hide()
        else:
            self._stack.removeWidget(cards)
            self.signs.setWidget(cards)
            self.signs.show()
        cards.show()

    def minimumSizeHint(self) -> QSize:
        # As narrow as the curves alone: narrower than both side by side, the view puts the
        # signs under them (set_narrow), so their sum must not hold the window wider.
        hint = super().minimumSizeHint()
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        hint.setWidth(self.charts_scroll.minimumWidth() + margins.left() + margins.right())
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Only the width decides (as for the check-in's columns): never what is shown.
        self.set_narrow(not self.fits_beside(event.size().width()))
        super().resizeEvent(event)

    # Feeding ------------------------------------------------------------------------------------

    def set_timeline(self, timeline: Timeline) -> None:
        """Show TIMELINE (without a session: benchmarks, exports, tests)."""
        self.timeline = timeline
        self._dirty = True
        self.refresh()

    def today(self) -> date:
        if self.session is not None:
            return self.session.today()
        return date.today()

    def _series_as_of(self) -> date | None:
        """The pinned date (``--as-of``) limits the curves; otherwise everything is shown."""
        return self.session.as_of if self.session is not None else None

    def refresh(self) -> None:
        """Re-read the timeline: curves and signs."""
        self._dirty = False
        if self.timeline is None:
            self.signs.render_empty("Status not available for this journal.")
            return
        self.series = self.timeline.series(self._series_as_of())
        self.charts.show_series(self.series, self._affected_side())
        self._measures_pending = True
        self._build_in_view_then_near()
        self._render_moment()

    @property
    def measure_charts(self) -> MeasureCharts:
        """The questionnaires' curves, fed with the journal as it is now."""
        self._feed_measures()
        return self._measure_charts

    def _feed_measures(self) -> None:
        if self._measures_pending and self.timeline is not None:
            self._measures_pending = False
            measures = self.timeline.status_at(self._series_as_of() or self.today()).measures
            self._measure_charts.show_measures(measures.measures)

    def _build_in_view(self, ahead: int = AHEAD_PX) -> None:
        """Build the sign plots (and their panels) whose rows reach within AHEAD of the visible
        part of the charts, and feed the questionnaires' curves once it reaches that close to
        them. Before a picture (a resize, new data) AHEAD is 0: what is in view is built for
        it, what is near it right after (the next turn of the event loop). A view not shown or
        not laid out yet waits for its viewport's resize (``charts.plots`` and
        ``measure_charts`` build and feed at once for a caller that needs them)."""
        if not self.isVisible():
            return
        if not self._laid_out():
            return  # the viewport's or the holder's resize asks again
        bar = self.charts_scroll.verticalScrollBar()
        top = bar.value()
        bottom = top + self.charts_scroll.viewport().height()
        charts = self.charts.geometry()  # in the scrolled holder's coordinates
        anchor = self._row_at(top)
        built = len(self.charts.built_plots())
        self.charts.build_between(top - ahead - charts.top(), bottom + ahead - charts.top())
        if len(self.charts.built_plots()) != built and anchor is not None:
            # A plot just built is taller than the row that held its place: the rows under it
            # moved down. Keep the row that was at the top of the view where it was, so that
            # nothing in view moves (scrolling up, the rows above it grow out of sight).
            row, offset = anchor
            bar.setValue(self._row_top(row) - offset)
        # The questionnaires' curves start right under the signs'.
        if self._measures_pending and bar.value() + self.charts_scroll.viewport().height() + ahead >= \
                self.charts.geometry().bottom():
            self._feed_measures()

    def _build_in_view_then_near(self) -> None:
        """Before a picture: what is in view now, what is near at the next turn (after it)."""
        self._build_in_view(0)
        QTimer.singleShot(0, self._build_in_view)

    def _rows(self) -> list[QWidget]:
        """The rows of the scrolled charts, from the top (a sign's slot, or its plot once built)."""
        return [*self.charts.rows(), self._measure_charts]

    def _row_top(self, index: int) -> int:
        row = self._rows()[index]
        return row.mapTo(self._holder, QPoint(0, 0)).y()

    def _row_at(self, y: int) -> tuple[int, int] | None:
        """The row showing at Y of the holder (its index, and its top's offset from Y)."""
        for index, row in enumerate(self._rows()):
            top = self._row_top(index)
            if top + row.height() > y:
                return index, top - y
        return None

    def _laid_out(self) -> bool:
        """Whether the charts have their size for the viewport's (before that, a row's place
        would build plots that are not in view)."""
        charts = self.charts
        return (self._holder.width() == self.charts_scroll.viewport().width()
                and charts.height() >= charts.minimumSizeHint().height())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and obj in (self.charts_scroll.viewport(), self._holder):
            # The layout has placed the rows already: what is in view is built before the
            # first paint, and what is near once the layout has moved them (a plot just built
            # is taller than its slot).
            self._build_in_view_then_near()
        return super().eventFilter(obj, event)

    def _affected_side(self) -> str | None:
        if self.timeline is None:
            return None
        journal = self.timeline.current.journal
        return journal.affected_side if journal is not None else None

    def set_replay(self, moment: Moment) -> None:
        """Show the journal as of a date (today's knowledge of that day), as recorded by an
        aware datetime (audit), or live (None)."""
        # Moves closer together than a drag step only grey the later part of the curves now;
        # the points after the moment are hidden once the slider pauses.
        now = time.monotonic()
        self._defer_cutoff = moment is not None and now - self._last_replay < DRAG_GAP_S
        self._last_replay = now
        self.moment = moment
        if self.window().isVisible() and not self.isVisible():
            self._dirty = True  # another view is showing: render when shown, free while dragging
        elif self._dirty:
            self.refresh()
        else:
            self._render_moment()

    def _render_moment(self) -> None:
        if self.timeline is None:
            return
        moment = self.moment
        if moment is None:
            self.charts.set_cutoff(None)
            self._measure_charts.set_cutoff(None)
            snapshot = self.timeline.status_at(self.today())
            self.hint.setText("Hover a point for its value, date and entry; click it to open the entry in the "
                              "Timeline. Drag to scroll through time, wheel to zoom.")
        elif isinstance(moment, datetime):
            local = moment.astimezone()
            self.charts.set_cutoff(local.date(), defer=self._defer_cutoff)
            self._measure_charts.set_cutoff(local.date())  # a few points: no need to defer
            snapshot = self.timeline.status_recorded_at(moment)
            self.hint.setText(f"Replay: what the app showed on {local:%d %b %Y %H:%M} (only entries recorded by "
                              "then). The curves show those days as known today.")
        else:
            self.charts.set_cutoff(moment, defer=self._defer_cutoff)
            self._measure_charts.set_cutoff(moment)
            snapshot = self.timeline.status_at(moment)
            self.hint.setText(f"Replay: the journal as of the end of {moment.day} {moment:%b %Y}. "
                              "Later days are greyed.")
        self.snapshot = snapshot
        self.signs.show_status(snapshot)

    # Slots --------------------------------------------------------------------------------------

    def _on_charts_entry_clicked(self, entry_id: uuid.UUID) -> None:
        self.entry_selected.emit(entry_id)

    def _describe_entry(self, entry_id: uuid.UUID) -> str:
        if self.session is None:
            return ""
        event = self.session.entry(entry_id)
        if event is None:  # an entry the file does not hold: show the id only
            return ""
        return f"{summarize(event)} ({event.author_role} {event.author_name})"
