"""The contract between the scan machinery and a similarity level ("copy", "story").

The scan machinery (shingling-agnostic) only needs, per level: a MinHash signature to band into
LSH candidates, a serialised payload to verify candidates exactly, and the thresholds. A level is
free to build both however it likes; the payload is what the persistent index stores.

Optional fast paths (not part of the protocol; `dedup.near.scan` uses them when a level has them):
- ``sketch_texts(texts) -> (signatures (n, num_perm) array, payloads list with None for empty)``,
  used instead of `sketch_many` when the level needs only the raw texts (no Document is built);
- ``similarity_many(pairs of payloads) -> array of similarities``, equal to `similarity` pair by
  pair, used to verify candidates in vectorised chunks.
The scan derives LSH bands and rows from `lsh_threshold` and `num_perm` exactly as datasketch's
`MinHashLSH` does, and an index refuses a level whose `params()` (or bands/rows, datasketch
version, scheme) differ from what it was built with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from dedup.model import Document


@dataclass(frozen=True)
class Sketch:
    """One article's sketch at one level."""

    hashvalues: np.ndarray  # MinHash signature (datasketch scheme dtype), length num_perm
    payload: bytes  # what `similarity` needs; stored as-is by the index


class Level(Protocol):
    name: str  # "copy" | "story"
    scheme: str  # datasketch MinHash scheme, always explicit
    num_perm: int
    lsh_threshold: float  # Jaccard threshold the LSH bands/rows are derived from (candidates)
    verify_threshold: float  # exact similarity at or above which a candidate pair is accepted

    def params(self) -> dict[str, Any]:
        """Everything that changes results; written into outputs and checked on index reuse."""
        ...

    def sketch_many(self, docs: Sequence[Document]) -> list[Sketch | None]:
        """Sketches in input order; None where a document has nothing to sketch (empty body)."""
        ...

    def similarity(self, a: bytes, b: bytes) -> float:
        """Exact similarity of two payloads, in [0, 1]."""
        ...
