"""Language identification with langdetect, seeded so the same text always gets the same answer."""

from __future__ import annotations

import threading
from functools import lru_cache

from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"
MIN_LETTERS = 24  # below this langdetect guesses; a guess is worse than "und"
MIN_WORDS = 4
MIN_NON_LATIN_LETTERS = 6  # an ideograph carries a word's worth of evidence

_lock = threading.Lock()
_factory: DetectorFactory | None = None


def _get_factory() -> DetectorFactory:
    """One seeded factory, loaded once (loading the profiles is the slow part)."""
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY

            f = DetectorFactory()
            f.load_profile(PROFILES_DIRECTORY)
            f.set_seed(0)
            _factory = f
        return _factory


def _letters(text: str) -> int:
    return sum(1 for ch in text if ch.isalpha())


@lru_cache(maxsize=65536)
def detect(text: str) -> str:
    """ISO 639-1 code (or langdetect's zh-cn / zh-tw), 'und' when too short or undecidable."""
    letters = _letters(text)
    if letters < MIN_LETTERS and not (letters >= MIN_NON_LATIN_LETTERS and _mostly_non_latin(text)):
        return UNDETERMINED
    det = _get_factory().create()
    det.append(text)
    try:
        return det.detect()
    except LangDetectException:
        return UNDETERMINED


def detect_sentence(text: str) -> str:
    """A sentence's language; short sentences are 'und' (except non-Latin script, which is clear)."""
    if len(text.split()) < MIN_WORDS and not _mostly_non_latin(text):
        return UNDETERMINED
    return detect(text)


def _mostly_non_latin(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) < 4:
        return False
    non_latin = sum(1 for ch in letters if ord(ch) > 0x24F)
    return non_latin * 2 > len(letters)


def detect_article(text: str, sentence_spans: list[tuple[int, int]] | None = None) -> str:
    """The article's language, judged on its body sentences when known (boilerplate excluded)."""
    if sentence_spans:
        body = " ".join(text[s:e] for s, e in sentence_spans)
        if _letters(body) >= MIN_LETTERS:
            return detect(body[:20000])
    return detect(text[:20000])
