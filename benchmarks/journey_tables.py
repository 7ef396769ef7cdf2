"""What the benchmark journal generator (``benchmarks.generate``) draws from: the patient's
words and codes (regions, contexts, exercises, notes, people, flags) and the generator's state.

Split from ``generate`` to keep each module under 500 lines; nothing here draws a random
number, so moving the tables changed no output (the same bytes for the same seed). Only the
standard library, like ``generate``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

PSFS_ACTIVITIES = ("walking to the shops", "putting on socks", "sitting through a meal")
END_DATE = date(2026, 11, 24)

REGIONS: tuple[str, ...] = ("low_back_center", "low_back", "buttock", "thigh", "knee", "calf",
                            "ankle", "foot", "toes")
CONTEXTS: tuple[str | None, ...] = (None, None, None, None, None, None, "sitting", "sitting", "driving",
                                    "couch", "standing", "lying down", "after walking", "at work")
EXERCISES: dict[str, float] = {  # exercise -> chance that a set centralizes (else stays, rarely worse)
    "prone press-up": 0.7,
    "sciatic nerve glide": 0.45,
    "cat-camel": 0.35,
    "walking in place": 0.3,
    "knee to chest": 0.15,
}
NOTES: tuple[str, ...] = (
    "Slept badly, woke twice with leg pain.",
    "Long drive today, leg worse afterwards.",
    "Good day, walked to the shops without stopping.",
    "Started the new desk chair at work.",
    "Took ibuprofen in the evening.",
    "Physio said to keep going with the press-ups.",
    "Tingling in the foot after sitting through a meeting.",
    "Back stiff in the morning, eased after a shower.",
    "Gardening for an hour, felt it in the buttock.",
    "Could put socks on standing today.",
)
REVIEW_NOTES: tuple[str, ...] = (
    "Centralizing well; continue press-ups every two hours.",
    "Heel raises improving; add a second set.",
    "Leg symptoms further down again after the long drive; reduce sitting, back to basics.",
    "Strength unchanged; re-test in two weeks.",
    "Walking tolerance up; extend walks to 30 minutes.",
    "Slump still positive; nerve glides gently, no stretching into pain.",
    "Doing well; reviewed red-flag advice again.",
)
PATIENTS: tuple[str, ...] = ("A. Patient", "Jordan Miller", "Sam Okafor", "Kim Larsen", "Ana Souza")
THERAPISTS: tuple[str, ...] = ("R. Jensen PT", "M. Alvarez PT")
SOON_FLAGS: tuple[str, ...] = ("night_or_rest_pain", "fever_or_unwell", "significant_trauma")
EMERGENCY_FLAGS: tuple[str, ...] = ("saddle_numbness", "bladder_change", "both_legs")
CORRECTABLE = ("SymptomsRecorded", "PainRated", "WalkRecorded", "HeelRaisesTested",
               "StraightLegRaiseTested", "ForwardBendTested")

Entry = dict[str, Any]


def _clip(x: float, lo: float, hi: float) -> float:
    return lo if x < lo else hi if x > hi else x


@dataclass
class _Recorded:
    """An entry the generator may later correct, retract or review."""

    entry: Entry
    recorded: datetime


@dataclass
class _State:
    severity: float = 7.0  # latent distal rank the symptoms reach (0–9)
    base: float = 7.0  # where severity is heading
    weakness: float = 0.3  # motor loss of the affected side (0–1)
    soon_flag: str | None = None  # an active "see a clinician soon" flag
    soon_left: int = 0  # checklists it still appears on
    next_therapist: int = 7
    next_emergency: int = 30
    recent: deque[_Recorded] = field(default_factory=lambda: deque(maxlen=60))
    touched: set[str] = field(default_factory=set)
