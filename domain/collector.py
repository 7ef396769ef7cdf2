"""Pausing Python's cyclic garbage collector around bulk work that keeps what it builds.

Reading, importing or storing a journal makes tens of thousands of small container objects
and keeps (or frees by reference count) all of them: collections triggered on the way would
scan the growing heap again and again and find nothing to free (a 10-year journal: several
full collections of ~1M objects each).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """The collector paused inside the block (nested blocks leave it to the outermost). With
    FREEZE, what exists when the block ends is moved out of the collector's sight for good
    (``gc.freeze``): a journal's log lives as long as the app, so later collections (building
    projections, the UI thread) never rescan it."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            if freeze:
                gc.freeze()
            gc.enable()
