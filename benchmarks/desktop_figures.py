"""The desktop figures: cold start, peak memory and the Progress redraw, each in fresh
subprocesses (``QT_QPA_PLATFORM=offscreen``) so nothing the benchmark imported is shared."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.domain_figures import BenchError, Context, _journal, bench_record, copy_db, remove_db
from benchmarks.harness import Result, fmt, median, paired_ratio, percentile

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCREEN_SIZE = "1200x800"
WINDOW_CHECKINS = 40  # check-ins saved through the window per run of the record figure


@dataclass(frozen=True)
class Child:
    spawned: float  # wall time (time.time()) just before the spawn
    seconds: float  # wall time from spawn to exit
    code: int
    stdout: str
    stderr: str

    def report(self) -> dict[str, Any]:
        """The probe's JSON line (its last line of output)."""
        lines = [line for line in self.stdout.splitlines() if line.strip()]
        try:
            value = json.loads(lines[-1])
        except (IndexError, ValueError):
            raise BenchError(f"the probe printed no report (exit {self.code}): {last_line(self.stderr)}") from None
        if not isinstance(value, dict):
            raise BenchError("the probe's report is not a JSON object")
        return value


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    # Keep the user's real settings (recent files, window geometry) out of the measurement.
    env["XDG_CONFIG_HOME"] = str(Path(tempfile.gettempdir()) / "sciatica-bench-config")
    # An installed app has its bytecode compiled (pip, the bundle); without this a shell that
    # sets PYTHONDONTWRITEBYTECODE makes every child compile the app's modules from source,
    # while the floor's (PySide6, pyqtgraph) come precompiled: the warm-up start writes them.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(cmd: list[str], timeout: float = 600) -> Child:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        spawned = time.time()
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=child_env(), cwd=ROOT, stdout=out, stderr=err, timeout=timeout,
                              check=False)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return Child(spawned, elapsed, proc.returncode, out.read().decode("utf-8", "replace"),
                     err.read().decode("utf-8", "replace"))


def last_line(text: str) -> str:
    """The last non-blank line of a child's stderr (usually the exception), trimmed."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no message)"


def _module_missing(name: str) -> str | None:
    try:
        found = importlib.util.find_spec(name)
    except ImportError as exc:
        return f"{name} cannot be imported ({exc})"
    return None if found is not None else f"{name} does not exist yet"


def screenshot_command(journal: Path, out: Path, view: str = "checkin") -> list[str]:
    return [sys.executable, "-m", "desktop", str(journal), "--screenshot", str(out), "--view", view,
            "--size", SCREEN_SIZE]


BARE = [sys.executable, "-m", "benchmarks.bare_window"]


def _painted(child: Child, what: str) -> tuple[float, dict[str, Any]]:
    """Seconds from spawn to first paint, and the probe's report."""
    if child.code != 0:
        raise BenchError(f"{what} failed (exit {child.code}): {last_line(child.stderr)}")
    report = child.report()
    if report.get("painted") is None:
        raise BenchError(f"{what} never painted its window")
    return float(report["painted"]) - child.spawned, report


def bench_startup(ctx: Context) -> Result:
    keys = ["startup_ratio", "startup_loaded_ratio", "rss_mb", "rss_over_bare_mb"]
    missing = _module_missing("desktop.main_window")
    if missing:
        return Result.not_available("startup + memory", keys, f"not available yet: {missing}")
    journal = _journal(ctx)
    app_cmd = [sys.executable, "-m", "benchmarks.app_window", str(journal)]
    # One untimed start each, so both measure a warm page cache (installed files, bytecode).
    _painted(run_child(BARE), "the bare window")
    _painted(run_child(app_cmd), "the main window")
    # Per run: first paint (app, bare), spawn → installed, spawn → loaded, loaded / bare, peak RSS.
    runs: dict[str, list[float]] = {key: [] for key in (
        "app", "bare", "installed", "loaded", "loaded_ratio", "rss", "bare_rss")}
    for i in range(ctx.runs):
        pair: dict[str, tuple[float, dict[str, Any], Child]] = {}
        for name in (("app", "bare") if i % 2 == 0 else ("bare", "app")):
            child = run_child(app_cmd if name == "app" else BARE)
            painted, report = _painted(child, "the main window" if name == "app" else "the bare window")
            pair[name] = (painted, report, child)
        painted, report, child = pair["app"]
        bare_painted, bare_report, _ = pair["bare"]
        runs["app"].append(painted)
        runs["bare"].append(bare_painted)
        runs["rss"].append(float(report["peak_rss_mb"]))
        runs["bare_rss"].append(float(bare_report["peak_rss_mb"]))
        if report.get("installed") is not None:
            runs["installed"].append(float(report["installed"]) - child.spawned)
        if report.get("loaded") is not None:
            loaded = float(report["loaded"]) - child.spawned
            runs["loaded"].append(loaded)
            runs["loaded_ratio"].append(loaded / bare_painted)
    app_s, bare_s, rss, bare_rss = runs["app"], runs["bare"], runs["rss"], runs["bare_rss"]
    installed_s, loaded_s, loaded_ratios = runs["installed"], runs["loaded"], runs["loaded_ratio"]

    # The documented headless path: ``sciatica FILE --screenshot`` renders the check-in view with
    # the journal fully loaded (spawn to exit).
    shot = ctx.path("startup.png")
    shots: list[float] = []
    for _ in range(max(1, ctx.runs // 2)):
        child = run_child(screenshot_command(journal, shot))
        if child.code != 0 or not shot.exists():
            ctx.notes["startup_screenshot_s"] = f"sciatica --screenshot failed: {last_line(child.stderr)}"
            break
        shot.unlink()
        shots.append(child.seconds)

    ratio = paired_ratio(app_s, bare_s)
    loaded_ratio = median(loaded_ratios) if loaded_ratios else None
    if loaded_ratio is None:
        ctx.notes["startup_loaded_ratio"] = "the Progress view never drew its curves"
    over_bare = median([a - b for a, b in zip(rss, bare_rss, strict=True)])
    details: dict[str, Any] = {
        "startup_s": median(app_s), "startup_floor_s": median(bare_s),
        "startup_installed_s": median(installed_s) if installed_s else None,
        "startup_loaded_s": median(loaded_s) if loaded_s else None,
        "startup_screenshot_s": median(shots) if shots else None,
        "rss_floor_mb": median(bare_rss),
    }
    loaded = (f"; journal shown with Progress drawn after {fmt(details['startup_loaded_s'], 's')} "
              f"({loaded_ratio:.1f}× bare)") if loaded_ratio is not None else ""
    shot_text = f"; --screenshot {fmt(details['startup_screenshot_s'], 's')}" if shots else ""
    return Result(
        "startup + memory",
        {"startup_ratio": ratio, "startup_loaded_ratio": loaded_ratio, "rss_mb": median(rss),
         "rss_over_bare_mb": over_bare},
        measured=f"first paint {fmt(median(app_s), 's')} vs bare {fmt(median(bare_s), 's')}{loaded}{shot_text}; "
                 f"peak RSS {fmt(median(rss), 'MB')} (journal loaded) vs bare {fmt(median(bare_rss), 'MB')}",
        floor="fresh process: import PySide6 + pyqtgraph, bare QMainWindow shown, first paint, exit",
        details=details)


def bench_record_window(ctx: Context) -> Result:
    """A check-in saved through the window's Check-in view on the 10-year journal, with every
    view installed: the time until every view's change handler has run (the headline), and
    with the repaint after it. The service alone (``domain_figures.bench_record``) goes to the
    details; it is the headline only when the window cannot be measured."""
    service = bench_record(ctx)
    details = {**service.details, "record_service_p95_ms": service.figures.get("record_p95_ms")}
    missing = _module_missing("desktop.main_window")
    journal = _journal(ctx)
    copy = ctx.path("record-window.sciatica")
    copy_db(journal, copy)
    try:
        child = None if missing else run_child([sys.executable, "-m", "benchmarks.app_window", str(copy),
                                                "--record", str(WINDOW_CHECKINS)])
    finally:
        remove_db(copy)
    report = child.report() if child is not None and child.code == 0 else {}
    handled = [float(x) for x in report.get("record_ms", [])]
    if not handled:
        why = missing or (last_line(child.stderr) if child is not None else "not run")
        ctx.notes["record_p95_ms"] = f"the window could not be measured ({why}); the service alone"
        return Result(service.name, service.figures, measured=service.measured, floor=service.floor,
                      details=details)
    painted = [float(x) for x in report.get("record_paint_ms", [])]
    p95 = percentile(handled, 95)
    details.update({"record_window_median_ms": median(handled),
                    "record_window_paint_p95_ms": percentile(painted, 95) if painted else None})
    return Result(
        "record a check-in", {"record_p95_ms": p95},
        measured=f"through the window: p95 {fmt(p95, 'ms')} (median {fmt(median(handled), 'ms')}), "
                 f"with the repaint p95 {fmt(details['record_window_paint_p95_ms'], 'ms')}; "
                 f"the service alone: {service.measured}",
        floor=service.floor, details=details)


def bench_redraw(ctx: Context) -> Result:
    keys = ["redraw_ms"]
    missing = _module_missing("desktop.views.progress")
    if missing:
        return Result.not_available("progress redraw", keys, f"not available yet: {missing}")
    journal = _journal(ctx)
    cmd = [sys.executable, "-m", "benchmarks.redraw_probe", str(journal), "--runs", str(max(3, ctx.runs))]
    with tempfile.TemporaryFile() as out:
        proc = subprocess.run(cmd, env=child_env(), cwd=ROOT, stdout=out, stderr=subprocess.PIPE,
                              timeout=600, check=False)
        out.seek(0)
        raw = out.read().decode("utf-8", "replace")
    try:
        report = json.loads(raw.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise BenchError(f"the redraw probe failed (exit {proc.returncode}): "
                         f"{last_line(proc.stderr.decode('utf-8', 'replace'))}") from None
    if report.get("na"):
        return Result.not_available("progress redraw", keys, str(report["na"]))
    redraw = float(report["redraw_ms"])
    floor = float(report["floor_ms"])
    return Result(
        "progress redraw", {"redraw_ms": redraw},
        measured=f"median {fmt(redraw, 'ms')} for {report.get('curves')} curves / {report.get('points')} points "
                 f"vs floor {fmt(floor, 'ms')} ({redraw / floor:.1f}×)",
        floor="plain pyqtgraph PlotWidgets: setData of the same points + one grab",
        details={"redraw_floor_ms": floor, "redraw_runs_ms": report.get("runs_ms"),
                 "redraw_how": report.get("how")})
