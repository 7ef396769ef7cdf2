"""The outcome-measure events (issue 19), kept beside ``domain.events``, which imports them
into ``EVENT_TYPES`` and re-exports them: import them from ``domain.events`` (importing this
module first would be a circular import). Stored topics are ``domain.measure_events:<Class>``:
never move or rename these classes without ``register_topic``.
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

    measure: str
    answers: list[dict[str, Any]]

    FIELDS = (
        ("measure", _MEASURE, "measure"),
        ("answers", m.answers, "answers"),
    )

    @classmethod
    def check(cls, fields: Mapping[str, Any]) -> None:
        m.check_answers(fields["measure"], fields["answers"])
