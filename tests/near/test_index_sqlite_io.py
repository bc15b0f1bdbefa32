"""The SQLite index's I/O shape: band keys written and looked up in key order give the answers the
in-process index gives."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings

from dedup.near.index.sqlite import SQLiteIndex
from tests.near.test_index import _OPS, assert_answers_as_memory


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_sqlite_answers_as_the_memory_index_under_any_operations(tmp_path: Path, ops: list[Any]) -> None:
    path = tmp_path / f"prop{abs(hash(repr(ops))) % 10**9}.db"
    idx = SQLiteIndex(path)
    try:
        assert_answers_as_memory(idx, ops)
    finally:
        idx.close()
        path.unlink()


def test_keys_sorted_for_the_btree_keep_each_row_with_its_owner(tmp_path: Path) -> None:
    """Several articles added at once with keys in every order (and shared keys): each candidate row
    finds exactly the articles that hold its keys, whatever order they were written in."""
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**64 - 1, size=(50, 6), dtype=np.uint64)
    keys[7, 2] = keys[30, 4]  # one key shared by two articles
    with SQLiteIndex(tmp_path / "i.db") as idx:
        idx.ensure_level("copy", {"format": "x"})
        nums = idx.number([f"d{i:02d}" for i in range(50)])
        idx.add("copy", nums, keys, [b"p"] * 50)
        probe = keys[[30, 7, 12]]
        rows, found = idx.candidates("copy", probe)
        got = Counter(zip(rows.tolist(), found.tolist(), strict=True))  # one hit per shared key
        assert got == Counter(
            {(0, nums[30]): 6, (0, nums[7]): 1, (1, nums[7]): 6, (1, nums[30]): 1, (2, nums[12]): 6}
        )
