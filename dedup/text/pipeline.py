"""Run the text steps over one Article and collect their spans into a Document."""

from __future__ import annotations

import re

from dedup.load import article_from_text
from dedup.model import Article, Document, Sentence
from dedup.text.boilerplate import find_boilerplate
from dedup.text.language import detect_article, detect_sentence
from dedup.text.scripts import find_script_runs
from dedup.text.sentences import line_spans, split_sentences

# Line breaks other than "\n" that files carry: a lone CR (classic Mac, some CMS exports), NEL,
# the Unicode line and paragraph separators, VT and FF. The steps read lines at "\n"; each of these
# is one character, as "\n" is, so they read a copy with "\n" in its place and every offset they
# give is an offset into the original text. ("\r\n" stays: the steps take the CR as trailing space.)
# Likewise the spaces HTML and word processors put between words (no-break, thin, figure, en/em
# spaces) read as " ": the steps' patterns ("| more articles)", "Read more:") are written with it.
_BREAKS = "\x0b\x0c\x85\u2028\u2029"
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"
_LONE_CR = re.compile("\r(?!\n)")


def line_view(text: str) -> str:
    """The text as the line-based steps read it: same length, other line breaks made "\n" and other
    spaces " ", so every offset into it is the same offset into the original.

    One `in` test per character (a memchr-speed scan) and a replace only for those present: a
    regular expression over a non-ASCII text cost 5% of `analyze`."""
    if text.isascii() and "\r" not in text and "\x0b" not in text and "\x0c" not in text:
        return text
    for ch in _BREAKS:
        if ch in text:
            text = text.replace(ch, "\n")
    for ch in _SPACES:
        if ch in text:
            text = text.replace(ch, " ")
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    return text


def analyze(article: Article, languages: bool = True) -> Document:
    """Boilerplate first, then sentences of what is left; languages per article and sentence.

    `languages=False` skips langdetect (the slow step) for callers that only need spans.
    """
    view = line_view(article.text)
    boiler, metadata = find_boilerplate(view)
    spans = split_sentences(view, exclude=[(b.start, b.end) for b in boiler])
    return _finish(article, spans, boiler, metadata, languages)


def analyze_lines(article: Article, languages: bool = True) -> Document:
    """One sentence per non-blank line (evaluation sets), no boilerplate removal."""
    return _finish(article, line_spans(line_view(article.text)), [], [], languages)


def analyze_text(text: str, id: str = "text", languages: bool = True) -> Document:
    return analyze(article_from_text(text, id=id), languages=languages)


def _finish(article, spans, boiler, metadata, languages: bool) -> Document:  # type: ignore[no-untyped-def]
    text = article.text
    if languages:
        sentences = [Sentence(s, e, detect_sentence(text[s:e])) for s, e in spans]
        lang = article.lang or detect_article(text, [(s.start, s.end) for s in sentences])
    else:
        sentences = [Sentence(s, e) for s, e in spans]
        lang = article.lang or "und"
    return Document(
        article=article,
        lang=lang,
        sentences=sentences,
        boilerplate=boiler,
        metadata=metadata,
        scripts=find_script_runs(text),
    )
