"""The "since last visit" summary in words: what a therapist reads in the minutes before an
appointment. Red flags active now come first (a summary never hides one), then the period and
what it starts from, the stage then → now, each sign's verdict then → now with its numbers and
today's evidence, red flags raised or cleared, new milestones, exercises, how often the patient
recorded, and the therapist's own notes.

Every sign's verdict and evidence is the status text's (``projections.status_text``), every
model word the vocabulary's (``projections.vocabulary``); the few words below are the
summary's own (its measures and record counts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.measures import summary_measure_words, summary_measures
from projections.status_text import flag_lines
from projections.summary import Basis, ExerciseChange, FlagChange, MeasureChange, ReviewNote, SignChange, Value
from projections.vocabulary import (
    PAIN_MEASURES,
    day,
    exercise_advice,
    extent_label,
    mean_words,
    milestone_words,
    num,
    plural,
    red_flag_name,
    side_label,
    span,
    stage_words,
    test_name,
    urgency_words,
    value_words,
)

if TYPE_CHECKING:
    from datetime import date

    from projections.summary import Adherence, Period, Summary

# The summary's measures in words (the model's tests keep their vocabulary names).
MEASURES: dict[str, str] = {
    "furthest_extent": "furthest symptom",
    "weakness": "weakness",
    "foot_drop": "foot drop",
    "leg_mean": PAIN_MEASURES["leg"],
    "back_mean": PAIN_MEASURES["back"],
    "share_of_day_mean": PAIN_MEASURES["share_of_day_percent"],
    "best_tolerance_minutes": "best walk before symptoms",
}

# Entry types of the tests, as counted in "what was recorded".
TEST_KINDS: dict[str, str] = {
    "HeelRaisesTested": "heel-raise test",
    "MuscleGraded": "muscle grading",
    "GaitChecked": "heel or toe walk",
    "StraightLegRaiseTested": "straight-leg raise",
    "SlumpTested": "slump test",
    "ForwardBendTested": "forward bend",
}
NO_DATA = "no data"
BASIS_WORDS: dict[str, str] = {
    "last_4_weeks": "The last 4 weeks",
    "last_3_months": "The last 3 months",
    "journal_start": "Since the journal started",
}
# A flag's urgency beside a run that may be over: what kind of sign it is, not an order.
URGENCY_KINDS: dict[str, str] = {
    "emergency": "an emergency sign",
    "today": "a sign to see a clinician the same day",
    "soon": "a sign to see a clinician within 1–2 days",
}


def _day_year(d: date) -> str:
    return f"{day(d)} {d.year}"


def period_words(p: Period) -> str:
    """'Since the last review note (Dr Lee, 3 Mar): 4–31 Mar 2026, 28 days'."""
    if p.basis is Basis.LAST_REVIEW and p.last_review is not None:
        start = f"Since the last review note ({p.last_review.therapist}, {day(p.since)})"
    elif p.basis is Basis.SINCE_DATE:
        start = f"Since {day(p.since)}"
    else:
        start = BASIS_WORDS.get(p.basis, "The last 4 weeks")
        if p.no_review_to_start_from:
            start += (" (there is no review note before this day yet"
                      + (", so the last review cannot be used)" if p.asked_for_review else ")"))
    if p.days == 0:
        return f"{start}: the period ends on the day it starts ({_day_year(p.as_of)}), so nothing can have changed"
    if p.first_day.year != p.as_of.year:
        days = f"{_day_year(p.first_day)}–{_day_year(p.as_of)}"
    else:
        days = f"{day(p.as_of) if p.days == 1 else span(p.first_day, p.as_of)} {p.as_of.year}"
    return f"{start}: {days}, {plural(p.days, 'day')}"


def value_text(measure: str, x: Value) -> str:
    """One value of a measure, as the status text writes it."""
    if x is None:
        return NO_DATA
    if isinstance(x, bool):
        return "found" if x else "not found"
    if measure == "furthest_extent":
        return extent_label(float(x))
    if measure in ("leg_mean", "back_mean"):
        return mean_words(float(x))
    if measure == "share_of_day_mean":
        return mean_words(float(x), " %")
    if measure == "best_tolerance_minutes":
        return num(float(x), " min")
    return value_words(measure, x)


def measure_words(m: MeasureChange) -> str:
    """'heel raises left 12 → 20', 'weakness found, unchanged'."""
    name = MEASURES.get(m.measure) or test_name(m.measure)
    where = f" {side_label(m.side)}" if m.side else ""
    if not m.changed:
        return f"{name}{where} {value_text(m.measure, m.now)}, unchanged"
    return f"{name}{where} {value_text(m.measure, m.then)} → {value_text(m.measure, m.now)}"


def sign_line(c: SignChange, *, evidence: bool = True) -> str:
    """'Pain: rising → easing. mean leg pain 5.0 → 3.1. Now: mean leg pain earlier …'.
    Without EVIDENCE the "Now:" part is left out (the report prints it beside each chart)."""
    verdict = f"{c.then.verdict} → {c.now.verdict}" if c.changed else f"still {c.now.verdict}"
    numbers = "; ".join(measure_words(m) for m in c.measures if m.then is not None or m.now is not None)
    text = f"{c.now.title}: {verdict}."
    if numbers:
        text += f" {numbers[:1].upper()}{numbers[1:]}."
    if evidence and c.now.evidence:
        text += f" Now: {c.now.evidence}."
    return text


def stage_line(s: Summary) -> str:
    then, now = s.then.stage, s.now.stage
    words = stage_words(now.stage)
    change = (f"{stage_words(then.stage).title} → {words.title}" if s.stage_changed
              else f"{words.title}, unchanged")
    reason = f" — {now.reason}" if now.reason else ""
    return f"Stage: {change}{reason}. {words.advice}".rstrip()


def flag_change_words(f: FlagChange) -> str:
    """'changes in bladder control: reported on 5 Mar, no longer reported from 8 Mar'."""
    how, again = ("found in the tests", "found") if f.found_in_tests else ("reported", "reported")
    text = f"{red_flag_name(f.code)}: {how} on {day(f.raised_on)}"
    text += f", no longer {again} from {day(f.cleared_on)}" if f.cleared_on else f", still {again} at the end"
    text += f" ({URGENCY_KINDS.get(f.urgency, urgency_words(f.urgency).short.lower())})"
    if f.acknowledged_on is not None:
        text += f"; the advice was acknowledged on {day(f.acknowledged_on)}"
    if f.detail:
        text += f"; {f.detail}"
    return text


def exercise_words(e: ExerciseChange) -> str:
    now = exercise_advice(e.now)
    verdict = (f"new, {now}" if e.then is None else
               f"{exercise_advice(e.then)} → {now}" if e.then is not e.now else f"{now}, as before")
    return f"{e.exercise}: {verdict} ({plural(e.sessions_in_period, 'session')} in this period)"


def adherence_words(a: Adherence) -> str:
    """'check-ins on 24 of 28 days; 3 tests (2 heel-raise tests, 1 slump test); 6 walks'."""
    parts = [f"check-ins on {a.check_in_days} of {plural(a.days, 'day')}"]
    if a.tests:
        kinds = ", ".join(plural(n, TEST_KINDS.get(k, k)) for k, n in a.tests_by_kind.items())
        parts.append(f"{plural(a.tests, 'test')} ({kinds})")
    else:
        parts.append("no tests")
    parts.append(plural(a.walks, "walk") if a.walks else "no walks")
    if a.exercise_sessions:
        parts.append(plural(a.exercise_sessions, "exercise session"))
    parts.append(plural(a.red_flag_checks, "red-flag check") if a.red_flag_checks else "no red-flag checks")
    return "; ".join(parts)


def note_words(n: ReviewNote) -> str:
    """'3 Mar, Dr Lee: “Walk daily.” (about: Heel raises left: 12, 1 Mar)'."""
    if n.about is None:
        about = "about the journal as a whole"
    else:
        about = f"about: {n.about.words}, {day(n.about.date)}" + (" (since retracted)" if n.about.retracted else "")
    return f"{day(n.date)}, {n.therapist}: “{n.text}” ({about})"


def _section(title: str, items: list[str], empty: str) -> list[str]:
    if not items:
        return [f"{title}: {empty}."]
    return [f"{title}:", *(f"  - {item}." if not item.endswith(".") else f"  - {item}" for item in items)]


def header(s: Summary) -> str:
    """'Ana Souza, left side — what changed to the end of 24 Nov 2026 (day 372 since onset)'."""
    now = s.now
    who = now.patient or "unknown patient"
    side = side_label(now.affected_side) if now.affected_side else "side unknown"
    text = f"{who}, {side}{'' if now.affected_side in ('both', None) else ' side'} — what changed to the end of " \
           f"{_day_year(s.period.as_of)}"
    return text + (f" (day {now.days_since_onset} since onset)" if now.days_since_onset is not None else "")


def summary_lines(s: Summary) -> list[str]:
    lines = flag_lines(s.now)
    if lines:
        lines.append("")
    lines.append(header(s))
    lines.append(period_words(s.period) + ".")
    lines.append(stage_line(s))
    lines.append("")
    lines.append("Signs, from the start of the period to now:")
    lines.extend(f"  {sign_line(c)}" for c in s.signs)
    lines.append("")
    lines += _section("Red flags in this period", [flag_change_words(f) for f in s.red_flags],
                      "none raised or cleared")
    lines += _section("New milestones", [f"{milestone_words(m.code)} ({side_label(m.side)}) on {day(m.date)}"
                                         for m in s.milestones], "none in this period")
    lines += _section("Exercises", [exercise_words(e) for e in s.exercises], "none recorded in this period")
    measures = [summary_measure_words(m) for m in summary_measures(s.then.measures, s.now.measures,
                                                                  s.period.first_day)]
    if measures:  # only for journals with outcome measures (issue 19)
        lines += _section("Outcome measures", measures, "")
    lines.append(f"Recorded in this period: {adherence_words(s.adherence)}.")
    lines += _section("Therapist's notes", [note_words(n) for n in s.review_notes], "none yet")
    return lines


def summary_text(s: Summary) -> str:
    return "\n".join(summary_lines(s))
