"""``read_ahead``: a batch of journals asked into memory before it is read (``clinic add``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from domain.storage import read_ahead


def test_asks_for_each_file_and_its_log_and_passes_over_what_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "posix_fadvise"):
        pytest.skip("no posix_fadvise on this system: read_ahead does nothing")
    first, second = tmp_path / "a.sciatica", tmp_path / "b.sciatica"
    first.write_bytes(b"x" * 4096)
    second.write_bytes(b"y" * 4096)
    Path(f"{second}-wal").write_bytes(b"w" * 512)
    asked: list[tuple[str, int, int, int]] = []
    real = os.posix_fadvise

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        asked.append((os.readlink(f"/proc/self/fd/{fd}"), offset, length, advice))
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", advise)
    opened_before = len(os.listdir("/proc/self/fd"))
    read_ahead([first, tmp_path / "missing.sciatica", tmp_path, second])
    assert [(Path(p).name, o, n, a) for p, o, n, a in asked if not Path(p).is_dir()] == [
        ("a.sciatica", 0, 0, os.POSIX_FADV_WILLNEED),
        ("b.sciatica", 0, 0, os.POSIX_FADV_WILLNEED),
        ("b.sciatica-wal", 0, 0, os.POSIX_FADV_WILLNEED)]
    assert len(os.listdir("/proc/self/fd")) == opened_before  # every file it opened is closed again


def test_an_advice_the_system_refuses_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not hasattr(os, "posix_fadvise"):
        pytest.skip("no posix_fadvise on this system: read_ahead does nothing")
    journal = tmp_path / "a.sciatica"
    journal.write_bytes(b"x" * 100)

    def refuse(fd: int, offset: int, length: int, advice: int) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "posix_fadvise", refuse)
    read_ahead([journal])  # no error: the read that follows reads it as it would have
    assert journal.read_bytes() == b"x" * 100
