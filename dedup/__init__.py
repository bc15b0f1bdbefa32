"""dedup: near-duplicates, comparable-sentence alignment and garbled-translation checks for news.

The public API lives here; the CLI (`dedup.cli`) only parses, calls these and prints.
"""

from __future__ import annotations

__version__ = "0.1.0"

from dedup.load import Loaded, article_from_text, iter_articles, load_articles  # noqa: E402
from dedup.model import Article, Boilerplate, Document, LoadError, Metadata, ScriptRun, Sentence, Span  # noqa: E402
from dedup.text import analyze, analyze_lines  # noqa: E402


def inspect(article: Article) -> Document:
    """What the text pipeline sees in one article: language, sentences, boilerplate, metadata."""
    return analyze(article)


__all__ = [
    "Article",
    "Boilerplate",
    "Document",
    "LoadError",
    "Loaded",
    "Metadata",
    "ScriptRun",
    "Sentence",
    "Span",
    "__version__",
    "analyze",
    "analyze_lines",
    "article_from_text",
    "inspect",
    "iter_articles",
    "load_articles",
]
