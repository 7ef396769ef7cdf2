"""``sciatica clinic caseload``'s outputs, read from the rows' stored forms without decoding a
row: the same bytes ``json.dumps`` would print, the same lines, the "not assigned" filter, and a
read model of an earlier shape derived again by ``init``."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from tests.clinic.test_caseload import _expected, _state, clinic

__all__ = ["clinic"]  # the fixture, shared with test_caseload


def _listing(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(["clinic", "caseload", *argv]) == 0
    return capsys.readouterr().out


def test_the_json_is_what_json_dumps_prints_with_each_row_in_row_to_json_order(
        clinic: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clinic", "serve-projections", "--once"]) == 0
    assert main(["clinic", "assign", "Journey flare", "--therapist", "Zoë \"Ana\" Silva"]) == 0
    out = _listing(capsys, "--json")
    listing = json.loads(out)
    # Byte for byte the output of the earlier code: json.dumps of the same object, indented.
    assert out == json.dumps(listing, indent=2, ensure_ascii=False) + "\n"
    assert list(listing) == ["schema", "therapist", "patients"]
    by_name = {r["name"]: r for r in listing["patients"]}
    for path in clinic:
        expected = _expected(path, "Zoë \"Ana\" Silva" if path.stem == "flare" else None)
        row = by_name[expected["name"]]
        assert row == expected and list(row) == list(expected)  # the keys in row_to_json's order
    # One therapist's: the filter as before.
    mine = json.loads(_listing(capsys, "--therapist", "Zoë \"Ana\" Silva", "--json"))
    assert mine["therapist"] == "Zoë \"Ana\" Silva"
    assert [r["name"] for r in mine["patients"]] == ["Journey flare"]
    # Nobody's: every patient but the assigned one, in the caseload's order.
    nobody = json.loads(_listing(capsys, "--unassigned", "--json"))
    assert [r["name"] for r in nobody["patients"]] == [r["name"] for r in listing["patients"]
                                                       if r["name"] != "Journey flare"]
    assert json.loads(_listing(capsys, "--therapist", "Nobody", "--json"))["patients"] == []


def test_the_listing_says_each_patient_in_one_line(clinic: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clinic", "serve-projections", "--once"]) == 0
    assert main(["clinic", "assign", "Journey flare", "--therapist", "Ana Silva"]) == 0
    rows = json.loads(_listing(capsys, "--json"))["patients"]
    lines = _listing(capsys).splitlines()
    assert lines == [f"{r['name']} ({r['therapist'] or 'not assigned'}): {r['reason']}" for r in rows]
    unassigned = _listing(capsys, "--unassigned").splitlines()
    assert unassigned == [line for line in lines if "(not assigned)" in line] and len(unassigned) == len(rows) - 1
    assert _listing(capsys, "--therapist", "Nobody") == "No patients in the caseload of Nobody\n"
    # One filter or the other: bad usage.
    assert main(["clinic", "caseload", "--unassigned", "--therapist", "Ana Silva"]) == 2
    assert "not allowed with argument --unassigned" in capsys.readouterr().err


def test_a_caseload_table_of_an_earlier_shape_is_refused_then_derived_again_by_init(
        clinic: list[Path], clinic_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clinic", "serve-projections", "--once"]) == 0
    with psycopg.connect(clinic_db, autocommit=True) as conn:  # the shape before the --json forms
        conn.execute("ALTER TABLE clinic_caseload DROP COLUMN document_head, DROP COLUMN document_tail, "
                     "DROP COLUMN name, DROP COLUMN reason")
    capsys.readouterr()
    assert main(["clinic", "serve-projections", "--once"]) == 2
    assert "run `sciatica clinic init` once" in capsys.readouterr().err
    assert main(["clinic", "init"]) == 0
    tracked, head, applied = _state(clinic_db)
    assert tracked == head and all(done == stored for done, stored in applied.values())
    assert len(json.loads(_listing(capsys, "--json"))["patients"]) == len(clinic)
