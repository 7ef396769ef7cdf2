"""Guided forms for the strength, nerve and movement tests.

Each card explains how to do the test, takes the result and saves it as one typed
``TestResult`` (``JournalSession.record_test``). A refused value shows the domain's own message
(``str(exc)``) and stores nothing.

In a copy opened for review the clinic tests' cards save the therapist's own results
(``session.clinic.record_clinic_test``: author role therapist, their name); the patient's
entries stay read-only, and the exercise card stays closed. Each card's latest results name
who recorded them whenever a therapist did, so a patient's and a therapist's test of the same
day both show, attributed.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QSize, Signal
from PySide6.QtWidgets import QDateEdit, QFrame, QHBoxLayout, QWidget

from desktop.operations import run_op
from desktop.session import Changes, EntryKind, test_result
from desktop.session.clinic import CLINIC_KINDS, latest_by_author, record_clinic_test
from desktop.style import date_words
from desktop.views.recent import RecentEntries
from desktop.widgets import parts
from desktop.widgets.columns import ReflowColumns
from desktop.widgets.fields import EntryForm, choice_label
from desktop.widgets.page import ScrollPage
from projections.history import summarize
from projections.vocabulary import author_words

if TYPE_CHECKING:
    from desktop.app import QtSession
    from desktop.session import JournalSession

# (kind of test, title, how to do it)
TESTS: tuple[tuple[EntryKind, str, str], ...] = (
    (EntryKind.HEEL_RAISES, "Heel raises",
     "Stand on one leg with fingertips on a wall for balance. Rise onto your toes as high as you "
     "can and lower again, one raise every 2 seconds, until you cannot rise fully. Count the "
     "raises. Test each leg."),
    (EntryKind.MUSCLE_GRADE, "Muscle grade",
     "Entered by your therapist: the MRC grade (0 no contraction … 5 normal strength) of ankle "
     "dorsiflexion or great-toe extension."),
    (EntryKind.GAIT, "Heel / toe walk",
     "Walk ten steps on your heels, then ten on your toes. Note for each leg whether it was "
     "normal, harder than usual (impaired) or not possible (unable)."),
    (EntryKind.STRAIGHT_LEG_RAISE, "Straight-leg raise",
     "Lying on your back, a helper lifts your straight leg slowly. Note the hip angle when your "
     "usual leg symptoms start."),
    (EntryKind.SLUMP, "Slump test",
     "Sitting, slump forward, tuck your chin and straighten one knee. Positive means your familiar "
     "symptoms appear and ease when you lift your head."),
    (EntryKind.FORWARD_BEND, "Forward bend",
     "Standing, bend forward with straight knees. Measure fingertips to floor (negative if past "
     "the floor) and note how far down symptoms reached."),
    (EntryKind.EXERCISE_RESPONSE, "Exercise response",
     "Before a set of an exercise, note how far down your symptoms reach; note it again after "
     "the set."),
)
TEST_TYPES = tuple(t[0] for t in TESTS)


class TestCard(QFrame):
    """One guided test form: how-to, fields, date, Save, and the latest result."""

    __test__ = False  # not a pytest test class
    saved = Signal(object)

    def __init__(self, session: JournalSession, kind: EntryKind, title: str, howto: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.kind = kind
        layout = parts.card_layout(self)
        head = QHBoxLayout()
        head.addWidget(parts.label(title, self, "title"))
        head.addStretch(1)
        self.last_label = parts.label("", self, "hint", name="last_label")
        head.addWidget(self.last_label)
        layout.addLayout(head)
        layout.addWidget(parts.label(howto, self, "hint", wrap=True))
        self.form = EntryForm(kind, self)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        row.addWidget(parts.label("Date", self, "fieldlabel"))
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("date_edit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("d MMM yyyy")
        row.addWidget(self.date_edit)
        row.addStretch(1)
        # In review mode the therapist records the clinic tests as their own entries.
        self.clinic = session.reviewer is not None and kind in CLINIC_KINDS
        self.save_button = parts.button(f"Save as {session.reviewer}" if self.clinic else "Save", self,
                                        self._on_save_button_clicked, name="save_button", kind="primary")
        self.save_button.setEnabled(self.clinic or not session.readonly)
        row.addWidget(self.save_button)
        layout.addLayout(row)
        layout.addStretch(1)
        self.latest_label = parts.label("", self, "hint", name="latest_label", wrap=True)
        layout.addWidget(self.latest_label)
        self.reset()

    def reset(self) -> None:
        today = self.session.today()
        self.date_edit.setDate(QDate(today.year, today.month, today.day))
        side = self.form.editors.get("side")
        affected = self.session.identity.affected_side
        if side is not None and affected in ("left", "right"):
            side.set_value(affected)

    def observed_at(self) -> datetime:
        day = self.date_edit.date().toPython()
        now = self.session.now()
        return datetime.combine(day, now.time())  # type: ignore[arg-type]

    def show_latest(self) -> None:
        """The latest result per side and per author, as recorded: no verdict here. Who
        recorded it is named whenever a therapist recorded one of them."""
        latest = latest_by_author(self.session, self.kind)
        if not latest:
            self.last_label.setText("not done yet")
            self.latest_label.setText("")
            return
        self.last_label.setText(f"last: {date_words(latest[0].observed_at)}")
        attributed = any(e.author_role == "therapist" for e in latest)

        def line(e: Any) -> str:
            by = f", {author_words(e.author_role, e.author_name)}" if attributed else ""
            return f"{summarize(e)} ({date_words(e.observed_at)}{by})"

        ordered = sorted(latest, key=lambda e: (str(getattr(e, "side", "")), e.author_role != "patient",
                                                e.author_name))
        self.latest_label.setText("Latest: " + "\n".join(line(e) for e in ordered))

    def _on_save_button_clicked(self) -> None:
        def save() -> Any:
            result = test_result(self.kind, self.form.fields())
            if self.clinic:
                return record_clinic_test(self.session, result, self.observed_at())
            return self.session.record_test(result, self.observed_at())

        run_op(self, "Test not saved", save, self._on_saved)

    def _on_saved(self, entry_id: Any) -> None:
        self.form.clear(keep=("side", "muscle", "test", "exercise"))
        self.saved.emit(entry_id)


class TestsView(ScrollPage):
    """Every guided test on one scrolling page, with the latest results to correct."""

    __test__ = False  # not a pytest test class
    saved = Signal(object)

    def __init__(self, session: QtSession, parent: QWidget | None = None) -> None:
        super().__init__("tests_view", parent)
        self.live = session
        self.session = session.core
        self._setup_ui()
        for test_card in self.cards.values():
            test_card.show_latest()
        session.changed.connect(self._on_session_changed)

    def _setup_ui(self) -> None:
        page, outer = self.make_page((28, 22, 28, 28))
        outer.addWidget(parts.label("Tests", page, "pagetitle"))
        side = choice_label(self.session.identity.affected_side).lower()
        outer.addWidget(parts.label(f"Do them in the same way each time, every week or two. Test both legs: "
                                    f"the {side} side is affected, the other is the reference.", page, "hint",
                                    wrap=True))
        cards: list[QWidget] = []
        self.cards: dict[str, TestCard] = {}
        for kind, title, howto in TESTS:
            test_card = TestCard(self.session, kind, title, howto, page)
            test_card.saved.connect(self.saved)
            self.cards[kind] = test_card
            cards.append(test_card)
        recent, rl = parts.card(page, "Recent results",
                                "Select one to correct or retract it; the original stays in the history.")
        self.recent = RecentEntries(self.live, TEST_TYPES, recent)
        rl.addWidget(self.recent, 1)
        self.grid = CardGrid(cards, recent, parent=page)
        outer.addWidget(self.grid)
        outer.addStretch(1)

    def _on_session_changed(self, changes: Changes) -> None:
        # Only the cards whose kind the save touched (the recent list follows by itself).
        for kind, test_card in self.cards.items():
            if kind in changes.kinds:
                test_card.show_latest()


class CardGrid(ReflowColumns):
    """The test cards in as many equal columns as fit the width (at most three), row after
    row, and the recent results filling the rest of the last row (the whole row when the
    cards fill it). Only the width decides the arrangement, as for the check-in's columns."""

    MAX_COLUMNS = 3

    def __init__(self, cards: list[QWidget], tail: QWidget, *, parent: QWidget | None = None) -> None:
        self.cards = cards
        self.tail = tail
        super().__init__([*cards, tail], parent=parent)

    def fitting(self, width: int) -> int:
        # Equal columns: each must hold the widest card.
        widest = max(c.minimumSizeHint().width() for c in self.cards)
        fit = (width + self._spacing) // (widest + self._spacing)
        return max(1, min(self.MAX_COLUMNS, fit))

    def sizeHint(self) -> QSize:
        # Wide enough for every column it can show: a page opened at its natural size shows
        # the cards side by side.
        hint = super().sizeHint()
        widest = max(c.sizeHint().width() for c in self.cards)
        hint.setWidth(self.MAX_COLUMNS * widest + (self.MAX_COLUMNS - 1) * self._spacing)
        return hint

    def _arrange(self, count: int) -> None:
        count = min(count, self.MAX_COLUMNS)
        if count == self.count:
            return
        self.count = count
        for column in self.columns:
            self.grid.removeWidget(column)
        for i, test_card in enumerate(self.cards):
            self.grid.addWidget(test_card, i // count, i % count)
        used = len(self.cards) % count
        row = len(self.cards) // count
        self.grid.addWidget(self.tail, row, used, 1, count - used)
        for i in range(max(self.grid.columnCount(), self.MAX_COLUMNS)):
            self.grid.setColumnStretch(i, 1 if i < count else 0)
        # Place the cards now, not at the next layout pass: a click right after the page
        # is shown must find each button where it is drawn.
        self.grid.activate()
