"""The status in words (clinical model v2, "Status text"): red flags first, then the stage with
its evidence and advice, then each sign's verdict with the entries, windows and numbers it
rests on. Dates come in the same order as the values ("earlier 11–17 Nov: 3.6 → recent
18–24 Nov: 2.1"); a single test still shows its value; no raw codes.

``sciatica status``, the status header, the Progress panel and the PDF all take their
sentences from here, and every word from ``projections.vocabulary``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from projections.comparison import Comparison, Finding
from projections.dated import sides_of
from projections.measures import measure_lines
from projections.signs import SensationReturning
from projections.trend import Trend
from projections.vocabulary import (
    PAIN_MEASURES,
    RED_FLAG_NOTE,
    SIGN_NAMES,
    counts,
    day,
    exercise_advice,
    extent_label,
    indicator_name,
    mean_words,
    num,
    plural,
    red_flag_name,
    red_flag_source,
    region_label,
    result_words,
    side_label,
    span,
    stage_words,
    urgency_words,
    value_words,
    verdict,
)

if TYPE_CHECKING:
    from projections.red_flags import ActiveFlag
    from projections.status import StatusSnapshot
    from projections.trend import Window

PAIN_UNITS = {"leg": "", "back": "", "share_of_day_percent": " %", "episodes": ""}


@dataclass(frozen=True)
class SignText:
    """One sign in words: its name, its verdict and the evidence, for every surface."""

    code: str
    title: str
    verdict: str
    evidence: str
    trend: Trend

    @property
    def sentence(self) -> str:
        text = f"{self.title}: {self.verdict}"
        return f"{text}: {self.evidence}" if self.evidence else text


def comparison_words(c: Comparison) -> str:
    """Dates in the order of the values: 'heel raises left 12 on 1 Mar → 20 on 20 Mar'."""
    return (f"{result_words(c.kind, c.side, c.earlier_value, c.earlier_date)}"
            f" → {value_words(c.kind, c.latest_value)} on {day(c.latest_date)}")


def finding_words(f: Finding) -> str:
    return result_words(f.kind, f.side, f.value, f.date)


def single_tests(latest: tuple[tuple[Finding, int], ...], compared: set[tuple[str, str | None]],
                 judged: tuple[str, ...]) -> list[str]:
    """Results of the judged side(s) (and central tests) no trend could use, still with their
    value: 'straight-leg raise left 30° on 22 Nov; one test, no trend yet'."""
    out = []
    for finding, count in latest:
        if (finding.side is None or finding.side in judged) and (finding.kind, finding.side) not in compared:
            why = "one test, no trend yet" if count == 1 else "no earlier test in the 42 days before it, no trend yet"
            out.append(f"{finding_words(finding)}; {why}")
    return out


def _window(label: str, w: Window | None) -> str:
    return f"{label} {span(w.start, w.end)}" if w is not None else label


def _joined(parts: Iterable[str]) -> str:
    return "; ".join(p for p in parts if p)


# The five signs -------------------------------------------------------------------------------


def centralization_text(s: StatusSnapshot) -> SignText:
    c = s.centralization
    parts = []
    if c.recent and c.earlier and (c.recent.days_with_data or c.earlier.days_with_data):
        parts.append(f"furthest symptom (median of the daily worst) "
                     f"earlier {span(c.earlier.start, c.earlier.end)}: {extent_label(c.earlier_extent)} → "
                     f"recent {span(c.recent.start, c.recent.end)}: {extent_label(c.recent_extent)}")
        if c.trend is Trend.INSUFFICIENT_DATA:
            parts.append(f"{counts(c.earlier.days_with_data, c.recent.days_with_data, 'day')} with records; "
                         f"at least {c.min_days} in each week are needed")
    else:
        parts.append("no symptom records in the last two weeks")
    if c.abolished:
        parts.append("nothing in the buttock or leg in the recent week")
    return SignText("centralization", indicator_name("centralization"), verdict("centralization", c.trend),
                    _joined(parts), c.trend)


def strength_text(s: StatusSnapshot) -> SignText:
    st = s.strength
    parts: list[str] = []
    parts += [comparison_words(c) for c in st.comparisons]
    parts += single_tests(st.latest, {(c.kind, c.side) for c in st.comparisons}, sides_of(s.affected_side))
    if st.heel_raises:
        dates = st.heel_raise_dates or {}
        latest = ", ".join(f"{side_label(side)} {n}" + (f" on {day(dates[side])}" if side in dates else "")
                           for side, n in st.heel_raises.items())
        text = f"latest heel raises {latest}"
        if st.symmetry_percent is not None:
            text += f" (symmetry {round(st.symmetry_percent)} %)"
        parts.append(text)
    if st.foot_drop:
        parts.append("foot drop: " + ", ".join(finding_words(f) for f in st.foot_drop_findings))
    if st.weakness:
        parts.append("weakness: " + ", ".join(finding_words(f) for f in st.weakness_findings))
    elif st.weakness is False:
        parts.append("no weakness in the tests of the last 90 days")
    elif st.tested:
        history = ", ".join(finding_words(f) for f in st.history)
        parts.append("weakness and foot drop not judged: no test of the affected side in the last 90 days"
                     + (f" (earlier: {history})" if history else ""))
    if not st.tested:
        parts.append("no strength tests recorded yet")
    return SignText("strength", indicator_name("strength"), verdict("strength", st.trend), _joined(parts), st.trend)


def nerve_text(s: StatusSnapshot) -> SignText:
    n = s.nerve_mobility
    judged = sides_of(s.affected_side)
    parts = [comparison_words(c) for c in n.comparisons]
    parts += single_tests(n.latest, {(c.kind, c.side) for c in n.comparisons}, judged)
    others = [finding_words(f) for f, _count in n.latest if f.side is not None and f.side not in judged]
    if others:
        parts.append("the other side, for reference: " + ", ".join(others))
    if not parts:
        parts.append("no nerve tests recorded yet")
    return SignText("nerve_mobility", indicator_name("nerve_mobility"), verdict("nerve_mobility", n.trend),
                    _joined(parts), n.trend)


def pain_text(s: StatusSnapshot) -> SignText:
    p = s.pain
    parts = []
    for m in p.measures:
        if m.recent_count == 0 and m.earlier_count == 0:
            continue
        unit = PAIN_UNITS.get(m.measure, "")
        parts.append(f"{PAIN_MEASURES.get(m.measure, m.measure)} "
                     f"{_window('earlier', p.earlier)}: {mean_words(m.earlier_mean, unit)} → "
                     f"{_window('recent', p.recent)}: {mean_words(m.recent_mean, unit)} "
                     f"({counts(m.earlier_count, m.recent_count, 'rating')})")
    if p.back_mean is not None:
        parts.append(f"{PAIN_MEASURES['back']} recent: {mean_words(p.back_mean)} (not judged)")
    if parts and p.trend is Trend.INSUFFICIENT_DATA:
        parts.append("a trend needs at least 3 ratings in each week")
    if not parts:
        parts.append("no pain ratings in the last two weeks")
    return SignText("pain", indicator_name("pain"), verdict("pain", p.trend), _joined(parts), p.trend)


def walking_text(s: StatusSnapshot) -> SignText:
    w = s.walking
    parts = []
    if w.recent and w.earlier and (w.recent.walks or w.earlier.walks):
        def best(x: float | None, free: bool) -> str:
            return num(x, " min") + (", symptom-free" if free and x is not None else "")

        parts.append(f"best walk before symptoms earlier {span(w.earlier.start, w.earlier.end)}: "
                     f"{best(w.earlier.best, w.earlier.best_symptom_free)} → recent "
                     f"{span(w.recent.start, w.recent.end)}: {best(w.recent.best, w.recent.best_symptom_free)} "
                     f"({counts(w.earlier.walks, w.recent.walks, 'walk')})")
        if w.trend is Trend.INSUFFICIENT_DATA:
            parts.append("a trend needs at least 2 walks in each fortnight")
    else:
        parts.append("no walks in the last four weeks")
    return SignText("walking", indicator_name("walking"), verdict("walking", w.trend), _joined(parts), w.trend)


def sign_texts(s: StatusSnapshot) -> dict[str, SignText]:
    """The five signs, keyed by indicator code, in the model's order."""
    return {t.code: t for t in (centralization_text(s), strength_text(s), nerve_text(s), pain_text(s),
                                walking_text(s))}


def sign_sentences(s: StatusSnapshot) -> dict[str, str]:
    """Each sign as one sentence ('Pain: easing: mean leg pain earlier …'), keyed by code."""
    return {code: t.sentence for code, t in sign_texts(s).items()}


# Stage, red flags, pins and needles, exercises ----------------------------------------------


def stage_sentence(s: StatusSnapshot) -> str:
    """The stage, why, and what to do; with a red flag active its advice comes first."""
    words = stage_words(s.stage.stage)
    reason = f" — {s.stage.reason}" if s.stage.reason else ""
    return f"Stage: {words.title}{reason}. {words.advice}"


def flag_words(flag: ActiveFlag) -> str:
    """'changes in bladder control (reported since 9 Mar)'; a derived flag says what was found."""
    text = f"{red_flag_name(flag.code)} ({red_flag_source(flag.code, flag.since)}"
    return text + (f": {flag.detail})" if flag.detail else ")")


def flag_lines(s: StatusSnapshot) -> list[str]:
    lines = [f"!! {urgency_words(f.urgency).title}: {flag_words(f)}." for f in s.red_flags.flags]
    if lines:
        lines.append(f"   {RED_FLAG_NOTE}")
    return lines


def pins_lines(s: StatusSnapshot) -> list[tuple[str, str]]:
    """(kind, sentence) for each pins-and-needles sign: kind is ``good`` or ``warning``."""
    lines = []
    for sign in s.signs.signs:
        if isinstance(sign, SensationReturning):
            lines.append(("good", f"{SIGN_NAMES['sensation_returning']}: pins and needles in the "
                                  f"{region_label(sign.region)} ({side_label(sign.side)}) on {day(sign.date)}, "
                                  f"where it was numb on {day(sign.numbness_date)}."))
        else:
            lines.append(("warning", f"{SIGN_NAMES['position_irritation']}: pins and needles while {sign.context} "
                                     f"on {plural(len(sign.dates), 'day')} in two weeks — avoid or change "
                                     f"that position."))
    return lines


def exercise_lines(s: StatusSnapshot) -> list[str]:
    return [f"Exercise {ex.exercise}: {exercise_advice(ex.verdict)} (last {plural(len(ex.sessions), 'session')}, "
            f"{day(ex.sessions[0].day)} to {day(ex.sessions[-1].day)})" for ex in s.exercises.exercises]


def header_line(s: StatusSnapshot) -> str:
    who = s.patient or "unknown patient"
    side = side_label(s.affected_side) if s.affected_side else "?"
    header = f"{who}, {side}{'' if s.affected_side == 'both' else ' side'} — status at the end of {s.as_of.isoformat()}"
    if s.days_since_onset is not None:
        header += f", day {s.days_since_onset} since onset"
    if s.as_recorded_at is not None:
        header += f" (as recorded by {s.as_recorded_at.astimezone().strftime('%Y-%m-%d %H:%M')})"
    return header


def render_text(s: StatusSnapshot) -> str:
    lines = flag_lines(s)
    if lines:
        lines.append("")
    lines.append(header_line(s))
    lines.append(stage_sentence(s))
    lines.extend(sign_sentences(s).values())
    lines.extend(text for _kind, text in pins_lines(s))
    lines.extend(exercise_lines(s))
    lines.extend(measure_lines(s.measures))
    return "\n".join(lines)
