"""check() with several references, on generated and hostile texts: offsets, evidence, order, merging."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.check import CheckResult, check
from dedup.model import Document
from dedup.text import analyze_text

_PIECES = [
    "The council met on Monday.", "Governor Alina Vostrikova said help was coming.", "Vostrikowa said so.",
    "The Harbour Times reported it.", "The Daily Post reported it.", "About 20.3 million yuan was paid.",
    "About 203 million yuan was paid.", "KerryTreasury", "the the", "talks talks", "(", ")", '"', "«", "。",
    "中文", "\u200b", "e\u0301", "\ufeff", "İ", "ﬁ", "Advertisement", "\n\n", "\r\n", "140 homes", "410 homes",
]  # fmt: skip
_TEXT = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map(" ".join)


def _doc(text: str, id: str) -> Document:
    return analyze_text(text, id=id, languages=False)


def _located(result: CheckResult, mt: Document, refs: list[Document]) -> None:
    keys = [(f.start, f.end, f.kind, f.message) for f in result.flags]
    assert keys == sorted(keys) and len(keys) == len(set(keys))  # sorted by offset, no duplicates
    for f in result.flags:
        assert mt.text[f.start : f.end] == f.text
        for e in f.evidence:
            if e.doc is None or e.start is None:
                continue
            if e.doc == "mt":
                src = mt.text
            else:
                assert (e.ref_index is not None) == (len(refs) > 1)
                src = refs[e.ref_index or 0].text
            assert src[e.start : e.end] == e.text


def _flags(result: CheckResult) -> list[tuple[int, int, str, str]]:
    return [(f.start, f.end, f.kind, f.message) for f in result.flags]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, _TEXT, _TEXT)
def test_offsets_evidence_and_merging_hold_for_any_references(mt_text: str, a_text: str, b_text: str) -> None:
    mt, a, b = _doc(mt_text, "mt"), _doc(a_text, "a"), _doc(b_text, "b")
    one = check(mt, a)
    _located(one, mt, [a])
    two = check(mt, refs=[a, b])
    _located(two, mt, [a, b])
    assert json.dumps(two.to_json()) == json.dumps(check(mt, refs=[a, b]).to_json())
    # The order of the references changes which one speaks for a flag, not which spans are flagged.
    swapped = check(mt, refs=[b, a])
    _located(swapped, mt, [b, a])
    assert {k[:3] for k in _flags(swapped)} == {k[:3] for k in _flags(two)}
    # The same reference twice is one reference: its flags once each.
    same = check(mt, refs=[a, a])
    _located(same, mt, [a, a])
    assert _flags(same) == _flags(one)
    # The MT as its own reference agrees with itself everywhere: no reference-based disagreement.
    itself = check(mt, refs=[mt, a])
    _located(itself, mt, [mt, a])
    assert not {f.kind for f in itself.flags} & {"entity_swap", "number_mismatch", "rare_collocation"}
