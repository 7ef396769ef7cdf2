"""A realistic, deterministic journal as interchange JSON lines (``shared/docs/interchange.md``).

    python -m benchmarks.generate --years 10 --seed 1 OUT.jsonl
    python benchmarks/generate.py --years 10 --seed 1 OUT.jsonl

The patient's state follows a latent *severity* (0–9, the distal rank the symptoms tend to
reach) that recovers from an acute onset over months, with flares that peripheralize it again
and slow centralization afterwards. Leg strength lags severity (nerve-root motor loss recovers
last). Every observation is drawn from that state:

- 2–4 check-ins a day (``SymptomsRecorded`` + usually ``PainRated``), regions up to the day's
  distal extent, tingling/numbness distally, contexts such as ``sitting``;
- a walk most days, one or two exercise responses (prone press-ups mostly centralize, knee to
  chest sometimes peripheralizes);
- weekly self-tests (heel raises on both sides, straight-leg raise, slump, forward bend) and a
  weekly red-flag checklist (almost always empty; rare "see a clinician soon" runs; a rare
  emergency flag, acknowledged, then cleared by the next checklist);
- a therapist every 2–4 weeks while symptomatic (every 2–3 months in remission): MRC grades,
  heel and toe walk, and a review note, often about that visit's test;
- notes, corrections (a full replacement of the target's type, made minutes to days later),
  duplicates retracted as "entered twice", and back-filled entries recorded days later.

About 10 events a day. Entry ids and recorded times are explicit, so the output depends only
on ``years`` and ``seed``; lines are in recorded order (the order an app would have stored
them). The journal ends on ``END_DATE``. Only the standard library is used, so this file also
runs as a plain script.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

GENERATOR_VERSION = 1

if not __package__:  # run as a plain script: make the package importable from its parent folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.journey_tables import (  # noqa: E402
    CONTEXTS,
    CORRECTABLE,
    EMERGENCY_FLAGS,
    END_DATE,
    EXERCISES,
    NOTES,
    PATIENTS,
    PSFS_ACTIVITIES,
    REGIONS,
    REVIEW_NOTES,
    SOON_FLAGS,
    THERAPISTS,
    Entry,
    _clip,
    _Recorded,
    _State,
)


class _Generator:
    def __init__(self, years: float, seed: int) -> None:
        if years <= 0:
            raise ValueError("years must be positive")
        self.rng = random.Random(f"sciatica-bench:{GENERATOR_VERSION}:{seed}")
        self.days = max(2, round(years * 365.25))
        self.start = END_DATE - timedelta(days=self.days - 1)
        rng = self.rng
        self.onset = self.start - timedelta(days=rng.randint(3, 12))
        self.side = rng.choices(("left", "right", "both"), weights=(45, 45, 10))[0]
        self.sides: tuple[str, ...] = ("left", "right") if self.side == "both" else (self.side,)
        self.patient = rng.choice(PATIENTS)
        self.therapist = rng.choice(THERAPISTS)
        self.out: list[tuple[datetime, int, Entry]] = []
        self.s = _State()
        # The first emergency flag falls early so that even a 90-day journal holds one.
        self.s.next_emergency = min(self.days - 2, rng.randint(20, 60))
        # Outcome measures (issue 19) draw from their own generator, so every other entry stays
        # exactly what this seed gave before they existed.
        self.mrng = random.Random(f"sciatica-bench-measures:{seed}")
        self.measures_assigned = False

    # Output ---------------------------------------------------------------------------------

    def _id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def emit(self, type_name: str, observed: datetime, fields: Entry, *,
             recorded: datetime | None = None, note: str | None = None, keep: bool = True) -> Entry:
        if recorded is None:
            recorded = observed + timedelta(minutes=self.rng.randint(1, 25), seconds=self.rng.randint(0, 59))
        entry: Entry = {
            "type": type_name,
            "entry_id": self._id(),
            "observed_at": observed.isoformat(timespec="seconds"),
            "recorded_at": recorded.isoformat(timespec="seconds"),
            **fields,
        }
        if note is not None:
            entry["note"] = note
        self.out.append((recorded, len(self.out), entry))
        if keep and type_name in CORRECTABLE:
            self.s.recent.append(_Recorded(entry, recorded))
        return entry

    def _maybe_backfilled(self, observed: datetime, chance: float) -> datetime | None:
        """A recorded time days after OBSERVED (entered from paper), or None (recorded now)."""
        if self.rng.random() >= chance:
            return None
        later = observed.date() + timedelta(days=self.rng.randint(1, 5))
        return datetime.combine(later, datetime.min.time()) + timedelta(
            hours=self.rng.randint(19, 22), minutes=self.rng.randint(0, 59))

    # The latent state ------------------------------------------------------------------------

    def _evolve(self, day: int) -> None:
        s, rng = self.s, self.rng
        s.base = 1.2 + (s.base - 1.2) * math.exp(-1 / 75)  # recovery toward a mild residual
        if day > 20 and rng.random() < 1 / 160:  # a flare: symptoms spread down the leg again
            s.base = min(8.8, s.base + rng.uniform(2.5, 5.5))
        if rng.random() < 1 / 400:  # a spell of full remission
            s.base = 0.3
        s.severity = _clip(s.severity + 0.18 * (s.base - s.severity) + rng.gauss(0, 0.35), 0, 9)
        target = _clip((s.severity - 3.5) / 5, 0, 1)
        rate = 0.05 if target > s.weakness else 0.012  # strength is lost fast, regained slowly
        s.weakness = _clip(s.weakness + rate * (target - s.weakness) + rng.gauss(0, 0.01), 0, 1)

    def _extent(self, spread: float = 0.6) -> int:
        sev = self.s.severity
        if sev < 0.8 and self.rng.random() < 0.6:
            return 0
        return int(_clip(round(sev + self.rng.gauss(0, spread)), 0, 9))

    def _region(self, rank: int) -> str | None:
        return REGIONS[rank - 1] if rank >= 1 else None

    # Observations ----------------------------------------------------------------------------

    def _symptoms(self, extent: int, leg: float, back: float) -> list[Entry]:
        rng = self.rng
        if extent == 0:
            return []
        out: list[Entry] = []
        for i, side in enumerate(self.sides):
            e = extent if i == 0 else int(_clip(extent - rng.randint(0, 3), 0, 9))
            if e == 0:
                continue
            if e >= 3 and back >= 1:
                region = "low_back_center" if rng.random() < 0.3 else "low_back"
                out.append({"region": region, "side": "center" if region == "low_back_center" else side,
                            "sensation": "pain", "intensity": round(back)})
            if e >= 5 and rng.random() < 0.5:
                mid = rng.randint(3, e - 1)
                out.append({"region": REGIONS[mid - 1], "side": side,
                            "sensation": rng.choice(("pain", "pain", "burning")),
                            "intensity": round(_clip(leg - 1, 0, 10))})
            if e <= 2:
                sensation = "pain"
            elif e >= 6:
                sensation = rng.choice(("pain", "tingling", "tingling", "numbness", "burning"))
            else:
                sensation = rng.choice(("pain", "pain", "burning", "tingling"))
            region = REGIONS[e - 1]
            out.append({"region": region, "side": "center" if region == "low_back_center" else side,
                        "sensation": sensation, "intensity": round(_clip(leg if e >= 3 else back, 0, 10))})
            if self.s.weakness > 0.35 and rng.random() < 0.2:
                out.append({"region": rng.choice(("calf", "ankle", "foot")), "side": side,
                            "sensation": "weakness", "intensity": round(_clip(self.s.weakness * 10, 1, 10))})
        return out

    def _pain(self, extent: int) -> Entry:
        rng, sev = self.rng, self.s.severity
        leg = _clip(round(sev * 0.95 + rng.gauss(0, 1.0) - (1.5 if extent <= 2 else 0)), 0, 10)
        back = _clip(round(2.5 + rng.gauss(0, 1.3) + (1.0 if 2 <= sev <= 5 else 0)), 0, 10)
        fields: Entry = {
            "leg": int(leg) if rng.random() > 0.05 else None,
            "back": int(back) if rng.random() > 0.15 else None,
            "share_of_day_percent": int(_clip(round(sev * 10 + rng.gauss(0, 8)), 0, 100))
            if rng.random() > 0.2 else None,
            "episodes": int(_clip(round(sev * 0.8 + rng.gauss(0, 1)), 0, 20)) if rng.random() > 0.4 else None,
        }
        if all(x is None for x in fields.values()):
            fields["leg"] = int(leg)
        return fields

    def _checkin(self, when: datetime, backfill: datetime | None) -> None:
        rng = self.rng
        extent = self._extent()
        pain = self._pain(extent)
        leg = pain["leg"] if pain["leg"] is not None else self.s.severity
        back = pain["back"] if pain["back"] is not None else 2
        note = rng.choice(NOTES) if rng.random() < 0.03 else None
        self.emit("SymptomsRecorded", when, {"symptoms": self._symptoms(extent, leg, back),
                                             "context": rng.choice(CONTEXTS)}, recorded=backfill, note=note)
        if rng.random() < 0.92:
            later = backfill + timedelta(seconds=40) if backfill else None
            rated = self.emit("PainRated", when + timedelta(seconds=30), pain, recorded=later)
            if rng.random() < 0.006 and backfill is None:  # saved twice by mistake, then retracted
                recorded = datetime.fromisoformat(rated["recorded_at"])
                dup = self.emit("PainRated", when + timedelta(seconds=30), dict(pain),
                                recorded=recorded + timedelta(seconds=5), keep=False)
                self.emit("EntryRetracted", recorded + timedelta(minutes=2),
                          {"target": dup["entry_id"], "reason": "entered twice"},
                          recorded=recorded + timedelta(minutes=2, seconds=3), keep=False)

    def _walk(self, when: datetime) -> None:
        rng, sev = self.rng, self.s.severity
        total = rng.choice((10, 15, 20, 20, 25, 30, 30, 30, 45))
        tolerance = max(0.0, 32 - sev * 3.6 + rng.gauss(0, 3))
        if tolerance >= total:
            to_symptoms, extent = None, None
        else:
            to_symptoms = round(tolerance, 1)
            extent = self._region(int(_clip(round(sev + rng.gauss(0, 0.7)), 1, 9)))
        self.emit("WalkRecorded", when, {"total_minutes": total, "minutes_to_symptoms": to_symptoms,
                                         "extent_at_stop": extent},
                  recorded=self._maybe_backfilled(when, 0.02))

    def _exercise(self, when: datetime) -> None:
        rng = self.rng
        name = rng.choice(list(EXERCISES))
        before = self._extent()
        roll = rng.random()
        if before == 0:
            after = 0
        elif roll < EXERCISES[name]:
            after = max(0, before - rng.randint(1, 2))
        elif roll > 0.93 or (name == "knee to chest" and roll > 0.7):
            after = min(9, before + 1)
        else:
            after = before
        self.emit("ExerciseResponseRecorded", when, {"exercise": name, "extent_before": self._region(before),
                                                     "extent_after": self._region(after)})

    def _weekly_tests(self, when: datetime) -> None:
        rng, s = self.rng, self.s
        backfill = self._maybe_backfilled(when, 0.04)
        t = when
        for side in ("left", "right"):
            affected = side in self.sides
            reps = 27 * (1 - 0.92 * s.weakness) if affected else 27.0
            self.emit("HeelRaisesTested", t, {"side": side, "repetitions": int(_clip(round(reps + rng.gauss(0, 2)),
                                                                                     0, 200))},
                      recorded=backfill)
            t += timedelta(minutes=3)
        for side in self.sides:
            self.emit("StraightLegRaiseTested", t,
                      {"side": side, "degrees": int(_clip(round(88 - s.severity * 6 + rng.gauss(0, 4)), 5, 110))},
                      recorded=backfill)
            t += timedelta(minutes=2)
            positive = s.severity + rng.gauss(0, 1) > 3.5
            deficit = int(_clip(round(s.severity * 4 + rng.gauss(0, 3)), 0, 60)) if positive else None
            self.emit("SlumpTested", t, {"side": side, "result": "positive" if positive else "negative",
                                         "knee_extension_deficit_degrees": deficit}, recorded=backfill)
            t += timedelta(minutes=2)
        reach = _clip(round(s.severity - 1 + rng.gauss(0, 0.8)), 0, 9)
        self.emit("ForwardBendTested", t, {"fingertip_to_floor_cm": int(_clip(round(2 + s.severity * 4
                                                                                    + rng.gauss(0, 3)), -40, 120)),
                                           "extent": self._region(int(reach))}, recorded=backfill)

    def _red_flags(self, when: datetime) -> None:
        s = self.s
        present: list[str] = []
        if s.soon_flag is not None:
            present.append(s.soon_flag)
            s.soon_left -= 1
            if s.soon_left < 0:
                s.soon_flag = None
                present = []
        self.emit("RedFlagsChecked", when, {"present": present})

    def _soon_flag_starts(self, when: datetime) -> None:
        s, rng = self.s, self.rng
        s.soon_flag = rng.choice(SOON_FLAGS)
        s.soon_left = rng.randint(1, 2)
        self.emit("RedFlagsChecked", when, {"present": [s.soon_flag]},
                  note="Mentioned it to my GP." if rng.random() < 0.5 else None)

    def _emergency(self, when: datetime) -> None:
        rng = self.rng
        flag = rng.choice(EMERGENCY_FLAGS)
        checked = self.emit("RedFlagsChecked", when, {"present": [flag]})
        recorded = datetime.fromisoformat(checked["recorded_at"])
        self.emit("RedFlagAcknowledged", when + timedelta(minutes=1), {"flags": [flag]},
                  recorded=recorded + timedelta(seconds=rng.randint(10, 50)))
        self.emit("NoteAdded", when + timedelta(hours=5),
                  {"text": "Seen at the emergency department; no cauda equina, sent home."})
        still = [self.s.soon_flag] if self.s.soon_flag else []
        self.emit("RedFlagsChecked", when + timedelta(days=1), {"present": still})

    def _therapist(self, when: datetime) -> int:
        """One visit; returns the days until the next."""
        rng, s = self.rng, self.s
        t = when
        graded: Entry | None = None
        for side in self.sides:
            for muscle in ("ankle_dorsiflexion", "great_toe_extension"):
                grade = int(_clip(5 - round(s.weakness * 3.2 + rng.gauss(0, 0.3)), 0, 5))
                graded = self.emit("MuscleGraded", t, {"muscle": muscle, "side": side, "grade": grade})
                t += timedelta(minutes=2)
            for test in ("heel_walk", "toe_walk"):
                w = s.weakness + rng.gauss(0, 0.05) + (0.1 if test == "heel_walk" else 0)
                result = "normal" if w < 0.35 else "impaired" if w < 0.8 else "unable"
                self.emit("GaitChecked", t, {"test": test, "side": side, "result": result})
                t += timedelta(minutes=2)
        about = graded["entry_id"] if graded is not None and rng.random() < 0.6 else None
        # Written after the visit's entries were saved, so ``about`` always precedes it in the log.
        last_saved = max(recorded for recorded, _, _ in self.out[-4 * len(self.sides):])
        self.emit("ReviewNoteAdded", t + timedelta(minutes=5),
                  {"therapist": self.therapist, "text": rng.choice(REVIEW_NOTES), "about": about},
                  recorded=max(last_saved, t + timedelta(minutes=5)) + timedelta(minutes=rng.randint(2, 30)))
        if not self.measures_assigned:
            self._assign_measures(t + timedelta(minutes=10))
        symptomatic = s.severity > 2.5 or s.weakness > 0.2
        return rng.randint(14, 28) if symptomatic else rng.randint(60, 90)

    def _measure_entry(self, type_name: str, when: datetime, fields: Entry) -> None:
        m = self.mrng
        entry: Entry = {"type": type_name, "entry_id": str(uuid.UUID(int=m.getrandbits(128), version=4)),
                        "observed_at": when.isoformat(timespec="seconds"),
                        "recorded_at": (when + timedelta(minutes=m.randint(1, 9))).isoformat(timespec="seconds"),
                        **fields}
        self.out.append((datetime.fromisoformat(entry["recorded_at"]), len(self.out), entry))

    def _assign_measures(self, when: datetime) -> None:
        self.measures_assigned = True
        for i, (measure, activities) in enumerate((("psfs", list(PSFS_ACTIVITIES)), ("sbi", []), ("peg", []))):
            self._measure_entry("MeasureAssigned", when + timedelta(minutes=i),
                                {"therapist": self.therapist, "measure": measure, "every_days": 14,
                                 "activities": activities})

    def _answer_measures(self, when: datetime) -> None:
        """PSFS, SBI and PEG answered, following the severity (0 best … ~10 worst)."""
        m, sev = self.mrng, self.s.severity

        def rated(hi: int, worse: bool) -> int:
            base = sev / 10 * hi if worse else hi - sev / 10 * hi
            return int(_clip(round(base + m.gauss(0, 0.8)), 0, hi))

        answers = {
            "psfs": [{"item": name, "value": rated(10, False)} for name in PSFS_ACTIVITIES],
            "sbi": [{"item": item, "value": rated(6, True)}
                    for item in ("leg_pain", "numbness_tingling", "leg_weakness", "sitting_pain")],
            "peg": [{"item": item, "value": rated(10, True)} for item in ("pain", "enjoyment", "general_activity")],
        }
        for i, (measure, given) in enumerate(answers.items()):
            self._measure_entry("MeasureAnswered", when + timedelta(minutes=i), {"measure": measure, "answers": given})

    def _correction(self, now: datetime) -> None:
        rng, s = self.rng, self.s
        candidates = [r for r in s.recent
                      if r.recorded < now - timedelta(minutes=1) and r.entry["entry_id"] not in s.touched]
        if not candidates:
            return
        target = rng.choice(candidates[-20:])
        entry = target.entry
        s.touched.add(entry["entry_id"])
        if rng.random() < 0.15:
            self.emit("EntryRetracted", now, {"target": entry["entry_id"],
                                              "reason": "wrong day, not what happened"}, keep=False)
            return
        replacement = {k: v for k, v in entry.items() if k not in ("entry_id", "recorded_at", "observed_at", "note")}
        kind = entry["type"]
        if kind == "PainRated":
            if replacement["leg"] is not None:
                replacement["leg"] = int(_clip(replacement["leg"] + rng.choice((-2, -1, 1, 2)), 0, 10))
            else:
                replacement["leg"] = rng.randint(1, 6)
            reason = "typed the wrong number"
        elif kind == "SymptomsRecorded":
            symptoms = [dict(x) for x in replacement["symptoms"]]
            if symptoms:
                symptoms[-1]["intensity"] = int(_clip(symptoms[-1]["intensity"] + rng.choice((-2, -1, 1)), 0, 10))
                if len(symptoms) > 1 and rng.random() < 0.5:
                    symptoms.pop(0)
            replacement["symptoms"] = symptoms
            reason = "marked the wrong area"
        elif kind == "WalkRecorded":
            replacement["total_minutes"] = replacement["total_minutes"] + 5
            reason = "walk was longer than entered"
        elif kind == "HeelRaisesTested":
            replacement["repetitions"] = int(_clip(replacement["repetitions"] + rng.choice((-3, 2, 4)), 0, 200))
            reason = "miscounted"
        elif kind == "StraightLegRaiseTested":
            replacement["degrees"] = int(_clip(replacement["degrees"] + rng.choice((-5, 5)), 0, 120))
            reason = "re-measured the angle"
        else:  # ForwardBendTested
            replacement["fingertip_to_floor_cm"] = int(_clip(replacement["fingertip_to_floor_cm"] - 3, -40, 120))
            reason = "measured to the wrong mark"
        if rng.random() < 0.1:  # the entry was put on the wrong day
            observed = datetime.fromisoformat(entry["observed_at"]) - timedelta(days=1)
            replacement["observed_at"] = observed.isoformat(timespec="seconds")
            reason = "entered on the wrong day"
        self.emit("EntryCorrected", now, {"target": entry["entry_id"], "replacement": replacement,
                                          "reason": reason}, keep=False)

    # The story ----------------------------------------------------------------------------------

    def run(self) -> list[Entry]:
        rng, s = self.rng, self.s
        first = datetime.combine(self.start, datetime.min.time()) + timedelta(hours=6, minutes=30)
        self.emit("JournalStarted", first, {"patient": self.patient, "affected_side": self.side,
                                            "onset_date": self.onset.isoformat()},
                  recorded=first + timedelta(seconds=20))
        test_weekday = rng.randint(0, 6)
        for day in range(self.days):
            today = self.start + timedelta(days=day)
            midnight = datetime.combine(today, datetime.min.time())

            def at(hour: int, spread_min: int = 50, _midnight: datetime = midnight) -> datetime:
                return _midnight + timedelta(hours=hour, minutes=rng.randint(0, spread_min),
                                             seconds=rng.randint(0, 59))

            self._evolve(day)
            n = rng.choice((2, 3, 3, 3, 4, 4, 4))
            hours = sorted(rng.sample((7, 10, 13, 16, 19, 21), n))
            evening_backfill = self._maybe_backfilled(midnight + timedelta(hours=21), 0.03)
            for i, hour in enumerate(hours):
                backfill = evening_backfill if i == len(hours) - 1 and evening_backfill else None
                self._checkin(at(hour), backfill)
            if rng.random() < 0.85:
                self._walk(at(rng.choice((8, 12, 17, 18))))
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                self._exercise(at(rng.choice((9, 14, 20))))
            if today.weekday() == test_weekday:
                self._weekly_tests(at(10))
                self._red_flags(at(11))
                if self.measures_assigned and (day // 7) % 2 == 0:
                    self._answer_measures(at(11) + timedelta(minutes=30))
            if day == s.next_therapist:
                s.next_therapist = day + self._therapist(at(15, 90))
            if day == s.next_emergency:
                self._emergency(at(22, 20))
                s.next_emergency = day + rng.randint(900, 1800)
            elif s.soon_flag is None and day > 3 and rng.random() < 1 / 250:
                self._soon_flag_starts(at(20))
            if rng.random() < 0.4:
                self._add_note(at(22, 40))
            for _ in range(self._poisson(0.2)):
                self._correction(at(rng.choice((12, 20, 21))))
        self.out.sort(key=lambda item: (item[0], item[1]))
        return [entry for _, _, entry in self.out]

    def _add_note(self, when: datetime) -> None:
        self.emit("NoteAdded", when, {"text": self.rng.choice(NOTES)})

    def _poisson(self, lam: float) -> int:
        k, p, limit = 0, 1.0, math.exp(-lam)
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1


def generate(years: float, seed: int = 1) -> list[Entry]:
    """The journal of YEARS years (fractions allowed) for SEED: interchange objects in file order."""
    return _Generator(years, seed).run()


def to_lines(entries: Iterable[Entry]) -> Iterable[str]:
    for entry in entries:
        yield json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def write(entries: Iterable[Entry], out: Path) -> int:
    tmp = out.with_name(out.name + ".part")
    count = 0
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        for line in to_lines(entries):
            f.write(line + "\n")
            count += 1
    tmp.replace(out)
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.generate",
                                     description="Write a realistic journal as interchange JSON lines.")
    parser.add_argument("--years", type=float, default=10.0, help="length of the journal (fractions allowed)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("out", type=Path, help="the .jsonl file to write")
    args = parser.parse_args(argv)
    count = write(generate(args.years, args.seed), args.out)
    print(f"Wrote {count} events ({args.years:g} years, seed {args.seed}) to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
