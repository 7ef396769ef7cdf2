"""Journals for the clinic tests, made through the CLI like a patient's own."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import closing, suppress
from pathlib import Path

from desktop.cli import main

JOURNEYS = Path(__file__).resolve().parents[1] / "journeys"


def journal(tmp_path: Path, journey: str = "flare", name: str | None = None) -> Path:
    path = tmp_path / f"{name or journey}.sciatica"
    assert main(["import", str(path), str(JOURNEYS / f"{journey}.jsonl")]) == 0
    return path


def tamper(path: Path) -> None:
    """Change one stored entry with a plain sqlite3 session (the chain no longer holds)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = 3").fetchone()
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 3",
                     (bytes(state).replace(b'"author_name":"', b'"author_name":"Someone else, not '),))


def count_rows(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        row = conn.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])


def push_at_once(copies: Sequence[Path]) -> list[BaseException]:
    """Push each review copy from its own connection at the same moment (the store from
    ``SCIATICA_CLINIC_DB``); the errors raised, none when every push landed."""
    from domain.clinic import ClinicStore, push_entries

    barrier = threading.Barrier(len(copies))
    errors: list[BaseException] = []

    def push(path: Path) -> None:
        with ClinicStore.connect(None) as own:
            barrier.wait()
            try:
                push_entries(own, path)
            except BaseException as exc:
                errors.append(exc)

    threads = [threading.Thread(target=push, args=(p,)) for p in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


# Processes (for the tests that kill a runner or an add and check its workers leave) ----

def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    pending = [pid]
    while pending:
        for task in Path(f"/proc/{pending.pop()}/task").glob("*"):
            with suppress(OSError):
                kids = {int(c) for c in (task / "children").read_text().split()}
                pending += kids - found
                found |= kids
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_add_when(adding: subprocess.Popen[bytes], ready: Callable[[set[int]], bool],
                  poll_s: float = 0.002) -> set[int]:
    """SIGKILL the add ADDING once READY(its process tree so far) says so (or it ends, or two
    minutes pass); return every process seen under it, for the test to check they all leave."""
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and adding.poll() is None:
            workers |= descendants(adding.pid)
            if ready(workers):
                break
            time.sleep(poll_s)
        adding.send_signal(signal.SIGKILL)
        adding.wait(timeout=30)
    finally:
        if adding.poll() is None:
            adding.kill()
    return workers


def all_leave(pids: set[int], within_s: float = 30) -> bool:
    deadline = time.monotonic() + within_s
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not any(alive(pid) for pid in pids)


def journal_rows(path: Path) -> list[tuple[str, str, bytes]]:
    """A journal file's stored rows (entry id, type, stored bytes), in log order."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return [(o, t, bytes(s)) for o, t, s in
                conn.execute("SELECT originator_id, topic, state FROM stored_events ORDER BY rowid")]
