"""One name spelled two ways: in the same article ("Russel" ... "Russell") or against the reference.

Names are compared token by token (capitalised words), so a surname alone referring back to a full
name, a middle initial ("Janet L. Yellen" / "Janet Yellen") or a title ("President Biden") is the
same token and never a variant. A variant is a close edit (rapidfuzz Levenshtein: 1 edit up to six
letters, 2 beyond) between two name tokens sharing their first letter, and none of these:
- an inflection or demonym (Korea/Korean, Israel/Israelis, Argentina/Argentines), a case or diacritics
  difference;
- two parts of one name (Hong Kong), or two names the reference uses both of;
- two established names, by wordfreq: both frequent (Iran/Iraq, Australian/Austrian), both
  attested with close frequencies (Hebei/Hubei, Macau/Macao), or, within the article, one well-known
  and the other frequent (WORD_ZIPF) and never after a first name (Scott/Scot, Islamic/Islamist);
- two pinyin names a syllable apart (Xining/Xinming): romanised Chinese places and people differ so;
- two people: the spellings follow different first names (David Walliams / Robbie Williams), are
  both only ever first names, or one is only ever a first name and the other only ever a surname
  (Ioannis Karmis / Gregory Ioannidis); or a person and the first word of a longer name (Petr Cech /
  Czech Republic, Matthew Upson / Upton Park).
Against the reference alone, transliterations differ between translators (Kronstadt/Kronshtadt), so
only a spelling much rarer than the reference's well-known one is flagged (Melbourme/Melbourne), or
one that stands where the reference writes the other: the two spellings sit in the two sides of a
confident alignment link, the MT never writes the reference's spelling and the reference never the
MT's, when wordfreq has never seen the MT's spelling and knows the reference's (Andanal/Andanar),
or when the rest of the name agrees ("Megan Markle" / "Meghan Markle"). Two unknown or two attested
spellings otherwise count as transliterations (Nagqu/Naqu, Kronstadt/Kronshtadt, Macau/Macao); two
well-known names, inflections, pinyin a syllable apart and names after different first names never do.
The flag goes on the spelling the reference lacks, else the rarer one in the article, else the one
wordfreq does not know, else the later one; the evidence points at the other spelling.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex
from rapidfuzz.distance import OSA, Levenshtein
from wordfreq import zipf_frequency

from dedup.garbles.base import Context, Detector, register
from dedup.model import Document, Evidence, Flag

# A capitalised word, with the usual camel-case surname prefixes (McDonald, DeSantis, O'Brien);
# other camel-case runs ("BlinkenSpecial") are merged tokens, another family's business.
# After an Arabic article or a patronymic joined by a hyphen ("al-Hassan", "bin-Laden", "el-Sisi") the
# name is the part after the hyphen; other hyphenated names ("Kosiniak-Kamysz") are not split.
NAME_TOKEN_RE = regex.compile(
    r"(?:(?<![\p{L}\p{N}'’\-])|(?<=(?<![\p{L}\p{N}])(?:al|el|ul|ad|ar|as|ash|at|az|an|bin|ibn|abu|bint)-))"
    r"(?P<name>(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O['’])?\p{Lu}\p{Ll}+)"
    r"(?:['’]s?)?"
    r"(?![\p{L}\p{N}])"
)
# Endings of plurals, demonyms and adjectives: Korea/Korean, Israel/Israelis, Slovakia/Slovaks,
# Argentina/Argentine/Argentines (and the Spanish plural in names: Aguas Argentinas), Olympic/Olympiad/
# Olympians/Olympics, Islamic/Islamist.
_INFLECTIONS = frozenset(
    ("", "s", "es", "n", "an", "ian", "ese", "i", "is", "ns", "ans", "ians", "ish", "er", "ers", "ic", "ia",
     "a", "e", "as", "ics", "iad", "ist", "ists", "ism")
)  # fmt: skip
COMMON_WORD_ZIPF = 5.0  # a capitalised word this frequent is an ordinary word, not a name
ATTESTED_ZIPF = 2.0  # both spellings at least this frequent and within ATTESTED_GAP of each other:
ATTESTED_GAP = 1.0  # two established names (Hebei/Hubei) or accepted variants (Macau/Macao)
WELL_KNOWN_ZIPF = 3.5  # both spellings this frequent: two distinct, well-known names
WORD_ZIPF = 3.0  # within an article, a rarer spelling this frequent beside a well-known one is a word
REF_ONLY_GAP = 1.5  # against the reference alone: the reference's spelling must be this much better known
KNOWN_NAME = 1.0  # a spelling wordfreq gives at least this (zipf) is a known name; 0 means never seen
ALIGNED_LINK = 0.5  # against the reference: a link this confident puts two spellings in one place

_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
                    "z", "c", "s", "y", "w", "")  # fmt: skip
_PINYIN_FINALS = ("a", "o", "e", "i", "u", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "er", "an", "en",
                  "in", "un", "ang", "eng", "ing", "ong", "ia", "iao", "ian", "iang", "iong", "ua", "uo",
                  "uai", "uan", "uang", "ue", "ueng")  # fmt: skip
PINYIN_SYLLABLES = frozenset(i + f for i in _PINYIN_INITIALS for f in _PINYIN_FINALS) | {
    "lv",
    "nv",
    "lve",
    "nve",
}


@dataclass(frozen=True)
class NameToken:
    start: int
    end: int
    text: str
    sentence_start: bool
    first_name: str = ""  # the capitalised word right before it ("Danny" for "Danny Russel")
    before_name: bool = False  # a capitalised word follows: used as a first name here
    next_name: str = ""  # that following surname-like word ("Markle" for "Megan Markle")
    next_word: str = ""  # the capitalised word right after it, however common ("Martin", "O'Neill")


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    return zipf_frequency(word.lower(), "en")


_SURNAME_ZIPF = 3.5  # a following capitalised word rarer than this is a surname (Robben), not "County"
_RARE_SURNAME_ZIPF = 3.0  # a shared following word this rare ties two spellings to one person (Markle)
_NOT_FIRST_NAMES = frozenset(
    ("mr", "mrs", "ms", "dr", "sir", "president", "minister", "secretary", "general")
    # titles before a surname in court and politics reports ("Judge Lambert", "Prosecutor de Vries")
    + ("judge", "justice", "prosecutor", "governor", "senator", "mayor", "chancellor", "premier", "coach",
       "professor", "prof", "lord", "lady", "dame", "prince", "princess", "king", "queen", "sheikh",
       "colonel", "captain", "commander", "bishop", "cardinal", "pope", "rev", "father")
)  # fmt: skip


def _is_first_name(word: str) -> bool:
    """A capitalised word before a surname that can be a first name: not a function word or title
    (first names are frequent words themselves: David 5.1, John 5.3; 'But' 6.6, 'However' 5.6)."""
    return zipf(word) < 5.5 and word.lower() not in _NOT_FIRST_NAMES


_WORD_CHAR = regex.compile(r"[\p{L}\p{N}]")
# the word right before a token ("Omar" before "al-Hassan" too)
_NAME_BEFORE = regex.compile(
    r"(?<![\p{L}])(\p{Lu}\p{Ll}+)[ \u00a0]+(?:(?:al|el|ul|ad|ar|as|ash|at|az|an|bin|ibn|abu|bint)-)?$"
)
_NAME_BEFORE_SPAN = 80  # characters searched back for it (a first name and its spaces)
_LOWER_WORD = regex.compile(r"(?<![\p{L}])\p{Ll}+(?![\p{L}])")
# A surname-like word after a token (compiled once: `regex.match(pattern, ...)` per token looked the
# pattern up in regex's cache each time, 2% of a gate's check).
_NAME_AFTER = regex.compile(
    r"[ \u00a0]+(?:(?:de|van|von|der|da|di|la|le|du|al|bin|el)[ \u00a0]+)?((?:O['’]|Mc|Mac)?\p{Lu}\p{Ll}+)"
)


def name_tokens(doc: Document) -> list[NameToken]:
    """Capitalised name-like tokens of the document's sentences (boilerplate left out)."""
    text = doc.text
    lower_words = set(_LOWER_WORD.findall(text))
    out: list[NameToken] = []
    for s in doc.sentences:
        # The sentence's first letter or digit, found once: a token is at the sentence start when
        # none comes before it (searching the sentence up to each token was O(n^2) in its words).
        head = _WORD_CHAR.search(text, s.start, s.end)
        for m in NAME_TOKEN_RE.finditer(text, s.start, s.end):
            word = m.group("name")
            if len(word) < 4 or word.lower() in lower_words or zipf(word) >= COMMON_WORD_ZIPF:
                continue
            # pos/endpos instead of slicing the sentence up to the token: in a sentence of n words
            # the slices cost O(n^2) (a 150,000-word paragraph without a full stop took 17 s here).
            # (`head` is searched once per sentence for the same reason.)
            initial = head is None or head.start() >= m.start()
            first = _NAME_BEFORE.search(text, max(s.start, m.start() - _NAME_BEFORE_SPAN), m.start())
            end = m.start() + len(word)
            after = _NAME_AFTER.match(text[end : min(s.end, end + 40)])
            # Followed by a surname-like word (rare, not "County", "District"): a first name here.
            before_name = after is not None and zipf(after.group(1)) < _SURNAME_ZIPF
            first_name = first.group(1) if first and _is_first_name(first.group(1)) else ""
            next_name = after.group(1) if before_name and after is not None else ""
            next_word = after.group(1) if after is not None else ""
            out.append(
                NameToken(m.start(), end, word, initial, first_name, before_name, next_name, next_word)
            )
    return out


# A dateline's credit: "Brasilia, 20 September (Agencia Brasil) -", "Sept. 20 (Prensa Latina)". The agency
# is named in its own language (Agencia Brasil beside Brazil), not a spelling of the article's.
_CREDIT = regex.compile(
    r"(?m)^[^\n()]{0,80}?(?:\b\d{1,2}\s+\p{Lu}\p{Ll}+\.?|\b\p{Lu}\p{Ll}+\.?\s+\d{1,2})(?:,?\s+\d{4})?"
    r"\s*\((?P<credit>[^()\n]{2,60})\)"
)


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the agency credits of datelines in `text`."""
    return [m.span("credit") for m in _CREDIT.finditer(text)]


def _fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def is_pinyin(word: str) -> bool:
    """Whether the word splits into (over-generated) pinyin syllables: a transliterated Chinese name."""
    w = word.lower()
    ok = [True] + [False] * len(w)
    for i in range(1, len(w) + 1):
        ok[i] = any(ok[j] and w[j:i] in PINYIN_SYLLABLES for j in range(max(0, i - 6), i))
    return ok[-1]


def _inflection(a: str, b: str) -> bool:
    """One word with two endings of the inflection list, on a shared stem of at least four letters."""
    x, y = a.lower(), b.lower()
    n = 0
    while n < min(len(x), len(y)) and x[n] == y[n]:
        n += 1
    return any(
        k >= 4
        and x[k:] in _INFLECTIONS
        and y[k:] in _INFLECTIONS
        and not _lost_final_s(x[:k], x[k:], y[k:])
        and not _lost_final_vowel(x[k:], y[k:])
        for k in range(n, max(3, n - 3), -1)
    )


_VOWEL_ENDINGS = frozenset(("a", "e", "as"))


def _lost_final_vowel(end_a: str, end_b: str) -> bool:
    """Argentina/Argentine/Argentinas are one stem's endings, but a bare word against the same word
    plus a final vowel (Mukherje/Mukherjee, Rom/Roma) is a letter lost, not an inflection."""
    return "" in (end_a, end_b) and bool({end_a, end_b} & _VOWEL_ENDINGS)


def _lost_final_s(stem: str, end_a: str, end_b: str) -> bool:
    """Hawass/Hawas, Bliss/Blis: a plural never adds a bare -s to a word ending in -s, so
    a stem in s that differs by one more s is a doubled letter lost, not an inflection."""
    return stem.endswith("s") and {end_a, end_b} == {"", "s"}


# Romanisations of one Cyrillic spelling: Dmitri/Dmitry/Dmitriy, Yevgeny/Evgeny,
# Mikhail/Mihail, Aleksei/Alexei, Fyodor/Fedor, Smirnoff/Smirnov. Ordered: longer patterns first.
_TRANSLIT = (
    (r"kh", "h"),
    (r"ks", "x"),
    (r"(?:iy|ii|yi|y|ij|j)$", "i"),
    (r"^ye", "e"),
    (r"yo", "e"),
    (r"(?<=\p{L})y(?=[aeiou])", "i"),
    (r"^j(?=[aeiou])", "i"),
    (r"ff$", "v"),
    (r"w", "v"),
)


_TRANSLIT_RE = tuple((regex.compile(p), r) for p, r in _TRANSLIT)


def translit_key(word: str) -> str:
    """A spelling with the usual romanisation alternatives folded: two spellings with one key are one
    name transliterated two ways, not a misspelling."""
    key = _fold(word)
    for pattern, repl in _TRANSLIT_RE:
        key = pattern.sub(repl, key)
    return key


def is_variant(a: str, b: str, attested: bool = True) -> bool:
    """Two spellings of one name, by edit distance and the guards in the module docstring.

    `attested=False` drops the guard for two attested names of close frequency (Megan/Meghan): for
    spellings that stand in one aligned place, where the context already says they name one thing."""
    if a == b or len(a) < 4 or len(b) < 4 or a[0].lower() != b[0].lower():
        return False
    if a.lower() == b.lower() or _fold(a) == _fold(b):  # case or diacritics only: Malacañang/Malacanang
        return False
    dist = Levenshtein.distance(a.lower(), b.lower())
    limit = 1 if max(len(a), len(b)) <= 6 else 2
    # Two letters swapped ("Lambret" / "Lambert") are two Levenshtein edits but one slip of the hand.
    swapped = len(a) >= 5 and OSA.distance(a.lower(), b.lower()) == 1 and dist == 2
    if not swapped and (dist > limit or Levenshtein.normalized_similarity(a.lower(), b.lower()) < 0.75):
        return False
    if _inflection(a, b):
        return False
    za, zb = zipf(a), zipf(b)
    if attested and min(za, zb) >= ATTESTED_ZIPF and abs(za - zb) < ATTESTED_GAP:
        return False
    if min(za, zb) >= WELL_KNOWN_ZIPF:  # both common: Australian/Austrian, Allen/Allan
        return False
    # Pinyin names one syllable apart are usually different places or people (Xining/Xinming).
    return not (is_pinyin(a) and is_pinyin(b))


_JOINER = regex.compile(r"[\s\u00a0\-]*")  # what joins two parts of one name


def _neighbours(doc: Document, tokens: list[NameToken]) -> set[frozenset[str]]:
    """Pairs of tokens seen side by side in one name ("Hong Kong"): parts of one name, not variants."""
    pairs: set[frozenset[str]] = set()
    text = doc.text
    for a, b in zip(tokens, tokens[1:], strict=False):
        if b.start - a.end <= 2 and _JOINER.fullmatch(text[a.end : b.start]):
            pairs.add(frozenset((a.text, b.text)))
    return pairs


def _different_people(a: list[NameToken], b: list[NameToken]) -> bool:
    """The two spellings follow different first names (David Walliams / Robbie Williams), or both
    are only ever first names themselves, of different surnames (Mirco ... / Marco ...): two people,
    not one misspelled."""
    fa, fb = {t.first_name for t in a} - {""}, {t.first_name for t in b} - {""}
    if fa and fb and not fa & fb:
        return True
    # Both only ever first names, before different surnames, rare or common ("Mirco Bergamasco" / "Marco
    # Bortolami", "Micheál Martin" / "Michelle O'Neill"): two people. One surname after both
    # ("Katharina Brandt" / "Katherina Brandt") is one person spelled two ways.
    na, nb = {t.next_word for t in a}, {t.next_word for t in b}
    if "" not in na and "" not in nb and not na & nb:
        return True
    # One spelling only ever a first name, the other only ever a surname after some first name
    # ("Ioannis Karmis" / "Gregory Ioannidis", Greek surnames grow from first names): two people.
    return _first_vs_surname(a, b) or _first_vs_surname(b, a)


def _first_names(toks: list[NameToken]) -> set[str]:
    return {t.first_name for t in toks} - {""}


def _first_vs_surname(first: list[NameToken], last: list[NameToken]) -> bool:
    return (
        all(t.before_name for t in first)
        and not any(t.first_name for t in first)
        and not any(t.before_name for t in last)
        and any(t.first_name for t in last)
    )


def _two_words(a: list[NameToken], b: list[NameToken]) -> bool:
    """A well-known word and a rarer one that is a word of its own and never follows a first name: two
    words (Scott/Scot, Olympics/Olympian, Islamic/Islamist). Common misspellings are attested too, but
    under WORD_ZIPF (Micheal 2.8, Brittain 2.5, Kenedy 2.0), so Spider/Spidey (2.75) stay a pair. A
    rarer spelling after a first name is a person's name, and a surname may be slipped into another
    attested one ("Danny Russel" ... "Russell")."""
    za, zb = zipf(a[0].text), zipf(b[0].text)
    if min(za, zb) < WORD_ZIPF or max(za, zb) < WELL_KNOWN_ZIPF:
        return False
    rarer = a if za < zb else b
    return not any(t.first_name for t in rarer)


def _person_and_compound(a: list[NameToken], b: list[NameToken]) -> bool:
    """One spelling names a person (after a first name somewhere), the other is only ever the first
    word of a longer name and never after a first name ("Petr Cech" / "Czech Republic", "Matthew Upson"
    / "Upton Park"): a person and a place, not one name spelled two ways."""

    def person(toks: list[NameToken]) -> bool:  # "Petr Cech", not "Qingshuihe Sonandajie Station"
        return any(t.first_name and not t.next_word for t in toks)

    def compound(toks: list[NameToken]) -> bool:
        return all(t.next_word and not t.first_name for t in toks)

    return (person(a) and compound(b)) or (person(b) and compound(a))


def _sentence_of(doc: Document, toks: list[NameToken]) -> set[int]:
    """Indices of the sentences the tokens sit in."""
    starts = [s.start for s in doc.sentences]
    return {bisect_right(starts, t.start) - 1 for t in toks}


def aligned_together(
    ctx: Context, mt_toks: list[NameToken], ref_toks: list[NameToken], min_score: float = ALIGNED_LINK
) -> bool:
    """Whether a confident alignment link joins a sentence holding one of `mt_toks` with one holding
    one of `ref_toks`."""
    if ctx.alignment is None or ctx.ref is None:
        return False
    mine, theirs = _sentence_of(ctx.mt, mt_toks), _sentence_of(ctx.ref, ref_toks)
    return any(
        link.score >= min_score and mine & set(link.mt) and theirs & set(link.ref)
        for link in ctx.alignment.links
    )


def _after_other_first_names(a: list[NameToken], b: list[NameToken]) -> bool:
    """The spellings follow different first names (David Walliams / Robbie Williams): two people."""
    fa, fb = {t.first_name for t in a} - {""}, {t.first_name for t in b} - {""}
    return bool(fa and fb and not fa & fb)


def _same_person(a: list[NameToken], b: list[NameToken]) -> bool:
    """Some occurrences of both spellings are followed by one rare surname ("Megan Markle" / "Meghan
    Markle"). Not a shared word before them: titles and places stand there too ("Vice Admiral",
    "Xinjiang Uyghur", "Abbott Rapid Diagnostics")."""
    na = {t.next_name for t in a if t.next_name and zipf(t.next_name) < _RARE_SURNAME_ZIPF}
    return bool(na & {t.next_name for t in b})


def _usable(toks: list[NameToken]) -> bool:
    """A spelling seen only at sentence starts may be an ordinary word; keep it out."""
    return any(not t.sentence_start for t in toks) or zipf(toks[0].text) < 4.0


@register
class NameVariants(Detector):
    name = "name_variants"
    description = (
        "One name spelled two ways in the same article, or differently from the reference "
        "(not a surname alone, a middle initial or a title)."
    )
    severity = "major"
    reference_agreement = True

    def agrees(self, flag: Flag, ref: Document) -> bool:
        """The reference spells the name as the flag does."""
        return any(t.text == flag.text for t in name_tokens(ref))

    def detect(self, ctx: Context) -> Iterator[Flag]:
        mt = ctx.mt
        credits = credit_spans(mt.text)
        mt_tokens = [t for t in name_tokens(mt) if not any(s <= t.start < e for s, e in credits)]
        by_word: dict[str, list[NameToken]] = defaultdict(list)
        for t in mt_tokens:
            by_word[t.text].append(t)
        joined = _neighbours(mt, mt_tokens)
        ref_words: dict[str, list[NameToken]] = defaultdict(list)
        if ctx.ref is not None:
            ref_tokens = name_tokens(ctx.ref)
            for t in ref_tokens:
                ref_words[t.text].append(t)
            joined |= _neighbours(ctx.ref, ref_tokens)
        words = sorted(w for w, toks in by_word.items() if _usable(toks))
        flagged: set[str] = set()
        # `is_variant` says no to two words of other first letters: each word is paired only with
        # the later words of its first letter, in the same order as the pairs of all words.
        initial: dict[str, list[str]] = defaultdict(list)
        for w in words:
            initial[w[0].lower()].append(w)
        # Within the article.
        for a in words:
            same = initial[a[0].lower()]
            for b in same[same.index(a) + 1 :]:
                # Two attested spellings after one first name are one person spelled two ways
                # ("Omar al-Hassan" / "Omar al-Hasan"), not two established names.
                # The reference's first names count too ("Sean O'Neil" here, "Sean O'Neill" there).
                one_person = bool(
                    _first_names(by_word[a] + ref_words.get(a, []))
                    & _first_names(by_word[b] + ref_words.get(b, []))
                )
                if frozenset((a, b)) in joined or not is_variant(a, b, attested=not one_person):
                    continue
                if a in ref_words and b in ref_words:  # the reference uses both: two names
                    continue
                if _different_people(by_word[a], by_word[b]) or _two_words(by_word[a], by_word[b]):
                    continue
                if _person_and_compound(by_word[a], by_word[b]):
                    continue
                wrong, right, conf = self._pick(a, b, by_word, ref_words)
                if wrong in flagged:
                    continue
                flagged.add(wrong)
                yield from self._flags(
                    ctx, by_word[wrong], right, by_word[right], ref_words.get(right, []), conf
                )
        # Against the reference: a spelling only the MT uses, close to one only the reference uses.
        if ctx.ref is not None:
            ref_only = sorted(w for w, toks in ref_words.items() if w not in by_word and _usable(toks))
            ref_initial: dict[str, list[str]] = defaultdict(list)
            for w in ref_only:
                ref_initial[w[0].lower()].append(w)
            for a in words:
                if a in flagged or a in ref_words:
                    continue
                for b in ref_initial.get(a[0].lower(), []):
                    if frozenset((a, b)) in joined or not is_variant(a, b, attested=False):
                        continue
                    if translit_key(a) == translit_key(b):
                        continue  # Dmitri/Dmitry: translators romanise differently; not a slip
                    # A misspelled well-known name (Melbourme/Melbourne), as before; or, in one aligned
                    # place, an MT spelling wordfreq has never seen where the reference writes one it
                    # knows (Andanal/Andanar), or any spelling when the rest of the name agrees ("Megan
                    # Markle" / "Meghan Markle"). Two unknown or two attested spellings are left alone:
                    # translators transliterate differently (Nagqu/Naqu, Kronstadt/Kronshtadt, Macau/
                    # Macao) and references slip too (Vientiane/Vientianne).
                    better_known = zipf(b) - zipf(a) >= REF_ONLY_GAP and is_variant(a, b)
                    unknown_for_known = zipf(a) == 0.0 < zipf(b)
                    if not better_known and (
                        not (unknown_for_known or _same_person(by_word[a], ref_words[b]))
                        or _after_other_first_names(by_word[a], ref_words[b])
                        or not aligned_together(ctx, by_word[a], ref_words[b])
                    ):
                        continue
                    flagged.add(a)
                    yield from self._flags(ctx, by_word[a], b, [], ref_words[b], 0.7)
                    break

    @staticmethod
    def _pick(
        a: str,
        b: str,
        by_word: dict[str, list[NameToken]],
        ref_words: dict[str, list[NameToken]],
    ) -> tuple[str, str, float]:
        """Which spelling to flag: the one the reference lacks; else one wordfreq has never seen when
        the other is a known name (Arcleor / Arcelor: an article may misspell a name more often than
        it spells it right); else the rarer in the article; else the one less attested in wordfreq
        (Khordokovsky / Khodorkovsky); else the later."""
        in_ref_a, in_ref_b = a in ref_words, b in ref_words
        if in_ref_a != in_ref_b:
            return (b, a, 0.9) if in_ref_a else (a, b, 0.9)
        za, zb = zipf(a), zipf(b)
        if min(za, zb) == 0.0 and max(za, zb) >= KNOWN_NAME:
            return (a, b, 0.75) if za == 0.0 else (b, a, 0.75)
        na, nb = len(by_word[a]), len(by_word[b])
        if na != nb:
            return (a, b, 0.8) if na < nb else (b, a, 0.8)
        if abs(za - zb) >= REF_ONLY_GAP:
            return (a, b, 0.75) if za < zb else (b, a, 0.75)
        first_a, first_b = by_word[a][0].start, by_word[b][0].start
        return (a, b, 0.75) if first_a > first_b else (b, a, 0.75)

    def _flags(
        self,
        ctx: Context,
        wrong: list[NameToken],
        right: str,
        right_mt: list[NameToken],
        right_ref: list[NameToken],
        conf: float,
    ) -> Iterator[Flag]:
        ev = [
            Evidence(note=f"spelled {right!r} here", doc="mt", start=t.start, end=t.end, text=t.text)
            for t in right_mt[:3]
        ] + [
            Evidence(
                note=f"the reference spells it {right!r}", doc="ref", start=t.start, end=t.end, text=t.text
            )
            for t in right_ref[:2]
        ]
        where = "elsewhere in the article" if right_mt else "in the reference"
        for t in wrong:
            yield self.flag(
                ctx,
                t.start,
                t.end,
                f"name spelled {t.text!r} here but {right!r} {where}",
                confidence=conf,
                evidence=ev,
            )
