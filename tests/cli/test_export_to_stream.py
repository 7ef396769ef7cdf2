"""Exports written to a stream (a pipe, ``/dev/stdout``, ``/dev/null``): straight to it, never
read first (which would wait forever) nor replaced by a renamed file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main

JOURNAL = [
    {"type": "JournalStarted", "observed_at": "2026-01-01", "patient": "A. Patient",
     "affected_side": "left", "onset_date": "2026-01-01"},
    {"type": "PainRated", "observed_at": "2026-01-02", "leg": 4, "back": 2},
]


def _journal(tmp_path: Path) -> Path:
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in JOURNAL), encoding="utf-8")
    path = tmp_path / "j.sciatica"
    assert main(["import", str(path), str(events)]) == 0
    return path


@pytest.mark.parametrize("kind", ["--jsonl", "--csv", "--fhir"])
def test_an_export_to_dev_stdout_goes_down_the_pipe(tmp_path: Path, kind: str) -> None:
    journal = _journal(tmp_path)
    done = subprocess.run([sys.executable, "-m", "desktop", "export", str(journal), kind, "/dev/stdout"],
                          capture_output=True, timeout=60, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    if kind == "--jsonl":
        assert [json.loads(line)["type"] for line in text.splitlines()] == ["JournalStarted", "PainRated"]
    elif kind == "--fhir":
        assert json.loads(text)["resourceType"] == "Bundle"
    else:
        assert text.splitlines()[0].count(",") > 1 and "Wrote" not in text
    assert b"Wrote" in done.stderr


def test_an_export_to_dev_null_leaves_it_a_device(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    assert main(["export", str(journal), "--jsonl", "/dev/null"]) == 0
    assert Path("/dev/null").is_char_device()


def test_a_journal_copy_is_never_written_to_a_stream(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = _journal(tmp_path)
    assert main(["export", str(journal), "--copy", "/dev/null"]) == 2
    assert "/dev/null" in capsys.readouterr().err
