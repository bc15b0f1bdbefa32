"""Red-team of the garble families on article pairs they were not tuned on (`redteam_pairs.py`).

End to end (`check_articles`): every planted garble is flagged by its family, and nothing else is,
so every look-alike (camel-case brands, names with particles, titles and middle initials, "had had",
reduplicated names, equal figures and dates written two ways) stays clean. Then one test per fix
made in the red-team pass, each with hits and look-alikes of its own.
"""

from __future__ import annotations

import pytest

from dedup.check import check_articles
from dedup.garbles.base import Context
from dedup.garbles.boilerplate_in_body import BoilerplateInBody
from dedup.garbles.entity_swap import EntitySwap
from dedup.garbles.merged_tokens import MergedTokens
from dedup.garbles.name_variants import NameVariants, is_variant, translit_key
from dedup.garbles.number_mismatch import NumberMismatch
from dedup.garbles.repeated_words import RepeatedWords
from dedup.load import article_from_text
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text
from tests.garbles.redteam_pairs import PAIRS, Pair

# Planted garbles the check still misses, with the reason (not a detector rule: see garbles.md).
KNOWN_MISSES = {
    # The aligner links the ChiNext sentences at 0.32, under number_mismatch's 0.4 floor.
    ("markets_zh", "number_mismatch", "2.1 percent"),
}


def _overlaps(f: Flag, text: str, needle: str) -> bool:
    s = text.index(needle)
    return f.start < s + len(needle) and s < f.end


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_pair_hits_flagged_and_nothing_else(pair: Pair) -> None:
    for _, needle in pair.hits:
        assert pair.mt.count(needle) == 1, needle
    for needle in pair.lookalikes:
        assert pair.mt.count(needle) == 1, needle
    res = check_articles(article_from_text(pair.mt, id=pair.name), article_from_text(pair.ref, id="ref"))
    for f in res.flags:
        assert f.text == pair.mt[f.start : f.end]
    expected = [(k, n) for k, n in pair.hits if (pair.name, k, n) not in KNOWN_MISSES]
    for kind, needle in expected:
        assert any(f.kind == kind and _overlaps(f, pair.mt, needle) for f in res.flags), (kind, needle)
    unexpected = [
        (f.kind, f.text)
        for f in res.flags
        if not any(f.kind == k and _overlaps(f, pair.mt, n) for k, n in expected)
    ]
    assert unexpected == []
    for needle in pair.lookalikes:
        assert not any(_overlaps(f, pair.mt, needle) for f in res.flags), needle


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_references_alone_are_clean(pair: Pair) -> None:
    """The English reports are right text: checked on their own, no family fires."""
    res = check_articles(article_from_text(pair.ref, id=pair.name))
    assert [(f.kind, f.text) for f in res.flags] == []


def _doc(text: str, id: str = "mt") -> Document:
    return analyze_text(text, id=id, languages=False)


def _sentence(doc: Document, word: str) -> int:
    at = doc.text.index(word)
    return next(k for k, s in enumerate(doc.sentences) if s.start <= at < s.end)


def _aligned(mt: str, ref: str, words: list[tuple[str, str]], score: float = 0.8) -> Context:
    m, r = _doc(mt), _doc(ref, "ref")
    links = [Link((_sentence(m, a),), (_sentence(r, b),), score) for a, b in words]
    return Context(m, r, Alignment(links=links))


# name_variants


def test_a_lost_doubled_final_s_is_a_variant_not_a_plural() -> None:
    assert is_variant("Hawas", "Hawass")
    assert is_variant("Bliss", "Blis")
    # real plurals and demonyms stay inflections
    assert not is_variant("Williams", "William")
    assert not is_variant("Israeli", "Israelis")
    text = "Zahi Hawass led the dig.\n\nHawass said it was vast, and Hawas said more.\n"
    flags = list(NameVariants().detect(Context(_doc(text))))
    assert [f.text for f in flags] == ["Hawas"]


def test_transliterations_against_the_reference_are_not_flagged() -> None:
    assert translit_key("Dmitri") == translit_key("Dmitry") == translit_key("Dmitriy")
    assert translit_key("Yevgeny") == translit_key("Evgeny")
    assert translit_key("Aleksei") == translit_key("Alexei")
    assert translit_key("Megan") != translit_key("Meghan")
    assert translit_key("Russel") != translit_key("Russell")
    mt = "Kremlin spokesman Dmitri Peskov called the cut a sovereign decision.\n"
    ref = "Kremlin spokesman Dmitry Peskov called the cut a sovereign decision.\n"
    assert list(NameVariants().detect(_aligned(mt, ref, [("Dmitri", "Dmitry")]))) == []
    # the same person's name misspelled (not a romanisation) is still flagged against the reference
    mt = "The book is about Prince Harry and his wife, Megan Markle.\n"
    ref = "The book tells of Prince Harry and his wife Meghan Markle.\n"
    flags = list(NameVariants().detect(_aligned(mt, ref, [("Megan", "Meghan")])))
    assert [f.text for f in flags] == ["Megan"]


def test_first_names_before_different_surnames_are_two_people() -> None:
    text = (
        "Tánaiste Micheál Martin attended the summit.\n\n"
        "First Minister Michelle O'Neill welcomed the deal, and Micheál Martin agreed.\n"
    )
    assert list(NameVariants().detect(Context(_doc(text)))) == []
    # one surname after both spellings: one person, spelled two ways
    text = "Katharina Brandt spoke first.\n\nThen Katherina Brandt and Katharina Brandt's aides left.\n"
    flags = list(NameVariants().detect(Context(_doc(text))))
    assert [f.text for f in flags] == ["Katherina"]


# entity_swap


def test_person_after_a_qualified_title_is_compared() -> None:
    mt = "Hungarian Prime Minister Viktor Orban said his country would not veto the package.\n"
    ref = "Slovak Prime Minister Robert Fico said his country would not veto the package.\n"
    flags = list(EntitySwap().detect(_aligned(mt, ref, [("veto", "veto")], 0.6)))
    assert [f.text for f in flags] == ["Viktor Orban"]
    # the same person with and without the qualifier, or with another one, is no swap
    mt = "German Chancellor Olaf Scholz and Northern Ireland First Minister Michelle O'Neill spoke.\n"
    ref = "Chancellor Olaf Scholz and First Minister Michelle O'Neill spoke.\n"
    assert list(EntitySwap().detect(_aligned(mt, ref, [("spoke", "spoke")], 0.9))) == []


def test_outlet_swapped_where_the_article_names_the_right_one_elsewhere() -> None:
    mt = (
        "The governor signed the bill on Monday, the Miami Herald reported.\n\n"
        "Meta said in a statement to the Tampa Herald that it supports parental controls.\n"
    )
    ref = (
        "The governor signed the bill on Monday, the Miami Herald reported.\n\n"
        "Meta told the Miami Herald in a statement that it supports parental controls.\n"
    )
    ctx = _aligned(mt, ref, [("signed", "signed"), ("Meta", "Meta")], 0.7)
    flags = list(EntitySwap().detect(ctx))
    assert [f.text for f in flags] == ["Tampa Herald"]
    assert [e.text for e in flags[0].evidence] == ["Miami Herald"]
    # both credited in one MT sentence: a list the reference shortened, not a swap
    mt = "Meta told the Miami Herald and the Tampa Herald that it supports parental controls.\n"
    ref = "Meta told the Miami Herald that it supports parental controls.\n"
    assert list(EntitySwap().detect(_aligned(mt, ref, [("Meta", "Meta")], 0.7))) == []


# merged_tokens


def test_full_name_glued_to_the_next_word_even_when_the_surname_is_common() -> None:
    mt = (
        "Chief executive Tim Cook said the phone sells well.\n\n"
        "Tim CookApple also announced a new watch. Apple shares fell.\n"
    )
    flags = list(MergedTokens().detect(Context(_doc(mt))))
    assert [f.text for f in flags] == ["CookApple"]
    assert {e.text for e in flags[0].evidence} == {"Tim Cook", "Apple"}
    # brands after a first name or a word: nothing written in full elsewhere, or the token is known
    mt = (
        "Chief executive Tim Cook said so. Analyst Ming-Chi Kuo uses a MacBook and PayPal.\n\n"
        "Sony PlayStation sales rose. Ron DeSantis met Ron Howard. Tim Cook's team uses WeChat.\n"
    )
    assert list(MergedTokens().detect(Context(_doc(mt)))) == []


# boilerplate_in_body


def test_bracketed_teaser_label_in_the_body_is_flagged() -> None:
    text = (
        "Stocks rise as tech rallies\n\n"
        "Shares closed higher on Monday, led by technology groups.\n"
        "【Related reading】 A-shares hit three-month high | Yuan strengthens\n"
        "The central bank kept its rate unchanged. [See also] Bond yields fall as rates hold\n"
        "Turnover rose to a record.\n"
    )
    flags = list(BoilerplateInBody().detect(Context(_doc(text))))
    assert [f.text for f in flags] == [
        "【Related reading】 A-shares hit three-month high | Yuan strengthens",
        "[See also] Bond yields fall as rates hold",
    ]
    assert [f.severity for f in flags] == ["minor", "major"]
    # a bracketed word in prose, and a teaser after the last body line (cut off already), are left
    text = (
        "Doctors give the dose (recommended) twice a day, the agency said.\n"
        "Trials (see also) continue in three cities.\n"
        "The results are due in May.\n"
        "[Related] Other trials of the drug | More health news\n"
    )
    assert list(BoilerplateInBody().detect(Context(_doc(text)))) == []


# number_mismatch


def test_crore_and_lakh_are_scale_words() -> None:
    mt = "The board sold the rights for Rs 48,390 crore on Tuesday.\n\nEach match is worth Rs 100 crore.\n"
    ref = (
        "The board sold the rights for 483.9 billion rupees on Tuesday.\n\n"
        "Each match is worth 1 billion rupees.\n"
    )
    ctx = _aligned(mt, ref, [("sold", "sold"), ("match", "match")])
    assert list(NumberMismatch().detect(ctx)) == []
    # a wrong figure in crore is still a wrong figure
    mt = "The board sold the rights for Rs 58,390 crore on Tuesday.\n"
    ref = "The board sold the rights for 483.9 billion rupees on Tuesday.\n"
    flags = list(NumberMismatch().detect(_aligned(mt, ref, [("sold", "sold")])))
    assert [f.text for f in flags] == ["58,390 crore"]


# repeated_words


def test_doubled_name_the_reference_writes_with_a_middle_initial_is_not_flagged() -> None:
    mt = "The board denied parole to Sirhan Sirhan on Wednesday.\n\nSirhan, 78, will appeal.\n"
    ref = "A panel denied parole to Sirhan B. Sirhan on Wednesday.\n\nSirhan, now 78, will appeal.\n"
    assert list(RepeatedWords().detect(Context(_doc(mt), _doc(ref, "ref")))) == []
    # a name doubled where the reference writes it once, and no initial between, is still flagged
    mt = "Star Andy Andy Lau sang on Wednesday.\n\nLau, 61, will tour.\n"
    ref = "Star Andy Lau sang on Wednesday.\n\nLau, 61, will tour.\n"
    flags = list(RepeatedWords().detect(Context(_doc(mt), _doc(ref, "ref"))))
    assert [f.text for f in flags] == ["Andy Andy"]


def test_size_and_length_adjectives_doubled_for_emphasis_are_not_flagged() -> None:
    text = 'He said: "It was a long long road, and a tiny tiny step." The meeting meeting ended.\n'
    flags = list(RepeatedWords().detect(Context(_doc(text))))
    assert [f.text for f in flags] == ["meeting meeting"]


def test_glued_names_without_a_reference() -> None:
    mt = (
        "Foreign Minister Wang YiDefence Minister Li Shangfu attended the talks.\n\n"
        "The summit was attended by Joe BidenRishi Sunak and Olaf Scholz.\n\n"
        "Biden spoke first, then Sunak and Scholz. Wang said the talks were useful.\n"
    )
    flags = list(MergedTokens().detect(Context(_doc(mt))))
    assert [f.text for f in flags] == ["YiDefence", "BidenRishi"]
    # two-letter name parts and brands are not glue by themselves
    mt = (
        "Premier Li Qiang met Xi Jinping. Apple sells the iPad and iPhone, and Joe DiMaggio played.\n\n"
        "Investors backed DeepSeek, MiniMax and Zhipu AI, while iFlytek and XPeng raised funds.\n\n"
        "Leonardo DiCaprio, Kevin McCarthy, Betsy DeVos and Fiorello LaGuardia were named.\n"
    )
    assert list(MergedTokens().detect(Context(_doc(mt)))) == []
