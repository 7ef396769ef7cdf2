"""Opening and creating journals for the window (no Qt: the window runs these on a worker)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from desktop.session.checkpoint import CheckpointStore
from desktop.session.core import JournalSession
from domain.application import JournalApp
from domain.errors import JournalError


def open_app(path: Path, *, readonly: bool = False, passphrase: str | None = None,
             therapist: str | None = None) -> JournalApp:
    """Open PATH as the window does: for THERAPIST's review when given (the patient's entries
    read-only), and read-only whatever was asked when the hash chain fails (``integrity_problem``
    stays set, so the window can say why). PassphraseNeeded/WrongPassphrase for an encrypted
    journal without the right PASSPHRASE."""
    if therapist is not None and not readonly:
        app = JournalApp.open_for_review(path, therapist, passphrase=passphrase)
    else:
        app = JournalApp.open(path, readonly=readonly, passphrase=passphrase)
        app.reviewer = therapist.strip() if therapist else None
    if app.integrity_problem and not app.readonly:
        reviewer = app.reviewer
        app.close()
        app = JournalApp.open(path, readonly=True, passphrase=passphrase)
        app.reviewer = reviewer
    return app


def open_session(path: Path, *, readonly: bool = False, passphrase: str | None = None,
                 therapist: str | None = None, checkpoints: CheckpointStore | None = None) -> JournalSession:
    """Open PATH and replay it into the session's read models (closed again if that fails),
    with the stage days of CHECKPOINTS' checkpoint when it describes this very file."""
    app = open_app(path, readonly=readonly, passphrase=passphrase, therapist=therapist)
    try:
        return JournalSession(app, checkpoints=checkpoints)
    except BaseException:
        app.close()
        raise


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
