"""The report's words: the same sentences as the CLI, red flags by run with the one
acknowledgement rule."""

from __future__ import annotations

from desktop.reports.content import raised_flags, sign_evidence, summary
from projections.status_text import sign_texts
from tests.projections.builder import J, day, days


def test_report_evidence_is_the_status_text_sentences() -> None:
    j = J(side="left")
    j.slr("2026-03-10", "left", 30)
    snapshot = j.snapshot("2026-03-14")
    evidence = sign_evidence(snapshot)
    assert evidence["nerve_mobility"] == ("Not enough data",
                                          "Straight-leg raise left 30° on 10 Mar; one test, no trend yet.")
    assert set(evidence) == set(sign_texts(snapshot))


def test_summary_names_the_stage_in_words() -> None:
    j = J(side="left")
    for at in days("2026-03-01", 3):
        j.pain(at, leg=4)
    j.flags("2026-03-03", "bowel_change")
    text = summary(j.snapshot("2026-03-03"))
    assert text.startswith("Day 61 since onset. Stage: Red flag, because a red flag is active: changes in bowel")
    assert "red_flag" not in text


def test_a_run_of_checklists_is_one_raised_flag_acknowledged_within_it() -> None:
    j = J(side="left")
    j.flags("2026-03-01", "saddle_numbness")
    j.flags("2026-03-02", "saddle_numbness")
    j.acknowledge("2026-03-02", "saddle_numbness")
    j.flags("2026-03-03")
    j.flags("2026-03-05", "saddle_numbness")  # a new run, never acknowledged
    j.acknowledge("2026-03-04", "saddle_numbness")  # between runs: belongs to neither
    flags = raised_flags(j.events, day("2026-03-01"), day("2026-03-31"))
    assert [(f.code, f.raised_on, f.acknowledged_on) for f in flags] == [
        ("saddle_numbness", day("2026-03-01"), day("2026-03-02")),
        ("saddle_numbness", day("2026-03-05"), None)]
