"""Review copies written in a process of their own while the caller decodes the same rows.

Writing a copy is SQLite inserting one row at a time, each call letting go of the interpreter
for a few microseconds: on a thread beside the decode, the two take turns at the interpreter
lock (the writer waits a switch interval for each row while the decode runs), so they hardly
overlap. In another process they do: the rows (bytes, as stored) are sent to it and it writes
the file with ``export.write_copy``, the same function as ``clinic export``.

Nothing waits for the file until it is first needed (``domain.reviewing``: the first save, an
export, seconds after the open at the earliest), so the writing process runs at a lower
priority (``nice`` 10): on a busy machine the decode that the open does wait for gets the cores
first (a one-year patient at load 4-8, medians of alternating runs: the open 110-210 ms against
150-360 without), and the file is whole a little later (an open with a note saved at once:
385-490 ms against 300-460).

``CopyWriter`` keeps one such process for a connection's later copies (the desktop's
caseload session owns one and starts it when it connects, so the first patient opened does
not wait for it). It is forked from a fork server that imported this module once, never from
the caller (which has threads and open connections a fork would copy). Where there is no fork
server, or in a frozen (PyInstaller) build, a thread writes instead (``writes_in_a_process``).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import suppress
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path

from domain.clinic.export import FileRow, write_copy
from domain.clinic.parent_watch import leave_with


def writes_in_a_process() -> bool:
    """Whether copies can be written in a process of their own here."""
    return not getattr(sys, "frozen", False) and "forkserver" in get_all_start_methods()


def _write(path: str, rows: Sequence[FileRow]) -> None:
    from domain.clinic.infrastructure import ClinicMapper
    from domain.codec import MsgspecTranscoder

    write_copy(Path(path), ClinicMapper(MsgspecTranscoder()), rows)


def _start(parent: int) -> None:
    """The writing process yields the cores to the one that opened the copy (see the module
    docstring), and leaves when that one is gone (killed, crashed: ``parent_watch``)."""
    with suppress(OSError, AttributeError):  # no ``nice`` on Windows (where there is no fork server)
        os.nice(10)
    leave_with(parent)


def _ready() -> None:
    """Nothing: submitted by ``start`` so the process is forked and waiting before a copy."""


class CopyWriter:
    """One process writing review copies (started on first use or by ``start``)."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._closed:  # a start still on its way when the connection closed starts nothing
                raise RuntimeError("the review copies' writer is closed")
            if self._pool is None:
                context = get_context("forkserver")
                context.set_forkserver_preload([__name__, "domain.clinic.export", "domain.application"])
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start,
                                                 initargs=(os.getpid(),))
            return self._pool

    def start(self) -> None:
        """Start the process now, on a thread of its own (about a second of CPU, once), so the
        first copy finds it ready."""
        def start() -> None:
            with suppress(RuntimeError):
                self._executor().submit(_ready)

        threading.Thread(target=start, name="copy-writer-start", daemon=True).start()

    def write(self, path: Path, rows: Sequence[FileRow]) -> Future[None]:
        """Write ROWS (a patient's log as a file stores it, its start first) into the new journal
        PATH, in the writing process; the future's result raises what the write raised."""
        return self._executor().submit(_write, str(path), list(rows))

    def close(self) -> None:
        with self._lock:
            pool, self._pool, self._closed = self._pool, None, True
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
