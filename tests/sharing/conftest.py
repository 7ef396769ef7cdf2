"""Fixtures for sharing: real journal files in a temporary folder, cheap scrypt."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import domain.encryption as enc
from domain.application import JournalApp
from domain.events import EntryEvent
from domain.interchange import event_to_dict
from projections.entries import EffectiveEntries
from projections.history import build_history

PATIENT = "Zoë Quinlan-Marsh"
START = datetime(2026, 1, 12, 9, 0)


@pytest.fixture(autouse=True)
def _cheap_scrypt_and_clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enc, "DEFAULT_PARAMS", enc.ScryptParams(n=2 ** 10, r=8, p=1))
    monkeypatch.delenv(enc.ENV_PASSPHRASE, raising=False)
    monkeypatch.delenv(enc.ENV_OTHER_PASSPHRASE, raising=False)


Maker = Callable[..., Path]


@pytest.fixture
def make_journal(tmp_path: Path) -> Maker:
    """make_journal(name, passphrase=None) -> path of a new, closed journal with a few entries."""

    def make(name: str = "patient.sciatica", passphrase: str | None = None, days: int = 3) -> Path:
        path = tmp_path / name
        with JournalApp.create(path, patient=PATIENT, affected_side="left", onset_date="2026-01-10",
                               observed_at=START, passphrase=passphrase) as app:
            for day in range(days):
                record_day(app, START.date() + timedelta(days=day), day)
        return path

    return make


def record_day(app: JournalApp, day: date, n: int, note: str | None = None) -> None:
    at = datetime.combine(day, datetime.min.time()).replace(hour=8)
    app.rate_pain(at, leg=max(0, 7 - n % 8), back=2, note=note)
    app.record_symptoms(at + timedelta(minutes=5), [
        {"region": "calf", "side": "left", "sensation": "pain", "intensity": max(0, 6 - n % 7)}])
    app.record_walk(at + timedelta(hours=9), total_minutes=10 + n, minutes_to_symptoms=None,
                    extent_at_stop=None)


def content(app: JournalApp) -> set[str]:
    """Every entry with its content, as a set (independent of log order)."""
    return {json.dumps(event_to_dict(e, app.journal), sort_keys=True, ensure_ascii=False)
            for e in app.entries()}


def history_set(events: list[EntryEvent]) -> set[str]:
    """`sciatica history --json` rows without the log position."""
    rows = []
    for row in build_history(events):
        obj: dict[str, Any] = row.to_json()
        obj.pop("position")
        obj["corrected_by"] = sorted(obj["corrected_by"])
        obj["retracted_by"] = sorted(obj["retracted_by"])
        rows.append(json.dumps(obj, sort_keys=True, ensure_ascii=False))
    return set(rows)


def effective(events: list[EntryEvent]) -> list[str]:
    eff = EffectiveEntries()
    for e in events:
        eff.apply(e)
    return [json.dumps(event_to_dict(e), sort_keys=True) for e in eff.current()]


def status_json(events: list[EntryEvent], day: date) -> Any:
    """The status JSON at DAY when the Timeline projection exists, else None."""
    try:
        from projections.status import status_to_json  # type: ignore[import-not-found,unused-ignore]
        from projections.timeline import Timeline  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return status_to_json(Timeline(events).status_at(day))


def same_state(a: Path, b: Path, *, passphrases: tuple[str | None, str | None] = (None, None)) -> None:
    with JournalApp.open(a, readonly=True, passphrase=passphrases[0]) as x, \
            JournalApp.open(b, readonly=True, passphrase=passphrases[1]) as y:
        assert content(x) == content(y)
        ex, ey = x.entries(), y.entries()
        assert history_set(ex) == history_set(ey)
        assert effective(ex) == effective(ey)
        for day in (date(2026, 1, 13), date(2026, 1, 20), date(2026, 3, 1)):
            assert status_json(ex, day) == status_json(ey, day)

