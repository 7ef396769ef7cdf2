"""Assemble the therapist's PDF: status, signs with evidence and curves, red flags, notes,
and an appendix of entries, for a chosen period."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument

from desktop.reports.content import SIGNS, ReportInput, build_html, raised_flags
from desktop.reports.document import PageDecor, report_font, write_pdf
from desktop.session import EntryEvent, EntryKind, RedFlag
from projections.status import status_to_json
from projections.status_text import sign_sentences
from projections.timeline import Timeline

CHART_WIDTH_PX = 1800
CHART_HEIGHT_PX = 620
NATURAL_HISTORY = ("Most people with sciatica improve over weeks to months; 20–30 % still have "
                   "some symptoms one to two years later. This report is a self-tracking record, "
                   "not a diagnosis.")

Progress = Callable[[int, str], None]
STRENGTH_TESTS = frozenset({EntryKind.HEEL_RAISES, EntryKind.MUSCLE_GRADE, EntryKind.GAIT})


class ReportSource(Protocol):
    """What a report reads of an open journal (``JournalApp`` is one)."""

    @property
    def identity(self) -> Any: ...

    def entries(self) -> Sequence[EntryEvent]: ...


def make_report(journal: ReportSource, out: Path, start: date | None = None, end: date | None = None,
                progress: Progress | None = None) -> int:
    """Write the PDF report of JOURNAL for START..END to OUT; returns its page count."""
    step = progress or (lambda _pct, _what: None)
    events = journal.entries()
    identity = journal.identity
    observed = [e.observed_at.date() for e in events]
    end = end or max(observed, default=date.today())
    start = start or identity.onset_date
    step(10, "Replaying the journal")
    timeline = Timeline(events)
    snapshot = timeline.status_at(end)
    status = status_to_json(snapshot)
    sentences = sign_sentences(snapshot)
    evidence = {code: _after_verdict(text) for code, text in sentences.items()}

    step(30, "Checking red flags")
    derived = _progressive_weakness_dates(timeline, events, start, end)
    flags = raised_flags(events, start, end, derived)

    document = QTextDocument()
    document.setDefaultFont(report_font())
    step(45, "Drawing the curves")
    charts = _add_charts(document, timeline, end, identity.affected_side)
    data = ReportInput(
        identity=identity, period_from=start, period_to=end, made_on=date.today(), status=status,
        sign_evidence=evidence, summary=_summary(status, sentences), raised_flags=flags, charts=charts)
    document.setHtml(build_html(data, events))
    step(85, "Writing the PDF")
    decor = PageDecor(title=f"Sciatica Tracker — {identity.patient}",
                      subtitle=f"{start.isoformat()} to {end.isoformat()}")
    pages = write_pdf(document, out, decor)
    step(100, "Done")
    return pages


def _after_verdict(sentence: str) -> tuple[str, str]:
    """'Pain: easing: mean leg pain 6 → 3, …' → ('Easing', 'Mean leg pain 6 → 3, ….')."""
    _, _, rest = sentence.partition(": ")
    match = re.match(r"^([^:;]+)[:;]\s*(.*)$", rest)
    words, evidence = (match.group(1), match.group(2)) if match else (rest, "")
    if evidence and not evidence.endswith("."):
        evidence += "."
    return words[:1].upper() + words[1:], evidence[:1].upper() + evidence[1:]


def _summary(status: dict[str, object], sentences: dict[str, str]) -> str:
    stage = str(status.get("stage"))
    indicators = status.get("indicators")
    assert isinstance(indicators, dict)
    improving = [title.lower() for code, title in SIGNS if indicators[code]["trend"] == "improving"]
    worsening = [title.lower() for code, title in SIGNS if indicators[code]["trend"] == "worsening"]
    reason = status.get("stage_reason")
    parts = [f"Day {status.get('days_since_onset')} since onset."]
    if isinstance(reason, str) and reason:
        parts.append(f"Stage {stage.replace('_', ' ')} because {reason.rstrip('.')}.")
    if improving:
        parts.append("Improving: " + ", ".join(improving) + ".")
    if worsening:
        parts.append("Worsening: " + ", ".join(worsening) + ".")
    if not improving and not worsening:
        parts.append("No sign has changed by more than its minimal important change.")
    parts.append(NATURAL_HISTORY)
    del sentences
    return " ".join(parts)


def _progressive_weakness_dates(timeline: Timeline, events: Sequence[EntryEvent], start: date,
                                end: date) -> list[tuple[str, date]]:
    """Days in the period on which the derived 'progressive weakness' flag was active."""
    test_days = sorted({e.observed_at.date() for e in events
                        if e.type_name() in STRENGTH_TESTS and start <= e.observed_at.date() <= end})
    found: list[tuple[str, date]] = []
    for day in test_days:
        for flag in timeline.status_at(day).red_flags.flags:
            if flag.code == RedFlag.PROGRESSIVE_WEAKNESS and (flag.code, flag.since) not in found:
                found.append((flag.code, flag.since))
    return found


def _add_charts(document: QTextDocument, timeline: Timeline, end: date, affected_side: str) -> dict[str, str]:
    from desktop.charts.export import render_sign_chart

    series = timeline.series(end)
    urls: dict[str, str] = {}
    for code, _title in SIGNS:
        image: QImage = render_sign_chart(series, code, CHART_WIDTH_PX, CHART_HEIGHT_PX,
                                          affected_side=affected_side)
        url = f"chart://{code}"
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        urls[code] = url
    return urls
