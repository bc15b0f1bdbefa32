"""Sentence alignment of a machine-translated article with an English report, in any order."""

from dedup.align.core import align, align_texts
from dedup.align.output import SCHEMA, alignment_json, render_table
from dedup.align.params import AlignParams

__all__ = ["SCHEMA", "AlignParams", "align", "align_texts", "alignment_json", "render_table"]
