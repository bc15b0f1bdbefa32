"""The per-article candidate cap (`bands.capped_pairs`, `StoryLevel(candidate_cap=...)`): each article
keeps the partners sharing the most band keys, ties by the smaller number, a pair survives when either
end keeps it; in a scan it covers the index's candidates too, and an index refuses another cap."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.load import article_from_text
from dedup.model import Document
from dedup.near.bands import capped_pairs, colliding_pairs, pair_collision_counts
from dedup.near.copy import CopyLevel
from dedup.near.index import IndexMismatch, open_index
from dedup.near.level import Sketch
from dedup.near.scan import scan
from dedup.near.shingle import fmix64
from dedup.near.story import StoryLevel
from tests.near.corpus import article


def _reference(
    keys: np.ndarray,
    cap: int,
    nums: Sequence[int],
    srow: Sequence[int] = (),
    snum: Sequence[int] = (),
    stored_votes: bool = False,
) -> list[tuple[int, int]]:
    """The rule written out pair by pair."""
    count: Counter[tuple[int, int]] = Counter()
    for i in range(len(keys)):
        for j in range(len(keys)):
            shared = int((keys[i] == keys[j]).sum())
            if i != j and shared:
                count[(nums[i], nums[j])] = shared
    for r, s in zip(srow, snum, strict=True):
        if s not in nums:
            count[(nums[r], s)] += 1
            count[(s, nums[r])] += 1
    partners: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for (a, b), c in count.items():
        if a in nums or stored_votes:
            partners[a].append((-c, b))
    out = {(min(a, b), max(a, b)) for a, lst in partners.items() for _, b in sorted(lst)[:cap]}
    return sorted(out)


def _keys(rows: list[list[int]]) -> np.ndarray:
    """Band keys from small labels; the same label in different bands is a different key."""
    arr = np.asarray(rows, dtype=np.uint64) + np.arange(len(rows[0]), dtype=np.uint64) * np.uint64(1000)
    return fmix64(arr)  # spread over 64 bits, as real band keys are


def test_keeps_the_partners_sharing_most_bands() -> None:
    # Row 0 shares 3 bands with row 1, 2 with row 2, 1 with row 3; rows 2 and 3 share 3 bands.
    keys = _keys(
        [
            [1, 1, 1, 2, 2, 3, 90, 91],
            [1, 1, 1, 10, 11, 12, 13, 14],
            [20, 21, 22, 2, 2, 30, 31, 32],
            [20, 21, 22, 43, 44, 3, 50, 51],
        ]
    )
    pairs, counts = pair_collision_counts(keys)
    assert dict(zip(map(tuple, pairs.tolist()), counts.tolist(), strict=True)) == {
        (0, 1): 3,
        (0, 2): 2,
        (0, 3): 1,
        (2, 3): 3,
    }
    assert {tuple(p) for p in colliding_pairs(keys).tolist()} == {(0, 1), (0, 2), (0, 3), (2, 3)}
    # cap 1: 0 keeps 1, 1 keeps 0, 2 keeps 3 (3 bands) over 0 (2), 3 keeps 2 (3) over 0 (1).
    assert {tuple(p) for p in capped_pairs(keys, 1).tolist()} == {(0, 1), (2, 3)}
    # cap 2: 0 keeps 1 and 2; 3 keeps 2 and 0, so (0, 3) survives through its other end.
    assert {tuple(p) for p in capped_pairs(keys, 2).tolist()} == {(0, 1), (0, 2), (0, 3), (2, 3)}


def test_equal_counts_go_to_the_smaller_number_whatever_the_order() -> None:
    # Article numbers 7, 3, 5, 9: 7 shares one band with each of 3, 5 and 9 (one bucket of four).
    keys = _keys([[1, 10], [1, 11], [1, 12], [1, 13]])
    nums = np.array([7, 3, 5, 9])
    want = _reference(keys, 1, nums.tolist())
    got = capped_pairs(keys, 1, nums).tolist()
    assert [tuple(p) for p in got] == want
    assert (3, 5) in want and (3, 7) in want and (3, 9) in want  # everyone's tie goes to 3
    rng = np.random.default_rng(0)
    for _ in range(10):
        perm = rng.permutation(len(keys))
        assert capped_pairs(keys[perm], 1, nums[perm]).tolist() == got


@settings(max_examples=120, deadline=None)
@given(
    rows=st.lists(st.lists(st.integers(0, 3), min_size=4, max_size=4), min_size=0, max_size=12),
    stored=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 30)), max_size=20),
    cap=st.integers(1, 4),
    seed=st.integers(0, 2**16),
    votes=st.booleans(),
)
def test_matches_the_rule_and_ignores_input_order(
    rows: list[list[int]], stored: list[tuple[int, int]], cap: int, seed: int, votes: bool
) -> None:
    keys = _keys(rows) if rows else np.zeros((0, 4), dtype=np.uint64)
    n = len(rows)
    rng = np.random.default_rng(seed)
    nums = rng.permutation(40)[:n].astype(np.int64)
    stored = [(r, s) for r, s in stored if r < n]
    srow = np.array([r for r, _ in stored], dtype=np.int64)
    snum = np.array([s for _, s in stored], dtype=np.int64)
    got = capped_pairs(keys, cap, nums, srow, snum, stored_votes=votes).tolist()
    want = _reference(keys, cap, nums.tolist(), srow.tolist(), snum.tolist(), stored_votes=votes)
    assert [tuple(p) for p in got] == want
    perm, sperm = rng.permutation(n), rng.permutation(len(stored))
    back = np.argsort(perm)  # row r of the permuted keys is old row perm[r]; stored rows follow
    again = capped_pairs(keys[perm], cap, nums[perm], back[srow[sperm]], snum[sperm], stored_votes=votes)
    assert again.tolist() == got
    uncapped = {tuple(p) for p in capped_pairs(keys, 10**6, nums, srow, snum, stored_votes=True).tolist()}
    assert {tuple(p) for p in got} <= uncapped
    if votes:  # stored ends voting can only add pairs
        assert set(map(tuple, capped_pairs(keys, cap, nums, srow, snum).tolist())) <= set(map(tuple, got))


def test_bad_cap_is_refused() -> None:
    with pytest.raises(ValueError, match="cap"):
        capped_pairs(_keys([[1], [1]]), 0)
    with pytest.raises(ValueError, match="candidate_cap"):
        StoryLevel(candidate_cap=-1)


class _LabelLevel:
    """A level whose signature is written in the text ("band labels"), every candidate verifying at
    1.0: the scan's clusters then show exactly which candidates it verified."""

    name = "story"
    scheme = "affine32"
    num_perm = 8
    lsh_threshold = 0.05  # 8 one-row bands
    verify_threshold = 0.5

    def __init__(self, cap: int) -> None:
        self.candidate_cap = cap

    def params(self) -> dict[str, Any]:
        return {"level": self.name, "scheme": self.scheme, "num_perm": 8, "candidate_cap": self.candidate_cap}

    def sketch_many(self, docs: Sequence[Document]) -> list[Sketch | None]:
        out: list[Sketch | None] = []
        for d in docs:
            labels = [int(x) for x in d.article.text.split()]
            out.append(Sketch(hashvalues=np.asarray(labels, dtype=np.uint64), payload=d.article.id.encode()))
        return out

    def similarity(self, a: bytes, b: bytes) -> float:
        return 1.0


# Q1 shares 3 bands with S1 and 1 with S3; Q2 shares 2 with S3 and 1 with S2; nothing else collides.
_STORED = {"s1": "1 2 3 100 101 102 103 104", "s2": "110 111 112 113 114 115 6 116"}
_STORED["s3"] = "120 121 122 4 5 5 123 124"
_NEW = {"q1": "1 2 3 4 130 131 132 133", "q2": "140 141 142 143 5 5 6 144"}


def _pairs(result: Any) -> set[tuple[str, str]]:
    return {(p.a, p.b) for c in result.clusters for p in c.pairs}


def _articles(texts: dict[str, str]) -> list[Any]:
    return [article_from_text(t, id=i) for i, t in texts.items()]


def test_cap_applies_to_index_candidates_in_an_incremental_run(tmp_path: Path) -> None:
    db = tmp_path / "index.db"
    first = scan(_articles(_STORED), level=_LabelLevel(1), index=str(db))
    assert first.clusters == []
    second = scan(_articles(_NEW), level=_LabelLevel(1), index=str(db))
    # q1 keeps s1 (3 bands) over s3 (1); q2 keeps s3 (2) over s2 (1); and the stored side votes
    # (index format 4): s2 keeps q2, its only partner; s3 keeps q2 (2 bands) over q1 (1).
    assert _pairs(second) == {("q1", "s1"), ("q2", "s3"), ("q2", "s2")}
    # Without the cap every index candidate is verified.
    other = tmp_path / "uncapped.db"
    scan(_articles(_STORED), level=_LabelLevel(0), index=str(other))
    uncapped = scan(_articles(_NEW), level=_LabelLevel(0), index=str(other))
    assert _pairs(uncapped) == _pairs(second) | {("q1", "s3")}
    # In one run, s2 ranks q2 (its only partner) first and keeps it: either end keeps a pair; the
    # incremental run keeps the same pairs.
    one_shot = _pairs(scan(_articles({**_STORED, **_NEW}), level=_LabelLevel(1)))
    assert one_shot == _pairs(second)


def test_rescanning_indexed_articles_counts_each_band_once(tmp_path: Path) -> None:
    db = tmp_path / "index.db"
    both = _articles({**_STORED, **_NEW})
    once = scan(both, level=_LabelLevel(1), index=str(db))
    again = scan(both, level=_LabelLevel(1), index=str(db))  # every article is in the index already
    assert _pairs(again) == _pairs(once) == {("q1", "s1"), ("q2", "s3"), ("q2", "s2")}  # as in one run


def test_a_cap_mismatch_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "index.db"
    arts = [article_from_text(article(k), id=f"a{k}") for k in range(3)]
    assert StoryLevel().params()["candidate_cap"] == 45
    scan(arts, level=StoryLevel(), index=str(db))
    with pytest.raises(IndexMismatch, match="candidate_cap"):
        scan(arts, level=StoryLevel(candidate_cap=10), index=str(db))
    with open_index(str(db)) as idx:  # the recorded settings are intact after the refusal
        assert idx.count("story") == 3


def test_copy_level_keeps_every_colliding_pair() -> None:
    assert not getattr(CopyLevel(), "candidate_cap", None)
    assert "candidate_cap" not in CopyLevel().params()
