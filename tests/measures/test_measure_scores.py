"""Scores, trends at their meaningful-change boundaries, and when a measure is due."""

from __future__ import annotations

import json
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.cli import main
from domain.application import JournalApp
from projections.measures import MeasuresProjection, judge_change, peg_mic, sbi_mic, score
from projections.status import StatusProjection
from projections.trend import Trend

ACTS = ["walking", "socks", "sitting"]
SBI_ITEMS = ["leg_pain", "numbness_tingling", "leg_weakness", "sitting_pain"]
PEG_ITEMS = ["pain", "enjoyment", "general_activity"]


def answers(items: list[str], values: list[float]) -> list[dict[str, object]]:
    return [{"item": i, "value": v} for i, v in zip(items, values, strict=True)]


def test_scores() -> None:
    assert score("psfs", answers(ACTS, [2, 3, 7])) == 4
    assert score("sbi", answers(SBI_ITEMS, [6, 6, 6, 6])) == 24
    assert score("peg", answers(PEG_ITEMS, [1, 2, 2])) == Fraction(5, 3)


@pytest.mark.parametrize(("before", "after", "trend"), [
    ([2, 2, 2], [4, 4, 4], Trend.IMPROVING),         # mean +2 exactly counts
    ([2, 2, 2], [3.9, 3.9, 4], Trend.STABLE),          # mean +1.93, no activity +3
    ([2, 2, 2], [5, 2, 2], Trend.IMPROVING),          # one activity +3, mean +1
    ([2, 2, 2], [4.9, 2, 2], Trend.STABLE),           # one activity +2.9
    ([5, 5, 5], [2, 5, 5], Trend.WORSENING),          # one activity −3
    ([2, 5, 2], [5, 2, 2], Trend.STABLE),             # +3 and −3 disagree
    ([6, 6, 6], [4, 4, 4], Trend.WORSENING),          # mean −2
])
def test_psfs_meaningful_change(before: list[float], after: list[float], trend: Trend) -> None:
    assert judge_change("psfs", answers(ACTS, before), answers(ACTS, after))[0] is trend


def test_psfs_activities_are_compared_by_name() -> None:
    earlier = answers(["walking", "socks", "sitting"], [2, 2, 2])
    later = answers(["Walking", "driving", "sitting"], [5, 9, 2])  # driving is new: not compared
    assert judge_change("psfs", earlier, later)[0] is Trend.IMPROVING  # walking +3; mean +3.3


@pytest.mark.parametrize(("before", "after", "trend", "mic"), [
    ([5, 5, 5, 5], [4, 4, 4, 2], Trend.IMPROVING, 6),   # 20 → 14: exactly 30 %
    ([5, 5, 5, 5], [4, 4, 4, 3], Trend.STABLE, 6),      # 20 → 15
    ([1, 1, 1, 0], [0, 0, 0, 1], Trend.IMPROVING, 2),   # 3 → 1: the 2-point floor
    ([1, 1, 1, 0], [1, 0, 0, 1], Trend.STABLE, 2),      # 3 → 2
    ([1, 1, 0, 0], [2, 2, 1, 1], Trend.WORSENING, 2),   # 2 → 6
])
def test_sbi_meaningful_change(before: list[int], after: list[int], trend: Trend, mic: int) -> None:
    assert judge_change("sbi", answers(SBI_ITEMS, before), answers(SBI_ITEMS, after)) == (trend, mic)


@pytest.mark.parametrize(("before", "after", "trend"), [
    ([10, 10, 10], [7, 7, 7], Trend.IMPROVING),      # 10 → 7: 30 %
    ([10, 10, 10], [7, 7, 7.1], Trend.STABLE),
    ([2, 2, 2], [1, 1, 1], Trend.IMPROVING),         # the 1-point floor
    ([2, 2, 2], [1, 1, 2], Trend.STABLE),
    ([2, 2, 2], [3, 3, 3], Trend.WORSENING),
])
def test_peg_meaningful_change(before: list[float], after: list[float], trend: Trend) -> None:
    assert judge_change("peg", answers(PEG_ITEMS, before), answers(PEG_ITEMS, after))[0] is trend


@given(st.fractions(min_value=0, max_value=24))
def test_sbi_and_peg_mics_are_thirty_percent_with_their_floors(earlier: Fraction) -> None:
    assert sbi_mic(earlier) == max(2, earlier * Fraction(3, 10))
    assert peg_mic(earlier) == max(1, earlier * Fraction(3, 10))


@given(st.lists(st.integers(0, 10), min_size=3, max_size=3), st.lists(st.integers(0, 10), min_size=3, max_size=3))
def test_psfs_trend_follows_its_two_rules(before: list[int], after: list[int]) -> None:
    trend, _ = judge_change("psfs", answers(ACTS, before), answers(ACTS, after))
    mean_change = Fraction(sum(after) - sum(before), 3)
    ups = [a - b >= 3 for a, b in zip(after, before, strict=True)]
    downs = [b - a >= 3 for a, b in zip(after, before, strict=True)]
    better, worse = mean_change >= 2 or any(ups), mean_change <= -2 or any(downs)
    expected = (Trend.IMPROVING if better and not worse else Trend.WORSENING if worse and not better
                else Trend.STABLE)
    assert trend is expected


def test_trend_is_against_the_earliest_answer_of_the_42_days_before(journal: JournalApp) -> None:
    start = date(2026, 1, 12)
    journal.answer_measure(start, "peg", answers(PEG_ITEMS, [9, 9, 9]))               # 43 days before: outside
    journal.answer_measure(start + timedelta(days=1), "peg", answers(PEG_ITEMS, [6, 6, 6]))   # 42 days before
    journal.answer_measure(start + timedelta(days=20), "peg", answers(PEG_ITEMS, [8, 8, 8]))
    journal.answer_measure(start + timedelta(days=43), "peg", answers(PEG_ITEMS, [4, 4, 4]))
    state = StatusProjection.from_events(journal.entries()).status_at(start + timedelta(days=43)).measures.of("peg")
    assert state.baseline is not None and state.baseline.score == 6
    assert (state.trend, state.change, state.mic) == (Trend.IMPROVING, -2, Fraction(9, 5))
    assert len(state.history) == 4
    one = StatusProjection.from_events(journal.entries()).status_at(start).measures.of("peg")
    assert (one.trend, one.baseline) == (Trend.INSUFFICIENT_DATA, None)


def test_a_measure_is_due_when_assigned_and_never_more_than_once_a_week(journal: JournalApp) -> None:
    d = date(2026, 2, 2)
    projection = MeasuresProjection()
    for event in journal.entries():
        projection.apply(event)
    assert not projection.due("sbi", d)  # not assigned
    journal.assign_measure("Dr. Ada Physio", "sbi", every_days=7, observed_at=d)
    journal.answer_measure(d + timedelta(days=1), "sbi", answers(SBI_ITEMS, [1, 1, 1, 1]))
    projection = MeasuresProjection()
    for event in journal.entries():
        projection.apply(event)
    assert not projection.due("sbi", d - timedelta(days=1))  # before the assignment
    assert projection.due("sbi", d)                          # assigned, never answered
    assert [projection.due("sbi", d + timedelta(days=n)) for n in range(1, 10)] == \
        [False] * 7 + [True, True]                           # answered on day 1: due again on day 8
    state = projection.state_at(d + timedelta(days=3)).of("sbi")
    assert (state.due, state.next_due, state.assigned_by) == (False, d + timedelta(days=8), "Dr. Ada Physio")


def test_status_json_and_text_list_the_measures(journal_path: Path, journal: JournalApp,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    journal.assign_measure("Dr. Ada Physio", "psfs", every_days=14, activities=ACTS, observed_at="2026-01-13")
    journal.answer_measure("2026-01-14", "psfs", answers(ACTS, [2, 3, 4]))
    fix = journal.answer_measure("2026-01-28", "psfs", answers(ACTS, [5, 3, 4]))
    journal.correct(fix, {"measure": "psfs", "answers": answers(ACTS, [6, 3, 4])}, reason="typo")
    journal.answer_measure("2026-01-28", "sbi", answers(SBI_ITEMS, [5, 2, 0, 4]))
    journal.close()
    assert main(["status", str(journal_path), "--as-of", "2026-01-30", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["schema"] == "sciatica-status/2"
    psfs, sbi, peg = status["measures"]
    assert (psfs["measure"], psfs["score"], psfs["trend"], psfs["change"], psfs["mic"]) == (
        "psfs", 4.333333, "improving", 1.333333, 2)  # 6 decimals, as every mean
    assert psfs["activities"] == ACTS and psfs["latest"]["answers"][0] == {"item": "walking", "value": 6}
    assert (psfs["due"], psfs["next_due"]) == (False, "2026-02-11")
    assert (sbi["score"], sbi["latest"]["bothersome"], sbi["trend"]) == (11, ["leg_pain", "sitting_pain"],
                                                                         "insufficient_data")
    assert (peg["score"], peg["latest"], peg["due"]) == (None, None, False)
    assert main(["status", str(journal_path), "--as-of", "2026-01-30"]) == 0
    text = capsys.readouterr().out
    assert "Patient-Specific Functional Scale: 4.3 on 28 Jan (walking 6, socks 3, sitting 4); " \
           "improving since 3 on 14 Jan; next due 11 Feb" in text
    assert "Sciatica Bothersomeness Index: 11 on 28 Jan; bothersome: leg pain, sitting pain" in text
    assert "PEG" not in text


def test_the_summary_lists_the_measures_since_the_last_visit(journal_path: Path, journal: JournalApp,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    journal.assign_measure("Dr. Ada Physio", "psfs", every_days=14, activities=ACTS, observed_at="2026-01-13")
    journal.answer_measure("2026-01-14", "psfs", answers(ACTS, [2, 3, 4]))
    journal.answer_measure("2026-01-28", "psfs", answers(ACTS, [6, 3, 4]))
    journal.answer_measure("2026-01-28", "peg", answers(PEG_ITEMS, [5, 5, 5]))
    journal.close()
    assert main(["summary", str(journal_path), "--since", "2026-01-20", "--as-of", "2026-01-30", "--json"]) == 0
    psfs, peg = json.loads(capsys.readouterr().out)["measures"]
    assert psfs == {"measure": "psfs", "title": "Patient-Specific Functional Scale", "then": 3, "now": 4.333333,
                    "trend": "improving", "answered_in_period": 1, "activities": ACTS, "due": False}
    assert (peg["then"], peg["now"], peg["trend"], peg["activities"]) == (None, 5, "insufficient_data", None)
    assert main(["summary", str(journal_path), "--since", "2026-01-20", "--as-of", "2026-01-30"]) == 0
    text = capsys.readouterr().out
    assert "Outcome measures:\n  - Patient-Specific Functional Scale: 3 → 4.3, improving (walking, socks, sitting); " \
           "answered 1 time in this period." in text
