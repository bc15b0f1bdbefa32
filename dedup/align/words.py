"""Content words, names and numbers: the part of a sentence that survives paraphrase.

Each word is reduced to a crude stem (its first letters) so that "meeting"/"meet" and
"officials"/"official" match, and weighted by rarity: common words say little about which
sentence says the same thing. Rarity comes from `wordfreq` when it is installed (offline data
shipped in the wheel) and otherwise from a small stop-word list; both sides are also
down-weighted by how many sentences of the pair of documents use the word.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import regex
from scipy import sparse

_TOKEN = regex.compile(r"\p{L}[\p{L}\p{M}'’\-]*|\p{N}+(?:[.,]\p{N}+)*")
STEM_LEN = 5

_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom why will
    with would you your yours yourself yourselves said says say""".split()
)

try:  # optional: better rarity weights when the package is present
    from wordfreq import zipf_frequency as _zipf
except ImportError:  # pragma: no cover - depends on the environment
    _zipf = None


@lru_cache(maxsize=65536)
def rarity(word: str) -> float:
    """How much sharing this (lower-cased) word says about two sentences, 0..~1.5."""
    if word in _STOP:
        return 0.0
    if word[0].isdigit():
        return 1.5
    if _zipf is not None:
        z = _zipf(word, "en")
        return max(0.0, min(1.5, (7.0 - z) / 4.0))
    return 1.0


def tokens(text: str) -> list[str]:
    return [m.group(0) for m in _TOKEN.finditer(text)]


def features(text: str) -> dict[str, float]:
    """Stem -> weight for one sentence; names (capitalised inside a sentence) and numbers count more."""
    out: dict[str, float] = {}
    for pos, tok in enumerate(tokens(text)):
        low = tok.lower()
        w = rarity(low)
        if w <= 0.0:
            continue
        if tok[0].isdigit():
            key = "#" + low.replace(",", "")
        else:
            key = low[:STEM_LEN]
            if pos > 0 and tok[0].isupper():
                w *= 1.5
        out[key] = max(out.get(key, 0.0), w)
    return out


class WordBags:
    """Weighted content stems of both documents' sentences, indexed once for the pair.

    Weights are rarity times an inverse sentence frequency over both documents, so that a name
    the whole story repeats counts less than a detail only two sentences share.
    """

    def __init__(self, left: list[str], right: list[str]) -> None:
        self.m, self.k = len(left), len(right)
        feats = [features(t) for t in left] + [features(t) for t in right]
        vocab: dict[str, int] = {}
        df: dict[str, int] = {}
        for f in feats:
            for key in f:
                vocab.setdefault(key, len(vocab))
                df[key] = df.get(key, 0) + 1
        n_docs = max(len(feats), 1)
        idf = {key: math.log(1.0 + n_docs / c) / math.log(1.0 + n_docs) for key, c in df.items()}
        rows, cols, vals = [], [], []
        for r, f in enumerate(feats):
            for key, w in f.items():
                rows.append(r)
                cols.append(vocab[key])
                vals.append(w * idf[key])
        mat = sparse.csr_matrix((vals, (rows, cols)), shape=(len(feats), max(len(vocab), 1)))
        self.left, self.right = mat[: self.m], mat[self.m :]
        bags = [{key: w * idf[key] for key, w in f.items()} for f in feats]
        self._left_bags, self._right_bags = bags[: self.m], bags[self.m :]

    def matrix(self) -> np.ndarray:
        """Weighted Dice overlap of content stems for every pair (0..1)."""
        if not self.m or not self.k:
            return np.zeros((self.m, self.k))
        a, b = self.left, self.right
        a_bin, b_bin = a.copy(), b.copy()
        a_bin.data[:] = 1.0
        b_bin.data[:] = 1.0
        # Shared weight counted from each side (so a weight mismatch between sides is averaged).
        shared = (a @ b_bin.T).toarray() + (a_bin @ b.T).toarray()
        total = np.asarray(a.sum(axis=1)).ravel()[:, None] + np.asarray(b.sum(axis=1)).ravel()[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, shared / np.where(total > 0, total, 1), 0.0)

    def group_matrix(self, a: int, b: int) -> np.ndarray:
        """Overlap of every run of `a` adjacent left sentences with every run of `b` right ones."""
        left, right = _runs(self.left, a), _runs(self.right, b)
        if left.shape[0] == 0 or right.shape[0] == 0:
            return np.zeros((left.shape[0], right.shape[0]))
        left_bin, right_bin = left.copy(), right.copy()
        left_bin.data[:] = 1.0
        right_bin.data[:] = 1.0
        shared = (left @ right_bin.T).toarray() + (left_bin @ right.T).toarray()
        total = np.asarray(left.sum(axis=1)).ravel()[:, None] + np.asarray(right.sum(axis=1)).ravel()[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total > 0, shared / np.where(total > 0, total, 1), 0.0)

    def group(self, left: tuple[int, ...], right: tuple[int, ...]) -> float:
        """The same overlap for a group of left sentences against a group of right sentences."""
        a = _union([self._left_bags[i] for i in left])
        b = _union([self._right_bags[j] for j in right])
        shared = sum(w for key, w in a.items() if key in b) + sum(w for key, w in b.items() if key in a)
        total = sum(a.values()) + sum(b.values())
        return float(shared / total) if total > 0 else 0.0


def _runs(mat: sparse.csr_matrix, size: int) -> sparse.csr_matrix:
    """Row r = elementwise max of rows r .. r+size-1 (a run of adjacent sentences)."""
    n = mat.shape[0] - size + 1
    if n <= 0:
        return sparse.csr_matrix((0, mat.shape[1]))
    out = mat[:n]
    for off in range(1, size):
        out = out.maximum(mat[off : off + n])
    return sparse.csr_matrix(out)


def _union(bags: list[dict[str, float]]) -> dict[str, float]:
    if len(bags) == 1:
        return bags[0]
    out: dict[str, float] = {}
    for bag in bags:
        for key, w in bag.items():
            if w > out.get(key, 0.0):
                out[key] = w
    return out
