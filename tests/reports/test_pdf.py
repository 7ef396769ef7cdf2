"""The therapist's PDF: real file, real pages, the words a therapist looks for."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.cli import main
from tests.journeys import __file__ as journeys_init

JOURNEYS = Path(journeys_init).parent
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def _journal(tmp_path: Path, name: str) -> Path:
    journal = tmp_path / f"{name}.sciatica"
    assert main(["import", str(journal), str(JOURNEYS / f"{name}.jsonl")]) == 0
    return journal


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match
    return int(match.group(1))


def test_report_names_patient_every_verdict_and_every_red_flag(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    journal = _journal(tmp_path, "red_flags")
    out = tmp_path / "report.pdf"
    assert main(["export", str(journal), "--pdf", str(out)]) == 0
    said = capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")
    pages = _pages(out)
    assert f"Wrote a {pages}-page report" in said
    text = _pdf_text(out)
    assert main(["status", str(journal), "--as-of", _last_day(journal), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["patient"] in text
    for title in ("Centralization of symptoms", "Leg strength", "Sciatic nerve mobility",
                  "Pain intensity and frequency", "Walking tolerance"):
        assert title in text
    events = [json.loads(x) for x in (JOURNEYS / "red_flags.jsonl").read_text().splitlines() if x.strip()]
    raised = {c for e in events if e["type"] == "RedFlagsChecked" for c in e["present"]}
    assert raised, "the fixture must raise red flags"
    for code in raised:
        assert code.replace("_", " ") in text
    assert f"Page {pages} of {pages}" in text
    assert "ﬂ" not in text and "ﬁ" not in text  # no ligature glyphs: the text stays searchable


def test_period_limits_the_appendix(tmp_path: Path) -> None:
    journal = _journal(tmp_path, "classic_recovery")
    whole, part = tmp_path / "whole.pdf", tmp_path / "part.pdf"
    assert main(["export", str(journal), "--pdf", str(whole)]) == 0
    first = _first_day(journal)
    assert main(["export", str(journal), "--pdf", str(part), "--from", first, "--to", first]) == 0
    assert _pages(part) <= _pages(whole)
    assert len(_pdf_text(part)) < len(_pdf_text(whole))


def test_bad_period_is_refused_in_one_sentence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = _journal(tmp_path, "flare")
    assert main(["export", str(journal), "--pdf", str(tmp_path / "x.pdf"), "--from", "2026-05-01",
                 "--to", "2026-04-01"]) == 2
    assert "--from" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def _days(journal: Path) -> list[str]:
    from domain.application import JournalApp

    with JournalApp.open(journal, readonly=True) as app:
        return sorted(e.observed_at.date().isoformat() for e in app.entries())


def _last_day(journal: Path) -> str:
    return _days(journal)[-1]


def _first_day(journal: Path) -> str:
    return _days(journal)[0]
