""""Since last visit": the period's summary (``projections.summary``) for the open journal,
as the review mode's first page and the report ask for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from projections.summary import Preset, Summary, build_summary, preset_period, review_notes

if TYPE_CHECKING:
    from datetime import date

    from desktop.session.core import JournalSession


def since_last_visit(session: JournalSession, preset: Preset = Preset.SINCE_LAST_REVIEW,
                     since: date | None = None) -> Summary:
    """What changed up to ``today()`` over PRESET (CUSTOM: from the end of SINCE), from the
    session's own timeline (checkpointed: no replay from the start)."""
    events = session.app.entries()
    first, _last = session.observed_range()
    period = preset_period(preset, review_notes(events, session.effective), session.today(), since, first)
    return build_summary(session.timeline, events, period)
