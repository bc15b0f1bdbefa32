"""Brackets and double quotes that open without closing, or close without opening.

Openers are carried across lines: a bracket opened in one sentence and closed in the next is
fine, and so is the news convention for a quotation running over several paragraphs (the opening
quote repeats at the start of each paragraph, the closing one comes only at the end). A bracket
left open is forgiven when one of the next 3 lines closes it, a quotation within 8 lines (sets
such as WMT split paragraphs into one sentence per line); a line whose own quotes pair up
neither continues nor closes a carried quotation, so one lost quote does not shift every later
pair.

Straight double quotes have no direction of their own: it is read from the position (a quote
starting a line opens, one ending it closes) and the spacing around them (a quote after a space
and before a word opens); the glyph decides for curly quotes, and the running state decides
when nothing else does. One level of nesting in double quotes is accepted (MT writes nested
quotations that way). Single quotes are left out on purpose: "’" is an apostrophe far more
often than a closing quote. Inch marks (27"),
list markers ("1)", "a)") and emoticons (":)") are not brackets. Boilerplate spans are skipped
(the boilerplate family reports those). The flag is the one unmatched character.

A bracket closed twice on one line ("(5 in A and 3 in B). Cases, 1 in C)") has one closer too many,
and which one is the error is a question of meaning: by default the later one "closes nothing". With
an aligned reference, when the reference closes a bracket right after the word before the later
closer ("... 1 in C)") and after none before the earlier one, the earlier closer is the garble (it
closed the bracket too early) and is flagged instead, with the later closer and the reference's as
evidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.model import Document, Evidence, Flag

_OPEN_TO_CLOSE = {
    "(": ")",
    "[": "]",
    "{": "}",
    "（": "）",
    "【": "】",
    "「": "」",
    "『": "』",
    "〔": "〕",
    "《": "》",
}
_CLOSE_TO_OPEN = {v: k for k, v in _OPEN_TO_CLOSE.items()}
# „ opens a German, Czech or Polish quotation, closed by “ (or ”): „Wir schaffen das“.
_QUOTES = {'"': None, "“": "open", "”": "close", "«": "open", "»": "close", "„": "open"}
# Every character the scan acts on: the rest of a line is passed over in C, not one by one in Python.
_MARKS = re.compile("[" + re.escape("".join(sorted({*_OPEN_TO_CLOSE, *_CLOSE_TO_OPEN, *_QUOTES}))) + "]")
_LIST_MARKER = regex.compile(r"(?:^|(?<=[\s(]))(?:\d{1,2}|[A-Za-z]|[ivxIVX]{1,4})$")
_EMOTICON = regex.compile(r"[:;=8][-']?$")
_OPEN_CONTEXT = set("([{（【「『《-–—/")
_CLOSE_AFTER = set(".,;:!?)]}）】」』》-–—…'’")
# A paragraph may close what an earlier one opened (and evaluation sets split paragraphs into
# sentences): openers are carried over this many lines before they count as never closed.
_BRACKET_CARRY = 3
_QUOTE_CARRY = 8
_MAX_NESTING = 2
_WORD_BEFORE = regex.compile(r"([\p{L}\p{N}]+)[^\p{L}\p{N}\n]{0,3}$")


def _word_before(text: str, i: int, lo: int = 0) -> str:
    m = _WORD_BEFORE.search(text, max(lo, i - 60), i)
    return m.group(1).lower() if m else ""


def _lines(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            yield pos, pos + len(line)
        pos += len(line) + 1


def _inside(spans: list[tuple[int, int]], i: int) -> bool:
    return any(s <= i < e for s, e in spans)


def _quote_direction(
    text: str, i: int, lo: int, hi: int, is_open: bool, pairs_up: bool = False
) -> tuple[str, bool]:
    """Does the quote at i open or close, and is its glyph the wrong way round (“ closing, ” opening)?

    A quote that starts a line opens and one that ends it (closing punctuation aside) closes,
    whatever its glyph. Elsewhere the spacing decides when it is clear (a space before and a word
    after opens); a curly quote goes by its glyph unless the spacing says the opposite and the
    running state agrees; an unclear straight quote toggles the state, and so does every straight
    quote of a line whose straight quotes pair up by count.
    """
    glyph = _QUOTES[text[i]]
    at_start = not text[lo:i].strip()
    at_end = all(c.isspace() or c in _CLOSE_AFTER for c in text[i + 1 : hi])
    if at_start != at_end:
        direction = "open" if at_start else "close"
        return direction, glyph is not None and glyph != direction
    toggled = "close" if is_open else "open"
    before = text[i - 1] if i > lo else " "
    after = text[i + 1] if i + 1 < hi else " "
    space_before = before.isspace() or before in _OPEN_CONTEXT
    space_after = after.isspace() or after in _CLOSE_AFTER
    spacing = (
        "open" if space_before and not space_after else "close" if space_after and not space_before else None
    )
    if glyph is None:
        # In a line whose straight quotes pair up, bad spacing ('as" Shanghai ")') is no evidence.
        return (toggled if pairs_up else spacing or toggled), False
    if spacing and spacing != glyph and spacing == toggled:
        return spacing, True
    return glyph, False


def _after_sentence_end(text: str, lo: int, i: int) -> bool:
    """Is the quote at i the first thing after a sentence end ('... important. "We are')?"""
    head = text[lo:i].rstrip()
    return head.endswith((".", "!", "?", "…", ":")) and len(head) < i - lo


@register
class Unbalanced(Detector):
    name = "unbalanced"
    description = "Brackets or double quotes that open without closing or close without opening"
    severity = "minor"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        text = ctx.mt.text
        skip = sorted((b.start, b.end) for b in ctx.mt.boilerplate)
        stack: list[tuple[int, str, int]] = []  # open brackets: offset, character, line number
        quotes: list[tuple[int, int]] = []  # open quotations (outer, nested): offset, line number
        k = 0
        for li, (lo, hi) in enumerate(_lines(text)):
            while stack and li - stack[0][2] > _BRACKET_CARRY:
                pos, o, _ = stack.pop(0)
                yield self._never_closed(ctx, pos, o)
            if quotes and li - quotes[-1][1] > _QUOTE_CARRY:
                yield self._unclosed_quote(ctx, quotes[0][0])
                quotes = []
            # A line whose own quotes pair up (and that does not reopen at its start) neither
            # continues nor closes a quotation carried from an earlier line: set it aside.
            saved: list[tuple[int, int]] = []
            hits = [m.start() for m in _MARKS.finditer(text, lo, hi)]  # only these characters act
            marks = [i for i in hits if text[i] in _QUOTES and not _inside(skip, i)]
            if quotes and marks and len(marks) % 2 == 0 and text[lo : marks[0]].strip():
                saved, quotes = quotes, []
            straight = [i for i in marks if text[i] == '"']
            pairs_up = not quotes and len(straight) % 2 == 0
            closed: dict[str, int] = {}  # the last closer of each kind that matched, on this line
            for i in hits:
                while k < len(skip) and skip[k][1] <= i:
                    k += 1
                if k < len(skip) and skip[k][0] <= i:
                    continue
                ch = text[i]
                if ch in _OPEN_TO_CLOSE:
                    stack.append((i, ch, li))
                elif ch in _CLOSE_TO_OPEN:
                    want = _CLOSE_TO_OPEN[ch]
                    if stack and stack[-1][1] == want:
                        stack.pop()
                        closed[ch] = i
                    elif any(o == want for _, o, _ in stack):
                        while stack[-1][1] != want:  # openers skipped over are the unmatched ones
                            pos, o, _ = stack.pop()
                            yield self._never_closed(ctx, pos, o)
                        stack.pop()
                    elif ch == ")" and (_LIST_MARKER.search(text, lo, i) or _EMOTICON.search(text, lo, i)):
                        continue
                    elif ch in closed and (early := self._closed_too_early(ctx, closed[ch], i)) is not None:
                        yield early
                    else:
                        yield self.flag(ctx, i, i + 1, f"{ch!r} closes nothing", confidence=0.9)
                elif ch in _QUOTES:
                    if ch == '"' and not quotes and i > lo and text[i - 1].isdigit():
                        continue  # an inch mark: 27" screen
                    if ch == "“" and quotes and text[quotes[-1][0]] == "„":
                        direction, reversed_glyph = "close", False  # „...“: the glyph that closes there
                    else:
                        direction, reversed_glyph = _quote_direction(text, i, lo, hi, bool(quotes), pairs_up)
                    if reversed_glyph and (direction == "open") != bool(quotes):
                        yield self.flag(
                            ctx,
                            i,
                            i + 1,
                            f"{ch!r} is the wrong way round ({direction}s here)",
                            confidence=0.7,
                        )
                    if direction == "open":
                        if quotes and (not text[lo:i].strip() or _after_sentence_end(text, lo, i)):
                            # a quotation running over several paragraphs reopens at each one
                            # (and scraped text often loses the paragraph break before it)
                            quotes = []
                        elif len(quotes) >= _MAX_NESTING:
                            yield self._unclosed_quote(ctx, quotes.pop(0)[0])
                        quotes.append((i, li))  # MT writes a nested quotation with double quotes too
                    elif quotes:
                        quotes.pop()
                    else:
                        yield self.flag(ctx, i, i + 1, "closing quote with no opening quote", confidence=0.8)
            if saved:
                if quotes:
                    yield self._unclosed_quote(ctx, saved[0][0])
                else:
                    quotes = saved
        for pos, o, _ in stack:
            yield self._never_closed(ctx, pos, o)
        if quotes:
            yield self._unclosed_quote(ctx, quotes[0][0])

    def _closed_too_early(self, ctx: Context, first: int, second: int) -> Flag | None:
        """A bracket closed at `first` and again at `second`: the earlier closer is the extra one when
        the aligned reference closes a bracket after the word before `second` and after none before
        `first` (see the module docstring)."""
        mt = ctx.mt
        idx = {k for k, s in enumerate(mt.sentences) if s.start <= second < s.end or s.start <= first < s.end}
        ch = mt.text[second]
        later, earlier = _word_before(mt.text, second), _word_before(mt.text, first)
        if not later or later == earlier:
            return None
        for n, ref, alignment in ctx.references():  # the first reference that decides
            if alignment is None:
                continue
            words: dict[str, int] = {}
            for j in sorted({j for k in idx for j in alignment.ref_for(k)}):
                s = ref.sentences[j]
                for m in regex.finditer(regex.escape(ch), ref.text[s.start : s.end]):
                    words.setdefault(
                        _word_before(ref.text, s.start + m.start(), s.start), s.start + m.start()
                    )
            if later in words and earlier not in words:
                return self._too_early(ctx, ref, n, first, second, words[later], later)
        return None

    def _too_early(
        self, ctx: Context, ref: Document, n: int, first: int, second: int, at: int, later: str
    ) -> Flag:
        mt, ch = ctx.mt, ctx.mt.text[second]
        in_ref = replace(
            Evidence.at("the aligned reference closes it here", "ref", ref.text, at, at + 1),
            ref_index=ctx.evidence_index(n),
        )
        return self.flag(
            ctx,
            first,
            first + 1,
            f"{ch!r} closes the bracket too early: it is closed again after {later!r}, "
            f"where the aligned reference closes it",
            confidence=0.8,
            evidence=[
                Evidence.at("the bracket closed again", "mt", mt.text, second, second + 1),
                in_ref,
            ],
        )

    def _unclosed_quote(self, ctx: Context, pos: int) -> Flag:
        return self.flag(ctx, pos, pos + 1, "quotation is never closed", confidence=0.8)

    def _never_closed(self, ctx: Context, pos: int, opener: str) -> Flag:
        return self.flag(ctx, pos, pos + 1, f"{opener!r} is never closed", confidence=0.85)
