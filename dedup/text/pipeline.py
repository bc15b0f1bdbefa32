"""Run the text steps over one Article and collect their spans into a Document."""

from __future__ import annotations

from dedup.load import article_from_text
from dedup.model import Article, Document, Sentence
from dedup.text.boilerplate import find_boilerplate
from dedup.text.language import detect_article, detect_sentence
from dedup.text.scripts import find_script_runs
from dedup.text.sentences import line_spans, split_sentences


def analyze(article: Article, languages: bool = True) -> Document:
    """Boilerplate first, then sentences of what is left; languages per article and sentence.

    `languages=False` skips langdetect (the slow step) for callers that only need spans.
    """
    text = article.text
    boiler, metadata = find_boilerplate(text)
    spans = split_sentences(text, exclude=[(b.start, b.end) for b in boiler])
    return _finish(article, spans, boiler, metadata, languages)


def analyze_lines(article: Article, languages: bool = True) -> Document:
    """One sentence per non-blank line (evaluation sets), no boilerplate removal."""
    return _finish(article, line_spans(article.text), [], [], languages)


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
