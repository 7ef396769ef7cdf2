"""The three outcome measures (issue 19): their items, ranges and the rules of an answer.

The question texts are the project's own words (``docs/clinical-decisions.md`` cites the
instruments they follow); no licensed questionnaire text (Oswestry, PROMIS) is shipped.
One table per measure, read by the events' rules, the projections, the FHIR export and the
forms, so a measure's items and range are written once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain
from operator import itemgetter
from typing import Any, TypedDict, cast

from domain import validation as v
from domain.errors import InvalidEntry

# A measure is never due more often than this (the issue: "never due more than once a week").
MIN_INTERVAL_DAYS = 7
MAX_INTERVAL_DAYS = 365
PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 3, 5


class Measure(StrEnum):
    PSFS = "psfs"
    SBI = "sbi"
    PEG = "peg"


@dataclass(frozen=True)
class MeasureSpec:
    """One measure: its items (None = named per patient, as PSFS activities) and their range."""

    code: Measure
    title: str
    lo: int
    hi: int
    lo_label: str
    hi_label: str
    items: tuple[tuple[str, str], ...] | None  # (item code, the question in the project's words)


SPECS: dict[Measure, MeasureSpec] = {
    Measure.PSFS: MeasureSpec(
        Measure.PSFS, "Patient-Specific Functional Scale", 0, 10,
        "unable to do it", "able to do it as before the problem", None),
    Measure.SBI: MeasureSpec(
        Measure.SBI, "Sciatica Bothersomeness Index", 0, 6, "not bothersome", "extremely bothersome", (
            ("leg_pain", "How much has leg pain bothered you in the last week?"),
            ("numbness_tingling", "How much has numbness or tingling in the leg or foot bothered you?"),
            ("leg_weakness", "How much has weakness in the leg or foot bothered you?"),
            ("sitting_pain", "How much has back or leg pain while sitting bothered you?"),
        )),
    Measure.PEG: MeasureSpec(
        Measure.PEG, "PEG (pain, enjoyment, general activity)", 0, 10, "none", "as bad as you can imagine", (
            ("pain", "What number best describes your pain on average in the past week?"),
            ("enjoyment", "How much has pain got in the way of your enjoyment of life in the past week?"),
            ("general_activity", "How much has pain got in the way of your general activity in the past week?"),
        )),
}

_ITEM_TEXT = v.text(max_len=200)
_VALUE = v.number(0, 10)  # the widest range; each measure's own range is checked in ``check_answers``
StoredAnswer: Any = cast(Any, TypedDict)("StoredAnswer", {"item": _ITEM_TEXT.stored, "value": _VALUE.stored})


def _answers(value: Any, field: str, label: str) -> list[dict[str, Any]]:
    """A list of ``{item, value}``: the measure's item codes, or PSFS activity names."""
    if not isinstance(value, list) or not value:
        raise InvalidEntry(f"{label} must be a list of {{item, value}} objects", field=field)
    parsed: list[dict[str, Any]] = []
    for i, raw in enumerate(value, start=1):
        if not isinstance(raw, Mapping) or set(raw) != {"item", "value"}:
            raise InvalidEntry(f"answer {i} must be an object with exactly item and value", field=field)
        item = _ITEM_TEXT.parse(raw["item"], field, f"answer {i} item")
        parsed.append({"item": item, "value": _VALUE.parse(raw["value"], field, f"answer {i} ({item})")})
    return parsed


_ITEM = itemgetter("item")
answers = v.Rule(_answers, list[StoredAnswer], texts=lambda values: map(_ITEM, chain.from_iterable(values)))


def _activities(value: Any, field: str, label: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidEntry(f"{label} must be a list of activity names", field=field)
    return [_ITEM_TEXT.parse(name, field, f"activity {i}") for i, name in enumerate(value, start=1)]


activities = v.Rule(_activities, cast(Any, list)[_ITEM_TEXT.stored], texts=chain.from_iterable)


def check_activities(measure: str, names: list[str], field: str = "activities") -> None:
    """PSFS names 3–5 different activities; the other measures have fixed items and name none."""
    if measure != Measure.PSFS:
        if names:
            raise InvalidEntry(f"activities are named only for psfs, not for {measure}", field=field)
        return
    if not PSFS_MIN_ACTIVITIES <= len(names) <= PSFS_MAX_ACTIVITIES:
        raise InvalidEntry(f"psfs needs {PSFS_MIN_ACTIVITIES}–{PSFS_MAX_ACTIVITIES} activities, "
                           f"got {len(names)}", field=field)
    _check_unique(names, field)


def _check_unique(names: list[str], field: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name.casefold() in seen:
            raise InvalidEntry(f"the activity {name!r} is named twice", field=field)
        seen.add(name.casefold())


def check_answers(measure: str, given: list[dict[str, Any]], field: str = "answers") -> None:
    """Every item of the measure answered once, each within the measure's range."""
    spec = SPECS[Measure(measure)]
    names = [a["item"] for a in given]
    if spec.items is None:
        check_activities(measure, names, field)
    else:
        expected = [code for code, _ in spec.items]
        if sorted(names) != sorted(expected):
            raise InvalidEntry(f"{measure} answers the items {', '.join(expected)} once each, "
                               f"got {', '.join(names)}", field=field)
    for a in given:
        if not spec.lo <= a["value"] <= spec.hi:
            raise InvalidEntry(f"{a['item']} must be {spec.lo}–{spec.hi} for {measure}, "
                               f"got {v.shown(a['value'])}", field=field)
