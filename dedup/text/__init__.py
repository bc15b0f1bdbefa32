"""The text pipeline: boilerplate, metadata, sentences, languages and script runs, all as spans."""

from dedup.text.pipeline import analyze, analyze_lines, analyze_text

__all__ = ["analyze", "analyze_lines", "analyze_text"]
