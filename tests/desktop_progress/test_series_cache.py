"""The Progress series cache: a series as of a past date cut from the full one equals a direct
build; lazily evaluated stage bands equal eager ones, also for series handed out before new
entries arrived."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projections.series import build_series, truncate_series
from projections.timeline import Timeline
from tests.projections.builder import J, day
from tests.projections.test_properties import DATES, build, step

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AS_OF = [day(d) for d in ("2026-02-27", "2026-03-01", "2026-03-05", "2026-03-14", "2026-03-20", "2026-03-28",
                          "2026-04-10")]

# Foot drop: grades and heel walks that open and close periods, on either side.
foot_step = st.one_of(
    st.tuples(st.just("grade"), st.sampled_from(DATES), st.integers(0, 5), st.sampled_from(["left", "right"])),
    st.tuples(st.just("gait"), st.sampled_from(DATES), st.sampled_from(["normal", "impaired", "unable"]),
              st.sampled_from(["left", "right"])),
)


def with_foot_drop(steps: list[tuple[str, str, Any]], foot: list[tuple[str, str, Any, str]], side: str) -> J:
    j = build(steps, side)
    for kind, at, x, leg in foot:
        if kind == "grade":
            j.grade(at, leg, x, muscle="ankle_dorsiflexion" if x % 2 else "great_toe_extension")
        else:
            j.gait(at, leg, x)
    return j


@SETTINGS
@given(st.lists(step, max_size=30), st.lists(foot_step, max_size=8), st.sampled_from(["left", "right", "both"]))
def test_truncated_series_equals_a_direct_build(steps: list[tuple[str, str, Any]],
                                                foot: list[tuple[str, str, Any, str]], side: str) -> None:
    j = with_foot_drop(steps, foot, side)
    timeline = Timeline(j.events)
    full = build_series(timeline.current)
    for as_of in AS_OF:
        direct = build_series(Timeline(j.events).current, as_of)
        cut = truncate_series(full, as_of)
        assert cut == direct
        assert cut.stages == direct.stages
        assert cut.foot_drop == direct.foot_drop
        assert timeline.series(as_of) == direct


@SETTINGS
@given(st.lists(step, min_size=1, max_size=30), st.sampled_from(["left", "both"]),
       st.lists(st.tuples(st.sampled_from(DATES), st.integers(0, 10)), min_size=1, max_size=4))
def test_series_handed_out_keep_their_stages_when_entries_arrive(steps: list[tuple[str, str, Any]], side: str,
                                                                  later: list[tuple[str, int]]) -> None:
    j = build(steps, side)
    timeline = Timeline(j.events)
    handed = []
    for at, leg in later:
        # Nothing evaluated yet (lazy), or only the last week (a view's first screen).
        series = timeline.series()
        if series.stage_days is not None and leg % 2:
            series.stages_between(series.stage_days[1] - timedelta(days=7), series.stage_days[1])
        handed.append((series, Timeline(j.events).series().stages))
        timeline.apply(j.pain(at, leg=leg))
        timeline.apply(j.extent(at, "buttock" if leg < 5 else "calf"))
    for series, eager in handed:
        assert series.stages == eager
    assert timeline.series().stages == Timeline(j.events).series().stages


def test_stages_between_cuts_the_bands_to_the_days_asked() -> None:
    j = J()
    for i, d in enumerate(day("2026-01-02") + timedelta(days=k) for k in range(30)):
        j.extent(d.isoformat(), "calf" if i < 15 else "buttock")
        j.pain(d.isoformat(), leg=7 if i < 15 else 1)
    series = j.timeline().series()
    first, last = day("2026-01-10"), day("2026-01-20")
    lazy = series.stages_between(first, last)
    whole = series.stages  # complete now: the same days, cut
    assert lazy == series.stages_between(first, last)
    covered = [b for b in whole if b.end >= first and b.start <= last]
    assert [b.stage for b in lazy] == [b.stage for b in covered]
    assert lazy[0].start == first and lazy[-1].end == last


def test_charts_draw_the_visible_stage_bands_first_and_all_once_idle(qtbot: Any) -> None:
    from desktop.charts import progress_charts
    from desktop.charts.plots import DAY, day_x
    from desktop.charts.progress_charts import ProgressCharts

    j = J()
    start = day("2024-01-02")  # 900 days from 2025 ran into the future, which is refused
    for k in range(900):  # longer than the span the view opens on
        d = (start + timedelta(days=k)).isoformat()
        j.extent(d, "calf" if (k // 40) % 2 else "buttock")
        j.pain(d, leg=7 if (k // 40) % 2 else 1)
    series = j.timeline().series()
    charts = ProgressCharts()
    qtbot.addWidget(charts)
    charts.show_series(series, "left")
    assert series.stage_days is not None
    first, last = series.stage_days
    spans = charts.plots["pain"].stage_bands.spans()
    assert spans[-1][1] == day_x(last) + DAY / 2
    assert spans[0][0] > day_x(first)  # older days: not evaluated yet
    assert (last - first).days > progress_charts.DEFAULT_SPAN_DAYS
    qtbot.waitUntil(lambda: charts._stages_known is None, timeout=20000)
    assert charts.plots["pain"].stage_bands.spans() == [
        (day_x(b.start) - DAY / 2, day_x(b.end) + DAY / 2) for b in series.stages]
    # The same series again draws nothing new.
    items = charts.plots["pain"].items
    calls: list[Any] = []
    items["leg_mean"].sigPlotChanged.connect(calls.append)
    charts.show_series(series, "left")
    charts.show_series(j.timeline().series(), "left")  # equal data, another object
    assert calls == []


def test_series_handed_out_keep_their_stages_through_a_retraction_without_evaluating_every_day() -> None:
    # Forty days of pain and extents; the view has evaluated only its last week when an early
    # day's record is retracted (a correction can move any day, so every day could change).
    j = J()
    records = []
    for i in range(40):
        at = (day("2026-01-02") + timedelta(days=i)).isoformat()
        records.append(j.extent(at, "calf" if i < 20 else "buttock"))
        j.pain(at, leg=7 if i < 20 else 1)
    timeline = Timeline(j.events)
    series = timeline.series()
    assert series.stage_days is not None and series.stage_source is not None
    last = series.stage_days[1]
    series.stages_between(last - timedelta(days=6), last)
    eager = Timeline(j.events).series().stages  # the stages before the retraction
    timeline.apply(j.retract(records[3], "2026-02-12"))
    # The 30-odd days still missing were not evaluated inside the save: they come from a copy
    # of the journal state the series describes, when asked.
    assert len(series.stage_source.days) <= 7 + 8
    assert series.stages == eager
    assert timeline.series().stages == Timeline(j.events).series().stages
