"""`check`: garbled spans of a machine translation, its scores against a reference, and a verdict.

One pure function over analysed Documents: align with the reference when one is given, run every
active detector family from the registry, score, decide. The CLI and other front ends only print
`CheckResult.to_json()` or a table of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dedup.garbles.base import Context, active_detectors, run_detectors
from dedup.model import Alignment, Article, Document, Flag
from dedup.score import MetricParams, Scores, VerdictPolicy, score, verdict

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

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "mt": _doc_json(self.mt),
            "ref": _doc_json(self.ref) if self.ref is not None else None,
            "alignment": self.alignment_json,
            "flags": [f.to_json() for f in self.flags],
            "scores": self.scores.to_json(),
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "params": {**self.params.to_json(), "detectors": list(self.detectors)},
        }


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
) -> CheckResult:
    """Flag garbled spans of `mt`, score it against `ref` when given, and give a verdict.

    Unknown detector names in `disable`/`enable` raise KeyError (listing the known ones).
    """
    params = params or CheckParams()
    detectors = active_detectors(disable, enable)
    alignment: Alignment | None = None
    al_json: dict[str, Any] | None = None
    if ref is not None:
        from dedup.align import align, alignment_json

        alignment = align(mt, ref, params.align) if params.align is not None else align(mt, ref)
        al_json = alignment_json(mt, ref, alignment)
    ctx = Context(mt=mt, ref=ref, alignment=alignment)
    flags = run_detectors(ctx, detectors)
    ran = [d.name for d in detectors if ref is not None or not d.needs_reference]
    scores = score(mt, flags, params.policy, ref, alignment, params.metrics)
    decision, reasons = verdict(scores, flags, params.policy)
    return CheckResult(mt, ref, alignment, al_json, flags, scores, decision, reasons, ran, params)


def check_articles(
    mt: Article,
    ref: Article | None = None,
    params: CheckParams | None = None,
    disable: list[str] | tuple[str, ...] = (),
    languages: bool = True,
) -> CheckResult:
    """Analyse the articles with the text pipeline, then `check` them."""
    from dedup.text import analyze

    mt_doc = analyze(mt, languages=languages)
    ref_doc = analyze(ref, languages=languages) if ref is not None else None
    return check(mt_doc, ref_doc, params, disable)
