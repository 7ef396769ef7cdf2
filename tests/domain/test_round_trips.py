"""Property tests: whatever valid journal a person records, the file gives it back unchanged,
and an export re-imports to the very same bytes."""

from __future__ import annotations

import io
import json
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from domain.application import JournalApp
from domain.interchange import event_to_dict, parse_lines, write_jsonl
from domain.journal import RecoveryJournal
from tests.domain.strategies import journal_lines

FILE_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def scratch_folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sciatica-") as folder:
        yield Path(folder)


def record_through_the_service(path: Path, lines: list[dict[str, Any]]) -> JournalApp:
    """Record LINES with the service's commands, as the desktop forms would."""
    first = lines[0]
    app = JournalApp.create(path, patient=first["patient"], affected_side=first["affected_side"],
                            onset_date=first["onset_date"], observed_at=first["observed_at"])
    ids: dict[str, uuid.UUID] = {first["entry_id"]: app.journal_id}
    common = {"type", "entry_id", "observed_at", "recorded_at", "note"}
    for line in lines[1:]:
        fields = {k: v for k, v in line.items() if k not in common}
        kind = line["type"]
        if kind == "EntryCorrected":
            new = app.correct(ids[fields["target"]], fields["replacement"], fields["reason"],
                              observed_at=line["observed_at"])
        elif kind == "EntryRetracted":
            new = app.retract(ids[fields["target"]], fields["reason"], observed_at=line["observed_at"])
        elif kind == "ReviewNoteAdded":
            about = ids[fields["about"]] if fields["about"] else None
            new = app.annotate(fields["therapist"], fields["text"], about, observed_at=line["observed_at"])
        else:
            new = app.record(kind, fields, observed_at=line["observed_at"], note=line.get("note"))
        ids[line["entry_id"]] = new
    return app


def export_text(app: JournalApp) -> str:
    out = io.StringIO()
    write_jsonl(app.entries(), out, app.journal)
    return out.getvalue()


def import_text(path: Path, text: str, source: str) -> JournalApp:
    events = parse_lines(text.split("\n"), RecoveryJournal(), source=source)
    return JournalApp.create_from(path, events)


@FILE_SETTINGS
@given(journal_lines(with_recorded_at=False))
def test_every_recorded_entry_reads_back_identically_after_reopening(lines: list[dict[str, Any]]) -> None:
    with scratch_folder() as folder:
        path = folder / "journal.sciatica"
        with record_through_the_service(path, lines) as app:
            written = app.entries()
            exported = export_text(app)
        assert len(written) == len(lines)

        with JournalApp.open(path) as again:
            read = again.entries()
            assert read == written
            assert [event_to_dict(e) for e in read] == [event_to_dict(e) for e in written]
            assert again.journal.identity == app.journal.identity
            assert export_text(again) == exported


@FILE_SETTINGS
@given(journal_lines())
def test_export_import_export_is_byte_identical(lines: list[dict[str, Any]]) -> None:
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    with scratch_folder() as folder:
        with import_text(folder / "a.sciatica", text, "in.jsonl") as first:
            exported = export_text(first)
        # The export holds every line, in order, under its own entry id.
        assert [json.loads(x)["entry_id"] for x in exported.split("\n") if x] == \
            [str(uuid.UUID(line["entry_id"])) for line in lines]

        with import_text(folder / "b.sciatica", exported, "export.jsonl") as second:
            assert export_text(second) == exported
            assert second.entries() == first.entries()


@given(journal_lines(max_entries=6), st.integers(0, 7))
def test_parsing_never_changes_the_journal_it_checks_against(lines: list[dict[str, Any]], cut: int) -> None:
    journal = RecoveryJournal()
    head = parse_lines([json.dumps(line) for line in lines[:cut + 1]], journal, source="head.jsonl")
    for event in head:
        journal.apply(event)
    before = dict(journal.entries)
    parse_lines([json.dumps(line) for line in lines[cut + 1:]], journal, source="tail.jsonl")
    assert journal.entries == before


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(journal_lines(max_entries=8))
def test_the_command_line_round_trip_is_byte_identical(lines: list[dict[str, Any]]) -> None:
    with scratch_folder() as folder:
        source = folder / "in.jsonl"
        source.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines),
                          encoding="utf-8")
        quiet = io.StringIO()
        with redirect_stdout(quiet), redirect_stderr(quiet):
            assert main(["import", str(folder / "a.sciatica"), str(source)]) == 0, quiet.getvalue()
            assert main(["export", str(folder / "a.sciatica"), "--jsonl", str(folder / "one.jsonl")]) == 0
            assert main(["import", str(folder / "b.sciatica"), str(folder / "one.jsonl")]) == 0, quiet.getvalue()
            assert main(["export", str(folder / "b.sciatica"), "--jsonl", str(folder / "two.jsonl")]) == 0
        one = (folder / "one.jsonl").read_bytes()
        assert one == (folder / "two.jsonl").read_bytes()
        assert one.count(b"\n") == len(lines)
