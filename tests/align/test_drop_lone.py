"""The no-counterpart decision for lone beads (order-free mode): stand out or be continued."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.align import AlignParams, align_texts
from dedup.align.core import drop_lone

# MT 2 has no counterpart: the reference sentence it resembles most (ref 0) belongs to MT 0, and
# its best free match (ref 3, same bridge, another fact) does not stand out against ref 0.
MT = [
    "The council of Riverton voted on Tuesday to close the Harbor Street bridge for repairs.",
    "Local bakers complained that flour prices doubled this winter in Riverton.",
    "The mayor said on Tuesday that the Harbor Street bridge would stay closed for eight months.",
    "A new library with three reading rooms opens in the old post office in June.",
]
REF = [
    "Riverton's council decided on Tuesday to shut the Harbor Street bridge so it can be repaired.",
    "Snow is forecast for the weekend across the northern valleys.",
    "The old post office will house a new library with three reading rooms from June.",
    "Traffic from the Harbor Street bridge will be diverted through Mill Road, the police said.",
]


def _links(params: AlignParams) -> dict[tuple[int, ...], tuple[int, ...]]:
    result = align_texts(MT, REF, params)
    assert result.params["order_used"] == "free"
    return {lk.mt: lk.ref for lk in result.links}


def test_a_sentence_without_counterpart_is_left_unaligned() -> None:
    off = _links(AlignParams(lone_ratio=0.0))
    assert off[(2,)] == (3,)  # without the test, the best free match is taken
    on = _links(AlignParams())
    assert (2,) not in on
    assert on == {(0,): (0,), (3,): (2,)}  # the links that stand out are kept
    assert 2 in align_texts(MT, REF).unaligned_mt


def _sim(m: int, k: int, cells: dict[tuple[int, int], float]) -> np.ndarray:
    sim = np.full((m, k), 0.1)
    for (i, j), v in cells.items():
        sim[i, j] = v
    return sim


def test_a_lone_bead_must_beat_its_next_best_pair_by_the_ratio() -> None:
    sim = _sim(3, 6, {(0, 0): 0.40, (0, 4): 0.38, (2, 5): 0.40})
    beads = [((0,), (0,), 0.40), ((2,), (5,), 0.40)]  # not diagonal neighbours
    kept = drop_lone(beads, sim, 1.1)
    assert kept == [((2,), (5,), 0.40)]  # 0.40 / 0.38 < 1.1; 0.40 / 0.1 stands out
    assert drop_lone(beads, sim, 1.05) == beads  # 0.40 / 0.38 = 1.053


def test_a_continued_bead_is_kept_without_standing_out() -> None:
    # (1, 1) does not stand out, but (0, 0) or (2, 3) continues it diagonally (one skip allowed)
    sim = _sim(4, 6, {(0, 0): 0.5, (1, 1): 0.3, (1, 5): 0.3, (2, 3): 0.5, (3, 4): 0.5})
    for other in (((0,), (0,), 0.5), ((2,), (3,), 0.5)):
        assert ((1,), (1,), 0.3) in drop_lone([((1,), (1,), 0.3), other], sim, 1.1)
    # a bead further away (two skips) is no continuation
    assert drop_lone([((1,), (1,), 0.3), ((3,), (4,), 0.5)], sim, 1.1) == [((3,), (4,), 0.5)]


def test_merged_beads_compare_their_best_pair_with_the_rest_of_the_row() -> None:
    sim = _sim(2, 5, {(0, 1): 0.45, (0, 2): 0.2, (1, 4): 0.5})
    bead = ((0,), (1, 2), 0.42)  # the bead's own sentences never count as the alternative
    assert drop_lone([bead], sim, 1.1) == [bead]
    sim[0, 4] = 0.44
    assert drop_lone([bead], sim, 1.1) == []


def test_edge_cases() -> None:
    assert drop_lone([], np.zeros((0, 0)), 1.1) == []
    one = [((0,), (0,), 0.3)]
    assert drop_lone(one, np.array([[0.3]]), 1.1) == one  # nothing else to compare with
    assert align_texts(["Only one sentence here."], []).links == []


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 7), st.integers(1, 7), st.integers(0, 2**31 - 1), st.floats(1.0, 1.5))
def test_drop_lone_only_removes_lone_beads(m: int, k: int, seed: int, ratio: float) -> None:
    rng = np.random.default_rng(seed)
    sim = rng.random((m, k))
    pairs = list(zip(rng.permutation(m).tolist(), rng.permutation(k).tolist(), strict=False))
    beads = [((i,), (j,), float(sim[i, j])) for i, j in pairs[: rng.integers(0, len(pairs) + 1)]]
    kept = drop_lone(beads, sim, ratio)
    assert [b for b in beads if b in kept] == kept  # a subset, in order
    for g_mt, g_ref, s in beads:
        i, j = g_mt[0], g_ref[0]
        continued = any(
            abs(i2 - i) in (1, 2) and abs(j2 - j) in (1, 2) and (i2 - i) * (j2 - j) > 0
            for (i2,), (j2,), _ in beads
        )
        others = np.delete(sim[i], [j])
        stands_out = not others.size or sim[i, j] >= ratio * others.max()
        assert ((g_mt, g_ref, s) in kept) == (continued or stands_out)
