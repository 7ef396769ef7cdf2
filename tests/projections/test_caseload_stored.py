"""The clinic's stored form of a caseload row: its order key sorts as ``caseload_order`` does
(the store's ``ORDER BY sort_key`` is the caseload's order), and its JSON reads back as the row."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from projections.caseload import (
    CaseloadRow,
    caseload_order,
    order_key,
    row_from_json,
    row_to_json,
    rows_from_json,
    stored_row,
)
from tests.projections.caseload_journeys import NAMES, journey_events, patient_id
from tests.projections.test_caseload_properties import AS_OF, _rows


@given(data=st.data())
def test_the_order_key_sorts_as_the_caseload_order(data: st.DataObject) -> None:
    rows = data.draw(st.composite(_rows)())
    # Names that test the key's text: a prefix, case, accents, a character that needs escaping.
    names = st.sampled_from(["Ann", "ann", "Anna", "Bo", "Ébo", "Zoë", "a\x00b", "a\x01", "a", "", None])
    rows = [replace(r, name=data.draw(names), patient_id=uuid.UUID(int=data.draw(st.integers(0, 2**128 - 1))))
            for r in rows]
    assert sorted(rows, key=order_key) == caseload_order(rows)


def test_a_stored_row_is_the_row_without_its_therapist_and_reads_back() -> None:
    for name in NAMES:
        events = journey_events(name)
        body, key = stored_row(patient_id(name), events, AS_OF)
        data = msgspec.json.decode(body)
        assert "therapist" not in data  # read live by the store, spliced in front
        spliced = b'{"therapist":"Dr Lee",' + body[1:]
        row = rows_from_json(b"[" + spliced + b"]")[0]
        assert row.therapist == "Dr Lee"
        assert row == row_from_json(msgspec.json.decode(spliced))
        assert row_to_json(row) == {**data, "therapist": "Dr Lee"}
        assert key == order_key(row)


def test_rows_from_json_keeps_the_order_it_is_given() -> None:
    rows: list[CaseloadRow] = []
    for i, name in enumerate(NAMES):
        body, _ = stored_row(patient_id(name), journey_events(name), date(2026, 2, 1))
        rows.append(rows_from_json(b'[{"therapist":null,' + body[1:] + b"]")[0])
        assert rows[-1].patient_id == patient_id(NAMES[i])
    backwards = msgspec.json.encode([row_to_json(r) for r in reversed(rows)])
    assert rows_from_json(backwards) == list(reversed(rows))
