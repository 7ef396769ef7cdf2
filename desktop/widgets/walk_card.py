"""The check-in's walk card: an optional walk (total time, when symptoms started, how far
they reached). Unticked, it records nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QFrame, QVBoxLayout, QWidget

from desktop.session import Walk
from desktop.widgets import parts
from desktop.widgets.fields import region_choices


def column_card(parent: QWidget, title: str, hint: str = "") -> tuple[QFrame, QVBoxLayout]:
    """A titled card (the check-in's columns are made of these)."""
    return parts.card(parent, title, hint, margins=parts.COLUMN_CARD_MARGINS)


class WalkCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = parts.card_layout(self, "Walk", margins=parts.COLUMN_CARD_MARGINS)
        self.check = QCheckBox("I went for a walk", self)
        self.check.setObjectName("walk_check")
        self.check.toggled.connect(self._on_check_toggled)
        layout.addWidget(self.check)
        self.fields = QWidget(self)
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(14)
        self.minutes = self._minutes("walk_minutes", "Total time of the walk")
        self.until = self._minutes("walk_until", "Minutes until symptoms started")
        self.symptom_free = QCheckBox("no symptoms", self.fields)
        self.symptom_free.setObjectName("walk_symptom_free")
        self.symptom_free.toggled.connect(self._on_symptom_free_toggled)
        until_row = QVBoxLayout()
        until_row.setSpacing(4)
        until_row.addWidget(self.until)
        until_row.addWidget(self.symptom_free)
        self.extent = QComboBox(self.fields)
        self.extent.setObjectName("walk_extent")
        self.extent.setAccessibleName("How far symptoms reached when you stopped")
        for code, words in region_choices():
            self.extent.addItem(words, code)
        for caption, field in (("Total time", self.minutes), ("Symptoms after", until_row),
                               ("At the stop, reached", self.extent)):
            caption_label = parts.add_field(form, caption, field, self.fields)
            caption_label.setBuddy(field if isinstance(field, QWidget) else self.until)
        layout.addWidget(self.fields)
        self.set_walk(None)

    def _minutes(self, name: str, accessible: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self.fields)
        spin.setObjectName(name)
        spin.setAccessibleName(accessible)
        spin.setDecimals(0)
        spin.setRange(0, 1440)
        spin.setSuffix(" min")
        return spin

    def walk(self) -> Walk | None:
        if not self.check.isChecked():
            return None
        return Walk(total_minutes=self.minutes.value(),
                    minutes_to_symptoms=None if self.symptom_free.isChecked() else self.until.value(),
                    extent_at_stop=self.extent.currentData())

    def set_walk(self, walk: Walk | None) -> None:
        """Fill the card with WALK (None: unticked and blank)."""
        self.check.setChecked(walk is not None)
        self.minutes.setValue(walk.total_minutes if walk else 0)
        self.symptom_free.setChecked(walk is not None and walk.minutes_to_symptoms is None)
        self.until.setValue((walk.minutes_to_symptoms or 0) if walk else 0)
        index = self.extent.findData(walk.extent_at_stop) if walk else 0
        self.extent.setCurrentIndex(max(index, 0))
        self._on_check_toggled(walk is not None)

    def _on_check_toggled(self, on: bool) -> None:
        self.fields.setEnabled(on)

    def _on_symptom_free_toggled(self, on: bool) -> None:
        self.until.setEnabled(not on)
        self.extent.setEnabled(not on)
        if on:
            self.extent.setCurrentIndex(0)
