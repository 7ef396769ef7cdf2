"""Parsers of the list-valued fields (symptoms, red-flag codes), built on ``domain.validation``.

Used for new entries and for stored ones alike (``check_stored``): one rule per field.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import chain
from operator import itemgetter
from typing import Annotated, Any, Literal, TypedDict, cast

from msgspec import Meta

from domain import validation as v
from domain.errors import InvalidEntry
from domain.values import ASKED_RED_FLAGS, RedFlag, Region, Sensation, Side

_REGION = v.choice(Region)
_SIDE = v.choice(Side)
_SENSATION = v.choice(Sensation)
_INTENSITY = v.number(0, 10)
_MIDLINE, _CENTER = Region.LOW_BACK_CENTER.value, Side.CENTER.value
_SYMPTOM_KEYS = frozenset({"region", "side", "sensation", "intensity"})


def symptom_side(region: str, side: str, i: int, field: str) -> str:
    """The side a symptom is stored with: ``center`` exactly for the midline low back."""
    if side == Side.CENTER and region != Region.LOW_BACK_CENTER:
        raise InvalidEntry(f"symptom {i}: side 'center' is only for low_back_center, not {region}",
                           field=field)
    return Side.CENTER.value if region == Region.LOW_BACK_CENTER else side


def _symptoms(value: Any, field: str, label: str) -> list[dict[str, Any]]:
    """A list of ``{region, side, sensation, intensity}`` (empty = symptom-free)."""
    if not isinstance(value, list):
        raise InvalidEntry(f"{label} must be a list (empty when symptom-free), got {value!r}", field=field)
    parsed: list[dict[str, Any]] = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, Mapping):
            raise InvalidEntry(f"symptom {i} must be an object with region, side, sensation, intensity",
                               field=field)
        if not _SYMPTOM_KEYS.issuperset(item):
            unknown = set(item) - _SYMPTOM_KEYS
            raise InvalidEntry(f"symptom {i}: unknown field {sorted(unknown)[0]!r}", field=field)
        region = _REGION.parse(item.get("region"), field, f"symptom {i} region")
        side = symptom_side(region, _SIDE.parse(item.get("side"), field, f"symptom {i} side"), i, field)
        sensation = _SENSATION.parse(item.get("sensation"), field, f"symptom {i} sensation")
        intensity = _INTENSITY.parse(item.get("intensity"), field, f"symptom {i} intensity")
        parsed.append({"region": region, "side": side, "sensation": sensation, "intensity": intensity})
    return parsed


# Built from the rules above at run time (so mypy sees it as Any).
StoredSymptom: Any = cast(Any, TypedDict)("StoredSymptom", {
    "region": _REGION.stored, "side": _SIDE.stored, "sensation": _SENSATION.stored,
    "intensity": _INTENSITY.stored})

symptoms = v.Rule(_symptoms, list[StoredSymptom])


def _sides_fit(region: str, side: str) -> bool:
    # Sound exactly when the midline low back and the side 'center' go together (what
    # ``symptom_side`` gives).
    return (region == _MIDLINE) is (side == _CENTER)


def check_symptom_sides(stored: list[dict[str, Any]], field: str = "symptoms") -> None:
    """The cross-field rule of stored symptoms (the stored type checks each value alone)."""
    for i, item in enumerate(stored, start=1):
        region, side = item["region"], item["side"]
        if not _sides_fit(region, side):
            # ``symptom_side`` (the one rule) names a pairing it refuses.
            if symptom_side(region, side, i, field) != side:
                raise InvalidEntry(f"symptom {i}: the midline low back is stored with side 'center'", field=field)


_REGION_SIDE = itemgetter("region", "side")


def check_symptom_sides_of(entries: list[list[dict[str, Any]]]) -> None:
    """``check_symptom_sides`` of many entries' symptoms: each distinct (region, side) pairing
    is judged once (at most 27 of them, gathered in C however many symptoms there are), and
    only a batch holding a wrong one is gone through entry by entry to name it."""
    pairs = set(map(_REGION_SIDE, chain.from_iterable(entries)))
    if not all(_sides_fit(region, side) for region, side in pairs):
        for stored in entries:
            check_symptom_sides(stored)


_ASKED = frozenset(f.value for f in ASKED_RED_FLAGS)


def flag_list(*, allow_empty: bool) -> v.Rule:
    """A list of red-flag codes a person can report (``progressive_weakness`` is derived)."""

    def parse(value: Any, field: str, label: str) -> list[str]:
        if not isinstance(value, list):
            raise InvalidEntry(f"{label} must be a list of red-flag codes, got {value!r}", field=field)
        if not value and not allow_empty:
            raise InvalidEntry(f"{label} must name at least one red flag", field=field)
        codes: list[str] = []
        for code in value:
            if code == RedFlag.PROGRESSIVE_WEAKNESS:
                raise InvalidEntry(f"{label}: progressive_weakness is derived from strength tests "
                                   "and cannot be entered", field=field)
            if not isinstance(code, str) or code not in _ASKED:
                raise InvalidEntry(f"{label}: unknown red-flag code {code!r}", field=field)
            if code not in codes:
                codes.append(code)
        return codes

    code = Literal[tuple(sorted(_ASKED))]  # type: ignore[valid-type]
    return v.Rule(parse, list[code] if allow_empty else Annotated[list[code], Meta(min_length=1)])  # type: ignore[valid-type]
