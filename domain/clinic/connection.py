"""From a libpq URL to eventsourcing's PostgreSQL settings, keeping the password out of sight.

The URL comes from ``--db`` or ``SCIATICA_CLINIC_DB``. A password written in it would sit on a
command line (visible to every user in ``ps``) or in a log line, so such a URL is refused; libpq
takes the password from ``PGPASSWORD`` or ``~/.pgpass`` itself (nothing of ours reads it). Every
other libpq parameter of the URL (``sslmode``, ``sslrootcert``, ``application_name``, …) is
passed to each connection as it is, so ``sslmode=verify-full`` is honoured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.errors import JournalError

ENV_URL = "SCIATICA_CLINIC_DB"

#: The keys eventsourcing's factory reads itself (``POSTGRES_*``); everything else of the URL
#: goes to libpq through the connection pool's ``kwargs``.
_OWN_KEYS = ("dbname", "host", "port", "user")


class ClinicError(JournalError):
    """Something about the clinic store, in one sentence a person can act on."""


@dataclass(frozen=True)
class ClinicConnection:
    """Where the clinic store is: the URL's parts, never a password."""

    dbname: str
    host: str
    port: str
    user: str
    libpq: Mapping[str, str] = field(default_factory=dict)  # sslmode and the rest

    @classmethod
    def from_url(cls, url: str | None) -> ClinicConnection:
        """Parse URL (None: ``SCIATICA_CLINIC_DB``). ClinicError for no URL, a malformed one or
        one that holds a password."""
        from psycopg.conninfo import conninfo_to_dict

        url = url or os.environ.get(ENV_URL, "")
        if not url.strip():
            raise ClinicError(f"no clinic database given: pass --db URL or set {ENV_URL} "
                              "(e.g. postgresql://therapist@clinic-server/sciatica?sslmode=verify-full)")
        try:
            params = {k: str(v) for k, v in conninfo_to_dict(url).items() if v is not None}
        except Exception:
            # The URL is not echoed: it may hold a password.
            raise ClinicError("the clinic database URL cannot be read; expected "
                              "postgresql://USER@HOST[:PORT]/DBNAME[?sslmode=...]") from None
        if params.pop("password", None):
            raise ClinicError("the clinic database URL holds a password; remove it and give the password "
                              "in PGPASSWORD or ~/.pgpass instead (a URL can end up in a shell history, "
                              "a process list or a log)")
        user = params.pop("user", "") or os.environ.get("PGUSER", "") or _login_name()
        return cls(dbname=params.pop("dbname", "") or os.environ.get("PGDATABASE", "") or user,
                   # Empty: libpq's default (the local socket), as psql does.
                   host=params.pop("host", "") or os.environ.get("PGHOST", ""),
                   port=params.pop("port", "") or os.environ.get("PGPORT", "") or "5432",
                   user=user, libpq=params)

    def env(self, *, create_table: bool = False, pool_size: int = 2) -> dict[str, str]:
        """eventsourcing's factory settings. CREATE_TABLE is false but in ``clinic init``: the
        library's create step races when several processes run it at once."""
        from domain.clinic.infrastructure import FACTORY_TOPIC, LIBPQ_KEY

        return {
            # eventsourcing's PostgresFactory, giving each connection the URL's libpq parameters.
            "PERSISTENCE_MODULE": FACTORY_TOPIC,
            LIBPQ_KEY: self.libpq_conninfo(),
            "POSTGRES_DBNAME": self.dbname,
            "POSTGRES_HOST": self.host,
            "POSTGRES_PORT": self.port,
            "POSTGRES_USER": self.user,
            # Required by the factory; removed from each connection's parameters (ClinicFactory),
            # so libpq reads PGPASSWORD or ~/.pgpass.
            "POSTGRES_PASSWORD": "",
            "POSTGRES_POOL_SIZE": str(pool_size),
            "POSTGRES_MAX_OVERFLOW": "2",
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "0",
            "CREATE_TABLE": "true" if create_table else "false",
            "IS_SNAPSHOTTING_ENABLED": "n",
            "COMPRESSOR_TOPIC": "",
            "CIPHER_TOPIC": "",
        }

    def libpq_conninfo(self) -> str:
        """The URL's other libpq parameters (sslmode, …) as a conninfo string."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(**dict(self.libpq)) if self.libpq else ""

    def conninfo(self) -> str:
        """A libpq conninfo string for a plain psycopg connection (no password in it)."""
        from psycopg.conninfo import make_conninfo

        return make_conninfo(dbname=self.dbname, host=self.host, port=self.port, user=self.user,
                             **dict(self.libpq))

    def describe(self) -> str:
        """Where, for messages: user@host:port/dbname (no password: there is none)."""
        return f"{self.user}@{self.host or 'local socket'}:{self.port}/{self.dbname}"


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "postgres"
