"""Reading a journal's log into events (``JournalApp.open``): one streamed pass for a sound
file, and the entry-by-entry reading that names what is wrong with any other.

A sound file is read without holding its rows: each row's link is checked as the row is
decoded (``ChainWalk`` over ``JournalRecorder.linked_log``), so opening holds only the events,
not the stored bytes as well (10 years: ~25 MB less at the peak). Anything the pass cannot
vouch for (a broken or absent chain, an entry that does not decode) is read again entry by
entry, exactly as every file was before the pass existed.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from domain.chain import ChainProblem, ChainWalk, find_chain_problem
from domain.codec import DamagedState, JournalMapper, uuids_from_hex
from domain.errors import JournalError
from domain.events import EntryEvent
from domain.journal import RecoveryJournal
from domain.recorder import JournalRecorder

_OID, _VERSION = itemgetter(0), itemgetter(1)


def read_sound_log(recorder: JournalRecorder, mapper: JournalMapper, chain_key: bytes | None,
                   rows: list[Any] | None = None) -> list[EntryEvent] | None:
    """Every event of RECORDER's log in one streamed pass, when its chain (keyed with CHAIN_KEY
    when the journal's is) holds end to end and every entry decodes; None otherwise (nothing is
    said about why: ``read_each_entry`` finds and names it). ROWS, when given, receives the
    rows the pass read (``LinkedRow``s, in log order), for a reader that stores entries exactly
    as a file does (the clinic's ``add``) instead of reading them a second time.

    An intact chain proves every stored byte is what this app wrote after checking the entry on
    its way in. (The chain is not keyed: a tool that edits an entry and recomputes the whole
    chain gets past this; what it wrote must still decode, or the file is refused as damaged,
    and ``sciatica verify`` still checks every entry of such a file.)"""
    walk = ChainWalk(chain_key)
    entries: list[EntryEvent] = []
    try:
        with recorder.linked_log() as (linked, ends):
            for batch in walk.batches(linked):
                if rows is not None:
                    rows += batch
                # Decoded and checked a topic at a time (as ``sciatica verify`` does), then
                # made into events in log order.
                ids = uuids_from_hex(list(map(_OID, batch)))
                events = mapper.events_of_rows(batch, ids, list(map(_VERSION, batch)))
                entries += [event for event in events if isinstance(event, EntryEvent)]
    except JournalError:
        raise
    except Exception:  # named by the entry-by-entry reading
        return None
    return entries if walk.holds(ends) else None


def read_each_entry(recorder: JournalRecorder, mapper: JournalMapper, journal: RecoveryJournal,
                    entries: list[EntryEvent], chain_key: bytes | None, *,
                    check_entries: bool) -> tuple[ChainProblem | None, str | None]:
    """The whole log read at once into ENTRIES and JOURNAL, its chain checked link by link
    (naming the first break) and every entry checked as a new one would be (``check_stored``)
    when the chain is broken or absent, or when asked (CHECK_ENTRIES).

    Returns (the chain's first problem, the first entry that cannot be decoded), either None."""
    log = recorder.read_log()
    problem = find_chain_problem(log, chain_key)
    decode = mapper.event_from_row
    check = check_entries or problem is not None
    for position, oid, version, topic, state in log.rows:
        try:
            event = decode(oid, version, topic, state)
        except DamagedState as exc:
            return problem, f"entry {position}: {exc}"
        except Exception as exc:
            return problem, f"an entry cannot be decoded ({type(exc).__name__})"
        if not isinstance(event, EntryEvent):
            continue
        if check:
            journal.apply(event)
        entries.append(event)
    if not check:
        journal.extend(entries)
    return problem, None
