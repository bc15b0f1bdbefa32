"""Order-free alignment: confident links first, grown into n-m beads, refined along local runs.

1. Every MT sentence is scored against every reference sentence (`PairScorer`: chrF plus
   weighted content-word overlap). For ranking, each pair also gets a share (`context`) of the
   best pair right before or after it on both sides (facts are told in short runs; a pair no
   more similar than unrelated text gets none), and a ratio margin against each sentence's
   nearest neighbours, so a sentence that resembles everything (a hub) does not win by default.
2. Pairs above the floors are taken greedily, best first, each sentence at most once, and each
   is grown at once by free adjacent sentences that make the bead better (a sentence split in two
   by the other outlet); pairs continuing a run of links are then tried at the same floor.
3. Links that follow each other on both sides (local runs) are re-decided together by a small
   monotone programme over bead shapes, which settles merges better than one link at a time.
4. Order (`order="auto"`, the default): when most confident links lie on one increasing chain,
   the texts are told in the same order and a banded monotone programme over the whole document
   decides the beads; only beads vouched for by a nearby link are kept (piecewise fill between
   anchors), plus confident crossing links. Otherwise a piecewise-monotone path (the MT read in
   order, jumping anywhere in the reference between runs) adds weak pairs that continue a run,
   and a free reference sentence that covers another part of a bead's MT sentence joins it even
   when it is not adjacent (`join_apart`: the other outlet told that sentence in two places).
   Last, a bead that no neighbouring bead continues must stand out against its MT side's
   next-best pair (`drop_lone`): a sentence whose partner is missing still has a best match.
A sentence nobody claims has no counterpart. `order="free"` never uses the global order,
`order="monotone"` always does; `order_prior` is a softer alternative.
"""

from __future__ import annotations

import bisect

import numpy as np

from dedup.align.monotone import monotone_beads, refine_runs
from dedup.align.order import detect_order, increasing_chain, order_bonus
from dedup.align.params import AlignParams
from dedup.align.piecewise import fill_from_path
from dedup.align.similarity import PairScorer, knn_means, ratio_margin
from dedup.model import Alignment, Document, Link, TooLarge


def align_texts(mt: list[str], ref: list[str], params: AlignParams | None = None) -> Alignment:
    """Align two lists of sentence texts; the core of `align`, usable without Documents."""
    p = params or AlignParams()
    m, k = len(mt), len(ref)
    if m * k > p.max_pairs:
        raise TooLarge(
            f"{m:,} MT sentences x {k:,} reference sentences = {m * k:,} sentence pairs to compare, more "
            f"than the limit of {p.max_pairs:,} (about 80 bytes of memory each; `--max-pairs N` or "
            "`AlignParams(max_pairs=N)` raises it)"
        )
    scorer = PairScorer(mt, ref, p)
    sim = scorer.single
    links: list[Link] = []
    used_order = "free"
    if m and k:
        beads, used_order = _beads(scorer, m, k, p)
        links = [Link(a, b, round(s, 4)) for a, b, s in beads]
    links.sort(key=lambda lk: (lk.mt, lk.ref))
    used_mt = {i for lk in links for i in lk.mt}
    used_ref = {j for lk in links for j in lk.ref}
    return Alignment(
        links=links,
        unaligned_mt=[i for i in range(m) if i not in used_mt],
        unaligned_ref=[j for j in range(k) if j not in used_ref],
        similarity=np.round(np.asarray(sim, dtype=np.float64), 4).tolist(),
        params={**p.to_json(), "order_used": used_order},
    )


Bead = tuple[tuple[int, ...], tuple[int, ...], float]


def _beads(scorer: PairScorer, m: int, k: int, p: AlignParams) -> tuple[list[Bead], str]:
    """The beads and the order actually used ("monotone" or "free")."""
    if p.order not in ("auto", "free", "monotone"):
        raise ValueError(f"order must be 'auto', 'free' or 'monotone', not {p.order!r}")
    sim = scorer.single
    ranked = sim + p.context * context_support(sim) if p.context > 0 else sim
    if p.context > 0:  # support lifts a weak pair, but one no more similar than unrelated text stays out
        ranked = np.where(sim >= p.background, ranked, sim)
    beads = _select(ranked, ratio_margin(ranked, *knn_means(ranked, p.knn, p.background)), scorer, p)
    if p.order_prior > 0 and beads:
        anchors = [(float(np.mean(a)), float(np.mean(b))) for a, b, _ in beads]
        boosted = ranked + order_bonus(anchors, m, k, p.order_prior, p.order_width)
        beads = _select(boosted, ratio_margin(boosted, *knn_means(boosted, p.knn, p.background)), scorer, p)
    anchors = [(float(np.mean(a)), float(np.mean(b))) for a, b, _ in beads]
    mode = "monotone" if p.monotone else p.order
    if mode == "auto":
        mode = detect_order(anchors, p.order_share, p.order_min_links)
        if mode == "monotone":
            # the links the order-free mode would keep (runs re-decided) vouch for the programme's beads
            mono = monotone_beads(scorer, anchors, m, k, p)  # first: fills the run matrices' cache
            kept = refine_runs(beads, scorer, m, k, p, p.neighbour_sim) if p.run_gap >= 0 else beads
            return _detected_monotone(kept, mono, p), mode
    if mode == "monotone":
        return monotone_beads(scorer, anchors, m, k, p), mode
    if p.run_gap >= 0:
        beads = refine_runs(beads, scorer, m, k, p, p.neighbour_sim)
    if p.path_jump > 0:
        beads = fill_from_path(beads, sim, p.inner_sim, p.path_jump, p.path_skip, p.path_sim)
    if p.merge and p.join_sim < 1.0:
        beads = join_apart(beads, scorer, p)
    lone = p.embed_lone_ratio if p.embeddings else p.lone_ratio
    if lone > 0:
        beads = drop_lone(beads, sim, lone, p.lone_weak, p.weak_ratio)
    if p.merge and p.join_sim < 1.0 and p.join_mt:
        beads = join_apart_mt(beads, scorer, p)
    return beads, "free"


_STEPS = ((1, 1), (1, 2), (2, 1), (2, 2))  # a neighbouring bead's corner, one skip allowed


def drop_lone(
    beads: list[Bead], sim: np.ndarray, ratio: float, weak: float = 0.0, weak_ratio: float = 0.0
) -> list[Bead]:
    """Drop a bead that neither stands out nor is continued by a neighbouring bead.

    When a sentence's partner is missing from the other report, the sentence still has a best
    remaining match, and nothing in its own similarity says "no counterpart". What gives it
    away is that the match does not stand out: the MT side is about as similar to some other
    reference sentence (a margin against the second-best candidate, as in parallel-sentence
    mining). A right link that does not stand out is usually continued by a neighbouring link
    (facts are told in short runs), so only beads with no bead diagonally next to them (one
    skipped sentence allowed) must beat their MT side's best pair outside the bead by `ratio`.
    A continued bead whose best pair is below `weak` (it got in only through its neighbour's
    support: context or run continuation) must reach `weak_ratio` of its MT side's best pair
    elsewhere: a neighbour vouches for the place, not for a sentence that plainly says more about
    another reference sentence (the other outlet told it inside a sentence elsewhere; the weak pair beside a link
    is then an unrelated one, and `check` would compare unrelated facts).
    """
    owner: dict[tuple[int, int], int] = {}
    for n, (g_mt, g_ref, _s) in enumerate(beads):
        for i in g_mt:
            for j in g_ref:
                owner[(i, j)] = n
    out = []
    for n, (g_mt, g_ref, s) in enumerate(beads):
        near = [(g_mt[0] - di, g_ref[0] - dj) for di, dj in _STEPS]
        near += [(g_mt[-1] + di, g_ref[-1] + dj) for di, dj in _STEPS]
        rows = sim[list(g_mt)]
        inside = float(rows[:, list(g_ref)].max())
        if any(owner.get(cell, n) != n for cell in near):
            ratio_here = weak_ratio if inside < weak else 0.0
        else:
            ratio_here = ratio
        if not _outshone((g_mt, g_ref, s), sim, ratio_here):
            out.append((g_mt, g_ref, s))
    return out


def _outshone(bead: Bead, sim: np.ndarray, ratio: float) -> bool:
    """The bead's best pair is below `ratio` times its MT side's best pair with another sentence."""
    rows = sim[list(bead[0])]
    outside = np.delete(rows, list(bead[1]), axis=1)
    return bool(outside.size) and float(rows[:, list(bead[1])].max()) < ratio * float(outside.max())


def join_apart(beads: list[Bead], scorer: PairScorer, p: AlignParams) -> list[Bead]:
    """Join a bead with a free reference sentence from elsewhere that covers another part of it.

    When facts come in a different order, the other outlet may tell what one MT sentence says
    in two places, so a many-to-one link need not be adjacent. A free reference sentence joins
    a bead when it is similar to the bead's MT side (`join_sim`), prefers it over every other
    MT sentence, and the union covers the MT side better than the bead alone by `join_gain`
    (each part adds something); the bead's reference list then has a gap.
    """
    return _join_free(beads, scorer, p.max_group, p.join_sim, p.join_gain, side=1)


def join_apart_mt(beads: list[Bead], scorer: PairScorer, p: AlignParams) -> list[Bead]:
    """The mirror of `join_apart`: a free MT sentence joins a bead from elsewhere in the MT.

    The MT's source may tell in two places what the other outlet puts in one sentence ("9 dead"
    early, "140 injured" later). A free MT sentence joins a bead when it is similar to the bead's
    reference side (`join_sim`), that side holds its best reference sentence, and the union
    covers the reference side better than the bead alone by `join_mt_gain`.
    """
    return _join_free(beads, scorer, p.max_group, p.join_sim, p.join_mt_gain, side=0)


def _join_free(
    beads: list[Bead], scorer: PairScorer, max_group: int, floor: float, gain: float, side: int
) -> list[Bead]:
    """A free sentence of `side` (0: MT, 1: reference) joins the bead whose other side holds its
    best match, when it is similar to that side (>= `floor`) and the union scores `gain` better."""
    sim = scorer.single if side == 1 else scorer.single.T  # rows: the bead's own side, columns: `side`
    if not sim.size:
        return beads
    free = np.ones(sim.shape[1], dtype=bool)
    for bead in beads:
        free[list(bead[side])] = False
    best_of = np.argmax(sim, axis=0)
    out = list(beads)
    for n, bead in enumerate(beads):
        own, grown, cur = bead[1 - side], bead[side], bead[2]
        if len(grown) >= max_group:
            continue
        rows = list(own)
        cands = np.flatnonzero(free & (sim[rows].max(axis=0) >= floor) & np.isin(best_of, rows))
        best: tuple[float, tuple[int, ...], int] | None = None
        for y in cands.tolist():
            new = tuple(sorted((*grown, y)))
            joined = scorer.group(own, new) if side == 1 else scorer.group(new, own)
            if joined >= cur + gain and (best is None or joined > best[0]):
                best = (joined, new, y)
        if best is not None:
            out[n] = (own, best[1], best[0]) if side == 1 else (best[1], own, best[0])
            free[best[2]] = False
    return out


def _detected_monotone(free: list[Bead], mono: list[Bead], p: AlignParams) -> list[Bead]:
    """Same-order beads when the order was only inferred (piecewise fill between anchors).

    A programme bead is kept when it shares a sentence with a confident link of the increasing
    chain, or when it lies between two chain links at most `fill_gap` sentences apart on both
    sides (what lies between two adjacent anchors most likely says the same thing), and it
    clears `mono_floor`. Beyond the first and last anchors, and in long unanchored stretches,
    nothing is invented: a news report's tail often has no counterpart. Confident crossing links
    the chain left out are kept when their sentences are still free (a fact told elsewhere).
    """
    centres = {(float(np.mean(a)), float(np.mean(b))): (a, b) for a, b, _ in free}
    chain = [centres[c] for c in increasing_chain(list(centres))]
    anchor_mt = {i for a, _b in chain for i in a}
    anchor_ref = {j for _a, b in chain for j in b}
    starts = [a[0] for a, _b in chain]
    floor = p.embed_mono_floor if p.embeddings else p.mono_floor
    keep = []
    for g_mt, g_ref, s in mono:
        near = not anchor_mt.isdisjoint(g_mt) or not anchor_ref.isdisjoint(g_ref)
        if not near:
            n = bisect.bisect_right(starts, g_mt[0])  # chain[n - 1] starts before the bead
            near = 0 < n < len(chain) and _between(chain[n - 1], chain[n], g_mt, g_ref, p.fill_gap)
        keep.append(near and s >= floor)
    out = [b for n, b in enumerate(mono) if keep[n] or _sandwiched(mono, keep, n)]
    used_mt = {i for b in out for i in b[0]}
    used_ref = {j for b in out for j in b[1]}
    for g_mt, g_ref, s in free:
        if used_mt.isdisjoint(g_mt) and used_ref.isdisjoint(g_ref):
            out.append((g_mt, g_ref, s))
            used_mt.update(g_mt)
            used_ref.update(g_ref)
    return out


def _sandwiched(beads: list[Bead], keep: list[bool], n: int) -> bool:
    """A weak bead that exactly fills the space between two kept beads touching it on both sides."""
    if n == 0 or n + 1 >= len(beads) or not (keep[n - 1] and keep[n + 1]):
        return False
    (a_mt, a_ref, _), (g_mt, g_ref, _), (b_mt, b_ref, _) = beads[n - 1], beads[n], beads[n + 1]
    touching = a_mt[-1] + 1 == g_mt[0] and a_ref[-1] + 1 == g_ref[0]
    return touching and g_mt[-1] + 1 == b_mt[0] and g_ref[-1] + 1 == b_ref[0]


def _between(
    a: tuple[tuple[int, ...], tuple[int, ...]],
    b: tuple[tuple[int, ...], tuple[int, ...]],
    g_mt: tuple[int, ...],
    g_ref: tuple[int, ...],
    gap: int,
) -> bool:
    """A bead inside the space between two consecutive chain links that are close on both sides."""
    (a_mt, a_ref), (b_mt, b_ref) = a, b
    close = b_mt[0] - a_mt[-1] - 1 <= gap and b_ref[0] - a_ref[-1] - 1 <= gap
    inside = (
        a_mt[-1] < g_mt[0]
        and g_mt[-1] < b_mt[0]
        and a_ref[0] - gap <= g_ref[0]
        and g_ref[-1] <= b_ref[-1] + gap
    )
    return close and inside


def _grow_one(
    bead: Bead, scorer: PairScorer, used_mt: set[int], used_ref: set[int], m: int, k: int, p: AlignParams
) -> Bead:
    """Absorb free adjacent sentences into one bead.

    A sentence joins when the bead's similarity rises by `merge_gain`, or when the sentence by
    itself resembles the other side of the bead (`absorb_sim`) and the bead loses at most
    `absorb_tol`: a split-off half sentence often shares little surface with the whole.
    """
    g_mt, g_ref, cur = bead
    while p.merge:
        options: list[tuple[float, float, tuple[int, ...], tuple[int, ...]]] = []
        if len(g_mt) < p.max_group:
            for x in (g_mt[0] - 1, g_mt[-1] + 1):
                if 0 <= x < m and x not in used_mt:
                    new = tuple(sorted((*g_mt, x)))
                    options.append((scorer.group(new, g_ref), scorer.group((x,), g_ref), new, g_ref))
        if len(g_ref) < p.max_group:
            for y in (g_ref[0] - 1, g_ref[-1] + 1):
                if 0 <= y < k and y not in used_ref:
                    new = tuple(sorted((*g_ref, y)))
                    options.append((scorer.group(g_mt, new), scorer.group(g_mt, (y,)), g_mt, new))
        skew = scorer.length_skew(g_mt, g_ref)
        good = [
            o
            for o in options
            if o[0] >= cur + p.merge_gain
            or (
                o[1] >= p.absorb_sim
                and o[0] >= cur - p.absorb_tol
                and scorer.length_skew(o[2], o[3]) < skew - p.absorb_skew
            )
        ]
        if not good:
            break
        best = max(good, key=lambda o: (o[0], o[1], [-v for v in o[2]], [-v for v in o[3]]))
        cur, g_mt, g_ref = best[0], best[2], best[3]
        used_mt.update(g_mt)
        used_ref.update(g_ref)
    return g_mt, g_ref, cur


def context_support(sim: np.ndarray) -> np.ndarray:
    """For each pair, the best similarity of a pair right after or right before it on both sides
    (allowing one skipped sentence on either side): facts are told in short runs, wherever the
    run sits in the other document."""
    m, k = sim.shape
    pad = np.zeros((m + 4, k + 4))
    pad[2 : m + 2, 2 : k + 2] = sim
    best = np.zeros((m, k))
    for di, dj in ((1, 1), (1, 2), (2, 1), (-1, -1), (-1, -2), (-2, -1)):
        best = np.maximum(best, pad[2 + di : m + 2 + di, 2 + dj : k + 2 + dj])
    return best


def _select(sim: np.ndarray, margin: np.ndarray, scorer: PairScorer, p: AlignParams) -> list[Bead]:
    m, k = sim.shape
    beads = _greedy(sim, margin, scorer, p)
    if p.neighbour_sim < 1.0:
        beads = _propagate(beads, scorer, sim, m, k, p)
    return beads


def _greedy(sim: np.ndarray, margin: np.ndarray, scorer: PairScorer, p: AlignParams) -> list[Bead]:
    """Best-first pairs that clear both floors, each grown into a bead as soon as it is taken,
    so the second half of a split sentence joins its bead before a weaker pair can claim it."""
    m, k = sim.shape
    ok = np.argwhere((sim >= p.min_sim) & (margin >= p.min_margin))
    if not len(ok):
        return []
    vals = sim[ok[:, 0], ok[:, 1]]
    order = np.lexsort((ok[:, 1], ok[:, 0], -vals))  # score desc, then indices: deterministic
    used_mt: set[int] = set()
    used_ref: set[int] = set()
    beads: list[Bead] = []
    for idx in order:
        i, j = int(ok[idx, 0]), int(ok[idx, 1])
        if i in used_mt or j in used_ref:
            continue
        used_mt.add(i)
        used_ref.add(j)
        beads.append(_grow_one(((i,), (j,), scorer.group((i,), (j,))), scorer, used_mt, used_ref, m, k, p))
    return beads


def _propagate(
    beads: list[Bead], scorer: PairScorer, sim: np.ndarray, m: int, k: int, p: AlignParams
) -> list[Bead]:
    """Continue runs: the free sentences right after (before) a bead on both sides are a candidate
    pair at a lower floor. This is local contiguity (facts told in the same short sequence), not a
    global order: a run can sit anywhere in the other document.
    """
    used_mt = {i for b in beads for i in b[0]}
    used_ref = {j for b in beads for j in b[1]}
    beads = list(beads)
    while True:
        cands: set[tuple[int, int]] = set()
        for g_mt, g_ref, _ in beads:
            for x, y in ((g_mt[-1] + 1, g_ref[-1] + 1), (g_mt[0] - 1, g_ref[0] - 1)):
                if 0 <= x < m and 0 <= y < k and x not in used_mt and y not in used_ref:
                    cands.add((x, y))
        ok = sorted(((-float(sim[x, y]), x, y) for x, y in cands if sim[x, y] >= p.neighbour_sim))
        added = False
        for _neg, x, y in ok:
            if x in used_mt or y in used_ref:
                continue
            used_mt.add(x)
            used_ref.add(y)
            beads.append(
                _grow_one(((x,), (y,), scorer.group((x,), (y,))), scorer, used_mt, used_ref, m, k, p)
            )
            added = True
        if not added:
            return beads


def align(mt: Document, ref: Document, params: AlignParams | None = None) -> Alignment:
    """Align the MT document's sentences with the reference's (indices into each `sentences` list)."""
    return align_texts(mt.sentence_texts(), ref.sentence_texts(), params)
