"""Fixtures for the outcome measures on the desktop: isolated settings and captured message
boxes (from tests/desktop), a session pinned to a day, a journal with assignments."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from desktop.app import QtSession
from desktop.session import JournalSession
from domain.application import JournalApp
from tests.desktop.conftest import isolated_settings, messages  # noqa: F401  (autouse / fixtures)

THERAPIST = "Dr. Ada Physio"
TODAY = date(2026, 1, 20)
ACTIVITIES = ["walking to the shops", "putting on socks", "sitting through a meal"]


@pytest.fixture
def assigned(journal: JournalApp) -> JournalApp:
    """SBI every week and PSFS every two weeks, assigned on 15 Jan (the journal starts 12 Jan)."""
    journal.assign_measure(THERAPIST, "sbi", every_days=7, observed_at="2026-01-15T10:00")
    journal.assign_measure(THERAPIST, "psfs", every_days=14, activities=ACTIVITIES,
                           observed_at="2026-01-15T10:05")
    return journal


@pytest.fixture
def session(assigned: JournalApp) -> Iterator[QtSession]:
    core = JournalSession(assigned)
    core.as_of = TODAY
    s = QtSession(core)
    yield s
    s._unsubscribe()
