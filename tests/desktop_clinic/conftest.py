"""Fixtures for the desktop's clinic mode: isolated settings (from tests/desktop), captured
message boxes, and a real PostgreSQL (CLINIC's fixture from tests/clinic, reused as it is)."""

from __future__ import annotations

from tests.clinic.conftest import clinic_db, pg_server  # noqa: F401  (a real PostgreSQL per test)
from tests.desktop.conftest import isolated_settings  # noqa: F401  (autouse: settings in tmp_path)
from tests.desktop_sharing.conftest import boxes, window_factory  # noqa: F401  (no blocking boxes)
