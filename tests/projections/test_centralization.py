"""Centralization: 7-day windows, ≥ 3 days each, medians of daily worst extents, MIC 1 rank."""

from __future__ import annotations

from tests.projections.builder import J, days


def journal_with(earlier: list[str | None], recent: list[str | None], side: str = "left") -> J:
    """EARLIER covers 1–7 Mar, RECENT 8–14 Mar (one record a day, None = symptom-free)."""
    j = J(side=side)
    for at, region in zip(days("2026-03-01", 7), earlier, strict=True):
        if region != "-":
            j.extent(at, region)
    for at, region in zip(days("2026-03-08", 7), recent, strict=True):
        if region != "-":
            j.extent(at, region)
    return j


def test_retreat_by_one_rank_is_centralizing() -> None:
    j = journal_with(["calf"] * 7, ["knee"] * 7)
    c = j.indicator("centralization", "2026-03-14")
    assert c["trend"] == "improving"
    assert (c["recent_extent"], c["earlier_extent"]) == (5, 6)
    assert c["evidence"]["recent_window"]["start"] == "2026-03-08"
    assert c["evidence"]["earlier_window"]["end"] == "2026-03-07"


def test_spreading_by_one_rank_is_peripheralizing() -> None:
    j = journal_with(["knee"] * 7, ["calf"] * 7)
    assert j.indicator("centralization", "2026-03-14")["trend"] == "worsening"


def test_half_a_rank_of_median_change_is_stable() -> None:
    # Earlier median: (calf, calf, knee, knee) → 5.5; recent: knee → 5; change 0.5 < MIC 1.
    j = journal_with(["calf", "calf", "knee", "knee", "-", "-", "-"], ["knee"] * 4 + ["-"] * 3)
    c = j.indicator("centralization", "2026-03-14")
    assert c["earlier_extent"] == 5.5
    assert c["trend"] == "stable"


def test_three_days_per_window_is_enough_two_is_not() -> None:
    three = journal_with(["calf"] * 3 + ["-"] * 4, ["knee"] * 3 + ["-"] * 4)
    assert three.indicator("centralization", "2026-03-14")["trend"] == "improving"
    two = journal_with(["calf"] * 2 + ["-"] * 5, ["knee"] * 7)
    assert two.indicator("centralization", "2026-03-14")["trend"] == "insufficient_data"


def test_several_records_on_one_day_count_as_one_day_with_its_worst_extent() -> None:
    j = journal_with(["calf"] * 7, ["-"] * 7)
    for at in days("2026-03-08", 2):
        j.extent(at + "T08:00", "thigh")
        j.extent(at + "T20:00", "buttock")
    assert j.indicator("centralization", "2026-03-14")["trend"] == "insufficient_data"
    j.extent("2026-03-14", "buttock")
    c = j.indicator("centralization", "2026-03-14")
    assert c["evidence"]["recent_window"]["days_with_data"] == 3
    assert c["recent_extent"] == 4  # thigh, thigh, buttock → median 4


def test_windows_end_with_the_as_of_date_inclusive() -> None:
    j = journal_with(["calf"] * 7, ["knee"] * 7)
    j.extent("2026-03-15", "toes")  # after D: ignored
    assert j.indicator("centralization", "2026-03-14")["recent_extent"] == 5


def test_walks_and_forward_bends_are_extent_records_and_null_means_zero() -> None:
    j = J()
    for at in days("2026-03-01", 3):
        j.walk(at, 20, 10, "calf")
    for at in days("2026-03-08", 3):
        j.bend(at, 10, None)
    c = j.indicator("centralization", "2026-03-14")
    assert (c["earlier_extent"], c["recent_extent"]) == (6, 0)
    assert c["trend"] == "improving"
    assert c["abolished"] is True


def test_weakness_and_zero_intensity_do_not_set_the_extent() -> None:
    j = J()
    j.symptoms("2026-03-10", ("foot", "left", "weakness", 6), ("calf", "left", "tingling", 0),
               ("buttock", "left", "pain", 3))
    assert j.indicator("centralization", "2026-03-10")["recent_extent"] == 3


def test_back_pain_rising_while_leg_clears_is_still_centralizing() -> None:
    j = journal_with(["calf"] * 7, ["low_back"] * 7)
    for at in days("2026-03-01", 7):
        j.pain(at, leg=5, back=2)
    for at in days("2026-03-08", 7):
        j.pain(at, leg=5, back=7)
    c = j.indicator("centralization", "2026-03-14")
    assert c["trend"] == "improving"
    assert c["abolished"] is True


def test_abolished_only_when_every_recent_record_stays_in_the_back() -> None:
    j = journal_with(["calf"] * 7, ["low_back"] * 6 + ["buttock"])
    assert j.indicator("centralization", "2026-03-14")["abolished"] is False
    assert J().indicator("centralization", "2026-03-14")["abolished"] is None


def test_both_legs_use_the_larger_side() -> None:
    j = J(side="both")
    for at in days("2026-03-01", 7):
        j.symptoms(at, ("thigh", "left", "pain", 5), ("foot", "right", "numbness", 4))
    for at in days("2026-03-08", 7):
        j.symptoms(at, ("thigh", "left", "pain", 5), ("calf", "right", "numbness", 4))
    c = j.indicator("centralization", "2026-03-14")
    assert (c["earlier_extent"], c["recent_extent"]) == (8, 6)
    assert c["trend"] == "improving"


def test_retracted_record_is_ignored_and_corrected_one_counts_with_new_values() -> None:
    j = journal_with(["calf"] * 3 + ["-"] * 4, ["knee"] * 3 + ["-"] * 4)
    wrong = j.extent("2026-03-12", "toes")
    j.retract(wrong, "2026-03-13")
    assert j.indicator("centralization", "2026-03-14")["recent_extent"] == 5
    typo = j.extent("2026-03-13", "knee")
    j.correct(typo, "2026-03-14", symptoms=[{"region": "toes", "side": "left", "sensation": "pain",
                                            "intensity": 5}])
    # knee, knee, knee, toes → median (5 + 5) / 2 = 5 … 5, 5, 5, 9 → 5
    assert j.indicator("centralization", "2026-03-14")["recent_extent"] == 5


def test_correction_moving_an_entry_to_another_date_moves_it_between_windows() -> None:
    j = journal_with(["calf"] * 3 + ["-"] * 4, ["knee"] * 2 + ["-"] * 5)
    late = j.extent("2026-03-02T09:00", "knee")
    assert j.indicator("centralization", "2026-03-14")["trend"] == "insufficient_data"
    j.correct(late, "2026-03-14", observed_at="2026-03-12T09:00",
              symptoms=[{"region": "knee", "side": "left", "sensation": "pain", "intensity": 5}])
    assert j.indicator("centralization", "2026-03-14")["trend"] == "improving"


def test_back_filled_entry_counts_for_its_observed_date() -> None:
    j = journal_with(["calf"] * 3 + ["-"] * 4, ["knee"] * 2 + ["-"] * 5)
    j.add("SymptomsRecorded", "2026-03-13", symptoms=[
        {"region": "knee", "side": "left", "sensation": "pain", "intensity": 4}])
    assert j.indicator("centralization", "2026-03-14")["trend"] == "improving"
