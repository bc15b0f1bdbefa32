"""Garble detectors: a small base class, one subclass per family, and a registry.

Modelled on sacrebleu's metrics: each family is a class with a name, a description, a default
severity and a switch; adding a family is adding a module that registers its class.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

import regex

from dedup.model import Alignment, Document, Evidence, Flag


@dataclass(frozen=True)
class Context:
    """What a detector may look at: the MT document, and when given, the reference and alignment."""

    mt: Document
    ref: Document | None = None
    alignment: Alignment | None = None
    # In a multi-reference check: the other references with their alignments. Reference-based families
    # read `ref` only; a text family that uses a reference as a tie-breaker reads them all, so that
    # every per-reference run takes the same decision.
    # Each is (its index among the check's references, the reference, its alignment); `ref_index` is
    # the index of `ref` itself.
    others: tuple[tuple[int, Document, Alignment | None], ...] = ()
    ref_index: int = 0
    # The article before translation, when known (any language): a family may take it as the
    # last word where the MT and a reference disagree (a figure the source gives is right).
    src: Document | None = None

    def references(self) -> list[tuple[int, Document, Alignment | None]]:
        """Every reference with its index and alignment, `ref` first."""
        own = [(self.ref_index, self.ref, self.alignment)] if self.ref is not None else []
        return own + sorted(self.others, key=lambda o: o[0])

    def evidence_index(self, index: int) -> int | None:
        """`Evidence.ref_index` for a piece in reference `index`: None when there is only one."""
        return index if self.others else None


class Detector:
    """One garble family. Subclasses set the class attributes and implement `detect`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    severity: ClassVar[str] = "minor"  # default severity: "minor" | "major"
    enabled_by_default: ClassVar[bool] = True
    needs_reference: ClassVar[bool] = False
    # The family's flags say "the MT disagrees with the reference" (a number, an entity, a spelling):
    # with several references such a flag stands only when no reference `agrees` with the MT there.
    reference_agreement: ClassVar[bool] = False

    def detect(self, ctx: Context) -> Iterator[Flag]:
        raise NotImplementedError

    def agrees(self, flag: Flag, ref: Document) -> bool:
        """Whether `ref` says what the MT says at `flag` (by default: the flagged words occur in it)."""
        return mentions(flag.text, ref.text)

    def flag(
        self,
        ctx: Context,
        start: int,
        end: int,
        message: str,
        confidence: float = 0.9,
        evidence: tuple[Evidence, ...] | list[Evidence] = (),
        severity: str | None = None,
    ) -> Flag:
        """A Flag over mt.text[start:end]; the text is always cut from the original."""
        text = ctx.mt.text
        if not (0 <= start < end <= len(text)):
            raise ValueError(f"{self.name}: flag span {start}:{end} outside the text (length {len(text)})")
        return Flag(
            start=start,
            end=end,
            text=text[start:end],
            kind=self.name,
            severity=severity or self.severity,
            confidence=confidence,
            message=message,
            evidence=tuple(evidence),
        )


REGISTRY: dict[str, type[Detector]] = {}


def register(cls: type[Detector]) -> type[Detector]:
    """Class decorator: make a detector family available by its name."""
    if not cls.name:
        raise ValueError(f"{cls.__qualname__} has no name")
    if cls.name in REGISTRY and REGISTRY[cls.name] is not cls:
        raise ValueError(f"detector name {cls.name!r} registered twice")
    REGISTRY[cls.name] = cls
    return cls


def load_all() -> dict[str, type[Detector]]:
    """Import every detector module in this package so their classes register themselves."""
    import importlib
    import pkgutil

    import dedup.garbles as pkg

    global _loaded
    if _loaded is None:  # listing the package's files once: it was 4% of a gate's check per article
        _loaded = tuple(sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)))
        for mod in _loaded:
            if mod != "base":
                importlib.import_module(f"dedup.garbles.{mod}")
    return dict(sorted(REGISTRY.items()))


_loaded: tuple[str, ...] | None = None


def active_detectors(
    disable: list[str] | tuple[str, ...] = (), enable: list[str] | tuple[str, ...] = ()
) -> list[Detector]:
    """Instances of the enabled families, sorted by name; unknown names are an error."""
    known = load_all()
    unknown = sorted((set(disable) | set(enable)) - set(known))
    if unknown:
        raise KeyError(f"unknown detector(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [
        cls()
        for name, cls in known.items()
        if (cls.enabled_by_default or name in enable) and name not in disable
    ]


def _order(f: Flag) -> tuple[int, int, str, str]:
    return (f.start, f.end, f.kind, f.message)


def run_detectors(ctx: Context, detectors: list[Detector]) -> list[Flag]:
    """All flags of all detectors, sorted by offset then kind, exact duplicates removed.

    A flag that lies wholly inside a boilerplate span (an ad line, a newsletter offer, a repeated
    paragraph) is dropped unless it is boilerplate_in_body's own: that text is not the article's,
    and the penalty is counted per 100 words of body, so a slip in a promo line outweighed the body."""
    flags: set[Flag] = set()
    for det in detectors:
        if det.needs_reference and ctx.ref is None:
            continue
        flags.update(det.detect(ctx))
    spans = sorted((b.start, b.end) for b in ctx.mt.boilerplate)
    if spans:
        flags = {f for f in flags if f.kind == BOILERPLATE_KIND or not _inside(f.start, f.end, spans)}
    return sorted(flags, key=_order)


BOILERPLATE_KIND = "boilerplate_in_body"


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether [start, end) lies within one of the sorted, disjoint `spans`."""
    k = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return k >= 0 and spans[k][0] <= start and end <= spans[k][1]


def mentions(phrase: str, text: str) -> bool:
    """Whether `phrase` occurs in `text` as whole words, ignoring case and runs of white space."""
    words = regex.findall(r"[\p{L}\p{N}]+", phrase)
    if not words:
        return False
    pattern = r"(?<![\p{L}\p{N}])" + r"[^\p{L}\p{N}]+".join(map(regex.escape, words)) + r"(?![\p{L}\p{N}])"
    return regex.search(pattern, text, flags=regex.IGNORECASE) is not None


def _tag_reference(flag: Flag, index: int) -> Flag:
    """The flag with its reference evidence marked as coming from reference `index`."""
    if not any(e.doc == "ref" for e in flag.evidence):
        return flag
    ev = tuple(
        replace(e, ref_index=index) if e.doc == "ref" and e.ref_index is None else e for e in flag.evidence
    )
    return replace(flag, evidence=ev)


def run_detectors_refs(
    mt: Document,
    refs: Sequence[Document],
    alignments: Sequence[Alignment | None],
    detectors: list[Detector],
    src: Document | None = None,
) -> list[Flag]:
    """Flags against several references of one story (e.g. the English reports of a story cluster).

    Every family runs once per reference (with that reference's alignment). A span flagged against
    any reference is kept in the version of the first reference that raised it, its reference
    evidence tagged with that reference's index, except that a family whose flags state a
    disagreement with the reference (`reference_agreement`) keeps a flag only when no reference
    agrees with the MT there: the 20.3 million one reference writes as 203 million stands when
    another reference says 20.3 million. One reference (or none) is exactly `run_detectors`.
    `src`, the source article when known, is in every context.
    """
    if len(refs) <= 1:
        ctx = Context(mt, refs[0] if refs else None, alignments[0] if alignments else None, src=src)
        return run_detectors(ctx, detectors)
    flags: list[Flag] = []
    for det in detectors:
        if det.needs_reference and not refs:
            continue
        found: dict[tuple[int, int], list[Flag]] = {}
        pairs = list(zip(refs, alignments, strict=True))
        for k, (ref, alignment) in enumerate(pairs):
            raised: dict[tuple[int, int], list[Flag]] = {}
            others = tuple((n, r, a) for n, (r, a) in enumerate(pairs) if n != k)
            for f in det.detect(Context(mt, ref, alignment, others, k, src)):
                raised.setdefault((f.start, f.end), []).append(_tag_reference(f, k))
            for span, fs in raised.items():
                found.setdefault(span, fs)  # the first reference to raise a span speaks for it
        for fs in found.values():
            flags.extend(
                f for f in fs if not (det.reference_agreement and any(det.agrees(f, ref) for ref in refs))
            )
    return sorted(set(flags), key=_order)
