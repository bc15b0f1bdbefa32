"""Sentence spans for news text, including MT output that keeps CJK punctuation.

Rule-based on purpose: news has headlines with no final stop, initials (Janet L. Yellen), dotted
abbreviations (U.S., U.N.), quotes, and MT leftovers such as an ideographic full stop inside
English text or a semicolon standing for a sentence break. Each rule is small and tested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Terminators: Latin, CJK (full stop, full-width ! ? ;) and an ASCII semicolon (judged below).
_TERM = re.compile(r"(?:\.{2,}|…|[.!?]+|[。！？；]+|;)(?P<close>[\"'”’»)\]）」』】]*)")
_OPEN_OK = "\"'“‘«([（「『【"
_TITLE_ABBREV = frozenset(
    "mr mrs ms dr prof gen sen rep gov lt col sgt capt cmdr adm maj pres supt det insp rev fr hon st jr sr "
    "messrs mt ft".split()
)
_OTHER_ABBREV = frozenset(
    "no nos vs v etc approx dept est fig figs inc corp co ltd bros jan feb mar apr jun jul aug sep sept "
    "oct nov dec mon tue tues wed thu thur thurs fri sat sun ave blvd rd hwy cf al ed eds vol p pp ch sec "
    "art para e.g i.e a.m p.m".split()
)
# Abbreviations that often close a sentence too: split after them when a sentence starter follows.
_MAY_END = frozenset("etc inc corp co ltd bros".split())
_STARTERS = frozenset(
    "the a an he she it they we i you his her its their our this that these those there here but and so "
    "yet however meanwhile in on at for after before when while if as since although though despite "
    "during with without according last next some many most one two three officials mr mrs ms".split()
)
_WORD_BEFORE = re.compile(r"(\S+)$")
_WORD_WINDOW = 64  # the word before a stop is looked for this far back (keeps splitting linear)
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]*([\w'’-]+)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.$")
_HAS_WORD = re.compile(r"\w")


def _next_word(text: str, pos: int, end: int) -> str:
    m = _NEXT_WORD.match(text, pos, end)
    return m.group(1) if m else ""


def _is_boundary(text: str, term_start: int, term: str, after: int, end: int) -> bool:
    """Is there a sentence break right after text[term_start:after] (terminator plus closers)?"""
    if term[0] in "。！？；":
        return True
    # Latin terminators need white space, then a plausible sentence start (or the end).
    ws = after
    while ws < end and text[ws].isspace():
        ws += 1
    if ws == end:
        return True
    if ws == after:
        return False
    nxt = text[ws]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPEN_OK or not nxt.isascii() and nxt.isalpha()):
        return False
    if nxt in _OPEN_OK and ws + 1 < end and text[ws + 1].islower():
        return False
    if term == ";":
        return nxt.isupper() and _next_word(text, ws, end) not in ("I",)
    if term != ".":
        return True
    m = _WORD_BEFORE.search(text, max(0, term_start + 1 - _WORD_WINDOW), term_start + 1)
    word = m.group(1) if m else ""
    word = word.lstrip("\"'“‘«([")
    bare = word[:-1].lower()
    starter = _next_word(text, ws, end).lower() in _STARTERS
    if _INITIAL.search(word) and len(word) == 2:
        # "Janet L. Yellen": an initial, unless a sentence plainly starts after it.
        return False
    if _DOTTED.search(word):
        # "U.S. Senate" stays together; "... in the U.S. The next day" breaks.
        return starter
    if bare in _TITLE_ABBREV:
        return False
    if bare in _OTHER_ABBREV:
        return bare in _MAY_END and starter
    return True


def _cut_reason(term: str) -> str:
    if term[0] in "。！？；":
        return f"CJK terminator {term[0]!r}"
    if term == ";":
        return "semicolon before a capital"
    return f"terminator {term!r}"


def _split_segment(text: str, start: int, end: int, last: str, out: list[tuple[int, int, str]]) -> None:
    """Split text[start:end] (one paragraph or line) into sentences, appended to `out` trimmed,
    each with the reason it ends where it does (`last` for the segment's final sentence)."""
    pos = start
    last = end  # the segment's end without trailing white space
    while last > start and text[last - 1].isspace():
        last -= 1
    for m in _TERM.finditer(text, start, end):
        term = m.group(0)[: m.start("close") - m.start()]
        if _is_boundary(text, m.start(), term, m.end(), end):
            at_end = m.end() >= last
            _emit(text, pos, m.end(), f"{_cut_reason(term)}, {last}" if at_end else _cut_reason(term), out)
            pos = m.end()
    _emit(text, pos, end, last, out)


def _emit(text: str, s: int, e: int, reason: str, out: list[tuple[int, int, str]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e and _HAS_WORD.search(text, s, e):
        out.append((s, e, reason))


_NOT_SPACE_TAB = re.compile(r"[^ \t]")


def _paragraph_pieces(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Lines of a region, except that a line broken mid-sentence (lowercase on both sides of the
    break, as in hard-wrapped text) is joined with the next one."""
    piece_start = start
    pos = start
    while True:
        nl = text.find("\n", pos, end)
        if nl < 0:
            yield piece_start, end
            return
        before = text[pos:nl].rstrip()
        # The first character after the break's spaces, found in place: slicing the rest of the
        # region at each line cost O(lines x region) (20,000 short lines: 0.25 s).
        after = _NOT_SPACE_TAB.search(text, nl + 1, end)
        wrapped = (
            bool(before)
            and after is not None
            and (before[-1].islower() or before[-1] in ",-")
            and after.group().islower()
        )
        if not wrapped:
            yield piece_start, nl
            piece_start = nl + 1
        pos = nl + 1


def split_sentences(text: str, exclude: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentence spans (sorted, disjoint, trimmed) of `text` outside the `exclude` spans."""
    return [(s, e) for s, e, _ in explain_sentences(text, exclude)]


def explain_sentences(text: str, exclude: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Sentence spans with the rule that ended each one, for people reading `dedup inspect`."""
    regions: list[tuple[int, int]] = []
    pos = 0
    for s, e in sorted(exclude):
        if s > pos:
            regions.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        regions.append((pos, len(text)))
    out: list[tuple[int, int, str]] = []
    for rs, re_ in regions:
        region_last = "end of text" if re_ == len(text) else "boilerplate follows"
        for ps, pe in _paragraph_pieces(text, rs, re_):
            _split_segment(text, ps, pe, region_last if pe == re_ else "end of line", out)
    return out


def line_spans(text: str) -> list[tuple[int, int]]:
    """One span per non-blank line, trimmed (for inputs that are already one sentence per line)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        pos += len(line) + 1
    return out
