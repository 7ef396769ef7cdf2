"""Value types shared by every layer: regions, sides, sensations, red-flag codes.

All are str-valued enums, so an event stores them as plain strings and a plain string read
back from a file compares equal to the enum member.
"""

from __future__ import annotations

from enum import StrEnum


class Region(StrEnum):
    LOW_BACK_CENTER = "low_back_center"
    LOW_BACK = "low_back"
    BUTTOCK = "buttock"
    THIGH = "thigh"
    KNEE = "knee"
    CALF = "calf"
    ANKLE = "ankle"
    FOOT = "foot"
    TOES = "toes"

    @property
    def rank(self) -> int:
        """Distal rank: how far from the spine (1 = midline low back … 9 = toes)."""
        return _RANK[self]

    @property
    def label(self) -> str:
        return _LABEL[self]


_RANK: dict[Region, int] = {region: i + 1 for i, region in enumerate(Region)}
_LABEL: dict[Region, str] = {
    Region.LOW_BACK_CENTER: "midline low back",
    Region.LOW_BACK: "low back",
    Region.BUTTOCK: "buttock",
    Region.THIGH: "thigh",
    Region.KNEE: "knee",
    Region.CALF: "calf",
    Region.ANKLE: "ankle",
    Region.FOOT: "foot",
    Region.TOES: "toes",
}

REGION_BY_RANK: dict[int, Region] = {r.rank: r for r in Region}


def region_rank(region: str | None) -> int:
    """Rank of a region code; 0 for None (no symptoms)."""
    if region is None:
        return 0
    return Region(region).rank


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"


class AffectedSide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"

    @property
    def sides(self) -> tuple[Side, ...]:
        if self is AffectedSide.BOTH:
            return (Side.LEFT, Side.RIGHT)
        return (Side(self.value),)


class Sensation(StrEnum):
    PAIN = "pain"
    BURNING = "burning"
    TINGLING = "tingling"
    NUMBNESS = "numbness"
    WEAKNESS = "weakness"


SENSORY = frozenset({Sensation.PAIN, Sensation.BURNING, Sensation.TINGLING, Sensation.NUMBNESS})


class Muscle(StrEnum):
    ANKLE_DORSIFLEXION = "ankle_dorsiflexion"
    GREAT_TOE_EXTENSION = "great_toe_extension"


class GaitTest(StrEnum):
    HEEL_WALK = "heel_walk"
    TOE_WALK = "toe_walk"


class GaitResult(StrEnum):
    NORMAL = "normal"
    IMPAIRED = "impaired"
    UNABLE = "unable"


class SlumpResult(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class AuthorRole(StrEnum):
    PATIENT = "patient"
    THERAPIST = "therapist"


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    TODAY = "today"
    SOON = "soon"


class RedFlag(StrEnum):
    BLADDER_CHANGE = "bladder_change"
    BOWEL_CHANGE = "bowel_change"
    SADDLE_NUMBNESS = "saddle_numbness"
    BOTH_LEGS = "both_legs"
    WEAKNESS_BOTH_LEGS = "weakness_both_legs"
    SEXUAL_DYSFUNCTION = "sexual_dysfunction"
    FEVER_OR_UNWELL = "fever_or_unwell"
    UNEXPLAINED_WEIGHT_LOSS = "unexplained_weight_loss"
    CANCER_HISTORY = "cancer_history"
    NIGHT_OR_REST_PAIN = "night_or_rest_pain"
    SIGNIFICANT_TRAUMA = "significant_trauma"
    # Derived from strength tests by the projections; never asked, never imported.
    PROGRESSIVE_WEAKNESS = "progressive_weakness"

    @property
    def urgency(self) -> Urgency:
        return RED_FLAG_URGENCY[self]

    @property
    def question(self) -> str:
        return RED_FLAG_QUESTIONS[self]


# Each red flag's urgency and its plain-language question for the checklist (calm, factual, no
# diagnosis), in one table so a flag cannot have one without the other.
_RED_FLAGS: dict[RedFlag, tuple[Urgency, str]] = {
    RedFlag.BLADDER_CHANGE: (Urgency.EMERGENCY,
                             "Any new trouble passing urine, or losing control of your bladder?"),
    RedFlag.BOWEL_CHANGE: (Urgency.EMERGENCY, "Any new loss of control of your bowels?"),
    RedFlag.SADDLE_NUMBNESS: (Urgency.EMERGENCY, "Any numbness around your genitals, bottom or inner "
                              "thighs (the area you would sit on in a saddle)?"),
    RedFlag.BOTH_LEGS: (Urgency.EMERGENCY, "Are symptoms now in both legs?"),
    RedFlag.WEAKNESS_BOTH_LEGS: (Urgency.EMERGENCY, "Is there new weakness in both legs?"),
    RedFlag.SEXUAL_DYSFUNCTION: (Urgency.EMERGENCY, "Any new change in sexual function or sensation?"),
    RedFlag.FEVER_OR_UNWELL: (Urgency.SOON, "Do you have a fever or feel generally unwell?"),
    RedFlag.UNEXPLAINED_WEIGHT_LOSS: (Urgency.SOON, "Have you lost weight without trying?"),
    RedFlag.CANCER_HISTORY: (Urgency.SOON, "Have you ever been treated for cancer?"),
    RedFlag.NIGHT_OR_REST_PAIN: (Urgency.SOON, "Is the pain constant at night or at rest, whatever "
                                 "position you take?"),
    RedFlag.SIGNIFICANT_TRAUMA: (Urgency.SOON, "Did the pain start after a fall, accident or other injury?"),
    RedFlag.PROGRESSIVE_WEAKNESS: (Urgency.TODAY, "Strength tests show weakness getting worse."),
}
RED_FLAG_URGENCY: dict[RedFlag, Urgency] = {flag: urgency for flag, (urgency, _) in _RED_FLAGS.items()}
RED_FLAG_QUESTIONS: dict[RedFlag, str] = {flag: question for flag, (_, question) in _RED_FLAGS.items()}

ASKED_RED_FLAGS: tuple[RedFlag, ...] = tuple(f for f in RedFlag if f is not RedFlag.PROGRESSIVE_WEAKNESS)
