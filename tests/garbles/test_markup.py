"""Markup left in the text (the `markup` family): fixtures written for the tests."""

from __future__ import annotations

from dedup.check import check_articles
from dedup.garbles.base import Context
from dedup.garbles.markup import Markup, markup_spans
from dedup.load import article_from_text
from dedup.text import analyze_text


def _flags(text: str) -> list[tuple[str, str]]:
    doc = analyze_text(text, id="mt", languages=False)
    flags = list(Markup().detect(Context(doc)))
    for f in flags:
        assert f.text == text[f.start : f.end]
    return [(f.text, f.severity) for f in flags]


def test_tags_entities_and_markdown_are_flagged_as_written() -> None:
    text = (
        "The council approved the **new housing plan** on Monday.<br>\n"
        "The mayor said rents &amp; prices would fall.&nbsp;\n"
        "</p><p>The vote was 31 to 9, according to [the minutes](https://example.org/minutes).\n"
        "## Reaction\n"
        "Critics called the plan a clich&#233;, and his book <i>Cities</i> was quoted.\n"
    )
    assert [t for t, _ in _flags(text)] == [
        "**new housing plan**",
        "<br>",
        "&amp;",
        "&nbsp;",
        "</p><p>",
        "[the minutes](https://example.org/minutes)",
        "## ",
        "&#233;",
        "<i>Cities</i>",
    ]
    assert {s for _, s in _flags(text)} == {"minor"}


def test_prose_that_looks_like_markup_is_clean() -> None:
    text = (
        "AT&T and R&D spending rose, the Q&A said; M&S shares fell.\n"
        "If x < 5 and y > 3 the rule applies, he wrote in the #MeToo debate.\n"
        "The __init__ method and 5 ** 2 were in the code sample, and footnote* applies.\n"
        "Prices rose [by about 3%] in March (see table).\n"
        "# 1 seed Sinner won.\n"
    )
    assert _flags(text) == []
    assert markup_spans("<p>one\ntwo</p>") == [(0, 3, "tag"), (10, 14, "tag")]  # not paired across lines


def test_markup_in_an_article_is_flagged_with_exact_offsets_end_to_end() -> None:
    mt = "Ministers met in Lima on Friday.\r\nThe deal covers copper &amp; lithium, officials said.<br/>\r\n"
    res = check_articles(article_from_text(mt, id="mt"))
    got = [(f.kind, f.text) for f in res.flags]
    assert got == [("markup", "&amp;"), ("markup", "<br/>")]
    for f in res.flags:
        assert mt[f.start : f.end] == f.text


def test_markup_has_its_own_switch() -> None:
    mt = "Ministers met in Lima on Friday. The deal covers copper &amp; lithium, officials said.\n"
    off = check_articles(article_from_text(mt, id="mt"), disable=["markup"])
    assert off.flags == []
    assert [f.kind for f in check_articles(article_from_text(mt, id="mt")).flags] == ["markup"]
