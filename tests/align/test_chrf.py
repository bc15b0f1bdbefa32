"""The vectorised chrF must give exactly sacrebleu's sentence-level chrF."""

from __future__ import annotations

import numpy as np
from sacrebleu.metrics import CHRF

from dedup.align.chrf import chrf_matrix
from tests.align.fixtures import MT_SENTENCES, REF_SENTENCES, UNRELATED


def test_chrf_matrix_equals_sacrebleu() -> None:
    hyps = MT_SENTENCES + ["", "a", "aa  aa aa"]
    refs = REF_SENTENCES + UNRELATED + ["", "ab"]
    ours = chrf_matrix(hyps, refs)
    metric = CHRF()
    expected = np.array([[metric.sentence_score(h, [r]).score for r in refs] for h in hyps])
    assert ours.shape == (len(hyps), len(refs))
    np.testing.assert_allclose(ours, expected, atol=1e-9)


def test_chrf_matrix_empty_sides() -> None:
    assert chrf_matrix([], ["a b"]).shape == (0, 1)
    assert chrf_matrix(["a b"], []).shape == (1, 0)


def test_runs_of_adjacent_sentences_match_group_scores() -> None:
    from dedup.align import AlignParams
    from dedup.align.similarity import PairScorer

    scorer = PairScorer(MT_SENTENCES, REF_SENTENCES, AlignParams())
    fresh = PairScorer(
        MT_SENTENCES, REF_SENTENCES, AlignParams()
    )  # no run matrix cached: scores groups itself
    for a, b in ((1, 1), (1, 2), (2, 1), (2, 3)):
        runs = scorer.run_matrix(a, b)
        assert runs.shape == (len(MT_SENTENCES) - a + 1, len(REF_SENTENCES) - b + 1)
        for i in range(runs.shape[0]):
            for j in range(runs.shape[1]):
                group = fresh.group(tuple(range(i, i + a)), tuple(range(j, j + b)))
                assert abs(runs[i, j] - group) < 1e-9
                assert scorer.group(tuple(range(i, i + a)), tuple(range(j, j + b))) == runs[i, j]


def test_fold_marks_is_one_for_one() -> None:
    from dedup.align.chrf import fold_marks

    text = '“Never!” he said — it’s over, «fini»; ‘quite’ and "plain" – done.'
    folded = fold_marks(text)
    assert len(folded) == len(text)  # offsets into the original stay valid
    assert folded == "'Never!' he said - it's over, 'fini'; 'quite' and 'plain' - done."


def test_quote_style_does_not_change_similarity_but_chrf_matrix_stays_sacrebleu() -> None:
    from dedup.align import AlignParams
    from dedup.align.similarity import PairScorer

    mt = ['The mayor said: "We will never close the bridge."', "Flour prices doubled this winter."]
    same_style = ['"We will never close the bridge," the mayor said.', "Flour prices doubled this winter."]
    curly = ["‘We will never close the bridge,’ the mayor said.", "Flour prices doubled this winter."]
    plain = ["'We will never close the bridge,' the mayor said.", "Flour prices doubled this winter."]
    base = PairScorer(mt, same_style, AlignParams()).single
    for other in (curly, plain):
        np.testing.assert_allclose(PairScorer(mt, other, AlignParams()).single, base, atol=1e-12)
    # the house-style folding is the aligner's, not chrF's: the matrix is still sacrebleu's number
    metric = CHRF()
    expected = [[metric.sentence_score(h, [r]).score for r in curly] for h in mt]
    np.testing.assert_allclose(chrf_matrix(mt, curly), np.array(expected), atol=1e-9)
