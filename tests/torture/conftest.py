"""Sizing for the torture tests: a short default run, many more iterations with ``--long``."""

from __future__ import annotations

import pytest


@pytest.fixture
def long_run(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--long"))
