"""The check of an entry read back from a file (``check_stored``): what ``RecoveryJournal.apply``
runs on every event it takes in unchecked, against the same field rules a new entry goes
through. Beside ``domain.events`` (which would pass 500 lines), built on its classes."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from operator import attrgetter
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


_ENTRY_ID, _VERSION = attrgetter("originator_id"), attrgetter("originator_version")
_ENTRY_INT = attrgetter("originator_id.int")


def check_decoded_log(events: Sequence[EntryEvent]) -> None:
    """``check_stored`` of every one of EVENTS, a log in its order as the codec read it
    (``JournalMapper.event_from_row``), in a few C passes per type instead of Python per entry.

    The codec's typed decode is the stored-form check (``stored_schema``: every field present,
    of its type, range and choices; ``verify_journal`` relies on it the same way), so what is
    left is each entry's id, the cross-field rules (``check_stored_states``, type by type) and
    each correction against the entry it corrects, the latest one before it in the log (as
    ``RecoveryJournal.apply`` finds it). DamagedEntry for the first type that fails."""
    if set(map(type, map(_ENTRY_ID, events))) - {uuid.UUID} or set(map(_VERSION, events)) - {1}:
        bad = next(e for e in events if type(e.originator_id) is not uuid.UUID or e.originator_version != 1)
        raise DamagedEntry(f"a stored {bad.type_name()} entry has a damaged id")
    groups: dict[type[EntryEvent], list[dict[str, Any]]] = {}
    for event in events:
        states = groups.get(type(event))
        if states is None:
            states = groups[type(event)] = []
        states.append(event.__dict__)
    for cls, states in groups.items():
        cls.check_stored_states(states)
    if EntryCorrected in groups:
        # Keyed by the ids' ints: a UUID's own hash is a Python call, once per entry.
        last = dict(zip(map(_ENTRY_INT, events), range(len(events)), strict=True))
        for index, event in enumerate(events):
            if isinstance(event, EntryCorrected):
                where = last.get(getattr(event.target, "int", None))
                if where is not None and where >= index:  # that id again later (or itself): the one before
                    where = next((i for i in range(index - 1, -1, -1) if events[i].originator_id == event.target),
                                 None)
                _check_replacement(event, None if where is None else events[where])
