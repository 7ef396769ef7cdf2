"""Fixtures for the desktop's clinic mode: isolated settings (from tests/desktop), captured
message boxes, a real PostgreSQL (CLINIC's fixture from tests/clinic, reused as it is) and
the caseload view."""

from __future__ import annotations

from typing import Any

import pytest

from desktop.views.caseload import CaseloadView
from tests.clinic.conftest import clinic_db, pg_server  # noqa: F401  (a real PostgreSQL per test)
from tests.desktop.conftest import isolated_settings  # noqa: F401  (autouse: settings in tmp_path)
from tests.desktop_sharing.conftest import boxes, window_factory  # noqa: F401  (no blocking boxes)


@pytest.fixture
def view(qtbot: Any) -> CaseloadView:
    """The caseload view, shown at a size that fits every column."""
    shown = CaseloadView()
    qtbot.addWidget(shown)
    shown.resize(1000, 600)
    shown.show()
    return shown
