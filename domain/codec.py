"""How events are stored: JSON written and read by ``msgspec``, through eventsourcing's public
``Transcoder`` and ``Mapper`` extension points (``JournalApp.construct_transcoder`` and
``construct_mapper``).

New entries are stored as plain JSON: datetimes, dates and UUIDs as ISO/canonical strings. Each
event class gets one typed decoder, made from its ``stored_schema`` (the field rules' stored
types), that turns those strings back into ``datetime``/``date``/``UUID`` values and checks every
value's range and choices, in C, while it parses; the form of its texts (``check_stored_texts``)
is checked right after, over a whole batch at once where the reader has one (``states_of``).
Entries written by earlier versions hold eventsourcing's ``{"_type_": …, "_data_": …}`` objects
instead: eventsourcing's own ``JSONTranscoder`` reads them and the same stored type checks them.
So there is one reader per format, one check for both, and no hand-written copy of either.
"""

from __future__ import annotations

import sys
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any, Protocol

import msgspec
from eventsourcing.persistence import (
    Cipher,
    Compressor,
    DatetimeAsISO,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    Transcoder,
    Transcoding,
    UUIDAsHex,
)
from eventsourcing.utils import resolve_topic

from domain.events import DamagedEntry


class DateAsISO(Transcoding):
    """Dates as ISO text in the legacy stored JSON (files written before the msgspec codec)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def legacy_transcoder() -> JSONTranscoder:
    """eventsourcing's JSON transcoder with the transcodings the app registered until now."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    return transcoder


_set = object.__setattr__  # events are frozen dataclasses


class PayloadBinder(Protocol):
    """Seals and opens payloads bound to their entry (``JournalKey`` of a keyed journal)."""

    def seal_payload(self, data: bytes, originator_id: str, topic: str) -> bytes: ...

    def open_payload(self, data: bytes, originator_id: str, topic: str) -> bytes: ...


def _oid_text(originator_id: uuid.UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, uuid.UUID) else str(originator_id)


class DamagedState(ValueError):
    """A stored state that is JSON but not what its entry type allows."""


class MsgspecTranscoder(Transcoder):
    """Plain JSON with ``msgspec``: about three times faster than ``json`` with an object hook,
    and typed when the event class is known (``decoder_for``)."""

    def __init__(self) -> None:
        self.encoder = msgspec.json.Encoder()
        self._untyped = msgspec.json.Decoder()
        self._typed: dict[type[Any], msgspec.json.Decoder[Any]] = {}

    def encode(self, obj: Any) -> bytes:
        return self.encoder.encode(obj)

    def decode(self, data: bytes) -> Any:
        return self._untyped.decode(data)

    def decoder_for(self, cls: type[Any]) -> Callable[[bytes], dict[str, Any]]:
        """The decoder of CLS's stored state (``cls.stored_schema()``): it types and checks every
        field in one pass."""
        decoder = self._typed.get(cls)
        if decoder is None:
            decoder = self._typed[cls] = msgspec.json.Decoder(cls.stored_schema())
        return decoder.decode


# (event class, its typed decoder, its ``check_stored_texts``, its ``revive_stored`` or None),
# looked up once per topic.
_ClassSpec = tuple[type[Any], Callable[[bytes], dict[str, Any]], Callable[[Sequence[dict[str, Any]]], None],
                   Callable[[dict[str, Any]], None] | None]


_OID, _TOPIC, _STATE = itemgetter(0), itemgetter(2), itemgetter(3)  # of a stored row
_new_object = object.__new__


def uuids_from_hex(texts: Sequence[str]) -> list[uuid.UUID]:
    """``uuid.UUID(text)`` of each of TEXTS (stored entry ids), in C loops when each is 32
    characters (the hex form this app stores): ``uuid.UUID`` from text is Python, a tenth of
    decoding an entry. The same values, and ValueError for the same texts; any other form
    (dashes, braces) goes through ``uuid.UUID`` itself."""
    if set(map(len, texts)) <= {32} and set(map(type, texts)) <= {str}:
        ints = list(map(int, texts, repeat(16)))  # (ValueError for text that is not hex, as uuid.UUID)
        if not ints or min(ints) >= 0:
            return uuids_from_ints(ints)
    return list(map(uuid.UUID, texts))


def uuids_from_ints(ints: Sequence[int]) -> list[uuid.UUID]:
    """``uuid.UUID(int=value)`` of each of INTS (each in 0 … 2**128 - 1: the caller has them
    from 32 hex digits or from ids it wrote), made in C loops ("unknown" safe, as a UUID read
    back from its text or its pickle is)."""
    ids: list[uuid.UUID] = list(map(_new_object, repeat(uuid.UUID, len(ints))))
    deque(map(_set, ids, repeat("int"), ints), 0)
    deque(map(_set, ids, repeat("is_safe"), repeat(uuid.SafeUUID.unknown)), 0)
    return ids


class JournalMapper(Mapper[uuid.UUID]):
    """eventsourcing's Mapper with one typed decoder per event class (``MsgspecTranscoder``) and
    the legacy JSON reader for entries stored in the earlier format."""

    def __init__(self, transcoder: MsgspecTranscoder, *, compressor: Compressor | None = None,
                 cipher: Cipher | None = None, binder: PayloadBinder | None = None) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        #: Seals each payload with its entry id and type as associated data (instead of CIPHER).
        self.binder = binder
        self.codec = transcoder
        self.legacy = legacy_transcoder()
        self._classes: dict[str, _ClassSpec] = {}

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        stored = super().to_stored_event(domain_event)
        if self.binder is None:
            return stored
        oid = _oid_text(stored.originator_id)
        return StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                           self.binder.seal_payload(stored.state, oid, stored.topic))

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        s = stored_event
        return self.event_from_row(s.originator_id, s.originator_version, s.topic, s.state)

    def event_from_row(self, originator_id: uuid.UUID | str, version: int, topic: str, state: bytes) -> Any:
        """The event of one stored row (``to_domain_event`` without building a StoredEvent).

        The decoded dict becomes the event's ``__dict__`` as it is. Setting the attributes one
        by one would let CPython share one key table per class (~130 bytes an entry, ~5 MB on
        10 years) but cost ~100 ms of a 10-year open (0.39 → 0.49–0.55 s, alternating runs),
        which pushed ``open_ratio`` to its limit. The free-text values that repeat from entry
        to entry (``REPEATED_TEXT``: the author's name, …) are shared."""
        cls, event_state = self.state_of(topic, state, originator_id)
        return self.event_of(cls, originator_id, version, event_state)

    def event_of(self, cls: type[Any], originator_id: uuid.UUID | str, version: int,
                 event_state: dict[str, Any]) -> Any:
        """The CLS event of one stored row, from its state as ``state_of`` or ``states_of``
        decoded and checked it (EVENT_STATE becomes the event's ``__dict__``)."""
        class_version = getattr(cls, "class_version", 1)
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1
        for name in cls.REPEATED_TEXT:
            value = event_state.get(name)
            if type(value) is str:
                event_state[name] = sys.intern(value)
        event_state["originator_id"] = uuid.UUID(originator_id) if isinstance(originator_id, str) else originator_id
        event_state["originator_version"] = version
        event = object.__new__(cls)
        _set(event, "__dict__", event_state)
        return event

    def events_of_rows(self, rows: Sequence[Sequence[Any]], originator_ids: Sequence[uuid.UUID],
                       versions: Sequence[int]) -> list[Any]:
        """The events of ROWS (``(originator_id, …, topic, state, …)`` as ``states_by_topic``
        reads them, in log order; their ids as UUIDs and their versions beside), in that order:
        decoded and checked a topic at a time, each then made an event in log order. How a file
        is opened (``domain.loading``) and how a patient's log from the clinic store is read."""
        decoded = {topic: (cls, iter(values)) for topic, cls, values in self.states_by_topic(rows)}
        event_of = self.event_of
        events: list[Any] = []
        add = events.append
        for row, entry_id, version in zip(rows, originator_ids, versions, strict=True):
            cls, values = decoded[row[2]]
            add(event_of(cls, entry_id, version, next(values)))
        return events

    def _spec(self, topic: str) -> _ClassSpec:
        spec = self._classes.get(topic)
        if spec is None:
            cls = resolve_topic(topic)
            spec = self._classes[topic] = (cls, self.codec.decoder_for(cls), cls.check_stored_texts,
                                           getattr(cls, "revive_stored", None))
        return spec

    def states_by_topic(self, rows: Sequence[Sequence[Any]]) -> Iterator[tuple[str, type[Any], list[dict[str, Any]]]]:
        """``states_of`` for ROWS (``(originator_id, version, topic, state, …)``, in log order)
        a topic at a time: (topic, its event class, the states of its rows in order). The rows
        are sorted and grouped by topic in C, so a batch costs one C loop per topic."""
        for topic, group in groupby(sorted(rows, key=_TOPIC), _TOPIC):
            mine = list(group)
            cls, values = self.states_of(topic, list(map(_STATE, mine)), list(map(_OID, mine)))
            yield topic, cls, values

    def states_of(self, topic: str, states: Sequence[bytes],
                  originator_ids: Sequence[uuid.UUID | str]) -> tuple[type[Any], list[dict[str, Any]]]:
        """``state_of`` for many stored states of one TOPIC (and their entries' ids), in order:
        (the event class, each state decoded and checked). For plain payloads in this codec's
        format (every entry this version wrote) the typed decoder runs over the whole list in
        one C loop; anything else (a sealed or encrypted payload, an entry written before this
        codec, a damaged one) takes ``state_of`` entry by entry, which decodes or names it."""
        cls, decode, check_texts, revive = self._spec(topic)
        values: list[dict[str, Any]] | None = None
        if self.binder is None and not self.cipher and not self.compressor:
            try:
                values = list(map(decode, states))
                check_texts(values)
            except (msgspec.ValidationError, DamagedEntry):
                values = None
        if values is None:
            return cls, [self.state_of(topic, state, oid)[1] for state, oid in zip(states, originator_ids, strict=True)]
        if revive is not None:
            for value in values:
                revive(value)
        return cls, values

    def state_of(self, topic: str, state: bytes,
                 originator_id: uuid.UUID | str = "") -> tuple[type[Any], dict[str, Any]]:
        """(the event class, its stored state decoded and checked against its stored type);
        DamagedState when the state is JSON that its type does not allow."""
        cls, decode, check_texts, revive = self._spec(topic)
        if self.binder is not None:
            state = self.binder.open_payload(state, _oid_text(originator_id), topic)
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        try:
            event_state = decode(state)
        except msgspec.ValidationError as exc:
            if b'"_type_"' not in state:
                raise DamagedState(f"a stored {cls.__name__} entry is damaged: {exc}") from None
            # Written before this codec: eventsourcing's own reader turns its typed values back,
            # then the same stored type checks the fields.
            legacy = self.legacy.decode(state)
            try:
                event_state = msgspec.convert(legacy, cls.stored_schema(), strict=True)
            except msgspec.ValidationError as exc:
                raise DamagedState(f"a stored {cls.__name__} entry is damaged: {exc}") from None
        try:
            check_texts((event_state,))
        except DamagedEntry as exc:
            raise DamagedState(str(exc)) from None
        if revive is not None:
            revive(event_state)
        return cls, event_state
