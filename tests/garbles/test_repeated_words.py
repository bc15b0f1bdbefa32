"""repeated_words: accidental doubles are flagged as the doubled pair; legitimate doubles are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.garbles.base import Context
from dedup.garbles.repeated_words import RepeatedWords
from dedup.model import Flag
from dedup.text import analyze_text


def _flags(mt: str, ref: str | None = None) -> list[Flag]:
    ctx = Context(
        mt=analyze_text(mt, languages=False), ref=analyze_text(ref, languages=False) if ref else None
    )
    flags = list(RepeatedWords().detect(ctx))
    for f in flags:
        assert f.text == mt[f.start : f.end]
    return flags


def test_doubled_word_inside_quotes() -> None:
    mt = 'Details of the "summit summit" will be settled in Rome.'
    assert [f.text for f in _flags(mt)] == ["summit summit"]


def test_case_insensitive_and_across_an_opening_quote() -> None:
    mt = "The The council met. Officials praised the “the first responder” of the flood."
    assert [f.text for f in _flags(mt)] == ["The The", "the “the"]


def test_doubled_phrase() -> None:
    mt = "The papers were left in the in the office on Friday."
    assert [f.text for f in _flags(mt)] == ["in the in the"]


def test_capitalised_common_word_doubled() -> None:
    mt = "Partners included Radio Canada and Digital Media Media of Toronto, the largest media group."
    assert [f.text for f in _flags(mt)] == ["Media Media"]


def test_titles_names_and_chants_are_not_flagged() -> None:
    mt = (
        "She starred in Soldier Soldier and toured with Duran Duran; the blog Boing Boing covered "
        "their hit Gimme Gimme Gimme. The law lord Lord Bingham agreed. Add to this this new law. "
        "It is hard to say what makes a gadget a gadget, and fans shouted no no no no."
    )
    assert _flags(mt) == []


def test_legitimate_doubles_are_not_flagged() -> None:
    mt = (
        "She had had enough. He said that that was wrong. They do do their homework. "
        "What it is is a failure. The cat was taken in in the spring. "
        "It was a very very long day, and many many people came; the food was so so. "
        "Prices rose 20 20 times. The clock read 00:00. "
        "The resort on Bora Bora and the town of Walla Walla sent teams; Baden-Baden too. "
        "The actress Ni Ni and the singer Li Li performed. The snowball grew bigger and bigger and rolled, "
        "and more and more people came."
    )
    assert _flags(mt) == []


def test_particle_double_after_a_function_word_is_flagged() -> None:
    flags = _flags("The plan was approved, and in in the end nobody objected.")
    assert [f.text for f in flags] == ["in in"]


def test_name_doubled_in_the_reference_too_is_not_flagged() -> None:
    mt = "The band Duran Duran played, and so did Talk Talk."
    assert _flags(mt, ref="Duran Duran and Talk Talk played.") == []


def test_seed_translation(seed_mt_text: str, seed_en_text: str) -> None:
    assert [f.text for f in _flags(seed_mt_text, seed_en_text)] == ["meeting meeting"]
    assert _flags(seed_en_text) == []


def test_a_word_followed_by_a_longer_word_is_not_a_triple() -> None:
    assert [f.text for f in _flags("They went to the the theatre on Friday.")] == ["the the"]


def test_reference_evidence_points_at_the_word() -> None:
    ref = "The details of the meeting will be settled."
    flags = _flags('The details of the "meeting meeting" are set.', ref)
    ev = flags[0].evidence[0]
    assert ev.doc == "ref" and ref[ev.start : ev.end] == "meeting"


def test_capitalised_double_the_reference_writes_once_is_flagged() -> None:
    mt = "Can Andy Andy Liu escape the blast? The Internet Internet cafe rules were tightened."
    ref = "Can Andy Lau escape the blast? Rules for Internet cafes were tightened."
    assert [f.text for f in _flags(mt, ref)] == ["Andy Andy", "Internet Internet"]
    # Without a reference, a capitalised double is taken for a title or a name.
    assert _flags(mt) == []


def test_names_and_titles_doubled_with_a_reference_are_not_flagged() -> None:
    mt = "Duran Duran played in Bora Bora; Ni Ni starred. WeChat and McDonald sponsored it."
    ref = "Duran Duran played in Bora Bora, where Ni Ni starred. WeChat and McDonald sponsored the show."
    assert _flags(mt, ref) == []
    # The reference names the band once and not doubled (a comparable report): still a title.
    assert _flags("Tickets for Duran Duran sold out.", "Fans of the band queued for hours.") == []


# The candidate scan must find exactly what `finditer` over the whole text finds (it only decides
# where the patterns are tried): words of mixed case, apostrophes, opening quotes, non-breaking
# spaces and the characters Unicode case folding pairs with ASCII (Kelvin sign, long s) and sigma.
_PIECES = ["the", "The", "THE", "in", "don't", "Don't", "rock", "rock'n", "ſ", "s", "S", "\u212a", "k",
           "σ", "ς", "Σ", "é", "É", "Li", "li", "7", "x_y", "New", "York"]  # fmt: skip
_SEPS = [" ", "  ", "\t", "\u00a0", ' "', " “", "‘", " ‘", ", ", ".", "\n", " - ", "'", "’"]


@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPS)), max_size=14))
@settings(max_examples=400, deadline=None)
def test_candidate_scan_finds_what_finditer_finds(parts: list[tuple[str, str]]) -> None:
    from dedup.garbles.repeated_words import _DOUBLE, _PHRASE, _candidates, _scan

    text = "".join(w + s for w, s in parts)
    doubles, phrases = _candidates(text)
    assert [m.span() for m in _scan(_DOUBLE, text, doubles)] == [m.span() for m in _DOUBLE.finditer(text)]
    assert [m.span() for m in _scan(_PHRASE, text, phrases)] == [m.span() for m in _PHRASE.finditer(text)]


def test_candidate_scan_keeps_case_folded_and_quoted_doubles() -> None:
    from dedup.garbles.repeated_words import _DOUBLE, _candidates, _scan

    text = "He said the \u212aing king and ſo so, then “the “the and rock rock'n roll."
    found = [m.group() for m in _scan(_DOUBLE, text, _candidates(text)[0])]
    assert found == [m.group() for m in _DOUBLE.finditer(text)]
    assert "rock rock" in found


def test_a_double_across_a_wrapped_line_or_a_zero_width_space_is_flagged() -> None:
    """Seventh red-team: the same lowercase word at a line end and the next line's start, and a double
    with a zero-width space in the gap."""
    mt = "The bank cut its rate on Wednesday, the\nthe second cut in a row. Officials said the\u200b the plan works."
    assert [f.text for f in _flags(mt)] == ["the\nthe", "the\u200b the"]
    # A blank line between, or a capitalised line start (a heading, a new paragraph), is not a double.
    clean = "Results of the\n\nthe council vote. Inflation\nInflation rose 2% in May, the office said."
    assert _flags(clean) == []


def test_had_had_before_a_participle_is_flagged_not_as_a_main_verb() -> None:
    mt = "Analysts had had expected the cut. Officials had had been warned."
    assert [f.text for f in _flags(mt)] == ["had had", "had had"]
    for clean in (
        "Analysts had had enough of the delays.",
        "He said he had had no knowledge of the scheme.",
        "The firm had had limited success and had had used cars for sale.",
    ):
        assert _flags(clean) == [], clean


def test_was_was_after_a_free_relative_clause_is_grammar() -> None:
    """Seventh red-team: "Whatever it was was gone" was flagged ("what it is is" was already clean)."""
    assert _flags("Whatever it was was gone. All it was was a joke. What it is is a mistake.") == []
    assert [f.text for f in _flags("The meeting was was held on Monday, and what it is, is clear.")] == [
        "was was"
    ]
