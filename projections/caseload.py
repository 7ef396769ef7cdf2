"""The clinic's caseload (issue 20): one row per patient, most urgent first.

Every judgement in a row comes from the desktop's own projections: the stage, its reason, the
red flags and each sign's trend are the ``StatusSnapshot`` of a ``StatusProjection`` fed the
patient's events; the check-in days count the same records the stage counts (symptom
check-ins and pain ratings, corrections applied); the ``stop`` exercises are the exercise
projection's verdicts. This module adds only what a caseload needs on top: when the patient
last wrote, the last review note, the therapist, and the place in the list.

The place (``Group``), first that holds:

1. ``red_flag``: an ``emergency`` or ``today`` flag is active (acknowledged or not: an
   acknowledgement quiets the patient's banner, not the clinic's list);
2. ``flare``: the stage is ``flare``;
3. ``silent``: the patient's last entry is ``SILENT_DAYS`` (5) or more days before as_of, or
   the patient has no entry at all;
4. ``worsening``: any of the five signs is worsening;
5. ``other``.

Ties, so the list reads the same whatever order patients arrived in: red flags by the most
urgent flag, then the longest active; flares and worsening by the number of signs worsening
(more first); silent by the days silent (longest first); within every group a patient with
any ``soon`` flag before one without; then the name (case-insensitive), then the patient id.

``PatientCaseload`` keeps one patient incrementally (``apply`` each event once, in any order,
then ``row(as_of)``), so a runner's catch-up is O(events), never a replay per event.

**Stored form** (the clinic's read model, ``domain.clinic.caseload``): ``stored_row`` gives a
row's fields as msgspec writes a ``CaseloadRow``, without the therapist (assigning is not an
event: the store splices the current one in front when it reads), and ``order_key``, bytes that
sort as ``caseload_order`` does; so the store hands back the caseload already in its order and
a read is one fetch and one decode straight into the rows (``rows_from_stored``). Beside it
(``StoredForms``) the row's ``--json`` form, ``row_to_json``'s (the interchange schema), in two
parts around the therapist (``document_parts``), and its name and reason for the one-line
listing: so the CLI's outputs are read without decoding any row.
"""

from __future__ import annotations

import bisect
import gc
import struct
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from operator import itemgetter
from typing import Any, NamedTuple

import msgspec

from domain.events import EntryEvent, ReviewNoteAdded
from domain.values import AuthorRole
from projections.exercises import Verdict
from projections.stage import RECENT_RECORD_DAYS, Stage
from projections.status import StatusProjection, StatusSnapshot
from projections.vocabulary import (
    INDICATORS,
    caseload_flag,
    caseload_other,
    caseload_red_flag,
    caseload_silent,
    caseload_soon,
    caseload_worsening,
    urgency_rank,
)

SCHEMA = "sciatica-caseload/1"
SILENT_DAYS = 5  # silent: no entry of the patient's for this many days or more
CHECK_IN_DAYS = RECENT_RECORD_DAYS  # days with a check-in, counted over the 14 days ending as_of
SIGNS: tuple[str, ...] = tuple(INDICATORS)  # the five signs, in the model's order


class Group(StrEnum):
    """A patient's place in the caseload, most urgent first (``GROUP_ORDER``)."""

    RED_FLAG = "red_flag"
    FLARE = "flare"
    SILENT = "silent"
    WORSENING = "worsening"
    OTHER = "other"


GROUP_ORDER: tuple[Group, ...] = tuple(Group)
_RANK: dict[Group, int] = {g: i for i, g in enumerate(GROUP_ORDER)}
_TRENDS_IN_ORDER = itemgetter(*SIGNS)  # a JSON row's trends by sign (an object keeps no key order)


@dataclass(frozen=True, slots=True)
class CaseloadFlag:
    code: str
    urgency: str  # emergency, today or soon
    since: date
    acknowledged: bool
    words: str  # 'changes in bladder control (reported since 9 Mar)', as the clinic reads it


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    patient_id: uuid.UUID
    name: str | None  # None until the patient's JournalStarted has arrived
    therapist: str | None  # None: not assigned
    as_of: date
    stage: str  # a ``Stage`` code
    stage_reason: str
    red_flags: tuple[CaseloadFlag, ...]  # every active flag, most urgent first: never hidden
    trends: tuple[tuple[str, str], ...]  # (sign code, trend code) for the five signs, in order
    last_entry: date | None  # the latest day the patient recorded anything, up to as_of
    check_in_days: int  # days with a symptom check-in or pain rating in the 14 days ending as_of
    stop_exercises: tuple[str, ...]  # exercises whose verdict is ``stop`` ("pull back")
    last_review: date | None  # the latest review note's day, up to as_of
    group: Group
    reason: str  # why the patient is in this place, one line in words

    @property
    def silent_days(self) -> int | None:
        """Days since the patient's last entry (None: no entry at all)."""
        return None if self.last_entry is None else (self.as_of - self.last_entry).days

    @property
    def worsening(self) -> tuple[str, ...]:
        return tuple(code for code, trend in self.trends if trend == "worsening")

    def trend(self, sign: str) -> str:
        return dict(self.trends)[sign]


def _flags(snapshot: StatusSnapshot) -> tuple[CaseloadFlag, ...]:
    flags = sorted(snapshot.red_flags.flags, key=lambda f: (urgency_rank(f.urgency), f.since, f.code))
    return tuple(CaseloadFlag(f.code, f.urgency, f.since, f.acknowledged, caseload_flag(f.code, f.since, f.detail))
                 for f in flags)


def _trends(snapshot: StatusSnapshot) -> tuple[tuple[str, str], ...]:
    s = snapshot
    found = {"centralization": s.centralization.trend, "strength": s.strength.trend,
             "nerve_mobility": s.nerve_mobility.trend, "pain": s.pain.trend, "walking": s.walking.trend}
    return tuple((code, found[code].value) for code in SIGNS)


def place(flags: tuple[CaseloadFlag, ...], stage: str, stage_reason: str, trends: tuple[tuple[str, str], ...],
          *, last_entry: date | None, as_of: date) -> tuple[Group, str]:
    """The group of a patient and why, in words (the module's rule, first that holds)."""
    urgent = [f for f in flags if urgency_rank(f.urgency) < urgency_rank("soon")]
    soon = [f for f in flags if urgency_rank(f.urgency) >= urgency_rank("soon")]
    worse = [code for code, trend in trends if trend == "worsening"]
    silent = None if last_entry is None else (as_of - last_entry).days
    if urgent:
        group, reason = Group.RED_FLAG, caseload_red_flag(urgent[0].urgency, [f.words for f in urgent])
    elif stage == Stage.FLARE:
        group, reason = Group.FLARE, caseload_other(stage, stage_reason)
    elif silent is None or silent >= SILENT_DAYS:
        group, reason = Group.SILENT, caseload_silent(silent, last_entry)
    elif worse:
        group, reason = Group.WORSENING, caseload_worsening(worse)
    else:
        group, reason = Group.OTHER, caseload_other(stage, stage_reason)
    # A ``soon`` flag moves no patient up, but it is always said.
    return group, reason + (caseload_soon([f.words for f in soon]) if soon else "")


def _sort_key(row: CaseloadRow) -> tuple[Any, ...]:
    group = _RANK[row.group]
    if row.group is Group.RED_FLAG and row.red_flags:
        first = row.red_flags[0]  # the most urgent (``_flags``)
        within: tuple[Any, ...] = (urgency_rank(first.urgency), first.since)
    elif row.group is Group.SILENT:
        silent = row.silent_days
        within = (0 if silent is None else 1, -(silent or 0))  # never any entry: first
    else:
        within = (-len(row.worsening),)
    has_soon = any(f.urgency == "soon" for f in row.red_flags)
    return (group, *within, not has_soon, (row.name or "").casefold(), row.name or "", row.patient_id)


def caseload_order(rows: Iterable[CaseloadRow]) -> list[CaseloadRow]:
    """ROWS most urgent first (the module's order; the same rows give the same list)."""
    return sorted(rows, key=_sort_key)


class PatientCaseload:
    """One patient's caseload state, kept incrementally: ``apply`` every event of the patient
    once (any order: the status projection orders entries by their own times), then ``row``."""

    def __init__(self, patient_id: uuid.UUID, therapist: str | None = None) -> None:
        self.patient_id = patient_id
        self.therapist = therapist
        self.status = StatusProjection()
        self._entry_days: list[date] = []  # distinct days the patient recorded on, sorted
        self._review_days: list[date] = []  # distinct days of review notes, sorted
        self.events = 0

    def apply(self, event: EntryEvent) -> None:
        self.events += 1
        self.status.apply(event)
        if isinstance(event, ReviewNoteAdded):
            _insert(self._review_days, event.observed_at.date())
        elif event.author_role == AuthorRole.PATIENT:
            _insert(self._entry_days, event.observed_at.date())

    def assign(self, therapist: str | None) -> None:
        self.therapist = therapist

    @classmethod
    def from_events(cls, patient_id: uuid.UUID, events: Iterable[EntryEvent],
                    therapist: str | None = None) -> PatientCaseload:
        new = cls(patient_id, therapist)
        for event in events:
            new.apply(event)
        return new

    def row(self, as_of: date) -> CaseloadRow:
        return caseload_row(self.patient_id, self.status, as_of, therapist=self.therapist,
                            last_entry=_last_upto(self._entry_days, as_of),
                            last_review=_last_upto(self._review_days, as_of))


def caseload_row(patient_id: uuid.UUID, status: StatusProjection, as_of: date, *, therapist: str | None,
                 last_entry: date | None, last_review: date | None) -> CaseloadRow:
    """The row of one patient at AS_OF from the desktop's status projection of their events.
    LAST_ENTRY and LAST_REVIEW are the latest days up to AS_OF (``PatientCaseload`` keeps them)."""
    snapshot = status.status_at(as_of)
    start = as_of - timedelta(days=CHECK_IN_DAYS - 1)
    # The records the stage counts (its signs and pain stores), corrections applied.
    records = [*status.signs.checkins(start, as_of), *status.pain.ratings(start, as_of)]
    check_in_days = len({e.observed_at.date() for e in records})
    flags, trends = _flags(snapshot), _trends(snapshot)
    stage, stage_reason = snapshot.stage.stage.value, snapshot.stage.reason
    group, reason = place(flags, stage, stage_reason, trends, last_entry=last_entry, as_of=as_of)
    return CaseloadRow(
        patient_id=patient_id, name=snapshot.patient, therapist=therapist, as_of=as_of,
        stage=stage, stage_reason=stage_reason, red_flags=flags, trends=trends,
        last_entry=last_entry, check_in_days=check_in_days,
        stop_exercises=tuple(e.exercise for e in snapshot.exercises.exercises if e.verdict is Verdict.STOP),
        last_review=last_review, group=group, reason=reason)


def _insert(days: list[date], d: date) -> None:
    i = bisect.bisect_left(days, d)
    if i == len(days) or days[i] != d:
        days.insert(i, d)


def _last_upto(days: list[date], as_of: date) -> date | None:
    i = bisect.bisect_right(days, as_of)
    return days[i - 1] if i else None


# JSON ----------------------------------------------------------------------------------------


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def row_to_json(row: CaseloadRow) -> dict[str, Any]:
    """One row as plain JSON (``sciatica clinic caseload --json``; a stored row's form)."""
    return {
        "patient_id": str(row.patient_id), "name": row.name, "therapist": row.therapist,
        "as_of": row.as_of.isoformat(), "group": row.group.value, "reason": row.reason,
        "stage": row.stage, "stage_reason": row.stage_reason,
        "red_flags": [{"code": f.code, "urgency": f.urgency, "since": f.since.isoformat(),
                       "acknowledged": f.acknowledged, "words": f.words} for f in row.red_flags],
        "trends": dict(row.trends),
        "last_entry": _iso(row.last_entry), "silent_days": row.silent_days,
        "check_in_days": row.check_in_days, "stop_exercises": list(row.stop_exercises),
        "last_review": _iso(row.last_review),
    }


def row_from_json(data: dict[str, Any]) -> CaseloadRow:
    """The row ``row_to_json`` wrote (``silent_days`` is derived, so not read back)."""
    fields = dict(data)
    fields["trends"] = tuple(zip(SIGNS, _TRENDS_IN_ORDER(data["trends"]), strict=True))
    return msgspec.convert(fields, CaseloadRow, strict=False)


# Stored form ---------------------------------------------------------------------------------

_ENCODER = msgspec.json.Encoder()
_STORED = msgspec.json.Decoder(list[CaseloadRow])


class StoredForms(NamedTuple):
    """A row as the clinic's read model stores it, in the forms its reads hand on (each read
    fetches only the one it needs, so no read parses more than its output): none holds the
    therapist, which the store splices in as it reads (module docstring)."""

    body: bytes  # the row's fields as msgspec writes a ``CaseloadRow`` (``rows_from_stored``)
    key: bytes  # ``order_key``
    document_head: bytes  # ``row_to_json`` as JSON, up to where the therapist goes (``document_parts``)
    document_tail: bytes  # and from after it
    name: str | None  # for the one-line listing: name (therapist): reason
    reason: str


def stored_row(patient_id: uuid.UUID, entries: Sequence[EntryEvent], as_of: date) -> StoredForms:
    """The clinic's stored row of one patient from all of their entries. A module-level
    function, so the clinic's worker processes can be given it (``domain.clinic.derive``)."""
    return stored_forms(PatientCaseload.from_events(patient_id, entries).row(as_of))


def stored_forms(row: CaseloadRow) -> StoredForms:
    """ROW's stored forms (its therapist left out: read live by the store, module docstring)."""
    data = msgspec.to_builtins(row)
    del data["therapist"]
    head, tail = document_parts(row)
    return StoredForms(_ENCODER.encode(data), order_key(row), head, tail, row.name, row.reason)


def document_parts(row: CaseloadRow) -> tuple[bytes, bytes]:
    """``row_to_json(row)`` as JSON cut where its therapist goes: (the object up to and with the
    comma before the therapist's key, the rest after the therapist's value and its comma). So
    ``head + b'"therapist":' + <the therapist as JSON> + b"," + tail`` is the interchange row with
    its keys in ``row_to_json``'s order, for ``clinic caseload --json`` to hand on unparsed."""
    document = row_to_json(row)
    keys = list(document)
    at = keys.index("therapist")
    head = _ENCODER.encode({k: document[k] for k in keys[:at]})
    tail = _ENCODER.encode({k: document[k] for k in keys[at + 1:]})
    return head[:-1] + b",", tail[1:]


def rows_from_stored(data: bytes) -> list[CaseloadRow]:
    """A JSON array of stored rows, each with its therapist (the store's read), in its order.
    msgspec builds the rows themselves in one pass; the collector is held off meanwhile, since
    2,000 rows are some 50,000 new objects it would otherwise walk several times as they come."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _STORED.decode(data)
    finally:
        if collecting:
            gc.enable()


_INT = struct.Struct(">Q")
_BIAS = 1 << 63  # signed to unsigned, keeping the order


def order_key(row: CaseloadRow) -> bytes:
    """Bytes that compare (as PostgreSQL compares ``bytea``: byte by byte) as the rows' places
    in ``caseload_order``: ``_sort_key``'s own tuple, each part written so its order holds."""
    out = bytearray()
    for part in _sort_key(row):
        if isinstance(part, str):
            # UTF-8 keeps the code points' order; 0 ends the text (0 and 1 inside are escaped
            # as 1 1 and 1 2), so a text sorts before any longer text it begins.
            out += part.encode().replace(b"\x01", b"\x01\x02").replace(b"\x00", b"\x01\x01") + b"\x00"
        elif isinstance(part, date):
            out += _INT.pack(part.toordinal() + _BIAS)
        elif isinstance(part, uuid.UUID):  # the patient id: its 128 bits, as UUIDs compare
            out += part.bytes
        else:
            out += _INT.pack(int(part) + _BIAS)
    return bytes(out)
