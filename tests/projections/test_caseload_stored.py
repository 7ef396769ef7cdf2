"""The clinic's stored form of a caseload row: its order key sorts as ``caseload_order`` does
(the store's ``ORDER BY sort_key`` is the caseload's order), and its JSON reads back as the row."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from projections.caseload import (
    PatientCaseload,
    caseload_order,
    order_key,
    row_to_json,
    rows_from_stored,
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
        forms = stored_row(patient_id(name), events, AS_OF)
        body, key = forms.body, forms.key
        assert "therapist" not in msgspec.json.decode(body)  # read live by the store, spliced in front
        row = rows_from_stored(b'[{"therapist":"Dr Lee",' + body[1:] + b"]")[0]
        assert row == PatientCaseload.from_events(patient_id(name), events, "Dr Lee").row(AS_OF)
        assert key == order_key(row)
        assert (forms.name, forms.reason) == (row.name, row.reason)
        # The --json row, the therapist spliced between its parts: row_to_json's, key order and all.
        for therapist in ("Dr Lee", None):
            document = (forms.document_head + b'"therapist":' + msgspec.json.encode(therapist) + b"," +
                        forms.document_tail)
            assert b"\"therapist\":" not in forms.document_head + forms.document_tail
            assert document == msgspec.json.encode(row_to_json(replace(row, therapist=therapist)))
            assert json.loads(document) == row_to_json(replace(row, therapist=therapist))


def test_rows_from_stored_keeps_the_order_it_is_given() -> None:
    rows = [PatientCaseload.from_events(patient_id(name), journey_events(name)).row(date(2026, 2, 1))
            for name in NAMES]
    assert rows_from_stored(msgspec.json.encode(rows)) == rows
    assert rows_from_stored(msgspec.json.encode(rows[::-1])) == rows[::-1]
