"""`story.earlier_partners`: each article's capped candidates among the articles before it are what
`bands.capped_pairs` keeps for it scanned alone against an index holding everything before it."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.near.bands import capped_pairs
from dedup.near.story import earlier_partners


def _index_entries(
    query: np.ndarray, keys: np.ndarray, nums: np.ndarray, rows: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """What `Index.candidates` returns for `query` against the stored articles `rows` of `keys` (one
    entry per key shared in a band), written pair by pair."""
    r_out, n_out = [], []
    for r in range(query.shape[0]):
        for s in rows:
            for band in range(query.shape[1]):
                if query[r, band] == keys[s, band]:
                    r_out.append(r)
                    n_out.append(int(nums[s]))
    return np.asarray(r_out, dtype=np.int64), np.asarray(n_out, dtype=np.int64)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("cap", [1, 3, 0])
def test_partners_are_those_of_each_article_scanned_alone(seed: int, cap: int) -> None:
    rng = np.random.default_rng(seed)
    n_stored, n_new, bands = 9, 12, 6
    keys = rng.integers(0, 4, size=(n_stored + n_new, bands)).astype(np.uint64)
    keys += np.arange(bands, dtype=np.uint64) * np.uint64(100)  # a key belongs to one band
    nums = np.arange(n_stored + n_new, dtype=np.int64) * 3 + 5  # numbers ascend in input order
    new = keys[n_stored:]
    new_nums = nums[n_stored:]
    skip = rng.random(n_new) < 0.25  # held back: never anyone's partner
    srow, snum = _index_entries(new, keys, nums, list(range(n_stored)))
    got = earlier_partners(new_nums, new, srow, snum, cap, skip)
    for r in range(n_new):
        before = [k for k in range(n_stored + r) if k < n_stored or not skip[k - n_stored]]
        one = keys[n_stored + r : n_stored + r + 1]
        r0, n0 = _index_entries(one, keys, nums, before)
        if cap:
            alone = capped_pairs(one, cap, nums[n_stored + r : n_stored + r + 1], r0, n0)
            want = sorted(int(a) for a, b in alone.tolist() for a in (a, b) if a != nums[n_stored + r])
        else:
            want = sorted(set(n0.tolist()))
        assert sorted(got[r].tolist()) == want, r
    assert any(len(p) for p in got)  # there are partners to compare
