"""Every user-facing word of the clinical model, in one place.

Stages with their one-line explanation and advice, trend words, the five signs' names and
verdicts, red flags with their urgency, advice and order, the pins-and-needles signs, and the
labels people read for regions, sensations, sides and tests. The CLI text
(``projections.status_text``), the status header, the Progress panel and the PDF all read
these tables, so a word changes here and nowhere else.

Tables are keyed by the model's codes as plain strings (the enums are ``StrEnum``s, so a
``Stage`` or ``Trend`` member looks up the same entry); this module imports no projection,
so any projection may use it without an import circle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Stages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageWords:
    title: str  # the stage in a few words ("Flare-up")
    explanation: str  # what the stage means, one line
    advice: str  # what to do, one line


STAGES: dict[str, StageWords] = {
    "not_enough_data": StageWords(
        "Getting started",
        "A few more days of check-ins are needed before a stage can be shown.",
        "Record symptoms or pain on a few more days to see a stage."),
    "red_flag": StageWords(
        "Red flag",
        "A warning sign is active, so recovery is not judged until it has been looked at.",
        "Follow the red-flag advice first."),
    "no_recent_data": StageWords(
        "No recent check-ins",
        "There is no symptom check-in or pain rating in the last two weeks.",
        "A check-in brings the signs up to date."),
    "flare": StageWords(
        "Flare-up",
        "Symptoms are spreading or leg pain is rising.",
        "Pull back on what provoked it."),
    "recovered": StageWords(
        "Recovered",
        "No buttock or leg symptoms, little leg pain and no weakness found for two weeks.",
        "Keep doing what helped; record a check-in if symptoms come back."),
    "final_stage": StageWords(
        "Final stage",
        "Leg symptoms have settled; strength is still coming back.",
        "Calf and foot strength is usually the last to recover: keep testing, slow gains count."),
    "improving": StageWords(
        "Improving",
        "At least one sign is improving and none is getting worse.",
        "Stay on course."),
    "acute": StageWords(
        "Acute phase",
        "Less than 6 weeks since onset, and no sign is clearly improving yet.",
        "Keep recording: change often takes weeks."),
    "subacute": StageWords(
        "Subacute phase",
        "6 to 12 weeks since onset, and no sign is clearly improving yet.",
        "Keep recording and keep active within what your symptoms allow."),
    "persistent": StageWords(
        "Persistent",
        "Symptoms are still there after 12 weeks, as for 20–30 % of people; many still improve.",
        "Talk with your clinician about what to try next."),
}


def stage_words(code: str) -> StageWords:
    """The words of a stage code (an unknown code is shown as itself, never hidden)."""
    found = STAGES.get(code)
    return found if found is not None else StageWords(code.replace("_", " ").capitalize(), "", "")


# Trends and the five signs --------------------------------------------------------------------

TREND_WORDS: dict[str, str] = {
    "improving": "improving",
    "worsening": "worsening",
    "stable": "steady",
    "insufficient_data": "not enough data",
}

INDICATORS: dict[str, str] = {
    "centralization": "Centralization",
    "strength": "Leg strength",
    "nerve_mobility": "Nerve mobility",
    "pain": "Pain",
    "walking": "Walking",
}

# Each sign's own words for a change (a centralizing leg, not an "improving" one).
# The longer names the report uses as headings.
INDICATOR_HEADINGS: dict[str, str] = {
    "centralization": "Centralization of symptoms",
    "strength": "Leg strength",
    "nerve_mobility": "Sciatic nerve mobility",
    "pain": "Pain intensity and frequency",
    "walking": "Walking tolerance",
}

INDICATOR_VERDICTS: dict[str, dict[str, str]] = {
    "centralization": {"improving": "centralizing", "worsening": "peripheralizing"},
    "strength": {"improving": "getting stronger", "worsening": "getting weaker"},
    "nerve_mobility": {"improving": "moving more freely", "worsening": "more irritable"},
    "pain": {"improving": "easing", "worsening": "rising"},
    "walking": {"improving": "walking further", "worsening": "walking less far"},
}


# What each sign means, beside its curve (Progress panel, report).
SIGN_MEANINGS: dict[str, str] = {
    "centralization": "Symptoms retreating toward the spine is the clearest sign of recovery, even when "
                      "back or buttock pain rises for a while. Symptoms spreading further down the leg "
                      "mean: pull back on what provoked them.",
    "strength": "Calf and foot strength is usually the last thing to come back, often weeks after the "
                "pain has settled. Keep testing: slow gains still count.",
    "nerve_mobility": "A nerve that moves more freely lets you raise the straight leg higher and bend "
                      "further before the familiar symptoms start.",
    "pain": "Pain that comes less often is healing, even when it is just as strong when it comes.",
    "walking": "Walking longer before symptoms start shows the nerve tolerating more load.",
}


def trend_words(trend: str) -> str:
    return TREND_WORDS.get(trend, trend.replace("_", " "))


def indicator_name(code: str) -> str:
    return INDICATORS.get(code, code.replace("_", " ").capitalize())


def verdict(indicator: str, trend: str) -> str:
    """The sign's verdict in its own words: 'centralizing', 'steady', 'not enough data'."""
    if trend in ("improving", "worsening"):
        return INDICATOR_VERDICTS.get(indicator, {}).get(trend, trend)
    return trend_words(trend)


# Red flags -------------------------------------------------------------------------------------

URGENCY_ORDER: tuple[str, ...] = ("emergency", "today", "soon")


def urgency_rank(urgency: str) -> int:
    """Most urgent first; an unknown urgency sorts last."""
    return URGENCY_ORDER.index(urgency) if urgency in URGENCY_ORDER else len(URGENCY_ORDER)


def most_urgent(urgencies: list[str]) -> str | None:
    return min(urgencies, key=urgency_rank) if urgencies else None


@dataclass(frozen=True)
class UrgencyWords:
    title: str  # the banner's title and the CLI's lead ("Seek emergency care now")
    advice: str  # what to do, calm, saying the app cannot judge it
    short: str  # a table cell in the report


CANNOT_JUDGE = "This app cannot judge an emergency: if you are unsure, call your doctor or emergency number."
RED_FLAG_NOTE = f"These can be signs of a problem that needs a clinician's assessment. {CANNOT_JUDGE}"

URGENCIES: dict[str, UrgencyWords] = {
    "emergency": UrgencyWords(
        "Seek emergency care now",
        "These symptoms need a medical assessment straight away: call your emergency number or go "
        "to an emergency department. This app cannot judge an emergency.",
        "Emergency: seek care now"),
    "today": UrgencyWords(
        "See a clinician today",
        "Contact your doctor or physical therapist today. This app cannot judge how urgent it is.",
        "See a clinician today"),
    "soon": UrgencyWords(
        "See a clinician soon (within 24–48 hours)",
        "Book an appointment with your doctor in the next day or two. This app cannot judge how "
        "urgent it is.",
        "See a clinician within 1–2 days"),
}

RED_FLAG_NAMES: dict[str, str] = {
    "bladder_change": "changes in bladder control",
    "bowel_change": "changes in bowel control",
    "saddle_numbness": "saddle numbness (around the genitals, bottom or inner thighs)",
    "both_legs": "symptoms in both legs",
    "weakness_both_legs": "weakness in both legs",
    "sexual_dysfunction": "changes in sexual function",
    "fever_or_unwell": "fever or feeling unwell",
    "unexplained_weight_loss": "weight loss without trying",
    "cancer_history": "a history of cancer",
    "night_or_rest_pain": "constant pain at night or at rest",
    "significant_trauma": "pain that started after a fall or injury",
    "progressive_weakness": "weakness getting worse",
}

# Flags the app finds in the tests rather than ones the person reported (worded as found).
DERIVED_FLAGS = frozenset({"progressive_weakness"})


def red_flag_name(code: str) -> str:
    return RED_FLAG_NAMES.get(code, code.replace("_", " "))


def urgency_words(urgency: str) -> UrgencyWords:
    return URGENCIES.get(urgency, URGENCIES["soon"])


def red_flag_lead(codes: list[str]) -> str:
    """How a list of flags is introduced: what the person reported, what the tests found."""
    derived = [c for c in codes if c in DERIVED_FLAGS]
    if not derived:
        return "You reported"
    return "Found in your tests" if len(derived) == len(codes) else "You reported, or your tests show"


def red_flag_source(code: str, since: date | None) -> str:
    """How a flag came to be: 'reported since 3 Mar' or 'found in your tests since 3 Mar'."""
    how = "found in your tests" if code in DERIVED_FLAGS else "reported"
    return f"{how} since {day(since)}" if since is not None else how


# The clinic's caseload (``projections.caseload``): why a patient is where they are ----------

CASELOAD_GROUPS: dict[str, str] = {
    "red_flag": "Red flag",
    "flare": "Flare-up",
    "silent": "Gone quiet",
    "worsening": "A sign worsening",
    "other": "No urgent sign",
}


# A flag's urgency in a narrow table cell (the full advice is in ``URGENCIES``).
CASELOAD_URGENCY: dict[str, str] = {"emergency": "Emergency", "today": "See today", "soon": "See soon"}


def caseload_group(code: str) -> str:
    return CASELOAD_GROUPS.get(code, code.replace("_", " ").capitalize())


def caseload_red_flag(urgency: str, flags: list[str]) -> str:
    """'See a clinician today: weakness getting worse (found in your tests since 3 Mar)'."""
    return f"{urgency_words(urgency).short}: {'; '.join(flags)}"


def caseload_silent(days: int | None, last: date | None) -> str:
    if days is None or last is None:
        return "No entry yet"
    return f"No entry for {plural(days, 'day')} (the last on {day(last)})"


def caseload_flag(code: str, since: date, detail: str | None) -> str:
    """A flag as the clinic reads it: 'weakness getting worse (found in the tests since 3 Mar:
    heel raises left 20 → 14 → 8)' (the patient's own words say "your tests")."""
    how = "found in the tests" if code in DERIVED_FLAGS else "reported"
    return f"{red_flag_name(code)} ({how} since {day(since)}" + (f": {detail})" if detail else ")")


def caseload_worsening(signs: list[str]) -> str:
    names = [indicator_name(c).lower() for c in signs]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined[0].upper()}{joined[1:]} worsening"


def caseload_other(stage: str, reason: str) -> str:
    """'Flare-up: pain rising, recent mean leg pain 5.0' (the stage's title and reason)."""
    title = stage_words(stage).title
    return f"{title}: {reason}" if reason else title


def caseload_soon(flags: list[str]) -> str:
    """Appended to a reason: a ``soon`` flag is always said, whatever the place."""
    return f"; red flag, {urgency_words('soon').short.lower()}: {'; '.join(flags)}"


# Pins and needles, exercises, milestones -------------------------------------------------------

SIGN_NAMES: dict[str, str] = {
    "sensation_returning": "Feeling coming back",
    "position_irritation": "Pins and needles in one position",
}

PINS_AND_NEEDLES = ("Pins and needles can mean two different things. Tingling where it used to be numb "
                    "is often feeling coming back. Tingling that keeps returning in one position (such "
                    "as sitting) means that position irritates the nerve: avoid it or change it often.")

EXERCISE_HINT = ("An exercise that sends symptoms further down the leg: pull back. One that brings them "
                 "up toward the back: keep going.")

EXERCISE_VERDICTS: dict[str, str] = {
    "keep": "stay on course",
    "stop": "pull back",
    "neutral": "no clear effect",
}


def exercise_advice(verdict_code: str) -> str:
    return EXERCISE_VERDICTS.get(verdict_code, verdict_code)


def milestone_words(code: str) -> str:
    if code.startswith("heel_raises_"):
        n = code.rsplit("_", 1)[1]
        return "first heel raise" if n == "1" else f"{n} heel raises"
    if code.startswith("symmetry_"):
        return f"heel raises within {code.rsplit('_', 1)[1]} % of the other side"
    if "_grade_" in code:
        muscle, grade = code.split("_grade_")
        return f"{test_name(muscle)} reached grade {grade}"
    if code == "heel_walk_normal":
        return "heel walk normal again"
    return code.replace("_", " ")


# Labels for people -----------------------------------------------------------------------------

REGIONS: dict[str, str] = {
    "low_back_center": "midline low back",
    "low_back": "low back",
    "buttock": "buttock",
    "thigh": "thigh",
    "knee": "knee",
    "calf": "calf",
    "ankle": "ankle",
    "foot": "foot",
    "toes": "toes",
}
# Rank 0 (no symptoms) and the regions by distal rank, as in clinical-model.md.
REGION_BY_RANK: tuple[str, ...] = ("no symptoms", *REGIONS.values())

SENSATIONS: dict[str, str] = {
    "pain": "Pain",
    "burning": "Burning",
    "tingling": "Pins and needles",
    "numbness": "Numbness",
    "weakness": "Weakness",
}

SIDES: dict[str, str] = {"left": "left", "right": "right", "center": "centre", "both": "both sides"}

TESTS: dict[str, str] = {
    "heel_raises": "heel raises",
    "ankle_dorsiflexion": "ankle dorsiflexion",
    "great_toe_extension": "great-toe extension",
    "heel_walk": "heel walk",
    "toe_walk": "toe walk",
    "straight_leg_raise": "straight-leg raise",
    "slump": "slump test",
    "fingertip_to_floor": "fingertips to floor",
    "symmetry_percent": "heel-raise symmetry",
}

PAIN_MEASURES: dict[str, str] = {
    "leg": "mean leg pain",
    "back": "mean back pain",
    "share_of_day_percent": "share of the day with symptoms",
    "episodes": "episodes a day",
}


def region_label(code: str | None) -> str:
    return "no symptoms" if code is None else REGIONS.get(code, code.replace("_", " "))


def extent_label(rank: float | None) -> str:
    """A distal rank (a median may fall between two) in words."""
    if rank is None:
        return "no data"
    whole = int(rank)
    if rank == whole:
        return REGION_BY_RANK[whole]
    return f"between {REGION_BY_RANK[whole]} and {REGION_BY_RANK[whole + 1]}"


def sensation_label(code: str) -> str:
    return SENSATIONS.get(code, code.replace("_", " ").capitalize())


def side_label(code: str | None) -> str:
    return "" if code is None else SIDES.get(code, code)


def affected_side_words(code: str) -> str:
    """The affected side as a person says it: 'left side', 'both sides'."""
    return side_label(code) if code == "both" else f"{side_label(code)} side"


def test_name(kind: str) -> str:
    return TESTS.get(kind, kind.replace("_", " "))


AUTHOR_ROLES: dict[str, str] = {"patient": "patient", "therapist": "therapist"}


def author_words(role: str, name: str) -> str:
    """Who recorded an entry: 'patient' or 'therapist Dr Lee' (the patient's name is the journal's)."""
    words = AUTHOR_ROLES.get(role, role)
    return f"{words} {name}" if role == "therapist" and name else words


# Outcome measures (issue 19): their words are in ``projections.measure_words``.


# Grammar and numbers ---------------------------------------------------------------------------


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '3 days' (MANY for irregular plurals)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def day(d: date) -> str:
    """A date in words, as the status text writes it: '22 Nov'."""
    return f"{d.day} {d.strftime('%b')}"


def long_day(d: date) -> str:
    """The one date format for people, with the year: '3 Nov 2026' (ISO only in exports)."""
    return f"{d.day} {d.strftime('%b %Y')}"


def moment(t: datetime) -> str:
    """A date and time for people: '3 Nov 2026, 14:05'."""
    return f"{long_day(t)}, {t:%H:%M}"


def span(start: date, end: date) -> str:
    """A window of days: '11–17 Nov', or '28 Nov–4 Dec' across months."""
    if start.month == end.month and start.year == end.year:
        return f"{start.day}–{day(end)}"
    return f"{day(start)}–{day(end)}"


def num(x: float | None, unit: str = "") -> str:
    """Whole numbers as written, others with one decimal ('–' when there is none)."""
    if x is None:
        return "–"
    text = str(int(x)) if float(x).is_integer() else f"{x:.1f}"
    return text + unit


def mean_words(x: float | None, unit: str = "") -> str:
    """A mean keeps one decimal ('3.0'), as the model asks ('–' when there is none)."""
    return "–" if x is None else f"{x:.1f}{unit}"


def counts(earlier: int, recent: int, noun: str) -> str:
    """'7 ratings each', '3 and 7 ratings', '1 walk each'."""
    if earlier == recent:
        return f"{plural(earlier, noun)} each"
    return f"{earlier} and {plural(recent, noun)}"


UNITS: dict[str, str] = {"straight_leg_raise": "°", "fingertip_to_floor": " cm"}
GRADED = frozenset({"ankle_dorsiflexion", "great_toe_extension"})


def value_words(kind: str, value: float | str) -> str:
    """A test result as written: whole raises and degrees, a grade, a walk or slump result."""
    if isinstance(value, str):
        return value
    if kind == "symmetry_percent":
        return f"{round(value)} %"
    if kind in GRADED:
        return f"grade {num(value)}"
    return num(value, UNITS.get(kind, ""))


def result_words(kind: str, side: str | None, value: float | str, on: date) -> str:
    """'straight-leg raise left 30° on 22 Nov', 'ankle dorsiflexion left grade 3 on 12 Feb'."""
    where = f" {side_label(side)}" if side else ""
    return f"{test_name(kind)}{where} {value_words(kind, value)} on {day(on)}"


DISCLAIMER = "This summary describes your own records. It is not a diagnosis."

NATURAL_HISTORY = ("Most people with sciatica improve over weeks to months. Some symptoms can linger: "
                   "20–30 % of people still have some at one to two years. This is background from "
                   "studies of many people, not a prediction for you.")
