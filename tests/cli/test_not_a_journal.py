"""Pointing a command at something that is not a journal: one clear sentence, exit 2,
no traceback, and the file exactly as it was."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from domain.application import JournalApp
from domain.errors import NewerFormat, NotAJournal
from tests.cli.helpers import START, assert_one_clear_sentence, run, sha, siblings, write_lines


def a_png(path: Path) -> str:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
                     + chunk(b"IEND", b""))
    return "not a Sciatica Tracker journal (unrecognised file format)"


def empty(path: Path) -> str:
    path.write_bytes(b"")
    return "the file is empty, not a Sciatica Tracker journal"


def text(path: Path) -> str:
    path.write_text("Monday: leg 6/10, walked 20 minutes\n")
    return "not a Sciatica Tracker journal (unrecognised file format)"


def saved_journal(path: Path, entries: int = 40) -> None:
    with JournalApp.create(path, patient="A. Patient", affected_side="left", onset_date="2026-01-10") as app:
        for i in range(entries):
            app.add_note(f"2026-01-{11 + i % 20}", f"day {i}: " + "walked a little further " * 5)


def truncated(path: Path) -> str:
    saved_journal(path)
    data = path.read_bytes()
    assert len(data) > 4 * 4096, "the journal should span several pages"
    path.write_bytes(data[: len(data) // 2 + 100])
    return "the journal is damaged and cannot be read"


def run_sql(path: Path, *statements: str) -> None:
    """Run STATEMENTS on the SQLite file at PATH (created when missing), in one transaction."""
    with closing(sqlite3.connect(path)) as conn, conn:
        for statement in statements:
            conn.execute(statement)


def other_database(path: Path) -> str:
    run_sql(path, "CREATE TABLE recipes (name TEXT, minutes INTEGER)", "INSERT INTO recipes VALUES ('soup', 40)")
    return "a database, but not a Sciatica Tracker journal"


def eventsourcing_database_of_another_app(path: Path) -> str:
    run_sql(path,
            "CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
            "state BLOB, PRIMARY KEY (originator_id, originator_version))",
            "CREATE TABLE journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "INSERT INTO journal_meta VALUES ('application', 'someone-else')")
    return "a database, but not a Sciatica Tracker journal"


def _format_version(path: Path, value: str) -> None:
    saved_journal(path, entries=2)
    run_sql(path, f"UPDATE journal_meta SET value = '{value}' WHERE key = 'format_version'")


def newer_format(path: Path) -> str:
    _format_version(path, "99")
    return "written by a newer version of Sciatica Tracker (format 99); please update the app to open it"


def unreadable_format_version(path: Path) -> str:
    _format_version(path, "one")
    return "the journal's format version is unreadable"


def without_start(path: Path) -> str:
    saved_journal(path, entries=2)
    run_sql(path, "DELETE FROM stored_events", "DELETE FROM event_chain",
            "DELETE FROM journal_meta WHERE key IN ('chain_head', 'chain_length')")
    return "the journal has no JournalStarted entry"


KINDS: dict[str, Callable[[Path], str]] = {
    "empty": empty, "text": text, "png": a_png, "truncated": truncated, "other-sqlite": other_database,
    "other-app": eventsourcing_database_of_another_app, "format-99": newer_format,
    "format-unreadable": unreadable_format_version, "no-start": without_start,
}
COMMANDS = {
    "history": lambda path, out: ["history", path],
    "history-json": lambda path, out: ["history", path, "--json"],
    "verify": lambda path, out: ["verify", path],
    "export-jsonl": lambda path, out: ["export", path, "--jsonl", out],
    "export-copy": lambda path, out: ["export", path, "--copy", out],
    "import": lambda path, out: ["import", path, write_lines(out.with_suffix(".jsonl"),
                                                            {"type": "NoteAdded", "observed_at": "2026-01-13",
                                                             "text": "hello"})],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_file_that_is_not_a_journal_is_refused_in_one_sentence(capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path, kind: str, command: str) -> None:
    path = tmp_path / "suspect.sciatica"
    expected = KINDS[kind](path)
    before = sha(path)
    out = tmp_path / "out.file"

    result = run(capsys, *COMMANDS[command](path, out))

    if kind == "no-start" and command == "export-copy":
        # The database itself is sound, so a consistent copy is possible (and equally refused later).
        assert result.code == 0
    else:
        # verify reports a journal whose contents do not read as a failed check (1).
        assert result.code == (1 if kind == "no-start" and command == "verify" else 2), result
        assert_one_clear_sentence(result.err)
        assert result.err.startswith(f"{path}: {expected}"), result.err
        assert not out.exists()
    assert sha(path) == before, "a refused file was written to"


def test_the_application_raises_the_matching_errors(tmp_path: Path) -> None:
    newer = tmp_path / "newer.sciatica"
    newer_format(newer)
    with pytest.raises(NewerFormat):
        JournalApp.open(newer)
    for make in (empty, text, a_png, truncated, other_database):
        path = tmp_path / f"{make.__name__}.sciatica"
        make(path)
        with pytest.raises(NotAJournal):
            JournalApp.open(path)
        with pytest.raises(NotAJournal):
            JournalApp.open(path, readonly=True)


def test_a_missing_journal_or_a_folder_is_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "missing.sciatica"
    for args in (["history", missing], ["verify", missing], ["export", missing, "--jsonl", tmp_path / "o.jsonl"],
                 ["export", missing, "--copy", tmp_path / "o.sciatica"]):
        result = run(capsys, *args)
        assert (result.code, result.err.strip()) == (2, f"{missing}: no such file"), args
        assert siblings(missing) == []
    result = run(capsys, "history", tmp_path)
    assert (result.code, result.err.strip()) == (2, f"{tmp_path}: is a folder, not a journal file")


def test_an_import_into_a_non_journal_does_not_touch_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    text(notes)
    before = sha(notes)
    result = run(capsys, "import", notes, write_lines(tmp_path / "e.jsonl", START))
    assert result.code == 2
    assert sha(notes) == before
