"""`sciatica summary FILE [--since YYYY-MM-DD | --since-last-review] [--as-of YYYY-MM-DD] [--json]`:
what changed since the last visit (``projections.summary``), headless and without Qt."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from domain.errors import InvalidEntry


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``summary`` on the CLI's subcommands (its handler travels with the args; the
    journal and projections are imported only when it runs)."""
    p = sub.add_parser("summary", help="what changed since the last review (or a date)")
    p.add_argument("file")
    start = p.add_mutually_exclusive_group()
    start.add_argument("--since", metavar="YYYY-MM-DD", help="compare with the end of this day")
    start.add_argument("--since-last-review", action="store_true",
                       help="since the last therapist review note (the default)")
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help="up to the end of this day (default: today)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_summary)


def cmd_summary(args: argparse.Namespace) -> int:
    from desktop.commands import date_arg
    from domain.application import JournalApp
    from projections.summary import summary_of
    from projections.summary_json import summary_to_json
    from projections.summary_text import summary_text
    from projections.timeline import Timeline

    # Dates are checked before the file is opened: bad input never touches the journal.
    as_of = date_arg(args.as_of, "--as-of") if args.as_of else date.today()
    since = date_arg(args.since, "--since") if args.since else None
    if since is not None and since > as_of:
        raise InvalidEntry(f"--since ({since.isoformat()}) is after --as-of ({as_of.isoformat()}); "
                           "give a start on or before the end of the summary")
    with JournalApp.open(Path(args.file), readonly=True) as app:
        events = app.entries()
        summary = summary_of(Timeline(events), events, as_of, since, args.since_last_review)
    if args.json:
        print(json.dumps(summary_to_json(summary), indent=2, ensure_ascii=False))
    else:
        print(summary_text(summary))
    return 0
