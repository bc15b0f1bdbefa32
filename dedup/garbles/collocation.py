"""Rare collocations that suggest a mistranslation: "digital ministers" for "several ministers".

No bigram model ships offline, so the rule is a small, documented lexicon of combinations that are
rarely meant: an adjective of things or technology (digital, electronic, liquid, ...) directly
before a plural noun for people (ministers, officials, citizens, ...). Chinese MT produces these
when a quantifier is read as a homograph (数位 "several" / "digital"). Such a phrase can be right
("EU digital ministers"), so the flag is minor and low-confidence; the reference raises the
confidence when its aligned sentence counts the same people ("four ... officials") and lowers it
to nothing when the reference uses the same phrase.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.garbles.number_mismatch import quantities
from dedup.model import Evidence, Flag

THING_ADJECTIVES = (
    "digital", "electronic", "numerical", "numeric", "liquid", "metallic", "wooden", "plastic",
    "magnetic", "digitized", "digitised",
)  # fmt: skip
# Left out on purpose: electric(al), chemical, mechanical, virtual ("electrical workers",
# "chemical workers", "virtual students" are meant).
PERSON_PLURALS = (
    "ministers", "officials", "diplomats", "envoys", "delegates", "lawmakers", "senators", "soldiers",
    "villagers", "farmers", "children", "women", "men", "victims", "passengers", "residents",
    "generals", "politicians", "dignitaries", "representatives", "mayors", "governors",
)  # fmt: skip
# Left out: established phrases ("digital experts", "digital workers", "digital citizens",
# "digital journalists", "digital leaders", "digital officers").
_QUANT_WORDS = ("several", "few", "many", "some", "various", "multiple", "numerous", "dozens", "a number of")
# Legitimate uses name a field: "EU digital ministers", "chemical workers union".
_FIELD_BEFORE = regex.compile(r"(?i)(?:\b(?:EU|G7|G-7|G20|G-20|ASEAN|European|union|of|the\s+\w+'s)\s+)$")
PHRASE_RE = regex.compile(
    rf"(?i)(?<![\p{{L}}\-])(?P<adj>{'|'.join(THING_ADJECTIVES)})[\s\u00a0]+(?P<noun>{'|'.join(PERSON_PLURALS)})"
    r"(?![\p{L}\-])"
)


@register
class RareCollocation(Detector):
    name = "rare_collocation"
    description = (
        "A word pair rarely meant as written, e.g. a technology adjective before a plural noun for people "
        "('digital ministers' for 'several ministers'); low confidence."
    )
    severity = "minor"
    reference_agreement = True  # a reference using the same phrase means it is meant

    def detect(self, ctx: Context) -> Iterator[Flag]:
        mt = ctx.mt
        ref_text = ctx.ref.text.lower() if ctx.ref is not None else ""
        for s in mt.sentences:
            for m in PHRASE_RE.finditer(mt.text, s.start, s.end):
                phrase = " ".join(m.group().lower().split())
                if ref_text and phrase in " ".join(ref_text.split()):
                    continue
                if _FIELD_BEFORE.search(mt.text[max(s.start, m.start() - 30) : m.start()]):
                    continue
                conf, ev = 0.4, []
                hit = _counted_in_reference(ctx, s.start)
                if hit is not None:
                    conf = 0.6
                    ev.append(hit)
                yield self.flag(
                    ctx,
                    m.start("adj"),
                    m.end("noun"),
                    f"unusual pairing {m.group()!r}: {m.group('adj')!r} rarely describes people; "
                    "a mistranslated quantifier ('several')?",
                    confidence=conf,
                    evidence=ev,
                )


def _counted_in_reference(ctx: Context, mt_start: int) -> Evidence | None:
    """A count or quantifier before people in the reference sentences aligned with this MT sentence or
    its neighbours (the aligner may have linked the reference sentence to the next one), as evidence."""
    if ctx.ref is None or ctx.alignment is None:
        return None
    idx = next((i for i, s in enumerate(ctx.mt.sentences) if s.start == mt_start), None)
    if idx is None:
        return None
    ref = ctx.ref
    people = "|".join(PERSON_PLURALS)
    linked = [j for i in (idx, idx - 1, idx + 1) for j in ctx.alignment.ref_for(i)]
    for j in sorted(set(linked)):
        s = ref.sentences[j]
        sent = ref.text[s.start : s.end]
        for m in regex.finditer(rf"(?i)\b({people})\b", sent):
            before = sent[max(0, m.start() - 40) : m.start()]
            nums = quantities(before)
            quant = any(regex.search(rf"(?i)\b{q}\b", before) for q in _QUANT_WORDS)
            if nums or quant:
                a = s.start + max(0, m.start() - 40) + (nums[0].start if nums else 0)
                a = min(a, s.start + m.start())
                return Evidence.at(
                    f"the aligned reference sentence counts the {m.group(1)}",
                    "ref",
                    ref.text,
                    a,
                    s.start + m.end(),
                )
    return None
