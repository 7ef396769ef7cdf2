"""Issue 14: files that never lose a journal. One story per item: racing creates, exports over a
journal, writing to a journal that fails verification, odd paths, a full disk, readers during
writes, merge order, and imports that must be refused in a sentence."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

import domain.recorder as recorder
from domain.application import JournalApp
from domain.errors import DiskFull, InvalidEntry
from tests.cli.helpers import (
    PAIN,
    PAIN_ID,
    PYTHON,
    ROOT,
    START,
    assert_one_clear_sentence,
    run,
    sha,
    write_lines,
)

ODD_NAMES = ["with space", "hash#mark", "what?", "per%20cent", "ünïcødé ✓", "semi;colon & amp"]


def journal_with_entries(path: Path, count: int = 3) -> Path:
    lines = [START] + [{"type": "PainRated", "observed_at": (date(2026, 1, 13) + timedelta(days=i)).isoformat(),
                        "leg": i % 10} for i in range(count)]
    source = write_lines(path.with_suffix(".jsonl"), *lines)
    events_path = source
    with JournalApp.create_from(path, _parse(events_path)):
        pass
    return path


def _parse(source: Path) -> list:  # type: ignore[type-arg]
    from domain.interchange import parse_lines
    from domain.journal import RecoveryJournal

    return parse_lines(source.read_text().splitlines(), RecoveryJournal(), source=str(source))


def leftovers(folder: Path) -> list[str]:
    """Temporary files the app may have left (building journals, partial exports)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".creating", ".part"))
                  or ".creating-" in p.name or ".part-" in p.name)


# 1. A failed create never deletes a file it did not create ---------------------------------------

def test_a_journal_that_appears_while_another_is_built_is_left_alone(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "new.sciatica"
    other = tmp_path / "other.sciatica"
    journal_with_entries(other, 5)
    original_store = JournalApp._store

    def store_then_race(self: JournalApp, events, **kw):  # type: ignore[no-untyped-def]
        original_store(self, events, **kw)
        if not path.exists():  # another program finishes creating PATH meanwhile
            os.link(other, path)

    monkeypatch.setattr(JournalApp, "_store", store_then_race)
    before = sha(path) if path.exists() else None
    with pytest.raises(InvalidEntry, match="appeared meanwhile"):
        JournalApp.create(path, patient="B", affected_side="left", onset_date="2026-01-10")
    assert before is None and sha(path) == sha(other)  # the other journal, untouched
    assert leftovers(tmp_path) == []


def test_racing_new_and_import_leave_exactly_one_intact_journal(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    trials = 12 if request.config.getoption("--long") else 3
    events = write_lines(tmp_path / "events.jsonl", START,
                         *({"type": "NoteAdded", "observed_at": "2026-01-13", "text": f"n{i}"} for i in range(300)))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for trial in range(trials):
        path = tmp_path / f"race{trial}.sciatica"
        procs = [subprocess.Popen([str(PYTHON), "-m", "desktop", "import", str(path), str(events)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT),
                 subprocess.Popen([str(PYTHON), "-m", "desktop", "new", str(path), "--patient", "B",
                                   "--side", "right", "--onset", "2026-01-01"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT)]
        results = [(p.wait(60), p.stderr.read().decode()) for p in procs]  # type: ignore[union-attr]
        codes = sorted(code for code, _ in results)
        assert codes[0] == 0 and codes[1] in (0, 2), results
        with JournalApp.open(path, readonly=True) as app:
            starts = [e for e in app.entries() if e.type_name() == "JournalStarted"]
            assert len(starts) == 1 and app.integrity_problem is None
            assert len(app.entries()) in (1, 301)
        for code, err in results:
            if code:
                assert_one_clear_sentence(err)
    assert leftovers(tmp_path) == []


# 2. Exports never write over a journal, and never leave half a file -------------------------------

@pytest.mark.parametrize("flag", ["--jsonl", "--csv", "--pdf", "--copy"])
def test_an_export_onto_a_journal_or_its_wal_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                        flag: str) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica")
    other = journal_with_entries(tmp_path / "other.sciatica")
    for out in (path, Path(f"{path}-wal"), other):
        before = {p: sha(p) for p in (path, other)}
        result = run(capsys, "export", path, flag, out)
        assert result.code == 2, result
        assert_one_clear_sentence(result.err)
        assert {p: sha(p) for p in (path, other)} == before
        assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0


def test_a_failed_export_leaves_no_half_file(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.commands as commands

    path = journal_with_entries(tmp_path / "j.sciatica", 20)
    out = tmp_path / "out.jsonl"

    def write_half(events, f, journal=None):  # type: ignore[no-untyped-def]
        f.write('{"type": "JournalStarted"')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(commands, "write_jsonl", write_half)
    result = run(capsys, "export", path, "--jsonl", out)
    assert result.code == 2 and "disk is full" in result.err
    assert_one_clear_sentence(result.err)
    assert not out.exists() and leftovers(tmp_path) == []


# 3. A journal that fails verification is read, never written ------------------------------------

def damage(path: Path) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = 2").fetchone()
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 2", (state.replace(b'"leg":0', b'"leg":1'),))


def test_a_journal_that_fails_verification_is_never_written_to(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica")
    copy = tmp_path / "copy.sciatica"
    assert run(capsys, "export", path, "--copy", copy).code == 0
    damage(path)
    note = write_lines(tmp_path / "note.jsonl", {"type": "NoteAdded", "observed_at": "2026-01-20", "text": "x"})
    before = [sha(path)]
    for command in (["import", path, note], ["review", path, "--therapist", "T", "--note", "n"],
                    ["merge", path, copy]):
        result = run(capsys, *command)
        assert result.code == 2, (command, result)
        assert_one_clear_sentence(result.err)
        assert "fails verification" in result.err, result.err
        assert [sha(path)] == before
    for command in (["status", path, "--json"], ["history", path], ["export", path, "--jsonl", tmp_path / "o.jsonl"]):
        result = run(capsys, *command)
        assert result.code == 0, (command, result)
        assert result.err.count("fails verification") == 1, result.err
    assert [sha(path)] == before


# 4. A stray -wal is never folded into the journal --------------------------------------------

@pytest.mark.parametrize("whose", ["another journal", "a diverged copy"])
def test_a_stray_wal_is_never_written_into_the_journal(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       whose: str) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica", 4)
    other = tmp_path / "other.sciatica"
    if whose == "another journal":
        journal_with_entries(other, 4)
    else:
        assert run(capsys, "export", path, "--copy", other).code == 0
        with JournalApp.open(other) as app:  # the copy goes its own way first
            app.correct(app.entries()[1].entry_id, {"leg": 7}, reason="diverged")
    with JournalApp.open(other) as app:
        app.add_note("2026-01-20", "written in the other file")
        wal = Path(f"{other}-wal").read_bytes()  # what SQLite has not yet checkpointed
    assert wal
    Path(f"{path}-wal").write_bytes(wal)
    before = sha(path)
    note = write_lines(tmp_path / "note.jsonl", {"type": "NoteAdded", "observed_at": "2026-01-21", "text": "x"})
    result = run(capsys, "import", path, note)
    assert result.code == 2, result
    assert_one_clear_sentence(result.err)
    assert sha(path) == before, "the stray WAL was folded into the journal"
    result = run(capsys, "verify", path)
    assert result.code == 1 and "-wal" in result.err, result


# 5. Odd paths work with every command, and leave no stray files -----------------------------------

@pytest.mark.parametrize("name", ODD_NAMES)
def test_every_command_works_in_an_oddly_named_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                      name: str) -> None:
    folder = tmp_path / name / f"{name} too"
    path = folder / f"{name}.sciatica"
    events = write_lines(tmp_path / "events.jsonl", PAIN)
    assert run(capsys, "new", path, "--patient", "A", "--side", "left", "--onset", "2026-01-10").code == 0
    steps = [["import", path, events], ["status", path, "--json"], ["history", path, "--json"],
             ["verify", path], ["export", path, "--jsonl", folder / f"{name}.jsonl"],
             ["export", path, "--copy", folder / f"{name} copy.sciatica"],
             ["merge", path, folder / f"{name} copy.sciatica"],
             ["review", path, "--therapist", "T", "--note", "seen", "--about", PAIN_ID], ["verify", path]]
    for step in steps:
        result = run(capsys, *step)
        assert result.code == 0, (step, result)
    expected = {f"{name}.sciatica", f"{name}.jsonl", f"{name} copy.sciatica"}
    # Nothing but the files asked for (and SQLite's -wal/-shm index beside a journal read since).
    assert {p.name.removesuffix("-wal").removesuffix("-shm") for p in folder.iterdir()} == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "events.jsonl"])


def test_new_creates_the_missing_folders_of_its_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "data" / "Sciatica Tracker" / "journal.sciatica"
    assert run(capsys, "new", path, "--patient", "A", "--side", "left", "--onset", "2026-01-10").code == 0
    assert path.is_file()


# 6. A full disk: one sentence, the journal unchanged and readable -------------------------------

def test_a_full_disk_refuses_in_a_sentence_and_changes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica")
    big = write_lines(tmp_path / "big.jsonl", *({"type": "NoteAdded", "observed_at": "2026-01-20",
                                                 "text": "x" * 2000} for _ in range(200)))
    before = sha(path)
    connect = recorder.connect

    def small_disk(path: Path, *, readonly: bool, create: bool = False) -> sqlite3.Connection:
        conn = connect(path, readonly=readonly, create=create)
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1) + 8}")  # a disk with 32 KiB left
        return conn

    monkeypatch.setattr(recorder, "connect", small_disk)
    for command in (["import", path, big], ["import", tmp_path / "fresh.sciatica", write_lines(
            tmp_path / "fresh.jsonl", START, *({"type": "NoteAdded", "observed_at": "2026-01-20", "text": "y" * 2000}
                                                for _ in range(200)))]):
        result = run(capsys, *command)
        assert result.code == 2, (command, result)
        assert_one_clear_sentence(result.err)
        assert "disk is full" in result.err
    assert sha(path) == before and not (tmp_path / "fresh.sciatica").exists()
    assert leftovers(tmp_path) == []
    with JournalApp.open(path) as app:
        with pytest.raises(DiskFull):
            app.append(_notes(app, 200))
        assert len(app.entries()) == 4
    monkeypatch.undo()
    assert run(capsys, "verify", path).code == 0


def test_a_full_disk_during_a_passphrase_change_or_a_copy_leaves_no_partial_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import domain.encryption as enc
    from domain.copies import export_copy

    monkeypatch.setattr(enc, "DEFAULT_PARAMS", enc.ScryptParams(n=2 ** 10, r=8, p=1))
    path = tmp_path / "j.sciatica"
    with JournalApp.create(path, patient="A", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12") as app:
        app.append(_notes(app, 100))
    before = sha(path)
    connect = recorder.connect

    def small_disk(path: Path, *, readonly: bool, create: bool = False) -> sqlite3.Connection:
        conn = connect(path, readonly=readonly, create=create)
        if create:
            conn.execute("PRAGMA max_page_count = 12")
        return conn

    monkeypatch.setattr(recorder, "connect", small_disk)
    with JournalApp.open(path) as app, pytest.raises(DiskFull, match="disk is full"):
        app.copy_as(tmp_path / "secret.sciatica", passphrase="a new phrase")
    assert not (tmp_path / "secret.sciatica").exists() and leftovers(tmp_path) == []

    def full_backup(source: Path, out: Path) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("domain.copies.snapshot", full_backup)
    with pytest.raises(DiskFull):
        export_copy(path, tmp_path / "copy.sciatica")
    assert not (tmp_path / "copy.sciatica").exists() and leftovers(tmp_path) == []
    assert sha(path) == before


def test_a_journal_in_a_folder_that_cannot_be_written_is_read(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica")
    # As root the permission bits do not stop this process, so the folder's answers are simulated:
    # it cannot be written, and SQLite cannot open the journal read-only (no -shm can be made).
    real_access, real_connect = os.access, sqlite3.connect
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode))

    def no_shm(database: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if isinstance(database, str) and "mode=ro" in database and "immutable" not in database \
                and "j.sciatica" in database:
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(database, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(recorder.sqlite3, "connect", no_shm)
    for command in (["status", path, "--json"], ["history", path], ["verify", path]):
        result = run(capsys, *command)
        assert result.code == 0, (command, result)


def _notes(app: JournalApp, count: int) -> list:  # type: ignore[type-arg]
    return [app.journal.decide("NoteAdded", {"text": "z" * 2000}, observed_at="2026-01-20") for _ in range(count)]


# 7. Readers during writes see one consistent snapshot -----------------------------------------

WRITER = """
import sys
from domain.application import JournalApp
with JournalApp.open(sys.argv[1]) as app:
    print("open", flush=True)
    for i in range(int(sys.argv[2])):
        app.add_note("2026-01-20", f"note {i}")
"""


def test_verify_and_status_during_writes_never_report_damage(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                              request: pytest.FixtureRequest) -> None:
    from domain.copies import verify_journal

    path = journal_with_entries(tmp_path / "j.sciatica")
    notes = 2000 if request.config.getoption("--long") else 300
    writer = subprocess.Popen([str(PYTHON), "-c", WRITER, str(path), str(notes)], stdout=subprocess.PIPE,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert writer.stdout is not None and writer.stdout.readline().strip() == b"open"
    checks = 0
    while writer.poll() is None or checks < 3:
        result = verify_journal(path)
        assert result.problem is None, result.problem
        with JournalApp.open(path, readonly=True) as reader:
            assert reader.integrity_problem is None
        checks += 1
    assert writer.wait(60) == 0 and checks >= 3


# 8. History is the same whatever order copies were merged in ---------------------------------

def test_history_json_lists_corrections_in_the_same_order_whatever_the_merge_order(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = journal_with_entries(tmp_path / "base.sciatica")
    copies = []
    for i in range(2):
        copy = tmp_path / f"copy{i}.sciatica"
        assert run(capsys, "export", base, "--copy", copy).code == 0
        with JournalApp.open(copy) as app:
            app.correct(app.entries()[1].entry_id, {"leg": 5 + i}, reason=f"copy {i}")
        copies.append(copy)
    histories = []
    for order in (copies, copies[::-1]):
        target = tmp_path / f"merged-{order[0].stem}.sciatica"
        assert run(capsys, "export", base, "--copy", target).code == 0
        for copy in order:
            assert run(capsys, "merge", target, copy).code == 0
        rows = json.loads(run(capsys, "history", target, "--json").out)
        histories.append({r["entry_id"]: (r["corrected_by"], r["replaced_by"], r["conflict"]) for r in rows})
    assert histories[0] == histories[1]


# 9. verify checks every value, even under a recomputed chain ----------------------------------

def test_verify_finds_an_out_of_range_value_under_a_recomputed_chain(capsys: pytest.CaptureFixture[str],
                                                                      tmp_path: Path) -> None:
    from tests.sharing.test_verify_fast import rechain

    path = journal_with_entries(tmp_path / "j.sciatica")
    with closing(sqlite3.connect(path)) as conn, conn:
        (state,) = conn.execute("SELECT state FROM stored_events WHERE rowid = 3").fetchone()
        conn.execute("UPDATE stored_events SET state = ? WHERE rowid = 3", (state.replace(b'"leg":1', b'"leg":99'),))
    rechain(path)
    result = run(capsys, "verify", path)
    assert result.code == 1 and "entry 3" in result.err, result
    assert_one_clear_sentence(result.err)


# 13. Imports refuse what no entry can hold, in a sentence ---------------------------------------

BAD_LINES = {
    "duplicate key": ('{"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "leg": 9}', "'leg' appears twice"),
    "deep nesting": ('{"type": "NoteAdded", "observed_at": "2026-01-13", "text": ' + "[" * 3000 + "]" * 3000 + "}",
                     "nests deeper"),
    "shallow but too deep": ('{"type": "NoteAdded", "observed_at": "2026-01-13", "text": [[[[[[1]]]]]]}',
                             "nests deeper"),
    "huge integer": ('{"type": "PainRated", "observed_at": "2026-01-13", "leg": ' + "9" * 5000 + "}",
                     "cannot be read"),
    "big integer": ('{"type": "PainRated", "observed_at": "2026-01-13", "leg": ' + "9" * 100 + "}",
                    "a number of 100 digits"),
    "future": ('{"type": "PainRated", "observed_at": "2099-01-13", "leg": 3}', "in the future"),
    "before onset": ('{"type": "PainRated", "observed_at": "2025-01-13", "leg": 3}', "before the onset"),
}


@pytest.mark.parametrize("kind", sorted(BAD_LINES))
def test_an_import_line_no_entry_can_hold_is_refused_in_a_sentence(capsys: pytest.CaptureFixture[str],
                                                                   tmp_path: Path, kind: str) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica")
    line, expected = BAD_LINES[kind]
    source = tmp_path / "bad.jsonl"
    source.write_text(line + "\n", encoding="utf-8")
    before = sha(path)
    result = run(capsys, "import", path, source)
    assert result.code == 2, result
    assert_one_clear_sentence(result.err)
    assert expected in result.err and result.err.startswith(f"{source}:1:"), result.err
    assert len(result.err) < 300
    assert sha(path) == before


# 12. No plaintext leftovers: a merge killed mid-way leaves nothing the next merge keeps ----------

SLOW_MERGE = """
import sys, time
import domain.copies as copies
from domain.copies import merge_files
real = copies.snapshot
def slow(path, out):
    real(path, out)
    print(out, flush=True)
    time.sleep(60)
copies.snapshot = slow
merge_files(__import__("pathlib").Path(sys.argv[1]), __import__("pathlib").Path(sys.argv[2]))
"""


def test_a_merge_killed_mid_way_leaves_no_snapshot_behind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = journal_with_entries(tmp_path / "j.sciatica")
    copy = tmp_path / "copy.sciatica"
    assert run(capsys, "export", path, "--copy", copy).code == 0
    proc = subprocess.Popen([str(PYTHON), "-c", SLOW_MERGE, str(path), str(copy)], stdout=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    assert proc.stdout is not None
    snapshot = Path(proc.stdout.readline().decode().strip())
    assert snapshot.exists()
    proc.kill()
    proc.wait(10)
    assert snapshot.parent.exists()  # SIGKILL: nothing could clean up then
    assert run(capsys, "merge", path, copy).code == 0  # the next merge does
    assert not snapshot.parent.exists()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__]))
