"""Fixtures for the desktop's clinic mode: isolated settings (from tests/desktop), captured
message boxes, a real PostgreSQL (CLINIC's fixture from tests/clinic, reused as it is) and
the caseload view."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from desktop.views.caseload import CaseloadView
from domain.clinic import review_folders
from tests.clinic.conftest import clinic_db, pg_server  # noqa: F401  (a real PostgreSQL per test)
from tests.desktop.conftest import isolated_settings  # noqa: F401  (autouse: settings in tmp_path)
from tests.desktop_sharing.conftest import boxes, window_factory  # noqa: F401  (no blocking boxes)


@pytest.fixture(autouse=True)
def _review_folders_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Review copies made, and swept on connecting, in this test's own runtime folder, never in
    this machine's /dev/shm, where other runs' copies come and go."""
    run = tmp_path / "review-run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.setattr(review_folders, "roots", lambda: [run])


@pytest.fixture
def view(qtbot: Any) -> CaseloadView:
    """The caseload view, shown at a size that fits every column."""
    shown = CaseloadView()
    qtbot.addWidget(shown)
    shown.resize(1000, 600)
    shown.show()
    return shown
