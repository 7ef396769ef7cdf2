"""The status as a short text: red flags first, then the stage, then each sign's verdict
with the evidence it rests on, in words."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.values import REGION_BY_RANK, Region, Urgency
from projections.signs import SensationReturning
from projections.trend import Trend

if TYPE_CHECKING:
    from projections.status import StatusSnapshot

URGENT_ADVICE = {
    Urgency.EMERGENCY.value: "Seek emergency care now",
    Urgency.TODAY.value: "See a clinician today",
    Urgency.SOON.value: "See a clinician soon (within 24–48 hours)",
}

VERDICT = {
    "centralization": {Trend.IMPROVING: "centralizing", Trend.WORSENING: "peripheralizing"},
    "strength": {Trend.IMPROVING: "getting stronger", Trend.WORSENING: "getting weaker"},
    "nerve_mobility": {Trend.IMPROVING: "moving more freely", Trend.WORSENING: "more irritable"},
    "pain": {Trend.IMPROVING: "easing", Trend.WORSENING: "rising"},
    "walking": {Trend.IMPROVING: "walking further", Trend.WORSENING: "walking less far"},
}


def day(d: date) -> str:
    return f"{d.day} {d.strftime('%b')}"


def span(start: date, end: date) -> str:
    return f"{day(start)}–{day(end)}"


def extent_words(value: float | None) -> str:
    if value is None:
        return "no data"
    if value == 0:
        return "no symptoms"
    whole = int(value)
    if value == whole:
        return REGION_BY_RANK[whole].label
    return f"between {REGION_BY_RANK[whole].label} and {REGION_BY_RANK[whole + 1].label}"


def num(x: float | None, unit: str = "") -> str:
    if x is None:
        return "–"
    text = str(int(x)) if float(x).is_integer() else f"{x:.1f}"
    return text + unit


def verdict(name: str, trend: Trend) -> str:
    if trend is Trend.INSUFFICIENT_DATA:
        return "not enough data"
    return VERDICT[name].get(trend, "stable")


def sign_sentences(s: StatusSnapshot) -> dict[str, str]:
    """Each of the five signs' verdict with its evidence, in words, keyed by indicator."""
    out: dict[str, str] = {}
    c = s.centralization
    text = f"Centralization: {verdict('centralization', c.trend)}"
    if c.recent and c.earlier and (c.recent.days_with_data or c.earlier.days_with_data):
        text += (f": median furthest symptom {extent_words(c.earlier_extent)} → {extent_words(c.recent_extent)}, "
                 f"{span(c.recent.start, c.recent.end)} ({c.recent.days_with_data} days) vs "
                 f"{span(c.earlier.start, c.earlier.end)} ({c.earlier.days_with_data} days)")
    if c.abolished:
        text += "; nothing in the buttock or leg this week"
    out["centralization"] = text

    st = s.strength
    text = f"Strength: {verdict('strength', st.trend)}"
    if st.heel_raises:
        text += "; heel raises " + ", ".join(f"{side} {n}" for side, n in st.heel_raises.items())
    if st.symmetry_percent is not None:
        text += f" (symmetry {round(st.symmetry_percent)} %)"
    if st.foot_drop:
        text += "; foot drop present"
    elif st.weakness:
        text += "; weakness present"
    for comp in st.comparisons:
        if comp.trend in (Trend.IMPROVING, Trend.WORSENING):
            text += (f"; {comp.kind.replace('_', ' ')} {comp.side} {comp.earlier_value} on {day(comp.earlier_date)}"
                     f" → {comp.latest_value} on {day(comp.latest_date)}")
    out["strength"] = text

    n = s.nerve_mobility
    text = f"Nerve mobility: {verdict('nerve_mobility', n.trend)}"
    for comp in n.comparisons:
        if comp.trend in (Trend.IMPROVING, Trend.WORSENING):
            text += (f"; {comp.kind.replace('_', ' ')}{' ' + comp.side if comp.side else ''} "
                     f"{comp.earlier_value} on {day(comp.earlier_date)} → {comp.latest_value} on "
                     f"{day(comp.latest_date)}")
    out["nerve_mobility"] = text

    p = s.pain
    text = f"Pain: {verdict('pain', p.trend)}"
    parts = []
    for m in p.measures:
        if m.recent_mean is not None or m.earlier_mean is not None:
            label = {"leg": "mean leg pain", "share_of_day_percent": "share of day",
                     "episodes": "episodes"}[m.measure]
            parts.append(f"{label} {num(m.earlier_mean)} → {num(m.recent_mean)}")
    if parts and p.recent and p.earlier:
        text += ": " + ", ".join(parts) + f", {span(p.recent.start, p.recent.end)} vs " \
                                          f"{span(p.earlier.start, p.earlier.end)}"
    out["pain"] = text

    w = s.walking
    text = f"Walking: {verdict('walking', w.trend)}"
    if w.recent and w.earlier and (w.recent.best is not None or w.earlier.best is not None):
        text += (f": best tolerance {num(w.earlier.best, ' min')} → {num(w.recent.best, ' min')}, "
                 f"{span(w.recent.start, w.recent.end)} vs {span(w.earlier.start, w.earlier.end)}")
    out["walking"] = text

    return out


def render_text(s: StatusSnapshot) -> str:
    lines: list[str] = []
    for flag in s.red_flags.flags:
        what = flag.code.replace("_", " ")
        lines.append(f"!! {URGENT_ADVICE[flag.urgency]}: {what} (reported since {day(flag.since)}).")
    if s.red_flags.flags:
        lines.append("   These can be signs of a problem that needs a clinician's assessment. This app cannot "
                     "judge an emergency: if you are unsure, call your doctor or emergency number.")
        lines.append("")
    who = s.patient or "unknown patient"
    header = f"{who}, {s.affected_side or '?'} side — status at the end of {s.as_of.isoformat()}"
    if s.days_since_onset is not None:
        header += f", day {s.days_since_onset} since onset"
    if s.as_recorded_at is not None:
        header += f" (as recorded by {s.as_recorded_at.astimezone().strftime('%Y-%m-%d %H:%M')})"
    lines.append(header)
    lines.append(f"Stage: {s.stage.stage.value.replace('_', ' ')} — {s.stage.reason}")

    lines.extend(sign_sentences(s).values())
    for sign in s.signs.signs:
        if isinstance(sign, SensationReturning):
            lines.append(f"Good sign: sensation returning in the {Region(sign.region).label} ({sign.side}) — "
                         f"tingling on {day(sign.date)} where it was numb on {day(sign.numbness_date)}.")
        else:
            lines.append(f"Warning: pins and needles while {sign.context} on {len(sign.dates)} days in two "
                         f"weeks — avoid or change that position.")
    for ex in s.exercises.exercises:
        advice = {"keep": "stay on course", "stop": "pull back", "neutral": "no clear effect"}[ex.verdict.value]
        lines.append(f"Exercise {ex.exercise}: {ex.verdict.value} ({advice}, last {len(ex.sessions)} sessions)")
    return "\n".join(lines)
