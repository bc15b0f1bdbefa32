"""unbalanced: the unmatched bracket or quote is flagged, conventions of news prose are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.garbles.base import Context
from dedup.garbles.unbalanced import Unbalanced
from dedup.model import Flag
from dedup.text import analyze_text


def _flags(mt: str) -> list[Flag]:
    flags = list(Unbalanced().detect(Context(mt=analyze_text(mt, languages=False))))
    for f in flags:
        assert f.text == mt[f.start : f.end] and len(f.text) == 1
    return flags


def test_stray_closing_bracket() -> None:
    mt = "Visitors included the trade envoy and the finance minister Olga Petrov)。 The talks ended."
    flags = _flags(mt)
    assert [(f.text, f.start) for f in flags] == [(")", mt.index(")"))]


def test_bracket_never_closed() -> None:
    mt = "The committee (which met on Monday said nothing.\n\nA second paragraph follows here."
    assert [(f.text, f.start) for f in _flags(mt)] == [("(", mt.index("("))]


def test_quote_never_closed_and_quote_closing_nothing() -> None:
    mt = 'The banner read, "Out with the old.\n\nNo one replied to it.\n\nA\nB\nC\nD\nE\nF\nG\nH\nI'
    assert [f.start for f in _flags(mt)] == [mt.index('"')]
    mt2 = "The costs are rising in every sector.\n\nPeople stay home more, he said.”"
    assert [f.start for f in _flags(mt2)] == [mt2.index("”")]


def test_reversed_curly_quote() -> None:
    mt = "“We will help the workers on the front line. “\n\nThe union agreed."
    flags = _flags(mt)
    assert [f.start for f in flags] == [mt.rindex("“")]
    assert "wrong way round" in flags[0].message


def test_balanced_conventions_are_not_flagged() -> None:
    mt = (
        "The bloc (formed in 1993. It has grown since) met again. Goals: 1) growth, 2) jobs.\n\n"
        '"The first paragraph of a long quotation ends here.\n\n'
        '"The second paragraph goes on and closes it," she said.\n\n'
        "He bought a 27\" screen and said it's fine :) and the sisters' plan was set.\n\n"
        "The film “Man at Middle Age” was shown, and critics called it “great.”\n\n"
        'He recalled the film "Man at Middle Age" and said "it moved me."'
    )
    assert _flags(mt) == []


def test_nested_double_quotes_are_not_flagged() -> None:
    mt = 'He said: "After all these years, the film "Home" still moves me." The crowd cheered.'
    assert _flags(mt) == []


def test_boilerplate_is_skipped() -> None:
    mt = (
        "Officials met in Rome on Monday. (Related: Talks resume next week!) Leaders meet | more articles). "
        "The meeting ended early."
    )
    assert _flags(mt) == []


def test_seed_translation(seed_mt_text: str, seed_en_text: str) -> None:
    flags = _flags(seed_mt_text)
    assert [(f.text, f.start) for f in flags] == [(")", seed_mt_text.index("Raimondo)") + len("Raimondo"))]
    assert _flags(seed_en_text) == []


def test_badly_spaced_pair_is_not_flagged() -> None:
    mt = 'The group (hereinafter referred to as" Harbour Investment ") agreed to the sale on Monday.'
    assert _flags(mt) == []


_PIECES = [
    "word",
    "Name",
    " ",
    "\n",
    "\n\n",
    '"',
    "“",
    "”",
    "(",
    ")",
    "[",
    "]",
    "【",
    "】",
    ". ",
    ", ",
    "1)",
    ":)",
    "27",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60))
def test_any_text_gives_exact_single_character_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    if not text.strip():
        return
    first = _flags(text)
    assert first == _flags(text)  # deterministic
    assert all(text[f.start] in '"“”()[]【】' for f in first)
