"""Fixtures of the start-up checkpoint's tests, imported by each module that needs them (the
autouse one must not reach every desktop test): checkpoints kept for a short journal, the
classic journey as a journal, and a checkpoint store in the test's folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main as cli_main
from desktop.session import CheckpointStore
from desktop.session import checkpoint as checkpoint_module

JOURNEY = Path(__file__).resolve().parents[1] / "journeys" / "classic_recovery.jsonl"
ENTRIES = 346  # in JOURNEY


@pytest.fixture(autouse=True)
def checkpoints_for_short_journals(monkeypatch: pytest.MonkeyPatch) -> None:
    """The journey has 346 entries; the app keeps checkpoints from MIN_ENTRIES (1,000) on."""
    monkeypatch.setattr(checkpoint_module, "MIN_ENTRIES", 1)


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "classic.sciatica"
    assert cli_main(["import", str(path), str(JOURNEY)]) == 0
    return path


@pytest.fixture
def store(tmp_path: Path) -> CheckpointStore:
    return CheckpointStore(tmp_path / "cache")
