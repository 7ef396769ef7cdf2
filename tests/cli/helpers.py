"""Helpers for driving ``sciatica`` on real files."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv" / "bin" / "python"
if not PYTHON.exists():  # e.g. a CI runner that installed into its own interpreter
    PYTHON = Path(sys.executable)

START = {"type": "JournalStarted", "observed_at": "2026-01-12T09:00", "patient": "A. Patient",
         "affected_side": "left", "onset_date": "2026-01-10"}
PAIN_ID = "6f1c3c6e-1f38-4d7e-9a43-2f4b0b1c0a11"
PAIN = {"type": "PainRated", "entry_id": PAIN_ID, "observed_at": "2026-01-13T08:00", "leg": 6, "back": 2}


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> Result:
    capsys.readouterr()
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_lines(path: Path, *objects: Any) -> Path:
    text = "".join((x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in objects)
    path.write_text(text, encoding="utf-8")
    return path


def siblings(path: Path) -> list[Path]:
    """PATH and the files SQLite may keep beside it."""
    return [p for p in (Path(f"{path}{s}") for s in ("", "-wal", "-shm", "-journal")) if p.exists()]


def assert_one_clear_sentence(err: str) -> None:
    assert "Traceback" not in err
    assert err.strip(), "expected a message on stderr"
    assert len(err.strip().splitlines()) == 1, err
