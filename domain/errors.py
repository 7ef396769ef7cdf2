"""The journal's error tree. ``str(exc)`` is always a sentence a person can act on.

JournalError
 ├── InvalidEntry        an entry's values break a rule ("leg pain must be 0–10, got 12")
 │    └── UnknownEntry   a correction/retraction/note points at an entry that does not exist
 ├── NotAJournal         the file is not a readable Sciatica Tracker journal
 │    └── NewerFormat    written by a newer version of the app
 ├── JournalLocked       another program has the journal open
 ├── WrongPassphrase     the passphrase does not open this journal
 ├── MergeRefused        the other copy belongs to another journal, or fails verification
 ├── ReadOnlyJournal     the journal was opened for reading only (or cannot be written there)
 ├── DiskFull            the disk filled up while saving; nothing was changed
 └── FailedVerification  the journal fails verification, so nothing is written to it
"""

from __future__ import annotations


class JournalError(Exception):
    """Base of every error a user can act on."""


class InvalidEntry(JournalError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnknownEntry(InvalidEntry):
    pass


class NotAJournal(JournalError):
    pass


class NewerFormat(NotAJournal):
    pass


class JournalLocked(JournalError):
    pass


class WrongPassphrase(JournalError):
    pass


class MergeRefused(JournalError):
    pass


class ReadOnlyJournal(JournalError):
    pass


class DiskFull(JournalError):
    pass


class FailedVerification(JournalError):
    pass
