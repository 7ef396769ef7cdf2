"""``verify_journal`` of one file in a fresh process, as ``sciatica verify`` runs it: a test
process may have threads (Qt's, once a window test ran), in which ``sciatica verify`` never
forks, so the tests of the parts checked in forked children run it here.

``python -m tests.sharing.verify_probe FILE`` prints one JSON object: the problem, the count,
and how many parts ``quick_check`` checked the log in. ``SCIATICA_VERIFY_WORKERS`` and
``SCIATICA_VERIFY_SPAN_MIN`` choose the parts; ``SCIATICA_PASSPHRASE`` an encrypted file's
passphrase. ``VERIFY_PROBE_CHILD_FAILS=1`` makes every forked child's check fail (raise)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import domain.copies as copies
import domain.verify_spans as vs
from domain.forked import fork_is_safe
from domain.verify_spans import QuickCheck, SpanCheck, quick_check

parts: list[int] = []


def _counted(*args: Any, **kwargs: Any) -> QuickCheck:
    result = quick_check(*args, **kwargs)
    parts.append(result.parts)
    return result


def _failing_in_children(parent: int) -> None:
    check_span = vs.check_span

    def check(*args: Any, **kwargs: Any) -> SpanCheck:
        if os.getpid() != parent:
            raise RuntimeError("a child's check fails")
        return check_span(*args, **kwargs)

    vs.check_span = check  # type: ignore[assignment]


def main(path: str) -> None:
    assert fork_is_safe(), "a fresh process on Linux has one thread"
    if os.environ.get("VERIFY_PROBE_CHILD_FAILS") == "1":
        _failing_in_children(os.getpid())
    copies.quick_check = _counted  # type: ignore[assignment]
    result = copies.verify_journal(Path(path))
    print(json.dumps({"problem": result.problem, "entries": result.entries, "parts": parts}))


if __name__ == "__main__":
    main(sys.argv[1])
