"""The status header and the Progress panel render the typed snapshot in the vocabulary's
words: the same sentences as ``sciatica status``; a red flag's advice first; no recent
check-in says when the last one was."""

from __future__ import annotations

from typing import Any, TypeVar

from desktop.views.signs_panel import SignsPanel
from desktop.widgets.status_header import StatusHeader
from projections.status import StatusSnapshot
from projections.status_text import sign_texts
from tests.projections.builder import J

W = TypeVar("W", StatusHeader, SignsPanel)


def settled() -> J:
    j = J(side="left")
    j.daily("2026-03-01", 14, "low_back", leg=0)
    return j


def shown(qtbot: Any, surface: W, snapshot: StatusSnapshot) -> W:
    """SURFACE (the header or the signs panel) showing SNAPSHOT."""
    qtbot.addWidget(surface)
    surface.show_status(snapshot)
    return surface


def test_header_puts_the_red_flag_advice_first(qtbot: Any) -> None:
    j = settled()
    j.flags("2026-03-14", "saddle_numbness")
    header = shown(qtbot, StatusHeader(), j.snapshot("2026-03-14"))
    assert header.stage_label.text() == "Red flag"
    assert header.stage_detail.text().startswith("Seek emergency care now.")
    assert header.banner.title.text() == "Seek emergency care now"
    assert "You reported: saddle numbness" in header.banner.body.text()


def test_header_words_a_derived_flag_as_found_in_the_tests(qtbot: Any) -> None:
    j = settled()
    j.heel("2026-03-01", "left", 20)
    j.heel("2026-03-05", "left", 14)
    j.heel("2026-03-09", "left", 8)
    header = shown(qtbot, StatusHeader(), j.snapshot("2026-03-14"))
    assert header.banner.body.text().startswith("Found in your tests: weakness getting worse")
    assert "reported" not in header.banner.body.text()


def test_header_says_when_the_last_check_in_was(qtbot: Any) -> None:
    header = shown(qtbot, StatusHeader(), settled().snapshot("2026-04-30"))
    assert header.stage_label.text() == "No recent check-ins"
    assert header.stage_detail.text() == ("The last check-in was on 14 Mar 2026. "
                                          "A check-in brings the signs up to date.")
    assert "both" not in header.patient_label.text()


def test_header_chips_use_the_vocabulary(qtbot: Any) -> None:
    header = shown(qtbot, StatusHeader(), J(side="both").snapshot("2026-03-01"))
    assert header.trend_chips["nerve_mobility"].text() == "Nerve mobility: not enough data"
    assert header.patient_label.text() == "A. Patient · both sides"


def test_panel_says_the_same_sentences_as_the_cli(qtbot: Any) -> None:
    j = settled()
    j.slr("2026-03-10", "left", 30)
    snapshot = j.snapshot("2026-03-14")
    panel = shown(qtbot, SignsPanel(), snapshot)
    text = panel.text()
    for sign in sign_texts(snapshot).values():
        assert sign.evidence[:1].upper() + sign.evidence[1:] in text
    assert "Straight-leg raise left 30° on 10 Mar; one test, no trend yet" in text
    assert "nerve_mobility" not in text


def test_panel_puts_the_red_flag_advice_first(qtbot: Any) -> None:
    j = settled()
    j.flags("2026-03-14", "bladder_change")
    panel = shown(qtbot, SignsPanel(), j.snapshot("2026-03-14"))
    body = panel.stage_card.body.text()
    assert body.startswith("<b>Seek emergency care now.</b>")
    assert "Changes in bladder control (reported since 14 Mar)." in body


def test_panel_invites_a_check_in_after_two_quiet_weeks(qtbot: Any) -> None:
    panel = shown(qtbot, SignsPanel(), settled().snapshot("2026-04-30"))
    assert "Your last check-in was on 14 Mar 2026. A check-in brings the signs up to date." in panel.text()
