"""``Lazy``: a fixed, ordered set of named parts (views, plots), each built the first time it
is read, so that what is never shown costs neither time nor memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TypeVar

W = TypeVar("W")


class Lazy(Mapping[str, W]):
    """NAMES in order, each value made by BUILD(name) the first time it is read (``[]``,
    ``get``, ``values``, ``items``); then ON_BUILT(name, value), once it is stored (so a hook
    that reads it again gets the same value). The names alone (``in``, ``len``, iteration)
    build nothing; ``built()`` gives the values made so far."""

    def __init__(self, names: Iterable[str], build: Callable[[str], W],
                 on_built: Callable[[str, W], None] | None = None) -> None:
        self._names = tuple(names)
        self._build = build
        self._on_built = on_built
        self._values: dict[str, W] = {}

    def __getitem__(self, name: str) -> W:
        if name in self._values:
            return self._values[name]
        if name not in self._names:
            raise KeyError(name)
        value = self._values[name] = self._build(name)
        if self._on_built is not None:
            self._on_built(name, value)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names

    def is_built(self, name: str) -> bool:
        return name in self._values

    def built(self) -> dict[str, W]:
        """The values made so far (in the order they were made), making none."""
        return dict(self._values)
