"""The clinic's own tables beside eventsourcing's, and who may read what (``clinic init``).

eventsourcing creates ``clinic_events`` (the entries, one stream per patient) and
``caseload_tracking`` (the projection's position); these statements add:

- ``clinic_therapists``: a therapist's name and the PostgreSQL role they log in as;
- ``clinic_patients``: one row per patient (journal id, name, assigned therapist);
- ``clinic_caseload``: the caseload read model, one row per patient (``domain.clinic.caseload``);
- row-level security: a therapist's role (a member of ``sciatica_therapist``) sees the
  patients assigned to it, their entries and caseload rows, and nothing else; it may add
  entries to those patients only (``push_entries``). The administrator (the role that ran
  ``init``, owner of the tables) is not subject to the policies.

Every statement is idempotent, so running ``init`` again is harmless; it is never run by any
other command (eventsourcing's create step races when several processes run it at once).
"""

from __future__ import annotations

THERAPIST_GROUP = "sciatica_therapist"

STATEMENTS: tuple[str, ...] = (
    "CREATE TABLE IF NOT EXISTS clinic_therapists (name text PRIMARY KEY, role name UNIQUE NOT NULL)",
    "CREATE TABLE IF NOT EXISTS clinic_patients (journal_id uuid PRIMARY KEY, patient text NOT NULL, "
    "therapist text REFERENCES clinic_therapists (name), added_at timestamptz NOT NULL DEFAULT now())",
    "CREATE INDEX IF NOT EXISTS clinic_patients_therapist_idx ON clinic_patients (therapist)",
    "CREATE INDEX IF NOT EXISTS clinic_patients_name_idx ON clinic_patients (lower(patient))",
    # The group every therapist's role belongs to (cluster-wide, so created only when missing).
    f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{THERAPIST_GROUP}') THEN "
    f"CREATE ROLE {THERAPIST_GROUP} NOLOGIN; END IF; END $$",
    f"GRANT SELECT ON clinic_therapists TO {THERAPIST_GROUP}",
    f"GRANT SELECT ON clinic_patients, clinic_caseload, clinic_events, caseload_tracking TO {THERAPIST_GROUP}",
    # LOCK TABLE … IN EXCLUSIVE MODE (how eventsourcing orders inserts) needs UPDATE as well as
    # INSERT; with row-level security on and no UPDATE policy, no row can be updated.
    f"GRANT INSERT, UPDATE ON clinic_events TO {THERAPIST_GROUP}",
    f"GRANT USAGE ON SEQUENCE clinic_events_notification_id_seq TO {THERAPIST_GROUP}",
    "ALTER TABLE clinic_patients ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE clinic_events ENABLE ROW LEVEL SECURITY",
    "ALTER TABLE clinic_caseload ENABLE ROW LEVEL SECURITY",
    "DROP POLICY IF EXISTS assigned ON clinic_patients",
    "CREATE POLICY assigned ON clinic_patients FOR SELECT USING "
    "(therapist IN (SELECT name FROM clinic_therapists WHERE role = current_user))",
    # The subqueries on clinic_patients are themselves filtered by its policy: a therapist's
    # patients only.
    "DROP POLICY IF EXISTS assigned_read ON clinic_events",
    "CREATE POLICY assigned_read ON clinic_events FOR SELECT USING "
    "(originator_id IN (SELECT journal_id FROM clinic_patients))",
    "DROP POLICY IF EXISTS assigned_write ON clinic_events",
    "CREATE POLICY assigned_write ON clinic_events FOR INSERT WITH CHECK "
    "(originator_id IN (SELECT journal_id FROM clinic_patients))",
    "DROP POLICY IF EXISTS assigned ON clinic_caseload",
    "CREATE POLICY assigned ON clinic_caseload FOR SELECT USING "
    "(journal_id IN (SELECT journal_id FROM clinic_patients))",
)

#: One row per patient, in the forms the caseload's reads hand on, none with the therapist
#: (the store splices the current one in as it reads: ``domain.clinic.caseload``), each fetched
#: only by the read that needs it (``projections.caseload.StoredForms``): ``body``, the row's
#: fields as JSON bytes (``bytea``, not jsonb: the server hands them on unparsed, in one binary
#: fetch); ``sort_key``, its ``order_key``, so ``ORDER BY sort_key`` is the caseload's order;
#: ``document_head`` and ``document_tail``, its ``--json`` form around the therapist; ``name``
#: and ``reason`` for the one-line listing; ``applied``: the entries applied to the row (exactly
#: once, tested).
CASELOAD_TABLE = (
    "CREATE TABLE IF NOT EXISTS clinic_caseload (journal_id uuid PRIMARY KEY, as_of date NOT NULL, "
    "body bytea NOT NULL, sort_key bytea NOT NULL, document_head bytea NOT NULL, document_tail bytea NOT NULL, "
    "name text, reason text NOT NULL, applied bigint NOT NULL DEFAULT 0) "
    # A row's forms are 1-3 kB: kept in the row, uncompressed, up to a page, so a read never
    # fetches them from the TOAST table or decompresses them.
    "WITH (toast_tuple_target = 8160)"
)
#: The stored forms' columns, in ``domain.clinic.derive.RowForms``'s order.
FORM_COLUMNS = ("body", "sort_key", "document_head", "document_tail", "name", "reason")
#: The column that tells this shape of the table from earlier ones (``MIGRATE_CASELOAD``).
SHAPE_COLUMN = "document_tail"

#: A caseload table of an earlier shape (the first, one jsonb ``row``; the second, without the
#: ``--json`` forms) is dropped with the runner's position, so ``init`` and the runner derive it
#: again: a read model holds nothing that is not in the log.
MIGRATE_CASELOAD = (
    "DO $$ BEGIN IF to_regclass('clinic_caseload') IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
    "information_schema.columns WHERE table_schema = current_schema() AND table_name = 'clinic_caseload' "
    f"AND column_name = '{SHAPE_COLUMN}') THEN DROP TABLE clinic_caseload; "
    "IF to_regclass('caseload_tracking') IS NOT NULL THEN DELETE FROM caseload_tracking; END IF; "
    "END IF; END $$"
)
