"""Review copies' private folders (``domain.clinic.review_folders``): a patient's health data in a
temporary folder is removed when its copy closes, when the process ends by an error, and, when
the process died without either, by the next clinic session's sweep (its owner lock is gone)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.clinic import review_folders
from domain.clinic.review_folders import (
    OWNER,
    REVIEW_PREFIX,
    SWEEP_AFTER_S,
    UNOWNED_AFTER_S,
    discard,
    new_folder,
    sweep,
)

LATER = SWEEP_AFTER_S + 60  # seconds: every folder made now is then old enough to be swept

_OWNER = """
import sys
from domain.clinic.review_folders import new_folder
folder = new_folder("Ana Silva")
(folder / "Journey flare.sciatica").write_bytes(b"health data")
print(folder, flush=True)
if sys.argv[1] == "crash":
    raise RuntimeError("the window crashed")
sys.stdin.read()  # until killed
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Review folders made here (the runtime folder ``memory_folder`` picks first)."""
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    yield run


def _owner_process(root: Path, how: str) -> tuple[subprocess.Popen[str], Path]:
    env = {**os.environ, "XDG_RUNTIME_DIR": str(root)}
    child = subprocess.Popen([sys.executable, "-c", _OWNER, how], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env, cwd=Path(__file__).resolve().parents[2])
    assert child.stdout is not None
    folder = Path(child.stdout.readline().strip())
    assert folder.parent == root and folder.name.startswith(REVIEW_PREFIX + "Ana-Silva-"), child.stderr
    return child, folder


def test_a_killed_processs_folder_is_swept_and_a_live_ones_kept(root: Path) -> None:
    child, folder = _owner_process(root, "wait")
    try:
        assert (folder / "Journey flare.sciatica").exists()
        assert sweep([root], now=time.time() + LATER) == []  # its owner holds the lock
        assert folder.exists()
        os.kill(child.pid, signal.SIGKILL)  # nothing of the process runs: the folder stays
        child.wait(10)
        assert folder.exists()
        assert sweep([root], now=time.time()) == []  # too young to tell apart from one being made
        assert sweep([root], now=time.time() + LATER) == [folder]
        assert not folder.exists()
    finally:
        child.kill()
        child.wait(10)


def test_a_process_ended_by_an_error_removes_its_folder(root: Path) -> None:
    child, folder = _owner_process(root, "crash")
    assert child.wait(30) == 1  # the error ended it
    assert not folder.exists()
    assert list(root.iterdir()) == []


def test_this_processs_own_folders_are_kept_until_discarded(root: Path) -> None:
    folder = new_folder("Ana Silva")
    try:
        assert folder.parent == root and (folder / OWNER).read_text() == f"{os.getpid()}\n"
        assert review_folders.owns(folder)
        assert sweep([root], now=time.time() + LATER) == []
    finally:
        discard(folder / "Journey flare.sciatica")
    assert not folder.exists() and not review_folders.owns(folder)


def test_a_folder_without_an_owner_is_swept_once_old_and_nothing_else_is_touched(root: Path,
                                                                                   tmp_path: Path) -> None:
    old = root / f"{REVIEW_PREFIX}Ana-Silva-ls_9iisp"  # as an earlier version left them
    old.mkdir(mode=0o700)
    (old / "Ana Silva.sciatica").write_bytes(b"health data")
    kept = tmp_path / "elsewhere"
    kept.mkdir()
    (kept / "a.sciatica").write_bytes(b"not a review copy")
    link = root / f"{REVIEW_PREFIX}link"
    link.symlink_to(kept, target_is_directory=True)
    other = root / "tmp-something"
    other.mkdir()
    assert sweep([root], now=time.time() + LATER) == []  # an earlier version's may still be open
    assert sweep([root], now=time.time() + UNOWNED_AFTER_S + 1) == [old]
    assert not old.exists()
    assert link.is_symlink() and (kept / "a.sciatica").exists() and other.exists()


def test_a_failed_folder_write_leaves_nothing(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: Path, *_: object, **__: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_text", refuse)
    with pytest.raises(OSError, match="No space left"):
        new_folder("Ana Silva")
    assert list(root.iterdir()) == []
