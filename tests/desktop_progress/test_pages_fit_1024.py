"""Issue 16 item 7 / issue 17 item 4: at 1024×700 the Tests and Progress pages need no
sideways scrolling, clip no button, and every chart keeps a readable plot area."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.desktop.test_window_fits_and_speaks_plainly import _journey, _layout_problems, _window

MIN_PLOT_PX = 140


def _shown(qtbot, tmp_path, view: str, size=(1024, 700)):
    window = _window(qtbot, size)
    window.open_journal(_journey(tmp_path), background=False)
    window.show_view(view)
    for _ in range(3):
        QApplication.processEvents()
    return window


def test_at_1024_the_tests_page_flows_its_cards_into_columns_that_fit(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "tests")
    assert _layout_problems(window)["tests"] == []
    view = window.views["tests"]
    assert view.horizontalScrollBar().maximum() == 0
    assert view.grid.count == 2  # three cards of this width do not fit beside the sidebar
    # Every card lies inside the visible width, its buttons too.
    right = view.viewport().mapToGlobal(view.viewport().rect().topRight()).x()
    for card in view.cards.values():
        assert card.mapToGlobal(card.rect().topRight()).x() <= right


def test_wide_the_tests_page_keeps_three_columns(qtbot, tmp_path, messages):
    window = _shown(qtbot, tmp_path, "tests", size=(1440, 960))
    view = window.views["tests"]
    assert view.grid.count == 3
    assert _layout_problems(window)["tests"] == []
