"""A worker process that leaves when the process it works for is gone.

A process pool's worker forked by a fork server is that server's child, and it holds both ends
of its own call queue's pipe, so when the process that made the pool is killed (SIGKILL, a
crash) the worker never reads an end of file: it would wait forever, and keep the fork server
alive with it. ``leave_with(pid)``, called in the worker (its pool's initializer), checks once a
second that PID is still there and ends the worker when it is not.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable


def leave_with(parent: int, before_leaving: Callable[[], object] | None = None) -> None:
    """End this process within about a second of PARENT's end (see the module docstring),
    calling BEFORE_LEAVING first: leaving at once skips every other clean-up."""

    def watch() -> None:
        while True:
            threading.Event().wait(1.0)
            try:
                os.kill(parent, 0)
            except (ProcessLookupError, PermissionError):  # gone, or its id now another user's
                if before_leaving is not None:
                    before_leaving()
                os._exit(0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()
