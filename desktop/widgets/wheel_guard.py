"""``WheelGuard``: the mouse wheel scrolls the page, never a value the pointer happens to pass.

Qt gives a spin box, a date edit or a drop-down list the wheel whenever the pointer is over it,
so scrolling down the check-in could turn "not rated" into 10 % or change a walk's minutes:
data nobody entered. With the guard (installed once on the application by ``create_qapp``), a
value widget takes the wheel only once the user has chosen it (clicked or tabbed into it); until
then the wheel goes to the scroll area around it, as on any form that scrolls.

The guard watches the value widgets only. The application's style hands it each one as Qt
polishes it (``GuardingStyle.polish``: every widget passes there once before it is first shown,
wherever it was made), and the guard filters that widget's events. An application-wide filter
would see every event of every object instead (~7,900 at a 10-year start), each crossing into
Python and making PySide build the wrapper classes of objects nothing here uses: ~6 % of the
main thread's work until the journal's curves are drawn (``docs/performance.md``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QProxyStyle,
    QWidget,
)

_VALUE_WIDGETS = (QAbstractSpinBox, QComboBox)
BASE_STYLE = "Fusion"  # the app's look on every desktop (``create_qapp``)


def _value_widget(obj: QObject) -> QWidget | None:
    """The spin box or drop-down OBJ is, or whose text field it is, else None."""
    if isinstance(obj, _VALUE_WIDGETS):
        return obj
    parent = obj.parent() if isinstance(obj, QLineEdit) else None
    return parent if isinstance(parent, _VALUE_WIDGETS) else None


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class WheelGuard(QObject):
    """The event filter of every value widget: see the module's docstring."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.guarding_style: GuardingStyle | None = None  # the app owns it; this keeps its Python side

    def guard(self, widget: QWidget) -> None:
        # Focus by click or Tab only, so a wheel turn never selects (and then changes) one.
        if isinstance(widget, _VALUE_WIDGETS) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(self)  # once: Qt moves a filter installed again, never doubles it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel:
            return False
        # An open drop-down list needs no case of its own: its list is a scroll area of its own
        # window, never watched here, so the list scrolls.
        widget = _value_widget(watched)
        if widget is None or widget.hasFocus():
            return False
        area = _scroll_area_around(widget)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        return True


class GuardingStyle(QProxyStyle):
    """The app's style (``BASE_STYLE``), handing each value widget to GUARD when it is polished."""

    def __init__(self, guard: WheelGuard) -> None:
        super().__init__(BASE_STYLE)
        self._guard = guard

    def polish(self, target: Any) -> Any:  # one override for Qt's three: a widget, the app, a palette
        # The text field of a spin box (or of an editable drop-down) is watched too: the wheel
        # over its text reaches the field first, and a wheel sent rather than turned (by a
        # test, by assistive tools) stays there.
        if isinstance(target, QWidget) and _value_widget(target) is not None:
            self._guard.guard(target)
        return super().polish(target)


def install_wheel_guard(app: QApplication) -> WheelGuard:
    """Give APP the guarding style and return its guard (again: the one already there)."""
    existing = app.findChild(WheelGuard)
    if isinstance(existing, WheelGuard):
        return existing
    guard = WheelGuard(app)
    guard.guarding_style = GuardingStyle(guard)
    app.setStyle(guard.guarding_style)
    return guard
