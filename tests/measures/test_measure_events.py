"""Outcome-measure entries: assigning (therapist-authored, review mode), answering, the rules
of each measure, and the JSON-lines round trip."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.errors import InvalidEntry, ReadOnlyJournal
from domain.events import MeasureAnswered, MeasureAssigned
from domain.interchange import write_jsonl

PSFS = ["walking to the shop", "putting on socks", "sitting through a film"]
SBI_OK = [{"item": "leg_pain", "value": 4}, {"item": "numbness_tingling", "value": 2},
          {"item": "leg_weakness", "value": 0}, {"item": "sitting_pain", "value": 6}]
PEG_OK = [{"item": "pain", "value": 5}, {"item": "enjoyment", "value": 4},
          {"item": "general_activity", "value": 6}]


def psfs(*values: float) -> list[dict[str, object]]:
    return [{"item": name, "value": value} for name, value in zip(PSFS, values, strict=False)]


def test_a_therapist_assigns_and_the_patient_answers(journal: JournalApp) -> None:
    # Assign: therapist-authored, like a review note.
    assigned = journal.assign_measure("Dr. Ada Physio", "psfs", every_days=14, activities=PSFS,
                                      observed_at="2026-01-13")
    entry = journal.entry(assigned)
    assert isinstance(entry, MeasureAssigned)
    assert (entry.author_role, entry.author_name, entry.activities) == ("therapist", "Dr. Ada Physio", PSFS)
    # Answer: the patient's observation.
    answered = journal.answer_measure("2026-01-14", "psfs", psfs(3, 4, 5.5))
    stored = journal.entry(answered)
    assert isinstance(stored, MeasureAnswered)
    assert (stored.author_role, stored.answers[2]) == ("patient", {"item": PSFS[2], "value": 5.5})
    journal.answer_measure("2026-01-14", "sbi", SBI_OK)
    journal.answer_measure("2026-01-14", "peg", PEG_OK)


@pytest.mark.parametrize(("measure", "answers", "message"), [
    ("sbi", [*SBI_OK[:3], {"item": "sitting_pain", "value": 7}], "sitting_pain must be 0–6 for sbi, got 7"),
    ("sbi", SBI_OK[:3], "sbi answers the items leg_pain, numbness_tingling, leg_weakness, sitting_pain once each"),
    ("peg", [*PEG_OK[:2], {"item": "general_activity", "value": 11}], "must be 0–10, got 11"),
    ("peg", [*PEG_OK[:2], {"item": "mood", "value": 1}], "peg answers the items pain, enjoyment"),
    ("psfs", psfs(1, 2), "psfs needs 3–5 activities, got 2"),
    ("psfs", [{"item": "walking", "value": 1}] * 3, "the activity 'walking' is named twice"),
    ("psfs", [{"item": "a", "value": 1, "extra": 2}], "answer 1 must be an object with exactly item and value"),
    ("psfs", [], "answers must be a list"),
    ("oswestry", PEG_OK, "measure must be one of psfs, sbi, peg"),
])
def test_a_bad_answer_is_refused_in_one_sentence(journal: JournalApp, measure: str,
                                                 answers: list[dict[str, object]], message: str) -> None:
    with pytest.raises(InvalidEntry, match=message):
        journal.answer_measure("2026-01-14", measure, answers)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"measure": "peg", "every_days": 6}, "days between answers must be 7–365, got 6"),
    ({"measure": "peg", "every_days": 7, "activities": ["walking"]}, "activities are named only for psfs"),
    ({"measure": "psfs", "every_days": 7, "activities": PSFS[:2]}, "psfs needs 3–5 activities, got 2"),
    ({"measure": "psfs", "every_days": 7.5, "activities": PSFS}, "must be a whole number"),
])
def test_a_measure_is_never_assigned_more_often_than_weekly_or_badly(
        journal: JournalApp, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidEntry, match=message):
        journal.assign_measure("Dr. Ada Physio", **kwargs)  # type: ignore[arg-type]


def test_review_mode_allows_the_reviewers_assignment_only(journal_path: Path, journal: JournalApp) -> None:
    journal.close()
    with JournalApp.open_for_review(journal_path, "Dr. Ada Physio") as app:
        app.review_assign_measure("sbi", every_days=7)
        with pytest.raises(ReadOnlyJournal):
            app.assign_measure("Someone Else", "peg", every_days=7)
        with pytest.raises(ReadOnlyJournal):
            app.answer_measure("2026-01-14", "peg", PEG_OK)
    with JournalApp.open(journal_path) as app:
        with pytest.raises(ReadOnlyJournal, match="open the journal for review"):
            app.review_assign_measure("sbi", every_days=7)
        assert [e.author_name for e in app.entries() if isinstance(e, MeasureAssigned)] == ["Dr. Ada Physio"]


def test_measures_re_import_exactly_and_can_be_corrected(tmp_path: Path, journal: JournalApp,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    journal.assign_measure("Dr. Ada Physio", "psfs", every_days=14, activities=PSFS, observed_at="2026-01-13")
    first = journal.answer_measure("2026-01-14", "psfs", psfs(3, 4, 5.5))
    journal.answer_measure("2026-01-14", "sbi", SBI_OK)
    journal.correct(first, {"measure": "psfs", "answers": psfs(3, 4, 6)}, reason="typo")
    exported = io.StringIO()
    write_jsonl(journal.entries(), exported, journal.journal)
    lines = exported.getvalue()
    assert '"type": "MeasureAssigned"' in lines and '"type": "MeasureAnswered"' in lines
    source = tmp_path / "events.jsonl"
    source.write_text(lines, encoding="utf-8")
    copy = tmp_path / "copy.sciatica"
    assert main(["import", str(copy), str(source)]) == 0
    again = tmp_path / "again.jsonl"
    assert main(["export", str(copy), "--jsonl", str(again)]) == 0
    assert again.read_text(encoding="utf-8") == lines
    with JournalApp.open(copy) as app:
        assigned = [e for e in app.entries() if isinstance(e, MeasureAssigned)]
        assert assigned[0].author_role == "therapist"


def test_an_imported_bad_measure_names_its_line(tmp_path: Path, journal_path: Path, journal: JournalApp,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    journal.close()
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps({"type": "MeasureAnswered", "observed_at": "2026-01-14", "measure": "sbi",
                                  "answers": [*SBI_OK[:3], {"item": "sitting_pain", "value": 9}]}) + "\n")
    assert main(["import", str(journal_path), str(source)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"{source}:1: answers: sitting_pain must be 0–6 for sbi, got 9")
