"""The report's questionnaire section (issue 19): a short table and the curves, only when the
period holds answers, and the default report still at most four pages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from desktop.reports.measures_section import answered_in, measures_html
from desktop.reports.report import make_report
from desktop.session import JournalSession, measures
from domain.application import JournalApp
from tests.desktop_measures.conftest import ACTIVITIES, TODAY

SBI_ITEMS = ["leg_pain", "numbness_tingling", "leg_weakness", "sitting_pain"]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def pages(pdf: Path) -> int:
    return pdf_text(pdf).count("\f")


def test_the_table_names_the_scores_the_baseline_and_the_psfs_activities(assigned: JournalApp) -> None:
    assigned.answer_measure("2026-01-13T09:00", "psfs", [{"item": n, "value": 2} for n in ACTIVITIES])
    assigned.answer_measure("2026-01-19T09:00", "psfs", [{"item": n, "value": v} for n, v in zip(
        ACTIVITIES, (5, 4, 3), strict=True)])
    assigned.answer_measure("2026-01-19T09:05", "sbi", [{"item": i, "value": v} for i, v in zip(
        SBI_ITEMS, (5, 1, 0, 4), strict=True)])
    session = JournalSession(assigned)
    session.as_of = TODAY
    answered = answered_in(measures.measure_states(session), TODAY.replace(day=1))
    assert [s.measure for s in answered] == ["psfs", "sbi"]  # the PEG is neither assigned nor answered
    text = measures_html(answered, {"psfs": "chart://measure_psfs", "sbi": "chart://measure_sbi"},
                         TODAY.replace(day=1))
    assert "<h2>Questionnaires</h2>" in text
    assert "activities: walking to the shops, putting on socks, sitting through a meal" in text
    assert "4 / 10 on 19 Jan" in text and "2 / 10 on 13 Jan" in text
    assert "improving (+2; 2 matters)" in text
    assert "bothersome: leg pain, sitting pain" in text and "10 / 24 on 19 Jan" in text
    assert text.count("<img ") == 2
    # Answers only before the period: no section at all.
    assert answered_in(measures.measure_states(session), TODAY.replace(day=20)) == []
    assert measures_html([], {}, TODAY) == ""


def test_the_default_report_keeps_four_pages_with_the_section(tmp_path: Path, qapp: object) -> None:
    from benchmarks.generate import generate, write
    from desktop.cli import main

    events = tmp_path / "year.jsonl"
    write(generate(1, seed=3), events)
    journal = tmp_path / "year.sciatica"
    assert main(["import", str(journal), str(events)]) == 0
    with JournalApp.open(journal, readonly=True) as app:
        out = tmp_path / "report.pdf"
        count = make_report(app, out)
    text = pdf_text(out)
    assert count == pages(out) <= 4
    page_4 = text.split("\f")[3]
    assert "Walking tolerance" in page_4 and "Questionnaires" in page_4
    assert "Patient-Specific Functional Scale" in page_4 and "activities: walking to the shops" in page_4


def test_since_last_visit_lists_the_outcome_measures_and_page_1_leaves_them_to_their_section(
        qtbot, assigned: JournalApp) -> None:
    from desktop.app import QtSession
    from desktop.reports.summary_html import sections, summary_html
    from desktop.session.visits import since_last_visit
    from desktop.views.summary import SummaryView

    assigned.answer_measure("2026-01-16T09:00", "sbi", [{"item": i, "value": v} for i, v in zip(
        SBI_ITEMS, (5, 1, 0, 4), strict=True)])
    session = JournalSession(assigned)
    session.as_of = TODAY
    live = QtSession(session)
    view = SummaryView(live)
    qtbot.addWidget(view)
    view.refresh()
    assert "\nOutcome measures\nSciatica Bothersomeness Index: not answered → 10, not enough data" in view.text()
    summary = since_last_visit(session)
    assert [x.title for x in sections(summary)].count("Outcome measures") == 1
    assert "Outcome measures" not in summary_html(summary, measures=False)
    live._unsubscribe()


def test_a_journal_without_measures_has_no_measures_section(journal: JournalApp) -> None:
    from desktop.reports.summary_html import sections
    from desktop.session.visits import since_last_visit

    journal.rate_pain("2026-01-13T08:00", leg=5, back=2)
    assert "Outcome measures" not in [x.title for x in sections(since_last_visit(JournalSession(journal)))]
