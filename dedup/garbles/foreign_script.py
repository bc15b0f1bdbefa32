"""Non-Latin script and full-width / CJK punctuation left behind in an English (Latin-script) text.

MT from Chinese leaves untranslated names ("华声在线"), ideographic full stops ("Raimondo)。") and
full-width brackets ("【Xinhua】") in otherwise English output. The text pipeline already finds
the runs (`Document.scripts`); this family judges them. It stays silent on articles that are not
written in Latin script, and on what English prose legitimately borrows: a lone Greek letter or
two (μg, α-particles, π). A non-Latin gloss in ASCII brackets after a Latin word ("Xi Jinping
(习近平)") may be deliberate in an English report, so it is flagged as minor with low confidence.
The date line of an embedded social-media post ("— RT (@RT_com) 1 января 2020 г.") is written in the
poster's locale by the platform: furniture of the quoted post, not a translation left undone.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from dedup.garbles.base import Context, Detector, register
from dedup.model import Document, Flag, ScriptRun

# Languages whose writing is Latin-script (langdetect codes); "und" is judged by counting letters.
_LATIN_LANGS = frozenset(
    "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw tl tr vi".split()
)
_MIN_LATIN_SHARE = 0.7
_SYMBOL_SCRIPTS = frozenset({"Greek"})  # short runs are symbols in English prose (μ, α, Ω)
_SYMBOL_MAX = 2
_MAJOR_SCRIPTS = frozenset({"Han", "Hiragana", "Katakana", "Hangul"})


def latin_article(doc: Document) -> bool:
    """Is the article written in a Latin-script language (judged by letters when the language is unknown)?"""
    if doc.lang in _LATIN_LANGS:
        return True
    if doc.lang != "und":
        return False
    letters = [ch for ch in doc.text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if ord(ch) <= 0x24F)
    return latin >= _MIN_LATIN_SHARE * len(letters)


_JOINERS = " \u3000\u30fc\u30fb\uff70"


def _merge(text: str, runs: list[ScriptRun]) -> list[tuple[int, int, list[str]]]:
    """Runs that touch or are separated by spaces only become one span (one flag per leftover). The
    Kana length and middle-dot marks (ー, ・, ｰ) are script Common, so a katakana word is cut into runs
    around them ("ク リ ー ン"): they join runs like spaces do."""
    out: list[tuple[int, int, list[str]]] = []
    for r in sorted(runs, key=lambda r: (r.start, r.end)):
        if out and not text[out[-1][1] : r.start].strip(_JOINERS):
            start, _, scripts = out[-1]
            out[-1] = (start, max(out[-1][1], r.end), scripts + [r.script])
        else:
            out.append((r.start, r.end, [r.script]))
    return out


# "— Name (@handle) " then at most a date's length before the run, on one line: an embedded post's signature.
_POST_SIGNATURE = regex.compile(r"[—–-][^\n]{1,60}\(@\w{1,30}\)[ \u00a0]+[^\n]{0,30}$")


def _in_post_signature(text: str, start: int) -> bool:
    return _POST_SIGNATURE.search(text, max(0, start - 130), start) is not None


def _is_gloss(text: str, start: int, end: int) -> bool:
    """A run alone inside ASCII brackets right after a Latin word: "Xi Jinping (习近平)"."""
    before = text[:start].rstrip()
    after = text[end:].lstrip()
    if not (before.endswith(("(", "[")) and after.startswith((")", "]"))):
        return False
    lead = before[:-1].rstrip()
    return bool(lead) and lead[-1].isalpha() and ord(lead[-1]) <= 0x24F


@register
class ForeignScript(Detector):
    name = "foreign_script"
    description = (
        "Non-Latin script (Han, Kana, Hangul, Cyrillic...) or full-width/CJK punctuation in English text"
    )
    severity = "major"

    def detect(self, ctx: Context) -> Iterator[Flag]:
        doc = ctx.mt
        if not latin_article(doc):
            return
        text = doc.text
        for start, end, scripts in _merge(text, doc.scripts):
            names = sorted(set(scripts))
            if set(names) <= _SYMBOL_SCRIPTS and end - start <= _SYMBOL_MAX:
                continue
            if names == ["fullwidth"]:
                yield self.flag(
                    ctx,
                    start,
                    end,
                    f"full-width/CJK punctuation {text[start:end]!r} in English text",
                    confidence=0.9,
                    severity="minor",
                )
                continue
            label = ", ".join(n for n in names if n != "fullwidth") or "non-Latin"
            if _in_post_signature(text, start):
                continue
            if _is_gloss(text, start, end):
                yield self.flag(
                    ctx,
                    start,
                    end,
                    f"{label} gloss in brackets (may be intentional)",
                    confidence=0.5,
                    severity="minor",
                )
                continue
            major = bool(set(names) & _MAJOR_SCRIPTS) or end - start > _SYMBOL_MAX
            yield self.flag(
                ctx,
                start,
                end,
                f"{label} script left untranslated in English text",
                confidence=0.95,
                severity="major" if major else "minor",
            )
