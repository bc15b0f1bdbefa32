"""Script runs: spans of non-Latin script and full-width punctuation in the original text."""

from __future__ import annotations

from dedup.text.scripts import find_script_runs


def _runs(text: str) -> list[tuple[str, str]]:
    return [(text[r.start : r.end], r.script) for r in find_script_runs(text)]


def test_a_kana_word_with_a_long_vowel_mark_is_one_run() -> None:
    text = "the brand クリーン and すごーい, half-width ｸﾘｰﾝ."
    assert _runs(text) == [("クリーン", "Katakana"), ("すごーい", "Hiragana"), ("ｸﾘｰﾝ", "Katakana")]


def test_a_long_vowel_mark_alone_or_after_han_starts_no_run() -> None:
    assert _runs("中文ー and ー alone") == [("中文", "Han")]


def test_runs_of_other_scripts_and_cjk_punctuation() -> None:
    text = "Putin (Путин) said。Seoul 서울"
    assert _runs(text) == [("Путин", "Cyrillic"), ("。", "fullwidth"), ("서울", "Hangul")]
    assert find_script_runs("plain ASCII text") == []
