"""``WheelGuard``: the mouse wheel scrolls the page, never a value the pointer happens to pass.

Qt gives a spin box, a date edit or a drop-down list the wheel whenever the pointer is over it,
so scrolling down the check-in could turn "not rated" into 10 % or change a walk's minutes:
data nobody entered. With the guard (installed once on the application by ``create_qapp``), a
value widget takes the wheel only once the user has chosen it (clicked or tabbed into it); until
then the wheel goes to the scroll area around it, as on any form that scrolls.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

_VALUE_WIDGETS = (QAbstractSpinBox, QComboBox)


def _value_widget(obj: QObject) -> QWidget | None:
    """The spin box or drop-down OBJ is (or is inside: a spin box's line edit), else None."""
    widget = obj if isinstance(obj, QWidget) else None
    while widget is not None:
        if isinstance(widget, _VALUE_WIDGETS):
            return widget
        if isinstance(widget, QAbstractScrollArea) or widget.isWindow():
            return None
        widget = widget.parentWidget()
    return None


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QObject):
    """An application event filter: see the module's docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, _VALUE_WIDGETS):
            # Focus by click or Tab only, so a wheel turn never selects (and then changes) one.
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if kind != QEvent.Type.Wheel:
            return False
        # An open drop-down list needs no case of its own: its list is a scroll area of its own
        # window, so ``_value_widget`` finds no field above it and the list scrolls.
        widget = _value_widget(watched)
        if widget is None or widget.hasFocus():
            return False
        area = _scroll_area_around(widget)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        return True


def install_wheel_guard(app: QCoreApplication) -> WheelGuard:
    """Install one ``WheelGuard`` on APP (again: the one already there) and return it."""
    existing = app.findChild(WheelGuard)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
