"""Line breaks other than "\\n" (lone CR, NEL, U+2028/U+2029, VT, FF) and no-break spaces: the text
steps find the same sentences, boilerplate and metadata as in the "\\n" text, at the same offsets,
and every span names the original text (offsets are never into a normalised copy)."""

from __future__ import annotations

import pytest

from dedup.load import article_from_text
from dedup.text import analyze, analyze_lines
from dedup.text.pipeline import line_view

ARTICLE = (
    "Flood waters rise across the northern valley\n"
    "Published: 2024-03-05\n"
    "By Anna Keller\n"
    "\n"
    "Heavy rain flooded the valley on Tuesday night. Rescue teams evacuated 200 people from "
    "their homes, officials said.\n"
    "Advertisement\n"
    "The weather service warned of more storms (Related: Storm season starts early | more articles) "
    "and closed two roads.\n"
    "\n"
    "Read more: How to prepare for a flood\n"
    "Farmers said the damage to crops would take months to assess.\n"
)

BREAKS = {
    "lone CR": "\r",
    "NEL": "\x85",
    "LINE SEPARATOR": "\u2028",
    "PARAGRAPH SEPARATOR": "\u2029",
    "VT": "\x0b",
    "FF": "\x0c",
}


def _spans(text: str, lines: bool = False) -> tuple[list[tuple[int, int]], ...]:
    doc = (analyze_lines if lines else analyze)(article_from_text(text, id="a"), languages=False)
    for s in doc.sentences:
        piece = text[s.start : s.end]
        assert piece and piece == piece.strip(), (s, piece)
    return (
        [(s.start, s.end) for s in doc.sentences],
        [(b.start, b.end, b.kind) for b in doc.boilerplate],
        [(m.start, m.end, m.kind, m.value) for m in doc.metadata],
    )


def test_the_fixture_has_boilerplate_and_metadata_to_lose() -> None:
    sentences, boiler, meta = _spans(ARTICLE)
    assert len(sentences) >= 5 and len(boiler) >= 3 and meta  # the comparison below means something


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_other_line_breaks_give_the_same_spans(name: str) -> None:
    text = ARTICLE.replace("\n", BREAKS[name])
    assert len(text) == len(ARTICLE)
    assert _spans(text) == _spans(ARTICLE)
    assert _spans(text, lines=True) == _spans(ARTICLE, lines=True)


def test_crlf_keeps_every_span_on_the_original_text() -> None:
    text = ARTICLE.replace("\n", "\r\n")
    sentences, boiler, meta = _spans(text)
    base = _spans(ARTICLE)
    assert [text[s:e] for s, e in sentences] == [ARTICLE[s:e] for s, e in base[0]]
    assert [k for *_, k in boiler] == [k for *_, k in base[1]]
    assert [(k, v) for *_, k, v in meta] == [(k, v) for *_, k, v in base[2]]


def test_no_break_spaces_read_as_spaces_at_the_same_offsets() -> None:
    text = ARTICLE.replace(" more articles", "\u00a0more\u00a0articles").replace(
        "Read more:", "Read\u202fmore:"
    )
    assert _spans(text) == _spans(ARTICLE)


def test_the_view_is_the_same_length_and_the_original_is_untouched() -> None:
    text = "a\rb\r\nc\u2028d\u00a0e\x85f"
    view = line_view(text)
    assert view == "a\nb\r\nc\nd e\nf" and len(view) == len(text)
    doc = analyze(article_from_text(text, id="t"), languages=False)
    assert doc.text == text
    assert line_view("plain ascii\n") == "plain ascii\n"
