"""The startup floor: a fresh process that imports PySide6 and pyqtgraph, shows a bare main
window, waits for its first paint and exits, printing one JSON line
``{"painted": wall time, "peak_rss_mb": …}``.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.bare_window
"""

from __future__ import annotations

import sys


def main() -> int:
    import pyqtgraph  # noqa: F401  (the app imports it at startup; so does its floor)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from benchmarks.probe_common import FirstPaint, report

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Sciatica Tracker")
    window.setCentralWidget(QLabel("bare window"))
    window.resize(1200, 800)
    watch = FirstPaint(window)
    app.installEventFilter(watch)

    def poll() -> None:
        if watch.at is not None:
            app.quit()

    timer = QTimer()
    timer.timeout.connect(poll)
    timer.start(1)
    window.show()
    app.exec()
    report(painted=watch.at)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
