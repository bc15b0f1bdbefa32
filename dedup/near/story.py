"""The story level: different articles about the same event.

Two reports of one event share few word sequences but many of the same rare words and names.
Each article becomes a vector of rarity-weighted content words and numbers (`story_features`,
weights from a fixed background corpus so a persistent index stays valid); LSH on the set of its
top-weighted features proposes candidates at a low Jaccard threshold, the cosine of the weighted
vectors (the payload) decides, and `filter_links` keeps single-link clustering from chaining a
whole topic into one story.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from functools import lru_cache
from importlib.metadata import version
from typing import Any

import numpy as np
import wordfreq
from datasketch import MinHash

from dedup.model import Document
from dedup.near.level import Sketch
from dedup.near.signature import SCHEMES
from dedup.near.story_features import feature_hash, story_features

_MAGIC = b"DST1"  # payload: magic, uint32 count, count uint32 keys (sorted), count float16 weights
_HEADER = struct.Struct("<4sI")
_WORDFREQ_VERSION = version("wordfreq")  # its frequencies are the weights: part of the params


def _identity(value: int) -> int:
    """Features are hashed once by `feature_hash`; MinHash only permutes the keys (affine32 pre-mixes)."""
    return value


def encode_payload(keys: np.ndarray, weights: np.ndarray) -> bytes:
    """Sorted uint32 keys with L2-normalised float16 weights."""
    order = np.argsort(keys, kind="stable")
    k = keys[order].astype("<u4")
    w = weights[order].astype(np.float64)
    norm = float(np.sqrt(np.dot(w, w)))
    w16 = (w / norm if norm > 0 else w).astype("<f2")
    return _HEADER.pack(_MAGIC, len(k)) + k.tobytes() + w16.tobytes()


def decode_payload(payload: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Keys and weights back from `encode_payload`; a payload of another level is refused, not misread."""
    n = _check(payload)
    off = _HEADER.size
    keys = np.frombuffer(payload, dtype="<u4", count=n, offset=off)
    weights = np.frombuffer(payload, dtype="<f2", count=n, offset=off + 4 * n).astype(np.float64)
    return keys, weights


@lru_cache(maxsize=8192)
def _decoded(payload: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Verification meets the same article against many candidates: decode each payload once."""
    return decode_payload(payload)


def cosine(a: bytes, b: bytes) -> float:
    """Cosine of two payloads (both already unit length): the dot product over their shared keys."""
    ka, wa = _decoded(bytes(a))
    kb, wb = _decoded(bytes(b))
    if not len(ka) or not len(kb):
        return 0.0
    at = np.searchsorted(kb, ka)  # both key arrays are sorted
    at[at == len(kb)] = 0
    shared = kb[at] == ka
    return float(min(1.0, max(0.0, float(np.dot(wa[shared], wb[at[shared]])))))


def _check(payload: bytes) -> int:
    """The feature count of a story payload; anything else is refused, not misread."""
    if len(payload) < _HEADER.size:
        raise ValueError("not a story payload (too short)")
    magic, n = _HEADER.unpack_from(payload, 0)
    if magic != _MAGIC or len(payload) != _HEADER.size + 6 * n:
        raise ValueError("not a story payload (wrong magic or length)")
    return int(n)


class StoryLevel:
    """Same-story detection: rarity-weighted features, LSH on the top ones, cosine to verify,
    and a chain guard on what gets clustered.

    Defaults were chosen on BBC News and MSRP sentence pairs, never on the story evaluation pairs
    (benchmarks/results/story.md): `floor` 2.5 with no name bigrams (`entity_factor` 0) scored best
    of the feature variants on both proxies; `verify_threshold` 0.2 is where 1% of same-topic pairs
    of different BBC articles pass (an upper bound on false links); `chain_k` 2 (mutual top-2) had
    the best pairwise F1 on a BBC corpus of articles cut into 1-3 parts; `lsh_features` 12 with
    `lsh_threshold` 0.03 (54 one-row bands) is the fewest bands that keep 99% of the links the
    guarded clustering would make if every pair were verified.
    """

    name = "story"

    def __init__(
        self,
        *,
        num_perm: int = 128,
        scheme: str = "affine32",
        seed: int = 1,
        lsh_threshold: float = 0.03,
        verify_threshold: float = 0.2,
        lsh_features: int = 12,
        payload_features: int = 192,
        floor: float = 2.5,
        number_factor: float = 0.5,
        entity_factor: float = 0.0,
        lang: str = "en",
        chain_k: int = 2,
    ) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"unknown MinHash scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
        if lang not in wordfreq.available_languages():
            raise ValueError(f"wordfreq has no word frequencies for language {lang!r}")
        self.num_perm = num_perm
        self.scheme = scheme
        self.seed = seed
        self.lsh_threshold = lsh_threshold
        self.verify_threshold = verify_threshold
        self.lsh_features = lsh_features
        self.payload_features = payload_features
        self.floor = floor
        self.number_factor = number_factor
        self.entity_factor = entity_factor
        self.lang = lang
        if chain_k < 0:
            raise ValueError(f"chain_k must be >= 0 (0 turns the chain guard off), got {chain_k}")
        self.chain_k = chain_k

    def params(self) -> dict[str, Any]:
        return {
            "level": self.name,
            "num_perm": self.num_perm,
            "scheme": self.scheme,
            "seed": self.seed,
            "lsh_threshold": self.lsh_threshold,
            "verify_threshold": self.verify_threshold,
            "lsh_features": self.lsh_features,
            "payload_features": self.payload_features,
            "floor": self.floor,
            "number_factor": self.number_factor,
            "entity_factor": self.entity_factor,
            "lang": self.lang,
            "weights": f"wordfreq {_WORDFREQ_VERSION}",
            "similarity": "cosine",
            "chain_k": self.chain_k,
        }

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Top `payload_features` (keys, weights), heaviest first, ties broken by key."""
        feats = story_features(
            text,
            floor=self.floor,
            number_factor=self.number_factor,
            entity_factor=self.entity_factor,
            lang=self.lang,
        )
        if not feats:
            return np.empty(0, dtype=np.uint32), np.empty(0, dtype=np.float64)
        acc: dict[int, float] = {}
        for f, w in feats.items():
            k = feature_hash(f)
            acc[k] = acc.get(k, 0.0) + w
        keys = np.fromiter(acc.keys(), dtype=np.uint32, count=len(acc))
        weights = np.fromiter(acc.values(), dtype=np.float64, count=len(acc))
        order = np.lexsort((keys, -weights))[: self.payload_features]
        return keys[order], weights[order]

    def sketch_many(self, docs: Sequence[Document]) -> list[Sketch | None]:
        vectors = [self.vector(d.body_text()) for d in docs]
        sets = [k[: self.lsh_features].tolist() for k, _ in vectors if len(k)]
        hashed = iter(
            m.hashvalues
            for m in MinHash.bulk(
                sets, num_perm=self.num_perm, seed=self.seed, scheme=self.scheme, hashfunc=_identity
            )
        )
        out: list[Sketch | None] = []
        for keys, weights in vectors:
            if not len(keys):
                out.append(None)
                continue
            out.append(Sketch(hashvalues=next(hashed), payload=encode_payload(keys, weights)))
        return out

    def similarity(self, a: bytes, b: bytes) -> float:
        return cosine(a, b)

    def filter_links(self, pairs: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
        """The links to union: each must be among the `chain_k` best verified links of both its ends.

        Why: story similarity is not transitive, and single-link clustering over a low threshold
        percolates through a narrow corpus (one topic becomes one cluster). A mutual k-nearest-neighbour
        guard keeps the links an article would pick itself. Ties at the k-th similarity are all kept, so
        the result does not depend on how documents are numbered; `chain_k` 0 keeps every link.
        """
        if self.chain_k <= 0:
            return list(pairs)
        return mutual_top_k(pairs, self.chain_k)


def mutual_top_k(pairs: list[tuple[int, int, float]], k: int) -> list[tuple[int, int, float]]:
    """Pairs whose similarity reaches the k-th best similarity of both ends (ties kept), input order kept."""
    sims: dict[int, list[float]] = {}
    for a, b, s in pairs:
        sims.setdefault(a, []).append(s)
        sims.setdefault(b, []).append(s)
    kth = {n: sorted(v, reverse=True)[min(k, len(v)) - 1] for n, v in sims.items()}
    return [(a, b, s) for a, b, s in pairs if s >= kth[a] and s >= kth[b]]
