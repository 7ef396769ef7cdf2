"""Parsers of the list-valued fields (symptoms, red-flag codes), built on ``domain.validation``.

Used for new entries and for stored ones alike (``check_stored``): one rule per field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import validation as v
from domain.errors import InvalidEntry
from domain.values import ASKED_RED_FLAGS, RedFlag, Region, Sensation, Side

_REGION = v.choice(Region)
_SIDE = v.choice(Side)
_SENSATION = v.choice(Sensation)
_INTENSITY = v.number(0, 10)
_SYMPTOM_KEYS = frozenset({"region", "side", "sensation", "intensity"})


def symptoms(value: Any, field: str, label: str) -> list[dict[str, Any]]:
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
        region = _REGION(item.get("region"), field, f"symptom {i} region")
        side = _SIDE(item.get("side"), field, f"symptom {i} side")
        if side == Side.CENTER and region != Region.LOW_BACK_CENTER:
            raise InvalidEntry(f"symptom {i}: side 'center' is only for low_back_center, not {region}",
                               field=field)
        if region == Region.LOW_BACK_CENTER:
            side = Side.CENTER.value
        sensation = _SENSATION(item.get("sensation"), field, f"symptom {i} sensation")
        intensity = _INTENSITY(item.get("intensity"), field, f"symptom {i} intensity")
        parsed.append({"region": region, "side": side, "sensation": sensation, "intensity": intensity})
    return parsed


_ASKED = frozenset(f.value for f in ASKED_RED_FLAGS)


def flag_list(*, allow_empty: bool) -> v.Parser:
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

    return parse
