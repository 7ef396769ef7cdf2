"""The outcome measures (PSFS, SBI, PEG): scores, trends and when each is due.

Score: PSFS the mean of its activities (0–10, higher = better), SBI the total of its four
items (0–24, lower = better; an item of 4–6 is "bothersome"), PEG the mean of its three
items (0–10, lower = better). Trend: the latest answer against the earliest answer of the
42 days before it, by the measure's meaningful change (``docs/clinical-decisions.md``):
  PSFS  the mean by ≥ 2, or one activity (same name in both) by ≥ 3; when the mean and an
        activity, or two activities, disagree the trend is stable (no conflict rule).
  SBI   ≥ 30 % of the earlier total, at least 2 points.
  PEG   ≥ 30 % of the earlier score, at least 1 point.
Comparisons are exact (``projections.trend``). A measure is due at D when a therapist has
assigned it by D and no answer falls in the EVERY_DAYS (≥ 7) days ending D, so it is never
due more than once a week.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Self

from domain.events import EntryEvent, MeasureAnswered, MeasureAssigned
from domain.measures import SPECS, Measure
from projections.dated import DatedEntries, EntryProjection
from projections.trend import Trend, either_without_conflict, exact, judge, percent_of, tidy

BASELINE_DAYS = 42
PSFS_MEAN_MIC = Fraction(2)
PSFS_ACTIVITY_MIC = Fraction(3)
BOTHERSOME_FROM = 4  # an SBI item of 4–6


def score(measure: str, answers: list[dict[str, Any]]) -> Fraction:
    """The measure's score from its answers, exactly."""
    values = [exact(a["value"]) for a in answers]
    total = sum(values, Fraction(0))
    return total if measure == Measure.SBI else total / len(values)


def sbi_mic(earlier: Fraction) -> Fraction:
    return max(Fraction(2), percent_of(30, earlier))


def peg_mic(earlier: Fraction) -> Fraction:
    return max(Fraction(1), percent_of(30, earlier))


# Lower is better for SBI and PEG: the gain is earlier − latest.
_LOWER_BETTER_MIC: dict[str, Callable[[Fraction], Fraction]] = {Measure.SBI: sbi_mic, Measure.PEG: peg_mic}


def _activity_values(answers: list[dict[str, Any]]) -> dict[str, Fraction]:
    return {a["item"].casefold(): exact(a["value"]) for a in answers}


def judge_change(measure: str, earlier: list[dict[str, Any]], latest: list[dict[str, Any]]) -> tuple[Trend, Fraction]:
    """(trend, MIC of the score) of LATEST against EARLIER answers of MEASURE."""
    before, after = score(measure, earlier), score(measure, latest)
    if measure == Measure.PSFS:
        trends = [judge(after - before, PSFS_MEAN_MIC)]
        then, now = _activity_values(earlier), _activity_values(latest)
        trends += [judge(now[name] - then[name], PSFS_ACTIVITY_MIC) for name in then if name in now]
        return either_without_conflict(trends), PSFS_MEAN_MIC
    mic = _LOWER_BETTER_MIC[measure](before)
    return judge(before - after, mic), mic


@dataclass(frozen=True)
class MeasureScore:
    entry_id: Any
    day: date
    score: Fraction
    answers: tuple[tuple[str, float], ...]  # (item code or PSFS activity, value)

    @property
    def bothersome(self) -> tuple[str, ...]:
        """SBI items rated 4–6 (empty for the other measures)."""
        return tuple(item for item, value in self.answers if value >= BOTHERSOME_FROM)


@dataclass(frozen=True)
class MeasureState:
    measure: str
    title: str
    assigned_by: str | None = None
    every_days: int | None = None
    activities: tuple[str, ...] = ()
    due: bool = False
    next_due: date | None = None
    latest: MeasureScore | None = None
    baseline: MeasureScore | None = None
    mic: Fraction | None = None
    trend: Trend = Trend.INSUFFICIENT_DATA
    history: tuple[MeasureScore, ...] = ()  # every answer up to the as-of date, in order (the curve)

    @property
    def change(self) -> Fraction | None:
        if self.latest is None or self.baseline is None:
            return None
        return self.latest.score - self.baseline.score


@dataclass(frozen=True)
class MeasuresState:
    measures: tuple[MeasureState, ...] = ()

    def of(self, measure: str) -> MeasureState:
        return next(m for m in self.measures if m.measure == measure)


def _scored(event: EntryEvent) -> MeasureScore:
    assert isinstance(event, MeasureAnswered)
    return MeasureScore(event.entry_id, event.observed_at.date(), score(event.measure, event.answers),
                        tuple((a["item"], a["value"]) for a in event.answers))


class _Scores:
    """Each answer scored once (exact fractions are slow; a status reads every answer's score
    for the curve). Keyed by the event object itself: a correction is a new object, so a
    stale score is never found. Shared by a projection's copies, as the scores never change."""

    __slots__ = ("_by_id",)

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[EntryEvent, MeasureScore]] = {}

    def of(self, event: EntryEvent) -> MeasureScore:
        hit = self._by_id.get(id(event))
        if hit is not None and hit[0] is event:
            return hit[1]
        scored = _scored(event)
        self._by_id[id(event)] = (event, scored)
        return scored


class MeasuresProjection(EntryProjection):
    """Answers (observations, corrections honoured) per measure; assignments as they come."""

    KEEPS = (MeasureAnswered,)

    def __init__(self) -> None:
        super().__init__()
        self.assignments: dict[str, DatedEntries] = {}
        self._scores = _Scores()

    def component(self, event: EntryEvent) -> Hashable | None:
        return event.measure if isinstance(event, MeasureAnswered) else None

    def observe(self, event: EntryEvent) -> None:
        super().observe(event)
        if isinstance(event, MeasureAssigned):
            self.assignments.setdefault(event.measure, DatedEntries()).add(event)
            self.version += 1

    def copy(self) -> Self:
        new = super().copy()
        new.assignments = {k: s.copy() for k, s in self.assignments.items()}
        return new

    def due(self, measure: str, day: date) -> bool:
        """Whether MEASURE is due on DAY (assigned by then, not answered in its interval)."""
        return self._schedule(measure, day)[1]

    def _schedule(self, measure: str, day: date) -> tuple[MeasureAssigned | None, bool, date | None]:
        store = self.assignments.get(measure)
        assignment = store.last_upto(day) if store is not None else None
        if not isinstance(assignment, MeasureAssigned):
            return None, False, None
        last = self.store(measure).last_upto(day)
        next_due = (assignment.observed_at.date() if last is None
                    else last.observed_at.date() + timedelta(days=assignment.every_days))
        return assignment, day >= next_due, next_due

    def measure_at(self, measure: str, as_of: date) -> MeasureState:
        spec = SPECS[Measure(measure)]
        assignment, due, next_due = self._schedule(measure, as_of)
        answered = self.store(measure).upto(as_of)
        latest = answered[-1] if answered else None
        baseline = None
        if latest is not None:
            start = latest.observed_at.date() - timedelta(days=BASELINE_DAYS)
            # The latest is the window's last entry (nothing after it is observed by its day),
            # so the rest are the entries before it in projection order (same-day ones count).
            earlier = self.store(measure).between(start, latest.observed_at.date())[:-1]
            baseline = earlier[0] if earlier else None
        trend, mic = Trend.INSUFFICIENT_DATA, None
        if latest is not None and baseline is not None:
            assert isinstance(latest, MeasureAnswered) and isinstance(baseline, MeasureAnswered)
            trend, mic = judge_change(measure, baseline.answers, latest.answers)
        return MeasureState(
            measure=measure, title=spec.title,
            assigned_by=assignment.therapist if assignment else None,
            every_days=assignment.every_days if assignment else None,
            activities=tuple(assignment.activities) if assignment else (),
            due=due, next_due=next_due,
            latest=self._scores.of(latest) if latest is not None else None,
            baseline=self._scores.of(baseline) if baseline is not None else None,
            mic=mic, trend=trend, history=tuple(self._scores.of(e) for e in answered))

    def state_at(self, as_of: date) -> MeasuresState:
        return MeasuresState(tuple(self.measure_at(m.value, as_of) for m in Measure))

    @property
    def state(self) -> MeasuresState:
        return self.state_at(date.today())


def measures_to_json(state: MeasuresState) -> list[dict[str, Any]]:
    """The ``measures`` key of ``sciatica status --json`` (an added key of schema /2)."""
    def shown(s: MeasureScore | None) -> dict[str, Any] | None:
        if s is None:
            return None
        return {"date": s.day.isoformat(), "score": tidy(s.score), "entry_id": str(s.entry_id),
                "answers": [{"item": item, "value": tidy(value)} for item, value in s.answers]}

    out = []
    for m in state.measures:
        latest = shown(m.latest)
        if latest is not None and m.measure == Measure.SBI and m.latest is not None:
            latest["bothersome"] = list(m.latest.bothersome)
        out.append({
            "measure": m.measure, "score": tidy(m.latest.score) if m.latest else None,
            "trend": m.trend.value, "change": tidy(m.change), "mic": tidy(m.mic),
            "assigned_by": m.assigned_by, "every_days": m.every_days, "activities": list(m.activities),
            "due": m.due, "next_due": m.next_due.isoformat() if m.next_due else None,
            "latest": latest, "baseline": shown(m.baseline)})
    return out


def measure_lines(state: MeasuresState) -> list[str]:
    """One plain sentence per measure that has an answer or an assignment (status text, summary)."""
    from projections.vocabulary import day, num, trend_words

    lines = []
    for m in state.measures:
        if m.latest is None and m.assigned_by is None:
            continue
        if m.latest is None:
            text = f"{m.title}: not answered yet"
        else:
            text = f"{m.title}: {num(float(m.latest.score))} on {day(m.latest.day)}"
            if m.measure == Measure.PSFS:
                text += " (" + ", ".join(f"{item} {num(value)}" for item, value in m.latest.answers) + ")"
            if m.measure == Measure.SBI and m.latest.bothersome:
                text += f"; bothersome: {', '.join(m.latest.bothersome).replace('_', ' ')}"
            if m.baseline is not None:
                text += (f"; {trend_words(m.trend.value)} since {num(float(m.baseline.score))} "
                         f"on {day(m.baseline.day)}")
        if m.due:
            text += "; due now"
        elif m.next_due is not None:
            text += f"; next due {day(m.next_due)}"
        lines.append(text)
    return lines


# Since the last visit (``sciatica summary``) --------------------------------------------------

def summary_measures(then: MeasuresState, now: MeasuresState, first_day: date) -> list[dict[str, Any]]:
    """Each measure answered by the end of the period: its score then (at the start) and now,
    its trend now, and how often it was answered in the period (FIRST_DAY … as-of)."""
    out = []
    for before, after in zip(then.measures, now.measures, strict=True):
        if after.latest is None:
            continue
        out.append({
            "measure": after.measure, "title": after.title,
            "then": tidy(before.latest.score) if before.latest else None,
            "now": tidy(after.latest.score), "trend": after.trend.value,
            "answered_in_period": sum(1 for s in after.history if s.day >= first_day),
            "activities": ([item for item, _ in after.latest.answers] if after.measure == Measure.PSFS else None),
            "due": after.due})
    return out


def summary_measure_words(item: dict[str, Any]) -> str:
    from projections.vocabulary import num, plural, trend_words

    then = "not answered" if item["then"] is None else num(item["then"])
    text = f"{item['title']}: {then} → {num(item['now'])}, {trend_words(item['trend'])}"
    if item["activities"]:
        text += f" ({', '.join(item['activities'])})"
    return text + f"; answered {plural(item['answered_in_period'], 'time')} in this period"
