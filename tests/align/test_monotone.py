"""Same-order mode and the local-run programme."""

from __future__ import annotations

import pytest

from dedup.align import AlignParams, align_texts
from dedup.align.monotone import LOCAL_SHAPES, SHAPES, bead_shapes, dp, refine_runs
from dedup.align.similarity import PairScorer

# Same order on both sides; the reference splits MT sentence 1 in two.
MT = [
    "The harbour authority opened a new ferry terminal in Marlow on Monday morning.",
    "The terminal cost 12 million euros and can handle three ferries at once, officials said.",
    "Passengers complained about long queues at the ticket machines.",
    "The old terminal will be turned into a maritime museum next year.",
]
REF = [
    "Marlow's harbour authority inaugurated a new ferry terminal on Monday morning.",
    "Officials said the terminal cost 12 million euros.",
    "It can handle three ferries at once.",
    "Long queues formed at the ticket machines, passengers complained.",
    "Next year the old terminal becomes a maritime museum.",
]


def test_dp_follows_the_best_path_and_skips() -> None:
    # A 2 x 2 grid where only the diagonal beads are worth anything.
    def value(i0: int, a: int, j0: int, b: int) -> tuple[float, float]:
        good = a == 1 and b == 1 and i0 == j0
        return (0.5 if good else -1.0), (0.5 if good else 0.0)

    beads = dp(2, 2, [0, 0, 0], [2, 2, 2], value, skip=0.1)
    assert [(b[0], b[1]) for b in beads] == [((0,), (0,)), ((1,), (1,))]


def test_monotone_mode_merges_split_sentence() -> None:
    result = align_texts(MT, REF, AlignParams(monotone=True))
    pairs = [(lk.mt, lk.ref) for lk in result.links]
    assert ((1,), (1, 2)) in pairs
    assert ((0,), (0,)) in pairs and ((3,), (4,)) in pairs
    # monotone: links never cross
    assert all(a[0][-1] < b[0][0] and a[1][-1] < b[1][0] for a, b in zip(pairs, pairs[1:], strict=False))


def test_default_mode_merges_split_sentence_too() -> None:
    pairs = [(lk.mt, lk.ref) for lk in align_texts(MT, REF).links]
    assert ((1,), (1, 2)) in pairs


def test_local_runs_can_be_switched_off() -> None:
    on = align_texts(MT, REF)
    off = align_texts(MT, REF, AlignParams(run_gap=-1))
    assert off.params["run_gap"] == -1 and on.params["run_gap"] == 2
    assert {i for lk in off.links for i in lk.mt} <= set(range(len(MT)))


# The reference tells MT sentence 1 in three sentences.
MT_THREE = [
    "The harbour authority opened a new ferry terminal in Marlow on Monday morning.",
    "The terminal cost 12 million euros, can handle three ferries at once and has a rooftop garden "
    "with a cafe, officials said.",
    "Passengers complained about long queues at the ticket machines.",
    "The old terminal will be turned into a maritime museum next year.",
]
REF_THREE = [
    "Marlow's harbour authority inaugurated a new ferry terminal on Monday morning.",
    "Officials said the terminal cost 12 million euros.",
    "It can handle three ferries at once.",
    "A rooftop garden with a cafe sits on top.",
    "Long queues formed at the ticket machines, passengers complained.",
    "Next year the old terminal becomes a maritime museum.",
]


def test_bead_shapes_obey_max_group_and_merge() -> None:
    assert bead_shapes(SHAPES, AlignParams()) == SHAPES  # the default (4) allows every shape
    assert bead_shapes(LOCAL_SHAPES, AlignParams()) == LOCAL_SHAPES
    assert bead_shapes(SHAPES, AlignParams(max_group=2)) == ((1, 1), (1, 2), (2, 1), (2, 2))
    assert bead_shapes(LOCAL_SHAPES, AlignParams(max_group=1)) == ((1, 1),)
    assert bead_shapes(SHAPES, AlignParams(merge=False)) == ((1, 1),)


@pytest.mark.parametrize("order", ["auto", "free", "monotone"])
def test_max_group_below_three_is_respected(order: str) -> None:
    wide = [(lk.mt, lk.ref) for lk in align_texts(MT_THREE, REF_THREE, AlignParams(order=order)).links]
    assert ((1,), (1, 2, 3)) in wide  # the three-way split is found when allowed
    for limit in (1, 2):
        result = align_texts(MT_THREE, REF_THREE, AlignParams(order=order, max_group=limit))
        assert result.links, "still aligned"
        assert all(len(lk.mt) <= limit and len(lk.ref) <= limit for lk in result.links)
        assert any(lk.mt == (1,) and lk.ref[0] == 1 for lk in result.links)  # the split still links


def test_refine_runs_obeys_max_group() -> None:
    scorer = PairScorer(MT_THREE, REF_THREE, AlignParams())
    run = [((0,), (0,), 0.5), ((1,), (1,), 0.3), ((2,), (4,), 0.5)]  # links following each other
    for limit, widest in ((4, 3), (2, 2)):
        p = AlignParams(max_group=limit)
        beads = refine_runs(run, scorer, len(MT_THREE), len(REF_THREE), p, p.neighbour_sim)
        assert max(max(len(a), len(b)) for a, b, _ in beads) == widest
