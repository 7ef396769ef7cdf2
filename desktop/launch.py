"""Start the desktop app (placeholder until the desktop window lands: prints the CLI help)."""

from __future__ import annotations

from collections.abc import Sequence


def launch(argv: Sequence[str]) -> int:
    from desktop.cli import build_parser

    build_parser().print_help()
    return 0
