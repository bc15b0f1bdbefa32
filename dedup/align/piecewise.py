"""Piecewise-monotone path: the MT read in order, jumping anywhere in the reference between runs.

Comparable articles keep local order (a fact told in two or three sentences keeps them in order)
while the runs themselves come in any order. A Viterbi pass over the MT sentences, where each is
either left out or paired with a reference sentence, rewards a pair that continues the previous
one on both sides (next or next-but-one sentence) and charges a fixed `jump` for starting a run
anywhere else. A fixed jump cost makes each row O(k): the best jump is the previous row's max.
"""

from __future__ import annotations

import numpy as np


def piecewise_path(sim: np.ndarray, floor: float, jump: float, skip: float) -> list[tuple[int, int, int]]:
    """(i, j, run) pairs on the best path; `run` numbers the runs of continuing pairs.

    A pair is worth `sim - floor`; continuing from (i-1, j-1) is free, skipping one sentence on
    either side costs `skip`, any other move costs `jump` (also from a sentence left out).
    """
    m, k = sim.shape
    if not m or not k:
        return []
    worth = sim - floor
    neg = -np.inf
    vals = np.full((m, k), neg)  # best score with MT i paired to ref j
    nulls = np.zeros(m)  # best score with MT i left out
    back_kind = np.zeros((m, k), dtype=np.int8)  # 0 jump, 1 diag, 2 skip ref, 3 skip mt
    back_from = np.zeros((m, k), dtype=np.int64)
    null_from = np.zeros(m, dtype=np.int64)  # -1: from a null, else the j of row i-1
    for i in range(m):
        if i == 0:
            vals[0] = worth[0]
            nulls[0] = 0.0
            null_from[0] = -1
            continue
        prev = vals[i - 1]
        best_prev_j = int(np.argmax(prev))
        best_prev = max(float(prev[best_prev_j]), float(nulls[i - 1]))
        cand = np.full((4, k), neg)
        cand[0] = best_prev - jump
        cand[1, 1:] = prev[:-1]
        cand[2, 2:] = prev[:-2] - skip
        if i >= 2:
            cand[3, 1:] = vals[i - 2, :-1] - skip
        kind = np.argmax(cand, axis=0)
        vals[i] = cand[kind, np.arange(k)] + worth[i]
        back_kind[i] = kind
        back_from[i] = np.where(kind == 0, best_prev_j if prev[best_prev_j] >= nulls[i - 1] else -1, 0)
        if prev[best_prev_j] >= nulls[i - 1]:
            nulls[i], null_from[i] = float(prev[best_prev_j]), best_prev_j
        else:
            nulls[i], null_from[i] = float(nulls[i - 1]), -1
    # trace back
    path: list[tuple[int, int]] = []
    continues: list[bool] = []
    i = m - 1
    j = int(np.argmax(vals[i])) if vals[i].max() >= nulls[i] else -1
    while i >= 0:
        if j < 0:
            j = int(null_from[i]) if i > 0 else -1
            i -= 1
            continue
        path.append((i, j))
        kind = int(back_kind[i, j]) if i > 0 else 0
        continues.append(kind != 0)
        if kind == 0:
            j = int(back_from[i, j]) if i > 0 else -1
            i -= 1
        elif kind == 1:
            i, j = i - 1, j - 1
        elif kind == 2:
            i, j = i - 1, j - 2
        else:
            i, j = i - 2, j - 1
    path.reverse()
    continues.reverse()
    out: list[tuple[int, int, int]] = []
    run = -1
    for (pi, pj), cont in zip(path, continues, strict=True):
        if not cont:
            run += 1
        out.append((pi, pj, run))
    return out


Bead = tuple[tuple[int, ...], tuple[int, ...], float]


def fill_from_path(
    beads: list[Bead], sim: np.ndarray, worth_floor: float, jump: float, skip: float, link_floor: float
) -> list[Bead]:
    """Add the pairs of the piecewise path that lie in a run of two or more pairs clearing
    `link_floor`, when both
    sentences are still free and the pair clears `link_floor`: a weak pair is believed only when
    its neighbours on both sides continue it. Existing beads are never changed."""
    path = piecewise_path(sim, worth_floor, jump, skip)
    sizes: dict[int, int] = {}  # pairs of each run that clear `link_floor` (a lone weak pair is no run)
    for i, j, run in path:
        if sim[i, j] >= link_floor:
            sizes[run] = sizes.get(run, 0) + 1
    used_mt = {i for b in beads for i in b[0]}
    used_ref = {j for b in beads for j in b[1]}
    out = list(beads)
    for i, j, run in path:
        if sizes.get(run, 0) >= 2 and i not in used_mt and j not in used_ref and sim[i, j] >= link_floor:
            out.append(((i,), (j,), float(sim[i, j])))
            used_mt.add(i)
            used_ref.add(j)
    return out
