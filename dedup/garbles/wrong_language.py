"""Sentences left in another language (untranslated) inside an English article.

The text pipeline gives each sentence a language (seeded langdetect; "und" when too short to
judge, and "und" is never flagged). langdetect alone misreads short English sentences heavy with
names ("Wang Yi met Xi Jinping in Malta" comes out as Vietnamese or Indonesian), so a sentence is
flagged only when its own words agree: enough lowercase words to judge (names are capitalised
and say nothing about the language), few English function words among them, and most of them
more frequent in the detected language than in English (wordfreq), and few that are better
English than that language (an English sentence quoting "coq au vin à la carte" keeps its
"offered", "every", "guest"). Sentences mostly in a non-Latin script are left to the
foreign_script family, which flags the run itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex
from wordfreq import available_languages, zipf_frequency

from dedup.garbles.base import Context, Detector, register
from dedup.model import Flag

_ENGLISH = frozenset({"en"})
_MIN_LOWER_WORDS = 4
_MIN_LETTERS = 30
_MAX_EN_FUNCTION_SHARE = 0.2
_MIN_FOREIGN_SHARE = 0.6
_UNKNOWN_IN_ENGLISH = 2.5
_ENGLISH_WORD = 3.0  # zipf: a word English actually uses
_MAX_ENGLISH_SHARE = 0.25  # zipf below which a word is not (common) English
_WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)?")
_EN_FUNCTION = frozenset(
    "the a an and or but of to in on at by for with from as is are was were be been being this that these "
    "those it its he she they we i you his her their our has have had will would can could should may might "
    "not no said says after before about into over than then there which who whom what when where while "
    "also more most very".split()
)
# Lowercase particles of personal names ("CJ van der Linde", "J de Villiers") say nothing.
_NAME_PARTICLES = frozenset("van der den de del della di da das dos du von zu la le bin ibn al el y".split())
# langdetect codes -> wordfreq codes where they differ.
_WF_CODE = {"no": "nb", "tl": "fil", "zh-cn": "zh", "zh-tw": "zh", "hr": "sh", "sr": "sh", "bs": "sh"}


@lru_cache(maxsize=1)
def _wordfreq_langs() -> frozenset[str]:
    return frozenset(available_languages("best"))


@lru_cache(maxsize=65536)
def _side(word: str, lang: str) -> str:
    """'foreign' when the word belongs to `lang` rather than English, 'english' when it is a real
    English word and no more a `lang` one, '' when it says nothing."""
    en = zipf_frequency(word, "en")
    code = _WF_CODE.get(lang, lang)
    if code in _wordfreq_langs():
        other = zipf_frequency(word, code)
        if other > en:
            return "foreign"
        return "english" if en >= _ENGLISH_WORD else ""
    return "foreign" if en < _UNKNOWN_IN_ENGLISH else "english"


def _mostly_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(1 for ch in letters if ord(ch) <= 0x24F) * 2 > len(letters)


def foreign_share(text: str, lang: str) -> float | None:
    """Share of the sentence's lowercase words that belong to `lang` rather than English; None when
    there is too little to judge or English function words are plentiful."""
    lower = [w.lower() for w in _WORD.findall(text) if w[0].islower() and w.lower() not in _NAME_PARTICLES]
    if len(lower) < _MIN_LOWER_WORDS:
        return None
    if sum(1 for w in lower if w in _EN_FUNCTION) > _MAX_EN_FUNCTION_SHARE * len(lower):
        return None
    sides = [_side(w, lang) for w in lower]
    if sides.count("english") > _MAX_ENGLISH_SHARE * len(lower):
        return None  # English carrying a foreign phrase: "pâté, crème brûlée and coq au vin"
    return sides.count("foreign") / len(lower)


@register
class WrongLanguage(Detector):
    name = "wrong_language"
    description = "A sentence in another language (left untranslated) in an English article"
    severity = "major"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        doc = ctx.mt
        if doc.lang not in _ENGLISH:
            return
        text = doc.text
        for s in doc.sentences:
            if s.lang in ("und", doc.lang):
                continue
            sentence = text[s.start : s.end]
            if sum(1 for ch in sentence if ch.isalpha()) < _MIN_LETTERS or not _mostly_latin(sentence):
                continue
            share = foreign_share(sentence, s.lang)
            if share is None or share < _MIN_FOREIGN_SHARE:
                continue
            start = s.start + (len(sentence) - len(sentence.lstrip()))
            end = s.end - (len(sentence) - len(sentence.rstrip()))
            yield self.flag(
                ctx,
                start,
                end,
                f"sentence reads as {s.lang!r}, not English ({share:.0%} of its words)",
                confidence=round(min(0.95, 0.5 + share / 2), 3),
            )
