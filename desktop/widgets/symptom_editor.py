"""The symptom editor: the body map beside a panel for the current region's sensations and
intensity, and the latest record shown as dashed outlines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from desktop.session import Sensation
from desktop.widgets import parts
from desktop.widgets.body_map import SENSATION_LABELS, BodyMap, Key, Marks, key_label, sensation_word
from desktop.widgets.page import column_layout
from desktop.widgets.rating import RatingButtons


class SymptomEditor(QWidget):
    """The body map with a panel for the current region: sensations and intensity."""

    symptoms_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setup_ui()
        self._load_current()
        self.set_reference([], "")

    def _setup_ui(self) -> None:
        layout = column_layout(self, (0, 0, 0, 0), 8)
        maps = QHBoxLayout()
        maps.setSpacing(16)
        layout.addLayout(maps, 1)
        self.body_map = BodyMap(self)
        self.body_map.setMinimumSize(150, 380)
        self.body_map.setMaximumHeight(480)
        maps.addWidget(self.body_map, 3)

        panel = QWidget(self)
        self.panel = panel
        col = column_layout(panel, (0, 0, 0, 0), 8)
        self.region_label = parts.label("", panel, "title", name="region_label")
        self.region_label.setMinimumHeight(self.region_label.sizeHint().height())
        col.addWidget(self.region_label)
        self.panel_hint = parts.label("", panel, "hint", wrap=True)
        # Room for the longest hint, so a shorter one never pulls the buttons below it up
        # under the pointer.
        self.panel_hint.setFixedHeight(self.panel_hint.fontMetrics().lineSpacing() * 4 + 4)
        self.panel_hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        col.addWidget(self.panel_hint)

        chips = QGridLayout()
        chips.setSpacing(6)
        self.sensation_buttons: dict[str, QPushButton] = {}
        for i, sensation in enumerate(Sensation):
            button = parts.button(SENSATION_LABELS[sensation], panel, name=f"sensation_{sensation.value}", kind="chip")
            button.setCheckable(True)
            button.toggled.connect(self._on_sensation_toggled)
            chips.addWidget(button, i // 2, i % 2)
            self.sensation_buttons[sensation.value] = button
        col.addLayout(chips)

        # Next to the sensations (the pointer stays in the panel), in two rows to fit it.
        # Starts "not rated" for every region: no intensity is assumed for the user.
        self.intensity = RatingButtons("Intensity", "Intensity of the selected region, 0 to 10", per_row=6,
                                       parent=panel)
        self.intensity.setObjectName("intensity")
        self.intensity.changed.connect(self._on_intensity_changed)
        col.addWidget(self.intensity)
        col.addWidget(parts.label("0 none, 10 worst", panel, "hint"))
        col.addStretch(1)
        panel.setMaximumWidth(240)
        maps.addWidget(panel, 2)
        below = QGridLayout()
        below.setSpacing(6)
        layout.addLayout(below)

        self.remove_button = parts.button("Remove this region", self, self._on_remove_button_clicked,
                                          name="remove_region")
        below.addWidget(self.remove_button, 0, 0)
        self.summary = parts.label("", self, "hint", name="symptom_summary", wrap=True)
        below.addWidget(self.summary, 0, 1)
        below.setColumnStretch(1, 1)
        self.reference_label = parts.label("", self, "hint", name="reference_label", wrap=True)
        below.addWidget(self.reference_label, 1, 0, 1, 2)

        self.body_map.current_changed.connect(self._on_body_map_current_changed)
        self.body_map.symptoms_changed.connect(self._on_body_map_symptoms_changed)

    # API ------------------------------------------------------------------------------------

    def symptoms(self) -> list[dict[str, Any]]:
        return self.body_map.symptoms()

    def incomplete(self) -> list[Key]:
        """Regions still missing their sensation or intensity (nothing is recorded for them)."""
        return self.body_map.incomplete()

    def set_symptoms(self, symptoms: list[dict[str, Any]]) -> None:
        self.body_map.set_symptoms(symptoms)

    def clear(self) -> None:
        self.body_map.clear()

    def set_reference(self, symptoms: list[dict[str, Any]], when: str) -> None:
        """Show an earlier record as dashed outlines (the check-in's "Same as yesterday" copies it)."""
        self.body_map.set_reference(symptoms)
        has = bool(when)
        self.reference_label.setVisible(has)
        if not has:
            return
        if symptoms:
            self.reference_label.setText(f"Dashed outlines: your last check-in ({when}).")
        else:
            self.reference_label.setText(f"Your last check-in ({when}) was symptom-free.")

    # Slots ----------------------------------------------------------------------------------

    def _on_body_map_current_changed(self, region: str, side: str) -> None:
        self._load_current()

    def _on_body_map_symptoms_changed(self) -> None:
        marked = self.body_map.marked_keys()
        unset = self.body_map.incomplete()
        parts = []
        for key in marked:
            marks = self.body_map.marks(key)
            values = [v for v in marks.values() if v is not None]
            strength = f" {max(values):g}" if values else ""
            parts.append(f"{key_label(key)} ({', '.join(sensation_word(s) for s in marks)}{strength})")
        parts += [f"{key_label(key)} (choose what you feel)" for key in unset if key not in marked]
        self.summary.setText("Marked: " + "; ".join(parts) if parts else "Nothing marked.")
        self.symptoms_changed.emit()

    def _load_current(self) -> None:
        key = self.body_map.current()
        enabled = key is not None
        for button in self.sensation_buttons.values():
            button.setEnabled(enabled)
        self.intensity.setEnabled(enabled)
        if key is None:
            self.region_label.setText("Where do you feel it?")
            self.panel_hint.setText("Click a region (or Tab to the map, then arrows and Space), "
                                    "then choose what you feel and how strong.")
            self.remove_button.setEnabled(False)
            self._set_buttons({})
            self._show_intensity(None)
            return
        marks = self.body_map.marks(key)
        self.region_label.setText(key_label(key))
        self.remove_button.setEnabled(self.body_map.is_selected(key))
        self._set_buttons(marks)
        values = [v for v in marks.values() if v is not None]
        self._show_intensity(max(values) if values else None)
        self._update_hint(marks)

    def _show_intensity(self, value: float | None) -> None:
        self.intensity.blockSignals(True)
        self.intensity.set_value(value)
        self.intensity.blockSignals(False)

    def _update_hint(self, marks: Marks) -> None:
        if not marks:
            self.panel_hint.setText("Not set yet: choose what you feel here, then how strong.")
        elif any(v is None for v in marks.values()):
            self.panel_hint.setText("Now choose how strong (0 none, 10 worst).")
        else:
            self.panel_hint.setText("Set. Change it here, or click another region.")

    def _set_buttons(self, marks: Marks) -> None:
        for sensation, button in self.sensation_buttons.items():
            button.blockSignals(True)
            button.setChecked(sensation in marks)
            button.blockSignals(False)

    def _current_marks_from_panel(self) -> Marks:
        value = self.intensity.value()
        return {s: value for s, b in self.sensation_buttons.items() if b.isChecked()}

    def _on_sensation_toggled(self, checked: bool) -> None:
        key = self.body_map.current()
        if key is None:
            return
        marks = self._current_marks_from_panel()
        self.body_map.set_marks(key, marks)
        self.remove_button.setEnabled(bool(marks))
        self._update_hint(marks)

    def _on_intensity_changed(self) -> None:
        key = self.body_map.current()
        if key is None:
            return
        marks = self._current_marks_from_panel()
        if marks:
            self.body_map.set_marks(key, marks)
            self._update_hint(marks)

    def _on_remove_button_clicked(self) -> None:
        key = self.body_map.current()
        if key is not None:
            self.body_map.set_marks(key, {})
            self._load_current()
