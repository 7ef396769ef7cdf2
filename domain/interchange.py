"""JSON lines in and out (``shared/docs/interchange.md``).

Import is all-or-nothing: every line is parsed and checked against the journal (and the
lines before it) before anything is written. Export is deterministic: the same journal always
gives the same bytes, so export → import → export is byte-identical.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TextIO

import msgspec

from domain import validation as v
from domain.collector import collector_paused
from domain.errors import InvalidEntry, JournalError
from domain.events import EntryCorrected, EntryEvent, JournalStarted, event_class
from domain.journal import RecoveryJournal

COMMON_KEYS = frozenset(("type", "entry_id", "observed_at", "recorded_at", "note"))


class ImportError_(JournalError):
    """A line of an import file is wrong: ``FILE:LINE: field: what is wrong``."""

    def __init__(self, source: str, line: int, field: str | None, message: str) -> None:
        where = f"{source}:{line}"
        # A field name from the file may hold line breaks or control characters; quote it so
        # the message stays one line.
        shown = field if field is None or field.isprintable() else repr(field)
        super().__init__(f"{where}: {shown}: {message}" if field else f"{where}: {message}")
        self.line = line
        self.field = field


@dataclass(frozen=True)
class ParsedLine:
    line: int
    event: EntryEvent


def parse_lines(
    lines: Iterable[str],
    journal: RecoveryJournal,
    *,
    source: str,
    progress: Callable[[int], None] | None = None,
    therapist: str | None = None,
) -> list[EntryEvent]:
    """Decide every line against a scratch copy of JOURNAL; raise ImportError_ on the first
    bad one. JOURNAL itself is not changed. THERAPIST: the lines are that therapist's own
    entries (clinic tests, review notes and measure assignments only)."""
    scratch = RecoveryJournal()
    scratch.identity = journal.identity
    scratch.entries = dict(journal.entries)
    base_time = v.now_utc()
    # The latest observed time a line may hold, fixed when the import starts.
    latest = datetime.now() + timedelta(days=1)
    events: list[EntryEvent] = []
    # Parsing makes ~30 objects per line and keeps them all (see ``domain.collector``).
    with collector_paused():
        for number, raw in enumerate(lines, start=1):
            if progress is not None and number % 10_000 == 0:
                progress(number)
            if not raw.strip():
                continue
            try:
                obj = _load_line(raw)
                if not isinstance(obj, dict):
                    raise InvalidEntry("each line must be a JSON object")
                event = _decide(obj, scratch, default_recorded=base_time, offset=len(events),
                                latest=latest, therapist=therapist)
            except InvalidEntry as exc:
                raise ImportError_(source, number, exc.field, _strip_field(str(exc), exc.field)) from None
            # Decided just now: every rule was applied (an entry id used twice in the file is
            # refused by ``decide``: the scratch journal holds the lines before it).
            scratch.apply(event, check=False)
            events.append(event)
    if not events and not journal.started:
        raise ImportError_(source, 1, "type", "the file holds no entries; a new journal must "
                                              "begin with JournalStarted")
    return events


# The deepest a line can nest: line → correction → replacement → symptoms → symptom.
MAX_DEPTH = 5


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise InvalidEntry(f"the key {key!r} appears twice in one object", field=key)
            seen.add(key)
    return obj


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys)
_COMPACT_DECODER, _COMPACT_ENCODER = msgspec.json.Decoder(), msgspec.json.Encoder()


def _compact_line(raw: str) -> Any:
    """RAW's value when RAW is JSON exactly as msgspec writes it (compact, keys in their order:
    what the app exports and most tools write), decoded in C; otherwise None. Writing the value
    again gives RAW back byte for byte, which also proves no object repeats a key (the decoder
    keeps only the last of a repeated key, so the value written again would be shorter), and
    that every number and text read back as written. Any other line (spaces, escapes, a
    repeated key, NaN, …) is read by ``_DECODER``, which checks and names what is wrong."""
    try:
        obj = _COMPACT_DECODER.decode(raw)
    except (msgspec.DecodeError, ValueError, RecursionError):  # named by ``_DECODER``
        return None
    return obj if _COMPACT_ENCODER.encode(obj) == raw.encode() else None


def _load_line(raw: str) -> Any:
    """One line as JSON, refused in a sentence when it is not JSON, repeats a key, nests deeper
    than any entry does or holds a number too long to read."""
    obj = _compact_line(raw)
    if obj is None:
        obj = _read_line(raw)
    # A line of at most MAX_DEPTH containers cannot nest deeper (brackets inside strings only
    # send a line to the full check), so most lines skip the walk.
    if isinstance(obj, dict | list) and raw.count("{") + raw.count("[") > MAX_DEPTH and _too_deep(obj):
        raise InvalidEntry("the line nests deeper than any entry does")
    return obj


def _read_line(raw: str) -> Any:
    try:
        return _DECODER.decode(raw)
    except json.JSONDecodeError as exc:
        raise InvalidEntry(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise InvalidEntry("the line nests deeper than any entry does") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise InvalidEntry(f"a value cannot be read ({str(exc)[:80]})") from None


def _too_deep(container: dict[str, Any] | list[Any], level: int = 1) -> bool:
    """Whether CONTAINER (at nesting LEVEL) holds containers deeper than MAX_DEPTH."""
    for value in container.values() if isinstance(container, dict) else container:
        if isinstance(value, dict | list) and (level >= MAX_DEPTH or _too_deep(value, level + 1)):
            return True
    return False


def _strip_field(message: str, field: str | None) -> str:
    # Messages from the target/about checks already start with "field:"; avoid saying it twice.
    if field and message.startswith(f"{field}: "):
        return message[len(field) + 2:]
    return message


def _decide(obj: dict[str, Any], journal: RecoveryJournal, *, default_recorded: datetime,
            offset: int, latest: datetime, therapist: str | None = None) -> EntryEvent:
    type_name = obj.get("type")
    if not isinstance(type_name, str):
        raise InvalidEntry("every line needs a \"type\" (for example \"PainRated\")", field="type")
    event_class(type_name)
    fields = {k: val for k, val in obj.items() if k not in COMMON_KEYS}
    if "observed_at" not in obj:
        raise InvalidEntry("is required (a date or date-time)", field="observed_at")
    raw_id = obj.get("entry_id")
    entry_id = None
    if raw_id is not None:
        try:
            entry_id = uuid.UUID(str(raw_id))
        except ValueError:
            raise InvalidEntry(f"must be a UUID, got {raw_id!r}", field="entry_id") from None
    if "recorded_at" in obj:
        recorded = v.recorded_time(obj["recorded_at"])
    else:
        # Distinct, increasing times keep the order of the file for later conflict resolution.
        recorded = default_recorded.replace(microsecond=0) + _micro(offset)
    event = journal.decide(type_name, fields, observed_at=obj["observed_at"], entry_id=entry_id,
                           recorded_at=recorded, note=obj.get("note"), assessed_by=therapist,
                           latest=latest)
    _check_onset(event, journal)
    return event


def _check_onset(event: EntryEvent, journal: RecoveryJournal) -> None:
    """An imported entry cannot be observed before the onset."""
    onset = (event.onset_date if isinstance(event, JournalStarted)
             else journal.identity.onset_date if journal.identity is not None else None)
    if onset is not None and event.observed_at.date() < onset:
        raise InvalidEntry(f"is before the onset of the sciatica ({onset.isoformat()})", field="observed_at")


def _micro(n: int) -> Any:
    from datetime import timedelta

    return timedelta(microseconds=n)


# Export ----------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(x) for k, x in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(x) for x in value]
    return value


def event_to_dict(event: EntryEvent, journal: RecoveryJournal | None = None) -> dict[str, Any]:
    """The interchange object of EVENT, keys in a fixed order."""
    out: dict[str, Any] = {
        "type": event.type_name(),
        "entry_id": str(event.entry_id),
        "observed_at": event.observed_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
    }
    for name, value in event.fields().items():
        if isinstance(event, EntryCorrected) and name == "replacement":
            replacement = dict(value)
            target_type = None
            if journal is not None and event.target in journal.entries:
                target_type = journal.entries[event.target].type_name()
            ordered: dict[str, Any] = {}
            if target_type:
                ordered["type"] = target_type
            ordered.update({k: _plain(x) for k, x in replacement.items()})
            out[name] = ordered
        else:
            out[name] = _plain(value)
    if event.note is not None:
        out["note"] = event.note
    return out


def export_lines(events: Iterable[EntryEvent], journal: RecoveryJournal | None = None) -> Iterator[str]:
    for event in events:
        yield json.dumps(event_to_dict(event, journal), ensure_ascii=False, separators=(", ", ": "))


def write_jsonl(events: Iterable[EntryEvent], out: TextIO, journal: RecoveryJournal | None = None) -> int:
    count = 0
    for line in export_lines(events, journal):
        out.write(line + "\n")
        count += 1
    return count
