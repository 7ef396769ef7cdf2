"""Helpers shared by the domain tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def refused(kind: type[Exception], message: str, *, prefix: bool = False) -> Iterator[None]:
    """Expect KIND with exactly MESSAGE (or a message starting with it)."""
    with pytest.raises(kind) as info:
        yield
    text = str(info.value)
    assert text.startswith(message) if prefix else text == message, text
