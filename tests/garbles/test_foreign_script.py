"""foreign_script: non-Latin runs and CJK punctuation in English text, with exact spans."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.foreign_script import ForeignScript
from dedup.model import Flag
from dedup.text import analyze_text


def _flags(mt: str) -> list[Flag]:
    flags = list(ForeignScript().detect(Context(mt=analyze_text(mt))))
    for f in flags:
        assert f.text == mt[f.start : f.end]
    return flags


def test_han_run_and_cjk_punctuation_in_english() -> None:
    mt = (
        "The festival opened in Changsha on Friday, organisers said (see 华声在线 for details)。 "
        "Tickets sold out within hours, and more shows were added for the weekend crowd."
    )
    flags = _flags(mt)
    assert [f.text for f in flags] == ["华声在线", "。"]
    assert flags[0].severity == "major" and flags[1].severity == "minor"


def test_adjacent_runs_make_one_flag() -> None:
    mt = "Officials met the delegation in the capital on Monday，并表示 talks would continue next month."
    assert [f.text for f in _flags(mt)] == ["，并表示"]


def test_fullwidth_brackets() -> None:
    mt = (
        "The agency said the new rules take effect in August.\n【Xinhua Feature】 Reporters visited the site."
    )
    assert [f.text for f in _flags(mt)] == ["【", "】"]


def test_greek_symbols_are_not_flagged() -> None:
    mt = (
        "Each dose holds 5 μg of the drug, and the α-particles were measured against a π baseline in the lab."
    )
    assert _flags(mt) == []


def test_gloss_in_brackets_is_low_confidence() -> None:
    mt = "President Xi Jinping (习近平) met the visiting delegation in Beijing on Tuesday afternoon."
    flags = _flags(mt)
    assert [f.text for f in flags] == ["习近平"]
    assert flags[0].confidence < 0.6


def test_non_latin_article_is_not_checked() -> None:
    mt = "中国外交部长王毅将于下周访问华盛顿，双方将讨论会晤的具体细节。美国官员表示，拜登期待与习近平会面。"
    assert _flags(mt) == []


def test_seed_translation(seed_mt_text: str, seed_en_text: str) -> None:
    assert [f.text for f in _flags(seed_mt_text)] == ["。"]
    assert _flags(seed_en_text) == []


def test_a_katakana_word_with_its_length_mark_is_one_flag() -> None:
    """Seventh red-team: "ー" (U+30FC) is script Common, so the pipeline's runs stop at it."""
    mt = "The two countries would work on ク リ ー ン energy and クリーン power, officials said."
    assert [f.text for f in _flags(mt)] == ["ク リ ー ン", "クリーン"]
