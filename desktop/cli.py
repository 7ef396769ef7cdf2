"""The ``sciatica`` command line (``shared/docs/interchange.md``).

``sciatica new|import|export|status|history|verify|merge|review`` run headless and never
import Qt; ``sciatica [FILE] [--screenshot OUT]`` starts the desktop app. Errors are one
sentence on stderr; exit 0 success, 1 a failed check, 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from desktop.reports import pdf_command
from domain import __version__
from domain.errors import JournalError

COMMANDS = ("new", "import", "export", "status", "history", "verify", "merge", "review", "summary", "clinic")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sciatica", description="Sciatica Tracker: a recovery journal.")
    parser.add_argument("--version", action="version", version=f"sciatica-tracker {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("new", help="create a journal")
    p.add_argument("file")
    p.add_argument("--patient", required=True)
    p.add_argument("--side", required=True, choices=["left", "right", "both"])
    p.add_argument("--onset", required=True, help="YYYY-MM-DD")
    p.add_argument("--encrypt", action="store_true", help="protect the journal with a passphrase")

    p = sub.add_parser("import", help="append events from a JSON-lines file, all or nothing")
    p.add_argument("file")
    p.add_argument("events")
    p.add_argument("--therapist", metavar="NAME",
                   help="record the entries as this therapist's own (clinic tests, review notes and measure "
                        "assignments only)")

    p = sub.add_parser("export", help="write the journal out")
    p.add_argument("file")
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--jsonl", metavar="OUT")
    group.add_argument("--csv", metavar="OUT")
    group.add_argument("--pdf", metavar="OUT")
    group.add_argument("--copy", metavar="OUT")
    group.add_argument("--fhir", metavar="OUT.json", help="one FHIR R4 Bundle (docs/fhir-mapping.md)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    pdf_command.add_arguments(p)

    p = sub.add_parser("status", help="the indicators at the end of a day")
    p.add_argument("file")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--as-of", metavar="YYYY-MM-DD")
    when.add_argument("--as-recorded-at", metavar="YYYY-MM-DDTHH:MM")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("history", help="the audit trail")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("verify", help="check the journal's integrity")
    p.add_argument("file")

    p = sub.add_parser("merge", help="add every entry of another copy that FILE lacks")
    p.add_argument("file")
    p.add_argument("other")

    p = sub.add_parser("review", help="add a therapist's review note")
    p.add_argument("file")
    p.add_argument("--therapist", required=True)
    p.add_argument("--note", required=True)
    p.add_argument("--about", metavar="ENTRY_ID")

    from desktop.summary_command import add_parser as add_summary  # issue 17: its own module

    add_summary(sub)
    from desktop.clinic_cli import add_parser as add_clinic  # issue 20: docs/clinic.md

    add_clinic(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in (*COMMANDS, "--version", "-h", "--help"):
        from desktop.launch import launch  # the GUI path: Qt is imported only here

        return launch(args_list)
    from desktop import commands

    try:
        args = build_parser().parse_args(args_list)
        if args.command is None:
            build_parser().print_help()
            return 0
        # A command registered by its own module carries its handler (``summary``).
        handler = getattr(args, "handler", None) or getattr(commands, f"cmd_{args.command}")
        return int(handler(args))
    except UsageError as exc:
        print(f"{exc}", file=sys.stderr)
        return 2
    except JournalError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; nothing was changed", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
