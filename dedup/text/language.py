"""Language identification with langdetect, seeded so the same text always gets the same answer."""

from __future__ import annotations

import math
import random
import string
import threading
from functools import lru_cache

import numpy as np
import regex
import wordfreq
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

UNDETERMINED = "und"
MIN_LETTERS = 24  # below this langdetect guesses; a guess is worse than "und"
MIN_WORDS = 4
MIN_NON_LATIN_LETTERS = 6  # an ideograph carries a word's worth of evidence

# English function words: running text where they make up a large share is English, and saying
# so costs ~0.006 ms instead of langdetect's ~1 ms. On 1,576 MT sentences of the WMT21 MQM set the
# shortcut decided 1,287 and agreed with langdetect on every one (benchmarks/RESULTS.md).
# Left out: "a", "in", "on", "was", "will", "die" and the like, common words of other Latin-script
# languages too. At the article level (>= 12% of >= 30 words; BBC news: median 26%, minimum 10%;
# French, German, Spanish news: 0%) and the sentence level (>= 20% of >= 8 words) the text is English.
_EN_FUNCTION = frozenset(
    "the of and to is that for with said has have been from this which are by at it its his her they "
    "their would not but were be an as she we you".split()
)
_WORD = regex.compile(r"\p{L}+")
SENTENCE_SHORTCUT = (8, 0.2)  # at least 8 words, at least 20% English function words
ARTICLE_SHORTCUT = (30, 0.12)

# Word-frequency vote, for the sentences the function-word shortcut leaves to langdetect (short
# ones, headlines, sentences full of names and figures: a quarter of an English article's, each
# ~8 ms of langdetect). Each word's frequency in English and in 19 Latin-script languages that
# share words with it (wordfreq's "small" lists, already a dependency): a naive-Bayes unigram
# vote. English is said only when its words are common English (mean zipf >= VOTE_MIN_MEAN) and
# English beats every other language by VOTE_MARGIN zipf per word (a factor of 10**0.5 per word);
# anything else still goes to langdetect. Measured on 3,000 English sentences that fall through the
# shortcut (BBC, WMT21 MT) and 7,600 sentences of 19 other languages (the system's gettext
# catalogues): 96% decided here; English sentences given another language 90 -> 27; other
# languages called English 83 -> 99, the added ones mostly English command syntax or untranslated
# strings in those catalogues (benchmarks/results/text.md).
_VOTE_LANGS = (
    "fr",
    "de",
    "es",
    "it",
    "nl",
    "pt",
    "ca",
    "ro",
    "sv",
    "da",
    "nb",
    "pl",
    "cs",
    "sk",
    "tr",
    "fi",
    "hu",
    "id",
    "vi",
)
VOTE_MIN_MEAN = 3.0
VOTE_MARGIN = 0.5
_VOTE_FLOOR = 1.0  # a word a list does not have counts as zipf 1 (once per billion words)
_VOTE_WORD = regex.compile(r"\p{L}+(?:'\p{L}+)?")


@lru_cache(maxsize=1)
def _vote_tables() -> tuple[dict[str, float], ...]:
    """wordfreq's frequency dictionaries, English first (loaded once: ~0.2 s, ~80 MB)."""
    return tuple(wordfreq.get_frequency_dict(lang, wordlist="small") for lang in ("en", *_VOTE_LANGS))


@lru_cache(maxsize=1 << 17)
def _zipfs(word: str) -> tuple[float, ...]:
    """The word's zipf frequency in English, then in each of `_VOTE_LANGS`, floored."""
    return tuple(max(_VOTE_FLOOR, math.log10(t.get(word, 0.0) * 1e9 or 1.0)) for t in _vote_tables())


def votes_english(text: str) -> bool:
    """English by a word-frequency vote (see `_VOTE_LANGS`); False means "ask langdetect"."""
    words = [w.lower() for w in _VOTE_WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return False
    sums = [sum(col) for col in zip(*(_zipfs(w) for w in words), strict=True)]
    en = sums[0] / len(words)
    return en >= VOTE_MIN_MEAN and all(en - other / len(words) >= VOTE_MARGIN for other in sums[1:])


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


_ASCII_LETTERS = string.ascii_letters.encode()


def _letters(text: str) -> int:
    """How many characters are letters (`str.isalpha`); an ASCII text is counted in C."""
    if text.isascii():
        return len(text) - len(text.encode("ascii").translate(None, _ASCII_LETTERS))
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
        _detect_block(det)
        return det.detect()
    except LangDetectException:
        return UNDETERMINED


_rows: dict[str, np.ndarray] = {}
_ROWS_MAX = 20_000  # of langdetect's 87,598 n-grams: ~13 MB of rows at most, then the cache restarts


def _row(det, word: str) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The n-gram's per-language probabilities as an array (made once per n-gram)."""
    row = _rows.get(word)
    if row is None:
        if len(_rows) >= _ROWS_MAX:  # a long-running gate sees many languages: keep memory bounded
            _rows.clear()
        row = _rows[word] = np.array(det.word_lang_prob_map[word], dtype=np.float64)
    return row


def _detect_block(det) -> None:  # type: ignore[no-untyped-def]
    """langdetect's `Detector._detect_block`, the same arithmetic on arrays instead of lists.

    Each step is the same IEEE operation on each language's probability (a product, a division by
    a sum taken left to right with Python's `sum`, as langdetect does), and the random draws are the
    same calls on a generator seeded alike, so `det.langprob` comes out bit for bit the same; the
    per-language Python loop was ~2/3 of a langdetect call (~9 ms on a short sentence)."""
    if det.prior_map is not None or det.verbose:
        det._detect_block()  # not used here; the original handles it
        return
    det.cleaning_text()
    ngrams = det._extract_ngrams()
    if not ngrams:
        raise LangDetectException(0, "No features in text.")  # caught by `detect`, as langdetect's
    n = len(det.langlist)
    index: dict[str, int] = {}
    picks = [index.setdefault(w, len(index)) for w in ngrams]  # each draw: a row of `table`
    table = np.array([_row(det, w) for w in index])
    langprob = np.zeros(n, dtype=np.float64)
    rnd = random.Random()
    rnd.seed(det.seed)
    below = rnd._randbelow  # what `rnd.choice(ngrams)` calls: the same draws
    count = len(picks)
    conv, limit = det.CONV_THRESHOLD, det.ITERATION_LIMIT
    for _ in range(det.n_trial):
        prob = np.full(n, 1.0 / n, dtype=np.float64)
        weight = (det.alpha + rnd.gauss(0.0, 1.0) * det.ALPHA_WIDTH) / det.BASE_FREQ
        factors = list(weight + table)  # the same sums langdetect forms per update
        i = 0
        while True:
            prob *= factors[picks[below(count)]]
            if i % 5 == 0:
                total = sum(prob.tolist())
                if total == 0.0:
                    raise ZeroDivisionError("float division by zero")  # as langdetect's would
                prob /= total
                if float(prob.max()) > conv or i >= limit:
                    break
            i += 1
        langprob += prob / det.n_trial
    det.langprob = langprob.tolist()


def looks_english(
    text: str, min_words: int = SENTENCE_SHORTCUT[0], min_share: float = SENTENCE_SHORTCUT[1]
) -> bool:
    """Plainly English running text, judged by its share of function words (a fast path in front
    of langdetect; other languages, names and headlines fall through to langdetect)."""
    words = _WORD.findall(text.lower())
    return len(words) >= min_words and sum(w in _EN_FUNCTION for w in words) >= min_share * len(words)


def detect_sentence(text: str) -> str:
    """A sentence's language; short sentences are 'und' (except non-Latin script, which is clear)."""
    if len(text.split()) < MIN_WORDS and not _mostly_non_latin(text):
        return UNDETERMINED
    if looks_english(text):
        return "en"
    if _letters(text) >= MIN_LETTERS and votes_english(text):
        return "en"
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
            return "en" if looks_english(body[:20000], *ARTICLE_SHORTCUT) else detect(body[:20000])
    return "en" if looks_english(text[:20000], *ARTICLE_SHORTCUT) else detect(text[:20000])
