"""The headless commands on real files: a patient's journal from `new` to `verify`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from domain.application import JournalApp
from tests.cli.helpers import PAIN, PAIN_ID, PYTHON, ROOT, START, run, sha, siblings, write_lines

CORRECTION = {"type": "EntryCorrected", "observed_at": "2026-01-14T10:00", "target": PAIN_ID,
              "replacement": {"type": "PainRated", "leg": 5, "back": 2}, "reason": "typed the wrong number"}
SYMPTOMS_ID = "0b7d3a52-8f5e-4a43-b5a1-3c2d9e8f7a60"
SYMPTOMS = {"type": "SymptomsRecorded", "entry_id": SYMPTOMS_ID, "observed_at": "2026-01-13",
            "symptoms": [{"region": "calf", "side": "left", "sensation": "tingling", "intensity": 4}],
            "context": "sitting", "note": "after the drive"}
RETRACTION = {"type": "EntryRetracted", "observed_at": "2026-01-14", "target": SYMPTOMS_ID, "reason": "entered twice"}


def test_new_creates_a_journal_that_verifies(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "mine.sciatica"
    result = run(capsys, "new", path, "--patient", "A. Patient", "--side", "both", "--onset", "2026-01-10")
    assert (result.code, result.out.strip(), result.err) == (0, f"Created {path}", "")

    assert run(capsys, "verify", path).out.strip() == "1 entries verified"
    rows = json.loads(run(capsys, "history", path, "--json").out)
    assert [(r["type"], r["author"]) for r in rows] == [("JournalStarted", {"role": "patient", "name": "A. Patient"})]
    with JournalApp.open(path) as app:
        assert (app.identity.patient, app.identity.affected_side, str(app.identity.onset_date)) == \
            ("A. Patient", "both", "2026-01-10")


def test_new_refuses_to_overwrite_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "taken.sciatica"
    path.write_text("my shopping list\n")
    before = sha(path)
    result = run(capsys, "new", path, "--patient", "A", "--side", "left", "--onset", "2026-01-10")
    assert result.code == 2
    assert result.err.strip() == f"{path}: a file with that name already exists"
    assert sha(path) == before


@pytest.mark.parametrize(("args", "message"), [
    (["--patient", "A", "--side", "left", "--onset", "10/01/2026"],
     "--onset must be a date like 2026-03-01, got '10/01/2026'"),
    (["--patient", " ", "--side", "left", "--onset", "2026-01-10"], "patient name must not be empty"),
    (["--patient", "A", "--side", "center", "--onset", "2026-01-10"], "argument --side: invalid choice: 'center'"),
])
def test_new_with_bad_details_leaves_no_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str],
                                             message: str) -> None:
    path = tmp_path / "mine.sciatica"
    result = run(capsys, "new", path, *args)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.err
    assert siblings(path) == []


def test_import_export_and_history_tell_the_same_story(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Start a journal from an import file, then append a second batch.
    journal = tmp_path / "journal.sciatica"
    first = write_lines(tmp_path / "first.jsonl", START, PAIN, SYMPTOMS)
    result = run(capsys, "import", journal, first)
    assert (result.code, result.out.strip()) == (0, f"Imported 3 entries into {journal}")
    second = write_lines(tmp_path / "second.jsonl", "", CORRECTION, RETRACTION, "")
    assert run(capsys, "import", journal, second).out.strip() == f"Imported 2 entries into {journal}"

    # The audit trail shows who changed what.
    rows = json.loads(run(capsys, "history", journal, "--json").out)
    assert [r["type"] for r in rows] == ["JournalStarted", "PainRated", "SymptomsRecorded", "EntryCorrected",
                                         "EntryRetracted"]
    by_id = {r["entry_id"]: r for r in rows}
    assert by_id[PAIN_ID]["corrected_by"] == [rows[3]["entry_id"]]
    assert by_id[SYMPTOMS_ID]["retracted_by"] == [rows[4]["entry_id"]]
    assert by_id[SYMPTOMS_ID]["note"] == "after the drive"
    text = run(capsys, "history", journal)
    assert text.code == 0 and len(text.out.strip().splitlines()) == 5
    assert "corrected by" in text.out and PAIN_ID in text.out

    # Export to a file and to stdout: the same lines, keeping ids and recorded times.
    out = tmp_path / "export.jsonl"
    result = run(capsys, "export", journal, "--jsonl", out)
    assert (result.code, result.err.strip()) == (0, f"Wrote 5 entries to {out}")
    exported = out.read_text(encoding="utf-8")
    assert run(capsys, "export", journal, "--jsonl", "-").out == exported
    objects = [json.loads(line) for line in exported.splitlines()]
    assert [o["entry_id"] for o in objects[1:3]] == [PAIN_ID, SYMPTOMS_ID]
    assert objects[3]["replacement"] == {"type": "PainRated", "observed_at": "2026-01-13T08:00:00", "leg": 5,
                                         "back": 2, "share_of_day_percent": None, "episodes": None, "note": None}
    assert [o["recorded_at"] for o in objects] == [r["recorded_at"] for r in rows]

    # Importing the export into a new file reproduces it byte for byte, history included.
    copy = tmp_path / "again.sciatica"
    assert run(capsys, "import", copy, out).code == 0
    assert run(capsys, "export", copy, "--jsonl", tmp_path / "again.jsonl").code == 0
    assert (tmp_path / "again.jsonl").read_bytes() == out.read_bytes()
    assert json.loads(run(capsys, "history", copy, "--json").out) == rows
    assert run(capsys, "verify", copy).out.strip() == "5 entries verified"


def test_an_export_replaces_an_older_export_and_leaves_no_partial_file(capsys: pytest.CaptureFixture[str],
                                                                        journal: JournalApp,
                                                                        journal_path: Path, tmp_path: Path) -> None:
    journal.rate_pain("2026-01-13", leg=3)
    journal.close()
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    assert run(capsys, "export", journal_path, "--jsonl", out).code == 0
    assert len(out.read_text().splitlines()) == 2
    assert not (tmp_path / "out.jsonl.part").exists()


def test_a_copy_made_while_the_journal_is_open_holds_every_saved_entry(
        capsys: pytest.CaptureFixture[str], journal: JournalApp, tmp_path: Path) -> None:
    # The journal stays open (the fixture holds it) while entries are saved and copied.
    ids = [journal.rate_pain(f"2026-01-{day}", leg=day % 10) for day in range(13, 20)]
    copy = tmp_path / "for-therapist.sciatica"
    result = run(capsys, "export", journal.path, "--copy", copy)
    assert (result.code, result.err) == (0, "")

    # The copy is a complete, valid journal in one file, usable by the other commands.
    assert siblings(copy) == [copy]
    assert run(capsys, "verify", copy).out.strip() == "8 entries verified"
    assert [r["entry_id"] for r in json.loads(run(capsys, "history", copy, "--json").out)][1:] == [str(i) for i in ids]
    with JournalApp.open(copy) as opened:
        assert opened.entries() == journal.entries()
        assert opened.journal_id == journal.journal_id

    # Copying onto an existing file is refused and leaves it alone.
    before = sha(copy)
    refused = run(capsys, "export", journal.path, "--copy", copy)
    assert refused.code == 2 and "already exists" in refused.err
    assert sha(copy) == before


def test_the_console_entry_point_runs_as_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}

    def sciatica(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(PYTHON), "-m", "desktop", *map(str, args)], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=60, check=False)

    journal = tmp_path / "journal.sciatica"
    created = sciatica("new", journal, "--patient", "A. Patient", "--side", "left", "--onset", "2026-01-10")
    assert created.returncode == 0, created.stderr
    events = write_lines(tmp_path / "events.jsonl", PAIN, SYMPTOMS)
    imported = sciatica("import", journal, events)
    assert (imported.returncode, imported.stdout.strip()) == (0, f"Imported 2 entries into {journal}")
    history = sciatica("history", journal, "--json")
    assert [r["type"] for r in json.loads(history.stdout)] == ["JournalStarted", "PainRated", "SymptomsRecorded"]
    verified = sciatica("verify", journal)
    assert (verified.returncode, verified.stdout.strip()) == (0, "3 entries verified")

    before = sha(journal)
    bad = sciatica("import", journal, write_lines(tmp_path / "bad.jsonl", {**PAIN, "entry_id": None, "leg": 12}))
    assert bad.returncode == 2
    assert bad.stderr.strip() == f"{tmp_path / 'bad.jsonl'}:1: leg: leg pain must be 0–10, got 12"
    assert sha(journal) == before


def test_verify_names_the_first_entry_changed_outside_the_app(capsys: pytest.CaptureFixture[str],
                                                             journal: JournalApp, journal_path: Path) -> None:
    journal.rate_pain("2026-01-13", leg=6)
    journal.rate_pain("2026-01-14", leg=5)
    journal.close()
    with closing(sqlite3.connect(journal_path)) as conn, conn:
        conn.execute("UPDATE stored_events SET state = replace(state, '\"leg\":6', '\"leg\":2') WHERE rowid = 2")
    result = run(capsys, "verify", journal_path)
    assert result.code == 1
    assert result.err.startswith(f"{journal_path}: entry 2 (PainRated, observed 2026-01-13) ")
    assert "Traceback" not in result.err
