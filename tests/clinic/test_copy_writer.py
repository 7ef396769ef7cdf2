"""The review copies' writing process (``domain.clinic.copy_writer``) ends with the app that
started it, however the app ends: an app killed with SIGKILL leaves no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.clinic.copy_writer import writes_in_a_process

_APP = """
import os
from domain.clinic.copy_writer import CopyWriter
writer = CopyWriter()
print(writer._executor().submit(os.getpid).result(), flush=True)  # the writing process's id
input()  # until killed
"""


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended


@pytest.mark.skipif(not writes_in_a_process() or not Path("/proc").is_dir(),
                    reason="no fork server here: copies are written by a thread")
def test_the_writing_process_leaves_when_the_app_is_killed() -> None:
    app = subprocess.Popen([sys.executable, "-c", _APP], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])
    try:
        assert app.stdout is not None
        writer = int(app.stdout.readline())
        assert writer != app.pid and _running(writer)
        os.kill(app.pid, signal.SIGKILL)
        app.wait(10)
        deadline = time.monotonic() + 15
        while _running(writer) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _running(writer)
    finally:
        app.kill()
        app.wait(10)
