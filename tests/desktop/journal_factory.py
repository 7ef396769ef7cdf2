"""A realistic months-long recovery journal as JSON lines (deterministic).

A left-sided sciatica that starts in the foot and centralizes over about four months:
daily check-ins (with gaps), walks every few days, weekly tests and safety checks, a
therapist's muscle gradings, notes, one correction and one retraction.
Run as a script to write the JSON lines: ``python -m tests.desktop.journal_factory OUT``.
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

EXTENT_BY_WEEK = ["foot", "foot", "calf", "calf", "calf", "knee", "knee", "thigh", "thigh",
                  "thigh", "buttock", "buttock", "buttock", "low_back", "low_back", "low_back", "low_back"]


def _at(day: date, hour: int, minute: int = 0) -> str:
    return datetime.combine(day, time(hour, minute)).isoformat(timespec="minutes")


def realistic_events(onset: date = date(2026, 8, 3), end: date = date(2026, 11, 24),
                     patient: str = "Maya Lindqvist", seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    start = onset + timedelta(days=2)
    events: list[dict[str, Any]] = [{
        "type": "JournalStarted", "observed_at": _at(start, 9), "patient": patient,
        "affected_side": "left", "onset_date": onset.isoformat()}]
    total_days = (end - start).days
    corrected_id = retracted_id = None
    day = start
    while day <= end:
        n = (day - start).days
        week = n // 7
        progress = n / total_days  # 0 → 1 over the journal
        extent = EXTENT_BY_WEEK[min(week, len(EXTENT_BY_WEEK) - 1)]
        if rng.random() < 0.86:
            symptoms: list[dict[str, Any]] = [
                {"region": "low_back", "side": "left", "sensation": "pain",
                 "intensity": max(1, round(5 - 2 * progress + rng.uniform(-1, 1)))}]
            order = ["buttock", "thigh", "knee", "calf", "ankle", "foot"]
            if extent in order:
                for region in order[: order.index(extent) + 1]:
                    sensation = "tingling" if region in ("calf", "foot", "ankle") and rng.random() < 0.6 else "pain"
                    symptoms.append({"region": region, "side": "left", "sensation": sensation,
                                     "intensity": max(1, round(7 - 5 * progress + rng.uniform(-1.5, 1)))})
            context = rng.choice(["sitting", "sitting", "driving", "standing", None])
            sid = str(uuid.UUID(int=rng.getrandbits(128)))
            events.append({"type": "SymptomsRecorded", "entry_id": sid, "observed_at": _at(day, 20, 30),
                           "symptoms": symptoms, "context": context})
            leg = max(0, min(10, round(7.5 - 6 * progress + rng.uniform(-1, 1))))
            pid = str(uuid.UUID(int=rng.getrandbits(128)))
            events.append({"type": "PainRated", "entry_id": pid, "observed_at": _at(day, 20, 31),
                           "leg": leg, "back": max(0, min(10, round(4.5 - 2 * progress + rng.uniform(-1, 1)))),
                           "share_of_day_percent": max(5, min(100, round((85 - 70 * progress) / 5) * 5)),
                           "episodes": max(1, round(8 - 6 * progress + rng.uniform(-1, 1)))})
            if n == 20:
                corrected_id = pid
            if n == 33:
                retracted_id = sid
        if n % 3 == 1:
            tolerance = round(4 + 22 * progress + rng.uniform(-2, 2))
            total = min(30, tolerance + rng.randint(2, 8))
            symptom_free = progress > 0.85 and rng.random() < 0.5
            events.append({"type": "WalkRecorded", "observed_at": _at(day, 17, 15),
                           "total_minutes": total if not symptom_free else 30,
                           "minutes_to_symptoms": None if symptom_free else min(tolerance, total),
                           "extent_at_stop": None if symptom_free else extent})
        if n % 7 == 3:
            events.append({"type": "HeelRaisesTested", "observed_at": _at(day, 10), "side": "left",
                           "repetitions": min(26, round(3 + 19 * progress + rng.uniform(-1, 1)))})
            events.append({"type": "HeelRaisesTested", "observed_at": _at(day, 10, 5), "side": "right",
                           "repetitions": 27 + rng.randint(0, 2)})
            events.append({"type": "StraightLegRaiseTested", "observed_at": _at(day, 10, 10), "side": "left",
                           "degrees": round(35 + 38 * progress)})
            events.append({"type": "ForwardBendTested", "observed_at": _at(day, 10, 15),
                           "fingertip_to_floor_cm": round(32 - 26 * progress), "extent": extent})
            events.append({"type": "SlumpTested", "observed_at": _at(day, 10, 20), "side": "left",
                           "result": "positive" if progress < 0.6 else "negative",
                           "knee_extension_deficit_degrees": round(30 * (1 - progress)) if progress < 0.6 else None})
            gait = "impaired" if progress < 0.5 else "normal"
            events.append({"type": "GaitChecked", "observed_at": _at(day, 10, 25), "test": "heel_walk",
                           "side": "left", "result": gait})
            events.append({"type": "RedFlagsChecked", "observed_at": _at(day, 9),
                           "present": ["night_or_rest_pain"] if week == 0 else []})
        if n % 14 == 5:
            before = extent
            order = ["low_back", "buttock", "thigh", "knee", "calf", "ankle", "foot"]
            after = order[max(0, order.index(before) - 1)] if before in order else before
            events.append({"type": "ExerciseResponseRecorded", "observed_at": _at(day, 11),
                           "exercise": "prone press-up", "extent_before": before, "extent_after": after})
        if n % 21 == 4:
            grade = 3 if progress < 0.3 else (4 if progress < 0.75 else 5)
            events.append({"type": "MuscleGraded", "observed_at": _at(day, 15), "muscle": "great_toe_extension",
                           "side": "left", "grade": grade,
                           "note": "graded at physiotherapy"})
        if n in (6, 40, 77):
            events.append({"type": "NoteAdded", "observed_at": _at(day, 21),
                           "text": {6: "Sitting at work is the worst; trying a standing desk.",
                                    40: "First walk to the shop without stopping.",
                                    77: "Tingling in the foot is gone; only the buttock aches after driving."}[n]})
        day += timedelta(days=1)
    if corrected_id:
        events.append({"type": "EntryCorrected", "observed_at": _at(start + timedelta(days=21), 8),
                       "target": corrected_id, "reason": "slider slipped: leg pain was 5, not 8",
                       "replacement": {"leg": 5, "back": 3, "share_of_day_percent": 60, "episodes": 5}})
    if retracted_id:
        events.append({"type": "EntryRetracted", "observed_at": _at(start + timedelta(days=34), 8),
                       "target": retracted_id, "reason": "entered on the wrong day"})
    return events


def write_jsonl(path: str, events: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for event in events:
            f.write(json.dumps(event) + "\n")


if __name__ == "__main__":
    write_jsonl(sys.argv[1], realistic_events())
