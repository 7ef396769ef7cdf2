"""The always-visible status header: recovery stage, days since onset, red-flag banner.

It renders the ``sciatica-status/1`` JSON dict (``projections.status.status_to_json``) and
nothing else, so every verdict shown here comes from the projections.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.style import repolish, set_role

STAGES: dict[str, tuple[str, str]] = {
    "not_enough_data": ("Getting started",
                        "A few more days of check-ins are needed before a stage can be shown."),
    "acute": ("Acute phase", "No sign is improving yet. Keep recording: change often takes weeks."),
    "flare": ("Flare-up", "Symptoms or pain are getting worse. Ease off what provokes them."),
    "improving": ("Improving", "At least one sign is improving and none is getting worse."),
    "final_stage": ("Final stage", "Leg symptoms have settled; strength is still coming back."),
    "recovered": ("Recovered", "Leg symptoms and leg pain have settled, and strength is back."),
}

INDICATORS: tuple[tuple[str, str], ...] = (
    ("centralization", "Centralization"),
    ("strength", "Strength"),
    ("nerve_mobility", "Nerve mobility"),
    ("pain", "Pain"),
    ("walking", "Walking"),
)

TREND_WORDS = {
    "improving": "improving",
    "worsening": "worsening",
    "stable": "steady",
    "insufficient_data": "not enough data",
}

FLAG_LABELS: dict[str, str] = {
    "bladder_change": "changes in bladder control",
    "bowel_change": "changes in bowel control",
    "saddle_numbness": "numbness in the saddle area",
    "both_legs": "symptoms in both legs",
    "weakness_both_legs": "weakness in both legs",
    "sexual_dysfunction": "changes in sexual function",
    "fever_or_unwell": "fever or feeling unwell",
    "unexplained_weight_loss": "weight loss without trying",
    "cancer_history": "a history of cancer",
    "night_or_rest_pain": "constant pain at night or at rest",
    "significant_trauma": "pain that started after a fall or injury",
    "progressive_weakness": "strength tests showing weakness getting worse",
}

URGENCY_ORDER = ("emergency", "today", "soon")
BANNER_TEXT: dict[str, tuple[str, str]] = {
    "emergency": ("Seek urgent care now",
                  "These symptoms need a medical assessment straight away: call your emergency "
                  "number or go to an emergency department. This app cannot judge an emergency."),
    "today": ("See a clinician today",
              "Contact your doctor or physical therapist today. This app cannot judge how urgent it is."),
    "soon": ("See a clinician soon",
             "Book an appointment with your doctor in the next day or two. "
             "This app cannot judge how urgent it is."),
}


def flag_label(code: str) -> str:
    return FLAG_LABELS.get(code, code.replace("_", " "))


def _date_words(value: str | None) -> str:
    if not value:
        return ""
    try:
        return date.fromisoformat(value).strftime("%-d %b %Y")
    except ValueError:
        return value


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

    def render(self, flags: list[dict[str, Any]]) -> None:  # type: ignore[override]
        if not flags:
            self.hide()
            return
        urgencies = [f.get("urgency", "soon") for f in flags]
        top = min(urgencies, key=lambda u: URGENCY_ORDER.index(u) if u in URGENCY_ORDER else 9)
        title, advice = BANNER_TEXT.get(top, BANNER_TEXT["soon"])
        listed = "; ".join(
            f"{flag_label(f['code'])}" + (f" (since {_date_words(f.get('since'))})" if f.get("since") else "")
            for f in flags)
        self.title.setText(title)
        self.body.setText(f"You reported: {listed}. {advice}")
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

        chips = QHBoxLayout()
        chips.setSpacing(8)
        self.trend_chips: dict[str, QLabel] = {}
        for code, name in INDICATORS:
            chip = set_role(QLabel(name, self), "chip")
            chip.setObjectName(f"trend_{code}")
            chips.addWidget(chip)
            self.trend_chips[code] = chip
        chips.addStretch(1)
        outer.addLayout(chips)

        self.banner = RedFlagBanner(self)
        outer.addWidget(self.banner)

    def render(self, status: dict[str, Any] | None, *, patient: str = "", readonly: bool = False) -> None:  # type: ignore[override]
        if status is None:
            self.stage_label.setText("Status not available yet")
            self.stage_detail.setText("The recovery status could not be computed for this journal.")
            self.days_label.setText("")
            self.patient_label.setText(patient)
            for chip in self.trend_chips.values():
                chip.hide()
            self.banner.render([])
            return
        stage = str(status.get("stage") or "not_enough_data")
        title, detail = STAGES.get(stage, (stage.replace("_", " ").capitalize(), ""))
        self.stage_label.setText(title)
        self.stage_detail.setText(detail)
        days = status.get("days_since_onset")
        as_of = _date_words(status.get("as_of"))
        if days is None:
            self.days_label.setText(f"As of {as_of}")
        else:
            self.days_label.setText(f"Day {days} since onset · {as_of}")
        who = status.get("patient") or patient
        side = status.get("affected_side")
        text = f"{who} · {side} side" if side and side != "both" else (f"{who} · both sides" if side else who)
        if readonly:
            text += " · read-only"
        self.patient_label.setText(text)
        indicators = status.get("indicators") or {}
        for code, name in INDICATORS:
            trend = str((indicators.get(code) or {}).get("trend") or "insufficient_data")
            chip = self.trend_chips[code]
            chip.setText(f"{name}: {TREND_WORDS.get(trend, trend)}")
            chip.setProperty("trend", trend)
            repolish(chip)
            chip.show()
        self.banner.render(list(status.get("red_flags") or []))

    def render_empty(self, message: str = "No journal open") -> None:
        self.stage_label.setText(message)
        self.stage_detail.setText("")
        self.days_label.setText("")
        self.patient_label.setText("")
        for chip in self.trend_chips.values():
            chip.hide()
        self.banner.render([])
