"""Runs of non-Latin script and of full-width / CJK punctuation, as spans."""

from __future__ import annotations

import regex

from dedup.model import ScriptRun

# Scripts worth naming; anything else non-Latin is reported as "other".
_SCRIPTS = (
    "Han",
    "Hiragana",
    "Katakana",
    "Hangul",
    "Cyrillic",
    "Greek",
    "Arabic",
    "Hebrew",
    "Thai",
    "Devanagari",
    "Bengali",
    "Tamil",
    "Georgian",
    "Armenian",
    "Ethiopic",
)
# CJK symbols and punctuation (U+3000-303F), full-width forms (U+FF00-FF60, U+FFE0-FFEE),
# and the CJK-only corner/lenticular brackets that MT leaves behind in English text.
_CJK_PUNCT = r"[\u3000-\u303F\uFF00-\uFF60\uFFE0-\uFFEE\u30FB]"
# The prolonged sound mark (U+30FC, half-width U+FF70) is Common script but written only inside
# kana words ("クリーン"): without it one word was cut into two runs. It continues a run, never
# starts one.
_EXTRA = {"Hiragana": "\\u30FC", "Katakana": "\\u30FC\\uFF70"}
_RUN = regex.compile(
    "|".join(
        f"(?P<{name}>\\p{{Script={name}}}[\\p{{Script={name}}}{_EXTRA.get(name, '')}]*)" for name in _SCRIPTS
    )
    + f"|(?P<fullwidth>{_CJK_PUNCT}+)"
)


def find_script_runs(text: str) -> list[ScriptRun]:
    """Every maximal run of a named non-Latin script or of full-width punctuation, in order.

    Full-width punctuation takes precedence where it is also Han-scripted (e.g. the ideographic
    full stop is Common script, so it never merges into a Han run)."""
    if text.isascii():  # most English text: no run possible, and the scan costs ~0.15 ms an article
        return []
    runs: list[ScriptRun] = []
    for m in _RUN.finditer(text):
        name = m.lastgroup or "other"
        runs.append(ScriptRun(m.start(), m.end(), name))
    return runs
