"""The replay slider: show the whole app as of a past day, or as recorded by a past moment.

*By date* steps through calendar days (today's knowledge of that day: every correction
applied); *as recorded* steps through the journal's saves in recorded order (what the app
showed right after each one: the audit view). ``moment_changed`` carries ``None`` (live), a
``date`` or an aware ``datetime``; while dragging it fires at most every ``THROTTLE_MS`` so
the header, signs and curves keep up on a 10-year journal. The session turns a moment into
the status to show (``JournalSession.status``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from desktop.style import set_role

THROTTLE_MS = 40
BY_DATE, AS_RECORDED = "date", "recorded"
Moment = date | datetime | None


class ReplaySlider(QWidget):
    moment_changed = Signal(object)  # None (live) | date | aware datetime

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replay_slider")
        self.first: date | None = None
        self.last: date | None = None
        self.recorded: Sequence[datetime] = []
        self.mode = BY_DATE
        self.active = False
        self._emitted: Moment = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(THROTTLE_MS)
        self._timer.timeout.connect(self._emit)
        self._setup_ui()

    def _setup_ui(self) -> None:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 4, 24, 6)
        layout.setSpacing(10)
        self.replay_button = QPushButton("Replay", self)
        self.replay_button.setObjectName("replay_button")
        self.replay_button.setCheckable(True)
        self.replay_button.setToolTip("Show the whole app as it was at an earlier moment")
        self.replay_button.toggled.connect(self._on_replay_button_toggled)
        layout.addWidget(self.replay_button)
        self.mode_combo = QComboBox(self)
        self.mode_combo.setObjectName("mode_combo")
        self.mode_combo.addItem("By date", BY_DATE)
        self.mode_combo.addItem("As recorded (audit)", AS_RECORDED)
        self.mode_combo.setToolTip("By date: what is known today about that day.\n"
                                   "As recorded: only what had been saved by then, as the app showed it.")
        self.mode_combo.currentIndexChanged.connect(self._on_mode_combo_changed)
        layout.addWidget(self.mode_combo)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("slider")
        self.slider.setTracking(True)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.slider.sliderReleased.connect(self._emit)
        layout.addWidget(self.slider, 1)
        self.label = set_role(QLabel("", self), "hint")
        self.label.setObjectName("replay_label")
        self.label.setMinimumWidth(230)
        layout.addWidget(self.label)
        self._sync_enabled()

    # Range --------------------------------------------------------------------------------------

    def set_range(self, first: date | None, last: date | None, recorded: Sequence[datetime],
                  today: date | None = None) -> None:
        """Take the journal's range: its first and last observed day (TODAY at least) and its
        saves in recorded order (kept by the session; read, never copied)."""
        self.first = first
        self.last = max([d for d in (last, today) if d is not None], default=None)
        self.recorded = recorded
        self._configure()

    def _configure(self) -> None:
        self.slider.blockSignals(True)
        if self.mode == BY_DATE:
            span = (self.last - self.first).days if self.first and self.last else 0
            self.slider.setRange(0, span)
            self.slider.setPageStep(7)
        else:
            self.slider.setRange(0, max(0, len(self.recorded) - 1))
            self.slider.setPageStep(max(1, len(self.recorded) // 50))
        if not self.active:
            self.slider.setValue(self.slider.maximum())
        self.slider.blockSignals(False)
        self._update_label()
        self._sync_enabled()

    def _sync_enabled(self) -> None:
        has = self.first is not None
        self.replay_button.setEnabled(has)
        self.mode_combo.setEnabled(self.active)
        self.slider.setEnabled(self.active and has)

    # The moment ---------------------------------------------------------------------------------

    def moment(self) -> Moment:
        if not self.active or self.first is None:
            return None
        value = self.slider.value()
        if self.mode == BY_DATE:
            return self.first + timedelta(days=value)
        if not self.recorded:
            return None
        return self.recorded[min(value, len(self.recorded) - 1)]

    def set_date(self, day: date) -> None:
        """Replay by date at DAY (clamped to the journal's range)."""
        self._activate(BY_DATE)
        if self.first is not None:
            self.slider.setValue((day - self.first).days)
        self._emit()

    def set_recorded(self, moment: datetime) -> None:
        """Replay as recorded by MOMENT (aware): the last save at or before it."""
        self._activate(AS_RECORDED)
        self.slider.setValue(max(0, bisect.bisect_right(self.recorded, moment) - 1))
        self._emit()

    def set_live(self) -> None:
        self.replay_button.setChecked(False)

    def _activate(self, mode: str) -> None:
        if not self.active:
            self.replay_button.blockSignals(True)
            self.replay_button.setChecked(True)
            self.replay_button.blockSignals(False)
            self.active = True
        if self.mode != mode:
            self.mode_combo.blockSignals(True)
            self.mode_combo.setCurrentIndex(self.mode_combo.findData(mode))
            self.mode_combo.blockSignals(False)
            self.mode = mode
            self._configure()
        self._sync_enabled()

    def _update_label(self) -> None:
        moment = self.moment()
        if moment is None:
            self.label.setText("Live: today's status" if self.first else "")
        elif isinstance(moment, datetime):
            count = self.slider.value() + 1
            self.label.setText(f"As recorded by {moment.astimezone():%d %b %Y %H:%M} ({count} saves)")
        else:
            self.label.setText(f"As of the end of {moment.day} {moment:%b %Y}")

    def _emit(self) -> None:
        self._timer.stop()
        moment = self.moment()
        self._update_label()
        if moment != self._emitted or isinstance(moment, datetime) != isinstance(self._emitted, datetime):
            self._emitted = moment
            self.moment_changed.emit(moment)

    # Slots --------------------------------------------------------------------------------------

    def _on_slider_value_changed(self, _value: int) -> None:
        self._update_label()
        if not self._timer.isActive():
            self._timer.start()

    def _on_replay_button_toggled(self, checked: bool) -> None:
        self.active = checked
        if checked and self.mode == BY_DATE:
            self.slider.setValue(self.slider.maximum())
        self._sync_enabled()
        self._emit()

    def _on_mode_combo_changed(self, _index: int) -> None:
        day = self.moment()
        self.mode = str(self.mode_combo.currentData())
        self._configure()
        # Keep the position in time when switching modes.
        if isinstance(day, date) and not isinstance(day, datetime) and self.mode == AS_RECORDED:
            end = datetime.combine(day, datetime.max.time()).astimezone()
            self.slider.setValue(max(0, bisect.bisect_right(self.recorded, end) - 1))
        elif isinstance(day, datetime) and self.mode == BY_DATE and self.first is not None:
            self.slider.setValue((day.astimezone().date() - self.first).days)
        self._emit()
