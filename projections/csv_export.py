"""CSV export: one row per entry, stable documented columns (docs/csv-columns.md).

RFC 4180 (comma, double-quote quoting, CRLF), UTF-8 with a header row. Text typed by a person
that starts with = + - @ is prefixed with an apostrophe so a spreadsheet never runs it as a
formula; numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from domain.events import EntryCorrected, EntryEvent
from domain.outputs import atomic_output
from projections.history import build_history

COLUMNS: tuple[str, ...] = (
    "entry_id", "type", "observed_at", "recorded_at", "author_role", "author_name", "summary",
    # JournalStarted
    "patient", "affected_side", "onset_date",
    # SymptomsRecorded: "region/side/sensation/intensity" items joined by "; "
    "symptoms", "context",
    # PainRated
    "leg", "back", "share_of_day_percent", "episodes",
    # WalkRecorded
    "total_minutes", "minutes_to_symptoms", "extent_at_stop",
    # tests
    "side", "repetitions", "muscle", "grade", "test", "result", "degrees",
    "knee_extension_deficit_degrees", "fingertip_to_floor_cm", "extent",
    "exercise", "extent_before", "extent_after",
    # red flags, notes, review
    "present", "flags", "text", "therapist", "about",
    # corrections: the replacement's values fill the columns above
    "target", "reason", "note",
    "corrected_by", "retracted_by", "superseded", "conflict",
)

_FIELD_COLUMNS = frozenset(COLUMNS[7:-6])


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _flatten(name: str, value: Any) -> Any:
    if name == "symptoms":
        return "; ".join(f"{s['region']}/{s['side']}/{s['sensation']}/{s['intensity']}" for s in value)
    if name in ("present", "flags"):
        return "; ".join(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def rows(events: Sequence[EntryEvent]) -> Iterable[dict[str, Any]]:
    for row in build_history(events):
        e = row.event
        out: dict[str, Any] = dict.fromkeys(COLUMNS)
        out.update({
            "entry_id": str(e.entry_id),
            "type": e.type_name(),
            "observed_at": e.observed_at.isoformat(),
            "recorded_at": e.recorded_at.isoformat(),
            "author_role": e.author_role,
            "author_name": e.author_name,
            "summary": row.summary,
            "note": e.note,
            "corrected_by": "; ".join(str(x) for x in row.corrected_by),
            "retracted_by": "; ".join(str(x) for x in row.retracted_by),
            "superseded": row.superseded,
            "conflict": row.conflict,
        })
        fields = e.fields()
        if isinstance(e, EntryCorrected):
            replacement = dict(fields.pop("replacement"))
            replacement.pop("observed_at", None)
            replacement.pop("note", None)
            fields.update(replacement)
        for name, value in fields.items():
            if name in _FIELD_COLUMNS:
                out[name] = _flatten(name, value)
        yield {k: _cell(_flatten(k, v) if k in ("target", "about") and v is not None else v)
               for k, v in out.items()}


def write_csv(events: Sequence[EntryEvent], handle: io.TextIOBase | Any) -> int:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    count = 0
    for row in rows(events):
        writer.writerow(row)
        count += 1
    return count


def export_csv(events: Sequence[EntryEvent], out: Path) -> int:
    """Write the CSV to OUT whole or not at all (``atomic_output``); returns the number of entry
    rows."""
    with atomic_output(out) as tmp, tmp.open("w", encoding="utf-8", newline="") as handle:
        return write_csv(events, handle)
