"""Issue 10: damaged files. Whatever happened to a file (flipped bytes, cut short, emptied,
swapped for another database, a write-ahead log left beside it), reading it gives a clear
JournalError or the journal itself, never a traceback, and never writes to the file."""

from __future__ import annotations

import io
import random
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from desktop.cli import main
from domain.application import JournalApp
from domain.errors import JournalError

Damage = Callable[[random.Random, Path, Path], None]  # (rng, template journal, damaged file to write)


def make_template(folder: Path) -> Path:
    """A journal with every kind of entry, spread over several pages."""
    path = folder / "template.sciatica"
    with JournalApp.create(path, patient="A. Patient", affected_side="left", onset_date="2026-01-10",
                           observed_at="2026-01-12T09:00") as app:
        for day in range(13, 28):
            pain = app.rate_pain(f"2026-01-{day}T08:00", leg=day % 11, back=3, note="morning")
            app.record_symptoms(f"2026-01-{day}", [
                {"region": "calf", "side": "left", "sensation": "tingling", "intensity": day % 8},
                {"region": "low_back_center", "side": "center", "sensation": "pain", "intensity": 2}])
            app.record_walk(f"2026-01-{day}T17:00", total_minutes=20 + day, minutes_to_symptoms=10,
                            extent_at_stop="knee")
            if day % 4 == 0:
                app.correct(pain, {"leg": 4, "back": 3}, reason="misread")
            if day % 5 == 0:
                app.check_red_flags(f"2026-01-{day}", [])
        app.annotate("T. Hera", "good progress", about=pain)
    return path


def with_wal(template: Path, out: Path) -> None:
    """OUT with the template's entries plus more that live only in a WAL left beside it."""
    shutil.copyfile(template, out)
    scratch = out.with_name(out.name + ".writer")
    shutil.copyfile(template, scratch)
    app = JournalApp.open(scratch)
    try:
        for i in range(12):
            app.add_note("2026-01-28", f"written just before the crash {i}")
        # Copy the file and its log as a crash would leave them: the app still has them open.
        shutil.copyfile(scratch, out)
        shutil.copyfile(f"{scratch}-wal", f"{out}-wal")
    finally:
        app.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)


def flip_bytes(rng: random.Random, template: Path, out: Path) -> None:
    data = bytearray(template.read_bytes())
    for _ in range(rng.choice([1, 1, 2, 5, 20])):
        offset = rng.randrange(len(data)) if rng.random() < 0.8 else rng.randrange(100)  # header too
        data[offset] ^= 1 << rng.randrange(8) if rng.random() < 0.7 else rng.randrange(1, 256)
    out.write_bytes(bytes(data))


def smear(rng: random.Random, template: Path, out: Path) -> None:
    data = bytearray(template.read_bytes())
    start = rng.randrange(len(data))
    length = rng.choice([4, 16, 64, 512])
    data[start:start + length] = bytes([rng.choice([0, 0xFF, rng.randrange(256)])]) * len(data[start:start + length])
    out.write_bytes(bytes(data))


def truncate(rng: random.Random, template: Path, out: Path) -> None:
    data = template.read_bytes()
    out.write_bytes(data[: rng.randrange(len(data))])


def zero_length(rng: random.Random, template: Path, out: Path) -> None:
    out.write_bytes(b"")


def other_database(rng: random.Random, template: Path, out: Path) -> None:
    with closing(sqlite3.connect(out)) as conn, conn:
        for t in range(rng.randrange(1, 4)):
            conn.execute(f"CREATE TABLE t{t} (a TEXT, b BLOB)")
            conn.executemany(f"INSERT INTO t{t} VALUES (?, ?)",
                             [(str(i), rng.randbytes(rng.randrange(50))) for i in range(rng.randrange(30))])
        if rng.random() < 0.5:  # looks like ours at a glance
            conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                         "topic TEXT, state BLOB)")
            conn.execute("CREATE TABLE journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.execute("INSERT INTO journal_meta VALUES ('application', 'sciatica-tracker'), "
                         "('format_version', '1')")
            conn.execute("INSERT INTO stored_events VALUES ('x', 1, 'domain.events:PainRated', ?)",
                         (rng.randbytes(40),))


def wal_left_behind(rng: random.Random, template: Path, out: Path) -> None:
    with_wal(template, out)
    wal = Path(f"{out}-wal")
    choice = rng.randrange(3)
    data = bytearray(wal.read_bytes())
    if choice == 1:  # a torn write: the log ends mid-frame
        wal.write_bytes(bytes(data[: rng.randrange(len(data))]))
    elif choice == 2:  # a damaged frame
        for _ in range(rng.choice([1, 3])):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        wal.write_bytes(bytes(data))


def rewritten_entry(rng: random.Random, template: Path, out: Path) -> None:
    """Someone edited the database with another tool: events changed, deleted or added."""
    shutil.copyfile(template, out)
    with closing(sqlite3.connect(out)) as conn, conn:
        count = conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
        rowid = rng.randrange(1, count + 1)
        action = rng.randrange(4)
        if action == 0:
            conn.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (rng.randbytes(30), rowid))
        elif action == 1:
            conn.execute("DELETE FROM stored_events WHERE rowid = ?", (rowid,))
        elif action == 2:
            conn.execute("UPDATE stored_events SET topic = 'domain.events:Nonsense' WHERE rowid = ?", (rowid,))
        else:
            conn.execute("DELETE FROM event_chain WHERE position = ?", (rowid,))
        conn.execute("PRAGMA journal_mode=DELETE")


DAMAGES: list[tuple[Damage, int]] = [  # (damage, share of the files)
    (flip_bytes, 60), (smear, 25), (truncate, 40), (zero_length, 5), (other_database, 20),
    (wal_left_behind, 30), (rewritten_entry, 20),
]


def files(folder: Path, template: Path, count: int) -> list[tuple[str, Path]]:
    rng = random.Random(2026)
    total = sum(share for _, share in DAMAGES)
    made = []
    for i in range(count):
        damage = DAMAGES[-1][0]
        pick = rng.randrange(total)
        for candidate, share in DAMAGES:
            if pick < share:
                damage = candidate
                break
            pick -= share
        case = folder / f"{i:04d}"
        case.mkdir()
        path = case / "damaged.sciatica"
        damage(rng, template, path)
        made.append((f"#{i} {damage.__name__}", path))
    return made


def snapshot(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists()}


def cli(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(list(args))
    return code, err.getvalue()


def test_damaged_files_are_refused_clearly_and_never_written(tmp_path: Path, long_run: bool) -> None:
    template = make_template(tmp_path)
    count = 2000 if long_run else 200
    outcomes: dict[str, int] = {}
    for name, path in files(tmp_path, template, count):
        before = snapshot(path)
        try:
            with JournalApp.open(path, readonly=True) as app:
                assert app.entries()[0].type_name() == "JournalStarted"
            outcome = "opened"
        except JournalError as exc:
            assert str(exc).startswith(str(path)), f"{name}: {exc}"
            outcome = type(exc).__name__
        except Exception as exc:  # pragma: no cover - the failure being tested for
            pytest.fail(f"{name}: {type(exc).__name__}: {exc} (kept at {path})")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1

        for command in (["history", str(path)], ["verify", str(path)], ["history", str(path), "--json"]):
            code, err = cli(*command)
            assert code in (0, 1, 2), f"{name}: {command[0]} exited {code}"
            assert "Traceback" not in err, f"{name}: {command[0]}: {err}"
            if code:
                assert len(err.strip().splitlines()) == 1, f"{name}: {command[0]}: {err}"
        assert snapshot(path)[path.name] == before[path.name], f"{name}: the damaged file was written to"

    # The mix really exercised both sides: refusals and files that still open.
    assert outcomes.get("opened", 0) > 0 and sum(outcomes.values()) - outcomes.get("opened", 0) > 0, outcomes


def test_a_wal_left_by_a_crash_is_read_not_lost(tmp_path: Path) -> None:
    template = make_template(tmp_path)
    path = tmp_path / "crashed.sciatica"
    with_wal(template, path)
    with JournalApp.open(template) as app:
        in_template = len(app.entries())
    before = path.read_bytes()
    # Reading sees the entries that live only in the log, and does not write the file.
    with JournalApp.open(path, readonly=True) as app:
        assert len(app.entries()) == in_template + 12
    assert cli("verify", str(path))[0] == 0
    assert path.read_bytes() == before
    # Opening for writing recovers them for good.
    with JournalApp.open(path) as app:
        assert len(app.entries()) == in_template + 12
    Path(f"{path}-wal").unlink(missing_ok=True)
    Path(f"{path}-shm").unlink(missing_ok=True)
    with JournalApp.open(path) as app:
        assert len(app.entries()) == in_template + 12
