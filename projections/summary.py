"""Since last visit: what changed between two dates, as one typed snapshot (issue 17).

The period runs from the day after ``since`` to ``as_of``, both of those days' ends being the
two moments compared: the status *then* is the status at the end of ``since`` (what a
therapist could see at the visit), the status *now* the one at the end of ``as_of``. Events
"in the period" are those observed on ``since + 1`` … ``as_of``, so a summary since D as of D
covers no day and shows no change. By default ``since`` is the day of the last therapist
review note dated before ``as_of`` (a note written on the ``as_of`` day belongs to the visit
being prepared, not the previous one); with no such note, the last 4 weeks.

Nothing here judges: every verdict, milestone, red-flag run and chart point comes from the
existing projections (``StatusProjection`` at both dates, ``RedFlagProjection.runs``, the
strength milestones, ``ProgressSeries``); this module only picks what falls in the period.
The JSON face (``sciatica-summary/1``) is ``projections.summary_json``, documented field by
field in ``docs/summary-json.md``; the words are in ``projections.summary_text``.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from domain.events import (
    EntryEvent,
    ExerciseResponseRecorded,
    PainRated,
    RedFlagsChecked,
    ReviewNoteAdded,
    SymptomsRecorded,
    WalkRecorded,
)
from projections.dated import sides_of
from projections.entries import EffectiveEntries, entry_order, same_words
from projections.exercises import Verdict
from projections.history import summarize
from projections.nerve_mobility import NerveMobilityProjection
from projections.status_text import SignText, sign_texts
from projections.strength import STRENGTH_TYPES, Milestone

if TYPE_CHECKING:
    from projections.series import ProgressSeries
    from projections.status import StatusSnapshot
    from projections.timeline import Timeline

SCHEMA = "sciatica-summary/1"
DEFAULT_DAYS = 28  # the period with no review note: the last 4 weeks
TEST_TYPES: tuple[type[EntryEvent], ...] = (*STRENGTH_TYPES, *NerveMobilityProjection.KEEPS)
CHECK_IN_TYPES = (SymptomsRecorded, PainRated)  # as the stage counts record days

Value = float | str | bool | None


class Basis(StrEnum):
    """Why the period starts where it does."""

    LAST_REVIEW = "last_review"  # the day of the last review note before as_of
    SINCE_DATE = "since_date"  # a date the user gave
    LAST_4_WEEKS = "last_4_weeks"  # no review note to start from (or the report's preset)
    JOURNAL_START = "journal_start"  # no review note, and the journal is younger than 4 weeks
    LAST_3_MONTHS = "last_3_months"  # the report's preset


class Preset(StrEnum):
    """The periods the report offers (issue 17: since last review, 4 weeks, 3 months, custom)."""

    SINCE_LAST_REVIEW = "since_last_review"
    LAST_4_WEEKS = "last_4_weeks"
    LAST_3_MONTHS = "last_3_months"
    CUSTOM = "custom"


@dataclass(frozen=True)
class About:
    """The entry a review note is about, as the audit trail describes it."""

    entry_id: uuid.UUID
    type: str
    date: date
    words: str
    retracted: bool


@dataclass(frozen=True)
class ReviewNote:
    entry_id: uuid.UUID
    date: date
    therapist: str
    text: str
    about: About | None  # None: the journal as a whole


@dataclass(frozen=True)
class Period:
    since: date  # the status "then" is at the end of this day
    as_of: date
    basis: Basis
    last_review: ReviewNote | None  # the note that set ``since`` (basis last_review)
    asked_for_review: bool = False  # --since-last-review, even when there was none to use
    no_review_to_start_from: bool = False  # the default fell back: no review note before as_of

    @property
    def first_day(self) -> date:
        return self.since + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.as_of - self.since).days

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.since < day <= self.as_of


@dataclass(frozen=True)
class MeasureChange:
    """One number of a sign at both moments: 'heel raises left 12 → 20'."""

    measure: str  # heel_raises, symmetry_percent, weakness, leg_mean, …
    side: str | None
    then: Value
    now: Value

    @property
    def changed(self) -> bool:
        return self.then != self.now


@dataclass(frozen=True)
class Sparkline:
    """The sign's small chart over the period: one value per day, oldest first."""

    measure: str
    side: str | None
    higher_is_better: bool
    points: tuple[tuple[date, float], ...]


@dataclass(frozen=True)
class SignChange:
    code: str
    then: SignText
    now: SignText
    measures: tuple[MeasureChange, ...]
    sparkline: Sparkline

    @property
    def changed(self) -> bool:
        return self.then.trend is not self.now.trend


@dataclass(frozen=True)
class FlagChange:
    """A red flag raised or cleared in the period (a run of it that starts or ends there)."""

    code: str
    urgency: str
    raised_on: date  # the start of the run (before the period when only its clearing falls in it)
    cleared_on: date | None  # the first day it was no longer shown; None = still shown at as_of
    acknowledged_on: date | None
    found_in_tests: bool
    detail: str | None = None


@dataclass(frozen=True)
class ExerciseChange:
    exercise: str
    then: Verdict | None  # None: not done by then
    now: Verdict
    sessions_in_period: int


@dataclass(frozen=True)
class Adherence:
    days: int
    check_in_days: int  # days with a symptom check-in or pain rating
    tests: int
    tests_by_kind: dict[str, int]  # entry type → count
    walks: int
    exercise_sessions: int
    red_flag_checks: int


@dataclass(frozen=True)
class Summary:
    period: Period
    then: StatusSnapshot
    now: StatusSnapshot
    signs: tuple[SignChange, ...]  # the five signs in the model's order
    red_flags: tuple[FlagChange, ...]
    milestones: tuple[Milestone, ...]
    exercises: tuple[ExerciseChange, ...]
    adherence: Adherence
    review_notes: tuple[ReviewNote, ...]  # the previous visit's notes, then the period's

    @property
    def stage_changed(self) -> bool:
        return self.then.stage.stage is not self.now.stage.stage


# The period ------------------------------------------------------------------------------------


def review_notes(events: Sequence[EntryEvent], effective: EffectiveEntries | None = None) -> list[ReviewNote]:
    """Every review note, in projection order, each with the entry it is about described as
    EFFECTIVE has it (corrected; a retracted one as it was, marked so)."""
    notes = sorted((e for e in events if isinstance(e, ReviewNoteAdded)), key=entry_order)
    wanted = {n.about for n in notes if n.about is not None}
    originals = {e.entry_id: e for e in events if e.entry_id in wanted}
    out = []
    for note in notes:
        about = None
        if note.about is not None and note.about in originals:
            target = originals[note.about]
            known = effective is not None and note.about in effective.originals
            current = effective.effective(note.about) if effective is not None and known else target
            shown = current if current is not None else target
            about = About(note.about, shown.type_name(), shown.observed_at.date(), summarize(shown),
                          current is None)
        out.append(ReviewNote(note.entry_id, note.observed_at.date(), note.therapist, note.text, about))
    return out


def choose_period(notes: Sequence[ReviewNote], as_of: date, since: date | None = None,
                  since_last_review: bool = False, started: date | None = None) -> Period:
    """The period to summarise: from SINCE, else from the last review note dated before AS_OF,
    else the last 4 weeks, or from the day the journal STARTED when that is later (days before
    a journal existed are not days without a check-in). ``since_last_review`` only records
    that it was asked for: with no review note to start from, the default applies."""
    if since is not None:
        if since > as_of:
            raise ValueError(f"since ({since}) is after as_of ({as_of})")
        return Period(since, as_of, Basis.SINCE_DATE, None)
    before = [n for n in notes if n.date < as_of]
    if before:
        return Period(before[-1].date, as_of, Basis.LAST_REVIEW, before[-1], since_last_review)
    default = as_of - timedelta(days=DEFAULT_DAYS)
    if started is not None and default < started - timedelta(days=1) <= as_of:
        return Period(started - timedelta(days=1), as_of, Basis.JOURNAL_START, None, since_last_review, True)
    return Period(default, as_of, Basis.LAST_4_WEEKS, None, since_last_review, True)


def months_before(d: date, months: int) -> date:
    """The same day MONTHS calendar months earlier (the month's last day when it is shorter:
    3 months before 31 May is 28 or 29 Feb)."""
    year, month = divmod(d.year * 12 + d.month - 1 - months, 12)
    month += 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(d.day, (following - timedelta(days=1)).day))


def preset_period(preset: Preset, notes: Sequence[ReviewNote], as_of: date, since: date | None = None,
                  started: date | None = None) -> Period:
    """The period of a report preset; CUSTOM needs SINCE. Since last review is the summary's
    default (``choose_period``), with its fallback when there is no note."""
    if preset is Preset.CUSTOM:
        if since is None:
            raise ValueError("a custom period needs its first day")
        return choose_period(notes, as_of, since)
    if preset is Preset.LAST_4_WEEKS:
        return Period(as_of - timedelta(days=DEFAULT_DAYS), as_of, Basis.LAST_4_WEEKS, None)
    if preset is Preset.LAST_3_MONTHS:
        return Period(months_before(as_of, 3), as_of, Basis.LAST_3_MONTHS, None)
    return choose_period(notes, as_of, since_last_review=True, started=started)


def notes_for(notes: Sequence[ReviewNote], period: Period) -> tuple[ReviewNote, ...]:
    """The previous visit's notes (the last review day on or before ``since``) and every note
    written in the period: what the therapist said last time, and since."""
    previous = max((n.date for n in notes if n.date <= period.since), default=None)
    return tuple(n for n in notes if n.date == previous or n.date in period)


# The signs -------------------------------------------------------------------------------------


def _measures(code: str, s: StatusSnapshot) -> list[tuple[str, str | None, Value]]:
    """The numbers a sign is read by, at one moment (the same keys at every moment)."""
    sides = sides_of(s.affected_side)
    if code == "centralization":
        return [("furthest_extent", None, s.centralization.recent_extent)]
    if code == "strength":
        st = s.strength
        out: list[tuple[str, str | None, Value]] = [
            ("heel_raises", side, (st.heel_raises or {}).get(side)) for side in sides]
        if len(sides) == 1:
            out.append(("symmetry_percent", None,
                        None if st.symmetry_percent is None else round(st.symmetry_percent)))
        return [*out, ("weakness", None, st.weakness), ("foot_drop", None, st.foot_drop)]
    if code == "nerve_mobility":
        n = s.nerve_mobility
        out = [("straight_leg_raise", side, (n.straight_leg_raise_degrees or {}).get(side)) for side in sides]
        out += [("slump", side, (n.slump or {}).get(side)) for side in sides]
        return [*out, ("fingertip_to_floor", None, n.fingertip_to_floor_cm)]
    if code == "pain":
        p = s.pain
        return [("leg_mean", None, p.leg_mean), ("back_mean", None, p.back_mean),
                ("share_of_day_mean", None, p.share_of_day_mean)]
    return [("best_tolerance_minutes", None, s.walking.best_tolerance_minutes)]


def _weaker(sides: tuple[str, ...], latest: dict[str, int] | dict[str, float] | None) -> str | None:
    """The affected side a one-line chart follows: the one with the lower latest value (the
    weaker leg, with both affected), else the first."""
    if not sides:
        return None
    known = [(latest[s], i, s) for i, s in enumerate(sides) if latest and s in latest]
    return min(known)[2] if known else sides[0]


def _sparkline(code: str, series: ProgressSeries, now: StatusSnapshot, period: Period) -> Sparkline:
    def within(points: Sequence[tuple[date, float]]) -> tuple[tuple[date, float], ...]:
        # One point a day: the day's last value (the latest test, as the status reads it).
        daily = {d: float(v) for d, v in points if d in period}
        return tuple(daily.items())

    sides = sides_of(now.affected_side)
    if code == "centralization":
        return Sparkline("furthest_extent", None, False, within([(p.date, p.extent) for p in series.extent]))
    if code == "strength":
        side = _weaker(sides, now.strength.heel_raises)
        points = series.heel_raises.get(side, ()) if side else ()
        return Sparkline("heel_raises", side, True, within([(p.date, p.value) for p in points]))
    if code == "nerve_mobility":
        side = _weaker(sides, now.nerve_mobility.straight_leg_raise_degrees)
        slr = within([(p.date, p.value) for p in series.straight_leg_raise.get(side, ())] if side else [])
        bend = within([(p.date, p.value) for p in series.fingertip_to_floor])
        if slr or not bend:
            return Sparkline("straight_leg_raise", side, True, slr)
        return Sparkline("fingertip_to_floor", None, False, bend)
    if code == "pain":
        return Sparkline("leg_mean", None, False,
                         within([(d.date, d.leg_mean) for d in series.pain if d.leg_mean is not None]))
    best: dict[date, float] = {}
    for w in series.walks:  # one point a day: that day's best walk
        best[w.date] = max(best.get(w.date, 0.0), w.tolerance)
    return Sparkline("best_tolerance_minutes", None, True, within(sorted(best.items())))


def _signs(then: StatusSnapshot, now: StatusSnapshot, series: ProgressSeries, period: Period
           ) -> tuple[SignChange, ...]:
    before, after = sign_texts(then), sign_texts(now)
    out = []
    for code, text in after.items():
        pairs = zip(_measures(code, then), _measures(code, now), strict=True)
        measures = tuple(MeasureChange(m, side, a, b) for (m, side, a), (_, _, b) in pairs)
        out.append(SignChange(code, before[code], text, measures, _sparkline(code, series, now, period)))
    return tuple(out)


# Red flags, milestones, exercises, adherence ---------------------------------------------------


def _flag_changes(timeline: Timeline, period: Period) -> tuple[FlagChange, ...]:
    projection = timeline.current
    out = [FlagChange(r.code, r.urgency, r.since, r.until, r.acknowledged_on, False)
           for r in projection.red_flags.runs()
           if r.since in period or (r.until is not None and r.until in period)]
    # progressive_weakness is derived from the tests, so it can only change on a test day.
    test_days = sorted({e.observed_at.date() for store in projection.strength.stores.values()
                        for e in store.between(period.first_day, period.as_of)})
    active = projection.red_flags.progressive_weakness(period.since)
    for d in test_days:
        found = projection.red_flags.progressive_weakness(d)
        if active is not None and found is None:
            out.append(FlagChange(active.code, active.urgency, active.since, d, None, True, active.detail))
        active = found
    if active is not None and active.since in period:
        out.append(FlagChange(active.code, active.urgency, active.since, None, None, True, active.detail))
    return tuple(sorted(out, key=lambda f: (f.raised_on, f.code)))


def _exercises(then: StatusSnapshot, now: StatusSnapshot, entries: Sequence[EntryEvent]
               ) -> tuple[ExerciseChange, ...]:
    sessions = Counter(same_words(e.exercise) for e in entries if isinstance(e, ExerciseResponseRecorded))
    before = {same_words(v.exercise): v.verdict for v in then.exercises.exercises}
    return tuple(ExerciseChange(v.exercise, before.get(same_words(v.exercise)), v.verdict,
                                sessions[same_words(v.exercise)])
                 for v in now.exercises.exercises if sessions[same_words(v.exercise)])


def _adherence(period: Period, entries: Sequence[EntryEvent]) -> Adherence:
    kinds = Counter(e.type_name() for e in entries if isinstance(e, TEST_TYPES))
    return Adherence(
        days=period.days,
        check_in_days=len({e.observed_at.date() for e in entries if isinstance(e, CHECK_IN_TYPES)}),
        tests=sum(kinds.values()),
        tests_by_kind=dict(sorted(kinds.items())),
        walks=sum(isinstance(e, WalkRecorded) for e in entries),
        exercise_sessions=sum(isinstance(e, ExerciseResponseRecorded) for e in entries),
        red_flag_checks=sum(isinstance(e, RedFlagsChecked) for e in entries))


# The summary -----------------------------------------------------------------------------------


def build_summary(timeline: Timeline, events: Sequence[EntryEvent], period: Period) -> Summary:
    """The summary of PERIOD. EVENTS are the journal's events (the review notes are not
    observations, so the status projection does not keep them)."""
    then, now = timeline.status_at(period.since), timeline.status_at(period.as_of)
    effective = timeline.current.entries
    in_period = [e for e in effective.current() if e.observed_at.date() in period]
    notes = review_notes(events, effective)
    milestones = tuple(m for m in now.strength.milestones if m.date in period)
    return Summary(
        period=period, then=then, now=now,
        signs=_signs(then, now, timeline.series(period.as_of), period),
        red_flags=_flag_changes(timeline, period),
        milestones=milestones,
        exercises=_exercises(then, now, in_period),
        adherence=_adherence(period, in_period),
        review_notes=notes_for(notes, period),
    )


def summary_of(timeline: Timeline, events: Sequence[EntryEvent], as_of: date, since: date | None = None,
               since_last_review: bool = False) -> Summary:
    """The summary as of AS_OF from SINCE, else since the last review (see ``choose_period``)."""
    journal = timeline.current.journal
    started = journal.observed_at.date() if journal is not None else None
    period = choose_period(review_notes(events), as_of, since, since_last_review, started)
    return build_summary(timeline, events, period)

