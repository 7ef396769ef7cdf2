"""How events are stored: JSON written and read by ``msgspec``, through eventsourcing's public
``Transcoder`` and ``Mapper`` extension points (``JournalApp.construct_transcoder`` and
``construct_mapper``).

New entries are stored as plain JSON: datetimes, dates and UUIDs as ISO/canonical strings. Each
event class gets one typed decoder, made from the class's own annotations, that turns those
strings back into ``datetime``/``date``/``UUID`` values in C while it parses. Entries written by
earlier versions hold eventsourcing's ``{"_type_": …, "_data_": …}`` objects instead; the typed
decoder refuses them and they are read by eventsourcing's own ``JSONTranscoder``, so there is
one reader per format and no hand-written copy of either.
"""

from __future__ import annotations

import types
import typing
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypedDict, cast

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

_REVIVED = (datetime, date, uuid.UUID)
_COMMON = ("timestamp",)  # eventsourcing's DomainEvent field: when the entry was first recorded


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


def _stored_type(hint: Any) -> Any:
    """The msgspec type of a field: the revived types as annotated (optional or not), anything
    else as it is in JSON (its values are checked by the entry's parsers, not here)."""
    if hint in _REVIVED:
        return hint
    if isinstance(hint, types.UnionType) and set(typing.get_args(hint)) - {type(None)} <= set(_REVIVED):
        return hint
    return Any


def state_type(cls: type[Any]) -> type[Any]:
    """A TypedDict of CLS's stored state (every field but the stream id and version)."""
    hints = typing.get_type_hints(cls)
    fields = {name: _stored_type(hint) for name, hint in hints.items()
              if typing.get_origin(hint) is not typing.ClassVar
              and name not in ("originator_id", "originator_version")}
    return cast(type[Any], TypedDict(f"{cls.__name__}State", fields))  # type: ignore[operator]


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
        decoder = self._typed.get(cls)
        if decoder is None:
            decoder = self._typed[cls] = msgspec.json.Decoder(state_type(cls))
        return decoder.decode


class JournalMapper(Mapper[uuid.UUID]):
    """eventsourcing's Mapper with one typed decoder per event class (``MsgspecTranscoder``) and
    the legacy JSON reader for entries stored in the earlier format."""

    def __init__(self, transcoder: MsgspecTranscoder, *, compressor: Compressor | None = None,
                 cipher: Cipher | None = None) -> None:
        super().__init__(transcoder, compressor=compressor, cipher=cipher)
        self.codec = transcoder
        self.legacy = legacy_transcoder()
        self._classes: dict[str, tuple[type[Any], Callable[[bytes], dict[str, Any]]]] = {}

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        s = stored_event
        return self.event_from_row(s.originator_id, s.originator_version, s.topic, s.state)

    def event_from_row(self, originator_id: uuid.UUID | str, version: int, topic: str, state: bytes) -> Any:
        """The event of one stored row (``to_domain_event`` without building a StoredEvent)."""
        spec = self._classes.get(topic)
        if spec is None:
            cls = resolve_topic(topic)
            spec = self._classes[topic] = (cls, self.codec.decoder_for(cls))
        cls, decode = spec
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        try:
            event_state = decode(state)
        except msgspec.ValidationError:
            # Written before this codec (or not by this app): eventsourcing's own reader says
            # what it holds; a state neither reads is damaged, and its error says so.
            event_state = self.legacy.decode(state)
            if not isinstance(event_state, dict):
                raise ValueError("a stored entry is not a JSON object") from None
        revive = getattr(cls, "revive_stored", None)
        if revive is not None:
            revive(event_state)
        event_state["originator_id"] = (uuid.UUID(originator_id) if isinstance(originator_id, str)
                                        else originator_id)
        event_state["originator_version"] = version
        class_version = getattr(cls, "class_version", 1)
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", event_state)
        return event
