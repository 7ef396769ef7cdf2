"""The app's look: a calm stylesheet derived from the system palette (light or dark).

Colours are computed from ``QPalette`` so the app follows the desktop's light/dark scheme;
only the accent hues are ours. Widgets opt in with object names (``card``) and dynamic
properties (``role="title"``) rather than per-widget styling, so a view stays declarative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget


@dataclass(frozen=True)
class Colors:
    dark: bool
    window: QColor
    base: QColor
    text: QColor
    muted: QColor
    border: QColor
    accent: QColor
    accent_text: QColor
    accent_soft: QColor
    sidebar: QColor
    danger: QColor
    danger_soft: QColor
    warning: QColor
    warning_soft: QColor
    good: QColor
    good_soft: QColor


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """A colour t of the way from a to b."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def colors(palette: QPalette | None = None) -> Colors:
    pal = palette or QApplication.palette()
    window = pal.color(QPalette.ColorRole.Window)
    text = pal.color(QPalette.ColorRole.WindowText)
    dark = window.lightness() < 128
    base = pal.color(QPalette.ColorRole.Base)
    if dark:
        accent = QColor("#5fbfb4")
        danger, warning, good = QColor("#f08a7e"), QColor("#e8b65a"), QColor("#7fcf97")
        page = _mix(window, QColor("#10181a"), 0.35)
        card = _mix(base, window, 0.4)
    else:
        accent = QColor("#23786f")
        danger, warning, good = QColor("#b3392c"), QColor("#9a6a10"), QColor("#2f7d4a")
        page = _mix(window, QColor("#eef3f2"), 0.7)
        card = base
    return Colors(
        dark=dark,
        window=page,
        base=card,
        text=text,
        muted=_mix(text, page, 0.4),
        border=_mix(text, page, 0.84),
        accent=accent,
        accent_text=QColor("#0d1f1d") if dark else QColor("#ffffff"),
        accent_soft=_mix(accent, card, 0.86),
        sidebar=_mix(page, accent, 0.05),
        danger=danger,
        danger_soft=_mix(danger, card, 0.88),
        warning=warning,
        warning_soft=_mix(warning, card, 0.86),
        good=good,
        good_soft=_mix(good, card, 0.86),
    )


def intensity_color(intensity: float, c: Colors | None = None) -> QColor:
    """Body-map shading: pale amber (0) to deep coral (10); a display scale, not a verdict."""
    t = max(0.0, min(1.0, intensity / 10.0))
    if (c or colors()).dark:
        lo, hi = QColor("#6b5a2e"), QColor("#e0604e")
    else:
        lo, hi = QColor("#f6dc9c"), QColor("#c8412f")
    return _mix(lo, hi, t)


def _hex(q: QColor) -> str:
    return q.name()


def stylesheet(c: Colors) -> str:
    h = _hex
    return f"""
QMainWindow, QDialog, QWidget#page {{ background: {h(c.window)}; }}
QScrollArea {{ background: transparent; border: none; }}
QScrollArea > QWidget > QWidget {{ background: transparent; }}
QFrame#card {{
    background: {h(c.base)}; border: 1px solid {h(c.border)}; border-radius: 10px;
}}
QLabel[role="title"] {{ font-size: 15px; font-weight: 600; color: {h(c.text)}; }}
QLabel[role="pagetitle"] {{ font-size: 20px; font-weight: 600; color: {h(c.text)}; }}
QLabel[role="hint"] {{ color: {h(c.muted)}; }}
QLabel[role="value"] {{ font-weight: 600; color: {h(c.accent)}; min-width: 56px; }}
QLabel[role="error"] {{ color: {h(c.danger)}; }}
QLabel[role="fieldlabel"] {{ color: {h(c.text)}; font-weight: 500; }}
QPushButton {{
    padding: 6px 14px; border-radius: 6px; border: 1px solid {h(c.border)};
    background: {h(c.base)}; color: {h(c.text)};
}}
QPushButton:hover {{ border-color: {h(c.accent)}; }}
QPushButton:focus {{ border-color: {h(c.accent)}; }}
QPushButton:disabled {{ color: {h(c.muted)}; }}
QPushButton[kind="primary"] {{
    background: {h(c.accent)}; color: {h(c.accent_text)}; border: 1px solid {h(c.accent)};
    font-weight: 600; padding: 8px 20px;
}}
QPushButton[kind="primary"]:disabled {{
    background: {h(c.window)}; color: {h(c.muted)}; border: 1px solid {h(c.border)};
}}
QPushButton[kind="chip"] {{ padding: 4px 9px; border-radius: 12px; }}
QPushButton[kind="chip"]:checked {{
    background: {h(c.accent_soft)}; border: 2px solid {h(c.accent)}; color: {h(c.text)}; padding: 3px 8px;
}}
QPushButton[kind="rate"] {{ padding: 4px 0px; border-radius: 6px; }}
QPushButton[kind="rate"]:checked {{
    background: {h(c.accent)}; color: {h(c.accent_text)}; border: 1px solid {h(c.accent)}; font-weight: 600;
}}
QWidget[kind="rating"] {{ border: 1px solid transparent; border-radius: 7px; }}
QWidget[kind="rating"][focused="true"] {{ border: 1px solid {h(c.accent)}; }}
QLabel[role="value"][rated="false"] {{ color: {h(c.muted)}; font-weight: 400; font-style: italic; }}
QPushButton[kind="nav"] {{
    text-align: left; padding: 9px 14px; border: none; border-radius: 8px;
    background: transparent; font-size: 14px;
}}
QPushButton[kind="nav"]:hover {{ background: {h(c.accent_soft)}; }}
QPushButton[kind="nav"]:checked {{
    background: {h(c.accent_soft)}; color: {h(c.accent)}; font-weight: 600;
}}
QWidget#sidebar {{ background: {h(c.sidebar)}; border-right: 1px solid {h(c.border)}; }}
QWidget#header {{ background: {h(c.base)}; border-bottom: 1px solid {h(c.border)}; }}
QLabel#stage {{ font-size: 18px; font-weight: 600; color: {h(c.text)}; }}
QLabel#days {{ color: {h(c.muted)}; font-size: 13px; }}
QLabel[role="chip"] {{
    border-radius: 10px; padding: 3px 10px; background: {h(c.window)};
    border: 1px solid {h(c.border)}; color: {h(c.text)};
}}
QLabel[role="chip"][trend="improving"] {{ background: {h(c.good_soft)}; border-color: {h(c.good)}; }}
QLabel[role="chip"][trend="worsening"] {{ background: {h(c.warning_soft)}; border-color: {h(c.warning)}; }}
QFrame#banner {{
    background: {h(c.danger_soft)}; border: 1px solid {h(c.danger)}; border-radius: 8px;
}}
QFrame#banner[urgency="soon"] {{ background: {h(c.warning_soft)}; border-color: {h(c.warning)}; }}
QFrame#banner QLabel {{ color: {h(c.text)}; }}
QFrame#banner QLabel[role="bannertitle"] {{ font-weight: 700; font-size: 14px; }}
QFrame#notice {{
    background: {h(c.accent_soft)}; border-radius: 8px; border: none;
}}
QListWidget {{
    background: {h(c.base)}; border: 1px solid {h(c.border)}; border-radius: 6px; padding: 2px;
}}
QListWidget::item {{ padding: 5px 4px; border-bottom: 1px solid {h(c.border)}; }}
QListWidget::item:selected {{ background: {h(c.accent_soft)}; color: {h(c.text)}; }}
QSlider:horizontal {{ min-height: 24px; }}
QSlider::groove:horizontal {{ height: 6px; border-radius: 3px; background: {h(c.border)}; }}
QSlider::sub-page:horizontal {{ height: 6px; border-radius: 3px; background: {h(c.accent)}; }}
QSlider::handle:horizontal {{
    width: 18px; height: 18px; margin: -7px 0; border-radius: 9px;
    background: {h(c.base)}; border: 2px solid {h(c.accent)};
}}
QSlider::sub-page:horizontal:disabled {{ background: {h(c.border)}; }}
QSlider::handle:horizontal:disabled {{ border-color: {h(c.border)}; }}
QSlider[rated="false"]::sub-page:horizontal {{ background: {h(c.border)}; }}
QSlider[rated="false"]::handle:horizontal {{ border-color: {h(c.muted)}; }}
QLineEdit, QPlainTextEdit {{
    padding: 4px 6px; border: 1px solid {h(c.border)}; border-radius: 5px;
    background: {h(c.base)}; color: {h(c.text)};
}}
QLineEdit:focus, QPlainTextEdit:focus {{ border-color: {h(c.accent)}; }}
QSpinBox, QDoubleSpinBox, QComboBox, QDateEdit, QDateTimeEdit {{ min-height: 24px; }}
QCheckBox {{ spacing: 8px; }}
QProgressBar {{ border: 1px solid {h(c.border)}; border-radius: 4px; background: {h(c.base)}; height: 8px; }}
QProgressBar::chunk {{ background: {h(c.accent)}; border-radius: 4px; }}
"""


def apply_style(app: QApplication) -> None:
    app.setStyleSheet(stylesheet(colors(app.palette())))


W = TypeVar("W", bound=QWidget)


def set_role(widget: W, role: str, **props: str) -> W:
    """Tag a widget for the stylesheet (``role`` and extra dynamic properties)."""
    widget.setProperty("role", role)
    for key, value in props.items():
        widget.setProperty(key, value)
    return widget


def repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def with_note(summary: str, note: str | None) -> str:
    """An entry's one-line summary with its note, as every list shows it."""
    return f"{summary}  — {note}" if note else summary


def date_words(value: object) -> str:
    """``3 Nov 2026``: the vocabulary's one date format for people."""
    import datetime as _dt

    from projections.vocabulary import long_day

    if isinstance(value, _dt.date):
        return long_day(value)
    return str(value)


def moment_words(value: object) -> str:
    """``3 Nov 2026, 14:05`` (the vocabulary's format); anything else as itself."""
    import datetime as _dt

    from projections.vocabulary import moment

    if isinstance(value, _dt.datetime):
        return moment(value)
    return str(value)
