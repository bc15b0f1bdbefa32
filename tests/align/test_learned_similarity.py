"""The learned pair similarity (`AlignParams(similarity="learned")`): same plumbing, other weights."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.align import AlignParams, align_texts
from dedup.align import similarity as sim_mod
from dedup.align.similarity import FEATURES, PairScorer
from tests.align.fixtures import MT_SENTENCES, REF_SENTENCES, UNRELATED

LEARNED = AlignParams(similarity="learned")


def _as_mix(monkeypatch: pytest.MonkeyPatch, p: AlignParams) -> None:
    """Learned constants that spell the hand-weighted mix: w_chrf * chrF + w_words * words."""
    coef = [0.0] * len(FEATURES)
    coef[FEATURES.index("chrf")] = p.w_chrf / (p.w_chrf + p.w_words)
    coef[FEATURES.index("words")] = p.w_words / (p.w_chrf + p.w_words)
    monkeypatch.setattr(sim_mod, "LEARNED_COEF", tuple(coef))
    monkeypatch.setattr(sim_mod, "LEARNED_BIAS", 0.0)
    monkeypatch.setattr(sim_mod, "LEARNED_SCALE", (1.0, 0.0))


def test_learned_path_with_the_mix_weights_reproduces_the_mix(monkeypatch: pytest.MonkeyPatch) -> None:
    mix = PairScorer(MT_SENTENCES, REF_SENTENCES, AlignParams())
    _as_mix(monkeypatch, AlignParams())
    learned = PairScorer(MT_SENTENCES, REF_SENTENCES, LEARNED)
    assert np.allclose(learned.single, mix.single)
    assert np.allclose(learned.run_matrix(2, 1), mix.run_matrix(2, 1))
    assert learned.group((0, 2), (1, 4)) == pytest.approx(mix.group((0, 2), (1, 4)))


def test_learned_runs_and_groups_agree() -> None:
    """The vectorised run scores and the per-group score are the same function."""
    scorer = PairScorer(MT_SENTENCES, REF_SENTENCES, LEARNED)
    runs = scorer.run_matrix(1, 2)
    fresh = PairScorer(MT_SENTENCES, REF_SENTENCES, LEARNED)  # no cached runs: goes the group way
    for i in range(runs.shape[0]):
        for j in range(runs.shape[1]):
            assert fresh.group((i,), (j, j + 1)) == pytest.approx(runs[i, j])


def test_learned_similarity_links_paraphrases_and_leaves_unrelated_out() -> None:
    links = {lk.mt: lk.ref for lk in align_texts(MT_SENTENCES, REF_SENTENCES, LEARNED).links}
    assert links[(0,)] == (4,)
    assert links[(1,)] == (0,)
    assert all(3 not in r for r in links.values())  # the snow forecast has no counterpart
    assert align_texts(UNRELATED, REF_SENTENCES, LEARNED).links == []


def test_learned_scale_keeps_scores_in_range() -> None:
    sim = PairScorer(MT_SENTENCES + UNRELATED, REF_SENTENCES, LEARNED).single
    assert sim.min() >= 0.0 and sim.max() <= 1.0
    assert sim[0, 4] > 0.5 > sim[len(MT_SENTENCES), 4]


@pytest.mark.parametrize(
    "params", [AlignParams(similarity="bogus"), AlignParams(similarity="learned", embeddings=True)]
)
def test_unknown_or_unsupported_similarity_is_a_clear_error(params: AlignParams) -> None:
    with pytest.raises(ValueError, match="similarity"):
        align_texts(MT_SENTENCES, REF_SENTENCES, params)
