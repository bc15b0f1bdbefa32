"""A word (or a short phrase) written twice in a row: "the "meeting meeting"", "the the", "in the in the".

What English legitimately doubles is left alone:
- grammar: "had had", "that that", "do do" (emphatic), "what it is is", and a particle followed by
  the same preposition after a verb ("was taken in in the church", "he gave in in the end");
- emphasis and reduplication in quoted speech: "very very", "so so", "many many", "bye bye",
  "no no", "ha ha", and the size and length adjectives English doubles for emphasis ("a long long
  road", "a tiny tiny bit");
- names: "Bora Bora", "Walla Walla", "Sing Sing", Chinese reduplicated given names ("Ni Ni",
  "Li Li": any doubled pinyin syllable), a capitalised double the reference also writes (or writes
  around a middle initial: "Sirhan B. Sirhan"), or one the article writes the same way more than
  once; hyphenated forms ("Baden-Baden") are never candidates; numbers ("00:00", "20 20") neither.
A capitalised double that is none of these is flagged, with less confidence than a lowercase one,
when the article also uses the word as a lowercase word ("Media Media") or the reference writes the
word but never doubled ("Andy Andy Liu Qingyun" where the reference has "Andy Lau", "Internet
Internet"); without a reference, other capitalised doubles are taken for titles ("Duran Duran").
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.model import Evidence, Flag

# word, horizontal space (optionally an opening quote), the same word again; letters only.
_WORD = r"\p{L}+(?:['’]\p{L}+)?"
# The gap may also hold zero-width characters (a ZWSP the page left in), and one line break: a line
# wrapped inside a sentence ("the\nthe second cut"); then the repeat must be lowercase (a new line
# starting with a capital is a heading or a new paragraph).
_H = r"[ \t\u00a0\u200b\u200c\u200d\u2060\ufeff]"
_DOUBLE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_'’-])(?P<w>{_WORD})(?P<sep>(?:{_H}+|{_H}*(?:\r\n|\n|\r){_H}*)[\"“«‘]?)(?P=w)"
    r"(?![\p{L}\p{N}_-])",
    regex.IGNORECASE,
)
# "had had" is grammar when the second "had" is the main verb ("had had enough", "had had used cars"),
# a slip when a participle follows it ("Analysts had had expected the cut", "had had been").
_HAD_PARTICIPLE = regex.compile(
    r"[ \t\u00a0]+(?:been|(?:\p{L}+ed|done|seen|taken|given|made|told|known|found|thought|brought|"
    r"bought|kept|held|paid|sent|spent|won|lost|met|written|begun|become|gone)[ \t\u00a0]+"
    r"(?:the|a|an|that|to|it|him|her|them|this|these|those|his|their|its|our|my|your|us|me)\b)",
    regex.IGNORECASE,
)
# a phrase of 2-3 words written twice: "in the in the", "the White House the White House".
_PHRASE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_'’-])(?P<p>{_WORD}(?:[ \t\u00a0]+{_WORD}){{1,2}})[ \t\u00a0]+(?P=p)(?![\p{{L}}\p{{N}}_-])",
    regex.IGNORECASE,
)
_GRAMMATICAL = frozenset({"had", "that", "this", "do"})
_EMPHATIC = frozenset(
    "so very many really bye no ha haha yes yeah well now there tsk tut knock night chop hush pooh boo go "
    "more much far too blah bla la na tick ding bang hip long tiny big wee".split()
)
_PARTICLES = frozenset("in on up out off down over by through around about back along away".split())
_FUNCTION = frozenset(
    "the a an and or but of to in on at by for with from as is are was were be been this that these those "
    "it its his her their our my your we they he she i you not no".split()
)
_KNOWN_NAMES = frozenset("bora walla sing pago wagga baden mahi bombay dum tora".split())
_PINYIN = regex.compile(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|iao|ian|ing|uai|uan|ang|eng|ong|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|"
    r"ue|ve|a|o|e|i|u|v|ü)",
    regex.IGNORECASE,
)
# "bigger and bigger and", "more and more and": the phrase repeats only because "X and X" does.
_X_CONJ_X = regex.compile(r"(?i)\b(\p{L}+) (?:and|or|by|after|upon|to|for|on|over) \1\b")
_MAKES = frozenset("make makes made making call calls called calling consider considers considered".split())
# "what it is is", "whatever it was was gone", "all he wants is is": a free relative clause ends in the verb
# that the main clause repeats.
_WHAT_IS = regex.compile(r"\b(?:what|whatever|all)\b[^.?!;,]{0,80}$", regex.IGNORECASE)
_PREV_WORD = regex.compile(r"(\p{L}+)[ \t\u00a0]+$")


_TOKENS = regex.compile(f"({_WORD})")  # split keeps the words: gap, word, gap, word, ..., gap
_HSPACE = frozenset(" \t\u00a0")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_OPEN_QUOTES = frozenset('"“«‘')


def _gap(gap: str, quote: bool) -> bool:
    """Is the gap horizontal space (then, if `quote`, perhaps one opening quote)? For `_DOUBLE`
    (`quote`) zero-width characters and one line break count as space too (a superset of its gap)."""
    if quote and len(gap) > 1 and gap[-1] in _OPEN_QUOTES:
        gap = gap[:-1]
    if not quote:
        return bool(gap) and all(c in _HSPACE for c in gap)
    rest = gap.replace("\r\n", "\n", 1) if "\r\n" in gap else gap
    breaks = sum(c in "\r\n" for c in rest)
    return bool(gap) and breaks <= 1 and all(c in _HSPACE or c in _ZERO_WIDTH or c in "\r\n" for c in rest)


def _candidates(text: str) -> tuple[list[int], list[int]]:
    """Offsets where `_DOUBLE` and `_PHRASE` may match: a superset, found from the words.

    A match of either starts a word (it is not preceded by a letter or an apostrophe), each of its
    words is a whole word (each is followed by a space), and the repeat starts the next word (or the
    word two or three on) after nothing but horizontal space (and, for `_DOUBLE`, an opening quote).
    Where both words are ASCII the repeat is the first word again, case-blind (for `_DOUBLE` the
    next word may go on: "rock rock'n"); a non-ASCII pair is always tried (Unicode case folding:
    Kelvin sign, long s, final sigma). Trying the patterns only there finds what `finditer` finds
    over the whole text, which was ~10% of a gate's check per article."""
    parts = _TOKENS.split(text)
    words = parts[1::2]
    gaps = parts[2::2]  # gaps[i]: between words[i] and words[i + 1]
    lw = [w.lower() for w in words]
    if text.isascii():
        maybe1 = [i for i, (a, b) in enumerate(zip(lw, lw[1:], strict=False)) if b.startswith(a)]
        maybe2 = [i for i, (a, b) in enumerate(zip(lw, lw[2:], strict=False)) if a == b]
        maybe3 = [i for i, (a, b) in enumerate(zip(lw, lw[3:], strict=False)) if a == b]
    else:
        asc = [w.isascii() for w in words]

        def maybe(k: int, prefix: bool) -> list[int]:
            return [
                i
                for i in range(len(lw) - k)
                if not (asc[i] and asc[i + k])
                or (lw[i + k].startswith(lw[i]) if prefix else lw[i] == lw[i + k])
            ]

        maybe1, maybe2, maybe3 = maybe(1, True), maybe(2, False), maybe(3, False)
    doubles = [i for i in maybe1 if _gap(gaps[i], quote=True)]
    phrases = sorted(
        {i for i in maybe2 if _gap(gaps[i], False) and _gap(gaps[i + 1], False)}
        | {
            i
            for i in maybe3
            if _gap(gaps[i], False) and _gap(gaps[i + 1], False) and _gap(gaps[i + 2], False)
        }
    )
    if not doubles and not phrases:
        return [], []
    at = list(accumulate(map(len, parts), initial=0))  # word i starts at at[2 * i + 1]
    return [at[2 * i + 1] for i in doubles], [at[2 * i + 1] for i in phrases]


def _scan(pattern: regex.Pattern[str], text: str, starts: list[int]) -> Iterator[regex.Match[str]]:
    """What `pattern.finditer(text)` yields, trying the pattern only at `starts` (ascending)."""
    end = 0
    for pos in starts:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = m.end()
            yield m


def _is_title(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _legit_double(
    text: str,
    start: int,
    end: int,
    word: str,
    second: str,
    ref_text: str | None,
    counts: dict[str, int] | None = None,
) -> bool:
    low = word.lower()
    if low == "had" and _HAD_PARTICIPLE.match(text, end):
        return False
    if low in _GRAMMATICAL or low in _EMPHATIC:
        return True
    if regex.match(rf"[ \t\u00a0]+{regex.escape(word)}(?![\p{{L}}\p{{N}}_])", text, pos=end, flags=regex.I):
        return True  # "Gimme Gimme Gimme", "Girls Girls Girls": a chant or a title, not a slip
    if word[0].islower() and _is_title(second) and low not in _FUNCTION:
        return True  # "the law lord Lord Bingham": a title before a name
    before = text[max(0, start - 100) : start]
    if low in ("is", "was") and _WHAT_IS.search(before):
        return True
    if low in _PARTICLES:
        prev = _PREV_WORD.search(before)
        if prev and prev.group(1).lower() not in _FUNCTION:
            return True  # "taken in in the church": a verb's particle, then a preposition
    if _is_title(word) and _is_title(second):
        if low in _KNOWN_NAMES or _PINYIN.fullmatch(low):
            return True
        pair = f"{word} {second}"
        if counts is None:
            counts = {}
        if pair not in counts:  # counted once per article, not once per double (quadratic on long texts)
            counts[pair] = text.count(pair)
        if counts[pair] >= 2 or (ref_text is not None and pair in ref_text):
            return True
        # "Sirhan Sirhan" where the reference writes "Sirhan B. Sirhan": the name, with its middle initial.
        if ref_text is not None and regex.search(
            rf"(?<!\p{{L}}){regex.escape(word)}[ \t\u00a0]+\p{{Lu}}\.?[ \t\u00a0]+{regex.escape(word)}(?!\p{{L}})",
            ref_text,
        ):
            return True
        if ref_text is not None and regex.search(
            rf"(?<!\p{{L}}){regex.escape(low)}(?!\p{{L}})", ref_text, flags=regex.I
        ):
            return False  # the reference writes the word, never doubled: "Andy Andy Liu" for "Andy Lau"
        # "Duran Duran", "Soldier Soldier", "Boing Boing": titles and names double words; only a
        # word this article also uses as a common lowercase word ("media") is a slip.
        return not regex.search(rf"(?<!\p{{L}}){regex.escape(low)}(?!\p{{L}})", text)
    return False


@register
class RepeatedWords(Detector):
    name = "repeated_words"
    description = "A word or short phrase written twice in a row ('meeting meeting'), not legitimate doubles"
    severity = "minor"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        text = ctx.mt.text
        ref_text = ctx.ref.text if ctx.ref is not None else None
        taken: list[tuple[int, int]] = []
        doubles, phrases = _candidates(text)
        counts: dict[str, int] = {}
        for m in _scan(_PHRASE, text, phrases):
            words = m.group("p").split()
            if all(_is_title(w) for w in words):
                continue  # "New York New York": a title or a name, not worth guessing
            if _X_CONJ_X.search(m.group()) or len({w.lower() for w in words}) == 1:
                continue
            prev = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
            if prev and prev.group(1).lower() in _MAKES:
                continue  # "what makes a gadget a gadget", "call a spade a spade"
            taken.append((m.start(), m.end()))
            yield self.flag(
                ctx,
                m.start(),
                m.end(),
                f"phrase {m.group('p')!r} written twice in a row",
                confidence=0.8,
            )
        for m in _scan(_DOUBLE, text, doubles):
            if any(s <= m.start() < e for s, e in taken):
                continue
            word = m.group("w")
            second = text[m.end("sep") : m.end()]
            if any(c in "\r\n" for c in m.group("sep")) and not second[0].islower():
                continue  # a heading or a new paragraph starting with the word, not a wrapped line
            if _legit_double(text, m.start(), m.end(), word, second, ref_text, counts):
                continue
            titled = _is_title(word) and _is_title(second)
            evidence = []
            if ref_text is not None:
                once = regex.search(rf"(?<!\p{{L}}){regex.escape(word)}(?!\p{{L}})", ref_text, flags=regex.I)
                if once:
                    evidence.append(
                        Evidence("the reference has the word", "ref", once.start(), once.end(), once.group())
                    )
            yield self.flag(
                ctx,
                m.start(),
                m.end(),
                f"word {word!r} written twice in a row",
                confidence=0.7 if titled else 0.9,
                evidence=evidence,
            )
