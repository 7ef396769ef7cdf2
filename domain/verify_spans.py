"""The quick pass of ``sciatica verify``: the hash chain walked and every entry decoded and
checked, in one streamed pass, for a long log in parts on several cores at once.

Verifying is reading every row with its link, recomputing the link and decoding and checking
the entry, and no row's work needs another's except through the link before it, which the
chain records. So a long log is cut into spans of rowids; each span is walked from the link
recorded before it (``ChainWalk`` from ``start``) and its entries checked (``EntryCheck``), by
``check_span``, the same function for every span, in a forked child (``domain.forked``) for all
but the last, which this process walks itself. The spans then join into one chain
(``spans_hold``): each one starts from the link the span before it ended with, so together they
are a chain walked from GENESIS over the whole log, and the log's recorded ends must fit it
exactly as they fit a walk in one piece (``log_fits``).

Each span reads its own snapshot. If the file changed between them, the spans do not join (a
link differs, or the ends do) and the pass only says "not proven", as for any other problem:
``verify_journal`` then reads the whole log in one snapshot and names the first problem, the
same sentence whichever span held it. A short log, or a process that may not fork, is walked
in one piece here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from domain.chain import GENESIS, ChainWalk, LinkedRow, LogEnds, log_fits
from domain.collector import collector_paused
from domain.events import STARTED_TOPIC, STORED_TOPICS
from domain.forked import ForkedCall, fork_is_safe, usable_cores
from domain.recorder import JournalRecorder

if TYPE_CHECKING:
    from domain.encryption import JournalKey

#: How many parts a long log is checked in at most (1: always in this process).
WORKERS = int(os.environ.get("SCIATICA_VERIFY_WORKERS", str(min(usable_cores(), 4))))
#: The fewest rows worth a part of their own: a fork and the child's own connection and
#: decoders cost ~2–4 ms, what checking some 400 rows costs, so a part must be far longer.
SPAN_MIN_ROWS = int(os.environ.get("SCIATICA_VERIFY_SPAN_MIN", "4000"))

Span = tuple[int, int]  # (first rowid, last rowid), both included


@dataclass(frozen=True)
class EntrySpec:
    """What the entries are checked against: the journal's id (its metadata) and its key."""

    journal_id: str | None
    key: JournalKey | None
    bound: bool  # payloads sealed with their entry (a keyed journal), not encrypted alone


@dataclass(frozen=True)
class SpanCheck:
    """What ``check_span`` found in one span (sent back from a child, so plain values)."""

    span: Span | None  # None: the whole log
    start: bytes | None  # the link recorded before the span (None: there is none)
    head: bytes  # the last link walked
    count: int  # rows walked, every link holding
    broken: bool  # a row whose link does not hold, or a value that is not what was written
    entries_hold: bool  # every entry walked decoded and passed its checks (False: not read)
    ends: LogEnds  # the log's ends, from the span's snapshot


@dataclass(frozen=True)
class QuickCheck:
    """The outcome of ``quick_check``."""

    holds: bool  # the log and its chain agree end to end
    count: int  # rows walked
    entries_hold: bool  # and every entry decoded and passed its checks
    parts: int  # how many spans it was checked in (1: in one piece, in this process)


def quick_check(path: Path, chain_key: bytes | None, entries: EntrySpec | None) -> QuickCheck:
    """PATH's chain walked (keyed with CHAIN_KEY when the journal's is) and, given ENTRIES, each
    entry decoded and checked: in spans on several cores for a long log (``plan_spans``)."""
    with closing(JournalRecorder(path, readonly=True)) as recorder:
        spans = plan_spans(recorder.log_ends())
    # No connection to PATH is open from here until the children are forked (``domain.forked``).
    check = partial(check_span, path, chain_key=chain_key, entries=entries)
    children: list[ForkedCall[SpanCheck]] = []
    try:
        try:
            children += (ForkedCall(partial(check, span)) for span in spans[:-1])
        except OSError:  # no process to be had (a limit reached): the whole log here, in one piece
            for child in children:
                child.cancel()
            children, spans = [], [None]
        mine = check(spans[-1])
        checks = [child.result() for child in children]
    finally:
        for child in children:
            child.cancel()
    found = [*checks, mine]
    if any(c is None for c in found):  # a child failed: nothing is said about why
        return QuickCheck(False, 0, False, len(spans))
    done = [c for c in found if c is not None]
    return QuickCheck(spans_hold(done), sum(c.count for c in done), all(c.entries_hold for c in done), len(spans))


def plan_spans(ends: LogEnds, workers: int | None = None, min_rows: int | None = None) -> list[Span | None]:
    """The spans a log with ENDS is checked in: up to WORKERS of at least MIN_ROWS rows each,
    when its rowids run from 1 (anything else is walked in one piece, which finds what is odd);
    [None] (the whole log in one piece) when the log is short or this process may not fork."""
    workers = WORKERS if workers is None else workers
    min_rows = SPAN_MIN_ROWS if min_rows is None else min_rows
    first, last = ends.rows
    if type(first) is not int or type(last) is not int or first != 1:
        return [None]
    parts = min(workers, last // max(min_rows, 1))
    if parts < 2 or not fork_is_safe():
        return [None]
    cuts = [1 + last * i // parts for i in range(parts + 1)]
    return [(cuts[i], cuts[i + 1] - 1) for i in range(parts)]


def check_span(path: Path, span: Span | None, *, chain_key: bytes | None, entries: EntrySpec | None) -> SpanCheck:
    """SPAN's rows of PATH (None: the whole log) walked over a connection of their own, each
    link recomputed from the one recorded before the span, and, given ENTRIES, each entry
    decoded and checked (``EntryCheck``)."""
    first = 1 if span is None else span[0]
    check = None if entries is None else EntryCheck(entries, starts_log=first == 1)
    with collector_paused(), closing(JournalRecorder(path, readonly=True)) as recorder:
        if span is None:
            with recorder.linked_log() as (linked, ends):
                return _walk(span, GENESIS, linked, ends, chain_key=chain_key, check=check)
        with recorder.linked_span(*span) as (linked, before, ends):
            return _walk(span, before, linked, ends, chain_key=chain_key, check=check)


def _walk(span: Span | None, start: Any, linked: Any, ends: LogEnds, *, chain_key: bytes | None,
          check: EntryCheck | None) -> SpanCheck:
    if type(start) is not bytes:  # no link recorded before the span (or not one as written)
        return SpanCheck(span, None, GENESIS, 0, True, False, ends)
    walk = ChainWalk(chain_key, start=start)
    for batch in walk.batches(linked):
        if check is not None:
            check.feed(batch)
    return SpanCheck(span, start, walk.head, walk.count, walk.broken, check is not None and check.holds, ends)


def spans_hold(checks: Sequence[SpanCheck]) -> bool:
    """Whether CHECKS (of the spans in log order) join into one chain that fits the whole log:
    each span walked whole from the link the one before it ended with (the first from GENESIS),
    all of them seeing the same ends, and those ends fitting the joined walk (``log_fits``)."""
    ends = checks[-1].ends
    head = GENESIS
    for c in checks:
        if c.broken or c.start != head or c.ends != ends:
            return False
        if c.span is not None and c.count != c.span[1] - c.span[0] + 1:  # a rowid missing in it
            return False
        head = c.head
    return log_fits(ends, sum(c.count for c in checks), head)


_VERSION, _TOPIC = itemgetter(1), itemgetter(2)  # of a LinkedRow


class EntryCheck:
    """Checks each batch of a log as it streams by, for what this version opens without
    complaint: its type is one the app knows at version 1, the log starts with JournalStarted of
    the journal the metadata names (STARTS_LOG: the batches begin at the log's first row), every
    value has its field's type, range and choices (the codec's stored types) and the cross-field
    rules hold. ``holds`` turns False at the first batch that fails (which the full open then
    names).

    A batch is checked type by type (``JournalMapper.states_by_topic``, ``check_stored_states``):
    one C loop per type decodes its entries and one per rule checks them, so the per-entry work
    is the decoding itself rather than Python steps around it."""

    def __init__(self, spec: EntrySpec, *, starts_log: bool = True) -> None:
        from domain.codec import JournalMapper, MsgspecTranscoder

        key = spec.key
        self.mapper = JournalMapper(MsgspecTranscoder(), binder=key if spec.bound else None,
                                    cipher=key.cipher() if key is not None and not spec.bound else None)
        self.journal_id = spec.journal_id
        self.holds = True
        self._start = starts_log

    def feed(self, batch: list[LinkedRow]) -> None:
        """Check BATCH (the next rows of the log, in order); after a failure, nothing."""
        if not self.holds or not batch:
            return
        try:
            if self._start:
                self._start = False
                oid, _, topic, _, _ = batch[0]
                if topic != STARTED_TOPIC or (self.journal_id is not None
                                              and uuid.UUID(self.journal_id) != uuid.UUID(oid)):
                    raise ValueError("not the journal's start")
            if set(map(_VERSION, batch)) != {1}:
                raise ValueError("not a stored entry version")
            if not STORED_TOPICS.issuperset(map(_TOPIC, batch)):  # before any topic is resolved
                raise ValueError("not a stored entry type")
            for _, cls, values in self.mapper.states_by_topic(batch):
                cls.check_stored_states(values)
        except Exception:
            self.holds = False
