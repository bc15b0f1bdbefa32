"""Tunable knobs of the aligner, kept in one frozen record so every Alignment says how it was made."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class AlignParams:
    """Weights and thresholds; floors calibrated on MSR paraphrase pairs and MAC-Dev, never on articles.

    `order` says how much the sentence order is trusted. "auto" (default) measures it on the
    confident links: when most of them lie on one increasing chain the texts are in the same
    order (a translation and its source) and a banded monotone programme resolves the beads;
    otherwise the alignment is order-free, with monotone programmes only inside local runs of
    links that follow each other on both sides (piecewise order, as in shuffled chunks). "free"
    never uses the global order, "monotone" always does (`monotone=True` is the old spelling).
    `order_prior > 0` is a softer alternative that only rewards order-consistent links.
    """

    chrf_order: int = 6  # character n-gram order, as sacrebleu's chrF
    chrf_beta: float = 1.0  # 1 = symmetric; sacrebleu's default 2 weighs recall
    w_chrf: float = 0.7  # weight of chrF in the combined similarity
    w_words: float = 0.3  # weight of the weighted content-word overlap
    similarity: str = "mix"  # "mix" (the weights above) | "learned" (MSR-fitted mix, similarity.py)
    embeddings: bool = False  # blend in sentence-embedding cosines (needs the `embed` extra; see embed.py)
    w_embed: float = 1.0  # weight of the embedding cosine when `embeddings` is on
    embed_centre: bool = True  # embeddings: rescale cosines above the document pair's median (topic floor)
    embed_mono_floor: float = 0.2  # embeddings: `mono_floor` in that mode (a news tail stays unlinked)
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
    run_skip: float = 0.05  # local runs: cost of a sentence left out (it may have no counterpart)
    path_jump: float = 0.1  # free order: cost of a jump in the piecewise path that fills runs (0 = off)
    path_skip: float = 0.05  # free order: cost of skipping one sentence inside a run of the path
    path_sim: float = 0.15  # free order: floor for a pair the piecewise path adds (MSR unrelated p95)
    join_sim: float = 0.22  # free order: a free ref sentence this similar may join a bead apart (1 = off)
    join_gain: float = 0.05  # ... when the joined bead's similarity rises by this much
    lone_ratio: float = 1.1  # free order: a bead no neighbour continues must stand out this much (0 = off)
    lone_weak: float = 0.22  # free order: a continued bead below this similarity must stand out too (0 = off)
    weak_ratio: float = 0.6  # ... i.e. at least this share of its MT side's best pair elsewhere
    join_mt: bool = True  # free order: a free MT sentence may join a bead apart too (floor `join_sim`) ...
    join_mt_gain: float = 0.05  # ... when the joined bead's similarity rises by this much
    embed_lone_ratio: float = 0.0  # embeddings: `lone_ratio` in that mode (off: it dropped split halves)
    order: str = "auto"  # "auto" | "free" | "monotone": see the class docstring
    order_share: float = 0.7  # auto: share of confident links on one increasing chain that means "in order"
    order_min_links: int = 5  # auto: fewer confident links than this never count as "in order"
    mono_floor: float = 0.12  # auto-detected order: a programme bead below this is dropped (no counterpart)
    fill_gap: int = 12  # auto-detected order: programme beads kept between anchors at most this far apart
    monotone: bool = False  # legacy spelling of order="monotone"
    null_sim: float = 0.0  # monotone programmes: similarity a bead must beat to pay off
    skip_penalty: float = 0.1  # whole-document monotone programme: cost of a sentence without counterpart
    merge_cost: float = 0.0  # monotone programmes: cost per extra sentence in a bead (a prior on 1-1)
    length_weight: float = 0.05  # monotone programmes: cost per unit of |log length ratio|
    band: int = 12  # monotone mode: sentences either side of the anchor chain searched
    # Largest MT x reference sentence count aligned (memory grows by ~80 bytes per pair: 4 M pairs,
    # 2,000 x 2,000 sentences or ~40,000 words a side, take ~0.4 GB and ~7 s); beyond it, TooLarge.
    max_pairs: int = 4_000_000

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
