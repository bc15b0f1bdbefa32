"""check(): alignment, every active detector, scores and verdict in the dedup.check/1 schema."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.check import SCHEMA, CheckParams, check
from dedup.garbles.base import load_all
from dedup.text import analyze_text

MT = (
    "Flood waters reached the old town on Monday, the Harbour Times reported.\n\n"
    "Mayor Lena Ostrova said 300 homes were damaged and the army sent digital soldiers to help.\n\n"
    "Ostrowa said repairs would take two weeks. The the bridge stayed closed.\n"
)
REF = (
    "Flood waters reached the old town on Monday, the Harbour Times reported.\n\n"
    "Mayor Lena Ostrova said 300 homes were damaged and the army sent several soldiers to help.\n\n"
    "Ostrova said repairs would take two weeks, and the bridge stayed closed.\n"
)


def _docs() -> tuple:
    return analyze_text(MT, id="mt"), analyze_text(REF, id="ref")


def test_check_with_reference_schema_offsets_and_order() -> None:
    mt, ref = _docs()
    res = check(mt, ref)
    out = json.loads(json.dumps(res.to_json()))
    assert out["schema"] == SCHEMA
    assert set(out) >= {"schema", "mt", "ref", "alignment", "flags", "scores", "verdict", "params"}
    assert set(out["mt"]) == {"id", "lang", "sentences", "boilerplate"}
    assert out["ref"]["id"] == "ref" and out["alignment"]["links"]
    kinds = {f["kind"] for f in out["flags"]}
    assert {"name_variants", "rare_collocation", "repeated_words"} <= kinds
    for f in out["flags"]:
        assert f["text"] == MT[f["start"] : f["end"]]
        assert set(f) == {"start", "end", "text", "kind", "severity", "confidence", "message", "evidence"}
    assert [(f["start"], f["end"]) for f in out["flags"]] == sorted(
        (f["start"], f["end"]) for f in out["flags"]
    )
    assert out["scores"]["chrf"] is not None and out["scores"]["aligned_share"] > 0.5
    assert out["verdict"] in {"review", "reject"}
    assert out["params"]["verdict_policy"]["major_weight"] == 5.0


def test_check_without_reference_runs_text_only_families() -> None:
    mt, _ = _docs()
    res = check(mt)
    out = res.to_json()
    assert out["ref"] is None and out["alignment"] is None
    assert out["scores"]["chrf"] is None and out["scores"]["bleu"] is None
    assert not {"entity_swap", "number_mismatch"} & set(out["params"]["detectors"])
    assert all(load_all()[f["kind"]].needs_reference is False for f in out["flags"])


def test_disable_and_unknown_detector() -> None:
    mt, ref = _docs()
    res = check(mt, ref, disable=["name_variants", "repeated_words"])
    assert not {f.kind for f in res.flags} & {"name_variants", "repeated_words"}
    with pytest.raises(KeyError):
        check(mt, ref, disable=["no_such_family"])


def test_deterministic_and_clean_text_is_accepted() -> None:
    mt, ref = _docs()
    assert json.dumps(check(mt, ref).to_json()) == json.dumps(check(mt, ref).to_json())
    clean = analyze_text(REF, id="clean")
    res = check(clean, analyze_text(REF, id="ref"))
    assert res.flags == [] and res.verdict == "accept"
    assert res.scores.chrf == pytest.approx(100.0)


def test_params_change_the_verdict() -> None:
    from dedup.score import VerdictPolicy

    mt, ref = _docs()
    lenient = CheckParams(
        policy=VerdictPolicy(review_penalty=1e9, reject_penalty=1e9, review_majors=99, reject_majors=99)
    )
    assert check(mt, ref, lenient).verdict == "accept"


_WORDS = ["Russel", "Russell", "the", "Post", "Washington", "China", "told", "14", "41", "ten", "10", "digital",
          "ministers", "Ministry", "of", "State", "Public", "Security", "said", "(", ")", "。", "\u00a0", "\n\n", ".",
          "Minister", "Arvid", "Lindgren", "Okonkwo", "5%", "2020", "Hubei", "Hunan", "Provincial", "Government"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=60), st.lists(st.sampled_from(_WORDS), max_size=60))
def test_any_text_gives_exact_offsets_and_sorted_flags(mt_words: list[str], ref_words: list[str]) -> None:
    mt_text, ref_text = " ".join(mt_words), " ".join(ref_words)
    res = check(
        analyze_text(mt_text, id="mt", languages=False), analyze_text(ref_text, id="ref", languages=False)
    )
    for f in res.flags:
        assert 0 <= f.start < f.end <= len(mt_text) and f.text == mt_text[f.start : f.end]
        for e in f.evidence:
            if e.start is not None and e.text is not None:
                src = mt_text if e.doc == "mt" else ref_text
                assert src[e.start : e.end] == e.text
    assert [(f.start, f.end) for f in res.flags] == sorted((f.start, f.end) for f in res.flags)
    assert res.verdict in ("accept", "review", "reject")


_STORY = (
    "The city council of Portmere voted on Tuesday to approve a new bridge across the harbour. "
    "Mayor Elena Varga said construction would begin in the spring and take about two years. "
    "Opponents argued that the bridge would block the view from the old town."
)


def test_a_reference_that_does_not_cover_the_article_means_review() -> None:
    ref = analyze_text(_STORY, id="ref")
    other = analyze_text(
        "Heavy snow closed several mountain passes on Sunday as a storm moved across the valleys. "
        "Rescue teams reached a bus carrying thirty schoolchildren late in the evening.",
        id="mt",
    )
    res = check(other, ref)
    assert res.scores.aligned_share == 0.0
    assert res.verdict == "review" and any("aligned share" in r for r in res.reasons)
    same = check(analyze_text(_STORY, id="mt"), ref)
    assert same.scores.aligned_share == 1.0 and same.verdict == "accept"


def test_nothing_to_check_is_not_accepted() -> None:
    res = check(analyze_text("Advertisement\n\nALSO READ | Other news", id="mt"))
    assert res.scores.words == 0
    assert res.verdict == "review" and "no body text to check" in res.reasons


def test_evidence_at_cuts_its_text_from_the_document() -> None:
    from dedup.model import Evidence

    text = "The envoy met Wang Yi in Malta."
    ev = Evidence.at("a name", "ref", text, 14, 21)
    assert (ev.text, ev.doc, ev.start, ev.end) == ("Wang Yi", "ref", 14, 21)


# Several references of one story: a second report that confirms the MT's figure clears the flag.
_MULTI_MT = (
    "The province released 20.3 million yuan in relief funds on Friday.\n\n"
    "Governor Alina Vostrikova said 140 homes would be rebuilt by winter.\n"
)
_MULTI_A = (
    "The province released 203 million yuan in relief funds on Friday.\n\n"
    "Governor Alina Vostrikova said 410 homes would be rebuilt by winter.\n"
)
_MULTI_B = (
    "The province released 20.3 million yuan in relief funds on Friday.\n\n"
    "Governor Alina Vostrikova said 410 homes would be rebuilt by winter.\n"
)


def test_several_references() -> None:
    mt, a, b = (analyze_text(t, id=i) for t, i in ((_MULTI_MT, "mt"), (_MULTI_A, "a"), (_MULTI_B, "b")))
    one = check(mt, a)
    assert {f.text for f in one.flags if f.kind == "number_mismatch"} == {"20.3 million", "140"}
    assert "refs" not in one.to_json() and one.refs == [a]
    assert json.dumps(check(mt, refs=[a]).to_json()) == json.dumps(one.to_json())
    two = check(mt, a, refs=[b])
    assert {f.text for f in two.flags if f.kind == "number_mismatch"} == {"140"}
    out = json.loads(json.dumps(two.to_json()))
    assert out["ref"]["id"] == "a" and out["alignment"] == one.to_json()["alignment"]
    assert [r["id"] for r in out["refs"]] == ["a", "b"] and all(r["alignment"]["links"] for r in out["refs"])
    for f in out["flags"]:
        for e in f["evidence"]:
            if e.get("doc") == "ref":
                src = (_MULTI_A, _MULTI_B)[e["ref_index"]]
                assert src[e["start"] : e["end"]] == e["text"]
    assert out["scores"]["aligned_share"] == 1.0
    assert out["scores"]["signatures"]["chrf"].startswith("nrefs:2|")
    # The second reference writes the first sentence exactly: chrF over both is at least as high.
    assert two.scores.chrf >= one.scores.chrf
    assert check(mt, refs=[a, b]).to_json() == two.to_json()
