"""Union-find over article numbers: verified pairs become clusters (transitively)."""

from __future__ import annotations

import numpy as np


class UnionFind:
    """Disjoint sets with path halving and union by size; nodes appear when first used."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.size: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            self.size[x] = 1
            return x
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb] or (self.size[ra] == self.size[rb] and rb < ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra

    def groups(self) -> list[list[int]]:
        """Sets of two or more, each sorted, ordered by their smallest element."""
        out: dict[int, list[int]] = {}
        for x in self.parent:
            out.setdefault(self.find(x), []).append(x)
        return sorted((sorted(g) for g in out.values() if len(g) > 1), key=lambda g: g[0])


def component_roots(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    """Union-find in array form over nodes ``0..n-1`` and edges ``(a[i], b[i])``: each node's root,
    the smallest node of its component.

    The scan links ~100k pairs per 100k articles; one Python `union` per pair made clustering grow
    faster than the rest of the scan. Here every round hooks each edge's larger root under its
    smaller one (all edges at once) and then halves every path until each node points at its root
    (pointer jumping, as in Shiloach-Vishkin): O(log n) rounds of numpy work.
    """
    parent = np.arange(n, dtype=np.int64)
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    while True:
        ra, rb = parent[a], parent[b]
        split = ra != rb
        if not split.any():
            return parent
        a, b = a[split], b[split]  # edges already inside one set never matter again
        lo = np.minimum(ra[split], rb[split])
        hi = np.maximum(ra[split], rb[split])
        np.minimum.at(parent, hi, lo)  # hi is a root: point it at the smallest root it touches
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand
