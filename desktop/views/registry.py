"""The window's views in sidebar order, each built on demand from the open session."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.app import QtSession

ViewFactory = Callable[["QtSession", "QWidget"], "QWidget"]

VIEWS: tuple[tuple[str, str], ...] = (
    ("checkin", "Check-in"),
    ("tests", "Tests"),
    ("progress", "Progress"),
    ("timeline", "Timeline"),
    ("review", "Review"),
    # Last, so the patient's Ctrl+1…5 stay; review mode opens on it (actions.sharing).
    ("summary", "Since last visit"),
)

# Each view's class, as (module, name): the module is imported when a journal is first shown,
# not at window start (the packaged app bundles every module of desktop/).
VIEW_CLASSES: dict[str, tuple[str, str]] = {
    "summary": ("desktop.views.summary", "SummaryView"),
    "checkin": ("desktop.views.checkin", "CheckInView"),
    "tests": ("desktop.views.tests", "TestsView"),
    "progress": ("desktop.views.progress", "ProgressView"),
    "timeline": ("desktop.views.history", "HistoryView"),
    "review": ("desktop.views.review", "ReviewView"),
}


def _factory(module: str, name: str) -> ViewFactory:
    def build(session: QtSession, parent: QWidget) -> QWidget:
        view: QWidget = getattr(importlib.import_module(module), name)(session, parent)
        return view

    return build


VIEW_FACTORIES: dict[str, ViewFactory] = {key: _factory(*where) for key, where in VIEW_CLASSES.items()}


class LazyViews(Mapping[str, "QWidget"]):
    """The open journal's views, each built the first time it is asked for (shown, or read by
    a caller), so opening a journal builds only the view it shows: the others cost nothing
    until they are first used (the Tests view's cards, a second set of plots…). Iterating
    builds every view; ``built()`` gives only those that exist (a change or a replay move
    needs to reach those only: a view built later reads the session as it is then)."""

    def __init__(self, factories: Mapping[str, ViewFactory], order: Iterable[str],
                 session: QtSession, parent: QWidget, on_built: Callable[[str, QWidget], None]) -> None:
        self._factories = factories
        self._order = tuple(order)
        self._session = session
        self._parent = parent
        self._on_built = on_built
        self._views: dict[str, QWidget] = {}

    def __getitem__(self, name: str) -> QWidget:
        view = self._views.get(name)
        if view is None:
            if name not in self._order:
                raise KeyError(name)
            view = self._factories[name](self._session, self._parent)
            self._views[name] = view
            self._on_built(name, view)
        return view

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, name: object) -> bool:
        return name in self._order

    def built(self) -> dict[str, QWidget]:
        """The views built so far, without building any."""
        return dict(self._views)
