"""The report's words: the same sentences as the CLI.

(Issue 17: the report's opening is now the period's summary, so its red flags and stage come
from ``projections.summary`` and are tested there and in ``test_summary_html``; the report's
own summary sentence and red-flag table are gone with their tests.)"""

from __future__ import annotations

from desktop.reports.content import sign_evidence
from projections.status_text import sign_texts
from tests.projections.builder import J


def test_report_evidence_is_the_status_text_sentences() -> None:
    j = J(side="left")
    j.slr("2026-03-10", "left", 30)
    snapshot = j.snapshot("2026-03-14")
    evidence = sign_evidence(snapshot)
    assert evidence["nerve_mobility"] == ("Not enough data",
                                          "Straight-leg raise left 30° on 10 Mar; one test, no trend yet.")
    assert set(evidence) == set(sign_texts(snapshot))
