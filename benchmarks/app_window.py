"""Cold start of the real main window, as ``sciatica FILE --view progress`` starts it (``desktop.launch.run_gui``):
create the application, show ``MainWindow``, open FILE (on its worker thread), note the first
paint, the moment the journal is installed, and the moment the Progress view has drawn its
curves for it ("loaded": journal shown and Progress drawn), then exit. Prints one JSON line
``{"painted", "installed", "loaded": wall times | null, "plots_drawn": [sign…], "peak_rss_mb": …}``.

With ``--record N`` it then saves N check-ins through the Check-in view (as a click on Save
does) with every view installed, and adds ``record_ms``: each save's time until every view's
change handler has run, and ``record_paint_ms``: the same plus the repaint that follows.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.app_window FILE [--paint-only] [--record N]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

LOAD_TIMEOUT_S = 300
RECORD_WARMUP = 3


def record_checkins(qapp: Any, window: Any, count: int) -> tuple[list[float], list[float]]:
    """Save COUNT check-ins through the Check-in view; (handler ms, handler + repaint ms) each."""
    # Every view built (views are built when first shown), so each save runs every view's
    # change handler, as in a window where the user has visited them all.
    views = dict(window.views.items())
    window.show_view("checkin")
    qapp.processEvents()
    view = views["checkin"]
    handled: list[float] = []
    painted: list[float] = []
    core = window.session.core
    for i in range(RECORD_WARMUP + count):
        view.leg_rating.set_value(2 + i % 5)
        view.back_rating.set_value(3)
        view.symptom_editor.set_symptoms([
            {"region": "calf", "side": "left", "sensation": "tingling", "intensity": 2 + i % 5}])
        saved = len(core.app.entries())
        start = time.perf_counter()
        view.save_button.click()
        handled_ms = (time.perf_counter() - start) * 1000
        if len(core.app.entries()) != saved + 2:  # a click that saved nothing would time nothing
            raise RuntimeError(f"check-in {i} was not saved: {view.save_hint.text()}")
        qapp.processEvents()
        painted_ms = (time.perf_counter() - start) * 1000
        if i >= RECORD_WARMUP:
            handled.append(handled_ms)
            painted.append(painted_ms)
    return handled, painted


def main(argv: list[str]) -> int:
    from desktop.launch import import_qt_free_layers_first

    import_qt_free_layers_first()  # as run_gui imports
    from PySide6.QtCore import QEvent, QObject, QTimer

    from benchmarks.probe_common import FirstPaint, report
    from desktop.app import create_qapp
    from desktop.main_window import MainWindow

    journal = Path(argv[0])
    paint_only = "--paint-only" in argv
    records = int(argv[argv.index("--record") + 1]) if "--record" in argv else 0
    qapp = create_qapp(sys.argv[:1])
    window = MainWindow()
    window.persist_settings = False
    window.resize(1200, 800)
    watch = FirstPaint(window)
    qapp.installEventFilter(watch)
    marks: dict[str, float] = {}
    extra: dict[str, Any] = {}

    reported: list[bool] = []

    def send_report() -> None:
        if not reported:
            reported.append(True)
            report(painted=watch.at, installed=marks.get("installed"), loaded=marks.get("loaded"), **extra)

    def finish() -> None:
        if records and window.session is not None:
            extra["record_ms"], extra["record_paint_ms"] = record_checkins(qapp, window, records)
        # Reported with the journal still open (the peak RSS is that of the journal shown),
        # then quit as the app quits: quit() closes the window and the journal with it, which
        # stores the start-up checkpoint the next start reads (off the UI thread).
        send_report()
        qapp.quit()

    class ProgressPainted(QObject):
        """Notes the first paint of the Progress view's charts (filtering them only)."""

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if "loaded" not in marks and event.type() == QEvent.Type.Paint:
                marks["loaded"] = time.time()
                # The sign plots drawn in this paint (those in view; the rest are built when
                # scrolled to): a check that "drawn" means the curves in view, not empty rows.
                extra["plots_drawn"] = list(window.views["progress"].charts.plots.built())
                QTimer.singleShot(0, finish)
            return False

    painted = ProgressPainted()
    install = window.install_session

    def installed(session: Any) -> None:
        # Hooked rather than polled: a polling timer on the UI thread would take the GIL from
        # the opener's worker every millisecond and slow the very open it measures.
        install(session)  # shows (and builds) the Progress view only: current_view below
        marks["installed"] = time.time()
        window.views["progress"].charts.installEventFilter(painted)

    window.install_session = installed  # type: ignore[method-assign]

    def poll() -> None:
        if watch.at is None:
            return
        qapp.removeEventFilter(watch)  # the first paint is noted; no more filtering of every event
        timer.stop()
        if paint_only:
            qapp.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(1)
    QTimer.singleShot(LOAD_TIMEOUT_S * 1000, qapp.quit)
    # The journal opens on its curves, as ``sciatica FILE --view progress`` opens it: the
    # views not shown (the check-in's forms, the Timeline…) are built when first shown.
    window.current_view = "progress"
    window.show()
    window.open_journal(journal)
    qapp.exec()
    send_report()  # the first paint only (--paint-only), or the load timed out
    from desktop.session.checkpoint import wait_for_writes

    wait_for_writes(LOAD_TIMEOUT_S)  # as the interpreter would at exit; os._exit does not wait
    os._exit(0)  # the journal's worker and lock go with the process; teardown is not measured


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
