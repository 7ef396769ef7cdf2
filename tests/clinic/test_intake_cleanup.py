"""No copy of a patient's journal is left behind by ``clinic add`` (or ``merge``): the snapshot
each copy is read from lives in a private folder in memory, removed after the read, and also
when the process reading it is killed (by the next read, or by the worker itself when its add
is gone)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.merging import (
    SNAPSHOT_PREFIX,
    STALE_SNAPSHOT_SECONDS,
    read_copy_log,
    remove_own_snapshots,
    remove_stale_snapshots,
)
from domain.storage import inspect_file
from tests.clinic.helpers import all_leave, count_rows, journal, kill_add_when

DEAD_PID = 2**22 + 12345  # above Linux's largest process id: never alive


JOURNEYS = ("flare", "classic_recovery", "corrections", "exercises", "foot_drop", "less_often",
            "pins_and_needles", "red_flags", "back_rising")


def _add(files: list[Path], memory: Path) -> subprocess.Popen[bytes]:
    """``sciatica clinic add FILES`` in a process of its own, read by two workers whatever the
    size, its snapshots in MEMORY. (Each copy given many times: the workers read them one after
    the other for a while.)"""
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root), "SCIATICA_ADD_PARALLEL_MIN": "0", "SCIATICA_ADD_WORKERS": "2",
           "XDG_RUNTIME_DIR": str(memory)}
    return subprocess.Popen([sys.executable, "-m", "desktop", "clinic", "add", *map(str, files)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _start_add(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, subprocess.Popen[bytes]]:
    """A fresh clinic, and an add of 20 rounds of the journeys reading through its own memory
    folder (returned with the add's process)."""
    from desktop.cli import main

    assert main(["clinic", "init"]) == 0
    capsys.readouterr()
    memory = tmp_path / "run"
    memory.mkdir(mode=0o700)
    files = [journal(tmp_path, j) for j in JOURNEYS]
    return memory, _add(files * 20, memory)


def _folder(root: Path, pid: int, *, age: float = 0.0) -> Path:
    folder = root / f"{SNAPSHOT_PREFIX}{pid}-x{len(list(root.iterdir()))}"
    folder.mkdir()
    (folder / "patient.sciatica").write_bytes(b"a patient's journal")
    if age:
        then = time.time() - age
        os.utime(folder, (then, then))
    return folder


def test_stale_snapshots_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    dead = _folder(tmp_path, DEAD_PID)
    parent = os.getppid()  # alive while this test runs
    live = _folder(tmp_path, parent)
    old = _folder(tmp_path, parent, age=STALE_SNAPSHOT_SECONDS + 60)  # its id may belong to another process now
    mine = _folder(tmp_path, os.getpid())
    unnamed = tmp_path / f"{SNAPSHOT_PREFIX}not-a-pid"
    unnamed.mkdir()
    stray_file = tmp_path / f"{SNAPSHOT_PREFIX}{DEAD_PID}-file"
    stray_file.write_text("not a folder", encoding="utf-8")
    assert sorted(remove_stale_snapshots(tmp_path)) == sorted([dead, old])
    assert not dead.exists() and not old.exists()
    assert live.exists() and mine.exists() and unnamed.exists() and stray_file.exists()
    # A process leaving in the middle of a read removes its own, and only its own
    assert remove_own_snapshots(tmp_path) == [mine]
    assert not mine.exists() and live.exists()


def test_a_read_removes_its_snapshot_and_those_killed_readers_left(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    memory = tmp_path / "run"
    memory.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(memory))  # (domain.merging.memory_folder's first choice)
    left = _folder(memory, DEAD_PID)
    path = journal(tmp_path, "flare")
    journal_id = inspect_file(path).journal_id
    assert journal_id is not None
    assert read_copy_log(path, journal_id, with_rows=True).entries
    assert list(memory.iterdir()) == []
    assert not left.exists()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_workers_of_a_killed_add_leave_no_snapshot_behind(clinic_db: str, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    memory, adding = _start_add(tmp_path, capsys)
    seen: set[str] = set()

    def reading(workers: set[int]) -> bool:  # the fork server, its workers, and a copy being read
        seen.update(p.name for p in memory.glob(f"{SNAPSHOT_PREFIX}*"))
        return len(workers) >= 3 and bool(seen)

    workers = kill_add_when(adding, reading)
    assert seen, "no snapshot was seen while the workers read"
    assert all_leave(workers)
    # No copy of any patient's journal is left in memory
    assert list(memory.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads the process tree from /proc")
def test_a_worker_killed_mid_read_leaves_no_snapshot_and_nothing_added(clinic_db: str, tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    memory, adding = _start_add(tmp_path, capsys)
    killed = None
    try:
        deadline = time.monotonic() + 120
        while killed is None and time.monotonic() < deadline and adding.poll() is None:
            for folder in memory.glob(f"{SNAPSHOT_PREFIX}*"):  # named for the worker reading from it
                killed = int(folder.name.removeprefix(SNAPSHOT_PREFIX).split("-", 1)[0])
                os.kill(killed, signal.SIGKILL)
                break
            time.sleep(0.002)
        _, err = adding.communicate(timeout=60)
    finally:
        if adding.poll() is None:
            adding.kill()
    assert killed is not None, "no snapshot was seen while the workers read"
    assert adding.returncode != 0
    assert b"a process reading the copies stopped; nothing was added" in err
    assert count_rows(clinic_db, "clinic_events") == 0
    assert list(memory.iterdir()) == []
