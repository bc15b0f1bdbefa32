"""Whatever the input, every sentence is linked at most once or reported without counterpart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.align import AlignParams, align_texts

WORDS = ["bridge", "council", "mayor", "Riverton", "4.2", "million", "repairs", "the", "a", "snow", "!", "é"]
sentence = st.lists(st.sampled_from(WORDS), min_size=0, max_size=8).map(" ".join)
side = st.lists(sentence, min_size=0, max_size=7)
modes = st.sampled_from(
    [
        AlignParams(),
        AlignParams(order="free"),
        AlignParams(order="monotone"),
        AlignParams(order_min_links=2, order_share=0.5),  # order detected even on tiny inputs
        AlignParams(monotone=True),
        AlignParams(order_prior=0.2, merge=False),
    ]
)


@settings(max_examples=60, deadline=None)
@given(side, side, modes)
def test_links_partition_the_sentences(mt: list[str], ref: list[str], params: AlignParams) -> None:
    result = align_texts(mt, ref, params)
    used_mt = [i for lk in result.links for i in lk.mt]
    used_ref = [j for lk in result.links for j in lk.ref]
    assert sorted(used_mt + result.unaligned_mt) == list(range(len(mt)))
    assert sorted(used_ref + result.unaligned_ref) == list(range(len(ref)))
    assert all(0.0 <= lk.score <= 1.0 for lk in result.links)
    if not params.merge:
        assert all(len(lk.mt) == 1 and len(lk.ref) == 1 for lk in result.links)
    assert result == align_texts(list(mt), list(ref), params)  # deterministic
