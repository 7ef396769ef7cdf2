"""A persistent, calm bar under the status header: review mode, or a journal opened read-only.

Unlike a message box it stays while the condition lasts (the window shows one bar per
condition), and unlike the red-flag banner it is not an alarm: an ``info`` bar is tinted
with the accent, a ``warning`` bar with the soft amber. Colours come from ``desktop.style``
and are recomputed when the desktop switches between light and dark.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.style import colors

KINDS = ("info", "warning")


class NoticeBar(QFrame):
    """A title and one or two sentences; ``show_notice`` fills and shows it, ``hide`` clears."""

    def __init__(self, kind: str = "info", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        self.kind = kind
        self.setObjectName("noticebar")
        self.setProperty("kind", kind)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 8, 24, 8)
        inner = QFrame(self)
        inner.setObjectName("noticebox")
        row = QHBoxLayout(inner)
        row.setContentsMargins(14, 9, 14, 9)
        row.setSpacing(12)
        self.mark = QLabel("i" if kind == "info" else "!", inner)
        self.mark.setObjectName("noticemark")
        self.mark.setFixedSize(22, 22)
        self.mark.setAlignment(Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = QLabel("", inner)
        self.title.setObjectName("noticetitle")
        self.title.setWordWrap(True)
        self.body = QLabel("", inner)
        self.body.setObjectName("noticebody")
        self.body.setWordWrap(True)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        texts.addWidget(self.title)
        texts.addWidget(self.body)
        row.addLayout(texts, 1)
        outer.addWidget(inner)
        self._restyle()
        self.hide()

    def show_notice(self, title: str, body: str = "") -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.setToolTip(f"{title}\n{body}".strip())
        self.show()

    def text(self) -> str:
        """Everything the bar says (for tests and accessibility)."""
        return " ".join(t for t in (self.title.text(), self.body.text()) if t)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._restyle()
        super().changeEvent(event)

    def _restyle(self) -> None:
        c = colors()
        tint, edge = (c.accent_soft, c.accent) if self.kind == "info" else (c.warning_soft, c.warning)
        sheet = f"""
QFrame#noticebar {{ background: {c.window.name()}; border: none; }}
QFrame#noticebox {{
    background: {tint.name()}; border: 1px solid {edge.name()}; border-radius: 8px;
}}
QLabel#noticemark {{
    background: {edge.name()}; color: {c.base.name()}; border-radius: 11px;
    font-weight: 700; font-size: 13px;
}}
QLabel#noticetitle {{ color: {c.text.name()}; font-weight: 600; font-size: 13px; }}
QLabel#noticebody {{ color: {c.text.name()}; }}
"""
        if sheet != self.styleSheet():  # restyling changes the palette: only when it differs
            self.setStyleSheet(sheet)
