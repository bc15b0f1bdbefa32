"""Numbers, amounts, percentages and years that differ between an MT sentence and its aligned reference.

Only confident alignment links are read, and a number is flagged only when the reference says
nothing like it anywhere (in any common spelling: "ten"/"10", "1.2 billion"/"1,200 million",
"Rs 100 crore"/"1 billion rupees")
while the linked reference sentences hold a different number of the same kind. Comparable
reports often cite different figures for different things, so both conditions are required.

With the source article at hand (`Context.src`, any language), a figure the source gives is right
whatever the reference says: references slip too ("203 million" for the source's 2030万, 20.3
million), and the source is what the MT translated. See `dedup.garbles.figures`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.garbles.figures import source_figures
from dedup.garbles.rivals import rival_flag, rivals_on_links
from dedup.model import Document, Flag

_UNITS = {
    "zero": 0,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
# "one" is left out on purpose: "one of", "no one", "the one who" are not quantities.
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    # South Asian English: "Rs 48,390 crore" is 483.9 billion rupees, "5 lakh" is 500,000.
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
    "lakh crore": 1e12,
}
_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_SCALE_RE = r"(?:hundred|thousand|million|billion|trillion|mn|bn|tn|lakh\s+crore|lakhs?|lacs?|crores?)"

# A digit number not glued to letters or product codes (G20, COVID-19, F-35, MH370 are names), and
# not a clock time ("6:00", "18: 00", "8 o'clock", "9 a.m."): translations write times in too many ways.
# A thousands group cut short ("3,09" for 3,009 or 3,090) is a garbled figure: it is read as its digits
# (309), which no reference writing the figure matches.
NUMBER_RE = regex.compile(
    rf"""
    (?<![\p{{L}}\p{{N}}\-./:,])(?<!\d:\s)
    (?:
        (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?P<suffix>st|nd|rd|th)?
      |
        (?P<broken>\d{{1,3}}(?:,\d{{3}})*,\d{{1,2}}(?![\d.]))
      |
        (?P<word>(?:{_WORDS})(?:[\s\-]+(?:{_WORDS}|one))?)
    )
    (?:\s*(?P<scale>{_SCALE_RE})\b)?
    (?:\s*(?P<pct>%|percent\b|per\s+cent\b))?
    (?![\p{{L}}\p{{N}}]|(?-i:-\p{{Lu}})|[.:,]\d|:\s\d\d|\s*(?:o['’]clock|[ap]\.?m\b\.?|hours?\b|h\b))
    """,
    regex.VERBOSE | regex.IGNORECASE,
)


# Roman numerals of two or more letters up to 39 ("Level II", "Phase IV", "World War II"): a reference
# writing a figure so still gives it. Read only as agreement, never as a rival figure.
ROMAN_RE = regex.compile(
    r"(?<![\p{L}\p{N}])(?=[XVI]{2,}(?![\p{L}\p{N}]))X{0,3}(?:IX|IV|V?I{0,3})(?![\p{L}\p{N}])"
)
_ROMAN = {"I": 1, "V": 5, "X": 10}


def roman_values(text: str) -> set[float]:
    """Values of the Roman numerals in `text` (see ROMAN_RE)."""
    out: set[float] = set()
    for m in ROMAN_RE.finditer(text):
        digits = [_ROMAN[c] for c in m.group()]
        out.add(float(sum(-d if d < nxt else d for d, nxt in zip(digits, [*digits[1:], 0], strict=True))))
    return out


@dataclass(frozen=True)
class Quantity:
    """One number as written, with its value and kind (year | percent | num)."""

    start: int
    end: int
    value: float
    kind: str


def _word_value(words: str) -> float | None:
    total = 0.0
    for i, w in enumerate(regex.split(r"[\s\-]+", words.lower())):
        if not w:
            continue
        v = 1 if (w == "one" and i > 0) else _UNITS.get(w)
        if v is None:
            return None
        total = total * 100 if w == "hundred" and total else total + v
    return total


def quantities(text: str, start: int = 0, end: int | None = None) -> list[Quantity]:
    """Every number in text[start:end], offsets into `text`."""
    end = len(text) if end is None else end
    out: list[Quantity] = []
    for m in NUMBER_RE.finditer(text, start, end):
        if m.group("broken"):
            value, is_year = float(m.group("broken").replace(",", "")), False
        elif m.group("digits"):
            raw = m.group("digits").replace(",", "")
            value = float(raw)
            is_year = (
                not m.group("suffix")
                and not m.group("scale")
                and not m.group("pct")
                and regex.fullmatch(r"(?:19|20)\d\d", raw) is not None
            )
        else:
            wv = _word_value(m.group("word"))
            if wv is None:
                continue
            value, is_year = wv, False
        scale = " ".join((m.group("scale") or "").lower().split())
        if scale:
            value *= _SCALES[scale]
        ordinal = bool(m.group("digits") and m.group("suffix"))
        kind = "percent" if m.group("pct") else "year" if is_year else "ordinal" if ordinal else "num"
        s, e = m.span()
        out.append(Quantity(s, e, value, kind))
    return out


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _in_source(value: float, values: set[float]) -> bool:
    """The source gives this value: exactly, or as a percentage written as a fraction or back."""
    return any(_same(value, v) or _same(value * 100.0, v) or _same(value, v * 100.0) for v in values)


def _known(value: float, values: set[float]) -> bool:
    """A value counts as present when it matches up to a scale word left out on one side."""
    for v in values:
        for f in (1.0, 1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9, 100.0, 0.01):
            if _same(value * f, v):
                return True
    return False


@register
class NumberMismatch(Detector):
    name = "number_mismatch"
    description = (
        "A number, amount, percentage or year in an MT sentence that the reference never mentions, "
        "while the aligned reference sentence gives a different figure of the same kind."
    )
    severity = "major"
    needs_reference = True
    reference_agreement = True

    min_link_score: float = 0.4  # ignore weak links: different sentences cite different figures

    def detect(self, ctx: Context) -> Iterator[Flag]:
        if ctx.ref is None or ctx.alignment is None:
            return
        ref_values = {q.value for q in quantities(ctx.ref.text)} | roman_values(ctx.ref.text)
        src_values = source_figures(ctx.src.text) if ctx.src is not None else set()
        for link, q, rivals in rivals_on_links(
            ctx,
            self.min_link_score,
            quantities,
            lambda q: _known(q.value, ref_values) or _in_source(q.value, src_values),
            lambda r, q: _known(r.value, {q.value}),
        ):
            yield rival_flag(self, ctx, link, q, rivals)

    def agrees(self, flag: Flag, ref: Document) -> bool:
        """The reference gives the flagged figure somewhere (in any spelling or scale)."""
        qs = quantities(flag.text)
        values = {q.value for q in quantities(ref.text)} | roman_values(ref.text)
        return bool(qs) and all(_known(q.value, values) for q in qs)
