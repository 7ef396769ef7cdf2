"""The caseload table and its session on plain rows (no PostgreSQL): words, sorting, the
therapist filter, red flags never hidden, and a double click asking for the patient."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
from PySide6.QtCore import Qt

from desktop.session.caseload import CaseloadSession
from desktop.views.caseload import COLUMNS, FLAGS, PLACE, CaseloadView
from projections.caseload import CaseloadRow, Group, order_key
from tests.desktop_clinic.rows import rows


class FakeStore:
    """The store's answers (stored rows), filtered and ordered as the store does: since the
    caseload's order moved into the store (its rows' ``order_key``, ``ORDER BY sort_key``), the
    fake orders by the same key, whatever order the rows were stored in."""

    def __init__(self, stored: list[CaseloadRow]) -> None:
        self.stored = list(reversed(stored))
        self.closed = False
        self.waiting = 0

    def caseload_json(self, therapist: str | None = None) -> bytes:
        kept = [r for r in sorted(self.stored, key=order_key) if therapist is None or r.therapist == therapist]
        return msgspec.json.encode(kept)  # the stored form: the rows' own fields

    def current_therapist(self) -> str | None:
        return "Dr Lee"

    def entries_waiting(self) -> int:
        return self.waiting

    def close(self) -> None:
        self.closed = True


class FakeCopy:
    """A review copy as the session sees one (``domain.clinic.review.ReviewCopy``): written at once."""

    def __init__(self, patient: str) -> None:
        self.path = Path(f"/nowhere/{patient}.sciatica")
        self.entries: list[Any] = []

    def wait(self) -> None:
        pass

    def open(self, therapist: str) -> Any:
        raise AssertionError("these tests never open a copy")


def session(stored: list[CaseloadRow] | None = None, today: date = date(2026, 1, 12)) -> CaseloadSession:
    made = CaseloadSession(FakeStore(rows() if stored is None else stored), "postgresql://lee@clinic/sciatica",
                           open_copy=lambda store, patient, therapist: FakeCopy(patient),
                           push=lambda store, path: None, discard=lambda path: None)
    made.today = lambda: today  # the rows' earliest day (rows.PATIENTS): none is stale
    return made


def cell(view: CaseloadView, row: int, column: int) -> str:
    return str(view.proxy.index(row, column).data(Qt.ItemDataRole.DisplayRole))


def test_the_session_lists_most_urgent_first_whatever_order_the_store_answers() -> None:
    caseload = session().caseload()
    assert [r.group for r in caseload.rows] == [Group.RED_FLAG, Group.FLARE, Group.SILENT, Group.WORSENING,
                                                Group.OTHER]
    assert caseload.therapists == ("A. Rivera", "Dr Lee")
    assert (caseload.unassigned, caseload.red_flags, caseload.urgent_elsewhere) == (1, 1, 0)


def test_a_filter_that_leaves_out_a_red_flag_says_so(view: CaseloadView) -> None:
    caseload = session().caseload("Dr Lee")
    assert {r.therapist for r in caseload.rows} == {"Dr Lee"}
    assert caseload.urgent_elsewhere == 1  # A. Rivera's patient with an emergency flag
    view.set_caseload(caseload)
    assert view.elsewhere_label.isVisible()
    assert "1 patient of other therapists has a red flag" in view.elsewhere_label.text()
    assert view.therapist_combo.currentText() == "Dr Lee"
    view.set_caseload(session().caseload())
    assert not view.elsewhere_label.isVisible()


def test_each_row_in_words(view: CaseloadView) -> None:
    view.set_caseload(session().caseload())
    first = [cell(view, 0, c) for c in range(len(COLUMNS))]
    headings = [c[0] for c in COLUMNS]
    shown = dict(zip(headings, first, strict=True))
    assert shown["Place"] == "Red flag"
    assert shown["Why here"].startswith("Emergency: seek care now: saddle numbness")
    assert shown["Red flags"] == "Emergency, see soon"  # both, the most urgent first
    tip = view.proxy.index(0, FLAGS).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Emergency: seek care now: saddle numbness")
    assert "See a clinician within 1–2 days: symptoms in both legs" in tip
    assert shown["Therapist"] == "A. Rivera"
    assert shown["Check-ins"].endswith("of 14")
    flare = dict(zip(headings, [cell(view, 1, c) for c in range(len(COLUMNS))], strict=True))
    assert (flare["Place"], flare["Therapist"]) == ("Flare-up", "Not assigned")
    silent = dict(zip(headings, [cell(view, 2, c) for c in range(len(COLUMNS))], strict=True))
    assert silent["Last entry"] == "5 days ago"
    assert view.proxy.index(2, headings.index("Last entry")).data(Qt.ItemDataRole.ToolTipRole) == (
        "21 Feb 2026 (5 days ago)")
    assert view.count_label.text() == "5 patients; 1 with a red flag"
    # No code ever reaches the table: every cell is words (but the journeys' names, as written).
    for r in range(view.proxy.rowCount()):
        for c in range(1, len(COLUMNS)):
            assert "_" not in cell(view, r, c), cell(view, r, c)


def test_the_details_show_every_field_of_the_selected_patient(view: CaseloadView) -> None:
    view.set_caseload(session().caseload())
    first = view.details.text()  # the most urgent patient is selected first
    assert "Journey red_flags (2026-01-12)" in first
    for words in ("Why here", "Emergency: seek care now: saddle numbness", "Stage", "Red flag — a red flag is active",
                  "Signs", "leg strength", "Exercises to pull back on", "Last entry", "Check-ins", "Last review",
                  "A. Rivera"):
        assert words in first, words
    view.table.selectRow(1)
    assert "Flare-up — symptoms spreading further down the leg" in view.details.text()
    assert "Centralization peripheralizing" in view.details.text()
    view.set_caseload(session([]).caseload("Dr Lee"))
    assert view.details.text() == "No patients assigned to Dr Lee."


def test_rows_worked_out_before_today_are_said_to_be_old(view: CaseloadView) -> None:
    view.set_caseload(session().caseload())
    assert not view.stale_label.isVisible()
    later = session(today=date(2026, 5, 5)).caseload()
    assert later.stale and later.oldest == date(2026, 1, 12)
    view.set_caseload(later)
    assert view.stale_label.isVisible()
    assert view.stale_label.text().startswith("Some rows were worked out on 12 Jan 2026 and not since")


def test_entries_the_caseload_service_has_not_applied_yet_are_said(view: CaseloadView) -> None:
    behind = session()
    assert isinstance(behind.store, FakeStore)
    behind.store.waiting = 346
    caseload = behind.caseload()
    assert caseload.waiting == 346 and not caseload.stale
    view.set_caseload(caseload)
    assert view.stale_label.isVisible()
    assert view.stale_label.text().startswith("346 new entries are not in this list yet")
    behind.store.waiting = 0
    view.set_caseload(behind.caseload())
    assert not view.stale_label.isVisible()


def test_a_red_flag_row_is_tinted_and_bold(view: CaseloadView) -> None:
    view.set_caseload(session().caseload())
    assert view.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert view.proxy.index(0, FLAGS).data(Qt.ItemDataRole.FontRole).bold()
    assert view.proxy.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is None


def test_sorting_by_a_column_and_back_to_the_clinics_order(view: CaseloadView) -> None:
    view.set_caseload(session().caseload())
    clinic_order = [r.patient_id for r in view.shown_rows()]
    headings = [c[0] for c in COLUMNS]
    view.table.sortByColumn(headings.index("Last entry"), Qt.SortOrder.AscendingOrder)
    days = [r.last_entry for r in view.shown_rows()]
    assert days == sorted(days)  # every journey here has a last entry
    view.table.sortByColumn(headings.index("Therapist"), Qt.SortOrder.AscendingOrder)
    assert [r.therapist for r in view.shown_rows()] == ["A. Rivera", "A. Rivera", "Dr Lee", "Dr Lee", None]
    view.table.sortByColumn(headings.index("Check-ins"), Qt.SortOrder.DescendingOrder)
    counts = [r.check_in_days for r in view.shown_rows()]
    assert counts == sorted(counts, reverse=True)
    view.table.sortByColumn(PLACE, Qt.SortOrder.AscendingOrder)
    assert [r.patient_id for r in view.shown_rows()] == clinic_order


def test_the_filter_asks_the_session_and_a_double_click_asks_for_the_patient(view: CaseloadView, qtbot: Any) -> None:
    view.set_caseload(session().caseload())
    with qtbot.waitSignal(view.filter_changed) as chosen:
        view.therapist_combo.setCurrentIndex(view.therapist_combo.findText("A. Rivera"))
        view.therapist_combo.activated.emit(view.therapist_combo.currentIndex())
    assert chosen.args == ["A. Rivera"]
    expected = view.shown_rows()[2].patient_id
    with qtbot.waitSignal(view.open_requested) as opened:
        view.table.doubleClicked.emit(view.proxy.index(2, 0))
    assert opened.args == [expected]
    assert isinstance(expected, uuid.UUID)


def test_review_copies_are_discarded_once_and_all_on_close() -> None:
    removed: list[Path] = []
    s = session()
    s._discard = removed.append
    a, b = uuid.UUID(int=1), uuid.UUID(int=2)
    first, second = s.open_for_review(a, "Dr Lee"), s.open_for_review(b, "Dr Lee")
    assert s.is_copy(first) and s.is_copy(second)
    s.discard(first)
    s.discard(first)
    assert removed == [first]
    s.close()
    assert removed == [first, second]
    assert not s.is_copy(second)
    assert s.store.closed  # type: ignore[attr-defined]


def test_a_verdict_that_names_its_sign_is_not_said_twice() -> None:
    from desktop.views.caseload import _sign_words

    assert _sign_words("walking", "worsening") == "walking less far"
    assert _sign_words("strength", "worsening") == "leg strength getting weaker"
