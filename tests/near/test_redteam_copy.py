"""The copy level's tokenizer against re-typesetting (hits) and templated figures (look-alikes).

Found by the red-team of the fourth session: a copy whose quotes were straightened, whose text
went through an HTML encoder, or that carries NBSP / zero-width characters lost most of its
shingles (a curly quote or an NBSP was read as part of the word next to it); and a templated
report whose figures were decimals or clock times agreed on their parts ("6" of "6:48").
"""

from __future__ import annotations

import numpy as np
import pytest

from dedup.near.copy import CopyLevel
from dedup.near.shingle import StopTable, tokenize
from tests.near.corpus import article, copy_of, templated

TYPESET = "Mayor Okafor said: “We won’t wait — not for 2,100 homes…” The vote\u00a0is on Friday."
PLAIN = 'Mayor Okafor said: "We won\'t wait -- not for 2,100 homes..." The vote is on Friday.'


def _tokens(text: str) -> tuple[list[int], list[bool]]:
    t = tokenize([text])
    return t.hashes.tolist(), t.key.tolist()


@pytest.mark.parametrize(
    "variant",
    [
        PLAIN,
        "Mayor Okafor said: &#8220;We won&#8217;t wait &mdash; not for 2,100 homes&hellip;&#8221; The vote is on Friday.",
        "Mayor Okafor said: &quot;We won&rsquo;t wait &ndash; not for 2,100 homes...&quot; The vote is on Friday.",
        "Mayor\u00a0Okafor said: “We won’t wa\u200bit — not for 2,100 ho\u00admes…” The\u2009vote is on Fri\ufeffday.",
        "Mayor Okafor said: «We won’t wait – not for 2,100 homes…» The vote is on Friday.",
    ],
)
def test_retypeset_text_gives_the_same_tokens_and_keys(variant: str) -> None:
    assert _tokens(variant) == _tokens(TYPESET)


def test_typography_does_not_glue_words() -> None:
    glued, _ = _tokens("wait—not")
    apart, _ = _tokens("wait not")
    assert glued == apart
    # a bare ampersand is not an entity; an encoded one reads as the character
    assert _tokens("AT&amp;T and R&amp;D") == _tokens("AT&T and R&D")
    assert len(_tokens("AT&T")[0]) == 2


def test_decimals_times_and_thousands_are_one_token() -> None:
    h, _ = _tokens("rose 3.4 at 6:48 to 2,100")
    assert len(h) == 6  # rose, 3.4, at, 6:48, to, 2,100 (no stopword table here)
    assert _tokens("3.4")[0] != _tokens("3.5")[0]
    assert _tokens("6:48")[0] != _tokens("6:44")[0]
    # a full stop or comma after a number is punctuation, not part of it
    assert _tokens("in 1958. Then")[0] == _tokens("in 1958 Then")[0]
    assert _tokens("14, 52")[0] == _tokens("14 52")[0]


def test_day_and_month_names_are_not_keys_but_names_are() -> None:
    _, keys = _tokens("it opened on Thursday in March with Okafor and 12 others")
    hashes, _ = _tokens("it opened on Thursday in March with Okafor and 12 others")
    words = "it opened on thursday in march with okafor and 12 others".split()
    assert len(hashes) == len(words)
    assert {w for w, k in zip(words, keys, strict=True) if k} == {"okafor", "12"}
    t = tokenize(["on Thursday with Okafor"], calendar=False)
    assert t.key.tolist() == [False, True, False, True]


def _sim(lv: CopyLevel, a: str, b: str) -> float:
    _, (pa, pb) = lv.sketch_texts([a, b])
    assert pa is not None and pb is not None
    return lv.similarity(pa, pb)


def _curly(text: str) -> str:
    """Wire-style typesetting of a plain text: curly quotes and apostrophes, em dashes, NBSPs."""
    out = []
    for i, part in enumerate(text.split('"')):
        out.append(part if i == 0 else ("“" if i % 2 else "”") + part)
    return "".join(out).replace("'", "’").replace(" - ", " — ").replace(" of ", " of\u00a0")


def test_straightened_and_encoded_copies_stay_copies() -> None:
    lv = CopyLevel()
    for seed in range(3):
        base = article(seed).replace(". ", '. "It\'s done," she said - again. ', 3)
        typeset = _curly(base)
        assert _sim(lv, base, typeset) == 1.0
        encoded = "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in typeset.replace("&", "&amp;"))
        assert _sim(lv, typeset, encoded) == 1.0
        zw = typeset.replace("ee", "e\u200be").replace(" the ", "\u00a0the\u00a0")
        assert _sim(lv, typeset, zw) == 1.0
        assert _sim(lv, base, _curly(copy_of(base, seed + 9))) >= lv.verify_threshold


def _report(city: str, temp: str, wind: str, sunrise: str) -> str:
    return (
        f"Weather for {city}\n\nOn Thursday {city} will see a high of {temp} degrees with winds of {wind} km/h "
        f"from the west, forecasters said, with a band of cloud reaching the coast in the evening and light "
        f"showers likely overnight before a brighter start on Friday morning for most of the region. "
        f"Sunrise is at {sunrise} and the outlook for the weekend is similar, with temperatures near the "
        f"seasonal average and further showers on Sunday across higher ground and exposed coasts.\n"
    )


def test_templates_differing_in_decimals_and_times_are_not_copies() -> None:
    lv = CopyLevel()
    a = _report("Harwick", "21.5", "18.2", "6:48")
    b = _report("Dunmore", "19.5", "24.2", "6:44")
    assert _sim(lv, a, b) < lv.verify_threshold
    assert _sim(lv, a, a.replace("Weather for", "WEATHER:")) >= lv.verify_threshold
    # the generator's templated siblings are still not copies
    base = article(4)
    assert _sim(lv, base, templated(base, 5)) < lv.verify_threshold


def test_offsets_unaffected_batch_equals_single() -> None:
    """Normalisation inside a batch must not shift another text's tokens (lengths change on deletion)."""
    texts = [TYPESET, "plain ascii text with 3.4 and 6:48", "zero\u200bwidth in a word", PLAIN]
    batch = tokenize(texts, StopTable())
    for i, t in enumerate(texts):
        one = tokenize([t], StopTable())
        got = batch.hashes[batch.offsets[i] : batch.offsets[i + 1]]
        assert np.array_equal(got, one.hashes)
        assert np.array_equal(batch.key[batch.offsets[i] : batch.offsets[i + 1]], one.key)
