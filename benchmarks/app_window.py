"""Cold start of the real main window, as ``sciatica FILE`` starts it (``desktop.launch.run_gui``):
create the application, show ``MainWindow``, open FILE (on its worker thread), note the first
paint and the moment the journal is installed, then exit. Prints one JSON line
``{"painted": wall time, "loaded": wall time | null, "peak_rss_mb": …}``.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.app_window FILE [--paint-only]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

LOAD_TIMEOUT_S = 300


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QTimer

    from benchmarks.probe_common import FirstPaint, report
    from desktop.app import create_qapp
    from desktop.main_window import MainWindow

    journal = Path(argv[0])
    paint_only = "--paint-only" in argv
    qapp = create_qapp(sys.argv[:1])
    window = MainWindow()
    window.persist_settings = False
    window.resize(1200, 800)
    watch = FirstPaint(window)
    qapp.installEventFilter(watch)
    marks: dict[str, float] = {}
    deadline = time.time() + LOAD_TIMEOUT_S

    def poll() -> None:
        if watch.at is None:
            return
        if paint_only or time.time() > deadline:
            qapp.quit()
        elif getattr(window, "session", None) is not None and "loaded" not in marks:
            marks["loaded"] = time.time()
            QTimer.singleShot(0, qapp.quit)  # let the installed view paint once more

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(1)
    window.show()
    window.open_journal(journal)
    qapp.exec()
    report(painted=watch.at, loaded=marks.get("loaded"))
    os._exit(0)  # the journal's worker and lock go with the process; teardown is not measured


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
