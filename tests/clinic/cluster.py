"""A throwaway PostgreSQL cluster for the clinic tests and the clinic benchmark.

``pytest-postgresql``'s process fixture refuses to run as root, and CI runs as root: so this
starts the server itself, as the ``postgres`` user when run as root (``initdb`` in a temporary
folder it owns, ``pg_ctl -w start`` on a spare port, about a second), with password
authentication so the clinic code's PGPASSWORD / ~/.pgpass path is the one exercised.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def find_bindir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``: ``pg_config --bindir``, else Debian's
    /usr/lib/postgresql/*/bin (newest first); None when there is no PostgreSQL server."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            candidates.append(Path(out.stdout.strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster: connect with ``url`` and PGPASSWORD=``password``."""

    bindir: Path
    folder: Path
    port: int
    user: str
    password: str

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/postgres?sslmode=disable"

    def stop(self) -> None:
        _as_owner([str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate",
                   "-w", "stop"], check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def _as_owner(argv: list[str], *, check: bool = True) -> subprocess.CompletedProcess[str]:
    # The server refuses to run as root: run it as the postgres user.
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    return subprocess.run(argv, capture_output=True, text=True, check=check)


def start_cluster(bindir: Path) -> Cluster:
    """initdb + pg_ctl start on a spare port; raises CalledProcessError with the server's words."""
    folder = Path(tempfile.mkdtemp(prefix="sciatica-pg-"))
    password = secrets.token_urlsafe(16)
    user = "clinic_admin"
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n", encoding="utf-8")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(pwfile, "postgres", "postgres")
    folder.chmod(0o700)
    try:
        _as_owner([str(bindir / "initdb"), "-D", str(folder / "data"), "-U", user, f"--pwfile={pwfile}",
                   "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        pwfile.unlink()
        port = spare_port()
        options = (f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        _as_owner([str(bindir / "pg_ctl"), "-D", str(folder / "data"), "-o", options,
                   "-l", str(folder / "log"), "-w", "-t", "30", "start"])
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _watch(bindir, folder, os.getpid())
    return Cluster(bindir, folder, port, user, password)


def _watch(bindir: Path, folder: Path, owner: int) -> None:
    """Stop the cluster when OWNER (the test or benchmark process) is gone, however it ended:
    a run killed by a timeout never reaches its teardown, and would leave a server behind."""
    data = folder / "data"
    stop = f"runuser -u postgres -- {bindir / 'pg_ctl'}" if os.geteuid() == 0 else str(bindir / "pg_ctl")
    script = (f"while kill -0 {owner} 2>/dev/null && [ -d '{data}' ]; do sleep 2; done; "
              f"[ -d '{data}' ] && {stop} -D '{data}' -m immediate -w stop >/dev/null 2>&1; "
              f"rm -rf '{folder}'")
    subprocess.Popen(["sh", "-c", script], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
