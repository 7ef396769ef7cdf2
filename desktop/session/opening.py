"""Opening and creating journals for the window (no Qt: the window runs these on a worker)."""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from pathlib import Path

from desktop.session.checkpoint import Background, CheckpointStore, FileState, Restored, file_digest
from desktop.session.core import JournalSession
from desktop.session.face import SessionFace, SessionState
from desktop.session.index import EntryIndex
from domain.application import Deferred, JournalApp, Verified
from domain.errors import JournalError
from projections.timeline import Timeline


def open_app(path: Path, *, readonly: bool = False, passphrase: str | None = None,
             therapist: str | None = None, verified: Verified | Deferred | None = None) -> JournalApp:
    """Open PATH as the window does: for THERAPIST's review when given (the patient's entries
    read-only), and read-only whatever was asked when the hash chain fails (``integrity_problem``
    stays set, so the window can say why). PassphraseNeeded/WrongPassphrase for an encrypted
    journal without the right PASSPHRASE. VERIFIED: see ``JournalApp.open``."""
    if therapist is not None and not readonly:
        app = JournalApp.open_for_review(path, therapist, passphrase=passphrase)
    else:
        app = JournalApp.open(path, readonly=readonly, passphrase=passphrase, verified=verified)
        app.reviewer = therapist.strip() if therapist else None
    if app.integrity_problem and not app.readonly:
        reviewer = app.reviewer
        app.close()
        app = JournalApp.open(path, readonly=True, passphrase=passphrase)
        app.reviewer = reviewer
    return app


def open_session(path: Path, *, readonly: bool = False, passphrase: str | None = None,
                 therapist: str | None = None, checkpoints: CheckpointStore | None = None) -> JournalSession:
    """Open PATH and replay it into the session's read models (closed again if that fails).

    With CHECKPOINTS (not in review mode, never for an encrypted journal): when the store
    holds a checkpoint for exactly these bytes (the SHA-256 of the file and its ``-wal``), it
    stands in for reading, checking and replaying the file: its face now, its rest when first
    needed. The digest is taken again after the open, and if the bytes moved meanwhile the
    journal is opened in full after all."""
    if checkpoints is not None and is_encrypted(path):
        checkpoints.forget(path)  # from before a passphrase was set: no plain copy is kept
        checkpoints = None
    if therapist is not None:
        checkpoints = None
    digest: str | None = None
    restored: Restored | None = None
    if checkpoints is not None:
        # The file's digest on a thread of its own, while the checkpoint's face is read.
        digesting = Background(partial(file_digest, path))
        restored = checkpoints.load(path, digesting.result,
                                    lambda face: _read_in_full(path, digesting.result(), face))
        try:
            digest = digesting.result()
        except OSError:
            checkpoints = None
    verified = Deferred(restored.face.identity, restored.rest.verified) if restored is not None else None
    app = open_app(path, readonly=readonly, passphrase=passphrase, therapist=therapist, verified=verified)
    try:
        vouched: FileState | None = None
        if digest is not None:
            if _digest_or_none(path) == digest:
                vouched = FileState(digest, restored.face.count if restored is not None else len(app.entries()))
            elif restored is not None:  # changed since the checkpoint was matched: read it in full
                _forget(app, restored)
                restored = None
                app = open_app(path, readonly=readonly, passphrase=passphrase, therapist=therapist)
        if restored is not None and app.integrity_problem is not None:
            # Cannot happen for the same bytes; the full read decides then.
            _forget(app, restored)
            restored = None
            app = open_app(path, readonly=readonly, passphrase=passphrase, therapist=therapist)
        return JournalSession(app, checkpoints=checkpoints, restored=restored, verified=vouched)
    except BaseException:
        app.close()
        if restored is not None:
            restored.rest.close()
        raise


def _forget(app: JournalApp, restored: Restored) -> None:
    app.close()
    restored.rest.close()


def _read_in_full(path: Path, digest: str, face: SessionFace) -> SessionState:
    """The rest of a checkpoint that could not be read after all, from the journal itself:
    only while its bytes are still the ones the face was matched to (so nothing is mixed);
    otherwise a JournalError that says so."""
    changed = JournalError(f"{path.name} was changed by another program since it was opened, so its "
                           "entries cannot be read now; close it and open it again")
    if _digest_or_none(path) != digest:
        raise changed
    with JournalApp.open(path, readonly=True) as app:
        journal, events = app.journal, app.entries()
    if _digest_or_none(path) != digest or app.integrity_problem is not None or len(events) != face.count:
        raise changed
    timeline = Timeline(events)
    timeline.adopt(face.series)  # the face's stage days: the same entries give the same stages
    return SessionState(journal, events, timeline, EntryIndex(face.identity.journal_id, events))


def _digest_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None


def create_session(path: Path, *, patient: str, affected_side: str, onset_date: date,
                   observed_at: datetime | None = None) -> JournalSession:
    """Start a new journal at PATH (the first-run form), making its folder when missing."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"{path.parent}: the folder cannot be made ({exc.strerror or exc})") from None
    app = JournalApp.create(path, patient=patient, affected_side=affected_side, onset_date=onset_date,
                            observed_at=observed_at or datetime.now())
    try:
        return JournalSession(app)
    except BaseException:
        app.close()
        raise


def is_encrypted(path: Path) -> bool:
    """Whether PATH is a journal protected with a passphrase (False for anything unreadable:
    opening or merging it then refuses in one sentence)."""
    try:
        return JournalApp.is_encrypted(path)
    except Exception:
        return False
