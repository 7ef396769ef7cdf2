"""``sciatica export FILE --fhir OUT.json``: one FHIR R4 collection Bundle, checked for structure
(resource types, unique ids, references that resolve, each type's required fields) on a
generated months-long journey with corrections, retractions, therapist visits and measures,
and every resource validated against the FHIR R4 (4.0.1) models of ``fhir.resources`` 6.4
(a test dependency only: 6.5+ is R4B, 7+ R5)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import fhir.resources
import pytest
from fhir.resources import get_fhir_model_class
from fhir.resources.bundle import Bundle
from pydantic import ValidationError

from benchmarks.generate import generate, to_lines
from desktop.cli import main
from domain.application import JournalApp
from domain.events import EntryRetracted, MeasureAnswered, PainRated
from projections.entries import EffectiveEntries

REQUIRED = {  # FHIR R4 cardinality 1..1 / 1..* of the elements this export uses
    "Patient": set(),
    "Practitioner": set(),
    "Observation": {"status", "code"},
    "QuestionnaireResponse": {"status"},
}
STATUSES = {"Observation": {"final", "amended"}, "QuestionnaireResponse": {"completed", "amended"}}


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in references(v)]
    if isinstance(node, list):
        return [r for v in node for r in references(v)]
    return []


def validate_r4(bundle: dict[str, Any]) -> None:
    """The bundle, and each of its resources on its own, against the FHIR R4 models (raises
    pydantic's ValidationError naming the element)."""
    assert fhir.resources.__fhir_version__ == "4.0.1"  # R4, not R4B or R5
    Bundle.parse_obj(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).parse_obj(resource)


def check_bundle(bundle: dict[str, Any]) -> Counter[str]:
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    validate_r4(bundle)
    urls = [e["fullUrl"] for e in bundle["entry"]]
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    assert len(set(urls)) == len(urls) and len(set(ids)) == len(ids)
    kinds: Counter[str] = Counter()
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        kinds[kind] += 1
        assert kind in REQUIRED and REQUIRED[kind] <= set(resource), resource
        assert entry["fullUrl"] == f"urn:uuid:{resource['id']}"
        if kind in STATUSES:
            assert resource["status"] in STATUSES[kind]
        for ref in references(resource):
            assert ref in urls, f"{ref} does not resolve"
        if kind == "Observation":
            assert resource["performer"] and resource["effectiveDateTime"][-6] in "+-"  # a time has a zone
            quantity = resource["valueQuantity"]
            assert quantity["system"] == "http://unitsofmeasure.org" and quantity["code"]
    assert kinds["Patient"] == 1
    return kinds


def test_a_journey_exports_one_resource_per_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "journey.jsonl"
    source.write_text("\n".join(to_lines(generate(0.4, seed=3))) + "\n", encoding="utf-8")
    path, out = tmp_path / "j.sciatica", tmp_path / "bundle.json"
    assert main(["import", str(path), str(source)]) == 0
    assert main(["export", str(path), "--fhir", str(out)]) == 0
    assert "Wrote a FHIR bundle" in capsys.readouterr().err
    bundle = json.loads(out.read_text(encoding="utf-8"))
    kinds = check_bundle(bundle)
    with JournalApp.open(path, readonly=True) as app:
        events = app.entries()
    effective = EffectiveEntries()
    for e in events:
        effective.apply(e)
    current = effective.current()
    pain_values = sum((e.leg is not None) + (e.back is not None) for e in current if isinstance(e, PainRated))
    mapped = sum(1 for e in current if type(e).__name__ in {
        "WalkRecorded", "HeelRaisesTested", "StraightLegRaiseTested", "MuscleGraded"})
    assert kinds["Observation"] == pain_values + mapped
    assert kinds["QuestionnaireResponse"] == sum(isinstance(e, MeasureAnswered) for e in current) > 0
    # Clinic tests imported without --therapist are the patient's; notes and assignments are not exported.
    assert kinds["Practitioner"] == 0
    retracted = {e.target for e in events if isinstance(e, EntryRetracted)}
    assert retracted and not retracted & {uuid for uuid in (r["resource"]["id"] for r in bundle["entry"])}
    # The same journal always gives the same bundle (ids are entry ids).
    again = tmp_path / "again.json"
    assert main(["export", str(path), "--fhir", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()


def test_corrections_are_exported_as_the_corrected_value(journal_path: Path, journal: JournalApp,
                                                         tmp_path: Path) -> None:
    pain = journal.rate_pain("2026-01-13T08:00", leg=7, back=3)
    journal.correct(pain, {"leg": 5, "back": None}, reason="typo")
    journal.record("HeelRaisesTested", {"side": "left", "repetitions": 12}, observed_at="2026-01-13")
    journal.annotate("Dr. Ada Physio", "Seen.")
    journal.record("MuscleGraded", {"muscle": "ankle_dorsiflexion", "side": "left", "grade": 4},
                   observed_at="2026-01-14")
    journal.answer_measure("2026-01-14", "sbi", [{"item": i, "value": 2} for i in (
        "leg_pain", "numbness_tingling", "leg_weakness", "sitting_pain")])
    journal.close()
    out = tmp_path / "b.json"
    assert main(["export", str(journal_path), "--fhir", str(out)]) == 0
    bundle = json.loads(out.read_text(encoding="utf-8"))
    check_bundle(bundle)
    resources = {e["resource"]["id"]: e["resource"] for e in bundle["entry"]}
    leg = resources[str(pain)]
    assert (leg["status"], leg["valueQuantity"]["value"], leg["code"]["coding"][0]["code"]) == ("amended", 5, "72514-3")
    assert leg["bodySite"]["coding"][0]["code"] == "61685007"
    assert not any(r.get("bodySite", {}).get("text") == "Lumbar region structure" for r in resources.values())
    response = next(r for r in resources.values() if r["resourceType"] == "QuestionnaireResponse")
    assert response["questionnaire"] == "urn:sciatica-tracker:questionnaire:sbi"
    assert [i["answer"][0]["valueInteger"] for i in response["item"]] == [2, 2, 2, 2]
    heel = next(r for r in resources.values() if r.get("code", {}).get("text") == "Single-leg heel raises")
    assert heel["performer"][0]["display"] == "A. Patient"
    assert not list(tmp_path.glob(".*.part"))  # the temp file was renamed


def test_a_therapists_entry_names_a_practitioner_as_performer(journal: JournalApp) -> None:
    import uuid
    from datetime import UTC, datetime

    from domain.events import HeelRaisesTested, make_entry
    from projections.fhir import fhir_bundle

    # A clinic test recorded as the therapist's own (as ``import --therapist`` is to record them).
    tested = make_entry(HeelRaisesTested, entry_id=uuid.uuid4(), observed_at=datetime(2026, 1, 14, 10),
                        recorded_at=datetime(2026, 1, 14, 10, 5, tzinfo=UTC), author_role="therapist",
                        author_name="Dr. Ada Physio", note=None, fields={"side": "left", "repetitions": 9})
    bundle = fhir_bundle([*journal.entries(), tested])
    assert check_bundle(bundle)["Practitioner"] == 1
    practitioner = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Practitioner")
    observation = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == str(tested.entry_id))
    assert observation["performer"] == [{"reference": practitioner["fullUrl"], "display": "Dr. Ada Physio"}]


def test_the_validator_refuses_what_r4_does_not_allow(journal: JournalApp) -> None:
    """The R4 check can fail: a missing required element, a malformed dateTime and an element R4
    lacks are refused. (The models do not check a code against its value set, so the statuses
    are checked by ``check_bundle`` itself.)"""
    import copy

    from projections.fhir import fhir_bundle

    journal.rate_pain("2026-01-13T08:00", leg=4, back=None)
    bundle = fhir_bundle(journal.entries())
    validate_r4(bundle)
    observation = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation")
    for change in ({"code": None}, {"effectiveDateTime": "yesterday"}, {"painScore": 4}):
        broken = copy.deepcopy(bundle)
        resource = next(e for e in broken["entry"] if e["fullUrl"] == observation["fullUrl"])["resource"]
        resource.update(change)
        if change.get("code", 0) is None:
            del resource["code"]
        with pytest.raises(ValidationError):
            validate_r4(broken)
