"""datasketch MinHash signatures of many sets at once, computed in numpy.

Why not `MinHash.update_batch` per article: it builds a Python list of hashes and one small matrix
per article. Here the permutations of a real `datasketch.MinHash(num_perm, seed, scheme=...)` are
applied to all shingles of a batch in one matrix and reduced per article, which gives exactly the
`hashvalues` datasketch computes for the same input hashes (a test checks it bit for bit), so the
signatures can be handed back to datasketch (`MinHash(hashvalues=..., scheme=...)`) at any time.

The input hash of a shingle is its 64-bit hash for "affine64", its low 32 bits otherwise (what a
32-bit `hashfunc` would return).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch import MinHash

SCHEMES = ("affine32", "affine64", "legacy")
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)
_CHUNK_CELLS = 1 << 21  # shingles x permutations per matrix: ~8 MB of uint32, stays in cache-ish


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) permutation parameters datasketch uses for these settings."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown MinHash scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=scheme).permutations
    return np.ascontiguousarray(a), np.ascontiguousarray(b)


def empty_value(scheme: str) -> int:
    return (1 << 64) - 1 if scheme == "affine64" else (1 << 32) - 1


def dtype_of(scheme: str) -> type[np.unsignedinteger]:
    return np.uint32 if scheme == "affine32" else np.uint64


def input_hashes(shingles: np.ndarray, scheme: str) -> np.ndarray:
    """What datasketch's `hashfunc` would have returned for each shingle."""
    if scheme == "affine64":
        return shingles.astype(np.uint64, copy=False)
    low = (shingles & _MAX32).astype(np.uint32)
    return low if scheme == "affine32" else low.astype(np.uint64)


def _fmix32(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _fmix64(h: np.ndarray) -> np.ndarray:
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _permuted(hv: np.ndarray, a: np.ndarray, b: np.ndarray, scheme: str) -> np.ndarray:
    """(num_perm, len(hv)) permuted values, as datasketch's CPU path computes them (transposed:
    reducing along contiguous rows is several times faster than along columns)."""
    with np.errstate(over="ignore"):
        if scheme == "legacy":
            phv = (a[:, None] * hv[None, :] + b[:, None]) % _MERSENNE
            return np.bitwise_and(phv, _MAX32)
        mixed = _fmix32(hv) if scheme == "affine32" else _fmix64(hv)
        phv = np.multiply(a[:, None], mixed[None, :])
        phv += b[:, None]
        return phv


def signatures(values: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int, scheme: str) -> np.ndarray:
    """One signature row per set; set i is ``values[offsets[i]:offsets[i+1]]`` (input hashes).

    An empty set gets datasketch's empty signature (all maximal values).
    """
    a, b = permutations(num_perm, seed, scheme)
    n = len(offsets) - 1
    out = np.full((n, num_perm), empty_value(scheme), dtype=dtype_of(scheme))
    counts = np.diff(offsets)
    nonempty = np.flatnonzero(counts > 0)
    if not len(nonempty):
        return out
    step = max(1, _CHUNK_CELLS // num_perm)
    i = 0
    while i < len(nonempty):
        # A run of whole sets holding about `step` values (at least one set).
        lo = offsets[nonempty[i]]
        j = int(np.searchsorted(offsets[nonempty + 1], lo + step, side="right"))
        j = max(j, i + 1)
        rows = nonempty[i:j]
        hi = offsets[rows[-1] + 1]
        phv = _permuted(values[lo:hi], a, b, scheme)
        out[rows] = np.minimum.reduceat(phv, offsets[rows] - lo, axis=1).T
        i = j
    return out
