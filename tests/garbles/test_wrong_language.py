"""wrong_language: untranslated sentences in an English article; short or name-heavy English is left alone."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.wrong_language import WrongLanguage
from dedup.model import Flag
from dedup.text import analyze_text

ENGLISH = (
    "The two leaders will meet in San Francisco in November, officials said on Friday. "
    "The talks in Malta were described as candid, substantive and constructive by the White House. "
    "Both sides hope that relations between the two countries will get back on track after months of tension."
)


def _flags(mt: str) -> list[Flag]:
    flags = list(WrongLanguage().detect(Context(mt=analyze_text(mt))))
    for f in flags:
        assert f.text == mt[f.start : f.end]
    return flags


def test_untranslated_sentences_are_flagged() -> None:
    es = "El ministro dijo que la reunión con su homólogo será muy importante para ambos países."
    de = "Der Außenminister sagte, dass die Gespräche in der nächsten Woche fortgesetzt werden sollen."
    mt = f"{ENGLISH}\n\n{es}\n\n{ENGLISH}\n\n{de}"
    assert [f.text for f in _flags(mt)] == [es, de]


def test_english_with_names_and_short_lines_is_not_flagged() -> None:
    mt = (
        f"{ENGLISH}\n\nWang Yi, Li Keqiang, Xi Jinping and Han Zheng attended.\n\n"
        "Xi Jinping Visits Kazakhstan, Uzbekistan\n\nGracias.\n\n"
        "Ministers from Indonesia, Malaysia and Vietnam joined by video link from Jakarta and Hanoi.\n\n"
        "The menu offered pâté, crème brûlée and coq au vin à la carte to every guest."
    )
    assert _flags(mt) == []


def test_a_non_english_article_is_not_checked() -> None:
    mt = (
        "El ministro dijo que la reunión con su homólogo será muy importante para ambos países. "
        "Los dos líderes se reunirán en noviembre en San Francisco, según informaron fuentes oficiales."
    )
    assert _flags(mt) == []


def test_seed_translation(seed_mt_text: str, seed_en_text: str) -> None:
    assert _flags(seed_mt_text) == []
    assert _flags(seed_en_text) == []
