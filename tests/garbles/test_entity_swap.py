"""entity_swap: an outlet, organisation or person swapped against the aligned reference."""

from __future__ import annotations

from dedup.garbles.base import Context
from dedup.garbles.entity_swap import EntitySwap
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text


def _doc(text: str, id: str) -> Document:
    return analyze_text(text, id=id, languages=False)


def _run(mt: str, ref: str, pairs: list[tuple[int, int]], score: float = 0.7) -> tuple[Document, list[Flag]]:
    mt_doc, ref_doc = _doc(mt, "mt"), _doc(ref, "ref")
    al = Alignment(links=[Link((i,), (j,), score) for i, j in pairs])
    flags = list(EntitySwap().detect(Context(mt_doc, ref_doc, al)))
    for f in flags:
        assert f.text == mt_doc.text[f.start : f.end]
        assert f.kind == "entity_swap"
    return mt_doc, flags


def test_outlet_swapped_against_the_article_own_source() -> None:
    mt = (
        "The Seattle Times reported that the port will reopen. "
        "An official told Denver Times that talks went well. "
        "The Seattle Times also said the mayor agreed."
    )
    ref = "The port will reopen, the Seattle Times reported. The mayor agreed to the plan."
    doc, flags = _run(mt, ref, [(0, 0), (2, 1)])
    assert [f.text for f in flags] == ["Denver Times"]
    assert {e.text for e in flags[0].evidence} == {"Seattle Times"}
    assert all(e.doc == "mt" for e in flags[0].evidence)


def test_outlet_swapped_in_aligned_sentence_raises_confidence() -> None:
    mt = "Ferries stopped on Monday, the Oslo Post reported."
    ref = "Ferries stopped on Monday, the Bergen Post reported."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["Oslo Post"]
    assert flags[0].evidence[0].doc == "ref" and flags[0].evidence[0].text == "Bergen Post"


def test_same_outlet_written_differently_is_not_a_swap() -> None:
    mt = "The New York Times reported on Monday that ferries stopped. Reuters said the same."
    ref = "Ferries stopped on Monday, the Times reported, and Reuters confirmed it."
    _, flags = _run(mt, ref, [(0, 0), (1, 0)])
    assert flags == []


def test_organisation_with_one_name_swapped() -> None:
    mt = "The Hubei Provincial Government announced new rules on Monday."
    ref = "The Hunan Provincial Government announced new rules on Monday."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["Hubei Provincial Government"]


def test_organisation_translated_differently_is_not_a_swap() -> None:
    mt = "The Ministry of Foreign Affairs said talks were useful. The Dairy Professional Committee met."
    ref = "The Foreign Ministry said talks were useful. The Dairy Special Committee met."
    _, flags = _run(mt, ref, [(0, 0), (1, 1)])
    assert flags == []


def test_person_with_same_title_swapped() -> None:
    mt = "Defence Minister Arvid Lindgren visited the base on Tuesday."
    ref = "Defence Minister Tobias Okonkwo visited the base on Tuesday."
    _, flags = _run(mt, ref, [(0, 0)])
    assert [f.text for f in flags] == ["Arvid Lindgren"]


def test_person_variants_are_not_swaps() -> None:
    mt = "Treasury Secretary Janet Yellen met President Biden. Climate envoy John Kerry joined them."
    ref = "Treasury Secretary Janet L. Yellen met Joe Biden. Climate envoy John F. Kerry joined them."
    _, flags = _run(mt, ref, [(0, 0), (1, 1)])
    assert flags == []


def test_weak_link_is_ignored() -> None:
    mt = "Defence Minister Arvid Lindgren visited the base on Tuesday."
    ref = "Defence Minister Tobias Okonkwo visited the base on Tuesday."
    _, flags = _run(mt, ref, [(0, 0)], score=0.2)
    assert flags == []


def test_transliterations_and_full_outlet_names_are_not_swaps() -> None:
    mt = "Advisor Dong Jiling spoke on Monday, China News Service reported."
    ref = "Advisor Chiling Tong spoke on Monday, China News Service reported, citing Sputnik News."
    _, flags = _run(mt, ref, [(0, 0)])
    assert flags == []


def test_reordered_organisation_and_outlet_lists_are_not_swaps() -> None:
    mt = "Members of the Vietnamese Buddhist Association in Laos attended."
    ref = "Members of the Lao Vietnamese Association attended."
    _, flags = _run(mt, ref, [(0, 0)])
    assert flags == []
    mt = "China Traffic Radio covered it. China Traffic Radio and Central Radio were there."
    ref = "China Traffic Radio covered it."
    _, flags = _run(mt, ref, [(0, 0)])
    assert flags == []


def test_sole_person_look_alikes_are_not_swaps() -> None:
    # Two people the MT lacks in the reference sentence: nothing to pair.
    mt = "Zhang Jianzong said on Sunday that the situation in the city remained severe."
    ref = "Matthew Cheung and Carrie Lam said on Sunday that the situation in the city remained severe."
    assert _run(mt, ref, [(0, 0)])[1] == []
    # A middle initial, a title, a surname alone, camel-case names: the same people.
    mt = "Janet Yellen met Mr DeSantis on Monday, and Yellen praised McDonald staff."
    ref = "Treasury Secretary Janet L. Yellen met Governor Ron DeSantis on Monday and praised McDonald staff."
    assert _run(mt, ref, [(0, 0)])[1] == []
