"""The Timeline lists every event, links corrections and filters by type and text."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desktop.views import correction
from desktop.views.history import CHANGES, SUMMARY, HistoryView
from desktop.views.progress import ProgressView


@pytest.fixture
def timeline(make_view: Any) -> HistoryView:
    view: HistoryView = make_view(HistoryView, 1300, 700)
    return view


def _row_of(view: HistoryView, entry_id: Any) -> int:
    i = view.model.row_of(entry_id)
    assert i is not None
    return i


def test_every_event_is_listed(timeline: HistoryView, fixture_session: Any) -> None:
    session, _ids = fixture_session
    assert timeline.model.rowCount() == len(session.app.entries())
    assert "entries" in timeline.count_label.text()


def test_a_correction_is_struck_through_and_linked(qtbot: Any, timeline: HistoryView, fixture_session: Any) -> None:
    session, ids = fixture_session
    target = ids["pain"][3]
    fix = session.app.correct(target, {"leg": 4, "back": 3}, "slider slipped")
    # The session's change hook rebuilt the visible view.
    model = timeline.model
    i = _row_of(timeline, target)
    font = model.data(model.index(i, SUMMARY), Qt.ItemDataRole.FontRole)
    assert font is not None and font.strikeOut()
    position = model.row_at(_row_of(timeline, fix)).position
    assert model.data(model.index(i, CHANGES)) == f"Corrected by #{position} →"
    j = _row_of(timeline, fix)
    target_position = model.row_at(i).position
    assert model.data(model.index(j, CHANGES)) == f"Corrects #{target_position} →"
    assert "leg 4/10" in model.data(model.index(j, SUMMARY))
    # Following the link selects the correction.
    assert timeline.select_entry(target)
    assert timeline.follow_link()
    assert timeline.selected_entry() == fix


def test_a_retraction_is_linked_too(timeline: HistoryView, fixture_session: Any) -> None:
    session, ids = fixture_session
    target = ids["walks"][0]
    retraction = session.app.retract(target, "entered twice")
    model = timeline.model
    i = _row_of(timeline, target)
    assert model.data(model.index(i, SUMMARY), Qt.ItemDataRole.FontRole).strikeOut()
    assert model.data(model.index(i, CHANGES)).startswith("Retracted by #")
    timeline.select_entry(target)
    assert not timeline.retract_button.isEnabled()
    timeline.follow_link()
    assert timeline.selected_entry() == retraction


def test_filter_by_type_and_text(timeline: HistoryView, fixture_session: Any) -> None:
    _session, ids = fixture_session
    timeline.set_filter("HeelRaisesTested")
    assert timeline.proxy.rowCount() == 6
    timeline.set_filter("HeelRaisesTested", "left")
    assert timeline.proxy.rowCount() == 3
    timeline.set_filter(None, "heel raises left: 12")
    assert timeline.proxy.rowCount() == 1
    assert timeline.count_label.text().startswith("1 of ")
    timeline.set_filter("WalkRecorded", "")
    assert timeline.proxy.rowCount() == len(ids["walks"])
    # Selecting an entry hidden by the filter clears the filter.
    assert timeline.select_entry(ids["symptoms"][0])
    assert timeline.proxy.rowCount() == timeline.model.rowCount()


def test_correct_button_opens_the_shared_dialog(monkeypatch: pytest.MonkeyPatch, timeline: HistoryView,
                                                 fixture_session: Any) -> None:
    _session, ids = fixture_session
    calls: list[Any] = []
    monkeypatch.setattr(correction, "open_correction_dialog", lambda parent, app, entry: calls.append(entry))
    timeline.select_entry(ids["heel_left"][0])
    assert timeline.correct_button.isEnabled()
    timeline.correct_button.click()
    assert calls == [ids["heel_left"][0]]


def test_clicking_a_chart_point_selects_its_entry_in_the_timeline(qtbot: Any, timeline: HistoryView,
                                                                   fixture_session: Any) -> None:
    session, ids = fixture_session
    progress = ProgressView(session)
    qtbot.addWidget(progress)
    progress.entry_selected.connect(timeline.select_entry)
    scatter = progress.charts.plots["walking"].items["walks"]
    spot = scatter.points()[2]
    scatter.sigClicked.emit(scatter, [spot], None)
    assert timeline.selected_entry() == ids["walks"][2]


def test_no_timeline_summary_writes_an_iso_date(timeline: HistoryView) -> None:
    """Issue 16 leftover: "Journal started … onset 2026-02-20" was ISO; people's words now."""
    import re

    model = timeline.model
    texts = [model.data(model.index(r, SUMMARY)) or "" for r in range(model.rowCount())]
    started = [t.split("  ", 1)[1] for t in texts if "Journal started" in t]  # after "#1  "
    assert started == ["Journal started for P. Tester: left side, onset 20 Feb 2026"]
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", t) for t in texts)


def test_the_signs_panel_words_an_as_recorded_moment_like_the_rest(qtbot: Any, fixture_session: Any) -> None:
    from datetime import UTC, datetime

    from projections.vocabulary import moment

    session, _ids = fixture_session
    view = ProgressView(session)
    qtbot.addWidget(view)
    recorded = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
    view.set_replay(recorded)
    hint = view.signs.stage_card.hint.text()
    assert f"as recorded by {moment(recorded.astimezone())}" in hint  # "10 Mar 2026, 13:30"
    assert "2026-03" not in hint


def test_a_narrow_window_keeps_a_third_of_the_table_for_the_entry(qtbot: Any, make_view: Any) -> None:
    from desktop.views.history import AUTHOR, OBSERVED, RECORDED

    view: HistoryView = make_view(HistoryView, 830, 700)  # the Timeline's width in a 1024-px window
    table = view.table
    qtbot.waitUntil(lambda: table.viewport().width() > 0)
    width = table.viewport().width()
    # A third of the table, or all that is left once the others are down to their minimums.
    least = sum(minimum for _preferred, minimum in view.column_widths.widths.values())
    assert table.columnWidth(SUMMARY) >= min(width / 3, width - least) - 2
    # The dates keep room for a whole date and time; the author gives up width first.
    full = table.fontMetrics().horizontalAdvance("30 Sep 2026, 20:00")
    assert table.columnWidth(OBSERVED) > full and table.columnWidth(RECORDED) > full
    assert table.columnWidth(AUTHOR) < 150
    view.resize(1300, 700)
    qtbot.waitUntil(lambda: table.columnWidth(AUTHOR) == 150)
    assert table.columnWidth(OBSERVED) >= 128
