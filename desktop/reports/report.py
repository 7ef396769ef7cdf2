"""Assemble the therapist's PDF for one period: page 1 the "since last visit" summary, then one
chart per sign over that period only, two to a page; the full entry log only on request.

At most four pages by default (issue 17): the summary is written to fit page 1 (each sign's
evidence waits for its chart), the five charts take three more, two to a page. Every second
sign starts a page and a title, verdict and chart fit in half a page, so no title is ever
left at a page foot without its chart. The questionnaires answered in the period (issue 19)
follow the fifth sign in the half page it leaves (``measures_section``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from desktop.reports.content import SIGNS, ReportInput, build_html, page_one_html, page_one_variants, sign_evidence
from desktop.reports.document import (
    PageDecor,
    count_pages,
    fits_one_page,
    page_size_for_locale,
    report_font,
    write_pdf,
)
from desktop.reports.measures_section import add_measure_charts, answered_in, measures_html
from desktop.session import EntryEvent
from projections.summary import Period, Preset, Summary, build_summary, preset_period, review_notes
from projections.timeline import Timeline
from projections.vocabulary import long_day

CHART_WIDTH_PX = 1800
CHART_WIDTH_PT = 500  # ReportInput.chart_width
CHART_HEIGHT_PX = 810  # 500 × 225 points; a chart with panels comes back taller (render_sign_chart)
SIGNS_PER_PAGE = 2  # two titled charts fill an A4 or Letter body (see ReportInput.chart_height)
MAX_PAGES = 4  # the default report (issue 17): page 1 the summary, then the signs' charts
CHART_SCALES = (1.0, 0.85, 0.75)  # the charts' heights tried in turn until the report fits

Progress = Callable[[int, str], None]


class ReportSource(Protocol):
    """What a report reads of an open journal (``JournalApp`` is one)."""

    @property
    def identity(self) -> Any: ...

    def entries(self) -> Sequence[EntryEvent]: ...


def report_period(events: Sequence[EntryEvent], preset: Preset, as_of: date | None = None,
                  since: date | None = None) -> Period:
    """The period of PRESET ending AS_OF (default: the last observed day). CUSTOM starts on
    SINCE (its first day is included, so the summary compares with the end of the day before)."""
    observed = [e.observed_at.date() for e in events]
    end = as_of or max(observed, default=date.today())
    started = min(observed, default=None)
    before = since.fromordinal(since.toordinal() - 1) if since is not None else None
    return preset_period(preset, review_notes(events), end, before, started)


def make_report(journal: ReportSource, out: Path, start: date | None = None, end: date | None = None,
                progress: Progress | None = None, *, preset: Preset | None = None,
                appendix: bool = False) -> int:
    """Write the PDF report of JOURNAL to OUT; returns its page count. The period is START..END
    (a custom period), else PRESET ending END (default: since the last review). APPENDIX adds
    every entry of the period as a table."""
    step = progress or (lambda _pct, _what: None)
    events = journal.entries()
    identity = journal.identity
    chosen = Preset.CUSTOM if start is not None else (preset or Preset.SINCE_LAST_REVIEW)
    period = report_period(events, chosen, end, start)
    step(10, "Replaying the journal")
    timeline = Timeline(events)
    summary = build_summary(timeline, events, period)

    document = QTextDocument()
    document.setDefaultFont(report_font())
    step(45, "Drawing the curves")
    page_size = page_size_for_locale()
    answered = answered_in(summary.now.measures.measures, period.first_day)
    measure_charts = add_measure_charts(document, answered, (period.first_day, period.as_of))
    for scale in CHART_SCALES:
        # Two signs share a page; where a long evidence text or a shorter page (US Letter) would
        # push the report past MAX_PAGES, the charts are drawn shorter (same width and text size:
        # legends stay >= 8 pt), down to three quarters of their height.
        charts, heights = _add_charts(document, timeline, summary, identity.affected_side,
                                      round(CHART_HEIGHT_PX * scale))
        data = ReportInput(
            identity=identity, period_from=period.first_day, period_to=period.as_of, made_on=date.today(),
            summary=summary, sign_evidence=sign_evidence(summary.now), charts=charts, chart_heights=heights,
            signs_per_page=SIGNS_PER_PAGE, appendix=appendix,
            measures=measures_html(answered, measure_charts, period.first_day))
        # The fullest first page that is one page (a long run of notes would push every chart on).
        variants = page_one_variants(data)
        data = next((d for d in variants if fits_one_page(page_one_html(d), page_size)), variants[-1])
        document.setHtml(build_html(data, events))
        if appendix or count_pages(document, page_size) <= MAX_PAGES:
            break
    step(85, "Writing the PDF")
    decor = PageDecor(title=f"Sciatica Tracker — {identity.patient}",
                      subtitle=f"{long_day(period.first_day)} to {long_day(period.as_of)}")
    pages = write_pdf(document, out, decor, page_size)
    step(100, "Done")
    return pages


def _add_charts(document: QTextDocument, timeline: Timeline, summary: Summary,
                affected_side: str, height_px: int = CHART_HEIGHT_PX) -> tuple[dict[str, str], dict[str, int]]:
    """Each sign's chart as an image resource: sign -> its URL, and sign -> its height in
    points (a chart with panels comes back taller than asked)."""
    from desktop.charts.export import render_sign_chart

    period = summary.period
    series = timeline.series(period.as_of)
    urls: dict[str, str] = {}
    heights: dict[str, int] = {}
    for code, _title in SIGNS:
        image: QImage = render_sign_chart(series, code, CHART_WIDTH_PX, height_px,
                                          affected_side=affected_side,
                                          days=(period.first_day, period.as_of))
        url = f"chart://{code}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        urls[code] = url
        heights[code] = round(image.height() * CHART_WIDTH_PT / image.width())
    return urls, heights
