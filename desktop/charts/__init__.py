"""Desktop charts (pyqtgraph): the Progress view's sign plots and their offscreen export.

Importing this package also applies ``guard_bool_refcount`` (see there): PySide6 6.12.0 on
CPython 3.11 drops one reference to ``True`` (or ``None``) at every signal emission, and pyqtgraph emits a
signal at every ``setData``; without the guard the interpreter aborts ("bool_dealloc:
deallocating True or False") after a few thousand emissions, at the latest at exit.
"""

from __future__ import annotations

import ctypes
import os
import sys

# numpy's OpenBLAS starts a thread per core when numpy is imported, and each one spins for a
# while waiting for work: the charts do element-wise arithmetic only, which never uses BLAS, and
# on two cores the spinning took ~100 ms of CPU from the window's start (the journal's opening
# and the first curves). One thread (the caller's) is what these arrays need; a user's own
# setting is kept. Set here, before the first import of numpy (pyqtgraph's, under the charts).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def guard_bool_refcount() -> bool:
    """Detect the PySide6 emit refcount bug and, if present, make ``True``, ``False`` and
    ``None`` practically immortal (as CPython 3.12+ does anyway) by adding 2**40 references. Returns whether the
    bug was found. Harmless where it is absent: nothing is changed."""
    if sys.version_info >= (3, 12):
        return False  # True and False are immortal there
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    probe.ping.connect(lambda: None)  # a connected slot that returns None
    singletons = (True, False, None)
    before = [sys.getrefcount(x) for x in singletons]
    for _ in range(8):
        probe.ping.emit()
    lost = [b - sys.getrefcount(x) for b, x in zip(before, singletons, strict=True)]
    if max(lost) <= 0:
        return False
    for x in singletons:  # True and None are the ones seen dropping; False for symmetry
        ctypes.c_ssize_t.from_address(id(x)).value += 1 << 40
    return True


BOOL_REFCOUNT_GUARDED = guard_bool_refcount()
