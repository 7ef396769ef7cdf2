"""The report's questionnaire section (issue 19): a short table and the curves, only for the
measures answered in the report's period (nothing at all when none was).

It follows the last sign on its page (the fifth sign leaves half a page free), so the
default report stays at four pages: one row per measure (latest, the baseline it is compared
with, the trend by the measure's meaningful change, how often it was answered), then the
curves side by side, each as wide as a share of the body and laid out in proportionally fewer
pixels so its text prints at the sign charts' size. Words come from the vocabulary and the
projection's state; nothing is judged here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from desktop.session.measures import Measure, MeasureScore, MeasureState, score_range
from projections.measure_words import MEASURE_SCALES, measure_short
from projections.vocabulary import day, num, trend_words

BODY_WIDTH_PT = 500  # the report's chart width (``ReportInput.chart_width``)
CHART_HEIGHT_PT = 120  # beside the table, in the half page the fifth sign leaves
GAP_PT = 8
PX_PER_PT = 3.6  # the sign charts' print resolution (1800 px for 500 pt)
PT_PER_LOGICAL_PX = 500 / 640  # the sign charts' layout scale (``charts.export.LOGICAL_WIDTH``)


def answered_in(states: Sequence[MeasureState], first_day: date) -> list[MeasureState]:
    """The measures with an answer observed in the period (from FIRST_DAY to the states' day)."""
    return [s for s in states if any(a.day >= first_day for a in s.history)]


def chart_width_pt(count: int) -> int:
    return int((BODY_WIDTH_PT - (count - 1) * GAP_PT) / count)


def add_measure_charts(document: QTextDocument, states: Sequence[MeasureState],
                       days: tuple[date, date]) -> dict[str, str]:
    """Each measure's curve over DAYS as an image resource of DOCUMENT; measure → its URL."""
    from desktop.charts.measure_plot import render_measure_chart

    if not states:
        return {}
    width = chart_width_pt(len(states))
    urls: dict[str, str] = {}
    for state in states:
        image = render_measure_chart(state, round(width * PX_PER_PT), round(CHART_HEIGHT_PT * PX_PER_PT),
                                     days=days, logical_width=round(width / PT_PER_LOGICAL_PX))
        url = f"chart://measure_{state.measure}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        urls[state.measure] = url
    return urls


def _e(text: object) -> str:
    return html.escape(str(text))


def _score(s: MeasureScore | None, top: float) -> str:
    return "–" if s is None else f"{num(float(s.score))} / {num(top)} on {day(s.day)}"


def _trend(state: MeasureState) -> str:
    words = trend_words(state.trend.value)
    if state.change is None or state.mic is None:
        return words
    change = float(state.change)
    return f"{words} ({'+' if change > 0 else ''}{num(change)}; {num(float(state.mic))} matters)"


def _details(s: MeasureState) -> str:
    """The PSFS's activities, the SBI's bothersome items (4–6), in a muted line."""
    if s.latest is None:
        return ""
    if s.measure == Measure.PSFS:
        return "activities: " + ", ".join(item for item, _ in s.latest.answers)
    if s.measure == Measure.SBI and s.latest.bothersome:
        return "bothersome: " + ", ".join(b.replace("_", " ") for b in s.latest.bothersome)
    return ""


def measures_html(states: Sequence[MeasureState], charts: dict[str, str], first_day: date) -> str:
    """The section's HTML: heading, table and curves; "" when STATES (the answered ones) is empty."""
    if not states:
        return ""
    parts = ["<h2>Questionnaires</h2>",
             "<p class='muted'>Each trend: the latest answer against the earliest of the six weeks before it, "
             "by the change that matters.</p>",
             "<table class='grid' width='100%' cellpadding='2'><tr><th width='38%'>Questionnaire</th>"
             "<th width='15%'>Latest</th><th width='15%'>Compared with</th><th width='21%'>Trend</th>"
             "<th width='11%'>Answers</th></tr>"]
    for s in states:
        top = score_range(s.measure)[1]
        details = _details(s)
        name = _e(s.title) + (f"<br><span class='muted'>{_e(details)}</span>" if details else "")
        count = sum(1 for a in s.history if a.day >= first_day)
        parts.append(f"<tr><td>{name}</td><td>{_e(_score(s.latest, top))}</td><td>{_e(_score(s.baseline, top))}</td>"
                     f"<td>{_e(_trend(s))}</td><td>{count}</td></tr>")
    parts.append("</table>")
    width = chart_width_pt(len(states))
    cells = "".join(
        f"<td width='{width}'><span class='muted' style='font-size: 8.5px'>{_e(measure_short(s.measure))} "
        f"({_e(MEASURE_SCALES[s.measure])})</span><br>"
        f"<img src='{charts[s.measure]}' width='{width}' height='{CHART_HEIGHT_PT}'></td>"
        for s in states if s.measure in charts)
    if cells:
        parts.append(f"<table cellspacing='{GAP_PT}' cellpadding='0' style='margin-left: -{GAP_PT}px'>"
                     f"<tr>{cells}</tr></table>")
    return "".join(parts)
