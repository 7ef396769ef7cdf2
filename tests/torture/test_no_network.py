"""Issue 10: the journal is private. A whole headless session runs with every way of opening
a network connection replaced by a trap; none is ever sprung."""

from __future__ import annotations

import importlib.util
import io
import json
import socket
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from tests.cli.helpers import write_lines


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    attempts: list[str] = []

    def trap(name: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"{name}{args!r}")
            raise NetworkUsed(f"the app tried to use the network: {name}{args!r}")
        return refuse

    # AF_UNIX sockets would be local, but nothing here needs any socket at all.
    monkeypatch.setattr(socket, "socket", trap("socket.socket"))
    monkeypatch.setattr(socket, "create_connection", trap("socket.create_connection"))
    monkeypatch.setattr(socket, "socketpair", trap("socket.socketpair"))
    monkeypatch.setattr(socket, "getaddrinfo", trap("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", trap("socket.gethostbyname"))
    return attempts


def sciatica(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def test_the_trap_catches_a_connection_attempt(no_network: list[str]) -> None:
    with pytest.raises(NetworkUsed):
        socket.create_connection(("example.org", 443))
    assert no_network == ["socket.create_connection(('example.org', 443),)"]


def test_a_headless_session_never_opens_a_socket(no_network: list[str], tmp_path: Path) -> None:
    journal = tmp_path / "journal.sciatica"
    assert sciatica("new", journal, "--patient", "A. Patient", "--side", "left", "--onset", "2026-01-10")[0] == 0
    events = write_lines(
        tmp_path / "events.jsonl",
        {"type": "PainRated", "entry_id": "6f1c3c6e-1f38-4d7e-9a43-2f4b0b1c0a11", "observed_at": "2026-01-13",
         "leg": 6, "back": 2},
        {"type": "SymptomsRecorded", "observed_at": "2026-01-13", "context": "sitting",
         "symptoms": [{"region": "calf", "side": "left", "sensation": "tingling", "intensity": 4}]},
        {"type": "WalkRecorded", "observed_at": "2026-01-14T17:00", "total_minutes": 20, "minutes_to_symptoms": 8,
         "extent_at_stop": "knee"},
        {"type": "HeelRaisesTested", "observed_at": "2026-01-14", "side": "left", "repetitions": 9},
        {"type": "HeelRaisesTested", "observed_at": "2026-01-14", "side": "right", "repetitions": 25},
        {"type": "RedFlagsChecked", "observed_at": "2026-01-14", "present": []},
        {"type": "EntryCorrected", "observed_at": "2026-01-15", "target": "6f1c3c6e-1f38-4d7e-9a43-2f4b0b1c0a11",
         "replacement": {"leg": 5, "back": 2}, "reason": "typo"},
        {"type": "ReviewNoteAdded", "observed_at": "2026-01-16", "therapist": "T. Hera", "text": "keep walking"})
    assert sciatica("import", journal, events)[0] == 0
    assert sciatica("import", journal, write_lines(tmp_path / "bad.jsonl", {"type": "Nope"}))[0] == 2

    code, out, _ = sciatica("history", journal, "--json")
    assert code == 0 and len(json.loads(out)) == 9
    assert sciatica("history", journal)[0] == 0
    assert sciatica("export", journal, "--jsonl", tmp_path / "out.jsonl")[0] == 0
    assert sciatica("export", journal, "--copy", tmp_path / "copy.sciatica")[0] == 0
    assert sciatica("verify", journal)[0] == 0
    assert sciatica("verify", tmp_path / "copy.sciatica")[0] == 0
    assert sciatica("import", tmp_path / "again.sciatica", tmp_path / "out.jsonl")[0] == 0
    if importlib.util.find_spec("projections.timeline") is not None:
        code, out, err = sciatica("status", journal, "--as-of", "2026-01-20", "--json")
        assert code == 0, err
        assert json.loads(out)["schema"] == "sciatica-status/2"
        assert sciatica("status", journal, "--as-recorded-at", "2100-01-01T00:00")[0] == 0
    if importlib.util.find_spec("projections.csv_export") is not None:
        assert sciatica("export", journal, "--csv", tmp_path / "out.csv")[0] == 0

    assert no_network == []
