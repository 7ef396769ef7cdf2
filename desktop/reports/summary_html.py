"""The "since last visit" summary arranged for the eye: the report's first page and the review
mode's first page read the same sections in the same order.

The words are ``projections.summary_text``'s (the same as ``sciatica summary``); this module
only groups them into titled sections and writes them as HTML. A section is one block (its
title runs into its first line), so a page break can never leave a title alone at a page foot.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from projections.measures import summary_measure_words, summary_measures
from projections.status_text import flag_lines
from projections.summary import Summary
from projections.summary_text import (
    adherence_words,
    exercise_words,
    flag_change_words,
    header,
    note_words,
    period_words,
    sign_line,
    stage_line,
)
from projections.vocabulary import NATURAL_HISTORY, day, milestone_words, side_label


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]  # empty: nothing to say, ``empty`` is said instead
    empty: str = ""


def _sentence(text: str) -> str:
    """A section's line as a sentence: a capital first (a red flag's name starts lower-case)."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "”", ")")) else text + "."


def sections(s: Summary, *, measures: bool = True, notes_limit: int | None = None) -> list[Section]:
    """What changed, after the signs: red flags, milestones, exercises, outcome measures (only
    in a journal that has them, as ``sciatica summary`` says them; MEASURES False leaves them
    to the report's own section), records, notes (NOTES_LIMIT: only the latest that many, and
    how many earlier ones are left out; the report's page 1 must stay one page)."""
    answered = tuple(_sentence(summary_measure_words(m))
                     for m in summary_measures(s.then.measures, s.now.measures, s.period.first_day)) if measures else ()
    return [
        Section("Red flags in this period", tuple(_sentence(flag_change_words(f)) for f in s.red_flags),
                "None raised or cleared."),
        Section("New milestones", tuple(f"{milestone_words(m.code).capitalize()} ({side_label(m.side)}) "
                                        f"on {day(m.date)}." for m in s.milestones), "None in this period."),
        Section("Exercises", tuple(_sentence(exercise_words(e)) for e in s.exercises),
                "None recorded in this period."),
        *([Section("Outcome measures", answered)] if answered else []),
        Section("Recorded in this period", (_sentence(adherence_words(s.adherence).capitalize()),)),
        Section("Therapist's notes", _notes(s, notes_limit), "None yet."),
    ]


def _notes(s: Summary, limit: int | None) -> tuple[str, ...]:
    notes = s.review_notes  # oldest first
    shown = notes if limit is None or limit >= len(notes) else notes[len(notes) - limit:]
    lines = tuple(_sentence(note_words(n)) for n in shown)
    left_out = len(notes) - len(shown)
    if left_out:
        lines += (f"{left_out} earlier {'note' if left_out == 1 else 'notes'} not shown here: "
                  "every note is on the app's “Since last visit” page and in the entry log.",)
    return lines


def active_flags(s: Summary) -> list[str]:
    """Red flags shown at the end of the period: always first, never cut."""
    return [line.strip().removeprefix("!! ") for line in flag_lines(s.now) if line.strip()]


def _e(text: str) -> str:
    return html.escape(text)


def section_html(section: Section) -> str:
    title = f"<b>{_e(section.title)}.</b>"
    if not section.lines:
        return f"<p class='section'>{title} {_e(section.empty)}</p>"
    if len(section.lines) == 1:
        return f"<p class='section'>{title} {_e(section.lines[0])}</p>"
    items = "<br>".join(f"• {_e(line)}" for line in section.lines)
    return f"<p class='section'>{title}<br>{items}</p>"


def summary_html(s: Summary, *, history: bool = True, evidence: bool = True, measures: bool = True,
                 notes_limit: int | None = None) -> str:
    """The summary as HTML body content (no <html> wrapper): the report's page 1. Without
    EVIDENCE each sign says its verdict and numbers only (the report shows the evidence later);
    without MEASURES the outcome measures wait for the report's questionnaire section;
    NOTES_LIMIT keeps the latest therapist's notes only (``sections``). Red flags and signs are
    never cut."""
    parts: list[str] = []
    flags = active_flags(s)
    if flags:
        parts.append("<p class='flag'>" + "<br>".join(_e(x) for x in flags) + "</p>")
    parts.append(f"<p class='title'>{_e(header(s))}</p>")
    parts.append(f"<p class='muted'>{_e(period_words(s.period))}.</p>")
    parts.append(f"<p class='verdict'>{_e(stage_line(s))}</p>")
    parts.append("<p class='section'><b>Signs, from the start of the period to now.</b><br>"
                 + "<br>".join(f"• {_e(sign_line(c, evidence=evidence))}" for c in s.signs) + "</p>")
    parts.extend(section_html(x) for x in sections(s, measures=measures, notes_limit=notes_limit))
    if history:
        parts.append(f"<p class='muted'>{_e(NATURAL_HISTORY)}</p>")
    return "".join(parts)
