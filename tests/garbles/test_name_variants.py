"""name_variants: one name spelled two ways, in the article or against the reference."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.name_variants import NameVariants, is_variant
from dedup.model import Alignment, Document, Flag, Link
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


def _sentence(doc: Document, word: str) -> int:
    at = doc.text.index(word)
    return next(k for k, s in enumerate(doc.sentences) if s.start <= at < s.end)


def _run_aligned(mt: str, ref: str, mt_word: str, ref_word: str, score: float) -> list[Flag]:
    """Check `mt` against `ref` with one alignment link joining the sentences of the two words."""
    mt_doc, ref_doc = _doc(mt), _doc(ref, "ref")
    link = Link((_sentence(mt_doc, mt_word),), (_sentence(ref_doc, ref_word),), score)
    flags = list(NameVariants().detect(Context(mt_doc, ref_doc, Alignment(links=[link]))))
    for f in flags:
        assert f.text == mt_doc.text[f.start : f.end]
    return flags


_ALIGNED_MT = (
    "The ministry said the talks would resume next week.\n\n"
    "Spokesman Martin Andanal told a radio station that two plans were ready for the speech.\n"
)
_ALIGNED_REF = (
    "Talks resume next week, the ministry said.\n\n"
    "Spokesman Martin Andanar told a radio station that two plans had been prepared for the speech.\n"
)


def test_spelling_where_the_aligned_reference_writes_another_is_flagged() -> None:
    flags = _run_aligned(_ALIGNED_MT, _ALIGNED_REF, "Andanal", "Andanar", 0.8)
    assert [f.text for f in flags] == ["Andanal"]
    assert [e.text for e in flags[0].evidence if e.doc == "ref"] == ["Andanar"]


def test_aligned_spelling_needs_a_confident_link() -> None:
    assert _run_aligned(_ALIGNED_MT, _ALIGNED_REF, "Andanal", "Andanar", 0.3) == []


def test_attested_names_in_one_aligned_place_need_the_rest_of_the_name() -> None:
    mt = "The book is about Prince Harry and his wife, Megan Markle.\n\nIt went on sale on Monday.\n"
    ref = "The book tells of Prince Harry and his wife Meghan Markle.\n\nIt was published on Monday.\n"
    assert [f.text for f in _run_aligned(mt, ref, "Megan", "Meghan", 0.8)] == ["Megan"]
    # Two accepted spellings of a place: attested, close in frequency, nothing else in common.
    mt = "Visitors to Macau must show a negative test.\n\nThe rule applies from Monday.\n"
    ref = "Visitors to Macao must show a negative test.\n\nThe rule applies from Monday.\n"
    assert _run_aligned(mt, ref, "Macau", "Macao", 0.8) == []


def test_aligned_look_alikes_are_not_flagged() -> None:
    # Two people after different first names; two well-known names; a middle initial, a title,
    # camel-case names and a surname alone against the full name.
    mt = (
        "Robbie Williams and President Janet L. Yellen met WeChat and DeSantis aides.\n\n"
        "Yellen spoke first, then Hannah left.\n"
    )
    ref = (
        "David Walliams and Janet Yellen met WeChat and DeSantis aides.\n\n"
        "Secretary Yellen spoke first, then Hanna left.\n"
    )
    assert _run_aligned(mt, ref, "Williams", "Walliams", 0.9) == []
    assert _run_aligned(mt, ref, "Hannah", "Hanna", 0.9) == []


def test_aligned_transliterations_are_not_flagged() -> None:
    # The MT writes the well-known spelling, the reference transliterates otherwise (or slips); and
    # two spellings neither of which wordfreq knows are two transliterations.
    mt = "The parade was held in Kronstadt on Sunday.\n\nCrowds gathered in Nagqu as well.\n"
    ref = "The parade took place in Kronshtadt on Sunday.\n\nCrowds gathered in Naqu as well.\n"
    assert _run_aligned(mt, ref, "Kronstadt", "Kronshtadt", 0.9) == []
    assert _run_aligned(mt, ref, "Nagqu", "Naqu", 0.9) == []
    # A word shared before them is not enough to make the MT's better-known spelling the slip.
    mt = "Sales at Abbott Rapid Diagnostics rose.\n\nThe firm said so on Monday.\n"
    ref = "Sales at Abbott Rapid Diagnosis rose.\n\nThe firm said so on Monday.\n"
    assert _run_aligned(mt, ref, "Diagnostics", "Diagnosis", 0.9) == []


def test_a_name_after_an_arabic_article_is_compared() -> None:
    """Seventh red-team: "al-Hassan" / "al-Hasan" (the name after "al-" was never a token), and two
    attested spellings after one first name are one person spelled two ways."""
    text = (
        "A witness, Omar al-Hassan, testified on Monday. The court said that Omar al-Hasan's "
        "testimony was key, and Bashar al-Assad was named."
    )
    _, flags = _run(text)
    assert [f.text for f in flags] == ["Hasan"]
    # Two people of those names, or the two spellings of one name after different first names, stay clean.
    for clean in (
        "Omar al-Hassan and Ali Hasan testified. Al-Hassan spoke first, Ali Hasan second.",
        "Jordan's Prince Hassan met Bashar al-Assad and Asma al-Assad in Damascus.",
    ):
        assert _run(clean)[1] == [], clean


def test_an_agency_in_a_dateline_credit_is_not_a_spelling_of_the_article() -> None:
    """Seventh red-team: "Brasilia, 20 September (Agencia Brasil)" beside "Brazil"."""
    text = (
        "Brasilia, 20 September (Agencia Brasil) - Brazil's central bank cut its rate. "
        "Brazil's finance minister welcomed the cut. Inflation in Brazil is slowing."
    )
    assert _run(text)[1] == []
    # Outside a dateline's credit the same words are still compared (read as a person, "Agencia Brasil").
    _, flags = _run(
        "Brasilia, 20 September - Brazil's central bank cut its rate, Agencia Brasil reported. "
        "Brazil's finance minister welcomed the cut. Inflation in Brazil is slowing."
    )
    assert [f.text for f in flags] == ["Brasil"]


def test_a_first_name_shared_with_the_reference_and_two_letters_swapped() -> None:
    """Seventh red-team: "Sean O'Neil" here, "Sean O'Neill" in the reference (both attested spellings);
    "Judge Jean-Luc Lambret" / "Judge Lambert" (a transposition; "Judge" is a title, not a first name)."""
    _, flags = _run(
        "Sean O'Neil, the accountant, was jailed. Mr O'Neill's lawyer said he would appeal.",
        "Sean O'Neill was jailed. O'Neill's lawyer said he would appeal.",
    )
    assert [f.text for f in flags] == ["O'Neil"]
    _, flags = _run("Judge Jean-Luc Lambret said the court agreed. Judge Lambert ordered the confiscation.")
    assert [f.text for f in flags] == ["Lambret"]
    # Two people of close names, and two words one transposition apart, stay clean.
    for clean in (
        "Sean O'Neil met Mary O'Neill in Dublin. O'Neil spoke first and O'Neill second.",
        "Judge Anna Lambert and Peter Lambret, a witness, spoke. Lambert thanked Lambret.",
        "The Sudan and Sundan talks: Martin Sudan met Ali Sundan.",
    ):
        assert _run(clean)[1] == [], clean


def test_an_unknown_spelling_is_flagged_even_when_it_is_the_more_frequent() -> None:
    # The article misspells the steelmaker three times and spells it right once: wordfreq knows
    # "Arcelor" and has never seen "Arcleor", so the flags go on the misspellings.
    text = (
        "Arcleor said on Monday it would close two furnaces. Arcleor blamed energy prices. "
        "Unions said Arcelor had promised to keep both open. A spokesman for Arcleor declined to comment."
    )
    doc, flags = _run(text)
    assert [f.text for f in flags] == ["Arcleor", "Arcleor", "Arcleor"]
    assert {e.text for f in flags for e in f.evidence} == {"Arcelor"}
