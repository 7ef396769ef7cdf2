"""Plain caseload rows from the real journeys, for the model and view tests (no PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from projections.caseload import CaseloadRow, PatientCaseload
from tests.projections.caseload_journeys import journey_events, patient_id

# (journey, as of, therapist): one patient in each place of the caseload.
PATIENTS: tuple[tuple[str, str, str | None], ...] = (
    ("classic_recovery", "2026-05-04", "Dr Lee"),  # other: recovered
    ("back_rising", "2026-02-26", "A. Rivera"),  # silent: 5 days
    ("red_flags", "2026-02-01", "Dr Lee"),  # worsening: leg strength
    ("flare", "2026-02-10", None),  # flare, not assigned
    ("red_flags", "2026-01-12", "A. Rivera"),  # red flag: emergency (and a soon flag)
)


def row(journey: str, as_of: str, therapist: str | None) -> CaseloadRow:
    state = PatientCaseload.from_events(patient_id(journey), journey_events(journey), therapist)
    found = state.row(date.fromisoformat(as_of))
    # red_flags appears twice: one patient id each, a name that tells them apart.
    return replace(found, patient_id=patient_id(f"{journey}@{as_of}"), name=f"{found.name} ({as_of})")


def rows() -> list[CaseloadRow]:
    return [row(*p) for p in PATIENTS]
