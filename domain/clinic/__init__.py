"""Clinic mode: a clinic's copies of its patients' journals in its own PostgreSQL server
(issue 20, ``docs/clinic.md``). No Qt here; the desktop and ``desktop/clinic_cli.py`` use this.

Public API (what the desktop and the CLI code against)::

    from domain.clinic import ClinicStore, open_review_copy, push_entries

    store = ClinicStore.connect(url)          # url: a libpq URL (``--db`` / SCIATICA_CLINIC_DB);
                                              # the password comes from PGPASSWORD or ~/.pgpass
    reports = store.add([path, ...])          # take in patients' copies: list[AddReport], all or nothing
    store.export(patient, out_path)           # a .sciatica review copy of everything held for PATIENT
    store.assign(patient, therapist)          # one PostgreSQL role per therapist; RLS limits reads
    store.patients() -> list[PatientRecord]   # journal_id, name, therapist (only visible ones)
    store.find_patient("A. Patient" | id)     # -> PatientRecord (journal id or unique name)
    store.entries(journal_id) -> list[EntryEvent]   # one patient's entries, by index, log order
    store.caseload_rows(therapist=None) -> list[dict]     # the read model's rows as stored
                                              # (CaseloadRow's fields), most urgent first, therapist
                                              # read live; store.caseload_json(therapist) -> bytes is
                                              # the same as one array (projections.caseload.rows_from_stored)
    store.current_therapist() -> str | None   # the therapist this connection's role is
    store.close()

    path = open_review_copy(store, patient, therapist)  # a private temp .sciatica file
    copy = take_review_copy(store, patient, therapist)  # the same, written while its rows are
    app = copy.open(therapist)                # decoded; opened without reading it back
    push_entries(store, path)                 # after each save: new entries go back to the store
                                              # by the same add path (two therapists both land)

Errors are ``domain.errors.JournalError`` subclasses (``ClinicError``) with one plain sentence.
Tables are created only by ``domain.clinic.caseload.initialise`` (``sciatica clinic init``). The
caseload read model is kept by eventsourcing's ``ProjectionRunner`` (``domain.clinic.caseload``)
with a PostgreSQL tracking table; each row is ``projections.caseload``'s (one implementation),
bound in by ``desktop.clinic_cli.clinic_caseload()`` since ``domain`` cannot import ``projections``.
"""

from __future__ import annotations

from domain.clinic.connection import ENV_URL, ClinicConnection, ClinicError
from domain.clinic.intake import AddReport
from domain.clinic.review import discard_review_copy, open_review_copy, push_entries
from domain.clinic.review_copy import ReviewCopy, take_review_copy
from domain.clinic.store import ClinicStore, PatientRecord

__all__ = ["ENV_URL", "AddReport", "ClinicConnection", "ClinicError", "ClinicStore", "PatientRecord",
           "ReviewCopy", "discard_review_copy", "open_review_copy", "push_entries", "take_review_copy"]
