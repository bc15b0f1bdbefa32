"""An optional order prior, for texts known to tell things in the same order (off by default).

Confident links that form the longest order-preserving chain give, for each MT sentence, the
reference position it is expected at (linear interpolation between chain links); pairs near that
position get a bonus. Crossing links are still possible, they just earn no bonus.
"""

from __future__ import annotations

import bisect

import numpy as np


def increasing_chain(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Longest chain of points increasing in both coordinates (patience sorting, O(n log n))."""
    pts = sorted(points)
    tails: list[float] = []
    tail_idx: list[int] = []
    prev = [-1] * len(pts)
    for n, (_x, y) in enumerate(pts):
        pos = bisect.bisect_left(tails, y)
        if pos == len(tails):
            tails.append(y)
            tail_idx.append(n)
        else:
            tails[pos] = y
            tail_idx[pos] = n
        prev[n] = tail_idx[pos - 1] if pos > 0 else -1
    chain: list[tuple[float, float]] = []
    n = tail_idx[-1] if tail_idx else -1
    while n >= 0:
        chain.append(pts[n])
        n = prev[n]
    return chain[::-1]


def order_bonus(
    anchors: list[tuple[float, float]], m: int, k: int, weight: float, width: float
) -> np.ndarray:
    """(m, k) bonus: `weight` at the expected reference position, fading with a Gaussian."""
    chain = increasing_chain(anchors)
    if weight <= 0 or len(chain) < 2:
        return np.zeros((m, k))
    xs = np.array([c[0] for c in chain])
    ys = np.array([c[1] for c in chain])
    expected = np.interp(np.arange(m), xs, ys)
    dist = np.arange(k)[None, :] - expected[:, None]
    return weight * np.exp(-0.5 * (dist / max(width, 1e-6)) ** 2)


def chain_share(anchors: list[tuple[float, float]]) -> float:
    """Share of links on the longest order-preserving chain: near 1 for texts told in the same
    order, about 2 / sqrt(n) for n links in random order (shuffled chunks)."""
    return len(increasing_chain(anchors)) / len(anchors) if anchors else 0.0


def detect_order(anchors: list[tuple[float, float]], min_share: float, min_links: int) -> str:
    """Say "monotone" when the confident links run in one order on both sides, else "free".

    The chain must hold `min_share` of the links and be clearly longer than a random order's
    (2 sqrt(n)), so a handful of links never switches the whole document to same-order mode.
    """
    n = len(anchors)
    if n < max(min_links, 2):
        return "free"
    longest = len(increasing_chain(anchors))
    return "monotone" if longest / n >= min_share and longest > 2.0 * n**0.5 else "free"
