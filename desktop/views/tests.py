"""Guided forms for the strength, nerve and movement tests.

Each card explains how to do the test, takes the result and saves one entry through the
service. A refused value shows the domain's own message (``str(exc)``) and stores nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.style import date_words, set_role
from desktop.views.recent import RecentEntries
from desktop.widgets.fields import EntryForm, choice_label
from desktop.widgets.page import ScrollPage
from domain.errors import JournalError
from projections.history import summarize

if TYPE_CHECKING:
    from desktop.app import JournalSession

# (entry type, title, how to do it, who usually does it)
TESTS: tuple[tuple[str, str, str], ...] = (
    ("HeelRaisesTested", "Heel raises",
     "Stand on one leg with fingertips on a wall for balance. Rise onto your toes as high as you "
     "can and lower again, one raise every 2 seconds, until you cannot rise fully. Count the "
     "raises. Test each leg."),
    ("MuscleGraded", "Muscle grade",
     "Entered by your therapist: the MRC grade (0 no contraction … 5 normal strength) of ankle "
     "dorsiflexion or great-toe extension."),
    ("GaitChecked", "Heel / toe walk",
     "Walk ten steps on your heels, then ten on your toes. Note for each leg whether it was "
     "normal, harder than usual (impaired) or not possible (unable)."),
    ("StraightLegRaiseTested", "Straight-leg raise",
     "Lying on your back, a helper lifts your straight leg slowly. Note the hip angle when your "
     "usual leg symptoms start."),
    ("SlumpTested", "Slump test",
     "Sitting, slump forward, tuck your chin and straighten one knee. Positive means your familiar "
     "symptoms appear and ease when you lift your head."),
    ("ForwardBendTested", "Forward bend",
     "Standing, bend forward with straight knees. Measure fingertips to floor (negative if past "
     "the floor) and note how far down symptoms reached."),
    ("ExerciseResponseRecorded", "Exercise response",
     "Before a set of an exercise, note how far down your symptoms reach; note it again after "
     "the set."),
)
TEST_TYPES = tuple(t[0] for t in TESTS)


class TestCard(QFrame):
    """One guided test form: how-to, fields, date, Save, and the latest result."""

    __test__ = False  # not a pytest test class
    saved = Signal(object)

    def __init__(self, session: JournalSession, type_name: str, title: str, howto: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.type_name = type_name
        self.setObjectName("card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        layout.setSpacing(10)
        head = QHBoxLayout()
        head.addWidget(set_role(QLabel(title, self), "title"))
        head.addStretch(1)
        self.last_label = set_role(QLabel("", self), "hint")
        self.last_label.setObjectName("last_label")
        head.addWidget(self.last_label)
        layout.addLayout(head)
        how = set_role(QLabel(howto, self), "hint")
        how.setWordWrap(True)
        layout.addWidget(how)
        self.form = EntryForm(type_name, self)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(set_role(QLabel("Date", self), "fieldlabel"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("date_edit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        row.addWidget(self.date_edit)
        row.addStretch(1)
        self.save_button = QPushButton("Save", self)
        self.save_button.setObjectName("save_button")
        self.save_button.setProperty("kind", "primary")
        self.save_button.setEnabled(not session.readonly)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.latest_label = set_role(QLabel("", self), "hint")
        self.latest_label.setObjectName("latest_label")
        self.latest_label.setWordWrap(True)
        layout.addWidget(self.latest_label)
        self.reset()

    def reset(self) -> None:
        today = self.session.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        side = self.form.editors.get("side")
        affected = self.session.app.identity.affected_side
        if side is not None and affected in ("left", "right"):
            side.set_value(affected)

    def observed_at(self) -> datetime:
        day = self.date_edit.date().toPython()
        now = self.session.now()
        return datetime.combine(day, now.time())  # type: ignore[arg-type]

    def render(self) -> None:  # type: ignore[override]
        """The latest result (per side for one-sided tests), as recorded: no verdict here."""
        per_side = "side" in self.form.editors
        latest: dict[str, Any] = {}
        for event in reversed(self.session.app.entries()):
            if event.type_name() != self.type_name:
                continue
            current = self.session.effective.effective(event.entry_id)
            if current is None or not self.session.visible(current):
                continue
            key = getattr(current, "side", "") if per_side else ""
            if key not in latest:
                latest[key] = current
            if len(latest) == (2 if per_side else 1):
                break
        if not latest:
            self.last_label.setText("not done yet")
            self.latest_label.setText("")
            return
        newest = max(latest.values(), key=lambda e: e.observed_at)
        self.last_label.setText(f"last: {date_words(newest.observed_at)}")
        lines = [f"{summarize(e)} ({date_words(e.observed_at)})"
                 for _, e in sorted(latest.items(), key=lambda item: item[0])]
        self.latest_label.setText("Latest: " + "\n".join(lines))

    def _on_save_button_clicked(self) -> None:
        fields: dict[str, Any] = self.form.fields()
        try:
            entry_id = self.session.app.record(self.type_name, fields, observed_at=self.observed_at())
        except JournalError as exc:
            QMessageBox.warning(self, "Test not saved", str(exc))
            return
        self.form.clear(keep=("side", "muscle", "test", "exercise"))
        self.saved.emit(entry_id)


class TestsView(ScrollPage):
    """Every guided test on one scrolling page, with the latest results to correct."""

    __test__ = False  # not a pytest test class
    saved = Signal(object)

    def __init__(self, session: JournalSession, parent: QWidget | None = None) -> None:
        super().__init__("tests_view", parent)
        self.session = session
        self._setup_ui()
        self.render()
        session.changed.connect(self._on_session_changed)

    def _setup_ui(self) -> None:
        page, outer = self.make_page((28, 22, 28, 28))
        outer.addWidget(set_role(QLabel("Tests", page), "pagetitle"))
        side = choice_label(self.session.app.identity.affected_side).lower()
        intro = set_role(QLabel(f"Do them in the same way each time, every week or two. Test both legs: "
                                f"the {side} side is affected, the other is the reference.", page), "hint")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        self.cards: dict[str, TestCard] = {}
        for i, (type_name, title, howto) in enumerate(TESTS):
            test_card = TestCard(self.session, type_name, title, howto, page)
            test_card.saved.connect(self.saved)
            self.cards[type_name] = test_card
            grid.addWidget(test_card, i // 3, i % 3)
        recent = QFrame(page)
        recent.setObjectName("card")
        rl = QVBoxLayout(recent)
        rl.setContentsMargins(18, 16, 18, 16)
        rl.setSpacing(10)
        rl.addWidget(set_role(QLabel("Recent results", recent), "title"))
        hint = set_role(QLabel("Select one to correct or retract it; the original stays in the history.",
                               recent), "hint")
        hint.setWordWrap(True)
        rl.addWidget(hint)
        self.recent = RecentEntries(self.session, TEST_TYPES, recent)
        rl.addWidget(self.recent, 1)
        grid.addWidget(recent, len(TESTS) // 3, len(TESTS) % 3, 1, 3 - len(TESTS) % 3)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        outer.addLayout(grid)
        outer.addStretch(1)

    def render(self, snapshot: object = None) -> None:  # type: ignore[override]
        for test_card in self.cards.values():
            test_card.render()
        self.recent.refresh()

    def _on_session_changed(self, events: list[Any]) -> None:
        self.render()
