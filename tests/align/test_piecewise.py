"""The piecewise-monotone path and the fill it drives in the order-free mode."""

from __future__ import annotations

import numpy as np

from dedup.align.piecewise import fill_from_path, piecewise_path


def _runs_matrix() -> np.ndarray:
    # MT 0-2 continue ref 5-7 (one run), MT 3-4 continue ref 0-1 (another run), MT 5 matches nothing.
    sim = np.full((6, 8), 0.05)
    for i, j in ((0, 5), (1, 6), (2, 7), (3, 0), (4, 1)):
        sim[i, j] = 0.3
    return sim


def test_path_follows_runs_and_jumps_between_them() -> None:
    path = piecewise_path(_runs_matrix(), floor=0.12, jump=0.1, skip=0.05)
    assert [(i, j) for i, j, _ in path] == [(0, 5), (1, 6), (2, 7), (3, 0), (4, 1)]
    runs = [r for _, _, r in path]
    assert runs == [0, 0, 0, 1, 1]


def test_path_skips_one_sentence_inside_a_run() -> None:
    sim = np.full((3, 5), 0.05)
    sim[0, 1], sim[1, 3], sim[2, 4] = 0.3, 0.3, 0.3  # ref 2 has no counterpart
    path = piecewise_path(sim, floor=0.12, jump=0.1, skip=0.05)
    assert [(i, j) for i, j, _ in path] == [(0, 1), (1, 3), (2, 4)]
    assert len({r for _, _, r in path}) == 1


def test_path_of_empty_and_unrelated_matrices() -> None:
    assert piecewise_path(np.zeros((0, 3)), 0.12, 0.1, 0.05) == []
    assert piecewise_path(np.full((4, 4), 0.02), 0.12, 0.1, 0.05) == []


def test_fill_adds_weak_pair_only_inside_a_run() -> None:
    sim = _runs_matrix()
    sim[1, 6] = 0.16  # weak alone, but MT 0 -> ref 5 and MT 2 -> ref 7 surround it
    sim[5, 3] = 0.16  # equally weak, no run around it
    beads = [((0,), (5,), 0.3), ((2,), (7,), 0.3), ((3,), (0,), 0.3), ((4,), (1,), 0.3)]
    out = fill_from_path(beads, sim, worth_floor=0.12, jump=0.1, skip=0.05, link_floor=0.15)
    pairs = {(b[0], b[1]) for b in out}
    assert ((1,), (6,)) in pairs
    assert ((5,), (3,)) not in pairs
    assert pairs >= {(b[0], b[1]) for b in beads}  # existing beads untouched


def test_a_lone_weak_pair_is_not_a_run() -> None:
    import numpy as np

    from dedup.align.piecewise import fill_from_path

    # Two rows on a diagonal path: one pair above the link floor, its continuation below it.
    sim = np.array([[0.17, 0.11, 0.10], [0.12, 0.12, 0.11]])
    assert fill_from_path([], sim, worth_floor=0.1, jump=0.1, skip=0.05, link_floor=0.15) == []
    sim[1, 1] = 0.16  # now both pairs of the run clear the floor
    assert [b[:2] for b in fill_from_path([], sim, 0.1, 0.1, 0.05, 0.15)] == [((0,), (0,)), ((1,), (1,))]
