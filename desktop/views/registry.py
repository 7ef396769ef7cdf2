"""The window's views in sidebar order, each built on demand from the open session."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from desktop.widgets.lazy import Lazy

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


class LazyViews(Lazy["QWidget"]):
    """The open journal's views, each built the first time it is asked for (shown, or read by
    a caller), so opening a journal builds only the view it shows: the others cost nothing
    until they are first used (the Tests view's cards, a second set of plots…). Iterating
    builds every view; ``built()`` gives only those that exist (a change or a replay move
    needs to reach those only: a view built later reads the session as it is then)."""

    def __init__(self, factories: Mapping[str, ViewFactory], order: Iterable[str],
                 session: QtSession, parent: QWidget, on_built: Callable[[str, QWidget], None]) -> None:
        super().__init__(order, lambda name: factories[name](session, parent), on_built)
