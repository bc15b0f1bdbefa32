"""Weighted story features of a text: content words, name bigrams, numbers.

Why corpus-independent weights: story payloads live in a persistent index across runs, so a
feature's weight must not move when the corpus grows. Rarity comes from `wordfreq`'s background
frequencies of English (shipped with the package, no download): a word's weight is its
information content ``-log10 p(word)`` above a floor, i.e. an IDF taken from a very large fixed
corpus instead of from the articles at hand.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from functools import lru_cache

import regex
import wordfreq

# Letters with inner apostrophes; dotted acronyms (U.S., U.K.) are joined first.
_WORD = regex.compile(r"\p{L}[\p{L}\p{M}]*(?:'(?!s\b)\p{L}+)*")  # possessive 's left out
_NUMBER = regex.compile(r"(?<![\p{L}\d.,])\d+(?:[.,]\d+)*")
_ACRONYM_DOTS = regex.compile(r"\b(?:\p{Lu}\.){2,}")
# A run of capitalised words (names, organisations, places) separated by single spaces.
_CAP_RUN = regex.compile(r"\p{Lu}[\p{L}\p{M}'’-]*(?: \p{Lu}[\p{L}\p{M}'’-]*)+")

MAX_INFO = 8.0  # information content (-log10 p) given to words wordfreq has never seen


@lru_cache(maxsize=1 << 18)
def word_info(word: str, lang: str = "en") -> float:
    """``-log10 p(word)`` from wordfreq's background corpus, capped for unseen words."""
    zipf = wordfreq.zipf_frequency(word, lang)
    if zipf <= 0.0:
        return MAX_INFO
    return min(MAX_INFO, 9.0 - zipf)


@lru_cache(maxsize=1 << 20)
def feature_hash(feature: str) -> int:
    """A stable 32-bit key for a feature (same on every machine and run, unlike `hash`)."""
    return zlib.crc32(feature.encode("utf-8"))


def story_features(
    text: str,
    floor: float = 2.5,
    number_factor: float = 0.5,
    entity_factor: float = 0.0,
    lang: str = "en",
) -> dict[str, float]:
    """Feature -> weight ``(1 + ln tf) * max(0, info - floor)``; empty when nothing is informative.

    `floor` removes function words and the commonest verbs (wordfreq's zipf above ``9 - floor``);
    name bigrams (adjacent content words inside a capitalised run) can count in addition to their
    words, at `entity_factor` (off by default: no gain on the proxies); numbers count at `number_factor`.
    """
    text = _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", ""), text).replace("’", "'")
    tf: Counter[str] = Counter(w for w in _WORD.findall(text.lower()) if len(w) > 1)
    info: dict[str, float] = {w: word_info(w, lang) for w in tf}
    out: dict[str, float] = {}
    for w, count in tf.items():
        if info[w] > floor:
            out[w] = (1.0 + math.log(count)) * (info[w] - floor)
    if number_factor > 0:
        numbers = Counter(n.replace(",", "") for n in _NUMBER.findall(text))
        for n, count in numbers.items():
            weight = number_factor * (word_info(n, lang) - floor)
            if weight > 0:
                out["#" + n] = (1.0 + math.log(count)) * weight
    if entity_factor > 0:
        names: Counter[str] = Counter()
        for run in _CAP_RUN.findall(text):
            words = [w for w in _WORD.findall(run.lower()) if len(w) > 1]
            words = [w for w in words if (info.get(w) or word_info(w, lang)) > floor]
            names.update(a + " " + b for a, b in zip(words, words[1:], strict=False))
        for name, count in names.items():
            a, b = name.split(" ")
            weight = entity_factor * (
                max(info.get(a) or word_info(a, lang), info.get(b) or word_info(b, lang)) - floor
            )
            out["@" + name] = (1.0 + math.log(count)) * weight
    return out


# What may precede a sentence-initial word (after spaces); a newline in the gap also counts.
_SENTENCE_START = frozenset(".!?:;\"'“”‘’([—–-")


def name_features(text: str, min_info: float = 4.5, lang: str = "en") -> list[str]:
    """Rare words written capitalised inside a sentence at least once: what identifies an event.

    Why: templated reports of different events share every word of the template and differ in the
    place, company or team; those are capitalised mid-sentence, while a capitalised sentence start
    says nothing. `min_info` (4.5) is rarer than weekday names, which templates repeat. Sorted.
    """
    text = _ACRONYM_DOTS.sub(lambda m: m.group(0).replace(".", ""), text).replace("’", "'")
    names: set[str] = set()
    for m in _WORD.finditer(text):
        word = m.group(0)
        if len(word) < 2 or not word[0].isupper():
            continue
        i = m.start() - 1
        gap_newline = False
        while i >= 0 and text[i].isspace():
            gap_newline = gap_newline or text[i] == "\n"
            i -= 1
        if i < 0 or gap_newline or text[i] in _SENTENCE_START:
            continue
        low = word.lower()
        if word_info(low, lang) >= min_info:
            names.add(low)
    return sorted(names)
