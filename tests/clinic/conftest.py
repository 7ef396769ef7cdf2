"""A real PostgreSQL for the clinic tests (issue 20).

``SCIATICA_TEST_PG`` (a libpq URL of a server to use, password in PGPASSWORD) or else a
throwaway cluster started here for the session (``tests/clinic/cluster.py``) and stopped after.
Each test gets its own database, created fresh. Without PostgreSQL server binaries the clinic
tests are skipped with the reason, except in CI (CI=true), where that is a failure: .ci/run
installs Debian's ``postgresql``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from desktop.cli import main
from domain.clinic import ClinicStore
from tests.clinic.cluster import Cluster, find_bindir, start_cluster


@dataclass
class Server:
    url: str  # libpq URL of the maintenance database, no password
    password: str

    def url_for(self, dbname: str, user: str | None = None) -> str:
        base, _, query = self.url.partition("?")
        head, _, _ = base.rpartition("/")
        if user is not None:
            scheme, _, rest = head.partition("://")
            head = f"{scheme}://{user}@{rest.split('@', 1)[-1]}"
        return f"{head}/{dbname}" + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Server]:
    given = os.environ.get("SCIATICA_TEST_PG")
    if given:
        yield Server(given, os.environ.get("PGPASSWORD", ""))
        return
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI has no PostgreSQL server binaries: .ci/run must install Debian's postgresql")
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) here: install Debian's postgresql "
                    "or set SCIATICA_TEST_PG to a server's libpq URL")
    cluster: Cluster = start_cluster(bindir)
    try:
        yield Server(cluster.url, cluster.password)
    finally:
        cluster.stop()


@pytest.fixture
def clinic_db(pg_server: Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh, empty database's URL (password in PGPASSWORD; SCIATICA_CLINIC_DB set to it)."""
    monkeypatch.setenv("PGPASSWORD", pg_server.password)
    name = f"clinic_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server.url, autocommit=True, password=pg_server.password) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_server.url_for(name)
    monkeypatch.setenv("SCIATICA_CLINIC_DB", url)
    yield url
    with psycopg.connect(pg_server.url, autocommit=True, password=pg_server.password) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def journey() -> Path:
    return Path(__file__).resolve().parents[1] / "journeys" / "classic_recovery.jsonl"


@pytest.fixture
def store(clinic_db: str, capsys: pytest.CaptureFixture[str]) -> Iterator[ClinicStore]:
    """The clinic's store after ``sciatica clinic init``, connected."""
    assert main(["clinic", "init"]) == 0
    capsys.readouterr()
    with ClinicStore.connect(clinic_db) as connected:
        yield connected
