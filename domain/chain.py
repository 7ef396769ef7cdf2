"""The hash chain of a journal: one link per stored event, each covering the event's stored
bytes and the link before it, so a change, a move, an insertion or a removal made outside the app
is found and named.

``link_hash`` is the one definition of a link: the recorder writes links with it and the checks
here recompute them with it. The chain of a plain journal is not keyed (see ``docs/sharing.md``):
it finds damage and edits made without recomputing it, not an editor who recomputes the whole
chain. An encrypted journal's chain is keyed with a key derived from its passphrase.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

GENESIS = b"\x00" * 32

Row = tuple[int, str, int, str, bytes]  # (position, originator_id, version, topic, state)


def link_hash(previous: bytes, originator_id: str, version: int, topic: str, state: bytes, *,
              key: bytes | None = None) -> bytes:
    """One link of the chain: covers the stored event's bytes and the previous link. With KEY
    (an encrypted journal's chain key) it is an HMAC, which nobody without the passphrase can
    recompute; without, a plain SHA-256."""
    message = b"".join((previous, originator_id.encode(), version.to_bytes(8, "big"), topic.encode(),
                        len(state).to_bytes(8, "big"), state))
    if key is not None:
        return hmac.new(key, message, hashlib.sha256).digest()
    return hashlib.sha256(message).digest()


@dataclass(frozen=True)
class StoredLog:
    """Everything the chain is checked against, read in one transaction (one snapshot)."""

    rows: list[Any]  # (position, originator_id, version, topic, state), in log order
    links: list[Any]  # (position, hash), in position order
    chain_meta: list[Any]  # (key, value) for chain_head and chain_length


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the stored log and its hash chain disagree."""

    position: int  # 1-based position in the stored log (the chain's position)
    originator_id: str | None  # the entry found at that position, when there is one
    topic: str | None
    state: bytes | None
    what: str  # completes "entry N (…) <what>"
    kind: str = "changed"  # changed | moved | inserted | added | missing | end

    @property
    def type_name(self) -> str | None:
        return self.topic.rsplit(":", 1)[-1] if self.topic else None

    def describe(self, path: Path | str, decrypt: Callable[[bytes, str, str], bytes] | None = None) -> str:
        """One sentence naming the entry: position, type and observed date when known (DECRYPT
        takes the payload, the entry id and the topic)."""
        observed = _observed_date(self.state, None if decrypt is None else
                                  lambda state: decrypt(state, self.originator_id or "", self.topic or ""))
        details = [x for x in (self.type_name, observed) if x]
        if len(details) == 2:
            details[1] = f"observed {details[1]}"
        label = f" ({', '.join(details)})" if details else ""
        return f"{path}: entry {self.position}{label} {self.what}"


def _observed_date(state: bytes | None, decrypt: Callable[[bytes], bytes] | None) -> str | None:
    if not state:
        return None
    try:
        if decrypt is not None:
            state = decrypt(state)
        obj = json.loads(state)
        raw = obj.get("observed_at")
        if isinstance(raw, dict):
            raw = raw.get("_data_")
        return str(raw)[:10] if raw else None
    except Exception:  # unreadable (encrypted without the key, or damaged): say nothing
        return None


def _oid_text(oid: object) -> str:
    return oid.hex if isinstance(oid, uuid.UUID) else str(oid)


def _state_bytes(raw: object) -> bytes:
    # A sqlite3 session can store text where the app stored bytes; compare the bytes.
    if isinstance(raw, str):
        return raw.encode()
    return bytes(raw) if isinstance(raw, bytes | bytearray | memoryview) else b""


class ChainChecker:
    """Checks stored events, fed in log order, against the ``event_chain`` table.

    Each event is checked against its own link and the link before it, so the first break
    can be told apart: changed in place, moved from another position, inserted (later
    entries renumbered), added without a link, or missing. ``feed`` costs one SHA-256; the
    links are held in memory (32 bytes per entry).
    """

    def __init__(self, links: dict[int, bytes], head: str | None, length: str | None,
                 key: bytes | None = None) -> None:
        self.key = key
        self.links = links
        self.head = head
        self.length = length
        self.count = 0
        self.problem: ChainProblem | None = None
        self._expected = 1
        self._pending: Row | None = None  # a mismatching row waiting for one row of look-ahead

    @classmethod
    def from_log(cls, log: StoredLog, key: bytes | None = None) -> ChainChecker:
        """The links and the recorded head and length of LOG."""
        links: dict[int, bytes] = {}
        for p, h in log.links:
            try:
                links[int(p)] = bytes(h)
            except (TypeError, ValueError):  # a damaged link: its entry is then reported as unlinked
                continue
        meta = {str(k): str(v) for k, v in log.chain_meta}
        return cls(links, meta.get("chain_head"), meta.get("chain_length"), key)

    def _prev(self, position: int) -> bytes:
        return self.links.get(position - 1, GENESIS) if position > 1 else GENESIS

    def _matches(self, position: int, row: Row) -> bool:
        link = self.links.get(position)
        if link is None:
            return False
        _, oid, version, topic, state = row
        return link_hash(self._prev(position), oid, version, topic, state, key=self.key) == link

    def feed(self, position: int, originator_id: object, version: int, topic: str, state: object) -> None:
        if self.problem is not None:
            return
        self.count += 1
        try:
            row: Row = (int(position), _oid_text(originator_id), int(version), str(topic), _state_bytes(state))
        except (TypeError, ValueError):  # a damaged page can read back NULL or text for a number
            self._fail(None, "is damaged: its stored values cannot be read", "changed", self._expected)
            return
        if self._pending is not None:
            self._resolve(self._pending, row)
            return
        if row[0] < self._expected:
            self._fail(row, "was added outside the app (it has no link in the hash chain)", "added")
            return
        if row[0] > self._expected and self._expected in self.links:
            self._fail(None, "is missing: it was removed outside the app", "missing", self._expected)
            return
        if row[0] not in self.links:
            self._fail(row, "was added outside the app (it has no link in the hash chain)", "added")
            return
        if self._matches(row[0], row):
            self._expected = row[0] + 1
            return
        self._pending = row

    def _resolve(self, row: Row, following: Row | None) -> None:
        position = row[0]
        # Inserted here, later entries renumbered: the next row fits this position's link.
        if following is not None and following[0] == position + 1 and self._matches(position, following):
            self._fail(row, "was inserted outside the app (it has no place in the hash chain)", "inserted")
            return
        # Removed here, later entries renumbered: this row fits the next position's link.
        nxt = self.links.get(position + 1)
        if nxt is not None and link_hash(self.links[position], *row[1:], key=self.key) == nxt:
            self._fail(None, "is missing: it was removed outside the app and the entries after it "
                       "were renumbered", "missing", position)
            return
        for other in sorted(self.links):
            if other != position and self._matches(other, row):
                self._fail(row, f"does not match its recorded hash: it was moved here from position "
                           f"{other} outside the app", "moved")
                return
        self._fail(row, "does not match its recorded hash: it was changed outside the app", "changed")

    def _fail(self, row: Row | None, what: str, kind: str, position: int | None = None) -> None:
        self._pending = None
        if row is None:
            assert position is not None
            self.problem = ChainProblem(position, None, None, None, what, kind)
        else:
            self.problem = ChainProblem(row[0], row[1], row[3], row[4], what, kind)

    def finish(self) -> ChainProblem | None:
        """The first problem, or None when the log and its chain agree end to end."""
        if self._pending is not None:
            self._resolve(self._pending, None)
        if self.problem is not None:
            return self.problem
        last = self._expected - 1
        if any(p > last for p in self.links):
            self.problem = ChainProblem(last + 1, None, None, None,
                                        "is missing: the last entries were removed outside the app", "missing")
        elif self.count and (
                self.head is None or self.head != self.links.get(last, b"").hex()
                or self.length is None or self.length != str(self.count)):
            if self.length is not None and self.length.isdigit() and int(self.length) > self.count:
                self.problem = ChainProblem(last + 1, None, None, None,
                                            "is missing: the last entries were removed outside the app",
                                            "missing")
            else:
                self.problem = ChainProblem(last, None, None, None,
                                            "does not match the journal's recorded end of the chain "
                                            "(entries removed or the chain altered outside the app)", "end")
        return self.problem


LinkedRow = tuple[Any, Any, Any, Any, Any]  # (originator_id, version, topic, state, its link), as read


@dataclass(frozen=True)
class LogEnds:
    """What a stream of linked rows cannot show row by row, read in the same snapshot: the
    first and last row positions and link positions, and the recorded head and length."""

    rows: tuple[Any, Any]  # (MIN(rowid), MAX(rowid)) of the stored events
    links: tuple[Any, Any]  # (MIN(position), MAX(position)) of the chain
    meta: dict[str, str]  # chain_head and chain_length as recorded


class ChainWalk:
    """The fast path of ``ChainChecker``: recomputes each link while the rows stream by, one
    ``link_hash`` each, holding one batch of rows at a time; ``holds`` then says whether the log
    and its chain agree end to end.

    False means "not proven": read the whole log and run ``find_chain_problem`` to find and
    describe the first break (anything odd, such as a value of the wrong type read from a
    damaged page, also gives False).
    """

    #: Rows handed on at a time: the readers then decode and check a batch with one call per
    #: entry type instead of a few Python steps per row (``verify_journal``, ``read_sound_log``).
    BATCH = 256

    def __init__(self, key: bytes | None = None, start: bytes = GENESIS) -> None:
        self.key = key
        #: The link before the first row walked: GENESIS for a whole log, the recorded link
        #: before a span's first row for a span of it (``JournalRecorder.linked_span``).
        self.start = start
        self.count = 0  # rows handed on (each one's link held), in order
        self.broken = False
        self._head = start

    def batches(self, linked: Iterable[LinkedRow]) -> Iterator[list[LinkedRow]]:
        """LINKED (``SELECT_LINKED``: each row with the link recorded at its position) in lists
        of up to ``BATCH`` rows, each list handed on once every link in it is checked; it stops
        at the first list with a row that does not fit (``broken``)."""
        prev, key, rows, size = self.start, self.key, iter(linked), self.BATCH
        try:
            while batch := list(islice(rows, size)):
                for oid, version, topic, state, link in batch:
                    prev = link_hash(prev, oid, version, topic, state, key=key)
                    if prev != link:
                        self.broken = True
                        return
                self.count += len(batch)
                yield batch
        except (TypeError, ValueError, AttributeError, OverflowError):
            self.broken = True
        finally:
            self._head = prev

    def rows(self, linked: Iterable[LinkedRow]) -> Iterator[LinkedRow]:
        """``batches`` one row at a time."""
        for batch in self.batches(linked):
            yield from batch

    def holds(self, ends: LogEnds) -> bool:
        """Whether every row was walked from the log's start and the whole log fits the chain
        (``log_fits``)."""
        return not self.broken and self.start == GENESIS and log_fits(ends, self.count, self._head)

    @property
    def head(self) -> bytes:
        """The last link walked (``start`` before any row)."""
        return self._head


def log_fits(ends: LogEnds, count: int, head: bytes) -> bool:
    """Whether a chain walked from GENESIS over COUNT rows, every link holding and ending at
    HEAD, is the whole log ENDS describes: rowids and link positions are exactly 1..count
    (distinct integers from 1 to the count), so each row sat at its own position and no link is
    left over, and the recorded head and length are the walk's."""
    return (count > 0 and tuple(ends.rows) == (1, count) and tuple(ends.links) == (1, count)
            and ends.meta.get("chain_head") == head.hex() and ends.meta.get("chain_length") == str(count))


def find_chain_problem(log: StoredLog, key: bytes | None = None) -> ChainProblem | None:
    """The first break between LOG's rows and its chain (keyed with KEY when the journal's chain
    is), or None when they agree end to end (after ``ChainWalk`` could not vouch for them)."""
    checker = ChainChecker.from_log(log, key)
    for row in log.rows:
        checker.feed(*row)
        if checker.problem is not None:
            break
    return checker.finish()
