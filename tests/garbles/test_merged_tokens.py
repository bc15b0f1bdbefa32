"""merged_tokens: glued words and names are flagged with exact spans; camel-case brands are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.garbles.base import Context
from dedup.garbles.merged_tokens import MergedTokens
from dedup.model import Flag
from dedup.text import analyze_text


def _flags(mt: str, ref: str | None = None) -> list[Flag]:
    ctx = Context(
        mt=analyze_text(mt, languages=False), ref=analyze_text(ref, languages=False) if ref else None
    )
    flags = list(MergedTokens().detect(ctx))
    for f in flags:
        assert f.text == mt[f.start : f.end]
        assert f.kind == "merged_tokens"
    return flags


LIST_GLUE = (
    "Ministers who flew to Lisbon this spring include Foreign Minister Paula OrtegaDefence Secretary "
    "Tomas Brandt and Trade Commissioner HelenaHelena Voss.\n\nOrtega later met Brandt in Porto."
)


def test_name_glued_to_the_title_that_follows() -> None:
    texts = [f.text for f in _flags(LIST_GLUE)]
    assert "OrtegaDefence" in texts


def test_name_glued_to_its_own_repetition() -> None:
    texts = [f.text for f in _flags(LIST_GLUE)]
    assert "HelenaHelena" in texts
    mt = "The award went to Commerce Secretary MorenoLuis Moreno, who thanked the panel."
    flags = _flags(mt)
    assert [f.text for f in flags] == ["MorenoLuis"]
    assert flags[0].evidence and flags[0].evidence[0].text == "Moreno"


def test_parts_standing_alone_in_the_reference_are_evidence() -> None:
    mt = "The envoy Pieter VandaleHarbour talks resumed on Monday after a pause."
    ref = "Envoy Pieter Vandale said the Harbour talks would resume on Monday."
    flags = _flags(mt, ref)
    assert [f.text for f in flags] == ["VandaleHarbour"]
    assert any(e.doc == "ref" for e in flags[0].evidence)
    # without the reference there is no evidence of a lost space: stay silent
    assert _flags(mt) == []


def test_sentence_glued_to_the_next() -> None:
    flags = _flags("The minister said.The talks will go on next week.")
    assert [f.text for f in flags] == ["said.The"]


def test_camel_case_brands_and_names_are_not_flagged() -> None:
    mt = (
        "Users of WeChat, YouTube and LinkedIn compared the iPhone with a MacBook and a PlayStation. "
        "McDonald and JPMorgan backed DeSantis; LeBron, McCain and O'Neill bought on eBay. "
        "AstraZeneca and BioNTech shipped doses; SoftBank and TikTok stayed out. "
        "Visit ChinaNews.com or the AsiaWorld-Expo site. The World Bank met in Asia. "
        "DeShawn McKenzie and LaToya DiCaprio spoke."
    )
    assert _flags(mt) == []


def test_a_compound_written_the_same_way_twice_is_a_name() -> None:
    mt = "Stocks of GreenPeak rose. Analysts said GreenPeak would buy Green Valley and Peak Foods."
    assert _flags(mt) == []


def test_known_compound_in_the_reference_is_not_flagged() -> None:
    mt = "The firm HillStone Partners led the round, joined by Stone Capital of Hill Street."
    ref = "Hillstone Partners led the funding round."
    assert _flags(mt, ref) == []


def test_seed_translation(seed_mt_text: str, seed_en_text: str) -> None:
    assert [f.text for f in _flags(seed_mt_text)] == ["BlinkenSpecial", "KerryTreasury", "RaimondoGina"]
    assert [f.text for f in _flags(seed_mt_text, seed_en_text)] == [
        "BlinkenSpecial",
        "KerryTreasury",
        "RaimondoGina",
    ]
    assert _flags(seed_en_text) == []


def test_two_names_of_a_list_run_together() -> None:
    mt = (
        "Guests included Marta Jansen, Pieter de Wit and Anders Holm.\n\n"
        "The panel heard Anders JansenHolm, Cole and others before the vote."
    )
    assert [f.text for f in _flags(mt)] == ["JansenHolm"]


def test_two_full_names_run_together() -> None:
    mt = "The former directors are James OrtmanJudith Areen, Carl Aycock and Max Bobbitt."
    assert [f.text for f in _flags(mt)] == ["OrtmanJudith"]


def test_brands_in_lists_and_before_names_are_not_flagged() -> None:
    mt = (
        "Five titles, including Sony EyeToy Play, sold well. The leaks went to the PowerPage, Apple Insider "
        "and Think Secret. Power Mac sales rose and Page Three was dropped."
    )
    assert _flags(mt) == []


_WORDS = [
    "Kerry",
    "Treasury",
    "Gina",
    "Raimondo",
    "WeChat",
    "the",
    "said",
    ".",
    ", ",
    " ",
    "\n",
    "Blinken",
    "Special",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_glued_random_tokens_give_exact_spans(words: list[str]) -> None:
    text = "".join(words)  # no separators added: plenty of glued pairs
    if not text.strip():
        return
    first = _flags(text)
    assert first == _flags(text)


def test_a_reference_that_copies_the_glue_is_no_evidence_of_a_name() -> None:
    # The MT given as its own reference, or a syndicated copy of the same translation: the glued
    # token stands in the same words there, so it is the same accident, not a name.
    assert "OrtegaDefence" in [f.text for f in _flags(LIST_GLUE, LIST_GLUE)]
    copy = "Reprinted from the wire: Foreign Minister Paula OrtegaDefence Secretary Tomas Brandt spoke."
    assert "OrtegaDefence" in [f.text for f in _flags(LIST_GLUE, copy)]
    # A reference writing it in words of its own is a witness: a company, say.
    own = "Analysts at OrtegaDefence, a contractor in Porto, expect new orders."
    assert "OrtegaDefence" not in [f.text for f in _flags(LIST_GLUE, own)]


def test_a_name_written_in_full_in_the_reference_glued_to_a_camel_case_brand() -> None:
    """Seventh red-team: "Shou ChewTikTok"; the right part is the rest of the token (TikTok), and the
    full name is only in the reference."""
    mt = "TikTok is popular. TikTok chief executive Shou ChewTikTok told the US Congress that the app was safe."
    ref = "TikTok chief executive Shou Chew told Congress that the app was safe."
    flags = _flags(mt, ref)
    assert [f.text for f in flags] == ["ChewTikTok"]
    assert "'TikTok'" in flags[0].message
    # Brands and names that merely follow a first name stay clean.
    clean = "Florida Governor Ron DeSantis met Sam McKinsey and Ana LinkedIn staff; Apple's iPhone and MacBook sold."
    assert _flags(clean, "Ron DeSantis met McKinsey staff and LinkedIn managers.") == []


def test_two_surnames_of_a_list_that_lost_their_comma() -> None:
    """Seventh red-team: "Giroud Leao and Pulisic scored", each a person written in full elsewhere."""
    mt = (
        "The scorers were Olivier Giroud, Rafael Leao and Christian Pulisic.\n"
        "In the second half, Giroud Leao and Pulisic all scored.\n"
    )
    flags = _flags(mt)
    assert [f.text for f in flags] == ["Giroud Leao"]
    assert {e.text for e in flags[0].evidence} == {"Olivier Giroud", "Rafael Leao"}
    # The names of one person, a place or a club, and a longer name's tail are not lost commas.
    for clean in (
        "Lautaro Martinez and Marcus Thuram scored. Later Lautaro Martinez and Thuram celebrated.",
        "Fans of Greater Manchester, Newcastle United and Leeds United met. Manchester United and Leeds "
        "United drew.",
        "Andres Manuel Lopez Obrador and Claudia Sheinbaum met. Lopez Obrador and Sheinbaum spoke; "
        "Pedro Lopez and Maria Obrador attended.",
        "Sean Paul, Chris Paul and Paul Smith came. Paul Smith and Chris Paul left.",
        "Radoslaw Sikorski, Andrzej Domanski met. Sikorski Domanski and the rest left.",
    ):
        assert _flags(clean) == [], clean


def test_a_lost_comma_after_a_sentence_adverb_and_at_a_sentence_start() -> None:
    """ "Afterwards Smith Jones and Brown said": a common word opening the sentence is not a first name."""
    names = "Ministers John Smith, Mary Jones and Peter Brown met on Monday.\n"
    for mt in (
        names + "Afterwards Smith Jones and Brown said the talks went well.",
        "Smith Jones and Brown said so. " + names,
    ):
        assert [f.text for f in _flags(mt)] == ["Smith Jones"], mt
    # A first name opening the sentence makes the pair the tail of a longer name.
    assert _flags(names + "Maria Smith Jones and Brown said the talks went well.") == []
