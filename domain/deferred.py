"""The journal's aggregate and log read when first needed (``JournalApp.open(verified=Deferred(…))``).

The desktop's start-up checkpoint keeps apart what its first views show and the rest (every
entry, the aggregate, the replayed read models); when the file's bytes are the ones that
checkpoint was made from, the app opens with the journal's identity only and reads the rest
the first time a command or query needs the entries. Everything else about the open (lock,
metadata, the write-ahead log's check, the writing connection) is as without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from domain.events import EntryEvent
from domain.journal import JournalIdentity, RecoveryJournal

# What ``open(verified=…)`` takes: a journal and its log as an earlier, full open left them.
Verified = tuple[RecoveryJournal, Sequence[EntryEvent]]


@dataclass(frozen=True)
class Deferred:
    """IDENTITY is known at once; LOAD gives the journal and log (a JournalError when it
    cannot), called at most once."""

    identity: JournalIdentity
    load: Callable[[], Verified]


class DeferredLog:
    """``journal`` and ``_log`` of an app whose entries may still be deferred."""

    _deferred: Deferred | None
    _journal: RecoveryJournal
    _entries: list[EntryEvent]

    @property
    def journal(self) -> RecoveryJournal:
        if self._deferred is not None:
            self._undefer()
        return self._journal

    @journal.setter
    def journal(self, value: RecoveryJournal) -> None:
        self._journal = value

    @property
    def _log(self) -> list[EntryEvent]:
        if self._deferred is not None:
            self._undefer()
        return self._entries

    @_log.setter
    def _log(self, value: list[EntryEvent]) -> None:
        self._entries = value

    @property
    def loaded(self) -> bool:
        """Whether the aggregate and the log are in memory (False only while deferred)."""
        return self._deferred is None

    def _undefer(self) -> None:
        deferred = self._deferred
        assert deferred is not None
        journal, log = deferred.load()
        self._deferred = None
        self._journal, self._entries = journal, list(log)
