"""A narrow window (1024×700 at 1.5×: about 680 logical pixels, 500 of them for the view) lays
each view out in one column: form fields full width, the side panels below, buttons under the
words they belong to; never a sideways scroll bar. A wide one keeps the columns side by side,
and a resize switches both ways."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from desktop.views.checkin import CheckInView
from desktop.views.history import AUTHOR, CHANGES, OBSERVED, RECORDED, SUMMARY, TYPE, HistoryView
from desktop.views.progress import ProgressView
from desktop.views.review import ReviewView
from desktop.views.summary import SummaryView

NARROW = (500, 600)  # the view's share of a 683-pixel-wide window
WIDE = (1260, 800)


def _settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def _resize(view: QWidget, size: tuple[int, int]) -> None:
    view.resize(*size)
    _settle()


def _no_sideways_scrolling(area: QScrollArea) -> None:
    assert area.horizontalScrollBar().maximum() == 0
    assert area.widget().width() <= area.viewport().width()


def _left(widget: QWidget, page: QWidget) -> int:
    return widget.mapTo(page, QPoint(0, 0)).x()


def test_the_check_in_is_one_column_when_narrow_and_three_when_wide(make_view: Any) -> None:
    view: CheckInView = make_view(CheckInView, *NARROW)
    _settle()
    page = view.widget()
    _no_sideways_scrolling(view)
    where, how, safety = view.columns.columns
    assert view.columns.count == 1
    # One column: each card the page's full width, one under the other.
    assert _left(where, page) == _left(how, page) == _left(safety, page)
    assert where.width() == how.width() == safety.width() == view.columns.width()
    assert where.y() < how.y() < safety.y()
    # The observed time under the title, whole, not squeezed beside it.
    assert view.head.count == 1 and view.when_label.width() >= view.when_label.sizeHint().width()
    _resize(view, WIDE)
    assert view.columns.count == 3 and view.head.count == 2
    assert where.y() == how.y() == safety.y() and _left(where, page) < _left(how, page) < _left(safety, page)
    _no_sideways_scrolling(view)
    _resize(view, NARROW)  # and back
    assert view.columns.count == 1 and view.head.count == 1
    _no_sideways_scrolling(view)


def test_progress_puts_the_signs_under_the_curves_when_narrow(make_view: Any) -> None:
    view: ProgressView = make_view(ProgressView, *NARROW)
    _settle()
    cards = view.signs.cards_page
    scroll = view.charts_scroll
    assert view.narrow and not view.signs.isVisible()
    # The cards in the charts' own scroll, under the curves; nothing cut at the right.
    assert cards.isVisible() and scroll.widget().isAncestorOf(cards)
    assert cards.mapTo(scroll.widget(), QPoint(0, 0)).y() >= view.charts.geometry().bottom()
    assert view.charts.width() <= scroll.viewport().width() and scroll.horizontalScrollBar().maximum() == 0
    assert cards.width() <= scroll.viewport().width()
    _resize(view, WIDE)
    assert not view.narrow and view.signs.isVisible() and view.signs.widget() is cards
    assert view.signs.geometry().right() < scroll.geometry().left()  # beside the curves
    _resize(view, NARROW)
    assert view.narrow and scroll.widget().isAncestorOf(cards) and view.signs.widget() is None
    # The signs still say what they said (the same cards, moved).
    assert "Centralization" in view.signs.text()


def test_the_timeline_shows_fewer_columns_rather_than_scroll_sideways(make_view: Any) -> None:
    view: HistoryView = make_view(HistoryView, *NARROW)
    _settle()
    table = view.table
    assert table.horizontalScrollBar().maximum() == 0
    assert [table.isColumnHidden(c) for c in (OBSERVED, TYPE, SUMMARY)] == [False] * 3
    assert table.isColumnHidden(RECORDED) and table.isColumnHidden(AUTHOR)
    assert table.columnWidth(SUMMARY) >= 150  # the entry keeps room to say what it is
    assert view.bar.count == 1  # the filters under the title, the search field whole
    assert view.search_edit.width() >= view.search_edit.minimumWidth()
    _resize(view, WIDE)
    assert not any(table.isColumnHidden(c) for c in (RECORDED, AUTHOR, CHANGES))
    assert view.bar.count == 2 and table.horizontalScrollBar().maximum() == 0


def test_since_last_visit_and_review_stack_their_columns_when_narrow(make_view: Any) -> None:
    for cls in (SummaryView, ReviewView):
        view = make_view(cls, *NARROW)
        if isinstance(view, SummaryView):
            view.refresh()
        _settle()
        first, second = view.columns.columns
        assert view.columns.count == 1, cls
        assert first.y() < second.y() and first.width() == second.width(), cls
        _no_sideways_scrolling(view)
        _resize(view, WIDE)
        assert view.columns.count == 2 and first.y() == second.y(), cls
        _no_sideways_scrolling(view)
