"""Pins and needles in context: sensation returning (28 days), position irritation (14 days)."""

from __future__ import annotations

from tests.projections.builder import J


def signs(j: J, as_of: str) -> list[dict[str, object]]:
    result: list[dict[str, object]] = j.status(as_of)["signs"]
    return result


def test_tingling_where_it_was_numb_is_sensation_returning() -> None:
    j = J()
    j.symptoms("2026-02-01", ("foot", "left", "numbness", 5))
    j.symptoms("2026-02-27", ("foot", "left", "tingling", 3))
    [sign] = signs(j, "2026-03-01")
    assert sign | {} == {**sign, "code": "sensation_returning", "region": "foot", "side": "left",
                         "date": "2026-02-27", "numbness_date": "2026-02-01"}


def test_numbness_more_than_28_days_before_does_not_count() -> None:
    j = J()
    j.symptoms("2026-01-30", ("foot", "left", "numbness", 5))
    j.symptoms("2026-02-27", ("foot", "left", "tingling", 3))  # 28 days later: counts
    j2 = J()
    j2.symptoms("2026-01-29", ("foot", "left", "numbness", 5))
    j2.symptoms("2026-02-27", ("foot", "left", "tingling", 3))  # 29 days later: does not
    assert len(signs(j, "2026-02-27")) == 1
    assert signs(j2, "2026-02-27") == []


def test_still_numb_or_other_side_or_region_is_not_returning() -> None:
    j = J()
    j.symptoms("2026-02-01", ("foot", "left", "numbness", 5))
    j.symptoms("2026-02-10", ("foot", "left", "tingling", 3), ("foot", "left", "numbness", 3))
    j.symptoms("2026-02-11", ("foot", "right", "tingling", 3))
    j.symptoms("2026-02-12", ("calf", "left", "tingling", 3))
    assert signs(j, "2026-02-12") == []


def test_same_context_on_two_days_within_14_is_position_irritation() -> None:
    j = J()
    j.symptoms("2026-03-01", ("calf", "left", "tingling", 3), context="sitting")
    j.symptoms("2026-03-14", ("calf", "left", "tingling", 3), context="Sitting")
    [sign] = signs(j, "2026-03-14")
    assert (sign["code"], sign["dates"]) == ("position_irritation", ["2026-03-01", "2026-03-14"])
    assert signs(j, "2026-03-15") == []  # 1 Mar has left the 14 days ending 15 Mar


def test_one_day_or_no_tingling_is_not_irritation() -> None:
    j = J()
    j.symptoms("2026-03-01T08:00", ("calf", "left", "tingling", 3), context="driving")
    j.symptoms("2026-03-01T18:00", ("calf", "left", "tingling", 3), context="driving")
    j.symptoms("2026-03-02", ("calf", "left", "pain", 3), context="driving")
    assert signs(j, "2026-03-02") == []


# Model v2: sensation_returning is withdrawn when numbness comes back -------------------------

def test_numbness_again_after_the_tingling_withdraws_the_sign() -> None:
    j = J()
    j.symptoms("2026-02-01", ("foot", "left", "numbness", 5))
    j.symptoms("2026-02-10", ("foot", "left", "tingling", 3))
    assert [s["code"] for s in signs(j, "2026-02-12")] == ["sensation_returning"]
    j.symptoms("2026-02-14", ("foot", "left", "numbness", 4))
    assert signs(j, "2026-02-13") != []  # before the numbness came back
    assert signs(j, "2026-02-14") == []


def test_numbness_elsewhere_does_not_withdraw_the_sign() -> None:
    j = J()
    j.symptoms("2026-02-01", ("foot", "left", "numbness", 5))
    j.symptoms("2026-02-10", ("foot", "left", "tingling", 3))
    j.symptoms("2026-02-11", ("foot", "right", "numbness", 4), ("calf", "left", "numbness", 4))
    j.symptoms("2026-02-12", ("foot", "left", "numbness", 0))  # intensity 0: not felt
    assert [s["code"] for s in signs(j, "2026-02-14")] == ["sensation_returning"]


def test_tingling_again_after_the_numbness_returns_the_sign() -> None:
    j = J()
    j.symptoms("2026-02-01", ("foot", "left", "numbness", 5))
    j.symptoms("2026-02-10", ("foot", "left", "tingling", 3))
    j.symptoms("2026-02-12", ("foot", "left", "numbness", 4))
    j.symptoms("2026-02-15", ("foot", "left", "tingling", 2))
    [sign] = signs(j, "2026-02-16")
    assert (sign["date"], sign["numbness_date"]) == ("2026-02-15", "2026-02-12")


def test_contexts_are_compared_ignoring_case_and_extra_spaces() -> None:
    j = J()
    j.symptoms("2026-02-10", ("foot", "left", "tingling", 3), context="Sitting  down")
    j.symptoms("2026-02-12", ("foot", "left", "tingling", 3), context=" sitting down")
    [sign] = signs(j, "2026-02-14")
    assert sign["code"] == "position_irritation"
    assert sign["dates"] == ["2026-02-10", "2026-02-12"]
