"""The aligner on hand-written news pairs (MT-style report vs another outlet's report), with gold links."""

from __future__ import annotations

import numpy as np

from dedup.align import AlignParams, align_texts
from dedup.align.core import drop_lone
from tests.align.news_pairs import PAIRS, NewsPair

BY_NAME = {pr.name: pr for pr in PAIRS}


def _pairs(pr: NewsPair, params: AlignParams | None = None) -> set[tuple[int, int]]:
    return {(i, j) for lk in align_texts(pr.mt, pr.ref, params).links for i in lk.mt for j in lk.ref}


def _scores(pairs: list[NewsPair], params: AlignParams | None = None) -> tuple[float, float]:
    tp = fp = fn = 0
    for pr in pairs:
        got, gold = _pairs(pr, params), pr.gold_pairs()
        tp, fp, fn = tp + len(got & gold), fp + len(got - gold), fn + len(gold - got)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def test_gold_indices_are_in_range() -> None:
    for pr in PAIRS:
        assert all(0 <= i < len(pr.mt) and 0 <= j < len(pr.ref) for i, j in pr.gold_pairs()), pr.name


def test_link_precision_and_recall_on_the_news_pairs() -> None:
    precision, recall = _scores(PAIRS)
    assert precision >= 0.8
    assert recall >= 0.87  # 0.85 before MT sentences told apart could join a bead


def test_short_reports_told_in_another_order_are_linked_precisely() -> None:
    precision, recall = _scores(PAIRS[:12])  # few sentences each: the order-free path
    assert precision >= 0.93
    assert recall >= 0.92


def test_two_mt_sentences_apart_join_the_reference_sentence_that_tells_both() -> None:
    pr = BY_NAME["transfer"]  # "65 million ... bonuses" and "24 years ... 27 goals" are told apart
    links = {lk.mt: lk.ref for lk in align_texts(pr.mt, pr.ref).links}
    assert links[(0, 2)] == (0,)
    assert links[(1, 3)] == (1,)
    off = {lk.mt: lk.ref for lk in align_texts(pr.mt, pr.ref, AlignParams(join_mt=False)).links}
    assert (0, 2) not in off and (1, 3) not in off


def test_a_casualty_sentence_is_not_linked_to_unrelated_background() -> None:
    # MT 2 ("9 dead, 140 wounded") belongs to the reference lead, which MT 0 already holds;
    # its neighbour's link once carried it to a background sentence about fault lines.
    pr = BY_NAME["earthquake"]
    got = _pairs(pr)
    assert not any(j in (3, 4) for _i, j in got)  # background: no counterpart in the MT
    assert (2, 3) in _pairs(pr, AlignParams(lone_weak=0.0))  # the old behaviour, for contrast


def _sim(m: int, k: int, cells: dict[tuple[int, int], float]) -> np.ndarray:
    sim = np.full((m, k), 0.1)
    for (i, j), v in cells.items():
        sim[i, j] = v
    return sim


def test_a_weak_continued_bead_must_not_say_much_more_elsewhere() -> None:
    sim = _sim(3, 4, {(0, 0): 0.5, (1, 1): 0.15, (1, 3): 0.3})
    beads = [((0,), (0,), 0.5), ((1,), (1,), 0.15)]  # (1, 1) continues (0, 0) diagonally
    assert drop_lone(beads, sim, 1.1) == beads  # continued beads were always kept
    assert drop_lone(beads, sim, 1.1, weak=0.22, weak_ratio=0.6) == [beads[0]]  # 0.15 < 0.6 * 0.3
    sim[1, 3] = 0.2
    assert drop_lone(beads, sim, 1.1, weak=0.22, weak_ratio=0.6) == beads  # 0.15 >= 0.6 * 0.2
    sim[1, 1], sim[1, 3] = 0.25, 0.5
    assert drop_lone(beads, sim, 1.1, weak=0.22, weak_ratio=0.6) == beads  # not weak: exempt
