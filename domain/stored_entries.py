"""The check of an entry read back from a file (``check_stored``): what ``RecoveryJournal.apply``
runs on every event it takes in unchecked, against the same field rules a new entry goes
through. Beside ``domain.events`` (which would pass 500 lines), built on its classes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from domain.errors import InvalidEntry
from domain.events import DamagedEntry, EntryCorrected, EntryEvent

_COMMON_STATE = ("originator_id", "originator_version", "timestamp", "observed_at", "author_role",
                 "author_name", "note")


def check_stored(event: EntryEvent, target: EntryEvent | None = None) -> None:
    """Raise DamagedEntry unless EVENT holds exactly what its type's rules allow.

    eventsourcing's mapper builds events without calling their constructor, so an event read
    from a file changed outside the app is checked here against the same rules a new entry
    goes through: each field's stored form (``stored_schema``, made from the field rules) and
    the cross-field rules (``check_rules``). TARGET is the entry a correction replaces, when
    known, so its replacement is checked against the target's type.
    """
    cls = type(event)
    state = event.__dict__
    for name in (*_COMMON_STATE, *(name for name, _, _ in cls.FIELDS)):
        if name not in state:
            raise DamagedEntry(f"a stored {cls.type_name()} entry has no {name}")
    if not isinstance(state["originator_id"], uuid.UUID) or state["originator_version"] != 1:
        raise DamagedEntry(f"a stored {cls.type_name()} entry has a damaged id")
    values = {k: x for k, x in state.items() if k not in ("originator_id", "originator_version")}
    try:
        msgspec.convert(values, cls.stored_schema(), strict=True)
    except msgspec.ValidationError as exc:
        raise DamagedEntry(f"a stored {cls.type_name()} entry is damaged: {exc}") from None
    cls.check_stored_texts((state,))
    cls.check_rules(state)
    if isinstance(event, EntryCorrected):
        _check_replacement(event, target)


def _same_values(parsed: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """Equal, and of the same type except for numbers (a whole float is stored as an int)."""
    for name, value in parsed.items():
        original = stored[name]
        if value is original:
            continue
        if value != original or (type(value) is not type(original) and not isinstance(value, int | float)):
            return False
    return True


def _check_replacement(event: EntryCorrected, target: EntryEvent | None) -> None:
    replacement = event.replacement
    if not isinstance(replacement, dict) or not isinstance(replacement.get("observed_at"), datetime) \
            or not isinstance(replacement.get("note", ""), str | None):
        raise DamagedEntry("a stored EntryCorrected entry has a damaged replacement")
    if target is None:
        return
    values = {k: x for k, x in replacement.items() if k not in ("observed_at", "note")}
    try:
        parsed = type(target).parse_fields(values)
    except InvalidEntry as exc:
        raise DamagedEntry(f"a stored EntryCorrected entry is damaged: {exc}") from None
    if not _same_values(parsed, values):
        raise DamagedEntry("a stored EntryCorrected entry holds values of the wrong kind")
