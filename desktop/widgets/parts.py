"""The small pieces every view and dialog is built of: labels in the stylesheet's roles,
buttons, titled cards, an error line, button rows and labelled form rows.

Each piece is made here once, so a view only says what it shows (its texts, object names and
slots) and a change of look (a card's margins, how a refusal appears) is one change. Widgets
are created in the order the calls are made: a view keeps its Tab order by calling these in
the order it always created its widgets.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

from desktop.style import set_role
from desktop.widgets.page import column_layout

# A card's inner margins (left, top, right, bottom): the check-in's columns are a little tighter.
CARD_MARGINS = (18, 16, 18, 16)
COLUMN_CARD_MARGINS = (14, 14, 14, 14)


def label(text: str, parent: QWidget, role: str | None = None, *, name: str = "", wrap: bool = False) -> QLabel:
    """A label in one of the stylesheet's roles (title, hint, fieldlabel, error, …)."""
    widget = QLabel(text, parent)
    if name:
        widget.setObjectName(name)
    if wrap:
        widget.setWordWrap(True)
    return set_role(widget, role) if role else widget


def button(text: str, parent: QWidget, slot: Callable[..., Any] | None = None, *, name: str = "",
           kind: str = "", default: bool = False) -> QPushButton:
    """A push button; KIND ``primary`` is the one action a form is for, ``chip`` a small toggle."""
    widget = QPushButton(text, parent)
    if name:
        widget.setObjectName(name)
    if kind:
        widget.setProperty("kind", kind)
    if default:
        widget.setDefault(True)
    if slot is not None:
        widget.clicked.connect(slot)
    return widget


class ErrorLine(QLabel):
    """Why a save was refused, in the domain's own sentence, shown in place (hidden while
    there is nothing to say); selectable, so a person can copy it into a message."""

    def __init__(self, parent: QWidget, name: str = "error_label", text: str = "") -> None:
        super().__init__(text, parent)
        set_role(self, "error")
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setVisible(bool(text))

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


def row_layout(widget: QWidget, spacing: int | None = None) -> QHBoxLayout:
    """WIDGET's horizontal layout, flush with its edges: an editor or a row inside a form or a
    card, which has the margins. SPACING None keeps the style's."""
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    if spacing is not None:
        layout.setSpacing(spacing)
    return layout


def card_layout(frame: QFrame, title: str = "", hint: str = "", *, margins: tuple[int, int, int, int] = CARD_MARGINS,
                spacing: int = 10) -> QVBoxLayout:
    """Make FRAME a card (styled by its ``card`` object name): its column, with TITLE and a
    wrapped HINT on top when given."""
    frame.setObjectName("card")
    layout = column_layout(frame, margins, spacing)
    if title:
        layout.addWidget(label(title, frame, "title"))
    if hint:
        layout.addWidget(label(hint, frame, "hint", wrap=True))
    return layout


def card(parent: QWidget, title: str = "", hint: str = "", *, margins: tuple[int, int, int, int] = CARD_MARGINS,
         spacing: int = 10) -> tuple[QFrame, QVBoxLayout]:
    """A new titled card and its column."""
    frame = QFrame(parent)
    return frame, card_layout(frame, title, hint, margins=margins, spacing=spacing)


def title_block(page: QWidget, title: str, hint: str) -> QWidget:
    """A page's title with its wrapped HINT under it, as one widget (a ``TitleRow``'s left part)."""
    block = QWidget(page)
    titles = column_layout(block, (0, 0, 0, 0), 2)
    titles.addWidget(label(title, block, "pagetitle"))
    titles.addWidget(label(hint, block, "hint", wrap=True))
    return block


def title_row(page: QWidget, title: str, hint: str) -> QHBoxLayout:
    """A page's title with its wrapped HINT under it, taking the room on the left of a row the
    page adds its own controls to (a time, a filter)."""
    titles = QVBoxLayout()
    titles.setSpacing(2)
    titles.addWidget(label(title, page, "pagetitle"))
    titles.addWidget(label(hint, page, "hint", wrap=True))
    row = QHBoxLayout()
    row.addLayout(titles, 1)
    return row


def button_row(*buttons: QWidget, lead: QWidget | None = None) -> QHBoxLayout:
    """BUTTONS at the right end of a row; LEAD (a message, say) takes the room on their left."""
    row = QHBoxLayout()
    if lead is not None:
        row.addWidget(lead, 1)
    else:
        row.addStretch(1)
    for widget in buttons:
        row.addWidget(widget)
    return row


def add_field(form: QFormLayout, text: str, field: QWidget | QLayout, parent: QWidget) -> QLabel:
    """A labelled row of FORM; the label is returned (to give it a buddy)."""
    caption = label(text, parent, "fieldlabel")
    form.addRow(caption, field)
    return caption
