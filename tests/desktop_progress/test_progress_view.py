"""The Progress view draws the fixture journal's values, point for point."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from desktop.charts.export import render_sign_chart
from desktop.charts.plots import day_x, x_date
from desktop.views.progress import ProgressView
from projections.strength import NORMAL_HEEL_RAISES, SYMMETRIC_PERCENT
from tests.desktop_progress.conftest import EXTENTS, HEEL_LEFT, HEEL_RIGHT, LEG_PAIN, START

RANK = {"calf": 6, "knee": 5, "thigh": 4, "buttock": 3}


@pytest.fixture
def view(make_view: Any) -> ProgressView:
    view: ProgressView = make_view(ProgressView, 1300, 900, shown=False)
    return view


def test_centralization_curve_has_one_point_per_day_with_the_days_extent(view: ProgressView) -> None:
    plot = view.charts.plots["centralization"]
    x, y = plot.items["extent"].getData()
    assert len(x) == len(EXTENTS)
    assert [x_date(v) for v in x] == [START.fromordinal(START.toordinal() + i) for i in range(len(EXTENTS))]
    assert list(y) == [RANK[r] for r in EXTENTS]
    _mx, my = plot.items["extent_median"].getData()
    assert len(my) == len(EXTENTS)
    assert my[-1] == RANK["buttock"]


def test_strength_curves_show_heel_raises_per_side_with_norm_and_symmetric_band(view: ProgressView) -> None:
    plot = view.charts.plots["strength"]
    _x, left = plot.items["heel_points_left"].getData()
    _x, right = plot.items["heel_points_right"].getData()
    assert list(left) == list(HEEL_LEFT.values())
    assert list(right) == list(HEEL_RIGHT.values())
    assert plot.normal_line.value() == NORMAL_HEEL_RAISES
    _bx, high = plot.items["symmetric_high"].getData()
    _bx, low = plot.items["symmetric_low"].getData()
    assert list(high) == list(HEEL_RIGHT.values())  # the unaffected side is the reference
    assert np.allclose(low, np.array(list(HEEL_RIGHT.values())) * SYMMETRIC_PERCENT / 100)


def test_pain_and_walking_curves(view: ProgressView) -> None:
    _x, leg = view.charts.plots["pain"].items["leg_mean"].getData()
    assert list(leg) == LEG_PAIN
    _x, walks = view.charts.plots["walking"].items["walks"].getData()
    assert list(walks) == [5 + i // 2 for i in range(len(EXTENTS)) if i % 4 == 1]


def test_stage_bands_cover_the_journal(view: ProgressView) -> None:
    spans = view.charts.plots["pain"].stage_bands.spans()
    assert spans
    assert spans[0][0] <= day_x(START)
    assert spans[-1][1] >= day_x(START.fromordinal(START.toordinal() + len(EXTENTS) - 1))


def test_signs_panel_words_the_verdicts_with_evidence(view: ProgressView) -> None:
    text = view.signs.text()
    assert "Centralization" in text
    assert "furthest symptom" in text.lower()
    assert "not a diagnosis" in text
    assert "Most people with sciatica improve" in text


def test_clicking_a_point_emits_its_entry(qtbot: Any, view: ProgressView, fixture_session: Any) -> None:
    _session, ids = fixture_session
    plot = view.charts.plots["strength"]
    scatter = plot.items["heel_points_left"]
    spot = scatter.points()[1]
    with qtbot.waitSignal(view.entry_selected, timeout=1000) as blocker:
        scatter.sigClicked.emit(scatter, [spot], None)
    assert blocker.args == [ids["heel_left"][1]]


def test_hover_text_names_value_date_and_entry(view: ProgressView) -> None:
    plot = view.charts.plots["strength"]
    text, entry = plot.describe("heel_points_left", 0)
    assert "Heel raises left: 8" in text
    assert entry is not None
    assert "Heel raises left: 8" in plot._entry_line(entry)


def test_replay_date_cuts_the_curves_and_greys_the_rest(view: ProgressView) -> None:
    cut = START.fromordinal(START.toordinal() + 9)
    view.set_replay(cut)
    x, _y = view.charts.plots["centralization"].items["extent"].getData()
    assert len(x) == 10
    assert view.charts.plots["centralization"].later.spans()
    assert view.snapshot is not None and view.snapshot.as_of == cut
    view.set_replay(None)
    x, _y = view.charts.plots["centralization"].items["extent"].getData()
    assert len(x) == len(EXTENTS)


def test_new_entry_re_renders(qtbot: Any, view: ProgressView, fixture_session: Any) -> None:
    session, _ids = fixture_session
    view.show()
    session.core.record_all([("HeelRaisesTested", {"side": "left", "repetitions": 21})],
                       observed_at=START.fromordinal(START.toordinal() + 19).isoformat() + "T11:00")
    _x, left = view.charts.plots["strength"].items["heel_points_left"].getData()
    assert list(left)[-1] == 21


@pytest.mark.parametrize("sign", ["centralization", "strength", "nerve_mobility", "pain", "walking"])
def test_render_sign_chart_gives_an_image_of_the_asked_size(qapp: Any, fixture_session: Any, sign: str) -> None:
    session, _ids = fixture_session
    image = render_sign_chart(session.timeline.series(), sign, 1600, 600, affected_side="left")
    # Issue 17 item 4: a sign with a panel under its chart (a second quantity) may come back
    # taller than asked, never shorter and never narrower; one without is the asked size.
    assert image.width() == 1600 and image.height() >= 600
    if sign in ("centralization", "walking"):
        assert image.height() == 600
    assert not image.isNull()
    colors = {image.pixel(x, y) for x in range(0, 1600, 40) for y in range(0, 600, 40)}
    assert len(colors) > 3  # something was drawn


def test_render_sign_chart_refuses_an_unknown_sign(qapp: Any, fixture_session: Any) -> None:
    session, _ids = fixture_session
    with pytest.raises(ValueError, match="unknown sign"):
        render_sign_chart(session.timeline.series(), "mood", 100, 100)
