"""`check`: garbled spans of a machine translation, its scores against a reference, and a verdict.

One pure function over analysed Documents: align with the reference when one is given, run every
active detector family from the registry, score, decide. The CLI and other front ends only print
`CheckResult.to_json()` or a table of it.

Several references (`check(mt, refs=[a, b])`, or `ref` plus `refs`): a news team often has more than
one English report of a story (the scan's story cluster). Each reference is aligned with the MT on
its own; nothing is merged, since comparable reports cover different parts of the story. Detector
families run against each reference with its alignment; the families whose flags say "the MT
disagrees with the reference" (entity_swap, number_mismatch, name_variants, rare_collocation) keep a
flag only when no reference agrees with the MT there (`dedup.garbles.base.run_detectors_refs`).
Scores: an MT sentence counts as aligned when any reference links it, and chrF/BLEU/TER use
sacrebleu's multi-reference scoring with one reference stream per report (`dedup.score`). The JSON
keeps `ref` and `alignment` for the first reference and adds `refs` (each with its alignment) when
there are several; evidence in a reference then carries `ref_index`, its position in `refs`.

The source (`src`, the article before translation, in any language) is optional evidence: a family
may take it as the last word where the MT and a reference disagree (number_mismatch: a figure the
source gives is not flagged, whatever the reference says). It is not aligned or scored; the JSON
names it under `src` when given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dedup.garbles.base import active_detectors, run_detectors_refs
from dedup.model import Alignment, Article, Document, Flag
from dedup.score import MetricParams, Scores, VerdictPolicy, score_refs, verdict

SCHEMA = "dedup.check/1"


@dataclass(frozen=True)
class CheckParams:
    """Everything that changes a check's result; written into every JSON output."""

    policy: VerdictPolicy = field(default_factory=VerdictPolicy)
    metrics: MetricParams = field(default_factory=MetricParams)
    align: Any = None  # dedup.align.AlignParams, or None for the aligner's defaults

    def to_json(self) -> dict[str, Any]:
        align = self.align.to_json() if self.align is not None else None
        return {"verdict_policy": self.policy.to_json(), "metrics": self.metrics.to_json(), "align": align}


@dataclass
class CheckResult:
    mt: Document
    ref: Document | None
    alignment: Alignment | None
    alignment_json: dict[str, Any] | None
    flags: list[Flag]
    scores: Scores
    verdict: str
    reasons: list[str]
    detectors: list[str]
    params: CheckParams
    # Every reference (the first is `ref`) with its alignment; more than one only in multi-reference use.
    refs: list[Document] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    alignments_json: list[dict[str, Any]] = field(default_factory=list)
    src: Document | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "mt": _doc_json(self.mt),
            "ref": _doc_json(self.ref) if self.ref is not None else None,
            "alignment": self.alignment_json,
        }
        if self.src is not None:
            out["src"] = {"id": self.src.id, "lang": self.src.lang}
        if len(self.refs) > 1:
            out["refs"] = [
                {**_doc_json(r), "alignment": a} for r, a in zip(self.refs, self.alignments_json, strict=True)
            ]
        out.update(
            {
                "flags": [f.to_json() for f in self.flags],
                "scores": self.scores.to_json(),
                "verdict": self.verdict,
                "reasons": list(self.reasons),
                "params": {**self.params.to_json(), "detectors": list(self.detectors)},
            }
        )
        return out


def _doc_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "lang": doc.lang,
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
        "boilerplate": [b.to_json() for b in doc.boilerplate],
    }


def check(
    mt: Document,
    ref: Document | None = None,
    params: CheckParams | None = None,
    disable: list[str] | tuple[str, ...] = (),
    enable: list[str] | tuple[str, ...] = (),
    refs: Sequence[Document] = (),
    src: Document | None = None,
) -> CheckResult:
    """Flag garbled spans of `mt`, score it against the reference(s) when given, and give a verdict.

    The references are `ref` (if given) followed by `refs`; see the module docstring for several,
    and for the source `src`.
    Unknown detector names in `disable`/`enable` raise KeyError (listing the known ones).
    """
    params = params or CheckParams()
    detectors = active_detectors(disable, enable)
    references = ([ref] if ref is not None else []) + list(refs)
    alignments: list[Alignment] = []
    als_json: list[dict[str, Any]] = []
    if references:
        from dedup.align import align, alignment_json

        for r in references:
            al = align(mt, r, params.align) if params.align is not None else align(mt, r)
            alignments.append(al)
            als_json.append(alignment_json(mt, r, al))
    flags = run_detectors_refs(mt, references, alignments, detectors, src=src)
    ran = [d.name for d in detectors if references or not d.needs_reference]
    scores = score_refs(mt, flags, params.policy, references, alignments, params.metrics)
    decision, reasons = verdict(scores, flags, params.policy)
    first = references[0] if references else None
    return CheckResult(
        mt,
        first,
        alignments[0] if alignments else None,
        als_json[0] if als_json else None,
        flags,
        scores,
        decision,
        reasons,
        ran,
        params,
        references,
        alignments,
        als_json,
        src,
    )


def check_articles(
    mt: Article,
    ref: Article | None = None,
    params: CheckParams | None = None,
    disable: list[str] | tuple[str, ...] = (),
    languages: bool = True,
    refs: Sequence[Article] = (),
    src: Article | None = None,
) -> CheckResult:
    """Analyse the articles with the text pipeline, then `check` them."""
    from dedup.text import analyze

    mt_doc = analyze(mt, languages=languages)
    ref_doc = analyze(ref, languages=languages) if ref is not None else None
    more = [analyze(r, languages=languages) for r in refs]
    src_doc = analyze(src, languages=languages) if src is not None else None
    return check(mt_doc, ref_doc, params, disable, refs=more, src=src_doc)
