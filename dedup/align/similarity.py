"""One similarity for a pair of sentence groups: chrF (surface) plus weighted content-word overlap,
and, with the optional `embed` extra, sentence-embedding cosines."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from dedup.align.chrf import (
    CharGrams,
    average_orders,
    f_beta,
    fold_marks,
    group_order_stats,
    group_prec_rec,
    order_table,
    runs_order_stats,
    runs_prec_rec,
)
from dedup.align.params import AlignParams
from dedup.align.words import WordBags

if TYPE_CHECKING:
    from dedup.align.embed import SentenceVectors


class PairScorer:
    """Similarities between the sentences (and runs of adjacent sentences) of two documents.

    Word weights include an inverse sentence frequency over both documents, so scores are only
    comparable within one document pair; that is the point of scoring the pair as a whole.
    chrF sees both sides with quote marks and dashes folded (`fold_marks`): an MT engine's "..."
    and a publisher's '...' are house style, and dialogue is where short sentences need every hint.
    """

    def __init__(self, mt: list[str], ref: list[str], params: AlignParams) -> None:
        if params.similarity not in ("mix", "learned"):
            raise ValueError(f"similarity must be 'mix' or 'learned', not {params.similarity!r}")
        if params.similarity == "learned" and params.embeddings:
            raise ValueError(
                "the learned similarity has no embedding feature: use similarity='mix' with embeddings"
            )
        self.p = params
        self.mt, self.ref = mt, ref
        self.words = WordBags(mt, ref)
        vocab: dict[str, int] = {}
        self._grams_mt = CharGrams([fold_marks(t) for t in mt], params.chrf_order, vocab)
        self._grams_ref = CharGrams([fold_marks(t) for t in ref], params.chrf_order, vocab)
        self._n_vocab = len(vocab)
        self._order_of = order_table(vocab)
        self._mt_len = [len("".join(t.split())) for t in mt]
        self._ref_len = [len("".join(t.split())) for t in ref]
        self._centre = math.log((sum(self._mt_len) + 1.0) / (sum(self._ref_len) + 1.0))
        self._single: np.ndarray | None = None
        self._runs: dict[tuple[int, int], np.ndarray] = {}
        self._cache: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}
        self.vectors: SentenceVectors | None = None
        if params.embeddings:
            from dedup.align.embed import SentenceVectors  # lazy: torch only when asked for

            self.vectors = SentenceVectors(mt, ref, params.embed_centre)

    @property
    def single(self) -> np.ndarray:
        """(len(mt), len(ref)) similarities of single sentences, 0..1 (computed once)."""
        if self._single is None:
            self._single = self.run_matrix(1, 1)
        return self._single

    def matrix(self) -> np.ndarray:
        return self.single

    def run_matrix(self, a: int, b: int) -> np.ndarray:
        """Similarity of every run of `a` adjacent MT sentences with every run of `b` ref sentences;
        entry [i, j] is the bead (i .. i+a-1, j .. j+b-1), equal to `group` of those runs."""
        if (a, b) not in self._runs:
            m, k = max(len(self.mt) - a + 1, 0), max(len(self.ref) - b + 1, 0)
            if not m or not k:
                self._runs[(a, b)] = np.zeros((m, k))
            elif self.p.similarity == "learned":
                self._runs[(a, b)] = learned_similarity(self.run_features(a, b))
            else:
                prec, rec = runs_prec_rec(
                    self._grams_mt.runs(a, self._n_vocab),
                    self._grams_ref.runs(b, self._n_vocab),
                    self._order_of,
                    self.p.chrf_order,
                )
                emb = self.vectors.run_matrix(a, b) if self.vectors is not None else None
                chrf = f_beta(prec, rec, self.p.chrf_beta)
                self._runs[(a, b)] = self._combine(chrf, self.words.group_matrix(a, b), emb)
        return self._runs[(a, b)]

    def run_features(self, a: int, b: int) -> np.ndarray:
        """(runs, runs, len(FEATURES)) features of every run pair: what the learned mix is fitted on."""
        m, k = max(len(self.mt) - a + 1, 0), max(len(self.ref) - b + 1, 0)
        if not m or not k:
            return np.zeros((m, k, len(FEATURES)))
        stats = runs_order_stats(
            self._grams_mt.runs(a, self._n_vocab),
            self._grams_ref.runs(b, self._n_vocab),
            self._order_of,
            self.p.chrf_order,
        )
        return pair_features(stats, self.words.group_matrix(a, b), self.run_skew(a, b), self.p.chrf_beta)

    def length_skew(self, mt: tuple[int, ...], ref: tuple[int, ...], centred: bool = False) -> float:
        """|log| of the length ratio of two groups: a split sentence leaves the whole too long.

        `centred` measures it against the two documents' overall ratio instead of 1.
        """
        a = sum(self._mt_len[i] for i in mt)
        b = sum(self._ref_len[j] for j in ref)
        return abs(math.log((a + 1.0) / (b + 1.0)) - (self._centre if centred else 0.0))

    def run_skew(self, a: int, b: int) -> np.ndarray:
        """|log length ratio| of every run pair, centred on the document's typical ratio."""
        mt_len = np.array(self._mt_len, dtype=float)
        ref_len = np.array(self._ref_len, dtype=float)
        la = np.convolve(mt_len, np.ones(a), mode="valid") if len(mt_len) >= a else np.zeros(0)
        lb = np.convolve(ref_len, np.ones(b), mode="valid") if len(ref_len) >= b else np.zeros(0)
        return np.abs(np.log((la[:, None] + 1.0) / (lb[None, :] + 1.0)) - self._centre)

    def _combine(self, chrf: np.ndarray, words: np.ndarray, emb: np.ndarray | None = None) -> np.ndarray:
        total = self.p.w_chrf + self.p.w_words
        out = self.p.w_chrf * chrf + self.p.w_words * words
        if emb is not None:
            total += self.p.w_embed
            out = out + self.p.w_embed * emb
        return out / (total if total > 0 else 1.0)

    def group(self, mt: tuple[int, ...], ref: tuple[int, ...]) -> float:
        """Similarity of a group of MT sentences with a group of ref sentences (cached)."""
        if len(mt) == 1 and len(ref) == 1:
            return float(self.single[mt[0], ref[0]])
        runs = self._runs.get((len(mt), len(ref)))
        if runs is not None and mt[-1] - mt[0] + 1 == len(mt) and ref[-1] - ref[0] + 1 == len(ref):
            return float(runs[mt[0], ref[0]])  # adjacent runs already scored by run_matrix
        key = (mt, ref)
        hit = self._cache.get(key)
        if hit is None and self.p.similarity == "learned":
            stats = group_order_stats(
                self._grams_mt.group(mt), self._grams_ref.group(ref), self._order_of, self.p.chrf_order
            )
            skew = self.length_skew(mt, ref, centred=True)
            feats = pair_features(stats, self.words.group(mt, ref), skew, self.p.chrf_beta)
            hit = float(learned_similarity(feats))
            self._cache[key] = hit
        if hit is None:
            p, r = group_prec_rec(
                self._grams_mt.group(mt), self._grams_ref.group(ref), self._order_of, self.p.chrf_order
            )
            chrf = float(f_beta(p, r, self.p.chrf_beta))
            emb = np.array(self.vectors.group(mt, ref)) if self.vectors is not None else None
            hit = float(self._combine(np.array(chrf), np.array(self.words.group(mt, ref)), emb))
            self._cache[key] = hit
        return hit


# The learned mix (`AlignParams.similarity = "learned"`): a logistic regression fitted by
# `benchmarks/fit_align_similarity.py` on MSR paraphrase pairs (label 1) against unrelated MSR
# sentences of the same batch of 40, then mapped affinely onto the hand-weighted mix's scale (MSR
# unrelated median and paraphrase median), so the MSR-calibrated floors keep their meaning.
FEATURES = ("chrf", "chrf_min", "chrf_max", "chrf_low", "chrf_high", "words", "skew", "chrf_x_words")
LOW_ORDERS = 2  # "chrf_low": character 1- and 2-grams (spelling, shared letters of names)
LEARNED_COEF = (7.4450, 8.0467, 5.5730, 1.3666, 8.6327, 12.0558, -1.3054, 3.7949)
LEARNED_BIAS = -11.1827
LEARNED_SCALE = (0.02126, 0.27083)  # similarity = scale * logit + shift, clipped to 0..1


def pair_features(stats, words, skew, beta: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Feature stack (last axis) of pairs from per-order chrF statistics (precision, recall and
    validity, order first), the content-word overlap and the centred length skew."""
    ps, rs, vs = stats
    prec, rec = average_orders(ps, rs, vs)
    lo_p, lo_r = average_orders(ps[:LOW_ORDERS], rs[:LOW_ORDERS], vs[:LOW_ORDERS])
    hi_p, hi_r = average_orders(ps[LOW_ORDERS:], rs[LOW_ORDERS:], vs[LOW_ORDERS:])
    words = np.asarray(words, dtype=float)
    chrf = f_beta(prec, rec, beta)
    return np.stack(
        [
            chrf,
            np.minimum(prec, rec),
            np.maximum(prec, rec),
            f_beta(lo_p, lo_r, beta),
            f_beta(hi_p, hi_r, beta),
            words,
            np.broadcast_to(np.asarray(skew, dtype=float), chrf.shape),
            chrf * words,
        ],
        axis=-1,
    )


def learned_logit(feats: np.ndarray, coef=None, bias: float | None = None) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Log-odds that a pair says the same thing, from `pair_features`."""
    w = np.asarray(LEARNED_COEF if coef is None else coef, dtype=float)
    return feats @ w + (LEARNED_BIAS if bias is None else bias)


def learned_similarity(feats: np.ndarray) -> np.ndarray:
    """The learned log-odds on the hand-weighted mix's scale (0..1), so the floors still apply."""
    a, c = LEARNED_SCALE
    return np.clip(a * learned_logit(feats) + c, 0.0, 1.0)


def knn_means(sim: np.ndarray, k: int, background: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Mean of each row's and each column's k highest similarities: how 'hubby' a sentence is.

    A document with fewer than k sentences on the other side is padded with `background` (the
    similarity of unrelated sentences), so a one-sentence article still gets a meaningful margin.
    """
    m, n = sim.shape
    if m == 0 or n == 0:
        return np.zeros(m), np.zeros(n)
    k = max(1, k)
    rows = -np.sort(-sim, axis=1)[:, : min(k, n)].sum(axis=1)
    cols = -np.sort(-sim, axis=0)[: min(k, m), :].sum(axis=0)
    rows = (rows + background * max(0, k - n)) / k
    cols = (cols + background * max(0, k - m)) / k
    return rows, cols


def ratio_margin(sim: np.ndarray, row_knn: np.ndarray, col_knn: np.ndarray) -> np.ndarray:
    """Artetxe & Schwenk's ratio margin: a pair's similarity over its sentences' neighbourhood."""
    denom = (row_knn[:, None] + col_knn[None, :]) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denom > 0, sim / np.where(denom > 0, denom, 1.0), 0.0)


__all__ = ["FEATURES", "PairScorer", "knn_means", "learned_similarity", "pair_features", "ratio_margin"]
