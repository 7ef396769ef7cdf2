"""`sciatica summary` end to end on the journeys' real files: text and JSON, the default period
(since the last review note, else the last 4 weeks), and every bad-input path (exit 2, one
sentence, the file untouched)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import PYTHON, ROOT, assert_one_clear_sentence, run, sha, siblings, write_lines
from tests.projections.test_summary import SNAKE, check_summary_schema

JOURNEYS = ROOT / "tests" / "journeys"
REVIEW = {"type": "ReviewNoteAdded", "observed_at": "2026-02-01T10:00", "therapist": "Dr Lee",
          "text": "Goal: 20 heel raises on the left by March", "about": None}


def journey(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, *extra: dict[str, Any]) -> Path:
    path = tmp_path / f"{name}.sciatica"
    assert run(capsys, "import", path, JOURNEYS / f"{name}.jsonl").code == 0
    if extra:
        assert run(capsys, "import", path, write_lines(tmp_path / "extra.jsonl", *extra)).code == 0
    return path


def summary_json(capsys: pytest.CaptureFixture[str], *args: str | Path) -> dict[str, Any]:
    result = run(capsys, "summary", *args, "--json")
    assert (result.code, result.err) == (0, "")
    data: dict[str, Any] = json.loads(result.out)
    check_summary_schema(data)
    return data


def test_default_is_since_the_last_review_note(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "classic_recovery", REVIEW)
    data = summary_json(capsys, path, "--as-of", "2026-03-01")
    p = data["period"]
    assert (p["basis"], p["since"], p["first_day"], p["days"]) == ("last_review", "2026-02-01", "2026-02-02", 28)
    assert p["last_review"]["therapist"] == "Dr Lee"
    assert [n["text"] for n in data["review_notes"]] == [REVIEW["text"]]
    assert data["stage"]["now"]["code"] == "improving"
    strength = data["signs"]["strength"]
    heel = {(m["measure"], m["side"]): (m["then"], m["now"]) for m in strength["measures"]}
    assert heel[("heel_raises", "left")][1] == 18
    assert strength["sparkline"]["measure"] == "heel_raises" and strength["sparkline"]["points"]
    assert all("2026-02-02" <= d <= "2026-03-01" for d, _ in strength["sparkline"]["points"])
    assert data["adherence"]["check_in_days"] == data["adherence"]["days"] == 28
    # --since-last-review says the same thing explicitly.
    explicit = summary_json(capsys, path, "--as-of", "2026-03-01", "--since-last-review")
    assert explicit["period"]["asked_for_last_review"] is True
    explicit["period"]["asked_for_last_review"] = False
    assert explicit == data


def test_text_reads_in_words(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "classic_recovery", REVIEW)
    result = run(capsys, "summary", path, "--as-of", "2026-03-01")
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0] == ("Journey classic_recovery, left side — what changed to the end of 1 Mar 2026 "
                        "(day 55 since onset)")
    assert lines[1] == "Since the last review note (Dr Lee, 1 Feb): 2 Feb–1 Mar 2026, 28 days."
    assert lines[2].startswith("Stage: Improving, unchanged — ")
    assert "  Leg strength: steady → getting stronger. Heel raises left 9 → 18;" in result.out
    assert "New milestones:\n  - 10 heel raises (left) on 2 Feb." in result.out
    assert "Recorded in this period: check-ins on 28 of 28 days;" in result.out
    assert "  - 1 Feb, Dr Lee: “Goal: 20 heel raises on the left by March” (about the journal as a whole)." \
        in result.out
    assert SNAKE.findall(result.out.replace("Journey classic_recovery", "")) == []


def test_without_a_review_note_it_says_which_period_is_used(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "foot_drop")
    result = run(capsys, "summary", path, "--as-of", "2026-03-15")
    assert result.out.splitlines()[1] == ("The last 4 weeks (there is no review note before this day yet): "
                                          "16 Feb–15 Mar 2026, 28 days.")
    data = summary_json(capsys, path, "--as-of", "2026-03-15")
    assert (data["period"]["basis"], data["period"]["since"]) == ("last_4_weeks", "2026-02-15")
    assert data["review_notes"] == [] and data["period"]["last_review"] is None


def test_since_a_date_with_milestones_and_foot_drop(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "foot_drop")
    data = summary_json(capsys, path, "--since", "2026-02-01", "--as-of", "2026-03-15")
    assert (data["period"]["basis"], data["period"]["days"]) == ("since_date", 42)
    assert (data["stage"]["then"]["code"], data["stage"]["now"]["code"]) == ("acute", "final_stage")
    strength = {m["measure"]: (m["then"], m["now"]) for m in data["signs"]["strength"]["measures"]}
    assert strength["foot_drop"] == (True, False)
    assert [(m["code"], m["date"]) for m in data["milestones"]] == [
        ("ankle_dorsiflexion_grade_4", "2026-03-12"), ("heel_raises_20", "2026-03-12")]
    assert data["milestones"][0]["words"] == "ankle dorsiflexion reached grade 4"


def test_red_flags_raised_and_cleared(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "red_flags")
    data = summary_json(capsys, path, "--since", "2026-01-05", "--as-of", "2026-01-24")
    changes = [(f["code"], f["raised_on"], f["cleared_on"], f["found_in_tests"]) for f in data["red_flags"]["changes"]]
    assert changes == [("both_legs", "2026-01-11", "2026-01-15", False),
                       ("saddle_numbness", "2026-01-11", "2026-01-14", False),
                       ("progressive_weakness", "2026-01-20", "2026-01-24", True)]
    assert data["red_flags"]["changes"][1]["acknowledged_on"] == "2026-01-11"
    text = run(capsys, "summary", path, "--since", "2026-01-05", "--as-of", "2026-01-24").out
    assert ("  - saddle numbness (around the genitals, bottom or inner thighs): reported on 11 Jan, no longer "
            "reported from 14 Jan (an emergency sign); the advice was acknowledged on 11 Jan.") in text


def test_exercise_verdicts(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "exercises")
    data = summary_json(capsys, path, "--since", "2026-01-05", "--as-of", "2026-01-15")
    assert data["exercises"] and all(e["sessions_in_period"] >= 1 for e in data["exercises"])
    assert {e["now"] for e in data["exercises"]} <= {"keep", "stop", "neutral"}
    text = run(capsys, "summary", path, "--since", "2026-01-05", "--as-of", "2026-01-15").out
    assert "Exercises:\n  - " in text


def test_since_d_as_of_d_has_no_change(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = journey(capsys, tmp_path, "flare")
    data = summary_json(capsys, path, "--since", "2026-02-20", "--as-of", "2026-02-20")
    assert data["period"]["days"] == 0 and data["stage"]["changed"] is False
    assert not any(s["changed"] or s["sparkline"]["points"] for s in data["signs"].values())
    assert (data["milestones"], data["red_flags"]["changes"], data["exercises"]) == ([], [], [])


def test_summary_imports_no_qt(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = journey(capsys, tmp_path, "less_often")
    code = ("import sys; from desktop.cli import main; "
            f"rc = main(['summary', {str(path)!r}, '--as-of', '2026-03-15', '--json']); "
            "assert rc == 0; assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'")
    done = subprocess.run([str(PYTHON), "-c", code], check=False, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["schema"] == "sciatica-summary/1"


# Bad input: exit 2, one sentence, nothing changed ----------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2026-02-30"], "--since must be a date like 2026-03-01, got '2026-02-30'"),
    (["--as-of", "yesterday"], "--as-of must be a date like 2026-03-01, got 'yesterday'"),
    (["--since", "2026-03-05", "--as-of", "2026-03-01"],
     "--since (2026-03-05) is after --as-of (2026-03-01); give a start on or before the end of the summary"),
    (["--since", "2026-03-01", "--since-last-review"],
     "sciatica summary: argument --since-last-review: not allowed with argument --since"),
])
def test_bad_dates_and_options_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           args: list[str], message: str) -> None:
    path = journey(capsys, tmp_path, "less_often")
    before = {p.name: sha(p) for p in siblings(path)}
    for extra in ([], ["--json"]):
        result = run(capsys, "summary", path, *args, *extra)
        assert (result.code, result.out) == (2, "")
        assert_one_clear_sentence(result.err)
        assert result.err.strip() == message
    assert {p.name: sha(p) for p in siblings(path)} == before


def test_a_file_that_is_not_a_journal_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Monday: leg 6/10, walked 20 minutes\n")
    before = sha(notes)
    result = run(capsys, "summary", notes, "--json")
    assert (result.code, result.out) == (2, "")
    assert result.err.strip() == f"{notes}: not a Sciatica Tracker journal (unrecognised file format)"
    assert sha(notes) == before and siblings(notes) == [notes]
    missing = run(capsys, "summary", tmp_path / "nowhere.sciatica")
    assert missing.code == 2
    assert_one_clear_sentence(missing.err)
    assert not (tmp_path / "nowhere.sciatica").exists()
