"""dedup: near-duplicates, comparable-sentence alignment and garbled-translation checks for news.

The public API lives here; the CLI (`dedup.cli`) only parses, calls these and prints. The stages
whose names are also module names (align, check, gate) are bound here eagerly, so that
`dedup.check` is always the function; the others are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Bound after their modules are imported: the function, not the module, is `dedup.<name>`.
from dedup.align import AlignParams, align, align_texts, alignment_json  # noqa: E402, I001
from dedup.check import CheckParams, CheckResult, check, check_articles  # noqa: E402
from dedup.gate import GateParams, gate  # noqa: E402
from dedup.load import Loaded, article_from_text, iter_articles, load_articles  # noqa: E402
from dedup.model import (  # noqa: E402
    Alignment,
    Article,
    Boilerplate,
    Document,
    Evidence,
    Flag,
    Link,
    LoadError,
    Metadata,
    ScriptRun,
    Sentence,
    Span,
)
from dedup.text import analyze, analyze_lines, analyze_text  # noqa: E402

# name -> module that defines it (imported lazily by __getattr__)
_LAZY = {
    "scan": "dedup.near",
    "ScanResult": "dedup.near",
    "open_index": "dedup.near",
    "IndexMismatch": "dedup.near",
    "IndexBusy": "dedup.near",
    "IndexUnavailable": "dedup.near",
    "VerdictPolicy": "dedup.score",
    "MetricParams": "dedup.score",
    "render_pair": "dedup.render",
    "render_corpus": "dedup.render",
    "report_pair": "dedup.render",
    "report_corpus": "dedup.render",
    "detectors": "dedup.garbles",
}


def inspect(article: Article) -> Document:
    """What the text pipeline sees in one article: language, sentences, boilerplate, metadata."""
    return analyze(article)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dedup' has no attribute {name!r}")
    if name == "detectors":
        return importlib.import_module(module).load_all()
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "AlignParams",
    "Alignment",
    "Article",
    "CheckParams",
    "CheckResult",
    "GateParams",
    "Boilerplate",
    "Document",
    "Evidence",
    "Flag",
    "Link",
    "LoadError",
    "Loaded",
    "Metadata",
    "ScriptRun",
    "Sentence",
    "Span",
    "__version__",
    "align",
    "align_texts",
    "alignment_json",
    "analyze",
    "analyze_lines",
    "analyze_text",
    "article_from_text",
    "check",
    "check_articles",
    "gate",
    "inspect",
    "iter_articles",
    "load_articles",
    *sorted(_LAZY),
]
