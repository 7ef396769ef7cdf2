"""The headless figures: import, verify, open (+ every projection), as-of status, recording.

Each subject runs beside its floor (the least work the same job needs with plain ``sqlite3`` and
``json``, written here), interleaved run by run so machine load hits both alike.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import io
import json
import random
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.harness import Result, fmt, log, median, paired_ratio, percentile, side_by_side, timed

REGION_RANK = {name: i for i, name in enumerate(
    ("low_back_center", "low_back", "buttock", "thigh", "knee", "calf", "ankle", "foot", "toes"), start=1)}


class BenchError(Exception):
    """A subject failed (the app refused the journal, a command returned an error)."""


@dataclass
class Context:
    """What the benchmarks share within one ``python -m benchmarks`` run."""

    years: float
    seed: int
    runs: int
    jsonl: Path
    event_count: int
    workdir: Path
    profile_dir: Path | None = None
    journal: Path | None = None  # the imported journal, once the import benchmark made it
    opened: Any = None  # the last (app, timeline) the open benchmark built
    today: date = date(2026, 11, 25)
    notes: dict[str, str] = field(default_factory=dict)

    def path(self, name: str) -> Path:
        return self.workdir / name


def remove_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_db(source: Path, dest: Path) -> None:
    """A consistent copy (SQLite's backup API also copies what is still in the WAL)."""
    remove_db(dest)
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(dest)) as dst:
        src.backup(dst)


def timeline_class() -> tuple[type[Any] | None, str | None]:
    try:
        from projections.timeline import Timeline  # type: ignore[import-not-found,attr-defined,unused-ignore]
    except ImportError as exc:
        return None, f"projections.timeline is not available yet ({exc})"
    return Timeline, None


@contextlib.contextmanager
def quiet() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def profile(ctx: Context, name: str, fn: Callable[[], Any], before: Callable[[], None] | None = None) -> None:
    """Run FN once more under cProfile; write NAME.prof and a text summary to the profile folder."""
    if ctx.profile_dir is None:
        return
    import cProfile
    import pstats

    ctx.profile_dir.mkdir(parents=True, exist_ok=True)
    if before is not None:
        before()
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        fn()
    finally:
        profiler.disable()
    prof = ctx.profile_dir / f"{name}.prof"
    profiler.dump_stats(prof)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(35)
    (ctx.profile_dir / f"{name}.txt").write_text(text.getvalue(), encoding="utf-8")
    log(f"  profile written to {prof} (+ .txt)")


# Import ----------------------------------------------------------------------------------------

def bench_import(ctx: Context) -> Result:
    from desktop.cli import main as cli_main

    target = ctx.path("journal.sciatica")
    floor_db = ctx.path("floor-import.sqlite")

    def fresh() -> None:
        remove_db(target)
        remove_db(floor_db)

    def subject() -> None:
        with quiet() as (_, err):
            code = cli_main(["import", str(target), str(ctx.jsonl)])
        if code != 0:
            raise BenchError(f"sciatica import failed (exit {code}): {err.getvalue().strip()}")

    def floor() -> None:
        rows = []
        for raw in ctx.jsonl.read_bytes().split(b"\n"):
            if not raw.strip():
                continue
            obj = json.loads(raw)
            rows.append((obj["entry_id"], 1, f"domain.events:{obj['type']}",
                         json.dumps(obj, separators=(",", ":")).encode()))
        with closing(sqlite3.connect(floor_db, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, "
                         "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))")
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")

    subject_s, floor_s = side_by_side(subject, floor, ctx.runs, before=fresh)
    profile(ctx, "import", subject, before=fresh)
    remove_db(floor_db)
    if not target.exists():
        fresh()
        subject()
    ctx.journal = target
    s, f = median(subject_s), median(floor_s)
    return Result(
        "import", {"import_events_per_s": ctx.event_count / s, "import_ratio": paired_ratio(subject_s, floor_s)},
        measured=f"{fmt(s, 's')} for {ctx.event_count:,} events ({paired_ratio(subject_s, floor_s):.1f}× floor "
                 f"{fmt(f, 's')})",
        floor="json.loads each line + one executemany INSERT transaction (sqlite3, WAL)",
        details={"import_s": s, "import_floor_s": f,
                 "import_runs_s": subject_s, "import_floor_runs_s": floor_s})


# Verify ----------------------------------------------------------------------------------------

def bench_verify(ctx: Context) -> Result:
    from desktop.commands import verify_file

    journal = _journal(ctx)
    counts: list[int] = []

    def subject() -> None:
        problem, count = verify_file(journal)
        if problem:
            raise BenchError(f"verify reported a problem: {problem}")
        counts.append(count)

    def floor() -> None:
        with closing(sqlite3.connect(f"file:{journal.resolve().as_posix()}?mode=ro", uri=True)) as conn:
            previous = b"\x00" * 32
            for (state,) in conn.execute("SELECT state FROM stored_events ORDER BY rowid"):
                previous = hashlib.sha256(previous + state).digest()

    subject_s, floor_s = side_by_side(subject, floor, ctx.runs)
    profile(ctx, "verify", subject)
    s, f = median(subject_s), median(floor_s)
    count = counts[-1]
    return Result(
        "verify", {"verify_events_per_s": count / s, "verify_ratio": paired_ratio(subject_s, floor_s)},
        measured=f"{fmt(s, 's')} for {count:,} entries ({paired_ratio(subject_s, floor_s):.1f}× floor "
                 f"{fmt(f, 's')})",
        floor="sqlite3 SELECT every state + one SHA-256 link per event",
        details={"verify_s": s, "verify_floor_s": f})


def _journal(ctx: Context) -> Path:
    if ctx.journal is None or not ctx.journal.exists():
        raise BenchError("no imported journal (the import benchmark failed)")
    return ctx.journal


# Open -----------------------------------------------------------------------------------------

def bench_open(ctx: Context) -> Result:
    from domain.application import JournalApp

    journal = _journal(ctx)
    timeline_cls, missing = timeline_class()
    built: list[Any] = []

    def subject() -> None:
        app = JournalApp.open(journal, readonly=True)
        try:
            timeline = timeline_cls(app.entries()) if timeline_cls is not None else None
        finally:
            app.close()
        built[:] = [app, timeline]

    def floor() -> None:
        uri = f"file:{journal.resolve().as_posix()}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            rows = conn.execute("SELECT originator_id, originator_version, topic, state FROM stored_events "
                                "ORDER BY rowid").fetchall()
            states = [json.loads(state) for _, _, _, state in rows]
        assert len(states) == len(rows)

    # Drop the previous run's journal first: a heap holding two copies makes every garbage
    # collection slower and would penalise the subject for the benchmark's own memory.
    subject_s, floor_s = side_by_side(subject, floor, ctx.runs, before=built.clear)
    profile(ctx, "open", subject, before=built.clear)
    built.clear()
    # The two phases apart, once, for the table's detail (with nothing else loaded, like the runs).
    phases = _open_phases(journal, timeline_cls)
    subject()  # the journal and timeline the as-of benchmark queries
    ctx.opened = tuple(built)
    s, f = median(subject_s), median(floor_s)
    what = "JournalApp.open(readonly) + Timeline(app.entries())"
    if missing:
        what = "JournalApp.open(readonly) only"
        ctx.notes["open_ratio"] = f"measured without projections: {missing}"
    return Result(
        "open", {"open_ratio": paired_ratio(subject_s, floor_s), "open_s": s},
        measured=f"{fmt(s, 's')} vs floor {fmt(f, 's')} ({what}; log {fmt(phases['log_s'], 's')}, "
                 f"projections {fmt(phases['projections_s'], 's')})",
        floor="sqlite3 SELECT every stored event + json.loads of each state",
        details={"open_floor_s": f, "open_runs_s": subject_s, "open_floor_runs_s": floor_s,
                 "open_log_s": phases["log_s"], "open_projections_s": phases["projections_s"]},
        na=None)


def _open_phases(journal: Path, timeline_cls: type[Any] | None) -> dict[str, float | None]:
    from domain.application import JournalApp

    log_s, app = timed(lambda: JournalApp.open(journal, readonly=True))
    try:
        entries = app.entries()
        projections_s = timed(lambda: timeline_cls(entries))[0] if timeline_cls is not None else None
    finally:
        app.close()
    return {"log_s": log_s, "projections_s": projections_s}


# As-of status ---------------------------------------------------------------------------------

ASOF_QUERIES = 200


def bench_asof(ctx: Context) -> Result:
    keys = ["asof_p95_ms"]
    _, missing = timeline_class()
    if missing:
        return Result.not_available("as-of status", keys, f"not available yet: {missing}")
    if not ctx.opened or ctx.opened[1] is None:
        raise BenchError("no timeline (the open benchmark failed)")
    app, timeline = ctx.opened
    entries = app.entries()
    first = min(e.observed_at for e in entries).date()
    last = ctx.today
    rng = random.Random(ctx.seed)
    span = (last - first).days
    dates = [first + timedelta(days=rng.randint(0, span)) for _ in range(ASOF_QUERIES)]

    # The floor: the least a status at D must touch: find D in the date-sorted entries and scan
    # the six weeks before it (the longest window a rule looks at), folding daily extents.
    ordered = sorted(entries, key=lambda e: e.observed_at)
    keys_sorted = [e.observed_at for e in ordered]

    def floor_at(d: date) -> int:
        end = bisect.bisect_right(keys_sorted, datetime.combine(d, datetime.max.time()))
        begin = bisect.bisect_left(keys_sorted, datetime.combine(d - timedelta(days=42), datetime.min.time()))
        daily: dict[date, int] = {}
        for e in ordered[begin:end]:
            symptoms = getattr(e, "symptoms", None)
            if symptoms is not None:
                rank = max((REGION_RANK[s["region"]] for s in symptoms if s["sensation"] != "weakness"), default=0)
                day = e.observed_at.date()
                daily[day] = max(daily.get(day, 0), rank)
        return len(daily)

    subject_ms: list[float] = []
    floor_ms: list[float] = []
    for d in dates:
        start = time.perf_counter()
        timeline.status_at(d)
        subject_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        floor_at(d)
        floor_ms.append((time.perf_counter() - start) * 1000)

    details: dict[str, Any] = {
        "asof_median_ms": median(subject_ms), "asof_max_ms": max(subject_ms),
        "asof_floor_p95_ms": percentile(floor_ms, 95), "asof_queries": len(dates),
    }
    recorded = _recorded_at_p95(timeline, entries, rng)
    if recorded is not None:
        details["asrecorded_p95_ms"] = recorded
    series = _series_ms(timeline, dates[:20])
    if series is not None:
        details["progress_series_p95_ms"] = series
    p95 = percentile(subject_ms, 95)
    return Result(
        "as-of status", {"asof_p95_ms": p95},
        measured=f"p95 {fmt(p95, 'ms')}, median {fmt(details['asof_median_ms'], 'ms')}, max "
                 f"{fmt(details['asof_max_ms'], 'ms')} over {len(dates)} dates; floor p95 "
                 f"{fmt(details['asof_floor_p95_ms'], 'ms')}"
                 + (f"; as-recorded-at p95 {fmt(recorded, 'ms')}" if recorded is not None else "")
                 + (f"; Progress series build p95 {fmt(series, 'ms')}" if series is not None else ""),
        floor="bisect + fold the 42 days of entries before D",
        details=details)


def _series_ms(timeline: Any, dates: list[date]) -> float | None:
    """p95 of building the Progress view's data (every curve, whole journal) as of DATES: the
    data half of a Progress redraw, measured even before the view exists."""
    if not hasattr(timeline, "series"):
        return None
    times: list[float] = []
    for d in dict.fromkeys(dates):  # distinct dates: each one is built, not read from the cache
        start = time.perf_counter()
        timeline.series(d)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 95)


def _recorded_at_p95(timeline: Any, entries: list[Any], rng: random.Random) -> float | None:
    if not hasattr(timeline, "status_recorded_at"):
        return None
    stamps = sorted(e.recorded_at for e in entries)
    moments = [stamps[rng.randrange(len(stamps))] for _ in range(50)]
    times: list[float] = []
    for moment in moments:
        start = time.perf_counter()
        timeline.status_recorded_at(moment)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 95)


# Recording a check-in -------------------------------------------------------------------------

RECORD_WARMUP = 3
RECORD_CHECKINS = 60


def bench_record(ctx: Context) -> Result:
    from domain.application import JournalApp

    journal = _journal(ctx)
    copy = ctx.path("record.sciatica")
    floor_copy = ctx.path("record-floor.sciatica")
    copy_db(journal, copy)
    copy_db(journal, floor_copy)
    timeline_cls, missing = timeline_class()
    if missing:
        ctx.notes["record_p95_ms"] = f"measured without Timeline.apply: {missing}"

    app = JournalApp.open(copy)
    subject_ms: list[float] = []
    status_ms: list[float] = []
    try:
        timeline = timeline_cls(app.entries()) if timeline_cls is not None else None
        if timeline is not None:
            def apply_all(events: Sequence[Any]) -> None:
                for e in events:
                    timeline.apply(e)

            app.subscribe(apply_all)
        moment = datetime.combine(ctx.today, datetime.min.time()) + timedelta(hours=6)
        for i in range(RECORD_WARMUP + RECORD_CHECKINS):
            moment += timedelta(minutes=7)
            leg = 2 + i % 5

            def checkin(when: datetime = moment, leg: int = leg) -> None:
                app.record_symptoms(when, [
                    {"region": "low_back", "side": "left", "sensation": "pain", "intensity": 3},
                    {"region": "calf", "side": "left", "sensation": "tingling", "intensity": leg}],
                    context="sitting")
                app.rate_pain(when, leg=leg, back=3, share_of_day_percent=40, episodes=3)

            start = time.perf_counter()
            checkin()
            elapsed = (time.perf_counter() - start) * 1000
            if timeline is not None:
                t = time.perf_counter()
                timeline.status_at(ctx.today)
                status = (time.perf_counter() - t) * 1000
            else:
                status = 0.0
            if i >= RECORD_WARMUP:
                subject_ms.append(elapsed)
                status_ms.append(elapsed + status)
        if ctx.profile_dir is not None:
            moments = iter(range(1000))

            def more() -> None:
                for _ in range(20):
                    m = datetime.combine(ctx.today, datetime.min.time()) + timedelta(hours=20,
                                                                                    seconds=next(moments))
                    app.record_symptoms(m, [{"region": "knee", "side": "left", "sensation": "pain",
                                             "intensity": 4}])
                    app.rate_pain(m, leg=4)

            profile(ctx, "record", more)
    finally:
        app.close()

    floor_ms = _record_floor(floor_copy, RECORD_CHECKINS)
    remove_db(copy)
    remove_db(floor_copy)
    p95, floor_p95 = percentile(subject_ms, 95), percentile(floor_ms, 95)
    details = {"record_median_ms": median(subject_ms), "record_floor_p95_ms": floor_p95,
               "record_ratio": p95 / floor_p95, "record_with_status_p95_ms": percentile(status_ms, 95)}
    return Result(
        "record a check-in", {"record_p95_ms": p95},
        measured=f"p95 {fmt(p95, 'ms')} (median {fmt(details['record_median_ms'], 'ms')}) vs floor p95 "
                 f"{fmt(floor_p95, 'ms')}; with status refresh p95 "
                 f"{fmt(details['record_with_status_p95_ms'], 'ms')}",
        floor="sqlite3 INSERT of the two JSON events in one WAL transaction",
        details=details)


def _record_floor(path: Path, count: int) -> list[float]:
    times: list[float] = []
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        for i in range(count + RECORD_WARMUP):
            start = time.perf_counter()
            rows = []
            for kind in ("SymptomsRecorded", "PainRated"):
                state = json.dumps({"observed_at": "2026-11-25T08:00:00", "leg": i % 10, "kind": kind,
                                    "symptoms": [{"region": "calf", "side": "left", "sensation": "pain",
                                                  "intensity": 4}]}).encode()
                rows.append((uuid.uuid4().hex, 1, f"domain.events:{kind}", state))
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
            conn.execute("COMMIT")
            if i >= RECORD_WARMUP:
                times.append((time.perf_counter() - start) * 1000)
    return times


def cleanup(ctx: Context) -> None:
    if ctx.opened:
        ctx.opened = None
    shutil.rmtree(ctx.workdir, ignore_errors=True)
