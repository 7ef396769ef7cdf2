"""Shared by the window probes (they run in fresh processes): first-paint detection and
the process's own peak RSS (``VmHWM`` is per address space, so unlike ``ru_maxrss`` it does
not inherit the benchmark parent's peak across fork + exec)."""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


class FirstPaint(QObject):
    """Application-wide event filter noting the wall time of the first paint of WINDOW."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.window = window
        self.at: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (self.at is None and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget)
                and obj.window() is self.window):
            self.at = time.time()
        return False


def report(**values: Any) -> None:
    print(json.dumps({**values, "peak_rss_mb": peak_rss_mb()}), flush=True)
