"""Automatic order detection and the piecewise fill between anchors."""

from __future__ import annotations

from dedup.align import AlignParams, align_texts
from dedup.align.core import _detected_monotone
from dedup.align.order import chain_share, detect_order

# Eight facts; the reference rewords each one slightly (same order in REF_IN_ORDER).
MT = [
    "The museum of Karsby reopened its east wing on Saturday after two years of work.",
    "Visitors queued for hours to see the restored ceiling paintings in the great hall.",
    "The renovation cost 18 million crowns, paid mostly by the regional government.",
    "Director Ilse Vang said the museum expects ninety thousand visitors this year.",
    "A new cafe on the ground floor serves food from local farms.",
    "School classes will get free entry on weekday mornings until June.",
    "The west wing closes in autumn for the same kind of restoration.",
    "Critics praised the new lighting that shows the colours of the old tapestries.",
]
REF_IN_ORDER = [
    "Karsby's museum reopened the east wing on Saturday after two years of works.",
    "Visitors queued for hours on end to see the restored ceiling paintings of the great hall.",
    "The renovation cost 18 million crowns, mostly paid by the regional government.",
    "The museum expects ninety thousand visitors this year, director Ilse Vang said.",
    "The new ground-floor cafe serves food from local farms.",
    "School classes get free entry on weekday mornings until June.",
    "In autumn the west wing closes for the same kind of restoration.",
    "Critics praised the new lighting, which shows the colours of the old tapestries.",
]
SHUFFLED = [REF_IN_ORDER[n] for n in (5, 2, 7, 0, 3, 6, 1, 4)]


def test_detect_order_on_points() -> None:
    in_order = [(float(n), float(n)) for n in range(10)]
    reversed_ = [(float(n), float(9 - n)) for n in range(10)]
    assert detect_order(in_order, 0.7, 5) == "monotone"
    assert detect_order(reversed_, 0.7, 5) == "free"
    assert detect_order(in_order[:3], 0.7, 5) == "free"  # too few links to trust an order
    assert chain_share(in_order) == 1.0 and chain_share([]) == 0.0


def test_auto_picks_monotone_on_in_order_text() -> None:
    result = align_texts(MT, REF_IN_ORDER)
    assert result.params["order"] == "auto"
    assert result.params["order_used"] == "monotone"
    assert sorted((lk.mt, lk.ref) for lk in result.links) == [((n,), (n,)) for n in range(8)]


def test_auto_stays_order_free_on_shuffled_text() -> None:
    result = align_texts(MT, SHUFFLED)
    assert result.params["order_used"] == "free"
    expected = {(SHUFFLED.index(REF_IN_ORDER[n]),) for n in range(8)}
    assert {lk.ref for lk in result.links} == expected  # crossing links all found


def test_order_free_and_forced_modes() -> None:
    assert align_texts(MT, REF_IN_ORDER, AlignParams(order="free")).params["order_used"] == "free"
    assert align_texts(MT, SHUFFLED, AlignParams(order="monotone")).params["order_used"] == "monotone"


def test_piecewise_fill_between_anchors() -> None:
    p = AlignParams(mono_floor=0.12, fill_gap=3)
    anchors = [((0,), (0,), 0.6), ((2,), (2,), 0.6), ((10,), (20,), 0.6)]
    mono = [
        ((0,), (0,), 0.6),
        ((1,), (1,), 0.15),  # between two anchors one sentence apart: filled
        ((2,), (2,), 0.6),
        ((5,), (9,), 0.3),  # in a long unanchored stretch: not invented
        ((10,), (20,), 0.6),
        ((11,), (21,), 0.3),  # after the last anchor: not invented
    ]
    kept = {(b[0], b[1]) for b in _detected_monotone(anchors, mono, p)}
    assert kept == {((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((10,), (20,))}


def test_weak_bead_filling_the_space_between_two_kept_beads() -> None:
    p = AlignParams(mono_floor=0.12, fill_gap=3)
    anchors = [((0,), (0,), 0.6), ((2,), (2,), 0.6)]
    mono = [((0,), (0,), 0.6), ((1,), (1,), 0.05), ((2,), (2,), 0.6)]
    kept = {(b[0], b[1]) for b in _detected_monotone(anchors, mono, p)}
    assert ((1,), (1,)) in kept
    lone = [((0,), (0,), 0.6), ((1,), (1,), 0.05)]
    assert ((1,), (1,)) not in {(b[0], b[1]) for b in _detected_monotone(anchors, lone, p)}


def test_crossing_confident_link_kept_in_detected_order() -> None:
    p = AlignParams()
    free = [((0,), (0,), 0.6), ((1,), (1,), 0.6), ((2,), (5,), 0.5), ((3,), (3,), 0.6)]
    mono = [((0,), (0,), 0.6), ((1,), (1,), 0.6), ((3,), (3,), 0.6)]
    kept = {(b[0], b[1]) for b in _detected_monotone(free, mono, p)}
    assert ((2,), (5,)) in kept


def test_unknown_order_is_an_error() -> None:
    import pytest

    with pytest.raises(ValueError, match="order"):
        align_texts(MT, REF_IN_ORDER, AlignParams(order="sideways"))
