"""Every kind of bad import: exit 2, one sentence naming FILE:LINE: field, and nothing changed.

Each bad line comes after a good one, so a partial import would show."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.application import JournalApp
from tests.cli.helpers import PAIN, START, assert_one_clear_sentence, run, sha, siblings, write_lines

UNKNOWN_ID = "00000000-0000-4000-8000-0000000000aa"
GOOD = {**PAIN, "entry_id": None, "observed_at": "2026-01-13T09:00", "leg": 3}

# (name, lines after the good one, expected stderr after "EVENTS:") – the good line is line 1
# for an existing journal; for a new file JournalStarted comes first, so everything shifts by one.
BAD_LINES: list[tuple[str, list[object], str]] = [
    ("bad JSON", ['{"type": "PainRated", "observed_at": "2026-01-13", "leg": 3'],
     "{n}: not valid JSON (Expecting ',' delimiter at column 60)"),
    ("not an object", ['["PainRated", 3]'], "{n}: each line must be a JSON object"),
    ("unknown type", [{"type": "Headache", "observed_at": "2026-01-13"}], "{n}: type: unknown entry type 'Headache'"),
    ("unknown field", [{"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "mood": "grim"}],
     "{n}: mood: unknown field 'mood' for PainRated (expected back, episodes, leg, share_of_day_percent)"),
    ("out of range", [{"type": "PainRated", "observed_at": "2026-01-13", "leg": 12}],
     "{n}: leg: leg pain must be 0–10, got 12"),
    ("unknown correction target", [{"type": "EntryCorrected", "observed_at": "2026-01-13", "target": UNKNOWN_ID,
                                    "replacement": {"leg": 2}, "reason": "typo"}],
     f"{{n}}: target: no entry with id {UNKNOWN_ID} in this journal"),
    ("correction of another type", [{"type": "EntryCorrected", "observed_at": "2026-01-13", "target": PAIN["entry_id"],
                                     "replacement": {"type": "NoteAdded", "text": "x"}, "reason": "typo"}],
     "{n}: replacement: a PainRated entry cannot be corrected with a NoteAdded; retract it and record a new "
     "entry instead"),
    ("missing observed_at", [{"type": "NoteAdded", "text": "hello"}],
     "{n}: observed_at: is required (a date or date-time)"),
    ("duplicate entry id", [PAIN], f"{{n}}: entry_id: entry id {PAIN['entry_id']} is already in the journal"),
    ("bad symptom", [{"type": "SymptomsRecorded", "observed_at": "2026-01-13",
                      "symptoms": [{"region": "calf", "side": "center", "sensation": "pain", "intensity": 3}]}],
     "{n}: symptoms: symptom 1: side 'center' is only for low_back_center, not calf"),
    ("derived red flag", [{"type": "RedFlagsChecked", "observed_at": "2026-01-13",
                           "present": ["progressive_weakness"]}],
     "{n}: present: red flags present: progressive_weakness is derived from strength tests and cannot be entered"),
]
IDS = [name for name, _, _ in BAD_LINES]


@pytest.fixture
def saved_journal(journal: JournalApp, journal_path: Path) -> Path:
    journal.rate_pain("2026-01-13", leg=6, back=2)
    journal.close()
    return journal_path


def import_into_existing(capsys: pytest.CaptureFixture[str], path: Path, events: Path) -> str:
    before = sha(path)
    result = run(capsys, "import", path, events)
    assert result.code == 2, result
    assert result.out == ""
    assert_one_clear_sentence(result.err)
    assert sha(path) == before, "the journal changed although the import was refused"
    return result.err.strip()


@pytest.mark.parametrize(("name", "bad", "message"), BAD_LINES, ids=IDS)
def test_a_bad_line_leaves_an_existing_journal_untouched(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                         name: str, bad: list[object], message: str) -> None:
    journal = tmp_path / "journal.sciatica"
    assert run(capsys, "import", journal, write_lines(tmp_path / "start.jsonl", START, PAIN)).code == 0
    events = write_lines(tmp_path / "events.jsonl", GOOD, *bad)
    assert import_into_existing(capsys, journal, events) == f"{events}:" + message.format(n=2)
    with JournalApp.open(journal) as app:
        assert [e.type_name() for e in app.entries()] == ["JournalStarted", "PainRated"]


@pytest.mark.parametrize(("name", "bad", "message"), [row for row in BAD_LINES if row[0] != "duplicate entry id"],
                         ids=[i for i in IDS if i != "duplicate entry id"])
def test_a_bad_line_leaves_no_new_journal_behind(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                name: str, bad: list[object], message: str) -> None:
    journal = tmp_path / "new.sciatica"
    events = write_lines(tmp_path / "events.jsonl", START, PAIN, *bad)
    result = run(capsys, "import", journal, events)
    assert result.code == 2
    assert_one_clear_sentence(result.err)
    assert result.err.strip() == f"{events}:" + message.format(n=3)
    assert siblings(journal) == []


def test_a_new_journal_must_start_with_journal_started(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = tmp_path / "new.sciatica"
    events = write_lines(tmp_path / "events.jsonl", GOOD, START)
    result = run(capsys, "import", journal, events)
    assert result.code == 2
    assert result.err.strip() == f"{events}:1: type: a new journal must begin with JournalStarted"
    assert siblings(journal) == []


def test_journal_started_cannot_be_imported_into_a_started_journal(capsys: pytest.CaptureFixture[str],
                                                                   saved_journal: Path, tmp_path: Path) -> None:
    events = write_lines(tmp_path / "events.jsonl", GOOD, START)
    assert import_into_existing(capsys, saved_journal, events) == (
        f"{events}:2: type: the journal has already been started; JournalStarted can only be the first entry")


def test_a_file_that_is_not_utf8_names_its_line(capsys: pytest.CaptureFixture[str], saved_journal: Path,
                                               tmp_path: Path) -> None:
    events = tmp_path / "latin1.jsonl"
    good = write_lines(tmp_path / "good.jsonl", GOOD).read_bytes()
    events.write_bytes(good + '{"type": "NoteAdded", "observed_at": "2026-01-13", "text": "Schmerz größer"}\n'
                       .encode("latin-1"))
    message = import_into_existing(capsys, saved_journal, events)
    assert message.startswith(f"{events}:2: not UTF-8 text")


def test_a_file_that_is_not_utf8_leaves_no_new_journal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events = tmp_path / "utf16.jsonl"
    events.write_text('{"type": "JournalStarted"}\n', encoding="utf-16")
    result = run(capsys, "import", tmp_path / "new.sciatica", events)
    assert result.code == 2 and result.err.startswith(f"{events}:1: not UTF-8 text")
    assert siblings(tmp_path / "new.sciatica") == []


def test_a_missing_events_file_is_named(capsys: pytest.CaptureFixture[str], saved_journal: Path,
                                        tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"
    assert import_into_existing(capsys, saved_journal, missing) == \
        f"{missing}: cannot be read (No such file or directory)"
    result = run(capsys, "import", tmp_path / "new.sciatica", missing)
    assert result.code == 2
    assert siblings(tmp_path / "new.sciatica") == []


def test_a_folder_for_a_new_journal_must_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    events = write_lines(tmp_path / "events.jsonl", START)
    result = run(capsys, "import", tmp_path / "no-such-folder" / "new.sciatica", events)
    assert result.code == 2
    assert_one_clear_sentence(result.err)
    assert "does not exist" in result.err


def test_an_events_file_with_windows_line_ends_and_a_bom_is_read(capsys: pytest.CaptureFixture[str],
                                                                tmp_path: Path) -> None:
    events = tmp_path / "notepad.jsonl"
    text = write_lines(tmp_path / "plain.jsonl", START, PAIN).read_text(encoding="utf-8")
    events.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run(capsys, "import", tmp_path / "new.sciatica", events)
    assert (result.code, result.err) == (0, "")


def test_bad_command_line_usage_exits_2_without_a_traceback(capsys: pytest.CaptureFixture[str],
                                                            saved_journal: Path) -> None:
    for args in (["import", str(saved_journal)], ["export", str(saved_journal)],
                 ["export", str(saved_journal), "--jsonl", "a", "--copy", "b"], ["history"]):
        result = run(capsys, *args)
        assert result.code == 2, args
        assert_one_clear_sentence(result.err)


def test_a_refused_import_leaves_a_copy_byte_identical(capsys: pytest.CaptureFixture[str], saved_journal: Path,
                                                       tmp_path: Path) -> None:
    copy = tmp_path / "copy.sciatica"
    assert run(capsys, "export", saved_journal, "--copy", copy).code == 0
    events = write_lines(tmp_path / "events.jsonl", {**GOOD, "leg": 12})
    import_into_existing(capsys, copy, events)
