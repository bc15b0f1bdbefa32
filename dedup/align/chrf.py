"""sacrebleu chrF statistics for every pair of two sentence lists at once, and for sentence groups.

A match count is sum(min(hyp_count, ref_count)) over n-grams. Numbering the occurrences of each
n-gram in a sentence ("ab"#1, "ab"#2, ...) turns it into the size of a set intersection, so one
sparse 0/1 matrix product per order gives every pair's matches: the same numbers sacrebleu gets
pair by pair, at a fraction of the cost. Runs of adjacent sentences (for 1-2, 2-1, ... beads) are
scored from summed n-gram counts (n-grams across a sentence boundary are not counted).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse

# Quote marks and dashes differ by house style, not by meaning: MT output writes "..." where a
# publisher writes '...' or curly quotes, and one dash where another writes an en or em dash.
_MARKS = str.maketrans({**{c: "'" for c in '"“”„‟«»‘’‚‛`´'}, **{c: "-" for c in "‐‑‒–—―"}})


def fold_marks(text: str) -> str:
    """One quote mark and one dash for all their typographic variants (a one-for-one mapping,
    so lengths and offsets are unchanged); the aligner scores folded text, `chrf_matrix` does not."""
    return text.translate(_MARKS)


def _squeeze(text: str) -> str:
    return "".join(text.split())


class CharGrams:
    """Character n-gram counts of one side's sentences as flat arrays (all orders together).

    Both sides share one vocabulary; a gram's order is its length, kept in `Vocab.order_of`.
    """

    def __init__(self, texts: list[str], order: int, vocab: dict[str, int]) -> None:
        self.order = order
        self.size = len(texts)
        rows: list[int] = []
        ids: list[int] = []
        counts: list[int] = []
        self.offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        for r, text in enumerate(texts):
            line = _squeeze(text)
            counter: Counter[str] = Counter()
            for n in range(1, order + 1):
                counter.update(line[i : i + n] for i in range(len(line) - n + 1))
            for g, c in counter.items():
                ids.append(vocab.setdefault(g, len(vocab)))
                counts.append(c)
            rows.extend([r] * len(counter))
            self.offsets[r + 1] = len(ids)
        self.rows = np.array(rows, dtype=np.int64)
        self.ids = np.array(ids, dtype=np.int64)
        self.counts = np.array(counts, dtype=np.int64)
        self._groups: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        lengths = np.array([len(_squeeze(t)) for t in texts], dtype=np.int64)
        # totals[r, n-1] = number of n-grams in sentence r (sacrebleu's n_hyp / n_ref)
        self.totals = np.maximum(lengths[:, None] - np.arange(order)[None, :], 0).astype(np.float64)

    def runs(self, size: int, n_vocab: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(rows, ids, counts, totals) for every run of `size` adjacent sentences (row = first one)."""
        n_runs = max(self.size - size + 1, 0)
        if size == 1:
            return self.rows, self.ids, self.counts, self.totals
        rows = np.concatenate([self.rows - off for off in range(size)])
        ids = np.tile(self.ids, size)
        counts = np.tile(self.counts, size)
        keep = (rows >= 0) & (rows < n_runs)
        key = rows[keep] * max(n_vocab, 1) + ids[keep]
        uniq, inverse = np.unique(key, return_inverse=True)
        summed = np.bincount(inverse, weights=counts[keep]).astype(np.int64)
        totals = sum(self.totals[off : off + n_runs] for off in range(size))
        return uniq // max(n_vocab, 1), uniq % max(n_vocab, 1), summed, np.asarray(totals).reshape(n_runs, -1)

    def group(self, idx: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Summed counts (sorted ids, counts) and per-order totals of a group of sentences (cached)."""
        hit = self._groups.get(idx)
        if hit is None:
            hit = self._groups[idx] = self._group(idx)
        return hit

    def _group(self, idx: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if len(idx) == 1:
            p = slice(self.offsets[idx[0]], self.offsets[idx[0] + 1])
            return self.ids[p], self.counts[p].astype(np.float64), self.totals[idx[0]]
        parts = [slice(self.offsets[i], self.offsets[i + 1]) for i in idx]
        ids = np.concatenate([self.ids[p] for p in parts])
        vals = np.concatenate([self.counts[p] for p in parts]).astype(np.float64)
        uniq, inverse = np.unique(ids, return_inverse=True)
        return uniq, np.bincount(inverse, weights=vals), self.totals[list(idx)].sum(axis=0)


def _occurrences(
    rows: np.ndarray, ids: np.ndarray, counts: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Expand (row, gram, count) into one (row, gram * width + k) per occurrence k < count."""
    rep_rows = np.repeat(rows, counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    occ = np.arange(rep_rows.size) - starts
    return rep_rows, np.repeat(ids, counts) * width + occ


def runs_order_stats(
    a: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    order_of: np.ndarray,
    order: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-order precision, recall and validity, each (order, a-rows, b-rows)."""
    a_rows, a_ids, a_counts, a_tot = a
    b_rows, b_ids, b_counts, b_tot = b
    m, k = a_tot.shape[0], b_tot.shape[0]
    ps, rs, vs = np.zeros((order, m, k)), np.zeros((order, m, k)), np.zeros((order, m, k), dtype=bool)
    if m == 0 or k == 0:
        return ps, rs, vs
    width = int(max(a_counts.max(initial=0), b_counts.max(initial=0))) + 1
    ra, ka = _occurrences(a_rows, a_ids, a_counts, width)
    rb, kb = _occurrences(b_rows, b_ids, b_counts, width)
    oa, ob = order_of[ka // width], order_of[kb // width]
    for n in range(order):
        sa, sb = oa == n, ob == n
        keys, inverse = np.unique(np.concatenate([ka[sa], kb[sb]]), return_inverse=True)
        na = int(sa.sum())
        ma = sparse.csr_matrix((np.ones(na), (ra[sa], inverse[:na])), shape=(m, max(len(keys), 1)))
        mb = sparse.csr_matrix(
            (np.ones(inverse.size - na), (rb[sb], inverse[na:])), shape=(k, max(len(keys), 1))
        )
        match = (ma @ mb.T).toarray()
        h_tot, r_tot = a_tot[:, n], b_tot[:, n]
        valid = (h_tot[:, None] > 0) & (r_tot[None, :] > 0)
        ps[n] = np.where(valid, match / np.maximum(h_tot[:, None], 1), 0.0)
        rs[n] = np.where(valid, match / np.maximum(r_tot[None, :], 1), 0.0)
        vs[n] = valid
    return ps, rs, vs


def average_orders(ps: np.ndarray, rs: np.ndarray, vs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sacrebleu 2.x effective-order averaging of per-order precision and recall (first axis)."""
    eff = vs.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        prec = np.where(eff > 0, ps.sum(axis=0) / np.maximum(eff, 1), 0.0)
        rec = np.where(eff > 0, rs.sum(axis=0) / np.maximum(eff, 1), 0.0)
    return prec, rec


def runs_prec_rec(
    a: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    order_of: np.ndarray,
    order: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Averaged precision/recall (sacrebleu 2.x effective-order averaging) of every a-row vs b-row."""
    return average_orders(*runs_order_stats(a, b, order_of, order))


def order_table(vocab: dict[str, int]) -> np.ndarray:
    """Order index (n - 1) of every gram id."""
    out = np.zeros(max(len(vocab), 1), dtype=np.int64)
    for g, c in vocab.items():
        out[c] = len(g) - 1
    return out


def chrf_prec_rec(hyps: list[str], refs: list[str], order: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Average character n-gram precision and recall of every hypothesis against every reference."""
    vocab: dict[str, int] = {}
    a, b = CharGrams(hyps, order, vocab), CharGrams(refs, order, vocab)
    n_vocab = len(vocab)
    return runs_prec_rec(a.runs(1, n_vocab), b.runs(1, n_vocab), order_table(vocab), order)


def f_beta(prec: np.ndarray | float, rec: np.ndarray | float, beta: float) -> np.ndarray:
    """sacrebleu's chrF from averaged precision and recall, on a 0..1 scale."""
    factor = beta**2
    p, r = np.asarray(prec, dtype=float), np.asarray(rec, dtype=float)
    denom = factor * p + r
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, (1 + factor) * p * r / np.where(denom > 0, denom, 1), 0.0)


def chrf_matrix(hyps: list[str], refs: list[str], order: int = 6, beta: float = 2.0) -> np.ndarray:
    """chrF (0..100) of every hypothesis against every reference, equal to sacrebleu's sentence_chrf."""
    prec, rec = chrf_prec_rec(hyps, refs, order)
    return 100.0 * f_beta(prec, rec, beta)


def group_order_stats(
    a: tuple[np.ndarray, np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray, np.ndarray],
    order_of: np.ndarray,
    order: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-order precision, recall and validity (each of length `order`) of two groups."""
    ia, ca, ta = a
    ib, cb, tb = b
    _common, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    match = np.bincount(order_of[ia[pa]], weights=np.minimum(ca[pa], cb[pb]), minlength=order)
    valid = (ta > 0) & (tb > 0)
    return (
        np.where(valid, match / np.maximum(ta, 1), 0.0),
        np.where(valid, match / np.maximum(tb, 1), 0.0),
        valid,
    )


def group_prec_rec(
    a: tuple[np.ndarray, np.ndarray, np.ndarray],
    b: tuple[np.ndarray, np.ndarray, np.ndarray],
    order_of: np.ndarray,
    order: int,
) -> tuple[float, float]:
    """chrF precision/recall of two groups' summed counts, with their per-order totals."""
    ia, ca, ta = a
    ib, cb, tb = b
    _common, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
    match = np.bincount(order_of[ia[pa]], weights=np.minimum(ca[pa], cb[pb]), minlength=order)
    valid = (ta > 0) & (tb > 0)
    eff = int(valid.sum())
    if eff == 0:
        return 0.0, 0.0
    p = float(np.where(valid, match / np.maximum(ta, 1), 0.0).sum() / eff)
    r = float(np.where(valid, match / np.maximum(tb, 1), 0.0).sum() / eff)
    return p, r
