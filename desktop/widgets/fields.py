"""Field editors and entry forms shared by the Tests view and the correction dialog.

Input widgets only shape what can be typed; the domain decides what is valid (its message
is shown on save), so spin-box limits here are input ranges, never clinical rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.session import (
    ASKED_RED_FLAGS,
    RED_FLAG_QUESTIONS,
    GaitResult,
    GaitTest,
    Muscle,
    Region,
    SlumpResult,
)
from desktop.widgets import parts
from desktop.widgets.page import column_layout

CHOICE_LABELS: dict[str, str] = {
    "left": "Left", "right": "Right", "both": "Both",
    "ankle_dorsiflexion": "Ankle dorsiflexion (L4/5)",
    "great_toe_extension": "Great-toe extension (L5)",
    "heel_walk": "Heel walk", "toe_walk": "Toe walk",
    "normal": "Normal", "impaired": "Impaired", "unable": "Unable",
    "positive": "Positive", "negative": "Negative",
}


def to_qdatetime(value: datetime) -> QDateTime:
    """VALUE to the minute, for a date-and-time editor (entries are observed to the minute)."""
    return QDateTime(value.year, value.month, value.day, value.hour, value.minute, 0)


def choice_label(code: str) -> str:
    return CHOICE_LABELS.get(code, code.replace("_", " ").capitalize())


def region_choices() -> list[tuple[Any, str]]:
    return [(None, "No symptoms")] + [(r.value, f"{r.label.capitalize()}") for r in Region]


class Editor(QWidget):
    """One field's editor: ``value()`` gives what the domain receives, ``set_value`` fills it."""

    def value(self) -> Any:
        raise NotImplementedError

    def clear(self) -> None:
        """Back to the blank state (nothing chosen)."""

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def unset(self) -> list[str]:
        """What was started here but not finished, named for people (most editors: nothing)."""
        return []


class NumberEditor(Editor):
    def __init__(self, lo: float, hi: float, *, whole: bool, optional: bool, step: float = 1,
                 suffix: str = "", none_text: str = "not recorded", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = parts.row_layout(self)
        self.input: QSpinBox | QDoubleSpinBox
        # A required number starts blank ("—", one step below the range) so nothing is
        # recorded by accident; blank gives None and the domain says it is required.
        self._blank = None if optional else lo - step
        low = lo if optional else lo - step
        if whole:
            self.input = QSpinBox(self)
            self.input.setRange(int(low), int(hi))
            self.input.setSingleStep(int(step))
        else:
            self.input = QDoubleSpinBox(self)
            self.input.setDecimals(1)
            self.input.setRange(low, hi)
            self.input.setSingleStep(step)
        if not optional:
            self.input.setSpecialValueText("—")
            self.input.setValue(low)  # type: ignore[arg-type]
        if suffix:
            self.input.setSuffix(suffix)
        self.input.setMinimumWidth(96)
        layout.addWidget(self.input)
        self.none_check: QCheckBox | None = None
        if optional:
            self.none_check = QCheckBox(none_text, self)
            self.none_check.toggled.connect(lambda on: self.input.setEnabled(not on))
            self.none_check.setChecked(True)  # optional: nothing is recorded unless entered
            layout.addWidget(self.none_check)
        layout.addStretch(1)

    def value(self) -> Any:
        if self.none_check is not None and self.none_check.isChecked():
            return None
        if self._blank is not None and self.input.value() <= self._blank:
            return None
        return self.input.value()

    def clear(self) -> None:
        if self._blank is not None:
            self.input.setValue(self._blank)  # type: ignore[arg-type]
        if self.none_check is not None:
            self.none_check.setChecked(True)

    def set_value(self, value: Any) -> None:
        if value is None:
            if self.none_check is not None:
                self.none_check.setChecked(True)
            return
        if self.none_check is not None:
            self.none_check.setChecked(False)
        self.input.setValue(value)


class ChoiceEditor(Editor):
    """Segmented buttons for a few options, a combo box for many."""

    def __init__(self, choices: list[tuple[Any, str]], *, segmented: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        layout = parts.row_layout(self, 6)
        self.combo: QComboBox | None = None
        self.buttons: dict[Any, QPushButton] = {}
        self.group: QButtonGroup | None = None
        if segmented:
            self.group = QButtonGroup(self)
            self.group.setExclusive(True)
            for code, label in choices:
                button = parts.button(label, self, name=f"choice_{code}", kind="chip")
                button.setCheckable(True)
                self.group.addButton(button)
                self.buttons[code] = button
                layout.addWidget(button)
        else:
            self.combo = QComboBox(self)
            for code, label in choices:
                self.combo.addItem(label, code)
            self.combo.setMinimumWidth(170)
            layout.addWidget(self.combo)
        layout.addStretch(1)

    @property
    def input(self) -> QWidget:
        return self.combo if self.combo is not None else self

    def value(self) -> Any:
        if self.combo is not None:
            return self.combo.currentData()
        for code, button in self.buttons.items():
            if button.isChecked():
                return code
        return None

    def set_value(self, value: Any) -> None:
        if self.combo is not None:
            index = self.combo.findData(value)
            if index >= 0:
                self.combo.setCurrentIndex(index)
            return
        button = self.buttons.get(value)
        if button is not None:
            button.setChecked(True)

    def clear(self) -> None:
        if self.combo is not None:
            self.combo.setCurrentIndex(0)
            return
        assert self.group is not None
        self.group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self.group.setExclusive(True)

    def click(self, code: Any) -> QAbstractButton:
        return self.buttons[code]


class TextEditor(Editor):
    def __init__(self, *, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = parts.row_layout(self)
        self.input = QLineEdit(self)
        self.input.setPlaceholderText(placeholder)
        layout.addWidget(self.input)

    def value(self) -> Any:
        text = self.input.text().strip()
        return text or None

    def set_value(self, value: Any) -> None:
        self.input.setText("" if value is None else str(value))

    def clear(self) -> None:
        self.input.clear()


class FlagsEditor(Editor):
    """The red-flag checklist: one plain-language question per asked code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = column_layout(self, (0, 0, 0, 0), 6)
        self.checks: dict[str, QCheckBox] = {}
        for flag in ASKED_RED_FLAGS:
            check = QCheckBox(self)
            check.setObjectName(f"flag_{flag.value}")
            check.setAccessibleName(RED_FLAG_QUESTIONS[flag])
            label = parts.label(RED_FLAG_QUESTIONS[flag], self, wrap=True)
            label.setBuddy(check)
            row = QHBoxLayout()
            row.setSpacing(8)
            row.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label, 1)
            layout.addLayout(row)
            self.checks[flag.value] = check

    def value(self) -> Any:
        return [code for code, check in self.checks.items() if check.isChecked()]

    def set_value(self, value: Any) -> None:
        for code, check in self.checks.items():
            check.setChecked(code in (value or []))


class SymptomsFieldEditor(Editor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desktop.widgets.symptom_editor import SymptomEditor

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.input = SymptomEditor(self)
        self.input.setMinimumHeight(360)
        layout.addWidget(self.input)

    def value(self) -> Any:
        return self.input.symptoms()

    def set_value(self, value: Any) -> None:
        self.input.set_symptoms(list(value or []))

    def unset(self) -> list[str]:
        from desktop.widgets.body_map import key_label

        return [key_label(key) for key in self.input.incomplete()]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str  # number | choice | text | flags | symptoms
    options: dict[str, Any] = field(default_factory=dict)


SIDE = FieldSpec("side", "Side", "choice", {"choices": [("left", "Left"), ("right", "Right")], "segmented": True})


def _choices(enum: Any) -> list[tuple[Any, str]]:
    return [(m.value, choice_label(m.value)) for m in enum]


FORM_SPECS: dict[str, tuple[FieldSpec, ...]] = {
    "SymptomsRecorded": (
        FieldSpec("symptoms", "Symptoms", "symptoms"),
        FieldSpec("context", "While", "text", {"placeholder": "e.g. sitting"}),
    ),
    "PainRated": (
        FieldSpec("leg", "Leg pain (0–10)", "number", {"lo": 0, "hi": 10, "whole": False, "optional": True}),
        FieldSpec("back", "Back pain (0–10)", "number", {"lo": 0, "hi": 10, "whole": False, "optional": True}),
        FieldSpec("share_of_day_percent", "Share of the day with symptoms", "number",
                  {"lo": 0, "hi": 100, "whole": False, "optional": True, "suffix": " %", "step": 5}),
        FieldSpec("episodes", "Episodes", "number", {"lo": 0, "hi": 1000, "whole": True, "optional": True}),
    ),
    "WalkRecorded": (
        FieldSpec("total_minutes", "Total minutes", "number",
                  {"lo": 0, "hi": 1440, "whole": False, "optional": False, "suffix": " min"}),
        FieldSpec("minutes_to_symptoms", "Symptoms started after", "number",
                  {"lo": 0, "hi": 1440, "whole": False, "optional": True, "suffix": " min",
                   "none_text": "no symptoms"}),
        FieldSpec("extent_at_stop", "Symptoms reached", "choice", {"choices": region_choices()}),
    ),
    "HeelRaisesTested": (
        SIDE,
        FieldSpec("repetitions", "Raises", "number", {"lo": 0, "hi": 999, "whole": True, "optional": False}),
    ),
    "MuscleGraded": (
        FieldSpec("muscle", "Muscle", "choice", {"choices": _choices(Muscle)}),
        SIDE,
        FieldSpec("grade", "MRC grade", "choice",
                  {"choices": [(g, str(g)) for g in range(6)], "segmented": True}),
    ),
    "GaitChecked": (
        FieldSpec("test", "Test", "choice", {"choices": _choices(GaitTest), "segmented": True}),
        SIDE,
        FieldSpec("result", "Result", "choice", {"choices": _choices(GaitResult), "segmented": True}),
    ),
    "StraightLegRaiseTested": (
        SIDE,
        FieldSpec("degrees", "Hip angle when symptoms start", "number",
                  {"lo": 0, "hi": 180, "whole": False, "optional": False, "suffix": "°"}),
    ),
    "SlumpTested": (
        SIDE,
        FieldSpec("result", "Result", "choice", {"choices": _choices(SlumpResult), "segmented": True}),
        FieldSpec("knee_extension_deficit_degrees", "Knee ext. deficit", "number",
                  {"lo": 0, "hi": 180, "whole": False, "optional": True, "suffix": "°"}),
    ),
    "ForwardBendTested": (
        FieldSpec("fingertip_to_floor_cm", "Fingertips to floor", "number",
                  {"lo": -100, "hi": 200, "whole": False, "optional": False, "suffix": " cm"}),
        FieldSpec("extent", "Symptoms reached", "choice", {"choices": region_choices()}),
    ),
    "ExerciseResponseRecorded": (
        FieldSpec("exercise", "Exercise", "text", {"placeholder": "e.g. prone press-up"}),
        FieldSpec("extent_before", "Symptoms reached before", "choice", {"choices": region_choices()}),
        FieldSpec("extent_after", "Symptoms reached after", "choice", {"choices": region_choices()}),
    ),
    "RedFlagsChecked": (FieldSpec("present", "Answered yes", "flags"),),
    "NoteAdded": (FieldSpec("text", "Note", "text"),),
}


def make_editor(spec: FieldSpec, parent: QWidget | None = None) -> Editor:
    o = spec.options
    if spec.kind == "number":
        return NumberEditor(o["lo"], o["hi"], whole=o["whole"], optional=o["optional"],
                            step=o.get("step", 1), suffix=o.get("suffix", ""),
                            none_text=o.get("none_text", "not recorded"), parent=parent)
    if spec.kind == "choice":
        return ChoiceEditor(o["choices"], segmented=o.get("segmented", False), parent=parent)
    if spec.kind == "text":
        return TextEditor(placeholder=o.get("placeholder", ""), parent=parent)
    if spec.kind == "flags":
        return FlagsEditor(parent)
    if spec.kind == "symptoms":
        return SymptomsFieldEditor(parent)
    raise ValueError(f"unknown field kind {spec.kind}")


class EntryForm(QWidget):
    """The fields of one entry type, laid out as a form."""

    def __init__(self, type_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.type_name = type_name
        self.editors: dict[str, Editor] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(14)
        layout.setVerticalSpacing(8)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for spec in FORM_SPECS[type_name]:
            editor = make_editor(spec, self)
            editor.setObjectName(f"field_{spec.name}")
            self.editors[spec.name] = editor
            if spec.kind in ("symptoms", "flags"):
                layout.addRow(editor)
            else:
                parts.add_field(layout, spec.label, editor, self)

    def fields(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def unset(self) -> list[str]:
        """What was started but not finished (a body region without sensation or intensity):
        ``fields()`` leaves it out, so a form must not be saved while this is not empty."""
        return [what for editor in self.editors.values() for what in editor.unset()]

    def clear(self, keep: tuple[str, ...] = ()) -> None:
        for name, editor in self.editors.items():
            if name not in keep:
                editor.clear()

    def set_fields(self, values: dict[str, Any]) -> None:
        for name, editor in self.editors.items():
            if name in values:
                editor.set_value(values[name])
