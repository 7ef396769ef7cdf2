"""The five signs in words, beside the curves: each verdict with the evidence it rests on,
the pins-and-needles signs, the stage and what to do, and the natural-history background.

Every verdict comes from the typed status snapshot (``projections.status``) and every
sentence from ``projections.status_text`` (the same sentences as ``sciatica status`` and the
report), every word from ``projections.vocabulary``. This panel decides nothing and never
diagnoses: it says what the records show and, where the model gives one, the advice.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from desktop.style import repolish
from desktop.widgets import parts
from desktop.widgets.page import column_layout
from projections.stage import Stage
from projections.status_text import exercise_lines, flag_words, pins_lines, sign_texts
from projections.vocabulary import (
    DISCLAIMER,
    EXERCISE_HINT,
    INDICATORS,
    NATURAL_HISTORY,
    PINS_AND_NEEDLES,
    SIGN_MEANINGS,
    day,
    long_day,
    milestone_words,
    moment,
    most_urgent,
    side_label,
    stage_words,
    urgency_words,
)

if TYPE_CHECKING:
    from projections.status import StatusSnapshot

# The chip colour of each stage: calm, worse, better, or neither.
STAGE_TONE: dict[str, str] = {
    Stage.RED_FLAG: "worsening", Stage.FLARE: "worsening", Stage.IMPROVING: "improving",
    Stage.RECOVERED: "improving", Stage.FINAL_STAGE: "improving",
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _cap(text)
    return text if not text or text.endswith(".") else text + "."


def stage_body(s: StatusSnapshot) -> str:
    """The stage card's body (HTML): the red flag's advice first when one stops the stage;
    otherwise what to do, then what the stage is based on."""
    stage = s.stage.stage
    words = stage_words(stage)
    reason = f" Based on: {escape(s.stage.reason)}." if s.stage.reason else ""
    if stage is Stage.RED_FLAG:
        flags = s.red_flags.stops_stage
        top = most_urgent([f.urgency for f in flags])
        advice = urgency_words(top) if top else None
        listed = "; ".join(flag_words(f) for f in flags)
        lead = f"<b>{escape(advice.title)}.</b> {escape(advice.advice)} " if advice else ""
        return f"{lead}{escape(_sentence(listed))} {escape(words.explanation)}"
    if stage is Stage.NO_RECENT_DATA:
        last = s.stage.last_record
        when = f"Your last check-in was on {long_day(last)}. " if last else ""
        return f"<b>{escape(when + words.advice)}</b> {escape(words.explanation)}"
    return f"<b>{escape(words.advice)}</b>{reason}"


class _Card(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = parts.card_layout(self, margins=(14, 10, 14, 12), spacing=4)
        self.title = parts.label(title, self, "title")
        layout.addWidget(self.title)
        self.verdict = parts.label("", self, "chip")
        layout.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignLeft)
        self.body = parts.label("", self, wrap=True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.body)
        self.hint = parts.label("", self, "hint", wrap=True)
        layout.addWidget(self.hint)

    def set_verdict(self, text: str, trend: str | None) -> None:
        self.verdict.setText(text)
        self.verdict.setVisible(bool(text))
        self.verdict.setProperty("trend", trend or "")
        repolish(self.verdict)


class SignsPanel(QScrollArea):
    """The signs in words. ``show_status(snapshot)`` fills it; nothing else is needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signs_panel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._setup_ui()

    def _setup_ui(self) -> None:
        # The cards' page: a narrow Progress view scrolls it under the curves instead.
        inner = self.cards_page = QWidget(self)
        inner.setObjectName("page")
        layout = column_layout(inner, (4, 4, 8, 8), 8)
        self.stage_card = _Card("Stage", inner)
        layout.addWidget(self.stage_card)
        self.cards: dict[str, _Card] = {}
        for code, title in INDICATORS.items():
            card = _Card(title, inner)
            card.setProperty("sign", code)
            self.cards[code] = card
            layout.addWidget(card)
        self.pins_card = _Card("Pins and needles", inner)
        layout.addWidget(self.pins_card)
        self.exercise_card = _Card("Exercises", inner)
        layout.addWidget(self.exercise_card)
        self.background_card = _Card("Background", inner)
        layout.addWidget(self.background_card)
        layout.addStretch(1)
        self.setWidget(inner)
        self.render_empty()

    def render_empty(self, message: str = "No status yet.") -> None:
        self.stage_card.set_verdict("", None)
        self.stage_card.body.setText(escape(message))
        self.stage_card.hint.setText("")
        for card in self.cards.values():
            card.set_verdict("", None)
            card.body.setText("")
            card.hint.setText("")
        for card in (self.pins_card, self.exercise_card):
            card.set_verdict("", None)
            card.body.setText("")
        self.pins_card.hint.setText(PINS_AND_NEEDLES)
        self.background_card.set_verdict("", None)
        self.background_card.body.setText(escape(NATURAL_HISTORY))
        self.background_card.hint.setText(DISCLAIMER)

    def show_status(self, s: StatusSnapshot) -> None:
        stage = s.stage.stage
        when = f"As of {long_day(s.as_of)}"
        if s.as_recorded_at is not None:  # the vocabulary's words for a moment, not ISO (issue 16)
            when += f", as recorded by {moment(s.as_recorded_at.astimezone())}"
        self.stage_card.set_verdict(stage_words(stage).title, STAGE_TONE.get(stage, "stable"))
        self.stage_card.body.setText(stage_body(s))
        self.stage_card.hint.setText(when + ".")
        for code, text in sign_texts(s).items():
            card = self.cards[code]
            card.set_verdict(_cap(text.verdict), text.trend.value)
            evidence = _sentence(text.evidence)
            if code == "strength" and s.strength.milestones:
                last = s.strength.milestones[-1]
                evidence += (f" Latest milestone: {milestone_words(last.code)} "
                             f"({side_label(last.side)}, {day(last.date)}).")
            card.body.setText(escape(evidence))
            card.hint.setText(SIGN_MEANINGS[code])
        lines = pins_lines(s)
        if lines:
            self.pins_card.body.setText("<br>".join(
                f"{'✓' if kind == 'good' else '!'} {escape(text)}" for kind, text in lines))
        else:
            self.pins_card.body.setText("No pins-and-needles pattern in the last weeks.")
        self.pins_card.set_verdict("", None)
        exercises = exercise_lines(s)
        self.exercise_card.body.setText("<br>".join(escape(x) for x in exercises) if exercises
                                        else "No exercise responses recorded.")
        self.exercise_card.hint.setText(EXERCISE_HINT if exercises else "")
        history = escape(NATURAL_HISTORY)
        if s.days_since_onset is not None:
            weeks = s.days_since_onset // 7
            history = f"Day {s.days_since_onset} since onset (about {weeks} weeks). " + history
        self.background_card.body.setText(history)
        self.background_card.hint.setText(DISCLAIMER)

    def text(self) -> str:
        """Everything the panel says, as plain text (tests, accessibility)."""
        texts = []
        for card in (self.stage_card, *self.cards.values(), self.pins_card, self.exercise_card,
                     self.background_card):
            texts += [card.title.text(), card.verdict.text(), card.body.text(), card.hint.text()]
        return re.sub(r"<[^>]+>", "", "\n".join(t for t in texts if t).replace("<br>", "\n"))
