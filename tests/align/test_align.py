"""Order-free alignment on small hand-written articles."""

from __future__ import annotations

import json

import pytest

from dedup.align import SCHEMA, AlignParams, align, align_texts, alignment_json
from dedup.load import article_from_text
from dedup.text import analyze_lines
from tests.align.fixtures import MT_SENTENCES, REF_SENTENCES, UNRELATED


def _links(mt: list[str], ref: list[str], params: AlignParams | None = None) -> dict[tuple, tuple]:
    return {lk.mt: lk.ref for lk in align_texts(mt, ref, params).links}


def test_paraphrased_pairs_linked_across_order() -> None:
    links = _links(MT_SENTENCES, REF_SENTENCES)
    assert links[(0,)] == (4,)  # first MT sentence matches the last reference sentence
    assert links[(1,)] == (0,)  # "another official ... looking forward" ~ "a second official ... anticipates"


def test_crossing_links() -> None:
    links = _links(MT_SENTENCES, REF_SENTENCES)
    pairs = sorted((m[0], r[0]) for m, r in links.items())
    # MT order 0 < 1 while their reference sentences come in the opposite order.
    assert any(a[0] < b[0] and a[1] > b[1] for a in pairs for b in pairs)


def test_one_to_two_merge() -> None:
    links = _links(MT_SENTENCES, REF_SENTENCES)
    assert links[(2,)] == (1, 2)


def test_merge_can_be_switched_off() -> None:
    links = _links(MT_SENTENCES, REF_SENTENCES, AlignParams(merge=False))
    assert all(len(m) == 1 and len(r) == 1 for m, r in links.items())


def test_unrelated_sentences_stay_unaligned() -> None:
    result = align_texts(MT_SENTENCES, REF_SENTENCES)
    assert 3 in result.unaligned_mt  # bakers and flour: nothing in the reference
    assert 3 in result.unaligned_ref  # snow forecast: nothing in the MT


def test_unrelated_articles_give_no_links() -> None:
    result = align_texts(UNRELATED, [MT_SENTENCES[3], REF_SENTENCES[3]])
    assert result.links == []
    assert result.unaligned_mt == [0, 1]
    assert result.unaligned_ref == [0, 1]


@pytest.mark.parametrize(
    ("mt", "ref"),
    [([], []), ([], REF_SENTENCES), (MT_SENTENCES, []), (MT_SENTENCES[:1], REF_SENTENCES[4:5])],
)
def test_empty_and_one_sentence_articles(mt: list[str], ref: list[str]) -> None:
    result = align_texts(mt, ref)
    assert len(result.similarity or []) == len(mt)
    covered_mt = sorted([i for lk in result.links for i in lk.mt] + result.unaligned_mt)
    covered_ref = sorted([j for lk in result.links for j in lk.ref] + result.unaligned_ref)
    assert covered_mt == list(range(len(mt)))
    assert covered_ref == list(range(len(ref)))
    if mt and ref:
        assert [(lk.mt, lk.ref) for lk in result.links] == [((0,), (0,))]


def test_indices_valid_and_each_sentence_used_once() -> None:
    mt = MT_SENTENCES + UNRELATED[:1]
    ref = REF_SENTENCES + UNRELATED[1:]
    result = align_texts(mt, ref)
    used_mt = [i for lk in result.links for i in lk.mt]
    used_ref = [j for lk in result.links for j in lk.ref]
    assert len(used_mt) == len(set(used_mt)) and len(used_ref) == len(set(used_ref))
    assert sorted(used_mt + result.unaligned_mt) == list(range(len(mt)))
    assert sorted(used_ref + result.unaligned_ref) == list(range(len(ref)))
    for lk in result.links:
        assert list(lk.mt) == list(range(lk.mt[0], lk.mt[-1] + 1))  # groups are adjacent sentences
        assert list(lk.ref) == list(range(lk.ref[0], lk.ref[-1] + 1))
        assert 0.0 <= lk.score <= 1.0
    assert len(result.similarity) == len(mt) and all(len(row) == len(ref) for row in result.similarity)
    assert all(round(v, 4) == v for row in result.similarity for v in row)


def test_deterministic() -> None:
    a = align_texts(MT_SENTENCES, REF_SENTENCES)
    b = align_texts(list(MT_SENTENCES), list(REF_SENTENCES))
    assert a == b


def test_documents_and_json_schema() -> None:
    mt_text = "\n".join(MT_SENTENCES) + "\n"
    ref_text = "\n".join(REF_SENTENCES) + "\n"
    mt_doc = analyze_lines(article_from_text(mt_text, id="mt"), languages=False)
    ref_doc = analyze_lines(article_from_text(ref_text, id="ref"), languages=False)
    result = align(mt_doc, ref_doc)
    out = alignment_json(mt_doc, ref_doc, result)
    assert list(out) == ["schema", "ref", "mt", "links", "unaligned_mt", "unaligned_ref", "params"]
    assert out["schema"] == SCHEMA == "dedup.align/1"
    assert out["mt"]["id"] == "mt" and out["ref"]["id"] == "ref"
    for side, text in (("mt", mt_text), ("ref", ref_text)):
        spans = out[side]["sentences"]
        assert [text[s["start"] : s["end"]] for s in spans] == text.splitlines()
    assert out["params"] == {**AlignParams().to_json(), "order_used": out["params"]["order_used"]}
    assert out["params"]["order_used"] in ("free", "monotone")
    assert {"mt": [0], "ref": [4], "score": out["links"][0]["score"]} in out["links"]
    json.dumps(out, allow_nan=False)


def test_order_prior_parameter_is_recorded() -> None:
    result = align_texts(MT_SENTENCES, REF_SENTENCES, AlignParams(order_prior=0.5))
    assert result.params["order_prior"] == 0.5
