"""Tunable knobs of the aligner, kept in one frozen record so every Alignment says how it was made."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class AlignParams:
    """Weights and thresholds; floors calibrated on MSR paraphrase pairs and MAC-Dev, never on articles.

    The default is order-free. For texts known to run in the same order (a translation and its
    source), `monotone=True` solves a banded monotone programme around the confident links, and
    `order_prior > 0` is a softer alternative that only rewards order-consistent links. The
    "monotone programmes" knobs also drive the default mode's local runs (`run_gap`).
    """

    chrf_order: int = 6  # character n-gram order, as sacrebleu's chrF
    chrf_beta: float = 1.0  # 1 = symmetric; sacrebleu's default 2 weighs recall
    w_chrf: float = 0.7  # weight of chrF in the combined similarity
    w_words: float = 0.3  # weight of the weighted content-word overlap
    knn: int = 4  # neighbours averaged for the margin (hub) normalisation
    background: float = 0.12  # median similarity of unrelated (MSR) pairs; pads short documents
    min_sim: float = 0.22  # absolute floor on the combined similarity of a link
    min_margin: float = 1.05  # floor on the ratio margin of a link
    merge: bool = True  # grow links into n-m beads of adjacent sentences
    merge_gain: float = 0.01  # each sentence added to a bead must raise its similarity this much
    absorb_sim: float = 0.1  # ... or the sentence alone is this similar to the other side (1 = off)
    absorb_tol: float = 0.05  # ... and the bead's similarity drops by at most this much
    absorb_skew: float = 0.4  # ... and the length ratio of the two sides gets this much closer (log)
    max_group: int = 4  # most sentences on one side of a bead
    neighbour_sim: float = 0.22  # floor for a pair continuing a run of links (1 = off)
    context: float = 0.2  # weight of the best neighbouring pair's similarity (local runs)
    order_prior: float = 0.0  # bonus weight for order-consistent links (0 = order-free)
    order_width: float = 3.0  # sentences from the expected position where the bonus has faded to 60%
    run_gap: int = 2  # local runs: links this close on both sides are re-decided together (-1 = off)
    inner_sim: float = 0.12  # local runs: floor for a bead between two links that clear the usual one
    run_extend: int = 0  # local runs also take in this many free sentences at each end (hurt on MAC-Dev)
    monotone: bool = False  # same-order texts only: resolve beads with a banded monotone programme
    null_sim: float = 0.0  # monotone programmes: similarity a bead must beat to pay off
    skip_penalty: float = 0.1  # monotone programmes: cost of a sentence without counterpart
    length_weight: float = 0.05  # monotone programmes: cost per unit of |log length ratio|
    band: int = 12  # monotone mode: sentences either side of the anchor chain searched

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
