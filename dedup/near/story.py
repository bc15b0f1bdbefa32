"""The story level: different articles about the same event.

Two reports of one event share few word sequences but many of the same rare words and names.
Each article becomes a vector of rarity-weighted content words and numbers (`story_features`,
weights from a fixed background corpus so a persistent index stays valid); LSH on the set of its
top-weighted features proposes candidates at a low Jaccard threshold, the cosine of the weighted
vectors (the payload) decides, and `filter_links` keeps single-link clustering from chaining a
whole topic into one story. Optionally (`embeddings=True`) a sentence-embedding vector of the
article's lead joins both the candidates and the verifying similarity (`story_embed`).
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
from dedup.near.bands import band_params
from dedup.near.level import Sketch
from dedup.near.signature import SCHEMES
from dedup.near.story_embed import (
    DIM,
    article_vectors,
    dequantise,
    hyperplanes,
    model_id,
    quantise,
    sign_bands,
)
from dedup.near.story_features import feature_hash, name_features, story_features

_MAGIC = b"DST1"  # payload: magic, uint32 count, count uint32 keys (sorted), count float16 weights
_MAGIC_EMBED = b"DSE1"  # the same, then DIM int8 values: the article vector (embeddings mode)
# With the name gate: either layout above, then uint32 m and m sorted uint32 keys of name features.
_MAGIC_NAMES = {b"DST2": b"DST1", b"DSE2": b"DSE1"}
_COUNT = struct.Struct("<I")
_HEADER = struct.Struct("<4sI")
_WORDFREQ_VERSION = version("wordfreq")  # its frequencies are the weights: part of the params

# Defaults, chosen on BBC and MSRP proxies only (benchmarks/results/story.md says how).
LSH_THRESHOLD = 0.02  # 82 one-row bands over the top `lsh_features` (16) features
VERIFY_THRESHOLD = 0.2
EMBED_LSH_THRESHOLD = 0.01  # 128 one-row bands: 64 MinHash + `embed_bands` (64) sign-bit bands
EMBED_BANDS = 64
EMBED_BITS = 12
EMBED_MIX = 0.5
EMBED_SENTENCES = 8
EMBED_VERIFY_THRESHOLD = 0.4
NAME_GATE = 0.0  # off: 4.5 (names rarer than weekdays) was tried and not adopted (results/story.md)
CANDIDATE_CAP = 45  # each article's 45 partners sharing the most band keys (bands.capped_pairs)


def _identity(value: int) -> int:
    """Features are hashed once by `feature_hash`; MinHash only permutes the keys (affine32 pre-mixes)."""
    return value


def encode_payload(
    keys: np.ndarray, weights: np.ndarray, embedding: bytes | None = None, names: np.ndarray | None = None
) -> bytes:
    """Sorted uint32 keys with L2-normalised float16 weights (and the int8 article vector, if any);
    with `names`, their sorted keys follow under the name-gate magic."""
    base = _encode_base(keys, weights, embedding)
    if names is None:
        return base
    magic = b"DST2" if base[:4] == _MAGIC else b"DSE2"
    nk = np.unique(np.asarray(names, dtype=np.uint32)).astype("<u4")
    return magic + base[4:] + _COUNT.pack(len(nk)) + nk.tobytes()


def _encode_base(keys: np.ndarray, weights: np.ndarray, embedding: bytes | None) -> bytes:
    order = np.argsort(keys, kind="stable")
    k = keys[order].astype("<u4")
    w = weights[order].astype(np.float64)
    norm = float(np.sqrt(np.dot(w, w)))
    w16 = (w / norm if norm > 0 else w).astype("<f2")
    if embedding is None:
        return _HEADER.pack(_MAGIC, len(k)) + k.tobytes() + w16.tobytes()
    if len(embedding) != DIM:
        raise ValueError(f"an article vector is {DIM} int8 values, got {len(embedding)} bytes")
    return _HEADER.pack(_MAGIC_EMBED, len(k)) + k.tobytes() + w16.tobytes() + embedding


def _split_names(payload: bytes) -> tuple[bytes, np.ndarray | None]:
    """The payload without its name keys (old layout) and the name keys (None: no name gate)."""
    payload = bytes(payload)
    if payload[:4] not in _MAGIC_NAMES:
        return payload, None
    if len(payload) < _HEADER.size:
        raise ValueError("not a story payload (too short)")
    _, n = _HEADER.unpack_from(payload, 0)
    body = _HEADER.size + 6 * n + (DIM if payload[:4] == b"DSE2" else 0)
    if len(payload) < body + _COUNT.size:
        raise ValueError("not a story payload (wrong magic or length)")
    (m,) = _COUNT.unpack_from(payload, body)
    if len(payload) != body + _COUNT.size + 4 * m:
        raise ValueError("not a story payload (wrong magic or length)")
    names = np.frombuffer(payload, dtype="<u4", count=m, offset=body + _COUNT.size)
    return _MAGIC_NAMES[payload[:4]] + payload[4:body], names


def decode_names(payload: bytes) -> np.ndarray | None:
    """The sorted name-feature keys of a payload built with the name gate; None without it."""
    return _split_names(payload)[1]


def names_agree(a: bytes, b: bytes) -> bool:
    """The name gate: two articles that both name something must name one thing in common."""
    na, nb = _names(bytes(a)), _names(bytes(b))
    if na is None or nb is None or not len(na) or not len(nb):
        return True
    return bool(len(np.intersect1d(na, nb, assume_unique=True)))


@lru_cache(maxsize=8192)
def _names(payload: bytes) -> np.ndarray | None:
    return decode_names(payload)


def decode_payload(payload: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Keys and weights back from `encode_payload`; a payload of another level is refused, not misread."""
    payload, _ = _split_names(payload)
    n, _ = _check(payload)
    off = _HEADER.size
    keys = np.frombuffer(payload, dtype="<u4", count=n, offset=off)
    weights = np.frombuffer(payload, dtype="<f2", count=n, offset=off + 4 * n).astype(np.float64)
    return keys, weights


@lru_cache(maxsize=8192)
def _decoded(payload: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Verification meets the same article against many candidates: decode each payload once."""
    return decode_payload(payload)


@lru_cache(maxsize=8192)
def _vector(payload: bytes) -> np.ndarray:
    payload, _ = _split_names(payload)
    n, embedded = _check(payload)
    if not embedded:
        raise ValueError("not an embeddings story payload (built without embeddings)")
    return dequantise(payload[_HEADER.size + 6 * n :])


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


def embedding_cosine(a: bytes, b: bytes) -> float:
    """Cosine of the two article vectors (int8, dequantised), clipped to [0, 1]."""
    return float(min(1.0, max(0.0, float(np.dot(_vector(bytes(a)), _vector(bytes(b)))))))


def _check(payload: bytes) -> tuple[int, bool]:
    """The feature count of a story payload and whether it carries an article vector; anything else
    is refused, not misread."""
    if len(payload) < _HEADER.size:
        raise ValueError("not a story payload (too short)")
    magic, n = _HEADER.unpack_from(payload, 0)
    if magic == _MAGIC and len(payload) == _HEADER.size + 6 * n:
        return int(n), False
    if magic == _MAGIC_EMBED and len(payload) == _HEADER.size + 6 * n + DIM:
        return int(n), True
    raise ValueError("not a story payload (wrong magic or length)")


class StoryLevel:
    """Same-story detection: rarity-weighted features, LSH on the top ones, cosine to verify,
    and a chain guard on what gets clustered.

    Defaults were chosen on BBC News and MSRP sentence pairs, never on the story evaluation pairs
    (benchmarks/results/story.md): `floor` 2.5 with no name bigrams (`entity_factor` 0) scored best
    of the feature variants on both proxies; `verify_threshold` 0.2 is where 1% of same-topic pairs
    of different BBC articles pass (an upper bound on false links); `chain_k` 2 (mutual top-2) had
    the best pairwise F1 on a BBC corpus of articles cut into 1-3 parts; `lsh_features` 16 with
    `lsh_threshold` 0.02 (82 one-row bands) is the smallest candidate volume measured that keeps
    99.5% of the links the guarded clustering would make if every pair were verified, on both
    BBC proxies.

    `candidate_cap` (45; 0 = off) bounds the candidates per article: the scan keeps, for each
    article, the `candidate_cap` partners that share the most LSH band keys with it (ties: the
    smaller article number), and verifies a pair when either end keeps it
    (`dedup.near.bands.capped_pairs`). On a narrow corpus the uncapped candidates are a few per cent
    of all pairs, i.e. quadratic in the corpus; capped, they grow linearly. 45 is the smallest cap
    measured that stays within one guarded link of the uncapped LSH on both BBC proxies (20 lost
    1.5-3%: with 82 one-row bands many partners tie on small counts).

    `name_gate` (0 = off, the default) > 0: two articles that both name something (rare words
    capitalised inside a sentence, information >= `name_gate`) must share a name to be linked, so
    templated reports of different events fall apart; the name keys join the payload (and the
    params). Tried at 4.5 and not adopted: it cost the BBC story proxy more recall than the rule
    stated beforehand allowed (benchmarks/results/story.md, 2026-11-24 03:10).

    `embeddings=True` (the `embed` extra) mixes in a sentence-embedding article vector:
    similarity = (1 - `embed_mix`) * word cosine + `embed_mix` * cosine of the mean unit embedding
    of the first `embed_sentences` body sentences (int8 in the payload, 384 bytes); `embed_bands` of
    the one-row LSH bands carry `embed_bits` random-hyperplane sign bits each, so a paraphrase
    with few shared words can still become a candidate. Its defaults follow the same rules
    (mix: best BBC halves recall at the 1% same-topic threshold; threshold 0.4: that 99th
    percentile; bands: fewest candidates keeping 99.5% of guarded links on both proxies).
    """

    name = "story"

    def __init__(
        self,
        *,
        num_perm: int = 128,
        scheme: str = "affine32",
        seed: int = 1,
        lsh_threshold: float | None = None,
        verify_threshold: float | None = None,
        lsh_features: int = 16,
        payload_features: int = 192,
        floor: float = 2.5,
        number_factor: float = 0.5,
        entity_factor: float = 0.0,
        lang: str = "en",
        chain_k: int = 2,
        embeddings: bool = False,
        embed_mix: float = EMBED_MIX,
        embed_sentences: int = EMBED_SENTENCES,
        embed_bands: int = EMBED_BANDS,
        embed_bits: int = EMBED_BITS,
        candidate_cap: int = CANDIDATE_CAP,
        name_gate: float = NAME_GATE,
    ) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"unknown MinHash scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
        if lang not in wordfreq.available_languages():
            raise ValueError(f"wordfreq has no word frequencies for language {lang!r}")
        self.embeddings = embeddings
        self.embed_model = model_id() if embeddings else None  # fails here, naming the extra
        self.num_perm = num_perm
        self.scheme = scheme
        self.seed = seed
        if lsh_threshold is None:
            lsh_threshold = EMBED_LSH_THRESHOLD if embeddings else LSH_THRESHOLD
        if verify_threshold is None:
            verify_threshold = EMBED_VERIFY_THRESHOLD if embeddings else VERIFY_THRESHOLD
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
        if candidate_cap < 0:
            raise ValueError(f"candidate_cap must be >= 0 (0 turns the cap off), got {candidate_cap}")
        self.candidate_cap = candidate_cap
        if name_gate < 0:
            raise ValueError(f"name_gate must be >= 0 (0 turns the name gate off), got {name_gate}")
        self.name_gate = name_gate
        self.embed_mix = embed_mix
        self.embed_sentences = embed_sentences
        self.embed_bands = embed_bands
        self.embed_bits = embed_bits
        if embeddings:
            if not 0.0 <= embed_mix <= 1.0:
                raise ValueError(f"embed_mix must be in [0, 1], got {embed_mix}")
            bands, rows = band_params(self.lsh_threshold, num_perm)
            if rows != 1 or not 0 < embed_bands < bands or not 0 < embed_bits <= 32:
                raise ValueError(
                    f"embeddings need one-row LSH bands with 0 < embed_bands < bands and 0 < embed_bits <= 32 "
                    f"(got {bands} x {rows} bands, embed_bands {embed_bands}, embed_bits {embed_bits})"
                )
            self._planes = hyperplanes(seed, embed_bands, embed_bits)

    def params(self) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        if self.embeddings:
            extra = {
                "embed_model": self.embed_model,
                "embed_mix": self.embed_mix,
                "embed_sentences": self.embed_sentences,
                "embed_bands": self.embed_bands,
                "embed_bits": self.embed_bits,
                "embed_payload": "int8",
            }
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
            "similarity": "cosine mix" if self.embeddings else "cosine",
            "chain_k": self.chain_k,
            "candidate_cap": self.candidate_cap,
            "embeddings": self.embeddings,
            **({"name_gate": self.name_gate} if self.name_gate > 0 else {}),
            **extra,
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
        bodies = [d.body_text() for d in docs]
        vectors = [self.vector(b) for b in bodies]
        sets = [k[: self.lsh_features].tolist() for k, _ in vectors if len(k)]
        hashed = iter(
            m.hashvalues
            for m in MinHash.bulk(
                sets, num_perm=self.num_perm, seed=self.seed, scheme=self.scheme, hashfunc=_identity
            )
        )
        emb = self._embed([b for b, (k, _) in zip(bodies, vectors, strict=True) if len(k)])
        out: list[Sketch | None] = []
        row = 0
        for body, (keys, weights) in zip(bodies, vectors, strict=True):
            if not len(keys):
                out.append(None)
                continue
            hv = next(hashed)
            embedding = None
            if emb is not None:
                vec, bands = emb[0][row], emb[1][row]
                row += 1
                if np.any(vec != 0):  # no sentence: keep MinHash values there (no false collisions)
                    hv = hv.copy()
                    start = band_params(self.lsh_threshold, self.num_perm)[0] - self.embed_bands
                    hv[start : start + self.embed_bands] = bands
                embedding = quantise(vec)
            names = None
            if self.name_gate > 0:
                found = name_features(body, min_info=self.name_gate, lang=self.lang)
                names = np.fromiter((feature_hash(w) for w in found), dtype=np.uint32, count=len(found))
            out.append(Sketch(hashvalues=hv, payload=encode_payload(keys, weights, embedding, names)))
        return out

    def _embed(self, bodies: list[str]) -> tuple[np.ndarray, np.ndarray] | None:
        """Article vectors and their sign-bit bands, one batched encoder call; None when off."""
        if not self.embeddings:
            return None
        vecs = article_vectors(bodies, self.embed_sentences)
        return vecs, sign_bands(vecs, self._planes, self.embed_bands, self.embed_bits)

    def similarity(self, a: bytes, b: bytes) -> float:
        if self.name_gate > 0 and not names_agree(a, b):
            return 0.0
        if not self.embeddings:
            return cosine(a, b)
        words = cosine(a, b)
        meaning = embedding_cosine(a, b)
        return float(min(1.0, (1.0 - self.embed_mix) * words + self.embed_mix * meaning))

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


def earlier_partners(
    nums: np.ndarray,
    keys: np.ndarray,
    stored_rows: np.ndarray,
    stored_nums: np.ndarray,
    cap: int,
    skip: np.ndarray | None = None,
    voters: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[np.ndarray]:
    """For each row (an article; `nums` ascending, the order the articles came in), the numbers of
    its `cap` partners sharing the most band keys among the articles BEFORE it: the stored ones
    (`stored_rows`, `stored_nums`: what `Index.candidates` returned for `keys`, one entry per shared
    key) and the earlier rows, except rows marked in `skip`. Ties: the smaller number first; `cap`
    0 keeps every partner.

    What `bands.capped_pairs` keeps for an article scanned alone against everything before it, so
    the links an incremental consumer (the gate) derives from it do not depend on which later
    articles shared its batch: scanned together, later articles compete for an article's `cap`
    places, and earlier ones vote for it.

    With `voters` (index format 4: (stored numbers, rows) from `bands.top_stored`, the stored
    articles that keep a row as it came), the earlier articles vote as they would in that scan
    alone: a row also gets the stored voters, and each earlier row (not skipped) that ranks it in
    its top `cap` over its own partners above and the rows (not skipped) between them. So the
    candidates hold every pair one scan over everything would keep (either end's top `cap`)."""
    from dedup.near.bands import pair_collision_counts

    n = len(nums)
    nums = np.asarray(nums, dtype=np.int64)
    pairs, counts = pair_collision_counts(keys)  # rows a < b: a came first
    skipped = np.zeros(n, dtype=bool) if skip is None else np.asarray(skip, dtype=bool)
    if len(pairs):
        keep = ~skipped[pairs[:, 0]]
        pairs, counts = pairs[keep], counts[keep]
    srow = np.asarray(stored_rows, dtype=np.int64)
    snum = np.asarray(stored_nums, dtype=np.int64)
    if len(snum):
        outside = ~np.isin(snum, nums)
        srow, snum = srow[outside], snum[outside]
    space = int(max(nums.max(initial=-1), snum.max(initial=-1))) + 1
    code, scount = np.unique(srow * space + snum, return_counts=True)
    row = np.concatenate([pairs[:, 1], code // space])
    partner = np.concatenate([nums[pairs[:, 0]], code % space])
    count = np.concatenate([counts, scount])
    order = np.lexsort((partner, -count, row))
    row, partner, count = row[order], partner[order], count[order]
    starts = np.searchsorted(row, np.arange(n + 1))
    rank = np.arange(len(row)) - np.repeat(starts[:-1], np.diff(starts))
    if cap > 0:
        keep = rank < cap
        row, partner, count, rank = row[keep], partner[keep], count[keep], rank[keep]
        starts = np.searchsorted(row, np.arange(n + 1))
    own = [partner[starts[r] : starts[r + 1]] for r in range(n)]
    if voters is None or cap <= 0:
        return own
    extra: list[list[np.ndarray]] = [[] for _ in range(n)]
    vnum, vrow = (np.asarray(v, dtype=np.int64) for v in voters)
    for r, v in zip(vrow.tolist(), vnum.tolist(), strict=True):
        extra[r].append(np.asarray([v], dtype=np.int64))
    if len(pairs):
        a, b, c = pairs[:, 0], pairs[:, 1], counts.astype(np.int64)
        oc = np.full((n, cap), -1, dtype=np.int64)  # each row's own list, as it came
        op = np.zeros((n, cap), dtype=np.int64)
        oc[row, rank], op[row, rank] = count, partner
        ahead = ((oc[a] > c[:, None]) | ((oc[a] == c[:, None]) & (op[a] < nums[b][:, None]))).sum(axis=1)
        first = np.empty(len(a), dtype=bool)
        first[0] = True
        np.not_equal(a[1:], a[:-1], out=first[1:])
        start = np.maximum.accumulate(np.where(first, np.arange(len(a)), 0))
        compete = ~skipped[b]  # rows between: only those not skipped take places
        for v in np.unique(c).tolist():
            ge = (c >= v) & compete
            cum = np.cumsum(ge)
            at = c == v
            base = np.where(start > 0, cum[start - 1], 0)
            ahead[at] += (cum - ge - base)[at]
        vote = ahead < cap
        for r, v in zip(b[vote].tolist(), nums[a[vote]].tolist(), strict=True):
            extra[r].append(np.asarray([v], dtype=np.int64))
    out: list[np.ndarray] = []
    for r in range(n):
        if extra[r]:
            more = np.unique(np.concatenate(extra[r]))
            out.append(np.concatenate([own[r], more[~np.isin(more, own[r])]]))
        else:
            out.append(own[r])
    return out
