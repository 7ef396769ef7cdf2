"""The ``sciatica-summary/1`` JSON of a ``Summary`` (``docs/summary-json.md`` documents every
field): every key always present, null (or an empty list) without data, codes beside their words.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from projections.measures import summary_measures
from projections.summary import SCHEMA, ReviewNote, SignChange, Summary, Value
from projections.trend import tidy
from projections.vocabulary import milestone_words, red_flag_name, stage_words

if TYPE_CHECKING:
    from projections.status import StatusSnapshot
    from projections.status_text import SignText


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def _value(x: Value) -> Value:
    return x if x is None or isinstance(x, bool | str) else tidy(x)


def _note_json(n: ReviewNote) -> dict[str, Any]:
    about = None if n.about is None else {
        "entry_id": str(n.about.entry_id), "type": n.about.type, "date": n.about.date.isoformat(),
        "words": n.about.words, "retracted": n.about.retracted}
    return {"entry_id": str(n.entry_id), "date": n.date.isoformat(), "therapist": n.therapist, "text": n.text,
            "about": about}


def _stage_json(s: StatusSnapshot) -> dict[str, Any]:
    words = stage_words(s.stage.stage)
    return {"code": s.stage.stage.value, "title": words.title, "reason": s.stage.reason or None,
            "advice": words.advice or None}


def _sign_json(c: SignChange) -> dict[str, Any]:
    def moment(t: SignText) -> dict[str, Any]:
        return {"trend": t.trend.value, "verdict": t.verdict, "evidence": t.evidence or None}

    return {"name": c.now.title, "then": moment(c.then), "now": moment(c.now), "changed": c.changed,
            "measures": [{"measure": m.measure, "side": m.side, "then": _value(m.then), "now": _value(m.now),
                          "changed": m.changed} for m in c.measures],
            "sparkline": {"measure": c.sparkline.measure, "side": c.sparkline.side,
                          "higher_is_better": c.sparkline.higher_is_better,
                          "points": [[d.isoformat(), tidy(v)] for d, v in c.sparkline.points]}}


def summary_to_json(summary: Summary) -> dict[str, Any]:
    p, then, now, a = summary.period, summary.then, summary.now, summary.adherence
    return {
        "schema": SCHEMA,
        "patient": now.patient,
        "affected_side": now.affected_side,
        "onset_date": _iso(now.onset_date),
        "period": {"since": p.since.isoformat(), "first_day": p.first_day.isoformat(), "as_of": p.as_of.isoformat(),
                   "days": p.days, "basis": p.basis.value, "asked_for_last_review": p.asked_for_review,
                   "no_review_to_start_from": p.no_review_to_start_from,
                   "last_review": None if p.last_review is None else _note_json(p.last_review)},
        "days_since_onset": {"then": then.days_since_onset, "now": now.days_since_onset},
        "stage": {"then": _stage_json(then), "now": _stage_json(now), "changed": summary.stage_changed},
        "signs": {c.code: _sign_json(c) for c in summary.signs},
        "red_flags": {
            "active_then": [f.code for f in then.red_flags.flags],
            "active_now": [{"code": f.code, "urgency": f.urgency, "since": f.since.isoformat(),
                            "acknowledged": f.acknowledged, "detail": f.detail} for f in now.red_flags.flags],
            "changes": [{"code": f.code, "name": red_flag_name(f.code), "urgency": f.urgency,
                         "raised_on": f.raised_on.isoformat(), "raised_in_period": f.raised_on in p,
                         "cleared_on": _iso(f.cleared_on), "acknowledged_on": _iso(f.acknowledged_on),
                         "found_in_tests": f.found_in_tests, "detail": f.detail} for f in summary.red_flags],
        },
        "milestones": [{"code": m.code, "words": milestone_words(m.code), "side": m.side, "date": m.date.isoformat(),
                        "entry_id": str(m.entry_id)} for m in summary.milestones],
        "exercises": [{"exercise": e.exercise, "then": e.then.value if e.then else None, "now": e.now.value,
                       "sessions_in_period": e.sessions_in_period} for e in summary.exercises],
        "adherence": {"days": a.days, "check_in_days": a.check_in_days, "tests": a.tests,
                      "tests_by_kind": a.tests_by_kind, "walks": a.walks, "exercise_sessions": a.exercise_sessions,
                      "red_flag_checks": a.red_flag_checks},
        "review_notes": [_note_json(n) for n in summary.review_notes],
        # Issue 19, an added key: each measure answered by the end of the period (docs/measures.md).
        "measures": summary_measures(then.measures, now.measures, p.first_day),
    }
