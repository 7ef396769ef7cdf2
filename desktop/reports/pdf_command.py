"""`sciatica export FILE --pdf OUT [--period P | --from DATE] [--to DATE] [--appendix]`: the
therapist's PDF, headless. ``add_arguments`` puts the report's own options on ``export``."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from domain.application import JournalApp
from domain.errors import InvalidEntry
from domain.outputs import atomic_output, check_output, is_stream

# The report's periods as the command line names them (projections.summary.Preset's values
# with dashes); --from is the custom one.
PERIODS = ("since-last-review", "last-4-weeks", "last-3-months")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--period", choices=PERIODS,
                   help="the report's period ending --to (default: since the last review)")
    p.add_argument("--appendix", action="store_true", help="add every entry of the period (PDF)")


def _day(value: str | None, flag: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidEntry(f"{flag} must be a date like 2026-03-01, got {value!r}") from None


def export_pdf(path: Path, out: Path, date_from: str | None, date_to: str | None, *,
               period: str | None = None, appendix: bool = False) -> int:
    from projections.summary import Preset

    start, end = _day(date_from, "--from"), _day(date_to, "--to")
    if start and end and start > end:
        raise InvalidEntry(f"--from ({start}) is after --to ({end})")
    if start is not None and period is not None:
        raise InvalidEntry("give either --from (a period of your own) or --period, not both")
    check_output(path, out)
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from desktop.reports.report import make_report

    preset = Preset(period.replace("-", "_")) if period else None
    _app = QApplication.instance() or QApplication(sys.argv[:1])
    with JournalApp.open(path, readonly=True) as journal:
        if journal.integrity_problem:
            print(f"Warning: {journal.integrity_problem} (the journal fails verification; what it holds "
                  "is shown as it is)", file=sys.stderr)
        if journal.encrypted:
            print(f"Note: {out} is not encrypted; keep it somewhere private", file=sys.stderr)
        # Written under a temporary name and renamed when whole: a crash leaves no half report.
        with atomic_output(out) as tmp:
            pages = make_report(journal, tmp, start, end, preset=preset, appendix=appendix)
    print(f"Wrote a {pages}-page report to {out}", file=sys.stderr if is_stream(out) else sys.stdout)
    return 0
