"""From Documents to reports: analysis (in one process or several), the real check and scan, pair choice."""

from __future__ import annotations

import pytest

from dedup.load import article_from_text
from dedup.render import build
from dedup.render.build import _which_is_mt, analyze_corpus, report_corpus, report_pair
from dedup.text import analyze_text
from tests.cli.test_report_cli import COPY_A, COPY_B, MT, REF


def _articles() -> list:
    return [
        article_from_text(COPY_A, id="a"),
        article_from_text(COPY_B, id="b"),
        article_from_text(MT, id="mt"),
        article_from_text(REF, id="ref"),
    ]


def test_process_pool_gives_the_same_documents_and_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    one_docs, one_checks = analyze_corpus(_articles(), check=True, jobs=1)
    monkeypatch.setattr(build, "PARALLEL_MIN_ARTICLES", 2)
    two_docs, two_checks = analyze_corpus(_articles(), check=True, jobs=2)
    assert [d.to_json() for d in two_docs] == [d.to_json() for d in one_docs]
    assert two_checks == one_checks
    assert [d.lang for d in one_docs] == ["en"] * 4
    assert any(f["kind"] == "repeated_words" for f in one_checks["mt"]["flags"])


def test_corpus_report_finds_the_copies_and_is_deterministic() -> None:
    docs, checks = analyze_corpus(_articles(), check=True)
    html = report_corpus(docs, checks=checks)
    assert html == report_corpus(docs, checks=checks)
    assert html.count('class="cluster" data-level="copy"') == 1
    copy = html[html.index('id="copy-a"') : html.index('id="story-clusters"')]
    assert 'a <span class="first-mark">earliest' in copy and "<ins>" in copy


def test_more_garbled_article_is_the_mt_side() -> None:
    docs = {d.id: d for d in (analyze_text(MT, id="x"), analyze_text(REF, id="y"))}
    flags = {"x": {"flags": [{"severity": "major"}]}, "y": {"flags": []}}
    assert _which_is_mt("x", "y", docs, flags, {"x": 0, "y": 1}) == ("x", "y")
    assert _which_is_mt("y", "x", docs, flags, {"x": 0, "y": 1}) == ("x", "y")
    assert _which_is_mt("x", "y", docs, {}, {"x": 0, "y": 1}) == ("y", "x")  # a tie: the later one


def test_report_pair_uses_the_real_checker() -> None:
    html = report_pair(analyze_text(MT, id="m"), analyze_text(REF, id="r"))
    assert 'data-kinds="repeated_words"' in html and "<svg" in html


def test_article_language_fast_path_only_takes_plain_english() -> None:
    from dedup.render.build import analyze_one
    from dedup.text.language import ARTICLE_SHORTCUT, looks_english

    en = (
        "The council said on Tuesday that the budget for the schools would be approved by the end of the "
        "month, and that it has been discussed with the teachers for weeks. "
    )
    fr = (
        "Le conseil a déclaré mardi que le budget des écoles serait approuvé à la fin du mois, et qu'il a "
        "été discuté avec les enseignants pendant des semaines. "
    )
    de = (
        "Der Rat sagte am Dienstag, das Budget für die Schulen werde bis Ende des Monats genehmigt, und es "
        "sei wochenlang mit den Lehrern besprochen worden, was viele begrüßten. "
    )
    assert looks_english(en * 2, *ARTICLE_SHORTCUT)
    assert not looks_english(fr * 2, *ARTICLE_SHORTCUT) and not looks_english(de * 2, *ARTICLE_SHORTCUT)
    assert not looks_english("the of and to", *ARTICLE_SHORTCUT)  # too short to judge: langdetect decides
    assert analyze_one(article_from_text(fr * 2, id="fr")).lang == "fr"
    assert analyze_one(article_from_text(de * 2, id="de")).lang == "de"
    assert analyze_one(article_from_text(en * 2, id="en")).lang == "en"


def test_text_no_page_can_hold_still_gives_a_report() -> None:
    """The Python API takes any str: a lone surrogate or NUL (which UTF-8 or HTML cannot carry) ends
    up as one U+FFFD on the page instead of an exception when the page is written."""
    from dedup.render.build import report_pair
    from dedup.text import analyze_text

    mt = analyze_text(
        "Officials met on Monday \ud800 in the capital.\r\nThe talks were useful \x00 today.\n", id="m\ud800"
    )
    ref = analyze_text("Officials met on Monday in the capital.\n", id="r")
    page = report_pair(mt, ref, title="t\ud800")
    page.encode("utf-8")
    assert "Monday <span class=cc data-cp=U+D800>\ufffd</span> in" in page
