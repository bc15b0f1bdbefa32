"""LSH banding in numpy: band keys from signature rows, and the pairs of rows that share one.

Bands and rows come from datasketch's own `_optimal_param` for the level's LSH threshold (what
`MinHashLSH(threshold=...)` would choose). Instead of one Python dict insert per band per article
(what `MinHashLSH.insert` does, ~40 us per article and ~3 KB of dict entries per article), each band
of a batch is hashed to one 64-bit key in numpy and collisions are found by sorting.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from datasketch.lsh import _optimal_param

from dedup.near.shingle import fmix64

_U64 = np.uint64
_MULTS = fmix64(np.arange(1, 257, dtype=_U64)) | _U64(1)  # odd per-row multipliers
_ROW_BITS = 24
_LOW = _U64((1 << _ROW_BITS) - 1)
_TOP = ~_LOW
MAX_RUN_ALL_PAIRS = 64  # in a bigger bucket only rows < 64 apart are paired (still connected)


@lru_cache(maxsize=64)
def band_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as datasketch's MinHashLSH derives them (equal false positive/negative weights)."""
    b, r = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(b), int(r)


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(n, bands) uint64: one key per band, equal when the band's rows are equal (up to 2**-64)."""
    n = sig.shape[0]
    block = sig[:, : bands * rows].astype(_U64).reshape(n, bands, rows)
    with np.errstate(over="ignore"):
        acc = np.zeros((n, bands), dtype=_U64)
        for j in range(rows):
            acc ^= fmix64(block[:, :, j] * _MULTS[j] + _U64(j))
        acc += np.arange(bands, dtype=_U64) * _U64(0x9E3779B97F4A7C15)  # distinct bands, distinct keys
    return fmix64(acc)


def colliding_pairs(keys: np.ndarray) -> np.ndarray:
    """(m, 2) int64 pairs (i < j) of rows sharing a key in at least one band, unique, sorted."""
    n, bands = keys.shape
    found: list[np.ndarray] = []
    packed = n < (1 << _ROW_BITS)
    rows = np.arange(n, dtype=np.uint64)
    for band in range(bands):
        col = keys[:, band]
        if packed:
            # Sort values, not indices (several times faster): the key's top bits with the row
            # number in the low bits. Two keys equal in their top 40 bits collide by chance with
            # probability ~n/2**40 per band, and the exact verification drops such a pair anyway.
            v = np.sort((col & _TOP) | rows)
            order = (v & _LOW).astype(np.int64)
            s = v & _TOP
        else:
            order = np.argsort(col)  # any tie order will do: pairs are made unique and sorted below
            s = col[order]
        same = s[1:] == s[:-1]
        if not same.any():
            continue
        run_id = np.concatenate([[0], np.cumsum(~same)])
        # Only rows in buckets of two or more matter: work on that (small) subset.
        in_run = np.zeros(n, dtype=bool)
        in_run[1:] |= same
        in_run[:-1] |= same
        pos = np.flatnonzero(in_run)
        rid, members = run_id[pos], order[pos]
        for d in range(1, MAX_RUN_ALL_PAIRS):
            ok = rid[d:] == rid[:-d]
            if not ok.any():
                break
            idx = np.flatnonzero(ok)
            a, b = members[idx], members[idx + d]
            found.append(np.minimum(a, b) * max(n, 1) + np.maximum(a, b))
    return _decode_codes(found, n)


def _decode_codes(codes: list[np.ndarray], n: int) -> np.ndarray:
    """Pair codes ``lo * n + hi`` to unique sorted (lo, hi) rows."""
    if not codes:
        return np.empty((0, 2), dtype=np.int64)
    code = np.concatenate(codes)
    code.sort()
    keep = np.empty(len(code), dtype=bool)
    keep[:1] = True
    np.not_equal(code[1:], code[:-1], out=keep[1:])
    code = code[keep]
    out = np.stack([code // max(n, 1), code % max(n, 1)], axis=1)
    return out[out[:, 0] != out[:, 1]]


def unique_pairs(parts: list[np.ndarray], n: int) -> np.ndarray:
    if not parts:
        return np.empty((0, 2), dtype=np.int64)
    p = np.concatenate(parts).astype(np.int64)
    lo = np.minimum(p[:, 0], p[:, 1])
    hi = np.maximum(p[:, 0], p[:, 1])
    code = lo * max(n, 1) + hi
    code.sort()
    if len(code):
        keep = np.empty(len(code), dtype=bool)
        keep[0] = True
        np.not_equal(code[1:], code[:-1], out=keep[1:])
        code = code[keep]
    out = np.stack([code // max(n, 1), code % max(n, 1)], axis=1)
    return out[out[:, 0] != out[:, 1]]
