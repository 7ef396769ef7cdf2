"""The audit trail: every event in log order, with what corrected or retracted it.

Used by ``sciatica history``, the Timeline view and the CSV export.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from domain.events import EntryCorrected, EntryEvent, EntryRetracted
from projections.entries import change_key
from projections.vocabulary import (
    affected_side_words,
    long_day,
    red_flag_name,
    region_label,
    sensation_label,
    test_name,
)

_region = region_label


def _num(x: float | None) -> str:
    if x is None:
        return "–"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


Fields = dict[str, Any]


def _journal_started(f: Fields) -> str:
    # People's words and dates (issue 16): "left side, onset 10 Jan 2026", never a code or ISO.
    onset = f["onset_date"]
    onset_day = onset if isinstance(onset, date) else date.fromisoformat(str(onset))
    return (f"Journal started for {f['patient']}: {affected_side_words(f['affected_side'])}, "
            f"onset {long_day(onset_day)}")


def _symptoms(f: Fields) -> str:
    items = f["symptoms"]
    if not items:
        text = "Symptom-free"
    else:
        text = ", ".join(
            f"{sensation_label(s['sensation']).lower()} {_region(s['region'])}"
            + (f" ({s['side']})" if s["side"] != "center" else "") + f" {_num(s['intensity'])}/10"
            for s in items)
    return text + (f" — while {f['context']}" if f.get("context") else "")


def _pain(f: Fields) -> str:
    parts = []
    if f.get("leg") is not None:
        parts.append(f"leg {_num(f['leg'])}/10")
    if f.get("back") is not None:
        parts.append(f"back {_num(f['back'])}/10")
    if f.get("share_of_day_percent") is not None:
        parts.append(f"symptoms {_num(f['share_of_day_percent'])}% of the day")
    if f.get("episodes") is not None:
        parts.append(f"{f['episodes']} episodes")
    return "Pain: " + ", ".join(parts)


def _walk(f: Fields) -> str:
    if f["minutes_to_symptoms"] is None:
        return f"Walk {_num(f['total_minutes'])} min, no symptoms"
    return (f"Walk {_num(f['total_minutes'])} min, symptoms after {_num(f['minutes_to_symptoms'])} min"
            f", reaching {_region(f['extent_at_stop'])}")


def _slump(f: Fields) -> str:
    extra = (f", knee extension deficit {_num(f['knee_extension_deficit_degrees'])}°"
             if f.get("knee_extension_deficit_degrees") is not None else "")
    return f"Slump test {f['side']}: {f['result']}{extra}"


def _red_flag_check(f: Fields) -> str:
    present = f["present"]
    return "Red-flag check: none present" if not present else \
        "Red-flag check: " + ", ".join(red_flag_name(c) for c in present)


def _measure_assigned(f: Fields) -> str:
    """Issue 19: 'PEG asked for every 14 days by Dr Lee'."""
    from projections.measure_words import every_days_words, measure_short

    names = f" ({', '.join(f['activities'])})" if f.get("activities") else ""
    return f"{measure_short(f['measure'])} asked for {every_days_words(f['every_days'])} by {f['therapist']}{names}"


def _measure_answered(f: Fields) -> str:
    """Issue 19: 'SBI: 11 (leg pain 4, …)'."""
    from domain.measures import SPECS, Measure
    from projections.measure_words import measure_short
    from projections.measures import score
    from projections.vocabulary import num

    texts = {code: code.replace("_", " ") for code, _ in SPECS[Measure(f["measure"])].items or ()}
    parts = ", ".join(f"{texts.get(a['item'], a['item'])} {_num(a['value'])}" for a in f["answers"])
    return f"{measure_short(f['measure'])}: {num(float(score(f['measure'], f['answers'])))} ({parts})"


# Each entry type's one line, by its stored type name: a new type is one row here (a type
# without one reads as its name).
_LINES: dict[str, Callable[[Fields], str]] = {
    "JournalStarted": _journal_started,
    "SymptomsRecorded": _symptoms,
    "PainRated": _pain,
    "WalkRecorded": _walk,
    "HeelRaisesTested": lambda f: f"Heel raises {f['side']}: {f['repetitions']}",
    "MuscleGraded": lambda f: f"{test_name(f['muscle']).capitalize()} {f['side']}: grade {f['grade']}/5",
    "GaitChecked": lambda f: f"{test_name(f['test']).capitalize()} {f['side']}: {f['result']}",
    "StraightLegRaiseTested": lambda f: f"Straight-leg raise {f['side']}: {_num(f['degrees'])}°",
    "SlumpTested": _slump,
    "ForwardBendTested": lambda f: (f"Forward bend: fingertips {_num(f['fingertip_to_floor_cm'])} cm from floor, "
                                    f"symptoms reaching {_region(f['extent'])}"),
    "ExerciseResponseRecorded": lambda f: (f"{f['exercise']}: {_region(f['extent_before'])} → "
                                           f"{_region(f['extent_after'])}"),
    "RedFlagsChecked": _red_flag_check,
    "RedFlagAcknowledged": lambda f: ("Acknowledged urgent-care advice for "
                                      + ", ".join(red_flag_name(c) for c in f["flags"])),
    "NoteAdded": lambda f: f"Note: {f['text']}",
    "ReviewNoteAdded": lambda f: f"Review note by {f['therapist']}: {f['text']}",
    "EntryRetracted": lambda f: f"Retracted an entry: {f['reason']}",
    "MeasureAssigned": _measure_assigned,
    "MeasureAnswered": _measure_answered,
}


def summarize_fields(type_name: str, f: Fields) -> str:
    """One line a person can read, for an entry type and its fields."""
    line = _LINES.get(type_name)
    return line(f) if line is not None else type_name


def summarize(event: EntryEvent, targets: dict[uuid.UUID, EntryEvent] | None = None) -> str:
    if isinstance(event, EntryCorrected):
        target = (targets or {}).get(event.target)
        if target is not None:
            fields = {k: v for k, v in event.replacement.items() if k not in ("observed_at", "note")}
            return f"Corrected to: {summarize_fields(target.type_name(), fields)} ({event.reason})"
        return f"Corrected an entry ({event.reason})"
    return summarize_fields(event.type_name(), event.fields())


@dataclass
class HistoryRow:
    position: int
    event: EntryEvent
    summary: str
    target: uuid.UUID | None = None
    corrected_by: list[uuid.UUID] = field(default_factory=list)
    retracted_by: list[uuid.UUID] = field(default_factory=list)
    winning_change: uuid.UUID | None = None
    conflict: bool = False

    @property
    def superseded(self) -> bool:
        """True when a correction or retraction replaces this entry."""
        return self.winning_change is not None

    def to_json(self) -> dict[str, Any]:
        e = self.event
        return {
            "position": self.position,
            "entry_id": str(e.entry_id),
            "type": e.type_name(),
            "observed_at": e.observed_at.isoformat(),
            "recorded_at": e.recorded_at.isoformat(),
            "author": {"role": e.author_role, "name": e.author_name},
            "summary": self.summary,
            "target": str(self.target) if self.target else None,
            "corrected_by": [str(x) for x in self.corrected_by],
            "retracted_by": [str(x) for x in self.retracted_by],
            "replaced_by": str(self.winning_change) if self.winning_change else None,
            "conflict": self.conflict,
            "note": e.note,
        }


def build_history(events: Sequence[EntryEvent]) -> list[HistoryRow]:
    by_id = {e.entry_id: e for e in events}
    rows = [HistoryRow(i, e, summarize(e, by_id)) for i, e in enumerate(events, start=1)]
    row_by_id = {r.event.entry_id: r for r in rows}
    changes: dict[uuid.UUID, list[EntryEvent]] = {}
    for row in rows:
        e = row.event
        if isinstance(e, EntryCorrected | EntryRetracted):
            row.target = e.target
            target_row = row_by_id.get(e.target)
            if target_row is not None:
                (target_row.corrected_by if isinstance(e, EntryCorrected)
                 else target_row.retracted_by).append(e.entry_id)
            changes.setdefault(e.target, []).append(e)
    for target, items in changes.items():
        target_row = row_by_id.get(target)
        if target_row is None:
            continue
        # In the order the changes were made, not the order copies were merged in (issue 14).
        items.sort(key=change_key)
        target_row.corrected_by = [e.entry_id for e in items if isinstance(e, EntryCorrected)]
        target_row.retracted_by = [e.entry_id for e in items if isinstance(e, EntryRetracted)]
        winner = max(items, key=change_key)
        target_row.winning_change = winner.entry_id
        if len(items) > 1:
            target_row.conflict = True
            for item in items:
                row_by_id[item.entry_id].conflict = True
    return rows


def format_history(rows: Iterable[HistoryRow]) -> str:
    lines = []
    for r in rows:
        e = r.event
        recorded = e.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
        observed = e.observed_at.strftime("%Y-%m-%d %H:%M")
        who = f"{e.author_role} {e.author_name}"
        line = (f"{r.position:>6}  observed {observed}  recorded {recorded}  "
                f"{e.type_name():<24} {who}: {r.summary}")
        marks = []
        if r.target:
            marks.append(f"changes {r.target}")
        if r.corrected_by:
            marks.append("corrected by " + ", ".join(str(x) for x in r.corrected_by))
        if r.retracted_by:
            marks.append("retracted by " + ", ".join(str(x) for x in r.retracted_by))
        if r.conflict:
            marks.append("CONFLICT between copies (latest recorded change wins)")
        line += f"  [id {e.entry_id}]"
        if marks:
            line += "  — " + "; ".join(marks)
        lines.append(line)
    return "\n".join(lines)


def latest_recorded(events: Iterable[EntryEvent]) -> datetime | None:
    return max((e.recorded_at for e in events), default=None)

