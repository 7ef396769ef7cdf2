"""``python -m benchmarks clinic [--patients N] [--years Y] [--clones K] [--caseload-rows R] [--db URL] [--json]``
(issue 20, item 5).

A generated clinic (``benchmarks.generate``, one journal per patient, seeds 1..N) in a throwaway
PostgreSQL cluster (``tests/clinic/cluster.py``; or ``--db``, an empty database), each figure
beside a floor measured in the same run with plain psycopg:

- ``add``: ``sciatica clinic add``'s path (read each copy from a snapshot, verify it entry by
  entry, union by entry, write) in calls of ``--chunk`` files, against a ``COPY`` of the same
  rows into a table of the same shape;
- ``catch-up``: the caseload ``ProjectionRunner`` from nothing to the end of the log, in
  events/s, with the resident memory of the runner and its worker processes sampled
  throughout, against reading every row once (``COPY … TO STDOUT``); with ``--clones K`` every
  added patient's log is first stored K more times under new ids by SQL in the server (200
  patients and ``--clones 9``: the issue's 2,000-patient clinic without adding 2,000 files);
- ``caseload``: listing every patient most urgent first (what ``clinic caseload`` does), against
  a plain ``SELECT`` of the same rows; also for ``--caseload-rows`` rows (2,000) made from the
  derived ones copied under new ids;
- ``open``: a patient opened from the store for review (``take_review_copy`` + open) against the
  same journal opened from its file, as a journal (``JournalApp``) and as the desktop opens it
  (the journal and the window's read models: ``CaseloadSession.open_patient``, ``open_session``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.harness import log

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("SCIATICA_BENCH_DIR") or ROOT / "build" / "bench") / "clinic"


def patient_files(patients: int, years: float) -> list[Path]:
    """One generated journal file per patient (cached under build/bench/clinic)."""
    from desktop.cli import main as cli_main

    folder = CACHE / f"{years:g}y-g{gen.GENERATOR_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for k in range(1, patients + 1):
        path = folder / f"patient-{k:05d}.sciatica"
        if not path.exists():
            entries = gen.generate(years, seed=k)
            entries[0]["patient"] = f"Patient {k:05d}"
            jsonl = folder / f"patient-{k:05d}.jsonl"
            gen.write(entries, jsonl)
            with contextlib.redirect_stdout(sys.stderr):  # keep --json output one object
                code = cli_main(["import", str(path), str(jsonl)])
            jsonl.unlink()
            if code != 0:
                raise SystemExit(f"generating patient {k} failed")
            if k % 20 == 0:
                log(f"  generated {k}/{patients} patients")
        files.append(path)
    return files


def _rss_mb() -> float:
    """This process's resident memory and its children's (the runner's worker processes)."""
    total = 0
    pending = [os.getpid()]
    while pending:
        pid = pending.pop()
        with contextlib.suppress(OSError, ValueError):
            with open(f"/proc/{pid}/statm", encoding="ascii") as f:
                total += int(f.read().split()[1])
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(OSError):
                    pending += [int(c) for c in (task / "children").read_text().split()]
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20


class _Sampler:
    """Resident memory every 0.2 s while a figure runs."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.samples.append(_rss_mb())

    def __enter__(self) -> _Sampler:
        self.samples.append(_rss_mb())
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(_rss_mb())


def _descendants(pid: int) -> list[int]:
    """PID's child processes, theirs, and so on (from /proc)."""
    found: list[int] = []
    pending = [pid]
    while pending:
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pending.pop()}/task").iterdir():
                with contextlib.suppress(OSError):
                    children = [int(c) for c in (task / "children").read_text().split()]
                    found += children
                    pending += children
    return found


def _cpu_of(pids: Sequence[int]) -> float:
    """The CPU seconds (user + system) PIDS have used, from /proc (a process gone counts 0)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open(f"/proc/{pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _server_pid(conninfo: str) -> int | None:
    """The cluster's postmaster, when it runs on this machine (its data folder is readable)."""
    import psycopg

    with contextlib.suppress(psycopg.Error, OSError, ValueError, IndexError), \
            psycopg.connect(conninfo, autocommit=True) as conn:
        row = conn.execute("SHOW data_directory").fetchone()
        return int((Path(str(row[0])) / "postmaster.pid").read_text().split()[0]) if row else None
    return None


def _cpu(server: int | None, since: dict[str, float] | None = None) -> dict[str, float]:
    """CPU seconds of this process, its descendants (``clinic add``'s workers) and the server's
    processes (live ones: read while their connections are open), minus SINCE."""
    now = {"self": _cpu_of([os.getpid()]), "workers": _cpu_of(_descendants(os.getpid())),
           "server": _cpu_of(_descendants(server)) if server else 0.0}
    return {k: v - (since or {}).get(k, 0.0) for k, v in now.items()}


def run(url: str, files: Sequence[Path], chunk: int, runs: int, *, caseload_rows_wanted: int = 0,
        clones: int = 0) -> dict[str, Any]:
    import psycopg

    from desktop.clinic_cli import clinic_caseload
    from domain.application import JournalApp
    from domain.clinic import ClinicConnection, ClinicStore, discard_review_copy
    from domain.clinic.caseload import initialise, run_caseload

    connection = ClinicConnection.from_url(url)
    initialise(connection, clinic_caseload())
    report: dict[str, Any] = {"patients": len(files)}

    # add ---------------------------------------------------------------------------------------
    server = _server_pid(connection.conninfo())
    with ClinicStore(connection) as store:
        before = _cpu(server)
        started = time.perf_counter()
        for start in range(0, len(files), chunk):
            store.add(files[start:start + chunk])
        add_s = time.perf_counter() - started
        add_cpu = _cpu(server, before)  # before the store closes: its workers and their backends are alive
        with store.cursor() as c:
            c.execute("SELECT count(*) AS n FROM clinic_events")
            events = int(c.fetchone()["n"])
    report["events"] = events
    with psycopg.connect(connection.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_events (originator_id uuid, originator_version bigint, topic text, "
                     "state bytea, notification_id bigserial, PRIMARY KEY (originator_id, originator_version))")
        rows = [(r[0], r[1], r[2], bytes(r[3])) for r in conn.execute(
            "SELECT originator_id, originator_version, topic, state FROM clinic_events ORDER BY notification_id")]
        before = _cpu(server)
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur, cur.copy(
                "COPY floor_events (originator_id, originator_version, topic, state) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        floor_add_s = time.perf_counter() - started
        floor_cpu = _cpu(server, before)
        del rows
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY (SELECT originator_id, state FROM clinic_events "
                                            "ORDER BY notification_id) TO STDOUT") as copy:
            for _block in copy:
                pass
        floor_read_s = time.perf_counter() - started
        conn.execute("DROP TABLE floor_events")
    report["add_events_per_s"] = round(events / add_s)
    report["add_floor_events_per_s"] = round(events / floor_add_s)
    report["add_ratio_of_floor"] = round(floor_add_s / add_s, 3)
    # CPU of every process per entry (this one, its workers, the server's): what two free cores
    # would allow whatever the load (the server's only for a cluster on this machine).
    report["add_cpu_us_per_event"] = {k: round(v / events * 1e6, 1) for k, v in add_cpu.items()}
    report["add_floor_cpu_us_per_event"] = {k: round(v / events * 1e6, 1) for k, v in floor_cpu.items()
                                            if k != "workers"}
    log(f"add: {report['add_events_per_s']:,} events/s (COPY floor {report['add_floor_events_per_s']:,})")
    if clones:
        events, floor_read_s = _clone(connection.conninfo(), clones)
        report["patients_with_clones"] = len(files) * (1 + clones)
        report["events_with_clones"] = events

    # catch-up ------------------------------------------------------------------------------------
    with _Sampler() as memory:
        import resource

        def usage() -> tuple[Any, Any]:
            return resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)

        own, workers = usage()
        started = time.perf_counter()
        run_caseload(connection, clinic_caseload(), once=True)
        catchup_s = time.perf_counter() - started
        own_after, workers_after = usage()
    report["catchup_s"] = round(catchup_s, 1)
    # CPU of the runner (this process) and of its worker processes (ended and reaped by then): what
    # two free cores would allow, whatever the load; the server's share is not in it.
    cpu = {"runner": own_after.ru_utime + own_after.ru_stime - own.ru_utime - own.ru_stime,
           "workers": workers_after.ru_utime + workers_after.ru_stime - workers.ru_utime - workers.ru_stime}
    report["catchup_cpu_us_per_event"] = {k: round(v / events * 1e6, 1) for k, v in cpu.items()}
    report["catchup_events_per_s"] = round(events / catchup_s)
    report["catchup_floor_events_per_s"] = round(events / floor_read_s)
    third = max(1, len(memory.samples) // 3)
    report["catchup_rss_mb"] = {"start": round(memory.samples[0]), "peak": round(max(memory.samples)),
                                "first_third_peak": round(max(memory.samples[:third])),
                                "last_third_peak": round(max(memory.samples[-third:]))}
    log(f"catch-up: {report['catchup_events_per_s']:,} events/s, memory {report['catchup_rss_mb']}")

    # caseload ------------------------------------------------------------------------------------
    with ClinicStore(connection) as store:
        patients = len(files) * (1 + clones)
        _caseload_figure(report, store, connection.conninfo(), patients, runs=max(runs, 5), suffix="")
        if caseload_rows_wanted > patients:
            # The 2,000-patient list from the rows derived here, copied under new ids (its
            # patients and their order keys too), read by the same code, then removed.
            with psycopg.connect(connection.conninfo(), autocommit=True) as conn:
                _copy_rows(conn, caseload_rows_wanted)
            _caseload_figure(report, store, connection.conninfo(), caseload_rows_wanted, runs=max(runs, 5),
                             suffix=f"_{caseload_rows_wanted}")
            with psycopg.connect(connection.conninfo(), autocommit=True) as conn:
                conn.execute("DELETE FROM clinic_caseload WHERE applied = -1")
                conn.execute("DELETE FROM clinic_patients WHERE patient LIKE 'Copy %'")

        # open ------------------------------------------------------------------------------------
        sample = files[len(files) // 2]
        with JournalApp.open(sample, readonly=True) as app:
            journal_id = str(app.journal_id)
        from desktop.session.caseload import CaseloadSession
        from desktop.session.opening import open_session
        from domain.clinic.copy_writer import CopyWriter
        from domain.clinic.review_copy import take_review_copy

        # Twice: the journal itself (JournalApp) and as the desktop opens it (the journal and the
        # window's read models: a double click in the caseload does ``CaseloadSession.
        # open_patient``, File → Open does ``open_session``). From the store the review copy is
        # written while its rows are decoded and is not read back (``take_review_copy``); the
        # journal waits for the file only where it first needs it (a save, an export), so a
        # review that only reads never does. Removing the copy (``discard_review_copy``, after
        # the timed part) waits for its writing, so the next figure is never taken beside it.
        caseload = CaseloadSession.of(store, "benchmark")  # the desktop's: its copies' writer started
        writer = CopyWriter()  # the same for the journal alone (the median leaves out its start)
        writer.start()
        opened: dict[str, list[float]] = {k: [] for k in ("store", "file", "store_desktop", "file_desktop")}
        for _ in range(runs):
            started = time.perf_counter()
            review_copy = take_review_copy(store, journal_id, "Benchmark", writer=writer)
            with review_copy.open("Benchmark"):
                pass
            opened["store"].append(time.perf_counter() - started)
            discard_review_copy(review_copy.path)
            started = time.perf_counter()
            with JournalApp.open(sample, readonly=True):
                pass
            opened["file"].append(time.perf_counter() - started)
            started = time.perf_counter()
            review = caseload.open_patient(uuid.UUID(journal_id), "Benchmark")
            review.close()
            opened["store_desktop"].append(time.perf_counter() - started)
            caseload.discard(review.path)
            started = time.perf_counter()
            open_session(sample).close()
            opened["file_desktop"].append(time.perf_counter() - started)
        writer.close()
        caseload.close()
        median = {k: statistics.median(v) for k, v in opened.items()}
        report["open_from_store_s"] = round(median["store"], 3)
        report["open_from_file_s"] = round(median["file"], 3)
        report["open_ratio"] = round(median["store"] / median["file"], 2)
        report["open_desktop_from_store_s"] = round(median["store_desktop"], 3)
        report["open_desktop_from_file_s"] = round(median["file_desktop"], 3)
        report["open_desktop_ratio"] = round(median["store_desktop"] / median["file_desktop"], 2)
        log(f"open: {report['open_from_store_s']} s from the store, {report['open_from_file_s']} s from the file; "
            f"in the desktop {report['open_desktop_from_store_s']} s and {report['open_desktop_from_file_s']} s")
    return report


def _clone(conninfo: str, clones: int) -> tuple[int, float]:
    """Store every added patient's log CLONES more times under new journal ids (the name in its
    start made distinct), inside the server: a clinic of (1 + CLONES) x the generated patients
    without generating and adding each one (``clinic add`` measured on the originals only). Each
    clone's entries are contiguous in the log, as an add writes them. (entries now, the read
    floor over all of them)."""
    import psycopg

    with psycopg.connect(conninfo, autocommit=True) as conn:
        for k in range(1, clones + 1):
            started = time.perf_counter()
            # A clone's id: a hash of the original's and k. Only a start holds the name.
            conn.execute(
                "INSERT INTO clinic_events (originator_id, originator_version, topic, state) "
                "SELECT md5(originator_id::text || %(k)s)::uuid, originator_version, topic, "
                "CASE WHEN topic LIKE '%%JournalStarted' THEN substring(state FROM 1 FOR 16) || convert_to(replace("
                "convert_from(substring(state FROM 17), 'UTF8'), '\"patient\":\"', '\"patient\":\"' || %(tag)s), "
                "'UTF8') ELSE state END "
                "FROM clinic_events WHERE originator_id IN (SELECT journal_id FROM clinic_patients "
                "WHERE patient NOT LIKE 'Clone %%') ORDER BY originator_id, originator_version",
                {"k": str(k), "tag": f"Clone {k} of "})
            conn.execute("INSERT INTO clinic_patients (journal_id, patient) SELECT "
                         "md5(journal_id::text || %(k)s)::uuid, %(tag)s || patient FROM clinic_patients "
                         "WHERE patient NOT LIKE 'Clone %%'",
                         {"k": str(k), "tag": f"Clone {k} of "})
            log(f"  clone {k}/{clones} stored in {time.perf_counter() - started:.0f} s")
        conn.execute("VACUUM ANALYZE clinic_events")
        row = conn.execute("SELECT count(*) FROM clinic_events").fetchone()
        events = int(row[0]) if row else 0
        started = time.perf_counter()
        with conn.cursor() as cur, cur.copy("COPY (SELECT originator_id, state FROM clinic_events "
                                            "ORDER BY notification_id) TO STDOUT") as copy:
            for _block in copy:
                pass
        return events, time.perf_counter() - started


def _caseload_figure(report: dict[str, Any], store: Any, conninfo: str, expected: int, *, runs: int,
                     suffix: str) -> None:
    """``clinic caseload``'s reads (every row, most urgent first) against a plain SELECT of them:
    the rows as the desktop decodes them (``caseload_rows``), and the command's two outputs as it
    prints them (the listing, ``--json``), each as wall-clock and CPU time (the median)."""
    import io

    import psycopg

    from desktop.clinic_cli import _caseload, caseload_rows

    def printed(as_json: bool) -> None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            _caseload(store, None, as_json=as_json)

    assert len(caseload_rows(store, None)) == expected
    for name, read in (("", lambda: caseload_rows(store, None)), ("_list", lambda: printed(False)),
                       ("_json", lambda: printed(True))):
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            read()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        report[f"caseload{suffix}{name}_ms"] = round(statistics.median(times) * 1000, 1)
        report[f"caseload{suffix}{name}_cpu_ms"] = round(statistics.median(cpu) * 1000, 1)
    floors = []
    with psycopg.connect(conninfo) as conn:
        for _ in range(runs):
            started = time.perf_counter()
            conn.execute("SELECT c.body, p.therapist FROM clinic_caseload c JOIN clinic_patients p USING (journal_id)",
                         binary=True).fetchall()
            floors.append(time.perf_counter() - started)
    report[f"caseload{suffix}_floor_ms"] = round(statistics.median(floors) * 1000, 1)
    log(f"caseload of {expected}: rows {report[f'caseload{suffix}_ms']} ms, listing "
        f"{report[f'caseload{suffix}_list_ms']} ms, --json {report[f'caseload{suffix}_json_ms']} ms "
        f"(SELECT floor {report[f'caseload{suffix}_floor_ms']} ms)")


def _copy_rows(conn: Any, wanted: int) -> None:
    """Copies of the derived rows under new patient ids and names until the caseload holds
    WANTED rows, each stored in all its forms as the runner stores them."""
    import uuid
    from dataclasses import replace

    from domain.clinic.schema import FORM_COLUMNS
    from projections.caseload import rows_from_stored, stored_forms

    bodies = conn.execute("SELECT as_of, body FROM clinic_caseload ORDER BY journal_id").fetchall()
    base = [(as_of, rows_from_stored(b'[{"therapist":null,' + bytes(body)[1:] + b"]")[0]) for as_of, body in bodies]
    copies = []
    for k in range(wanted - len(base)):
        as_of, row = base[k % len(base)]
        copy = replace(row, patient_id=uuid.uuid4(), name=f"Copy {k:05d} of {row.name}")
        copies.append((copy.patient_id, as_of, *stored_forms(copy), copy.name))
    with conn.cursor() as cur:
        cur.executemany("INSERT INTO clinic_patients (journal_id, patient) VALUES (%s, %s)",
                        [(c[0], c[-1]) for c in copies])
        cur.executemany(f"INSERT INTO clinic_caseload (journal_id, as_of, {', '.join(FORM_COLUMNS)}, applied) "
                        f"VALUES (%s, %s, {', '.join(['%s'] * len(FORM_COLUMNS))}, -1)", [c[:-1] for c in copies])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks clinic", description=__doc__.split("\n\n")[1])
    parser.add_argument("--patients", type=int, default=50, help="patients in the generated clinic (issue: 2000)")
    parser.add_argument("--years", type=float, default=1.0, help="years of each patient's journal")
    parser.add_argument("--chunk", type=int, default=25, help="copies per `clinic add` call")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clones", type=int, default=0,
                        help="store each generated patient this many more times under new ids, inside the server "
                             "(200 patients and --clones 9: the issue's 2,000-patient clinic)")
    parser.add_argument("--caseload-rows", type=int, default=2000,
                        help="also read a caseload of this many rows (the derived ones copied under new ids)")
    parser.add_argument("--db", help="an empty database's libpq URL (default: a throwaway cluster)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    files = patient_files(args.patients, args.years)
    cluster = None
    url = args.db
    if url is None:
        sys.path.insert(0, str(ROOT))
        from tests.clinic.cluster import find_bindir, start_cluster

        bindir = find_bindir()
        if bindir is None:
            raise SystemExit("no PostgreSQL server binaries here: install Debian's postgresql or pass --db")
        cluster = start_cluster(bindir)
        os.environ["PGPASSWORD"] = cluster.password
        url = cluster.url
    try:
        started = time.perf_counter()
        report = run(url, files, args.chunk, args.runs, caseload_rows_wanted=args.caseload_rows,
                     clones=args.clones)
        report["seconds"] = round(time.perf_counter() - started, 1)
        report["cpus"] = os.cpu_count()
        report["load_avg"] = os.getloadavg()
    finally:
        if cluster is not None:
            cluster.stop()
    print(json.dumps(report, indent=2) if args.json else "\n".join(f"{k}: {v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
