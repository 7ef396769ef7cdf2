"""What the therapist's PDF says, as HTML: the period's summary (``summary_html``), then
each sign's verdict, evidence and chart, then (on request) every entry of the period.

Only projections decide verdicts; this module arranges their words, never judges.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from desktop.reports.summary_html import summary_html
from desktop.session import EntryEvent, JournalIdentity
from projections.history import build_history
from projections.status_text import sign_texts
from projections.vocabulary import INDICATOR_HEADINGS, author_words, long_day, moment

if TYPE_CHECKING:
    from projections.status import StatusSnapshot
    from projections.summary import Summary

SIGNS: tuple[tuple[str, str], ...] = tuple(INDICATOR_HEADINGS.items())


@dataclass
class ReportInput:
    identity: JournalIdentity
    period_from: date
    period_to: date
    made_on: date
    summary: Summary
    sign_evidence: dict[str, tuple[str, str]]  # code -> (verdict in words, evidence)
    charts: dict[str, str] = field(default_factory=dict)  # sign code -> image resource URL
    signs_per_page: int = 2
    appendix: bool = False
    chart_width: int = 500  # document units (points): the body width of an A4/Letter page
    chart_height: int = 225
    # A chart with panels under it is taller (``render_sign_chart``): sign code -> its height.
    chart_heights: dict[str, int] = field(default_factory=dict)
    measures: str = ""  # the questionnaires' section (``measures_section``), "" when none was answered
    # Page 1 must stay one page (``page_one_variants``): the background sentence and the earlier
    # therapist's notes are what give way, never a red flag or a sign.
    history: bool = True
    notes_limit: int | None = None


def sign_evidence(snapshot: StatusSnapshot) -> dict[str, tuple[str, str]]:
    """Each sign's (verdict, evidence) for the report: the sentences of ``sciatica status``,
    the header and the Progress panel (``projections.status_text``), not re-parsed text."""
    return {code: (t.verdict[:1].upper() + t.verdict[1:], t.evidence[:1].upper() + t.evidence[1:] + ".")
            for code, t in sign_texts(snapshot).items()}


def in_period(event: EntryEvent, start: date, end: date) -> bool:
    return start <= event.observed_at.date() <= end


def _e(text: object) -> str:
    return html.escape(str(text))


# Sizes in px: the document is laid out in points of paper (``document.write_pdf``), so 1 px
# here prints as 1 pt; a pt size would be converted at the screen's 96 dpi and print 4/3 larger.
CSS = """
body { font-family: 'DejaVu Sans'; font-size: 10px; color: #1f2933; }
p.title { font-size: 14px; font-weight: bold; color: #0f4c5c; margin: 2px 0 3px 0; }
h2 { font-size: 12.5px; color: #0f4c5c; margin: 10px 0 3px 0; }
p { margin: 2px 0 4px 0; }
p.section { margin: 6px 0 3px 0; }
table.grid { border-collapse: collapse; }
table.grid th { background: #e6eef0; text-align: left; padding: 3px; font-size: 8.5px; }
table.grid td { border-bottom: 1px solid #d5dbe0; padding: 3px; font-size: 8.5px; vertical-align: top; }
.verdict { font-weight: bold; }
.flag { color: #9b1c1c; font-weight: bold; }
.muted { color: #5f6b7a; }
.struck { color: #7b8794; text-decoration: line-through; }
"""


def page_one_html(data: ReportInput) -> str:
    """The report's first page: who and when, then the period's summary, as a whole document."""
    ident = data.identity
    # The questionnaires have their own section after the signs (page 1 must stay one page).
    return (f"<html><head><style>{CSS}</style></head><body>"
            f"<p class='muted'>Sciatica recovery report · {_e(ident.patient)} · onset "
            f"{long_day(ident.onset_date)} · period {long_day(data.period_from)} – "
            f"{long_day(data.period_to)} · made {long_day(data.made_on)}</p>"
            + summary_html(data.summary, evidence=False, measures=False, history=data.history,
                           notes_limit=data.notes_limit) + "</body></html>")


def page_one_variants(data: ReportInput) -> list[ReportInput]:
    """DATA's page 1 from the fullest to the shortest: with everything, without the background
    sentence, then with fewer and fewer of the therapist's earlier notes (the latest always)."""
    notes = len(data.summary.review_notes)
    variants = [replace(data, history=True, notes_limit=None), replace(data, history=False, notes_limit=None)]
    variants += [replace(data, history=False, notes_limit=k) for k in range(notes - 1, 0, -1)]
    return variants


def build_html(data: ReportInput, events: Sequence[EntryEvent]) -> str:
    page_one = page_one_html(data)
    parts: list[str] = [page_one.removesuffix("</body></html>")]

    for i, (code, title) in enumerate(SIGNS):
        # A fresh page every SIGNS_PER_PAGE signs: a title always shares its page with its chart.
        brk = " style='page-break-before: always'" if i % data.signs_per_page == 0 else ""
        words, evidence = data.sign_evidence.get(code, ("", ""))
        parts.append(f"<h2{brk}>{_e(title)}</h2>")
        parts.append(f"<p><span class='verdict'>{_e(words)}.</span> {_e(evidence)}</p>")
        if code in data.charts:
            parts.append(f"<p><img src='{data.charts[code]}' width='{data.chart_width}' "
                         f"height='{data.chart_heights.get(code, data.chart_height)}'></p>")

    # Issue 19: after the last sign, in the half page it leaves (the default stays at 4 pages).
    parts.append(data.measures)
    if data.appendix:
        parts.append(_appendix(data, events))
    parts.append("</body></html>")
    return "".join(parts)


def _appendix(data: ReportInput, events: Sequence[EntryEvent]) -> str:
    parts = ["<h2 style='page-break-before: always'>Appendix: entries in this period</h2>",
             "<table class='grid' width='100%' cellpadding='2' style='font-size: 8px'><tr>"
             "<th>Observed</th><th>Entry</th><th>By</th></tr>"]
    rows = [r for r in build_history(events) if in_period(r.event, data.period_from, data.period_to)]
    rows.sort(key=lambda r: (r.event.observed_at, r.event.recorded_at))
    for row in rows:
        e = row.event
        cls = " class='struck'" if row.superseded else ""
        parts.append(f"<tr><td nowrap>{moment(e.observed_at)}&nbsp;&nbsp;</td><td{cls}>{_e(row.summary)}</td>"
                     f"<td>{_e(author_words(e.author_role, e.author_name))}</td></tr>")
    parts.append("</table>")
    parts.append("<p class='muted'>Struck-through entries were later corrected or retracted; "
                 "the corrected values are used above.</p>")
    return "".join(parts)
