"""A designed placeholder for views that later work fills in (Progress, Timeline, Review).

It says plainly what will appear there; it never shows made-up data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.style import set_role

PLACEHOLDERS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "progress": (
        "Progress",
        "Your recovery curves, one per sign, on a shared time axis.",
        ("How far down the leg symptoms reach, day by day (centralization)",
         "Heel raises per leg and their symmetry, with milestones",
         "Straight-leg raise, slump and forward bend",
         "Leg and back pain, and how much of the day symptoms last",
         "How long you can walk before symptoms start"),
    ),
    "timeline": (
        "Timeline",
        "Every entry in order, who made it, and what corrected it.",
        ("Each observation with its author and the time it was recorded",
         "Corrections and retractions next to the entry they change",
         "A replay slider: the status as it was on any past day",
         "An audit replay: what the app showed at a past moment"),
    ),
    "review": (
        "Review",
        "Notes from your physical therapist.",
        ("Review notes about the journal or about a single entry",
         "Goals agreed with your therapist",
         "Copies exported for review and merged back"),
    ),
}


class PlaceholderView(QWidget):
    """Says what this view will show; ``name`` is one of ``PLACEHOLDERS``."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setObjectName("page")
        title, summary, items = PLACEHOLDERS[name]
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 28)
        outer.setSpacing(16)
        outer.addWidget(set_role(QLabel(title, self), "pagetitle"))
        frame = QFrame(self)
        frame.setObjectName("card")
        frame.setMaximumWidth(640)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(12)
        badge = set_role(QLabel("Coming in a later version", frame), "chip")
        badge.setAlignment(Qt.AlignmentFlag.AlignLeft)
        badge_row = QHBoxLayout()
        badge_row.addWidget(badge)
        badge_row.addStretch(1)
        inner.addLayout(badge_row)
        inner.addWidget(set_role(QLabel(summary, frame), "title"))
        inner.addWidget(set_role(QLabel("What will appear here:", frame), "hint"))
        for item in items:
            label = QLabel(f"•  {item}", frame)
            label.setWordWrap(True)
            inner.addWidget(label)
        note = set_role(QLabel("Your entries are already recorded and will appear here as soon as this "
                               "view is available.", frame), "hint")
        note.setWordWrap(True)
        inner.addSpacing(6)
        inner.addWidget(note)
        outer.addWidget(frame)
        outer.addStretch(1)

    def render(self, snapshot: object = None) -> None:  # type: ignore[override]
        """Nothing to render yet."""
