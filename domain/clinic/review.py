"""Reviewing a patient from the clinic store in the desktop's review mode.

The desktop reviews files, so a patient is opened from the store as a *review copy*: everything
the store holds for them, written to a private temporary file (``open_review_copy``), opened
with ``JournalApp.open_for_review``. After each save the session calls ``push_entries``: the
copy goes back to the store by the same path as ``sciatica clinic add`` (verified, union by
entry, idempotent), so the therapist's new notes and clinic tests land in the store, and two
therapists writing for the same patient at once both land (each adds what the store lacks).

``domain.clinic.review_copy.take_review_copy`` is how the desktop opens one, without reading
the copy back.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from domain.clinic import review_folders
from domain.clinic.review_folders import REVIEW_PREFIX

if TYPE_CHECKING:
    from domain.clinic.intake import AddReport
    from domain.clinic.store import ClinicStore, PatientRecord

__all__ = ["REVIEW_PREFIX", "copy_path", "discard_review_copy", "open_review_copy", "push_entries",
           "review_copy_name"]


def open_review_copy(store: ClinicStore, patient: str, therapist: str | None = None) -> Path:
    """A new ``.sciatica`` file, in a folder only this user can read (mode 0700; in memory
    when there is room, ``domain.merging.memory_folder``), holding everything the store has
    for PATIENT (journal id or unique name). THERAPIST (default: the
    connection's own therapist) is only named in the folder, so a listing says whose it is.
    The caller opens it with ``JournalApp.open_for_review(path, therapist)`` and removes the
    folder when done (``discard_review_copy``). ``review_copy.take_review_copy`` also gives its
    journal, decoded as the file is written."""
    record = store.find_patient(patient)
    path = copy_path(store, record, therapist)
    try:
        store.export(record, path)
    except BaseException:
        discard_review_copy(path)
        raise
    return path


def copy_path(store: ClinicStore, record: PatientRecord, therapist: str | None) -> Path:
    """The review copy's path in a new private folder (mode 0700, in memory when there is room),
    this process's until ``discard_review_copy`` (``review_folders``: swept if it dies first)."""
    folder = review_folders.new_folder(therapist or store.current_therapist() or "clinic")
    return folder / review_copy_name(record.patient, str(record.journal_id))


def review_copy_name(patient: str, journal_id: str) -> str:
    """The review copy's file name: the patient's name (the window shows it; an id says nothing
    to the therapist) with only letters, digits, spaces and ``.,'()-`` kept, so it can never
    name a path outside its folder; the journal id when nothing is left. Each copy has a new
    folder, so two patients of one name never meet."""
    name = re.sub(r"[^\w .,'()-]+", "", patient).strip(" .")[:60]
    return f"{name or journal_id}.sciatica"


def push_entries(store: ClinicStore, path: Path | str) -> AddReport:
    """Send the review copy PATH back to the store (``ClinicStore.add``): the entries the store
    lacks are added, nothing else changes; adding again adds nothing."""
    return store.add([Path(path)])[0]


def discard_review_copy(path: Path | str) -> None:
    """Remove a review copy and its private folder (after the review window closes), once a
    copy still being written into it is done (``review_folders.discard``)."""
    review_folders.discard(path)
