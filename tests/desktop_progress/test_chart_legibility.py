"""Charts a clinician can read (issue 17, item 4): one symbol per meaning, the stage as a strip,
the norm named in the legend, legends that fit, plot areas on one date axis."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtGui import QColor

from desktop.charts.plots import PLOT_CLASSES
from desktop.charts.sign_plot import LEGEND_MARGIN_PX, STAGE_STRIP_PX
from desktop.charts.theme import STAGE_COLORS, chart_theme
from desktop.views.progress import ProgressView
from projections.strength import NORMAL_HEEL_RAISES
from projections.vocabulary import STAGES


@pytest.fixture
def view(make_view: Any) -> ProgressView:
    view: ProgressView = make_view(ProgressView, 1300, 900, exposed=True)
    return view


def _legend_labels(plot: Any) -> list[str]:
    return [label.text for _sample, label in plot.legend.items]


def test_every_v2_stage_has_its_own_colour() -> None:
    assert set(STAGE_COLORS) == set(STAGES)
    assert len(set(STAGE_COLORS.values())) == len(STAGE_COLORS)
    theme = chart_theme(dark=False)
    assert all(theme.stage_strip_color(s).alpha() == 255 for s in STAGES)  # a strip, not a wash


def test_a_red_flag_and_a_peripheralizing_exercise_have_different_symbols(view: ProgressView) -> None:
    plot = view.charts.plots["centralization"]
    flag, worse = plot.flag_points.opts["symbol"], plot.items["exercise_worse"].opts["symbol"]
    assert not isinstance(flag, str) and worse == "t1"
    symbols = [p.items[k].opts["symbol"] for p in view.charts.plots.values() for k in p.items
               if k != "red_flags" and hasattr(p.items[k], "opts") and "symbol" in p.items[k].opts]
    assert all(s is not flag for s in symbols)


def test_the_stage_is_a_thin_strip_along_the_top(view: ProgressView) -> None:
    for plot in view.charts.plots.values():
        assert plot.stage_bands.strip == STAGE_STRIP_PX
        assert plot.stage_bands.spans()  # still one span per stage run


def test_the_norm_is_named_in_the_legend_not_on_the_line(view: ProgressView) -> None:
    plot = view.charts.plots["strength"]
    assert plot.normal_line.value() == NORMAL_HEEL_RAISES
    assert getattr(plot.normal_line, "label", None) is None  # nothing for the points to draw over
    assert f"normal ≥ {NORMAL_HEEL_RAISES}" in _legend_labels(plot)


@pytest.mark.parametrize("width", [640, 1000, 1400])
def test_legends_fit_above_the_plot_at_any_width(qtbot: Any, width: int) -> None:
    for cls in PLOT_CLASSES.values():
        plot = cls(None, theme=chart_theme(dark=False))
        qtbot.addWidget(plot)
        plot.resize(width, 320)
        plot.fit_legend()
        # Issue 17 item 4 / issue 16 item 7: the legend's row now spans the side axes too (over
        # the plot column alone it stacked one label per line at 1024×700), so its room is the
        # plot's whole width less the legend's margins.
        room = width - 2 * LEGEND_MARGIN_PX
        assert plot.legend.layout.preferredWidth() <= room or plot.legend.columnCount == 1, cls.__name__


def test_the_stacked_plot_areas_share_one_left_edge_and_width(view: ProgressView) -> None:
    boxes = [p.getPlotItem().getViewBox() for p in view.charts.plots.values()]
    lefts = {round(vb.mapToScene(vb.boundingRect().topLeft()).x()) for vb in boxes}
    widths = {round(vb.boundingRect().width()) for vb in boxes}
    assert len(lefts) == 1 and len(widths) == 1
    ranges = {tuple(round(v) for v in vb.viewRange()[0]) for vb in boxes}
    assert len(ranges) == 1  # one shared date axis


def test_stage_key_names_every_stage_in_words() -> None:
    from desktop.charts.progress_charts import StageKey

    key = StageKey(chart_theme(dark=False))
    for words in STAGES.values():
        assert words.title in key.text()
    assert not any(code in key.text() for code in STAGES if "_" in code)  # no raw codes
    assert QColor(STAGE_COLORS["red_flag"]).name() in key.text()
