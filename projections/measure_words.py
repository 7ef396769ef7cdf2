"""The words around the outcome measures (issue 19) on the check-in, Review, Progress and the
report; the measures' own titles and questions live with their items (``domain.measures.SPECS``).
A part of the project's vocabulary (``projections.vocabulary``), kept in its own file."""

from __future__ import annotations

from projections.vocabulary import num

MEASURE_SHORT: dict[str, str] = {"psfs": "PSFS", "sbi": "SBI", "peg": "PEG"}
MEASURE_SCALES: dict[str, str] = {
    "psfs": "0–10, higher is better",
    "sbi": "0–24, lower is better",
    "peg": "0–10, lower is better",
}
MEASURE_SCORES: dict[str, str] = {
    "psfs": f"mean of the activities, {MEASURE_SCALES['psfs']}",
    "sbi": f"total of the four items, {MEASURE_SCALES['sbi']}",
    "peg": f"mean of the three items, {MEASURE_SCALES['peg']}",
}
MEASURE_INTROS: dict[str, str] = {
    "psfs": "For each activity: how well can you do it today? 0 means you cannot do it at all, "
            "10 that you can do it as well as before the problem.",
    "sbi": "Think of the last week. 0 means not bothersome at all, 6 extremely bothersome.",
    "peg": "Think of the last week. 0 means none (or no interference), 10 as bad as you can imagine.",
}
MEASURE_DUE_TITLE = "A short questionnaire is due"
MEASURE_DUE_BODY = "It takes about a minute; your therapist asked for it."
PSFS_ACTIVITIES_HINT = "Name 3 to 5 activities the patient finds hard, in their words (e.g. “putting on socks”)."


def measure_short(code: str) -> str:
    return MEASURE_SHORT.get(code, code.upper())


def measure_due_words(titles: list[str]) -> str:
    """'A short questionnaire is due: Sciatica Bothersomeness Index.' (the check-in's notice)."""
    return f"{MEASURE_DUE_TITLE}: {' and '.join(titles) if len(titles) < 3 else ', '.join(titles)}."


def every_days_words(days: int) -> str:
    """'every week', 'every 2 weeks', 'every 10 days'."""
    if days % 7 == 0:
        return "every week" if days == 7 else f"every {days // 7} weeks"
    return f"every {days} days"


def mic_words(mic: float) -> str:
    """The meaningful-change band's label: 'a change of 2 or more matters'."""
    return f"a change of {num(mic)} or more matters"
