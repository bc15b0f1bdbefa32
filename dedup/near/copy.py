"""The copy level: the same article republished (syndicated, edited, truncated).

Sketch: content-word shingles (function words dropped, numbers and names kept) of the text with
boilerplate cut, hashed in numpy and MinHashed with datasketch's own permutations.

Verification (`similarity`) is exact on the payload and takes two things into account:
- shingle containment with a length floor, ``|A ∩ B| / max(min(|A|,|B|), floor * max(|A|,|B|))``:
  a truncated or cut copy keeps most of its shingles inside the original, while a two-line text
  inside a long one is not a copy;
- agreement on key tokens (numbers and mid-sentence capitalised words), ``(|Ka ∩ Kb| + 1) /
  (min(|Ka|,|Kb|) + 1)``: a templated report ("shares rose 3% to 410p") shares almost every
  shingle with its sibling except exactly these, so copies agree on them and templates do not.
The similarity is the smaller of the two.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from importlib.metadata import version
from typing import Any

import numpy as np

from dedup.model import Document
from dedup.near.bands import band_params
from dedup.near.index.base import expand_ranges
from dedup.near.level import Sketch
from dedup.near.shingle import StopTable, shingle, tokenize
from dedup.near.signature import SCHEMES, input_hashes, signatures
from dedup.near.strip import LINE_RULE
from dedup.text.pipeline import line_view

_MAGIC = b"DCP1"  # payload: magic, uint32 n_shingles, uint32 n_keys, sorted uint32 shingles, keys
_HEADER = struct.Struct("<4sII")
_LOW32 = np.uint64(0xFFFFFFFF)
_DATASKETCH_VERSION = version("datasketch")
_LEAD_SEED = 7919  # the lead windows' permutations: seeds apart from the main signature's


def _sorted_unique_rows(values: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-row sorted unique uint32 values (CSR in, CSR out), with one sort for the whole batch.

    `np.unique` is avoided on purpose: in numpy 2.x it is ~100x slower than a plain sort here.
    """
    n = len(offsets) - 1
    row = np.repeat(np.arange(n, dtype=np.uint64), np.diff(offsets))
    keyed = (row << np.uint64(32)) | (values.astype(np.uint64) & _LOW32)
    keyed.sort()
    if len(keyed):
        first = np.empty(len(keyed), dtype=bool)
        first[0] = True
        np.not_equal(keyed[1:], keyed[:-1], out=first[1:])
        keyed = keyed[first]
    rows_of = (keyed >> np.uint64(32)).astype(np.int64)
    new_off = np.searchsorted(rows_of, np.arange(n + 1)).astype(np.int64)
    return (keyed & _LOW32).astype(np.uint32), new_off


def encode_payload(shingles: np.ndarray, keys: np.ndarray) -> bytes:
    return (
        _HEADER.pack(_MAGIC, len(shingles), len(keys))
        + shingles.astype("<u4").tobytes()
        + keys.astype("<u4").tobytes()
    )


def _encode_many(
    shingles: np.ndarray, s_off: np.ndarray, keys: np.ndarray, k_off: np.ndarray
) -> list[bytes | None]:
    """`encode_payload` of every row at once: one uint32 buffer, then one bytes slice per row."""
    ns = np.diff(s_off)
    nk = np.diff(k_off)
    words = 3 + ns + nk
    start = np.zeros(len(ns) + 1, dtype=np.int64)
    np.cumsum(words, out=start[1:])
    buf = np.empty(int(start[-1]), dtype="<u4")
    buf[start[:-1]] = np.frombuffer(_MAGIC, dtype="<u4")[0]
    buf[start[:-1] + 1] = ns
    buf[start[:-1] + 2] = nk
    buf[np.arange(len(shingles)) + np.repeat(start[:-1] + 3 - s_off[:-1], ns)] = shingles
    buf[np.arange(len(keys)) + np.repeat(start[:-1] + 3 + ns - k_off[:-1], nk)] = keys
    raw = buf.tobytes()
    bounds = (start * 4).tolist()
    return [raw[bounds[i] : bounds[i + 1]] if n else None for i, n in enumerate(ns.tolist())]


def decode_payload(payload: bytes) -> tuple[np.ndarray, np.ndarray]:
    magic, ns, nk = _HEADER.unpack_from(payload, 0)
    if magic != _MAGIC or len(payload) != _HEADER.size + 4 * (ns + nk):
        raise ValueError("not a copy-level payload (wrong magic or length)")
    s = np.frombuffer(payload, dtype="<u4", count=ns, offset=_HEADER.size)
    k = np.frombuffer(payload, dtype="<u4", count=nk, offset=_HEADER.size + 4 * ns)
    return s, k


def _overlap(a: np.ndarray, b: np.ndarray) -> int:
    if not len(a) or not len(b):
        return 0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    pos = np.searchsorted(large, small)
    pos[pos == len(large)] = 0
    return int(np.count_nonzero(large[pos] == small))


def _pair_overlaps(
    words: np.ndarray, begin: np.ndarray, count: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """|set(left_i) ∩ set(right_i)| for every pair; set j is ``words[begin[j]:begin[j] + count[j]]``.

    Every set is sorted, so tagging values with their set number gives one globally sorted array;
    the values of each pair's smaller set are then looked up, tagged with the larger set's number.
    """
    owner, pos = expand_ranges(begin, begin + count)
    tagged = (owner.astype(np.uint64) << np.uint64(32)) | words[pos].astype(np.uint64)
    swap = count[left] > count[right]
    small = np.where(swap, right, left)
    large = np.where(swap, left, right)
    # Pairs in order of their larger set: the queries then arrive sorted, and numpy's binary search
    # starts from the previous answer (several times faster than random order).
    order = np.argsort(large, kind="stable")
    pair_of, qpos = expand_ranges(begin[small[order]], begin[small[order]] + count[small[order]])
    if not len(qpos):
        return np.zeros(len(left), dtype=np.int64)
    query = (large[order][pair_of].astype(np.uint64) << np.uint64(32)) | words[qpos].astype(np.uint64)
    at = np.searchsorted(tagged, query)
    at[at == len(tagged)] = 0
    hit = tagged[at] == query
    shared = np.zeros(len(left), dtype=np.int64)
    shared[order] = np.bincount(pair_of[hit], minlength=len(left))
    return shared


class CopyLevel:
    """Copies of one article: content-word shingles, LSH on their Jaccard, exact check to accept."""

    name = "copy"

    def __init__(
        self,
        *,
        num_perm: int = 128,
        scheme: str = "affine32",
        seed: int = 1,
        shingle_size: int = 3,
        lsh_threshold: float = 0.3,
        verify_threshold: float = 0.5,
        length_floor: float = 0.25,
        stopwords: Sequence[str] | None = None,
        lead_shingles: int = 30,
        lead_windows: int = 2,
        lead_step: int = 10,
    ) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"unknown MinHash scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
        if not 0.0 < lsh_threshold < 1.0 or not 0.0 <= verify_threshold <= 1.0:
            raise ValueError("thresholds must lie in (0, 1)")
        self.num_perm = num_perm
        self.scheme = scheme
        self.seed = seed
        self.shingle_size = shingle_size
        self.lsh_threshold = lsh_threshold
        self.verify_threshold = verify_threshold
        self.length_floor = length_floor
        bands, rows = band_params(lsh_threshold, num_perm)
        if not 0 <= lead_windows < bands or lead_shingles < 1 or lead_step < 0:
            raise ValueError(
                f"lead sketches need 0 <= lead_windows < bands ({bands}), lead_shingles >= 1 and lead_step >= 0"
            )
        self.lead_shingles = lead_shingles
        self.lead_windows = lead_windows
        self.lead_step = lead_step
        self._bands, self._rows = bands, rows
        self._stop = StopTable() if stopwords is None else StopTable(stopwords)

    def params(self) -> dict[str, Any]:
        return {
            "level": self.name,
            "num_perm": self.num_perm,
            "scheme": self.scheme,
            "seed": self.seed,
            "shingle": (
                f"word {self.shingle_size}-grams, function words dropped, numbers kept, one token per CJK character"
            ),
            # Tokenizer revision 2 (2026-11-24): HTML entities decoded, typographic quotes, dashes and
            # spaces read as ASCII, invisible characters deleted, 3.4 / 2,100 / 6:48 one token, day
            # and month names not key tokens. Sketches of revision 1 differ: such an index is refused.
            "tokens": 2,
            "shingle_size": self.shingle_size,
            "stopwords": len(self._stop.words),
            "lsh_threshold": self.lsh_threshold,
            "verify_threshold": self.verify_threshold,
            "length_floor": self.length_floor,
            "lead": {"shingles": self.lead_shingles, "windows": self.lead_windows, "step": self.lead_step},
            "similarity": "min(containment with length floor, key-token agreement)",
            "datasketch": _DATASKETCH_VERSION,
        }

    def sketch_texts(self, texts: Sequence[str]) -> tuple[np.ndarray, list[bytes | None]]:
        """Signature matrix (one row per text) and payloads (None for a text with no words)."""
        # Lone CRs, U+2028 and the like end lines too: the boilerplate cut reads lines at "\n".
        toks = tokenize([line_view(t) for t in texts], self._stop, LINE_RULE)
        sh, sh_off = shingle(toks, self.shingle_size)
        uniq, u_off = _sorted_unique_rows(input_hashes(sh, "affine32"), sh_off)
        if self.scheme == "affine32":
            sig = signatures(uniq, u_off, self.num_perm, self.seed, self.scheme)
        else:  # 64-bit input hashes: sketch the full shingle hashes, dedupe does not change a min
            sig = signatures(input_hashes(sh, self.scheme), sh_off, self.num_perm, self.seed, self.scheme)
        if self.lead_windows:
            self._lead_bands(sig, sh, sh_off)
        key_vals = input_hashes(toks.hashes[toks.key], "affine32")
        key_cum = np.zeros(len(toks.key) + 1, dtype=np.int64)
        np.cumsum(toks.key, out=key_cum[1:])
        key_off = key_cum[toks.offsets]
        k_uniq, k_off = _sorted_unique_rows(key_vals, key_off)
        return sig, _encode_many(uniq, u_off, k_uniq, k_off)

    def _lead_bands(self, sig: np.ndarray, sh: np.ndarray, sh_off: np.ndarray) -> None:
        """Give the last `lead_windows` LSH bands MinHashes of windows of the article's opening.

        A copy cut to its first third shares a third of the original's shingles: a Jaccard of ~0.3,
        which the bands find about half the time, though verification (containment) accepts it.
        A cut copy keeps the opening, so each of these bands sketches only `lead_shingles`
        shingles from the start (window w from shingle w * `lead_step`: a changed headline spoils
        the first window, not the next); their Jaccard stays near 1 for such a copy and near 0 for
        articles that merely share a subject. A text too short for a window gets its last
        `lead_shingles` shingles. The bands taken over cost a little recall on whole copies with
        Jaccard ~0.3 (37 bands -> 35); the index size is unchanged.
        """
        rows, k = self._rows, self.lead_shingles
        counts = np.diff(sh_off)
        col = (self._bands - self.lead_windows) * rows
        for w in range(self.lead_windows):
            first = np.minimum(w * self.lead_step, np.maximum(counts - k, 0))
            take = np.minimum(counts - first, k)
            off = np.zeros(len(take) + 1, dtype=np.int64)
            np.cumsum(take, out=off[1:])
            _, pos = expand_ranges(sh_off[:-1] + first, sh_off[:-1] + first + take)
            if self.scheme == "affine32":  # as the main signature: 32-bit hashes, deduplicated
                vals, off = _sorted_unique_rows(input_hashes(sh[pos], "affine32"), off)
            else:
                vals = input_hashes(sh[pos], self.scheme)
            lead = signatures(vals, off, rows, self.seed + _LEAD_SEED + w, self.scheme)
            sig[:, col + w * rows : col + (w + 1) * rows] = lead

    def sketch_many(self, docs: Sequence[Document]) -> list[Sketch | None]:
        sig, payloads = self.sketch_texts([d.text for d in docs])
        return [None if p is None else Sketch(hashvalues=sig[i], payload=p) for i, p in enumerate(payloads)]

    def similarity_many(self, pairs: Sequence[tuple[bytes, bytes]]) -> np.ndarray:
        """`similarity` of many payload pairs at once (same values, vectorised over all pairs)."""
        if not pairs:
            return np.empty(0, dtype=np.float64)
        slot: dict[int, int] = {}
        blobs: list[bytes] = []
        left = np.empty(len(pairs), dtype=np.int64)
        right = np.empty(len(pairs), dtype=np.int64)
        for i, (a, b) in enumerate(pairs):
            for arr, p in ((left, a), (right, b)):
                k = slot.get(id(p))
                if k is None:
                    k = slot[id(p)] = len(blobs)
                    blobs.append(p)
                arr[i] = k
        words = np.frombuffer(b"".join(blobs), dtype="<u4")
        lengths = np.fromiter((len(p) // 4 for p in blobs), dtype=np.int64, count=len(blobs))
        starts = np.zeros(len(blobs), dtype=np.int64)
        np.cumsum(lengths[:-1], out=starts[1:])
        ns = words[starts + 1].astype(np.int64)
        nk = words[starts + 2].astype(np.int64)
        shared_s = _pair_overlaps(words, starts + 3, ns, left, right)
        shared_k = _pair_overlaps(words, starts + 3 + ns, nk, left, right)
        small = np.minimum(ns[left], ns[right])
        large = np.maximum(ns[left], ns[right])
        contain = shared_s / np.maximum(np.maximum(small, self.length_floor * large), 1)
        keys = (shared_k + 1) / (np.minimum(nk[left], nk[right]) + 1)
        out = np.minimum(np.minimum(contain, keys), 1.0)
        out[small == 0] = 0.0
        return out

    def similarity(self, a: bytes, b: bytes) -> float:
        sa, ka = decode_payload(a)
        sb, kb = decode_payload(b)
        if not len(sa) or not len(sb):
            return 0.0
        small, large = sorted((len(sa), len(sb)))
        contain = _overlap(sa, sb) / max(small, self.length_floor * large)
        keys = (_overlap(ka, kb) + 1) / (min(len(ka), len(kb)) + 1)
        return float(min(1.0, contain, keys))
