"""Tokens and shingles: case-folded words, numbers kept, function words dropped, per-text offsets."""

from __future__ import annotations

import numpy as np

from dedup.near.shingle import StopTable, shingle, tokenize


def _hashes(text: str, stop: StopTable | None = None) -> list[int]:
    return tokenize([text], stop).hashes.tolist()


def test_case_folded_and_punctuation_ignored() -> None:
    assert _hashes("Harbour Budget, approved!") == _hashes("harbour budget approved")


def test_numbers_are_kept_and_distinct() -> None:
    a, b = _hashes("rose 3 percent"), _hashes("rose 4 percent")
    assert len(a) == 3 and a[1] != b[1] and a[0] == b[0]


def test_long_words_differ_in_the_middle_only_by_length() -> None:
    assert _hashes("internationalisation") != _hashes("internationalization")
    assert _hashes("abcdefghXYZijklmnop") != _hashes("abcdefghXYijklmnop")


def test_stopwords_dropped_but_not_numbers() -> None:
    stop = StopTable()
    assert _hashes("the council of the city", stop) == _hashes("council city")
    assert len(_hashes("the 5 of them", stop)) == 1


def test_key_tokens_are_numbers_and_mid_sentence_names() -> None:
    toks = tokenize(["The mayor met Okafor in Bergen. Later 42 people came."])
    flagged = toks.key.tolist()
    # The, mayor, met, Okafor, in, Bergen, Later, 42, people, came
    assert flagged == [False, False, False, True, False, True, False, True, False, False]


def test_batch_equals_one_by_one() -> None:
    texts = ["first text here and more", "", "x", "second text with 7 words in all"]
    batch = tokenize(texts)
    for i, t in enumerate(texts):
        alone = tokenize([t]).hashes
        assert np.array_equal(batch.hashes[batch.offsets[i] : batch.offsets[i + 1]], alone)
    sh, off = shingle(batch, 3)
    assert np.diff(off).tolist() == [3, 0, 1, 5]


def test_shingles_are_order_sensitive() -> None:
    a, _ = shingle(tokenize(["alpha beta gamma"]), 3)
    b, _ = shingle(tokenize(["gamma beta alpha"]), 3)
    assert a.tolist() != b.tolist()


def test_cjk_characters_are_tokens_and_punctuation_separates() -> None:
    assert len(_hashes("上海市政府今天宣布")) == 9
    assert _hashes("港口，预算。") == _hashes("港口 预算")
    assert _hashes("港口预算") == _hashes("港 口 预 算")
    assert len(_hashes("café naïve")) == 2  # accented Latin words stay whole
