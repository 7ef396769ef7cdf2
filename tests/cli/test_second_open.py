"""A journal is written by one process at a time: while another program holds it, a write is
refused clearly and nothing changes; reading and copying still work."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.application import JournalApp
from tests.cli.helpers import PYTHON, ROOT, START, assert_one_clear_sentence, run, sha, write_lines

HOLDER = """
import sys
from domain.application import JournalApp
app = JournalApp.open(sys.argv[1])
app.add_note("2026-01-13", "written by the other program")
print("ready", flush=True)
sys.stdin.read()  # hold the journal until the test closes our stdin
app.close()
"""


@pytest.fixture
def held_journal(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "journal.sciatica"
    JournalApp.create(path, patient="A. Patient", affected_side="left", onset_date="2026-01-10").close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen([str(PYTHON), "-c", HOLDER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready", holder.stderr
        yield path
    finally:
        holder.communicate(timeout=30)
        assert holder.returncode == 0


def test_an_import_is_refused_while_another_program_has_the_journal_open(
        capsys: pytest.CaptureFixture[str], held_journal: Path, tmp_path: Path) -> None:
    before = sha(held_journal)
    events = write_lines(tmp_path / "events.jsonl", {"type": "NoteAdded", "observed_at": "2026-01-14", "text": "x"})
    result = run(capsys, "import", held_journal, events)
    assert result.code == 2
    assert_one_clear_sentence(result.err)
    assert "already open" in result.err and str(held_journal) in result.err
    assert sha(held_journal) == before


def test_the_lock_is_reported_before_the_lines_are_checked(
        capsys: pytest.CaptureFixture[str], held_journal: Path, tmp_path: Path) -> None:
    before = sha(held_journal)
    result = run(capsys, "import", held_journal, write_lines(tmp_path / "events.jsonl", START))
    assert result.code == 2
    assert "already open" in result.err
    assert sha(held_journal) == before


def test_reading_and_copying_work_while_another_program_has_it_open(
        capsys: pytest.CaptureFixture[str], held_journal: Path, tmp_path: Path) -> None:
    rows = json.loads(run(capsys, "history", held_journal, "--json").out)
    assert [r["type"] for r in rows] == ["JournalStarted", "NoteAdded"]
    copy = tmp_path / "copy.sciatica"
    assert run(capsys, "export", held_journal, "--copy", copy).code == 0
    assert run(capsys, "verify", copy).out.strip() == "2 entries verified"


def test_the_lock_is_released_when_the_other_program_closes(capsys: pytest.CaptureFixture[str],
                                                           tmp_path: Path) -> None:
    path = tmp_path / "journal.sciatica"
    JournalApp.create(path, patient="A. Patient", affected_side="left", onset_date="2026-01-10").close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([str(PYTHON), "-c", HOLDER, str(path)], input="", capture_output=True, text=True, env=env,
                   timeout=60, check=True)
    events = write_lines(tmp_path / "events.jsonl", {"type": "NoteAdded", "observed_at": "2026-01-14", "text": "x"})
    assert run(capsys, "import", path, events).code == 0
