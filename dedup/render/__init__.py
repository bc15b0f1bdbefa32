"""Self-contained HTML reports: `render_pair`/`render_corpus` from JSON results, `report_*` from Documents."""

from dedup.render.build import analyze_corpus, check_json, report_corpus, report_pair, scan_json
from dedup.render.html import Limits, render_corpus, render_pair

__all__ = [
    "Limits",
    "analyze_corpus",
    "check_json",
    "render_corpus",
    "render_pair",
    "report_corpus",
    "report_pair",
    "scan_json",
]
