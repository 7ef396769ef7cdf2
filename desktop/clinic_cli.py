"""``sciatica clinic init | add FILE... | export PATIENT --copy OUT | assign PATIENT --therapist NAME
| caseload [--therapist NAME | --unassigned] [--json] | serve-projections [--once]`` (issue 20, docs/clinic.md).

Headless, no Qt. The connection is ``--db URL`` or ``SCIATICA_CLINIC_DB`` (a libpq URL; the
password from PGPASSWORD or ~/.pgpass, never a URL or an argument). Errors are one sentence;
exit 2 for bad usage, bad input, a refused copy or an unreachable database.

``clinic_caseload()`` binds the desktop's caseload rules (``projections.caseload``) into the
store's projection runner (``domain.clinic.caseload``), which cannot import them itself.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from domain.clinic.caseload import CaseloadProjection

CASELOAD_SCHEMA_KEY = "schema"


@cache
def clinic_caseload() -> type[CaseloadProjection]:
    """The caseload projection with the desktop's row (one implementation of the rules). Made
    on first use, so the rest of the command line never imports psycopg."""
    from domain.clinic.caseload import PROJECTION_NAME, CaseloadProjection
    from projections.caseload import stored_row

    class ClinicCaseload(CaseloadProjection):
        name = PROJECTION_NAME
        row_of = staticmethod(stored_row)  # module-level: the runner's worker processes get it too

    return ClinicCaseload


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """Register ``clinic`` and its subcommands (the handler travels with the args)."""
    db_help = ("libpq URL of the clinic database (default: $SCIATICA_CLINIC_DB); the password comes from "
               "PGPASSWORD or ~/.pgpass")
    # --db before or after the subcommand (`clinic --db URL add …` or `clinic add --db URL …`):
    # the subcommand's copy has no default, so it never hides the other.
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", metavar="URL", default=argparse.SUPPRESS, help=db_help)
    p = sub.add_parser("clinic", help="clinic mode: patients' copies in the clinic's PostgreSQL server")
    p.add_argument("--db", metavar="URL", help=db_help)
    csub = p.add_subparsers(dest="clinic_command", required=True, parser_class=type(p))
    csub.add_parser("init", parents=[db], help="create the clinic's tables and access rules (once)")
    c = csub.add_parser("add", parents=[db], help="take in patients' copies (verified, union by entry)")
    c.add_argument("files", nargs="+", metavar="FILE")
    c = csub.add_parser("export", parents=[db], help="a .sciatica review copy of everything held for a patient")
    c.add_argument("patient", metavar="PATIENT", help="journal id, or the patient's name when unique")
    c.add_argument("--copy", required=True, metavar="OUT")
    c = csub.add_parser("assign", parents=[db], help="assign a patient to a therapist (one role per therapist)")
    c.add_argument("patient", metavar="PATIENT")
    c.add_argument("--therapist", required=True, metavar="NAME")
    c.add_argument("--role", metavar="ROLE", help="the therapist's PostgreSQL role (default: therapist_<name>)")
    c = csub.add_parser("caseload", parents=[db], help="patients most urgent first")
    who = c.add_mutually_exclusive_group()
    who.add_argument("--therapist", metavar="NAME", help="only the patients assigned to NAME")
    who.add_argument("--unassigned", action="store_true", help="only the patients with no therapist yet")
    c.add_argument("--json", action="store_true")
    c = csub.add_parser("serve-projections", parents=[db], help="keep the caseload read model up to date")
    c.add_argument("--once", action="store_true", help="catch up to the end of the log, then stop")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from domain.clinic.connection import ClinicConnection

    connection = ClinicConnection.from_url(args.db)
    command = args.clinic_command
    if command == "init":
        return _init(connection)
    if command == "serve-projections":
        return _serve(connection, once=args.once)
    from domain.clinic.store import ClinicStore

    with ClinicStore(connection) as store:
        if command == "add":
            for report in store.add([Path(f) for f in args.files]):
                print(report.sentence())
        elif command == "export":
            record, count = store.export(args.patient, Path(args.copy))
            print(f"{count} entries of {record.patient} written to {args.copy}")
        elif command == "assign":
            record, role = store.assign(args.patient, args.therapist, role=args.role)
            print(f"{record.patient} is assigned to {record.therapist} (PostgreSQL role {role})")
        elif command == "caseload":
            _caseload(store, args.therapist, unassigned=args.unassigned, as_json=args.json)
    return 0


def _init(connection: Any) -> int:
    from domain.clinic.caseload import initialise, run_caseload

    initialise(connection, clinic_caseload())
    position = run_caseload(connection, clinic_caseload(), once=True)
    print(f"The clinic database {connection.describe()} is ready (caseload up to entry {position})")
    return 0


def _serve(connection: Any, *, once: bool) -> int:
    from domain.clinic.caseload import run_caseload

    stop = threading.Event()
    if not once:
        # SIGTERM (systemd stop) ends the loop between batches; a kill at any point is safe too.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        print(f"Keeping the caseload of {connection.describe()} up to date; Ctrl+C stops", file=sys.stderr)
    try:
        position = run_caseload(connection, clinic_caseload(), once=once, stop=stop)
    except KeyboardInterrupt:
        return 0
    if once:
        print(f"The caseload is up to date (entry {position})")
    return 0


def caseload_rows(store: Any, therapist: str | None) -> list[Any]:
    """The store's caseload rows, most urgent first: the store answers in the caseload's order
    (its rows' ``order_key``), as one JSON array decoded straight into the rows."""
    from projections.caseload import rows_from_stored

    return rows_from_stored(store.caseload_json(therapist))


def _caseload(store: Any, therapist: str | None, *, unassigned: bool = False, as_json: bool) -> None:
    """Print the caseload. Neither output decodes a row: ``--json`` hands on the rows' stored
    ``row_to_json`` form (msgspec's indented form is ``json.dumps(indent=2)``'s, tested), the
    listing reads each row's name and reason."""
    from domain.clinic.caseload import caseload_document, caseload_lines

    document: bytes | None = None
    lines: list[Any] = []
    if as_json:
        document, oldest = caseload_document(store, therapist, unassigned=unassigned)
    else:
        lines = caseload_lines(store, therapist, unassigned=unassigned)
        oldest = min((line[3] for line in lines), default=None)
    if oldest is not None and oldest < date.today():
        # Rows are derived by serve-projections; "silent for N days" is only as fresh as they are.
        print(f"Note: the caseload is as of {oldest.isoformat()}; is `sciatica clinic serve-projections` "
              "running?", file=sys.stderr)
    waiting = store.entries_waiting()
    if waiting:
        print(f"Note: {waiting} {'entry is' if waiting == 1 else 'entries are'} not in the caseload yet; "
              "is `sciatica clinic serve-projections` running?", file=sys.stderr)
    if document is not None:
        import msgspec

        from projections.caseload import SCHEMA

        whole = (msgspec.json.encode({CASELOAD_SCHEMA_KEY: SCHEMA, "therapist": therapist})[:-1]
                 + b',"patients":' + document + b"}")
        print(msgspec.json.format(whole, indent=2).decode())
        return
    if not lines:
        print("No patients in the caseload" + (" without a therapist" if unassigned else
                                               f" of {therapist}" if therapist else ""))
        return
    print("\n".join(f"{name or patient} ({who or 'not assigned'}): {reason}"
                    for patient, name, reason, _, who in lines))
