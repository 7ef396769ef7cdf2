"""The RecoveryJournal aggregate: the journal's identity and the rules every new entry
must satisfy against the entries already recorded.

It is folded from the log once when a file opens and then kept current in memory, so
checking and recording a new entry costs O(1) however long the journal is. Each entry is
stored as its own one-event stream (see docs/aggregate-design.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain import validation as v
from domain.errors import InvalidEntry, UnknownEntry
from domain.events import (
    EntryCorrected,
    EntryEvent,
    EntryRetracted,
    JournalStarted,
    ReviewNoteAdded,
    event_class,
    make_entry,
)
from domain.stored_entries import check_stored
from domain.values import AuthorRole

#: The tests a therapist assesses in clinic and may record as their own entries in a copy open
#: for review (interchange.md: ``import --therapist``), besides their review notes.
ASSESSED_TYPES: frozenset[str] = frozenset({
    "MuscleGraded", "GaitChecked", "HeelRaisesTested", "StraightLegRaiseTested", "SlumpTested",
    "ForwardBendTested",
})

_NOTE = v.text(optional=True)
#: How far ahead of now an entry may be dated: another machine's clock or time zone (an import,
#: a merged copy's check-in typed just after midnight there), never a day still to come.
AHEAD = timedelta(days=1)


@dataclass(frozen=True)
class JournalIdentity:
    journal_id: uuid.UUID
    patient: str
    affected_side: str
    onset_date: date


class RecoveryJournal:
    """Decides new entries; evolves by ``apply(event)``."""

    def __init__(self) -> None:
        self.identity: JournalIdentity | None = None
        self.entries: dict[uuid.UUID, EntryEvent] = {}

    @classmethod
    def from_events(cls, events: Iterable[EntryEvent]) -> RecoveryJournal:
        journal = cls()
        for event in events:
            journal.apply(event)
        return journal

    def apply(self, event: EntryEvent, *, check: bool = True) -> None:
        """Take EVENT into the journal.

        Every event is checked on its way in: events read back from a file are built without
        their constructor, so a damaged file is refused here rather than crashing a reader.
        CHECK=False only for events already checked (decided by a RecoveryJournal, or taken
        into one with the check), such as those ``JournalApp`` has just stored, or read from
        a file whose hash chain holds (its bytes are exactly what the app wrote)."""
        if check:
            target = self.entries.get(event.target) if isinstance(event, EntryCorrected) else None
            check_stored(event, target)
        self.extend((event,))

    def extend(self, events: Iterable[EntryEvent]) -> None:
        """Take EVENTS, already checked, into the journal in one pass (``apply`` without the check:
        opening a file, storing what was just decided)."""
        events = list(events)
        self.entries.update([(event.originator_id, event) for event in events])
        if self.identity is None:
            for event in events:
                if isinstance(event, JournalStarted):
                    self.identity = JournalIdentity(event.entry_id, event.patient, event.affected_side,
                                                    event.onset_date)
                    break

    @property
    def started(self) -> bool:
        return self.identity is not None

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    # Deciding ------------------------------------------------------------------------------

    def decide(
        self,
        type_name: str,
        raw_fields: Mapping[str, Any],
        *,
        observed_at: Any,
        entry_id: uuid.UUID | None = None,
        recorded_at: datetime | None = None,
        note: Any = None,
        author_name: str | None = None,
        assessed_by: str | None = None,
        latest: datetime | None = None,
    ) -> EntryEvent:
        """Validate a new entry against the fields' rules and the journal; return its event.

        ASSESSED_BY names a therapist recording their own entry: only a clinic test
        (``ASSESSED_TYPES``, authored by them) or their own review note is accepted. LATEST is
        the latest observed time accepted (default: ``AHEAD`` of now; an import fixes it once)."""
        cls = event_class(type_name)
        if assessed_by is not None and type_name not in ASSESSED_TYPES and cls.AUTHOR_ROLE is not AuthorRole.THERAPIST:
            raise InvalidEntry(
                f"a therapist records only clinic tests (muscle grades, heel and toe walk, heel raises, "
                f"straight-leg raise, slump, forward bend), review notes and measure assignments, "
                f"not {type_name}", field="type")
        observed = v.observed_time(observed_at)
        note_text = _NOTE(note, "note", "note")
        if entry_id is not None and entry_id in self.entries:
            raise InvalidEntry(f"entry id {entry_id} is already in the journal", field="entry_id")
        if cls is JournalStarted:
            if self.started:
                raise InvalidEntry("the journal has already been started; "
                                   "JournalStarted can only be the first entry", field="type")
        elif not self.started:
            raise InvalidEntry("a new journal must begin with JournalStarted", field="type")

        fields = self._fields(cls, raw_fields)
        self._check_observed(observed, latest or datetime.now() + AHEAD)
        if cls.AUTHOR_ROLE is AuthorRole.THERAPIST:  # review notes, measure assignments
            role, author = AuthorRole.THERAPIST.value, fields["therapist"]
            if assessed_by is not None and author != assessed_by:
                raise InvalidEntry(f"this entry is by {author}, but the entries are being recorded "
                                   f"as {assessed_by}'s", field="therapist")
        elif assessed_by is not None:
            role, author = AuthorRole.THERAPIST.value, assessed_by
        elif cls is JournalStarted:
            role, author = AuthorRole.PATIENT.value, fields["patient"]
        else:
            assert self.identity is not None
            role, author = AuthorRole.PATIENT.value, author_name or self.identity.patient
        return make_entry(
            cls,
            entry_id=entry_id or uuid.uuid4(),
            observed_at=observed,
            recorded_at=recorded_at or v.now_utc(),
            author_role=role,
            author_name=author,
            note=note_text,
            fields=fields,
        )

    def _check_observed(self, observed: datetime, latest: datetime) -> None:
        """A new entry is not observed after LATEST: the same rule for a check-in, a test, a
        note and an imported line (the import also refuses a day before the onset)."""
        if observed > latest:
            raise InvalidEntry(f"is in the future ({observed.isoformat()})", field="observed_at")

    def _fields(self, cls: type[EntryEvent], raw: Mapping[str, Any]) -> dict[str, Any]:
        if cls is EntryCorrected:
            return self._correction_fields(raw)
        fields = cls.parse_fields(raw)
        if cls is EntryRetracted:
            self._target(fields["target"], "retract")
        if cls is ReviewNoteAdded and fields["about"] is not None and fields["about"] not in self.entries:
            raise UnknownEntry(f"about: no entry with id {fields['about']} in this journal",
                               field="about")
        return fields

    def _target(self, target: uuid.UUID, verb: str) -> EntryEvent:
        try:
            original = self.entries[target]
        except KeyError:
            raise UnknownEntry(f"target: no entry with id {target} in this journal", field="target") from None
        if not type(original).CORRECTABLE:
            raise InvalidEntry(f"target: a {original.type_name()} entry cannot be {verb}ed "
                               f"(only observations can)", field="target")
        return original

    def _correction_fields(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        raw = dict(raw)
        replacement = raw.pop("replacement", None)
        base = EntryCorrected.parse_fields({**raw, "replacement": None})
        original = self._target(base["target"], "correct")
        if not isinstance(replacement, Mapping):
            raise InvalidEntry("replacement must be an entry object of the corrected entry's type",
                               field="replacement")
        replacement = dict(replacement)
        stated_type = replacement.pop("type", None)
        if stated_type is not None and stated_type != original.type_name():
            raise InvalidEntry(f"replacement: a {original.type_name()} entry cannot be corrected "
                               f"with a {stated_type}; retract it and record a new entry instead",
                               field="replacement")
        for forbidden in ("entry_id", "recorded_at"):
            if forbidden in replacement:
                raise InvalidEntry(f"replacement: {forbidden} cannot be changed by a correction",
                                   field="replacement")
        observed = replacement.pop("observed_at", None)
        note = replacement.pop("note", original.note)
        try:
            fields = type(original).parse_fields(replacement)
            observed_at = v.observed_time(observed) if observed is not None else original.observed_at
            note = _NOTE(note, "note", "note")
        except InvalidEntry as exc:
            raise InvalidEntry(f"replacement: {exc}", field="replacement") from None
        base["replacement"] = {"observed_at": observed_at, **fields, "note": note}
        return base
