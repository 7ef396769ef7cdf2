"""The benchmark journal generator and the benchmark command's JSON contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate import generate, write
from benchmarks.harness import STABLE_KEYS
from desktop.cli import main as cli_main
from domain.events import EVENT_TYPES

ROOT = Path(__file__).resolve().parents[2]
DAYS = 90
YEARS = DAYS / 365.25


def test_a_90_day_journal_imports_cleanly_and_holds_every_event_type(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    entries = generate(YEARS, seed=3)
    jsonl = tmp_path / "events.jsonl"
    assert write(entries, jsonl) == len(entries)

    assert cli_main(["import", str(tmp_path / "j.sciatica"), str(jsonl)]) == 0
    assert f"Imported {len(entries)} entries" in capsys.readouterr().out

    types = Counter(e["type"] for e in entries)
    assert set(types) == set(EVENT_TYPES), set(EVENT_TYPES) - set(types)
    assert 8 <= len(entries) / DAYS <= 12
    assert entries[0]["type"] == "JournalStarted"
    assert all("entry_id" in e and "recorded_at" in e for e in entries)
    # Lines are in recorded order, as the app would have stored them.
    recorded = [e["recorded_at"] for e in entries]
    assert recorded == sorted(recorded)


def test_the_generator_is_deterministic_for_a_seed() -> None:
    assert generate(YEARS, seed=5) == generate(YEARS, seed=5)
    assert generate(YEARS, seed=5) != generate(YEARS, seed=6)


def test_the_benchmark_command_prints_one_json_object_with_every_stable_key(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SCIATICA_BENCH_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--years", "0.05", "--json", "--runs", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    for key in STABLE_KEYS:
        assert key in report
        assert report[key] is None or isinstance(report[key], int | float)
        if report[key] is None:
            assert key in report["notes"], f"{key} is null without a reason"
    # The headless figures do not depend on the desktop: they are always measured.
    for key in ("open_ratio", "open_s", "import_events_per_s", "verify_events_per_s", "record_p95_ms"):
        assert report[key] is not None, report["notes"].get(key)
