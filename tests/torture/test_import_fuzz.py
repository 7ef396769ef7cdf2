"""Issue 10: fuzzed JSON-lines imports. Whatever mix of good and bad lines a file holds, the
import is all or nothing: every line is added (exit 0), or the journal's bytes are unchanged
and the first bad line is named (exit 2). Never a traceback, never a half import."""

from __future__ import annotations

import io
import json
import re
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from domain.application import JournalApp
from tests.cli.helpers import sha, siblings
from tests.domain.strategies import journal_lines

UNKNOWN = "00000000-0000-4000-8000-00000000dead"

# Lines that are wrong whatever comes before them.
KNOWN_BAD: list[str] = [
    '{"type": "PainRated", "observed_at": "2026-01-13", "leg": 3',
    "[1, 2, 3]",
    "null",
    '{"type": "Headache", "observed_at": "2026-01-13"}',
    '{"type": "PainRated", "observed_at": "2026-01-13", "leg": 12}',
    '{"type": "PainRated", "observed_at": "2026-01-13"}',
    '{"type": "PainRated", "leg": 3}',
    '{"type": "PainRated", "observed_at": "2026-01-13", "leg": 3, "mood": "grim"}',
    '{"type": "NoteAdded", "observed_at": "2026-01-13", "text": "x", "note": "\\ud800"}',
    '{"type": "NoteAdded", "observed_at": "0001-01-01T00:00+14:00", "text": "x"}',
    '{"type": "WalkRecorded", "observed_at": "2026-01-13", "total_minutes": 5, "minutes_to_symptoms": 9, '
    '"extent_at_stop": null}',
    '{"type": "RedFlagsChecked", "observed_at": "2026-01-13", "present": ["progressive_weakness"]}',
    f'{{"type": "EntryCorrected", "observed_at": "2026-01-13", "target": "{UNKNOWN}", '
    '"replacement": {"leg": 2}, "reason": "typo"}',
    f'{{"type": "EntryRetracted", "observed_at": "2026-01-13", "target": "{UNKNOWN}", "reason": "typo"}}',
    '{"type": "JournalStarted", "observed_at": "2026-01-13", "patient": "B", "affected_side": "left", '
    '"onset_date": "2026-01-01"}',
]

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6)


@st.composite
def mutated(draw: st.DrawFn, line: dict[str, Any]) -> str:
    """LINE with one value replaced or one key dropped or added: it may stay valid, or not."""
    line = dict(line)
    key = draw(st.sampled_from(sorted(line)))
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "replace":
        line[key] = draw(JSON_VALUES)
    elif action == "drop":
        del line[key]
    else:
        line[draw(st.text(min_size=1, max_size=10))] = draw(JSON_VALUES)
    return json.dumps(line, ensure_ascii=draw(st.booleans()))


@st.composite
def import_case(draw: st.DrawFn) -> tuple[list[str], list[str], bool]:
    """(lines that start the journal, lines of the fuzzed import, whether a bad line was planted)."""
    lines = draw(journal_lines(max_entries=10))
    cut = draw(st.integers(1, len(lines)))
    head = [json.dumps(line) for line in lines[:cut]]
    tail: list[str] = []
    for line in lines[cut:]:
        tail.append(draw(mutated(line)) if draw(st.integers(0, 9)) == 0 else json.dumps(line, ensure_ascii=False))
    planted = draw(st.booleans())
    for _ in range(draw(st.integers(1, 3)) if planted else 0):
        bad = draw(st.one_of(st.sampled_from(KNOWN_BAD),
                             st.text(min_size=1, max_size=30).filter(lambda s: s.strip() and "\n" not in s)))
        tail.insert(draw(st.integers(0, len(tail))), bad)
    if draw(st.integers(0, 4)) == 0:
        tail.insert(draw(st.integers(0, len(tail))), "")  # blank lines are skipped
    return head, tail, planted


def cli(*args: str | Path) -> tuple[int, str]:
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, err.getvalue()


def check_all_or_nothing(folder: Path, head: list[str], tail: list[str], planted: bool, *, existing: bool) -> None:
    journal = folder / "journal.sciatica"
    events = folder / "events.jsonl"
    if existing:
        (folder / "head.jsonl").write_text("\n".join(head) + "\n", encoding="utf-8")
        assert cli("import", journal, folder / "head.jsonl")[0] == 0
        body = tail
    else:
        body = head + tail
    events.write_text("\n".join(body) + "\n", encoding="utf-8")
    before = sha(journal) if existing else None
    with JournalApp.open(journal, readonly=True) if existing else _nothing() as app:
        count_before = len(app.entries()) if app else 0

    code, err = cli("import", journal, events)

    assert code in (0, 2), err
    assert "Traceback" not in err
    if code == 0:
        assert not planted, f"a planted bad line was accepted: {body}"
        with JournalApp.open(journal, readonly=True) as app:
            entries = app.entries()
        assert len(entries) == count_before + sum(1 for line in body if line.strip())
        assert cli("verify", journal)[0] == 0
    else:
        assert re.match(rf"^{re.escape(str(events))}:\d+: ", err), err
        assert len(err.strip().splitlines()) == 1, err
        line = int(err.split(":")[1])
        assert 1 <= line <= len(body) and body[line - 1].strip(), f"line {line} is not a bad line: {err}"
        if existing:
            assert sha(journal) == before, "the journal changed although the import was refused"
        else:
            assert siblings(journal) == []


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


@pytest.fixture(scope="module")
def examples(request: pytest.FixtureRequest) -> int:
    return 600 if request.config.getoption("--long") else 60


@pytest.mark.parametrize("existing", [True, False], ids=["into-an-existing-journal", "creating-a-journal"])
def test_imports_are_all_or_nothing(examples: int, existing: bool) -> None:
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(import_case())
    def run(case: tuple[list[str], list[str], bool]) -> None:
        with tempfile.TemporaryDirectory(prefix="sciatica-fuzz-") as folder:
            check_all_or_nothing(Path(folder), *case, existing=existing)

    run()
