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

from benchmarks.domain_figures import BenchError, Context, _journal
from benchmarks.harness import Result, fmt, median, paired_ratio

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCREEN_SIZE = "1200x800"


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
    keys = ["startup_ratio", "rss_mb"]
    missing = _module_missing("desktop.main_window")
    if missing:
        return Result.not_available("startup + memory", keys, f"not available yet: {missing}")
    journal = _journal(ctx)
    app_cmd = [sys.executable, "-m", "benchmarks.app_window", str(journal)]
    # One untimed start each, so both measure a warm page cache (installed files, bytecode).
    _painted(run_child(BARE), "the bare window")
    _painted(run_child(app_cmd), "the main window")
    app_s: list[float] = []
    bare_s: list[float] = []
    loaded_s: list[float] = []
    rss: list[float] = []
    bare_rss: list[float] = []
    for i in range(ctx.runs):
        for name in (("app", "bare") if i % 2 == 0 else ("bare", "app")):
            if name == "app":
                child = run_child(app_cmd)
                painted, report = _painted(child, "the main window")
                app_s.append(painted)
                rss.append(float(report["peak_rss_mb"]))
                if report.get("loaded") is not None:
                    loaded_s.append(float(report["loaded"]) - child.spawned)
            else:
                painted, report = _painted(run_child(BARE), "the bare window")
                bare_s.append(painted)
                bare_rss.append(float(report["peak_rss_mb"]))

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
    details: dict[str, Any] = {
        "startup_s": median(app_s), "startup_floor_s": median(bare_s),
        "startup_loaded_s": median(loaded_s) if loaded_s else None,
        "startup_loaded_ratio": median(loaded_s) / median(bare_s) if loaded_s else None,
        "startup_screenshot_s": median(shots) if shots else None,
        "rss_floor_mb": median(bare_rss),
    }
    loaded = (f"; journal shown after {fmt(details['startup_loaded_s'], 's')} "
              f"({details['startup_loaded_ratio']:.1f}× bare)") if loaded_s else ""
    shot_text = f"; --screenshot {fmt(details['startup_screenshot_s'], 's')}" if shots else ""
    return Result(
        "startup + memory", {"startup_ratio": ratio, "rss_mb": median(rss)},
        measured=f"first paint {fmt(median(app_s), 's')} vs bare {fmt(median(bare_s), 's')}{loaded}{shot_text}; "
                 f"peak RSS {fmt(median(rss), 'MB')} (journal loaded) vs bare {fmt(median(bare_rss), 'MB')}",
        floor="fresh process: import PySide6 + pyqtgraph, bare QMainWindow shown, first paint, exit",
        details=details)


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
