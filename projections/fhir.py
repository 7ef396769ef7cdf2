"""A FHIR R4 ``Bundle`` (type ``collection``) of a journal (``docs/fhir-mapping.md``).

Built from the entries as today's best knowledge has them: a corrected entry is exported with
its corrected values (status ``amended``), a retracted one is left out. Pure data: nothing is
sent anywhere; the CLI writes the bundle to a file (``sciatica export FILE --fhir OUT.json``).
Resource ids are the entries' ids, so the same journal always gives the same bundle.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from domain.events import (
    EntryEvent,
    HeelRaisesTested,
    JournalStarted,
    MeasureAnswered,
    MuscleGraded,
    PainRated,
    StraightLegRaiseTested,
    WalkRecorded,
)
from domain.measures import SPECS, Measure
from domain.values import AuthorRole
from projections.entries import EffectiveEntries

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
LOCAL = "urn:sciatica-tracker:code"  # the project's codes where no standard code fits
QUESTIONNAIRE = "urn:sciatica-tracker:questionnaire:"
PAIN_CODE = {"system": LOINC, "code": "72514-3",
             "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}
# Body sites (SNOMED CT): the leg and the lower back for pain; each leg for the tests.
LEG_SITE = {"system": SNOMED, "code": "61685007", "display": "Lower limb structure"}
BACK_SITE = {"system": SNOMED, "code": "37822005", "display": "Lumbar region structure"}
SIDE_SITES = {"left": {"system": SNOMED, "code": "32153003", "display": "Structure of left lower limb"},
              "right": {"system": SNOMED, "code": "62175007", "display": "Structure of right lower limb"}}
MUSCLES = {"ankle_dorsiflexion": "Ankle dorsiflexion strength (MRC grade)",
           "great_toe_extension": "Great toe extension strength (MRC grade)"}


def _urn(entry_id: uuid.UUID) -> str:
    return f"urn:uuid:{entry_id}"


def _instant(moment: datetime) -> str:
    """A FHIR dateTime with a time needs a zone: a naive (local wall-clock) time is read as local."""
    return (moment if moment.tzinfo else moment.astimezone()).isoformat(timespec="seconds")


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def _local(code: str, text: str) -> dict[str, Any]:
    return {"coding": [{"system": LOCAL, "code": code, "display": text}], "text": text}


class _Bundle:
    def __init__(self, journal_id: uuid.UUID, patient: str) -> None:
        self.patient_ref = _urn(journal_id)
        self.entries: list[dict[str, Any]] = []
        self.practitioners: dict[str, str] = {}
        self.journal_id = journal_id
        self._add(journal_id, {"resourceType": "Patient", "name": [{"text": patient}]})

    def _add(self, rid: uuid.UUID, resource: dict[str, Any]) -> None:
        self.entries.append({"fullUrl": _urn(rid), "resource": {"resourceType": resource.pop("resourceType"),
                                                                "id": str(rid), **resource}})

    def author(self, event: EntryEvent) -> dict[str, Any]:
        """The entry's author as a reference: the patient, or a Practitioner made once per name."""
        if event.author_role != AuthorRole.THERAPIST:
            return {"reference": self.patient_ref, "display": event.author_name}
        ref = self.practitioners.get(event.author_name)
        if ref is None:
            rid = uuid.uuid5(self.journal_id, f"practitioner:{event.author_name}")
            self._add(rid, {"resourceType": "Practitioner", "name": [{"text": event.author_name}]})
            ref = self.practitioners[event.author_name] = _urn(rid)
        return {"reference": ref, "display": event.author_name}

    def observation(self, event: EntryEvent, rid: uuid.UUID, code: dict[str, Any], value: dict[str, Any], *,
                    amended: bool, body_site: dict[str, Any] | None = None) -> None:
        resource: dict[str, Any] = {
            "resourceType": "Observation", "status": "amended" if amended else "final", "code": code,
            "subject": {"reference": self.patient_ref}, "effectiveDateTime": _instant(event.observed_at),
            "issued": _instant(event.recorded_at), "performer": [self.author(event)], **value}
        if body_site is not None:
            resource["bodySite"] = {"coding": [body_site], "text": body_site["display"]}
        if event.note:
            resource["note"] = [{"text": event.note}]
        self._add(rid, resource)

    def questionnaire_response(self, event: MeasureAnswered, amended: bool) -> None:
        spec = SPECS[Measure(event.measure)]
        texts = dict(spec.items or ())
        items = [{"linkId": f"{i}", "text": texts.get(a["item"], a["item"]),
                  "answer": [{"valueInteger": a["value"]} if isinstance(a["value"], int)
                             else {"valueDecimal": a["value"]}]}
                 for i, a in enumerate(event.answers, start=1)]
        self._add(event.entry_id, {
            "resourceType": "QuestionnaireResponse", "questionnaire": QUESTIONNAIRE + event.measure,
            "status": "amended" if amended else "completed", "subject": {"reference": self.patient_ref},
            "authored": _instant(event.observed_at), "author": self.author(event), "item": items})


def _add_entry(bundle: _Bundle, event: EntryEvent, amended: bool) -> None:
    """One resource per exported value (a pain rating of leg and back gives two Observations)."""
    if isinstance(event, PainRated):
        for part, site in (("leg", LEG_SITE), ("back", BACK_SITE)):
            value = getattr(event, part)
            if value is not None:
                rid = event.entry_id if part == "leg" else uuid.uuid5(event.entry_id, "back")
                bundle.observation(event, rid, {"coding": [PAIN_CODE], "text": f"{part} pain"},
                                   {"valueQuantity": _quantity(value, "{score}", "{score}")}, amended=amended,
                                   body_site=site)
    elif isinstance(event, WalkRecorded):
        bundle.observation(event, event.entry_id, _local("walking_tolerance", "Walking tolerance"),
                           {"valueQuantity": _quantity(event.total_minutes, "min", "min")}, amended=amended)
    elif isinstance(event, HeelRaisesTested):
        bundle.observation(event, event.entry_id, _local("heel_raises", "Single-leg heel raises"),
                           {"valueQuantity": _quantity(event.repetitions, "repetitions", "{#}")}, amended=amended,
                           body_site=SIDE_SITES[event.side])
    elif isinstance(event, StraightLegRaiseTested):
        bundle.observation(event, event.entry_id, _local("straight_leg_raise", "Straight-leg raise angle"),
                           {"valueQuantity": _quantity(event.degrees, "degrees", "deg")}, amended=amended,
                           body_site=SIDE_SITES[event.side])
    elif isinstance(event, MuscleGraded):
        bundle.observation(event, event.entry_id, _local(event.muscle, MUSCLES[event.muscle]),
                           {"valueQuantity": _quantity(event.grade, "MRC grade", "{score}")}, amended=amended,
                           body_site=SIDE_SITES[event.side])
    elif isinstance(event, MeasureAnswered):
        bundle.questionnaire_response(event, amended)


def fhir_bundle(events: Iterable[EntryEvent]) -> dict[str, Any]:
    """The journal EVENTS as one FHIR R4 collection Bundle (``docs/fhir-mapping.md``)."""
    events = list(events)
    started = next((e for e in events if isinstance(e, JournalStarted)), None)
    if started is None:
        raise ValueError("a journal without JournalStarted has no patient to export")
    effective = EffectiveEntries()
    for event in events:
        effective.apply(event)
    bundle = _Bundle(started.entry_id, started.patient)
    for entry in effective.current():
        _add_entry(bundle, entry, amended=effective.winner(entry.entry_id) is not None)
    last = max((e.recorded_at for e in events), default=datetime.now(UTC))
    return {"resourceType": "Bundle", "id": str(uuid.uuid5(started.entry_id, "fhir-bundle")),
            "type": "collection", "timestamp": _instant(last), "entry": bundle.entries}
