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

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.model import Evidence, Flag

# word, horizontal space (optionally an opening quote), the same word again; letters only.
_WORD = r"\p{L}+(?:['’]\p{L}+)?"
_DOUBLE = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}_'’-])(?P<w>{_WORD})(?P<sep>[ \t\u00a0]+[\"“«‘]?)(?P=w)(?![\p{{L}}\p{{N}}_-])",
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
_WHAT_IS = regex.compile(r"\bwhat\b[^.?!;]{0,80}$", regex.IGNORECASE)
_PREV_WORD = regex.compile(r"(\p{L}+)[ \t\u00a0]+$")


def _is_title(word: str) -> bool:
    return word[:1].isupper() and not word.isupper()


def _legit_double(text: str, start: int, end: int, word: str, second: str, ref_text: str | None) -> bool:
    low = word.lower()
    if low in _GRAMMATICAL or low in _EMPHATIC:
        return True
    if regex.match(rf"[ \t\u00a0]+{regex.escape(word)}(?![\p{{L}}\p{{N}}_])", text, pos=end, flags=regex.I):
        return True  # "Gimme Gimme Gimme", "Girls Girls Girls": a chant or a title, not a slip
    if word[0].islower() and _is_title(second) and low not in _FUNCTION:
        return True  # "the law lord Lord Bingham": a title before a name
    before = text[max(0, start - 100) : start]
    if low == "is" and _WHAT_IS.search(before):
        return True
    if low in _PARTICLES:
        prev = _PREV_WORD.search(before)
        if prev and prev.group(1).lower() not in _FUNCTION:
            return True  # "taken in in the church": a verb's particle, then a preposition
    if _is_title(word) and _is_title(second):
        if low in _KNOWN_NAMES or _PINYIN.fullmatch(low):
            return True
        pair = f"{word} {second}"
        if text.count(pair) >= 2 or (ref_text is not None and pair in ref_text):
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
        for m in _PHRASE.finditer(text):
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
        for m in _DOUBLE.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            word = m.group("w")
            second = text[m.end("sep") : m.end()]
            if _legit_double(text, m.start(), m.end(), word, second, ref_text):
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
