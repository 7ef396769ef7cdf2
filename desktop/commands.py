"""The headless commands behind ``sciatica``. No Qt is imported on these paths, except by
the PDF export, which renders with Qt offscreen."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import uuid
from contextlib import closing
from datetime import date, datetime
from pathlib import Path

from domain import validation as v
from domain.application import JournalApp
from domain.errors import InvalidEntry, JournalError, NotAJournal
from domain.interchange import parse_lines, write_jsonl
from domain.journal import RecoveryJournal
from domain.storage import inspect_file, iter_chain_problems, read_only_uri


def _date_arg(value: str, flag: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidEntry(f"{flag} must be a date like 2026-03-01, got {value!r}") from None


def _datetime_arg(value: str, flag: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEntry(f"{flag} must be a date-time like 2026-03-01T08:30, got {value!r}") from None


def cmd_new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if args.encrypt:
        from domain.encryption import passphrase_for_new  # type: ignore[import-not-found,attr-defined,unused-ignore]

        passphrase_for_new()
    try:
        onset = v.calendar_date(args.onset, "onset_date", "--onset")
    except InvalidEntry as exc:
        raise InvalidEntry(str(exc)) from None
    with JournalApp.create(path, patient=args.patient, affected_side=args.side, onset_date=onset):
        pass
    print(f"Created {path}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    path, source = Path(args.file), Path(args.events)
    try:
        handle = source.open(encoding="utf-8")
    except OSError as exc:
        raise InvalidEntry(f"{source}: cannot be read ({exc.strerror})") from None
    progress = _progress_printer(source) if sys.stderr.isatty() else None
    with handle:
        try:
            lines = handle.read().splitlines()
        except UnicodeDecodeError:
            raise InvalidEntry(f"{source}: not UTF-8 text") from None
    if path.exists():
        with JournalApp.open(path) as app:
            events = parse_lines(lines, app.journal, source=str(source), progress=progress)
            count = app.append(events)
    else:
        events = parse_lines(lines, RecoveryJournal(), source=str(source), progress=progress)
        with JournalApp.create_from(path, events):
            count = len(events)
    if progress is not None:
        print(file=sys.stderr)
    print(f"Imported {count} entries into {path}")
    return 0


def _progress_printer(source: Path):  # type: ignore[no-untyped-def]
    def show(lines_done: int) -> None:
        print(f"\r{source.name}: {lines_done:,} lines checked…", end="", file=sys.stderr, flush=True)

    return show


def cmd_export(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if args.copy:
        return _export_copy(path, Path(args.copy))
    if args.pdf:
        from desktop.reports.pdf_command import export_pdf  # type: ignore[import-not-found,attr-defined,unused-ignore]

        return int(export_pdf(path, Path(args.pdf), args.date_from, args.date_to))
    if args.csv:
        from projections.csv_export import export_csv  # type: ignore[import-not-found,attr-defined,unused-ignore]

        with JournalApp.open(path, readonly=True) as app:
            count = export_csv(app.entries(), Path(args.csv))
        print(f"Wrote {count} entries to {args.csv}")
        return 0
    with JournalApp.open(path, readonly=True) as app:
        out = Path(args.jsonl)
        if str(out) == "-":
            write_jsonl(app.entries(), sys.stdout, app.journal)
            return 0
        tmp = out.with_name(out.name + ".part")
        try:
            with tmp.open("w", encoding="utf-8", newline="\n") as f:
                count = write_jsonl(app.entries(), f, app.journal)
            tmp.replace(out)
        except OSError as exc:
            raise InvalidEntry(f"{out}: cannot be written ({exc.strerror})") from None
        finally:
            tmp.unlink(missing_ok=True)
    print(f"Wrote {count} entries to {out}", file=sys.stderr)
    return 0


def _export_copy(path: Path, out: Path) -> int:
    from domain.copies import export_copy

    export_copy(path, out)
    print(f"Wrote a copy of {path} to {out}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from projections.status import status_to_json, status_to_text  # type: ignore[import-not-found,attr-defined,unused-ignore]
    from projections.timeline import Timeline  # type: ignore[import-not-found,attr-defined,unused-ignore]

    path = Path(args.file)
    with JournalApp.open(path, readonly=True) as app:
        timeline = Timeline(app.entries())
        if args.as_recorded_at:
            moment = v.recorded_time(_datetime_arg(args.as_recorded_at, "--as-recorded-at"))
            snapshot = timeline.status_recorded_at(moment)
        else:
            as_of = _date_arg(args.as_of, "--as-of") if args.as_of else date.today()
            snapshot = timeline.status_at(as_of)
    if args.json:
        print(json.dumps(status_to_json(snapshot), indent=2, ensure_ascii=False))
    else:
        print(status_to_text(snapshot))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from projections.history import build_history, format_history

    with JournalApp.open(Path(args.file), readonly=True) as app:
        rows = build_history(app.entries())
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False))
    else:
        print(format_history(rows))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    path = Path(args.file)
    problem, count = verify_file(path)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print(f"{count} entries verified")
    return 0


def verify_file(path: Path) -> tuple[str | None, int]:
    """(first problem in one sentence or None, number of entries checked)."""
    inspect_file(path)
    try:
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            for problem in iter_chain_problems(conn):
                what = problem.topic.rsplit(":", 1)[-1] if problem.topic else "entry"
                observed = _observed_date(path, problem.state)
                when = f", observed {observed}" if observed else ""
                return (f"{path}: entry {problem.position} ({what}{when}) {problem.what}", 0)
            count = conn.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotAJournal(f"{path}: the journal is damaged and cannot be read ({exc})") from None
    try:
        with JournalApp.open(path, readonly=True) as app:
            count = len(app.entries())
    except JournalError as exc:
        return (str(exc), 0)
    return (None, count)


def _observed_date(path: Path, state: bytes | None) -> str | None:
    if not state:
        return None
    try:
        obj = json.loads(state)
        raw = obj.get("observed_at")
        if isinstance(raw, dict):
            raw = raw.get("_data_")
        return str(raw)[:10] if raw else None
    except (ValueError, AttributeError):
        return None


def cmd_merge(args: argparse.Namespace) -> int:
    from domain.copies import merge_files  # type: ignore[import-not-found,attr-defined,unused-ignore]

    report = merge_files(Path(args.file), Path(args.other))
    print(report)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    about = None
    if args.about:
        try:
            about = uuid.UUID(args.about)
        except ValueError:
            raise InvalidEntry(f"--about must be an entry id (a UUID), got {args.about!r}") from None
    with JournalApp.open(Path(args.file)) as app:
        entry_id = app.annotate(args.therapist, args.note, about)
    print(f"Added review note {entry_id}")
    return 0
