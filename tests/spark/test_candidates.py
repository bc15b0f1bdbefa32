"""Spark's candidate pairs are the local ones, pair for pair, for both candidate schemes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from dedup.near.bands import capped_pairs, colliding_pairs, pair_collision_counts


def _docs(spark: Any, keys: np.ndarray, seqs: list[int]) -> Any:
    from dedup.spark.scan import _doc_schema

    rows = [
        (seq, f"d{k}", "x", "und", "ok", None, b"p", keys[k].view(np.int64).tolist(), None, None)
        for k, seq in enumerate(seqs)
    ]
    return spark.createDataFrame(rows, _doc_schema())


@pytest.mark.parametrize("cap", [0, 5])
def test_candidates_equal_the_local_scheme(spark: Any, cap: int) -> None:
    from dedup.spark.scan import _candidates

    rng = np.random.default_rng(3)
    n, bands = 300, 6
    if cap:  # full-key buckets, many collisions: the per-article cap decides
        keys = rng.integers(0, 9, size=(n, bands)).astype(np.uint64)
        want = capped_pairs(keys, cap)
    else:  # buckets on the top 40 bits, ~75 rows each: the 64-row window decides
        top = rng.integers(0, 4, size=(n, bands)).astype(np.uint64) << np.uint64(24)
        keys = top | rng.integers(0, 1 << 24, size=(n, bands)).astype(np.uint64)
        want = colliding_pairs(keys)
    seqs = [7 + 3 * k for k in range(n)]  # only the order of seq matters
    level = SimpleNamespace(name="copy", candidate_cap=cap)
    got = {(r.a, r.b) for r in _candidates(_docs(spark, keys, seqs), level).collect()}
    expected = {(seqs[a], seqs[b]) for a, b in want.tolist()}
    assert got == expected
    # The scheme's limit was binding here (so the equality above tests it).
    if cap:
        assert len(want) < len(pair_collision_counts(keys)[0])
    else:
        assert max(np.unique(top[:, b], return_counts=True)[1].max() for b in range(bands)) > 64
