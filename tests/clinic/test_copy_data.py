"""``copy_data``: the rows ``clinic add`` writes, in COPY's binary format, built where they are
made (a worker sends these bytes). The server must read back exactly the rows given."""

from __future__ import annotations

import uuid

import psycopg

from domain.clinic import ClinicStore
from domain.clinic.infrastructure import Row, copy_data


def test_rows_written_as_copy_data_read_back_as_they_were(store: ClinicStore) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    rows: list[Row] = [
        (first, 1, "domain.events:JournalStarted", uuid.uuid4().bytes + b'{"patient":"\xc3\xa9"}'),
        (str(second), 1, "domain.events:PainRated", uuid.uuid4().bytes),  # an id as text, an empty state
        (first, 2, "domain.events:Ünïcode", uuid.uuid4().bytes + bytes(range(256)) * 40),  # a long state
        (str(second), 2 ** 40, "domain.events:PainRated", uuid.uuid4().bytes + b"\x00\xff"),
    ]
    data, count = copy_data(rows)
    assert count == len(rows)
    with store.recorder.copying() as writer:
        writer.write_data(data, count)
        writer.write(rows[:0])  # nothing: still one COPY
    assert len(writer.ids) == len(rows)
    with psycopg.connect(store.connection.conninfo()) as conn:
        stored = conn.execute("SELECT originator_id, originator_version, topic, state FROM clinic_events "
                              "ORDER BY notification_id").fetchall()
    assert stored == [(uuid.UUID(str(j)), v, t, s) for j, v, t, s in rows]
