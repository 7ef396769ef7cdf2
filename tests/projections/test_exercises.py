"""Exercise response over the last 3 sessions: any peripheralization → stop; ≥ 2
centralizations → keep; otherwise neutral."""

from __future__ import annotations

from tests.projections.builder import J


def verdicts(j: J, as_of: str) -> dict[str, str]:
    return {e["exercise"]: e["verdict"] for e in j.status(as_of)["exercises"]}


def test_two_centralizing_sessions_keep() -> None:
    j = J()
    j.exercise("2026-03-01", "prone press-up", "calf", "knee")
    j.exercise("2026-03-02", "prone press-up", "calf", "calf")
    assert verdicts(j, "2026-03-02") == {"prone press-up": "neutral"}
    j.exercise("2026-03-03", "prone press-up", "knee", "buttock")
    assert verdicts(j, "2026-03-03") == {"prone press-up": "keep"}


def test_any_peripheralizing_session_in_the_last_three_stops() -> None:
    j = J()
    j.exercise("2026-03-01", "sitting flexion", "knee", "calf")
    j.exercise("2026-03-02", "sitting flexion", "calf", "knee")
    j.exercise("2026-03-03", "sitting flexion", "calf", "knee")
    assert verdicts(j, "2026-03-03") == {"sitting flexion": "stop"}
    j.exercise("2026-03-04", "sitting flexion", "calf", "knee")  # the bad session drops out
    assert verdicts(j, "2026-03-04") == {"sitting flexion": "keep"}


def test_none_extent_is_symptom_free() -> None:
    j = J()
    j.exercise("2026-03-01", "walk", None, "buttock")
    assert verdicts(j, "2026-03-01") == {"walk": "stop"}


def test_exercises_are_listed_alphabetically_and_grouped_ignoring_case() -> None:
    j = J()
    j.exercise("2026-03-01", "Prone press-up", "calf", "knee")
    j.exercise("2026-03-02", "prone  press-up", "calf", "knee")
    j.exercise("2026-03-02", "bridge", "calf", "calf")
    assert list(verdicts(j, "2026-03-02").items()) == [("bridge", "neutral"), ("prone  press-up", "keep")]
