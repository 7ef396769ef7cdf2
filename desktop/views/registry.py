"""The window's views in sidebar order, each built on demand from the open session."""

from __future__ import annotations

from collections.abc import Callable
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


# Each view's module is imported when a journal is first shown, not at window start.
def _summary(session: QtSession, parent: QWidget) -> QWidget:
    from desktop.views.summary import SummaryView

    return SummaryView(session, parent)


def _checkin(session: QtSession, parent: QWidget) -> QWidget:
    from desktop.views.checkin import CheckInView

    return CheckInView(session, parent)


def _tests(session: QtSession, parent: QWidget) -> QWidget:
    from desktop.views.tests import TestsView

    return TestsView(session, parent)


def _progress(session: QtSession, parent: QWidget) -> QWidget:
    from desktop.views.progress import ProgressView

    return ProgressView(session, parent)


def _timeline(session: QtSession, parent: QWidget) -> QWidget:
    from desktop.views.history import HistoryView

    return HistoryView(session, parent)


def _review(session: QtSession, parent: QWidget) -> QWidget:
    from desktop.views.review import ReviewView

    return ReviewView(session, parent)


VIEW_FACTORIES: dict[str, ViewFactory] = {
    "summary": _summary,
    "checkin": _checkin,
    "tests": _tests,
    "progress": _progress,
    "timeline": _timeline,
    "review": _review,
}
