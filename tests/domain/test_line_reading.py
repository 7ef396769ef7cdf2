"""An import line is read in C when it is compact JSON exactly as msgspec writes it
(``interchange._compact_line``) and by the checking decoder otherwise: both give the same value,
and every line the checking decoder refuses (a repeated key above all, which msgspec alone would
let through, keeping the last) is refused with the same sentence."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import interchange
from domain.errors import InvalidEntry

LINE = '{"type":"PainRated","observed_at":"2026-01-13","leg":3,"back":null,"note":"Zoë, tired"}'


def outcome(read: Any, raw: str) -> tuple[str, str]:
    """The value READ makes of RAW or its refusal; as ``repr``, so 1 and 1.0 (or -0.0 and 0.0) differ."""
    try:
        return "value", repr(read(raw))
    except InvalidEntry as exc:
        return "refused", repr((str(exc), exc.field))


def checked(raw: str) -> tuple[str, str]:
    """What the checking decoder alone makes of RAW, with the nesting check ``_load_line`` adds."""
    def read(line: str) -> Any:
        obj = interchange._read_line(line)
        if isinstance(obj, dict | list) and interchange._too_deep(obj):
            raise InvalidEntry("the line nests deeper than any entry does")
        return obj
    return outcome(read, raw)


def test_a_compact_line_is_read_in_c() -> None:
    assert interchange._compact_line(LINE) == json.loads(LINE)
    assert interchange._load_line(LINE) == json.loads(LINE)


@pytest.mark.parametrize("raw", [
    '{"type":"PainRated","observed_at":"2026-01-13","leg":3,"leg":9}',  # compact, and a key twice
    '{"type":"SymptomsRecorded","symptoms":[{"region":"calf","region":"foot"}]}',  # twice, nested
    '{"type": "PainRated", "leg": 3, "leg": 9}',
    '{"a":NaN}', '{"a":1e400}', '{"a":"\\u00e9"}', '{"a":"\\ud800"}', '{"a":1.0e5}', '{"a":-0}',
    '{"a":' + "1" * 5000 + "}", '{"a":' + "9" * 30 + "}", " " + LINE, LINE + " ", "[" * 100 + "]" * 100,
    "[" * 100_000 + "]" * 100_000,  # deeper than msgspec reads
    '{"a":[[[[[[1]]]]]]}', '{"a":"tab\there"}', "null", "[]", "{}", '"text"', "{", "",
])
def test_any_other_line_is_read_as_the_checking_decoder_reads_it(raw: str) -> None:
    assert interchange._compact_line(raw) is None or outcome(interchange._load_line, raw) == checked(raw)
    assert outcome(interchange._load_line, raw) == checked(raw)


def test_a_repeated_key_in_a_compact_line_is_named() -> None:
    with pytest.raises(InvalidEntry, match="the key 'leg' appears twice in one object"):
        interchange._load_line('{"type":"PainRated","observed_at":"2026-01-13","leg":3,"leg":9}')


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(JSON, st.booleans(), st.booleans())
def test_every_line_reads_as_the_checking_decoder_reads_it(value: Any, compact: bool, ascii_only: bool) -> None:
    raw = json.dumps(value, separators=(",", ":") if compact else None, ensure_ascii=ascii_only)
    assert outcome(interchange._load_line, raw) == checked(raw)
