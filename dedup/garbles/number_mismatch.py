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
from dedup.garbles.rivals import in_sentence, rival_flag, rivals_on_links
from dedup.model import Document, Evidence, Flag

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


# A day of the month: a figure right before or after a month name ("20 September", "Sept. 20", "10th of
# August"). Its kind is "day", so it is compared only with the reference's days: a dateline's "Brasilia,
# 20 September" is no rival of "50 basis points" in a reference sentence that gives no date.
_MONTH = (
    r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
_MONTH_AFTER = r"\s+(?:of\s+)?" + _MONTH
_DAY_AFTER = regex.compile(r"(?:[-–]\d{1,2})?" + _MONTH_AFTER)
_DAY_BEFORE = regex.compile(_MONTH + r"\s+$")
# A decimal comma before a scale word or a percent ("1,2 million", "3,5%": another locale's 1.2 million
# and 3.5%): the "broken" reading (a thousands group cut short) would make them 12 million and 35%.
_DECIMAL_COMMA = regex.compile(r"\d{1,3},\d{1,2}")


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
        if (
            m.group("broken")
            and (m.group("scale") or m.group("pct"))
            and _DECIMAL_COMMA.fullmatch(m.group("broken"))
        ):
            value, is_year = float(m.group("broken").replace(",", ".")), False
        elif m.group("broken"):
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
        if (
            m.group("digits")
            and not m.group("scale")
            and kind in ("num", "ordinal")
            and value <= 31
            and (_DAY_AFTER.match(text, e) or _DAY_BEFORE.search(text, max(0, s - 12), s))
        ):
            kind = "day"
        out.append(Quantity(s, e, value, kind))
    return out


def _key(value: float) -> float:
    """A value rounded for set lookups (figures read from text differ by float noise at most)."""
    return float(f"{value:.9g}")


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _in_source(value: float, values: set[float]) -> bool:
    """The source gives this value: exactly, or as a percentage written as a fraction or back."""
    return any(_same(value, v) or _same(value * 100.0, v) or _same(value, v * 100.0) for v in values)


_FACTORS = (1.0, 1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9, 100.0, 0.01)


def _known(value: float, values: set[float]) -> bool:
    """A value counts as present when it matches up to a scale word left out on one side."""
    for v in values:
        for f in _FACTORS:
            if _same(value * f, v):
                return True
    return False


class _KnownValues:
    """`_known` against one set of values, by lookup: scanning every reference figure for every MT
    figure was O(n x m) (a 4,000-sentence article with its reference: 68 s). Two figures of at most
    nine significant digits and at least 1 are `_same` exactly when they are equal as decimals (but
    across a power of ten: see `_short`), so those are looked up; the rest (below 1, where `_same`'s
    tolerance is absolute, or longer) are scanned as before."""

    def __init__(self, values: set[float]) -> None:
        self.values = values
        self.keys = {_key(v) for v in values if _short(v)}
        self.rest = {v for v in values if not _short(v)}

    def __contains__(self, value: float) -> bool:
        if not _short(value) and value != 0.0:
            return _known(value, self.values)
        if any(_key(value * f) in self.keys for f in _FACTORS):
            return True
        return bool(self.rest) and _known(value, self.rest)


def _short(value: float) -> bool:
    """At least 1, nine significant digits at most (up to float noise), and not 99999999.9-like, which
    `_same` takes for the next power of ten."""
    rounded = float(f"{value:.9g}")
    return (
        abs(value) >= 1.0
        and abs(rounded - value) <= 1e-12 * abs(value)
        and not f"{abs(rounded):.8e}".startswith("9.99999999")
    )


# A score or a pair of figures: "won 3-1", "2:0", "a 1-1 draw", "3-5 years". The figure after the dash
# is not a quantity of its own (NUMBER_RE skips it), so a wrong score ("3-2" for 3-1) went unseen.
# Not a range of a unit ("3-4 percent"), of days ("12-14 March"), a year span ("2023-24"), a clock
# time ("10:15", "2:30": a colon pair needs a one-digit second figure) or a code ("F-35", "COVID-19").
_SCORE = regex.compile(
    r"(?<![\p{L}\p{N}\-./:,])(?P<a>\d{1,2})(?:[ ]?[-\u2013][ ]?(?P<b>\d{1,2})|:(?P<c>\d))"
    rf"(?![\p{{L}}\p{{N}}]|[-\u2013./:,]\d|\s*(?:%|percent\b|per\s+cent\b|{_SCALE_RE}\b)|{_MONTH_AFTER})",
    regex.IGNORECASE,
)


@dataclass(frozen=True)
class Score:
    """A pair of figures as written ("3-1"), its value the two figures in order of size (a 1-3 defeat
    is the 3-1 win)."""

    start: int
    end: int
    value: tuple[int, int]
    kind: str = "score"


def scores(text: str, start: int = 0, end: int | None = None) -> list[Score]:
    """Every score or figure pair in text[start:end], offsets into `text`."""
    out = []
    for m in _SCORE.finditer(text, start, len(text) if end is None else end):
        a, b = int(m.group("a")), int(m.group("b") or m.group("c"))
        out.append(Score(m.start(), m.end(), (min(a, b), max(a, b))))
    return out


CURRENCY_MESSAGE = "currency"
# Currencies by family: a figure's currency swapped ("30.8 billion yuan" where the reference has $30.8bn)
# is a mistranslation the figure check cannot see. Plain "dollars" and "$" go with any dollar; "¥" is
# the yen's and the yuan's sign.
_CURRENCY_FAMILY = {
    "$": "$", "us$": "$", "usd": "$", "dollar": "$", "dollars": "$", "hk$": "$hk", "a$": "$a", "c$": "$c",
    "nt$": "$nt", "s$": "$s", "€": "eur", "eur": "eur", "euro": "eur", "euros": "eur", "£": "gbp", "gbp": "gbp",
    "pound": "gbp", "pounds": "gbp", "sterling": "gbp", "yuan": "cny", "renminbi": "cny", "rmb": "cny",
    "cny": "cny", "yen": "jpy", "jpy": "jpy", "¥": "¥", "₩": "krw", "won": "krw", "krw": "krw", "₹": "inr",
    "rs": "inr", "rs.": "inr", "inr": "inr", "rupee": "inr", "rupees": "inr", "₽": "rub", "rub": "rub",
    "rouble": "rub", "roubles": "rub", "ruble": "rub", "rubles": "rub", "lira": "try", "liras": "try",
    "chf": "chf", "franc": "chf", "francs": "chf", "peso": "peso", "pesos": "peso", "rand": "zar",
}  # fmt: skip
_CURRENCY_BEFORE = regex.compile(
    r"(?i)(?<![\p{L}\p{N}])(US\$|HK\$|NT\$|A\$|C\$|S\$|\$|€|£|¥|₩|₹|₽|Rs\.?|USD|EUR|GBP|CNY|RMB|JPY|KRW|INR|RUB|CHF)[ \u00a0]?$"
)
_CURRENCY_AFTER = regex.compile(
    r"(?i)[ \u00a0]+(?:US[ \u00a0]+)?(dollars?|euros?|pounds?(?:[ \u00a0]+sterling)?|sterling|yuan|renminbi|yen|won|"
    r"rupees?|roubles?|rubles?|liras?|francs?|pesos?|rand|USD|EUR|GBP|CNY|RMB|JPY|KRW|INR|RUB|CHF)(?![\p{L}\p{N}])"
)


def _compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    pair = {a, b}
    if "¥" in pair:
        return bool(pair & {"cny", "jpy"})
    return "$" in pair and all(x.startswith("$") for x in pair)


@dataclass(frozen=True)
class Money:
    """A figure with its currency; `cur_start`/`cur_end` are the currency's own characters."""

    start: int
    end: int
    value: float
    currency: str
    cur_start: int
    cur_end: int
    kind: str = "money"


def money(text: str, start: int = 0, end: int | None = None) -> list[Money]:
    """Every figure of text[start:end] written with a currency before or after it."""
    end = len(text) if end is None else end
    out = []
    for q in quantities(text, start, end):
        if q.kind not in ("num", "year"):
            continue
        before = _CURRENCY_BEFORE.search(text, max(start, q.start - 5), q.start)
        after = _CURRENCY_AFTER.match(text, q.end, end)
        m, group = (before, 1) if before else (after, 1) if after else (None, 0)
        if m is None:
            continue
        word = " ".join(m.group(group).lower().split()).removesuffix(" sterling") or "sterling"
        family = _CURRENCY_FAMILY.get(word)
        if family is not None:
            out.append(Money(q.start, q.end, q.value, family, m.start(group), m.end(group)))
    return out


LOCALE_MESSAGE = "figure written with another language's separators"
# "1.200.000" (dots grouping thousands), "1.200" (one dot and three digits: 1.2 in English), and a decimal
# comma before a scale word or a percent sign ("1,2 million", "3,5%").
_DOT_GROUPS = regex.compile(r"(?<![\p{L}\p{N}.,])\d{1,3}(?:\.\d{3})+(?![\p{L}\p{N}]|[.,]\d)")
_COMMA_DECIMAL = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}.,])\d{{1,3}},\d{{1,2}}(?=\s*(?:{_SCALE_RE}\b|%|percent\b|per\s+cent\b))",
    regex.IGNORECASE,
)


def locale_figures(text: str, ref_values: set[float]) -> Iterator[tuple[int, int, str]]:
    """(start, end, message) of the figures written with another language's separators.

    Dots grouping thousands twice or more ("1.200.000") and a decimal comma before a scale word or a
    percent ("1,2 million", "3,5%") are never English; one dot before three digits ("1.200") is, as
    1.2, so it counts only when the reference gives the thousands reading (1,200) and not 1.2. The
    value is right, the writing is not: a minor flag."""
    keys = {_key(v) for v in ref_values}
    for m in _DOT_GROUPS.finditer(text):
        digits = m.group()
        grouped = float(digits.replace(".", ""))
        if digits.count(".") == 1:
            decimal = float(digits)
            scale = regex.match(rf"\s*({_SCALE_RE})\b", text[m.end() : m.end() + 20], flags=regex.I)
            f = _SCALES[" ".join(scale.group(1).lower().split())] if scale else 1.0
            if _key(grouped * f) not in keys or _key(decimal * f) in keys:
                continue
        yield (
            m.start(),
            m.end(),
            f"{LOCALE_MESSAGE}: {digits!r} is {int(grouped):,}, which English writes with commas",
        )
    for m in _COMMA_DECIMAL.finditer(text):
        yield (
            m.start(),
            m.end(),
            f"{LOCALE_MESSAGE}: {m.group()!r} is {m.group().replace(',', '.')}, which English writes with "
            "a decimal point",
        )


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
        ref_scores = {sc.value for sc in scores(ctx.ref.text)}
        ref_values = (
            {q.value for q in quantities(ctx.ref.text)}
            | roman_values(ctx.ref.text)
            | {float(x) for pair in ref_scores for x in pair}
        )
        src_values = source_figures(ctx.src.text) if ctx.src is not None else set()
        known = _KnownValues(ref_values)
        taken: list[tuple[int, int]] = []
        score_starts = {sc.start for sc in scores(ctx.mt.text)}
        for link, q, rivals in rivals_on_links(
            ctx,
            self.min_link_score,
            quantities,
            lambda q: q.value in known or _in_source(q.value, src_values),
            lambda r, q: _known(r.value, {q.value}),
        ):
            if q.start in score_starts and any(in_sentence(ctx.ref, k, scores) for k in link.ref):
                continue  # a score is compared whole where the reference gives one: "1-3" is its "3-1"
            taken.append((q.start, q.end))
            yield rival_flag(self, ctx, link, q, rivals)
        for link, sc, rivals in rivals_on_links(
            ctx,
            self.min_link_score,
            scores,
            lambda sc: sc.value in ref_scores,
            lambda r, sc: r.value == sc.value,
        ):
            taken.append((sc.start, sc.end))
            yield rival_flag(self, ctx, link, sc, rivals)
        yield from self._currencies(ctx)
        for start, end, message in locale_figures(ctx.mt.text, ref_values):
            if not any(s < end and start < e for s, e in taken):
                yield self.flag(ctx, start, end, message, confidence=0.8, severity="minor")

    def _currencies(self, ctx: Context) -> Iterator[Flag]:
        """A figure the aligned reference sentence gives in another currency, and the reference nowhere
        in this one: the currency is flagged ("30.8 billion yuan" for $30.8bn)."""
        if ctx.ref is None or ctx.alignment is None:
            return
        ref_money: dict[str, set[float]] = {}  # currency -> values, so a lookup is not a scan
        for r in money(ctx.ref.text):
            ref_money.setdefault(r.currency, set()).add(_key(r.value))
        for link in ctx.alignment.links:
            if link.score < self.min_link_score:
                continue
            theirs = [r for j in link.ref for r in in_sentence(ctx.ref, j, money)]
            if not theirs:
                continue
            for x in (x for i in link.mt for x in in_sentence(ctx.mt, i, money)):
                if any(_key(x.value) in vs and _compatible(c, x.currency) for c, vs in ref_money.items()):
                    continue
                rivals = [
                    r for r in theirs if _same(r.value, x.value) and not _compatible(r.currency, x.currency)
                ]
                if not rivals:
                    continue
                r = rivals[0]
                ref, mt = ctx.ref.text, ctx.mt.text
                yield self.flag(
                    ctx,
                    x.cur_start,
                    x.cur_end,
                    f"{CURRENCY_MESSAGE} {mt[x.cur_start : x.cur_end]!r} for the figure the aligned reference "
                    f"sentence gives in {ref[r.cur_start : r.cur_end]!r}",
                    confidence=min(0.95, 0.6 + 0.4 * link.score),
                    evidence=[
                        Evidence.at("the amount", "mt", mt, x.start, x.end),
                        Evidence.at(
                            "the reference's amount",
                            "ref",
                            ref,
                            min(r.start, r.cur_start),
                            max(r.end, r.cur_end),
                        ),
                    ],
                )

    def agrees(self, flag: Flag, ref: Document) -> bool:
        """The reference gives the flagged figure somewhere (in any spelling or scale); for a figure in
        another locale's format, the reference writes it so too."""
        if flag.message.startswith(LOCALE_MESSAGE):
            return flag.text in ref.text
        if flag.message.startswith(CURRENCY_MESSAGE + " "):
            word = " ".join(flag.text.lower().split()).removesuffix(" sterling") or "sterling"
            family = _CURRENCY_FAMILY.get(word, "")
            amounts = [q.value for e in flag.evidence if e.doc == "mt" for q in quantities(e.text)]
            return any(
                _compatible(m.currency, family) and any(_same(m.value, v) for v in amounts)
                for m in money(ref.text)
            )
        mine = scores(flag.text)
        if mine and (mine[0].start, mine[0].end) == (0, len(flag.text)):
            return mine[0].value in {sc.value for sc in scores(ref.text)}
        qs = quantities(flag.text)
        values = {q.value for q in quantities(ref.text)} | roman_values(ref.text)
        return bool(qs) and all(_known(q.value, values) for q in qs)
