"""The bytes of a start-up checkpoint's two parts (``desktop.session.checkpoint``): how the face
and the rest are pickled, and the restricted unpickler that reads them back.

The reader builds only the read models' own classes and a few standard value types (no other
callable), so a foreign or damaged file cannot run code. No Qt.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import io
import os
import pickle
import uuid
from collections.abc import Sequence
from typing import Any, BinaryIO, cast

from desktop.session.face import LazyRest, PendingProjection, SessionFace, SessionState
from domain.codec import uuids_from_ints
from domain.events import EntryEvent
from projections.series import ProgressSeries, StageDays
from projections.status import StatusProjection

CHUNK = 1 << 16  # bytes hashed at a time (on a thread: see checkpoint.CHUNK)


# What a checkpoint may build: the classes of the modules whose objects a session's state
# holds (values, events, the aggregate, the read models), a few standard value types, and enum
# members by name. Nothing else resolves, so no function of the standard library (``os.system``,
# ``eval``…) can be reached from the file's bytes.
_MODULES = ("domain.events", "domain.journal", "domain.review", "domain.values", "desktop.session.index")
_PACKAGES = ("projections.",)
_STANDARD = {("datetime", "date"), ("datetime", "datetime"), ("datetime", "timedelta"),
             ("datetime", "timezone"), ("uuid", "UUID"), ("fractions", "Fraction"), ("array", "array"),
             ("builtins", "set"), ("builtins", "frozenset"), ("collections", "OrderedDict"),
             ("desktop.session.face", "SessionFace"), ("desktop.session.face", "LatestEffective")}


def _allowed_module(module: str) -> bool:
    return module in _MODULES or module.startswith(_PACKAGES)


def _member(owner: object, name: object) -> object:
    """``getattr`` as pickle uses it, for two things only: an enum member by name, and a
    public method of a read model bound to it (a projection's routing table holds them)."""
    if isinstance(name, str) and not name.startswith("_"):
        if isinstance(owner, enum.EnumMeta):
            return owner[name]
        if not isinstance(owner, type) and _allowed_module(type(owner).__module__):
            method = getattr(owner, name, None)
            function = getattr(method, "__func__", None)
            if getattr(method, "__self__", None) is owner and _allowed_module(getattr(function, "__module__", "")):
                return method
    raise pickle.UnpicklingError("not an enum member or a read model's method")


def _array(cls: object, typecode: object, _machine_format: object, data: object) -> object:
    """An ``array.array`` from its type code and bytes (the index's positions), as pickle's
    own reconstructor gives it on the machine that wrote it (the cache is this machine's)."""
    import array

    if cls is not array.array or not (isinstance(typecode, str) and isinstance(data, bytes | bytearray)):
        raise pickle.UnpicklingError("not an array")
    return array.array(typecode, data)


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "builtins" and name == "getattr":
            return _member
        if module == "array" and name == "_array_reconstructor":
            return _array
        if (module, name) in _STANDARD or _allowed_module(module):
            found = super().find_class(module, name)
            # A class defined there: not one those modules import from elsewhere (a path, a
            # thread…), which pickle would name by its own module anyway.
            if isinstance(found, type) and ((module, name) in _STANDARD or _allowed_module(found.__module__)):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a checkpoint")


# A checkpoint holds two parts: the face (``desktop.session.face``: what the first views show)
# and the rest (every entry, the aggregate, the index, the replayed read models), read only
# when first needed; the header names the rest's length and SHA-256, so the rest read later
# is the one written with this face (the file is held open from the start: a checkpoint
# written meanwhile replaces the name, not these bytes).
#
# Each part is several pickles in a row, so that what the reader holds while it reads stays
# small: an unpickler keeps every container it has read (each object's attribute dict
# included) until its pickle ends, which for the whole state at once was a transient as large
# as the state itself (~40 MB on 10 years, kept in the peak RSS). The face: its stage days,
# then the face naming them. The rest: the number of chunks, the log in chunks of
# CHUNK_ENTRIES entries, then the aggregate, the index, the timeline's projection and the
# timeline, each on its own, which name the entries (and their ids) by their position in the
# log, and the timeline its projection and the face's series and stage days.
CHUNK_ENTRIES = 2048


class _Referencing(pickle.Pickler):
    """Writes the entries of LOG and their ids, and SHARED, as references to what was
    written before them."""

    def __init__(self, file: BinaryIO, log: Sequence[EntryEvent], shared: Sequence[object] = ()) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._refs = {id(event): i for i, event in enumerate(log)}
        self._refs.update({id(event.entry_id): len(log) + i for i, event in enumerate(log)})
        self._refs.update({id(obj): 2 * len(log) + i for i, obj in enumerate(shared)})

    def persistent_id(self, obj: object) -> int | None:
        return self._refs.get(id(obj))


# The face's entry ids, each written once in a table ahead of the pickles that name them. An id
# read back through pickle's generic path (``UUID.__setstate__``, a Python call with a dict) cost
# ~2 µs; the ~41,500 ids of a 10-year face (34,300 distinct: a walk's id is in 14 "best walk"
# points, an entry's in its curve and in the latest entries) were a third of the face's read.
# The table is a list of integers (C-fast to unpickle), each made an id once; the pickles after it
# name ids by position (``persistent_load`` = a C list lookup), after SHARED_REFS places kept for
# the objects the face itself names (its stage days, series and recorded moments).
SHARED_REFS = 3


class _Tabled(pickle.Pickler):
    """Writes each id as its position in TABLE (filled as ids are met, after SHARED_REFS),
    and SHARED as positions 0, 1, 2."""

    def __init__(self, file: BinaryIO, table: dict[uuid.UUID, int], shared: Sequence[object] = ()) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._table = table
        self._shared = {id(obj): i for i, obj in enumerate(shared)}

    def persistent_id(self, obj: object) -> int | None:
        if type(obj) is uuid.UUID and obj.is_safe is uuid.SafeUUID.unknown:
            return self._table.setdefault(obj, SHARED_REFS + len(self._table))
        return self._shared.get(id(obj))


# The series' curves, one pickle each (the largest, ~3,700 points, is what the reader holds
# at most besides what it keeps), the index's recorded moments (36,591 on 10 years), then the
# face naming its series, stage days and moments.
SERIES_PARTS = tuple(f.name for f in dataclasses.fields(ProgressSeries) if f.name != "stage_source")


def write_face(f: BinaryIO, face: SessionFace) -> None:
    series = face.series
    stages = series.stage_source
    assert stages is not None
    table: dict[uuid.UUID, int] = {}
    parts = io.BytesIO()  # written after the table, which is complete only once they are
    pickle.dump(stages.days, parts, protocol=pickle.HIGHEST_PROTOCOL)
    for name in SERIES_PARTS:
        _Tabled(parts, table).dump(getattr(series, name))
    pickle.dump(face.index.recorded, parts, protocol=pickle.HIGHEST_PROTOCOL)
    _Tabled(parts, table, [stages, series, face.index.recorded]).dump(face)
    pickle.dump([entry_id.int for entry_id in table], f, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(parts.getbuffer())


def read_face(f: BinaryIO, rest: LazyRest) -> SessionFace:
    values = _Unpickler(f).load()
    if not isinstance(values, list) or not set(map(type, values)) <= {int} \
            or (values and (min(values) < 0 or max(values) >= 1 << 128)):
        raise pickle.UnpicklingError("not a checkpoint's entry ids")
    refs: list[object] = [None] * SHARED_REFS
    refs.extend(uuids_from_ints(values))
    days = _Unpickler(f).load()
    if not isinstance(days, dict):
        raise pickle.UnpicklingError("not a checkpoint's stage days")
    stages = StageDays(cast(StatusProjection, PendingProjection(rest)), days)
    series = ProgressSeries(**{name: _naming(f, refs).load() for name in SERIES_PARTS}, stage_source=stages)
    recorded = _Unpickler(f).load()
    if not isinstance(recorded, list):
        raise pickle.UnpicklingError("not a checkpoint's moments")
    refs[:SHARED_REFS] = [stages, series, recorded]
    face = _naming(f, refs).load()
    if not isinstance(face, SessionFace) or not face.consistent():
        raise pickle.UnpicklingError("not a checkpoint's face")
    return face


def _naming(f: BinaryIO, refs: list[object]) -> _Unpickler:
    """An unpickler resolving persistent ids as positions in REFS (an id out of range raises)."""
    reader = _Unpickler(f)
    reader.persistent_load = refs.__getitem__  # type: ignore[method-assign]
    return reader


def write_rest(f: BinaryIO, state: SessionState, face: SessionFace) -> None:
    entries = list(state.log)
    chunks = [entries[i:i + CHUNK_ENTRIES] for i in range(0, len(entries), CHUNK_ENTRIES)]
    pickle.dump(len(chunks), f, protocol=pickle.HIGHEST_PROTOCOL)
    for chunk in chunks:
        pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
    for part in (state.journal, state.index, state.timeline.current):  # one unpickler each, as the chunks
        _Referencing(f, entries).dump(part)
    # The timeline last, naming its projection and the face's series and stage days.
    _Referencing(f, entries, [state.timeline.current, face.series, face.series.stage_source]).dump(state.timeline)


def read_rest(f: BinaryIO, face: SessionFace) -> SessionState:
    count = _Unpickler(f).load()
    if not isinstance(count, int):
        raise pickle.UnpicklingError("not a checkpoint")
    entries: list[EntryEvent] = []
    for _ in range(count):  # a new unpickler per chunk: each chunk's containers go with it
        chunk = _Unpickler(f).load()
        if not isinstance(chunk, list) or not all(isinstance(e, EntryEvent) for e in chunk):
            raise pickle.UnpicklingError("not a chunk of entries")
        entries.extend(chunk)
    # Only positions in this list resolve (a C lookup: ~250,000 references on 10 years).
    refs = [*entries, *(e.entry_id for e in entries)]
    parts = []
    for _ in range(4):
        part = _Unpickler(f)
        part.persistent_load = refs.__getitem__  # type: ignore[method-assign]
        parts.append(part.load())
        if len(parts) == 3:  # the projection, then the face's series and stage days, which the timeline names
            refs.extend((parts[2], face.series, face.series.stage_source))
    journal, index, _projection, timeline = parts
    state = SessionState(journal, entries, timeline, index)
    if (not state.consistent() or len(entries) != face.count or journal.identity != face.identity
            or index.cut):
        raise pickle.UnpicklingError("the rest does not belong to this face")
    timeline.adopt(face.series)
    return state


class Hashing:
    """A file read from its current position with every byte read hashed (pickle's C reader
    asks for whole frames, so this adds little)."""

    def __init__(self, f: BinaryIO) -> None:
        self._f = f
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self._f.read(n)
        self.digest.update(data)
        return data

    def readline(self) -> bytes:
        data = self._f.readline()
        self.digest.update(data)
        return data


def rest_digest_at(fd: int, offset: int, size: int) -> str:
    """SHA-256 of the SIZE bytes at OFFSET of the open file FD, read without moving its
    position (``os.pread``: the face is read from the same file meanwhile)."""
    digest = hashlib.sha256()
    end = offset + size
    while offset < end and (chunk := os.pread(fd, min(CHUNK, end - offset), offset)):
        digest.update(chunk)
        offset += len(chunk)
    return digest.hexdigest()


