"""Reading a journal leaves nothing beside it: no ``-wal``/``-shm`` made by the read itself.

A therapist's returned copy is read by ``merge``; a damaged file is read by ``verify``; a backup
is read by ``status``. SQLite makes two side files to read a WAL-mode file and a read-only
connection cannot take them away, so each of these used to leave two stray files in the user's
folder. They go when the last reader closes; a WAL left by a crash stays untouched."""

from __future__ import annotations

import shutil
from contextlib import closing
from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.recorder import connect
from tests.cli.helpers import run, sha, siblings
from tests.torture.test_corrupted_files import make_template, with_wal


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    template = make_template(tmp_path)
    out = tmp_path / "returned copy.sciatica"
    shutil.copyfile(template, out)
    return out


@pytest.mark.parametrize("command", [("verify",), ("status",), ("history",), ("summary",),
                                     ("export", "--jsonl", "OUT")])
def test_each_reading_command_leaves_the_file_alone(capsys: pytest.CaptureFixture[str], copy: Path,
                                                    command: tuple[str, ...]) -> None:
    before = sha(copy)
    args = [a if a != "OUT" else str(copy.with_name("out.jsonl")) for a in command]
    assert run(capsys, args[0], copy, *args[1:]).code == 0
    assert siblings(copy) == [copy]
    assert sha(copy) == before


def test_merging_a_returned_copy_leaves_no_side_files_beside_it(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path, copy: Path) -> None:
    mine = tmp_path / "mine.sciatica"
    shutil.copyfile(copy, mine)
    with JournalApp.open(copy) as app:
        app.annotate("T. Hera", "keep walking daily")
    Path(f"{copy}-wal").unlink(missing_ok=True)
    Path(f"{copy}-shm").unlink(missing_ok=True)
    before = sha(copy)
    assert run(capsys, "merge", mine, copy).code == 0
    assert siblings(copy) == [copy]
    assert sha(copy) == before


def test_a_damaged_file_gets_no_side_files_from_being_checked(capsys: pytest.CaptureFixture[str],
                                                             copy: Path) -> None:
    data = copy.read_bytes()
    copy.write_bytes(data[:5000])
    assert run(capsys, "verify", copy).code in (1, 2)
    assert siblings(copy) == [copy]
    assert copy.read_bytes() == data[:5000]


def test_the_side_files_stay_while_another_reader_has_the_file_open(copy: Path) -> None:
    first = connect(copy, readonly=True)
    with closing(connect(copy, readonly=True)) as second:
        second.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    assert len(siblings(copy)) == 3, "the other reader still needs them"
    assert first.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0] > 0
    first.close()
    assert siblings(copy) == [copy]


def test_a_wal_left_by_a_crash_is_never_tidied_away(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "crashed.sciatica"
    with_wal(make_template(tmp_path), path)
    wal = Path(f"{path}-wal")
    before, log = sha(path), wal.read_bytes()
    assert run(capsys, "verify", path).code == 0
    assert sha(path) == before and wal.read_bytes() == log
