"""Scores of one checked translation, and the verdict with its documented thresholds.

Reference-based metrics are sacrebleu's corpus chrF, BLEU and TER over the aligned sentence pairs
only (for each link: its MT sentences joined against its reference sentences joined). The reference
is another report of the same story, not a translation of the source, so these figures are low
even for a good translation; they describe overlap and are not used by the default verdict.

TER is sacrebleu's, whose shift search is pure Python and grows fast with segment length and with
the number of mismatches (one 40-word pair of the two seed reports takes about 0.4 s; sixteen
100-word pairs about 3 s): it is computed over the pairs whose sides both have at most
`MetricParams.ter_max_words` words (30 by default), and `ter_pairs` says how many pairs that is
(chrF and BLEU always use every pair). `ter_max_words=None` computes it over all pairs.

Several references (`score_refs`): each is aligned with the MT on its own, so their links group
sentences differently; the segments are then the MT sentences linked by at least one reference, and
each reference gives one stream (for each MT sentence, the reference sentences of the link holding
it, or None when that reference has none). sacrebleu scores such variable-reference streams natively
(chrF and TER take the best reference per segment, BLEU pools n-gram counts) and drops the None
entries; an empty string would count as an empty reference (TER would average its length 0 into
the segment's reference length and BLEU could take it as the closest length). The signatures say
`nrefs:N`, or `nrefs:var` when not every reference covers every segment. `aligned_share` is the share of MT sentences linked by any reference and
`aligned_pairs` the number of such sentences. For TER, a reference side over the word cap is left
out of that segment (and a segment with none left is skipped). One reference is exactly `score`.

The verdict rests on the flags, in the spirit of MQM: each flag weighs `major_weight` (5) or
`minor_weight` (1), multiplied by its confidence when `confidence_weighted` (the default: a
low-confidence hint weighs less than a certain error), summed and expressed per 100 words of the
MT article body. `reject` when that penalty reaches `reject_penalty` or when there are at least
`reject_majors` confident major flags; `review` when it reaches `review_penalty` or any confident
major flag is present; `accept` otherwise. An article with no body text to check is `review`.
With a reference, fewer than `min_aligned_share` (0.2) of the MT sentences aligned means the
reference does not cover the article, so its scores say little: `review`. An optional chrF floor
(off by default) does the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import regex
from sacrebleu.metrics import BLEU, CHRF, TER

from dedup.model import Alignment, Document, Flag

VERDICTS = ("accept", "review", "reject")
_WORD_RE = regex.compile(r"[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*")


@dataclass(frozen=True)
class VerdictPolicy:
    """Weights and thresholds of the verdict (see the module docstring)."""

    major_weight: float = 5.0
    minor_weight: float = 1.0
    confidence_weighted: bool = True
    review_penalty: float = 1.0  # weighted penalty per 100 words
    reject_penalty: float = 5.0
    confident: float = 0.7  # a flag at or above this confidence counts as confident
    review_majors: int = 1  # confident major flags that make it `review`
    reject_majors: int = 4  # confident major flags that make it `reject`
    min_chrf: float | None = None  # with a reference: chrF below this -> at least `review`
    # With a reference: below this share of MT sentences aligned, the reference does not cover the
    # article (another story, or a fragment), its scores mean little: at least `review`.
    min_aligned_share: float | None = 0.2

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class MetricParams:
    """Which reference metrics to compute and how (see the module docstring on TER)."""

    ter: bool = True
    ter_max_words: int | None = 30

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Scores:
    words: int
    flags: int
    majors: int
    minors: int
    garble_density: float  # flags per 100 words
    penalty: float  # weighted, per 100 words
    aligned_share: float | None = None
    aligned_pairs: int | None = None
    chrf: float | None = None
    bleu: float | None = None
    ter: float | None = None
    ter_pairs: int | None = None
    signatures: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("garble_density", "penalty", "aligned_share", "chrf", "bleu", "ter"):
            if out[key] is not None:
                out[key] = round(out[key], 4)
        return out


def count_words(doc: Document) -> int:
    """Words of the article body: its sentences (boilerplate is not in them)."""
    text = doc.text
    return sum(len(_WORD_RE.findall(text, s.start, s.end)) for s in doc.sentences)


def aligned_pairs(mt: Document, ref: Document, alignment: Alignment) -> tuple[list[str], list[str]]:
    """For each link, its MT sentences joined and its reference sentences joined."""
    mt_t, ref_t = mt.sentence_texts(), ref.sentence_texts()
    hyps, refs = [], []
    for link in alignment.links:
        hyps.append(" ".join(" ".join(mt_t[i].split()) for i in link.mt))
        refs.append(" ".join(" ".join(ref_t[j].split()) for j in link.ref))
    return hyps, refs


def reference_metrics(
    hyps: list[str], refs: list[str], metrics: MetricParams | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """Corpus chrF and BLEU over every pair, TER over the pairs short enough; sacrebleu signatures."""
    metrics = metrics or MetricParams()
    values: dict[str, Any] = {}
    sigs: dict[str, str] = {}
    for key, metric in (("chrf", CHRF()), ("bleu", BLEU(effective_order=True))):
        values[key] = float(metric.corpus_score(hyps, [refs]).score)
        sigs[key] = str(metric.get_signature())
    if metrics.ter:
        cap = metrics.ter_max_words
        keep = [
            (h, r)
            for h, r in zip(hyps, refs, strict=True)
            if cap is None or (len(h.split()) <= cap and len(r.split()) <= cap)
        ]
        values["ter_pairs"] = len(keep)
        if keep:
            ter = TER()
            values["ter"] = float(ter.corpus_score([h for h, _ in keep], [[r for _, r in keep]]).score)
            sigs["ter"] = str(ter.get_signature())
    return values, sigs


def penalty(flags: list[Flag], words: int, policy: VerdictPolicy) -> float:
    total = 0.0
    for f in flags:
        w = policy.major_weight if f.severity == "major" else policy.minor_weight
        total += w * (f.confidence if policy.confidence_weighted else 1.0)
    return 100.0 * total / max(words, 1)


def score(
    mt: Document,
    flags: list[Flag],
    policy: VerdictPolicy,
    ref: Document | None = None,
    alignment: Alignment | None = None,
    metrics: MetricParams | None = None,
) -> Scores:
    words = count_words(mt)
    majors = sum(1 for f in flags if f.severity == "major")
    base: dict[str, Any] = {
        "words": words,
        "flags": len(flags),
        "majors": majors,
        "minors": len(flags) - majors,
        "garble_density": 100.0 * len(flags) / max(words, 1),
        "penalty": penalty(flags, words, policy),
    }
    if ref is None or alignment is None:
        return Scores(**base)
    aligned = {i for link in alignment.links for i in link.mt}
    base["aligned_share"] = len(aligned) / len(mt.sentences) if mt.sentences else 0.0
    hyps, refs = aligned_pairs(mt, ref, alignment)
    base["aligned_pairs"] = len(hyps)
    if hyps:
        values, sigs = reference_metrics(hyps, refs, metrics)
        return Scores(**base, **values, signatures=sigs)
    return Scores(**base)


def multi_reference_streams(
    mt: Document, refs: Sequence[Document], alignments: Sequence[Alignment]
) -> tuple[list[str], list[list[str | None]]]:
    """MT sentences linked by any reference, and one stream per reference (None where it has no link)."""
    mt_t = mt.sentence_texts()
    linked: list[dict[int, str]] = []
    for ref, alignment in zip(refs, alignments, strict=True):
        ref_t = ref.sentence_texts()
        side: dict[int, str] = {}
        for link in alignment.links:
            joined = " ".join(" ".join(ref_t[j].split()) for j in link.ref)
            for i in link.mt:
                side[i] = joined
        linked.append(side)
    units = sorted(set().union(*linked))
    hyps = [" ".join(mt_t[i].split()) for i in units]
    return hyps, [[side.get(i) for i in units] for side in linked]


def _multi_metrics(
    hyps: list[str], streams: list[list[str | None]], metrics: MetricParams
) -> tuple[dict[str, Any], dict[str, str]]:
    values: dict[str, Any] = {}
    sigs: dict[str, str] = {}
    for key, metric in (("chrf", CHRF()), ("bleu", BLEU(effective_order=True))):
        values[key] = float(metric.corpus_score(hyps, streams).score)
        sigs[key] = str(metric.get_signature())
    if metrics.ter:
        cap = metrics.ter_max_words
        keep: list[tuple[str, list[str | None]]] = []
        for n, h in enumerate(hyps):
            sides = [
                s[n] if s[n] is None or cap is None or len(s[n].split()) <= cap else None for s in streams
            ]
            if (cap is None or len(h.split()) <= cap) and any(x is not None for x in sides):
                keep.append((h, sides))
        values["ter_pairs"] = len(keep)
        if keep:
            ter = TER()
            ter_streams = [[sides[k] for _, sides in keep] for k in range(len(streams))]
            values["ter"] = float(ter.corpus_score([h for h, _ in keep], ter_streams).score)
            sigs["ter"] = str(ter.get_signature())
    return values, sigs


def score_refs(
    mt: Document,
    flags: list[Flag],
    policy: VerdictPolicy,
    refs: Sequence[Document] = (),
    alignments: Sequence[Alignment] = (),
    metrics: MetricParams | None = None,
) -> Scores:
    """`score` against any number of references (see the module docstring)."""
    if len(refs) <= 1:
        return score(
            mt, flags, policy, refs[0] if refs else None, alignments[0] if alignments else None, metrics
        )
    base = asdict(score(mt, flags, policy))
    base.pop("signatures")
    hyps, streams = multi_reference_streams(mt, refs, alignments)
    base["aligned_share"] = len(hyps) / len(mt.sentences) if mt.sentences else 0.0
    base["aligned_pairs"] = len(hyps)
    if hyps:
        values, sigs = _multi_metrics(hyps, streams, metrics or MetricParams())
        return Scores(**{**base, **values}, signatures=sigs)
    return Scores(**base)


def verdict(scores: Scores, flags: list[Flag], policy: VerdictPolicy) -> tuple[str, list[str]]:
    """The verdict and the reasons for it, in words."""
    confident_majors = sum(1 for f in flags if f.severity == "major" and f.confidence >= policy.confident)
    reasons: list[str] = []
    if scores.penalty >= policy.reject_penalty:
        reasons.append(f"penalty {scores.penalty:.2f} >= reject threshold {policy.reject_penalty}")
    if confident_majors >= policy.reject_majors:
        reasons.append(f"{confident_majors} confident major flags >= {policy.reject_majors}")
    if reasons:
        return "reject", reasons
    if scores.words == 0:
        reasons.append("no body text to check")
    if scores.penalty >= policy.review_penalty:
        reasons.append(f"penalty {scores.penalty:.2f} >= review threshold {policy.review_penalty}")
    if confident_majors >= policy.review_majors:
        reasons.append(f"{confident_majors} confident major flag(s) >= {policy.review_majors}")
    if policy.min_chrf is not None and scores.chrf is not None and scores.chrf < policy.min_chrf:
        reasons.append(f"chrF {scores.chrf:.1f} < {policy.min_chrf}")
    if (
        policy.min_aligned_share is not None
        and scores.aligned_share is not None
        and scores.aligned_share < policy.min_aligned_share
    ):
        reasons.append(f"aligned share {scores.aligned_share:.2f} < {policy.min_aligned_share}")
    return ("review", reasons) if reasons else ("accept", ["no threshold reached"])
