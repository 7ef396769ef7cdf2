"""``python -m benchmarks [--years N] [--seed S] [--runs K] [--json] [--only NAME,…] [--profile]``

Generates (or reuses, under build/bench/) a realistic journal of N years, then measures every
figure side by side with its floor and prints a table, or with ``--json`` exactly one JSON
object whose keys ``STABLE_KEYS`` are always present (null when a figure could not be measured;
``notes`` says why). Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks import generate as gen
from benchmarks.domain_figures import (
    BenchError,
    Context,
    bench_asof,
    bench_import,
    bench_open,
    bench_verify,
    cleanup,
)
from benchmarks.harness import STABLE_KEYS, TARGETS, Result, fmt, log

ROOT = Path(__file__).resolve().parent.parent
# The generated journals and scratch files; SCIATICA_BENCH_DIR moves them (the tests use a tmp dir).
CACHE = Path(os.environ.get("SCIATICA_BENCH_DIR") or ROOT / "build" / "bench")

Bench = Callable[[Context], Result]


def _benches() -> list[tuple[str, Bench, tuple[str, ...]]]:
    from benchmarks.desktop_figures import bench_record_window, bench_redraw, bench_startup

    return [
        ("import", bench_import, ("import_events_per_s", "import_ratio")),
        ("verify", bench_verify, ("verify_events_per_s", "verify_ratio")),
        ("open", bench_open, ("open_ratio", "open_s")),
        ("asof", bench_asof, ("asof_p95_ms", "asrecorded_p95_ms")),
        ("record", bench_record_window, ("record_p95_ms",)),
        ("startup", bench_startup, ("startup_ratio", "startup_loaded_ratio", "rss_mb", "rss_over_bare_mb")),
        ("redraw", bench_redraw, ("redraw_ms",)),
    ]


UNITS = {"open_ratio": "×", "open_s": "s", "asof_p95_ms": "ms", "record_p95_ms": "ms",
         "import_events_per_s": "events/s", "verify_events_per_s": "events/s", "startup_ratio": "×",
         "redraw_ms": "ms", "rss_mb": "MB", "asrecorded_p95_ms": "ms", "startup_loaded_ratio": "×",
         "rss_over_bare_mb": "MB", "import_ratio": "×", "verify_ratio": "×"}


def journal_file(years: float, seed: int) -> Path:
    """The cached generated journal for YEARS and SEED (regenerated when the generator changes)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"journal-{years:g}y-seed{seed}-g{gen.GENERATOR_VERSION}.jsonl"
    if not path.exists():
        log(f"generating {years:g} years (seed {seed}) → {path}")
        gen.write(gen.generate(years, seed), path)
    return path


def run(years: float, seed: int, runs: int, only: Sequence[str] | None, profile: bool) -> dict[str, Any]:
    jsonl = journal_file(years, seed)
    with jsonl.open("rb") as f:
        count = sum(1 for line in f if line.strip())
    workdir = CACHE / f"work-{os.getpid()}"
    workdir.mkdir(parents=True, exist_ok=True)
    ctx = Context(years=years, seed=seed, runs=runs, jsonl=jsonl, event_count=count, workdir=workdir,
                  profile_dir=CACHE / "profiles" if profile else None)
    results: list[Result] = []
    started = time.perf_counter()
    try:
        for name, bench, keys in _benches():
            if only and name not in only and name != "import":  # everything needs the imported journal
                continue
            log(f"[{time.perf_counter() - started:6.1f}s] {name} …")
            try:
                result = bench(ctx)
            except BenchError as exc:
                result = Result.not_available(name, keys, f"error: {exc}")
            except Exception as exc:  # a figure that crashes must not hide the others
                detail = traceback.format_exc(limit=-3)
                log(detail)
                result = Result.not_available(name, keys, f"error: {type(exc).__name__}: {exc}")
            if result.na:
                log(f"  n/a: {result.na}")
            results.append(result)
    finally:
        cleanup(ctx)
    figures: dict[str, Any] = dict.fromkeys(STABLE_KEYS)
    notes: dict[str, str] = {}
    details: dict[str, Any] = {}
    for r in results:
        figures.update(r.figures)
        details.update(r.details)
        if "asrecorded_p95_ms" in r.details:  # measured beside the as-of figure, reported as one
            figures["asrecorded_p95_ms"] = r.details["asrecorded_p95_ms"]
        if r.na:
            for key in r.figures:
                notes[key] = r.na
    notes.update({k: v for k, v in ctx.notes.items() if k not in notes})
    if figures["asrecorded_p95_ms"] is None and "asof_p95_ms" in notes:
        notes.setdefault("asrecorded_p95_ms", notes["asof_p95_ms"])
    return {
        **{key: figures[key] for key in STABLE_KEYS},
        "targets": {key: str(target) for key, target in TARGETS.items()},
        "met": {key: target.met(figures[key]) for key, target in TARGETS.items()},
        "notes": notes,
        "details": details,
        "rows": [{"name": r.name, "measured": r.measured, "floor": r.floor, "na": r.na} for r in results],
        "meta": {
            "years": years, "seed": seed, "events": count, "runs": runs,
            "date": datetime.now().isoformat(timespec="seconds"), "python": platform.python_version(),
            "machine": platform.machine(), "cpus": os.cpu_count(),
            "load_avg": os.getloadavg() if hasattr(os, "getloadavg") else None,
            "seconds": round(time.perf_counter() - started, 1),
        },
    }


def table(report: dict[str, Any]) -> str:
    meta = report["meta"]
    lines = [f"Sciatica Tracker benchmarks — {meta['years']:g} years, {meta['events']:,} events, "
             f"median of {meta['runs']} runs, {meta['date']} (load {_load(meta['load_avg'])})", ""]
    header = f"{'figure':<22} {'value':>16} {'target':>12} {'':>4}  measured"
    lines += [header, "-" * len(header)]
    by_key = {key: row for row in report["rows"] for key in _row_keys(row["name"])}
    for key in STABLE_KEYS:
        value = report[key]
        target = report["targets"].get(key, "")
        met = report["met"].get(key)
        mark = "" if met is None else ("ok" if met else "MISS")
        row = by_key.get(key)
        if value is None:
            why = report["notes"].get(key, "not measured")
            detail = f"n/a ({why})"
        else:
            detail = row["measured"] if row else ""
            if key in report["notes"]:
                detail += f" [{report['notes'][key]}]"
        lines.append(f"{key:<22} {fmt(value, UNITS[key]):>16} {target:>12} {mark:>4}  {detail}")
    lines += ["", "floors:"]
    lines += [f"  {row['name']:<20} {row['floor']}" for row in report["rows"] if row["floor"]]
    return "\n".join(lines)


def markdown(report: dict[str, Any]) -> str:
    """The figures as a Markdown table (for docs/performance.md)."""
    by_key = {key: row for row in report["rows"] for key in _row_keys(row["name"])}
    lines = ["| figure | value | target | met | measured |", "|---|---|---|---|---|"]
    for key in STABLE_KEYS:
        value = report[key]
        met = report["met"].get(key)
        row = by_key.get(key)
        if value is None:
            detail = f"n/a ({report['notes'].get(key, 'not measured')})"
        else:
            detail = row["measured"] if row else ""
        lines.append(f"| `{key}` | {fmt(value, UNITS[key])} | {report['targets'].get(key, '–')} | "
                     f"{'–' if met is None else ('yes' if met else '**no**')} | {detail} |")
    meta = report["meta"]
    lines.append("")
    lines.append(f"{meta['years']:g} years, {meta['events']:,} events, median of {meta['runs']} runs, "
                 f"{meta['date']}, {meta['cpus']} CPUs, load average {_load(meta['load_avg'])}.")
    return "\n".join(lines)


def _row_keys(name: str) -> tuple[str, ...]:
    return {"import": ("import_events_per_s",), "verify": ("verify_events_per_s",),
            "open": ("open_ratio", "open_s"), "as-of status": ("asof_p95_ms", "asrecorded_p95_ms"),
            "record a check-in": ("record_p95_ms",),
            "startup + memory": ("startup_ratio", "startup_loaded_ratio", "rss_mb", "rss_over_bare_mb"),
            "progress redraw": ("redraw_ms",)}.get(name, ())


def _load(load: Any) -> str:
    return ", ".join(f"{x:.2f}" for x in load) if load else "?"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["clinic"]:  # clinic mode on PostgreSQL (issue 20): its own figures
        from benchmarks.clinic import main as clinic_main

        return clinic_main(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[1])
    parser.add_argument("--years", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (the median is reported)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--markdown", action="store_true", help="print the figures as a Markdown table")
    parser.add_argument("--only", help="comma-separated: " + ",".join(n for n, _, _ in _benches()))
    parser.add_argument("--profile", action="store_true",
                        help="also run import, verify, open and record under cProfile (build/bench/profiles)")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.years <= 0:
        parser.error("--runs must be ≥ 1 and --years > 0")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    only = [x.strip() for x in args.only.split(",")] if args.only else None
    report = run(args.years, args.seed, args.runs, only, args.profile)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif args.markdown:
        print(markdown(report))
    else:
        print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
