"""`sciatica export FILE --copy OUT` while the journal is open in another process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.copies import verify_journal
from tests.sharing.conftest import Maker

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from domain.application import JournalApp
app = JournalApp.open(sys.argv[1])
for n in range(20):
    app.add_note("2026-01-20T10:00", f"held-open note {n}")
print("ready", flush=True)
sys.stdin.readline()
app.close()
"""


def test_copy_while_open_elsewhere_holds_the_uncheckpointed_entries(
        make_journal: Maker, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        # The new entries are only in the WAL: a plain file copy would miss them.
        assert Path(f"{path}-wal").stat().st_size > 0
        assert b"held-open note 19" not in path.read_bytes()

        out = tmp_path / "copy.sciatica"
        assert main(["export", str(path), "--copy", str(out)]) == 0
        assert capsys.readouterr().out == f"Wrote a copy of {path} to {out}\n"
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()  # type: ignore[union-attr]
    assert holder.returncode == 0

    assert verify_journal(out).problem is None
    assert main(["verify", str(out)]) == 0
    with JournalApp.open(path, readonly=True) as original, JournalApp.open(out) as copy:
        assert copy.journal_id == original.journal_id
        assert copy.meta["journal_id"] == original.meta["journal_id"]
        assert [e.entry_id for e in copy.entries()] == [e.entry_id for e in original.entries()]
        assert copy.entries()[-1].text == "held-open note 19"  # type: ignore[attr-defined]


def test_copy_refuses_an_existing_target(make_journal: Maker, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path = make_journal()
    out = tmp_path / "exists.sciatica"
    out.write_bytes(b"keep me")
    assert main(["export", str(path), "--copy", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"
