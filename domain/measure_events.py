"""The outcome-measure events (issue 19), defined beside ``domain.events`` (which would pass
500 lines) but belonging to it: ``domain.events`` imports them into ``EVENT_TYPES`` and
re-exports them, and their ``__module__`` is ``domain.events``, so their stored topics are
``domain.events:<Class>`` like every other type's and resolve without this module being
imported first. Import them from ``domain.events`` (importing this module first in a fresh
process would be a circular import). Never rename them without ``register_topic``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import measures as m
from domain import validation as v
from domain.events import EntryEvent
from domain.values import AuthorRole

_MEASURE = v.choice(m.Measure)


class MeasureAssigned(EntryEvent):
    """A therapist asks for MEASURE every EVERY_DAYS days (≥ 7); PSFS names its activities.

    Therapist-authored like a review note: recorded in a copy open for review and merged back.
    A later assignment of the same measure replaces the earlier one's interval and activities.
    """

    __module__ = "domain.events"  # the stored topic (see the module docstring)

    therapist: str
    measure: str
    every_days: int
    activities: list[str]

    AUTHOR_ROLE = AuthorRole.THERAPIST
    CORRECTABLE = False
    FIELDS = (
        ("therapist", v.text(max_len=200), "therapist name"),
        ("measure", _MEASURE, "measure"),
        ("every_days", v.number(m.MIN_INTERVAL_DAYS, m.MAX_INTERVAL_DAYS, whole=True),
         "days between answers"),
        ("activities", m.activities, "activities"),
    )

    @classmethod
    def check(cls, fields: Mapping[str, Any]) -> None:
        m.check_activities(fields["measure"], fields["activities"])


class MeasureAnswered(EntryEvent):
    """The patient's answers to one measure; an observation, so it can be corrected."""

    __module__ = "domain.events"

    measure: str
    answers: list[dict[str, Any]]

    FIELDS = (
        ("measure", _MEASURE, "measure"),
        ("answers", m.answers, "answers"),
    )

    @classmethod
    def check(cls, fields: Mapping[str, Any]) -> None:
        m.check_answers(fields["measure"], fields["answers"])
