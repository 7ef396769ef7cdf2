"""The body map: a back-view silhouette with the clinical model's regions, drawn with QPainter.

``BodyMap`` holds which regions carry which sensations at what intensity and paints them
shaded by intensity. It is seen from behind, so the patient's left is on the viewer's left,
as a therapist looks at a patient's back. Click a region or use the keyboard (arrows move,
Space/Enter marks or unmarks, Delete clears). ``symptom_editor.SymptomEditor`` adds the panel
where the current region's sensations and intensity are chosen. No clinical rule lives here:
the map records what the user says and nothing else.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFocusEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import (
    QSizePolicy,
    QToolTip,
    QWidget,
)

from desktop.session import Region, Sensation, Side
from desktop.style import colors, intensity_color
from projections.vocabulary import region_label, sensation_label

Key = tuple[str, str]  # (region code, side)

# Logical drawing space (W x H); VIEW is the part shown, scaled to fit with its aspect ratio.
W, H = 240.0, 480.0
VIEW = QRectF(36, 4, 168, 474)
Marks = dict[str, "float | None"]  # sensation -> intensity (None: not chosen yet)

# The vocabulary's words ("Pins and needles", as the Timeline and the summary say it).
SENSATION_LABELS: dict[str, str] = {s: sensation_label(s) for s in Sensation}


def _blend(a: QColor, b: QColor, t: float) -> QColor:
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def sensation_word(code: str) -> str:
    return sensation_label(code).lower()


def key_label(key: Key) -> str:
    region, side = key
    label = region_label(region)
    if side == Side.CENTER:
        return label.capitalize()
    return f"{side.capitalize()} {label}"


def _region_rect(region: Region) -> QRectF:
    """The region's box on the patient's LEFT side (viewer's left), in logical units."""
    return {
        Region.LOW_BACK: QRectF(85, 158, 24, 46),
        Region.BUTTOCK: QRectF(80, 207, 38, 44),
        Region.THIGH: QRectF(82, 254, 35, 68),
        Region.KNEE: QRectF(85, 325, 29, 24),
        Region.CALF: QRectF(87, 352, 24, 58),
        Region.ANKLE: QRectF(89, 413, 20, 16),
        Region.FOOT: QRectF(86, 432, 27, 20),
        Region.TOES: QRectF(88, 455, 23, 14),
    }[region]


def _mirror(rect: QRectF) -> QRectF:
    return QRectF(W - rect.right(), rect.top(), rect.width(), rect.height())


def region_shapes() -> dict[Key, QPainterPath]:
    shapes: dict[Key, QPainterPath] = {}
    center = QPainterPath()
    center.addRoundedRect(QRectF(110, 158, 20, 46), 6, 6)
    shapes[(Region.LOW_BACK_CENTER.value, Side.CENTER.value)] = center
    for region in list(Region)[1:]:
        left = _region_rect(region)
        for side, rect in ((Side.LEFT, left), (Side.RIGHT, _mirror(left))):
            path = QPainterPath()
            if region is Region.BUTTOCK:
                path.addEllipse(rect)
            else:
                radius = min(rect.width(), rect.height()) / 3
                path.addRoundedRect(rect, radius, radius)
            shapes[(region.value, side.value)] = path
    return shapes


def _silhouette() -> QPainterPath:
    path = QPainterPath()
    path.addEllipse(QRectF(98, 8, 44, 52))  # head
    body = QPainterPath()
    body.moveTo(112, 56)
    body.lineTo(128, 56)
    body.lineTo(130, 72)
    body.cubicTo(150, 74, 168, 78, 174, 92)   # right shoulder
    body.cubicTo(182, 130, 190, 190, 196, 246)  # right arm outer
    body.cubicTo(198, 256, 186, 258, 184, 248)  # right hand
    body.cubicTo(178, 200, 170, 150, 162, 122)  # right arm inner
    body.cubicTo(158, 150, 154, 175, 160, 206)  # right flank to hip
    body.cubicTo(166, 236, 162, 260, 158, 300)  # right hip/thigh outer
    body.cubicTo(156, 330, 156, 350, 154, 380)
    body.cubicTo(153, 405, 152, 420, 152, 432)
    body.cubicTo(158, 450, 156, 470, 148, 472)  # right foot
    body.lineTo(130, 472)
    body.cubicTo(126, 460, 128, 440, 130, 430)
    body.cubicTo(127, 400, 126, 360, 125, 330)
    body.cubicTo(124, 300, 122, 270, 120, 258)  # crotch
    body.cubicTo(118, 270, 116, 300, 115, 330)
    body.cubicTo(114, 360, 113, 400, 110, 430)
    body.cubicTo(112, 440, 114, 460, 110, 472)
    body.lineTo(92, 472)
    body.cubicTo(84, 470, 82, 450, 88, 432)
    body.cubicTo(88, 420, 87, 405, 86, 380)
    body.cubicTo(84, 350, 84, 330, 82, 300)
    body.cubicTo(78, 260, 74, 236, 80, 206)
    body.cubicTo(86, 175, 82, 150, 78, 122)
    body.cubicTo(70, 150, 62, 200, 56, 248)
    body.cubicTo(54, 258, 43, 256, 44, 246)
    body.cubicTo(50, 190, 58, 130, 66, 92)
    body.cubicTo(72, 78, 91, 74, 110, 72)
    body.closeSubpath()
    return path.united(body)


ORDER: list[Key] = [(Region.LOW_BACK_CENTER.value, Side.CENTER.value)] + [
    (region.value, side.value) for side in (Side.LEFT, Side.RIGHT) for region in list(Region)[1:]
]


class BodyMap(QWidget):
    """Click or keyboard to pick a region; marked regions shade by their highest intensity."""

    current_changed = Signal(str, str)   # region, side ("" "" when none)
    symptoms_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body_map")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Body map, back view")
        self._shapes = region_shapes()
        self._silhouette = _silhouette()
        self._marks: dict[Key, Marks] = {}
        # Regions clicked but with no sensation chosen yet: shown as unset, recorded as nothing.
        self._pending: set[Key] = set()
        self._current: Key | None = None
        self._hover: Key | None = None
        self._reference: set[Key] = set()

    # Model ----------------------------------------------------------------------------------

    def symptoms(self) -> list[dict[str, Any]]:
        """The complete marks (a sensation with its intensity) as SymptomsRecorded items, in body
        order. What is still unset is not a symptom: see ``incomplete``."""
        items: list[dict[str, Any]] = []
        for key in ORDER:
            for sensation, intensity in self._marks.get(key, {}).items():
                if intensity is not None:
                    items.append({"region": key[0], "side": key[1], "sensation": sensation,
                                  "intensity": intensity})
        return items

    def incomplete(self) -> list[Key]:
        """Regions clicked whose sensation or intensity is not chosen yet, in body order."""
        return [k for k in ORDER if k in self._pending or any(v is None for v in self._marks.get(k, {}).values())]

    def set_symptoms(self, symptoms: list[dict[str, Any]]) -> None:
        self._marks = {}
        self._pending = set()
        for item in symptoms:
            key = (str(item["region"]), str(item["side"]))
            self._marks.setdefault(key, {})[str(item["sensation"])] = item["intensity"]
        self._current = None
        self.update()
        self.symptoms_changed.emit()
        self.current_changed.emit("", "")

    def set_reference(self, symptoms: list[dict[str, Any]]) -> None:
        """Outline (dashed) the regions of an earlier record, for comparison."""
        self._reference = {(str(i["region"]), str(i["side"])) for i in symptoms}
        self.update()

    def marks(self, key: Key) -> Marks:
        return dict(self._marks.get(key, {}))

    def set_marks(self, key: Key, marks: Marks) -> None:
        """Set KEY's sensations (empty: unmark the region altogether)."""
        self._pending.discard(key)
        if marks:
            self._marks[key] = dict(marks)
        else:
            self._marks.pop(key, None)
        self.update()
        self.symptoms_changed.emit()

    def marked_keys(self) -> list[Key]:
        """Regions with any sensation chosen (complete or not)."""
        return [k for k in ORDER if k in self._marks]

    def is_selected(self, key: Key) -> bool:
        """Marked, or clicked and still unset."""
        return key in self._marks or key in self._pending

    def current(self) -> Key | None:
        return self._current

    def set_current(self, key: Key | None) -> None:
        if key == self._current:
            return
        self._current = key
        self.update()
        self.current_changed.emit(*(key or ("", "")))

    def select_region(self, region: str, side: str) -> None:
        """What a click does: make it current and, if new, add it unset. A click says where,
        never what or how strong: the sensation and intensity are the user's to choose."""
        key = (region, Side.CENTER.value if region == Region.LOW_BACK_CENTER else side)
        if not self.is_selected(key):
            self._pending.add(key)
            self.update()
            self.symptoms_changed.emit()
        self._current = None  # force the signal so the panel loads the new marks
        self.set_current(key)

    def clear(self) -> None:
        self.set_symptoms([])

    # Geometry (public so tests can click a region like a user) -----------------------------

    def _transform(self) -> QTransform:
        scale = min(self.width() / VIEW.width(), self.height() / VIEW.height())
        dx = (self.width() - VIEW.width() * scale) / 2
        dy = (self.height() - VIEW.height() * scale) / 2
        t = QTransform()
        t.translate(dx, dy)
        t.scale(scale, scale)
        t.translate(-VIEW.x(), -VIEW.y())
        return t

    def region_center(self, region: str, side: str) -> QPointF:
        key = (region, Side.CENTER.value if region == Region.LOW_BACK_CENTER else side)
        return self._transform().map(self._shapes[key].boundingRect().center())

    def key_at(self, pos: QPointF) -> Key | None:
        inverted, ok = self._transform().inverted()
        if not ok:
            return None
        point = inverted.map(pos)
        for key, shape in self._shapes.items():
            if shape.contains(point):
                return key
        return None

    def sizeHint(self) -> QSize:
        return QSize(round(VIEW.width() * 1.2), round(VIEW.height() * 1.2))

    def minimumSizeHint(self) -> QSize:
        return QSize(round(VIEW.width() * 0.7), round(VIEW.height() * 0.7))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(width * VIEW.height() / VIEW.width())

    # Events ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        key = self.key_at(event.position())
        if key is not None and event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.select_region(*key)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        key = self.key_at(event.position())
        if key != self._hover:
            self._hover = key
            self.setCursor(Qt.CursorShape.PointingHandCursor if key else Qt.CursorShape.ArrowCursor)
            if key is not None:
                QToolTip.showText(event.globalPosition().toPoint(), key_label(key), self)
            self.update()
        event.accept()

    def leaveEvent(self, event: Any) -> None:
        self._hover = None
        self.update()
        super().leaveEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._current is None and event.reason() in (Qt.FocusReason.TabFocusReason,
                                                         Qt.FocusReason.BacktabFocusReason):
            self.set_current(ORDER[0])
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.update()
        super().focusOutEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        current = self._current or ORDER[0]
        region, side = current
        regions = [r.value for r in Region]
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            index = max(0, min(len(regions) - 1, regions.index(region) + step))
            new_region = regions[index]
            if new_region == Region.LOW_BACK_CENTER:
                self.set_current((new_region, Side.CENTER.value))
            else:
                self.set_current((new_region, side if side != Side.CENTER else Side.LEFT.value))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            if region != Region.LOW_BACK_CENTER:
                self.set_current((region, Side.LEFT.value if key == Qt.Key.Key_Left else Side.RIGHT.value))
            else:
                self.set_current((Region.LOW_BACK.value,
                                  Side.LEFT.value if key == Qt.Key.Key_Left else Side.RIGHT.value))
        elif key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.is_selected(current) and self._current is not None:
                self.set_marks(current, {})
                self.current_changed.emit(*current)
            else:
                self.select_region(*current)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self._current is not None:
            self.set_marks(current, {})
            self.current_changed.emit(*current)
        else:
            super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        c = colors(self.palette())
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setTransform(self._transform())
        body = _blend(c.border, c.accent, 0.12)
        p.setPen(QPen(c.muted, 1.2))
        p.setBrush(body)
        p.drawPath(self._silhouette)
        # the spine, so the midline reads as the back
        p.setPen(QPen(c.muted, 1.0, Qt.PenStyle.DotLine))
        p.drawLine(QPointF(120, 74), QPointF(120, 200))
        incomplete = set(self.incomplete())
        for key, shape in self._shapes.items():
            marks = self._marks.get(key)
            if key in incomplete:  # unset: hatched, not a colour that reads as an intensity
                p.setBrush(QBrush(c.accent, Qt.BrushStyle.BDiagPattern))
                p.setPen(QPen(c.accent, 1.0, Qt.PenStyle.DashLine))
            elif marks:
                p.setBrush(intensity_color(max(v for v in marks.values() if v is not None), c))
                p.setPen(QPen(c.text if not c.dark else c.base, 0.8))
            else:
                fill = QColor(c.base)
                fill.setAlpha(150)
                p.setBrush(fill)
                p.setPen(QPen(c.muted, 0.7))
            if key == self._hover:
                p.setPen(QPen(c.accent, 1.6))
            p.drawPath(shape)
        if self._reference:
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(c.accent, 1.4, Qt.PenStyle.DashLine))
            for key in self._reference:
                if key in self._shapes:
                    p.drawPath(self._shapes[key])
        if self._current is not None:
            pen = QPen(c.accent, 2.6 if self.hasFocus() else 2.0)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(self._shapes[self._current])
        p.setPen(c.muted)
        font = p.font()
        font.setPointSizeF(7.5)
        p.setFont(font)
        p.drawText(QRectF(VIEW.x(), 452, 44, 16), Qt.AlignmentFlag.AlignLeft, "Left")
        p.drawText(QRectF(VIEW.right() - 44, 452, 44, 16), Qt.AlignmentFlag.AlignRight, "Right")
        p.end()
