"""The optional order prior: chain of confident links and the bonus around the expected position."""

from __future__ import annotations

import numpy as np

from dedup.align.order import increasing_chain, order_bonus


def test_increasing_chain_drops_crossing_outlier() -> None:
    points = [(0, 0), (1, 1), (2, 9), (3, 3), (4, 4)]
    assert increasing_chain(points) == [(0, 0), (1, 1), (3, 3), (4, 4)]
    assert increasing_chain([]) == []


def test_order_bonus_peaks_on_the_expected_position() -> None:
    bonus = order_bonus([(0, 0), (10, 20)], m=11, k=21, weight=0.2, width=2.0)
    assert bonus.shape == (11, 21)
    assert [int(np.argmax(row)) for row in bonus] == [2 * i for i in range(11)]
    assert np.isclose(bonus.max(), 0.2)


def test_order_bonus_off_without_weight_or_chain() -> None:
    assert not order_bonus([(0, 0), (5, 5)], 6, 6, weight=0.0, width=2.0).any()
    assert not order_bonus([(0, 0)], 6, 6, weight=0.3, width=2.0).any()
