"""run_detectors_refs: several references of one story; a disagreement stands only when none agrees."""

from __future__ import annotations

from dedup.garbles.base import Context, active_detectors, mentions, run_detectors, run_detectors_refs
from dedup.garbles.entity_swap import EntitySwap
from dedup.garbles.name_variants import NameVariants
from dedup.garbles.number_mismatch import NumberMismatch
from dedup.model import Alignment, Document, Flag, Link
from dedup.text import analyze_text

MT = (
    "The province released 20.3 million yuan in relief funds on Friday.\n\n"
    "Governor Alina Vostrikova said the Harbour Times had reported the damage first.\n\n"
    "Vostrikowa promised that 140 homes would be rebuilt by winter.\n"
)
# Two human reports of the story: A writes the amount one way, B the other; both spell the governor
# Vostrikova, both credit the Harbour Times, and they disagree with the MT's 140 homes.
REF_A = (
    "The province released 203 million yuan in relief funds on Friday.\n\n"
    "Governor Alina Vostrikova said the Harbour Times had reported the damage first.\n\n"
    "Vostrikova promised that 410 homes would be rebuilt by winter.\n"
)
REF_B = (
    "On Friday the province released 20.3 million yuan for relief.\n\n"
    "Governor Alina Vostrikova said the damage was first reported by the Harbour Times.\n\n"
    "Vostrikova said 410 homes would be rebuilt before winter.\n"
)


def _doc(text: str, id: str) -> Document:
    return analyze_text(text, id=id, languages=False)


def _one_to_one(n: int) -> Alignment:
    return Alignment(links=[Link((i,), (i,), 0.8) for i in range(n)])


def _flags(refs: list[str]) -> tuple[Document, list[Flag]]:
    mt = _doc(MT, "mt")
    docs = [_doc(r, f"ref{k}") for k, r in enumerate(refs)]
    als = [_one_to_one(len(mt.sentences)) for _ in docs]
    dets = [NumberMismatch(), NameVariants(), EntitySwap()]
    flags = run_detectors_refs(mt, docs, als, dets)
    for f in flags:
        assert f.text == MT[f.start : f.end]
    return mt, flags


def test_one_reference_is_run_detectors() -> None:
    mt, ref = _doc(MT, "mt"), _doc(REF_A, "a")
    al = _one_to_one(len(mt.sentences))
    dets = active_detectors()
    assert run_detectors_refs(mt, [ref], [al], dets) == run_detectors(Context(mt, ref, al), dets)
    assert run_detectors_refs(mt, [], [], dets) == run_detectors(Context(mt), dets)


def test_a_figure_one_reference_confirms_is_not_flagged() -> None:
    _, single = _flags([REF_A])
    assert {f.text for f in single if f.kind == "number_mismatch"} == {"20.3 million", "140"}
    _, both = _flags([REF_A, REF_B])
    # B writes 20.3 million: no reference-based flag there; 140 homes disagrees with both.
    assert {f.text for f in both if f.kind == "number_mismatch"} == {"140"}


def test_disagreement_with_every_reference_stands_and_evidence_names_its_reference() -> None:
    _, both = _flags([REF_B, REF_A])
    homes = [f for f in both if f.kind == "number_mismatch"]
    assert [f.text for f in homes] == ["140"]
    # Raised against the first reference (index 0, REF_B): its evidence points into that one.
    ev = [e for e in homes[0].evidence if e.doc == "ref"]
    assert ev and all(e.ref_index == 0 for e in ev)
    assert all(REF_B[e.start : e.end] == e.text for e in ev)


def test_name_spelled_two_ways_stands_when_no_reference_uses_the_flagged_spelling() -> None:
    _, both = _flags([REF_A, REF_B])
    assert [f.text for f in both if f.kind == "name_variants"] == ["Vostrikowa"]
    # A reference that spells it the MT's other way agrees with the flagged spelling: no flag.
    ref_c = REF_B.replace("Vostrikova said 410", "Vostrikowa said 410")
    _, mixed = _flags([REF_A, ref_c])
    assert not [f for f in mixed if f.kind == "name_variants" and f.text == "Vostrikowa"]


def test_agrees_per_family() -> None:
    ref = _doc("The Rhine Post said 1.2 billion euros. Minister Jan Kowal spoke.", "r")
    num = Flag(0, 13, "1,200 million", "number_mismatch", "major", 0.8, "num ...")
    assert NumberMismatch().agrees(num, ref)
    assert not NumberMismatch().agrees(Flag(0, 3, "120", "number_mismatch", "major", 0.8, "num"), ref)
    outlet = Flag(0, 10, "Rhine Post", "entity_swap", "major", 0.8, "outlet 'Rhine Post' ...")
    assert EntitySwap().agrees(outlet, ref)
    other = Flag(0, 10, "Rhein Post", "entity_swap", "major", 0.8, "outlet 'Rhein Post' ...")
    assert not EntitySwap().agrees(other, ref)
    person = Flag(0, 9, "Piet Kowal", "entity_swap", "major", 0.8, "person 'Piet Kowal' ...")
    assert EntitySwap().agrees(person, ref)
    assert mentions("Rhine  Post", "the rhine post said") and not mentions("Post", "postal")
