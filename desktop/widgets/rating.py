"""A rating as a row of number buttons (0–10, like the MRC grade buttons) that starts "not rated".

One click sets a value, a click on the chosen number takes it back to "not rated"; untouched
means no value (None), never zero. Every button and the state label keep their size whatever
is chosen, so nothing around the row moves when a value is set. The row is one Tab stop:
Left/Right step, a digit picks that number, Delete or Backspace goes back to "not rated".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.style import set_role

NOT_RATED = "not rated"


class RatingButtons(QWidget):
    """TITLE and the state ("not rated", "6 / 10") on one line, number buttons for VALUES below;
    ``value()`` is the chosen one or None ("not rated"). NAME is the accessible name."""

    changed = Signal()

    def __init__(self, title: str, name: str, values: tuple[int, ...] = tuple(range(11)), *,
                 suffix: str = " / 10", per_row: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = values
        self._suffix = suffix
        self._value: int | None = None
        self.setAccessibleName(name)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setProperty("kind", "rating")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(3, 3, 3, 3)
        outer.setSpacing(4)
        head = QHBoxLayout()
        self.title_label = set_role(QLabel(title, self), "fieldlabel")
        self.title_label.setBuddy(self)
        head.addWidget(self.title_label, 1)
        outer.addLayout(head)
        # One row, or rows of PER_ROW in a narrow panel (the body map's intensity).
        layout = QGridLayout()
        layout.setSpacing(3)
        outer.addLayout(layout)
        per_row = per_row or len(values)
        # Not exclusive: a click on the chosen number unchecks it ("not rated" again).
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: dict[int, QPushButton] = {}
        metrics = QFontMetrics(self.font())
        width = max(metrics.horizontalAdvance(str(v)) for v in values) + 10
        for i, v in enumerate(values):
            button = QPushButton(str(v), self)
            button.setObjectName(f"rate_{v}")
            button.setProperty("kind", "rate")
            button.setCheckable(True)
            # The row is the Tab stop; a button taking focus on click would split it in eleven.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAccessibleName(f"{name} {v}")
            button.setMinimumWidth(width)
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.group.addButton(button, v)
            self.buttons[v] = button
            layout.addWidget(button, i // per_row, i % per_row)
        self.value_label = set_role(QLabel(NOT_RATED, self), "value")
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # Wide enough for the longest text it will show, so setting a value never moves the row.
        widest = max([NOT_RATED] + [f"{v}{suffix}" for v in values], key=metrics.horizontalAdvance)
        self.value_label.setFixedWidth(metrics.horizontalAdvance(widest) + 16)
        head.addWidget(self.value_label)
        self.group.idClicked.connect(self._on_group_id_clicked)
        self._show()

    def value(self) -> int | None:
        return self._value

    def set_value(self, value: float | None) -> None:
        """Choose VALUE (the nearest offered number) or None for "not rated"; emits ``changed``."""
        chosen = None if value is None else min(self._values, key=lambda v: abs(v - value))
        self._value = chosen
        self._show()
        self.changed.emit()

    def clear(self) -> None:
        self.set_value(None)

    def button(self, value: int) -> QPushButton:
        return self.buttons[value]

    # Events ---------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        digit = key - Qt.Key.Key_0.value
        index = self._values.index(self._value) if self._value is not None else -1
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self.set_value(self._values[min(index + 1, len(self._values) - 1)])
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down) and index > 0:
            self.set_value(self._values[index - 1])
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_value(None)
        elif 0 <= digit <= 9 and digit < len(self._values):
            self.set_value(self._values[digit])
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setProperty("focused", "true")
        self._restyle()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setProperty("focused", "false")
        self._restyle()
        super().focusOutEvent(event)

    def _on_group_id_clicked(self, value: int) -> None:
        self.set_value(None if self._value == value else value)

    def _show(self) -> None:
        for v, button in self.buttons.items():
            button.setChecked(v == self._value)
        rated = self._value is not None
        self.value_label.setText(f"{self._value}{self._suffix}" if rated else NOT_RATED)
        self.value_label.setProperty("rated", "true" if rated else "false")
        self.setAccessibleDescription(self.value_label.text())
        self._restyle()

    def _restyle(self) -> None:
        style = self.style()
        for widget in (self, self.value_label):
            style.unpolish(widget)
            style.polish(widget)
