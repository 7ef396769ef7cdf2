"""The clinic's caseload for the desktop (issue 20): no Qt, typed queries over the clinic store.

``CaseloadSession`` is what the caseload window talks to: the rows (most urgent first, the
order of ``projections.caseload``), the therapists to filter by, a patient opened for review
from the store (``open_patient``), and the therapist's new entries written back to the store
after each save. The store is ``domain.clinic.ClinicStore`` (the connection, roles and read
model are there); this layer only shapes its answers for the window, so a view never imports
``domain``.

The clinic's address is a libpq URL without a password: libpq takes the password from
``PGPASSWORD`` or ``~/.pgpass``. ``check_url`` refuses a URL that holds one (the store's own
rule, ``ClinicConnection.from_url``), so the window never remembers or shows a password.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from projections.caseload import CHECK_IN_DAYS, CaseloadRow, Group, rows_from_stored

if TYPE_CHECKING:
    from desktop.session.core import JournalSession
    from domain.application import JournalApp
    from domain.events import EntryEvent

__all__ = ["CHECK_IN_DAYS", "NOT_ASSIGNED", "Caseload", "CaseloadRow", "CaseloadSession", "ClinicStoreLike", "Group",
           "NotAssigned", "TherapistChoice", "check_url"]


class NotAssigned(Enum):
    """The filter's choice of the patients no therapist is assigned to (not a name: a therapist
    could be called anything)."""

    CHOICE = "not_assigned"


NOT_ASSIGNED = NotAssigned.CHOICE
#: What the therapist filter keeps: everyone (None), one therapist's patients, or the unassigned.
TherapistChoice = str | NotAssigned | None


class ClinicStoreLike(Protocol):
    """What the session needs of the clinic store (``domain.clinic.ClinicStore`` is one)."""

    def caseload_json(self, therapist: str | None = None) -> bytes:
        """The rows as one JSON array in their stored form, most urgent first."""
        ...

    def current_therapist(self) -> str | None: ...

    def entries_waiting(self) -> int: ...

    def close(self) -> None: ...


class ReviewCopyLike(Protocol):
    """A review copy being written (``domain.clinic.review.ReviewCopy`` is one)."""

    @property
    def path(self) -> Path: ...

    @property
    def entries(self) -> Sequence[EntryEvent]:
        """Its log, decoded from the rows the file is written from."""
        ...

    def wait(self) -> None:
        """Until the file is whole (its failure raised)."""
        ...

    def open(self, therapist: str) -> JournalApp:
        """Opened for THERAPIST's review once whole, without reading it back."""
        ...


OpenCopy = Callable[[Any, str, str], ReviewCopyLike]  # (store, patient id, therapist) -> a review copy
PushEntries = Callable[[Any, Path], object]  # (store, review copy): its new entries to the store
Discard = Callable[[Path], None]  # a review copy and its private folder, removed


@dataclass(frozen=True)
class Caseload:
    """One answer for the window: the rows shown and what the filter can offer."""

    rows: tuple[CaseloadRow, ...]  # most urgent first
    therapists: tuple[str, ...]  # every assigned therapist of the visible patients, by name
    therapist: TherapistChoice  # the filter applied (None: every patient the role may read)
    unassigned: int  # visible patients with no therapist
    urgent_elsewhere: int  # patients with an emergency or today flag left out by the filter
    today: date
    oldest: date | None = None  # the earliest day a shown row was worked out for (None: no rows)
    waiting: int = 0  # entries in the store not yet in the caseload (its runner is behind)

    @property
    def stale(self) -> bool:
        """Whether some row was worked out before today (the caseload service has not run)."""
        return self.oldest is not None and self.oldest < self.today

    @property
    def red_flags(self) -> int:
        return sum(r.group is Group.RED_FLAG for r in self.rows)


def check_url(url: str) -> str:
    """URL as it may be remembered and shown; JournalError (one sentence) for an empty or
    malformed URL or one that holds a password."""
    from domain.clinic import ClinicConnection

    url = url.strip()
    ClinicConnection.from_url(url)  # refuses a password, names what is wrong
    return url


class CaseloadSession:
    """One connection to the clinic store, as the caseload window uses it."""

    def __init__(self, store: ClinicStoreLike, where: str, *, open_copy: OpenCopy, push: PushEntries,
                 discard: Discard, on_close: Callable[[], None] | None = None) -> None:
        self.store = store
        self._on_close = on_close  # what else the connection holds (the copies' writing process)
        self.where = where  # the URL, without a password (for the window's title)
        self._open_copy = open_copy
        self._push = push
        self._discard = discard
        self.copies: dict[Path, uuid.UUID] = {}  # the review copies opened and not yet discarded
        self.today: Callable[[], date] = date.today  # replaceable in tests

    @classmethod
    def connect(cls, url: str) -> CaseloadSession:
        """Connect to the store at URL (``check_url`` first); JournalError when it cannot."""
        from domain.clinic import ClinicStore

        where = check_url(url)
        return cls.of(ClinicStore.connect(where), where)

    @classmethod
    def of(cls, store: Any, where: str) -> CaseloadSession:
        """The session over an open ``domain.clinic.ClinicStore`` (WHERE: its URL, for the title)."""
        from domain.clinic import discard_review_copy, push_entries
        from domain.clinic.copy_writer import CopyWriter, writes_in_a_process
        from domain.clinic.review_copy import take_review_copy
        from domain.clinic.review_folders import sweep

        # Review copies an earlier run left (it crashed, or was killed) are a patient's health
        # data in a temporary folder: removed now, those of a process still running kept.
        sweep()
        # The review copies are written in a process of their own while this one decodes them;
        # started now, so the first patient opened does not wait for it.
        writer = CopyWriter()
        if writes_in_a_process():
            writer.start()

        def open_copy(store: Any, patient: str, therapist: str) -> ReviewCopyLike:
            return take_review_copy(store, patient, therapist, writer=writer)

        return cls(store, where, open_copy=open_copy, push=push_entries, discard=discard_review_copy,
                   on_close=writer.close)

    def caseload(self, therapist: TherapistChoice = None) -> Caseload:
        """The caseload, most urgent first; THERAPIST keeps that therapist's patients only (or,
        NOT_ASSIGNED, those without one), and the answer counts the red flags it leaves out.
        The store answers in the caseload's order (``projections.caseload.order_key``, kept by
        its runner), so 2,000 patients are one fetch and one decode, not a sort; the filter
        keeps from that one answer (it needs every row anyway, for the counts)."""
        everyone = rows_from_stored(self.store.caseload_json(None))
        if therapist is None:
            shown = everyone
        else:
            wanted = None if therapist is NOT_ASSIGNED else therapist
            shown = [r for r in everyone if r.therapist == wanted]
        kept = {r.patient_id for r in shown}
        names = sorted({r.therapist for r in everyone if r.therapist}, key=lambda n: (n.casefold(), n))
        return Caseload(
            rows=tuple(shown), therapists=tuple(names), therapist=therapist,
            unassigned=sum(r.therapist is None for r in everyone),
            urgent_elsewhere=sum(r.group is Group.RED_FLAG and r.patient_id not in kept for r in everyone),
            today=self.today(), oldest=min((r.as_of for r in shown), default=None),
            waiting=self.store.entries_waiting())

    def therapist(self) -> str | None:
        """The therapist this connection's role is (None: the administrator)."""
        return self.store.current_therapist()

    def open_for_review(self, patient_id: uuid.UUID, therapist: str) -> Path:
        """A review copy of everything the store holds for the patient, to open for THERAPIST
        (a private temporary file; ``discard`` removes it)."""
        copy = self._take(patient_id, therapist)
        self._settle(copy)
        return copy.path

    def open_patient(self, patient_id: uuid.UUID, therapist: str) -> JournalSession:
        """The patient opened for THERAPIST's review from the store, as File → Open for review
        opens a file: the journal and the window's read models. The copy is written while its
        entries are decoded and the timeline is built from them (``domain.clinic.review_copy``),
        and is not read back; the journal waits for it where it first needs it (the first save,
        an export), so this does not. JournalError (one sentence) when it cannot be opened;
        nothing is left then."""
        from desktop.session.core import JournalSession
        from desktop.session.opening import open_session
        from projections.timeline import Timeline

        copy = self._take(patient_id, therapist)
        try:
            timeline = Timeline(list(copy.entries))  # while the copy is being written
            app = copy.open(therapist)
            if app.integrity_problem is not None:
                # Not for bytes just written by this app; if it were, the file's own rules decide
                # (read in full, read-only when its chain fails), as for any file.
                app.close()
                copy.wait()
                return open_session(copy.path, therapist=therapist)
            try:
                session = JournalSession(app, timeline)
                session.saved_where = None  # the window says whether it reached the store
                return session
            except BaseException:
                app.close()
                raise
        except BaseException:
            self.discard(copy.path)  # once the copy being written is done (``discard_review_copy``)
            raise

    def _take(self, patient_id: uuid.UUID, therapist: str) -> ReviewCopyLike:
        copy = self._open_copy(self.store, str(patient_id), therapist)
        self.copies[Path(copy.path)] = patient_id
        return copy

    def _settle(self, copy: ReviewCopyLike) -> None:
        """Wait until COPY is whole; when it cannot be written, forget it (it removed itself)."""
        try:
            copy.wait()
        except BaseException:
            with suppress(Exception):
                self.discard(copy.path)
            raise

    def is_copy(self, path: Path) -> bool:
        return Path(path) in self.copies

    def push(self, path: Path) -> int:
        """The review copy's new entries (the therapist's notes and clinic tests) to the store:
        the store's union-by-entry merge, so pushing twice adds nothing. How many it added."""
        report = self._push(self.store, Path(path))
        added = getattr(report, "added", 0)  # the store's AddReport
        return added if isinstance(added, int) else 0

    def discard(self, path: Path) -> None:
        """Remove the review copy PATH (once its journal is closed in the window; a copy still
        being written is waited for first, so nothing is left behind)."""
        if Path(path) in self.copies:
            del self.copies[Path(path)]
            self._discard(Path(path))

    def close(self) -> None:
        """Disconnect, removing every review copy (none may still be open in the window)."""
        for path in list(self.copies):
            self.discard(path)
        if self._on_close is not None:
            self._on_close()
        self.store.close()
