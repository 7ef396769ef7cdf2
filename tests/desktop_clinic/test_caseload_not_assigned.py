"""The therapist filter's "Not assigned" choice: the patients no therapist has yet, from the one
answer of the store (no second fetch), and the words around it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from desktop.session.caseload import NOT_ASSIGNED
from desktop.views.caseload import CaseloadView
from projections.caseload import Group
from tests.desktop_clinic.rows import rows
from tests.desktop_clinic.test_caseload_view import FakeStore, session


class CountingStore(FakeStore):
    fetched = 0

    def caseload_json(self, therapist: str | None = None) -> bytes:
        self.fetched += 1
        return super().caseload_json(therapist)


def test_not_assigned_keeps_the_patients_without_a_therapist_from_one_answer() -> None:
    made = session()
    made.store = counting = CountingStore(rows())
    caseload = made.caseload(NOT_ASSIGNED)
    assert [(r.name, r.therapist) for r in caseload.rows] == [("Journey flare (2026-02-10)", None)]
    assert caseload.therapist is NOT_ASSIGNED
    # The counts are of every patient the role may read; the emergency is A. Rivera's patient's.
    assert (caseload.unassigned, caseload.urgent_elsewhere) == (1, 1)
    assert caseload.therapists == ("A. Rivera", "Dr Lee")
    made.caseload("Dr Lee")
    assert counting.fetched == 2  # one fetch per caseload, filtered or not


def test_the_filter_offers_not_assigned_and_says_what_it_leaves_out(view: CaseloadView, qtbot: Any) -> None:
    view.set_caseload(session().caseload())
    combo = view.therapist_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["Everyone", "Not assigned", "A. Rivera", "Dr Lee"]
    chosen: list[object] = []
    view.filter_changed.connect(chosen.append)
    combo.activated.emit(1)
    assert chosen == [NOT_ASSIGNED]
    view.set_caseload(session().caseload(NOT_ASSIGNED))
    assert combo.currentText() == "Not assigned"
    assert [r.group for r in view.shown_rows()] == [Group.FLARE]
    assert "1 patient with a therapist has a red flag: choose Everyone" in view.elsewhere_label.text()


def test_when_everyone_has_a_therapist(view: CaseloadView) -> None:
    assigned = [replace(r, therapist=r.therapist or "Dr Lee") for r in rows()]
    view.set_caseload(session(assigned).caseload())
    combo = view.therapist_combo
    assert "Not assigned" not in [combo.itemText(i) for i in range(combo.count())]  # nobody to show
    view.set_caseload(session(assigned).caseload(NOT_ASSIGNED))
    assert view.details.text() == "Every patient has a therapist."
    assert combo.currentText() == "Not assigned"  # the choice made stays said
