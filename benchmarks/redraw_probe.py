"""Time a full redraw of the Progress view's curves on a journal, in its own process.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.redraw_probe JOURNAL [--runs K]

Prints one JSON line: ``{"redraw_ms", "floor_ms", "curves", "points", "runs_ms", "how"}``, or
``{"na": reason}`` when the view offers no entry point this probe knows. The floor draws the
same number of points with plain pyqtgraph ``PlotWidget``s (one per curve) and one grab.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# How a ProgressView can be fed, in the order tried: (method name, what it takes).
FEEDERS: tuple[tuple[str, str], ...] = (
    ("set_timeline", "timeline"), ("show_timeline", "timeline"), ("render", "timeline"),
    ("update_from", "timeline"), ("refresh", "timeline"), ("set_entries", "entries"),
    ("set_events", "entries"),
)


def _emit(obj: dict[str, Any]) -> int:
    print(json.dumps(obj))
    return 0


def _count_points(root: Any) -> tuple[int, int]:
    """(curves, points) of every pyqtgraph PlotDataItem under ROOT."""
    import pyqtgraph as pg

    curves = points = 0
    for widget in root.findChildren(pg.PlotWidget):
        for item in widget.getPlotItem().listDataItems():
            xs, _ = item.getData()
            curves += 1
            points += 0 if xs is None else len(xs)
    return curves, points


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    qapp = QApplication(sys.argv[:1])
    from domain.application import JournalApp

    try:
        from projections.timeline import Timeline  # type: ignore[import-not-found,attr-defined,unused-ignore]
    except ImportError as exc:
        return _emit({"na": f"projections.timeline is not available yet ({exc})"})
    from desktop.views import progress  # type: ignore[attr-defined,unused-ignore]

    view_cls = getattr(progress, "ProgressView", None)
    if view_cls is None:
        return _emit({"na": "desktop.views.progress has no ProgressView class"})
    with JournalApp.open(args.journal, readonly=True) as app:
        entries = app.entries()
    timeline = Timeline(entries)

    view: Any = None
    feed: Callable[[], Any] | None = None
    how = ""
    for ctor_args in ((), (timeline,)):
        try:
            view = view_cls(*ctor_args)
        except TypeError:
            continue
        for name, takes in FEEDERS:
            method = getattr(view, name, None)
            if callable(method):
                arg = timeline if takes == "timeline" else entries

                def feed(method: Callable[[Any], Any] = method, arg: Any = arg) -> Any:
                    return method(arg)

                how = f"ProgressView({'timeline' if ctor_args else ''}).{name}({takes})"
                break
        if feed is not None:
            break
    if view is None or feed is None:
        return _emit({"na": "desktop.views.progress.ProgressView has no entry point the probe knows "
                            f"(tried {', '.join(n for n, _ in FEEDERS)})"})
    view.resize(1200, 800)
    view.show()
    qapp.processEvents()
    # Every sign's plot built, as in a view scrolled through (those below the fold are built
    # when scrolled to): the redraw and its floor's curve count cover all five.
    plots = getattr(getattr(view, "charts", None), "plots", None)
    if plots is not None:
        list(plots.values())
        qapp.processEvents()

    def redraw() -> float:
        start = time.perf_counter()
        feed()
        view.grab()
        return (time.perf_counter() - start) * 1000

    redraw()  # first draw builds the plots; the figure is a redraw
    runs_ms = [redraw() for _ in range(args.runs)]
    curves, points = _count_points(view)

    # Floor: the same points in bare PlotWidgets.
    host = QWidget()
    layout = QVBoxLayout(host)
    plots = [pg.PlotWidget() for _ in range(max(1, min(curves, 8)))]
    for p in plots:
        layout.addWidget(p)
    host.resize(1200, 800)
    host.show()
    qapp.processEvents()
    import numpy as np

    per_curve = max(1, points // max(1, curves))
    xs = np.arange(per_curve, dtype=float)
    ys = np.sin(xs / 30.0)

    def floor() -> float:
        start = time.perf_counter()
        for i in range(max(1, curves)):
            plots[i % len(plots)].plot(xs, ys + i, clear=(i < len(plots)))
        host.grab()
        return (time.perf_counter() - start) * 1000

    floor()
    floor_ms = [floor() for _ in range(args.runs)]
    return _emit({"redraw_ms": statistics.median(runs_ms), "floor_ms": statistics.median(floor_ms),
                  "curves": curves, "points": points, "runs_ms": runs_ms, "how": how})


if __name__ == "__main__":
    status = main()
    sys.stdout.flush()
    os._exit(status)  # skip interpreter teardown: PySide6 can crash there, after the report
