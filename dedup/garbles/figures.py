"""Figures written in the source article, whatever its language (no detector here).

When the source (the article before translation) is at hand, it settles a number the MT and the
reference disagree on: "2030万元" is 20.3 million, so an MT writing 20.3 million is right even where
the reference says 203 million. Digits are read after NFKC folding (full-width digits and "％"),
with both separator conventions ("2,030.5" and "2.030,5"; an ambiguous "2,030" is both 2030 and
2.03; digits apart by a space are one number and two: "2020 300"), and a following scale word: Chinese and Japanese 万/萬 10^4, 亿/億 10^8, 万亿 10^12, 千, 百,
Korean 만/억/조, and the common million/billion words and abbreviations of European languages.
A figure with a scale word stands for its scaled value only ("40万" is 400,000, not 40).
Numbers spelled in words (三, "drei") are not read: a figure the source spells out does not clear
the MT, so the check stays as cautious as without the source.
"""

from __future__ import annotations

import unicodedata

import regex

_SCALE = {
    "万亿": 1e12,
    "萬億": 1e12,
    "兆": 1e12,
    "亿": 1e8,
    "億": 1e8,
    "万": 1e4,
    "萬": 1e4,
    "千": 1e3,
    "百": 1e2,
    "조": 1e12,
    "억": 1e8,
    "만": 1e4,
    "천": 1e3,
}
_WORD_SCALE = [
    (r"mil\s+millones|milliard[a-z]*|mrd\.?|млрд\.?|miliard[a-zа-я]*|billion[a-z]*|bn", 1e9),
    (
        r"million[a-z]*|millón|millones|milion[a-z]*|milhão|milhões|miljoen[a-z]*|mio\.?|mn|млн\.?|миллион[а-я]*",
        1e6,
    ),
    (r"tausend|mille|mila|mil|thousand[a-z]*|тыс\.?|тысяч[а-я]*", 1e3),
]
_NUMBER = regex.compile(
    r"(?<![\p{N}])(?P<num>\d+(?:[.,\u00a0\u202f' ]\d+)*)"
    r"(?:\s*(?P<cjk>万亿|萬億|兆|亿|億|万|萬|千|百|조|억|만|천)"
    r"|\s+(?P<word>" + "|".join(p for p, _ in _WORD_SCALE) + r")(?![\p{L}]))?",
    regex.IGNORECASE,
)


def _readings(digits: str) -> set[float]:
    """Every value the digit string can stand for under the usual separator conventions."""
    groups = regex.split(r"[.,\u00a0\u202f' ]", digits)
    seps = regex.findall(r"[.,\u00a0\u202f' ]", digits)
    if not seps:
        return {float(digits)}
    out: set[float] = set()
    for decimal in (".", ","):
        # the last separator may be the decimal mark; every other one must be a thousands separator
        if (
            seps[-1] == decimal
            and all(s != decimal for s in seps[:-1])
            and all(len(g) == 3 for g in groups[1:-1])
        ):
            out.add(float("".join(groups[:-1]) + "." + groups[-1]))
    if all(len(g) == 3 for g in groups[1:]) and len(set(seps)) == 1:
        out.add(float("".join(groups)))  # every separator groups thousands
    if not out or any(sep.isspace() for sep in seps):
        # not one number after all ("1,2,3"), or maybe two ("in 2020 300 people"): each group too
        out.update(float(g) for g in groups)
    return out


def _scale_of(word: str) -> float:
    for pattern, value in _WORD_SCALE:
        if regex.fullmatch(pattern, word, flags=regex.IGNORECASE):
            return value
    return 1.0


def source_figures(text: str) -> set[float]:
    """The values of the figures written in digits in `text` (any language), scale words applied."""
    folded = unicodedata.normalize("NFKC", text)
    out: set[float] = set()
    for m in _NUMBER.finditer(folded):
        scale = (
            _SCALE[m.group("cjk")]
            if m.group("cjk")
            else _scale_of(m.group("word"))
            if m.group("word")
            else 1.0
        )
        digits = _ascii_digits(m.group("num"))
        if digits is None:
            continue
        # "40万" gives 400,000 only: an MT writing a bare 40 there lost the scale word
        out.update(value * scale for value in _readings(digits))
    return out


def _ascii_digits(num: str) -> str | None:
    """The figure with every decimal digit as ASCII; None when one is a digit that the `regex` module's
    Unicode tables know and Python's `unicodedata` does not (a newer script: float() refuses it)."""
    out = []
    for c in num:
        if c.isascii():
            out.append(c)
            continue
        d = unicodedata.decimal(c, None)
        if d is None:
            if not regex.match(r"\d", c):
                out.append(c)  # a separator (no-break space)
                continue
            return None
        out.append(str(d))
    return "".join(out)
