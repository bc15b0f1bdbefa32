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


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("cap", [1, 2, 3])
def test_earlier_articles_vote_as_they_came(seed: int, cap: int) -> None:
    """With the stored side's votes (`top_stored(..., fresh=...)`, index format 4), an article's
    candidates also hold each earlier article that ranks it in its top `cap` over its partners
    before it: stored ones through their lists, earlier rows of the batch (not skipped) directly."""
    import random

    from dedup.near.bands import band_keys, band_params, top_stored
    from dedup.near.index.memory import MemoryIndex
    from dedup.near.scan import scan
    from tests.near.test_story_tops import LabelLevel, articles, corpus

    items = corpus(36, seed, alphabet=3)
    n_stored = 20
    idx = MemoryIndex()
    for k in range(0, n_stored, 6):  # stored in runs: lists built incrementally
        scan(articles(items[k : min(k + 6, n_stored)]), level=LabelLevel(cap), index=idx)
    labels = np.asarray([[int(x) for x in t.split()[:8]] for _, t in items], dtype=np.uint64)
    keys = band_keys(labels, *band_params(0.05, 8))
    nums = np.asarray(idx.number([i for i, _ in items]), dtype=np.int64)
    new = slice(n_stored, len(items))
    side = top_stored(idx, "story", keys[new], cap, nums[new], fresh=np.ones(len(items) - n_stored, bool))
    skip = np.asarray([random.Random(seed * 7 + r).random() < 0.25 for r in range(len(items) - n_stored)])
    got = earlier_partners(nums[new], keys[new], side.rows, side.nums, cap, skip, (side.voters, side.voted))
    shared = (labels[:, None, :] == labels[None, :, :]).sum(axis=2)

    def best(k: int, among: list[int]) -> list[int]:
        return [j for _, j in sorted((-int(shared[k, j]), j) for j in among if j != k and shared[k, j])[:cap]]

    is_skipped = [False] * n_stored + skip.tolist()
    votes = 0
    for x in range(n_stored, len(items)):
        before = [j for j in range(x) if not is_skipped[j]]
        want = set(best(x, before))
        for e in before:
            # e's competitors: its partners before x; a stored e's include the batch's skipped rows
            rivals = [j for j in range(x) if j < n_stored or e < n_stored or not is_skipped[j]]
            if x in best(e, [*rivals, x]):
                want.add(e)
                votes += x not in best(x, before) and e not in best(x, before)
        assert sorted(int(nums[j]) for j in want) == sorted(got[x - n_stored].tolist()), x
    assert votes  # some candidates came only from the earlier side
