"""Reading JSON lines: every line is checked before anything is kept, and a problem names
the file, the line and the field."""

from __future__ import annotations

import io
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.interchange import ImportError_, event_to_dict, parse_lines, write_jsonl
from domain.journal import RecoveryJournal

START = {"type": "JournalStarted", "observed_at": "2026-01-12", "patient": "A. Patient",
         "affected_side": "right", "onset_date": "2026-01-10"}
PAIN_ID = "6f1c3c6e-1f38-4d7e-9a43-2f4b0b1c0a11"
PAIN = {"type": "PainRated", "entry_id": PAIN_ID, "observed_at": "2026-01-13T08:00", "leg": 4}


def lines(*objects: Any) -> list[str]:
    return [x if isinstance(x, str) else json.dumps(x) for x in objects]


def import_error(*objects: Any, journal: RecoveryJournal | None = None) -> ImportError_:
    with pytest.raises(ImportError_) as info:
        parse_lines(lines(*objects), journal or RecoveryJournal(), source="events.jsonl")
    return info.value


def started() -> RecoveryJournal:
    journal = RecoveryJournal()
    for event in parse_lines(lines(START, PAIN), journal, source="start.jsonl"):
        journal.apply(event)
    return journal


def test_a_new_journal_is_read_from_its_lines() -> None:
    events = parse_lines(lines(START, "", "   ", PAIN), RecoveryJournal(), source="events.jsonl")
    assert [e.type_name() for e in events] == ["JournalStarted", "PainRated"]
    assert events[1].entry_id == uuid.UUID(PAIN_ID)
    assert events[1].author_name == "A. Patient"


def test_lines_without_recorded_at_keep_the_order_of_the_file() -> None:
    events = parse_lines(lines(START, PAIN, {**PAIN, "entry_id": None}), RecoveryJournal(), source="e.jsonl")
    times = [e.recorded_at for e in events]
    assert times == sorted(times) and len(set(times)) == 3


def test_recorded_at_is_kept_as_an_instant_in_utc() -> None:
    events = parse_lines(lines({**START, "recorded_at": "2026-01-12T09:30:00+02:00"}), RecoveryJournal(),
                         source="e.jsonl")
    assert events[0].recorded_at == datetime(2026, 1, 12, 7, 30, tzinfo=UTC)
    assert event_to_dict(events[0])["recorded_at"] == "2026-01-12T07:30:00+00:00"


def test_an_export_writes_fixed_keys_in_a_fixed_order() -> None:
    journal = started()
    out = io.StringIO()
    write_jsonl(journal.entries.values(), out, journal)
    second = json.loads(out.getvalue().split("\n")[1])
    assert list(second) == ["type", "entry_id", "observed_at", "recorded_at", "leg", "back",
                            "share_of_day_percent", "episodes"]
    assert second["leg"] == 4 and second["back"] is None


def test_the_first_line_of_a_new_journal_must_be_journal_started() -> None:
    error = import_error(PAIN, START)
    assert str(error) == "events.jsonl:1: type: a new journal must begin with JournalStarted"
    assert (error.line, error.field) == (1, "type")


def test_an_empty_file_cannot_start_a_journal() -> None:
    assert str(import_error("", " ")) == ("events.jsonl:1: type: the file holds no entries; a new journal must "
                                          "begin with JournalStarted")
    assert parse_lines(["", ""], started(), source="e.jsonl") == []


def test_a_line_number_counts_blank_lines_too() -> None:
    error = import_error(START, "", PAIN, "", {**PAIN, "entry_id": None, "leg": 12})
    assert str(error) == "events.jsonl:5: leg: leg pain must be 0–10, got 12"


@pytest.mark.parametrize(("line", "message"), [
    ('{"type": "PainRated", ', "events.jsonl:2: not valid JSON (Expecting property name enclosed in double "
                               "quotes at column 23)"),
    ("[1, 2]", "events.jsonl:2: each line must be a JSON object"),
    ('"PainRated"', "events.jsonl:2: each line must be a JSON object"),
    ({"observed_at": "2026-01-13", "leg": 3}, 'events.jsonl:2: type: every line needs a "type" (for example '
                                              '"PainRated")'),
    ({"type": "Headache", "observed_at": "2026-01-13"}, "events.jsonl:2: type: unknown entry type 'Headache'"),
    ({"type": "PainRated", "leg": 3}, "events.jsonl:2: observed_at: is required (a date or date-time)"),
    ({"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "mood": "ok"},
     "events.jsonl:2: mood: unknown field 'mood' for PainRated (expected back, episodes, leg, "
     "share_of_day_percent)"),
    ({"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "entry_id": "pain-1"},
     "events.jsonl:2: entry_id: must be a UUID, got 'pain-1'"),
    ({"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "recorded_at": "later"},
     "events.jsonl:2: recorded_at: recorded at must be a date-time like 2026-03-01T08:30:00+00:00, got 'later'"),
    ({"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "recorded_at": "1800-01-01T00:00:00+00:00"},
     "events.jsonl:2: recorded_at: recorded at must be between 1900 and 2200, got '1800-01-01T00:00:00+00:00'"),
    ({"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "recorded_at": "0001-01-01T00:00:00"},
     "events.jsonl:2: recorded_at: recorded at must be between 1900 and 2200, got '0001-01-01T00:00:00'"),
    ({"type": "JournalStarted", "observed_at": "2026-01-13", "patient": "B", "affected_side": "left",
      "onset_date": "2026-01-01"},
     "events.jsonl:2: type: the journal has already been started; JournalStarted can only be the first entry"),
])
def test_a_bad_line_is_named_with_its_field(line: Any, message: str) -> None:
    assert str(import_error(START, line)) == message


def test_a_reference_to_an_unknown_entry_is_refused() -> None:
    unknown = "00000000-0000-4000-8000-000000000001"
    correction = {"type": "EntryCorrected", "observed_at": "2026-01-14", "target": unknown,
                  "replacement": {"leg": 3}, "reason": "typo"}
    assert str(import_error(START, PAIN, correction)) == \
        f"events.jsonl:3: target: no entry with id {unknown} in this journal"
    review = {"type": "ReviewNoteAdded", "observed_at": "2026-01-14", "therapist": "T", "text": "ok",
              "about": unknown}
    assert str(import_error(START, review)) == f"events.jsonl:2: about: no entry with id {unknown} in this journal"


def test_a_line_may_refer_to_an_earlier_line_of_the_same_file() -> None:
    correction = {"type": "EntryCorrected", "observed_at": "2026-01-14", "target": PAIN_ID,
                  "replacement": {"type": "PainRated", "leg": 3}, "reason": "typo"}
    events = parse_lines(lines(START, PAIN, correction), RecoveryJournal(), source="e.jsonl")
    assert events[2].target == uuid.UUID(PAIN_ID)  # type: ignore[attr-defined]
    # ... but not to a later one.
    assert "target: no entry with id" in str(import_error(START, correction, PAIN))


def test_a_correction_of_another_type_is_refused_on_import() -> None:
    correction = {"type": "EntryCorrected", "observed_at": "2026-01-14", "target": PAIN_ID,
                  "replacement": {"type": "WalkRecorded", "total_minutes": 5}, "reason": "typo"}
    assert str(import_error(START, PAIN, correction)) == (
        "events.jsonl:3: replacement: a PainRated entry cannot be corrected with a WalkRecorded; "
        "retract it and record a new entry instead")


def test_an_entry_id_already_in_the_journal_or_the_file_is_refused() -> None:
    error = import_error(PAIN, journal=started())
    assert str(error) == f"events.jsonl:1: entry_id: entry id {PAIN_ID} is already in the journal"
    error = import_error(START, PAIN, {**PAIN, "leg": 5})
    assert error.line == 3 and error.field == "entry_id" and PAIN_ID in str(error)


def test_lines_are_checked_against_an_existing_journal() -> None:
    journal = started()
    more = {"type": "EntryRetracted", "observed_at": "2026-01-14", "target": PAIN_ID, "reason": "double"}
    events = parse_lines(lines(more), journal, source="more.jsonl")
    assert [e.type_name() for e in events] == ["EntryRetracted"]
    assert str(import_error(START, journal=journal)).startswith("events.jsonl:1: type: the journal has already")
