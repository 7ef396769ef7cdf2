"""Fixtures for the Progress and Timeline views: a small journal whose every value is known."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from desktop.app import QtSession
from desktop.session import JournalSession
from domain.application import JournalApp
from tests.desktop.conftest import isolated_settings, messages  # noqa: F401  (fixtures)

START = date(2026, 3, 2)
#: Furthest region per day: starts in the calf, centralizes to the buttock over 20 days.
EXTENTS = ["calf"] * 7 + ["knee"] * 4 + ["thigh"] * 4 + ["buttock"] * 5
LEG_PAIN = [7, 7, 6, 7, 6, 6, 6, 5, 5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2, 2]
HEEL_LEFT = {0: 8, 7: 12, 14: 17}
HEEL_RIGHT = {0: 27, 7: 28, 14: 27}


def at(day: int, hour: int = 20) -> datetime:
    return datetime.combine(START + timedelta(days=day), datetime.min.time()).replace(hour=hour)


def fill(session: QtSession) -> dict[str, Any]:
    """Record the fixture journal through the session; return the ids that tests look for."""
    ids: dict[str, Any] = {"symptoms": [], "pain": [], "heel_left": [], "walks": []}
    for i, region in enumerate(EXTENTS):
        [sid] = session.core.record_all([("SymptomsRecorded", {"symptoms": [
            {"region": region, "side": "left", "sensation": "pain", "intensity": 5}]})], observed_at=at(i))
        [pid] = session.core.record_all([("PainRated", {"leg": LEG_PAIN[i], "back": 3})], observed_at=at(i, 21))
        ids["symptoms"].append(sid)
        ids["pain"].append(pid)
        if i in HEEL_LEFT:
            left, _right = session.core.record_all([
                ("HeelRaisesTested", {"side": "left", "repetitions": HEEL_LEFT[i]}),
                ("HeelRaisesTested", {"side": "right", "repetitions": HEEL_RIGHT[i]})], observed_at=at(i, 10))
            ids["heel_left"].append(left)
        if i % 4 == 1:
            [wid] = session.core.record_all([("WalkRecorded", {"total_minutes": 10 + i,
                                                               "minutes_to_symptoms": 5 + i // 2,
                                                               "extent_at_stop": region})], observed_at=at(i, 17))
            ids["walks"].append(wid)
    return ids


@pytest.fixture
def fixture_session(tmp_path: Path) -> Iterator[tuple[QtSession, dict[str, Any]]]:
    app = JournalApp.create(tmp_path / "progress.sciatica", patient="P. Tester", affected_side="left",
                            onset_date="2026-02-20", observed_at="2026-03-01T09:00")
    session = QtSession(JournalSession(app))
    ids = fill(session)
    session.as_of = START + timedelta(days=len(EXTENTS) - 1)  # "today" is the last day of the fixture
    try:
        yield session, ids
    finally:
        try:
            session.close()
        except ValueError:  # a MainWindow that took the session already closed it
            pass


@pytest.fixture
def make_view(qtbot: Any, fixture_session: tuple[QtSession, dict[str, Any]]) -> Callable[..., Any]:
    """``make_view(ViewClass, width, height, shown=…, exposed=…)``: a view of the fixture
    journal's session, sized, shown (and waited for on screen) when asked."""

    def make(cls: Callable[[QtSession], Any], width: int, height: int, *, shown: bool = True,
             exposed: bool = False) -> Any:
        view = cls(fixture_session[0])
        qtbot.addWidget(view)
        view.resize(width, height)
        if shown:
            view.show()
        if exposed:
            qtbot.waitExposed(view)
        return view

    return make


def scroll_through_charts(view: Any) -> None:
    """Scroll the Progress view's charts from top to bottom and back, as a reader does (each
    sign's plot is built when scrolled near view, issue 13), letting each one be laid out."""
    from PySide6.QtWidgets import QApplication

    bar = view.charts_scroll.verticalScrollBar()
    while True:
        for _ in range(3):
            QApplication.processEvents()
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + view.charts_scroll.viewport().height())
    bar.setValue(0)
    for _ in range(3):
        QApplication.processEvents()
