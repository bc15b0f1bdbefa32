"""Two words or names glued together because a separator was lost: "BlinkenSpecial",
"KerryTreasury", a name glued to its own repetition ("RaimondoGina Raimondo", "BidenBiden"), and
a sentence glued to the next ("said.The").

Camel case alone proves nothing: WeChat, YouTube, iPhone, McDonald, DeSantis, PlayStation,
LinkedIn, MacBook and LeBron are right. What tells a glued pair from a brand:
- the brand is a word in its own right: wordfreq knows "youtube", "playstation", "astrazeneca"
  (and even "asiaworld"); a glued pair like "kerrytreasury" has never been seen;
- a brand's left part is often a short prefix (Mc, Mac, De, Le, La, Di, O', i, e): the left part
  of a glued pair is a whole word or name of three letters or more;
- the brand is written the same way again (in the article or in the reference), a one-off glue
  is not;
- and there is positive evidence of a lost separator, at least one of: the left part is repeated
  right after the token ("RaimondoGina Raimondo") or is the right part itself ("BidenBiden");
  both parts stand alone elsewhere in the article or the reference ("Blinken" and "Special");
  the token ends a capitalised name and its right part starts a title ("Antony BlinkenSpecial
  Climate Envoy", "John KerryTreasury Secretary"); two names of a list, each used as a name
  elsewhere ("Michael JacksonAerosmith, Diana Ross"); one full name glued to the next ("James
  AllenJudith Areen", or "Joe BidenRishi Sunak" when Biden and Sunak stand alone elsewhere); a full
  name written elsewhere glued to a word that stands alone ("Tim CookApple" beside "Tim Cook": a
  surname that is a common word too); a two-letter surname after a first name glued to a title
  ("Wang YiDefence Minister"); a common lowercase word glued to a capitalised one that stands alone
  elsewhere ("theWhite House"). The two list rules skip very common words on the left ("Power",
  "Eye"), the stuff brands are made of ("PowerPage", "Sony EyeToy Play").
Tokens touching a dot, @, #, /, a hyphen or an apostrophe (domains, handles, code, O'Neill,
AsiaWorld-Expo) are not candidates. The flag is the glued token itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import regex
from wordfreq import zipf_frequency

from dedup.garbles.base import Context, Detector, register
from dedup.model import Evidence, Flag

_TOKEN = regex.compile(r"(?<![\p{L}\p{N}_@#/.'’\-])\p{L}+(?![\p{L}\p{N}_@/\-]|\.\p{L}|['’](?!s\b)\p{L})")
_WORDS = regex.compile(r"\p{L}+")
_BOUNDARY = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})")
_LOWER_UPPER = regex.compile(r"\p{Ll}\p{Lu}")  # where `_BOUNDARY` can be
_TITLE_WORD = regex.compile(r"\p{Lu}\p{Ll}+")
# "said.The": a sentence glued to the next one.
_DOT_GLUE = regex.compile(r"(?<![\p{L}\p{N}.@/])(?P<l>\p{Ll}{2,})\.(?P<r>\p{Lu}\p{Ll}+)(?![\p{L}\p{N}.@/])")
_KNOWN_TOKEN = 1.0  # zipf: wordfreq has seen the token as a word of its own (a brand, a name)
_COMMON_WORD = 4.0
_PREFIXES = frozenset(
    "mac mc van von der den del della des dos das fitz abu al el la le de di du da ben bin ibn san st "
    "saint ter ten vander".split()
)
# Words that start a title or a role, so a name glued to them is a list whose separator was lost.
_ROLE_WORDS = frozenset(
    "secretary minister special treasury commerce state defense defence foreign home interior trade "
    "president vice deputy chief senior former national prime general chairman chairwoman chair director "
    "ambassador envoy spokesman spokeswoman spokesperson senator governor mayor representative attorney "
    "justice judge commissioner head leader premier chancellor admiral colonel captain lieutenant sergeant "
    "professor doctor climate security adviser advisor counselor councillor congressman congresswoman "
    "speaker executive assistant under permanent acting finance health education energy labor labour "
    "agriculture transport transportation aid".split()
)
_REPEAT_WINDOW = 3  # words after the token in which the left part may come back


@dataclass(frozen=True)
class _Split:
    left: str
    right: str
    at: int  # offset of the right part in the text


def _splits(token: str, start: int) -> list[_Split]:
    """Every lower->Upper boundary in the token with the whole words on each side of it."""
    cuts = [m.start() for m in _BOUNDARY.finditer(token)]
    if not cuts:
        return []
    edges = [0, *cuts, len(token)]
    return [
        _Split(token[edges[i - 1] : edges[i]], token[edges[i] : edges[i + 1]], start + edges[i])
        for i in range(1, len(edges) - 1)
    ]


def _find_word(text: str, word: str) -> tuple[int, int] | None:
    m = regex.search(rf"(?<!\p{{L}}){regex.escape(word)}(?!\p{{L}})", text)
    return (m.start(), m.end()) if m else None


class _Vocab:
    """Standalone words of the MT and the reference, case-sensitive (a glued token is one word)."""

    def __init__(self, mt: str, ref: str | None) -> None:
        self.mt_text, self.ref_text = mt, ref
        self.mt = Counter(_WORDS.findall(mt))
        self.ref = Counter(_WORDS.findall(ref)) if ref else Counter()
        self.ref_lower = Counter(w.lower() for w in self.ref.elements()) if ref else Counter()

    def ref_attests(self, token: str) -> bool:
        """Whether the reference writes the token on its own account: somewhere with other words
        around it than every place the MT has it. A reference that copies the MT's sentence (a
        syndicated copy of the same translation, or the MT given as its own reference) repeats the
        accident; it is no evidence of a name."""
        if not self.ref_text or not self.ref_lower[token.lower()]:
            return False
        mt_contexts = _contexts(self.mt_text, token)
        return any(c not in mt_contexts for c in _contexts(self.ref_text, token))

    def proper(self, word: str) -> Evidence | None:
        """Where the word stands alone capitalised inside a sentence (used as a name, not a sentence start)."""
        pattern = rf"(?<=[\p{{L}}\p{{N}},;)]\s+){regex.escape(word)}(?![\p{{L}}\p{{N}}'’-])"
        for doc, text in (("mt", self.mt_text), ("ref", self.ref_text)):
            m = regex.search(pattern, text) if text else None
            if m:
                return Evidence(f"{word!r} is used as a name elsewhere", doc, m.start(), m.end(), word)
        return None

    def elsewhere(self, surname: str, next_surname: str) -> bool:
        """Joe BidenRishi Sunak: the left surname stands alone, and the surname after the glued first
        name stands alone again, in the article (twice: once is the glued place) or the reference."""
        return bool(self.mt[surname] or self.ref[surname]) and (
            self.mt[next_surname] >= 2 or self.ref[next_surname] >= 1
        )

    def full_name(self, first: str, last: str, at: int) -> Evidence | None:
        """Where "first last" stands as a whole name other than at MT offset `at` (MT, then reference)."""
        pattern = (
            rf"(?<![\p{{L}}\p{{N}}]){regex.escape(first)}[ \t\u00a0]+{regex.escape(last)}(?![\p{{L}}\p{{N}}])"
        )
        for doc, text in (("mt", self.mt_text), ("ref", self.ref_text)):
            for m in regex.finditer(pattern, text or ""):
                if doc == "ref" or m.start() != at:
                    name = f"{first} {last}"
                    return Evidence(
                        f"{name!r} is written in full elsewhere", doc, m.start(), m.end(), m.group()
                    )
        return None

    def where(self, word: str) -> Evidence | None:
        """Where the word stands alone: in the MT (preferred) or the reference."""
        if self.mt[word]:
            span = _find_word(self.mt_text, word)
            if span:
                return Evidence(f"{word!r} stands alone in the article", "mt", span[0], span[1], word)
        if self.ref[word] and self.ref_text:
            span = _find_word(self.ref_text, word)
            if span:
                return Evidence(f"{word!r} stands alone in the reference", "ref", span[0], span[1], word)
        return None


_NEXT_TITLE = regex.compile(r"[ \t\u00a0]+\p{Lu}\p{Ll}+(?![\p{L}\p{N}])")
_VERY_COMMON = 5.0  # zipf: "power", "eye", "page" - brand material, rarely a name
_KNOWN_NAME = 3.0  # zipf: a first name or word English uses ("Gina", "Judith", "Terry")
_LIST_CONTEXT = regex.compile(r"(?:,|;|\s+and\s|\s+or\s)")


def _contexts(text: str, token: str) -> set[tuple[str, str]]:
    """(word before, word after), lower-cased, of each whole-word occurrence of the token."""
    out: set[tuple[str, str]] = set()
    pattern = rf"(?<![\p{{L}}\p{{N}}]){regex.escape(token)}(?![\p{{L}}\p{{N}}])"
    for m in regex.finditer(pattern, text, flags=regex.IGNORECASE):
        before = _WORDS.findall(text[max(0, m.start() - 40) : m.start()])
        after = _WORDS.findall(text[m.end() : m.end() + 40])
        out.add(((before[-1] if before else "").lower(), (after[0] if after else "").lower()))
    return out


def _words_after(text: str, end: int, n: int) -> list[str]:
    return _WORDS.findall(text[end : end + 80])[:n]


def _word_before(text: str, start: int) -> str:
    m = regex.search(r"(\p{L}+)[ \t\u00a0]+$", text[max(0, start - 40) : start])
    return m.group(1) if m else ""


@register
class MergedTokens(Detector):
    name = "merged_tokens"
    description = "Two words or names glued together where a space or separator was lost ('KerryTreasury')"
    severity = "minor"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        text = ctx.mt.text
        # Most articles have no lower->Upper pair at all, so no token can have a boundary: the token
        # scan and the vocabulary are skipped; otherwise only tokens with such a pair are split.
        if _LOWER_UPPER.search(text):
            yield from self._glued(ctx, text)
        yield from self._dot_glue(ctx, text)
        yield from self._lost_comma(ctx, text)

    def _glued(self, ctx: Context, text: str) -> Iterator[Flag]:
        vocab: _Vocab | None = None
        for m in _TOKEN.finditer(text):
            token = m.group()
            if not _LOWER_UPPER.search(token):
                continue  # no boundary (what `_splits` would find)
            splits = _splits(token, m.start())
            if not splits:
                continue
            if vocab is None:  # built on the first token that needs it
                vocab = _Vocab(text, ctx.ref.text if ctx.ref is not None else None)
            if vocab.mt[token] > 1 or vocab.ref_attests(token):
                continue  # written the same way again: a name, not an accident
            if zipf_frequency(token.lower(), "en") >= _KNOWN_TOKEN:
                continue
            for sp in splits:
                judged = self._judge(text, m.start(), m.end(), sp, vocab)
                if judged is not None:
                    confidence, why, evidence, right = judged
                    yield self.flag(
                        ctx,
                        m.start(),
                        m.end(),
                        f"{sp.left!r} and {right!r} run together ({why})",
                        confidence=confidence,
                        evidence=evidence,
                    )
                    break

    def _judge(
        self, text: str, start: int, end: int, sp: _Split, vocab: _Vocab
    ) -> tuple[float, str, list[Evidence], str] | None:
        """(confidence, why, evidence, the right part as the message names it) or None for no glue."""
        left, right = sp.left, sp.right
        if left.lower() in _PREFIXES or not _TITLE_WORD.fullmatch(right):
            return None
        if len(left) < 3:
            # Too short to judge (iPad, a prefix), except a two-letter surname after a first name glued
            # to a title: "Foreign Minister Wang YiDefence Minister Li Shangfu".
            before = _word_before(text, start)
            if len(left) == 2 and left[0].isupper() and before and _TITLE_WORD.fullmatch(before):
                if right.lower() in _ROLE_WORDS and _NEXT_TITLE.match(text, end):
                    return 0.75, f"a name ending in {left!r} glued to the title that follows", [], right
            return None
        if left.lower() == right.lower():
            return 0.95, "a word glued to its own repetition", [], right
        if left[0].isupper():
            after = _words_after(text, end, _REPEAT_WINDOW)
            if left in after:
                pos = text.find(left, end)
                ev = Evidence(f"{left!r} comes again right after", "mt", pos, pos + len(left), left)
                return 0.95, "a name glued to its own repetition", [ev], right
        left_ev = vocab.where(left)
        right_ev = vocab.where(right)
        right_common = zipf_frequency(right.lower(), "en") >= _COMMON_WORD
        if left[0].isupper():
            # Both parts common words ("SpeechWorks", "PowerPage", "OneMusic") is how brands are
            # made; a lost separator leaves a name on the left ("Blinken", "Kerry").
            if left_ev and (right_ev or right_common) and zipf_frequency(left.lower(), "en") < _COMMON_WORD:
                evidence = [left_ev] + ([right_ev] if right_ev else [])
                return 0.85, "both parts stand alone elsewhere", evidence, right
            # In a list ("Michael JacksonAerosmith, Diana Ross"; "the US, IndiaAustralia and Japan")
            # two common words are enough when both are used elsewhere as proper names.
            name_like = zipf_frequency(left.lower(), "en") < _VERY_COMMON  # not "Power", "Eye", "One"
            if name_like and _LIST_CONTEXT.match(text, end) and vocab.proper(left) and vocab.proper(right):
                evidence = [e for e in (vocab.proper(left), vocab.proper(right)) if e]
                return 0.75, "two names of a list run together", evidence, right
            before = _word_before(text, start)
            # "Tim CookApple": the name before the glue is written in full elsewhere ("Tim Cook"), so
            # its surname ends there even when it is a common word; the right part stands alone too.
            # The right part is the rest of the token, camel case and all ("Shou ChewTikTok").
            rest = text[sp.at : end]
            rest_ev = right_ev if rest == right else vocab.where(rest)
            if before and _TITLE_WORD.fullmatch(before) and rest_ev and sp.at - len(left) == start:
                full = vocab.full_name(before, left, start - len(before) - 1)
                if full is not None:
                    return 0.8, f"the name {before} {left} glued to the next word", [full, rest_ev], rest
            if before and _TITLE_WORD.fullmatch(before) and right.lower() in _ROLE_WORDS:
                return 0.8, f"a name ending in {left!r} glued to the title that follows", [], right
            # "James AllenJudith Areen": one full name glued to the next one.
            nxt = _NEXT_TITLE.match(text, end)
            if (
                name_like
                and before
                and _TITLE_WORD.fullmatch(before)
                and nxt
                and (
                    zipf_frequency(right.lower(), "en") >= _KNOWN_NAME
                    or vocab.elsewhere(left, nxt.group().strip())
                )
                and not _TITLE_WORD.fullmatch(_word_before(text, start - len(before) - 1) or "-")
            ):  # ... and not inside a longer run of capitalised words (a title, a headline)
                return 0.7, "two full names run together", [], right
            return None
        # a common lowercase word glued to a capitalised one: "theWhite House"
        if zipf_frequency(left, "en") >= _COMMON_WORD and right_ev:
            return 0.75, "a common word glued to a capitalised one", [right_ev], right
        return None

    def _dot_glue(self, ctx: Context, text: str) -> Iterator[Flag]:
        for m in _DOT_GLUE.finditer(text):
            left, right = m.group("l"), m.group("r")
            if zipf_frequency(left, "en") < 3.0 or zipf_frequency(right.lower(), "en") < 3.0:
                continue
            yield self.flag(
                ctx,
                m.start(),
                m.end(),
                f"no space after the full stop between {left!r} and {right!r}",
                confidence=0.7,
            )

    def _lost_comma(self, ctx: Context, text: str) -> Iterator[Flag]:
        """ "Giroud Leao and Pulisic scored": two surnames of a list with the comma between them lost.

        Each must be the surname of a different person written in full elsewhere ("Olivier Giroud",
        "Rafael Leao"), the pair must never be written together elsewhere (a double-barrelled name
        is written so every time), and never as a first name before a capitalised word; a list
        word follows ("and", a comma) with a third surname of the same kind ("Pulisic"), and no
        capitalised word comes before (the tail of a longer name, "Andres Manuel Lopez Obrador and")."""
        ref = ctx.ref.text if ctx.ref is not None else ""
        names: _Names | None = None
        for m in _SURNAME_PAIR.finditer(text, overlapped=True):
            x, y = m.group("x"), m.group("y")
            if x == y or _longer_name(text, m.start()):
                continue
            if names is None:  # indexed once: a lookup per candidate over the whole text was quadratic
                names = _Names(text, ref)
            if names.pairs_mt[(x, y)] > 1 or (x, y) in names.pairs_ref:
                continue
            ex, ey = names.surname_of_other(x, y, m.start()), names.surname_of_other(y, x, m.start())
            ez = names.surname_of_other(m.group("z"), y, m.start("z"))
            if ex is None or ey is None or ez is None or names.first_name_elsewhere(x, m.start()):
                continue
            yield self.flag(
                ctx,
                m.start(),
                m.end("y"),
                f"{x!r} and {y!r} run together: two names of a list, the separator between them lost",
                confidence=0.7,
                evidence=[ex, ey],
            )


# Words before a capitalised word that make a place, a club or a body of it, not a person.
_NOT_FIRST_NAMES = frozenset(
    "greater new north south east west northern southern eastern western central upper lower united royal "
    "national saint st port lake mount fort cape san santa los las el la le the and but in at of for on to "
    "by with from as after before since when while real sporting athletic inter fc ac".split()
)
_NAME = r"\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?"
_SURNAME_PAIR = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}'’.\-])(?P<x>{_NAME})[ \t\u00a0](?P<y>{_NAME})(?:,|[ \t\u00a0]+(?:and|&))[ \t\u00a0]+(?P<z>{_NAME})(?![\p{{L}}\p{{N}}'’\-])"
)


_BEFORE = regex.compile(r"(?<!\p{L})(\p{L}+)[ \t\u00a0]+$")
_SENTENCE_START = regex.compile(r"(?:^|[.!?][\"”’)]?\s+)$")
_SENTENCE_ADVERB_ZIPF = 4.4  # "Afterwards", "Later", "Meanwhile": a common word opening the sentence


def _longer_name(text: str, at: int) -> bool:
    """Whether a capitalised word comes right before `at` (the pair is the tail of a longer name,
    "Andres Manuel Lopez Obrador"), unless it is a common word opening the sentence ("Afterwards")."""
    m = _BEFORE.search(text, max(0, at - 40), at)
    if m is None or not _TITLE_WORD.fullmatch(m.group(1)):
        return False
    opens = _SENTENCE_START.search(text, max(0, m.start(1) - 5), m.start(1)) is not None
    return not (opens and zipf_frequency(m.group(1).lower(), "en") >= _SENTENCE_ADVERB_ZIPF)


_FULL_NAME = regex.compile(
    rf"(?<![\p{{L}}\p{{N}}'’\-])(?P<first>\p{{Lu}}\p{{Ll}}+)[ \t\u00a0]+(?P<last>{_NAME})(?![\p{{L}}\p{{N}}'’\-])"
)
_ADJACENT = regex.compile(rf"(?<![\p{{L}}\p{{N}}])({_NAME})\s+({_NAME})(?![\p{{L}}\p{{N}}])")
_BEFORE_NAME = regex.compile(rf"(?<![\p{{L}}\p{{N}}'’\-])({_NAME})[ \t\u00a0]+\p{{Lu}}\p{{Ll}}")


class _Names:
    """The capitalised word pairs of the MT and the reference, indexed once per article."""

    def __init__(self, text: str, ref: str) -> None:
        self.full: dict[str, list[tuple[str, regex.Match[str]]]] = {}
        for doc, t in (("mt", text), ("ref", ref)):
            for m in _FULL_NAME.finditer(t, overlapped=True):
                self.full.setdefault(m.group("last"), []).append((doc, m))
        self.pairs_mt = Counter((m.group(1), m.group(2)) for m in _ADJACENT.finditer(text, overlapped=True))
        self.pairs_ref = {(m.group(1), m.group(2)) for m in _ADJACENT.finditer(ref, overlapped=True)}
        self.first_mt: dict[str, list[int]] = {}
        for m in _BEFORE_NAME.finditer(text, overlapped=True):
            self.first_mt.setdefault(m.group(1), []).append(m.start())
        self.first_ref = {m.group(1) for m in _BEFORE_NAME.finditer(ref, overlapped=True)}

    def surname_of_other(self, name: str, other: str, at: int) -> Evidence | None:
        """Where `name` ends a full name ("Rafael Leao") whose first word is not `other`, away from
        MT offset `at` (the article first, then the reference)."""
        for doc, m in self.full.get(name, []):
            first = m.group("first")
            if first == other or (doc == "mt" and m.start() <= at < m.end()):
                continue
            if first.lower() in _NOT_FIRST_NAMES or zipf_frequency(first.lower(), "en") >= 6.0:
                continue  # "The Leao", "Greater Manchester", "Newcastle United": not a person
            return Evidence(f"{m.group()!r} names a person", doc, m.start(), m.end(), m.group())
        return None

    def first_name_elsewhere(self, name: str, at: int) -> bool:
        """Whether `name` comes before another capitalised name somewhere else (it is a first name)."""
        return any(s != at for s in self.first_mt.get(name, [])) or name in self.first_ref
