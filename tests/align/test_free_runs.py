"""Order-free runs: a free sentence between two links may have no counterpart, and a pair with no
similarity of its own is never linked on its neighbour's strength."""

from __future__ import annotations

from dedup.align import AlignParams, align_texts
from dedup.align.core import context_support
from dedup.align.similarity import PairScorer

MT = [
    "The harbour authority of Velmstad opened a new ferry terminal on Monday morning.",
    "The terminal cost twelve million euros and took two years to build.",
    "Farmers in the north reported a record harvest of apples this autumn.",
]


def _ref(*middle: str) -> list[str]:
    return [
        "Snowfall closed the mountain pass for two days.",
        "Velmstad's harbour authority opened its new ferry terminal on Monday morning.",
        *middle,
        "The city library extended its opening hours.",
    ]


def _links(ref: list[str], params: AlignParams | None = None) -> dict[tuple[int, ...], tuple[int, ...]]:
    result = align_texts(MT, ref, params)
    assert result.params["order_used"] == "free"
    return {lk.mt: lk.ref for lk in result.links}


def test_a_sentence_between_two_links_may_have_no_counterpart() -> None:
    ref = _ref("It was windy.", "Building the terminal took two years and cost twelve million euros.")
    assert _links(ref) == {(0,): (1,), (1,): (3,)}  # "It was windy." stays unaligned
    # charging for it, as the whole-document programme does, glues it to a neighbouring bead
    assert _links(ref, AlignParams(run_skip=0.1))[(0,)] == (1, 2)


def test_a_loose_paraphrase_of_half_a_sentence_still_joins_its_bead() -> None:
    mt = [
        "The harbour authority of Velmstad opened a new ferry terminal on Monday morning, and an official "
        "said on condition of anonymity that traffic will double.",
        *MT[1:],
    ]
    ref = _ref(
        "An official who asked not to be named expects twice as many travellers.",
        "Building the terminal took two years and cost twelve million euros.",
    )
    links = {lk.mt: lk.ref for lk in align_texts(mt, ref).links}
    assert links == {(0,): (1, 2), (1,): (3,)}
    # leaving a sentence out of a run for free loses it: the merged bead is a little less similar
    assert {lk.mt: lk.ref for lk in align_texts(mt, ref, AlignParams(run_skip=0.0)).links}[(0,)] == (1,)


def test_a_split_sentence_in_a_run_is_still_merged() -> None:
    ref = _ref("It was windy.", "Building the terminal took two years.", "It cost twelve million euros.")
    assert _links(ref) == {(0,): (1,), (1,): (3, 4)}


def test_no_link_on_a_neighbours_strength_alone() -> None:
    ref = _ref("Residents were invited to a small ceremony.", "Building the terminal took two years.")
    sim = PairScorer(MT, ref, AlignParams()).single
    support = context_support(sim)
    # the apple harvest and the ceremony share nothing, but sit diagonally after a strong pair
    assert sim[2, 2] < AlignParams().background
    assert sim[2, 2] + AlignParams().context * support[2, 2] >= AlignParams().min_sim
    links = _links(ref)
    assert (2,) not in links and links[(0,)] == (1,)
    assert 2 in align_texts(MT, ref).unaligned_mt
