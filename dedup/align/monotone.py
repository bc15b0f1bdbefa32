"""Monotone dynamic programming over bead shapes, for runs told in the same order.

Used two ways: over a whole document pair in same-order mode (off by default; a translation and
its source, not two news reports), within a band around the chain of confident links; and in the
default order-free mode on short local runs of links that already follow each other on both sides.
The programme maximises sum(similarity - null_sim - length_weight * length skew) over beads minus
`skip` per sentence left out, so a split sentence is merged when the merged bead is worth more than
one link plus a skipped sentence, and two good links are not fused into one bead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from dedup.align.order import increasing_chain
from dedup.align.params import AlignParams
from dedup.align.similarity import PairScorer

SHAPES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1), (2, 3), (3, 2))
LOCAL_SHAPES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2))
Bead = tuple[tuple[int, ...], tuple[int, ...], float]
# value(i0, a, j0, b): worth of the bead (i0 .. i0+a-1, j0 .. j0+b-1) and its similarity
Value = Callable[[int, int, int, int], tuple[float, float]]


def bead_shapes(base: tuple[tuple[int, int], ...], p: AlignParams) -> tuple[tuple[int, int], ...]:
    """The shapes of `base` the parameters allow: none beyond `max_group` sentences on a side, and
    only 1-1 beads when merging is off (the same limits the order-free growth obeys)."""
    if not p.merge:
        return ((1, 1),)
    return tuple(s for s in base if max(s) <= max(p.max_group, 1))


def dp(
    rows: int,
    cols: int,
    lo: list[int],
    hi: list[int],
    value: Value,
    skip: float,
    shapes: tuple[tuple[int, int], ...] = SHAPES,
) -> list[Bead]:
    """Best monotone path from (0, 0) to (rows, cols) through cells lo[i] <= j <= hi[i]."""
    best = [[-np.inf] * (cols + 1) for _ in range(rows + 1)]
    back: dict[tuple[int, int], tuple[int, int, float]] = {}
    best[0][0] = 0.0
    for i in range(rows + 1):
        for j in range(lo[i], hi[i] + 1):
            if i == 0 and j == 0:
                continue
            cand, arg = -np.inf, (0, 0, 0.0)
            if i > 0 and best[i - 1][j] - skip > cand:  # MT sentence without counterpart
                cand, arg = best[i - 1][j] - skip, (1, 0, 0.0)
            if j > 0 and best[i][j - 1] - skip > cand:  # reference sentence without counterpart
                cand, arg = best[i][j - 1] - skip, (0, 1, 0.0)
            for a, b in shapes:
                if a > i or b > j:
                    continue
                prev = best[i - a][j - b]
                if prev == -np.inf:
                    continue
                worth, sim = value(i - a, a, j - b, b)
                if prev + worth > cand:
                    cand, arg = prev + worth, (a, b, sim)
            if cand > -np.inf:
                best[i][j] = cand
                back[(i, j)] = arg
    beads: list[Bead] = []
    i, j = rows, cols
    while (i, j) in back:
        a, b, sim = back[(i, j)]
        if a and b:
            beads.append((tuple(range(i - a, i)), tuple(range(j - b, j)), sim))
        i, j = i - a, j - b
    return beads[::-1]


def monotone_beads(
    scorer: PairScorer, anchors: list[tuple[float, float]], m: int, k: int, p: AlignParams
) -> list[Bead]:
    """Whole-document same-order alignment in a band around the chain of confident links."""
    null_sim, skip, band, length_weight = p.null_sim, p.skip_penalty, p.band, p.length_weight
    shapes = [shape for shape in bead_shapes(SHAPES, p) if shape[0] <= m and shape[1] <= k]
    sims = {shape: scorer.run_matrix(*shape) for shape in shapes}
    worth = {
        s: (sims[s] - length_weight * scorer.run_skew(*s) - null_sim - p.merge_cost * (sum(s) - 2)).tolist()
        for s in shapes
    }
    sim_lists = {s: sims[s].tolist() for s in shapes}
    chain = increasing_chain(anchors)
    if len(chain) >= 2:
        xs = np.concatenate([[0.0], [c[0] for c in chain], [m - 1.0]])
        ys = np.concatenate([[0.0], [c[1] for c in chain], [k - 1.0]])
        expected = np.interp(np.arange(m + 1), xs, ys)
    else:
        expected = np.arange(m + 1) * (k / max(m, 1))
    lo = np.clip(np.floor(expected - band), 0, k).astype(int)
    hi = np.clip(np.ceil(expected + band), 0, k).astype(int)
    lo[0], hi[m] = 0, k
    hi = np.maximum.accumulate(hi)
    for i in range(1, m + 1):  # keep the band connected: each row overlaps the previous one
        lo[i] = min(max(lo[i], lo[i - 1]), hi[i - 1])

    def value(i0: int, a: int, j0: int, b: int) -> tuple[float, float]:
        return worth[(a, b)][i0][j0], sim_lists[(a, b)][i0][j0]

    return dp(m, k, lo.tolist(), hi.tolist(), value, skip, tuple(shapes))


def _run_band(
    run: list[Bead], r0: int, c0: int, rows: int, cols: int, slack: int
) -> tuple[list[int], list[int]]:
    """Cells within `slack` of the run's current path, so the programme stays cheap on long runs."""
    lo = [cols] * (rows + 1)
    hi = [0] * (rows + 1)
    points = (
        [(0, 0), (rows, cols)]
        + [(g[0] - r0, h[0] - c0) for g, h, _ in run]
        + [(g[-1] + 1 - r0, h[-1] + 1 - c0) for g, h, _ in run]
    )
    points.sort()
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        for i in range(x0, x1 + 1):
            lo[i] = min(lo[i], y0)
            hi[i] = max(hi[i], y1)
    lo = [max(0, v - slack) for v in lo]
    hi = [min(cols, v + slack) for v in hi]
    lo[0], hi[rows] = 0, cols
    for i in range(1, rows + 1):  # monotone and connected
        hi[i] = max(hi[i], hi[i - 1])
        lo[i] = min(max(lo[i], lo[i - 1]), hi[i - 1])
    return lo, hi


def refine_runs(
    beads: list[Bead], scorer: PairScorer, m: int, k: int, params: AlignParams, floor: float
) -> list[Bead]:
    """Re-decide the beads of each local run (links following each other on both sides, with at
    most `run_gap` free sentences between them, plus up to `run_extend` free sentences at each
    end) with the monotone programme over that run only.

    A sentence left out costs `run_skip`, less than the whole document's `skip_penalty`: in a
    translation a sentence between two links belongs to one of them, but between order-free
    links of two reports it often has no counterpart (the other report left that fact out).
    So it joins a bead only when it lowers the bead's similarity by less than `run_skip`, the
    same tolerance (`absorb_tol`) the greedy growth gives a split-off half sentence.
    """
    p = params
    used_mt = {i for b in beads for i in b[0]}
    used_ref = {j for b in beads for j in b[1]}
    ordered = sorted(beads, key=lambda b: b[0])
    runs: list[list[Bead]] = []
    for bead in ordered:
        if runs:
            prev = runs[-1][-1]
            gap_mt = bead[0][0] - prev[0][-1] - 1
            gap_ref = bead[1][0] - prev[1][-1] - 1
            gap_free = all(j not in used_ref for j in range(prev[1][-1] + 1, bead[1][0]))
            if 0 <= gap_mt <= p.run_gap and 0 <= gap_ref <= p.run_gap and gap_free:
                runs[-1].append(bead)
                continue
        runs.append([bead])
    out: list[Bead] = []
    for run in runs:
        r0 = _extend(run[0][0][0], -1, used_mt, m, p.run_extend)
        c0 = _extend(run[0][1][0], -1, used_ref, k, p.run_extend)
        r1 = _extend(run[-1][0][-1], 1, used_mt, m, p.run_extend)
        c1 = _extend(run[-1][1][-1], 1, used_ref, k, p.run_extend)
        if len(run) < 2 and (r0, c0, r1, c1) == (run[0][0][0], run[0][1][0], run[0][0][-1], run[0][1][-1]):
            out.extend(run)
            continue
        rows, cols = r1 + 1 - r0, c1 + 1 - c0

        def value(i0: int, a: int, j0: int, b: int, r0: int = r0, c0: int = c0) -> tuple[float, float]:
            g_mt, g_ref = tuple(range(r0 + i0, r0 + i0 + a)), tuple(range(c0 + j0, c0 + j0 + b))
            sim = scorer.group(g_mt, g_ref)
            skew = scorer.length_skew(g_mt, g_ref, centred=True)
            return sim - p.null_sim - p.length_weight * skew - p.merge_cost * (a + b - 2), sim

        lo, hi = _run_band(run, r0, c0, rows, cols, slack=2)
        local = dp(rows, cols, lo, hi, value, p.run_skip, bead_shapes(LOCAL_SHAPES, p))
        for g_mt, g_ref, _ in run:  # re-decided: free unless the programme keeps them
            used_mt.difference_update(g_mt)
            used_ref.difference_update(g_ref)
        strong = [n for n, b in enumerate(local) if b[2] >= floor]
        for n, (g_mt, g_ref, s) in enumerate(local):
            inside = bool(strong) and strong[0] < n < strong[-1]
            if s < (p.inner_sim if inside else floor):
                continue
            bead = (tuple(r0 + i for i in g_mt), tuple(c0 + j for j in g_ref), s)
            out.append(bead)
            used_mt.update(bead[0])
            used_ref.update(bead[1])
    return out


def _extend(edge: int, step: int, used: set[int], n: int, limit: int) -> int:
    """Move `edge` outwards over at most `limit` free sentences."""
    for _ in range(limit):
        nxt = edge + step
        if nxt < 0 or nxt >= n or nxt in used:
            break
        edge = nxt
    return edge
