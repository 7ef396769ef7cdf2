"""The always-visible status header: recovery stage, days since onset, red-flag banner.

It renders the typed status snapshot (``projections.status.StatusSnapshot``); every word comes
from ``projections.vocabulary`` and every verdict from the projections, so the header says
what the CLI and the Progress panel say. With a red flag active its advice comes first; with
no recent check-in it says when the last one was and invites one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.style import repolish, set_role
from desktop.widgets.flow import ElidedLabel, FlowLayout
from projections import vocabulary
from projections.stage import Stage
from projections.vocabulary import (
    INDICATORS,
    affected_side_words,
    long_day,
    most_urgent,
    red_flag_lead,
    red_flag_name,
    stage_words,
    trend_words,
    urgency_words,
)

if TYPE_CHECKING:

    from projections.red_flags import ActiveFlag
    from projections.status import StatusSnapshot

# (title, explanation) of each stage by its code, as the vocabulary words them.
STAGES: dict[str, tuple[str, str]] = {code: (w.title, w.explanation) for code, w in vocabulary.STAGES.items()}


# Other views still import this name; they move to ``vocabulary.red_flag_name`` (one word each).
flag_label = red_flag_name


# The vocabulary's one date format for people ("3 Nov 2026").
_date_words = long_day


class RedFlagBanner(QFrame):
    """Shown while any red flag is active; calm, factual, never dismissible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(3)
        self.title = set_role(QLabel("", self), "bannertitle")
        self.title.setObjectName("banner_title")
        self.body = QLabel("", self)
        self.body.setObjectName("banner_body")
        self.body.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.hide()

    def show_flags(self, flags: tuple[ActiveFlag, ...]) -> None:
        top = most_urgent([f.urgency for f in flags])
        if top is None:
            self.hide()
            return
        words = urgency_words(top)
        listed = "; ".join(f"{red_flag_name(f.code)} (since {_date_words(f.since)})" for f in flags)
        self.title.setText(words.title)
        self.body.setText(f"{red_flag_lead([f.code for f in flags])}: {listed}. {words.advice}")
        self.setProperty("urgency", top)
        repolish(self)
        self.show()


class StatusHeader(QWidget):
    """Stage in words, days since onset, indicator trends and the red-flag banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._setup_ui()

    def _setup_ui(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 14, 24, 14)
        outer.setSpacing(10)
        top = QHBoxLayout()
        top.setSpacing(18)
        left = QVBoxLayout()
        left.setSpacing(2)
        self.stage_label = QLabel("No journal open", self)
        self.stage_label.setObjectName("stage")
        self.stage_detail = set_role(QLabel("", self), "hint")
        self.stage_detail.setObjectName("stage_detail")
        self.stage_detail.setWordWrap(True)
        left.addWidget(self.stage_label)
        left.addWidget(self.stage_detail)
        top.addLayout(left, 1)
        right = QVBoxLayout()
        right.setSpacing(2)
        self.days_label = QLabel("", self)
        self.days_label.setObjectName("days")
        self.days_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.patient_label = set_role(QLabel("", self), "hint")
        self.patient_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        right.addWidget(self.days_label)
        right.addWidget(self.patient_label)
        top.addLayout(right)
        outer.addLayout(top)

        # The chips wrap onto a second line between chips (at 1024×700, or 1.5× on 1440×960, a
        # row of five was cut mid-word); one wider than the whole line elides, with a tooltip.
        self.chips = FlowLayout(spacing=8, line_spacing=6)
        self.trend_chips: dict[str, ElidedLabel] = {}
        for code, name in INDICATORS.items():
            chip = set_role(ElidedLabel(name, self), "chip")
            chip.setObjectName(f"trend_{code}")
            self.chips.addWidget(chip)
            self.trend_chips[code] = chip
        outer.addLayout(self.chips)

        self.banner = RedFlagBanner(self)
        outer.addWidget(self.banner)

    def show_status(self, status: StatusSnapshot | None, *, patient: str = "", readonly: bool = False) -> None:
        """Fill the header from STATUS (None: the status could not be computed)."""
        if status is None:
            self.stage_label.setText("Status not available yet")
            self.stage_detail.setText("The recovery status could not be computed for this journal.")
            self.days_label.setText("")
            self.patient_label.setText(patient)
            for chip in self.trend_chips.values():
                chip.hide()
            self.banner.show_flags(())
            return
        self.stage_label.setText(stage_words(status.stage.stage).title)
        self.stage_detail.setText(stage_detail(status))
        as_of = _date_words(status.as_of)
        if status.days_since_onset is None:
            self.days_label.setText(f"As of {as_of}")
        else:
            self.days_label.setText(f"Day {status.days_since_onset} since onset · {as_of}")
        who = status.patient or patient
        side = status.affected_side
        text = who if not side else f"{who} · {affected_side_words(side)}"
        if readonly:
            text += " · read-only"
        self.patient_label.setText(text)
        for code, name in INDICATORS.items():
            trend = getattr(status, code).trend.value
            chip = self.trend_chips[code]
            chip.setProperty("trend", trend)
            repolish(chip)  # before the text: the style's padding decides what fits
            chip.setText(f"{name}: {trend_words(trend)}")
            chip.show()
        self.banner.show_flags(status.red_flags.flags)

    def render_empty(self, message: str = "No journal open") -> None:
        self.stage_label.setText(message)
        self.stage_detail.setText("")
        self.days_label.setText("")
        self.patient_label.setText("")
        for chip in self.trend_chips.values():
            chip.hide()
        self.banner.show_flags(())


def stage_detail(status: StatusSnapshot) -> str:
    """The line under the stage: the red flag's advice first; for no recent data when the
    last entry was and an invitation; otherwise what the stage means."""
    stage = status.stage.stage
    words = stage_words(stage)
    if stage is Stage.RED_FLAG:
        top = most_urgent([f.urgency for f in status.red_flags.stops_stage])
        advice = urgency_words(top).title if top else ""
        return f"{advice}. {words.explanation}" if advice else words.explanation
    if stage is Stage.NO_RECENT_DATA:
        last = status.stage.last_record
        when = f"The last check-in was on {_date_words(last)}. " if last else ""
        return f"{when}{words.advice}"
    return words.explanation
