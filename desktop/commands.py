"""The headless commands behind ``sciatica``. No Qt is imported on these paths, except by
the PDF export, which renders with Qt offscreen."""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path

from domain import validation as v
from domain.application import JournalApp
from domain.encryption import allow_terminal_prompts
from domain.errors import InvalidEntry
from domain.interchange import parse_lines, write_jsonl
from domain.journal import RecoveryJournal
from domain.outputs import atomic_output, check_output

# The CLI may ask for an encrypted journal's passphrase on the terminal (getpass).
allow_terminal_prompts()


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def date_arg(value: str, flag: str) -> date:
    """A command-line date (FLAG names the option in the one-sentence refusal)."""
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
    try:
        onset = v.calendar_date(args.onset, "onset_date", "--onset")
    except InvalidEntry as exc:
        raise InvalidEntry(str(exc)) from None
    if path.exists():
        raise InvalidEntry(f"{path}: a file with that name already exists", field="path")
    passphrase = None
    if args.encrypt:
        from domain.encryption import passphrase_for_new

        passphrase = passphrase_for_new(path)
    made = _make_folders(path.parent)
    try:
        with JournalApp.create(path, patient=args.patient, affected_side=args.side, onset_date=onset,
                               passphrase=passphrase):
            pass
    except BaseException:
        for folder in made:  # only the folders made here, and only while still empty
            with suppress(OSError):
                folder.rmdir()
        raise
    print(f"Created {path}" + (" (encrypted with a passphrase)" if passphrase is not None else ""))
    return 0


def _make_folders(folder: Path) -> list[Path]:
    """Create FOLDER and its missing parents (the default journal's data folder on a new
    machine); the folders made, deepest first."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidEntry(f"{folder}: the folder cannot be created ({exc.strerror or exc})", field="path") from None
    return missing


def cmd_import(args: argparse.Namespace) -> int:
    path, source = Path(args.file), Path(args.events)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InvalidEntry(f"{source}: cannot be read ({exc.strerror})") from None
    progress = _progress_printer(source) if sys.stderr.isatty() else None
    lines = _decode_lines(data, source)
    therapist = getattr(args, "therapist", None)
    if therapist is not None:
        if not therapist.strip():
            raise InvalidEntry("--therapist needs the therapist's name")
        if not path.exists():
            raise InvalidEntry(f"{path}: no such journal; a therapist records into a patient's copy")
        with JournalApp.open_for_review(path, therapist) as app:
            events = parse_lines(lines, app.journal, source=str(source), progress=progress,
                                 therapist=therapist)
            count = app.append(events)
    elif path.exists():
        with JournalApp.open(path) as app:
            events = parse_lines(lines, app.journal, source=str(source), progress=progress)
            count = app.append(events)
    else:
        events = parse_lines(lines, RecoveryJournal(), source=str(source), progress=progress)
        with JournalApp.create_from(path, events):
            count = len(events)
    if progress is not None:
        print(file=sys.stderr)
    print(f"Imported {_entries(count)} into {path}")
    return 0


def _decode_lines(data: bytes, source: Path) -> list[str]:
    """The lines of a JSON-lines file, split on "\\n" only.

    ``str.splitlines`` would also split at U+2028, U+0085 and friends, which ``json.dumps``
    leaves unescaped inside strings (the export writes ``ensure_ascii=False``), so a note
    holding one would not re-import. Decoding line by line names the line that is not UTF-8.
    """
    if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as some Windows editors write
        data = data[3:]
    lines: list[str] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8").removesuffix("\r"))
        except UnicodeDecodeError as exc:
            raise InvalidEntry(f"{source}:{number}: not UTF-8 text "
                               f"(byte {exc.start + 1} of the line cannot be read)") from None
    return lines


def _progress_printer(source: Path):  # type: ignore[no-untyped-def]
    def show(lines_done: int) -> None:
        print(f"\r{source.name}: {lines_done:,} lines checked…", end="", file=sys.stderr, flush=True)

    return show


def cmd_export(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if args.copy:
        return _export_copy(path, Path(args.copy))
    out = Path(args.pdf or args.csv or args.fhir or args.jsonl)
    if str(out) != "-":
        check_output(path, out)
    if args.pdf:
        from desktop.reports.pdf_command import export_pdf  # type: ignore[import-not-found,attr-defined,unused-ignore]

        return int(export_pdf(path, out, args.date_from, args.date_to, period=args.period,
                               appendix=args.appendix))
    with _open_for_reading(path) as app:
        if app.encrypted:
            print(f"Note: {out} is not encrypted; keep it somewhere private", file=sys.stderr)
        if args.csv:
            from projections.csv_export import export_csv  # type: ignore[import-not-found,attr-defined,unused-ignore]

            count = export_csv(app.entries(), out)
            print(f"Wrote {_entries(count)} to {out}", file=sys.stderr)  # stdout may be OUT
            return 0
        if args.fhir:
            return _export_fhir(app, out)
        if str(out) == "-":
            write_jsonl(app.entries(), sys.stdout, app.journal)
            return 0
        with atomic_output(out) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as f:
            count = write_jsonl(app.entries(), f, app.journal)
    print(f"Wrote {_entries(count)} to {out}", file=sys.stderr)
    return 0


def _export_fhir(app: JournalApp, out: Path) -> int:
    from projections.fhir import fhir_bundle  # type: ignore[import-not-found,attr-defined,unused-ignore]

    bundle = fhir_bundle(app.entries())
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if str(out) == "-":
        sys.stdout.write(text)
        return 0
    with atomic_output(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    print(f"Wrote a FHIR bundle of {len(bundle['entry'])} resources to {out}", file=sys.stderr)
    return 0


@contextmanager
def _open_for_reading(path: Path) -> Iterator[JournalApp]:
    """Open PATH read-only; a journal that fails verification is still read, and says so once."""
    with JournalApp.open(path, readonly=True) as app:
        if app.integrity_problem:
            print(f"Warning: {app.integrity_problem} (the journal fails verification; what it holds "
                  "is shown as it is)", file=sys.stderr)
        yield app


def _export_copy(path: Path, out: Path) -> int:
    from domain.copies import export_copy

    export_copy(path, out)
    print(f"Wrote a copy of {path} to {out}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from projections.status import status_to_json, status_to_text  # type: ignore[import-not-found,attr-defined,unused-ignore]
    from projections.timeline import Timeline  # type: ignore[import-not-found,attr-defined,unused-ignore]

    path = Path(args.file)
    with _open_for_reading(path) as app:
        timeline = Timeline(app.entries())
        if args.as_recorded_at:
            moment = v.recorded_time(_datetime_arg(args.as_recorded_at, "--as-recorded-at"))
            snapshot = timeline.status_recorded_at(moment)
        else:
            as_of = date_arg(args.as_of, "--as-of") if args.as_of else date.today()
            snapshot = timeline.status_at(as_of)
    if args.json:
        print(json.dumps(status_to_json(snapshot), indent=2, ensure_ascii=False))
    else:
        print(status_to_text(snapshot))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from projections.history import build_history, format_history

    with _open_for_reading(Path(args.file)) as app:
        rows = build_history(app.entries())
    if args.json:
        print(json.dumps([r.to_json() for r in rows], indent=2, ensure_ascii=False))
    else:
        print(format_history(rows))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from domain.copies import verify_journal

    result = verify_journal(Path(args.file))
    if result.problem:
        print(result.problem, file=sys.stderr)
        return 1
    print(result.sentence())
    return 0


def verify_file(path: Path, passphrase: str | None = None) -> tuple[str | None, int]:
    """(first problem in one sentence or None, number of entries checked)."""
    from domain.copies import verify_journal

    result = verify_journal(Path(path), passphrase=passphrase)
    return (result.problem, result.entries)


def cmd_merge(args: argparse.Namespace) -> int:
    from domain.copies import merge_files

    report = merge_files(Path(args.file), Path(args.other))
    print(report)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    path = Path(args.file)
    about = None
    if args.about:
        try:
            about = uuid.UUID(args.about)
        except ValueError:
            raise InvalidEntry(f"--about must be an entry id (a UUID), got {args.about!r}") from None
    with JournalApp.open_for_review(path, args.therapist) as app:
        if about is not None and about not in app.journal:
            raise InvalidEntry(f"{path}: --about: no entry with id {about} in this journal "
                               "(see `sciatica history` for entry ids)", field="about")
        entry_id = app.review_note(args.note, about=about)
    print(f"Added review note {entry_id} by {args.therapist}")
    return 0
