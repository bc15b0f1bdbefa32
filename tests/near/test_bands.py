"""Banding: datasketch's bands/rows, and collisions equal to a brute-force check."""

from __future__ import annotations

import itertools

import numpy as np
from datasketch import MinHashLSH

from dedup.near.bands import band_keys, band_params, colliding_pairs
from dedup.near.unionfind import UnionFind, component_roots


def test_band_params_match_minhashlsh() -> None:
    for threshold in (0.3, 0.5, 0.8):
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        assert band_params(threshold, 128) == (lsh.b, lsh.r)


def test_colliding_pairs_brute_force() -> None:
    rng = np.random.default_rng(3)
    sig = rng.integers(0, 4, size=(40, 12), dtype=np.uint32)  # few values: many collisions
    keys = band_keys(sig, 4, 3)
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(40), 2)
        if any(np.array_equal(sig[i, b * 3 : b * 3 + 3], sig[j, b * 3 : b * 3 + 3]) for b in range(4))
    }
    got = {tuple(p) for p in colliding_pairs(keys).tolist()}
    assert got == expected


def test_same_values_in_different_bands_do_not_collide() -> None:
    sig = np.array([[1, 2, 3, 4], [3, 4, 1, 2]], dtype=np.uint32)
    assert len(colliding_pairs(band_keys(sig, 2, 2))) == 0


def test_union_find_groups() -> None:
    uf = UnionFind()
    for a, b in [(5, 3), (3, 9), (1, 2), (7, 7)]:
        uf.union(a, b)
    assert uf.groups() == [[1, 2], [3, 5, 9]]


def test_component_roots_match_union_find() -> None:
    """The array form gives every node the smallest node of its set, as the one-pair-at-a-time
    union-find groups them (random graphs, including chains that need several hooking rounds)."""
    rng = np.random.default_rng(3)
    for n, m in [(1, 0), (6, 4), (50, 30), (400, 390), (2000, 1500)]:
        a = rng.integers(0, n, size=m)
        b = rng.integers(0, n, size=m)
        if n == 2000:  # a long path given in a shuffled order
            perm = rng.permutation(n)
            a, b = perm[:-1], perm[1:]
        roots = component_roots(a, b, n)
        uf = UnionFind()
        for x in range(n):
            uf.find(x)
        for x, y in zip(a.tolist(), b.tolist(), strict=True):
            uf.union(x, y)
        smallest: dict[int, int] = {}
        for x in range(n):
            smallest.setdefault(uf.find(x), x)
        assert roots.tolist() == [smallest[uf.find(x)] for x in range(n)]
