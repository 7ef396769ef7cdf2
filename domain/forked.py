"""A call run in a forked child process while this one carries on: how ``sciatica verify`` checks
parts of a long log on the machine's other cores (``domain.verify_spans``).

Forking, not spawning: a forked child starts with everything this process has imported and
built, in a millisecond or two, where a spawned one (or a fork server's, as ``clinic add`` uses)
pays ~0.7 s of imports first, which is more than a whole 10-year verify takes. So a fork is
used only where it is safe:

- on Linux, where it is the platform's own way (macOS's system libraries are not fork-safe once
  used, and Windows has no fork), and
- in a process with one thread (the whole process, native threads included: a Qt program has
  several), since a child gets only the forking thread and any lock another thread held stays
  held in it for good.

A frozen build (PyInstaller) forks like any other program: unlike spawning, a fork does not
start the program again, so nothing of the clinic's frozen-build rule applies here.

The child runs the call and sends its pickled result through a pipe, then leaves with
``os._exit``: it never returns into the caller's code, runs no exit handlers, flushes none of
the stdio buffers it inherited and closes none of the caller's files or connections. The caller
must have no SQLite connection open at the fork to a file the child opens (SQLite's rule: a
child must not inherit a connection to a file it uses); ``domain.verify_spans`` forks before it
opens the journal.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


def fork_is_safe() -> bool:
    """Whether this process may fork a child to run Python work (see the module's note)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1  # every thread, native ones too
    except OSError:
        return False


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class ForkedCall(Generic[T]):
    """FN() running in a forked child from the moment this is made; ``result`` waits for it.
    Only where ``fork_is_safe``."""

    def __init__(self, fn: Callable[[], T]) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run FN, send its result, leave without returning
            status = 1
            try:
                os.close(read_end)
                payload = pickle.dumps(fn(), protocol=pickle.HIGHEST_PROTOCOL)
                view = memoryview(payload)
                while view:
                    view = view[os.write(write_end, view):]
                status = 0
            finally:
                os._exit(status)
        os.close(write_end)
        self.pid: int | None = pid
        self._pipe = read_end

    def result(self) -> T | None:
        """FN's result, or None when the child failed (an exception, a signal, no result)."""
        chunks = []
        try:
            while chunk := os.read(self._pipe, 1 << 16):
                chunks.append(chunk)
        finally:
            os.close(self._pipe)
            status = self._reap()
        if status != 0 or not chunks:
            return None
        value: T = pickle.loads(b"".join(chunks))
        return value

    def cancel(self) -> None:
        """Stop the child if it still runs (the caller gave up: an error, an interrupt)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.close(self._pipe)
        except OSError:
            pass
        self._reap()

    def _reap(self) -> int:
        if self.pid is None:
            return 1
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        return os.waitstatus_to_exitcode(status)
