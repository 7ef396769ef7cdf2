"""What the therapist's PDF says, gathered from the journal's events and status, as HTML.

Only projections decide verdicts; this module arranges their words, never judges.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.events import EntryEvent, ReviewNoteAdded
from domain.journal import JournalIdentity
from projections.history import build_history
from projections.red_flags import RedFlagProjection, urgency_of
from projections.status_text import sign_texts
from projections.strength import StrengthProjection
from projections.vocabulary import (
    INDICATOR_HEADINGS,
    NATURAL_HISTORY,
    milestone_words,
    red_flag_name,
    side_label,
    stage_words,
    trend_words,
    urgency_words,
)

if TYPE_CHECKING:
    from projections.status import StatusSnapshot

SIGNS: tuple[tuple[str, str], ...] = tuple(INDICATOR_HEADINGS.items())

NO_EVIDENCE = {
    "insufficient_data": "Too few recent and earlier observations to compare.",
    "stable": "No change as large as the minimal important change.",
}


@dataclass(frozen=True)
class RaisedFlag:
    code: str
    urgency: str
    raised_on: date
    acknowledged_on: date | None


@dataclass
class ReportInput:
    identity: JournalIdentity
    period_from: date
    period_to: date
    made_on: date
    status: dict[str, Any]
    sign_evidence: dict[str, tuple[str, str]]  # code -> (verdict in words, evidence)
    summary: str
    raised_flags: list[RaisedFlag] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)  # sign code -> image resource URL
    chart_width: int = 500  # document units (points): the body width of an A4/Letter page
    chart_height: int = 172


def sign_evidence(snapshot: StatusSnapshot) -> dict[str, tuple[str, str]]:
    """Each sign's (verdict, evidence) for the report: the sentences of ``sciatica status``,
    the header and the Progress panel (``projections.status_text``), not re-parsed text."""
    return {code: (t.verdict[:1].upper() + t.verdict[1:], t.evidence[:1].upper() + t.evidence[1:] + ".")
            for code, t in sign_texts(snapshot).items()}


def summary(snapshot: StatusSnapshot) -> str:
    """The report's opening summary: day since onset, the stage with its evidence, what moved."""
    trends = snapshot.stage.trends or {}
    improving = [INDICATOR_HEADINGS[c].lower() for c in INDICATOR_HEADINGS if trends.get(c) == "improving"]
    worsening = [INDICATOR_HEADINGS[c].lower() for c in INDICATOR_HEADINGS if trends.get(c) == "worsening"]
    parts = [f"Day {snapshot.days_since_onset} since onset." if snapshot.days_since_onset is not None else ""]
    words = stage_words(snapshot.stage.stage)
    parts.append(f"Stage: {words.title}" + (f", because {snapshot.stage.reason}." if snapshot.stage.reason else "."))
    if improving:
        parts.append("Improving: " + ", ".join(improving) + ".")
    if worsening:
        parts.append("Worsening: " + ", ".join(worsening) + ".")
    parts.append(NATURAL_HISTORY)
    return " ".join(p for p in parts if p)


def in_period(event: EntryEvent, start: date, end: date) -> bool:
    return start <= event.observed_at.date() <= end


def raised_flags(events: Sequence[EntryEvent], start: date, end: date,
                 derived: Sequence[tuple[str, date]] = ()) -> list[RaisedFlag]:
    """Every red flag raised in the period (corrections applied): one row per unbroken run of
    checklists listing it, with its acknowledgement by the projections' one rule (the first
    acknowledgement within the run), and DERIVED (code, since) flags found in the tests."""
    projection = RedFlagProjection(StrengthProjection())  # checklists only: derived come in DERIVED
    for event in events:
        projection.apply(event)
    side = projection.journal.affected_side if projection.journal else None
    out = [RaisedFlag(r.code, r.urgency, r.since, r.acknowledged_on) for r in projection.runs()
           if start <= r.since <= end]
    seen = {(f.code, f.raised_on) for f in out}
    for code, day in derived:
        if start <= day <= end and (code, day) not in seen:
            seen.add((code, day))
            out.append(RaisedFlag(code, urgency_of(code, side), day, None))
    return sorted(out, key=lambda f: (f.raised_on, f.code))


def _e(text: object) -> str:
    return html.escape(str(text))


def _fmt_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


CSS = """
body { font-family: 'DejaVu Sans'; font-size: 9.5pt; color: #1f2933; }
h1 { font-size: 15pt; color: #0f4c5c; margin: 0 0 4pt 0; }
h2 { font-size: 11.5pt; color: #0f4c5c; margin: 12pt 0 3pt 0; }
h3 { font-size: 10.5pt; margin: 10pt 0 2pt 0; }
p { margin: 2pt 0 4pt 0; }
table.facts td { padding: 1pt 10pt 1pt 0; }
table.grid { border-collapse: collapse; }
table.grid th { background: #e6eef0; text-align: left; padding: 3pt; font-size: 8.5pt; }
table.grid td { border-bottom: 1px solid #d5dbe0; padding: 3pt; font-size: 8.5pt; vertical-align: top; }
.verdict { font-weight: bold; }
.flag { color: #9b1c1c; font-weight: bold; }
.muted { color: #5f6b7a; }
.struck { color: #7b8794; text-decoration: line-through; }
"""


def build_html(data: ReportInput, events: Sequence[EntryEvent]) -> str:
    s = data.status
    ident = data.identity
    parts: list[str] = [f"<html><head><style>{CSS}</style></head><body>"]
    parts.append("<h1>Sciatica recovery report</h1>")
    parts.append("<table class='facts'>")
    facts = [
        ("Patient", ident.patient),
        ("Affected side", ident.affected_side),
        ("Onset", _fmt_day(ident.onset_date)),
        ("Period covered", f"{_fmt_day(data.period_from)} – {_fmt_day(data.period_to)}"),
        ("Days since onset", s.get("days_since_onset")),
        ("Report made", _fmt_day(data.made_on)),
    ]
    for label, value in facts:
        parts.append(f"<tr><td class='muted'>{_e(label)}</td><td>{_e(value)}</td></tr>")
    parts.append("</table>")

    # Red flags come first and are never cut.
    parts.append("<h2>Red flags in this period</h2>")
    if data.raised_flags:
        parts.append("<p class='flag'>Red flags were reported. This app cannot judge an emergency: "
                     "anyone with these symptoms should seek medical care as advised below.</p>")
        parts.append("<table class='grid' width='100%' cellpadding='3'><tr><th>Date</th><th>Red flag</th>"
                     "<th>Urgency</th><th>Acknowledged</th></tr>")
        for flag in data.raised_flags:
            if flag.acknowledged_on:
                ack = _fmt_day(flag.acknowledged_on)
            else:
                ack = "not acknowledged" if flag.urgency == "emergency" else "not needed"
            parts.append(f"<tr><td>{_fmt_day(flag.raised_on)}</td><td>{_e(red_flag_name(flag.code))}"
                         f"</td><td>{_e(urgency_words(flag.urgency).short)}</td><td>{_e(ack)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No red flags were reported in this period.</p>")
    active = s.get("red_flags") or []
    if active:
        codes = ", ".join(f"{red_flag_name(f['code'])} (since {f['since']})" for f in active)
        parts.append(f"<p class='flag'>Active at the end of the period: {_e(codes)}.</p>")

    parts.append("<h2>Stage and summary</h2>")
    stage = stage_words(str(s.get("stage", "not_enough_data")))
    parts.append(f"<p class='verdict'>{_e(stage.title)}: {_e(stage.explanation)} {_e(stage.advice)}</p>")
    parts.append(f"<p>{_e(data.summary)}</p>")

    indicators = s.get("indicators", {})
    for code, title in SIGNS:
        trend = (indicators.get(code) or {}).get("trend", "insufficient_data")
        words, evidence = data.sign_evidence.get(code, (trend_words(trend).capitalize(), ""))
        if not evidence:
            evidence = NO_EVIDENCE.get(trend, "")
        parts.append(f"<h2>{_e(title)}</h2>")
        plain = trend_words(trend)
        shown = words if words.lower() == plain.lower() else f"{words} ({plain.lower()})"
        parts.append(f"<p><span class='verdict'>{_e(shown)}.</span> {_e(evidence)}</p>")
        if code in data.charts:
            parts.append(f"<p><img src='{data.charts[code]}' width='{data.chart_width}' "
                         f"height='{data.chart_height}'></p>")

    milestones = (indicators.get("strength") or {}).get("milestones") or []
    parts.append("<h2>Milestones reached</h2>")
    in_range = [m for m in milestones
                if data.period_from.isoformat() <= str(m.get("date")) <= data.period_to.isoformat()]
    if in_range:
        parts.append("<ul>")
        for m in in_range:
            side = f" ({side_label(m['side'])})" if m.get("side") else ""
            parts.append(f"<li>{_e(m['date'])}: {_e(milestone_words(str(m['code'])))}{_e(side)}</li>")
        parts.append("</ul>")
    else:
        parts.append("<p>No new milestones in this period.</p>")

    notes = [e for e in events if isinstance(e, ReviewNoteAdded) and in_period(e, data.period_from,
                                                                               data.period_to)]
    parts.append("<h2>Therapist notes</h2>")
    if notes:
        for n in notes:
            parts.append(f"<p><b>{_e(n.therapist)}</b>, {_fmt_day(n.observed_at.date())}: {_e(n.text)}</p>")
    else:
        parts.append("<p>No therapist notes in this period.</p>")

    parts.append("<h2>Appendix: entries in this period</h2>")
    parts.append("<table class='grid' width='100%' cellpadding='2' style='font-size: 7.5pt'><tr>"
                 "<th>Observed</th><th>Entry</th><th>By</th></tr>")
    rows = [r for r in build_history(events) if in_period(r.event, data.period_from, data.period_to)]
    rows.sort(key=lambda r: (r.event.observed_at, r.event.recorded_at))
    for row in rows:
        e = row.event
        cls = " class='struck'" if row.superseded else ""
        parts.append(f"<tr><td nowrap>{e.observed_at:%Y-%m-%d %H:%M}&nbsp;&nbsp;</td><td{cls}>{_e(row.summary)}</td>"
                     f"<td>{_e(e.author_role)}</td></tr>")
    parts.append("</table>")
    parts.append("<p class='muted'>Struck-through entries were later corrected or retracted; "
                 "the corrected values are used above.</p>")
    parts.append("</body></html>")
    return "".join(parts)
