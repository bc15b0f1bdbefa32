"""The counting helpers behind the story level's candidate cap (`bands._top_k_mask`, `bands._counted`):
the linear top-k selection and the 32-bit sort must give exactly what a full sort gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.near.bands import _counted, _top_k_mask


def _sorted_top_k(group: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """The rule by sorting: per group, highest count first, then the earlier entry (smaller partner)."""
    mask = np.zeros(len(group), dtype=bool)
    for g in np.unique(group):
        at = np.flatnonzero(group == g)
        ranked = sorted(at.tolist(), key=lambda i: (-int(counts[i]), i))
        mask[ranked[:k]] = True
    return mask


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(1, 5)), min_size=0, max_size=80),
    st.integers(1, 6),
)
def test_top_k_mask_equals_a_full_sort(entries: list[tuple[int, int]], k: int) -> None:
    entries.sort(key=lambda e: e[0])  # groups ascending; within a group, entry order = partner order
    group = np.array([g for g, _ in entries], dtype=np.int64)
    counts = np.array([c for _, c in entries], dtype=np.int64)
    assert _top_k_mask(group, counts, k).tolist() == _sorted_top_k(group, counts, k).tolist()


def test_top_k_mask_ties_at_the_kth_count_go_to_the_first_entries() -> None:
    group = np.array([3, 3, 3, 3, 3, 8, 8], dtype=np.int64)
    counts = np.array([1, 2, 1, 2, 1, 1, 1], dtype=np.int64)
    # group 3: counts 2 and 2 first, then the first count-1 entry; group 8 has only 2 entries.
    assert _top_k_mask(group, counts, 3).tolist() == [True, True, False, True, False, True, True]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 999)), min_size=0, max_size=200))
def test_counted_equals_numpy_unique_in_both_widths(pairs: list[tuple[int, int]]) -> None:
    row = np.array([r for r, _ in pairs], dtype=np.int64)
    partner = np.array([p for _, p in pairs], dtype=np.int64)
    want_code, want_counts = np.unique(row * 1000 + partner, return_counts=True)
    for narrow in (True, False):
        code, counts = _counted(row, partner, 1000, narrow)
        assert code.dtype == np.int64
        assert code.tolist() == want_code.tolist()
        assert counts.tolist() == want_counts.tolist()
