"""CSV export: one row per entry, the documented columns, safe in spreadsheets."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from desktop.cli import main
from projections.csv_export import COLUMNS

LINES = [
    {"type": "JournalStarted", "observed_at": "2026-02-01", "patient": "Zoë Ångström",
     "affected_side": "left", "onset_date": "2026-01-20"},
    {"type": "SymptomsRecorded", "observed_at": "2026-02-02T08:00", "context": "sitting",
     "symptoms": [{"region": "calf", "side": "left", "sensation": "tingling", "intensity": 4},
                  {"region": "buttock", "side": "left", "sensation": "pain", "intensity": 6}]},
    {"type": "PainRated", "observed_at": "2026-02-02T08:01", "leg": 6, "back": 2,
     "entry_id": "00000000-0000-4000-8000-000000000001", "note": "=SUM(A1:A9), \"quoted\"\nline two"},
    {"type": "EntryCorrected", "observed_at": "2026-02-03", "target": "00000000-0000-4000-8000-000000000001",
     "replacement": {"leg": 5, "back": 2}, "reason": "typo"},
    {"type": "ForwardBendTested", "observed_at": "2026-02-03", "fingertip_to_floor_cm": -5, "extent": None},
    {"type": "RedFlagsChecked", "observed_at": "2026-02-03", "present": ["fever_or_unwell", "cancer_history"]},
]


@pytest.fixture
def csv_rows(tmp_path: Path) -> list[dict[str, str]]:
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in LINES) + "\n", encoding="utf-8")
    journal = tmp_path / "j.sciatica"
    assert main(["import", str(journal), str(src)]) == 0
    out = tmp_path / "out.csv"
    assert main(["export", str(journal), "--csv", str(out)]) == 0
    raw = out.read_bytes()
    assert b"\r\n" in raw and not raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        return list(reader)


def test_one_row_per_entry_with_the_documented_columns(csv_rows: list[dict[str, str]]) -> None:
    assert [r["type"] for r in csv_rows] == [x["type"] for x in LINES]
    assert all(re.fullmatch(r"[0-9a-f-]{36}", r["entry_id"]) for r in csv_rows)
    documented = Path(__file__).parents[2].joinpath("docs", "csv-columns.md").read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in documented


def test_fields_are_flattened_and_unicode_survives(csv_rows: list[dict[str, str]]) -> None:
    started, symptoms, pain, correction, bend, flags = csv_rows
    assert started["patient"] == "Zoë Ångström"
    assert symptoms["symptoms"] == "calf/left/tingling/4; buttock/left/pain/6"
    assert pain["leg"] == "6" and pain["superseded"] == "yes"
    assert pain["corrected_by"] == correction["entry_id"]
    assert correction["target"] == pain["entry_id"] and correction["leg"] == "5"
    assert bend["fingertip_to_floor_cm"] == "-5"  # a number, not escaped as a formula
    assert flags["present"] == "fever_or_unwell; cancer_history"


def test_text_that_looks_like_a_formula_is_neutralised(csv_rows: list[dict[str, str]]) -> None:
    assert csv_rows[2]["note"] == "'=SUM(A1:A9), \"quoted\"\nline two"
