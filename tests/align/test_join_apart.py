"""Many-to-one links whose reference sentences are not adjacent (facts told in two places)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.align import AlignParams, align_texts
from dedup.align.core import _detected_monotone, join_apart
from dedup.align.similarity import PairScorer

# One MT sentence says two things; the reference tells them in two places, with other facts
# (in another order) between them.
MT = [
    "The harbour of Velmstad will get a new ferry terminal, and the old fish market beside it "
    "will become a covered food hall with forty stalls.",
    "Engineers from Norlund Consult found cracks in the pillars of the Osby railway bridge.",
    "The regional bus company raised ticket prices by eight percent on Monday.",
    "Snowfall closed the mountain pass between Aska and Tyre for two days.",
]
REF = [
    "Velmstad's harbour is getting a new ferry terminal.",
    "Bus tickets in the region cost eight percent more since Monday, the regional bus company said.",
    "The mountain pass between Aska and Tyre was closed for two days by snowfall.",
    "The old fish market next to it will be turned into a covered food hall with forty stalls.",
    "Cracks in the pillars of the Osby railway bridge were found by engineers from Norlund Consult.",
]


def _links(params: AlignParams | None = None) -> dict[tuple[int, ...], tuple[int, ...]]:
    return {lk.mt: lk.ref for lk in align_texts(MT, REF, params).links}


def test_two_reference_sentences_apart_join_one_mt_sentence() -> None:
    result = align_texts(MT, REF)
    assert result.params["order_used"] == "free"
    links = {lk.mt: lk.ref for lk in result.links}
    assert links[(0,)] == (0, 3)  # not adjacent: the union covers the MT sentence
    assert links[(1,)] == (4,) and links[(2,)] == (1,) and links[(3,)] == (2,)


def test_join_can_be_switched_off() -> None:
    links = _links(AlignParams(join_sim=1.0))
    assert len(links[(0,)]) == 1
    assert all(len(r) == 1 for r in _links(AlignParams(merge=False)).values())


def test_join_needs_the_union_to_cover_more() -> None:
    scorer = PairScorer(MT, REF, AlignParams())
    bead = ((0,), (0,), scorer.group((0,), (0,)))
    joined = join_apart([bead], scorer, AlignParams())
    assert joined == [((0,), (0, 3), scorer.group((0,), (0, 3)))]
    assert scorer.group((0,), (0, 3)) > scorer.group((0,), (0,)) + 0.05
    # a sentence about something else never joins, however low the gain asked for
    unrelated = join_apart([((1,), (4,), scorer.group((1,), (4,)))], scorer, AlignParams(join_gain=0.0))
    assert unrelated[0][1] == (4,)


def test_join_takes_only_free_sentences() -> None:
    scorer = PairScorer(MT, REF, AlignParams())
    beads = [((0,), (0,), scorer.group((0,), (0,))), ((3,), (3,), 0.1)]  # ref 3 already linked
    assert join_apart(beads, scorer, AlignParams())[0][1] == (0,)


def test_detected_order_keeps_a_bead_overlapping_a_merged_anchor() -> None:
    # the chain link is a 2-1 bead: its centre (5.5) is no programme bead's, yet they overlap
    p = AlignParams(mono_floor=0.12, fill_gap=3)
    free = [((0,), (0,), 0.6), ((5, 6), (5,), 0.5), ((9,), (9,), 0.6)]
    mono = [((0,), (0,), 0.6), ((5,), (5,), 0.4), ((6,), (6,), 0.3), ((9,), (9,), 0.6)]
    kept = {(b[0], b[1]) for b in _detected_monotone(free, mono, p)}
    assert ((5,), (5,)) in kept and ((6,), (6,)) in kept


def test_detected_order_fill_tolerates_a_misplaced_anchor_on_the_reference_side() -> None:
    # anchors at MT 2 and 5; the bead at MT 3 points just before the first anchor's reference
    p = AlignParams(mono_floor=0.12, fill_gap=3)
    free = [((2,), (10,), 0.5), ((5,), (13,), 0.6)]
    mono = [((2,), (10,), 0.5), ((3,), (9,), 0.3), ((5,), (13,), 0.6), ((6,), (20,), 0.3)]
    kept = {(b[0], b[1]) for b in _detected_monotone(free, mono, p)}
    assert ((3,), (9,)) in kept  # between two close anchors on the MT side
    assert ((6,), (20,)) not in kept  # after the last anchor: nothing invented


_WORDS = "harbour ferry terminal food hall Velmstad bridge 4.2 the a é 中 !".split()
_SENT = st.lists(st.sampled_from(_WORDS), max_size=9).map(" ".join)
_JOINING = st.sampled_from(
    [
        AlignParams(order="free", join_sim=0.05, join_gain=0.0),  # joins whenever it can
        AlignParams(order="free", join_sim=0.0, join_gain=-1.0, max_group=2),
        AlignParams(join_sim=0.1, join_gain=0.01),
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_SENT, max_size=7), st.lists(_SENT, max_size=8), _JOINING)
def test_joined_links_stay_sorted_and_partition_the_sentences(
    mt: list[str], ref: list[str], params: AlignParams
) -> None:
    result = align_texts(mt, ref, params)
    for lk in result.links:
        assert lk.ref and list(lk.ref) == sorted(set(lk.ref))
        assert lk.mt and list(lk.mt) == sorted(set(lk.mt))
    used_mt = [i for lk in result.links for i in lk.mt]
    used_ref = [j for lk in result.links for j in lk.ref]
    assert sorted(used_mt + result.unaligned_mt) == list(range(len(mt)))  # each sentence exactly once
    assert sorted(used_ref + result.unaligned_ref) == list(range(len(ref)))
    assert result.unaligned_mt == sorted(result.unaligned_mt)
    assert result.unaligned_ref == sorted(result.unaligned_ref)
    assert result == align_texts(list(mt), list(ref), params)
