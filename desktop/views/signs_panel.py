"""The five signs in words, beside the curves: each verdict with the evidence it rests on,
the pins-and-needles signs, the stage and what to do, and the natural-history background.

Every verdict comes from the status snapshot (``projections.status``) and is worded with
``projections.status_text``; this panel decides nothing. It never diagnoses: it says what the
records show and, where the clinical model gives one, the advice that goes with it.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.style import repolish, set_role
from desktop.widgets.status_header import STAGES
from domain.values import Region
from projections.signs import SensationReturning
from projections.stage import Stage
from projections.status_text import day, extent_words, num, span, verdict
from projections.trend import Trend
from projections.vocabulary import stage_words

if TYPE_CHECKING:
    from projections.comparison import Comparison
    from projections.status import StatusSnapshot

SIGN_TITLES: dict[str, str] = {
    "centralization": "Centralization",
    "strength": "Leg strength",
    "nerve_mobility": "Nerve mobility",
    "pain": "Pain",
    "walking": "Walking",
}

MEANING: dict[str, str] = {
    "centralization": "Symptoms retreating toward the spine is the clearest sign of recovery, even when "
                      "back or buttock pain rises for a while. Symptoms spreading further down the leg "
                      "mean: pull back on what provoked them.",
    "strength": "Calf and foot strength is usually the last thing to come back, often weeks after the "
                "pain has settled. Keep testing: slow gains still count.",
    "nerve_mobility": "A nerve that moves more freely lets you raise the straight leg higher and bend "
                      "further before the familiar symptoms start.",
    "pain": "Pain that comes less often is healing, even when it is just as strong when it comes.",
    "walking": "Walking longer before symptoms start shows the nerve tolerating more load.",
}

PINS_AND_NEEDLES = ("Pins and needles can mean two different things. Tingling where it used to be numb "
                    "is often feeling coming back. Tingling that keeps returning in one position (such "
                    "as sitting) means that position irritates the nerve: avoid it or change it often.")

NATURAL_HISTORY = ("Most people with sciatica improve over weeks to months. Some symptoms can linger: "
                   "20–30 % of people still have some at one to two years. This is background from "
                   "studies of many people, not a prediction for you.")

DISCLAIMER = "This summary describes your own records. It is not a diagnosis."

KIND_WORDS = {
    "heel_raises": "heel raises",
    "ankle_dorsiflexion": "ankle dorsiflexion grade",
    "great_toe_extension": "great-toe extension grade",
    "heel_walk": "heel walk",
    "toe_walk": "toe walk",
    "straight_leg_raise": "straight-leg raise",
    "fingertip_to_floor": "fingertips to floor",
    "slump": "slump test",
    "symmetry_percent": "heel-raise symmetry",
}

KIND_UNITS = {"straight_leg_raise": "°", "fingertip_to_floor": " cm", "symmetry_percent": " %"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _value(kind: str, value: float | str) -> str:
    if isinstance(value, str):
        return value
    if kind == "symmetry_percent":
        return f"{round(value)} %"
    return num(value, KIND_UNITS.get(kind, ""))


def comparison_words(c: Comparison) -> str:
    side = f" {c.side}" if c.side else ""
    return (f"{KIND_WORDS.get(c.kind, c.kind.replace('_', ' '))}{side}: {_value(c.kind, c.earlier_value)} on "
            f"{day(c.earlier_date)} → {_value(c.kind, c.latest_value)} on {day(c.latest_date)}")


def centralization_evidence(s: StatusSnapshot) -> str:
    c = s.centralization
    if c.trend is Trend.INSUFFICIENT_DATA or c.recent is None or c.earlier is None:
        recent = c.recent.days_with_data if c.recent else 0
        earlier = c.earlier.days_with_data if c.earlier else 0
        text = (f"Each of the last two weeks needs symptom records on at least {c.min_days} days "
                f"(this week {recent}, the week before {earlier}).")
    elif c.recent_extent == c.earlier_extent:
        text = (f"The furthest symptom stayed at the {extent_words(c.recent_extent)} "
                f"({span(c.earlier.start, c.recent.end)}, weekly median).")
    else:
        text = (f"The furthest symptom moved from the {extent_words(c.earlier_extent)} "
                f"({span(c.earlier.start, c.earlier.end)}) to the {extent_words(c.recent_extent)} "
                f"({span(c.recent.start, c.recent.end)}), weekly medians.")
    if c.abolished:
        text += " Nothing in the buttock or leg this week."
    return text.replace("the no symptoms", "no symptoms")


def strength_evidence(s: StatusSnapshot) -> str:
    st = s.strength
    parts: list[str] = []
    if st.heel_raises:
        text = "Heel raises " + ", ".join(f"{side} {n}" for side, n in st.heel_raises.items())
        if st.symmetry_percent is not None:
            text += f" (the affected side does {round(st.symmetry_percent)} % of the other)"
        parts.append(text + ".")
    changed = [x for x in st.comparisons if x.trend in (Trend.IMPROVING, Trend.WORSENING)]
    if changed:
        parts.append("; ".join(_cap(comparison_words(x)) for x in changed) + ".")
    if st.foot_drop:
        found = ", ".join(f"{KIND_WORDS.get(f.kind, f.kind)} {f.side} {_value(f.kind, f.value)} on {day(f.date)}"
                          for f in st.foot_drop_findings)
        parts.append(f"Signs of foot drop: {found}." if found else "Signs of foot drop.")
    elif st.weakness:
        found = ", ".join(f"{KIND_WORDS.get(f.kind, f.kind)} {f.side} {_value(f.kind, f.value)}"
                          for f in st.weakness_findings)
        parts.append(f"Some weakness remains: {found}." if found else "Some weakness remains.")
    if st.trend is Trend.INSUFFICIENT_DATA and not changed:
        parts.append("A trend needs a repeat of the same test to compare with.")
    if st.milestones:
        last = st.milestones[-1]
        from desktop.charts.plots import milestone_words

        parts.append(f"Latest milestone: {milestone_words(last)} ({last.side}, {day(last.date)}).")
    return " ".join(parts) or "No strength tests recorded yet."


def nerve_evidence(s: StatusSnapshot) -> str:
    n = s.nerve_mobility
    parts: list[str] = []
    latest = []
    for side, degrees in (n.straight_leg_raise_degrees or {}).items():
        latest.append(f"straight-leg raise {side} {num(degrees, '°')}")
    if n.fingertip_to_floor_cm is not None:
        latest.append(f"fingertips {num(n.fingertip_to_floor_cm, ' cm')} from the floor")
    if n.slump:
        latest.append("slump test " + ", ".join(f"{side} {result}" for side, result in n.slump.items()))
    if latest:
        parts.append("Latest: " + ", ".join(latest) + ".")
    changed = [x for x in n.comparisons if x.trend in (Trend.IMPROVING, Trend.WORSENING)]
    if changed:
        parts.append("; ".join(_cap(comparison_words(x)) for x in changed) + ".")
    elif n.trend is Trend.INSUFFICIENT_DATA:
        parts.append("A trend needs a repeat of the same test to compare with.")
    return " ".join(parts) or "No nerve tests recorded yet."


def pain_evidence(s: StatusSnapshot) -> str:
    p = s.pain
    labels = {"leg": "mean leg pain", "share_of_day_percent": "share of the day with symptoms",
              "episodes": "episodes a day"}
    units = {"leg": "/10", "share_of_day_percent": " %", "episodes": ""}
    parts = []
    for m in p.measures:
        if m.recent_mean is None and m.earlier_mean is None:
            continue
        unit = units.get(m.measure, "")
        parts.append(f"{labels.get(m.measure, m.measure)} {num(m.earlier_mean, unit)} → {num(m.recent_mean, unit)}")
    if parts and p.recent and p.earlier:
        return (_cap(", ".join(parts)) + f" ({span(p.earlier.start, p.earlier.end)} vs "
                f"{span(p.recent.start, p.recent.end)}).")
    if p.leg_mean is not None:
        return f"Mean leg pain {num(p.leg_mean, '/10')} this week; a trend needs ratings in two weeks."
    return "No pain ratings recorded recently."


def walking_evidence(s: StatusSnapshot) -> str:
    w = s.walking
    if w.recent and w.earlier and (w.recent.best is not None or w.earlier.best is not None):
        return (f"Best walk before symptoms: {num(w.earlier.best, ' min')} ({span(w.earlier.start, w.earlier.end)})"
                f" → {num(w.recent.best, ' min')} ({span(w.recent.start, w.recent.end)}).")
    if w.best_tolerance_minutes is not None:
        return f"Best recent walk before symptoms: {num(w.best_tolerance_minutes, ' min')}."
    return "No walks recorded recently."


EVIDENCE = {
    "centralization": centralization_evidence,
    "strength": strength_evidence,
    "nerve_mobility": nerve_evidence,
    "pain": pain_evidence,
    "walking": walking_evidence,
}


def sign_lines(s: StatusSnapshot) -> list[tuple[str, str]]:
    """(kind, sentence) for each pins-and-needles sign: kind is ``good`` or ``warning``."""
    lines = []
    for sign in s.signs.signs:
        if isinstance(sign, SensationReturning):
            lines.append(("good", f"Feeling coming back: tingling in the {Region(sign.region).label} ({sign.side}) "
                                  f"on {day(sign.date)}, where it was numb on {day(sign.numbness_date)}."))
        else:
            lines.append(("warning", f"Pins and needles while {sign.context} on {len(sign.dates)} days "
                                     f"recently: that position irritates the nerve. Avoid it or change "
                                     f"position often."))
    return lines


class _Card(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(4)
        self.title = set_role(QLabel(title, self), "title")
        layout.addWidget(self.title)
        self.verdict = set_role(QLabel("", self), "chip")
        layout.addWidget(self.verdict, 0, Qt.AlignmentFlag.AlignLeft)
        self.body = QLabel("", self)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.body)
        self.hint = set_role(QLabel("", self), "hint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

    def set_verdict(self, text: str, trend: str | None) -> None:
        self.verdict.setText(text)
        self.verdict.setVisible(bool(text))
        self.verdict.setProperty("trend", trend or "")
        repolish(self.verdict)


class SignsPanel(QScrollArea):
    """The signs in words. ``render(snapshot)`` fills it; nothing else is needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signs_panel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._setup_ui()

    def _setup_ui(self) -> None:
        inner = QWidget(self)
        inner.setObjectName("page")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 4, 8, 8)
        layout.setSpacing(8)
        self.stage_card = _Card("Stage", inner)
        self.stage_card.setObjectName("card")
        layout.addWidget(self.stage_card)
        self.cards: dict[str, _Card] = {}
        for code, title in SIGN_TITLES.items():
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

    def render(self, s: StatusSnapshot) -> None:  # type: ignore[override]
        stage = s.stage.stage
        title, _detail = STAGES.get(stage.value, (stage.value.replace("_", " ").capitalize(), ""))
        trend = {Stage.FLARE: "worsening", Stage.IMPROVING: "improving", Stage.RECOVERED: "improving",
                 Stage.FINAL_STAGE: "improving"}.get(stage, "stable")
        when = f"As of {day(s.as_of)} {s.as_of.year}"
        if s.as_recorded_at is not None:
            when += f", as recorded by {s.as_recorded_at.astimezone():%Y-%m-%d %H:%M}"
        self.stage_card.set_verdict(title, trend)
        what_to_do = stage_words(stage).advice
        reason = f" Based on: {escape(s.stage.reason.replace('_', ' '))}." if s.stage.reason else ""
        self.stage_card.body.setText(f"<b>{escape(what_to_do)}</b>{reason}")
        self.stage_card.hint.setText(when + ".")
        for code, card in self.cards.items():
            state = getattr(s, code)
            words = _cap(verdict(code, state.trend))
            card.set_verdict(words, state.trend.value)
            card.body.setText(escape(EVIDENCE[code](s)))
            card.hint.setText(MEANING[code])
        lines = sign_lines(s)
        if lines:
            self.pins_card.body.setText("<br>".join(
                f"{'✓' if kind == 'good' else '!'} {escape(text)}" for kind, text in lines))
        else:
            self.pins_card.body.setText("No pins-and-needles pattern in the last weeks.")
        self.pins_card.set_verdict("", None)
        advice = {"keep": "stay on course", "stop": "pull back", "neutral": "no clear effect"}
        if s.exercises.exercises:
            self.exercise_card.body.setText("<br>".join(
                f"<b>{escape(ex.exercise)}</b>: {advice.get(ex.verdict.value, ex.verdict.value)} "
                f"(last {len(ex.sessions)} sessions)" for ex in s.exercises.exercises))
            self.exercise_card.hint.setText("An exercise that sends symptoms further down the leg: pull back. "
                                            "One that brings them up toward the back: keep going.")
        else:
            self.exercise_card.body.setText("No exercise responses recorded.")
            self.exercise_card.hint.setText("")
        history = escape(NATURAL_HISTORY)
        if s.days_since_onset is not None:
            weeks = s.days_since_onset // 7
            history = f"Day {s.days_since_onset} since onset (about {weeks} weeks). " + history
        self.background_card.body.setText(history)
        self.background_card.hint.setText(DISCLAIMER)

    def text(self) -> str:
        """Everything the panel says, as plain text (tests, accessibility)."""
        parts = []
        for card in (self.stage_card, *self.cards.values(), self.pins_card, self.exercise_card,
                     self.background_card):
            parts += [card.title.text(), card.verdict.text(), card.body.text(), card.hint.text()]
        return re.sub(r"<[^>]+>", "", "\n".join(p for p in parts if p).replace("<br>", "\n"))
