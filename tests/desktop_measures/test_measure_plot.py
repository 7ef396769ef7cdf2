"""The Progress view's questionnaire curves (issue 19): a plot per measure that has answers,
the score over time, the meaningful-change band around the baseline, PSFS activities named."""

from __future__ import annotations

from datetime import date

import numpy as np
from pytestqt.qtbot import QtBot

from desktop.app import QtSession
from desktop.charts.axes import day_x
from desktop.charts.measure_plot import MeasureCharts, render_measure_chart
from desktop.session import measures
from desktop.views.progress import ProgressView
from domain.application import JournalApp
from tests.desktop_measures.conftest import ACTIVITIES

SBI_ITEMS = ["leg_pain", "numbness_tingling", "leg_weakness", "sitting_pain"]


def answer_sbi(app: JournalApp, day: str, values: tuple[int, int, int, int]) -> None:
    app.answer_measure(f"{day}T09:00", "sbi", [{"item": i, "value": v} for i, v in zip(SBI_ITEMS, values,
                                                                                        strict=True)])


def answer_psfs(app: JournalApp, day: str, values: tuple[int, int, int]) -> None:
    app.answer_measure(f"{day}T09:00", "psfs", [{"item": n, "value": v} for n, v in zip(ACTIVITIES, values,
                                                                                       strict=True)])


def legend_labels(plot) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


def test_only_measures_with_answers_get_a_curve(qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    charts = MeasureCharts()
    qtbot.addWidget(charts)
    charts.show_measures(measures.measure_states(session.core))
    assert charts.isHidden() and charts.shown() == []  # assigned, not answered: nothing to draw
    answer_sbi(assigned, "2026-01-16", (4, 2, 0, 5))
    charts.show_measures(measures.measure_states(session.core))
    assert not charts.isHidden() and charts.shown() == ["sbi"]


def test_the_sbi_curve_and_its_meaningful_change_band(qtbot: QtBot, session: QtSession,
                                                      assigned: JournalApp) -> None:
    answer_sbi(assigned, "2026-01-10", (5, 4, 3, 6))  # 18: before the journal's as-of, the baseline
    answer_sbi(assigned, "2026-01-17", (3, 2, 1, 4))  # 10
    charts = MeasureCharts()
    qtbot.addWidget(charts)
    charts.show_measures(measures.measure_states(session.core))
    plot = charts.plots["sbi"]
    x, y = plot.items["score"].getData()
    assert list(x) == [day_x(date(2026, 1, 10)), day_x(date(2026, 1, 17))]
    assert list(y) == [18, 10]
    # Baseline 18, MIC max(2, 30 % of 18) = 5.4: the band is 12.6–23.4 from the baseline to the latest.
    lx, ly = plot.items["band_low"].getData()
    _hx, hy = plot.items["band_high"].getData()
    assert list(lx) == list(x) and np.allclose(ly, [12.6, 12.6]) and np.allclose(hy, [23.4, 23.4])
    assert "baseline 18: a change of 5.4 or more matters" in legend_labels(plot)
    text, entry = plot.describe("score_points", 1)
    assert text.startswith("17 Jan 2026\nSciatica Bothersomeness Index: 10")
    assert "leg pain: 3" in text and "Trend: improving" in text
    assert entry is not None and assigned.journal.entries[entry].type_name() == "MeasureAnswered"


def test_the_psfs_names_its_activities_in_the_legend_and_tooltip(qtbot: QtBot, session: QtSession,
                                                                  assigned: JournalApp) -> None:
    answer_psfs(assigned, "2026-01-15", (2, 3, 4))
    answer_psfs(assigned, "2026-01-19", (5, 3, 4))
    charts = MeasureCharts()
    qtbot.addWidget(charts)
    charts.show_measures(measures.measure_states(session.core))
    plot = charts.plots["psfs"]
    labels = legend_labels(plot)
    assert all(name in labels for name in ACTIVITIES) and "mean of the activities" in labels
    assert list(plot.items["score"].getData()[1]) == [3, 4]
    _x, ay = plot.items[f"activity:{ACTIVITIES[0]}"].getData()
    assert list(ay) == [2, 5]
    text, _ = plot.describe(f"activity_points:{ACTIVITIES[0]}", 1)
    assert text == f"19 Jan 2026\n{ACTIVITIES[0]}: 5 / 10"


def test_progress_shows_the_curves_under_the_signs_on_the_same_dates(qtbot: QtBot, session: QtSession,
                                                                     assigned: JournalApp) -> None:
    answer_psfs(assigned, "2026-01-16", (2, 3, 4))
    answer_sbi(assigned, "2026-01-16", (4, 2, 0, 5))
    view = ProgressView(session)
    qtbot.addWidget(view)
    view.resize(1000, 650)
    view.show()
    assert view.measure_charts.shown() == ["psfs", "sbi"]
    qtbot.wait(50)  # laid out: linked views align by their geometry
    signs = view.charts.plots["centralization"].getPlotItem().getViewBox().viewRange()[0]
    own = view.measure_charts.plots["sbi"].getPlotItem().getViewBox().viewRange()[0]
    assert np.allclose(signs, own)
    # A new answer reaches the curve through the session's change hook.
    assigned.answer_measure("2026-01-19T09:00", "peg", [{"item": i, "value": 6} for i in (
        "pain", "enjoyment", "general_activity")])
    assert view.measure_charts.shown() == ["psfs", "sbi", "peg"]
    # Replay to a day before the answers hides their points.
    view.set_replay(date(2026, 1, 15))
    assert len(view.measure_charts.plots["sbi"].items["score_points"].getData()[0]) == 0
    view.set_replay(None)
    assert len(view.measure_charts.plots["sbi"].items["score_points"].getData()[0]) == 1


def test_a_measure_chart_renders_for_the_report(qtbot: QtBot, session: QtSession, assigned: JournalApp) -> None:
    answer_sbi(assigned, "2026-01-16", (4, 2, 0, 5))
    state = next(s for s in measures.measure_states(session.core) if s.measure == "sbi")
    image = render_measure_chart(state, 600, 300, days=(date(2026, 1, 12), date(2026, 1, 20)))
    assert (image.width(), image.height()) == (600, 300)
    colours = {image.pixel(x, y) for x in range(0, 600, 7) for y in range(0, 300, 7)}
    assert len(colours) > 5  # drawn, not blank
