"""Writes the patient journeys in this folder as JSON lines (run: python -m tests.journeys.generate).

Each journey is a realistic story with a few deliberate turns; the files are the fixtures,
this script only documents how they were made and re-makes them identically.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
NAMESPACE = uuid.UUID("5c1a71ca-0000-4000-8000-000000000000")
LADDER = ["toes", "foot", "ankle", "calf", "knee", "thigh", "buttock", "low_back", "low_back_center", None]


class Story:
    def __init__(self, name: str, side: str, onset: str) -> None:
        self.name, self.side, self.lines = name, side, []
        self.onset = date.fromisoformat(onset)
        self.count = 0
        self.add("JournalStarted", onset + "T09:00", patient=f"Journey {name}", affected_side=side,
                 onset_date=onset)

    def day(self, n: int) -> date:
        return self.onset + timedelta(days=n)

    def add(self, type_name: str, observed_at: str, key: str | None = None, **fields: Any) -> str:
        self.count += 1
        entry_id = str(uuid.uuid5(NAMESPACE, f"{self.name}/{key or self.count}"))
        obs = observed_at if "T" in observed_at else observed_at + "T12:00"
        line = {"type": type_name, "entry_id": entry_id, "observed_at": observed_at,
                "recorded_at": obs + ":00+00:00" if len(obs) == 16 else obs, **fields}
        self.lines.append(line)
        return entry_id

    def extent(self, n: int, region: str | None, sensation: str = "pain", hour: int = 8,
               context: str | None = None, side: str | None = None) -> str:
        at = f"{self.day(n)}T{hour:02d}:00"
        side = side or ("left" if self.side == "both" else self.side)
        symptoms = [] if region is None else [
            {"region": region, "side": "center" if region == "low_back_center" else side,
             "sensation": sensation, "intensity": 5}]
        return self.add("SymptomsRecorded", at, symptoms=symptoms, context=context)

    def pain(self, n: int, leg: float | None, back: float | None = None, share: float | None = None,
             key: str | None = None) -> str:
        return self.add("PainRated", f"{self.day(n)}T20:00", key=key, leg=leg, back=back,
                        share_of_day_percent=share)

    def check_in(self, n: int, region: str | None, leg: float | None, back: float | None = None,
                 share: float | None = None) -> None:
        """Day N's morning symptom record reaching REGION and its evening pain rating."""
        self.extent(n, region)
        self.pain(n, leg=leg, back=back, share=share)

    def write(self) -> None:
        with (HERE / f"{self.name}.jsonl").open("w", encoding="utf-8", newline="\n") as f:
            for line in self.lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")


def ladder_step(n: int, per: int, start: int = 0) -> str | None:
    return LADDER[min(start + n // per, len(LADDER) - 1)]


def classic_recovery() -> None:
    """Left sciatica from 5 Jan 2026: foot symptoms retreat over 12 weeks, strength returns."""
    s = Story("classic_recovery", "left", "2026-01-05")
    for n in range(1, 120):
        s.check_in(n, ladder_step(n, 10, start=1), leg=max(0.0, 8 - n / 10), back=3, share=max(0.0, 80 - n * 0.8))
        if n % 3 == 0:
            to = min(30, 4 + n // 3)
            s.add("WalkRecorded", f"{s.day(n)}T10:00", total_minutes=30,
                  minutes_to_symptoms=None if to >= 30 else to, extent_at_stop=None if to >= 30 else "calf")
        if n % 7 == 0:
            s.add("HeelRaisesTested", f"{s.day(n)}T11:00", side="left", repetitions=min(30, 2 + n // 3))
            s.add("HeelRaisesTested", f"{s.day(n)}T11:05", side="right", repetitions=29)
            s.add("StraightLegRaiseTested", f"{s.day(n)}T11:10", side="left", degrees=min(85, 30 + n // 2))
            s.add("RedFlagsChecked", f"{s.day(n)}T08:30", present=[])
    s.write()


def flare() -> None:
    """Right side; improving for five weeks, a flare after lifting in week 6, settling again."""
    s = Story("flare", "right", "2026-01-01")
    for n in range(1, 71):
        if n < 35:
            region, leg = ladder_step(n, 8, start=2), 7 - n / 10
        elif n < 49:
            region, leg = "foot", 8.0  # the flare: symptoms back in the foot, pain up
        else:
            region, leg = ladder_step(n - 49, 5, start=4), max(1.0, 6 - (n - 49) / 4)
        s.check_in(n, region, leg=round(leg, 1), back=3)
    s.write()


def less_often() -> None:
    """Same leg pain each time, but pain present less and less of the day."""
    s = Story("less_often", "left", "2026-02-01")
    for n in range(1, 43):
        s.check_in(n, "calf", leg=5, share=max(10, 70 - n * 2))
    s.write()


def back_rising() -> None:
    """The leg clears while the back hurts more: still centralization (stay on course)."""
    s = Story("back_rising", "left", "2026-01-10")
    for n in range(1, 43):
        region = ["foot", "calf", "knee", "thigh", "buttock", "low_back"][min(5, n // 7)]
        s.check_in(n, region, leg=5, back=min(8, 2 + n // 6))
    s.write()


def foot_drop() -> None:
    """Symptoms settle by week 6, but ankle dorsiflexion recovers last (grade 3 → 5 by week 14)."""
    s = Story("foot_drop", "left", "2026-01-01")
    for n in range(1, 100):
        s.check_in(n, "calf" if n < 35 else "low_back", leg=6 if n < 35 else 1, back=2)
        if n % 14 == 0:
            grade = 3 if n < 70 else (4 if n < 90 else 5)
            s.add("MuscleGraded", f"{s.day(n)}T15:00", muscle="ankle_dorsiflexion", side="left", grade=grade)
            s.add("GaitChecked", f"{s.day(n)}T15:05", test="heel_walk", side="left",
                  result="unable" if n < 70 else ("impaired" if n < 90 else "normal"))
            s.add("HeelRaisesTested", f"{s.day(n)}T15:10", side="left", repetitions=min(28, 5 + n // 4))
            s.add("HeelRaisesTested", f"{s.day(n)}T15:15", side="right", repetitions=28)
    s.write()


def corrections() -> None:
    """A typo (leg pain 10 instead of 1) would read as a flare until corrected; a symptom record
    entered in the wrong journal is retracted; a back-filled walk is corrected to another date."""
    s = Story("corrections", "right", "2026-02-01")
    for n in range(1, 29):
        s.extent(n, "knee" if n < 14 else "buttock", side="right")
        key = f"pain{n}"
        s.pain(n, leg=4 if n < 14 else 2, key=key)
    typos = []
    for n in (22, 24, 26):
        entry = str(uuid.uuid5(NAMESPACE, f"corrections/pain{n}"))
        typos.append(entry)
    # The typos: three ratings entered as 10 … (records of the original values come first)
    for line in s.lines:
        if line["entry_id"] in typos:
            line["leg"] = 10
    wrong = s.extent(27, "toes", side="right")
    s.add("EntryRetracted", "2026-03-01T09:00", target=wrong, reason="entered in the wrong journal")
    for entry in typos:
        s.add("EntryCorrected", "2026-03-01T09:05", target=entry,
              replacement={"leg": 1, "back": None, "share_of_day_percent": None}, reason="typed 10 for 1")
    s.write()


def pins_and_needles() -> None:
    """Numb foot for weeks, then tingling where it was numb; tingling while sitting."""
    s = Story("pins_and_needles", "left", "2026-01-01")
    for n in range(1, 50):
        if n < 30:
            s.add("SymptomsRecorded", f"{s.day(n)}T08:00", symptoms=[
                {"region": "foot", "side": "left", "sensation": "numbness", "intensity": 6},
                {"region": "calf", "side": "left", "sensation": "pain", "intensity": 5}])
        else:
            s.add("SymptomsRecorded", f"{s.day(n)}T08:00", symptoms=[
                {"region": "foot", "side": "left", "sensation": "tingling", "intensity": 3}])
        if n in (40, 44):
            s.extent(n, "calf", sensation="tingling", hour=19, context="sitting")
        s.pain(n, leg=5)
    s.write()


def red_flags() -> None:
    """Saddle numbness reported, acknowledged, cleared; heel raises falling then recovering."""
    s = Story("red_flags", "both", "2026-01-01")
    for n in range(1, 31):
        s.check_in(n, "calf", leg=6)
        present = ["saddle_numbness", "both_legs"] if 10 <= n <= 12 else (["both_legs"] if n == 13 else [])
        s.add("RedFlagsChecked", f"{s.day(n)}T07:00", present=present)
        if n == 10:
            s.add("RedFlagAcknowledged", f"{s.day(n)}T07:01", flags=["saddle_numbness", "both_legs"])
    for n, reps in ((15, 20), (17, 14), (19, 8), (23, 12)):
        s.add("HeelRaisesTested", f"{s.day(n)}T16:00", side="left", repetitions=reps)
    s.write()


def exercises() -> None:
    """Press-ups centralize; sitting flexion sends symptoms down the leg."""
    s = Story("exercises", "left", "2026-01-01")
    for n in range(1, 15):
        s.check_in(n, "calf", leg=5)
        s.add("ExerciseResponseRecorded", f"{s.day(n)}T09:00", exercise="prone press-up",
              extent_before="calf", extent_after="knee" if n % 2 else "calf")
        if n in (3, 8, 13):
            s.add("ExerciseResponseRecorded", f"{s.day(n)}T18:00", exercise="sitting flexion",
                  extent_before="calf", extent_after="foot" if n == 8 else "calf")
    s.write()


if __name__ == "__main__":
    for make in (classic_recovery, flare, less_often, back_rising, foot_drop, corrections,
                 pins_and_needles, red_flags, exercises):
        make()
