"""Issue 16 leftover: the header's trend chips were one row in a plain QHBoxLayout and the first
was cut mid-word at 1.5× on 1440×960 ("Centralization: not enough d"). Now they wrap onto
more lines between chips, and a chip wider than a whole line elides with a tooltip."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from desktop.style import apply_style
from desktop.widgets.flow import ElidedLabel
from desktop.widgets.status_header import StatusHeader
from tests.projections.builder import J

HOLDERS: list[QWidget] = []  # kept alive for the test (the header's parent window)


@pytest.fixture
def header(qtbot: Any) -> StatusHeader:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_style(app)  # the chips' padding and border come from the app's style sheet
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    h = StatusHeader(holder)
    layout.addWidget(h)
    layout.addStretch(1)
    qtbot.addWidget(holder)
    HOLDERS[:] = [holder]
    j = J(side="left")
    j.daily("2026-03-01", 14, "low_back", leg=0)
    h.show_status(j.snapshot("2026-04-30"))  # "not enough data" chips: the longest words
    holder.show()
    qtbot.waitExposed(holder)
    return h


def _laid_out(header: StatusHeader, width: int) -> list[QRect]:
    holder = header.parentWidget()
    assert holder is not None
    holder.resize(width, 600)
    for _ in range(3):
        QApplication.processEvents()
    return [chip.geometry() for chip in header.trend_chips.values()]


def _lines(rects: list[QRect]) -> int:
    return len({r.top() for r in rects})


# 960: a 1440×960 screen at 1.5× (logical pixels); 1024: the 1024×700 window; then narrower.
@pytest.mark.parametrize("width", [1440, 1024, 960, 700, 480])
def test_no_chip_is_cut_at_any_width(header: StatusHeader, width: int) -> None:
    rects = _laid_out(header, width)
    right = header.contentsRect().right()
    for chip, rect in zip(header.trend_chips.values(), rects, strict=True):
        assert rect.right() <= right, chip.full_text()
        if chip.is_elided():  # only a chip wider than a whole line; its words in the tooltip
            assert chip.text().endswith("…") and chip.toolTip() == chip.full_text()
            assert rect.left() == rects[0].left()
        else:
            assert chip.width() >= chip.sizeHint().width(), chip.full_text()
    for a, b in itertools.pairwise(rects):
        assert not a.intersects(b)


def test_the_chips_wrap_between_chips_and_the_header_grows(header: StatusHeader) -> None:
    wide = _laid_out(header, 1440)
    tall = header.height()
    assert _lines(wide) == 1
    narrow = _laid_out(header, 700)
    assert _lines(narrow) >= 2 and not any(c.is_elided() for c in header.trend_chips.values())
    assert header.height() > tall  # the second line is shown, not cut off under the banner
    assert header.banner.geometry().top() >= max(r.bottom() for r in narrow) or not header.banner.isVisible()


def test_an_elided_label_keeps_its_words_in_the_tooltip(qtbot: Any) -> None:
    label = ElidedLabel("Centralization: not enough data")
    qtbot.addWidget(label)
    label.show()
    label.resize(label.sizeHint())
    assert not label.is_elided() and label.text() == "Centralization: not enough data"
    label.resize(label.sizeHint().width() // 2, label.height())
    assert label.is_elided() and label.text().endswith("…")
    assert label.toolTip() == "Centralization: not enough data"
    label.resize(label.sizeHint())
    assert label.text() == "Centralization: not enough data"
