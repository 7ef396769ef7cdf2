"""Shared fixtures: real journal files in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from domain.application import JournalApp

# Hypothesis's speed checks time the machine, not the code: a 2-core CI runner or a busy
# workstation trips them at random. Every property's assertions and example counts stay.
settings.register_profile("project", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("project")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--long", action="store_true", default=False,
                     help="run the torture tests with many more iterations")


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Start-up checkpoints (desktop.session.checkpoint) go to the test's own folder, never the user's."""
    monkeypatch.setenv("SCIATICA_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sciatica"


@pytest.fixture
def journal(journal_path: Path) -> Iterator[JournalApp]:
    app = JournalApp.create(journal_path, patient="A. Patient", affected_side="left",
                            onset_date="2026-01-10", observed_at="2026-01-12T09:00")
    try:
        yield app
    finally:
        app.close()
