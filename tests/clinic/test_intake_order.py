"""The order in which a batch's patients go to the workers (``largest_first``): the most bytes
to read first, so the workers finish a batch close together; a patient's copies stay together,
in their order."""

from __future__ import annotations

import uuid
from pathlib import Path

from domain.clinic.intake_workers import largest_first


def test_patients_with_the_most_to_read_go_first_each_patients_copies_in_order(tmp_path: Path) -> None:
    small, large, middle = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    sizes = [(small, 10), (large, 500), (middle, 200), (small, 100), (middle, 50), (large, 1)]
    paths = []
    for index, (_, size) in enumerate(sizes):
        path = tmp_path / f"copy-{index}.sciatica"
        path.write_bytes(bytes(size))
        paths.append(path)
    gone = tmp_path / "gone.sciatica"  # (refused in a sentence when it is read)
    groups = largest_first([*paths, gone], [journal for journal, _ in sizes] + [uuid.uuid4()])
    assert list(groups.items())[:3] == [(large, [1, 5]), (middle, [2, 4]), (small, [0, 3])]
    assert sorted(i for group in groups.values() for i in group) == list(range(len(sizes) + 1))
    # Equal sizes keep the order they came in
    same = [uuid.uuid4(), uuid.uuid4()]
    assert list(largest_first([paths[0], paths[0]], same)) == same
