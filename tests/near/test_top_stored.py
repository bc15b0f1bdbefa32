"""The index side of the story candidates reduced per row (`bands.top_stored`): the same candidate
pairs and the same earlier partners as from the raw answer, in bounded blocks."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.near.bands import capped_pairs, top_stored
from dedup.near.index.memory import MemoryIndex
from dedup.near.story import earlier_partners


def _index_and_run(seed: int) -> tuple[MemoryIndex, np.ndarray, np.ndarray]:
    """A stored index of 300 articles and a run of 60, band keys drawn from a small alphabet so that
    articles share many keys (ties in the counts included); two run numbers are also stored (a
    resend's own stored version must not count as its partner)."""
    rng = np.random.default_rng(seed)
    idx = MemoryIndex()
    idx.ensure_level("story", {"format": "x"})
    stored_nums = idx.number([f"s{i:03d}" for i in range(300)])
    idx.add("story", stored_nums, rng.integers(0, 40, size=(300, 12)).astype(np.uint64), [b"p"] * 300)
    run_nums = np.asarray(idx.number([f"r{i:02d}" for i in range(60)]), dtype=np.int64)
    run_nums[:2] = stored_nums[:2]  # resent: stored under the same numbers
    keys = rng.integers(0, 40, size=(60, 12)).astype(np.uint64)
    return idx, keys, run_nums


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("block", [1, 37, 10**9])
def test_reduced_candidates_keep_the_same_pairs(seed: int, block: int) -> None:
    idx, keys, run_nums = _index_and_run(seed)
    raw_rows, raw_nums = idx.candidates("story", keys)
    rows, nums = top_stored(idx, "story", keys, 5, run_nums, block_incidences=block)[:2]
    assert len(rows) < len(raw_rows)  # something was left out, or the test proves nothing
    assert set(nums.tolist()).isdisjoint(run_nums.tolist())
    want = capped_pairs(keys, 5, run_nums, raw_rows, raw_nums)
    got = capped_pairs(keys, 5, run_nums, rows, nums)
    assert np.array_equal(got, want)
    order = np.argsort(run_nums, kind="stable")
    for a, b in zip(
        earlier_partners(run_nums[order], keys[order], np.argsort(order)[raw_rows], raw_nums, 5),
        earlier_partners(run_nums[order], keys[order], np.argsort(order)[rows], nums, 5),
        strict=True,
    ):
        assert a.tolist() == b.tolist()


def test_each_kept_partner_keeps_its_count() -> None:
    """A row's kept stored partners come back once per shared key: the counts rank them."""
    idx = MemoryIndex()
    idx.ensure_level("story", {"format": "x"})
    nums = idx.number(["a", "b", "c"])
    stored = np.array([[1, 2, 3, 4], [1, 2, 9, 9], [1, 8, 8, 8]], dtype=np.uint64)
    idx.add("story", nums, stored, [b"p"] * 3)
    rows, found = top_stored(idx, "story", np.array([[1, 2, 3, 7]], dtype=np.uint64), 2, np.array([99]))[:2]
    assert sorted(zip(rows.tolist(), found.tolist(), strict=True)) == [
        (0, nums[0]), (0, nums[0]), (0, nums[0]), (0, nums[1]), (0, nums[1])
    ]  # fmt: skip
