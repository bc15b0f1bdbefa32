"""name_variants: one name spelled two ways, in the article or against the reference."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.name_variants import NameVariants, is_variant
from dedup.model import Document, Flag
from dedup.text import analyze_text


def _doc(text: str, id: str = "mt") -> Document:
    return analyze_text(text, id=id, languages=False)


def _run(mt: str, ref: str | None = None) -> tuple[Document, list[Flag]]:
    mt_doc = _doc(mt)
    ref_doc = _doc(ref, "ref") if ref is not None else None
    flags = list(NameVariants().detect(Context(mt_doc, ref_doc)))
    for f in flags:
        assert f.text == mt_doc.text[f.start : f.end]
        assert f.kind == "name_variants"
    return mt_doc, flags


def test_surname_spelled_two_ways_flags_the_rarer_later_one() -> None:
    text = (
        "Mark Lindqvist, a former adviser to the mayor, spoke to reporters on Monday.\n\n"
        "He said the council had not yet voted. But Lindquist also warned that the budget was late.\n"
    )
    doc, flags = _run(text)
    assert [f.text for f in flags] == ["Lindquist"]
    assert flags[0].evidence[0].text == "Lindqvist"
    assert doc.text[flags[0].evidence[0].start : flags[0].evidence[0].end] == "Lindqvist"


def test_majority_spelling_is_kept_minority_flagged() -> None:
    text = (
        "Olena Hrytsenko arrived in the city. Hrytsenko met the governor. "
        "Later Hrytsenko spoke to the press. A spokesman for Hrytsenka declined to comment."
    )
    _, flags = _run(text)
    assert [f.text for f in flags] == ["Hrytsenka"]


def test_reference_decides_which_spelling_is_wrong() -> None:
    mt = "Talks were led by Petra Kvitova. Kvitovaa said the deal was close."
    ref = "Petra Kvitova led the talks and said a deal was close."
    _, flags = _run(mt, ref)
    assert [f.text for f in flags] == ["Kvitovaa"]
    assert flags[0].confidence >= 0.9
    assert any(e.doc == "ref" for e in flags[0].evidence)


def test_not_variants_surname_middle_initial_title_and_camel_case() -> None:
    text = (
        "Treasury Secretary Janet L. Yellen met Wang Yi. Later Janet Yellen said Wang was candid. "
        "President Biden and Biden's aides agreed. John F. Kerry and John Kerry both spoke. "
        "WeChat, YouTube, McDonald and DeSantis were mentioned; McDonald's was not."
    )
    _, flags = _run(text)
    assert flags == []


def test_look_alikes_that_are_different_names() -> None:
    text = (
        "Flights from Iran and Iraq resumed. The Korean delegation reached Korea on Friday. "
        "Americans and an American envoy visited Hong Kong. Officials from Hebei and Hubei met. "
        "The mayor of Xining met a delegation from Xinming county."
    )
    _, flags = _run(text)
    assert flags == []


def test_against_the_reference_only_a_misspelled_well_known_name() -> None:
    mt = "The delegation flew to Melbourme on Sunday."
    ref = "The delegation arrived in Melbourne on Sunday."
    _, flags = _run(mt, ref)
    assert [f.text for f in flags] == ["Melbourme"]
    # Two transliterations of an obscure name are not an error of the MT.
    _, flags = _run("Mayor Kronstadt spoke.", "Mayor Kronshtadt spoke.")
    assert flags == []


def test_is_variant_guards() -> None:
    assert is_variant("Russel", "Russell")
    assert not is_variant("Russia", "Russian")
    assert not is_variant("Hong", "Kong")
    assert not is_variant("Allen", "Allan")  # two well-attested names
    assert not is_variant("Zhang", "Zhao")


def test_diacritics_only_is_not_a_variant() -> None:
    assert not is_variant("Malacañang", "Malacanang")
    assert not is_variant("Düsseldorf", "Dusseldorf")


def test_different_people_and_inflections_are_not_variants() -> None:
    text = (
        "David Walliams and Robbie Williams sang. Mirco Bergamasco and Marco Bortolami played. "
        "Israel and the Israelis, Pakistan and the Pakistanis, Slovakia and the Slovaks. "
        "The Australian and the Austrian teams met."
    )
    _, flags = _run(text)
    assert flags == []
