"""The summary as the report's page 1 and the review page group it: the words of
``sciatica summary``, each section one block (its title cannot be left alone at a page foot)."""

from __future__ import annotations

import html
import re

from desktop.reports.summary_html import active_flags, section_html, sections, summary_html
from projections.summary import Summary, summary_of
from projections.summary_text import sign_line
from tests.projections.builder import J, day, days


def _summary() -> Summary:
    j = J(side="left")
    for at in days("2026-03-01", 10):
        j.pain(at, leg=5)
    j.flags("2026-03-05", "bowel_change")
    return summary_of(j.timeline(), j.events, day("2026-03-10"), day("2026-03-01"))


def test_every_section_is_one_block_starting_with_a_capital() -> None:
    s = _summary()
    for section in sections(s):
        block = section_html(section)
        assert block.count("<p") == 1 and block.startswith(f"<p class='section'><b>{html.escape(section.title)}.</b>")
        assert all(line[:1].isupper() for line in section.lines)


def test_page_one_leads_with_the_active_flag_and_holds_no_codes() -> None:
    s = _summary()
    page = summary_html(s, evidence=False)
    assert "bowel" in active_flags(s)[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert text.index("bowel") < text.index("Stage:")
    assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == []
    for change in s.signs:  # the verdict and numbers; the evidence waits for the sign's chart
        assert sign_line(change, evidence=False) in text
    assert "Now:" not in text
