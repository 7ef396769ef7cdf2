"""``uuids_from_hex``: a batch of stored entry ids made into UUIDs in C loops (``read_sound_log``)
gives exactly what ``uuid.UUID(text)`` gives, and refuses exactly what it refuses."""

from __future__ import annotations

import pickle
import uuid

import pytest

from domain.codec import uuids_from_hex, uuids_from_ints


def test_the_same_uuids_as_uuid_uuid() -> None:
    # Every form of 32 characters uuid.UUID reads: hex in either case, a space or sign in front, 0x, underscores
    texts = [uuid.uuid4().hex for _ in range(300)] + ["0" * 32, "f" * 32, "F" * 32, " " + "a" * 31,
                                                      "0x" + "b" * 30, "+" + "1" * 31, "1_" + "2" * 30]
    made = uuids_from_hex(texts)
    expected = [uuid.UUID(text) for text in texts]
    assert made == expected
    assert [hash(u) for u in made] == [hash(u) for u in expected]
    assert [(str(u), u.hex, u.bytes, u.version, u.is_safe) for u in made] == \
        [(str(u), u.hex, u.bytes, u.version, u.is_safe) for u in expected]
    assert pickle.loads(pickle.dumps(made)) == expected
    with pytest.raises(TypeError):
        made[0].int = 1  # type: ignore[misc]  # as immutable as any UUID
    # Other forms uuid.UUID reads (dashes, braces) go through it
    other = [str(uuid.uuid4()), "{" + uuid.uuid4().hex + "}", uuid.uuid4().urn]
    assert uuids_from_hex(other) == [uuid.UUID(text) for text in other]
    assert uuids_from_hex([]) == []


@pytest.mark.parametrize("text", ["g" * 32, "-" + "1" * 31, "+" + "1" * 31 + "-", "{" + "1" * 30 + "}",
                                  "1" * 31, "1" * 33, "1234-" + "0" * 27, "urn:uuid:" + "0" * 23, ""])
def test_refuses_what_uuid_uuid_refuses(text: str) -> None:
    try:
        expected: object = uuid.UUID(text)
    except ValueError:
        expected = ValueError
    try:
        made: object = uuids_from_hex([uuid.uuid4().hex, text])[1]
    except ValueError:
        made = ValueError
    assert made == expected


def test_uuids_from_ints_are_uuid_uuid_of_each_int() -> None:
    ints = [uuid.uuid4().int for _ in range(100)] + [0, 1, (1 << 128) - 1]
    made = uuids_from_ints(ints)
    expected = [uuid.UUID(int=value) for value in ints]
    assert made == expected
    assert [(hash(u), str(u), u.bytes, u.is_safe) for u in made] == \
        [(hash(u), str(u), u.bytes, u.is_safe) for u in expected]
    assert uuids_from_ints([]) == []
