"""The numpy signatures are datasketch's signatures, bit for bit, for every scheme."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from dedup.near.shingle import shingle, tokenize
from dedup.near.signature import input_hashes, signatures
from tests.near.corpus import article


def _identity(x: int) -> int:
    return x


@pytest.mark.parametrize("scheme", ["affine32", "affine64", "legacy"])
@pytest.mark.parametrize("num_perm", [16, 128])
def test_signatures_equal_datasketch(scheme: str, num_perm: int) -> None:
    texts = [article(s, paragraphs=2) for s in range(5)] + ["", "one", article(9)]
    sh, off = shingle(tokenize(texts), 3)
    hv = input_hashes(sh, scheme)
    sig = signatures(hv, off, num_perm, 7, scheme)
    for i in range(len(texts)):
        m = MinHash(num_perm=num_perm, seed=7, scheme=scheme, hashfunc=_identity)
        m.update_batch([int(v) for v in hv[off[i] : off[i + 1]]])
        assert sig[i].dtype == m.hashvalues.dtype
        assert np.array_equal(sig[i], m.hashvalues), (scheme, i)


def test_signature_round_trips_through_datasketch() -> None:
    texts = [article(1), article(1), article(2)]
    sh, off = shingle(tokenize(texts), 3)
    sig = signatures(input_hashes(sh, "affine32"), off, 128, 1, "affine32")
    a, b, c = (MinHash(num_perm=128, seed=1, hashvalues=s, scheme="affine32") for s in sig)
    assert a.jaccard(b) == 1.0
    assert a.jaccard(c) < 0.2


def test_chunking_does_not_change_signatures(monkeypatch: pytest.MonkeyPatch) -> None:
    import dedup.near.signature as mod

    texts = [article(s) for s in range(6)]
    sh, off = shingle(tokenize(texts), 3)
    hv = input_hashes(sh, "affine32")
    whole = signatures(hv, off, 64, 1, "affine32")
    monkeypatch.setattr(mod, "_CHUNK_CELLS", 64 * 5)
    assert np.array_equal(whole, signatures(hv, off, 64, 1, "affine32"))
